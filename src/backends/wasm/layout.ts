/**
 * Strided-view arithmetic for the wasm backend's host side: merging dimensions that step
 * through memory as one, so that most views reach a kernel as one or two loops.
 */

export interface Collapsed {
  shape: number[];
  /** One stride list per operand, aligned with `shape`. */
  strides: number[][];
}

/**
 * Merges adjacent dimensions that are contiguous with each other in every operand at once, and
 * drops dimensions of size 1. A contiguous [32, 300] view becomes [9600]; a [32, 300] view of a
 * bias row (strides [0, 1]) stays [32, 300] next to a contiguous operand.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Collapsed {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d] as number;
    if (n === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    for (let o = 0; merge && o < strides.length; o++) {
      const st = outStrides[o] as number[];
      if (st[last] !== ((strides[o] as readonly number[])[d] as number) * n) merge = false;
    }
    if (merge) {
      outShape[last] = (outShape[last] as number) * n;
      for (let o = 0; o < strides.length; o++) (outStrides[o] as number[])[last] = (strides[o] as readonly number[])[d] as number;
    } else {
      outShape.push(n);
      for (let o = 0; o < strides.length; o++) (outStrides[o] as number[]).push((strides[o] as readonly number[])[d] as number);
    }
  }
  return { shape: outShape, strides: outStrides };
}

export function contiguousStridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] as number;
  }
  return s;
}

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * True when the view reads `size` consecutive elements from its offset, in order (dimensions
 * of size 1 may have any stride). Allocation-free: it runs on every kernel call.
 */
export function isDense(shape: readonly number[], strides: readonly number[]): boolean {
  let expect = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    if (n === 1) continue;
    if (strides[d] !== expect) return false;
    expect *= n;
  }
  return true;
}

/**
 * Operands of an elementwise kernel as a 2-D loop over the (contiguous) output: `rows` rows of
 * `cols` elements; operand o's row r starts at rowStrides[o] * r and steps by colStrides[o],
 * which is 0 or 1. Null when the operands do not fit that shape.
 */
export interface Plan2d {
  rows: number;
  cols: number;
  rowStrides: number[];
  colStrides: number[];
}

export function plan2d(shape: readonly number[], strides: readonly (readonly number[])[]): Plan2d | null {
  const c = collapse(shape, [...strides, contiguousStridesOf(shape)]);
  const k = strides.length;
  const rank = c.shape.length;
  if (rank > 2) return null;
  const rowStrides: number[] = [];
  const colStrides: number[] = [];
  for (let o = 0; o < k; o++) {
    const st = c.strides[o] as number[];
    const col = rank === 0 ? 0 : (st[rank - 1] as number);
    if (col !== 0 && col !== 1) return null;
    colStrides.push(col);
    rowStrides.push(rank === 2 ? (st[0] as number) : 0);
  }
  const cols = rank === 0 ? 1 : (c.shape[rank - 1] as number);
  const rows = rank === 2 ? (c.shape[0] as number) : 1;
  return { rows, cols, rowStrides, colStrides };
}
