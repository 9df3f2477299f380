import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from './errors.js';
import { checkOptions, closestOption, editDistance, type OptionKeys } from './options.js';
import { assertThrowsExact } from '../../test/helpers.js';

interface DemoOptions {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  learningRate?: number;
}
const DEMO: OptionKeys<DemoOptions> = { epochs: true, batchSize: true, validationSplit: true, learningRate: true };

// The list is checked against the type both ways at compile time: a missing key and an extra
// key are errors (if either literal compiled, tsc would reject the unused directive).
// @ts-expect-error -- learningRate is missing
const missing: OptionKeys<DemoOptions> = { epochs: true, batchSize: true, validationSplit: true };
// @ts-expect-error -- "validation_split" is not a key of DemoOptions
const extra: OptionKeys<DemoOptions> = { epochs: true, batchSize: true, validationSplit: true, learningRate: true, validation_split: true };
void missing;
void extra;

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    assert.equal(editDistance('', ''), 0);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('', 'ab'), 2);
    assert.equal(editDistance('epoch', 'epochs'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('units', 'unist'), 1);
    assert.equal(editDistance('nmae', 'name'), 1);
    assert.equal(editDistance('ca', 'abc'), 3); // optimal string alignment: no edits inside a swap
  });
});

describe('closestOption', () => {
  const valid = ['epochs', 'batchSize', 'validationSplit', 'learningRate', 'units'];
  it('matches ignoring case, underscores and hyphens first', () => {
    assert.equal(closestOption('validation_split', valid), 'validationSplit');
    assert.equal(closestOption('BATCH-SIZE', valid), 'batchSize');
  });
  it("recognizes initials (Keras 2's lr)", () => {
    assert.equal(closestOption('lr', valid), 'learningRate');
    assert.equal(closestOption('bs', valid), 'batchSize');
  });
  it('falls back to the nearest name within a third of its length', () => {
    assert.equal(closestOption('epoch', valid), 'epochs');
    assert.equal(closestOption('unit', valid), 'units');
    assert.equal(closestOption('batchsise', valid), 'batchSize');
    assert.equal(closestOption('foo', valid), null);
    assert.equal(closestOption('x', valid), null);
    assert.equal(closestOption('uints', valid), 'units');
  });
});

describe('checkOptions', () => {
  it('accepts the listed names, whatever their values, and undefined options', () => {
    checkOptions('fit', { epochs: 3, batchSize: undefined }, DEMO);
    checkOptions('fit', {}, DEMO);
    checkOptions('fit', undefined, DEMO);
    checkOptions('Dense', { name: 'a', units: 3 }, { name: true }, { units: true });
  });
  it('names the function, the option and the closest valid one', () => {
    assertThrowsExact(() => checkOptions('fit', { validation_split: 0.2 }, DEMO), ValueError, 'fit: unknown option "validation_split"; did you mean "validationSplit"?');
    assertThrowsExact(() => checkOptions('sgd', { lr: 0.1 }, DEMO), ValueError, 'sgd: unknown option "lr"; did you mean "learningRate"?');
  });
  it('lists the valid names when nothing is close, and names every unknown key', () => {
    assertThrowsExact(() => checkOptions('fit', { foo: 1 }, DEMO), ValueError, 'fit: unknown option "foo"; valid options: epochs, batchSize, validationSplit, learningRate');
    assertThrowsExact(
      () => checkOptions('fit', { epoch: 2, batch_size: 8 }, DEMO),
      ValueError,
      'fit: unknown options "epoch" (did you mean "epochs"?), "batch_size" (did you mean "batchSize"?)',
    );
    assertThrowsExact(() => checkOptions('fit', { epoch: 2, zzz: 1 }, DEMO), ValueError, 'fit: unknown options "epoch" (did you mean "epochs"?), "zzz"; valid options: epochs, batchSize, validationSplit, learningRate');
    assertThrowsExact(() => checkOptions('zeros', { value: 1 }), ValueError, 'zeros: unknown option "value"; valid options: none');
  });
  it('merges several sets of names (a layer: LayerArgs and its own)', () => {
    assertThrowsExact(() => checkOptions('Dense', { unit: 3 }, { name: true, trainable: true }, { units: true }), ValueError, 'Dense: unknown option "unit"; did you mean "units"?');
  });
  it('rejects a value that is not an options object', () => {
    assertThrowsExact(() => checkOptions('fit', 10, DEMO), ValueError, 'fit: expected an options object, received 10');
    assertThrowsExact(() => checkOptions('fit', null, DEMO), ValueError, 'fit: expected an options object, received null');
    assertThrowsExact(() => checkOptions('fit', [1], DEMO), ValueError, 'fit: expected an options object, received [1]');
    assertThrowsExact(() => checkOptions('Dense', '10', DEMO), ValueError, 'Dense: expected an options object, received "10" (a string)');
  });
  it('does not take inherited names for valid ones', () => {
    assertThrowsExact(() => checkOptions('fit', { toString: 1 }, DEMO), ValueError, 'fit: unknown option "toString"; valid options: epochs, batchSize, validationSplit, learningRate');
  });
});
