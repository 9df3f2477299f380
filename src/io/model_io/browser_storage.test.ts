/**
 * The browser handlers' logic in Node: IndexedDB through fake-indexeddb (an in-memory
 * implementation of the IndexedDB API, a devDependency), localStorage through a small Storage
 * with a quota, browserFiles through Node's File. The real browser, and real TensorFlow.js on
 * the other side of the same database, are in test/browser/saving.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import * as hb from '../../index.js';
import type { Tensor } from '../../core/tensor.js';
import type { Model } from '../../models/model.js';
import { DATABASE_NAME, INFO_STORE, MODEL_STORE, openDatabase, transact } from './browser_indexeddb.js';
import { handlerFor } from './browser_route.js';
import { fromBase64, toBase64 } from './browser_source.js';

async function weightsOf(m: Model): Promise<number[][]> {
  return Promise.all(m.weights.map(async (w) => Array.from(await w.data())));
}

function setup(seed: number): { m: Model; x: Tensor; y: Tensor } {
  hb.layers.resetLayerNames();
  hb.setSeed(seed);
  const L = hb.layers;
  const m = hb.sequential([hb.input({ shape: [4] }), L.dense({ units: 6, activation: 'relu' }), L.dense({ units: 3, activation: 'softmax' })]);
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const g = new hb.Generator(seed + 1);
  const x = hb.tensor(Float32Array.from({ length: 32 * 4 }, () => g.normal()), [32, 4]);
  const y = hb.tensor(Int32Array.from({ length: 32 }, () => g.uint32() % 3), [32], 'int32');
  return { m, x, y };
}

/** Weight bytes the model's specs need, from the shapes (4 bytes a float32). */
const bytesOf = (m: Model): number => m.weights.reduce((n, w) => n + 4 * w.shape.reduce((a, d) => a * d, 1), 0);

/** The raw record of `name` in a fake IndexedDB. */
async function record(f: IDBFactory, store: string, name: string): Promise<Record<string, unknown>> {
  return transact(f, [store], 'readonly', 'test', (tx) => {
    const r = tx.objectStore(store).get(name);
    return () => r.result as Record<string, unknown>;
  });
}

async function put(f: IDBFactory, value: unknown): Promise<void> {
  await transact(f, [MODEL_STORE], 'readwrite', 'test', (tx) => (tx.objectStore(MODEL_STORE).put(value), () => undefined));
}

describe('indexeddb:// (fake-indexeddb)', () => {
  it("writes tfjs's schema: database, stores, record shapes", async () => {
    const f = new IDBFactory();
    const { m, x, y } = setup(1);
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    await m.save(hb.browserIndexedDB('indexeddb://net', { indexedDB: f }));
    const db = await openDatabase(f, 'test');
    assert.equal(db.name, DATABASE_NAME);
    assert.equal(db.name, 'tensorflowjs');
    assert.deepEqual(Array.from({ length: db.objectStoreNames.length }, (_, i) => db.objectStoreNames.item(i)).sort(), ['model_info_store', 'models_store']);
    db.close();
    const rec = await record(f, MODEL_STORE, 'net');
    assert.equal(rec['modelPath'], 'net');
    const ma = rec['modelArtifacts'] as Record<string, unknown>;
    assert.equal(ma['format'], 'layers-model');
    assert.equal((ma['modelTopology'] as { class_name: string }).class_name, 'Sequential');
    assert.ok(ma['weightData'] instanceof ArrayBuffer);
    assert.equal((ma['weightData'] as ArrayBuffer).byteLength, bytesOf(m));
    assert.deepEqual((ma['weightSpecs'] as { name: string }[]).map((s) => s.name), m.weights.map((w) => w.name));
    assert.ok(ma['hebbOptimizerData'] instanceof ArrayBuffer, 'adam state stored beside the weights');
    const info = (await record(f, INFO_STORE, 'net'))['modelArtifactsInfo'] as Record<string, unknown>;
    assert.equal(info['modelTopologyType'], 'JSON');
    assert.equal(info['weightDataBytes'], bytesOf(m));
    assert.equal(info['modelTopologyBytes'], new TextEncoder().encode(JSON.stringify(ma['modelTopology'])).byteLength);
    assert.ok(info['dateSaved'] instanceof Date);
    hb.dispose([x, y]);
    m.dispose();
  });

  it('a loaded model predicts identically and continues training bit for bit; list and remove', async () => {
    const f = new IDBFactory();
    const ref = setup(2);
    await ref.m.fit(ref.x, ref.y, { epochs: 2, batchSize: 8, verbose: 0 });
    const run = setup(2);
    await run.m.fit(run.x, run.y, { epochs: 1, batchSize: 8, verbose: 0 });
    await run.m.save(hb.browserIndexedDB('net', { indexedDB: f }));
    const back = await hb.loadModel(hb.browserIndexedDB('indexeddb://net', { indexedDB: f }), { restoreRandomState: true });
    const p = (await run.m.predict(run.x)) as Tensor;
    const q = (await back.predict(run.x)) as Tensor;
    assert.deepEqual(Array.from(await q.data()), Array.from(await p.data()));
    await back.fit(run.x, run.y, { epochs: 1, batchSize: 8, verbose: 0 });
    assert.deepEqual(await weightsOf(back), await weightsOf(ref.m));
    // loadWeights reads the same record.
    const fresh = setup(9).m;
    await fresh.loadWeights(hb.browserIndexedDB('net', { indexedDB: f }));
    assert.deepEqual(await weightsOf(fresh), await weightsOf(run.m));
    hb.dispose([p, q, ref.x, ref.y, run.x, run.y]);
    for (const m of [ref.m, run.m, back, fresh]) m.dispose();
  });

  it('one transaction: a failing save leaves the previous model whole', async () => {
    const f = new IDBFactory();
    const { m, x, y } = setup(3);
    await m.save(hb.browserIndexedDB('net', { indexedDB: f }));
    const before = await record(f, MODEL_STORE, 'net');
    // The second put of a save throws (a value that cannot be cloned): the first must not commit.
    await assert.rejects(
      transact(f, [MODEL_STORE, INFO_STORE], 'readwrite', 'save', (tx) => {
        tx.objectStore(MODEL_STORE).put({ modelPath: 'net', modelArtifacts: { replaced: true } });
        tx.objectStore(INFO_STORE).put({ modelPath: 'net', modelArtifactsInfo: () => 0 });
        return () => undefined;
      }),
      /DataCloneError|could not be cloned/i,
    );
    assert.deepEqual(await record(f, MODEL_STORE, 'net'), before);
    const back = await hb.loadModel(hb.browserIndexedDB('net', { indexedDB: f }));
    assert.deepEqual(await weightsOf(back), await weightsOf(m));
    hb.dispose([x, y]);
    m.dispose();
    back.dispose();
  });

  it('a corrupted or hand-edited record is refused by the reader, naming it', async () => {
    const f = new IDBFactory();
    const { m, x, y } = setup(4);
    await m.save(hb.browserIndexedDB('net', { indexedDB: f }));
    const good = await record(f, MODEL_STORE, 'net');
    const ma = good['modelArtifacts'] as Record<string, unknown>;
    const h = () => hb.loadModel(hb.browserIndexedDB('net', { indexedDB: f }));
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['truncated weights', { ...ma, weightData: (ma['weightData'] as ArrayBuffer).slice(0, 10) }, /indexeddb:\/\/net: the shards of weightsManifest\[0\] .*hold 10 bytes, the weights need/],
      ['flipped byte', { ...ma, weightData: flip(ma['weightData'] as ArrayBuffer) }, /indexeddb:\/\/net \(weights\.bin\) does not match the sha256/],
      ['absurd shape', { ...ma, weightSpecs: [{ name: 'dense/kernel', shape: [1e6, 1e6], dtype: 'float32' }] }, /indexeddb:\/\/net.*dense\/kernel/],
      ['unknown class', { ...ma, modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Evil', config: {} }] } } }, /Evil/],
      ['weightData a string', { ...ma, weightData: 'abc' }, /indexeddb:\/\/net: weightData must be an ArrayBuffer/],
    ];
    for (const [what, edited, re] of cases) {
      await put(f, { ...good, modelArtifacts: edited });
      await assert.rejects(h(), re, what);
    }
    await put(f, { modelPath: 'net', modelArtifacts: 42 });
    await assert.rejects(h(), /indexeddb:\/\/net: the stored model must be an object/);
    await assert.rejects(hb.loadModel(hb.browserIndexedDB('nothing', { indexedDB: f })), /indexeddb:\/\/nothing: no model of that name in IndexedDB/);
    hb.dispose([x, y]);
    m.dispose();
  });

  it('listModels / removeModel', async () => {
    const f = new IDBFactory();
    const g = globalThis as { indexedDB?: IDBFactory };
    g.indexedDB = f;
    try {
      const { m, x, y } = setup(5);
      await m.save('indexeddb://a');
      await m.save('indexeddb://b');
      const list = await hb.listModels();
      assert.deepEqual(Object.keys(list).sort(), ['indexeddb://a', 'indexeddb://b']);
      assert.equal(list['indexeddb://a']?.weightDataBytes, bytesOf(m));
      assert.equal((await hb.removeModel('indexeddb://a')).weightDataBytes, bytesOf(m));
      assert.deepEqual(Object.keys(await hb.listModels()), ['indexeddb://b']);
      await assert.rejects(hb.loadModel('indexeddb://a'), /no model of that name/);
      await assert.rejects(hb.removeModel('indexeddb://a'), /removeModel: indexeddb:\/\/a: no model of that name/);
      hb.dispose([x, y]);
      m.dispose();
    } finally {
      delete g.indexedDB;
    }
  });
});

function flip(b: ArrayBuffer): ArrayBuffer {
  const c = new Uint8Array(b.slice(0));
  c[5] = (c[5] as number) ^ 0x40;
  return c.buffer;
}

/** A Storage that refuses to hold more than `quota` characters, as browsers do (QuotaExceededError). */
class QuotaStorage implements Storage {
  readonly items = new Map<string, string>();
  constructor(private readonly quota: number) {}
  get length(): number {
    return this.items.size;
  }
  key(i: number): string | null {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    const used = [...this.items].reduce((n, [kk, vv]) => n + (kk === k ? 0 : kk.length + vv.length), 0);
    if (used + k.length + v.length > this.quota) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(k, v);
  }
  removeItem(k: string): void {
    this.items.delete(k);
  }
  clear(): void {
    this.items.clear();
  }
}

describe('localstorage://', () => {
  it("tfjs's keys; round trip; a save over the quota restores the previous model", async () => {
    const s = new QuotaStorage(20_000);
    const { m, x, y } = setup(6);
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    await m.save(hb.browserLocalStorage('net', { localStorage: s }));
    assert.deepEqual([...s.items.keys()].sort(), ['info', 'model_metadata', 'model_topology', 'weight_data', 'weight_specs'].map((k) => `tensorflowjs_models/net/${k}`));
    assert.equal(fromBase64(s.getItem('tensorflowjs_models/net/weight_data') ?? '', 'test').byteLength, bytesOf(m));
    const back = await hb.loadModel(hb.browserLocalStorage('localstorage://net', { localStorage: s }));
    assert.deepEqual(await weightsOf(back), await weightsOf(m));
    assert.equal(back.optimizer?.name, 'adam');
    const snapshot = new Map(s.items);
    hb.layers.resetLayerNames();
    const big = hb.sequential([hb.input({ shape: [4] }), hb.layers.dense({ units: 2000 })]);
    await assert.rejects(big.save(hb.browserLocalStorage('net', { localStorage: s })), /save: localstorage:\/\/net: localStorage refused .*QuotaExceededError.*previous model of that name is unchanged/);
    assert.deepEqual(s.items, snapshot);
    s.setItem('tensorflowjs_models/net/weight_data', 'not base64!');
    await assert.rejects(hb.loadModel(hb.browserLocalStorage('net', { localStorage: s })), /localstorage:\/\/net: tensorflowjs_models\/net\/weight_data is not valid base64/);
    hb.dispose([x, y]);
    for (const mm of [m, back, big]) mm.dispose();
  });

  it('base64 matches Buffer on every byte value and on sizes above the chunk', () => {
    const b = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256);
    assert.equal(toBase64(b), Buffer.from(b).toString('base64'));
    assert.deepEqual(fromBase64(Buffer.from(b).toString('base64'), 'x'), b);
  });
});

describe('browserFiles (Node File objects)', () => {
  it('loads a saved directory given as Files; missing, extra and truncated files are refused', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hebb-files-')), 'model');
    const { m, x, y } = setup(7);
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    await m.save(dir);
    const file = (n: string, bytes?: Uint8Array): File => new File([new Uint8Array(bytes ?? readFileSync(join(dir, n)))], n);
    const bins = readdirSync(dir).filter((n) => n.endsWith('.bin')).sort();
    assert.deepEqual(bins, ['group1-shard1of1.bin', 'optimizer-shard1of1.bin']);
    const back = await hb.loadModel(hb.browserFiles([file('model.json'), ...bins.map((n) => file(n))]));
    assert.deepEqual(await weightsOf(back), await weightsOf(m));
    await assert.rejects(hb.loadModel(hb.browserFiles([file('model.json'), file('group1-shard1of1.bin')])), /model\.json names the weights file "optimizer-shard1of1\.bin", which is not among the selected files/);
    writeFileSync(join(dir, 'other.bin'), 'x');
    await assert.rejects(hb.loadModel(hb.browserFiles([file('model.json'), ...bins.map((n) => file(n)), file('other.bin')])), /does not name the selected file\(s\) other\.bin/);
    const shard = readFileSync(join(dir, 'group1-shard1of1.bin'));
    await assert.rejects(hb.loadModel(hb.browserFiles([file('model.json'), file('group1-shard1of1.bin', shard.subarray(0, 12)), file(bins[1] as string)])), /hold 12 bytes, the weights need/);
    assert.throws(() => hb.browserFiles([file('group1-shard1of1.bin')]), /the first file must be the model's JSON file/);
    assert.throws(() => hb.browserFiles([] as File[]), /expected a list of File objects/);
    hb.dispose([x, y]);
    m.dispose();
    back.dispose();
  });
});

describe('URL dispatch', () => {
  it('says what each scheme can do, and that Node has no browser storage', async () => {
    const { m } = setup(8);
    await assert.rejects(m.save('indexeddb://x'), /save: indexeddb:\/\/ needs IndexedDB, which this environment lacks/);
    await assert.rejects(m.save('localstorage://x'), /save: localstorage:\/\/ needs localStorage/);
    await assert.rejects(m.save('downloads://x'), /save: downloads:\/\/x needs a page \(document\)/);
    await assert.rejects(m.save('https://example.com/m'), /saving over HTTP is not supported/);
    await assert.rejects(m.save('s3://bucket/m'), /unknown scheme "s3:\/\/"/);
    assert.throws(() => handlerFor('downloads://x', 'loadModel'), /downloads:\/\/ can only save; load the downloaded files with hb\.browserFiles/);
    assert.throws(() => handlerFor('indexeddb://', 'loadModel'), /indexeddb:\/\/ needs a model name after it/);
    await assert.rejects(hb.removeModel('model/dir'), /expected an indexeddb:\/\/ or localstorage:\/\/ URL/);
    assert.deepEqual(await hb.listModels(), {});
    m.dispose();
  });
});
