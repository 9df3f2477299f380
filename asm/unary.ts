/**
 * Unary kernels over contiguous arrays (the host copies a strided input into the output buffer
 * first and runs the kernel in place). The op code is a literal at each call of the @inline
 * loop, so the optimizer folds the switch away and every op gets its own tight loop.
 *
 * Op codes (host: src/backends/wasm/codes.ts): neg 0, abs 1, sign 2, exp 3, log 4, log1p 5,
 * expm1 6, sqrt 7, tanh 8, erf 9, sigmoid 10, floor 11, logicalNot 12.
 */
import { erf64, sigmoid32, sigmoid64 } from './math';
import { expF32x4, expm1F32x4, sigmoidF32x4, tanhF32x4 } from './simd_math';

// @ts-ignore: decorator
@inline
function f32op(op: i32, x: f32): f32 {
  switch (op) {
    case 0: return -x;
    case 1: return Mathf.abs(x);
    // NaN stays NaN; zeros keep their value (sign(0) = 0).
    case 2: return x > 0 ? <f32>1 : x < 0 ? <f32>-1 : x;
    case 3: return Mathf.exp(x);
    case 4: return Mathf.log(x);
    case 5: return Mathf.log1p(x);
    case 6: return Mathf.expm1(x);
    case 7: return Mathf.sqrt(x);
    case 8: return Mathf.tanh(x);
    // erf in double, rounded once: float32 erf by a float32 formula loses digits near 0.
    case 9: return <f32>erf64(<f64>x);
    case 10: return sigmoid32(x);
    default: return Mathf.floor(x);
  }
}

// @ts-ignore: decorator
@inline
function f64op(op: i32, x: f64): f64 {
  switch (op) {
    case 0: return -x;
    case 1: return Math.abs(x);
    case 2: return x > 0 ? 1.0 : x < 0 ? -1.0 : x;
    case 3: return Math.exp(x);
    case 4: return Math.log(x);
    case 5: return Math.log1p(x);
    case 6: return Math.expm1(x);
    case 7: return Math.sqrt(x);
    case 8: return Math.tanh(x);
    case 9: return erf64(x);
    case 10: return sigmoid64(x);
    default: return Math.floor(x);
  }
}

/** SIMD versions: one instruction, or simd_math.ts's exp, expm1, tanh and sigmoid (hasVec says which). */
// @ts-ignore: decorator
@inline
function f32vec(op: i32, v: v128): v128 {
  switch (op) {
    case 0: return f32x4.neg(v);
    case 1: return f32x4.abs(v);
    case 3: return expF32x4(v);
    case 6: return expm1F32x4(v);
    case 7: return f32x4.sqrt(v);
    case 8: return tanhF32x4(v);
    case 10: return sigmoidF32x4(v);
    default: return f32x4.floor(v);
  }
}

// @ts-ignore: decorator
@inline
function hasVec(op: i32): bool {
  return op == 0 || op == 1 || op == 3 || op == 6 || op == 7 || op == 8 || op == 10 || op == 11;
}

// @ts-ignore: decorator
@inline
function loopF32(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (hasVec(op)) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32vec(op, v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32op(op, load<f32>(x + o)));
  }
}

// @ts-ignore: decorator
@inline
function loopF64(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(out + o, f64op(op, load<f64>(x + o)));
  }
}

export function unary_f32(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case 0: loopF32(0, x, out, n); break;
    case 1: loopF32(1, x, out, n); break;
    case 2: loopF32(2, x, out, n); break;
    case 3: loopF32(3, x, out, n); break;
    case 4: loopF32(4, x, out, n); break;
    case 5: loopF32(5, x, out, n); break;
    case 6: loopF32(6, x, out, n); break;
    case 7: loopF32(7, x, out, n); break;
    case 8: loopF32(8, x, out, n); break;
    case 9: loopF32(9, x, out, n); break;
    case 10: loopF32(10, x, out, n); break;
    default: loopF32(11, x, out, n); break;
  }
}

export function unary_f64(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case 0: loopF64(0, x, out, n); break;
    case 1: loopF64(1, x, out, n); break;
    case 2: loopF64(2, x, out, n); break;
    case 3: loopF64(3, x, out, n); break;
    case 4: loopF64(4, x, out, n); break;
    case 5: loopF64(5, x, out, n); break;
    case 6: loopF64(6, x, out, n); break;
    case 7: loopF64(7, x, out, n); break;
    case 8: loopF64(8, x, out, n); break;
    case 9: loopF64(9, x, out, n); break;
    case 10: loopF64(10, x, out, n); break;
    default: loopF64(11, x, out, n); break;
  }
}

/** int32: neg and abs wrap at the int32 edge, like the typed arrays of the cpu backend. */
export function unary_i32(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<i32>(x + o);
    let r: i32;
    if (op == 0) r = -v;
    else if (op == 1) r = v < 0 ? -v : v;
    else r = v > 0 ? 1 : v < 0 ? -1 : 0;
    store<i32>(out + o, r);
  }
}

/** bool: logicalNot (any nonzero byte is true). */
export function unary_u8(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u8>(out + <usize>i, load<u8>(x + <usize>i) == 0 ? 1 : 0);
}
