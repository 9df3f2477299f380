import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { CpuBackend } from '../backends/cpu/cpu_backend.js';
import { DTypeError, ShapeError } from '../core/errors.js';
import { softmaxLast, sparseCrossentropyRows, XENT_HI, XENT_LO } from './primitives_softmax.js';
import { assertClose, assertNoLeak, assertThrowsWith, f64, lcg, onBackend } from '../../test/helpers.js';

/** A cpu backend without the optional kernels: the primitives must fall back to their compositions. */
hb.registerBackend('cpu-nosoftmax', () =>
  Object.assign(new CpuBackend(), { softmax: undefined, softmaxGrad: undefined, sparseCrossentropy: undefined, sparseCrossentropyGrad: undefined }),
);


// Independent float64 references: the textbook formulas in plain JS.
function refSoftmax(x: readonly number[], cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / cols; r++) {
    const row = x.slice(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / s));
  }
  return out;
}

function refXent(p: readonly number[], labels: readonly number[], cols: number, fromLogits: boolean): number[] {
  return labels.map((label, r) => {
    const row = p.slice(r * cols, (r + 1) * cols);
    if (fromLogits) {
      const m = Math.max(...row);
      return m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0)) - (row[label] as number);
    }
    const q = (row[label] as number) / row.reduce((a, b) => a + b, 0);
    return -Math.log(Math.min(Math.max(q, XENT_LO), XENT_HI));
  });
}

const backends = ['cpu', 'wasm', 'cpu-nosoftmax'];

describe('softmax over the last axis (primitive)', () => {
  for (const backend of backends) {
    it(`${backend}: forward equals the float64 formula (float64 ~1e-15, float32 ~1e-6), rank 1-3`, () => {
      onBackend(backend, () =>
        assertNoLeak(() => {
          for (const shape of [[7], [5, 10], [2, 3, 4], [3, 1]]) {
            const n = shape.reduce((a, b) => a * b, 1);
            const cols = shape[shape.length - 1] as number;
            const x = lcg(n, n + 3, -4, 4);
            for (const [dtype, tol] of [
              ['float64', 1e-14],
              ['float32', 2e-6],
            ] as const) {
              const xt = hb.tensor(x, shape, dtype);
              const ref = refSoftmax(Array.from(xt.dataSync()), cols);
              const y = softmaxLast(xt);
              assert.deepEqual([...y.shape], shape);
              assertClose(y.dataSync(), ref, tol, tol, `${backend} ${dtype} ${shape}`);
            }
          }
        }),
      );
    });

    it(`${backend}: logits of +-1000 and infinities stay finite where the formula is`, () => {
      onBackend(backend, () =>
        assertNoLeak(() => {
          const y = softmaxLast(hb.tensor([1000, -1000, 999, -Infinity, 0, Infinity, Infinity, 1], [2, 4]));
          const v = Array.from(y.dataSync());
          assertClose(v.slice(0, 4), [1 / (1 + Math.exp(-1)), 0, Math.exp(-1) / (1 + Math.exp(-1)), 0], 1e-6, 1e-7);
          // A row whose max is +inf: the shift is 0 (as ops/nn.ts), so exp gives inf/inf = NaN, the composed op's answer.
          assert.ok(v.slice(4).some(Number.isNaN), `row with +inf: ${v.slice(4)}`);
        }),
      );
    });
  }

  it('gradient: finite differences (float64, cpu kernels and the composition), and through hb.softmax', () => {
    for (const backend of ['cpu', 'cpu-nosoftmax']) {
      onBackend(backend, () => {
        hb.checkGradients((x) => hb.mul(softmaxLast(x), f64(lcg(12, 9), [3, 4])), [f64(lcg(12, 5, -2, 2), [3, 4])]);
        hb.checkGradients((x) => hb.mul(hb.softmax(x, 2), f64(lcg(24, 8), [2, 3, 4])), [f64(lcg(24, 6, -3, 3), [2, 3, 4])]);
      });
    }
  });

  it('wasm and cpu agree on the gradient (float32, 32x10)', () => {
    const x = lcg(320, 41, -3, 3);
    const seed = lcg(320, 42, -1, 1);
    const run = () =>
      hb.scope(() => {
        const xt = hb.tensor(x, [32, 10]);
        const { grads } = hb.valueAndGrad(() => softmaxLast(xt), [xt], hb.tensor(seed, [32, 10]));
        return Array.from((grads[0] as hb.Tensor).dataSync());
      });
    assertClose(onBackend('wasm', run), onBackend('cpu', run), 1e-5, 1e-7);
  });

  it('hb.softmax on another axis still uses the composition (same values as the formula on the transpose)', () => {
    const x = lcg(12, 77, -2, 2);
    const y = hb.scope(() => Array.from(hb.softmax(hb.transpose(f64(x, [3, 4])), 0).dataSync()));
    // softmax over axis 0 of x^T = softmax over the rows of x, transposed back.
    const rows = refSoftmax(x, 4);
    const expect = [];
    for (let j = 0; j < 4; j++) for (let i = 0; i < 3; i++) expect.push(rows[i * 4 + j] as number);
    assertClose(y, expect, 1e-14, 1e-15);
  });

  it('rejects integer input and scalars, naming the argument', () => {
    assertThrowsWith(() => softmaxLast(hb.tensor([1, 2], [2], 'int32')), DTypeError, 'softmax: x must be float32 or float64', 'int32');
    assertThrowsWith(() => softmaxLast(hb.scalar(1)), ShapeError, 'softmax: x must have rank >= 1', '[]');
  });
});

describe('sparse cross-entropy rows (primitive)', () => {
  const cols = 5;
  const rows = 6;
  const labels = [0, 4, 2, 2, 1, 3];
  // Positive probabilities, rows not normalized (the loss normalizes them), one row at the low clip.
  const probs = lcg(rows * cols, 3, 0.05, 1);
  probs[cols * 1 + 4] = 1e-12; // row 1: q < 1e-7, clipped
  for (const backend of backends) {
    for (const fromLogits of [false, true]) {
      it(`${backend}: forward equals the float64 formula (fromLogits ${fromLogits}, float64 and float32)`, () => {
        onBackend(backend, () =>
          assertNoLeak(() => {
            const p = fromLogits ? lcg(rows * cols, 17, -5, 5) : probs;
            for (const [dtype, tol] of [
              ['float64', 1e-13],
              ['float32', 3e-6],
            ] as const) {
              const pt = hb.tensor(p, [rows, cols], dtype);
              const ref = refXent(Array.from(pt.dataSync()), labels, cols, fromLogits);
              const l = sparseCrossentropyRows(pt, hb.tensor(labels, [rows], 'int32'), fromLogits);
              assert.deepEqual([...l.shape], [rows]);
              assertClose(l.dataSync(), ref, tol, tol, `${backend} ${dtype}`);
            }
          }),
        );
      });
    }
    it(`${backend}: logits of +-1000 give the exact losses 0, 2000 and log 2`, () => {
      onBackend(backend, () =>
        assertNoLeak(() => {
          const l = sparseCrossentropyRows(hb.tensor([1000, -1000, 1000, -1000, 5, 5], [3, 2]), hb.tensor([0, 1, 0], [3], 'int32'), true);
          assertClose(l.dataSync(), [0, 2000, Math.LN2], 1e-6, 1e-6);
        }),
      );
    });
  }

  it('gradient: finite differences in float64, on probabilities and on logits, rank 3', () => {
    for (const backend of ['cpu', 'cpu-nosoftmax']) {
      onBackend(backend, () => {
        const lbl = hb.tensor(labels, [rows], 'int32');
        const w = f64(lcg(rows, 31, 0.5, 2), [rows]);
        // Away from the clip (the clipped case has its own test below: a step of 1e-5 would leave it).
        hb.checkGradients((p) => hb.mul(sparseCrossentropyRows(p, lbl, false), w), [f64(lcg(rows * cols, 3, 0.05, 1), [rows, cols])], { wrt: [0] });
        hb.checkGradients((p) => hb.mul(sparseCrossentropyRows(p, lbl, true), w), [f64(lcg(rows * cols, 17, -5, 5), [rows, cols])], { wrt: [0] });
        const lbl3 = hb.tensor([1, 0, 3, 2], [2, 2], 'int32');
        hb.checkGradients((p) => sparseCrossentropyRows(p, lbl3, true), [f64(lcg(16, 19, -2, 2), [2, 2, 4])]);
      });
    }
  });

  it('where the clip is active (q < 1e-7 or q > 1 - 1e-7) the gradient is zero, as through clip_by_value', () => {
    for (const backend of ['cpu', 'wasm', 'cpu-nosoftmax']) {
      onBackend(backend, () =>
        hb.scope(() => {
          const lossGrad = (p: number[], label: number): number[] => {
            const g = hb.grad((x) => hb.sum(sparseCrossentropyRows(x, hb.tensor([label], [1], 'int32'), false)))(f64(p, [1, p.length]));
            return Array.from(g.dataSync());
          };
          // q = 1e-12 / 0.5 (low clip) and q = 1 / (1 + 2e-12) (high clip).
          for (const [p, label] of [
            [[0.2, 1e-12, 0.3], 1],
            [[1e-12, 1e-12, 1], 2],
          ] as const) {
            assert.ok(lossGrad([...p], label).every((v) => v === 0), `${backend} ${p}`);
          }
          // Open: d(−log(p2/s))/dp_j = 1/s − [j = 2]/p2 = [1, 1, −1] with s = 1, p2 = 0.5.
          assertClose(lossGrad([0.2, 0.3, 0.5], 2), [1, 1, -1], 1e-14, 1e-14, backend);
        }),
      );
    }
  });

  it('wasm and cpu agree on the gradients (float32, 32x10, probabilities and logits)', () => {
    const p = lcg(320, 51, 0.01, 1);
    const z = lcg(320, 52, -4, 4);
    const lbl = Array.from({ length: 32 }, (_, i) => (i * 7) % 10);
    const run = (values: number[], fromLogits: boolean) => () =>
      hb.scope(() => {
        const xt = hb.tensor(values, [32, 10]);
        const g = hb.grad((a) => hb.mean(sparseCrossentropyRows(a, hb.tensor(lbl, [32], 'int32'), fromLogits)))(xt);
        return Array.from(g.dataSync());
      });
    assertClose(onBackend('wasm', run(p, false)), onBackend('cpu', run(p, false)), 1e-5, 1e-8);
    assertClose(onBackend('wasm', run(z, true)), onBackend('cpu', run(z, true)), 1e-5, 1e-8);
  });

  it('a stray class id gives NaN, never a value read from outside the row (cpu and wasm kernels)', () => {
    for (const backend of ['cpu', 'wasm']) {
      onBackend(backend, () =>
        hb.scope(() => {
          const x = hb.tensor([0.5, 0.5, 0.2, 0.8], [2, 2]);
          const ids = hb.tensor([2, -1], [2], 'int32');
          for (const fromLogits of [false, true]) {
            const { value, grads } = hb.valueAndGrad(() => hb.sum(sparseCrossentropyRows(x, ids, fromLogits)), [x]);
            assert.ok(Number.isNaN(value.dataSync()[0]), `${backend} loss`);
            assert.ok(Array.from((grads[0] as hb.Tensor).dataSync()).every(Number.isNaN), `${backend} gradient`);
          }
        }),
      );
    }
  });

  it('rejects wrong dtypes and label shapes, naming the argument, the expected and the received', () => {
    hb.scope(() => {
      const p = hb.tensor(lcg(6, 1, 0.1, 1), [2, 3]);
      assertThrowsWith(() => sparseCrossentropyRows(p, hb.tensor([0, 1], [2]), false), DTypeError, 'labels must be int32', 'float32');
      assertThrowsWith(() => sparseCrossentropyRows(p, hb.tensor([0, 1, 2], [3], 'int32'), false), ShapeError, 'labels must have shape [2]', 'yPred of shape [2, 3]', 'received [3]');
      assertThrowsWith(() => sparseCrossentropyRows(hb.tensor([1, 2], [2], 'int32'), hb.scalar(0, 'int32'), true), DTypeError, 'yPred must be float32 or float64');
    });
  });
});
