/**
 * Type tests: `npm test` compiles this file with tsc (tsconfig includes test/**), and tsc fails
 * on an `@ts-expect-error` that has no error to expect. So each typo below must stay a compile
 * error, and each positive line must keep compiling without a cast. Every `@ts-expect-error`
 * line is otherwise valid (its control line, spelled right, compiles), so the error it expects
 * is the typo and nothing else.
 *
 * It also runs as a test: a plain JavaScript caller makes the same typos, and gets the run-time
 * errors asserted here; the positive lines check that predict returns the structure its type says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../../src/index.js';

const x = [[1, 2], [3, 4]];

describe('types: names are unions, so typos fail to compile', () => {
  it('optimizer, loss and metric names in compile', () => {
    const m = hb.sequential([hb.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['accuracy'] });
    // @ts-expect-error: 'adm' is no optimizer
    assert.throws(() => m.compile({ optimizer: 'adm', loss: 'mse' }), /unknown optimizer "adm"/);
    // @ts-expect-error: 'mse ' (trailing space) is no loss
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse ' }), /unknown loss "mse "/);
    // @ts-expect-error: 'accuracyy' is no metric
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracyy'] }), /unknown metric "accuracyy"/);
    // Keras's snake_case spellings are part of the types.
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['sparse_categorical_accuracy'] });
    m.compile({ optimizer: 'sgd', loss: { [m.layers[0]!.name]: 'mean_squared_error' }, metrics: [['root_mean_squared_error']] });
    // @ts-expect-error: per-output specs are checked too
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: ['msee'] }), /unknown loss "msee"/);
    m.dispose();
  });

  it('initializer and activation names in layer options', () => {
    hb.layers.dense({ units: 1, kernelInitializer: 'he_normal', biasInitializer: 'zeros', activation: 'leaky_relu' }).dispose();
    // @ts-expect-error: 'he_normall' is no initializer
    assert.throws(() => hb.layers.dense({ units: 1, kernelInitializer: 'he_normall' }), /unknown initializer "he_normall"/);
    // @ts-expect-error: 'rellu' is no activation
    assert.throws(() => hb.layers.dense({ units: 1, activation: 'rellu' }), /unknown activation "rellu"/);
    // @ts-expect-error: nor in the Activation layer
    assert.throws(() => hb.layers.activation({ activation: 'sigmoud' }), /unknown activation "sigmoud"/);
    hb.layers.prelu({ alphaInitializer: 'constant' });
    // @ts-expect-error: nor in PReLU's alphaInitializer
    assert.throws(() => hb.layers.prelu({ alphaInitializer: 'zero' }), /unknown initializer "zero"/);
  });

  it('the getX look-ups take the names, not any string', () => {
    assert.equal(hb.getOptimizer('sgd').name, 'sgd');
    // @ts-expect-error: getOptimizer(id: OptimizerId)
    assert.throws(() => hb.getOptimizer('sgdd'), /unknown optimizer/);
    // @ts-expect-error: getLoss(id: LossName | ...)
    assert.throws(() => hb.getLoss('mes'), /unknown loss/);
    // @ts-expect-error: getMetric(id: MetricName | ...)
    assert.throws(() => hb.getMetric('acuracy'), /unknown metric/);
    // @ts-expect-error: getInitializer(id: InitializerId | ...)
    assert.throws(() => hb.getInitializer('glorot'), /unknown initializer/);
    // @ts-expect-error: getActivation(id: ActivationId | ...)
    assert.throws(() => hb.getActivation('Relu'), /unknown activation/);
  });
});

describe('types: predict returns what the model outputs', () => {
  it('Sequential and single-output functional models give one Tensor, without a cast', async () => {
    const seq = hb.sequential([hb.input({ shape: [2] }), hb.layers.dense({ units: 3 })]);
    const p: hb.Tensor = await seq.predict(x);
    assert.ok(p instanceof hb.Tensor);
    assert.deepEqual(p.shape, [2, 3]);

    const inp = hb.input({ shape: [2] });
    const one = hb.model({ inputs: inp, outputs: hb.layers.dense({ units: 1 }).apply(inp) });
    const q: hb.Tensor = await one.predict(x);
    assert.deepEqual(q.shape, [2, 1]);
    // The result is a Tensor, not an array:
    // @ts-expect-error: no destructuring a Tensor
    assert.throws(() => { const [a] = q; void a; }, TypeError);
    hb.dispose([p, q]);
    seq.dispose();
    one.dispose();
  });

  it('a multi-output functional model gives an array in output order, also for an array of one', async () => {
    const inp = hb.input({ shape: [2] });
    const h = hb.layers.dense({ units: 4 }).apply(inp);
    const two = hb.model({ inputs: inp, outputs: [hb.layers.dense({ units: 1 }).apply(h), hb.layers.dense({ units: 2 }).apply(h)] });
    const [main, aux]: hb.Tensor[] = await two.predict(x);
    assert.deepEqual([main?.shape, aux?.shape], [[2, 1], [2, 2]]);
    // @ts-expect-error: several outputs are not one Tensor
    const notOne: hb.Tensor = await two.predict(x);
    assert.ok(Array.isArray(notOne));

    const listOfOne = hb.model({ inputs: inp, outputs: [h] });
    const r: hb.Tensor[] = await listOfOne.predict(x);
    assert.equal(r.length, 1);
    hb.dispose([main!, aux!, ...notOne, ...r]);
    two.dispose();
  });

  it('a subclassed model gives what its call returns; a plain Model variable, either', async () => {
    class TwoHeads extends hb.Model {
      readonly a = hb.layers.dense({ units: 1 });
      readonly b = hb.layers.dense({ units: 1 });
      override call(inputs: hb.Tensor | hb.Tensor[]): hb.Tensor[] {
        return [this.a.apply(inputs), this.b.apply(inputs)];
      }
    }
    class OneHead extends hb.Model {
      readonly a = hb.layers.dense({ units: 1 });
      override call(inputs: hb.Tensor | hb.Tensor[]): hb.Tensor {
        return this.a.apply(inputs);
      }
    }
    const heads: hb.Tensor[] = await new TwoHeads().predict(x);
    const head: hb.Tensor = await new OneHead().predict(x);
    assert.equal(heads.length, 2);
    assert.ok(head instanceof hb.Tensor);
    const some: hb.Model = new OneHead();
    const out: hb.ModelOutput = await some.predict(x);
    // @ts-expect-error: through the Model type, predict may return either
    const t: hb.Tensor = await some.predict(x);
    hb.dispose([...heads, head, out, t]);
  });
});
