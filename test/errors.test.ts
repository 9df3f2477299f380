/**
 * Misuse from untyped callers (plain JavaScript, JSON configs) must surface as typed HebbErrors
 * that name the op and what was received, never as a TypeError or RangeError from deep inside.
 */
import { describe, it } from 'node:test';
import * as hb from '../src/index.js';
import { assertThrowsExact, assertThrowsWith } from './helpers.js';

/** What an untyped caller can pass: any value, typed as whatever the parameter wants. */
const loose = <T>(v: unknown): T => v as T;

describe('typed errors for untyped misuse', () => {
  it('creation', () => {
    hb.scope(() => {
      assertThrowsExact(() => hb.tensor(loose('abc')), hb.DTypeError, 'tensor: values must be numbers or booleans, received string at values');
      assertThrowsExact(() => hb.tensor(loose([1, 'a'])), hb.DTypeError, 'tensor: values must be numbers or booleans, received string at values[1]');
      assertThrowsExact(() => hb.tensor(loose(null)), hb.DTypeError, 'tensor: values must be numbers or booleans, received null at values');
      assertThrowsExact(() => hb.tensor([1, 2], [2], loose('float16')), hb.DTypeError,
        'tensor: unknown dtype "float16"; expected one of float32, int32, bool, float64');
      assertThrowsWith(() => hb.zeros([2], loose('float16')), hb.DTypeError, 'unknown dtype "float16"');
      assertThrowsExact(() => hb.zeros(loose(3)), hb.ShapeError, 'zeros: shape must be an array of non-negative integers, received 3');
      assertThrowsExact(() => hb.full([2], loose('a')), hb.DTypeError, 'full: value must be a number, received string');
      assertThrowsWith(() => hb.range(0, Infinity), hb.ValueError, 'range', 'finite');
      assertThrowsExact(() => hb.eye(2.5), hb.ValueError, 'eye: n must be a non-negative integer, received 2.5');
      assertThrowsExact(() => hb.variable(loose(3)), hb.DTypeError, 'variable: initial value must be a Tensor, received number; wrap numbers with tensor()');
    });
  });

  it('ops', () => {
    hb.scope(() => {
      const x = hb.tensor([[1, 2, 3], [4, 5, 6]]);
      assertThrowsExact(() => hb.reshape(x, loose(6)), hb.ShapeError, 'reshape: shape must be an array, received 6');
      assertThrowsExact(() => hb.add(x, loose('1')), hb.DTypeError, 'add: b must be a Tensor or a number, received string');
      assertThrowsExact(() => hb.matmul(x, loose(undefined)), hb.DTypeError, 'matmul: b must be a Tensor or a number, received undefined');
      assertThrowsExact(() => hb.mean(x, loose('a')), hb.ValueError, 'mean: axis must be a number or an array of numbers, received a');
      assertThrowsExact(() => hb.cast(x, loose('float16')), hb.DTypeError, 'cast: unknown dtype "float16"; expected one of float32, int32, bool, float64');
      assertThrowsExact(() => hb.variance(x, 2), hb.ValueError, 'variance: axis must be an integer in [-2, 2), received 2');
      assertThrowsExact(() => hb.logSumExp(x, 2), hb.ValueError, 'logSumExp: axis must be an integer in [-2, 2), received 2');
      assertThrowsWith(() => hb.dot(hb.scalar(1), hb.tensor([1])), hb.ShapeError, 'dot', 'rank 1 or 2');
    });
  });

  it('autodiff', () => {
    hb.scope(() => {
      const x = hb.tensor([1]);
      assertThrowsExact(() => hb.valueAndGrad(() => x, loose(x)), hb.ValueError,
        'valueAndGrad: xs must be an array of Tensors (the tensors to differentiate with respect to)');
      assertThrowsExact(() => hb.valueAndGrad(loose(3), [x]), hb.ValueError, 'valueAndGrad: f must be a function, received number');
      assertThrowsExact(() => hb.grad(loose(3)), hb.ValueError, 'grad: f must be a function, received number');
      assertThrowsExact(() => hb.grads(loose(null)), hb.ValueError, 'grads: f must be a function, received object');
    });
  });
});
