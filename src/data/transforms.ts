/**
 * The element-wise pipeline steps as async generators over an upstream iterable. Each is
 * lazy (nothing runs before the first `next`) and passes an early stop upstream: a consumer
 * that stops (`break`, an error, fit's stepsPerEpoch) returns the upstream iterator too, so a
 * file a source has open is closed.
 */
import { ValueError, fmtReceived } from '../core/errors.js';

/** A count argument: a non-negative integer (or Infinity where `infinite`). */
export function checkCount(op: string, name: string, n: unknown, infinite = false): number {
  if (typeof n === 'number' && ((Number.isInteger(n) && n >= 0) || (infinite && n === Infinity))) return n;
  throw new ValueError(`${op}: ${name} must be a non-negative integer${infinite ? ' or Infinity' : ''}, received ${fmtReceived(n)}`);
}

export async function* mapElements<T, U>(src: AsyncIterable<T>, fn: (e: T) => U | Promise<U>): AsyncGenerator<U> {
  for await (const e of src) yield await fn(e);
}

export async function* filterElements<T>(src: AsyncIterable<T>, pred: (e: T) => boolean | Promise<boolean>): AsyncGenerator<T> {
  for await (const e of src) if (await pred(e)) yield e;
}

export async function* takeElements<T>(src: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  if (n === 0) return; // without touching the source
  let i = 0;
  for await (const e of src) {
    yield e;
    if (++i >= n) return;
  }
}

export async function* skipElements<T>(src: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  let i = 0;
  for await (const e of src) {
    if (i++ < n) continue;
    yield e;
  }
}

/**
 * `count` passes over a re-iterable source (Infinity: forever). A pass that yields nothing
 * ends the repetition, as tf.data does, instead of spinning forever on an empty source.
 */
export async function* repeatElements<T>(make: () => AsyncIterable<T>, count: number): AsyncGenerator<T> {
  for (let pass = 0; pass < count; pass++) {
    let any = false;
    for await (const e of make()) {
      any = true;
      yield e;
    }
    if (!any) return;
  }
}
