/**
 * The TensorBoard callback's files, read back with testing/tfevents_reader.ts (its own CRC-32C
 * and protobuf wire parser, no code shared with the writer), against values recorded
 * independently during the same fit: the History, the batch logs and the weights.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../index.js';
import type { Callback, LazyLogs, Logs } from './callback.js';
import { readEventFile, type DecodedEvent } from '../../testing/tfevents_reader.js';

const root = mkdtempSync(join(tmpdir(), 'hebb-tb-'));
after(() => rmSync(root, { recursive: true, force: true }));

function problem(n: number): { x: hb.Tensor; y: hb.Tensor } {
  hb.setSeed(7);
  const x = hb.randomNormal([n, 4]);
  const y = hb.cast(hb.greater(hb.sum(x, 1, true), hb.scalar(0)), 'float32');
  return { x, y };
}

function classifier(): hb.Sequential {
  const m = hb.sequential([hb.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), hb.layers.dense({ units: 1, activation: 'sigmoid' })]);
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** The single event file in `dir`, checked for TensorFlow 2's name pattern. */
function eventFile(dir: string, t0: number, t1: number): DecodedEvent[] {
  const files = readdirSync(dir);
  assert.equal(files.length, 1, `${dir}: ${files.join(', ')}`);
  const m = /^events\.out\.tfevents\.(\d{10})\.(.+)\.(\d+)\.(\d+)\.v2$/.exec(files[0] ?? '');
  assert.ok(m, files[0]);
  assert.ok(Number(m[1]) >= Math.floor(t0) && Number(m[1]) <= t1);
  assert.equal(m[2], hostname());
  assert.equal(Number(m[3]), process.pid);
  return readEventFile(join(dir, files[0] ?? ''));
}

/** tag -> [step, value] of the scalar summaries, checking their TF2 tensor form. */
function scalars(events: DecodedEvent[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const e of events) {
    for (const v of e.values ?? []) {
      if (v.pluginName !== 'scalars') continue;
      assert.equal(v.dataClass, 1, v.tag);
      assert.equal(v.tensor?.dtype, 1, v.tag); // DT_FLOAT
      assert.deepEqual(v.tensor?.dims, [], v.tag);
      assert.equal(v.tensor?.floatVal.length, 1, v.tag);
      const list = out.get(v.tag) ?? [];
      list.push([e.step, v.tensor?.floatVal[0] ?? NaN]);
      out.set(v.tag, list);
    }
  }
  return out;
}

const f32 = Math.fround;
const loose = <T>(v: unknown): T => v as T;

describe('TensorBoard', () => {
  it('writes epoch and batch scalars, weight histograms and the model config, flushed at each epoch end', async () => {
    const logDir = join(root, 'full');
    const { x, y } = problem(40);
    const model = classifier();
    const batchLogs: (Logs | undefined)[] = [undefined]; // index = global batch, from 1
    const weightsAt = new Map<number, { name: string; values: Float32Array }[]>();
    const seenOnDisk: number[] = [];
    const recorder: Callback = {
      async onTrainBatchEnd(_b: number, logs: LazyLogs) {
        batchLogs.push({ ...(await logs.read()) });
      },
      async onEpochEnd(epoch: number) {
        weightsAt.set(epoch, await Promise.all(model.weights.map(async (w) => ({ name: w.name, values: Float32Array.from((await w.data()) as Float32Array) }))));
        // TensorBoard ran first in the list: this epoch's scalars are already in the file.
        const dir = join(logDir, 'train');
        const loss = scalars(readEventFile(join(dir, readdirSync(dir)[0] ?? ''))).get('epoch_loss') ?? [];
        seenOnDisk.push(loss.at(-1)?.[0] ?? -1);
      },
    };
    const t0 = Date.now() / 1000;
    const tb = hb.callbacks.tensorBoard({ logDir, updateFreq: 2, histogramFreq: 2 });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: [tb, recorder] });
    const t1 = Date.now() / 1000;
    assert.deepEqual(seenOnDisk, [0, 1, 2]);
    assert.deepEqual(readdirSync(logDir).sort(), ['train', 'validation']);

    const train = eventFile(join(logDir, 'train'), t0, t1);
    const val = eventFile(join(logDir, 'validation'), t0, t1);
    for (const events of [train, val]) {
      assert.deepEqual(events[0], { wallTime: events[0]?.wallTime, step: 0, fileVersion: 'brain.Event:2' });
      for (const e of events) assert.ok(e.wallTime >= t0 - 1 && e.wallTime <= t1 + 1);
      for (const e of events.slice(1)) assert.equal(e.values?.length, 1);
    }

    const h = history.history;
    const perEpoch = (k: string): [number, number][] => (h[k] ?? []).map((v, e) => [e, f32(v)]);
    const ts = scalars(train);
    assert.deepEqual(ts.get('epoch_loss'), perEpoch('loss'));
    assert.deepEqual(ts.get('epoch_accuracy'), perEpoch('accuracy'));
    assert.deepEqual(ts.get('epoch_learning_rate'), [0, 1, 2].map((e) => [e, f32(0.01)]));
    // 30 training samples in batches of 8: 4 batches an epoch, 12 in all; every 2nd written.
    assert.equal(batchLogs.length - 1, 12);
    const steps = [2, 4, 6, 8, 10, 12];
    assert.deepEqual(ts.get('batch_loss'), steps.map((s) => [s, f32(batchLogs[s]?.['loss'] ?? NaN)]));
    assert.deepEqual(ts.get('batch_accuracy'), steps.map((s) => [s, f32(batchLogs[s]?.['accuracy'] ?? NaN)]));

    const vs = scalars(val);
    assert.deepEqual([...vs.keys()].sort(), ['epoch_accuracy', 'epoch_loss']);
    assert.deepEqual(vs.get('epoch_loss'), perEpoch('val_loss'));
    assert.deepEqual(vs.get('epoch_accuracy'), perEpoch('val_accuracy'));

    // Histograms at epochs 0 and 2 (epoch % 2 == 0), one per weight, from the weights then.
    const histos = train.flatMap((e) => (e.values ?? []).filter((v) => v.histo).map((v) => ({ step: e.step, tag: v.tag, h: v.histo })));
    const names = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'];
    assert.deepEqual(histos.map((x) => `${x.step} ${x.tag}`), [0, 2].flatMap((s) => names.map((n) => `${s} ${n}/histogram`)));
    for (const { step, tag, h: got } of histos) {
      const values = weightsAt.get(step)?.find((w) => `${w.name}/histogram` === tag)?.values ?? new Float32Array();
      let min = Infinity, max = -Infinity, sum = 0, sq = 0; // prettier-ignore
      for (const v of values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
        sq += v * v;
      }
      assert.ok(got, tag);
      assert.deepEqual([got.min, got.max, got.num], [min, max, values.length], tag);
      assert.ok(Math.abs(got.sum - sum) <= 1e-9 * values.length && Math.abs(got.sumSquares - sq) <= 1e-9 * values.length, tag);
      if (min === max) {
        // dense biases start at zero: one bucket holding every value
        assert.deepEqual([got.bucketLimit, got.bucket], [[max], [values.length]], tag);
        continue;
      }
      // 30 equal-width buckets over [min, max], the last one closed on the right.
      const w = (max - min) / 30;
      const expected = Array.from({ length: 30 }, (_, j) => values.filter((v) => v >= min + j * w && (j === 29 ? v <= max : v < min + (j + 1) * w)).length);
      assert.deepEqual(got.bucket, expected, tag);
      assert.equal(got.bucketLimit.length, 30);
      assert.equal(got.bucketLimit[29], max);
      for (let j = 0; j < 29; j++) assert.ok(Math.abs((got.bucketLimit[j] ?? NaN) - (min + (j + 1) * w)) <= 1e-12, tag);
    }

    // writeGraph: Keras's keras_model_summary, the config as Keras-style JSON.
    const graph = train.filter((e) => e.values?.some((v) => v.tag === 'keras'));
    assert.equal(graph.length, 1);
    const gv = graph[0]?.values?.[0];
    assert.equal(graph[0]?.step, 0);
    assert.equal(gv?.pluginName, 'graph_keras_model');
    assert.equal(new TextDecoder().decode(gv?.pluginContent), '1');
    assert.equal(gv?.tensor?.dtype, 7); // DT_STRING
    const json = JSON.parse(new TextDecoder().decode(gv?.tensor?.stringVal[0])) as { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    assert.equal(json.class_name, 'Sequential');
    assert.deepEqual(json.config.layers.map((l) => l.class_name), ['InputLayer', 'Dense', 'Dense']);
    assert.deepEqual(json.config.layers[0]?.config['batch_shape'], [null, 4]);
    assert.equal(json.config.layers[1]?.config['units'], 8);
    assert.equal(json.config.layers[1]?.config['use_bias'], true);
    assert.deepEqual(new Set([...ts.keys(), 'keras', ...names.map((n) => `${n}/histogram`)]), new Set(train.flatMap((e) => (e.values ?? []).map((v) => v.tag))));
  });

  it("by default writes only epoch scalars, only to train/ without validation data, and a new file per fit", async () => {
    const logDir = join(root, 'defaults');
    const { x, y } = problem(16);
    const model = classifier();
    const tb = new hb.callbacks.TensorBoard({ logDir, writeGraph: false });
    const h1 = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [tb] });
    assert.deepEqual(readdirSync(logDir), ['train']);
    const first = readEventFile(join(logDir, 'train', readdirSync(join(logDir, 'train'))[0] ?? ''));
    const s = scalars(first);
    assert.deepEqual([...s.keys()].sort(), ['epoch_accuracy', 'epoch_learning_rate', 'epoch_loss']);
    assert.deepEqual(s.get('epoch_loss'), (h1.history['loss'] ?? []).map((v, e) => [e, f32(v)]));
    assert.equal(first.length, 1 + 3 * 2);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [tb] });
    assert.equal(readdirSync(join(logDir, 'train')).length, 2);
  });

  it('validates its options', () => {
    assert.throws(() => hb.callbacks.tensorBoard({ updateFreq: 0 }), new hb.ValueError("TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer, received 0"));
    assert.throws(() => hb.callbacks.tensorBoard({ histogramFreq: 1.5 }), new hb.ValueError('TensorBoard: histogramFreq must be a non-negative integer, received 1.5'));
    assert.throws(() => hb.callbacks.tensorBoard({ logDir: '' }), /TensorBoard: logDir must be a non-empty string/);
    assert.throws(() => hb.callbacks.tensorBoard(loose({ profileBatch: 2 })), /TensorBoard: unknown option "profileBatch"/);
    assert.equal(hb.callbacks.tensorBoard({ updateFreq: 'batch' }).updateFreq, 1);
    assert.equal(hb.callbacks.tensorBoard().logDir, 'logs');
  });
});

/** TensorBoard's own reader, where the `tensorboard` Python package is installed. */
function tensorboardPython(): string | null {
  try {
    execFileSync('python3', ['-c', 'import tensorboard'], { stdio: 'ignore' });
    return 'python3';
  } catch {
    return null;
  }
}

const python = tensorboardPython();
describe('TensorBoard files in TensorBoard itself', () => {
  it(
    "are listed and read by tensorboard's EventMultiplexer",
    { skip: python ? false : 'the tensorboard Python package is not installed (Debian has no python3-tensorboard; pip cannot reach its index here)' },
    async () => {
      const logDir = join(root, 'tb');
      const { x, y } = problem(32);
      const history = await classifier().fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: [hb.callbacks.tensorBoard({ logDir, histogramFreq: 1 })] });
      const script = join(root, 'read_tb.py');
      writeFileSync(
        script,
        [
          'import json, sys',
          'from tensorboard.backend.event_processing import plugin_event_multiplexer as pem',
          'from tensorboard.util import tensor_util',
          'mux = pem.EventMultiplexer()',
          'mux.AddRunsFromDirectory(sys.argv[1])',
          'mux.Reload()',
          'out = {}',
          'for run, tags in mux.Runs().items():',
          '    out[run] = {t: [[e.step, tensor_util.make_ndarray(e.tensor_proto).tolist()] for e in mux.Tensors(run, t)] for t in tags["tensors"]}',
          'print(json.dumps(out))',
        ].join('\n'),
      );
      const out = JSON.parse(execFileSync('python3', [script, logDir], { encoding: 'utf8' })) as Record<string, Record<string, [number, unknown][]>>;
      assert.deepEqual(Object.keys(out).sort(), ['train', 'validation']);
      assert.deepEqual(out['train']?.['epoch_loss'], (history.history['loss'] ?? []).map((v, e) => [e, f32(v)]));
      assert.deepEqual(out['validation']?.['epoch_loss'], (history.history['val_loss'] ?? []).map((v, e) => [e, f32(v)]));
      assert.ok(out['train']?.['dense/kernel/histogram'], 'histograms are migrated to tensors');
    },
  );
});
