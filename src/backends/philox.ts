/**
 * The backend's random-number kernel (`Backend.randomUniform`): uniforms from Philox4x32-10
 * (core/random.ts) made where the tensor lives, so a training step's masks are not drawn in
 * JavaScript and uploaded (and a captured step can take the generator's counter as an input).
 *
 * A `PhiloxRange` names a run of words of one generator's stream: block j of the run is
 * philox4x32(counter + j, key), where the 128-bit counter is (lo, hi, s0, s1) and only its
 * lower 64 bits (lo, hi) advance, as Generator.block advances them; the run starts at word `skip`
 * (0..3) of block 0. Element i of the output takes word skip + i, so the output is exactly the
 * numbers `Generator.fillUniform` would give for the same state (ops/random_counter.ts works the
 * range out from a generator's state and advances the generator by arithmetic alone).
 */
import { philox4x32 } from '../core/random.js';

export interface PhiloxRange {
  /** Philox key (k0, k1), uint32s. */
  readonly key: readonly [number, number];
  /** The first block's counter: lo, hi (the block counter) and s0, s1 (the stream id), uint32s. */
  readonly counter: readonly [number, number, number, number];
  /** Words of block 0 already used (0..3). */
  readonly skip: number;
}

const TWO_32 = 4294967296;
const TWO_NEG_24 = 1 / 16777216;

/** The counter `blocks` blocks after (lo, hi): lower 64 bits only, wrapping as Generator.block does. */
export function addBlocks(lo: number, hi: number, blocks: number): [number, number] {
  const s = lo + blocks;
  return [s % TWO_32 >>> 0, (hi + Math.floor(s / TWO_32)) >>> 0];
}

/**
 * The reference (and the cpu backend's) kernel: out[i] = minval + width·(w >>> 8)·2^-24 in
 * float64 for word w = skip + i of the range, stored into out (rounded to its dtype).
 */
export function philoxUniformInto(out: Float32Array | Float64Array, r: PhiloxRange, minval: number, width: number): void {
  const n = out.length;
  const [k0, k1] = r.key;
  const [lo, hi, s0, s1] = r.counter;
  const w = new Uint32Array(4);
  let i = 0;
  for (let j = 0; i < n; j++) {
    const [cl, ch] = addBlocks(lo, hi, j);
    philox4x32(cl, ch, s0, s1, k0, k1, w);
    for (let l = j === 0 ? r.skip : 0; l < 4 && i < n; l++, i++) out[i] = minval + width * (((w[l] as number) >>> 8) * TWO_NEG_24);
  }
}
