/**
 * Dropout and AlphaDropout (CONVENTIONS, "Dropout family"). Both are the identity in inference
 * and draw a keep-mask in training: unit i is kept when u_i < 1 − rate (u uniform in [0, 1)),
 * so with probability 1 − rate. The mask has the input's shape, or `noiseShape` (null entries
 * take the input's size; 1 shares one draw along that axis, e.g. [null, 1, features] drops whole
 * features for every timestep).
 *
 * The mask and the affine factors are combined on the host into one or two tensors, so a call
 * costs one multiply (and one add): the gradient is that multiplier, exactly.
 */
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { add, mul } from '../ops/elementwise.js';
import { fromValues } from '../ops/primitives.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig, type OwnArgs } from './layer.js';
import { CallStream, noiseShapeOption, rateOption, resolveNoiseShape, seedOption } from './noise_util.js';
import type { SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the units to drop, in [0, 1). */
  rate: number;
  /** [the input's shape] shape of the mask; null entries take the input's size. */
  noiseShape?: readonly (number | null)[] | null;
  /** [null: the global generator] a seed makes the masks reproducible (a fresh one per call). */
  seed?: number | null;
}

const DROPOUT_ARGS: OwnArgs<DropoutArgs> = { rate: true, noiseShape: true, seed: true };

function floatValues(dtype: DType, n: number): Float32Array | Float64Array {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** What Dropout and AlphaDropout share: options, config, the mask draw. */
abstract class MaskDropout extends Layer {
  readonly rate: number;
  readonly noiseShape: SymbolicShape | null;
  readonly seed: number | null;
  readonly #stream: CallStream;

  constructor(args: DropoutArgs) {
    super(args, DROPOUT_ARGS);
    this.rate = rateOption(this.who, 'rate', args.rate);
    this.noiseShape = noiseShapeOption(this.who, args.noiseShape);
    this.seed = seedOption(this.who, args.seed);
    this.#stream = new CallStream(this.seed);
    this.inputSpec = { dtype: 'float' };
  }

  /** The keep-mask (1 kept, 0 dropped) for an input of `shape`, and the mask's shape. */
  protected drawKeep(shape: readonly number[]): { keep: Float64Array; shape: number[] } {
    const ns = resolveNoiseShape(this.who, this.noiseShape, shape);
    const u = new Float64Array(ns.reduce((a, b) => a * b, 1));
    this.#stream.next().fillUniform(u);
    const p = 1 - this.rate;
    for (let i = 0; i < u.length; i++) u[i] = (u[i] as number) < p ? 1 : 0;
    return { keep: u, shape: ns };
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return singleShape(inputShape, this.who);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape === null ? null : [...this.noiseShape], seed: this.seed };
  }
}

/** Reads Dropout's and AlphaDropout's config fields. */
function dropoutArgs(config: LayerConfig, className: string): DropoutArgs {
  const r = new ConfigReader(config, className);
  return { ...r.base(), rate: r.requiredNumber('rate'), noiseShape: config['noiseShape'] === null ? null : r.shape('noiseShape'), seed: config['seed'] === null ? null : r.number('seed') };
}

/** Inverted dropout: in training, kept units are scaled by 1/(1 − rate), dropped ones are 0. */
export class Dropout extends MaskDropout {
  override get className(): string {
    return 'Dropout';
  }

  override call(inputs: Tensor | Tensor[], { training }: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    if (!training || this.rate === 0) return x;
    const { keep, shape } = this.drawKeep(x.shape);
    const scale = 1 / (1 - this.rate);
    const m = floatValues(x.dtype, keep.length);
    for (let i = 0; i < m.length; i++) m[i] = (keep[i] as number) * scale;
    return mul(x, fromValues(m, shape, x.dtype));
  }

  static fromConfig(config: LayerConfig): Dropout {
    return new Dropout(dropoutArgs(config, 'Dropout'));
  }
}

/** SELU's constants (activations.ts): a' = −scale·alpha is SELU's limit at −∞. */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
export const ALPHA_PRIME = -SELU_SCALE * SELU_ALPHA;

/**
 * AlphaDropout (for SELU networks): dropped units are set to a' = −scale·alpha (not 0), then
 * y = a·(x·keep + a'·(1 − keep)) + b with a = ((1 − rate)(1 + rate·a'²))^(−1/2) and
 * b = −a·a'·rate, which keeps a zero-mean, unit-variance input at mean 0 and variance 1
 * (Keras 3's formula; TF.js's AlphaDropout has the sign of a' flipped).
 */
export class AlphaDropout extends MaskDropout {
  override get className(): string {
    return 'AlphaDropout';
  }

  override call(inputs: Tensor | Tensor[], { training }: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    if (!training || this.rate === 0) return x;
    const { keep, shape } = this.drawKeep(x.shape);
    const rate = this.rate;
    const a = ((1 - rate) * (1 + rate * ALPHA_PRIME * ALPHA_PRIME)) ** -0.5;
    const b = -a * ALPHA_PRIME * rate;
    // y = x·(a·keep) + (a·a'·(1 − keep) + b): one multiply and one add.
    const scale = floatValues(x.dtype, keep.length);
    const shift = floatValues(x.dtype, keep.length);
    for (let i = 0; i < keep.length; i++) {
      const k = keep[i] as number;
      scale[i] = a * k;
      shift[i] = a * ALPHA_PRIME * (1 - k) + b;
    }
    return add(mul(x, fromValues(scale, shape, x.dtype)), fromValues(shift, shape, x.dtype));
  }

  static fromConfig(config: LayerConfig): AlphaDropout {
    return new AlphaDropout(dropoutArgs(config, 'AlphaDropout'));
  }
}
