/** Tensor creation options: unknown names rejected, received values shown as given. */
import { describe, it } from 'node:test';
import * as hb from '../index.js';
import { assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

const loose = <T>(v: unknown): T => v as T;

describe('creation options', () => {
  it('random tensors name the op, the option and the closest valid one', () => {
    assertThrowsExact(() => hb.randomUniform([2], loose({ minVal: -1 })), hb.ValueError, 'randomUniform: unknown option "minVal"; did you mean "minval"?');
    assertThrowsExact(() => hb.randomUniform([2], loose({ min_val: -1 })), hb.ValueError, 'randomUniform: unknown option "min_val"; did you mean "minval"?');
    assertThrowsExact(() => hb.randomNormal([2], loose({ std: 1 })), hb.ValueError, 'randomNormal: unknown option "std"; valid options: seed, generator, mean, stddev, dtype');
    assertThrowsExact(() => hb.truncatedNormal([2], loose({ stdev: 1 })), hb.ValueError, 'truncatedNormal: unknown option "stdev"; did you mean "stddev"?');
    assertThrowsExact(() => hb.bernoulli([2], 0.5, loose({ dtyp: 'float32' })), hb.ValueError, 'bernoulli: unknown option "dtyp"; did you mean "dtype"?');
    assertThrowsExact(() => hb.randomPermutation(3, loose({ sed: 1 })), hb.ValueError, 'randomPermutation: unknown option "sed"; did you mean "seed"?');
    hb.scope(() => {
      assertThrowsExact(() => hb.shuffle(hb.zeros([3]), loose({ seeds: 1 })), hb.ValueError, 'shuffle: unknown option "seeds"; did you mean "seed"?');
    });
    assertThrowsExact(() => hb.randomUniform([2], { seed: loose('1') }), hb.ValueError, 'randomUniform: seed must be a safe integer, received "1" (a string)');
    assertThrowsExact(() => hb.randomNormal([2], { stddev: loose('1') }), hb.ValueError, 'randomNormal: stddev must be a finite number, received "1" (a string)');
  });

  it('variable', () => {
    hb.scope(() => {
      const t = hb.zeros([2]);
      assertThrowsExact(() => hb.variable(t, loose({ trainabel: false })), hb.ValueError, 'variable: unknown option "trainabel"; did you mean "trainable"?');
      assertThrowsWith(() => hb.variable(t, loose({ shape: [2] })), hb.ValueError, 'variable: unknown option "shape"; valid options: name, trainable, dtype');
      const v = hb.variable(t, { name: 'v_ok', trainable: false, dtype: 'float64' });
      v.dispose();
    });
  });

  it('checkGradients', () => {
    hb.scope(() => {
      assertThrowsExact(() => hb.checkGradients((x) => hb.sum(x), [hb.tensor([1, 2])], loose({ tol: 1e-3 })), hb.ValueError, 'checkGradients: unknown option "tol"; did you mean "rtol"?');
    });
  });
});
