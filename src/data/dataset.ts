/**
 * `Dataset<T>`: a re-iterable, lazy stream of elements, in the spirit of tf.data. A dataset is
 * a recipe: each `for await` (each epoch of fit) calls its factory for a fresh pass, and the
 * steps (map, filter, batch, shuffle, repeat, take, skip, prefetch, zip) wrap the upstream
 * factory without running anything. Only what a step needs is held: a batch's elements, a
 * shuffle buffer, a prefetch buffer; so a pass over data far larger than memory stays flat.
 *
 * Every step returns a new Dataset and leaves its source unchanged. Elements are host values
 * (structure.ts): numbers, typed arrays, `{data, shape}`, in arrays and objects.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { positiveInt } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { batchElements } from './batch.js';
import { prefetchElements } from './prefetch.js';
import { shuffleElements, shuffleGenerator, type ShuffleOptions } from './shuffle.js';
import type { HostArray, Leaf } from './structure.js';
import { checkCount, filterElements, mapElements, repeatElements, skipElements, takeElements } from './transforms.js';
import { zipElements } from './zip.js';

/** The batch of elements of type T: each sample becomes a stacked array (structure.ts). */
export type Batched<T> = T extends Leaf
  ? HostArray
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Batched<T[K]> }
    : T extends object
      ? { -readonly [K in keyof T]: Batched<T[K]> }
      : never;

export interface BatchOptions {
  /** [false] leave out a last batch shorter than batchSize. */
  dropRemainder?: boolean;
}

const BATCH_OPTIONS: OptionKeys<BatchOptions> = { dropRemainder: true };
const SHUFFLE_OPTIONS: OptionKeys<ShuffleOptions> = { seed: true, reshuffleEachIteration: true };

/** Something a pass can be made from: an (async) iterator, or an (async) iterable. */
export type IterSource<T> = AsyncIterator<T> | Iterator<T> | AsyncIterable<T> | Iterable<T>;

/** One pass over whatever `make` returns, as an async iterable. */
async function* pass<T>(what: string, made: IterSource<T>): AsyncGenerator<T> {
  const m = made as unknown as Record<symbol | string, unknown> | null;
  if (typeof m === 'object' && m !== null && typeof m[Symbol.asyncIterator] === 'function') {
    yield* made as AsyncIterable<T>;
  } else if (typeof m === 'object' && m !== null && typeof m[Symbol.iterator] === 'function') {
    yield* made as Iterable<T>;
  } else if (typeof m === 'object' && m !== null && typeof m['next'] === 'function') {
    const it = made as AsyncIterator<T>;
    let finished = false;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) {
          finished = true;
          return;
        }
        yield r.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  } else {
    throw new ValueError(`${what}: expected the function to return an iterator or an iterable (a generator), received ${fmtReceived(made)}`);
  }
}

export class Dataset<T> implements AsyncIterable<T> {
  /** `make` starts one pass; it is called again for every pass (every epoch). */
  constructor(private readonly make: () => AsyncIterable<T>) {}

  /** A dataset whose passes are `fn()`'s iterators or iterables: a generator function fits. */
  static fromFactory<T>(what: string, fn: () => IterSource<T>): Dataset<T> {
    if (typeof fn !== 'function') throw new ValueError(`${what}: expected a function returning an iterator (a generator function), received ${fmtReceived(fn)}`);
    return new Dataset(() => pass(what, fn()));
  }

  /** Elements of several datasets side by side, ending with the shortest (tf.data's zip). */
  static zip<A extends readonly Dataset<unknown>[]>(datasets: readonly [...A]): Dataset<{ -readonly [K in keyof A]: A[K] extends Dataset<infer E> ? E : never }>;
  static zip<R extends Record<string, Dataset<unknown>>>(datasets: R): Dataset<{ [K in keyof R]: R[K] extends Dataset<infer E> ? E : never }>;
  static zip(datasets: readonly Dataset<unknown>[] | Record<string, Dataset<unknown>>): Dataset<unknown> {
    const list = Array.isArray(datasets) ? (datasets as readonly Dataset<unknown>[]) : Object.values(datasets);
    const keys = Array.isArray(datasets) ? null : Object.keys(datasets);
    list.forEach((d, i) => {
      if (!(d instanceof Dataset)) throw new ValueError(`Dataset.zip: ${keys ? `"${keys[i]}"` : `element ${i}`} must be a Dataset, received ${fmtReceived(d)}`);
    });
    if (list.length === 0) throw new ValueError('Dataset.zip: expected at least one dataset, received none');
    const zipped = new Dataset(() => zipElements(list.map((d) => d.make())));
    if (!keys) return zipped;
    return zipped.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i]])));
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.make()[Symbol.asyncIterator]();
  }

  /** `fn` on every element (it may be async). */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    if (typeof fn !== 'function') throw new ValueError(`Dataset.map: expected a function, received ${fmtReceived(fn)}`);
    return new Dataset(() => mapElements(this.make(), fn));
  }

  /** The elements for which `predicate` holds. */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    if (typeof predicate !== 'function') throw new ValueError(`Dataset.filter: expected a function, received ${fmtReceived(predicate)}`);
    return new Dataset(() => filterElements(this.make(), predicate));
  }

  /** `batchSize` consecutive elements stacked into one (structure.ts). */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    positiveInt('Dataset.batch', 'batchSize', batchSize);
    checkOptions('Dataset.batch', options, BATCH_OPTIONS);
    const drop = options.dropRemainder ?? false;
    if (typeof drop !== 'boolean') throw new ValueError(`Dataset.batch: dropRemainder must be a boolean, received ${fmtReceived(drop)}`);
    return new Dataset(() => batchElements(this.make(), batchSize, drop) as AsyncIterable<Batched<T>>);
  }

  /** A buffered shuffle (shuffle.ts): holds `bufferSize` elements. */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    positiveInt('Dataset.shuffle', 'bufferSize', bufferSize);
    checkOptions('Dataset.shuffle', options, SHUFFLE_OPTIONS);
    if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) throw new ValueError(`Dataset.shuffle: seed must be an integer, received ${fmtReceived(options.seed)}`);
    let passes = 0;
    return new Dataset(() => shuffleElements(this.make(), bufferSize, shuffleGenerator(options, passes++)));
  }

  /** `count` passes over this dataset [Infinity: forever]. */
  repeat(count = Infinity): Dataset<T> {
    checkCount('Dataset.repeat', 'count', count, true);
    return new Dataset(() => repeatElements(() => this.make(), count));
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    checkCount('Dataset.take', 'count', count, true);
    return new Dataset(() => takeElements(this.make(), count));
  }

  /** All but the first `count` elements. */
  skip(count: number): Dataset<T> {
    checkCount('Dataset.skip', 'count', count);
    return new Dataset(() => skipElements(this.make(), count));
  }

  /** Reads up to `bufferSize` elements ahead (prefetch.ts) [2]. */
  prefetch(bufferSize = 2): Dataset<T> {
    positiveInt('Dataset.prefetch', 'bufferSize', bufferSize);
    return new Dataset(() => prefetchElements(this.make(), bufferSize));
  }

  /** This dataset's elements beside `other`'s: `[a, b]` (`Dataset.zip`). */
  zip<U>(other: Dataset<U>): Dataset<[T, U]> {
    return new Dataset(() => zipElements([this.make(), other.make()]) as AsyncIterable<[T, U]>);
  }

  /** Every element of one pass, in an array (for small datasets and tests). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const e of this) out.push(e);
    return out;
  }
}
