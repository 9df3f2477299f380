/**
 * docs/FROM_KERAS.md's worked example: a model trained in Python (Keras 3.10, the Auto MPG
 * regression of the TensorFlow tutorial, ../shared/fixtures/keras/k3_seq_normalization_autompg.keras)
 * loaded, evaluated and fine-tuned in TypeScript. Run by src/io/keras/from_keras_doc.test.ts.
 */
import * as hb from '../src/index.js';

export async function fromKeras(path: string, x: hb.Tensor, y: hb.Tensor): Promise<{ before: number; after: number; model: hb.Model }> {
  const model = await hb.loadKerasModel(path); // Normalization → Dense 64 → Dense 64 → Dense 1
  model.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }), loss: 'meanSquaredError' });
  const before = (await model.evaluate(x, y, { verbose: 0 })) as number;
  await model.fit(x, y, { epochs: 30, batchSize: 5, verbose: 0 });
  const after = (await model.evaluate(x, y, { verbose: 0 })) as number;
  return { before, after, model };
}
