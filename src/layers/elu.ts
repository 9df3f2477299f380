/**
 * ELU layer: x if x > 0 else alpha·(exp(x) − 1), alpha = 1 by default.
 */
import { elu } from '../activations.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig, type OwnArgs } from './layer.js';
import type { SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export interface ELUArgs extends LayerArgs {
  /** [1] scale of the negative part. */
  alpha?: number;
}

const ELU_ARGS: OwnArgs<ELUArgs> = { alpha: true };

export class ELU extends Layer {
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args, ELU_ARGS);
    this.inputSpec = { dtype: 'float' };
    const alpha = args.alpha ?? 1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new ValueError(`${this.who}: alpha must be a finite number, received ${fmtReceived(alpha)}`);
    this.alpha = alpha;
  }

  override get className(): string {
    return 'ELU';
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return elu(singleInput(inputs, this.who), this.alpha);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return singleShape(inputShape, this.who);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  static fromConfig(config: LayerConfig): ELU {
    const r = new ConfigReader(config, 'ELU');
    return new ELU({ ...r.base(), alpha: r.number('alpha') });
  }
}
