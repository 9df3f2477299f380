/**
 * GaussianNoise and GaussianDropout, as Keras 3: in training, x + N(0, stddev²) and
 * x·N(1, rate/(1 − rate)); the identity in inference. Random streams as in noise_util.ts.
 */
import type { Tensor } from '../core/tensor.js';
import { add, mul } from '../ops/elementwise.js';
import { randomNormal } from '../ops/random.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig, type OwnArgs } from './layer.js';
import { CallStream, numberOption, rateOption, seedOption } from './noise_util.js';
import type { SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the additive noise (>= 0). */
  stddev: number;
  /** [null: the global generator] */
  seed?: number | null;
}

export interface GaussianDropoutArgs extends LayerArgs {
  /** In [0, 1): the multiplicative noise has variance rate/(1 − rate). */
  rate: number;
  /** [null: the global generator] */
  seed?: number | null;
}

const GAUSSIAN_NOISE_ARGS: OwnArgs<GaussianNoiseArgs> = { stddev: true, seed: true };
const GAUSSIAN_DROPOUT_ARGS: OwnArgs<GaussianDropoutArgs> = { rate: true, seed: true };

/** Shape rule and stream of both layers. */
abstract class NoiseLayer extends Layer {
  readonly seed: number | null;
  protected readonly stream: CallStream;

  constructor(args: LayerArgs & { seed?: number | null }, own: OwnArgs<GaussianNoiseArgs> | OwnArgs<GaussianDropoutArgs>) {
    super(args, own);
    this.seed = seedOption(this.who, args.seed);
    this.stream = new CallStream(this.seed);
    this.inputSpec = { dtype: 'float' };
  }

  /** Noise of x's shape and dtype from this call's stream. */
  protected noise(x: Tensor, mean: number, stddev: number): Tensor {
    const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
    return randomNormal(x.shape, { mean, stddev, dtype, generator: this.stream.next() });
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return singleShape(inputShape, this.who);
  }
}

/** Additive zero-centered Gaussian noise in training (a regularizer, and data augmentation). */
export class GaussianNoise extends NoiseLayer {
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    super(args, GAUSSIAN_NOISE_ARGS);
    this.stddev = numberOption(this.who, 'stddev', args.stddev, undefined, 0);
  }

  override get className(): string {
    return 'GaussianNoise';
  }

  override call(inputs: Tensor | Tensor[], { training }: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    if (!training || this.stddev === 0) return x;
    return add(x, this.noise(x, 0, this.stddev));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }

  static fromConfig(config: LayerConfig): GaussianNoise {
    const r = new ConfigReader(config, 'GaussianNoise');
    return new GaussianNoise({ ...r.base(), stddev: r.requiredNumber('stddev'), seed: config['seed'] === null ? null : r.number('seed') });
  }
}

/** Multiplicative 1-centered Gaussian noise with stddev √(rate/(1 − rate)) in training. */
export class GaussianDropout extends NoiseLayer {
  readonly rate: number;

  constructor(args: GaussianDropoutArgs) {
    super(args, GAUSSIAN_DROPOUT_ARGS);
    this.rate = rateOption(this.who, 'rate', args.rate);
  }

  override get className(): string {
    return 'GaussianDropout';
  }

  override call(inputs: Tensor | Tensor[], { training }: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    if (!training || this.rate === 0) return x;
    return mul(x, this.noise(x, 1, Math.sqrt(this.rate / (1 - this.rate))));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }

  static fromConfig(config: LayerConfig): GaussianDropout {
    const r = new ConfigReader(config, 'GaussianDropout');
    return new GaussianDropout({ ...r.base(), rate: r.requiredNumber('rate'), seed: config['seed'] === null ? null : r.number('seed') });
  }
}
