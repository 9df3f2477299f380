/**
 * Philox4x32-10 uniforms (src/backends/philox.ts, Backend.randomUniform): the same 32-bit
 * integer arithmetic as core/random.ts's philox4x32, so the words are bit-identical to the host
 * generator's. The 32x32→64 products are exact in i64 (scalar) or i64x2.extmul (SIMD).
 *
 * SIMD: four consecutive blocks run side by side, lane l of vector ck holding word k of block
 * j + l; a 4x4 transpose puts each block's words back in order. Only the output's float
 * arithmetic differs between paths, and both compute minval + width·u in f64 then round, except
 * the float32 [0, 1) path, where u = k·2^-24 is exact in f32 and so needs no f64 at all.
 */

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;
const TWO_NEG_24: f64 = 1.0 / 16777216.0;

// The four words of the last scalar block.
let w0: u32 = 0;
let w1: u32 = 0;
let w2: u32 = 0;
let w3: u32 = 0;

function block(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += W0;
      k1 += W1;
    }
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    c0 = <u32>(p1 >>> 32) ^ c1 ^ k0;
    c1 = <u32>p1;
    c2 = <u32>(p0 >>> 32) ^ c3 ^ k1;
    c3 = <u32>p0;
  }
  w0 = c0;
  w1 = c1;
  w2 = c2;
  w3 = c3;
}

// @ts-ignore: decorator
@inline
function word(l: i32): u32 {
  return l == 0 ? w0 : l == 1 ? w1 : l == 2 ? w2 : w3;
}

// @ts-ignore: decorator
@inline
function put(f64out: bool, out: usize, i: i32, w: u32, minval: f64, width: f64): void {
  const v = minval + width * (<f64>(w >>> 8) * TWO_NEG_24);
  if (f64out) store<f64>(out + (<usize>i << 3), v);
  else store<f32>(out + (<usize>i << 2), <f32>v);
}

/** High 32 bits of a·b per u32 lane. */
// @ts-ignore: decorator
@inline
function mulhi(a: v128, b: v128): v128 {
  return v128.shuffle<i32>(i64x2.extmul_low_i32x4_u(a, b), i64x2.extmul_high_i32x4_u(a, b), 1, 3, 5, 7);
}

/**
 * out[i] (float32 when dtype is 0, float64 when 1) = minval + width·(w >>> 8)·2^-24 for word
 * skip + i of the blocks philox4x32((lo, hi) + j, s0, s1; k0, k1), j = 0, 1, ...
 */
export function philox_uniform(dtype: i32, out: usize, n: i32, skip: i32, lo: u32, hi: u32, s0: u32, s1: u32, k0: u32, k1: u32, minval: f64, width: f64): void {
  const f64out = dtype == 1;
  const fast = !f64out && minval == 0.0 && width == 1.0;
  let i = 0;
  let j: u32 = 0;
  if (skip > 0 && n > 0) {
    block(lo, hi, s0, s1, k0, k1);
    for (let l = skip; l < 4 && i < n; l++, i++) put(f64out, out, i, word(l), minval, width);
    j = 1;
  }
  const vs0 = i32x4.splat(s0);
  const vs1 = i32x4.splat(s1);
  const m0 = i32x4.splat(M0);
  const m1 = i32x4.splat(M1);
  const scale = f32x4.splat(<f32>TWO_NEG_24);
  while (n - i >= 16) {
    // Counters of blocks j..j+3 with the carry into hi per lane.
    const base = lo + j;
    const cb = hi + (base < lo ? 1 : 0);
    let c0 = i32x4.add(i32x4.splat(base), i32x4(0, 1, 2, 3));
    // A lane that wrapped past base carries one more into hi.
    let c1 = i32x4.sub(i32x4.splat(cb), i32x4.lt_u(c0, i32x4.splat(base)));
    let c2 = vs0;
    let c3 = vs1;
    let ka = i32x4.splat(k0);
    let kb = i32x4.splat(k1);
    for (let r = 0; r < 10; r++) {
      if (r > 0) {
        ka = i32x4.add(ka, i32x4.splat(W0));
        kb = i32x4.add(kb, i32x4.splat(W1));
      }
      const hi0 = mulhi(m0, c0);
      const lo0 = i32x4.mul(m0, c0);
      const hi1 = mulhi(m1, c2);
      const lo1 = i32x4.mul(m1, c2);
      c0 = v128.xor(v128.xor(hi1, c1), ka);
      c1 = lo1;
      c2 = v128.xor(v128.xor(hi0, c3), kb);
      c3 = lo0;
    }
    // Transpose: row l = the four words of block j + l.
    const t0 = v128.shuffle<i32>(c0, c1, 0, 4, 1, 5);
    const t1 = v128.shuffle<i32>(c0, c1, 2, 6, 3, 7);
    const t2 = v128.shuffle<i32>(c2, c3, 0, 4, 1, 5);
    const t3 = v128.shuffle<i32>(c2, c3, 2, 6, 3, 7);
    const r0 = v128.shuffle<i32>(t0, t2, 0, 1, 4, 5);
    const r1 = v128.shuffle<i32>(t0, t2, 2, 3, 6, 7);
    const r2 = v128.shuffle<i32>(t1, t3, 0, 1, 4, 5);
    const r3 = v128.shuffle<i32>(t1, t3, 2, 3, 6, 7);
    if (fast) {
      const at = out + (<usize>i << 2);
      v128.store(at, f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(r0, 8)), scale));
      v128.store(at + 16, f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(r1, 8)), scale));
      v128.store(at + 32, f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(r2, 8)), scale));
      v128.store(at + 48, f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(r3, 8)), scale));
    } else {
      for (let l = 0; l < 4; l++) {
        const r = l == 0 ? r0 : l == 1 ? r1 : l == 2 ? r2 : r3;
        put(f64out, out, i + 4 * l, i32x4.extract_lane(r, 0), minval, width);
        put(f64out, out, i + 4 * l + 1, i32x4.extract_lane(r, 1), minval, width);
        put(f64out, out, i + 4 * l + 2, i32x4.extract_lane(r, 2), minval, width);
        put(f64out, out, i + 4 * l + 3, i32x4.extract_lane(r, 3), minval, width);
      }
    }
    i += 16;
    j += 4;
  }
  while (i < n) {
    const base = lo + j;
    block(base, hi + (base < lo ? 1 : 0), s0, s1, k0, k1);
    for (let l = 0; l < 4 && i < n; l++, i++) put(f64out, out, i, word(l), minval, width);
    j++;
  }
}
