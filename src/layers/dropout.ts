/**
 * Dropout and AlphaDropout (CONVENTIONS, "Dropout family"). Both are the identity in inference
 * and draw a keep-mask in training: unit i is kept when u_i < 1 − rate (u uniform in [0, 1)),
 * so with probability 1 − rate. The mask has the input's shape, or `noiseShape` (null entries
 * take the input's size; 1 shares one draw along that axis, e.g. [null, 1, features] drops whole
 * features for every timestep).
 *
 * The uniforms are made by the backend's Philox kernel (ops/random_counter.ts: the same numbers
 * the host generator would give, with no upload), and one fused pass turns them into the
 * multiplier (and the shift), so a call costs one multiply (and one add) more: the gradient is
 * that multiplier, exactly, a constant for autodiff.
 */
import type { Tensor } from '../core/tensor.js';
import { add, mul } from '../ops/elementwise.js';
import { defineFused, runFusedUnrecorded, type Expr } from '../ops/fused.js';
import { philoxUniformIn, rangeBox } from '../ops/random_counter.js';
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

/**
 * u < p for u = k·2^-24 holds exactly when k < ceil(p·2^24), i.e. when u < ceil(p·2^24)·2^-24,
 * a number float32 holds exactly (p·2^24 is exact: a power-of-two scaling). So the comparison
 * gives the host's float64 answer in either dtype; comparing with p rounded to float32 would
 * not (it can round down past a multiple of 2^-24).
 */
function keepThreshold(p: number): number {
  return Math.ceil(p * 16777216) / 16777216;
}

/** Dropout's multiplier from uniforms u: scale where u < threshold, else 0 (params: threshold, scale). */
const DROPOUT_MASK = defineFused('dropoutMask', 1, 2, (e, [u], [t, s]) => [e.where(e.less(u as Expr, t as Expr), s as Expr, 0)]);
/** AlphaDropout's multiplier and shift (params: threshold, a, shift if kept, shift if dropped). */
const ALPHA_MASK = defineFused('alphaDropoutMask', 1, 4, (e, [u], [t, a, bk, bd]) => {
  const keep = e.less(u as Expr, t as Expr);
  return [e.where(keep, a as Expr, 0), e.where(keep, bk as Expr, bd as Expr)];
});

/** What Dropout and AlphaDropout share: options, config, the mask draw. */
abstract class MaskDropout extends Layer {
  readonly rate: number;
  readonly noiseShape: SymbolicShape | null;
  readonly seed: number | null;
  readonly #stream: CallStream;
  /** The mask's Philox range, refilled per call (a captured step replays the draw: capture/host.ts). */
  readonly #range = rangeBox();

  constructor(args: DropoutArgs) {
    super(args, DROPOUT_ARGS);
    this.rate = rateOption(this.who, 'rate', args.rate);
    this.noiseShape = noiseShapeOption(this.who, args.noiseShape);
    this.seed = seedOption(this.who, args.seed);
    this.#stream = new CallStream(this.seed);
    this.inputSpec = { dtype: 'float' };
  }

  /**
   * This call's mask tensors for input x (noise shape, x's dtype) from `fn`: unit i is kept when
   * u_i < 1 − rate, with u the backend's uniforms; params after the threshold are fn's.
   */
  protected masks(x: Tensor, fn: typeof DROPOUT_MASK, params: readonly number[]): Tensor[] {
    const ns = resolveNoiseShape(this.who, this.noiseShape, x.shape);
    const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
    const u = philoxUniformIn(this.#range, ns, dtype, () => this.#stream.next());
    try {
      return runFusedUnrecorded(fn, [u], [keepThreshold(1 - this.rate), ...params]);
    } finally {
      u.dispose();
    }
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
    // keep·scale as the host computed it: scale (rounded to the dtype) or 0.
    const [m] = this.masks(x, DROPOUT_MASK, [1 / (1 - this.rate)]) as [Tensor];
    return mul(x, m);
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
    const rate = this.rate;
    const a = ((1 - rate) * (1 + rate * ALPHA_PRIME * ALPHA_PRIME)) ** -0.5;
    const b = -a * ALPHA_PRIME * rate;
    // y = x·(a·keep) + (a·a'·(1 − keep) + b): one multiply and one add. The shift's two values
    // are worked out in float64 for keep = 1 and keep = 0, as the formula gives them.
    const [scale, shift] = this.masks(x, ALPHA_MASK, [a, a * ALPHA_PRIME * (1 - 1) + b, a * ALPHA_PRIME * (1 - 0) + b]) as [Tensor, Tensor];
    return add(mul(x, scale), shift);
  }

  static fromConfig(config: LayerConfig): AlphaDropout {
    return new AlphaDropout(dropoutArgs(config, 'AlphaDropout'));
  }
}
