/**
 * The capture machinery below the loops: record (recorder.ts), compareTraces (plan.ts) and
 * Plan (replay.ts) on hand-written steps, against values worked out on the host.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { getBackend, scope } from '../core/engine.js';
import type { Tensor } from '../core/tensor.js';
import { record, type Trace } from './recorder.js';
import { compareTraces, type PlanSpec } from './plan.js';
import { Plan } from './replay.js';
import { backendMethods } from './recorder.js';
import { onHost } from './host.js';

function trace(inputs: Tensor[], step: () => void): Trace {
  return record(getBackend(), inputs, () => scope(step), () => []).trace;
}

function planOf(spec: PlanSpec): Plan {
  const b = getBackend() as unknown as Record<string, (...a: unknown[]) => unknown>;
  return new Plan(getBackend(), spec, Object.fromEntries(backendMethods(getBackend()).map((m) => [m, b[m]!])));
}

for (const backend of hb.listBackends().filter((b) => ['cpu', 'wasm', 'native'].includes(b))) {
  describe(`capture machinery on ${backend}`, () => {
    it('w ← 0.5·w + x: two traces make a plan whose replay rotates w and runs the host callback', () => {
      hb.setBackend(backend);
      const w = hb.variable(hb.tensor([1, 2, 3]));
      let count = 0;
      const step = (x: Tensor) => () => {
        w.assign(hb.add(hb.mul(w, 0.5), x));
        onHost(() => count++);
      };
      const xs = [[1, 1, 1], [2, 0, -2], [4, 8, 16], [-1, 0.25, 3]].map((v) => hb.tensor(v));
      // hb.variable shares its initial tensor's storage: the first assign frees nothing, so trace from the second step on.
      scope(() => w.assign(hb.tensor([1, 2, 3])));
      const t1 = trace([xs[0]!], step(xs[0]!));
      const t2 = trace([xs[1]!], step(xs[1]!));
      const c = compareTraces(t1, t2);
      assert.ok('spec' in c, 'reason' in c ? c.reason : '');
      assert.equal(c.spec.roles.length, 1, 'w is the one rotating state');
      const plan = planOf(c.spec);
      const storage = w.storage;
      const want = [1, 2, 3].map((v, i) => {
        let r = v;
        for (const x of xs) r = Math.fround(Math.fround(r * 0.5) + (x.dataSync()[i] as number));
        return r;
      });
      for (const x of xs.slice(2)) {
        assert.ok(plan.valid());
        plan.replay([x]);
      }
      assert.equal(w.storage, storage, 'the Variable keeps its Storage; its buffer was swapped');
      assert.deepEqual(Array.from(w.dataSync()), want);
      assert.equal(count, 4);
      w.assign(hb.tensor([0, 0, 0]));
      assert.equal(plan.valid(), false, 'an assign from outside invalidates the plan');
      plan.dispose();
      hb.dispose([w, ...xs]);
    });

    it('says why two steps do not make a plan: a changing number, a read-back', () => {
      hb.setBackend(backend);
      const w = hb.variable(hb.tensor([1, 2]));
      scope(() => w.assign(hb.tensor([1, 2])));
      let k = 1;
      const scaled = () => w.assign(hb.mul(w, k++));
      const c = compareTraces(trace([], scaled), trace([], scaled));
      assert.ok('reason' in c && /1 in one step, 2 in the next/.test(c.reason), JSON.stringify(c));
      const t = trace([], () => void w.dataSync());
      assert.match(t.refused[0] ?? '', /reads a value back/);
      w.dispose();
    });
  });
}
