/**
 * Keras's `inputShape` on a Sequential's first layer (an implicit input, so the model builds
 * at once), and the models' own options checked like every other options object.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Sequential } from './sequential.js';
import { assertThrowsExact } from '../../test/helpers.js';

const { dense, flatten } = hb.layers;
const loose = <T>(v: unknown): T => v as T;

/** Parameters of a Dense from fanIn to units, with its bias. */
const denseParams = (fanIn: number, units: number): number => fanIn * units + units;

describe('inputShape on the first layer', () => {
  it('builds the model at once, as with an input(...) first (summary shows shapes and counts)', () => {
    const m = hb.sequential([flatten({ inputShape: [28, 28], name: 'in_flat' }), dense({ units: 30, activation: 'relu', name: 'in_h' }), dense({ units: 10, name: 'in_out' })], { name: 'mnist_like' });
    const expected = denseParams(28 * 28, 30) + denseParams(30, 10);
    assert.equal(m.countParams(), expected);
    const lines: string[] = [];
    m.summary((l) => lines.push(l));
    const text = lines.join('\n');
    assert.ok(text.includes(`Total params: ${expected.toLocaleString('en-US')}`), text);
    assert.ok(/in_flat \(Flatten\)\s+│ \(None, 784\)\s+│\s+0 │/.test(text), text);
    assert.ok(/in_h \(Dense\)\s+│ \(None, 30\)\s+│\s+23,550 │/.test(text), text);
    assert.deepEqual(m.knownInputShapes(), [[null, 28, 28]]);
    assert.deepEqual(m.layers.map((l) => l.name), ['in_flat', 'in_h', 'in_out']);
    m.dispose();
  });

  it('runs, casts integer inputs like an input(...), and round-trips through its config', async () => {
    hb.setSeed(3);
    const m = hb.sequential([dense({ units: 2, inputShape: [3], name: 'rt_a' }), dense({ units: 1, name: 'rt_b' })]);
    const x = hb.tensor([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    const y = (await m.predict(x)) as hb.Tensor;
    assert.deepEqual(y.shape, [2, 1]);
    const config = m.getConfig();
    assert.equal(config.layers[0]?.className, 'InputLayer');
    assert.deepEqual(config.layers[0]?.config['batchShape'], [null, 3]);
    const copy = Sequential.fromConfig(JSON.parse(JSON.stringify(config)) as typeof config);
    assert.equal(copy.countParams(), m.countParams());
    assert.deepEqual(copy.knownInputShapes(), [[null, 3]]);
    // A wrong shape is named at the input, before any layer runs.
    await assert.rejects(m.predict(hb.zeros([2, 4])), /predict: input "input_layer(_\d+)?" expects x of shape \[null, 3\], received shape \[2, 4\]/);
    for (const t of [x, y]) t.dispose();
    m.dispose();
    copy.dispose();
  });

  it('batchInputShape fixes the batch size too', () => {
    const m = hb.sequential([dense({ units: 1, batchInputShape: [8, 5], name: 'bis' })]);
    assert.deepEqual(m.knownInputShapes(), [[8, 5]]);
    assert.equal(m.countParams(), denseParams(5, 1));
    m.dispose();
  });

  it('is an error on any other layer, where it would be ignored', () => {
    assertThrowsExact(
      () => hb.sequential([dense({ units: 4, inputShape: [3], name: 'first' }), dense({ units: 2, inputShape: [4], name: 'second' })], { name: 'two_shapes' }),
      hb.ValueError,
      'Sequential "two_shapes".add: layer "second" has an inputShape, but only a model\'s first layer may have one (the input is set by then)',
    );
    assertThrowsExact(
      () => hb.sequential([hb.input({ shape: [3] }), dense({ units: 2, inputShape: [3], name: 'after_input' })], { name: 'with_input' }),
      hb.ValueError,
      'Sequential "with_input".add: layer "after_input" has an inputShape, but only a model\'s first layer may have one (the input is set by then)',
    );
  });
});

describe('model options', () => {
  it('sequential and model reject unknown names; sequential keeps trainable', () => {
    assertThrowsExact(() => hb.sequential([], loose({ nmae: 'm' })), hb.ValueError, 'sequential: unknown option "nmae"; did you mean "name"?');
    assertThrowsExact(() => hb.sequential([], loose({ inputShape: [3] })), hb.ValueError, 'sequential: unknown option "inputShape"; valid options: name, trainable, dtype');
    const frozen = hb.sequential([dense({ units: 1, inputShape: [2], name: 'frozen_d' })], { trainable: false });
    assert.equal(frozen.trainable, false);
    assert.equal(frozen.trainableWeights.length, 0);
    frozen.dispose();
    const x = hb.input({ shape: [2] });
    const out = dense({ units: 1, name: 'fn_out' }).apply(x);
    assertThrowsExact(() => hb.model(loose({ inputs: x, output: out })), hb.ValueError, 'model: unknown option "output"; did you mean "outputs"?');
  });
});
