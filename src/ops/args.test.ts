import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import {
  axesArg, axisArg, boolArg, checkDType, checkFloat, checkIntegerFor, checkNumeric, checkRank, dtypeArg, intArg, intListArg, numberArg,
  optionsArg, shapeArg, tensorArg, tensorLikeArg, tensorListArg,
} from './args.js';
import { assertThrowsExact } from '../../test/helpers.js';

const L = <T>(v: unknown): T => v as T;

describe('argument checkers', () => {
  it('return the checked value', () => {
    hb.scope(() => {
      const t = hb.tensor([1, 2]);
      assert.equal(tensorArg('op', 'x', t), t);
      assert.equal(tensorLikeArg('op', 'x', 3), 3);
      assert.deepEqual(tensorListArg('op', 'xs', [t, t]), [t, t]);
      assert.equal(checkFloat('op', 'x', t), t);
      assert.equal(checkNumeric('op', 'x', t), t);
      assert.equal(checkRank('op', 'x', t, 1, 1), t);
      assert.equal(axisArg('op', 'axis', -1, 3), 2);
      assert.deepEqual(axesArg('op', 'axis', [2, 0], 3), [0, 2]);
      assert.deepEqual(axesArg('op', 'axis', undefined, 2), [0, 1]);
      assert.deepEqual(shapeArg('op', 'shape', [2, 0]), [2, 0]);
      assert.equal(intArg('op', 'n', 3, 0), 3);
      assert.equal(numberArg('op', 'v', -Infinity), -Infinity);
      assert.equal(boolArg('op', 'flag', false), false);
      assert.equal(dtypeArg('op', 'dtype', 'int32'), 'int32');
      assert.deepEqual(intListArg('op', 'perm', [1, 0], 0), [1, 0]);
      assert.deepEqual(optionsArg('op', 'options', undefined), {});
    });
  });

  it('name the op, the argument, what was expected and what was received', () => {
    hb.scope(() => {
      const i = hb.tensor([1], [1], 'int32');
      const b = hb.tensor([true]);
      assertThrowsExact(() => tensorArg('op', 'x', '1'), hb.DTypeError, 'op: x must be a Tensor, received "1" (a string)');
      assertThrowsExact(() => tensorLikeArg('op', 'b', null), hb.DTypeError, 'op: b must be a Tensor or a number, received null');
      assertThrowsExact(() => tensorListArg('op', 'xs', []), hb.ValueError, 'op: xs must hold at least one tensor, received none');
      assertThrowsExact(() => tensorListArg('op', 'xs', [i, 2]), hb.DTypeError, 'op: xs[1] must be a Tensor, received 2');
      assertThrowsExact(() => tensorListArg('op', 'xs', [i, b]), hb.DTypeError, 'op: xs must share one dtype: xs[0] is int32, xs[1] is bool');
      assertThrowsExact(() => checkFloat('op', 'x', i), hb.DTypeError, 'op: x must be float32 or float64, received int32');
      assertThrowsExact(() => checkNumeric('op', 'x', b), hb.DTypeError, 'op: x must be float32, float64 or int32, received bool');
      assertThrowsExact(() => checkDType('op', 'x', b, ['int32']), hb.DTypeError, 'op: x must be int32, received bool');
      assertThrowsExact(() => checkRank('op', 'x', i, 2), hb.ShapeError, 'op: x must have rank >= 2, received shape [1]');
      assertThrowsExact(() => checkRank('op', 'x', i, 0, 0), hb.ShapeError, 'op: x must have rank 0, received shape [1]');
      assertThrowsExact(() => axisArg('op', 'axis', '0', 2), hb.ValueError, 'op: axis must be an integer in [-2, 2), received "0" (a string)');
      assertThrowsExact(() => axisArg('op', 'axis', -1, 0), hb.ValueError, 'op: axis must be an axis, but the tensor has rank 0 (no axes), received -1');
      assertThrowsExact(() => axesArg('op', 'axis', [0, -2], 2), hb.ValueError, 'op: axis must list each axis once, received [0, -2]');
      assertThrowsExact(() => shapeArg('op', 'shape', [2, '3']), hb.ShapeError, 'op: shape must be an array of non-negative integers, received [2, "3"]');
      assertThrowsExact(() => intArg('op', 'n', 1.5, 0), hb.ValueError, 'op: n must be an integer >= 0, received 1.5');
      assertThrowsExact(() => intArg('op', 'n', 9, 0, 3), hb.ValueError, 'op: n must be an integer in [0, 3], received 9');
      assertThrowsExact(() => numberArg('op', 'v', NaN, true), hb.ValueError, 'op: v must be a finite number, received NaN');
      assertThrowsExact(() => boolArg('op', 'keepDims', 1), hb.ValueError, 'op: keepDims must be true or false, received 1');
      assertThrowsExact(() => dtypeArg('op', 'dtype', 'float16'), hb.DTypeError, 'op: dtype must be one of float32, int32, bool, float64, received "float16" (a string)');
      assertThrowsExact(() => intListArg('op', 'begin', 1, 0), hb.ValueError, 'op: begin must be an array of non-negative integers, received 1');
      assertThrowsExact(() => optionsArg('op', 'options', L(5)), hb.ValueError, 'op: options must be an object, received 5');
      assertThrowsExact(() => checkIntegerFor('op', 'b', 0.5, i), hb.DTypeError,
        'op: b is 0.5, which is not an int32 (an integer in [-2147483648, 2147483647]), and the other operand is int32; cast it to a float dtype first');
      assertThrowsExact(() => checkIntegerFor('op', 'b', 2, b), hb.DTypeError, 'op: b is 2, and the other operand is bool; only 0 and 1 stand for false and true');
      const dead = hb.tensor([1]);
      dead.dispose();
      assert.throws(() => tensorArg('op', 'x', dead), /^DisposedError: op: argument x: tensor \d+ of shape \[1\] was already disposed$/);
    });
  });
});
