import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../core/errors.js';
import * as schedules from './index.js';
import type { LearningRateSchedule } from './index.js';

function throwsValue(f: () => unknown, message: string | RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

const EXAMPLES: readonly LearningRateSchedule[] = [
  schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.9, staircase: true }),
  schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5 }),
  schedules.powerDecay({ initialLearningRate: 0.1, s: 10, c: 2 }),
  schedules.piecewiseConstantDecay({ boundaries: [3, 8], values: [0.1, 0.05, 0.01] }),
  schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 7, power: 2, cycle: true }),
  schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 9, alpha: 0.1, warmupTarget: 0.2, warmupSteps: 3 }),
  schedules.cosineDecay({ initialLearningRate: 0.3, decaySteps: 9 }),
  schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 4, tMul: 3, mMul: 0.8, alpha: 0.05 }),
  schedules.oneCycle({ maxLearningRate: 0.2, iterations: 37 }),
  schedules.oneCycleMomentum({ iterations: 37, minMomentum: 0.8 }),
];

describe('schedule configs', () => {
  it('getConfig is plain JSON; fromConfig rebuilds the same function', () => {
    for (const s of EXAMPLES) {
      const json = JSON.parse(JSON.stringify(s.getConfig())) as unknown;
      assert.deepEqual(json, s.getConfig(), `${s.className}: survives JSON`);
      const back = schedules.fromConfig(json);
      assert.equal(back.className, s.className);
      assert.deepEqual(back.getConfig(), s.getConfig());
      for (let step = 0; step < 60; step++) assert.equal(back(step), s(step), `${s.className} step ${step}`);
    }
  });
  it('Keras-style class names and every default filled in', () => {
    assert.deepEqual(schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5 }).getConfig(), {
      className: 'ExponentialDecay',
      config: { initialLearningRate: 1, decaySteps: 2, decayRate: 0.5, staircase: false },
    });
    assert.deepEqual(schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 2 }).getConfig().config, { initialLearningRate: 1, decaySteps: 2, alpha: 0, warmupTarget: null, warmupSteps: 0 });
    assert.deepEqual(schedules.oneCycle({ maxLearningRate: 1, iterations: 50 }).getConfig().config, {
      maxLearningRate: 1,
      iterations: 50,
      startLearningRate: 0.1,
      lastIterations: 6,
      lastLearningRate: 0.1 / 1000,
    });
    assert.deepEqual(schedules.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 2 }).getConfig().config, { initialLearningRate: 1, firstDecaySteps: 2, tMul: 2, mMul: 1, alpha: 0 });
    assert.deepEqual(schedules.polynomialDecay({ initialLearningRate: 1, decaySteps: 2 }).getConfig().config, { initialLearningRate: 1, decaySteps: 2, endLearningRate: 0.0001, power: 1, cycle: false });
  });
  it('a config cannot be changed through getConfig', () => {
    const s = schedules.piecewiseConstantDecay({ boundaries: [1], values: [2, 3] });
    s.getConfig().config.values[0] = 99;
    assert.equal(s(0), 2);
  });
  it('fromConfig accepts snake_case class names and rejects unknown ones, bad shapes and bad keys', () => {
    assert.equal(schedules.fromConfig({ className: 'exponential_decay', config: { initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 } })(1), 0.5);
    throwsValue(() => schedules.deserializeSchedule({ className: 'StepDecay', config: {} }), /^schedules\.fromConfig: unknown schedule className "StepDecay" \(a string\); expected one of ExponentialDecay, InverseTimeDecay, PowerDecay/);
    throwsValue(() => schedules.fromConfig('ExponentialDecay'), 'schedules.fromConfig: expected {className, config}, received "ExponentialDecay" (a string)');
    throwsValue(() => schedules.fromConfig({ className: 'CosineDecay' }), 'schedules.fromConfig: config of CosineDecay must be an object, received undefined');
    throwsValue(() => schedules.fromConfig({ className: 'PowerDecay', config: { initialLearningRate: 1, s: 2, power: 1 } }), /^powerDecay: unknown option "power"/);
    throwsValue(() => schedules.fromConfig({ className: 'PowerDecay', config: { initialLearningRate: 1 } }), 'powerDecay: s must be a finite number > 0, received undefined');
  });
  it('isLearningRateSchedule tells a schedule from a plain function', () => {
    assert.ok(schedules.isLearningRateSchedule(EXAMPLES[0]));
    assert.ok(!schedules.isLearningRateSchedule((s: number) => s));
  });
});

describe('schedule arguments', () => {
  it('unknown option names, with a suggestion', () => {
    throwsValue(() => schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5, stairCase: true } as schedules.ExponentialDecayOptions), 'exponentialDecay: unknown option "stairCase"; did you mean "staircase"?');
    throwsValue(() => schedules.oneCycle({ maxLearningRate: 1, iterations: 10, max_lr: 2 } as schedules.OneCycleOptions), /^oneCycle: unknown option "max_lr"/);
  });
  it('missing options', () => {
    throwsValue(() => Reflect.apply(schedules.cosineDecay, undefined, []), 'cosineDecay: options are required: {initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps}');
  });
  it('values: named with the schedule, the argument and what was received', () => {
    const cases: [() => unknown, string][] = [
      [() => schedules.exponentialDecay({ initialLearningRate: -1, decaySteps: 1, decayRate: 0.5 }), 'exponentialDecay: initialLearningRate must be a finite number >= 0, received -1'],
      [() => schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 0.5 }), 'exponentialDecay: decaySteps must be a finite number > 0, received 0'],
      [() => schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: -0.5 }), 'exponentialDecay: decayRate must be a finite number > 0, received -0.5'],
      [() => schedules.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: NaN }), 'inverseTimeDecay: decayRate must be a finite number >= 0, received NaN'],
      [() => schedules.inverseTimeDecay(JSON.parse('{"initialLearningRate": 1, "decaySteps": 1, "decayRate": 1, "staircase": "yes"}') as schedules.InverseTimeDecayOptions), 'inverseTimeDecay: staircase must be true or false, received "yes" (a string)'],
      [() => schedules.powerDecay({ initialLearningRate: 1, s: Infinity }), 'powerDecay: s must be a finite number > 0, received Infinity'],
      [() => schedules.piecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] }), 'piecewiseConstantDecay: values must have one more entry than boundaries (3), received 2'],
      [() => schedules.piecewiseConstantDecay({ boundaries: [], values: [1] }), 'piecewiseConstantDecay: boundaries must be a non-empty array of numbers, received []'],
      [() => schedules.piecewiseConstantDecay({ boundaries: [5, 5], values: [1, 2, 3] }), 'piecewiseConstantDecay: boundaries must be strictly increasing, received [5, 5] (boundaries[1] = 5 after 5)'],
      [() => schedules.piecewiseConstantDecay({ boundaries: [5], values: [1, -2] }), 'piecewiseConstantDecay: values[1] must be a finite number >= 0, received -2'],
      [() => schedules.polynomialDecay({ initialLearningRate: 1, decaySteps: 5, power: -1 }), 'polynomialDecay: power must be a finite number >= 0, received -1'],
      [() => schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 5, alpha: 1.5 }), 'cosineDecay: alpha must be a number in [0, 1], received 1.5'],
      [() => schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 5, warmupSteps: 3 }), 'cosineDecay: warmupSteps (3) needs a warmupTarget, the rate the warm-up reaches'],
      [() => schedules.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 5, tMul: 0.5 }), 'cosineDecayRestarts: tMul must be a finite number >= 1, received 0.5'],
      [() => schedules.oneCycle({ maxLearningRate: 1, iterations: 2.5 }), 'oneCycle: iterations must be a positive integer, received 2.5'],
      [() => schedules.oneCycle({ maxLearningRate: 1, iterations: 10, lastIterations: 11 }), 'oneCycle: lastIterations must be at most iterations (10), received 11'],
      [() => schedules.oneCycleMomentum({ iterations: 10, maxMomentum: 0.8, minMomentum: 0.9 }), 'oneCycleMomentum: minMomentum (0.9) must be at most maxMomentum (0.8)'],
      [() => schedules.oneCycleMomentum({ iterations: 10, maxMomentum: 1.2 }), 'oneCycleMomentum: maxMomentum must be a number in [0, 1], received 1.2'],
    ];
    for (const [f, message] of cases) throwsValue(f, message);
  });
  it('the step: a finite number >= 0', () => {
    const s = schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 });
    throwsValue(() => s(-1), 'exponentialDecay: step must be a finite number >= 0, received -1');
    throwsValue(() => Reflect.apply(s, undefined, []), 'exponentialDecay: step must be a finite number >= 0, received undefined');
  });
});
