import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../datasets/files.js';
import { csvRecords, loadCsv, parseCsvTable } from './csv_table.js';

const fails = (fn: () => unknown, message: string): void => assert.throws(fn, (e: unknown) => e instanceof DatasetError && e.message === message);

describe('CSV tables', () => {
  it('splits records with RFC 4180 quoting, counting newlines inside quotes', () => {
    const recs = csvRecords('a,"b,c","say ""hi"""\r\n\n"multi\nline",2,3\n', 'f.csv');
    assert.deepEqual(recs, [
      { fields: ['a', 'b,c', 'say "hi"'], line: 1 },
      { fields: ['multi\nline', '2', '3'], line: 3 },
    ]);
    fails(() => csvRecords('a,"b\n1,2\n', 'f.csv'), 'f.csv: line 1: a quoted field is not closed before the end of the file');
    fails(() => csvRecords('a,b"c\n', 'f.csv'), 'f.csv: line 1: a quote inside an unquoted field (after "b"); quote the whole field and double the quote');
    fails(() => csvRecords('"a"b,c\n', 'f.csv'), 'f.csv: line 1: "b" after a closing quote; expected the delimiter "," or the end of the line');
  });

  it('reads features and a named target, in header order, with quoted numbers and a BOM', () => {
    const t = parseCsvTable('\ufeffrooms,"price",age\n3,"250000",10\n"4",310000.5,-2e1\n', 'h.csv', { target: 'price' });
    assert.deepEqual(t.featureNames, ['rooms', 'age']);
    assert.equal(t.targetName, 'price');
    assert.deepEqual(t.data.shape, [2, 2]);
    assert.deepEqual([...t.data.data], [3, 10, 4, -20]);
    assert.deepEqual([...(t.target?.data ?? [])], [250000, 310000.5]);
    assert.deepEqual([...t.lines], [2, 3]);
    const picked = parseCsvTable('a,b,c,name\n1,2,3,x\n', 'p.csv', { columns: ['c', 'a'], target: 'b' });
    assert.deepEqual([...picked.data.data], [3, 1]);
    const excl = parseCsvTable('a,b,name\n1,2,x\n', 'p.csv', { exclude: ['name'] });
    assert.deepEqual(excl.featureNames, ['a', 'b']);
    assert.equal(excl.target, null);
  });

  it('a non-numeric cell names the file, line and column (line numbers count quoted newlines)', () => {
    fails(() => parseCsvTable('x,y\n1,2\n"a\nb",3\n4,five\n', 'bad.csv', { columns: ['y'] }), 'bad.csv: line 5, column y (2): "five" is not a number; expected a decimal number such as 3.5 or -1e-3');
    fails(() => parseCsvTable('x,y\n0x10,1\n', 'hex.csv'), 'hex.csv: line 2, column x (1): "0x10" is not a number; expected a decimal number such as 3.5 or -1e-3');
    fails(() => parseCsvTable('x,y\n1,2,3\n', 'n.csv'), 'n.csv: line 2 has 3 fields, expected 2 (as in the header)');
    fails(() => parseCsvTable('x,y\n1,2\n', 'n.csv', { target: 'z' }), 'n.csv: target "z" is not a column; the columns are x, y');
    fails(() => parseCsvTable('x,x\n1,2\n', 'n.csv'), 'n.csv: line 1: column name "x" appears twice (columns 1 and 2)');
    fails(() => parseCsvTable('', 'e.csv'), 'e.csv: empty file; expected a header line and rows');
  });

  it('missing values are reported by line, or those rows dropped with missing: "drop"', () => {
    const text = 'a,b,y\n1,,0\n2,3,1\nNA,4,1\n5,6,nan\n7,8,0\n';
    fails(
      () => parseCsvTable(text, 'm.csv', { target: 'y' }),
      "m.csv: 3 missing values in 3 rows (line 2 column b; line 4 column a; line 5 column y); fill them in, or drop those rows (missing: 'drop')",
    );
    const t = parseCsvTable(text, 'm.csv', { target: 'y', missing: 'drop' });
    assert.deepEqual(t.droppedLines, [2, 4, 5]);
    assert.deepEqual([...t.lines], [3, 6]);
    assert.deepEqual([...t.data.data], [2, 3, 7, 8]);
    assert.deepEqual([...(t.target?.data ?? [])], [1, 0]);
    // a missing value in an unused column does not count
    assert.deepEqual([...parseCsvTable('a,b\n1,\n', 'u.csv', { columns: ['a'] }).data.data], [1]);
  });

  it('loadCsv reads a file and names it in errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-csv-'));
    try {
      const p = join(dir, 't.csv');
      writeFileSync(p, 'f;t\n1.5;2\n');
      const t = await loadCsv(p, { target: 't', delimiter: ';' });
      assert.deepEqual([...t.data.data], [1.5]);
      writeFileSync(p, 'f;t\n1,5;2\n');
      await assert.rejects(loadCsv(p, { target: 't', delimiter: ';' }), (e: unknown) => e instanceof DatasetError && e.message === `${p}: line 2, column f (1): "1,5" is not a number; expected a decimal number such as 3.5 or -1e-3`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await assert.rejects(loadCsv(join(tmpdir(), 'no-such-hebb-file.csv')), (e: unknown) => e instanceof DatasetError && /no-such-hebb-file\.csv: cannot read the file/.test(e.message));
  });
});
