import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../core/errors.js';
import { pyFormat, templateFields } from './python_format.js';

// Every expected string below is what CPython 3 prints for the same format(value, spec).
const cases: [string, number | bigint, string][] = [
  ['', 3n, '3'],
  ['', 3, '3.0'],
  ['', 1e16, '1e+16'],
  ['', 1e-5, '1e-05'],
  ['02d', 1n, '01'],
  ['02d', 123n, '123'],
  ['05d', -3n, '-0003'],
  ['4d', 7n, '   7'],
  ['06', 1.5, '0001.5'],
  ['.4f', 0.123456, '0.1235'],
  ['.2f', 0.125, '0.12'], // exact tie → even (JavaScript's toFixed says 0.13)
  ['.0f', 2.5, '2'],
  ['.0f', 3.5, '4'],
  ['.2f', -0, '-0.00'],
  ['.2f', 3n, '3.00'],
  ['.1f', 1e22, '10000000000000000000000.0'],
  ['.20f', 0.1, '0.10000000000000000555'],
  ['8.2f', -1.5, '   -1.50'],
  ['08.2f', Infinity, '00000inf'],
  ['06.1f', NaN, '000nan'],
  ['f', 1, '1.000000'],
  ['.2e', 9.9999, '1.00e+01'],
  ['.3e', 5e-324, '4.941e-324'],
  ['.0e', 0.5, '5e-01'],
  ['e', -Infinity, '-inf'],
  ['e', 0, '0.000000e+00'],
  ['g', 1e-5, '1e-05'],
  ['g', 123456789, '1.23457e+08'],
  ['g', 0.0001, '0.0001'],
  ['g', 10n ** 7n, '1e+07'],
  ['g', 0, '0'],
  ['.3g', 100, '100'],
  ['.4g', 999.96, '1000'],
];

test('pyFormat prints numbers as Python formats them', () => {
  for (const [spec, value, expected] of cases) {
    const field = spec === '' ? '{v}' : `{v:${spec}}`;
    assert.equal(pyFormat(field, { v: value }), expected, `format(${String(value)}, '${spec}')`);
  }
});

test('pyFormat fills several fields, keeps literal text and {{ }} escapes', () => {
  const path = pyFormat('ckpt/{{run}}-{epoch:02d}-{val_loss:.4f}.model', { epoch: 3n, val_loss: 0.28125 });
  assert.equal(path, 'ckpt/{run}-03-0.2812.model');
  assert.equal(pyFormat('plain', {}), 'plain');
  assert.deepEqual(templateFields('a{epoch}b{val_loss:.2f}', 'T'), ['epoch', 'val_loss']);
});

test('pyFormat: unknown fields and unsupported specs are errors naming the path', () => {
  const throwsWith = (f: () => unknown, ...parts: string[]): void => {
    assert.throws(f, (e: unknown) => e instanceof ValueError && parts.every((p) => e.message.includes(p)), parts.join(' / '));
  };
  throwsWith(() => pyFormat('m-{val_acc:.2f}', { epoch: 1n, loss: 0.5 }, 'ModelCheckpoint'), 'ModelCheckpoint', '"m-{val_acc:.2f}"', '"val_acc"', 'available: epoch, loss');
  for (const bad of ['{x:>5}', '{x:+.2f}', '{x:,d}', '{x:.2%}', '{x:#g}', '{x:.2}', '{x:.2d}']) throwsWith(() => templateFields(bad, 'T'), `"${bad}"`, 'spec');
  throwsWith(() => templateFields('{}', 'T'), 'positional');
  throwsWith(() => templateFields('{0}', 'T'), 'positional');
  throwsWith(() => templateFields('{a.b}', 'T'), 'attribute');
  throwsWith(() => templateFields('{a!r}', 'T'), 'conversion');
  throwsWith(() => templateFields('oops{epoch', 'T'), 'never closed');
  throwsWith(() => templateFields('oops}', 'T'), 'single "}"');
  // Python's "d" refuses floats, even integral ones.
  throwsWith(() => pyFormat('{loss:02d}', { loss: 2 }), 'integer', '{loss:02d}');
});
