/**
 * The fit/evaluate/predict loops on a hand-written linear model (two Variables), so these
 * tests check the loop itself against closed-form values, independently of the layers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { ValueError } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { sgd } from '../optimizers/sgd.js';
import { ProgbarLogger } from '../callbacks/progbar.js';
import { EarlyStopping } from '../callbacks/early_stopping.js';
import { Compiled, type CompileOptions, type OutputInfo } from './compile.js';
import { evaluateData, fitLoop, predictLoop, type LoopModel } from './trainer.js';

class Linear implements LoopModel {
  readonly name = 'linear';
  stopTraining = false;
  readonly w: Variable;
  readonly b: Variable;
  constructor(w: number[] = [0, 0], b = 0) {
    this.w = hb.variable(hb.tensor(w, [w.length, 1]));
    this.b = hb.variable(hb.tensor([b]));
  }
  get trainableWeights(): Variable[] {
    return [this.w, this.b];
  }
  forward(inputs: readonly Tensor[]): Tensor[] {
    return [hb.add(hb.matmul(inputs[0]!, this.w), this.b)];
  }
  regularizationLosses(): Tensor[] {
    return [];
  }
  inputNamesFor(): string[] {
    return ['x'];
  }
  outputInfo(): OutputInfo[] {
    return [{ name: 'y', shape: [null, 1] }];
  }
  getWeights(): Tensor[] {
    return [hb.copy(this.w), hb.copy(this.b)];
  }
  setWeights(ws: readonly Tensor[]): void {
    this.w.assign(ws[0]!);
    this.b.assign(ws[1]!);
  }
  dispose(): void {
    this.w.dispose();
    this.b.dispose();
  }
}

/** y = 3·x0 − 2·x1 + 1 on a fixed grid of points. */
function regressionData(n: number): { x: number[][]; y: number[][] } {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = ((i * 37) % 17) / 8 - 1;
    const c = ((i * 11) % 13) / 6 - 1;
    x.push([a, c]);
    y.push([3 * a - 2 * c + 1]);
  }
  return { x, y };
}

const mseOf = (m: { w: number[]; b: number }, x: number[][], y: number[][], weights?: number[]): number =>
  x.reduce((s, xi, i) => {
    const e = m.w[0]! * xi[0]! + m.w[1]! * xi[1]! + m.b - y[i]![0]!;
    return s + (weights?.[i] ?? 1) * e * e;
  }, 0) / x.length;

const compiled = (o: Partial<CompileOptions> = {}): Compiled => new Compiled({ optimizer: sgd({ learningRate: 0.1 }), loss: 'mse', ...o });

describe('fitLoop', () => {
  it('linear regression converges to the known coefficients', async () => {
    const m = new Linear();
    const c = compiled();
    const { x, y } = regressionData(64);
    const h = await fitLoop(m, c, x, y, { epochs: 60, batchSize: 16, verbose: 0 });
    const [w0, w1] = Array.from(m.w.dataSync());
    assert.ok(Math.abs(w0! - 3) < 1e-2 && Math.abs(w1! + 2) < 1e-2, `w = ${w0}, ${w1}`);
    assert.ok(Math.abs(m.b.item() - 1) < 1e-2, `b = ${m.b.item()}`);
    assert.equal(h.history['loss']?.length, 60);
    assert.ok(h.history['loss']![59]! < 1e-4);
    c.dispose();
    m.dispose();
  });

  it('validationSplit validates on the LAST fraction; logs are exact means (lr 0)', async () => {
    const m = new Linear([0.5, -0.25], 0.1);
    const c = compiled({ optimizer: sgd({ learningRate: 0 }) });
    const { x, y } = regressionData(20);
    const h = await fitLoop(m, c, x, y, { epochs: 2, batchSize: 4, validationSplit: 0.3, verbose: 0 });
    const model = { w: [0.5, -0.25], b: 0.1 };
    assert.deepEqual(Object.keys(h.history).sort(), ['learning_rate', 'loss', 'val_loss']);
    assert.ok(Math.abs(h.history['loss']![0]! - mseOf(model, x.slice(0, 14), y.slice(0, 14))) < 1e-5);
    assert.ok(Math.abs(h.history['val_loss']![1]! - mseOf(model, x.slice(14), y.slice(14))) < 1e-5);
    assert.deepEqual(h.epoch, [0, 1]);
    c.dispose();
    m.dispose();
  });

  it('sampleWeight and classWeight scale each sample loss: sum(w·l)/n (Keras)', async () => {
    const m = new Linear([1, 1], 0);
    const c = compiled({ optimizer: sgd({ learningRate: 0 }) });
    const { x, y } = regressionData(8);
    const sw = [1, 2, 0, 0.5, 1, 3, 1, 1];
    const h = await fitLoop(m, c, x, y, { epochs: 1, batchSize: 3, sampleWeight: sw, shuffle: false, verbose: 0 });
    assert.ok(Math.abs(h.history['loss']![0]! - mseOf({ w: [1, 1], b: 0 }, x, y, sw)) < 1e-5);
    // classWeight on a regression target whose values are class ids 0/1
    const yc = [[0], [1], [1], [0]];
    const xc = [[1, 0], [0, 1], [1, 1], [0, 0]];
    const h2 = await fitLoop(m, c, xc, yc, { epochs: 1, batchSize: 4, classWeight: { 1: 5 }, verbose: 0 });
    assert.ok(Math.abs(h2.history['loss']![0]! - mseOf({ w: [1, 1], b: 0 }, xc, yc, [1, 5, 5, 1])) < 1e-5);
    // with validationSplit, validation samples keep their sampleWeight but not the classWeight
    const xv = [...xc, [1, 0], [0, 1]];
    const yv = [...yc, [1], [1]];
    const h3 = await fitLoop(m, c, xv, yv, { epochs: 1, batchSize: 4, classWeight: { 1: 5 }, sampleWeight: [1, 1, 1, 1, 2, 3], validationSplit: 1 / 3, verbose: 0 });
    assert.ok(Math.abs(h3.history['loss']![0]! - mseOf({ w: [1, 1], b: 0 }, xc, yc, [1, 5, 5, 1])) < 1e-5);
    assert.ok(Math.abs(h3.history['val_loss']![0]! - mseOf({ w: [1, 1], b: 0 }, xv.slice(4), yv.slice(4), [2, 3])) < 1e-5);
    c.dispose();
    m.dispose();
  });

  it('frees every temporary: tensor and buffer counts return to the start', async () => {
    const m = new Linear();
    const c = compiled({ optimizer: sgd({ learningRate: 0.05, momentum: 0.9 }) });
    const { x, y } = regressionData(50);
    await fitLoop(m, c, x, y, { epochs: 1, batchSize: 8, verbose: 0 }); // creates the optimizer state
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    await fitLoop(m, c, x, y, { epochs: 3, batchSize: 8, validationSplit: 0.2, sampleWeight: new Float32Array(50).fill(1), verbose: 0 });
    await evaluateData(m, c, x, y, { verbose: 0 });
    hb.dispose(await predictLoop(m, x, { batchSize: 7 }));
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
    c.dispose();
    m.dispose();
  });

  it('reads back from the backend per epoch, never per step (without callbacks asking)', async () => {
    const be = hb.getBackend();
    let reads = 0;
    const readSync = be.readSync?.bind(be);
    const read = be.read.bind(be);
    be.read = async (b) => (reads++, read(b));
    if (readSync) be.readSync = (b) => (reads++, readSync(b));
    try {
      const m = new Linear();
      const c = compiled();
      const { x, y } = regressionData(40);
      const count = async (batchSize: number): Promise<number> => {
        reads = 0;
        await fitLoop(m, c, x, y, { epochs: 2, batchSize, verbose: 0 });
        return reads;
      };
      const fewSteps = await count(20); // 2 steps per epoch
      const manySteps = await count(2); // 20 steps per epoch
      assert.equal(manySteps, fewSteps);
      c.dispose();
      m.dispose();
    } finally {
      be.read = read;
      if (readSync) be.readSync = readSync;
    }
  });

  it('rejects NaN, mismatched lengths and bad options before training', async () => {
    const m = new Linear();
    const c = compiled();
    const w0 = Array.from(m.w.dataSync());
    await assert.rejects(fitLoop(m, c, [[1, 2], [3, NaN]], [[1], [2]], { verbose: 0 }), (e: unknown) => e instanceof ValueError && /fit: x contains NaN at sample 1/.test(e.message));
    await assert.rejects(fitLoop(m, c, [[1, 2], [3, 4]], [[1], [2], [3]], { verbose: 0 }), /fit: x has 2 samples but y has 3/);
    await assert.rejects(fitLoop(m, c, [[1, 2]], [[Infinity]], { verbose: 0 }), /y contains Infinity/);
    await assert.rejects(fitLoop(m, c, [[1, 2]], [[1]], { batchSize: 0, verbose: 0 }), /batchSize must be a positive integer, received 0/);
    await assert.rejects(fitLoop(m, c, [[1, 2]], [[1]], { validationSplit: 1, verbose: 0 }), /validationSplit must be in \[0, 1\)/);
    assert.deepEqual(Array.from(m.w.dataSync()), w0);
    // @ts-expect-error: the type rejects the typo; plain JavaScript gets the run-time error
    assert.throws(() => new Compiled({ optimizer: 'sgdx', loss: 'mse' }), /unknown optimizer "sgdx"/);
    // @ts-expect-error: the type rejects the typo; plain JavaScript gets the run-time error
    assert.throws(() => new Compiled({ optimizer: 'sgd', loss: 'msq' }).resolve([{ name: 'y', shape: [null, 1] }]), /msq/);
    c.dispose();
    m.dispose();
  });

  it('callbacks see epochs and batches; stopTraining ends fit; initialEpoch counts from there', async () => {
    const m = new Linear();
    const c = compiled();
    const { x, y } = regressionData(10);
    const seen: string[] = [];
    const h = await fitLoop(m, c, x, y, {
      epochs: 5,
      initialEpoch: 2,
      batchSize: 5,
      verbose: 0,
      callbacks: [
        {
          onEpochBegin: (e) => void seen.push(`begin ${e}`),
          onTrainBatchEnd: async (b, logs) => void seen.push(`batch ${b} ${(await logs.read())['loss'] !== undefined}`),
          onEpochEnd: (e) => {
            seen.push(`end ${e}`);
            if (e === 3) m.stopTraining = true;
          },
        },
      ],
    });
    assert.deepEqual(seen, ['begin 2', 'batch 0 true', 'batch 1 true', 'end 2', 'begin 3', 'batch 0 true', 'batch 1 true', 'end 3']);
    assert.deepEqual(h.epoch, [2, 3]);
    c.dispose();
    m.dispose();
  });
});

describe('EarlyStopping in fit', () => {
  it('stops when the loss gets worse and restores the weights saved at the best epoch', async () => {
    const m = new Linear();
    const lr = 2; // far too large: the loss grows from the second epoch on
    const c = compiled({ optimizer: sgd({ learningRate: lr }) });
    const { x, y } = regressionData(32);
    const es = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    const h = await fitLoop(m, c, x, y, { epochs: 50, batchSize: 32, verbose: 0, callbacks: [es] });
    assert.equal(h.history['loss']!.length, 2);
    assert.equal(es.stoppedEpoch, 1);
    // best epoch 0: its weights are those after one full-batch step from zero, w = −lr·∇mse(0)
    const n = x.length;
    const gw = [0, 1].map((j) => (2 / n) * x.reduce((sum, xi, i) => sum - y[i]![0]! * xi[j]!, 0));
    const gb = (2 / n) * y.reduce((sum, yi) => sum - yi[0]!, 0);
    const w = Array.from(m.w.dataSync());
    assert.ok(Math.abs(w[0]! + lr * gw[0]!) < 1e-4 && Math.abs(w[1]! + lr * gw[1]!) < 1e-4, `${w} vs ${gw.map((g) => -lr * g)}`);
    assert.ok(Math.abs(m.b.item() + lr * gb) < 1e-4);
    c.dispose();
    m.dispose();
  });
});

describe('progress output', () => {
  it('a ProgbarLogger on a non-terminal stream writes Epoch headers and one line per epoch with val_ logs', async () => {
    const m = new Linear();
    const c = compiled();
    const { x, y } = regressionData(20);
    let out = '';
    const stream = { isTTY: false, write: (s: string): boolean => ((out += s), true) };
    await fitLoop(m, c, x, y, { epochs: 2, batchSize: 4, validationSplit: 0.2, verbose: 0, callbacks: [new ProgbarLogger({ stream })] });
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[0], 'Epoch 1/2');
    assert.match(lines[1]!, /^4\/4 ━{20} \d+s \d+(us|ms)\/step - learning_rate: 0\.1000 - loss: \d\.\d{4} - val_loss: \d\.\d{4}$/);
    assert.equal(lines[2], 'Epoch 2/2');
    c.dispose();
    m.dispose();
  });
});

describe('evaluate and predict', () => {
  it('evaluate gives the exact loss; predict concatenates batches in order', async () => {
    const m = new Linear([2, -1], 0.5);
    const c = compiled();
    const { x, y } = regressionData(11);
    const logs = await evaluateData(m, c, x, y, { batchSize: 4, verbose: 0 });
    assert.ok(Math.abs(logs['loss']! - mseOf({ w: [2, -1], b: 0.5 }, x, y)) < 1e-5);
    const [p] = await predictLoop(m, { data: new Float32Array(x.flat()), shape: [11, 2] }, { batchSize: 4 });
    assert.deepEqual(p!.shape, [11, 1]);
    const pv = Array.from(p!.dataSync());
    x.forEach((xi, i) => assert.ok(Math.abs(pv[i]! - (2 * xi[0]! - xi[1]! + 0.5)) < 1e-5));
    p!.dispose();
    c.dispose();
    m.dispose();
  });
});
