/**
 * C++ source for one variant of a fused program (backends/fused_program.ts): one loop over the
 * elements with every value in a local, built by fused_compile.ts with the machine's compiler
 * and run by the addon in place of its interpreter (native/src/fused.cc).
 *
 * Each instruction becomes a call of the per-element function in native/src/ops.h that the
 * interpreter's and the unary/binary kernels' loops inline too (unaryT, binaryT, with the op a
 * constant), params and constants are rounded to the dtype as the interpreter rounds them, and
 * `where` reads its condition as "nonzero" as the interpreter does: so a compiled variant gives
 * the interpreter's bits, which fused_compile.test.ts checks op by op.
 *
 * Nothing from a model file reaches the source as text: op codes come from closed tables and
 * numbers are printed as C++ hexadecimal floating literals (exact doubles), or as the
 * infinity/NaN expressions.
 */
import type { FusedProgram } from '../backend.js';
import { BINARY_CODE, UNARY_CODE } from '../wasm/codes.js';

/** A variant: the program's dtype and which inputs are broadcast scalars or rows (fused.cc's variantKey). */
export interface FusedVariant {
  readonly float64: boolean;
  /** scalar[q]: input q is one value broadcast over the elements (else it is dense or a row). */
  readonly scalar: readonly boolean[];
  /** row[q]: input q is a [cols] vector broadcast over the rows of [n / cols, cols] (a bias). */
  readonly row: readonly boolean[];
}

/** fused.cc's kRowKeyBase and kMaxRowInputs: keys from ROW_KEY_BASE up have row inputs. */
const ROW_KEY_BASE = 2 ** 26;
const MAX_ROW_INPUTS = 12;

/**
 * fused.cc's variantKey, decoded: key & 1 is float64 and bit q of key >> 1 input q's scalar
 * flag; from ROW_KEY_BASE up, bit 12 + q of (key − ROW_KEY_BASE) >> 1 is input q's row flag.
 */
export function decodeVariant(key: number, inputs: number): FusedVariant {
  const rows = key >= ROW_KEY_BASE;
  const mask = Math.floor((rows ? key - ROW_KEY_BASE : key) / 2);
  const bit = (q: number): boolean => Math.floor(mask / 2 ** q) % 2 === 1;
  const idx = Array.from({ length: inputs }, (_, q) => q);
  return { float64: key % 2 === 1, scalar: idx.map(bit), row: idx.map((q) => rows && bit(MAX_ROW_INPUTS + q)) };
}

/** A double as an exact C++ literal of type double. */
export function doubleLiteral(x: number): string {
  if (Number.isNaN(x)) return 'std::numeric_limits<double>::quiet_NaN()';
  if (x === Infinity) return 'std::numeric_limits<double>::infinity()';
  if (x === -Infinity) return '(-std::numeric_limits<double>::infinity())';
  if (x === 0) return Object.is(x, -0) ? '(-0.0)' : '0.0';
  // Sign, then 1.m × 2^e (or 0.m × 2^-1022 for subnormals) from the IEEE bits.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? '-' : '';
  const exp = (hi >>> 20) & 0x7ff;
  const mant = ((hi & 0xfffff).toString(16).padStart(5, '0') + lo.toString(16).padStart(8, '0'));
  const lit = exp === 0 ? `0x0.${mant}p-1022` : `0x1.${mant}p${exp - 1023}`;
  return `(${sign}${lit})`;
}

/**
 * The source of `program`'s variant `v`: extern "C" hebb_fused_kernel_v2(n, cols, in, params,
 * out). With row inputs it loops over the rows and, inside, the cols elements of a row (a row
 * input's element is its column's), else over the n elements.
 */
export function fusedSource(program: FusedProgram, v: FusedVariant): string {
  const T = v.float64 ? 'double' : 'float';
  const head: string[] = [];
  const body: string[] = [];
  program.instrs.forEach((ins, k) => {
    const val = `v${k}`;
    switch (ins.kind) {
      case 'input':
        if (v.scalar[ins.index]) head.push(`  const T ${val} = *static_cast<const T*>(in[${ins.index}]);`);
        else body.push(`    const T ${val} = i${ins.index}[${v.row[ins.index] ? 'c' : 'j'}];`);
        break;
      case 'param':
        head.push(`  const T ${val} = static_cast<T>(params[${ins.index}]);`);
        break;
      case 'const':
        head.push(`  const T ${val} = static_cast<T>(${doubleLiteral(ins.value)});`);
        break;
      case 'unary':
        body.push(`    const T ${val} = hebb::unaryT<T>(${UNARY_CODE[ins.op]}, v${ins.a});  // ${ins.op}`);
        break;
      case 'binary':
        body.push(`    const T ${val} = hebb::binaryT<T>(${BINARY_CODE[ins.op]}, v${ins.a}, v${ins.b});  // ${ins.op}`);
        break;
      case 'where':
        body.push(`    const T ${val} = v${ins.cond} != 0 ? v${ins.a} : v${ins.b};`);
        break;
    }
  });
  const dense = Array.from({ length: program.inputs }, (_, q) => q).filter((q) => !v.scalar[q]);
  const rows = v.row.some((r) => r);
  // Element j reads only element j of each input before writing element j of each output, so
  // an output written over its input (fusedInPlace) carries no dependency between elements.
  const loop = rows
    ? ['  for (int64_t r0 = 0; r0 < n; r0 += cols) {', '#pragma GCC ivdep', '  for (int64_t c = 0; c < cols; c++) {', '    const int64_t j = r0 + c;']
    : ['#pragma GCC ivdep', '  for (int64_t j = 0; j < n; j++) {'];
  return [
    '// Generated by hebb (src/backends/native/fused_codegen.ts): one fused program variant.',
    '#include <cstdint>',
    '#include <limits>',
    '#include "ops.h"',
    `using T = ${T};`,
    'extern "C" void hebb_fused_kernel_v2(int64_t n, int64_t cols, const void* const* in, const double* params, void* const* out) {',
    ...(rows ? [] : ['  (void)cols;']),
    ...dense.map((q) => `  const T* i${q} = static_cast<const T*>(in[${q}]);`),
    ...program.outputs.map((_, m) => `  T* o${m} = static_cast<T*>(out[${m}]);`),
    ...head,
    ...loop,
    ...body,
    ...program.outputs.map((o, m) => `    o${m}[j] = v${o};`),
    '  }',
    ...(rows ? ['  }'] : []),
    '}',
    '',
  ].join('\n');
}
