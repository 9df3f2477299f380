/**
 * `dataset.prefetch(n)`: a pump pulls elements from the source ahead of the consumer into a
 * buffer of at most `n` (one more may be in flight in the source's `next`), so that while the
 * consumer awaits (fit awaits its callbacks, its log reads) the source's own awaits (a file
 * read, a decode in a worker) make progress. JavaScript runs one thing at a time: a source
 * whose work is synchronous code still runs between the consumer's steps, not beside them.
 *
 * An error in the source reaches the consumer at the element where it happened (after the
 * elements before it). When the consumer stops early, the pump stops and the source is
 * returned (closed).
 */
export async function* prefetchElements<T>(src: AsyncIterable<T>, bufferSize: number): AsyncGenerator<T> {
  const it = src[Symbol.asyncIterator]();
  const buf: T[] = [];
  let ended = false; // the source is done (or failed)
  let failure: { error: unknown } | null = null;
  let stopped = false; // the consumer left
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  const wake = (which: 'consumer' | 'producer'): void => {
    const f = which === 'consumer' ? wakeConsumer : wakeProducer;
    if (which === 'consumer') wakeConsumer = null;
    else wakeProducer = null;
    f?.();
  };
  const pump = (async () => {
    try {
      while (!stopped) {
        if (buf.length >= bufferSize) {
          await new Promise<void>((r) => (wakeProducer = r));
          continue;
        }
        const r = await it.next();
        if (r.done) return;
        buf.push(r.value);
        wake('consumer');
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      wake('consumer');
    }
  })();
  let finished = false;
  try {
    for (;;) {
      if (buf.length > 0) {
        const v = buf.shift() as T;
        wake('producer');
        yield v;
        continue;
      }
      if (failure) throw (failure as { error: unknown }).error;
      if (ended) {
        finished = true;
        return;
      }
      await new Promise<void>((r) => (wakeConsumer = r));
    }
  } finally {
    stopped = true;
    wake('producer');
    await pump;
    // A source the consumer left before its end is closed (the pump itself only reads).
    if (!finished && failure === null) await it.return?.();
  }
}
