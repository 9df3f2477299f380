/**
 * `trainTestSplit(x, y, {testSize, seed, stratify})`: scikit-learn's `train_test_split` for
 * host arrays. The rows of x and y are split with the same seeded permutation
 * (trainTestSplitIndices), so pairs stay together; the parts are copies.
 */
import type { TypedArray } from '../../core/dtype.js';
import { ShapeError, fmtShape } from '../../core/errors.js';
import { takeRows, trainTestSplitIndices, type HostArray, type SplitOptions } from '../datasets/arrays.js';

export interface TrainTestSplit<X extends TypedArray, Y extends TypedArray> {
  readonly xTrain: HostArray<X>;
  readonly xTest: HostArray<X>;
  readonly yTrain: HostArray<Y>;
  readonly yTest: HostArray<Y>;
  /** The row indices of each part, in the order the rows come out. */
  readonly trainIndices: Int32Array;
  readonly testIndices: Int32Array;
}

export function trainTestSplit<X extends TypedArray, Y extends TypedArray>(x: HostArray<X>, y: HostArray<Y>, options: SplitOptions): TrainTestSplit<X, Y> {
  const n = x.shape[0];
  if (n === undefined || y.shape[0] !== n) {
    throw new ShapeError(`trainTestSplit: x and y need the same number of rows, received shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  }
  const { train, test } = trainTestSplitIndices(n, options);
  return { xTrain: takeRows(x, train), xTest: takeRows(x, test), yTrain: takeRows(y, train), yTest: takeRows(y, test), trainIndices: train, testIndices: test };
}
