/**
 * The native backend: kernels in C++ (native/src/, an N-API addon built on install; see
 * docs/NATIVE.md), tensors in C++ memory shared with JavaScript without copies (native_buffer.ts).
 * The fastest backend in Node when the addon is built; the engine uses wasm when it is not.
 *
 * Each method checks its buffers, writes its operands into the shared descriptor
 * (descriptor.ts) and makes one N-API call. Semantics are the cpu backend's (the conformance
 * suite holds every backend to them).
 */
import type { Backend, BinaryOp, FusedProgram, PhiloxRange, ReduceOp, UnaryOp, View } from '../backend.js';
import { constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import { makeTypedArrayOver } from './typed.js';
import type { DType, TypedArray } from '../../core/dtype.js';
import { BackendError } from '../../core/errors.js';
import { BINARY_CODE, DTYPE_BYTES, REDUCE_CODE, UNARY_CODE } from '../wasm/codes.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { DESC_LENGTH, Descriptor } from './descriptor.js';
import type { NativeBuffer } from './native_buffer.js';
import { BlockPool, classBytes } from './pool.js';
import { compileModeFromEnv, FusedCompiler, type FusedCompileMode, type FusedCompileStatus } from './fused_compile.js';

export type { NativeBuffer } from './native_buffer.js';

type NView = View<NativeBuffer>;

/** Fused instruction kinds (fused.cc's InstrKind). */
const KIND = { input: 0, param: 1, const: 2, unary: 3, binary: 4, where: 5 } as const;
/**
 * Fused programs already defined in the addon, by key: one table per process, as the addon's
 * (fused.cc) is one, so two backend instances never give one id to two programs.
 */
const programs = new Map<string, number>();

/** fused.cc's kAskBase: fused() returns it plus a variant's key when that variant should be compiled. */
const ASK_BASE = 8;

export class NativeBackend implements Backend<NativeBuffer> {
  readonly name = 'native';
  /** fused.cc writes a 256-element chunk's outputs after reading that chunk's inputs. */
  readonly fusedInPlace = true;
  /**
   * Kernels index elements with 64-bit integers, but every buffer is also a JavaScript typed
   * array (shared without copies), which Node 20 caps at buffer.constants.MAX_LENGTH bytes; and
   * a buffer larger than the machine's memory can only fail. The smaller of the two is the
   * limit the engine refuses above, before anything is allocated (docs/NUMERICS.md).
   */
  readonly maxElements = Number.MAX_SAFE_INTEGER;
  readonly maxBufferBytes = Math.min(bufferConstants.MAX_LENGTH, totalmem());
  /** The GEMM kernel the CPU runs: "avx512", "avx2" or "portable" (native/src/gemm.h). */
  readonly gemmKernel: string;
  private readonly k: NativeAddon;
  private readonly desc: Descriptor;
  private live = 0;
  /** Freed small blocks kept for reuse (pool.ts). */
  private readonly pool = new BlockPool();
  private readonly compiler: FusedCompiler;

  /** Throws a BackendError saying why when the addon is not built or does not load. */
  constructor() {
    const r = loadAddon();
    if ('error' in r) throw new BackendError(`native backend unavailable: ${r.error}`);
    this.k = r.addon;
    this.desc = new Descriptor(new ArrayBuffer(DESC_LENGTH * 8));
    this.gemmKernel = this.k.init(this.desc.ab);
    this.compiler = new FusedCompiler(
      this.k,
      (after, use) => {
        this.desc.start().num(after).num(use ? 1 : 0);
        this.k.fusedConfig();
      },
      compileModeFromEnv(),
    );
  }

  /**
   * Whether and when fused programs are compiled (fused_compile.ts): `async` (default, from
   * HEBB_NATIVE_COMPILE), `sync` or `off` (the interpreter runs every call).
   */
  setFusedCompileMode(mode: FusedCompileMode): void {
    this.compiler.setMode(mode);
  }

  /** Compiled fused variants, builds in progress and why any failed. */
  fusedCompileStatus(): FusedCompileStatus {
    return this.compiler.status();
  }

  supportsDType(_dtype: DType): boolean {
    return true;
  }

  // ------------------------------------------------------------------ memory

  alloc(size: number, dtype: DType): NativeBuffer {
    if (!Number.isSafeInteger(size) || size < 0) throw new BackendError(`native alloc: size must be a non-negative integer, received ${size}`);
    const bytes = classBytes(size * DTYPE_BYTES[dtype]);
    let b = this.pool.take(bytes);
    if (!b) {
      const ab = this.k.alloc(bytes);
      const d = this.desc.d;
      b = { ab, ptr: d[0] as number, block: d[1] as number, bytes };
    }
    this.live++;
    return { backend: 'native', size, dtype, ptr: b.ptr, mem: b, data: makeTypedArrayOver(dtype, b.ab, size), freed: false };
  }

  free(buf: NativeBuffer): void {
    this.check(buf, 'free');
    buf.freed = true;
    this.live--;
    if (!this.pool.keep(buf.mem)) this.k.free(buf.mem.ab, buf.mem.block);
  }

  /** Releases the freed blocks kept for reuse (pool.ts); returns how many bytes that gave back. */
  trim(): number {
    const bytes = this.pool.bytes;
    this.pool.drain((b) => this.k.free(b.ab, b.block));
    return bytes;
  }

  write(buf: NativeBuffer, data: TypedArray): void {
    this.check(buf, 'write');
    if (data.length !== buf.size) throw new BackendError(`write: buffer holds ${buf.size} elements, received ${data.length}`);
    buf.data.set(data);
  }

  read(buf: NativeBuffer): Promise<TypedArray> {
    return Promise.resolve(this.readSync(buf));
  }

  readSync(buf: NativeBuffer): TypedArray {
    this.check(buf, 'read');
    return buf.data.slice();
  }

  liveBuffers(): number {
    return this.live;
  }

  // ------------------------------------------------------------------ kernels

  fill(out: NativeBuffer, value: number): void {
    this.desc.start().buf(out, 'fill').num(value);
    this.k.fill();
  }

  copy(src: NView, dst: NView): void {
    this.desc.start().view(src, 'copy').view(dst, 'copy');
    this.k.copy();
  }

  cast(x: NView, out: NativeBuffer): void {
    this.desc.start().view(x, 'cast').buf(out, 'cast');
    this.k.cast();
  }

  unary(op: UnaryOp, x: NView, out: NativeBuffer): void {
    this.desc.start().num(UNARY_CODE[op]).view(x, op).buf(out, op);
    this.k.unary();
  }

  binary(op: BinaryOp, a: NView, b: NView, out: NativeBuffer): void {
    this.desc.start().num(BINARY_CODE[op]).view(a, op).view(b, op).buf(out, op);
    this.k.binary();
  }

  where(cond: NView, a: NView, b: NView, out: NativeBuffer): void {
    this.desc.start().view(cond, 'where').view(a, 'where').view(b, 'where').buf(out, 'where');
    this.k.where();
  }

  reduce(op: ReduceOp, x: NView, axes: number, out: NativeBuffer): void {
    this.desc.start().num(REDUCE_CODE[op]).num(axes).view(x, op).buf(out, op);
    this.k.reduce();
  }

  matmul(a: NView, b: NView, out: NativeBuffer): void {
    const [batch, m] = a.shape as [number, number, number];
    this.matmulArgs(a, b, out, batch * m * (b.shape[2] as number));
    this.desc.start().view(a, 'matmul').view(b, 'matmul').buf(out, 'matmul');
    this.k.matmul();
  }

  private matmulArgs(a: NView, b: NView, out: NativeBuffer, size: number): void {
    if (out.dtype !== 'float32' && out.dtype !== 'float64') throw new BackendError(`matmul: native backend multiplies float32 or float64, received ${out.dtype}`);
    if (a.buf.dtype !== out.dtype || b.buf.dtype !== out.dtype) throw new BackendError(`matmul: operands are ${a.buf.dtype} and ${b.buf.dtype}, the output ${out.dtype}`);
    if (out.size < size) throw new BackendError(`matmul: output holds ${out.size} elements, the product has ${size}`);
  }

  gather(x: NView, indices: NView, out: NativeBuffer): void {
    const [outer, , inner] = x.shape as [number, number, number];
    this.checkIndices(indices, 'gather');
    const count = indices.shape.reduce((p, q) => p * q, 1);
    if (out.size < outer * count * inner) throw new BackendError(`gather: output holds ${out.size} elements, the result has ${outer * count * inner}`);
    this.desc.start().view(x, 'gather').view(indices, 'gather').buf(out, 'gather');
    if (this.k.gather() !== 0) throw new BackendError(`gather: index ${this.desc.d[0]} is out of range [0, ${this.desc.d[1]})`);
  }

  scatterAdd(updates: NView, indices: NView, out: NativeBuffer): void {
    this.checkIndices(indices, 'scatterAdd');
    if (out.dtype !== updates.buf.dtype) throw new BackendError(`scatterAdd: updates are ${updates.buf.dtype}, the output ${out.dtype}`);
    this.desc.start().view(updates, 'scatterAdd').view(indices, 'scatterAdd').buf(out, 'scatterAdd');
    if (this.k.scatterAdd() !== 0) throw new BackendError(`scatterAdd: index ${this.desc.d[0]} is out of range [0, ${this.desc.d[1]})`);
  }

  randomUniform(out: NativeBuffer, range: PhiloxRange, minval: number, width: number): void {
    if (out.dtype !== 'float32' && out.dtype !== 'float64') throw new BackendError(`randomUniform: native backend writes float32 or float64, received ${out.dtype}`);
    const [k0, k1] = range.key;
    const [lo, hi, s0, s1] = range.counter;
    this.desc.start().buf(out, 'randomUniform').num(k0).num(k1).num(lo).num(hi).num(s0).num(s1).num(range.skip).num(minval).num(width);
    this.k.randomUniform();
  }

  // ------------------------------------------------------------------ fused kernels

  fused(program: FusedProgram, inputs: readonly NView[], params: readonly number[], outs: readonly NativeBuffer[]): void {
    const id = this.fusedCall(program, inputs, params, outs);
    if (id < 0) return;
    this.afterFused(id, program, this.k.fused());
  }

  /**
   * fused.cc's kMatmulFused: the product, then the program over it (input 0), as the product's
   * epilogue once the program's variant is compiled (before that, the interpreter after the
   * product, which asks for the variant as `fused` does).
   */
  matmulFused(a: NView, b: NView, program: FusedProgram, inputs: readonly NView[], params: readonly number[], out: NativeBuffer): void {
    const [batch, m] = a.shape as [number, number, number];
    const n = b.shape[2] as number;
    if (program.outputs.length !== 1) throw new BackendError(`matmulFused: the program must have one output, it has ${program.outputs.length}`);
    this.matmulArgs(a, b, out, batch * m * n);
    const product: NView = { buf: out, shape: [batch, m, n], strides: [m * n, n, 1], offset: 0 };
    this.programId(program); // defines the program first: that call writes the descriptor too
    this.desc.start().view(a, 'matmulFused').view(b, 'matmulFused').buf(out, 'matmulFused');
    const id = this.fusedCall(program, [product, ...inputs], params, [out], false);
    this.afterFused(id, program, this.k.matmulFused());
  }

  /**
   * Writes a fused call's arguments into the descriptor (after what is there when `start` is
   * false) and returns the program's id; -1 when there is no output (nothing to run).
   */
  private fusedCall(program: FusedProgram, inputs: readonly NView[], params: readonly number[], outs: readonly NativeBuffer[], start = true): number {
    const first = outs[0];
    if (!first) return -1;
    const dtype = first.dtype;
    if (dtype !== 'float32' && dtype !== 'float64') throw new BackendError(`fused: native backend runs float32 or float64 programs, received ${dtype}`);
    if (inputs.length !== program.inputs || params.length !== program.params || outs.length !== program.outputs.length) {
      throw new BackendError(`fused: program takes ${program.inputs} inputs, ${program.params} params and ${program.outputs.length} outputs, received ${inputs.length}, ${params.length} and ${outs.length}`);
    }
    const id = this.programId(program);
    const n = first.size;
    const d = (start ? this.desc.start() : this.desc).num(id).num(dtype === 'float32' ? 0 : 3).num(n);
    for (const v of inputs) {
      if (v.buf.dtype !== dtype) throw new BackendError(`fused: inputs must be ${dtype}, received ${v.buf.dtype}`);
      d.view(v, 'fused');
    }
    for (const p of params) d.num(p);
    for (const o of outs) {
      if (o.dtype !== dtype || o.size !== n) throw new BackendError(`fused: every output must be ${dtype} of ${n} elements, received ${o.dtype} of ${o.size}`);
      this.check(o, 'fused');
      d.num(o.ptr);
    }
    return id;
  }

  /** A fused call's return value: a variant to compile (fused.cc's kAskBase + key), or nothing. */
  private afterFused(id: number, program: FusedProgram, r: number): void {
    if (r >= ASK_BASE) this.compiler.request(id, program, r - ASK_BASE);
    else if (this.compiler.pending > 0) this.compiler.poll();
  }

  softmax(x: NView, out: NativeBuffer): void {
    this.floatOut(out, 'softmax');
    this.desc.start().view(x, 'softmax').buf(out, 'softmax');
    this.k.softmax();
  }

  softmaxGrad(dy: NView, y: NView, dx: NativeBuffer): void {
    this.floatOut(dx, 'softmaxGrad');
    this.desc.start().view(dy, 'softmaxGrad').view(y, 'softmaxGrad').buf(dx, 'softmaxGrad');
    this.k.softmaxGrad();
  }

  sparseCrossentropy(p: NView, labels: NView, out: NativeBuffer, fromLogits: boolean, lo: number, hi: number): void {
    this.floatOut(out, 'sparseCrossentropy');
    this.desc.start().view(p, 'sparseCrossentropy').view(labels, 'sparseCrossentropy').buf(out, 'sparseCrossentropy').num(fromLogits ? 1 : 0).num(lo).num(hi);
    this.k.sparseCrossentropy();
  }

  sparseCrossentropyGrad(dl: NView, p: NView, labels: NView, dp: NativeBuffer, fromLogits: boolean, lo: number, hi: number): void {
    this.floatOut(dp, 'sparseCrossentropyGrad');
    const op = 'sparseCrossentropyGrad';
    this.desc.start().view(dl, op).view(p, op).view(labels, op).buf(dp, op).num(fromLogits ? 1 : 0).num(lo).num(hi);
    this.k.sparseCrossentropyGrad();
  }

  // ------------------------------------------------------------------ helpers

  /** The addon's id for a program, defining it there on first use. */
  private programId(p: FusedProgram): number {
    const known = programs.get(p.key);
    if (known !== undefined) return known;
    const id = programs.size;
    const d = this.desc.start().num(id).num(p.inputs).num(p.params).num(p.instrs.length).num(p.outputs.length);
    for (const ins of p.instrs) {
      switch (ins.kind) {
        case 'input':
        case 'param':
          d.num(KIND[ins.kind]).num(0).num(ins.index).num(0).num(0);
          break;
        case 'const':
          d.num(KIND.const).num(0).num(ins.value).num(0).num(0);
          break;
        case 'unary':
          d.num(KIND.unary).num(UNARY_CODE[ins.op]).num(ins.a).num(0).num(0);
          break;
        case 'binary':
          d.num(KIND.binary).num(BINARY_CODE[ins.op]).num(ins.a).num(ins.b).num(0);
          break;
        case 'where':
          d.num(KIND.where).num(0).num(ins.cond).num(ins.a).num(ins.b);
          break;
      }
    }
    for (const o of p.outputs) d.num(o);
    this.k.fusedDefine();
    programs.set(p.key, id);
    return id;
  }

  private floatOut(out: NativeBuffer, op: string): void {
    if (out.dtype !== 'float32' && out.dtype !== 'float64') throw new BackendError(`${op}: native backend computes float32 or float64, received ${out.dtype}`);
  }

  private checkIndices(indices: NView, op: string): void {
    if (indices.buf.dtype !== 'int32') throw new BackendError(`${op}: indices must be int32, received ${indices.buf.dtype}`);
  }

  private check(buf: NativeBuffer, op: string): void {
    if (buf.backend !== 'native') throw new BackendError(`${op}: native backend received a buffer of backend "${buf.backend}"`);
    if (buf.freed) throw new BackendError(`${op}: native backend: buffer used after it was freed`);
  }
}
