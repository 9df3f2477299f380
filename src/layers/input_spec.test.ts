/**
 * Input checks every layer runs in apply: the dtype of layers that compute on their input, and
 * the boolean options of layers (a truthy string is not `true`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { DTypeError, ValueError } from '../core/errors.js';
import { resetLayerNames } from './layer.js';
import { activation, add, dense, elu, flatten, input, leakyRelu, normalization, prelu } from './index.js';
import { assertThrowsExact } from '../../test/helpers.js';

const ints = (): hb.Tensor => hb.tensor([[1, -2]], undefined, 'int32');

describe('InputSpec dtype', () => {
  it('layers that compute on their input refuse integer inputs, naming themselves', () => {
    resetLayerNames();
    const cases: [hb.Layer, string][] = [
      [dense({ units: 2 }), 'Dense "dense"'],
      [leakyRelu(), 'LeakyReLU "leaky_re_lu"'],
      [elu(), 'ELU "elu"'],
      [prelu(), 'PReLU "p_re_lu"'],
      [activation({ activation: 'relu' }), 'Activation "activation"'],
      [normalization({ mean: 0, variance: 1 }), 'Normalization "normalization"'],
    ];
    for (const [layer, who] of cases) {
      const msg = `${who} expects float32 inputs, received int32; cast integer data to float first (hb.cast(x, 'float32'))`;
      assertThrowsExact(() => layer.apply(ints()), DTypeError, msg);
      assertThrowsExact(() => layer.apply(input({ shape: [2], dtype: 'int32' })), DTypeError, msg);
    }
  });

  it('after build too, and for a float64 layer the message says float64', () => {
    resetLayerNames();
    const d = dense({ units: 2, dtype: 'float64' });
    d.apply(hb.tensor([[1, 2]], undefined, 'float64'));
    assertThrowsExact(() => d.apply(ints()), DTypeError, `Dense "dense" expects float64 inputs, received int32; cast integer data to float first (hb.cast(x, 'float64'))`);
    assert.throws(() => d.apply(hb.tensor([[true, false]])), /expects float64 inputs, received bool/);
  });

  it('a leaky ReLU on int32 used to truncate 0.3·(−2) to 0; float inputs (any float dtype) still pass', () => {
    const l = leakyRelu({ negativeSlope: 0.5 });
    assert.deepEqual(l.apply(hb.tensor([[1, -2]])).arraySync(), [[1, -1]]);
    assert.deepEqual(l.apply(hb.tensor([[1, -2]], undefined, 'float64')).arraySync(), [[1, -1]]);
  });

  it('layers that only move data accept integers', () => {
    assert.deepEqual(flatten().apply(ints()).arraySync(), [[1, -2]]);
    assert.deepEqual(add().apply([ints(), ints()]).arraySync(), [[2, -4]]);
  });
});

describe('boolean layer options', () => {
  it('useBias, invert, trainable and training must be booleans', () => {
    resetLayerNames();
    // Cast as a JavaScript caller (or a JSON config) would pass it.
    const as = (v: unknown): boolean => v as boolean;
    assertThrowsExact(() => dense({ units: 2, useBias: as('no') }), ValueError, 'Dense "dense": useBias must be true or false, received "no" (a string)');
    assertThrowsExact(() => normalization({ invert: as(1) }), ValueError, 'Normalization "normalization": invert must be true or false, received 1');
    assertThrowsExact(() => dense({ units: 2, trainable: as('false') }), ValueError, 'Dense "dense_1": trainable must be true or false, received "false" (a string)');
    const d = dense({ units: 2, name: 'd' });
    assertThrowsExact(() => (d.trainable = as('false')), ValueError, 'Dense "d": trainable must be true or false, received "false" (a string)');
    assert.equal(d.trainable, true);
    assertThrowsExact(() => d.apply(hb.tensor([[1, 2]]), { training: as('yes') }), ValueError, 'Dense "d": training must be true or false, received "yes" (a string)');
    assertThrowsExact(() => d.addWeight({ name: 'w', shape: [1], trainable: as('no') }), ValueError, 'Dense "d".addWeight: trainable must be true or false, received "no" (a string)');
    const noBias = dense({ units: 2, useBias: false });
    noBias.apply(hb.tensor([[1, 2]]));
    assert.equal(noBias.bias, null);
    assert.equal(noBias.countParams(), 4);
  });
});
