/**
 * Reshape: [batch, ...] → [batch, ...targetShape]; one entry of targetShape may be -1, inferred
 * from the sample size (Keras's rule). The batch axis is never touched.
 */
import { ShapeError, ValueError, fmtReceived } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { reshape } from '../ops/movement.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig, type OwnArgs } from './layer.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export interface ReshapeArgs extends LayerArgs {
  /** Shape of one output sample (without the batch axis); at most one -1. */
  targetShape: readonly number[];
}

const RESHAPE_ARGS: OwnArgs<ReshapeArgs> = { targetShape: true };

export class Reshape extends Layer {
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args, RESHAPE_ARGS);
    const t = args.targetShape;
    if (!Array.isArray(t) || t.some((d) => !Number.isInteger(d) || (d < 0 && d !== -1)) || t.filter((d) => d === -1).length > 1) {
      throw new ValueError(`${this.who}: targetShape must be non-negative integers with at most one -1, received ${fmtReceived(t)}`);
    }
    this.targetShape = Object.freeze([...t]);
    this.inputSpec = { minNdim: 1 };
  }

  override get className(): string {
    return 'Reshape';
  }

  /** targetShape with -1 resolved for samples of `sampleSize` elements (null: unknown). */
  private resolve(sampleSize: number | null, inputShape: SymbolicShape): (number | null)[] {
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const unknown = this.targetShape.indexOf(-1);
    const fail = (): never => {
      throw new ShapeError(`${this.who} cannot reshape inputs of shape ${fmtSymbolicShape(inputShape)} to [batch, ${this.targetShape.join(', ')}]`);
    };
    if (sampleSize === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if (unknown < 0) {
      if (known !== sampleSize) fail();
      return [...this.targetShape];
    }
    if (known === 0 || sampleSize % known !== 0) fail();
    return this.targetShape.map((d) => (d === -1 ? sampleSize / known : d));
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    const sample = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const target = this.resolve(sample, x.shape) as number[];
    return reshape(x, [x.shape[0] as number, ...target]);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    const shape = singleShape(inputShape, this.who);
    const rest = shape.slice(1);
    const sample = rest.some((d) => d === null) ? null : rest.reduce<number>((a, b) => a * (b as number), 1);
    return [shape[0] ?? null, ...this.resolve(sample, shape)];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }

  static fromConfig(config: LayerConfig): Reshape {
    const r = new ConfigReader(config, 'Reshape');
    const targetShape = r.numbers('targetShape');
    if (targetShape === undefined) throw new ValueError('Reshape.fromConfig: "targetShape" is required');
    return new Reshape({ ...r.base(), targetShape });
  }
}
