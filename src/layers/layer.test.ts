import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Dense, Flatten, Layer, LeakyReLU, Normalization, PReLU, input, resetLayerNames, toSnakeCase, type CallArgs, type Regularizer, type SymbolicShape } from './index.js';
import { vals, assertClose, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

/** λ·Σw², written here so the test does not depend on the regularizers module. */
function l2(lambda: number): Regularizer {
  return { className: 'L2', apply: (w) => hb.mul(hb.sum(hb.square(w)), lambda), getConfig: () => ({ l2: lambda }) };
}

/** A user layer: y = x·scale (one weight per feature), then the sum over features kept as [batch, 1]. */
class ScaledSum extends Layer {
  builds = 0;
  scale: hb.Variable | null = null;
  override build(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    this.builds++;
    const s = inputShape as SymbolicShape;
    this.scale = this.addWeight({ name: 'scale', shape: [s[s.length - 1] as number], initializer: 'ones' });
  }
  override call(inputs: hb.Tensor | hb.Tensor[]): hb.Tensor {
    return hb.sum(hb.mul(inputs as hb.Tensor, this.read(this.scale as hb.Variable)), -1, true);
  }
}

class NoCall extends Layer {}

describe('Layer', () => {
  it('names layers per class like Keras: dense, dense_1, ...; given names are kept', () => {
    resetLayerNames();
    assert.equal(new Dense({ units: 1 }).name, 'dense');
    assert.equal(new Dense({ units: 1 }).name, 'dense_1');
    assert.equal(new Dense({ units: 1, name: 'hidden1' }).name, 'hidden1');
    assert.equal(new Dense({ units: 1 }).name, 'dense_2');
    assert.equal(new LeakyReLU().name, 'leaky_re_lu');
    assert.equal(new PReLU().name, 'p_re_lu');
    assert.equal(input({ shape: [2] }).sourceLayer.name, 'input_layer');
    assert.equal(new ScaledSum().name, 'scaled_sum');
    assert.equal(toSnakeCase('BatchNormalization'), 'batch_normalization');
    assert.equal(toSnakeCase('ELU'), 'elu');
    assertThrowsWith(() => new Dense({ units: 1, name: '' }), hb.ValueError, 'name must be a non-empty string');
    assertThrowsWith(() => new Dense({ units: 1, name: 'a/b' }), hb.ValueError, 'without "/"');
  });

  it('builds once, on first use, and checks later inputs against the built spec', () => {
    const l = new ScaledSum({ name: 'ss' });
    assert.equal(l.built, false);
    assert.equal(l.countParams(), 0);
    const y = l.apply(hb.tensor([[1, 2, 3]]));
    assert.deepEqual(vals(y), [6]);
    l.apply(hb.tensor([[1, 2, 4]]));
    assert.equal(l.builds, 1);
    assert.equal(l.countParams(), 3);
    assert.deepEqual(l.weights.map((w) => w.name), ['ss/scale']);
  });

  it('derives output shapes of user layers by running them (unknown dimensions stay null)', () => {
    const l = new ScaledSum();
    const out = l.apply(input({ shape: [5] }));
    assert.deepEqual(out.shape, [null, 1]);
    assert.equal(out.dtype, 'float32');
    assert.equal(l.builds, 1);
  });

  it('trainable = false moves the weights to nonTrainableWeights and back', () => {
    const d = new Dense({ units: 2 });
    d.apply(hb.ones([1, 3]));
    assert.equal(d.trainableWeights.length, 2);
    d.trainable = false;
    assert.deepEqual(d.trainableWeights, []);
    assert.deepEqual(d.nonTrainableWeights, d.weights);
    assert.ok(d.weights.every((w) => !w.trainable));
    d.trainable = true;
    assert.deepEqual(d.trainableWeights, d.weights);
    assert.ok(d.weights.every((w) => w.trainable));
    // Weights created non-trainable stay so.
    const n = new Normalization();
    n.adapt(hb.tensor([[1, 2]]));
    assert.deepEqual(n.trainableWeights, []);
    assert.deepEqual(n.nonTrainableWeights.map((w) => w.name), ['normalization/mean', 'normalization/variance', 'normalization/count'].map((s) => s.replace('normalization', n.name)));
    // Built frozen: the variables are created non-trainable.
    const f = new Dense({ units: 1, trainable: false });
    f.apply(hb.ones([1, 1]));
    assert.deepEqual(f.trainableWeights, []);
    assert.equal(f.getConfig()['trainable'], false);
  });

  it('gives each layer its own random stream: adding a layer does not change another one', () => {
    const kernelOf = (name: string, others: string[]): number[] => {
      hb.setSeed(7);
      for (const o of others) new Dense({ units: 4, name: o }).apply(hb.ones([1, 3]));
      const d = new Dense({ units: 4, name });
      d.apply(hb.ones([1, 3]));
      return vals(d.kernel);
    };
    const alone = kernelOf('b', []);
    assert.deepEqual(kernelOf('b', ['a', 'c']), alone);
    assert.notDeepEqual(kernelOf('a', []), alone);
    hb.setSeed(8);
    const d = new Dense({ units: 4, name: 'b' });
    d.apply(hb.ones([1, 3]));
    assert.notDeepEqual(vals(d.kernel), alone, 'another seed gives other weights');
    // The kernel's stream does not depend on whether a bias is made.
    hb.setSeed(7);
    const nb = new Dense({ units: 4, name: 'b', useBias: false });
    nb.apply(hb.ones([1, 3]));
    assert.deepEqual(vals(nb.kernel), alone);
  });

  it('addWeight rejects duplicate names and bad shapes', () => {
    const l = new ScaledSum({ name: 'dup' });
    l.apply(hb.ones([1, 2]));
    assertThrowsExact(() => l.addWeight({ name: 'scale', shape: [1] }), hb.ValueError, 'ScaledSum "dup".addWeight: the layer already has a weight named "scale"');
    assertThrowsWith(() => l.addWeight({ name: 'w', shape: [2, -1] }), hb.ShapeError, 'shape of "w" must be non-negative integers');
    const w = l.addWeight({ name: 'w', shape: [2, 2], initializer: 'ones', trainable: false });
    assert.deepEqual(vals(w), [1, 1, 1, 1]);
    assert.deepEqual(l.weights.map((v) => v.name), ['dup/scale', 'dup/w']);
  });

  it('computes regularization penalties of trainable weights and lists constraints', () => {
    const d = new Dense({ units: 2, kernelRegularizer: l2(0.01), biasRegularizer: l2(0.5), biasInitializer: 'ones' });
    d.apply(hb.ones([1, 3]));
    const k = vals(d.kernel);
    const losses = d.regularizationLosses().map((t) => t.item());
    assertClose(losses, [0.01 * k.reduce((s, v) => s + v * v, 0), 0.5 * 2], 1e-6, 0);
    assert.deepEqual(d.getConfig()['kernelRegularizer'], { className: 'L2', config: { l2: 0.01 } });
    // The config names Keras's L2, so fromConfig rebuilds the built-in one with the same factor.
    assert.deepEqual(Dense.fromConfig(d.getConfig()).getConfig()['kernelRegularizer'], { className: 'L2', config: { l2: 0.01 } });
    d.trainable = false;
    assert.deepEqual(d.regularizationLosses(), []);
    const maxOne = { className: 'Clip', apply: (w: hb.Tensor) => hb.clip(w, -1, 1), getConfig: () => ({}) };
    const c = new Dense({ units: 1, kernelConstraint: maxOne });
    c.apply(hb.ones([1, 1]));
    assert.deepEqual(c.weightConstraints().map((e) => e.variable), [c.kernel]);
  });

  it('casts float inputs to its dtype and leaves int inputs alone', () => {
    const d = new Dense({ units: 1, dtype: 'float64', kernelInitializer: 'ones' });
    const y = d.apply(hb.tensor([[1, 2]], [1, 2], 'float32'));
    assert.equal(y.dtype, 'float64');
    assert.equal(new Flatten().apply(hb.tensor([[1, 2]], [1, 2], 'int32')).dtype, 'int32');
    assert.equal(new Flatten().apply(input({ shape: [2], dtype: 'int32' })).dtype, 'int32');
  });

  it('callWithWeights uses stand-ins without touching the variables', () => {
    const d = new Dense({ units: 1, kernelInitializer: 'ones' });
    d.apply(hb.ones([1, 2]));
    const y = d.callWithWeights([hb.tensor([[2], [3]]), hb.tensor([1])], hb.tensor([[1, 1]])) as hb.Tensor;
    assert.deepEqual(vals(y), [6]);
    assert.deepEqual(vals(d.kernel), [1, 1]);
    assert.deepEqual(vals(d.apply(hb.tensor([[1, 1]]))), [2]);
    assertThrowsWith(() => d.callWithWeights([hb.ones([2, 1])], hb.ones([1, 2])), hb.ValueError, 'has 2 weights, received 1 values');
    assertThrowsWith(() => d.callWithWeights([hb.ones([3, 1]), hb.ones([1])], hb.ones([1, 2])), hb.ShapeError, 'weight "', 'has shape [2, 1], received [3, 1]');
  });

  it('rejects inputs that are not tensors, and a layer without call', () => {
    const d = new Dense({ units: 1, name: 'dd' });
    const nothing: unknown = null;
    const mixed: unknown = [hb.ones([1, 1]), input({ shape: [1] })];
    assertThrowsExact(() => d.apply(nothing as hb.Tensor), hb.ValueError, 'Dense "dd" expects Tensor or SymbolicTensor inputs, received null');
    assertThrowsWith(() => d.apply(mixed as hb.Tensor[]), hb.ValueError, 'a SymbolicTensor mixed with Tensors at input 1');
    assertThrowsWith(() => d.apply([] as hb.Tensor[]), hb.ValueError, 'received an empty list of inputs');
    assertThrowsExact(() => new NoCall({ name: 'nc' }).apply(hb.ones([1])), hb.ValueError, 'NoCall "nc" does not implement call()');
  });

  it('dispose frees the weights (and Normalization\'s given statistics)', () => {
    const b0 = hb.numBuffers();
    const d = new Dense({ units: 3 });
    hb.scope(() => {
      d.apply(hb.ones([2, 4]));
    });
    assert.equal(hb.numBuffers(), b0 + 2);
    d.dispose();
    assert.equal(hb.numBuffers(), b0);
    const t0 = hb.numTensors();
    const n = new Normalization({ mean: [1, 2], variance: [3, 4] });
    hb.scope(() => {
      n.apply(hb.ones([1, 2]));
    });
    n.dispose();
    assert.equal(hb.numBuffers(), b0);
    assert.equal(hb.numTensors(), t0);
  });

  it('passes training through to call (false by default)', () => {
    const seen: boolean[] = [];
    class Probe extends Layer {
      override call(inputs: hb.Tensor | hb.Tensor[], args: CallArgs): hb.Tensor {
        seen.push(args.training === true);
        return inputs as hb.Tensor;
      }
    }
    const p = new Probe();
    p.apply(hb.ones([1]));
    p.apply(hb.ones([1]), { training: true });
    assert.deepEqual(seen, [false, true]);
  });
});
