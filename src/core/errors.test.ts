import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { fmtReceived } from './errors.js';

describe('fmtReceived', () => {
  it('shows a value as it was given, strings quoted and marked', () => {
    assert.equal(fmtReceived(10), '10');
    assert.equal(fmtReceived(-0), '-0');
    assert.equal(fmtReceived('10'), '"10" (a string)');
    assert.equal(fmtReceived(''), '"" (a string)');
    assert.equal(fmtReceived(true), 'true');
    assert.equal(fmtReceived(undefined), 'undefined');
    assert.equal(fmtReceived(null), 'null');
    assert.equal(fmtReceived(NaN), 'NaN');
    assert.equal(fmtReceived(-Infinity), '-Infinity');
    assert.equal(fmtReceived(10n), '10n (a bigint)');
    assert.equal(fmtReceived(Symbol('s')), 'Symbol(s)');
  });
  it('names functions', () => {
    function relu(): void {}
    assert.equal(fmtReceived(relu), 'a function "relu"');
    assert.equal(fmtReceived(() => 0), 'a function');
  });
  it('abbreviates long strings, arrays and objects', () => {
    assert.equal(fmtReceived('x'.repeat(50)), `"${'x'.repeat(40)}…" (a string)`);
    assert.equal(fmtReceived([1, 'a', null]), '[1, "a", null]');
    assert.equal(fmtReceived([1, 2, 3, 4, 5, 6, 7, 8]), '[1, 2, 3, 4, 5, 6, ... (8 items)]');
    assert.equal(fmtReceived([[1, [2, [3]]]]), '[[1, [...]]]');
    assert.equal(fmtReceived({ units: 10, activation: 'relu' }), '{units: 10, activation: "relu"}');
    assert.equal(fmtReceived({ 'a-b': 1, c: { d: { e: 1 } } }), '{"a-b": 1, c: {d: {...}}}');
    assert.equal(fmtReceived({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }), '{a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, ...}');
    assert.equal(fmtReceived({}), '{}');
  });
  it('names class instances by kind, tensors with shape and dtype', () => {
    hb.scope(() => {
      assert.equal(fmtReceived(hb.zeros([2, 3])), 'a Tensor of shape [2, 3] (float32)');
    });
    assert.equal(fmtReceived(new Map()), 'a Map');
    assert.equal(fmtReceived(new Error('x')), 'an Error');
    assert.equal(fmtReceived(new Float32Array(2)), 'a Float32Array');
  });
  it('survives a cyclic object', () => {
    const o: Record<string, unknown> = { a: 1 };
    o['self'] = o;
    assert.equal(fmtReceived(o), '{a: 1, self: {a: 1, self: {...}}}');
  });
});
