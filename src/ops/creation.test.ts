import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { vals, assertClose, assertTensor, assertNoLeak, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

describe('creation', () => {
  it('tensor from nested arrays, flat arrays and typed arrays, with inferred dtypes', () => {
    assertNoLeak(() => {
      const a = hb.tensor([[1, 2, 3], [4, 5, 6]]);
      assert.equal(a.dtype, 'float32');
      assertTensor(a, [2, 3], [1, 2, 3, 4, 5, 6]);
      assertTensor(hb.tensor([1, 2, 3, 4], [2, 2]), [2, 2], [1, 2, 3, 4]);
      assertTensor(hb.tensor(7), [], [7]);
      assert.equal(hb.tensor([[true, false]]).dtype, 'bool');
      assert.deepEqual(hb.tensor([[true, false]]).arraySync(), [[true, false]]);
      assert.equal(hb.tensor(new Int32Array([1, 2])).dtype, 'int32');
      assert.equal(hb.tensor(new Float64Array([1, 2])).dtype, 'float64');
      // Floats become int32 through cast (truncation); int32 host data must be int32 values (below).
      assertTensor(hb.cast(hb.tensor([1.7, -1.7], [2]), 'int32'), [2], [1, -1]);
      assert.deepEqual(hb.tensor([0, 2, -0.5, NaN], [4], 'bool').arraySync(), [false, true, true, true]);
      assertTensor(hb.tensor([]), [0], []);
      // the input array is copied, not aliased
      const src = new Float32Array([1, 2]);
      const t = hb.tensor(src);
      src[0] = 99;
      assertTensor(t, [2], [1, 2]);
    });
  });

  it('rejects ragged arrays and wrong sizes', () => {
    assertNoLeak(() => {
      assertThrowsExact(() => hb.tensor([[1, 2], [3]]), hb.ShapeError, 'tensor: ragged nested array at values[1]: expected 2 entries, received 1');
      assertThrowsExact(() => hb.tensor([1, 2, 3], [2, 2]), hb.ShapeError, 'tensor: shape [2, 2] needs 4 values, received 3');
      assertThrowsWith(() => hb.zeros([2, -1]), hb.ShapeError, 'zeros: shape', '[2, -1]');
      assertThrowsWith(() => hb.zeros([1.5]), hb.ShapeError, '[1.5]');
    });
  });

  it('constants: zeros, ones, full, zerosLike, onesLike, scalar, eye', () => {
    assertNoLeak(() => {
      assertTensor(hb.zeros([2, 2]), [2, 2], [0, 0, 0, 0]);
      assertTensor(hb.ones([3], 'int32'), [3], [1, 1, 1]);
      assert.equal(hb.ones([3], 'int32').dtype, 'int32');
      assertTensor(hb.full([2], 2.5), [2], [2.5, 2.5]);
      const x = hb.tensor([[1, 2]], [1, 2], 'float64');
      assert.equal(hb.zerosLike(x).dtype, 'float64');
      assertTensor(hb.onesLike(x), [1, 2], [1, 1]);
      assertTensor(hb.scalar(3), [], [3]);
      assertTensor(hb.eye(3), [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    });
  });

  it('range follows Python (exclusive stop, negative and fractional steps) and linspace includes both ends', () => {
    assertNoLeak(() => {
      assertTensor(hb.range(5), [5], [0, 1, 2, 3, 4]);
      assertTensor(hb.range(2, 8, 3), [2], [2, 5]);
      assertTensor(hb.range(5, 0, -2), [3], [5, 3, 1]);
      assertTensor(hb.range(3, 3), [0], []);
      assertTensor(hb.range(0, 1, 0.25, 'float64'), [4], [0, 0.25, 0.5, 0.75]);
      assert.equal(hb.range(0, 3, 1, 'int32').dtype, 'int32');
      assertThrowsExact(() => hb.range(0, 3, 0), hb.ValueError, 'range: step must not be 0');
      assertClose(vals(hb.linspace(0, 1, 5)), [0, 0.25, 0.5, 0.75, 1], 0, 0);
      assertTensor(hb.linspace(2, 3, 1), [1], [2]);
      assert.equal(vals(hb.linspace(0, 0.3, 4))[3], Math.fround(0.3));
      assert.equal(vals(hb.linspace(-1, 1.1, 7))[6], Math.fround(1.1));
      assertThrowsExact(() => hb.linspace(0, 1, 0), hb.ValueError, 'linspace: n must be an integer >= 1, received 0');
    });
  });

  it('oneHot of int32 indices of any shape; out-of-range ids are errors', () => {
    assertNoLeak(() => {
      const oh = hb.oneHot(hb.tensor([2, 0, 1], [3], 'int32'), 3);
      assert.equal(oh.dtype, 'float32');
      assertTensor(oh, [3, 3], [0, 0, 1, 1, 0, 0, 0, 1, 0]);
      assertTensor(hb.oneHot(hb.tensor([[1], [0]], [2, 1], 'int32'), 2, 'int32'), [2, 1, 2], [0, 1, 1, 0]);
      assertThrowsExact(() => hb.oneHot(hb.tensor([0, 3], [2], 'int32'), 3), hb.ValueError, 'oneHot: indices must be in [0, 3), received 3 at position 1');
      assertThrowsExact(() => hb.oneHot(hb.tensor([0]), 3), hb.DTypeError, 'oneHot: indices must be int32, received float32');
      assertThrowsExact(() => hb.oneHot(hb.tensor([0], [1], 'int32'), 0), hb.ValueError, 'oneHot: depth must be an integer >= 1, received 0');
    });
  });

  it('variable copies its initial value, takes a name and a dtype', () => {
    const init = hb.tensor([1, 2]);
    const v = hb.variable(init, { name: 'w', trainable: false, dtype: 'float64' });
    assert.equal(v.name, 'w');
    assert.equal(v.trainable, false);
    assert.equal(v.dtype, 'float64');
    init.dispose();
    assertTensor(v, [2], [1, 2]);
    const u = hb.variable(hb.tensor([3]));
    assert.match(u.name, /^variable_\d+$/);
    assert.equal(u.trainable, true);
    v.dispose();
    u.dispose();
  });
});

describe('int32 tensors from host numbers: int32 values only', () => {
  const hint = 'which is not an int32 (an integer in [-2147483648, 2147483647])';
  it('tensor refuses fractions, NaN, infinities and out-of-range values, naming the position and the value', () => {
    const b0 = hb.numBuffers();
    assertThrowsWith(() => hb.tensor([1e10], undefined, 'int32'), hb.ValueError, `tensor: values[0] is 10000000000, ${hint}`, 'cast');
    assertThrowsWith(() => hb.tensor([1, NaN], undefined, 'int32'), hb.ValueError, `tensor: values[1] is NaN, ${hint}`);
    assertThrowsWith(() => hb.tensor([[1, 2], [3, 2.5]], undefined, 'int32'), hb.ValueError, `tensor: values[1][1] is 2.5, ${hint}`);
    assertThrowsWith(() => hb.tensor([[0], [-Infinity]], undefined, 'int32'), hb.ValueError, `tensor: values[1][0] is -Infinity, ${hint}`);
    assertThrowsWith(() => hb.tensor([2147483648], undefined, 'int32'), hb.ValueError, `tensor: values[0] is 2147483648, ${hint}`);
    assertThrowsWith(() => hb.tensor([-2147483649], undefined, 'int32'), hb.ValueError, `tensor: values[0] is -2147483649, ${hint}`);
    assertThrowsWith(() => hb.tensor(Float32Array.of(1, 2, 3.5), [3], 'int32'), hb.ValueError, `tensor: values[2] is 3.5, ${hint}`);
    assertThrowsWith(() => hb.tensor(Float64Array.of(0, 1, 2, 3e9), [2, 2], 'int32'), hb.ValueError, `tensor: values[1][1] is 3000000000, ${hint}`);
    assert.equal(hb.numBuffers(), b0);
  });

  it('tensor keeps every int32 value, the range ends and -0 included', () => {
    assertTensor(hb.tensor([-2147483648, 2147483647, -0, 7], undefined, 'int32'), [4], [-2147483648, 2147483647, 0, 7]);
    assertTensor(hb.tensor(Float64Array.of(-2147483648, 2147483647), [2], 'int32'), [2], [-2147483648, 2147483647]);
    assertTensor(hb.tensor(Int32Array.of(5, -5), [2], 'int32'), [2], [5, -5]);
  });

  it('full, scalar and range refuse what int32 cannot hold; arithmetic with a number outside int32 is refused', () => {
    assertThrowsWith(() => hb.full([2], 1e10, 'int32'), hb.ValueError, `full: value[0] is 10000000000, ${hint}`);
    assertThrowsWith(() => hb.scalar(NaN, 'int32'), hb.ValueError, `scalar: value[0] is NaN, ${hint}`);
    assertThrowsWith(() => hb.full([2], 0.5, 'int32'), hb.ValueError, `full: value[0] is 0.5, ${hint}`);
    assertThrowsWith(() => hb.range(0, 2, 0.5, 'int32'), hb.ValueError, 'range: with dtype int32, start, stop and step must be integers, received 0, 2, 0.5');
    assertThrowsWith(() => hb.range(2147483646, 2147483649, 1, 'int32'), hb.ValueError, `range: values[2] is 2147483648, ${hint}`);
    assertTensor(hb.range(-2, 3, 2, 'int32'), [3], [-2, 0, 2]);
    assertTensor(hb.full([2], -2147483648, 'int32'), [2], [-2147483648, -2147483648]);
    const x = hb.tensor([1, 2], undefined, 'int32');
    assertThrowsWith(() => hb.add(x, 1e10), hb.DTypeError, 'add: b is 10000000000, which is not an int32');
    assertTensor(hb.add(x, 2147483646), [2], [2147483647, -2147483648]);
  });
});
