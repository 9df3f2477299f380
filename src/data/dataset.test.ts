/**
 * The pipeline steps of hb.data against independent expectations: element lists written out,
 * the shuffle's order recomputed from the Generator by the textbook buffered algorithm, and
 * prefetch's look-ahead counted at a stalled consumer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Generator } from '../core/random.js';

const range = (n: number) => hb.data.fromGenerator(function* () {
  for (let i = 0; i < n; i++) yield i;
});

describe('hb.data pipeline steps', () => {
  it('map, filter, take, skip, repeat compose lazily and re-run on each pass', async () => {
    const ds = range(10).map((v) => v * 2).filter((v) => v % 3 !== 0).skip(1).take(4);
    assert.deepEqual(await ds.toArray(), [4, 8, 10, 14]);
    assert.deepEqual(await ds.toArray(), [4, 8, 10, 14]); // a second pass, the same
    assert.deepEqual(await range(3).repeat(2).toArray(), [0, 1, 2, 0, 1, 2]);
    assert.deepEqual(await range(3).repeat().take(7).toArray(), [0, 1, 2, 0, 1, 2, 0]);
    assert.deepEqual(await range(0).repeat().toArray(), []); // an empty source does not spin
    assert.deepEqual(await range(3).map(async (v) => v + 1).toArray(), [1, 2, 3]);
  });

  it('batch stacks samples (numbers, typed arrays, {data, shape}) in arrays and objects, keeping int32', async () => {
    const ds = hb.data.fromTensorSlices({ a: { data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2] }, b: Int32Array.from([7, 8, 9]) });
    const [b0, b1] = await ds.batch(2).toArray();
    assert.deepEqual(b0, { a: { data: Float32Array.from([1, 2, 3, 4]), shape: [2, 2] }, b: { data: Int32Array.from([7, 8]), shape: [2] } });
    assert.deepEqual(b1, { a: { data: Float32Array.from([5, 6]), shape: [1, 2] }, b: { data: Int32Array.from([9]), shape: [1] } });
    assert.equal((await ds.batch(2, { dropRemainder: true }).toArray()).length, 1);
    const pairs = await hb.data.fromArrays([[1, 2], [3, 4], [5, 6]], [0, 1, 0]).batch(3).toArray();
    assert.deepEqual(pairs[0], [{ data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2] }, { data: Float32Array.from([0, 1, 0]), shape: [3] }]);
  });

  it('fromArrays reads a Tensor once and checks sample counts; batch rejects ragged samples', async () => {
    const t = hb.tensor([[1], [2]]);
    assert.deepEqual(await hb.data.fromArrays(t).batch(2).toArray(), [{ data: Float32Array.from([1, 2]), shape: [2, 1] }]);
    assert.throws(() => hb.data.fromArrays([[1], [2]], [1, 2, 3]), /fromArrays: x has 2 samples but y has 3; expected the same number/);
    const ragged = hb.data.fromGenerator(function* () {
      yield Float32Array.from([1, 2]);
      yield Float32Array.from([1, 2, 3]);
    });
    await assert.rejects(ragged.batch(2).toArray(), /batch: batch 0: sample 1 of the batch has shape \[3\] at the top, sample 0 has \[2\]/);
    assert.throws(() => range(3).batch(0), /Dataset.batch: batchSize must be a positive integer, received 0/);
    assert.throws(() => hb.data.fromGenerator(42 as never), /fromGenerator: expected a function returning an iterator/);
  });

  it('shuffle: the buffered algorithm with Generator(seed).split(pass), a new order each pass, the same for the same seed', async () => {
    const n = 20;
    const buffer = 5;
    const expected = (pass: number): number[] => {
      const rng = new Generator(42).split(pass);
      const buf: number[] = [];
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        if (buf.length < buffer) {
          buf.push(i);
          continue;
        }
        const j = rng.uniformInt(buffer);
        out.push(buf[j] as number);
        buf[j] = i;
      }
      while (buf.length > 0) {
        const j = rng.uniformInt(buf.length);
        out.push(buf[j] as number);
        buf[j] = buf[buf.length - 1] as number;
        buf.pop();
      }
      return out;
    };
    const ds = range(n).shuffle(buffer, { seed: 42 });
    const first = await ds.toArray();
    const second = await ds.toArray();
    assert.deepEqual(first, expected(0));
    assert.deepEqual(second, expected(1));
    assert.notDeepEqual(first, second);
    assert.deepEqual([...first].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
    const fixed = range(n).shuffle(buffer, { seed: 42, reshuffleEachIteration: false });
    assert.deepEqual(await fixed.toArray(), await fixed.toArray());
  });

  it('zip pairs elements and ends with the shortest, closing the others', async () => {
    let closed = false;
    const long = hb.data.fromGenerator(function* () {
      try {
        for (let i = 0; ; i++) yield i * 10;
      } finally {
        closed = true;
      }
    });
    assert.deepEqual(await range(3).zip(long).toArray(), [[0, 0], [1, 10], [2, 20]]);
    assert.ok(closed);
    assert.deepEqual(await hb.data.Dataset.zip({ a: range(2), b: range(3) }).toArray(), [{ a: 0, b: 0 }, { a: 1, b: 1 }]);
  });

  it('prefetch reads ahead at most bufferSize elements (+1 in flight) while the consumer stalls, and passes errors in order', async () => {
    let produced = 0;
    const src = hb.data.fromGenerator(async function* () {
      for (let i = 0; i < 100; i++) {
        produced++;
        yield i;
      }
    });
    const it = src.prefetch(3)[Symbol.asyncIterator]();
    assert.equal((await it.next()).value, 0);
    for (let k = 0; k < 50; k++) await new Promise((r) => setImmediate(r)); // the consumer stalls; the pump runs
    assert.ok(produced <= 1 + 3 + 1, `produced ${produced} while 1 was consumed`);
    assert.ok(produced >= 4, `the pump read ahead (${produced})`);
    const rest: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value as number);
    assert.deepEqual(rest, Array.from({ length: 99 }, (_, i) => i + 1));
    const failing = hb.data.fromGenerator(function* () {
      yield 1;
      yield 2;
      throw new Error('source broke at 3');
    }).prefetch(2);
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const v of failing) seen.push(v);
    }, /source broke at 3/);
    assert.deepEqual(seen, [1, 2]);
  });

  it('a consumer that stops early closes the source through every step', async () => {
    let closed = false;
    const ds = hb.data.fromGenerator(function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    });
    for await (const v of ds.map((e) => e + 1).prefetch(2).shuffle(4, { seed: 1 })) if (v > 3) break;
    assert.ok(closed);
  });
});
