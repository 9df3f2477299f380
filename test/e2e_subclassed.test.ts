/**
 * End to end, on the real California housing data: the book's subclassed WideAndDeepModel
 * (ch. 10, "Using the Subclassing API to Build Dynamic Models"): sublayers made in the
 * constructor, the graph written imperatively in `call`, two outputs, losses weighted
 * [0.5, 0.5] as in the book's 3rd edition, Adam 1e-3, 10 epochs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../src/index.js';
import { californiaSplits, columns, rmse } from '../examples/california_data.js';

class WideAndDeepModel extends hb.Model {
  readonly normLayerWide = hb.layers.normalization();
  readonly normLayerDeep = hb.layers.normalization();
  readonly hidden1: hb.layers.Dense;
  readonly hidden2: hb.layers.Dense;
  readonly mainOutput = hb.layers.dense({ units: 1 });
  readonly auxOutput = hb.layers.dense({ units: 1 });

  constructor(units = 30, activation: 'relu' | 'tanh' = 'relu', args: hb.ModelArgs = {}) {
    super(args);
    this.hidden1 = hb.layers.dense({ units, activation });
    this.hidden2 = hb.layers.dense({ units, activation });
  }

  override call(inputs: hb.Tensor | hb.Tensor[]): hb.Tensor[] {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new hb.ValueError('WideAndDeepModel: expected [inputWide, inputDeep]');
    const [inputWide, inputDeep] = inputs as [hb.Tensor, hb.Tensor];
    const normWide = this.normLayerWide.apply(inputWide);
    const normDeep = this.normLayerDeep.apply(inputDeep);
    const hidden1 = this.hidden1.apply(normDeep);
    const hidden2 = this.hidden2.apply(hidden1);
    const concat = hb.concat([normWide, hidden2], -1);
    return [this.mainOutput.apply(concat), this.auxOutput.apply(hidden2)];
  }
}

describe('e2e: subclassed model (class extends hb.Model with call)', () => {
  it('trains and evaluates the book WideAndDeepModel', async () => {
    hb.setSeed(42);
    const { train, valid, test } = await californiaSplits();
    const split = (x: { data: Float32Array; shape: number[] }) => [columns(x, 0, 5), columns(x, 2, 8)] as const;
    const [trainWide, trainDeep] = split(train.x);

    const model = new WideAndDeepModel(30, 'relu', { name: 'my_cool_model' });
    assert.equal(model.name, 'my_cool_model');
    model.compile({ loss: ['mse', 'mse'], lossWeights: [0.5, 0.5], optimizer: hb.optimizers.adam({ learningRate: 1e-3 }) });
    model.normLayerWide.adapt(trainWide);
    model.normLayerDeep.adapt(trainDeep);
    const history = await model.fit([...split(train.x)], [train.y, train.y], {
      epochs: 10,
      validationData: [[...split(valid.x)], [valid.y, valid.y]],
      verbose: 0,
    });
    const loss = history.history['loss'] as number[];
    assert.equal(loss.length, 10);
    assert.ok((loss[9] as number) < 0.5 * (loss[0] as number), `loss ${loss[0]} → ${loss[9]}`);
    assert.equal(model.layers.length, 6);
    // Dense 6·30+30, 30·30+30, 35+1, 30+1 trainable; the normalizations' statistics are not
    assert.equal(model.trainableWeights.reduce((s, w) => s + w.size, 0), 210 + 930 + 36 + 31);

    const logs = await model.evaluate([...split(test.x)], [test.y, test.y], { returnDict: true, verbose: 0 });
    assert.deepEqual(Object.keys(logs).sort(), ['loss', 'output_1_loss', 'output_2_loss']);
    const l1 = logs['output_1_loss'] as number;
    const l2 = logs['output_2_loss'] as number;
    assert.ok(Math.abs((logs['loss'] as number) - 0.5 * (l1 + l2)) < 1e-4);
    const [yMain, yAux] = (await model.predict([...split(test.x)])) as hb.Tensor[];
    const rMain = rmse((yMain as hb.Tensor).dataSync(), test.y.data);
    hb.dispose([yMain as hb.Tensor, yAux as hb.Tensor]);
    console.log(`subclassed e2e (${hb.getBackend().name}): loss ${loss[0]?.toFixed(4)} → ${loss[9]?.toFixed(4)}; test ${JSON.stringify(logs)}, main RMSE ${rMain.toFixed(4)}`);
    assert.ok(Math.abs(Math.sqrt(l1) - rMain) < 1e-3);
    assert.ok(rMain < 0.7, `main RMSE ${rMain}`);
  });
});
