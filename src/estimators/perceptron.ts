/**
 * A linear perceptron classifier in the shape of scikit-learn's `Perceptron` (the book's
 * ch. 10 starting point): `new hb.Perceptron({randomState: 42}).fit(X, y)`, then `predict`,
 * `score`, `decisionFunction`, and the learned `coef` / `intercept`.
 *
 * Conventions pinned (scikit-learn's, which wraps `SGDClassifier(loss="perceptron",
 * learning_rate="constant", penalty=None)`):
 * - Labels: the sorted distinct values of y are `classes`. With two classes, one weight
 *   vector separates classes[1] (target +1) from classes[0] (target −1); with more, one
 *   vector per class is trained one-vs-rest and predict takes the argmax of the scores.
 * - Prediction: classes[1] when w·x + b > 0, else classes[0] (scikit-learn's
 *   `decision_function > 0`). A score of exactly 0 therefore predicts the NEGATIVE class,
 *   unlike the Heaviside step of CONVENTIONS.md (1 if z ≥ 0); the two differ only on the
 *   decision boundary itself.
 * - Learning rule, one sample at a time: when y·(w·x + b) ≤ 0 (a mistake, or a point on the
 *   boundary), w ← w + eta0·y·x and b ← b + eta0·y.
 * - Stopping: after each epoch, with L the epoch's summed perceptron loss Σ max(0, −y·p)
 *   (p computed before the sample's update), an epoch "does not improve" when
 *   L > best − tol·n; training stops after nIterNoChange such epochs in a row, or after
 *   maxIter epochs. With earlyStopping, a validationFraction of the data is held out
 *   (seeded, stratified as scikit-learn does for classifiers) and the criterion is instead
 *   validation accuracy < best + tol. As in scikit-learn's SGD, the weights kept are those of
 *   the last epoch run, not of the best one.
 *
 * With `shuffle: false` the results equal scikit-learn's (tested against 1.2.1: same coef,
 * intercept and n_iter_ on iris). With shuffling they differ, as the random streams do.
 *
 * Why typed arrays, not tensors: the rule is sequential, one tiny dot product and axpy per
 * sample; dispatching each to a backend would cost far more than the arithmetic. Float64
 * throughout, as scikit-learn computes.
 */
import { ShapeError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { Generator } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { tensor } from '../ops/creation.js';

export interface PerceptronOptions {
  /** Step size of the updates (default 1). */
  eta0?: number;
  /** Maximum number of epochs (default 1000). */
  maxIter?: number;
  /** Stopping tolerance (default 1e-3); null disables the no-improvement rule. */
  tol?: number | null;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling and of the validation split (default 0, as scikit-learn). */
  randomState?: number;
  fitIntercept?: boolean;
  earlyStopping?: boolean;
  validationFraction?: number;
  nIterNoChange?: number;
}

const PERCEPTRON_OPTIONS: OptionKeys<PerceptronOptions> = {
  eta0: true,
  maxIter: true,
  tol: true,
  shuffle: true,
  randomState: true,
  fitIntercept: true,
  earlyStopping: true,
  validationFraction: true,
  nIterNoChange: true,
};

/** A 2-D input: a tensor, nested rows, or a flat array with its [samples, features] shape. */
export type PerceptronX = Tensor | readonly (readonly number[])[] | { data: ArrayLike<number>; shape: readonly number[] };
export type PerceptronY = Tensor | ArrayLike<number>;

function toMatrix(X: PerceptronX, fn: string): { data: Float64Array; n: number; d: number } {
  let data: ArrayLike<number>;
  let shape: readonly number[];
  if (X instanceof Tensor) {
    data = X.dataSync();
    shape = X.shape;
  } else if (Array.isArray(X)) {
    const rows = X as readonly (readonly number[])[];
    const d = rows.length > 0 ? (rows[0] as readonly number[]).length : 0;
    const flat = new Float64Array(rows.length * d);
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== d) throw new ShapeError(`Perceptron.${fn}: X row ${i} has ${Array.isArray(r) ? r.length : 'no'} entries, expected ${d}`);
      flat.set(r, i * d);
    });
    data = flat;
    shape = [rows.length, d];
  } else {
    const o = X as { data: ArrayLike<number>; shape: readonly number[] };
    data = o.data;
    shape = o.shape;
  }
  if (shape.length !== 2) throw new ShapeError(`Perceptron.${fn}: X must be 2-D [samples, features], received shape ${fmtShape(shape)}`);
  const [n, d] = shape as [number, number];
  if (data.length !== n * d) throw new ShapeError(`Perceptron.${fn}: X shape ${fmtShape(shape)} needs ${n * d} values, received ${data.length}`);
  if (n === 0 || d === 0) throw new ShapeError(`Perceptron.${fn}: X must have at least one sample and one feature, received shape ${fmtShape(shape)}`);
  const out = Float64Array.from(data);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i] as number)) {
      throw new ValueError(`Perceptron.${fn}: X contains ${out[i]} at sample ${Math.floor(i / d)}, feature ${i % d}; expected finite values`);
    }
  }
  return { data: out, n, d };
}

function toVector(y: PerceptronY, n: number, fn: string): Float64Array {
  const data = y instanceof Tensor ? y.dataSync() : y;
  if (y instanceof Tensor && y.rank !== 1) throw new ShapeError(`Perceptron.${fn}: y must be 1-D [samples], received shape ${fmtShape(y.shape)}`);
  if (data.length !== n) throw new ShapeError(`Perceptron.${fn}: X has ${n} samples but y has ${data.length}`);
  const out = Float64Array.from(data);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i] as number)) throw new ValueError(`Perceptron.${fn}: y contains ${out[i]} at sample ${i}; expected finite class labels`);
  }
  return out;
}

export class Perceptron {
  readonly eta0: number;
  readonly maxIter: number;
  readonly tol: number | null;
  readonly shuffle: boolean;
  readonly randomState: number;
  readonly fitIntercept: boolean;
  readonly earlyStopping: boolean;
  readonly validationFraction: number;
  readonly nIterNoChange: number;

  /** Sorted distinct labels seen by fit. */
  classes: Float64Array | null = null;
  /** [k, features] row-major; k = 1 for two classes, else one row per class. */
  coef: Float64Array | null = null;
  intercept: Float64Array | null = null;
  /** Epochs run (the largest over the one-vs-rest problems). */
  nIter = 0;
  /** Samples seen: nIter × training samples, as scikit-learn's t_ − 1. */
  tUpdates = 0;
  private nFeatures = 0;

  constructor(opts: PerceptronOptions = {}) {
    checkOptions('Perceptron', opts, PERCEPTRON_OPTIONS);
    this.eta0 = opts.eta0 ?? 1;
    this.maxIter = opts.maxIter ?? 1000;
    this.tol = opts.tol === undefined ? 1e-3 : opts.tol;
    this.shuffle = opts.shuffle ?? true;
    this.randomState = opts.randomState ?? 0;
    this.fitIntercept = opts.fitIntercept ?? true;
    this.earlyStopping = opts.earlyStopping ?? false;
    this.validationFraction = opts.validationFraction ?? 0.1;
    this.nIterNoChange = opts.nIterNoChange ?? 5;
    if (typeof this.eta0 !== 'number' || !(this.eta0 > 0 && this.eta0 < Infinity)) throw new ValueError(`Perceptron: eta0 must be a finite number > 0, received ${fmtReceived(this.eta0)}`);
    if (!Number.isInteger(this.maxIter) || this.maxIter < 1) throw new ValueError(`Perceptron: maxIter must be a positive integer, received ${fmtReceived(this.maxIter)}`);
    if (!Number.isInteger(this.nIterNoChange) || this.nIterNoChange < 1) throw new ValueError(`Perceptron: nIterNoChange must be a positive integer, received ${fmtReceived(this.nIterNoChange)}`);
    if (typeof this.validationFraction !== 'number' || !(this.validationFraction > 0 && this.validationFraction < 1)) {
      throw new ValueError(`Perceptron: validationFraction must be in (0, 1), received ${fmtReceived(this.validationFraction)}`);
    }
  }

  fit(X: PerceptronX, y: PerceptronY): this {
    const { data, n, d } = toMatrix(X, 'fit');
    const labels = toVector(y, n, 'fit');
    const classes = Float64Array.from(new Set(labels)).sort();
    if (classes.length < 2) throw new ValueError(`Perceptron.fit: y needs at least 2 classes, received ${classes.length} (${[...classes].join(', ')})`);
    const k = classes.length === 2 ? 1 : classes.length;
    const coef = new Float64Array(k * d);
    const intercept = new Float64Array(k);
    let nIter = 0;
    for (let c = 0; c < k; c++) {
      const positive = classes[k === 1 ? 1 : c] as number;
      const target = new Float64Array(n);
      for (let i = 0; i < n; i++) target[i] = labels[i] === positive ? 1 : -1;
      // Each one-vs-rest problem gets its own substream (scikit-learn draws one seed per class
      // from random_state); the binary case uses the root stream.
      const root = new Generator(this.randomState);
      const res = this.fitBinary(data, target, n, d, k === 1 ? root : root.split(c));
      coef.set(res.w, c * d);
      intercept[c] = res.b;
      nIter = Math.max(nIter, res.epochs);
    }
    this.classes = classes;
    this.coef = coef;
    this.intercept = intercept;
    this.nFeatures = d;
    this.nIter = nIter;
    this.tUpdates = nIter * n;
    return this;
  }

  private fitBinary(X: Float64Array, y: Float64Array, n: number, d: number, rng: Generator): { w: Float64Array; b: number; epochs: number } {
    let train: Int32Array = Int32Array.from({ length: n }, (_, i) => i);
    let valid: Int32Array = new Int32Array(0);
    if (this.earlyStopping) ({ train, valid } = this.stratifiedSplit(y, n, rng.split('validation')));
    const order = rng.split('shuffle');
    const w = new Float64Array(d);
    let b = 0;
    let best = this.earlyStopping ? -Infinity : Infinity;
    let noImprovement = 0;
    let epoch = 0;
    while (epoch < this.maxIter) {
      epoch++;
      if (this.shuffle) {
        const p = order.permutation(train.length);
        train = Int32Array.from(p, (j) => train[j] as number);
      }
      let loss = 0;
      for (const i of train) {
        const off = i * d;
        let z = b;
        for (let j = 0; j < d; j++) z += (w[j] as number) * (X[off + j] as number);
        const yi = y[i] as number;
        if (yi * z <= 0) {
          loss -= yi * z;
          const step = this.eta0 * yi;
          for (let j = 0; j < d; j++) w[j] = (w[j] as number) + step * (X[off + j] as number);
          if (this.fitIntercept) b += step;
        }
      }
      if (this.tol !== null || this.earlyStopping) {
        const tol = this.tol ?? -Infinity;
        if (this.earlyStopping) {
          let correct = 0;
          for (const i of valid) {
            let z = b;
            for (let j = 0; j < d; j++) z += (w[j] as number) * (X[i * d + j] as number);
            if ((z > 0 ? 1 : -1) === y[i]) correct++;
          }
          const score = correct / valid.length;
          noImprovement = score < best + tol ? noImprovement + 1 : 0;
          best = Math.max(best, score);
        } else {
          noImprovement = loss > best - tol * train.length ? noImprovement + 1 : 0;
          best = Math.min(best, loss);
        }
        if (this.tol !== null && noImprovement >= this.nIterNoChange) break;
      }
    }
    return { w, b, epochs: epoch };
  }

  /** Holds out ceil(validationFraction·n) samples, in proportion to each class. */
  private stratifiedSplit(y: Float64Array, n: number, rng: Generator): { train: Int32Array; valid: Int32Array } {
    const nValid = Math.ceil(this.validationFraction * n);
    if (nValid < 2 || n - nValid < 2) {
      throw new ValueError(`Perceptron.fit: earlyStopping needs more samples: validationFraction ${this.validationFraction} of ${n} leaves ${nValid} for validation`);
    }
    const perm = rng.permutation(n);
    const pos = [...perm].filter((i) => (y[i] as number) > 0);
    const neg = [...perm].filter((i) => (y[i] as number) <= 0);
    const nPos = Math.min(pos.length, Math.max(pos.length > 0 ? 1 : 0, Math.round((nValid * pos.length) / n)));
    const valid = [...pos.slice(0, nPos), ...neg.slice(0, nValid - nPos)];
    const inValid = new Set(valid);
    return { train: Int32Array.from([...perm].filter((i) => !inValid.has(i))), valid: Int32Array.from(valid) };
  }

  private scores(X: PerceptronX, fn: string): { s: Float64Array; n: number; k: number } {
    const coef = this.coef;
    const intercept = this.intercept;
    if (coef === null || intercept === null) throw new ValueError(`Perceptron.${fn}: call fit before ${fn}`);
    const { data, n, d } = toMatrix(X, fn);
    if (d !== this.nFeatures) throw new ShapeError(`Perceptron.${fn}: X has ${d} features, but the model was fit on ${this.nFeatures}`);
    const k = intercept.length;
    const s = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        let z = intercept[c] as number;
        for (let j = 0; j < d; j++) z += (coef[c * d + j] as number) * (data[i * d + j] as number);
        s[i * k + c] = z;
      }
    }
    return { s, n, k };
  }

  /** Signed scores w·x + b: shape [samples] for two classes, [samples, classes] for more. */
  decisionFunction(X: PerceptronX): Tensor {
    const { s, n, k } = this.scores(X, 'decisionFunction');
    return tensor(Float32Array.from(s), k === 1 ? [n] : [n, k]);
  }

  /** Predicted labels as a plain array (classes[1] where the score is > 0 for two classes). */
  predictArray(X: PerceptronX): Float64Array {
    const { s, n, k } = this.scores(X, 'predict');
    const classes = this.classes as Float64Array;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (k === 1) {
        out[i] = classes[(s[i] as number) > 0 ? 1 : 0] as number;
      } else {
        let arg = 0;
        for (let c = 1; c < k; c++) if ((s[i * k + c] as number) > (s[i * k + arg] as number)) arg = c;
        out[i] = classes[arg] as number;
      }
    }
    return out;
  }

  /** Predicted labels as a tensor: int32 when every class label is an integer, else float32. */
  predict(X: PerceptronX): Tensor {
    const p = this.predictArray(X);
    const ints = [...(this.classes as Float64Array)].every((c) => Number.isInteger(c));
    return tensor(ints ? Int32Array.from(p) : Float32Array.from(p), [p.length]);
  }

  /** Mean accuracy on (X, y). */
  score(X: PerceptronX, y: PerceptronY): number {
    const p = this.predictArray(X);
    const t = toVector(y, p.length, 'score');
    let correct = 0;
    for (let i = 0; i < p.length; i++) if (p[i] === t[i]) correct++;
    return correct / p.length;
  }
}
