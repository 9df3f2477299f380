/**
 * Host arrays: what the dataset loaders return. Data stays in plain typed arrays (as Keras's
 * `load_data` returns NumPy arrays) so a user can slice, subsample or scale it before any
 * tensor is made; `toTensor` turns one into a hebb tensor when it is wanted.
 */
import { type DType, type TypedArray } from '../../core/dtype.js';
import { ShapeError, ValueError, fmtReceived, fmtShape } from '../../core/errors.js';
import { type Tensor } from '../../core/tensor.js';
import { tensor } from '../../ops/creation.js';
import { Generator } from '../../core/random.js';

/** A row-major array with its shape; axis 0 counts samples. */
export interface HostArray<A extends TypedArray = TypedArray> {
  readonly data: A;
  readonly shape: readonly number[];
}

function rowSize(a: HostArray, fn: string): number {
  if (a.shape.length === 0) throw new ShapeError(`${fn}: expected an array with a sample axis, received shape []`);
  let n = 1;
  for (let i = 1; i < a.shape.length; i++) n *= a.shape[i] as number;
  return n;
}

/**
 * A tensor holding the array's values. dtype defaults to float32 for every input, including
 * the uint8 pixels of the image sets: as in the book, scaling (`hb.div(x, 255)`) is left to
 * the user. Labels for sparse losses are usually wanted as 'int32'.
 */
export function toTensor(a: HostArray, dtype: DType = 'float32'): Tensor {
  return tensor(a.data, [...a.shape], dtype);
}

/** Rows [start, end) along axis 0, sharing memory with `a` (like a NumPy slice). */
export function sliceRows<A extends TypedArray>(a: HostArray<A>, start: number, end?: number): HostArray<A> {
  const n = a.shape[0] as number;
  const stop = end === undefined ? n : end;
  if (!Number.isInteger(start) || !Number.isInteger(stop) || start < 0 || stop > n || start > stop) {
    throw new ValueError(`sliceRows: expected 0 <= start <= end <= ${n}, received start ${start}, end ${stop}`);
  }
  const r = rowSize(a, 'sliceRows');
  return { data: a.data.subarray(start * r, stop * r) as A, shape: [stop - start, ...a.shape.slice(1)] };
}

/** The rows listed in `indices`, in that order (a copy), like NumPy's `a[indices]`. */
export function takeRows<A extends TypedArray>(a: HostArray<A>, indices: ArrayLike<number>): HostArray<A> {
  const n = a.shape[0] as number;
  const r = rowSize(a, 'takeRows');
  const Ctor = a.data.constructor as new (len: number) => A;
  const out = new Ctor(indices.length * r);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i] as number;
    if (!Number.isInteger(k) || k < 0 || k >= n) {
      throw new ValueError(`takeRows: index ${k} at position ${i} is out of range for ${n} rows (shape ${fmtShape(a.shape)})`);
    }
    out.set(a.data.subarray(k * r, (k + 1) * r), i * r);
  }
  return { data: out, shape: [indices.length, ...a.shape.slice(1)] };
}

/** One column of a 2-D array (a copy), e.g. one feature of California housing. */
export function column<A extends TypedArray>(a: HostArray<A>, j: number): HostArray<A> {
  if (a.shape.length !== 2) throw new ShapeError(`column: expected a 2-D array, received shape ${fmtShape(a.shape)}`);
  const [n, d] = a.shape as [number, number];
  if (!Number.isInteger(j) || j < 0 || j >= d) throw new ValueError(`column: index ${j} out of range for ${d} columns`);
  const Ctor = a.data.constructor as new (len: number) => A;
  const out = new Ctor(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i * d + j] as number;
  return { data: out, shape: [n] };
}

/** Options of trainTestSplitIndices and trainTestSplit. */
export interface SplitOptions {
  /** A fraction in (0, 1) (the test count is ceil(testSize·n), as scikit-learn rounds) or a whole count. */
  testSize: number;
  seed: number;
  /**
   * Class labels, one per sample: each class then keeps its share in both parts (scikit-learn's
   * `stratify=y`). Class c gets floor(testCount·n_c/n) test samples, and the samples still
   * missing go one each to the classes with the largest remainders (ties: the larger class,
   * then the smaller label), so the counts differ from the exact share by less than one.
   */
  stratify?: ArrayLike<number>;
}

/**
 * A seeded shuffled split of `n` sample indices, like scikit-learn's `train_test_split`.
 * The same seed always gives the same split; both parts come out in shuffled order.
 */
export function trainTestSplitIndices(n: number, opts: SplitOptions): { train: Int32Array; test: Int32Array } {
  const { testSize, seed, stratify } = opts;
  let nTest: number;
  if (testSize > 0 && testSize < 1) nTest = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize) && testSize >= 1 && testSize < n) nTest = testSize;
  else throw new ValueError(`trainTestSplitIndices: testSize must be a fraction in (0, 1) or a count in [1, ${n}), received ${fmtReceived(testSize)}`);
  if (nTest >= n) throw new ValueError(`trainTestSplitIndices: testSize ${testSize} leaves no training samples out of ${n}`);
  const rng = new Generator(seed);
  if (stratify === undefined) {
    const perm = rng.permutation(n);
    return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
  }
  if (stratify.length !== n) throw new ValueError(`trainTestSplitIndices: stratify has ${stratify.length} labels for ${n} samples`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = stratify[i] as number;
    let list = byClass.get(c);
    if (list === undefined) byClass.set(c, (list = []));
    list.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const share = classes.map((c) => {
    const exact = (nTest * (byClass.get(c) as number[]).length) / n;
    return { c, take: Math.floor(exact), rest: exact - Math.floor(exact), size: (byClass.get(c) as number[]).length };
  });
  let left = nTest - share.reduce((a, s) => a + s.take, 0);
  for (const s of [...share].sort((a, b) => b.rest - a.rest || b.size - a.size || a.c - b.c)) {
    if (left === 0) break;
    s.take++;
    left--;
  }
  const test: number[] = [];
  const train: number[] = [];
  for (const s of share) {
    const members = byClass.get(s.c) as number[];
    const perm = rng.permutation(members.length);
    perm.forEach((p, k) => (k < s.take ? test : train).push(members[p] as number));
  }
  const mix = (a: number[]): Int32Array => {
    const p = rng.permutation(a.length);
    return Int32Array.from(p, (k) => a[k] as number);
  };
  return { test: mix(test), train: mix(train) };
}
