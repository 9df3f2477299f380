/**
 * The seeded random generator: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel Random
 * Numbers: As Easy as 1, 2, 3", SC'11), the counter-based generator JAX and TensorFlow use.
 *
 * Why counter-based: the n-th block of output is a pure function of (key, counter), so
 * - numbers are computed here in JavaScript with exact 32-bit integer arithmetic and written
 *   to the backend, so every backend (cpu, wasm, native, webgpu) sees identical values;
 * - independent sub-streams are cheap: `split(key)` derives a new Philox key from the parent's
 *   key and the split key, without advancing the parent. A layer's initializer gets
 *   `rng.split(layerName)`, so adding a layer never changes another layer's initial weights.
 *
 * Floating point: uniforms are built from integer bits only (exact). Box–Muller needs
 * Math.log, Math.cos and Math.sin; V8 implements these with its own ports of fdlibm
 * (src/base/ieee754.cc), not the platform's libm, so normals are bit-identical on every
 * platform running V8 (Node, Chrome, Deno, Electron). Other engines (SpiderMonkey,
 * JavaScriptCore) may differ in the last bit of the float64 result, which the float32 rounding
 * almost always hides.
 */
import { ValueError, fmtReceived } from './errors.js';

// Philox4x32 round multipliers and Weyl key increments (Random123, philox.h).
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;

const TWO_32 = 4294967296;
const TWO_NEG_24 = 1 / 16777216;
const TWO_NEG_53 = 1 / 9007199254740992;
const TWO_PI = 2 * Math.PI;

/**
 * High 32 bits of the 64-bit product m·c of two uint32s, with m split as mh·2^16 + ml.
 * Doubles hold integers exactly only up to 2^53, so the product is taken in two pieces that
 * are each below 2^48: m·c = c·mh·2^16 + c·ml, and
 *   floor(m·c / 2^32) = floor((c·mh + floor(c·ml / 2^16)) / 2^16)
 * (nested floors of divisions by integers compose), every intermediate being exact.
 */
function mulhi32(mh: number, ml: number, c: number): number {
  return Math.floor((c * mh + Math.floor((c * ml) / 65536)) / 65536);
}

const M0H = M0 >>> 16;
const M0L = M0 & 0xffff;
const M1H = M1 >>> 16;
const M1L = M1 & 0xffff;

/**
 * One Philox4x32-10 block: encrypts the 128-bit counter (c0..c3) under the 64-bit key
 * (k0, k1) and writes four uint32s to out[at..at+3]. Pinned by the Random123 known-answer
 * vectors in random.test.ts.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
  at = 0,
): void {
  for (let r = 0; r < ROUNDS; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi32(M0H, M0L, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1H, M1L, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[at] = c0;
  out[at + 1] = c1;
  out[at + 2] = c2;
  out[at + 3] = c3;
}

/** The words a split key contributes to the derivation; numbers and strings never collide. */
function keyWords(op: string, key: string | number): number[] {
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key)) {
      throw new ValueError(`${op}: a numeric key must be a safe integer, received ${fmtReceived(key)}`);
    }
    return [1, key >>> 0, Math.floor(key / TWO_32) >>> 0];
  }
  if (typeof key !== 'string') {
    throw new ValueError(`${op}: key must be a string or an integer, received ${fmtReceived(key)}`);
  }
  // UTF-16 code units, two per word, prefixed by a tag and the length (so "a" and "a\0" differ).
  const words = [2, key.length];
  for (let i = 0; i < key.length; i += 2) {
    words.push((key.charCodeAt(i) | ((i + 1 < key.length ? key.charCodeAt(i + 1) : 0) << 16)) >>> 0);
  }
  return words;
}

function checkSeed(op: string, seed: number): void {
  if (!Number.isSafeInteger(seed)) {
    throw new ValueError(`${op}: seed must be a safe integer, received ${fmtReceived(seed)}`);
  }
}

/**
 * A stream of random numbers. The state is a Philox key (64 bits), a stream id (64 bits, the
 * upper half of the 128-bit counter) and a block counter (the lower half); four uint32s per
 * block are buffered. The same seed gives the same numbers in the same order, on every
 * platform and backend.
 *
 * Bulk fills (`fillUniform`, `fillNormal`, ...) give exactly the numbers that the same count
 * of scalar calls would give, so code may switch between them without changing results.
 */
/** A Generator's state as JSON-safe numbers (Generator.getState / setState). */
export interface GeneratorState {
  /** key (2), stream id (2), block counter (2), buffered block (4): uint32s. */
  words: number[];
  /** Next unread word of the buffered block (4: none). */
  pos: number;
  /** The second normal of a Box–Muller pair, kept for the next call. */
  spare: number | null;
}

export class Generator {
  // Philox key and stream id (the counter's upper 64 bits); set once (split sets a child's).
  private k0: number;
  private k1: number;
  private s0 = 0;
  private s1 = 0;
  private ctrLo = 0;
  private ctrHi = 0;
  private readonly buf = new Uint32Array(4);
  private pos = 4; // next unread word of buf; 4 = empty
  private spare: number | null = null; // the second Box–Muller normal of a pair

  constructor(seed: number) {
    checkSeed('Generator', seed);
    // The seed is the key, as in JAX's PRNGKey; negative seeds wrap to two's complement.
    this.k0 = seed >>> 0;
    this.k1 = Math.floor(seed / TWO_32) >>> 0;
  }

  /**
   * An independent generator for `key`, derived from this generator's key and stream id
   * only: it does not advance this generator, and it is the same no matter how many numbers
   * were drawn before or which other keys were split. Splits nest (`g.split('a').split(0)`).
   *
   * Derivation: a CBC-MAC over the length-prefixed key words with Philox (a bijection for a
   * fixed key) as the block cipher under the parent key; the final 128-bit block becomes
   * the child's key (64 bits) and stream id (64 bits).
   */
  split(key: string | number): Generator {
    const words = keyWords('Generator.split', key);
    const h = new Uint32Array(4);
    philox4x32(this.s0, this.s1, 0x73706c74 /* "splt" */, words.length, this.k0, this.k1, h);
    for (let i = 0; i < words.length; i += 4) {
      philox4x32(
        (h[0]! ^ (words[i] ?? 0)) >>> 0,
        (h[1]! ^ (words[i + 1] ?? 0)) >>> 0,
        (h[2]! ^ (words[i + 2] ?? 0)) >>> 0,
        (h[3]! ^ (words[i + 3] ?? 0)) >>> 0,
        this.k0,
        this.k1,
        h,
      );
    }
    const child = new Generator(0);
    child.k0 = h[0]!;
    child.k1 = h[1]!;
    child.s0 = h[2]!;
    child.s1 = h[3]!;
    return child;
  }

  /**
   * The whole state as plain numbers (for checkpoints: model files, backup-and-restore): a
   * generator given it by `setState` continues with exactly the numbers this one would draw.
   */
  getState(): GeneratorState {
    return { words: [this.k0, this.k1, this.s0, this.s1, this.ctrLo, this.ctrHi, ...this.buf], pos: this.pos, spare: this.spare };
  }

  /** Continues from a `getState()` result; checked whole before anything changes. */
  setState(state: GeneratorState): void {
    const w: unknown = state?.words;
    const ok = Array.isArray(w) && w.length === 10 && w.every((x) => Number.isInteger(x) && x >= 0 && x < TWO_32);
    const pos: unknown = state?.pos;
    const spare: unknown = state?.spare;
    if (!ok || !Number.isInteger(pos) || (pos as number) < 0 || (pos as number) > 4 || !(spare === null || (typeof spare === 'number' && Number.isFinite(spare)))) {
      throw new ValueError(`Generator.setState: expected {words: 10 uint32s, pos: 0..4, spare: number | null}, received ${fmtReceived(state)}`);
    }
    const v = w as number[];
    [this.k0, this.k1, this.s0, this.s1, this.ctrLo, this.ctrHi] = v as [number, number, number, number, number, number];
    this.buf.set(v.slice(6));
    this.pos = pos as number;
    this.spare = spare as number | null;
  }

  /** Encrypts the next counter value into `out[at..at+3]` and advances the counter. */
  private block(out: Uint32Array, at: number): void {
    philox4x32(this.ctrLo, this.ctrHi, this.s0, this.s1, this.k0, this.k1, out, at);
    this.ctrLo = (this.ctrLo + 1) >>> 0;
    if (this.ctrLo === 0) this.ctrHi = (this.ctrHi + 1) >>> 0;
  }

  /** A uniformly distributed integer in [0, 2^32). */
  uint32(): number {
    if (this.pos === 4) {
      this.block(this.buf, 0);
      this.pos = 0;
    }
    return this.buf[this.pos++]!;
  }

  /** Fills `out` with the next out.length uint32s (the same words as repeated `uint32()`). */
  fillUint32(out: Uint32Array): Uint32Array {
    const n = out.length;
    let i = 0;
    while (i < n && this.pos < 4) out[i++] = this.buf[this.pos++]!;
    for (; i + 4 <= n; i += 4) this.block(out, i);
    while (i < n) out[i++] = this.uint32();
    return out;
  }

  /**
   * A uniform float in [0, 1) with 24 random bits: k·2^-24, exactly representable in float32,
   * so rounding to float32 can never produce 1.
   */
  float(): number {
    return (this.uint32() >>> 8) * TWO_NEG_24;
  }

  /** A uniform double in [0, 1) with 53 random bits (two words), for Box–Muller's tails. */
  private double(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_NEG_53;
  }

  /**
   * A standard normal value (Box–Muller on two 53-bit uniforms; each pair of uniforms gives
   * two normals, the second is kept for the next call). With 53-bit uniforms the largest
   * possible |z| is about 8.6, so the tails are sampled far beyond anything float32 training
   * notices.
   */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u1 = 1 - this.double(); // (0, 1]: log never sees 0
    const u2 = this.double();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = TWO_PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** An integer in [0, bound), bound ≤ 2^32, without modulo bias (rejection sampling). */
  uniformInt(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > TWO_32) {
      throw new ValueError(`Generator.uniformInt: bound must be an integer in [1, 2^32], received ${fmtReceived(bound)}`);
    }
    // Accept u below the largest multiple of bound that fits in 2^32; each value mod bound is
    // then hit by exactly limit/bound words. Rejection probability < 1/2.
    const limit = TWO_32 - (TWO_32 % bound);
    for (;;) {
      const u = this.uint32();
      if (u < limit) return u % bound;
    }
  }

  /** minval + (maxval − minval)·float() for each element (float64 arithmetic, then stored). */
  fillUniform(out: Float32Array | Float64Array, minval = 0, maxval = 1): void {
    const n = out.length;
    const words = this.fillUint32(new Uint32Array(n));
    const width = maxval - minval;
    for (let i = 0; i < n; i++) out[i] = minval + width * ((words[i]! >>> 8) * TWO_NEG_24);
  }

  /**
   * mean + stddev·normal() for each element. Whole Box–Muller pairs are computed from one bulk
   * draw of words (four per pair, in the order normal() reads them), which is about twice as
   * fast as calling normal() per element and gives the same numbers.
   */
  fillNormal(out: Float32Array | Float64Array, mean = 0, stddev = 1): void {
    const n = out.length;
    let i = 0;
    if (n > 0 && this.spare !== null) out[i++] = mean + stddev * this.normal();
    const pairs = (n - i) >> 1;
    const w = this.fillUint32(new Uint32Array(4 * pairs));
    for (let p = 0; p < pairs; p++, i += 2) {
      const u1 = 1 - ((w[4 * p]! >>> 5) * 67108864 + (w[4 * p + 1]! >>> 6)) * TWO_NEG_53;
      const u2 = ((w[4 * p + 2]! >>> 5) * 67108864 + (w[4 * p + 3]! >>> 6)) * TWO_NEG_53;
      const r = Math.sqrt(-2 * Math.log(u1));
      const theta = TWO_PI * u2;
      out[i] = mean + stddev * (r * Math.cos(theta));
      out[i + 1] = mean + stddev * (r * Math.sin(theta));
    }
    if (i < n) out[i] = mean + stddev * this.normal();
  }

  /**
   * mean + stddev·z with z a standard normal re-drawn while |z| > 2, as
   * tf.random.truncated_normal does. The variance is then 0.7737·stddev², which is why Keras's
   * initializers divide their stddev by 0.87962566103423978 = √0.7737 first.
   */
  fillTruncatedNormal(out: Float32Array | Float64Array, mean = 0, stddev = 1): void {
    for (let i = 0; i < out.length; i++) {
      let z = this.normal();
      while (z > 2 || z < -2) z = this.normal();
      out[i] = mean + stddev * z;
    }
  }

  /** Integers in [minval, maxval) without bias; the width must not exceed 2^32. */
  fillUniformInt(out: Int32Array | Float32Array | Float64Array, minval: number, maxval: number): void {
    const bound = maxval - minval;
    for (let i = 0; i < out.length; i++) out[i] = minval + this.uniformInt(bound);
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates, drawing from the top down). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 2147483647) {
      throw new ValueError(`Generator.permutation: n must be a non-negative int32, received ${fmtReceived(n)}`);
    }
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.uniformInt(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

let global: Generator | null = null;

/** A seed from the platform's entropy source, for the unseeded global generator. */
function entropySeed(): number {
  const w = new Uint32Array(2);
  // Web Crypto is global in browsers and Node >= 19 (hebb needs Node >= 20).
  const c: Crypto | undefined = globalThis.crypto;
  if (typeof c?.getRandomValues === 'function') {
    c.getRandomValues(w);
  } else {
    w[0] = Math.floor(Math.random() * TWO_32);
    w[1] = Math.floor(Math.random() * 2097152);
  }
  // 53 bits: a safe integer.
  return (w[1]! & 0x1fffff) * TWO_32 + w[0]!;
}

/**
 * Seeds the global generator, like keras.utils.set_random_seed: everything drawn from it
 * afterwards (initializers, dropout, shuffling) is reproducible.
 */
export function setSeed(seed: number): void {
  checkSeed('setSeed', seed);
  global = new Generator(seed);
}

/**
 * The global generator used when no `seed` or `generator` is given. Like Keras, it is
 * nondeterministic until `setSeed` is called: it is then seeded from crypto.getRandomValues
 * (Math.random where that is missing), so two unseeded runs differ.
 */
export function globalGenerator(): Generator {
  if (global === null) global = new Generator(entropySeed());
  return global;
}
