/**
 * `Dataset.zip([a, b])` / `Dataset.zip({x: a, y: b})`: elements side by side, as tf.data's
 * zip; it ends with the shortest source (the others are returned, closed).
 */
export async function* zipElements(sources: readonly AsyncIterable<unknown>[]): AsyncGenerator<unknown[]> {
  const its = sources.map((s) => s[Symbol.asyncIterator]());
  const done = new Set<number>();
  try {
    for (;;) {
      const rs = await Promise.all(its.map((it) => it.next()));
      rs.forEach((r, i) => {
        if (r.done) done.add(i);
      });
      if (done.size > 0) return;
      yield rs.map((r) => r.value as unknown);
    }
  } finally {
    await Promise.all(its.map((it, i) => (done.has(i) ? undefined : it.return?.())));
  }
}
