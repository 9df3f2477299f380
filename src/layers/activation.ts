/**
 * Activation: applies an activation function (by name or as a function) elementwise.
 */
import { activationName, getActivation, type ActivationFn, type ActivationId } from '../activations.js';
import type { Tensor } from '../core/tensor.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig, type OwnArgs } from './layer.js';
import type { SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export interface ActivationArgs extends LayerArgs {
  /** A name ('relu', 'leaky_relu'...), a function, or null for linear. */
  activation: ActivationId | ActivationFn | null;
}

const ACTIVATION_ARGS: OwnArgs<ActivationArgs> = { activation: true };

export class Activation extends Layer {
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args, ACTIVATION_ARGS);
    this.inputSpec = { dtype: 'float' };
    this.activation = getActivation(args.activation);
  }

  override get className(): string {
    return 'Activation';
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return this.activation(singleInput(inputs, this.who));
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return singleShape(inputShape, this.who);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: activationName(this.activation) };
  }

  static fromConfig(config: LayerConfig): Activation {
    const r = new ConfigReader(config, 'Activation');
    return new Activation({ ...r.base(), activation: r.activation('activation') ?? null });
  }
}
