import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { broadcastShapes, contiguousStrides, isContiguous, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from './shape.js';
import { ShapeError, ValueError, HebbError, DTypeError, DisposedError, BackendError, fmtShape } from './errors.js';

describe('shape helpers', () => {
  it('sizeOf, contiguousStrides, isContiguous, shapesEqual', () => {
    assert.equal(sizeOf([]), 1);
    assert.equal(sizeOf([2, 0, 3]), 0);
    assert.equal(sizeOf([2, 3, 4]), 24);
    assert.deepEqual(contiguousStrides([2, 3, 4]), [12, 4, 1]);
    assert.ok(isContiguous([2, 3], [3, 1]));
    assert.ok(!isContiguous([2, 3], [1, 2]));
    assert.ok(isContiguous([1, 3], [99, 1]), 'strides of size-1 dims do not matter');
    assert.ok(shapesEqual([2, 3], [2, 3]));
    assert.ok(!shapesEqual([2, 3], [3, 2]));
    assert.ok(!shapesEqual([2], [2, 1]));
  });

  it('broadcastShapes follows NumPy and names the op, both shapes and the dimension', () => {
    assert.deepEqual(broadcastShapes('op', [8, 1, 6, 1], [7, 1, 5]), [8, 7, 6, 5]);
    assert.deepEqual(broadcastShapes('op', [], [3]), [3]);
    assert.deepEqual(broadcastShapes('op', [0], [1]), [0]);
    assert.throws(() => broadcastShapes('add', [2, 1], [8, 4, 3]), (e: unknown) => {
      assert.ok(e instanceof ShapeError);
      assert.equal((e as Error).message, 'add: shapes [2, 1] and [8, 4, 3] cannot be broadcast together (dimension -2 is 2 and 4)');
      return true;
    });
  });

  it('normalizeAxis / normalizeAxes', () => {
    assert.equal(normalizeAxis('op', -1, 3), 2);
    assert.throws(() => normalizeAxis('op', 3, 3), ValueError);
    assert.throws(() => normalizeAxis('op', 0.5, 3), ValueError);
    assert.deepEqual(normalizeAxes('op', undefined, 3), [0, 1, 2]);
    assert.deepEqual(normalizeAxes('op', [-1, 0], 3), [0, 2]);
    assert.throws(() => normalizeAxes('op', [0, -3], 3), /axis must list each axis once/);
  });
});

describe('errors', () => {
  it('are typed, share HebbError, carry their class name, and fmtShape formats shapes', () => {
    for (const C of [ShapeError, DTypeError, ValueError, DisposedError, BackendError]) {
      const e = new C('m');
      assert.ok(e instanceof HebbError);
      assert.ok(e instanceof Error);
      assert.equal(e.name, C.name);
      assert.equal(e.message, 'm');
    }
    assert.equal(fmtShape([32, 784]), '[32, 784]');
    assert.equal(fmtShape([]), '[]');
  });
});
