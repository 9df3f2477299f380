/**
 * A weight disposed on its own is named (variable, layer, shape) where it is used, not as an
 * anonymous tensor id; a disposed layer or model refuses at its entry point (assertUsable).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertThrowsExact } from '../../test/helpers.js';

describe('disposed weights in messages', () => {
  it('a model whose weight was disposed on its own names the variable, its layer and its shape', async () => {
    const hidden = hb.layers.dense({ units: 3, name: 'dw_hidden' });
    const m = hb.sequential([hb.input({ shape: [4] }), hidden, hb.layers.dense({ units: 1, name: 'dw_out' })]);
    hidden.weights[0]?.dispose();
    await assert.rejects(m.predict([[1, 2, 3, 4]]), (e: unknown) => {
      assert.ok(e instanceof hb.DisposedError, String(e));
      assert.equal(e.message, 'linear: argument w: variable "dw_hidden/kernel" (weight "kernel" of Dense "dw_hidden", shape [4, 3]) was already disposed');
      return true;
    });
    m.dispose();
  });

  it('a disposed model or layer refuses at its entry point, naming itself', async () => {
    const m = hb.sequential([hb.input({ shape: [4] }), hb.layers.dense({ units: 1, name: 'dw_m_out' })], { name: 'dw_model' });
    m.dispose();
    await assert.rejects(m.predict([[1, 2, 3, 4]]), { name: 'DisposedError', message: 'predict: Sequential "dw_model" was disposed; its weights are freed, so it can no longer be used (build a new one)' });
    hb.scope(() => {
      const d = hb.layers.dense({ units: 2, activation: 'relu', useBias: true, name: 'dw_relu' });
      d.apply(hb.zeros([1, 3]));
      d.dispose();
      assertThrowsExact(() => d.apply(hb.zeros([1, 3])), hb.DisposedError, 'apply: Dense "dw_relu" was disposed; its weights are freed, so it can no longer be used (build a new one)');
    });
  });

  it('a variable of its own is named too; plain tensors keep their id', () => {
    hb.scope(() => {
      const v = hb.variable(hb.zeros([2]), { name: 'dw_v' });
      v.dispose();
      assertThrowsExact(() => hb.add(v, 1), hb.DisposedError, 'add: argument a: variable "dw_v" (shape [2]) was already disposed');
      const t = hb.zeros([2, 2]);
      t.dispose();
      assertThrowsExact(() => hb.neg(t), hb.DisposedError, `neg: argument x: tensor ${t.id} of shape [2, 2] was already disposed`);
    });
  });
});
