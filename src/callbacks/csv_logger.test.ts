import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../index.js';
import type { Tensor } from '../core/tensor.js';
import type { CallbackModel } from './callback.js';
import { CSVLogger, pythonFloat } from './csv_logger.js';

const root = mkdtempSync(join(tmpdir(), 'hebb-csv-'));
after(() => rmSync(root, { recursive: true, force: true }));

class FakeModel implements CallbackModel {
  stopTraining = false;
  getWeights(): Tensor[] {
    return [];
  }
  setWeights(): void {}
}

function fitted(): { model: hb.Sequential; x: hb.Tensor; y: hb.Tensor } {
  hb.setSeed(3);
  const x = hb.randomNormal([24, 3]);
  const y = hb.cast(hb.greater(hb.sum(x, 1, true), hb.scalar(0)), 'float32');
  const model = hb.sequential([hb.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), hb.layers.dense({ units: 1, activation: 'sigmoid' })]);
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return { model, x, y };
}

describe('pythonFloat', () => {
  it("prints numbers as Python's str(float) does", () => {
    // Each right-hand side is what CPython 3 prints for the float on the left.
    const cases: [number, string][] = [
      [0.1, '0.1'], [1, '1.0'], [100, '100.0'], [-0, '-0.0'], [0, '0.0'], [123.456, '123.456'],
      [0.0001, '0.0001'], [0.00001, '1e-05'], [-2.5e-7, '-2.5e-07'], [1234567890123456, '1234567890123456.0'],
      [1e16, '1e+16'], [12345678901234567, '1.2345678901234568e+16'], [1.5e300, '1.5e+300'],
      [5e-324, '5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'], [0.1 + 0.2, '0.30000000000000004'],
      [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'], [0.05779219791293144, '0.05779219791293144'],
    ]; // prettier-ignore
    for (const [x, s] of cases) assert.equal(pythonFloat(x), s, String(x));
  });
});

describe('CSVLogger', () => {
  it('writes a header of epoch and the sorted keys, one row per epoch, and appends on request', async () => {
    const filename = join(root, 'log.csv');
    const { model, x, y } = fitted();
    const h1 = await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: [hb.callbacks.csvLogger({ filename })] });
    const h2 = await model.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: [hb.callbacks.csvLogger({ filename, append: true })] });
    const text = readFileSync(filename, 'utf8');
    assert.ok(text.endsWith('\r\n'));
    const [header, ...rows] = text.slice(0, -2).split('\r\n');
    assert.equal(header, 'epoch,accuracy,learning_rate,loss,val_accuracy,val_loss');
    assert.equal(rows.length, 4);
    const keys = (header ?? '').split(',').slice(1);
    const hist = [h1, h2];
    rows.forEach((row, i) => {
      const fields = row.split(',');
      assert.equal(fields[0], String(i));
      const h = hist[i < 2 ? 0 : 1]?.history ?? {};
      // Shortest round-trip digits: parsing a field gives back the logged number exactly.
      keys.forEach((k, j) => assert.equal(Number(fields[j + 1]), h[k]?.[i % 2], `${k} at epoch ${i}`));
    });
    assert.match(rows[0] ?? '', /^0,\d\.\d+,0\.01,/);

    // Without append the file starts over.
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [hb.callbacks.csvLogger({ filename })] });
    const again = readFileSync(filename, 'utf8').split('\r\n');
    assert.deepEqual([again[0], again.length], ['epoch,accuracy,learning_rate,loss', 3]);
  });

  it('appending to a missing or empty file writes the header; quotes fields holding the separator; NA for missing keys', async () => {
    for (const start of [null, '']) {
      const filename = join(root, `sep-${start === null ? 'missing' : 'empty'}.csv`);
      if (start !== null) writeFileSync(filename, start);
      const cb = new CSVLogger({ filename, separator: ';', append: true });
      cb.setModel(new FakeModel());
      await cb.onTrainBegin();
      await cb.onEpochEnd(0, { 'a;b': 1, c: 0.5 });
      await cb.onEpochEnd(1, { c: 2 });
      await cb.onTrainEnd();
      assert.equal(readFileSync(filename, 'utf8'), 'epoch;"a;b";c\r\n0;1.0;0.5\r\n1;NA;2.0\r\n');
    }
  });

  it('rejects a key the header lacks, and bad options', async () => {
    const cb = new CSVLogger({ filename: join(root, 'extra.csv') });
    await cb.onTrainBegin();
    await cb.onEpochEnd(0, { loss: 1 });
    await assert.rejects(cb.onEpochEnd(1, { loss: 1, val_loss: 2 }), new hb.ValueError('CSVLogger: epoch 1 logs "val_loss", which the header (from the first epoch: loss) lacks'));
    await cb.onTrainEnd();
    assert.throws(() => hb.callbacks.csvLogger({ filename: 'x.csv', separator: ', ' }), /CSVLogger: separator must be a single character/);
    assert.throws(() => hb.callbacks.csvLogger({ filename: '' }), /CSVLogger: filename must be a non-empty string/);
  });
});
