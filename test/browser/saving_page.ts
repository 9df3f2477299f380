/**
 * The page side of saving.test.ts, run in headless Chromium with hebb's bundle and the real
 * TensorFlow.js bundle (tf.min.js) loaded in the same page. Takes both as arguments (no imports
 * at run time: the test's server hands this compiled file to the page as is). Every check that
 * needs only the page is asserted here (a failure rejects with the reason); what needs the test's
 * side (the downloaded files, the files chosen in <input type=file>) goes into the report.
 */
import type * as Hebb from '../../src/browser.js';

/** The part of tfjs's API the page uses. */
export interface Tfjs {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  tensor2d(values: number[], shape: [number, number]): TfTensor;
  loadLayersModel(url: string): Promise<TfModel>;
  io: { listModels(): Promise<Record<string, { weightDataBytes: number; modelTopologyType: string }>> };
  sequential(config: { layers: unknown[] }): TfModel;
  layers: { dense(config: Record<string, unknown>): unknown };
}
interface TfTensor {
  dataSync(): Float32Array;
  dispose(): void;
}
interface TfModel {
  predict(x: TfTensor): TfTensor;
  save(url: string): Promise<unknown>;
}

export interface SavingReport {
  /** Each model weight's values, in model order, before the download. */
  weights: number[][];
  weightNames: string[];
  /** The message of the corrupted-record load. */
  corruptedError: string;
  /** browserFiles' predictions equal the model's (checked in the page). */
  browserFilesOk: boolean;
  /** Checkpoint URLs listModels found. */
  checkpoints: string[];
  tfjsMaxDiff: { hebbToTfjs: number; tfjsToHebb: number };
}

export const N = 24;
const IN = 4;

function fail(what: string): never {
  throw new Error(what);
}

function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) fail(`${what}: ${a.length} values, expected ${b.length}`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) fail(`${what}: value ${i} is ${a[i]}, expected ${b[i]} (bit for bit)`);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, what: string): number {
  if (a.length !== b.length) fail(`${what}: ${a.length} values, expected ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  if (!(m < 1e-5)) fail(`${what}: predictions differ by ${m}`);
  return m;
}

/** Deterministic inputs in about [-1, 1] and labels. */
function data(): { x: number[]; y: number[] } {
  const x = Array.from({ length: N * IN }, (_, i) => Math.fround(Math.sin(i * 1.7 + 0.3)));
  const y = Array.from({ length: N }, (_, i) => i % 3);
  return { x, y };
}

async function weightsOf(m: Hebb.Model): Promise<number[][]> {
  return Promise.all(m.weights.map(async (w) => Array.from(await w.data())));
}

async function predict(m: Hebb.Model, x: Hebb.Tensor): Promise<Float32Array> {
  const p = (await m.predict(x)) as Hebb.Tensor;
  const v = (await p.data()) as Float32Array;
  p.dispose();
  return v;
}

function build(hb: typeof Hebb): Hebb.Model {
  hb.layers.resetLayerNames();
  hb.setSeed(7);
  const m = hb.sequential([hb.input({ shape: [IN] }), hb.layers.dense({ units: 8, activation: 'relu' }), hb.layers.dense({ units: 3, activation: 'softmax' })]);
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** The raw models_store record of `name`, or null; and a way to replace it (the corruption test). */
function idb<T>(body: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('tensorflowjs', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('models_store', 'readwrite');
      const req = body(tx.objectStore('models_store'));
      tx.oncomplete = () => (db.close(), resolve(req ? req.result : undefined));
      tx.onerror = () => reject(tx.error);
    };
  });
}

/** saving-fresh.html in an iframe: another realm, so another hebb, loads indexeddb://hebb-net and predicts `xs`. */
async function freshPredictions(xs: number[]): Promise<number[]> {
  Reflect.set(globalThis, 'savingInput', xs);
  const frame = document.createElement('iframe');
  frame.src = './saving-fresh.html';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const win = frame.contentWindow ?? fail('the iframe has no window');
  for (let i = 0; i < 200 && !('hebbReport' in win); i++) await new Promise((r) => setTimeout(r, 25));
  const out = (await Reflect.get(win, 'hebbReport')) as { ok: boolean; report?: number[]; error?: string } | undefined;
  frame.remove();
  if (!out?.ok || !out.report) fail(`the iframe's load failed: ${out?.error ?? 'no report'}`);
  return out.report;
}

export async function runSaving(hb: typeof Hebb, tf: Tfjs, chosenFiles: () => Promise<File[]>): Promise<SavingReport> {
  await tf.setBackend('cpu');
  await tf.ready();
  const { x: xs, y: ys } = data();
  const x = hb.tensor(xs, [N, IN]);
  const y = hb.tensor(Int32Array.from(ys), [N], 'int32');
  const fitOpts = { epochs: 2, batchSize: 8, verbose: 0 as const, shuffle: false };

  // 1. Train, save to IndexedDB, load fresh: same predictions; training goes on identically.
  const m = build(hb);
  await m.fit(x, y, fitOpts);
  await m.save('indexeddb://hebb-net');
  const rec = (await idb((s) => s.get('hebb-net'))) as { modelArtifacts?: { weightData?: unknown; format?: string } } | undefined;
  if (!(rec?.modelArtifacts?.weightData instanceof ArrayBuffer) || rec.modelArtifacts.format !== 'layers-model') fail(`the models_store record is not tfjs's shape: ${JSON.stringify(rec)?.slice(0, 300)}`);
  const back = await hb.loadModel('indexeddb://hebb-net');
  if (back === m) fail('loadModel returned the same object');
  const pm = await predict(m, x);
  same(await predict(back, x), pm, 'loaded model predictions');
  await m.fit(x, y, fitOpts);
  await back.fit(x, y, fitOpts);
  const wm = await weightsOf(m);
  (await weightsOf(back)).forEach((w, i) => same(w, wm[i] as number[], `weight ${i} after fit continued on the loaded model`));

  // 2. hebb → tfjs, through the same database, in the same page.
  await m.save('indexeddb://hebb-net');
  same(await freshPredictions(xs), await predict(m, x), 'a fresh hebb (in an iframe) loading the save');
  const tx = tf.tensor2d(xs, [N, IN]);
  const tm = await tf.loadLayersModel('indexeddb://hebb-net');
  const tp = tm.predict(tx);
  const hebbToTfjs = maxDiff(tp.dataSync(), await predict(m, x), 'tfjs loading hebb\'s save');
  tp.dispose();

  // 3. tfjs → hebb: a model tfjs builds and saves.
  const tfModel = tf.sequential({
    layers: [tf.layers.dense({ units: 5, activation: 'tanh', inputShape: [IN] }), tf.layers.dense({ units: 2 })],
  });
  await tfModel.save('indexeddb://tfjs-net');
  const fromTf = await hb.loadModel('indexeddb://tfjs-net');
  const tfp = tfModel.predict(tx);
  const tfjsToHebb = maxDiff(await predict(fromTf, x), tfp.dataSync(), 'hebb loading tfjs\'s save');
  tfp.dispose();
  // Each library lists the other's save, with the same info (model_info_store).
  const theirs = await tf.io.listModels();
  const ours = await hb.listModels();
  const bytes = m.weights.reduce((n, w) => n + 4 * w.shape.reduce((a, d) => a * d, 1), 0);
  if (theirs['indexeddb://hebb-net']?.weightDataBytes !== bytes || theirs['indexeddb://hebb-net']?.modelTopologyType !== 'JSON') {
    fail(`tf.io.listModels() lists hebb-net as ${JSON.stringify(theirs['indexeddb://hebb-net'])}, expected ${bytes} weight bytes`);
  }
  if (ours['indexeddb://tfjs-net']?.weightDataBytes !== (4 * 5 + 5 + 5 * 2 + 2) * 4) fail(`hb.listModels() lists tfjs-net as ${JSON.stringify(ours['indexeddb://tfjs-net'])}`);

  // 3b. The same both ways through localStorage (tfjs's keys under tensorflowjs_models/).
  await m.save('localstorage://hebb-ls');
  const tmLs = await tf.loadLayersModel('localstorage://hebb-ls');
  const tpLs = tmLs.predict(tx);
  maxDiff(tpLs.dataSync(), await predict(m, x), "tfjs loading hebb's localStorage save");
  tpLs.dispose();
  await tfModel.save('localstorage://tfjs-ls');
  const fromTfLs = await hb.loadModel('localstorage://tfjs-ls');
  const tfpLs = tfModel.predict(tx);
  maxDiff(await predict(fromTfLs, x), tfpLs.dataSync(), "hebb loading tfjs's localStorage save");
  tfpLs.dispose();
  fromTfLs.dispose();
  const listedLs = Object.keys(await hb.listModels()).filter((k) => k.startsWith('localstorage://')).sort();
  if (listedLs.join() !== 'localstorage://hebb-ls,localstorage://tfjs-ls') fail(`listModels lists ${listedLs.join(', ')} in localStorage`);
  tx.dispose();

  // 4. A checkpoint per epoch, and the best by val_loss, into IndexedDB.
  const ck = build(hb);
  const perEpoch: number[][][] = [];
  const valLoss: number[] = [];
  const xv = hb.tensor(xs.map((v) => -v), [N, IN]);
  await ck.fit(x, y, {
    epochs: 4,
    batchSize: 8,
    verbose: 0,
    shuffle: false,
    validationData: [xv, y],
    callbacks: [
      hb.callbacks.lambdaCallback({
        onEpochEnd: async (_e, logs) => {
          perEpoch.push(await weightsOf(ck));
          valLoss.push(logs['val_loss'] as number);
        },
      }),
      hb.callbacks.modelCheckpoint({ filepath: 'indexeddb://ckpt-{epoch}' }),
      hb.callbacks.modelCheckpoint({ filepath: 'indexeddb://ckpt-best', saveBestOnly: true, monitor: 'val_loss' }),
    ],
  });
  const listed = Object.keys(await hb.listModels()).filter((k) => k.startsWith('indexeddb://ckpt-')).sort();
  for (let e = 0; e < 4; e++) {
    const c = await hb.loadModel(`indexeddb://ckpt-${e + 1}`);
    (await weightsOf(c)).forEach((w, i) => same(w, perEpoch[e]?.[i] as number[], `ckpt-${e + 1} weight ${i}`));
    c.dispose();
  }
  const best = valLoss.indexOf(Math.min(...valLoss));
  const cb = await hb.loadModel('indexeddb://ckpt-best');
  (await weightsOf(cb)).forEach((w, i) => same(w, perEpoch[best]?.[i] as number[], `ckpt-best (epoch ${best + 1}, val_loss ${valLoss.join(', ')}) weight ${i}`));
  await hb.removeModel('indexeddb://ckpt-1');
  if ('indexeddb://ckpt-1' in (await hb.listModels())) fail('removeModel left ckpt-1 listed');

  // 5. A corrupted record (the weights cut short) is refused, and the model it would replace keeps its weights.
  const good = (await idb((s) => s.get('hebb-net'))) as { modelArtifacts: { weightData: ArrayBuffer } };
  await idb((s) => void s.put({ ...good, modelArtifacts: { ...good.modelArtifacts, weightData: good.modelArtifacts.weightData.slice(0, 20) } }));
  const before = await weightsOf(back);
  let corruptedError = '';
  try {
    await back.loadWeights('indexeddb://hebb-net');
    fail('a corrupted record loaded');
  } catch (e) {
    corruptedError = e instanceof Error ? e.message : String(e);
  }
  (await weightsOf(back)).forEach((w, i) => same(w, before[i] as number[], `weight ${i} after a refused load`));

  // 6. Downloads (checked by the test), then the same files chosen in <input type=file>.
  const weights = await weightsOf(m);
  await m.save('downloads://dl');
  const files = await chosenFiles();
  const fromFiles = await hb.loadModel(hb.browserFiles(files));
  same(await predict(fromFiles, x), await predict(m, x), 'browserFiles predictions');

  const names = m.weights.map((w) => w.name);
  hb.dispose([x, y, xv]);
  for (const mm of [m, back, fromTf, ck, cb, fromFiles]) mm.dispose();
  return { weights, weightNames: names, corruptedError, browserFilesOk: true, checkpoints: listed, tfjsMaxDiff: { hebbToTfjs, tfjsToHebb } };
}
