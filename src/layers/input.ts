/**
 * Input: where a functional graph starts. `input({shape: [28, 28]})` makes an InputLayer and
 * returns its output, a SymbolicTensor of shape [null, 28, 28] (the batch size is unknown
 * unless `batchSize` is given). Applied to a real tensor, the layer is the identity after
 * checking the tensor's shape and dtype.
 */
import { DTypeError, ShapeError, ValueError, fmtReceived } from '../core/errors.js';
import { type DType } from '../core/dtype.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { ConfigReader } from './config.js';
import { Layer, type CallArgs, type LayerConfig } from './layer.js';
import { checkSymbolicShape, fmtSymbolicShape, type SymbolicShape, type SymbolicTensor } from './symbolic.js';
import { singleInput } from './util.js';

export interface InputArgs {
  /** Shape of one sample, without the batch dimension (null for a dimension of any size). */
  shape?: SymbolicShape;
  /** [null: any] */
  batchSize?: number | null;
  /** The full shape, batch dimension included; instead of shape and batchSize. */
  batchShape?: SymbolicShape;
  /** ['input_layer', 'input_layer_1', ...] */
  name?: string;
  /** ['float32'] */
  dtype?: DType;
}

const INPUT_ARGS: OptionKeys<InputArgs> = { shape: true, batchSize: true, batchShape: true, name: true, dtype: true };

export class InputLayer extends Layer {
  /** The shape with the batch dimension: [null, 28, 28]. */
  readonly batchShape: SymbolicShape;
  /** The symbolic tensor this layer outputs. */
  readonly output: SymbolicTensor;

  constructor(args: InputArgs) {
    checkOptions('Input', args, INPUT_ARGS);
    super({ name: args.name, dtype: args.dtype ?? 'float32' });
    if (args.batchShape !== undefined) {
      if (args.shape !== undefined) throw new ValueError(`Input "${this.name}": give shape or batchShape, not both`);
      this.batchShape = checkSymbolicShape('Input', 'batchShape', args.batchShape);
    } else {
      if (args.shape === undefined) throw new ValueError(`Input "${this.name}": shape is required (the shape of one sample, e.g. [28, 28])`);
      const shape = checkSymbolicShape('Input', 'shape', args.shape);
      const b = args.batchSize ?? null;
      if (b !== null && (!Number.isInteger(b) || b <= 0)) throw new ValueError(`Input "${this.name}": batchSize must be a positive integer or null, received ${fmtReceived(b)}`);
      this.batchShape = Object.freeze([b, ...shape]);
    }
    this.autocast = false;
    this.built = true;
    const out = this.recordNode([], false, {}, [this.batchShape], [this.dtype])[0];
    if (!out) throw new ValueError(`Input "${this.name}": no output was recorded`);
    this.output = out;
  }

  override get className(): string {
    return 'InputLayer';
  }

  /** Identity, after checking that x fits the declared shape and dtype. */
  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    const s = this.batchShape;
    if (x.rank !== s.length || s.some((d, i) => d !== null && d !== x.shape[i])) {
      throw new ShapeError(`${this.who} expects inputs of shape ${fmtSymbolicShape(s)}, received shape ${fmtSymbolicShape(x.shape)}`);
    }
    if (x.dtype !== this.dtype) throw new DTypeError(`${this.who} expects inputs of dtype ${this.dtype}, received ${x.dtype}`);
    return x;
  }

  override computeOutputShape(): SymbolicShape {
    return this.batchShape;
  }

  override getConfig(): LayerConfig {
    return { name: this.name, batchShape: [...this.batchShape], dtype: this.dtype };
  }

  static fromConfig(config: LayerConfig): InputLayer {
    const r = new ConfigReader(config, 'InputLayer');
    const batchShape = r.shape('batchShape');
    if (batchShape === undefined) throw new ValueError('InputLayer.fromConfig: "batchShape" is required');
    return new InputLayer({ batchShape, name: r.string('name'), dtype: r.dtype('dtype') });
  }
}

/**
 * A symbolic input for the functional API: `const x = input({shape: [784]})` is a
 * SymbolicTensor of shape [null, 784]; `x.sourceLayer` is its InputLayer.
 */
export function input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}
