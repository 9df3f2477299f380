/**
 * The book's ch. 10 hyperparameter search on Fashion-MNIST with Hyperband: the number of hidden
 * layers (0-8), neurons per layer (16-256), the learning rate (1e-4 to 1e-2, log) and the
 * optimizer (SGD or Adam), objective val_accuracy. Data as in examples/fashion_mnist_mlp.ts:
 * the first 55,000 training images for training, the last 5,000 for validation, pixels / 255.
 * The book's hand-picked MLP (784-300-100-10, SGD 0.01, 30 epochs) reaches val_accuracy 0.8854
 * at best (docs/RESULTS.md); the search's best trial is compared with that, then evaluated on
 * the 10,000 test images.
 *
 * Run it directly:
 *   npx tsc -p . && node dist/examples/tuning/fashion_mnist.js [maxEpochs: 9] [factor: 3] [storage: sqlite:tuning/fashion.db] [hyperbandIterations: 1]
 * (a finished search run again with more iterations keeps its trials and adds the new brackets).
 * or through the CLI, which can add workers (same storage) in other terminals or on other hosts:
 *   node dist/src/cli/main.js tune dist/examples/tuning/fashion_mnist.js --storage sqlite:tuning/fashion.db
 *   node dist/src/cli/main.js tune dist/examples/tuning/fashion_mnist.js --storage sqlite:tuning/fashion.db --worker
 *   node dist/src/cli/main.js tune --status --storage sqlite:tuning/fashion.db
 * A killed run resumes where it stopped when started again with the same storage.
 */
import { pathToFileURL } from 'node:url';
import type * as hbModule from '../../src/index.js';
import { labels, scaled } from '../pixels.js';

type Hb = typeof hbModule;

export interface SearchSettings {
  maxEpochs?: number;
  factor?: number;
  storage?: string;
  projectName?: string;
  hyperbandIterations?: number;
}

export async function fashionSearch(hb: Hb, s: SearchSettings = {}) {
  const d = await hb.datasets.loadFashionMnist();
  const xTrain = scaled(hb.datasets.sliceRows(d.xTrain, 0, 55000));
  const yTrain = labels(hb.datasets.sliceRows(d.yTrain, 0, 55000));
  const xValid = scaled(hb.datasets.sliceRows(d.xTrain, 55000));
  const yValid = labels(hb.datasets.sliceRows(d.yTrain, 55000));
  const tuner = new hb.tuner.Hyperband({
    hypermodel: (hp) => {
      const model = hb.sequential([hb.layers.input({ shape: [28, 28] }), hb.layers.flatten()]);
      const nHidden = hp.int('nHidden', { min: 0, max: 8, default: 2 });
      const nNeurons = hp.int('nNeurons', { min: 16, max: 256 });
      for (let i = 0; i < nHidden; i++) model.add(hb.layers.dense({ units: nNeurons, activation: 'relu' }));
      model.add(hb.layers.dense({ units: 10, activation: 'softmax' }));
      const learningRate = hp.float('learningRate', { min: 1e-4, max: 1e-2, sampling: 'log' });
      const optimizer = hp.choice('optimizer', ['sgd', 'adam']) === 'sgd' ? hb.optimizers.sgd({ learningRate }) : hb.optimizers.adam({ learningRate });
      model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer, metrics: ['accuracy'] });
      return model;
    },
    objective: 'val_accuracy',
    maxEpochs: s.maxEpochs ?? 9,
    factor: s.factor ?? 3,
    hyperbandIterations: s.hyperbandIterations ?? 1,
    seed: 42,
    storage: s.storage ?? 'sqlite:tuning/fashion.db',
    projectName: s.projectName ?? 'fashion',
    directory: 'tuning',
  });
  const options = { validationData: [xValid, yValid] as const, batchSize: 32, callbacks: [new hb.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 2, mode: 'max' as const })] };
  return { tuner, x: xTrain, y: yTrain, options, test: { x: scaled(d.xTest), y: labels(d.yTest) } };
}

/** For `hebb tune FILE`. */
export default ({ hb, storage, projectName }: { hb: Hb; storage: string | undefined; projectName: string | undefined }) =>
  fashionSearch(hb, { ...(storage ? { storage } : {}), ...(projectName ? { projectName } : {}) });

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const hb = await import('../../src/index.js');
  const [maxEpochs, factor, storage, iterations] = process.argv.slice(2);
  const t0 = Date.now();
  const { tuner, x, y, options, test } = await fashionSearch(hb, { maxEpochs: maxEpochs ? Number(maxEpochs) : 9, factor: factor ? Number(factor) : 3, ...(storage ? { storage } : {}), ...(iterations ? { hyperbandIterations: Number(iterations) } : {}) });
  await tuner.search(x, y, options);
  console.log(`search: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await tuner.resultsSummary(10);
  const [hp] = await tuner.getBestHyperparameters();
  const [best] = await tuner.getBestModels(1);
  const [testLoss, testAccuracy] = (await best!.evaluate(test.x, test.y, { verbose: 0 })) as [number, number];
  console.log(`best hyperparameters ${JSON.stringify(hp!.values)}; test loss ${testLoss.toFixed(4)}, test accuracy ${testAccuracy.toFixed(4)}`);
  await tuner.close();
}
