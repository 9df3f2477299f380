/**
 * Regularizers and constraints in training: the penalties enter the loss of fit and evaluate,
 * `losses` lists them, constraints project the weights after each update. References are
 * computed here in float64 from the formulas (mse, l1, l2, the activity penalty divided by the
 * batch size, SGD's w ← w − lr·g, maxNorm's rescaling).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Model } from './model.js';
import type { Tensor } from '../core/tensor.js';
import { assertClose, assertThrowsWith, vals } from '../../test/helpers.js';

const { l1, l2 } = hb.regularizers;
const { dense, input } = hb.layers;

const X = [[1, 2, -1], [0.5, -1, 2], [-2, 0, 1], [1, 1, 1]];
const Y = [[1, 0], [0, 1], [0.5, 0.5], [-1, 2]];
const W0 = [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]];
const B0 = [0.1, -0.3];
const N = X.length;
const U = 2;

type M = number[][];
const matmul = (a: M, b: M): M => a.map((r) => (b[0] as number[]).map((_, j) => r.reduce((s, v, k) => s + v * (b[k] as number[])[j]!, 0)));
const forward = (w: M, b: number[]): M => matmul(X, w).map((r) => r.map((v, j) => v + b[j]!));
const sumSq = (m: M): number => m.flat().reduce((s, v) => s + v * v, 0);
const sumAbs = (v: number[]): number => v.reduce((s, x) => s + Math.abs(x), 0);
const mse = (p: M): number => p.flat().reduce((s, v, i) => s + (v - Y.flat()[i]!) ** 2, 0) / (N * U);

/** One SGD step on mse + la·Σp²/N + lk·ΣW² + lb·Σ|b|, by hand. */
function sgdStep(w: M, b: number[], lr: number, la: number, lk: number, lb: number): { w: M; b: number[]; loss: number } {
  const p = forward(w, b);
  const dP = p.map((r, i) => r.map((v, j) => (2 * (v - Y[i]![j]!)) / (N * U) + (2 * la * v) / N));
  const gW = w.map((r, k) => r.map((v, j) => X.reduce((s, x, i) => s + x[k]! * dP[i]![j]!, 0) + 2 * lk * v));
  const gb = b.map((v, j) => dP.reduce((s, r) => s + r[j]!, 0) + lb * Math.sign(v));
  const loss = mse(p) + (la * sumSq(p)) / N + lk * sumSq(w) + lb * sumAbs(b);
  return { w: w.map((r, k) => r.map((v, j) => v - lr * gW[k]![j]!)), b: b.map((v, j) => v - lr * gb[j]!), loss };
}

function tiny(args: Parameters<typeof dense>[0], b0: number[] = B0): hb.Sequential {
  const m = hb.sequential([input({ shape: [3] }), dense(args)]);
  m.layers[0]!.setWeights([W0, b0]);
  return m;
}

describe('regularization in training', () => {
  it('one SGD step follows the gradient of loss + penalties (2λw, λ·sign(b), the activity term)', async () => {
    const [lr, la, lk, lb] = [0.1, 0.05, 0.2, 0.3];
    const m = tiny({ units: U, kernelRegularizer: l2(lk), biasRegularizer: l1(lb), activityRegularizer: l2(la) });
    m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: lr }) });
    const h = await m.fit(X, Y, { epochs: 1, batchSize: N, verbose: 0 });
    const ref = sgdStep(W0, B0, lr, la, lk, lb);
    const [k, b] = m.getWeights();
    assertClose(vals(k!), ref.w.flat(), 1e-5, 1e-7);
    assertClose(vals(b!), ref.b, 1e-5, 1e-7);
    // The logged loss is the total before the update, penalties included (as Keras logs it).
    assertClose([h.history['loss']![0]!], [ref.loss], 1e-5);
    // Without the penalties the step would differ: the test can tell them apart.
    const plain = sgdStep(W0, B0, lr, 0, 0, 0);
    assert.ok(Math.abs(vals(k!)[0]! - plain.w[0]![0]!) > 1e-3);
    hb.dispose([k, b]);
    m.dispose();
  });

  it('evaluate adds the penalties too (Keras compute_loss in test_step)', async () => {
    const m = tiny({ units: U, kernelRegularizer: l2(0.2), activityRegularizer: l1(0.1) });
    m.compile({ loss: 'mse', optimizer: 'sgd' });
    const loss = (await m.evaluate(X, Y, { verbose: 0 })) as number;
    const p = forward(W0, B0);
    assertClose([loss], [mse(p) + (0.1 * sumAbs(p.flat())) / N + 0.2 * sumSq(W0)], 1e-5);
    m.dispose();
  });

  it('losses: the last pass\'s activity penalties, then the weight penalties at the current weights', async () => {
    const [la, lk, lb] = [0.05, 0.2, 0.3];
    const m = tiny({ units: U, kernelRegularizer: l2(lk), biasRegularizer: l1(lb), activityRegularizer: l2(la) });
    m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: 0.1 }) });
    await m.fit(X, Y, { epochs: 1, batchSize: N, verbose: 0 });
    const after = sgdStep(W0, B0, 0.1, la, lk, lb);
    // After fit: the activity penalty of the training pass (the old weights), the weight
    // penalties of the new ones.
    let ls = m.losses;
    assertClose(ls.map((t) => t.item()), [(la * sumSq(forward(W0, B0))) / N, lk * sumSq(after.w), lb * sumAbs(after.b)], 1e-5);
    assert.ok(ls.every((t) => t.rank === 0));
    hb.dispose(ls);
    const pred = await m.predict(X);
    ls = m.losses;
    assertClose([ls[0]!.item()], [(la * sumSq(forward(after.w, after.b))) / N], 1e-5);
    // The layer lists its own; the model gathers its layers'.
    assert.equal(m.layers[0]!.losses.length, 3);
    hb.dispose([...ls, pred]);
    m.dispose();
  });

  it('the sum of a layer\'s losses has the gradient finite differences give (weights and inputs)', () => {
    const d = dense({ units: 2, dtype: 'float64', biasInitializer: 'ones', kernelRegularizer: hb.regularizers.l1l2({ l1: 0.3, l2: 0.2 }), biasRegularizer: l2(0.4), activityRegularizer: l2(0.5) });
    const x = hb.tensor(X, [N, 3], 'float64');
    const total = (xs: hb.Tensor): hb.Tensor => {
      d.apply(xs);
      return d.losses.reduce((acc, t) => hb.add(acc, t));
    };
    total(x);
    hb.checkGradients(total, [x], { name: 'Dense losses', variables: d.weights });
    // And the value: the formulas at the current weights.
    const k = [0, 1, 2].map((i) => vals(d.kernel).slice(i * 2, i * 2 + 2));
    const p = forward(k, [1, 1]);
    assertClose([total(x).item()], [(0.5 * sumSq(p)) / N + 0.3 * sumAbs(k.flat()) + 0.2 * sumSq(k) + 0.4 * 2], 1e-12);
  });

  it('a layer called on its own keeps only its last call\'s penalty; a shared layer in one pass keeps both', () => {
    const d = dense({ units: 1, kernelInitializer: 'ones', useBias: false, activityRegularizer: l1(1) });
    d.apply(hb.tensor([[1, 2]]));
    d.apply(hb.tensor([[3, 4], [5, 6]]));
    assertClose(d.losses.map((t) => t.item()), [(7 + 11) / 2], 1e-6);
    const inp = input({ shape: [1] });
    const shared = dense({ units: 1, kernelInitializer: 'ones', useBias: false, activityRegularizer: l1(1) });
    const fm = hb.model({ inputs: inp, outputs: shared.apply(shared.apply(inp)) });
    const out = fm.apply(hb.tensor([[2], [-3]]));
    assertClose(fm.losses.map((t) => t.item()), [2.5, 2.5], 1e-6);
    out.dispose();
    // A layer both inside a nested model and in the outer one: each penalty counted once.
    const i1 = input({ shape: [1] });
    const inner = hb.model({ inputs: i1, outputs: shared.apply(i1) });
    const i2 = input({ shape: [1] });
    const outer = hb.model({ inputs: i2, outputs: shared.apply(inner.apply(i2)) });
    outer.apply(hb.tensor([[2], [-3]])).dispose();
    assertClose(outer.losses.map((t) => t.item()), [2.5, 2.5], 1e-6);
    // A layer the model does not list (kept in a Map) holds one pass's penalty, not a growing list.
    class Hidden extends Model {
      readonly store = new Map([['d', dense({ units: 1, activityRegularizer: l1(1) })]]);
      override call(x: Tensor | Tensor[]): Tensor {
        return this.store.get('d')!.apply(x);
      }
    }
    const h = new Hidden();
    for (let i = 0; i < 3; i++) h.apply(hb.tensor([[1, 2]])).dispose();
    assert.equal(h.store.get('d')!.activityLosses().length, 1);
  });

  it('a constraint projects the weights right after the update (maxNorm on the kernel, nonNeg on the bias)', async () => {
    const lr = 0.5;
    const b1 = [0.1, -2];
    const m = tiny({ units: U, kernelConstraint: hb.constraints.maxNorm({ maxValue: 0.4 }), biasConstraint: hb.constraints.nonNeg() }, b1);
    m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: lr }) });
    await m.fit(X, Y, { epochs: 1, batchSize: N, verbose: 0 });
    const { w, b } = sgdStep(W0, b1, lr, 0, 0, 0);
    const norms = [0, 1].map((j) => Math.sqrt(w.reduce((s, r) => s + r[j]! ** 2, 0)));
    assert.ok(norms.some((n) => n > 0.4), `the update must leave a column above the cap for the test to mean anything: ${norms}`);
    const capped = w.map((r) => r.map((v, j) => (v * Math.min(norms[j]!, 0.4)) / (1e-7 + norms[j]!)));
    const [k, bias] = m.getWeights();
    assertClose(vals(k!), capped.flat(), 1e-5, 1e-7);
    assertClose(vals(bias!), b.map((v) => Math.max(v, 0)), 1e-5, 1e-7);
    assert.ok(b.some((v) => v < 0), 'a bias went negative before the projection');
    for (let j = 0; j < U; j++) assert.ok(Math.hypot(...[0, 1, 2].map((i) => vals(k!)[i * U + j]!)) <= 0.4 + 1e-6);
    hb.dispose([k, bias]);
    m.dispose();
  });

  it('works in the three model APIs: the logged loss is mse + penalty', async () => {
    class Sub extends Model {
      readonly d = dense({ units: 2, kernelRegularizer: l2(0.1), activityRegularizer: l1(0.05) });
      override call(x: Tensor | Tensor[]): Tensor {
        return this.d.apply(x);
      }
    }
    const inp = input({ shape: [3] });
    const fd = dense({ units: 2, kernelRegularizer: l2(0.1), activityRegularizer: l1(0.05) });
    const models: Model[] = [
      hb.sequential([input({ shape: [3] }), dense({ units: 2, kernelRegularizer: l2(0.1), activityRegularizer: l1(0.05) })]),
      hb.model({ inputs: inp, outputs: fd.apply(inp) }),
      new Sub(),
    ];
    for (const m of models) {
      m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ learningRate: 0 }) });
      const h = await m.fit(X, Y, { epochs: 1, batchSize: N, verbose: 0 });
      const [k, b] = m.getWeights();
      const w = [0, 1, 2].map((i) => vals(k!).slice(i * 2, i * 2 + 2));
      const p = forward(w, vals(b!));
      assertClose([h.history['loss']![0]!], [mse(p) + (0.05 * sumAbs(p.flat())) / N + 0.1 * sumSq(w)], 1e-5, 0, m.className);
      assert.equal(m.losses.length, 2, m.className);
      hb.dispose([k, b]);
      m.dispose();
    }
  });

  it('fit leaves no tensors behind once the model is disposed (the kept activity penalties included)', async () => {
    const t0 = hb.numTensors();
    const m = tiny({ units: U, kernelRegularizer: 'l2', activityRegularizer: 'l1', kernelConstraint: 'maxNorm' });
    m.compile({ loss: 'mse', optimizer: hb.optimizers.sgd({ momentum: 0.9 }) });
    await m.fit(X, Y, { epochs: 2, batchSize: 2, verbose: 0 });
    assert.equal(m.layers[0]!.activityLosses().length, 1);
    m.dispose();
    assert.equal(hb.numTensors(), t0);
  });
});

describe('regularizers and constraints in configs', () => {
  it('Dense round-trips all five slots through JSON, as Keras writes them', () => {
    const d = dense({
      units: 2,
      kernelRegularizer: l1(0.02),
      biasRegularizer: hb.regularizers.l1l2({ l1: 0.1, l2: 0.2 }),
      activityRegularizer: l2(0.3),
      kernelConstraint: hb.constraints.maxNorm({ maxValue: 3, axis: 0 }),
      biasConstraint: hb.constraints.nonNeg(),
    });
    const json = JSON.parse(JSON.stringify(d.getConfig())) as hb.LayerConfig;
    assert.deepEqual(json['kernelRegularizer'], { className: 'L1', config: { l1: 0.02 } });
    assert.deepEqual(json['activityRegularizer'], { className: 'L2', config: { l2: 0.3 } });
    assert.deepEqual(json['kernelConstraint'], { className: 'MaxNorm', config: { maxValue: 3, axis: 0 } });
    const back = hb.deserializeLayer(JSON.parse(JSON.stringify(hb.serializeLayer(d))));
    assert.deepEqual(back.getConfig(), d.getConfig());
    assert.equal(dense({ units: 1 }).getConfig()['activityRegularizer'], null);
  });

  it('PReLU (alpha) and a layer without weights (activity) round-trip; Sequential too', () => {
    const p = hb.layers.prelu({ alphaRegularizer: l2(0.5), alphaConstraint: hb.constraints.nonNeg() });
    assert.deepEqual(hb.deserializeLayer(hb.serializeLayer(p)).getConfig(), p.getConfig());
    const f = hb.layers.flatten({ activityRegularizer: l1(0.2) });
    assert.deepEqual(f.getConfig()['activityRegularizer'], { className: 'L1', config: { l1: 0.2 } });
    assert.deepEqual(hb.deserializeLayer(hb.serializeLayer(f)).getConfig(), f.getConfig());
    assert.equal(hb.layers.flatten().getConfig()['activityRegularizer'], undefined);
    const s = hb.sequential([input({ shape: [3] }), dense({ units: 2, kernelRegularizer: l2(0.1), kernelConstraint: hb.constraints.unitNorm() })]);
    const copy = hb.Sequential.fromConfig(JSON.parse(JSON.stringify(s.getConfig())));
    assert.deepEqual(copy.layers[0]!.getConfig()['kernelRegularizer'], { className: 'L2', config: { l2: 0.1 } });
    assert.deepEqual(copy.layers[0]!.getConfig()['kernelConstraint'], { className: 'UnitNorm', config: { axis: 0 } });
  });

  it('a bad slot in a config, or a misspelt option, is an error naming it', () => {
    const c = { ...dense({ units: 1 }).getConfig(), kernelRegularizer: { className: 'L9', config: {} } };
    assertThrowsWith(() => hb.layers.Dense.fromConfig(c), hb.ValueError, 'Dense.fromConfig: "kernelRegularizer"', 'unknown regularizer {"className":"L9"');
    const c2 = { ...dense({ units: 1 }).getConfig(), biasConstraint: 3 };
    assertThrowsWith(() => hb.layers.Dense.fromConfig(c2), hb.ValueError, 'Dense.fromConfig: "biasConstraint" must be null or a constraint as {className, config}, received 3');
    assertThrowsWith(() => dense({ units: 1, activity_regularizer: l2() } as Parameters<typeof dense>[0]), hb.ValueError, 'unknown option "activity_regularizer"', 'did you mean "activityRegularizer"');
    assertThrowsWith(() => dense({ units: 1, kernelConstraint: 'maxnorms' as 'maxNorm' }), hb.ValueError, 'getConstraint: unknown constraint "maxnorms"');
  });
});
