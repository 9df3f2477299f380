/**
 * Checks on how models contain layers: a model must not contain itself (at any depth: its
 * forward pass and its weights would recurse forever), and the layers of one model must have
 * distinct names (weights are named `<layer>/<weight>`, and getLayer, summaries and saved
 * files find layers by name).
 */
import { ValueError } from '../core/errors.js';
import { Layer } from '../layers/layer.js';

/** The direct sublayers of a model (any object with a `layers` list); none for a plain layer. */
function sublayers(l: Layer): readonly Layer[] {
  if (!('layers' in l)) return [];
  const inner: unknown = l.layers;
  return Array.isArray(inner) ? inner.filter((e): e is Layer => e instanceof Layer) : [];
}

/** True when `target` is among `start` or nested in one of them at any depth (each visited once). */
function reaches(start: readonly Layer[], target: Layer): boolean {
  const seen = new Set<Layer>();
  const stack = [...start];
  while (stack.length > 0) {
    const l = stack.pop() as Layer;
    if (l === target) return true;
    if (seen.has(l)) continue;
    seen.add(l);
    stack.push(...sublayers(l));
  }
  return false;
}

/** True when `target` is `root` or is nested in it at any depth. */
export function containsLayer(root: Layer, target: Layer): boolean {
  return reaches([root], target);
}

/** Throws when `model` is among its own sublayers at any depth. */
export function assertNotSelfNested(model: Layer, who: string, op: string): void {
  if (reaches(sublayers(model), model)) {
    throw new ValueError(`${op}: ${who} contains itself (through its layers); a model cannot be a layer of itself`);
  }
}

/** Keras's check: `The name "dense" is used 2 times in the model. All layer names should be unique.` */
export function assertUniqueNames(who: string, layers: readonly Layer[]): void {
  const counts = new Map<string, number>();
  for (const l of layers) counts.set(l.name, (counts.get(l.name) ?? 0) + 1);
  for (const [name, n] of counts) {
    if (n > 1) throw new ValueError(`${who}: the name "${name}" is used ${n} times in the model. All layer names should be unique (pass a distinct name: ... to each layer)`);
  }
}
