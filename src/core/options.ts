/**
 * Unknown option names, rejected. TypeScript catches `fit(x, y, {validation_split: 0.2})` at
 * compile time, but plain JavaScript would silently train without validation; every function
 * or constructor taking an options object calls `checkOptions` so that the mistake is an error
 * naming the function, the option and the closest valid one:
 * `fit: unknown option "validation_split"; did you mean "validationSplit"?`.
 *
 * The valid names sit next to each options type as an `OptionKeys<T>` object literal,
 * `{epochs: true, batchSize: true, ...}`: the compiler rejects the literal when it lacks a key
 * of T or has one T does not declare, so the list cannot drift from the type.
 */
import { ValueError, fmtReceived } from './errors.js';

/** Every key of T, each mapped to `true`; as an object literal, checked both ways by the compiler. */
export type OptionKeys<T> = { readonly [K in keyof T]-?: true };

/** The valid names of one options type (what `checkOptions` reads). */
export type AllowedOptions = Readonly<Record<string, true>>;

/** Case, underscores, hyphens and spaces do not count: `validation_split` ~ `validationSplit`. */
function normalize(name: string): string {
  return name.replace(/[_\-\s]/g, '').toLowerCase();
}

/**
 * Edit distance where insertions, deletions, substitutions and swaps of two neighbouring
 * letters each cost 1 (optimal string alignment): `nmae` is one typo from `name`.
 */
export function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] as number;
}

/** `learningRate` → `lr`: the first letter and each capital, lower-cased (Keras 2's `lr`). */
function initials(name: string): string {
  return (name.charAt(0) + name.slice(1).replace(/[^A-Z]/g, '')).toLowerCase();
}

/**
 * The valid name `name` most likely meant: the same name up to case and underscores, else one
 * whose initials it is (`lr` for `learningRate`), else the nearest by edit distance (on the
 * normalized names) within a third of its length (at least 1, at most 3 edits); null when
 * nothing is that close.
 */
export function closestOption(name: string, valid: readonly string[]): string | null {
  const n = normalize(name);
  const same = valid.find((v) => normalize(v) === n);
  if (same !== undefined) return same;
  const abbreviated = n.length >= 2 ? valid.find((v) => /[A-Z]/.test(v) && initials(v) === n) : undefined;
  if (abbreviated !== undefined) return abbreviated;
  const limit = Math.min(3, Math.max(1, Math.floor(n.length / 3)));
  let best: string | null = null;
  let bestD = limit + 1;
  for (const v of valid) {
    const d = editDistance(n, normalize(v));
    if (d < bestD) [best, bestD] = [v, d];
  }
  return best;
}

/**
 * Throws a ValueError when `options` is not an object or has a key that none of the `allowed`
 * sets lists (an own key of the object, whatever its value, even undefined). `undefined`
 * options pass: they mean all defaults. `where` names the function for the message ('fit',
 * 'Dense', 'adam').
 */
export function checkOptions(where: string, options: unknown, ...allowed: readonly AllowedOptions[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${where}: expected an options object, received ${fmtReceived(options)}`);
  }
  const isValid = (k: string): boolean => allowed.some((a) => Object.hasOwn(a, k));
  const unknown = Object.keys(options).filter((k) => !isValid(k));
  if (unknown.length === 0) return;
  const valid = [...new Set(allowed.flatMap((a) => Object.keys(a)))];
  const hints = unknown.map((k) => ({ k, guess: closestOption(k, valid) }));
  const listAll = hints.some((h) => h.guess === null);
  const validList = listAll ? `; valid options: ${valid.length > 0 ? valid.join(', ') : 'none'}` : '';
  const first = hints[0];
  if (hints.length === 1 && first) {
    const did = first.guess !== null ? `; did you mean "${first.guess}"?` : '';
    throw new ValueError(`${where}: unknown option "${first.k}"${did}${validList}`);
  }
  const each = hints.map((h) => `"${h.k}"${h.guess !== null ? ` (did you mean "${h.guess}"?)` : ''}`);
  throw new ValueError(`${where}: unknown options ${each.join(', ')}${validList}`);
}
