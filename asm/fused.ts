/**
 * The generic fused elementwise kernel (src/backends/fused_program.ts): a block interpreter.
 * The host encodes a program's values and instructions (src/backends/wasm/fused_host.ts); this
 * runs every instruction over a block of elements at a time, through the very kernels the
 * separate ops use (unary_f32, binary_f32, where_bytes, ...), so each result is rounded exactly
 * as the composed ops round it, SIMD lanes and scalar tails alike (blocks start at multiples of
 * 4, so an element takes the same path as in a whole-array kernel). A block's values live in
 * scratch slots in wasm memory small enough to stay in cache; inputs and outputs are read and
 * written in place.
 *
 * Encoding, i32 words at `prog`: nVals, nInstr, nCopies; then per value [mode, a, b, c]:
 *   mode 0  contiguous input or output-sized data at address a (block i0 at a + i0·size)
 *   mode 1  a slot at a holding one number everywhere, filled once: b = 0, the f64 at
 *           consts[c]; b = 1, the element at address c (a scalar input)
 *   mode 2  a slot at a refilled per block with a row vector at address b of c elements,
 *           repeated (a bias broadcast over rows)
 *   mode 3  a slot at a computed per block (bool values: one byte per element)
 *   mode 4  computed straight into the output at address a (block i0 at a + i0·size)
 * then per instruction [kind, op, dst, x, y, z] (value indices), kind: 0 float unary,
 * 1 logicalNot, 2 float binary (arithmetic or comparison), 3 bool binary (logical ops),
 * 4 where with a bool condition, 5 where with a float condition (nonzero, NaN included);
 * then per copy [value, address]: outputs that are not computed in place (block copied).
 */
import { unary_f32, unary_f64, unary_u8 } from './unary';
import { binary_f32, binary_f64, binary_u8, where_bytes } from './binary';

// @ts-ignore: decorator
@inline
function valAt(vals: usize, v: i32, i0: i32, sz: usize): usize {
  const base = vals + (<usize>v << 4);
  const mode = load<i32>(base);
  const a = <usize>load<u32>(base, 4);
  return mode == 0 || mode == 4 ? a + <usize>i0 * sz : a;
}

/** out = c != 0 ? a : b over n elements (a float condition; NaN is nonzero). */
// @ts-ignore: decorator
@inline
function whereFloat<T>(c: usize, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  const sz = <usize>sizeof<T>();
  if (sizeof<T>() == 4) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, v128.bitselect(v128.load(a + o), v128.load(b + o), f32x4.ne(v128.load(c + o), zero)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * sz;
    store<T>(out + o, load<T>(c + o) != <T>0 ? load<T>(a + o) : load<T>(b + o));
  }
}

// @ts-ignore: decorator
@inline
function runT<T>(prog: usize, consts: usize, n: i32, block: i32): void {
  const sz = <usize>sizeof<T>();
  const nVals = load<i32>(prog);
  const nInstr = load<i32>(prog, 4);
  const nCopies = load<i32>(prog, 8);
  const vals = prog + 12;
  const instrs = vals + (<usize>nVals << 4);
  const copies = instrs + <usize>nInstr * 24;
  let hasRows = false;
  for (let v = 0; v < nVals; v++) {
    const base = vals + (<usize>v << 4);
    const mode = load<i32>(base);
    if (mode == 2) hasRows = true;
    if (mode != 1) continue;
    const slot = <usize>load<u32>(base, 4);
    const x: T = load<i32>(base, 8) == 0 ? <T>load<f64>(consts + (<usize>load<i32>(base, 12) << 3)) : load<T>(<usize>load<u32>(base, 12));
    for (let j = 0; j < block; j++) store<T>(slot + <usize>j * sz, x);
  }
  for (let i0 = 0; i0 < n; i0 += block) {
    const len = min<i32>(block, n - i0);
    if (hasRows) {
      for (let v = 0; v < nVals; v++) {
        const base = vals + (<usize>v << 4);
        if (load<i32>(base) != 2) continue;
        const slot = <usize>load<u32>(base, 4);
        const row = <usize>load<u32>(base, 8);
        const cols = load<i32>(base, 12);
        // The block's elements, row by row: whole segments of the row vector.
        let col = i0 % cols;
        for (let j = 0; j < len; ) {
          const take = min<i32>(cols - col, len - j);
          memory.copy(slot + <usize>j * sz, row + <usize>col * sz, <usize>take * sz);
          j += take;
          col = 0;
        }
      }
    }
    for (let k = 0; k < nInstr; k++) {
      const ins = instrs + <usize>k * 24;
      const kind = load<i32>(ins);
      const op = load<i32>(ins, 4);
      const dst = valAt(vals, load<i32>(ins, 8), i0, sz);
      const x = valAt(vals, load<i32>(ins, 12), i0, sz);
      switch (kind) {
        case 0:
          if (sz == 4) unary_f32(op, x, dst, len);
          else unary_f64(op, x, dst, len);
          break;
        case 1:
          unary_u8(x, dst, len);
          break;
        case 2:
          if (sz == 4) binary_f32(op, x, valAt(vals, load<i32>(ins, 16), i0, sz), dst, 1, len, 0, 1, 0, 1);
          else binary_f64(op, x, valAt(vals, load<i32>(ins, 16), i0, sz), dst, 1, len, 0, 1, 0, 1);
          break;
        case 3:
          binary_u8(op, x, valAt(vals, load<i32>(ins, 16), i0, sz), dst, 1, len, 0, 1, 0, 1);
          break;
        case 4:
          where_bytes(<i32>sz, x, valAt(vals, load<i32>(ins, 16), i0, sz), valAt(vals, load<i32>(ins, 20), i0, sz), dst, 1, len, 0, 1, 0, 1, 0, 1);
          break;
        default:
          whereFloat<T>(x, valAt(vals, load<i32>(ins, 16), i0, sz), valAt(vals, load<i32>(ins, 20), i0, sz), dst, len);
      }
    }
    for (let c = 0; c < nCopies; c++) {
      const e = copies + (<usize>c << 3);
      const src = valAt(vals, load<i32>(e), i0, sz);
      memory.copy(<usize>load<u32>(e, 4) + <usize>i0 * sz, src, <usize>len * sz);
    }
  }
}

/** dtype 0: float32, 3: float64. block: elements per block, a multiple of 4 (slots hold block elements). */
export function fused_run(dtype: i32, prog: usize, consts: usize, n: i32, block: i32): void {
  if (dtype == 0) runT<f32>(prog, consts, n, block);
  else runT<f64>(prog, consts, n, block);
}
