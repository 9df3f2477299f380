/**
 * Automatic layer names, as Keras makes them: the snake_case class name, then `_1`, `_2`, ...
 * per prefix. Split from layer.ts, which re-exports it.
 */

/** Keras's to_snake_case: Dense → dense, LeakyReLU → leaky_re_lu, PReLU → p_re_lu. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const nameCounts = new Map<string, number>();

/** `prefix` the first time, then `prefix_1`, `prefix_2`, ... (Keras's uid naming). */
export function uniqueLayerName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Restarts automatic naming (Keras's clear_session), so tests see `dense` again. */
export function resetLayerNames(): void {
  nameCounts.clear();
}
