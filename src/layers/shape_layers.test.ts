import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Add, Concatenate, Flatten, Reshape, deserializeLayer, input, serializeLayer, type Layer } from './index.js';
import { f64, lcg, vals, assertClose, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

function assertRoundTrip(layer: Layer, x: hb.Tensor | hb.Tensor[]): void {
  const y = vals(layer.apply(x));
  const copy = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer))));
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  assertClose(vals(copy.apply(x)), y, 0, 0);
}

describe('Flatten', () => {
  it('keeps the batch axis and flattens the rest in row-major order', () => {
    const x = lcg(2 * 3 * 4, 1);
    const y = new Flatten({ dtype: 'float64' }).apply(f64(x, [2, 3, 4]));
    assert.deepEqual(y.shape, [2, 12]);
    assertClose(vals(y), x, 0, 0);
    // A transposed (non-contiguous) input flattens in its logical order.
    const t = new Flatten().apply(hb.transpose(f64([1, 2, 3, 4, 5, 6], [1, 2, 3]), [0, 2, 1]));
    assert.deepEqual(vals(t), [1, 4, 2, 5, 3, 6]);
    assert.deepEqual(new Flatten().apply(hb.ones([3])).shape, [3, 1]);
    assert.deepEqual(new Flatten().apply(hb.ones([0, 2, 2])).shape, [0, 4]);
  });

  it('symbolic shapes, gradient, round trip', () => {
    assert.deepEqual(new Flatten().apply(input({ shape: [28, 28] })).shape, [null, 784]);
    assert.deepEqual(new Flatten().apply(input({ shape: [null, 3] })).shape, [null, null]);
    const f = new Flatten({ dtype: 'float64' });
    hb.checkGradients((x) => hb.mul(f.apply(x), f64(lcg(6, 3), [1, 6])), [f64(lcg(12, 2), [2, 3, 2])], { name: 'Flatten' });
    assertRoundTrip(new Flatten({ name: 'flat' }), hb.ones([2, 2, 2]));
    assertThrowsWith(() => new Flatten({ name: 'f0' }).apply(hb.scalar(1)), hb.ShapeError, 'Flatten "f0" expects inputs of rank at least 1, received shape []');
  });
});

describe('Reshape', () => {
  it('reshapes each sample to targetShape, inferring one -1', () => {
    const x = lcg(2 * 12, 4);
    const y = new Reshape({ targetShape: [3, -1], dtype: 'float64' }).apply(f64(x, [2, 12]));
    assert.deepEqual(y.shape, [2, 3, 4]);
    assertClose(vals(y), x, 0, 0);
    assert.deepEqual(new Reshape({ targetShape: [2, 2, 3] }).apply(hb.ones([5, 3, 4])).shape, [5, 2, 2, 3]);
    assert.deepEqual(new Reshape({ targetShape: [-1, 2] }).apply(input({ shape: [4, 3] })).shape, [null, 6, 2]);
    assert.deepEqual(new Reshape({ targetShape: [-1, 2] }).apply(input({ shape: [null, 2] })).shape, [null, null, 2]);
  });

  it('gradient, round trip, errors', () => {
    const r = new Reshape({ targetShape: [2, 3], dtype: 'float64' });
    hb.checkGradients((x) => hb.mul(r.apply(x), f64(lcg(6, 6), [1, 2, 3])), [f64(lcg(12, 5), [2, 6])], { name: 'Reshape' });
    assertRoundTrip(new Reshape({ targetShape: [-1, 2] }), hb.ones([2, 4]));
    assertThrowsWith(() => new Reshape({ targetShape: [-1, -1] }), hb.ValueError, 'at most one -1');
    assertThrowsWith(() => new Reshape({ targetShape: [2.5] }), hb.ValueError, 'targetShape must be non-negative integers');
    assertThrowsExact(() => new Reshape({ targetShape: [5], name: 'r1' }).apply(hb.ones([2, 3, 4])), hb.ShapeError, 'Reshape "r1" cannot reshape inputs of shape [2, 3, 4] to [batch, 5]');
    assertThrowsExact(() => new Reshape({ targetShape: [5, -1], name: 'r2' }).apply(input({ shape: [12] })), hb.ShapeError, 'Reshape "r2" cannot reshape inputs of shape [null, 12] to [batch, 5, -1]');
  });
});

describe('Concatenate', () => {
  it('joins inputs along the last axis (or the given one)', () => {
    const a = f64([1, 2, 3, 4], [2, 2]);
    const b = f64([5, 6, 7, 8, 9, 10], [2, 3]);
    const y = new Concatenate({ dtype: 'float64' }).apply([a, b]);
    assert.deepEqual(y.shape, [2, 5]);
    assert.deepEqual(vals(y), [1, 2, 5, 6, 7, 3, 4, 8, 9, 10]);
    const z = new Concatenate({ axis: 0, dtype: 'float64' }).apply([a, f64([0, 0], [1, 2])]);
    assert.deepEqual(vals(z), [1, 2, 3, 4, 0, 0]);
    assert.deepEqual(new Concatenate({ axis: 1 }).apply([input({ shape: [2, 3] }), input({ shape: [4, 3] })]).shape, [null, 6, 3]);
    assert.deepEqual(new Concatenate().apply([input({ shape: [2] }), input({ shape: [null] })]).shape, [null, null]);
  });

  it('gradient w.r.t. every input, round trip, errors', () => {
    const c = new Concatenate({ dtype: 'float64' });
    hb.checkGradients((a, b) => c.apply([a as hb.Tensor, b as hb.Tensor]), [f64(lcg(4, 1), [2, 2]), f64(lcg(6, 2), [2, 3])], { name: 'Concatenate' });
    assertRoundTrip(new Concatenate({ axis: 1 }), [hb.ones([1, 2]), hb.zeros([1, 1])]);
    const cc = new Concatenate({ name: 'cc' });
    assertThrowsExact(() => cc.apply([hb.ones([2, 2]), hb.ones([3, 2])]), hb.ShapeError, 'Concatenate "cc" expects inputs with matching shapes except on axis -1, received shapes [2, 2], [3, 2]');
    assertThrowsWith(() => new Concatenate({ name: 'c1' }).apply(hb.ones([2, 2])), hb.ValueError, 'Concatenate "c1" expects a list of at least 1 inputs, received one input');
    assertThrowsWith(() => new Concatenate({ axis: 2 }).apply([input({ shape: [2] }), input({ shape: [2] })]), hb.ShapeError, 'axis 2 is out of range for inputs of rank 2');
  });
});

describe('Add', () => {
  it('sums its inputs elementwise, broadcasting', () => {
    const a = f64([1, 2, 3, 4], [2, 2]);
    const b = f64([10, 20, 30, 40], [2, 2]);
    const c = f64([100, 200], [1, 2]);
    assert.deepEqual(vals(new Add({ dtype: 'float64' }).apply([a, b, c])), [111, 222, 133, 244]);
    assert.deepEqual(new Add().apply([input({ shape: [3] }), input({ shape: [3] })]).shape, [null, 3]);
    assert.deepEqual(new Add().apply([input({ shape: [1] }), input({ shape: [4] })]).shape, [null, 4]);
  });

  it('gradient w.r.t. every input, round trip, errors', () => {
    const add = new Add({ dtype: 'float64' });
    hb.checkGradients((a, b) => add.apply([a as hb.Tensor, b as hb.Tensor]), [f64(lcg(6, 3), [2, 3]), f64(lcg(3, 4), [1, 3])], { name: 'Add' });
    assertRoundTrip(new Add(), [hb.ones([1, 2]), hb.ones([1, 2])]);
    assertThrowsExact(() => new Add({ name: 'ad' }).apply([input({ shape: [3] }), input({ shape: [4] })]), hb.ShapeError, 'Add "ad" expects inputs of broadcast-compatible shapes, received shapes [null, 3], [null, 4]');
  });
});
