import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as metrics from './index.js';
import { f64, vals, lcg, assertClose, assertNoLeak, assertThrowsWith } from '../../test/helpers.js';

/** A batch stream: 4 batches of different sizes, 3 classes. */
const SIZES = [5, 3, 7, 1];
const N = SIZES.reduce((a, b) => a + b, 0);
const C = 3;
const logits = lcg(N * C, 21, -2, 2);
const labels = lcg(N, 22, 0, C).map(Math.floor);
// Make some predictions right: bump the logit of the true class for every other sample.
labels.forEach((c, i) => {
  if (i % 2 === 0) logits[i * C + c]! += 3;
});
const hot = labels.flatMap((c) => Array.from({ length: C }, (_, j) => (j === c ? 1 : 0)));
const weights = lcg(N, 23, 0, 2);
const argmaxRow = (i: number): number => {
  let best = 0;
  for (let j = 1; j < C; j++) if (logits[i * C + j]! > logits[i * C + best]!) best = j;
  return best;
};
/** Per-sample reference values for each metric, in plain JS. */
const probs = lcg(N * 2, 24, 0, 1);
const bin = lcg(N * 2, 25, 0, 1).map((v) => (v < 0.5 ? 0 : 1));
const reg = lcg(N * 2, 26, -2, 2);
const regT = lcg(N * 2, 27, -2, 2);

interface Case {
  make: () => hb.metrics.Metric;
  yTrue: (lo: number, n: number) => hb.Tensor;
  yPred: (lo: number, n: number) => hb.Tensor;
  perSample: (i: number) => number;
  finish?: (m: number) => number;
}
const pair = (v: number[]) => (lo: number, n: number): hb.Tensor => hb.tensor(v.slice(lo * 2, (lo + n) * 2), [n, 2]);
const CASES: Record<string, Case> = {
  categorical_accuracy: {
    make: () => metrics.categoricalAccuracy(),
    yTrue: (lo, n) => hb.tensor(hot.slice(lo * C, (lo + n) * C), [n, C]),
    yPred: (lo, n) => hb.tensor(logits.slice(lo * C, (lo + n) * C), [n, C]),
    perSample: (i) => (argmaxRow(i) === labels[i] ? 1 : 0),
  },
  sparse_categorical_accuracy: {
    make: () => metrics.sparseCategoricalAccuracy(),
    yTrue: (lo, n) => hb.tensor(labels.slice(lo, lo + n), [n], 'int32'),
    yPred: (lo, n) => hb.tensor(logits.slice(lo * C, (lo + n) * C), [n, C]),
    perSample: (i) => (argmaxRow(i) === labels[i] ? 1 : 0),
  },
  binary_accuracy: {
    make: () => metrics.binaryAccuracy(),
    yTrue: pair(bin),
    yPred: pair(probs),
    perSample: (i) => ((probs[2 * i]! > 0.5 ? 1 : 0) === bin[2 * i] ? 0.5 : 0) + ((probs[2 * i + 1]! > 0.5 ? 1 : 0) === bin[2 * i + 1] ? 0.5 : 0),
  },
  mean_squared_error: {
    make: () => metrics.meanSquaredError(),
    yTrue: pair(regT),
    yPred: pair(reg),
    perSample: (i) => ((reg[2 * i]! - regT[2 * i]!) ** 2 + (reg[2 * i + 1]! - regT[2 * i + 1]!) ** 2) / 2,
  },
  root_mean_squared_error: {
    make: () => metrics.rootMeanSquaredError(),
    yTrue: pair(regT),
    yPred: pair(reg),
    perSample: (i) => ((reg[2 * i]! - regT[2 * i]!) ** 2 + (reg[2 * i + 1]! - regT[2 * i + 1]!) ** 2) / 2,
    finish: Math.sqrt,
  },
  mean_absolute_error: {
    make: () => metrics.meanAbsoluteError(),
    yTrue: pair(regT),
    yPred: pair(reg),
    perSample: (i) => (Math.abs(reg[2 * i]! - regT[2 * i]!) + Math.abs(reg[2 * i + 1]! - regT[2 * i + 1]!)) / 2,
  },
};

/** Streams the batches through m, optionally with weights of shape [batch]. */
function stream(c: Case, m: hb.metrics.Metric, weighted: boolean): void {
  let lo = 0;
  for (const n of SIZES) {
    hb.scope(() => m.update(c.yTrue(lo, n), c.yPred(lo, n), weighted ? hb.tensor(weights.slice(lo, lo + n)) : undefined));
    lo += n;
  }
}

describe('metrics: streaming over batches equals the all-at-once value', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}, unweighted and with sampleWeight`, () => {
      assertNoLeak(() => {
        const per = Array.from({ length: N }, (_, i) => c.perSample(i));
        const fin = c.finish ?? ((v: number): number => v);
        const plain = fin(per.reduce((a, b) => a + b, 0) / N);
        const weighted = fin(per.reduce((a, v, i) => a + v * weights[i]!, 0) / weights.reduce((a, b) => a + b, 0));
        const m = c.make();
        assert.equal(m.name, name);
        stream(c, m, false);
        const r = m.result();
        assert.deepEqual(r.shape, []);
        assertClose(vals(r), [plain], 1e-6, 1e-7, name);
        m.reset();
        assertClose(vals(m.result()), [0], 0, 0, `${name} after reset`);
        stream(c, m, true);
        assertClose(vals(m.result()), [weighted], 1e-6, 1e-7, `${name} weighted`);
        // all at once gives the same
        const once = c.make();
        once.update(c.yTrue(0, N), c.yPred(0, N), hb.tensor(weights));
        assertClose(vals(once.result()), [weighted], 1e-6, 1e-7, `${name} at once`);
        (m as metrics.MeanMetric).dispose();
        (once as metrics.MeanMetric).dispose();
      });
    });
  }

  it('sampleWeight of shape [batch, 1] and a number', () => {
    assertNoLeak(() => {
      const m = metrics.meanAbsoluteError();
      m.update(f64([[0], [0], [0]]), f64([[1], [2], [4]]), f64([[1], [0], [3]]));
      assertClose(vals(m.result()), [(1 + 12) / 4], 1e-7);
      m.update(f64([[0]]), f64([[10]]), 2);
      assertClose(vals(m.result()), [(1 + 12 + 20) / 6], 1e-7);
      assertThrowsWith(() => m.update(f64([[0], [0]]), f64([[1], [2]]), f64([1, 2, 3])), hb.ShapeError, 'sampleWeight', '[3]');
      m.dispose();
    });
  });
});

describe('Mean (the loss average)', () => {
  it('averages scalars weighted by the batch size', () => {
    assertNoLeak(() => {
      const m = new metrics.Mean('loss');
      m.update(hb.scalar(2), 32);
      m.update(hb.scalar(5), 8);
      assertClose(vals(m.result()), [(2 * 32 + 5 * 8) / 40], 1e-7);
      m.update(f64([1, 3]));
      assertClose(vals(m.result()), [(2 * 32 + 5 * 8 + 4) / 42], 1e-7);
      m.reset();
      assert.equal(m.result().item(), 0);
      m.dispose();
    });
  });
});

describe('metrics: no sync point and no leak', () => {
  it('update never reads the device; result only when read', () => {
    const b = hb.getBackend();
    const origRead = b.read.bind(b);
    const origSync = b.readSync?.bind(b);
    let reads = 0;
    b.read = (buf) => {
      reads++;
      return origRead(buf);
    };
    if (origSync) {
      b.readSync = (buf) => {
        reads++;
        return origSync(buf);
      };
    }
    const ms = [metrics.getMetric('accuracy', { lossName: 'sparse_categorical_crossentropy' }), metrics.rootMeanSquaredError(), metrics.binaryAccuracy()];
    const loss = new metrics.Mean('loss');
    try {
      hb.scope(() => {
        const yp = hb.tensor(logits.slice(0, 5 * C), [5, C]);
        ms[0]!.update(hb.tensor(labels.slice(0, 5), [5], 'int32'), yp);
        ms[1]!.update(yp, hb.zerosLike(yp), hb.ones([5]));
        ms[2]!.update(hb.tensor(bin.slice(0, 10), [5, 2]), hb.tensor(probs.slice(0, 10), [5, 2]));
        loss.update(hb.scalar(1.5), 5);
        for (const m of ms) m.result();
        loss.result();
      });
      assert.equal(reads, 0);
    } finally {
      b.read = origRead;
      if (origSync) b.readSync = origSync;
    }
  });

  it('making and resolving metrics allocates nothing until the first update', () => {
    const t0 = hb.numTensors();
    const ms = [metrics.getMetric('accuracy'), metrics.getMetric('mae'), metrics.rootMeanSquaredError(), metrics.accuracy({ kind: 'sparse' })];
    const l = new metrics.Mean();
    assert.equal(hb.numTensors(), t0);
    for (const m of ms) assert.equal(hb.scope(() => m.result().item()), 0);
    assert.equal(hb.scope(() => l.result().item()), 0);
    assert.equal(hb.numTensors(), t0);
  });

  it('1,000 updates leave numTensors and numBuffers flat', () => {
    const m = metrics.getMetric('accuracy', { outputShape: [null, C] });
    const l = new metrics.Mean('loss');
    const yp = hb.tensor(logits.slice(0, 5 * C), [5, C]);
    const yt = hb.tensor(labels.slice(0, 5), [5], 'int32');
    const w = hb.tensor(weights.slice(0, 5));
    hb.scope(() => {
      // the first update resolves the kind and makes the totals
      m.update(yt, yp, w);
      l.update(hb.scalar(0), 5);
    });
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    for (let i = 1; i < 1000; i++) {
      hb.scope(() => {
        m.update(yt, yp, w);
        l.update(hb.scalar(i), 5);
      });
    }
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
    const per = labels.slice(0, 5).map((c, i): number => (argmaxRow(i) === c ? 1 : 0));
    const acc = per.reduce((a, v, i) => a + v * weights[i]!, 0) / weights.slice(0, 5).reduce((a, b) => a + b, 0);
    // float32 running totals (as Keras keeps them) drift ~1e-5 relative over 1,001 additions
    assertClose(vals(m.result()), [acc], 1e-4);
    assertClose(vals(l.result()), [499.5], 1e-6);
    (m as metrics.Accuracy).dispose();
    l.dispose();
    hb.dispose([yp, yt, w]);
  });
});

describe('getMetric', () => {
  it("resolves 'accuracy' from the loss name, then the output shape, then the first batch", () => {
    assertNoLeak(() => {
      const kind = (id: metrics.MetricName, ctx: metrics.MetricContext): metrics.AccuracyKind | null => {
        const m = metrics.getMetric(id, ctx) as metrics.Accuracy;
        const k = m.kind;
        m.dispose();
        return k;
      };
      assert.equal(kind('accuracy', { lossName: 'sparse_categorical_crossentropy', outputShape: [null, 10] }), 'sparse');
      assert.equal(kind('accuracy', { lossName: 'sparseCategoricalCrossentropy' }), 'sparse');
      assert.equal(kind('acc', { lossName: 'categorical_crossentropy', outputShape: [null, 10] }), 'categorical');
      assert.equal(kind('accuracy', { lossName: 'binary_crossentropy', outputShape: [null, 5] }), 'binary');
      assert.equal(kind('accuracy', { lossName: 'mse', outputShape: [null, 1] }), 'binary');
      assert.equal(kind('accuracy', { lossName: 'custom', outputShape: [null, 10] }), null);
      // undecided: the first batch's shapes decide (Keras 3's rule)
      const m = metrics.getMetric('accuracy', {}) as metrics.Accuracy;
      m.update(hb.tensor([2, 0], [2], 'int32'), hb.tensor([[0, 1, 5], [3, 1, 0]]));
      assert.equal(m.kind, 'sparse');
      assert.equal(m.result().item(), 1);
      m.dispose();
      const m2 = metrics.getMetric('accuracy') as metrics.Accuracy;
      m2.update(hb.tensor([[0, 0, 1], [0, 1, 0]]), hb.tensor([[0, 1, 5], [3, 1, 0]]));
      assert.equal(m2.kind, 'categorical');
      assert.equal(m2.result().item(), 0.5);
      m2.dispose();
    });
  });

  it('names: a string is logged as given (Keras 3), an object under its own name', () => {
    const names: metrics.MetricName[] = ['accuracy', 'acc', 'mae', 'mse', 'rmse', 'root_mean_squared_error', 'meanAbsoluteError', 'binary_accuracy'];
    for (const id of names) {
      const m = metrics.getMetric(id, { lossName: 'binary_crossentropy' });
      assert.equal(m.name, id);
      (m as metrics.MeanMetric).dispose();
    }
    const r = metrics.rootMeanSquaredError();
    assert.equal(metrics.getMetric(r), r);
    assert.equal(r.name, 'root_mean_squared_error');
    r.dispose();
    function within1(yt: hb.Tensor, yp: hb.Tensor): hb.Tensor {
      return hb.cast(hb.lessEqual(hb.abs(hb.sub(yt, yp)), 1), 'float32');
    }
    const f = metrics.getMetric(within1) as metrics.MeanMetric;
    assert.equal(f.name, 'within1');
    hb.scope(() => f.update(hb.tensor([0, 0, 0, 0]), hb.tensor([0.5, 2, -1, 3])));
    assert.equal(f.result().item(), 0.5);
    f.dispose();
  });

  it('resolves every name MetricName lists (logged under that name)', () => {
    // Record<MetricName, ...> with no extra keys: the compiler keeps this list equal to the type.
    const all = {
      accuracy: 'accuracy',
      acc: 'accuracy',
      binaryAccuracy: 'binary',
      binary_accuracy: 'binary',
      categoricalAccuracy: 'categorical',
      categorical_accuracy: 'categorical',
      sparseCategoricalAccuracy: 'sparse',
      sparse_categorical_accuracy: 'sparse',
      meanSquaredError: 'mse',
      mean_squared_error: 'mse',
      mse: 'mse',
      meanAbsoluteError: 'mae',
      mean_absolute_error: 'mae',
      mae: 'mae',
      rootMeanSquaredError: 'rmse',
      root_mean_squared_error: 'rmse',
      rmse: 'rmse',
    } satisfies Record<metrics.MetricName, string>;
    // One batch each, against the value of the metric the name stands for, worked by hand:
    // argmax(yp) = [1, 1] against classes [1, 0] → 0.5 (categorical, sparse); thresholded yp
    // [[0, 1], [1, 1]] against yt → rows 1 and 0.5 → 0.75 (binary); yt − yp = [−.2, .2, .4, −.7].
    const yt = [[0, 1], [1, 0]];
    const yp = [[0.2, 0.8], [0.6, 0.7]];
    const want: Record<string, number> = {
      accuracy: 0.5, // categorical, from the loss name
      binary: 0.75,
      categorical: 0.5,
      sparse: 0.5,
      mse: (0.04 + 0.04 + 0.16 + 0.49) / 4,
      mae: (0.2 + 0.2 + 0.4 + 0.7) / 4,
      rmse: Math.sqrt((0.04 + 0.04 + 0.16 + 0.49) / 4),
    };
    for (const [id, kind] of Object.entries(all)) {
      const m = metrics.getMetric(id as metrics.MetricName, { lossName: 'categorical_crossentropy' });
      assert.equal(m.name, id);
      hb.scope(() => m.update(kind === 'sparse' ? hb.tensor([1, 0], [2], 'int32') : hb.tensor(yt), hb.tensor(yp)));
      assertClose([m.result().item()], [want[kind] as number], 1e-6);
      m.dispose?.();
    }
  });

  it('shape errors name the metric; unknown ids are ValueErrors', () => {
    assertNoLeak(() => {
      const m = metrics.categoricalAccuracy();
      assertThrowsWith(() => m.update(hb.tensor([1, 2], [2], 'int32'), hb.zeros([2, 3])), hb.ShapeError, 'categoricalAccuracy', 'one-hot', '[2]');
      const s = metrics.sparseCategoricalAccuracy();
      assertThrowsWith(() => s.update(hb.tensor([1, 2, 0], [3], 'int32'), hb.zeros([2, 3])), hb.ShapeError, 'sparseCategoricalAccuracy', '[3]');
      m.dispose();
      s.dispose();
      // @ts-expect-error: the type rejects the typo; plain JavaScript gets the run-time error
      assertThrowsWith(() => metrics.getMetric('accuracyy'), hb.ValueError, 'getMetric', '"accuracyy"');
    });
  });
});

describe('published values (the Keras documentation examples)', () => {
  it('match', () => {
    assertNoLeak(() => {
      const check = (m: metrics.MeanMetric, yt: hb.NestedArray, yp: hb.NestedArray, expected: number, sw?: number[]): void => {
        m.update(hb.tensor(yt), hb.tensor(yp), sw ? hb.tensor(sw) : undefined);
        assertClose(vals(m.result()), [expected], 0, 5e-4, m.name);
        m.dispose();
      };
      check(metrics.binaryAccuracy(), [[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], 0.75);
      check(metrics.binaryAccuracy(), [[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], 0.5, [1, 0, 0, 1]);
      check(metrics.categoricalAccuracy(), [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], 0.5);
      check(metrics.categoricalAccuracy(), [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], 0.3, [0.7, 0.3]);
      check(metrics.sparseCategoricalAccuracy(), [[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], 0.5);
      check(metrics.sparseCategoricalAccuracy(), [[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], 0.3, [0.7, 0.3]);
      check(metrics.rootMeanSquaredError(), [[0, 1], [0, 0]], [[1, 1], [0, 0]], 0.5);
      check(metrics.rootMeanSquaredError(), [[0, 1], [0, 0]], [[1, 1], [0, 0]], 0.707, [1, 0]);
      check(metrics.meanAbsoluteError(), [[0, 1], [0, 0]], [[1, 1], [0, 0]], 0.25);
      check(metrics.meanSquaredError(), [[0, 1], [0, 0]], [[1, 1], [0, 0]], 0.25);
    });
  });
});
