/**
 * Concatenate: joins a list of inputs along `axis` (default -1, the features). All other
 * dimensions must agree (null, unknown, agrees with anything).
 */
import { ShapeError, ValueError, fmtReceived } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { concat } from '../ops/movement.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig, type OwnArgs } from './layer.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
import { shapeList } from './util.js';

export interface ConcatenateArgs extends LayerArgs {
  /** [-1] */
  axis?: number;
}

const CONCATENATE_ARGS: OwnArgs<ConcatenateArgs> = { axis: true };

export class Concatenate extends Layer {
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, CONCATENATE_ARGS);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`${this.who}: axis must be an integer, received ${fmtReceived(axis)}`);
    this.axis = axis;
  }

  override get className(): string {
    return 'Concatenate';
  }

  /** The output shape; throws when the inputs do not fit together. */
  private merged(shapes: readonly SymbolicShape[]): SymbolicShape {
    const rank = (shapes[0] as SymbolicShape).length;
    const list = (): string => shapes.map(fmtSymbolicShape).join(', ');
    if (shapes.some((s) => s.length !== rank)) throw new ShapeError(`${this.who} expects inputs of the same rank, received shapes ${list()}`);
    if (this.axis < -rank || this.axis >= rank) throw new ShapeError(`${this.who}: axis ${this.axis} is out of range for inputs of rank ${rank}`);
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    const out: (number | null)[] = [];
    for (let k = 0; k < rank; k++) {
      const dims = shapes.map((s) => s[k] ?? null);
      if (k === a) {
        out.push(dims.some((d) => d === null) ? null : dims.reduce<number>((x, y) => x + (y as number), 0));
        continue;
      }
      const known = dims.filter((d): d is number => d !== null);
      if (known.some((d) => d !== known[0])) {
        throw new ShapeError(`${this.who} expects inputs with matching shapes except on axis ${this.axis}, received shapes ${list()}`);
      }
      out.push(known[0] ?? null);
    }
    return out;
  }

  override build(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    this.merged(shapeList(inputShape, this.who, 1));
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    if (!Array.isArray(inputs)) throw new ValueError(`${this.who} expects a list of inputs, received one tensor`);
    const shapes = inputs.map((t) => t.shape);
    this.merged(shapes);
    const rank = (shapes[0] as SymbolicShape).length;
    return concat(inputs, this.axis < 0 ? this.axis + rank : this.axis);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return this.merged(shapeList(inputShape, this.who, 1));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }

  static fromConfig(config: LayerConfig): Concatenate {
    const r = new ConfigReader(config, 'Concatenate');
    return new Concatenate({ ...r.base(), axis: r.number('axis') });
  }
}
