/**
 * Keras's custom-training-step pattern: a subclass overrides trainStep / testStep, and fit and
 * evaluate call them once per batch. Expected values are worked by hand for y = x·w + b.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { assertClose, assertThrowsWith } from '../../test/helpers.js';

/** One Dense unit, w = 1, b = 0; trainStep adds lambda·w² to the loss it differentiates and logs. */
class Penalized extends hb.Model {
  readonly out = hb.layers.dense({ units: 1, kernelInitializer: 'ones' });
  trainSteps = 0;
  testSteps = 0;

  constructor(readonly lambda: number) {
    super();
  }

  override call(x: hb.Tensor | hb.Tensor[]): hb.Tensor {
    return this.out.apply(x as hb.Tensor);
  }

  override trainStep(data: hb.StepData): void {
    this.trainSteps++;
    const { value, grads, aux } = hb.valueAndGrad(() => {
      const yPred = this.forward(data.x, true);
      const losses = this.computeLoss(data, yPred);
      const penalty = hb.mul(hb.sum(hb.square(this.out.kernel)), this.lambda);
      return [hb.add(losses.total, penalty), { yPred, perOutput: [...losses.perOutput] }];
    }, this.trainableWeights, { hasAux: true });
    this.applyGradients(grads, value);
    this.updateMetrics(data, aux.yPred, { total: value, perOutput: aux.perOutput });
  }

  override testStep(data: hb.StepData): void {
    this.testSteps++;
    super.testStep(data);
  }
}

/** Trains the kernel only: the bias gets a zero gradient, so plain SGD leaves it as it is. */
class KernelOnly extends hb.Model {
  readonly out = hb.layers.dense({ units: 1, kernelInitializer: 'ones' });

  override call(x: hb.Tensor | hb.Tensor[]): hb.Tensor {
    return this.out.apply(x as hb.Tensor);
  }

  override trainStep(data: hb.StepData): void {
    const kernel = this.out.kernel;
    const { value, grads: [gk], aux } = hb.valueAndGrad(() => {
      const yPred = this.forward(data.x, true);
      const losses = this.computeLoss(data, yPred);
      return [losses.total, { yPred, perOutput: [...losses.perOutput] }];
    }, [kernel], { hasAux: true });
    this.applyGradients(this.trainableWeights.map((w) => (w === kernel ? (gk as hb.Tensor) : hb.zerosLike(w))), value);
    this.updateMetrics(data, aux.yPred, { total: value, perOutput: aux.perOutput });
  }
}

const X = [[1], [2]];
const Y = [[1], [1]];

describe('Model.trainStep / testStep overrides', () => {
  it('fit uses the override: a weight penalty in the step, by hand for one SGD step', async () => {
    const m = new Penalized(0.5);
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
    const h = await m.fit(X, Y, { epochs: 1, batchSize: 2, verbose: 0 });
    // pred [1, 2], err [0, 1]: mse 0.5, d/dw = (2/2)(0·1 + 1·2) = 2, d/db = 1; the penalty
    // 0.5·w² adds 0.5 to the loss and w = 1 to d/dw. w = 1 − 0.1·3, b = −0.1.
    assert.equal(m.trainSteps, 1);
    assertClose(Array.from(m.out.kernel.dataSync()), [0.7], 1e-6);
    assertClose(Array.from((m.out.bias as hb.Tensor).dataSync()), [-0.1], 1e-6);
    assertClose(h.history['loss'] ?? [], [1], 1e-6);
    assertClose(h.history['mae'] ?? [], [0.5], 1e-6);
    // evaluate calls testStep (super's: no penalty): pred [0.6, 1.3], err [-0.4, 0.3] → mse 0.125.
    const loss = await m.evaluate(X, Y, { verbose: 0, returnDict: true });
    assert.equal(m.testSteps, 1);
    assertClose([loss['loss'] ?? NaN], [0.125], 1e-6);
    m.dispose();
  });

  it('an override can train some weights only, and validation runs its testStep', async () => {
    const m = new KernelOnly();
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const h = await m.fit(X, Y, { epochs: 2, batchSize: 2, verbose: 0, validationData: [X, Y] });
    // Step 1 as above without the penalty: w = 1 − 0.1·2 = 0.8; step 2: pred [0.8, 1.6], err
    // [-0.2, 0.6], d/dw = (−0.2 + 1.2) = 1, w = 0.7. b stays 0.
    assertClose(Array.from(m.out.kernel.dataSync()), [0.7], 1e-6);
    assert.deepEqual(Array.from((m.out.bias as hb.Tensor).dataSync()), [0]);
    // val after epoch 1 at w = 0.8: mse = (0.04 + 0.36)/2 = 0.2.
    assertClose([h.history['val_loss']?.[0] ?? NaN], [0.2], 1e-6);
    m.dispose();
  });

  it('the step pieces refuse to run outside fit and evaluate', () => {
    const m = new Penalized(0);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = hb.tensor(X);
    assertThrowsWith(() => hb.scope(() => m.testStep({ x: [x], y: [x], sampleWeight: null })), hb.ValueError, 'computeLoss: model', 'is not in fit or evaluate');
    x.dispose();
    m.dispose();
  });
});
