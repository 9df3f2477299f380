/**
 * The real Keras files in ../shared/fixtures (keras/, malicious/) and their reference
 * predictions (computed in float64 by fixtures/tools/make_reference.py, independent of hebb),
 * for the tests of src/io/keras/.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as hb from '../src/index.js';
import type { Tensor } from '../src/core/tensor.js';
import type { Model } from '../src/models/model.js';

export const KERAS_FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'keras');
export const MALICIOUS_FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'malicious');

export interface Reference {
  input_order: string[];
  input_shapes: Record<string, (number | null)[]>;
  inputs: Record<string, number[][]>;
  output_order: string[];
  outputs: Record<string, number[][]>;
}

/** The model files of fixtures/keras (not the reference JSONs). */
export function kerasFixtureFiles(): string[] {
  return readdirSync(KERAS_FIXTURES).filter((f) => f.endsWith('.keras') || f.endsWith('.h5')).sort();
}

export function reference(file: string): Reference {
  return JSON.parse(readFileSync(join(KERAS_FIXTURES, file.replace(/\.(keras|h5)$/, '.reference.json')), 'utf8')) as Reference;
}

/** The reference inputs as tensors, in the model's input order. */
export function referenceInputs(ref: Reference): Tensor[] {
  return ref.input_order.map((n) => {
    const rows = ref.inputs[n] as number[][];
    const shape = [rows.length, ...(ref.input_shapes[n] as (number | null)[]).slice(1).map(Number)];
    return hb.tensor(rows.flat(), shape);
  });
}

/** Predictions for the reference inputs, one array per output in output order. */
export async function predictReference(model: Model, ref: Reference): Promise<Float32Array[]> {
  const xs = referenceInputs(ref);
  const y = await model.predict(xs.length === 1 ? (xs[0] as Tensor) : xs);
  const ys = Array.isArray(y) ? y : [y];
  const out = await Promise.all(ys.map(async (t) => (await t.data()) as Float32Array));
  hb.dispose([...xs, ...ys]);
  return out;
}

/** float32 against the float64 reference: 1e-5 relative, 1e-6 absolute (fixtures/README.md). */
export function assertMatchesReference(got: readonly Float32Array[], ref: Reference, what: string): void {
  assert.equal(got.length, ref.output_order.length, `${what}: number of outputs`);
  ref.output_order.forEach((name, k) => {
    const want = (ref.outputs[name] as number[][]).flat();
    const g = got[k] as Float32Array;
    assert.equal(g.length, want.length, `${what}: ${name} length`);
    want.forEach((w, i) => {
      const v = g[i] as number;
      assert.ok(Math.abs(v - w) <= 1e-6 + 1e-5 * Math.abs(w), `${what}: ${name}[${i}] = ${v}, reference ${w}`);
    });
  });
}
