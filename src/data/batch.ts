/**
 * `dataset.batch(n)`: consecutive elements stacked into one (structure.ts); the last, short,
 * batch is kept unless `dropRemainder` (Keras and tf.data's default: kept).
 */
import { stackElements } from './structure.js';

export async function* batchElements<T>(src: AsyncIterable<T>, size: number, dropRemainder: boolean): AsyncGenerator<unknown> {
  let pending: T[] = [];
  let index = 0;
  for await (const e of src) {
    pending.push(e);
    if (pending.length === size) {
      yield stackElements(`batch: batch ${index++}`, pending);
      pending = [];
    }
  }
  if (pending.length > 0 && !dropRemainder) yield stackElements(`batch: batch ${index}`, pending);
}
