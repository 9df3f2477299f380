/**
 * Runs in the page (keras.html, server.ts): hb.loadKerasModel on real Keras files served by the
 * test server, once from a URL (the loader's own fetch) and once from bytes the page fetched,
 * each predicting the fixture's reference inputs. keras.test.ts compares the predictions with
 * the float64 references. Imports nothing: hebb comes in as `hb` (the bundle).
 */
import type * as Hebb from '../../src/index.js';

interface PageReference {
  input_order: string[];
  inputs: Record<string, number[][]>;
  input_shapes: Record<string, (number | null)[]>;
}

export interface KerasFileReport {
  file: string;
  fromUrl: number[][];
  fromBytes: number[][];
}

async function predictions(hb: typeof Hebb, model: Hebb.Model, ref: PageReference): Promise<number[][]> {
  const xs = ref.input_order.map((n) => {
    const rows = ref.inputs[n] as number[][];
    return hb.tensor(rows.flat(), [rows.length, ...(ref.input_shapes[n] as (number | null)[]).slice(1).map(Number)]);
  });
  const y = await model.predict(xs.length === 1 ? (xs[0] as Hebb.Tensor) : xs);
  const ys = Array.isArray(y) ? y : [y];
  const out = await Promise.all(ys.map(async (t) => Array.from(await t.data(), Number)));
  hb.dispose([...xs, ...ys]);
  return out;
}

export async function runKeras(hb: typeof Hebb, files: readonly string[]): Promise<KerasFileReport[]> {
  const report: KerasFileReport[] = [];
  for (const file of files) {
    const url = new URL(`./fixtures/${file}`, location.href).href;
    const ref = (await (await fetch(url.replace(/\.(keras|h5)$/, '.reference.json'))).json()) as PageReference;
    const a = await hb.loadKerasModel(url);
    const fromUrl = await predictions(hb, a, ref);
    a.dispose();
    const bytes = new Uint8Array(await (await fetch(`${url}?as=bytes`)).arrayBuffer());
    const b = await hb.loadKerasModel(bytes);
    const fromBytes = await predictions(hb, b, ref);
    b.dispose();
    report.push({ file, fromUrl, fromBytes });
  }
  return report;
}
