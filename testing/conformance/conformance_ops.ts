/**
 * Conformance at the ops level: a handful of hb ops and a small MLP's loss and gradients run
 * with the backend under test active, compared with the same on 'cpu' and with plain-JS
 * references (a hand-written forward and backward pass). This catches what kernel tests cannot:
 * views the engine builds, buffers freed too early, leaks across a whole gradient computation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as hb from '../../src/index.js';
import type { Backend } from '../../src/backends/backend.js';
import { Rng, assertClose, type Tol } from './conformance_util.js';
import { matmulRef } from './conformance_ref.js';

const TOL: Tol = { atol: 2e-5, rtol: 1e-4 };

/** Runs f with `backend` active; returns every output's values and checks nothing leaked. */
async function compute(backend: string, f: () => hb.Tensor[]): Promise<number[][]> {
  const prev = hb.getBackend().name;
  hb.setBackend(backend);
  try {
    const buffers = hb.numBuffers();
    const outs = hb.scope(f);
    const values: number[][] = [];
    for (const t of outs) values.push(Array.from(await t.data()));
    hb.dispose(outs);
    assert.equal(hb.numBuffers(), buffers, `${backend}: buffers leaked by the computation`);
    return values;
  } finally {
    hb.setBackend(prev);
  }
}

function softmaxRef(z: readonly number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = z.slice(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / s));
  }
  return out;
}

const transposeRef = (x: readonly number[], rows: number, cols: number): number[] =>
  Array.from({ length: rows * cols }, (_, i) => x[(i % rows) * cols + Math.floor(i / rows)] as number);

interface Mlp {
  x: number[];
  labels: number[];
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number[];
}
const B = 8;
const D = 5;
const H = 7;
const C = 3;

/** The loss and its gradients by hand: softmax cross-entropy, mean over the batch. */
function mlpRef(p: Mlp): number[][] {
  const pre = matmulRef(p.x, p.w1, 1, B, D, H).values.map((v, i) => v + (p.b1[i % H] as number));
  const h = pre.map((v) => Math.max(v, 0));
  const z = matmulRef(h, p.w2, 1, B, H, C).values.map((v, i) => v + (p.b2[i % C] as number));
  const prob = softmaxRef(z, B, C);
  let loss = 0;
  for (let i = 0; i < B; i++) loss -= Math.log(prob[i * C + (p.labels[i] as number)] as number) / B;
  const dz = prob.map((v, i) => (v - (i % C === p.labels[Math.floor(i / C)] ? 1 : 0)) / B);
  const dw2 = matmulRef(transposeRef(h, B, H), dz, 1, H, B, C).values;
  const db2 = Array.from({ length: C }, (_, j) => dz.filter((_, i) => i % C === j).reduce((a, b) => a + b, 0));
  const dh = matmulRef(dz, transposeRef(p.w2, H, C), 1, B, C, H).values;
  const dpre = dh.map((v, i) => ((pre[i] as number) > 0 ? v : 0));
  const dw1 = matmulRef(transposeRef(p.x, B, D), dpre, 1, D, B, H).values;
  const db1 = Array.from({ length: H }, (_, j) => dpre.filter((_, i) => i % H === j).reduce((a, b) => a + b, 0));
  return [[loss], dw1, db1, dw2, db2];
}

function mlpOps(p: Mlp): hb.Tensor[] {
  const x = hb.tensor(p.x, [B, D]);
  const y = hb.oneHot(hb.tensor(p.labels, [B], 'int32'), C);
  const params = [hb.tensor(p.w1, [D, H]), hb.tensor(p.b1, [H]), hb.tensor(p.w2, [H, C]), hb.tensor(p.b2, [C])];
  const [w1, b1, w2, b2] = params as [hb.Tensor, hb.Tensor, hb.Tensor, hb.Tensor];
  const { value, grads } = hb.valueAndGrad(() => {
    const h = hb.relu(hb.add(hb.matmul(x, w1), b1));
    const logp = hb.logSoftmax(hb.add(hb.matmul(h, w2), b2));
    return hb.neg(hb.mean(hb.sum(hb.mul(y, logp), -1)));
  }, params);
  return [value, ...grads];
}

export function opsCases(name: string, make: () => Backend): void {
  describe('ops level, against cpu and plain-JS references', () => {
    if (!hb.listBackends().includes(name)) hb.registerBackend(name, make, -1000);
    const rng = new Rng(100);
    const a = rng.uniform(33 * 65, -1, 1);
    const b = rng.uniform(65 * 17, -1, 1);
    const xs = rng.uniform(32 * 78, -1, 1);
    const dy = rng.uniform(32 * 30, -1, 1);
    const logits = rng.uniform(6 * 10, -50, 50);
    const cube = rng.uniform(4 * 5 * 6, -3, 3);
    const batched = rng.uniform(2 * 3 * 4 * 5, -1, 1);
    const rhs = rng.uniform(5 * 6, -1, 1);

    const ops = (): hb.Tensor[] => {
      const c = hb.tensor(cube, [4, 5, 6]);
      return [
        hb.matmul(hb.tensor(a, [33, 65]), hb.tensor(b, [65, 17])),
        // x^T dy with x given as a transposed view: the Dense backprop product.
        hb.matmul(hb.tensor(xs, [32, 78]), hb.tensor(dy, [32, 30]), true, false),
        hb.softmax(hb.tensor(logits, [6, 10])),
        hb.matmul(hb.tensor(batched, [2, 3, 4, 5]), hb.tensor(rhs, [5, 6])),
        hb.sum(c, 0),
        hb.max(c, [0, 2]),
        hb.argmax(hb.transpose(c, [2, 0, 1]), 1),
        hb.add(hb.slice(c, [1, 0, 2], [2, 5, 3]), hb.tensor(rhs.slice(0, 3), [3])),
        hb.where(hb.greater(c, 0), hb.sqrt(hb.abs(c)), hb.exp(c)),
      ];
    };

    it('matmul (plain, transposed view, batch broadcast), softmax, reductions, where', async () => {
      const got = await compute(name, ops);
      const want = await compute('cpu', ops);
      got.forEach((g, i) => assertClose(g, want[i] as number[], TOL, `${name} vs cpu, op #${i}`));
      assertClose(got[0] as number[], matmulRef(a, b, 1, 33, 65, 17).values, TOL, 'matmul vs plain JS');
      assertClose(got[1] as number[], matmulRef(transposeRef(xs, 32, 78), dy, 1, 78, 32, 30).values, TOL, 'transposed matmul vs plain JS');
      assertClose(got[2] as number[], softmaxRef(logits.map(Math.fround), 6, 10), TOL, 'softmax vs plain JS');
    });

    it('valueAndGrad of a small MLP loss matches cpu and a hand-written backward pass', async () => {
      const r = new Rng(101);
      const p: Mlp = {
        x: r.uniform(B * D, -1, 1).map(Math.fround),
        labels: r.ints(B, 0, C - 1),
        w1: r.uniform(D * H, -1, 1).map(Math.fround),
        b1: r.uniform(H, -0.1, 0.1).map(Math.fround),
        w2: r.uniform(H * C, -1, 1).map(Math.fround),
        b2: r.uniform(C, -0.1, 0.1).map(Math.fround),
      };
      const got = await compute(name, () => mlpOps(p));
      const want = await compute('cpu', () => mlpOps(p));
      const ref = mlpRef(p);
      const names = ['loss', 'dW1', 'db1', 'dW2', 'db2'];
      got.forEach((g, i) => {
        assertClose(g, want[i] as number[], TOL, `${name} vs cpu: ${names[i]}`);
        assertClose(g, ref[i] as number[], TOL, `${name} vs hand-written backprop: ${names[i]}`);
      });
    });
  });
}
