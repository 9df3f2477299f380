/**
 * How models hold layers: no model inside itself, one name per layer, and a disposed model
 * refuses every entry point instead of reporting an internal tensor id (or training on).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { DisposedError, ValueError } from '../core/errors.js';
import { resetLayerNames } from '../layers/layer.js';
import { dense, input } from '../layers/index.js';
import { model } from './functional.js';
import { sequential } from './sequential.js';
import { assertThrowsExact } from '../../test/helpers.js';

describe('a model inside itself', () => {
  it('m.add(m) is refused at add, not a stack overflow at the first call', () => {
    const m = sequential([input({ shape: [2] }), dense({ units: 2 })], { name: 'm' });
    assertThrowsExact(() => m.add(m), ValueError, 'Sequential "m".add: a model cannot be added to itself');
    assert.equal(m.layers.length, 1);
  });

  it('so is adding a model that already contains this one (a cycle through a functional model)', () => {
    const s = sequential([dense({ units: 2, name: 'inner_dense' })], { name: 's' });
    const i = input({ shape: [2], name: 'i' });
    const f = model({ inputs: i, outputs: s.apply(i), name: 'f' });
    assertThrowsExact(() => s.add(f), ValueError, 'Sequential "s".add: "f" contains this model; a model cannot be a layer of itself');
    const outer = sequential([f], { name: 'outer' });
    assertThrowsExact(() => s.add(outer), ValueError, 'Sequential "s".add: "outer" contains this model; a model cannot be a layer of itself');
  });

  it('a subclassed model that reaches itself through its properties is refused at every entry point', async () => {
    class Wrapper extends hb.Model {
      inner: hb.Layer | null = null;
      override call(x: hb.Tensor | hb.Tensor[]): hb.Tensor {
        return (this.inner as hb.Layer).apply(x as hb.Tensor);
      }
    }
    const a = new Wrapper({ name: 'a' });
    const b = new Wrapper({ name: 'b' });
    a.inner = b;
    b.inner = a;
    assertThrowsExact(() => a.summary(() => {}), ValueError, 'summary: Wrapper "a" contains itself (through its layers); a model cannot be a layer of itself');
    await assert.rejects(a.predict([[1]]), (e: unknown) => e instanceof ValueError && e.message.startsWith('predict: Wrapper "a" contains itself'));
  });
});

describe('layer names', () => {
  it('two layers with one name in one Sequential model are refused (Keras: "All layer names should be unique")', () => {
    const m = sequential([input({ shape: [2], name: 'x' }), dense({ units: 2, name: 'a' })], { name: 'm' });
    assertThrowsExact(
      () => m.add(dense({ units: 2, name: 'a' })),
      ValueError,
      'Sequential "m".add: the name "a" is used 2 times in the model. All layer names should be unique (pass a distinct name: ... to each layer)',
    );
    assert.throws(() => m.add(dense({ units: 2, name: 'x' })), /the name "x" is used 2 times/);
    assert.deepEqual(m.layers.map((l) => l.name), ['a']);
  });

  it('and in a functional model', () => {
    resetLayerNames();
    const i = input({ shape: [2] });
    const h = dense({ units: 3, name: 'same' }).apply(i);
    const o = dense({ units: 1, name: 'same' }).apply(h);
    assertThrowsExact(
      () => model({ inputs: i, outputs: o, name: 'f' }),
      ValueError,
      'model "f": the name "same" is used 2 times in the model. All layer names should be unique (pass a distinct name: ... to each layer)',
    );
    // A layer shared by two calls is one layer, not two names.
    const shared = dense({ units: 2, name: 'shared' });
    const j = input({ shape: [2] });
    assert.equal(model({ inputs: j, outputs: shared.apply(shared.apply(j)) }).layers.length, 2);
  });
});

describe('a disposed model', () => {
  it('refuses fit, evaluate, predict, apply, getWeights, setWeights, summary, compile and add, naming itself', async () => {
    const m = sequential([input({ shape: [2] }), dense({ units: 1 })], { name: 'gone' });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const ws = m.getWeights();
    m.dispose();
    const msg = (op: string): string => `${op}: Sequential "gone" was disposed; its weights are freed, so it can no longer be used (build a new one)`;
    const is = (op: string) => (e: unknown): boolean => e instanceof DisposedError && e.message === msg(op);
    await assert.rejects(m.fit([[1, 2]], [[1]], { epochs: 50, verbose: 0 }), is('fit'));
    await assert.rejects(m.evaluate([[1, 2]], [[1]], { verbose: 0 }), is('evaluate'));
    await assert.rejects(m.predict([[1, 2]]), is('predict'));
    assert.throws(() => m.apply(hb.tensor([[1, 2]])), is('apply'));
    assert.throws(() => m.getWeights(), is('getWeights'));
    assert.throws(() => m.setWeights(ws), is('setWeights'));
    assert.throws(() => m.summary(() => {}), is('summary'));
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse' }), is('compile'));
    assert.throws(() => m.add(dense({ units: 1 })), is('add'));
    assert.equal(m.isDisposed, true);
    m.dispose(); // a second dispose is a no-op
    hb.dispose(ws);
  });

  it('its layers refuse too, inside another model', () => {
    const d = dense({ units: 1, name: 'd_gone' });
    const m = sequential([input({ shape: [2] }), d]);
    m.dispose();
    const other = sequential([d]);
    assertThrowsExact(() => other.apply(hb.tensor([[1, 2]])), DisposedError, 'apply: Dense "d_gone" was disposed; its weights are freed, so it can no longer be used (build a new one)');
  });
});
