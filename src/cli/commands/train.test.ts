import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hebb, tempDir } from '../../../testing/cli.js';

interface HistoryFile {
  epoch: number[];
  history: Record<string, number[]>;
  test: Record<string, number> | null;
}
const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

describe('hebb train', () => {
  let tmp: { dir: string; cleanup: () => void };
  before(() => (tmp = tempDir('hebb-train-test-')));
  after(() => tmp.cleanup());

  it('trains, evaluates and saves: model folder, hebb-data.json, history.json and .csv, metrics.json', async () => {
    const out = join(tmp.dir, 'moons');
    const r = await hebb('train', '--dataset', 'moons', '--samples', '300', '--epochs', '3', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /moons: 300 rows, 2 features \(classification\); 240 for training, 60 for testing \(seed 42\)/);
    assert.match(r.out, /Model: "sequential"/);
    // the progress bar went to the progress stream, one epoch line each (not a terminal)
    assert.equal(r.progress.match(/^Epoch \d\/3$/gm)?.length, 3);
    assert.match(r.progress, /\d+\/\d+ ━+ .* - accuracy: 0\.\d{4} .* - val_loss: \d\.\d{4}/);
    for (const f of ['model/model.json', 'model/hebb-data.json', 'history.json', 'history.csv', 'metrics.json']) assert.ok(existsSync(join(out, f)), `missing ${f}`);
    const h = readJson<HistoryFile>(join(out, 'history.json'));
    assert.deepEqual(h.epoch, [0, 1, 2]);
    for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) assert.equal(h.history[k]?.length, 3, k);
    const csv = readFileSync(join(out, 'history.csv'), 'utf8').trim().split(/\r?\n/);
    assert.equal(csv.length, 4);
    assert.deepEqual(csv[0]?.split(',').sort(), ['epoch', ...Object.keys(h.history)].sort());
    const m = readJson<Record<string, number>>(join(out, 'metrics.json'));
    assert.deepEqual(m, h.test);
    assert.ok((m['accuracy'] as number) >= 0 && (m['accuracy'] as number) <= 1);
    assert.match(r.out, new RegExp(`test: loss ${(m['loss'] as number).toFixed(4)}, accuracy ${(m['accuracy'] as number).toFixed(4)}`));
    assert.match(r.out, new RegExp(`model: +${join(out, 'model').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // the recipe: standardization statistics of the 240 training rows
    const recipe = readJson<{ scaling: { kind: string; mean: number[]; scale: number[] }; inputShape: number[]; numClasses: number }>(join(out, 'model', 'hebb-data.json'));
    assert.equal(recipe.scaling.kind, 'standard');
    assert.equal(recipe.scaling.mean.length, 2);
    assert.deepEqual(recipe.inputShape, [2]);
    assert.equal(recipe.numClasses, 2);
  });

  it('the same seed gives the same run; --verbose 0 prints nothing', async () => {
    const a = await hebb('train', '--dataset', 'blobs', '--samples', '200', '--epochs', '2', '--seed', '7', '--verbose', '0', '--out', join(tmp.dir, 'a'));
    const b = await hebb('train', '--dataset', 'blobs', '--samples', '200', '--epochs', '2', '--seed', '7', '--verbose', '0', '--out', join(tmp.dir, 'b'));
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out + a.progress, '');
    assert.deepEqual(readJson<HistoryFile>(join(tmp.dir, 'a', 'history.json')).history, readJson<HistoryFile>(join(tmp.dir, 'b', 'history.json')).history);
    assert.equal(b.code, 0);
  });

  it('a CSV with a target column: the task is guessed (regression here) and said', async () => {
    const file = join(tmp.dir, 'houses.csv');
    // price = 3·rooms + age/10 + noise-free: a regression target with many distinct values
    const rows = Array.from({ length: 120 }, (_, i) => `${1 + (i % 7)},${(i * 13) % 50},"${(3 * (1 + (i % 7)) + ((i * 13) % 50) / 10).toFixed(2)}",x${i}`);
    writeFileSync(file, `rooms,age,price,id\n${rows.join('\n')}\n`);
    const out = join(tmp.dir, 'houses');
    const r = await hebb('train', '--csv', file, '--target', 'price', '--exclude', 'id', '--epochs', '2', '--out', out, '--verbose', '2');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /houses\.csv: 120 rows, 2 features \(regression\); 96 for training, 24 for testing/);
    assert.match(r.out, /task: regression \(the target holds non-integer values; --task classification to override\)/);
    const h = readJson<HistoryFile>(join(out, 'history.json'));
    assert.ok('root_mean_squared_error' in h.history || 'rmse' in h.history, Object.keys(h.history).join(','));
    // a text cell in a used column: exit 1, naming the file, the line and the column
    writeFileSync(file, 'rooms,price\n1,2\n3,four\n');
    const bad = await hebb('train', '--csv', file, '--target', 'price', '--out', out);
    assert.equal(bad.code, 1);
    assert.equal(bad.err, `hebb train: error: ${file}: line 3, column price (2): "four" is not a number; expected a decimal number such as 3.5 or -1e-3\n`);
  });

  it('--model: a JSON model config, and a .mjs factory that receives hb and the shapes', async () => {
    const config = join(tmp.dir, 'model.json');
    writeFileSync(
      config,
      JSON.stringify({
        class_name: 'Sequential',
        config: {
          name: 'from_json',
          layers: [
            { class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'in' } },
            { class_name: 'Dense', config: { units: 5, activation: 'tanh', name: 'hidden' } },
            { class_name: 'Dense', config: { units: 2, activation: 'softmax', name: 'out' } },
          ],
        },
      }),
    );
    const r = await hebb('train', '--dataset', 'moons', '--samples', '100', '--epochs', '1', '--model', config, '--out', join(tmp.dir, 'json'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Model: "from_json"/);
    assert.match(r.out, /hidden \(Dense\) +│ \(None, 5\) +│ +15 │/);

    const factory = join(tmp.dir, 'factory.mjs');
    writeFileSync(
      factory,
      `export default ({ hb, inputShape, task, numClasses }) => {\n` +
        `  if (task !== 'classification' || numClasses !== 3) throw new Error('unexpected task ' + task + ' ' + numClasses);\n` +
        `  const m = hb.sequential([hb.layers.input({ shape: inputShape }), hb.layers.dense({ units: 7, activation: 'relu', name: 'seven' }), hb.layers.dense({ units: numClasses, activation: 'softmax' })], { name: 'factory_model' });\n` +
        `  m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: 'sgd', metrics: ['accuracy'] });\n  return m;\n};\n`,
    );
    const f = await hebb('train', '--dataset', 'blobs', '--samples', '90', '--epochs', '1', '--model', factory, '--out', join(tmp.dir, 'factory'));
    assert.equal(f.code, 0, f.err);
    assert.match(f.out, /model: the factory in .*factory\.mjs \(compiled by the factory: --optimizer and --lr are not used\)/);
    assert.match(f.out, /Model: "factory_model"/);
    const notFactory = join(tmp.dir, 'not_a_factory.mjs');
    writeFileSync(notFactory, 'export const x = 1;\n');
    const none = await hebb('train', '--dataset', 'blobs', '--epochs', '1', '--model', notFactory, '--out', join(tmp.dir, 'factory'));
    assert.equal(none.code, 1);
    assert.match(none.err, /the file must export a function \(default export or createModel\) that returns a model; it exports x/);
  });

  it('a .ts factory runs where Node strips types; elsewhere a usage error says how to run it', async () => {
    const file = join(tmp.dir, 'factory.ts');
    writeFileSync(file, "export default ({ hb, inputShape }: { hb: any; inputShape: number[] }) => hb.sequential([hb.layers.input({ shape: inputShape }), hb.layers.dense({ units: 2, activation: 'softmax' })]);\n");
    const r = await hebb('train', '--dataset', 'moons', '--samples', '60', '--epochs', '1', '--model', file, '--out', join(tmp.dir, 'ts'));
    const strips = (process.features as { typescript?: unknown }).typescript;
    if (strips) assert.equal(r.code, 0, r.err);
    else {
      assert.equal(r.code, 2);
      assert.match(r.err, /cannot run TypeScript; compile the file \(npx tsc\) and pass the \.js, or use Node >= 22\.18/);
    }
  });

  it('--early-stopping, --checkpoint and --tensorboard write what they promise', async () => {
    const out = join(tmp.dir, 'cb');
    const r = await hebb('train', '--dataset', 'moons', '--samples', '200', '--epochs', '40', '--early-stopping', '0', '--checkpoint', '--tensorboard', '--lr', '1', '--optimizer', 'sgd', '--out', out);
    assert.equal(r.code, 0, r.err);
    const h = readJson<HistoryFile>(join(out, 'history.json'));
    // patience 0: training stops at the first epoch whose val_loss is no better than the best so far
    const v = h.history['val_loss'] as number[];
    const stop = v.findIndex((x, i) => i > 0 && x >= Math.min(...v.slice(0, i)));
    assert.ok(h.epoch.length < 40, `ran all ${h.epoch.length} epochs`);
    assert.equal(h.epoch.length, stop + 1);
    assert.ok(existsSync(join(out, 'checkpoint', 'model.json')));
    assert.ok(readdirSync(join(out, 'logs', 'train')).some((f) => f.startsWith('events.out.tfevents')));
  });

  it('usage errors exit 2 and name the flag and what it expects', async () => {
    const cases: [string[], RegExp][] = [
      [['--layers', '300,x'], /--layers expects whole numbers >= 1 separated by commas \(e\.g\. 300,100\), received "300,x"/],
      [['--lr', '0'], /--lr expects a number > 0, received "0"/],
      [['--optimizer', 'nadma'], /--optimizer expects one of sgd, adam, adamw, adagrad, adamax, nadam, rmsprop, received "nadma"; did you mean nadam\?/],
      [['--backend', 'quantum'], /--backend expects one of .*cpu.*, received "quantum"/],
      [['--csv', 'x.csv'], /--csv needs --target <column>: the column to predict/],
      [['--dataset', 'iris', '--csv', 'x.csv', '--target', 't'], /--dataset and --csv are alternatives; pass one/],
      [['--activation', 'relux'], /--activation expects an activation name \(linear, .*relu, .*\), received "relux"/],
      [['--validation-split', '1'], /--validation-split expects a number >= 0 and < 1, received "1"/],
      [['--model', 'model.h5'], /--model expects a \.json model config or a \.js\/\.mjs\/\.cjs\/\.ts factory file, received "model\.h5"/],
      [['--verbose', '3'], /--verbose expects one of 0, 1, 2, received "3"/],
      [['extra'], /takes no positional arguments, received "extra"/],
    ];
    for (const [argv, message] of cases) {
      const r = await hebb('train', ...argv, '--out', join(tmp.dir, 'usage'));
      assert.equal(r.code, 2, `${argv.join(' ')}: exit ${r.code}; ${r.err}`);
      assert.match(r.err, new RegExp(`^hebb train: ${message.source}[^\\n]*\\nRun "hebb train --help" for its options\\.\\n$`), argv.join(' '));
      assert.equal(r.out, '', `${argv.join(' ')} printed to stdout`);
    }
  });
});
