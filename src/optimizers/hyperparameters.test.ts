/**
 * Every optimizer checks its options' names and its hyperparameters at construction, one way
 * for all: the error names the optimizer, the argument and the value.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as optimizers from './index.js';
import { adam, sgd, clipByNorm, clipByValue, clipByGlobalNorm, addDecayedWeights, learningRateAt } from './index.js';
import { assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

const loose = <T>(v: unknown): T => v as T;
const RATE = 'a finite number >= 0 or a schedule (step) => number';

const isOptimizer = (v: unknown): v is hb.Optimizer =>
  typeof v === 'object' && v !== null && 'name' in v && 'getConfig' in v && 'init' in v && 'update' in v;

describe('optimizer hyperparameters', () => {
  it('rejects a bad learning rate in every optimizer (adam too, not only sgd)', () => {
    assertThrowsExact(() => adam({ learningRate: -1 }), hb.ValueError, `adam: learningRate must be ${RATE}, received -1`);
    assertThrowsExact(() => sgd({ learningRate: -0.1 }), hb.ValueError, `sgd: learningRate must be ${RATE}, received -0.1`);
    assertThrowsExact(() => adam({ learningRate: NaN }), hb.ValueError, `adam: learningRate must be ${RATE}, received NaN`);
    assertThrowsExact(() => sgd({ learningRate: Infinity }), hb.ValueError, `sgd: learningRate must be ${RATE}, received Infinity`);
    assertThrowsExact(() => adam({ learningRate: loose('0.01') }), hb.ValueError, `adam: learningRate must be ${RATE}, received "0.01" (a string)`);
  });
  it('accepts 0 (frozen weights) and schedules', () => {
    assert.equal(sgd({ learningRate: 0 }).learningRate, 0);
    const schedule = (step: number): number => 0.1 / (1 + step);
    assert.equal(adam({ learningRate: schedule }).learningRate, schedule);
  });
  it('checks betas in [0, 1), epsilon > 0, momentum in [0, 1], nesterov a boolean', () => {
    assertThrowsExact(() => adam({ beta1: 1 }), hb.ValueError, 'adam: beta1 must be a number in [0, 1), received 1');
    assertThrowsExact(() => adam({ beta2: -0.1 }), hb.ValueError, 'adam: beta2 must be a number in [0, 1), received -0.1');
    assertThrowsExact(() => adam({ epsilon: 0 }), hb.ValueError, 'adam: epsilon must be a finite number > 0, received 0');
    assertThrowsExact(() => sgd({ momentum: 1.5 }), hb.ValueError, 'sgd: momentum must be a number in [0, 1], received 1.5');
    assertThrowsExact(() => sgd({ momentum: loose('0.9') }), hb.ValueError, 'sgd: momentum must be a number in [0, 1], received "0.9" (a string)');
    assertThrowsExact(() => sgd({ nesterov: loose('yes') }), hb.ValueError, 'sgd: nesterov must be true or false, received "yes" (a string)');
    sgd({ momentum: 1, nesterov: true });
    adam({ beta1: 0, beta2: 0, epsilon: 1e-12 });
  });
  it("checks the Keras options with the optimizer's name", () => {
    assertThrowsExact(() => sgd({ clipnorm: -1 }), hb.ValueError, 'sgd: clipnorm must be a finite number > 0, received -1');
    assertThrowsExact(() => adam({ globalClipnorm: Infinity }), hb.ValueError, 'adam: globalClipnorm must be a finite number > 0, received Infinity');
    assertThrowsExact(() => adam({ clipvalue: loose('1') }), hb.ValueError, 'adam: clipvalue must be a finite number > 0, received "1" (a string)');
    assertThrowsExact(() => sgd({ weightDecay: -0.1 }), hb.ValueError, 'sgd: weightDecay must be a finite number >= 0, received -0.1');
    sgd({ weightDecay: 0 });
  });
  it('the links check the same way, under their own names', () => {
    assertThrowsExact(() => clipByNorm(0), hb.ValueError, 'clipByNorm: c must be a finite number > 0, received 0');
    assertThrowsExact(() => clipByValue(NaN), hb.ValueError, 'clipByValue: c must be a finite number > 0, received NaN');
    assertThrowsExact(() => clipByGlobalNorm(-2), hb.ValueError, 'clipByGlobalNorm: c must be a finite number > 0, received -2');
    assertThrowsExact(() => addDecayedWeights(-1, 0.1), hb.ValueError, 'addDecayedWeights: weightDecay must be a finite number >= 0, received -1');
  });
  it('a schedule (or a rate set later) must give a finite rate >= 0 at each step', () => {
    assert.equal(learningRateAt((s) => 0.5 * s, 2), 1);
    assertThrowsExact(() => learningRateAt(() => -1, 3), hb.ValueError, 'learningRate: expected a finite number >= 0 at step 3, received -1');
    assertThrowsExact(() => learningRateAt(() => NaN, 0), hb.ValueError, 'learningRate: expected a finite number >= 0 at step 0, received NaN');
  });
});

describe('optimizer options', () => {
  it('names the optimizer, the option and the closest valid one', () => {
    assertThrowsExact(() => sgd(loose({ lr: 0.1 })), hb.ValueError, 'sgd: unknown option "lr"; did you mean "learningRate"?');
    assertThrowsExact(() => adam(loose({ beta_1: 0.9 })), hb.ValueError, 'adam: unknown option "beta_1"; did you mean "beta1"?');
    assertThrowsExact(() => adam(loose({ global_clipnorm: 1 })), hb.ValueError, 'adam: unknown option "global_clipnorm"; did you mean "globalClipnorm"?');
    assertThrowsExact(() => sgd(loose({ learning_rate: 0.1, momentun: 0.9 })), hb.ValueError, 'sgd: unknown options "learning_rate" (did you mean "learningRate"?), "momentun" (did you mean "momentum"?)');
  });
  it('every exported optimizer factory rejects an unknown option', () => {
    const factories = Object.entries(optimizers).filter(([, f]) => {
      if (typeof f !== 'function') return false;
      try {
        return isOptimizer((f as () => unknown)());
      } catch {
        return false; // needs arguments: not an optimizer factory
      }
    });
    const names = factories.map(([k]) => k);
    assert.ok(names.includes('adam') && names.includes('sgd'), names.join(', '));
    for (const [name, f] of factories) {
      assertThrowsWith(() => (f as (o: unknown) => unknown)({ bogusOption: 1 }), hb.ValueError, `${name}: unknown option "bogusOption"; valid options: `, 'learningRate', 'clipnorm');
    }
  });
});
