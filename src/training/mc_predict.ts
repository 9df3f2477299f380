/**
 * Monte Carlo dropout (Gal & Ghahramani 2016; the book's chapter 11): `samples` predictions with
 * the dropout layers active (`predict(x, {training: true})`), summarized per output by their
 * mean and standard deviation over the samples. The standard deviation is the population one
 * (÷samples, NumPy's default std), accumulated with Welford's update so that a small spread on
 * a large mean is not lost to cancellation.
 *
 * Training mode also makes BatchNormalization use (and update) batch statistics, as
 * `model(x, training=True)` does in Keras; a model mixing both may want its BatchNormalization
 * layers frozen (`trainable = false`), which keeps them in inference mode.
 */
import { scope } from '../core/engine.js';
import { positiveInt } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import type { Model, ModelOutput, OutputOf } from '../models/model.js';
import type { ModelData } from './data.js';

export interface McPredictOptions {
  /** [100] forward passes with dropout active. */
  samples?: number;
  /** [32] as predict's. */
  batchSize?: number;
}

const MC_PREDICT_OPTIONS: OptionKeys<McPredictOptions> = { samples: true, batchSize: true };

export interface McPrediction<O> {
  /** Mean of the sampled predictions, shaped like one prediction. */
  mean: O;
  /** Their standard deviation (÷samples), same shape. */
  std: O;
}

/**
 * Mean and standard deviation of `samples` predictions in training mode, in the structure
 * predict returns (one Tensor for a single-output model, else one per output). The caller
 * owns the returned tensors.
 */
export async function mcPredict<M extends Model>(model: M, x: ModelData, options: McPredictOptions = {}): Promise<McPrediction<OutputOf<M>>> {
  checkOptions('mcPredict', options, MC_PREDICT_OPTIONS);
  const samples = positiveInt('mcPredict', 'samples', options.samples, 100);
  const predictOptions = options.batchSize === undefined ? { training: true } : { training: true, batchSize: options.batchSize };
  let means: Tensor[] = [];
  let m2s: Tensor[] = [];
  let single = false;
  try {
    for (let k = 1; k <= samples; k++) {
      const out: ModelOutput = await model.predict(x, predictOptions);
      single = !Array.isArray(out);
      const ys = Array.isArray(out) ? out : [out];
      if (k === 1) {
        means = ys;
        m2s = ys.map((y) => scope(() => mul(y, 0)));
        continue;
      }
      // Welford: delta = y − mean; mean += delta/k; m2 += delta·(y − mean_new).
      const next = scope(() =>
        ys.map((y, i) => {
          const mean = means[i] as Tensor;
          const delta = sub(y, mean);
          const newMean = add(mean, div(delta, k));
          return [newMean, add(m2s[i] as Tensor, mul(delta, sub(y, newMean)))] as const;
        }),
      );
      for (const t of [...means, ...m2s, ...ys]) t.dispose();
      means = next.map((p) => p[0]);
      m2s = next.map((p) => p[1]);
    }
    const stds = scope(() => m2s.map((m2) => sqrt(div(m2, samples))));
    for (const t of m2s) t.dispose();
    m2s = [];
    const result = (v: Tensor[]): ModelOutput => (single ? (v[0] as Tensor) : v);
    return { mean: result(means) as OutputOf<M>, std: result(stds) as OutputOf<M> };
  } catch (e) {
    for (const t of [...means, ...m2s]) t.dispose();
    throw e;
  }
}
