/**
 * LeakyReLU (Keras 3 layer): x if x > 0 else negativeSlope·x, negativeSlope = 0.3 by default
 * (the leakyRelu function defaults to 0.2; PyTorch to 0.01). `alpha` is accepted as the older
 * name of negativeSlope, as Keras 3 still does.
 */
import { leakyRelu } from '../activations.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig, type OwnArgs } from './layer.js';
import type { SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** [0.3] slope for x < 0; must be >= 0. */
  negativeSlope?: number;
  /** Older name of negativeSlope (Keras 2's `alpha`). */
  alpha?: number;
}

const LEAKY_RELU_ARGS: OwnArgs<LeakyReLUArgs> = { negativeSlope: true, alpha: true };

export class LeakyReLU extends Layer {
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args, LEAKY_RELU_ARGS);
    this.inputSpec = { dtype: 'float' };
    if (args.alpha !== undefined && args.negativeSlope !== undefined && args.alpha !== args.negativeSlope) {
      throw new ValueError(`${this.who}: alpha is the old name of negativeSlope; give one, received alpha=${fmtReceived(args.alpha)} and negativeSlope=${fmtReceived(args.negativeSlope)}`);
    }
    const slope = args.negativeSlope ?? args.alpha ?? 0.3;
    if (typeof slope !== 'number' || !(slope >= 0)) {
      throw new ValueError(`${this.who}: negativeSlope must be a number >= 0, received ${fmtReceived(slope)}`);
    }
    this.negativeSlope = slope;
  }

  override get className(): string {
    return 'LeakyReLU';
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return leakyRelu(singleInput(inputs, this.who), this.negativeSlope);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return singleShape(inputShape, this.who);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }

  static fromConfig(config: LayerConfig): LeakyReLU {
    const r = new ConfigReader(config, 'LeakyReLU');
    return new LeakyReLU({ ...r.base(), negativeSlope: r.number('negativeSlope'), alpha: r.number('alpha') });
  }
}
