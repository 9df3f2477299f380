/**
 * hb.data.csv streams a CSV file as batches: the values equal loadCsv's on the same file (the
 * whole-file reader is the independent reference), records split across 64 KiB chunks (quoted
 * newlines, escaped quotes, CRLF) are read whole, and bad cells are reported with file and line.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hb from '../index.js';
import { CsvRecordParser } from '../io/tabular/csv_records.js';
import { csvRecords } from '../io/tabular/csv_table.js';

const dir = mkdtempSync(join(tmpdir(), 'hebb-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('hb.data.csv', () => {
  it('batches equal loadCsv on a file of many 64 KiB chunks, with quoted fields and CRLF', async () => {
    const rows = ['"a","note",b,price'];
    for (let i = 0; i < 5000; i++) rows.push(`${i * 0.5},"say ""hi""\r\nline ${i}",${-i},${(i % 17) + 0.25}`);
    const file = write('big.csv', `${rows.join('\r\n')}\r\n`);
    const ds = hb.data.csv(file, { target: 'price', exclude: ['note'], batchSize: 512 });
    const table = await hb.datasets.loadCsv(file, { target: 'price', exclude: ['note'] });
    const batches = await ds.toArray();
    assert.equal(batches.length, Math.ceil(5000 / 512));
    const xs = batches.flatMap((b) => Array.from((b as [hb.data.HostArray, hb.data.HostArray])[0].data));
    const ys = batches.flatMap((b) => Array.from((b as [hb.data.HostArray, hb.data.HostArray])[1].data));
    assert.deepEqual(xs, Array.from(Float32Array.from(table.data.data)));
    assert.deepEqual(ys, Array.from(Float32Array.from((table.target as { data: Float64Array }).data)));
    assert.deepEqual((batches.at(-1) as [hb.data.HostArray, hb.data.HostArray])[0].shape, [5000 - 9 * 512, 2]);
  });

  it('the chunked record reader gives the same records wherever the chunks are cut', () => {
    const text = '\ufeffa,b\r\n"x ""q""",2\r\n\r\n"multi\nline",3\n4,"5"';
    const whole = csvRecords(text, 't.csv');
    for (let cut = 1; cut < text.length; cut++) {
      const p = new CsvRecordParser('t.csv');
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()];
      assert.deepEqual(got, whole, `cut at ${cut}`);
    }
    assert.deepEqual(whole.map((r) => r.line), [1, 2, 4, 6]);
  });

  it('trains a model: fit on the stream matches fit on the loaded arrays', async () => {
    const lines = ['x1,x2,y'];
    for (let i = 0; i < 64; i++) lines.push(`${Math.sin(i)},${Math.cos(i)},${Math.sin(i) - Math.cos(i)}`);
    const file = write('fit.csv', lines.join('\n'));
    const make = () => {
      hb.setSeed(3);
      const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1, name: 'out' })]);
      m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
      return m;
    };
    const a = make();
    const t = await hb.datasets.loadCsv(file, { target: 'y' });
    await a.fit(t.data, t.target as hb.ArrayWithShape, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    const b = make();
    await b.fit(hb.data.csv(file, { target: 'y', batchSize: 16 }), { epochs: 2, verbose: 0 });
    const [wa, wb] = [a.getWeights().map((w) => Array.from(w.dataSync())), b.getWeights().map((w) => Array.from(w.dataSync()))];
    wa.forEach((v, k) => v.forEach((e, i) => assert.ok(Math.abs(e - (wb[k]?.[i] as number)) < 1e-6)));
  });

  it('errors name the file, the line and the column', async () => {
    const bad = write('bad.csv', 'a,b\n1,2\n3,oops\n');
    await assert.rejects(hb.data.csv(bad, { target: 'b' }).toArray(), new RegExp(`${bad.replace(/[.\\/]/g, '\\$&')}: line 3, column b \\(2\\): "oops" is not a number`));
    const missing = write('missing.csv', 'a,b\n1,2\n3,NA\n5,6\n');
    await assert.rejects(hb.data.csv(missing, { target: 'b' }).toArray(), /missing\.csv: line 3, column b \(2\): a missing value \("NA"\)/);
    assert.equal((await hb.data.csv(missing, { target: 'b', missing: 'drop' }).toArray()).length, 1);
    const short = write('short.csv', 'a,b\n1,2\n3\n');
    await assert.rejects(hb.data.csv(short).toArray(), /short\.csv: line 3 has 1 fields, expected 2/);
    await assert.rejects(hb.data.csv(write('t.csv', 'a,b\n1,2\n'), { target: 'c' }).toArray(), /t\.csv: target "c" is not a column; the columns are a, b/);
    await assert.rejects(hb.data.csv(join(dir, 'nope.csv')).toArray(), /nope\.csv: cannot read the file/);
    assert.throws(() => hb.data.csv('x.csv', { batchSize: 0 }), /hb.data.csv: batchSize must be a positive integer, received 0/);
  });
});
