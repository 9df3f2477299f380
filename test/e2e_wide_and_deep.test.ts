/**
 * End to end, on the real California housing data: the book's ch. 10 Wide & Deep model,
 * built with the functional API. Two inputs (wide: features 0-4, deep: features 2-7), each
 * normalized by an adapted Normalization layer; the deep path is two Dense(30, relu); the
 * main output reads concat(wide, deep path), an auxiliary output reads the deep path alone.
 * Losses mse/mse weighted [0.9, 0.1] (as in the book's 2nd edition), Adam 1e-3, 20 epochs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../src/index.js';
import { californiaSplits, columns, rmse } from '../examples/california_data.js';

describe('e2e: Wide & Deep functional model with an auxiliary output (book ch. 10)', () => {
  it('trains (loss decreases) and evaluates both outputs', async () => {
    hb.setSeed(42);
    const { train, valid, test } = await californiaSplits();
    const wideDeep = (x: { data: Float32Array; shape: number[] }) => [columns(x, 0, 5), columns(x, 2, 8)];
    const [trainWide, trainDeep] = wideDeep(train.x) as [ReturnType<typeof columns>, ReturnType<typeof columns>];

    const inputWide = hb.layers.input({ shape: [5], name: 'wide' });
    const inputDeep = hb.layers.input({ shape: [6], name: 'deep' });
    const normWideLayer = hb.layers.normalization();
    const normDeepLayer = hb.layers.normalization();
    const normWide = normWideLayer.apply(inputWide);
    const normDeep = normDeepLayer.apply(inputDeep);
    const hidden1 = hb.layers.dense({ units: 30, activation: 'relu' }).apply(normDeep);
    const hidden2 = hb.layers.dense({ units: 30, activation: 'relu' }).apply(hidden1);
    const concat = hb.layers.concatenate().apply([normWide, hidden2]);
    const output = hb.layers.dense({ units: 1, name: 'main' }).apply(concat);
    const auxOutput = hb.layers.dense({ units: 1, name: 'aux' }).apply(hidden2);
    const model = hb.model({ inputs: [inputWide, inputDeep], outputs: [output, auxOutput] });
    assert.deepEqual(model.inputNames, ['wide', 'deep']);
    assert.deepEqual(model.outputNames, ['main', 'aux']);
    // 5 + 6 normalization means and variances are not trainable; Dense: 6·30+30, 30·30+30, 35+1, 31
    assert.equal(model.trainableWeights.reduce((s, w) => s + w.size, 0), 210 + 930 + 36 + 31);

    model.compile({ loss: ['mse', 'mse'], lossWeights: [0.9, 0.1], optimizer: hb.optimizers.adam({ learningRate: 1e-3 }) });
    normWideLayer.adapt(trainWide);
    normDeepLayer.adapt(trainDeep);
    const t0 = Date.now();
    const history = await model.fit([trainWide, trainDeep], [train.y, train.y], {
      epochs: 20,
      validationData: [wideDeep(valid.x), [valid.y, valid.y]],
      verbose: 0,
    });
    const h = history.history;
    assert.deepEqual(Object.keys(h).sort(), ['aux_loss', 'learning_rate', 'loss', 'main_loss', 'val_aux_loss', 'val_loss', 'val_main_loss']);
    const loss = h['loss'] as number[];
    assert.ok((loss[19] as number) < 0.5 * (loss[0] as number), `loss ${loss[0]} → ${loss[19]}`);
    assert.ok((h['val_loss']?.[19] as number) < (h['val_loss']?.[0] as number));

    // evaluate: [total, main loss, aux loss], total = 0.9·main + 0.1·aux
    const [total, mainLoss, auxLoss] = (await model.evaluate(wideDeep(test.x), [test.y, test.y], { verbose: 0 })) as number[];
    assert.ok(Math.abs((total as number) - (0.9 * (mainLoss as number) + 0.1 * (auxLoss as number))) < 1e-4);
    const [yMain, yAux] = (await model.predict(wideDeep(test.x))) as hb.Tensor[];
    const rMain = rmse((yMain as hb.Tensor).dataSync(), test.y.data);
    const rAux = rmse((yAux as hb.Tensor).dataSync(), test.y.data);
    hb.dispose([yMain as hb.Tensor, yAux as hb.Tensor]);
    console.log(
      `wide&deep e2e (${hb.getBackend().name}): loss ${loss[0]?.toFixed(4)} → ${loss[19]?.toFixed(4)}; test total ${total?.toFixed(4)}, main ${mainLoss?.toFixed(4)} (RMSE ${rMain.toFixed(4)}), aux ${auxLoss?.toFixed(4)} (RMSE ${rAux.toFixed(4)}), ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    // each output's loss is the MSE of what predict returns, computed on the host
    assert.ok(Math.abs(Math.sqrt(mainLoss as number) - rMain) < 1e-3);
    assert.ok(Math.abs(Math.sqrt(auxLoss as number) - rAux) < 1e-3);
    assert.ok(rMain < 0.65, `main RMSE ${rMain}`);
  });
});
