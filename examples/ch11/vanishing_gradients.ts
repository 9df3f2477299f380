/**
 * Book ch. 11, "The Vanishing/Exploding Gradients Problems": the same deep stack of Dense
 * layers (default 20 hidden layers of 100 units) on Fashion-MNIST, trained with the same
 * optimizer, in three variants:
 *
 * - `sigmoidNormal`: sigmoid activations, kernels drawn from N(0, 1) (the "popular" setup
 *   Glorot and Bengio found at fault): the pre-activations have a standard deviation of
 *   about √fanIn · 0.5, so the sigmoids saturate, their derivatives are ≈ 0 and the network
 *   barely learns;
 * - `heElu`: He normal initialization and ELU: the signal keeps its variance through the
 *   layers and the network learns;
 * - `sigmoidNormalBn`: the first variant (sigmoid, N(0, 1)) with a BatchNormalization layer
 *   before each activation (the book's "BN before the activation" form; the Dense layers then
 *   have no bias, as BN's beta replaces it): the normalization undoes the bad scale of the
 *   weights at every layer, and the network learns.
 *
 * Before training, each variant reports the L2 norm of the gradient of the loss with respect
 * to every Dense kernel on one batch of 256 training images (the book's point: how much signal
 * reaches the lower layers). Then it trains and reports per-epoch train and validation
 * accuracy. Measured results: docs/RESULTS.md, "Chapter 11 experiments".
 *
 * Run: npx tsc -p . && HEBB_WASM_THREADS=1 node dist/examples/ch11/vanishing_gradients.js [epochs] [train] [valid]
 */
import * as hb from '../../src/index.js';
import { HISTORY_HEADERS, SEED, freshStart, historyRows, isMain, last, loadFashionSplits, markdownTable, runHeader, type FashionSplits } from './common.js';

export const VARIANTS = ['sigmoidNormal', 'heElu', 'sigmoidNormalBn'] as const;
export type Variant = (typeof VARIANTS)[number];

export const VARIANT_LABELS: Record<Variant, string> = {
  sigmoidNormal: 'sigmoid, N(0,1)',
  heElu: 'ELU, He normal',
  sigmoidNormalBn: 'sigmoid, N(0,1), BN',
};

export interface DeepNetOptions {
  /** [20] hidden Dense layers. */
  depth?: number;
  /** [100] units per hidden layer. */
  units?: number;
}

/** The 28×28 → `depth` × Dense(units) → Dense(10, softmax) stack of one variant. */
export function deepNet(variant: Variant, options: DeepNetOptions = {}): hb.Sequential {
  const depth = options.depth ?? 20;
  const units = options.units ?? 100;
  const layers: (hb.Layer | hb.SymbolicTensor)[] = [hb.layers.input({ shape: [28, 28] }), hb.layers.flatten()];
  for (let i = 0; i < depth; i++) {
    if (variant === 'heElu') {
      layers.push(hb.layers.dense({ units, activation: 'elu', kernelInitializer: 'heNormal' }));
    } else if (variant === 'sigmoidNormal') {
      layers.push(hb.layers.dense({ units, activation: 'sigmoid', kernelInitializer: hb.initializers.randomNormal({ stddev: 1 }) }));
    } else {
      layers.push(hb.layers.dense({ units, useBias: false, kernelInitializer: hb.initializers.randomNormal({ stddev: 1 }) }));
      layers.push(hb.layers.batchNormalization());
      layers.push(hb.layers.activation({ activation: 'sigmoid' }));
    }
  }
  layers.push(hb.layers.dense({ units: 10, activation: 'softmax' }));
  return hb.sequential(layers);
}

/**
 * The L2 norm of d(loss)/d(kernel) for each Dense layer, lowest first, on the first `batch`
 * training images, in training mode (batch statistics for BN) and before any update.
 */
export function kernelGradientNorms(model: hb.Sequential, x: FashionSplits['xTrain'], y: FashionSplits['yTrain'], batch = 256): number[] {
  const dense = model.layers.filter((l): l is hb.layers.Dense => l instanceof hb.layers.Dense);
  const kernels = dense.map((l) => l.kernel);
  const row = x.data.length / (x.shape[0] as number);
  const loss = hb.losses.sparseCategoricalCrossentropy();
  return hb.scope(() => {
    const xb = hb.tensor(x.data.subarray(0, batch * row), [batch, ...x.shape.slice(1)]);
    const yb = hb.tensor(y.data.subarray(0, batch), [batch], 'int32');
    const { grads } = hb.valueAndGrad(() => hb.mean(loss.perSample(yb, model.forward([xb], true)[0] as hb.Tensor)), kernels);
    return grads.map((g) => Math.sqrt(hb.sum(hb.mul(g, g)).dataSync()[0] as number));
  });
}

export interface VanishingOptions extends DeepNetOptions {
  epochs?: number;
  train?: number;
  valid?: number;
  variants?: readonly Variant[];
  /** [0.01, Keras's SGD default] plain SGD's learning rate, the same for every variant. */
  learningRate?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface VariantResult {
  variant: Variant;
  history: Record<string, number[]>;
  /** Per Dense layer, lowest first (the last entry is the softmax layer). */
  gradientNorms: number[];
  seconds: number;
}

export async function runVanishingGradients(options: VanishingOptions = {}): Promise<VariantResult[]> {
  const data = await loadFashionSplits({ train: options.train ?? 20000, valid: options.valid ?? 5000, test: 0 });
  const results: VariantResult[] = [];
  for (const variant of options.variants ?? VARIANTS) {
    freshStart(options.seed ?? SEED); // the same initial weights and batch order for every variant
    const model = deepNet(variant, options);
    model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: hb.optimizers.sgd({ learningRate: options.learningRate ?? 0.01 }), metrics: ['accuracy'] });
    const gradientNorms = kernelGradientNorms(model, data.xTrain, data.yTrain);
    const t0 = Date.now();
    const h = await model.fit(data.xTrain, data.yTrain, { epochs: options.epochs ?? 10, validationData: [data.xValid, data.yValid], verbose: options.verbose ?? 0 });
    results.push({ variant, history: h.history, gradientNorms, seconds: (Date.now() - t0) / 1000 });
    model.dispose();
  }
  return results;
}

/** The tables the example prints: gradient norms per layer, then the curves side by side. */
export function vanishingReport(results: readonly VariantResult[]): string {
  const out: string[] = [];
  const depth = results[0]?.gradientNorms.length ?? 0;
  const gradRows: (string | number)[][] = [];
  for (let i = 0; i < depth; i++) gradRows.push([i === depth - 1 ? `${i + 1} (output)` : i + 1, ...results.map((r) => (r.gradientNorms[i] as number).toExponential(2))]);
  out.push('Gradient norm ||dL/dW|| per Dense kernel before training (256 images):', '');
  out.push(markdownTable(['layer', ...results.map((r) => VARIANT_LABELS[r.variant])], gradRows), '');
  out.push('Accuracy per epoch (train accuracy as fit reports it, in training mode; val in inference mode):', '');
  const epochs = results[0]?.history['loss']?.length ?? 0;
  const rows: (string | number)[][] = [];
  for (let e = 0; e < epochs; e++) rows.push([e + 1, ...results.flatMap((r) => [r.history['accuracy']?.[e] ?? Number.NaN, r.history['val_accuracy']?.[e] ?? Number.NaN])]);
  out.push(markdownTable(['epoch', ...results.flatMap((r) => [`${VARIANT_LABELS[r.variant]} acc`, 'val_acc'])], rows), '');
  for (const r of results) {
    out.push(`${VARIANT_LABELS[r.variant]}: final val_accuracy ${last(r.history, 'val_accuracy').toFixed(4)}, val_loss ${last(r.history, 'val_loss').toFixed(4)}, fit ${r.seconds.toFixed(1)} s`);
  }
  out.push('', 'Full curves:');
  for (const r of results) out.push('', VARIANT_LABELS[r.variant], '', markdownTable([...HISTORY_HEADERS], historyRows(r.history)));
  return out.join('\n');
}

if (isMain(import.meta.url)) {
  const [epochs, train, valid] = process.argv.slice(2).map(Number);
  console.log(runHeader('vanishing gradients'));
  const results = await runVanishingGradients({ epochs: epochs ?? 10, train: train ?? 20000, valid: valid ?? 5000, verbose: 2 });
  console.log(vanishingReport(results));
}
