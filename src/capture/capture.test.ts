/**
 * Captured steps (docs/CAPTURE.md) against the ordinary ones, on every backend listBackends()
 * has: two identical models, one trained with capture and one without, must agree bit for bit
 * (weights, optimizer state, History, evaluate and predict), with dropout, batch normalization
 * and a learning rate that changes every step; what cannot be captured falls back with a reason.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Layer } from '../layers/layer.js';
import { Tensor } from '../core/tensor.js';
import { lcg } from '../../test/helpers.js';
import { captureReport, type CaptureEntry } from './capture.js';

const N = 70; // batch 16: four full batches and a partial one of 6 per epoch
const X = lcg(N * 6, 9);
const Y = Array.from({ length: N }, (_, i) => (i * 7) % 3);

type OptName = 'adam' | 'sgd' | 'nadam';
const optimizer = (name: OptName): hb.Optimizer =>
  name === 'adam'
    ? hb.optimizers.adam({ learningRate: (s: number) => 0.02 / (1 + 0.1 * s) })
    : name === 'nadam'
      ? hb.optimizers.nadam({ learningRate: (s: number) => 0.01 / (1 + 0.05 * s) })
      : hb.optimizers.sgd({ learningRate: (s: number) => 0.05 * 0.97 ** s, momentum: 0.9 });

function build(layers: (h: hb.SymbolicTensor) => hb.SymbolicTensor = (h) => h): hb.Model {
  hb.setSeed(3);
  const x = hb.input({ shape: [6] });
  let h = hb.layers.dense({ units: 12, activation: 'relu' }).apply(x);
  h = hb.layers.batchNormalization().apply(h);
  h = hb.layers.dropout({ rate: 0.25 }).apply(h);
  h = layers(h);
  return hb.model({ inputs: x, outputs: hb.layers.dense({ units: 3, activation: 'softmax' }).apply(h) });
}

/** Every float of a list of tensors, as one Float32Array (bit-equal means deepStrictEqual). */
function bits(ts: readonly Tensor[]): Float32Array {
  return Float32Array.from(ts.flatMap((t) => Array.from(t.dataSync())));
}

function stateTensorsOf(v: unknown, out: Tensor[] = []): Tensor[] {
  if (v instanceof Tensor) out.push(v);
  else if (Array.isArray(v)) for (const e of v) stateTensorsOf(e, out);
  else if (v !== null && typeof v === 'object') for (const e of Object.values(v)) stateTensorsOf(e, out);
  return out;
}

interface Run {
  weights: Float32Array;
  optState: Float32Array;
  /** The state's host numbers (Nadam's P_t) and step count: replays must keep them live too. */
  optNumbers: unknown;
  history: Record<string, number[]>;
  evaluate: unknown;
  predict: Float32Array;
  report: CaptureEntry[];
}

/** Trains a fresh model (initial weights `init`) and returns everything the test compares. */
async function run(init: readonly Tensor[], opt: OptName, capture: boolean, callbacks: (m: hb.Model) => hb.Callback[] = () => [], model = build): Promise<Run> {
  const m = model();
  m.setWeights(init);
  m.compile({ optimizer: optimizer(opt), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = hb.tensor(X, [N, 6]);
  const y = hb.tensor(Y, [N], 'int32');
  hb.setSeed(11);
  const h = await m.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0, capture, validationData: [x, y], callbacks: callbacks(m) });
  const evaluate = await m.evaluate(x, y, { batchSize: 16, verbose: 0, capture, returnDict: true });
  const p = (await m.predict(x, { batchSize: 16, capture })) as Tensor;
  const runner = m.compiled!.runnerFor(m.compiled!.trainableWeightsOf(m));
  const saved = runner.saveState();
  const r: Run = { weights: bits(m.weights), optState: bits(stateTensorsOf(saved)), optNumbers: { numbers: saved.numbers, iterations: saved.iterations }, history: h.history as Record<string, number[]>, evaluate, predict: bits([p]), report: captureReport(m) };
  hb.dispose([...stateTensorsOf(saved), p, x, y]);
  m.dispose();
  return r;
}

function assertSame(a: Run, b: Run): void {
  assert.deepStrictEqual(b.weights, a.weights);
  assert.deepStrictEqual(b.optState, a.optState);
  assert.deepStrictEqual(b.optNumbers, a.optNumbers);
  assert.deepStrictEqual(b.history, a.history);
  assert.deepStrictEqual(b.evaluate, a.evaluate);
  assert.deepStrictEqual(b.predict, a.predict);
}

const captured = (r: Run, kind: CaptureEntry['kind']): CaptureEntry | undefined => r.report.find((e) => e.kind === kind && e.status === 'captured' && e.replays > 0);

function initialWeights(model = build): Tensor[] {
  const m = model();
  const w = m.getWeights();
  m.dispose();
  return w;
}

/** A callback list running `fn(epoch, batch)` at every batch's end. */
function onBatchEnd(fn: (epoch: number, batch: number) => void): hb.Callback[] {
  let epoch = 0;
  return [new hb.callbacks.LambdaCallback({ onEpochBegin: (e) => void (epoch = e), onBatchEnd: (b) => fn(epoch, b) })];
}

const backends = hb.listBackends().filter((b) => ['cpu', 'wasm', 'native'].includes(b));

for (const backend of backends) {
  describe(`captured steps on ${backend}`, () => {
    const use = (): void => void hb.setBackend(backend);

    for (const opt of ['adam', 'sgd', 'nadam'] as const) {
      it(`${opt}: 40 steps with dropout, batch norm and a per-step schedule, bit for bit the ordinary fit`, async () => {
        use();
        const init = initialWeights();
        const plain = await run(init, opt, false);
        const cap = await run(init, opt, true);
        assertSame(plain, cap);
        assert.equal(plain.report.length, 0, 'capture: false traces nothing');
        for (const kind of ['train', 'test', 'predict'] as const) assert.ok(captured(cap, kind), `${kind} step captured: ${JSON.stringify(cap.report)}`);
        // The optimizer writes each weight (and Adam's two slots) over its old value in the plan.
        const slots = opt === 'sgd' ? 2 : 3;
        const weights = 6; // trainable: two dense kernels and biases, batch norm's gamma and beta
        assert.ok((captured(cap, 'train')?.inPlace ?? 0) >= weights * slots, `in place: ${JSON.stringify(captured(cap, 'train'))}`);
        // The partial last batch (6 samples) never gets two consecutive traces: it runs the ordinary way.
        assert.ok(cap.report.some((e) => e.kind === 'train' && e.signature.includes('[6,6]') && e.replays === 0));
        hb.dispose(init);
      });
    }

    it('a callback that changes the learning rate and sets the weights mid-epoch: still identical', async () => {
      use();
      const init = initialWeights();
      const callbacks = (m: hb.Model): hb.Callback[] =>
        onBatchEnd((epoch, b) => {
          if (epoch === 2 && b === 1) (m.optimizer as hb.Optimizer).learningRate = 0.004;
          if (epoch === 5 && b === 2) m.setWeights(m.getWeights().map((w) => hb.mul(w, 0.5)));
        });
      const plain = await run(init, 'adam', false, callbacks);
      const cap = await run(init, 'adam', true, callbacks);
      assertSame(plain, cap);
      assert.ok(captured(cap, 'train'));
      hb.dispose(init);
    });

    it('a view of a weight taken mid-fit keeps its values: replays never write through a holder the ordinary step would not touch', async () => {
      use();
      const init = initialWeights();
      const kept: { view: Tensor | null; values: Float32Array | null } = { view: null, values: null };
      const callbacks = (m: hb.Model): hb.Callback[] =>
        onBatchEnd((epoch, b) => {
          if (epoch !== 3 || b !== 1) return;
          // reshape of a contiguous weight is a view on the weight's own storage.
          kept.view = hb.keep(hb.reshape(m.trainableWeights[0] as Tensor, [-1]));
          kept.values = Float32Array.from(kept.view.dataSync());
        });
      const plain = await run(init, 'adam', false, callbacks);
      hb.dispose(kept.view);
      const cap = await run(init, 'adam', true, callbacks);
      assertSame(plain, cap);
      assert.ok(kept.view && kept.values);
      assert.deepStrictEqual(Float32Array.from(kept.view.dataSync()), kept.values, 'the view still holds the weight as it was when taken');
      assert.ok(captured(cap, 'train'));
      hb.dispose([...init, kept.view]);
    });

    it('falls back with a reason: a read-back inside call, a clipnorm chain; results unchanged', async () => {
      use();
      class ReadBack extends Layer {
        override call(inputs: Tensor | Tensor[]): Tensor {
          const x = inputs as Tensor;
          return hb.mul(x, x.dataSync()[0] === 12345 ? 2 : 1);
        }
      }
      const readBack = (): hb.Model => build((h) => new ReadBack().apply(h) as hb.SymbolicTensor);
      const init = initialWeights(readBack);
      const plain = await run(init, 'sgd', false, undefined, readBack);
      const cap = await run(init, 'sgd', true, undefined, readBack);
      assertSame(plain, cap);
      const train = cap.report.filter((e) => e.kind === 'train' && !e.signature.includes('[6,6]'));
      assert.ok(train.length > 0 && train.every((e) => e.status === 'ordinary' && /reads a value back/.test(e.reason ?? '')), JSON.stringify(cap.report));
      hb.dispose(init);

      const m = build();
      m.compile({ optimizer: hb.optimizers.adam({ clipnorm: 1 }), loss: 'sparseCategoricalCrossentropy' });
      const x = hb.tensor(X, [N, 6]);
      const y = hb.tensor(Y, [N], 'int32');
      await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      const e = captureReport(m).find((r) => r.kind === 'train' && r.status === 'ordinary');
      assert.match(e?.reason ?? '', /chain path/);
      hb.dispose([x, y]);
      m.dispose();
    });

    it('captures a custom trainStep that passes the checks, with the same results', async () => {
      use();
      class HalfLoss extends hb.Model {
        readonly h = hb.layers.dense({ units: 8, activation: 'tanh' });
        readonly out = hb.layers.dense({ units: 3, activation: 'softmax' });
        steps = 0;
        override call(x: Tensor | Tensor[]): Tensor {
          return this.out.apply(this.h.apply(x as Tensor)) as Tensor;
        }
        override trainStep(data: hb.StepData): void {
          // A host side effect: hb.onHost runs it at every replay too.
          hb.onHost(() => this.steps++);
          const { value, grads, aux } = hb.valueAndGrad(() => {
            const yPred = this.forward(data.x, true);
            const losses = this.computeLoss(data, yPred);
            return [hb.mul(losses.total, 0.5), { yPred, perOutput: [...losses.perOutput] }];
          }, this.trainableWeights, { hasAux: true });
          this.applyGradients(grads, value);
          this.updateMetrics(data, aux.yPred, { total: value, perOutput: aux.perOutput });
        }
      }
      const results: { w: Float32Array; steps: number; report: CaptureEntry[] }[] = [];
      let init: Tensor[] | null = null;
      for (const capture of [false, true]) {
        hb.setSeed(5);
        const m = new HalfLoss();
        const x = hb.tensor(X, [N, 6]);
        const y = hb.tensor(Y, [N], 'int32');
        m.compile({ optimizer: optimizer('sgd'), loss: 'sparseCategoricalCrossentropy' });
        m.predict(hb.slice(x, [0, 0], [1, 6])); // builds the weights
        if (init) m.setWeights(init);
        else init = m.getWeights();
        hb.setSeed(11);
        await m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, capture });
        results.push({ w: bits(m.weights), steps: m.steps, report: captureReport(m) });
        hb.dispose([x, y]);
        m.dispose();
      }
      assert.deepStrictEqual(results[1]!.w, results[0]!.w);
      assert.equal(results[1]!.steps, 15);
      assert.equal(results[0]!.steps, 15);
      assert.ok(results[1]!.report.some((e) => e.kind === 'train' && e.status === 'captured' && e.replays > 0), JSON.stringify(results[1]!.report));
      hb.dispose(init!);
    });

    it('refuses what a replay would get wrong: a new kept tensor each step, a host number that changes, host-drawn noise', async () => {
      use();
      /** A step that leaks on purpose (`keepLosses`) or scales its loss by a JS counter (`counted`). */
      class Odd extends hb.Model {
        readonly out = hb.layers.dense({ units: 3, activation: 'softmax' });
        readonly kept: Tensor[] = [];
        calls = 0;
        constructor(readonly mode: 'keepLosses' | 'counted') {
          super();
        }
        override call(x: Tensor | Tensor[]): Tensor {
          return this.out.apply(x as Tensor) as Tensor;
        }
        override trainStep(data: hb.StepData): void {
          const { value, grads } = hb.valueAndGrad(() => {
            const loss = this.computeLoss(data, this.forward(data.x, true)).total;
            return this.mode === 'counted' ? hb.mul(loss, 1 + 0.01 * this.calls++) : loss;
          }, this.trainableWeights);
          this.applyGradients(grads, value);
          if (this.mode === 'keepLosses') this.kept.push(hb.keep(hb.mul(value, 1)));
        }
      }
      const x = hb.tensor(X, [N, 6]);
      const y = hb.tensor(Y, [N], 'int32');
      const reasonOf = (m: hb.Model): string => captureReport(m).find((e) => e.kind === 'train' && e.status === 'ordinary')?.reason ?? JSON.stringify(captureReport(m));
      for (const [mode, pattern] of [['keepLosses', /not replaced by the next step/], ['counted', /in one step, .* in the next/]] as const) {
        const m = new Odd(mode);
        m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
        await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
        assert.match(reasonOf(m), pattern);
        if (mode === 'keepLosses') assert.equal(m.kept.length, 18, 'every step ran its JavaScript (9 batches an epoch)');
        hb.dispose(m.kept);
        m.dispose();
      }
      const noisy = build((h) => hb.layers.gaussianNoise({ stddev: 0.1 }).apply(h) as hb.SymbolicTensor);
      noisy.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      await noisy.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      assert.match(reasonOf(noisy), /host data written in the step differs/);
      noisy.dispose();
      hb.dispose([x, y]);
    });

    it('keeps live tensors and buffers flat over epochs', async () => {
      use();
      const m = build();
      m.compile({ optimizer: optimizer('adam'), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const x = hb.tensor(X, [N, 6]);
      const y = hb.tensor(Y, [N], 'int32');
      const counts: [number, number][] = [];
      const cb = new hb.callbacks.LambdaCallback({ onEpochEnd: () => void counts.push([hb.numTensors(), hb.numBuffers()]) });
      await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 }); // the optimizer state and metric totals exist from here on
      const before: [number, number] = [hb.numTensors(), hb.numBuffers()];
      await m.fit(x, y, { epochs: 6, batchSize: 16, verbose: 0, callbacks: [cb], validationData: [x, y] });
      assert.deepEqual([hb.numTensors(), hb.numBuffers()], before);
      assert.ok(counts.every((c) => c[0] === counts[0]![0] && c[1] === counts[0]![1]), JSON.stringify(counts));
      assert.ok(captureReport(m).some((e) => e.kind === 'train' && e.replays > 0));
      hb.dispose([x, y]);
      m.dispose();
    });
  });
}

describe('the capture switch', () => {
  it('HEBB_CAPTURE=0 turns capture off everywhere; capture must be a boolean', async () => {
    const m = build();
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const x = hb.tensor(X, [N, 6]);
    const y = hb.tensor(Y, [N], 'int32');
    const prev = process.env['HEBB_CAPTURE'];
    process.env['HEBB_CAPTURE'] = '0';
    try {
      await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      assert.deepEqual(captureReport(m), []);
    } finally {
      if (prev === undefined) delete process.env['HEBB_CAPTURE'];
      else process.env['HEBB_CAPTURE'] = prev;
    }
    await assert.rejects(m.fit(x, y, { verbose: 0, capture: 'yes' as unknown as boolean }), /fit: capture must be a boolean, received/);
    hb.dispose([x, y]);
    m.dispose();
  });
});
