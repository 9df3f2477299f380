import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as losses from './index.js';
import { f64, vals, lcg, assertClose, assertNoLeak, assertThrowsWith } from '../../test/helpers.js';

const EPS = 1e-7;
const clipP = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);
/** log(1 + e^x) in plain JS, stable. */
const softplusRef = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/** Rows of a flat row-major [n, k] array. */
function rows(v: number[], k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < v.length; i += k) out.push(v.slice(i, i + k));
  return out;
}
const meanOf = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;

describe('regression losses against the formulas', () => {
  it('meanSquaredError, meanAbsoluteError, huber per sample and reduced', () => {
    assertNoLeak(() => {
      const t = lcg(12, 1, -3, 3);
      const p = lcg(12, 2, -3, 3);
      const e = p.map((x, i) => x - t[i]!);
      const hub = (d: number) => (x: number): number => (Math.abs(x) <= d ? 0.5 * x * x : d * (Math.abs(x) - 0.5 * d));
      const cases: [hb.losses.Loss, (x: number) => number][] = [
        [losses.meanSquaredError(), (x) => x * x],
        [losses.meanAbsoluteError(), Math.abs],
        [losses.huber(), hub(1)],
        [losses.huber({ delta: 0.5 }), hub(0.5)],
      ];
      for (const [loss, f] of cases) {
        const per = rows(e.map(f), 4).map(meanOf);
        assertClose(vals(loss.perSample(f64(t, [3, 4]), f64(p, [3, 4]))), per, 1e-13, 1e-15, loss.name);
        assertClose(vals(losses.computeLoss(loss, f64(t, [3, 4]), f64(p, [3, 4]))), [meanOf(per)], 1e-13, 1e-15, loss.name);
        // rank 3: averaged over everything but the batch axis
        assertClose(vals(loss.perSample(f64(t, [2, 3, 2]), f64(p, [2, 3, 2]))), rows(e.map(f), 6).map(meanOf), 1e-13, 1e-15, loss.name);
      }
    });
  });

  it('a flat [batch] target against [batch, 1] predictions is aligned, not broadcast to [batch, batch]', () => {
    assertNoLeak(() => {
      const l = losses.meanSquaredError().perSample(f64([1, 2, 3]), f64([[1.5], [2], [2]]));
      assert.deepEqual(l.shape, [3]);
      assertClose(vals(l), [0.25, 0, 1]);
      // int32 targets are cast to the prediction's dtype
      assertClose(vals(losses.meanAbsoluteError().perSample(hb.tensor([1, 2], [2], 'int32'), f64([0.5, 4]))), [0.5, 2]);
    });
  });

  it('mismatched shapes and non-float predictions are errors naming the loss', () => {
    assertNoLeak(() => {
      assertThrowsWith(() => losses.meanSquaredError().perSample(f64([1, 2, 3]), f64([1, 2])), hb.ShapeError, 'mean_squared_error', '[3]', '[2]');
      assertThrowsWith(() => losses.meanSquaredError().perSample(f64([[1, 2]]), f64([[1], [2]])), hb.ShapeError, 'yTrue', '[1, 2]', '[2, 1]');
      assertThrowsWith(() => losses.meanSquaredError().perSample(hb.tensor([1], [1], 'int32'), hb.tensor([1], [1], 'int32')), hb.DTypeError, 'yPred', 'int32');
      assertThrowsWith(() => losses.huber({ delta: 0 }), hb.ValueError, 'delta');
    });
  });

  it('gradients (finite differences, both arguments; Huber away from |e| = delta)', () => {
    assertNoLeak(() => {
      const t = f64(lcg(8, 3, -2, 2), [4, 2]);
      const p = f64(lcg(8, 4, -2, 2), [4, 2]);
      for (const loss of [losses.meanSquaredError(), losses.meanAbsoluteError(), losses.huber(), losses.huber({ delta: 0.3 })]) {
        hb.checkGradients((a, b) => losses.computeLoss(loss, a, b), [t, p], { name: loss.name });
      }
    });
  });
});

describe('binaryCrossentropy', () => {
  const y = [1, 0, 1, 0, 0.3, 1];
  const p = [0.9, 0.2, 0.35, 0.6, 0.5, 0.99];
  const ref = (yv: number, pv: number): number => -(yv * Math.log(clipP(pv)) + (1 - yv) * Math.log(1 - clipP(pv)));

  it('on probabilities: −[y log p + (1 − y) log(1 − p)], mean over the last axis', () => {
    assertNoLeak(() => {
      const per = rows(y.map((v, i) => ref(v, p[i]!)), 2).map(meanOf);
      assertClose(vals(losses.binaryCrossentropy().perSample(f64(y, [3, 2]), f64(p, [3, 2]))), per, 1e-13);
      assertClose(vals(losses.computeLoss(losses.binaryCrossentropy(), f64(y, [3, 2]), f64(p, [3, 2]))), [meanOf(per)], 1e-13);
    });
  });

  it('fromLogits: y·softplus(−x) + (1 − y)·softplus(x), equal to the probability form at sigmoid(x)', () => {
    assertNoLeak(() => {
      const x = lcg(6, 7, -4, 4);
      const per = y.map((v, i) => v * softplusRef(-x[i]!) + (1 - v) * softplusRef(x[i]!));
      assertClose(vals(losses.binaryCrossentropy({ fromLogits: true }).perSample(f64(y, [6, 1]), f64(x, [6, 1]))), per, 1e-13);
      const probs = x.map((v) => 1 / (1 + Math.exp(-v)));
      assertClose(vals(losses.binaryCrossentropy().perSample(f64(y, [6, 1]), f64(probs, [6, 1]))), per, 1e-9);
    });
  });

  it('labelSmoothing moves targets to y(1 − s) + s/2', () => {
    assertNoLeak(() => {
      const s = 0.2;
      const per = y.map((v, i) => ref(v * (1 - s) + 0.5 * s, p[i]!));
      assertClose(vals(losses.binaryCrossentropy({ labelSmoothing: s }).perSample(f64(y, [6, 1]), f64(p, [6, 1]))), per, 1e-13);
    });
  });

  it('finite at p = 0 and 1 (clipped to [1e-7, 1 − 1e-7]) and at logits ±1000, values and gradients', () => {
    assertNoLeak(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const yt = hb.tensor([1, 0, 1, 0], [4, 1], dtype);
        const pp = hb.tensor([0, 1, 1, 0], [4, 1], dtype);
        const { value, grads } = hb.valueAndGrad(() => losses.computeLoss(losses.binaryCrossentropy(), yt, pp), [pp]);
        // In float32 the clip bounds are float32 numbers: 1 − 1e-7 rounds to 1 − 1.19e-7.
        const r32 = dtype === 'float32' ? Math.fround : (v: number): number => v;
        const expected = (-Math.log(r32(EPS)) - Math.log(1 - r32(1 - EPS))) / 4;
        assertClose(vals(value), [expected], 1e-6, 0, dtype);
        assert.ok(vals(grads[0]!).every(Number.isFinite));
        const lx = hb.tensor([-1000, 1000, 1000, -1000], [4, 1], dtype);
        const r = hb.valueAndGrad(() => losses.computeLoss(losses.binaryCrossentropy({ fromLogits: true }), yt, lx), [lx]);
        assertClose(vals(r.value), [2000 / 4], 1e-7, 0, dtype);
        // d/dx = (sigmoid(x) − y)/batch
        assertClose(vals(r.grads[0]!), [-0.25, 0.25, 0, 0], 1e-7, 1e-12, dtype);
      }
    });
  });

  it('gradients (finite differences) on probabilities and logits', () => {
    assertNoLeak(() => {
      const yt = f64(y, [3, 2]);
      hb.checkGradients((a) => losses.computeLoss(losses.binaryCrossentropy(), yt, a), [f64(p.map((v) => Math.min(v, 0.95)), [3, 2])]);
      hb.checkGradients((a, b) => losses.computeLoss(losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), b, a), [f64(lcg(6, 9, -5, 5), [3, 2]), yt]);
    });
  });
});

describe('categoricalCrossentropy and sparseCategoricalCrossentropy', () => {
  const logits = lcg(12, 11, -3, 3);
  const labels = [2, 0, 3];
  const oneHot = labels.flatMap((c) => [0, 1, 2, 3].map((j) => (j === c ? 1 : 0)));
  const lsm = rows(logits, 4).map((r) => {
    const m = Math.max(...r);
    const lse = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0));
    return r.map((v) => v - lse);
  });
  const refLogits = labels.map((c, i) => -lsm[i]![c]!);
  // Unnormalised "probabilities": rows are divided by their sum first.
  const raw = lcg(12, 12, 0.1, 2);
  const refProbs = rows(raw, 4).map((r, i) => {
    const s = r.reduce((a, b) => a + b, 0);
    return -Math.log(clipP(r[labels[i]!]! / s));
  });

  it('categorical on logits (log-softmax) and on probabilities (rows divided by their sum)', () => {
    assertNoLeak(() => {
      assertClose(vals(losses.categoricalCrossentropy({ fromLogits: true }).perSample(f64(oneHot, [3, 4]), f64(logits, [3, 4]))), refLogits, 1e-13);
      assertClose(vals(losses.categoricalCrossentropy().perSample(f64(oneHot, [3, 4]), f64(raw, [3, 4]))), refProbs, 1e-13);
    });
  });

  it('categorical labelSmoothing: y(1 − s) + s/classes', () => {
    assertNoLeak(() => {
      const s = 0.1;
      const ref = lsm.map((r, i) => -r.reduce((a, v, j) => a + (oneHot[i * 4 + j]! * (1 - s) + s / 4) * v, 0));
      assertClose(vals(losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: s }).perSample(f64(oneHot, [3, 4]), f64(logits, [3, 4]))), ref, 1e-13);
    });
  });

  it('sparse equals categorical on one-hot labels, for float and int32 ids of shape [batch] and [batch, 1]', () => {
    assertNoLeak(() => {
      const sparse = losses.sparseCategoricalCrossentropy({ fromLogits: true });
      for (const ids of [f64(labels), hb.tensor(labels, [3], 'int32'), hb.tensor(labels, [3, 1], 'int32'), hb.tensor(labels, [3, 1])]) {
        assertClose(vals(sparse.perSample(ids, f64(logits, [3, 4]))), refLogits, 1e-13);
      }
      assertClose(vals(losses.sparseCategoricalCrossentropy().perSample(hb.tensor(labels, [3], 'int32'), f64(raw, [3, 4]))), refProbs, 1e-13);
    });
  });

  it('sparse: a label outside [0, classes) or not an integer is a ValueError naming the loss, value and range', () => {
    assertNoLeak(() => {
      const sparse = losses.sparseCategoricalCrossentropy();
      const pr = f64(raw, [3, 4]);
      assertThrowsWith(() => sparse.perSample(hb.tensor([0, 4, 1], [3], 'int32'), pr), hb.ValueError, 'sparse_categorical_crossentropy', 'label 4', '[0, 4)');
      assertThrowsWith(() => sparse.perSample(hb.tensor([0, -1, 1], [3], 'int32'), pr), hb.ValueError, 'label -1', '[0, 4)');
      assertThrowsWith(() => sparse.perSample(f64([0, 1.5, 1]), pr), hb.ValueError, 'label 1.5', '[0, 4)');
      assertThrowsWith(() => sparse.perSample(f64([0, NaN, 1]), pr), hb.ValueError, 'label NaN');
      assertThrowsWith(() => sparse.perSample(f64([0, 1]), pr), hb.ShapeError, 'sparse_categorical_crossentropy', '[3]', '[2]');
      assertThrowsWith(() => losses.categoricalCrossentropy().perSample(f64(labels), pr), hb.ShapeError, 'one-hot', 'sparseCategoricalCrossentropy');
    });
  });

  it('finite at probabilities 0 and 1 and logits ±1000, values and gradients', () => {
    assertNoLeak(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const hot = hb.tensor([[1, 0, 0], [0, 1, 0]], undefined, dtype);
        const probs = hb.tensor([[0, 1, 0], [0, 1, 0]], undefined, dtype);
        const r = hb.valueAndGrad(() => losses.computeLoss(losses.categoricalCrossentropy(), hot, probs), [probs]);
        assertClose(vals(r.value), [-Math.log(EPS) / 2], 1e-6, 1e-6, dtype);
        assert.ok(vals(r.grads[0]!).every(Number.isFinite));
        const lg = hb.tensor([[-1000, 1000, 0], [1000, -1000, 0]], undefined, dtype);
        const r2 = hb.valueAndGrad(() => losses.computeLoss(losses.sparseCategoricalCrossentropy({ fromLogits: true }), hb.tensor([0, 0], [2], 'int32'), lg), [lg]);
        assertClose(vals(r2.value), [2000 / 2], 1e-7, 0, dtype);
        // d/dx = (softmax(x) − onehot)/batch
        assertClose(vals(r2.grads[0]!), [-0.5, 0.5, 0, 0, 0, 0], 1e-7, 1e-12, dtype);
      }
    });
  });

  it('gradients (finite differences) on logits and on probabilities', () => {
    assertNoLeak(() => {
      const hot = f64(oneHot, [3, 4]);
      hb.checkGradients((a) => losses.computeLoss(losses.categoricalCrossentropy({ fromLogits: true }), hot, a), [f64(logits, [3, 4])]);
      hb.checkGradients((a) => losses.computeLoss(losses.categoricalCrossentropy(), hot, a), [f64(raw, [3, 4])]);
      hb.checkGradients((a, ids) => losses.computeLoss(losses.sparseCategoricalCrossentropy({ fromLogits: true }), ids, a), [f64(logits, [3, 4]), hb.tensor(labels, [3], 'int32')]);
      hb.checkGradients((a, ids) => losses.computeLoss(losses.sparseCategoricalCrossentropy(), ids, a), [f64(raw, [3, 4]), hb.tensor(labels, [3], 'int32')]);
    });
  });
});

describe('computeLoss with sampleWeight (Keras sum_over_batch_size)', () => {
  it('sum(w·l)/batch for weights of shape [batch], [batch, 1] and a scalar', () => {
    assertNoLeak(() => {
      const t = f64([0, 0, 0, 0]);
      const p = f64([1, 2, 3, 4]);
      const l = [1, 4, 9, 16];
      const w = [0.5, 0, 2, 1];
      const expected = l.reduce((s, v, i) => s + v * w[i]!, 0) / 4;
      const mse = losses.meanSquaredError();
      assertClose(vals(losses.computeLoss(mse, t, p, f64(w))), [expected]);
      assertClose(vals(losses.computeLoss(mse, t, p, f64(w, [4, 1]))), [expected]);
      assertClose(vals(losses.computeLoss(mse, t, p, 3)), [(3 * 30) / 4]);
      assertClose(vals(losses.computeLoss(mse, t, p, hb.tensor(w))), [expected], 1e-7);
      assertThrowsWith(() => losses.computeLoss(mse, t, p, f64([1, 2])), hb.ShapeError, 'sampleWeight', '[4]', '[2]');
      // gradient wrt predictions carries the weights
      hb.checkGradients((a) => losses.computeLoss(losses.huber(), t, a, f64(w)), [f64([0.3, -2, 0.7, 1.6])]);
    });
  });

  it('an empty batch gives 0, not NaN', () => {
    assertNoLeak(() => {
      assert.equal(losses.computeLoss(losses.meanSquaredError(), hb.zeros([0, 2]), hb.zeros([0, 2])).item(), 0);
    });
  });
});

describe('getLoss', () => {
  it('accepts camelCase, snake_case, Keras class names and the mse/mae aliases', () => {
    const cases: [string, string][] = [
      ['mse', 'mean_squared_error'],
      ['meanSquaredError', 'mean_squared_error'],
      ['mean_squared_error', 'mean_squared_error'],
      ['MeanSquaredError', 'mean_squared_error'],
      ['mae', 'mean_absolute_error'],
      ['huber', 'huber_loss'],
      ['binary_crossentropy', 'binary_crossentropy'],
      ['categoricalCrossentropy', 'categorical_crossentropy'],
      ['sparse_categorical_crossentropy', 'sparse_categorical_crossentropy'],
    ];
    // Class names and 'huber_loss' are accepted at run time only (see LossName).
    for (const [id, name] of cases) assert.equal(losses.getLoss(id as losses.LossName).name, name, id);
  });

  it('returns Loss objects as they are, wraps functions, and round-trips getConfig', () => {
    assertNoLeak(() => {
      const l = losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
      assert.equal(losses.getLoss(l), l);
      const back = losses.getLoss(JSON.parse(JSON.stringify(l.getConfig())) as losses.LossConfig);
      assert.deepEqual(back.getConfig(), { name: 'binary_crossentropy', fromLogits: true, labelSmoothing: 0.1 });
      assert.deepEqual(losses.getLoss(losses.huber({ delta: 2 }).getConfig()).getConfig(), { name: 'huber_loss', delta: 2 });
      function cubic(yt: hb.Tensor, yp: hb.Tensor): hb.Tensor {
        return hb.abs(hb.pow(hb.sub(yp, yt), 3));
      }
      const c = losses.getLoss(cubic);
      assert.equal(c.name, 'cubic');
      assertClose(vals(losses.computeLoss(c, f64([[0, 0], [0, 0]]), f64([[1, 2], [1, 1]]))), [(4.5 + 1) / 2]);
    });
  });

  it('resolves every name LossName lists, each to the loss the camelCase name gives', () => {
    // Record<LossName, ...> with no extra keys: the compiler keeps this list equal to the type.
    const all = {
      meanSquaredError: 'mean_squared_error',
      mean_squared_error: 'mean_squared_error',
      mse: 'mean_squared_error',
      meanAbsoluteError: 'mean_absolute_error',
      mean_absolute_error: 'mean_absolute_error',
      mae: 'mean_absolute_error',
      huber: 'huber_loss',
      binaryCrossentropy: 'binary_crossentropy',
      binary_crossentropy: 'binary_crossentropy',
      categoricalCrossentropy: 'categorical_crossentropy',
      categorical_crossentropy: 'categorical_crossentropy',
      sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
      sparse_categorical_crossentropy: 'sparse_categorical_crossentropy',
    } satisfies Record<losses.LossName, string>;
    for (const [id, name] of Object.entries(all)) assert.equal(losses.getLoss(id as losses.LossName).name, name, id);
  });

  it('rejects unknown names', () => {
    // @ts-expect-error: the type rejects the typo; plain JavaScript gets the run-time error
    assertThrowsWith(() => losses.getLoss('meanSquareError'), hb.ValueError, 'getLoss', '"meanSquareError"', 'mse');
  });
});

describe('published values (the Keras documentation examples, 3 decimals)', () => {
  it('match', () => {
    assertNoLeak(() => {
      const t = hb.tensor([[0, 1], [0, 0]]);
      const p = hb.tensor([[0.6, 0.4], [0.4, 0.6]]);
      const near = (x: hb.Tensor, v: number, what: string): void => assertClose(vals(x), [v], 0, 5e-4, what);
      near(losses.computeLoss(losses.binaryCrossentropy(), t, p), 0.815, 'BinaryCrossentropy');
      near(losses.computeLoss(losses.binaryCrossentropy(), t, p, hb.tensor([1, 0])), 0.458, 'BinaryCrossentropy weighted');
      near(losses.computeLoss(losses.binaryCrossentropy({ fromLogits: true }), hb.tensor([0, 1, 0, 0]), hb.tensor([-18.6, 0.51, 2.94, -12.8])), 0.865, 'BinaryCrossentropy logits');
      near(losses.computeLoss(losses.huber(), t, p), 0.155, 'Huber');
      const mt = hb.tensor([[0, 1], [0, 0]]);
      const mp = hb.tensor([[1, 1], [1, 0]]);
      near(losses.computeLoss(losses.meanSquaredError(), mt, mp), 0.5, 'MeanSquaredError');
      near(losses.computeLoss(losses.meanSquaredError(), mt, mp, hb.tensor([0.7, 0.3])), 0.25, 'MeanSquaredError weighted');
      near(losses.computeLoss(losses.meanAbsoluteError(), mt, mp, hb.tensor([0.7, 0.3])), 0.25, 'MeanAbsoluteError weighted');
      const cp = hb.tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
      near(losses.computeLoss(losses.categoricalCrossentropy(), hb.tensor([[0, 1, 0], [0, 0, 1]]), cp), 1.177, 'CategoricalCrossentropy');
      near(losses.computeLoss(losses.categoricalCrossentropy(), hb.tensor([[0, 1, 0], [0, 0, 1]]), cp, hb.tensor([0.3, 0.7])), 0.814, 'CategoricalCrossentropy weighted');
      near(losses.computeLoss(losses.sparseCategoricalCrossentropy(), hb.tensor([1, 2]), cp), 1.177, 'SparseCategoricalCrossentropy');
    });
  });
});

describe('boolean options of the losses', () => {
  it("fromLogits must be a boolean: 'true' would silently mean false", () => {
    const as = (v: unknown): boolean => v as boolean;
    assertThrowsWith(() => losses.binaryCrossentropy({ fromLogits: as('true') }), hb.ValueError, 'binaryCrossentropy: fromLogits must be true or false, received "true"');
    assertThrowsWith(() => losses.categoricalCrossentropy({ fromLogits: as(1) }), hb.ValueError, 'categoricalCrossentropy: fromLogits must be true or false, received 1');
    assertThrowsWith(() => losses.sparseCategoricalCrossentropy({ fromLogits: as('yes') }), hb.ValueError, 'sparseCategoricalCrossentropy: fromLogits must be true or false, received "yes"');
    assertThrowsWith(() => losses.getLoss({ name: 'binary_crossentropy', fromLogits: 'true' }), hb.ValueError, 'binaryCrossentropy: fromLogits must be true or false, received "true"');
    assert.equal((losses.getLoss({ name: 'binary_crossentropy', fromLogits: true }).getConfig() as { fromLogits: boolean }).fromLogits, true);
  });
});
