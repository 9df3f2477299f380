/**
 * Data movement: the strided copy every non-contiguous view goes through, cast between dtypes,
 * gather and scatterAdd. Dtype codes: float32 0, int32 1, bool 2 (one byte), float64 3.
 */
import { truncSatI32 } from './math';

// @ts-ignore: decorator
@inline
function innerCopy<T>(src: usize, dst: usize, n: i32, ss: i32, ds: i32): void {
  const sz = <usize>sizeof<T>();
  if (ss == 1 && ds == 1) {
    memory.copy(dst, src, <usize>n * sz);
  } else if (ss == 0) {
    // A broadcast source (stride 0): one value repeated.
    const v = load<T>(src);
    for (let i = 0; i < n; i++) store<T>(dst + <usize>(i * ds) * sz, v);
  } else {
    for (let i = 0; i < n; i++) store<T>(dst + <usize>(i * ds) * sz, load<T>(src + <usize>(i * ss) * sz));
  }
}

/**
 * Copies a strided view into another strided view of the same shape. `p` points at 4 * rank
 * int32s: shape, source strides, destination strides (in elements), then scratch counters.
 * Offsets are already folded into src and dst (byte addresses).
 */
// @ts-ignore: decorator
@inline
function copyRank<T>(src: usize, dst: usize, rank: i32, p: usize): void {
  const sz = <usize>sizeof<T>();
  const last = <usize>(rank - 1) << 2;
  const rk = <usize>rank << 2;
  const n = load<i32>(p + last);
  const ss = load<i32>(p + rk + last);
  const ds = load<i32>(p + 2 * rk + last);
  const cnt = p + 3 * rk;
  let outer = 1;
  for (let d = 0; d < rank - 1; d++) {
    outer *= load<i32>(p + (<usize>d << 2));
    store<i32>(cnt + (<usize>d << 2), 0);
  }
  let so = 0;
  let dof = 0;
  for (let o = 0; o < outer; o++) {
    innerCopy<T>(src + <usize>so * sz, dst + <usize>dof * sz, n, ss, ds);
    for (let d = rank - 2; d >= 0; d--) {
      const off = <usize>d << 2;
      const c = load<i32>(cnt + off) + 1;
      const sst = load<i32>(p + rk + off);
      const dst2 = load<i32>(p + 2 * rk + off);
      if (c < load<i32>(p + off)) {
        store<i32>(cnt + off, c);
        so += sst;
        dof += dst2;
        break;
      }
      store<i32>(cnt + off, 0);
      so -= (c - 1) * sst;
      dof -= (c - 1) * dst2;
    }
  }
}

export function copy_nd(size: i32, src: usize, dst: usize, rank: i32, p: usize): void {
  if (size == 4) copyRank<u32>(src, dst, rank, p);
  else if (size == 8) copyRank<u64>(src, dst, rank, p);
  else copyRank<u8>(src, dst, rank, p);
}

// @ts-ignore: decorator
@inline
function conv<S, D>(v: S): D {
  if (sizeof<D>() == 1) return <D>(v != <S>0); // to bool: nonzero (NaN included) is true
  // Truncation toward zero, saturating, NaN to 0 (math.ts): never wasm's trapping truncation.
  if (isInteger<D>() && isFloat<S>()) return <D>truncSatI32(<f64>v);
  return <D>v;
}

// @ts-ignore: decorator
@inline
function castLoop<S, D>(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<D>(out + <usize>i * sizeof<D>(), conv<S, D>(load<S>(x + <usize>i * sizeof<S>())));
  }
}

// @ts-ignore: decorator
@inline
function castFrom<S>(to: i32, x: usize, out: usize, n: i32): void {
  if (to == 0) castLoop<S, f32>(x, out, n);
  else if (to == 1) castLoop<S, i32>(x, out, n);
  else if (to == 2) castLoop<S, u8>(x, out, n);
  else castLoop<S, f64>(x, out, n);
}

/** Contiguous cast; the host copies a strided source to a contiguous scratch first. */
export function cast(from: i32, to: i32, x: usize, out: usize, n: i32): void {
  if (from == 0) castFrom<f32>(to, x, out, n);
  else if (from == 1) castFrom<i32>(to, x, out, n);
  else if (from == 2) castFrom<u8>(to, x, out, n);
  else castFrom<f64>(to, x, out, n);
}

/**
 * gather over x viewed as [outer, n, inner] with strides (so, sn, si) and contiguous int32
 * indices. Returns -1, or the position of the first index outside [0, n) (nothing written).
 */
// @ts-ignore: decorator
@inline
function gatherT<T>(x: usize, outer: i32, n: i32, inner: i32, so: i32, sn: i32, si: i32, idx: usize, count: i32, out: usize): void {
  const sz = <usize>sizeof<T>();
  let k: usize = out;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < count; j++) {
      const row = load<i32>(idx + (<usize>j << 2));
      const base = x + <usize>(a * so + row * sn) * sz;
      if (si == 1) {
        memory.copy(k, base, <usize>inner * sz);
      } else {
        for (let i = 0; i < inner; i++) store<T>(k + <usize>i * sz, load<T>(base + <usize>(i * si) * sz));
      }
      k += <usize>inner * sz;
    }
  }
}

// @ts-ignore: decorator
@inline
function checkIndices(idx: usize, count: i32, n: i32): i32 {
  for (let j = 0; j < count; j++) {
    const row = load<i32>(idx + (<usize>j << 2));
    if (row < 0 || row >= n) return j;
  }
  return -1;
}

export function gather(size: i32, x: usize, outer: i32, n: i32, inner: i32, so: i32, sn: i32, si: i32, idx: usize, count: i32, out: usize): i32 {
  const bad = checkIndices(idx, count, n);
  if (bad >= 0) return bad;
  if (size == 4) gatherT<u32>(x, outer, n, inner, so, sn, si, idx, count, out);
  else if (size == 8) gatherT<u64>(x, outer, n, inner, so, sn, si, idx, count, out);
  else gatherT<u8>(x, outer, n, inner, so, sn, si, idx, count, out);
  return -1;
}

// @ts-ignore: decorator
@inline
function scatterT<T>(upd: usize, outer: i32, count: i32, inner: i32, idx: usize, out: usize, n: i32): void {
  const sz = <usize>sizeof<T>();
  memory.fill(out, 0, <usize>(outer * n * inner) * sz);
  let k: usize = upd;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < count; j++) {
      const row = load<i32>(idx + (<usize>j << 2));
      const base = out + <usize>((a * n + row) * inner) * sz;
      let i = 0;
      if (isFloat<T>() && sizeof<T>() == 4) {
        for (; i + 4 <= inner; i += 4) {
          const o = <usize>i << 2;
          v128.store(base + o, f32x4.add(v128.load(base + o), v128.load(k + o)));
        }
      }
      for (; i < inner; i++) {
        const o = <usize>i * sz;
        store<T>(base + o, load<T>(base + o) + load<T>(k + o));
      }
      k += <usize>inner * sz;
    }
  }
}

/** scatterAdd with contiguous updates [outer, count, inner]; out [outer, n, inner] is zeroed. */
export function scatter_add(dtype: i32, upd: usize, outer: i32, count: i32, inner: i32, idx: usize, out: usize, n: i32): i32 {
  const bad = checkIndices(idx, count, n);
  if (bad >= 0) return bad;
  if (dtype == 0) scatterT<f32>(upd, outer, count, inner, idx, out, n);
  else if (dtype == 1) scatterT<i32>(upd, outer, count, inner, idx, out, n);
  else scatterT<f64>(upd, outer, count, inner, idx, out, n);
  return -1;
}
