/**
 * The fused kernel split over the GEMM workers (fused_host.ts, gemm_jobs.ts's row parts):
 * big calls run by row parts on every thread, and give bit-identical outputs to one thread
 * (each element is computed by the same f32x4 code whoever runs it), for ragged row counts,
 * scalar inputs, several outputs and the optimizers' guard; and the workers really take part.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineFused, type Expr } from '../../ops/fused_builder.js';
import { partStart } from './gemm_jobs.js';
import { WasmBackend } from './wasm_backend.js';

// An Adam-like update under a guard: inputs w, g, m, v, ok (a scalar); params lr, b1, b2, eps.
const step = defineFused('adam-like', 5, 4, (e, xs, ps) => {
  const [w, g, m, v, ok] = xs as [Expr, Expr, Expr, Expr, Expr];
  const [lr, b1, b2, eps] = ps as [Expr, Expr, Expr, Expr];
  const m1 = e.add(m, e.mul(e.sub(g, m), b1));
  const v1 = e.add(v, e.mul(e.sub(e.mul(g, g), v), b2));
  const w1 = e.sub(w, e.div(e.mul(m1, lr), e.add(e.sqrt(v1), eps)));
  return [e.where(ok, w1, w), e.where(ok, m1, m), e.where(ok, v1, v)];
});

async function ready(...bes: WasmBackend[]): Promise<void> {
  const deadline = Date.now() + 10000;
  while (!bes.every((b) => b.gemmThreadReady())) {
    assert.ok(Date.now() < deadline, 'the GEMM workers did not start within 10 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('wasm fused kernel on several threads', () => {
  it('row parts start at multiples of 4 rows, cover every row once and end at the last', () => {
    for (const [rows, parts] of [[784, 2], [300, 2], [203, 3], [5, 4], [1, 2], [1000, 8]] as const) {
      const starts = Array.from({ length: parts + 1 }, (_, t) => partStart(rows, t, parts));
      assert.equal(starts[0], 0);
      assert.equal(starts[parts], rows);
      for (let t = 0; t < parts; t++) {
        assert.ok((starts[t] as number) <= (starts[t + 1] as number), `${rows} rows, ${parts} parts: ${starts.join(' ')}`);
        if (t > 0 && (starts[t] as number) < rows) assert.equal((starts[t] as number) % 4, 0, `${rows} rows, ${parts} parts: ${starts.join(' ')}`);
      }
    }
    assert.deepEqual([0, 1, 2].map((t) => partStart(784, t, 2)), [0, 392, 784]);
  });

  it('splits big calls with 1 and with 3 workers and gives bit-identical outputs to one thread', async () => {
    const one = new WasmBackend({ threads: 1 });
    const two = new WasmBackend({ threads: 2 });
    const four = new WasmBackend({ threads: 4 });
    await ready(two, four);
    let s = 7;
    const rand = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    // The MLP's first kernel, a row count that is not a multiple of 4 (203 x 100), and a long
    // vector (one row: its elements split instead); under a guard of 1 and of 0.
    const cases = [
      [[784, 300], 1],
      [[203, 100], 1],
      [[203, 100], 0],
      [[40000], 1],
    ] as const;
    for (const [shape, ok] of cases) {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      const strides = shape.length === 2 ? [shape[1] as number, 1] : [1];
      const data = [0, 1, 2, 3].map((i) => Float32Array.from({ length: n }, () => (i === 1 ? rand() - 0.5 : i === 3 ? rand() * 1e-3 : rand())));
      const before = [two.gemmWorkerChunks(), four.gemmWorkerChunks()];
      const results = [one, two, four].map((be) => {
        const bufs = data.map((d) => {
          const b = be.alloc(n, 'float32');
          be.write(b, d);
          return b;
        });
        const okBuf = be.alloc(1, 'float32');
        be.write(okBuf, Float32Array.of(ok));
        const inputs = [...bufs.map((buf) => ({ buf, shape: [...shape], strides, offset: 0 })), { buf: okBuf, shape: [...shape], strides: strides.map(() => 0), offset: 0 }];
        const outs = [0, 1, 2].map(() => be.alloc(n, 'float32'));
        // Twice: the second call finds the workers awake and the module already posted.
        for (let r = 0; r < 2; r++) be.fused(step.program, inputs, [1e-3, 0.1, 1e-3, 1e-7], outs);
        const got = outs.map((o) => Array.from(be.readSync(o)));
        for (const b of [...bufs, okBuf, ...outs]) be.free(b);
        return got;
      });
      const what = `[${shape.join(', ')}] under guard ${ok}`;
      assert.deepEqual(results[1], results[0], `${what}, 2 threads`);
      assert.deepEqual(results[2], results[0], `${what}, 4 threads`);
      if (ok === 0) assert.deepEqual(results[0]?.[0], Array.from(data[0] as Float32Array), `${what}: the weights are unchanged`);
      else assert.notDeepEqual(results[0]?.[0], Array.from(data[0] as Float32Array), `${what}: the weights moved`);
      const after = [two.gemmWorkerChunks(), four.gemmWorkerChunks()];
      if (n === 784 * 300) assert.ok((after[0] as number) > (before[0] as number) && (after[1] as number) > (before[1] as number), `${what}: the workers ran no part (${before.join(', ')} -> ${after.join(', ')})`);
    }
    await four.stopThreads();
    await two.stopThreads();
  });
});
