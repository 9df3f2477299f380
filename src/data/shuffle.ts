/**
 * `dataset.shuffle(bufferSize)`: tf.data's buffered shuffle. The first `bufferSize` elements
 * fill a buffer; then each element out is a uniformly chosen buffer slot, refilled from the
 * source; at the end the rest leave in random order. A buffer as large as the dataset is a
 * full uniform shuffle; a smaller one mixes only nearby elements and holds only `bufferSize`
 * of them in memory.
 *
 * Randomness is hebb's Philox Generator (core/random.ts). With a `seed`, pass k over the data
 * uses `new Generator(seed).split(k)` (`reshuffleEachIteration`, the default) or `split(0)`
 * every pass, so a run is reproducible whatever else draws numbers; without one, each pass
 * draws its seed from the global generator (`hb.setSeed`).
 */
import { globalGenerator, Generator } from '../core/random.js';

export interface ShuffleOptions {
  /** Fixes the order (see the file comment); default: drawn from the global generator. */
  seed?: number;
  /** [true] a new order on every pass over the data (each epoch). */
  reshuffleEachIteration?: boolean;
}

/** The generator for pass `pass` of a shuffle with these options. */
export function shuffleGenerator(options: ShuffleOptions, pass: number): Generator {
  const reshuffle = options.reshuffleEachIteration ?? true;
  if (options.seed === undefined) return new Generator(globalGenerator().uint32());
  return new Generator(options.seed).split(reshuffle ? pass : 0);
}

export async function* shuffleElements<T>(src: AsyncIterable<T>, bufferSize: number, rng: Generator): AsyncGenerator<T> {
  const buf: T[] = [];
  for await (const e of src) {
    if (buf.length < bufferSize) {
      buf.push(e);
      continue;
    }
    const j = rng.uniformInt(bufferSize);
    const out = buf[j] as T;
    buf[j] = e;
    yield out;
  }
  while (buf.length > 0) {
    const j = rng.uniformInt(buf.length);
    const out = buf[j] as T;
    buf[j] = buf[buf.length - 1] as T;
    buf.pop();
    yield out;
  }
}
