/**
 * Binary kernels over 2-D loops: `rows` rows of `cols` elements, out contiguous. Each operand
 * has a row stride (any) and a column stride of 0 or 1 (in elements), which covers contiguous
 * operands, scalars, row-vector broadcasts (a bias: row stride 0, column stride 1) and
 * column broadcasts (x - max(x, -1, keepDims): row stride 1, column stride 0). The host folds
 * anything else into these shapes, copying an operand to a contiguous scratch when it must.
 *
 * Op codes: add 0, sub 1, mul 2, div 3, pow 4, maximum 5, minimum 6 (out has the inputs'
 * dtype); equal 7, notEqual 8, less 9, lessEqual 10, greater 11, greaterEqual 12,
 * logicalAnd 13, logicalOr 14 (out is bool, one byte per element).
 */
import { truncSatI32 } from './math';

// @ts-ignore: decorator
@inline
function arith<T>(op: i32, x: T, y: T): T {
  switch (op) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return x * y;
    case 3: {
      if (isInteger<T>()) {
        // int32 division truncates (i32.div_s), which traps on 0 and on MIN / -1: give what
        // an Int32Array stores for the JavaScript quotient instead (0, and the wrapped value).
        if (y == <T>0) return <T>0;
        if (y == <T>-1) return <T>0 - x;
      }
      return x / y;
    }
    case 4: {
      // pow in double, rounded once; an int32 result converts as cast does (saturating).
      if (isInteger<T>()) return <T>truncSatI32(Math.pow(<f64>x, <f64>y));
      return <T>Math.pow(<f64>x, <f64>y);
    }
    // f32.max / f32.min propagate NaN from either side, as NumPy's maximum does.
    case 5: return max<T>(x, y);
    default: return min<T>(x, y);
  }
}

// @ts-ignore: decorator
@inline
function compare<T>(op: i32, x: T, y: T): u8 {
  switch (op) {
    case 7: return <u8>(x == y);
    case 8: return <u8>(x != y);
    case 9: return <u8>(x < y);
    case 10: return <u8>(x <= y);
    case 11: return <u8>(x > y);
    case 12: return <u8>(x >= y);
    case 13: return <u8>(x != <T>0 && y != <T>0);
    default: return <u8>(x != <T>0 || y != <T>0);
  }
}

// @ts-ignore: decorator
@inline
function vecArith(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case 0: return f32x4.add(x, y);
    case 1: return f32x4.sub(x, y);
    case 2: return f32x4.mul(x, y);
    case 3: return f32x4.div(x, y);
    case 5: return f32x4.max(x, y);
    default: return f32x4.min(x, y);
  }
}

// @ts-ignore: decorator
@inline
function rowsArith<T>(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const pa = a + <usize>(r * ars) * sz;
    const pb = b + <usize>(r * brs) * sz;
    const po = out + <usize>(r * cols) * sz;
    let j = 0;
    if (isFloat<T>() && sizeof<T>() == 4 && op != 4) {
      if (acs == 1 && bcs == 1) {
        for (; j + 4 <= cols; j += 4) {
          const o = <usize>j << 2;
          v128.store(po + o, vecArith(op, v128.load(pa + o), v128.load(pb + o)));
        }
      } else if (acs == 1) {
        const vb = f32x4.splat(load<f32>(pb));
        for (; j + 4 <= cols; j += 4) {
          const o = <usize>j << 2;
          v128.store(po + o, vecArith(op, v128.load(pa + o), vb));
        }
      } else if (bcs == 1) {
        const va = f32x4.splat(load<f32>(pa));
        for (; j + 4 <= cols; j += 4) {
          const o = <usize>j << 2;
          v128.store(po + o, vecArith(op, va, v128.load(pb + o)));
        }
      }
    }
    const sa = <usize>acs * sz;
    const sb = <usize>bcs * sz;
    for (; j < cols; j++) {
      store<T>(po + <usize>j * sz, arith<T>(op, load<T>(pa + <usize>j * sa), load<T>(pb + <usize>j * sb)));
    }
  }
}

/** float32 comparisons as i32x4 masks (NaN compares false, except notEqual: as scalar). */
// @ts-ignore: decorator
@inline
function vecCompare(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case 7: return f32x4.eq(x, y);
    case 8: return f32x4.ne(x, y);
    case 9: return f32x4.lt(x, y);
    case 10: return f32x4.le(x, y);
    case 11: return f32x4.gt(x, y);
    default: return f32x4.ge(x, y);
  }
}

/**
 * 16 float32 comparisons to 16 bool bytes: the four all-ones/zero masks narrow (saturating,
 * so -1 stays -1) to bytes, and `and 1` makes them 0/1.
 */
// @ts-ignore: decorator
@inline
function compare16(op: i32, pa: usize, pb: usize, bScalar: bool, po: usize): void {
  const b0 = bScalar ? f32x4.splat(load<f32>(pb)) : v128.load(pb);
  const b1 = bScalar ? b0 : v128.load(pb, 16);
  const b2 = bScalar ? b0 : v128.load(pb, 32);
  const b3 = bScalar ? b0 : v128.load(pb, 48);
  const lo = i16x8.narrow_i32x4_s(vecCompare(op, v128.load(pa), b0), vecCompare(op, v128.load(pa, 16), b1));
  const hi = i16x8.narrow_i32x4_s(vecCompare(op, v128.load(pa, 32), b2), vecCompare(op, v128.load(pa, 48), b3));
  v128.store(po, v128.and(i8x16.narrow_i16x8_s(lo, hi), i8x16.splat(1)));
}

// @ts-ignore: decorator
@inline
function rowsCompare<T>(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  const sz = <usize>sizeof<T>();
  const sa = <usize>acs * sz;
  const sb = <usize>bcs * sz;
  for (let r = 0; r < rows; r++) {
    const pa = a + <usize>(r * ars) * sz;
    const pb = b + <usize>(r * brs) * sz;
    const po = out + <usize>(r * cols);
    let j = 0;
    if (isFloat<T>() && sizeof<T>() == 4 && op <= 12 && acs == 1) {
      // Contiguous a against contiguous b or a scalar b (x > 0 in relu).
      for (; j + 16 <= cols; j += 16) compare16(op, pa + (<usize>j << 2), pb + (<usize>(j * bcs) << 2), bcs == 0, po + <usize>j);
    }
    for (; j < cols; j++) {
      store<u8>(po + <usize>j, compare<T>(op, load<T>(pa + <usize>j * sa), load<T>(pb + <usize>j * sb)));
    }
  }
}

// @ts-ignore: decorator
@inline
function dispatch<T>(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  switch (op) {
    case 0: rowsArith<T>(0, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 1: rowsArith<T>(1, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 2: rowsArith<T>(2, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 3: rowsArith<T>(3, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 4: rowsArith<T>(4, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 5: rowsArith<T>(5, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 6: rowsArith<T>(6, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 7: rowsCompare<T>(7, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 8: rowsCompare<T>(8, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 9: rowsCompare<T>(9, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 10: rowsCompare<T>(10, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 11: rowsCompare<T>(11, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 12: rowsCompare<T>(12, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 13: rowsCompare<T>(13, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    default: rowsCompare<T>(14, a, b, out, rows, cols, ars, acs, brs, bcs); break;
  }
}

export function binary_f32(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  dispatch<f32>(op, a, b, out, rows, cols, ars, acs, brs, bcs);
}

export function binary_f64(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  dispatch<f64>(op, a, b, out, rows, cols, ars, acs, brs, bcs);
}

export function binary_i32(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  dispatch<i32>(op, a, b, out, rows, cols, ars, acs, brs, bcs);
}

/** bool operands: only comparisons and logical ops reach here (the engine checks dtypes). */
export function binary_u8(op: i32, a: usize, b: usize, out: usize, rows: i32, cols: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  switch (op) {
    case 7: rowsCompare<u8>(7, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 8: rowsCompare<u8>(8, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    case 13: rowsCompare<u8>(13, a, b, out, rows, cols, ars, acs, brs, bcs); break;
    default: rowsCompare<u8>(14, a, b, out, rows, cols, ars, acs, brs, bcs); break;
  }
}

/**
 * where, by element size (the selection moves bits, so float32 and int32 share a loop): the
 * same 2-D loop shape, with cond, a and b each having a row stride and a column stride 0 or 1.
 */
// @ts-ignore: decorator
@inline
function whereRows<T>(c: usize, a: usize, b: usize, out: usize, rows: i32, cols: i32, crs: i32, ccs: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const pc = c + <usize>(r * crs);
    const pa = a + <usize>(r * ars) * sz;
    const pb = b + <usize>(r * brs) * sz;
    const po = out + <usize>(r * cols) * sz;
    let j = 0;
    if (sizeof<T>() == 4 && ccs == 1) {
      // Four bool bytes widen to four lane masks; bitselect picks a or b per lane.
      const va0 = i32x4.splat(load<i32>(pa));
      const vb0 = i32x4.splat(load<i32>(pb));
      for (; j + 4 <= cols; j += 4) {
        const c = v128.load32_zero(pc + <usize>j);
        const mask = i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(c)), i32x4.splat(0));
        const va = acs == 1 ? v128.load(pa + (<usize>j << 2)) : va0;
        const vb = bcs == 1 ? v128.load(pb + (<usize>j << 2)) : vb0;
        v128.store(po + (<usize>j << 2), v128.bitselect(va, vb, mask));
      }
    }
    for (; j < cols; j++) {
      const take = load<u8>(pc + <usize>(j * ccs)) != 0;
      store<T>(po + <usize>j * sz, take ? load<T>(pa + <usize>(j * acs) * sz) : load<T>(pb + <usize>(j * bcs) * sz));
    }
  }
}

export function where_bytes(size: i32, c: usize, a: usize, b: usize, out: usize, rows: i32, cols: i32, crs: i32, ccs: i32, ars: i32, acs: i32, brs: i32, bcs: i32): void {
  if (size == 4) whereRows<u32>(c, a, b, out, rows, cols, crs, ccs, ars, acs, brs, bcs);
  else if (size == 8) whereRows<u64>(c, a, b, out, rows, cols, crs, ccs, ars, acs, brs, bcs);
  else whereRows<u8>(c, a, b, out, rows, cols, crs, ccs, ars, acs, brs, bcs);
}
