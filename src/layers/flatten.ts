/**
 * Flatten: [batch, d1, d2, ...] → [batch, d1·d2·...]; a rank-1 input [batch] becomes
 * [batch, 1] (Keras's rule). A view when the input is contiguous: no data moves.
 */
import type { Tensor } from '../core/tensor.js';
import { reshape } from '../ops/movement.js';
import { ConfigReader } from './config.js';
import { Layer, NO_OWN_ARGS, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';
import type { SymbolicShape } from './symbolic.js';
import { singleInput, singleShape } from './util.js';

export class Flatten extends Layer {
  constructor(args: LayerArgs = {}) {
    super(args, NO_OWN_ARGS);
    this.inputSpec = { minNdim: 1 };
  }

  override get className(): string {
    return 'Flatten';
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this.who);
    // An explicit size instead of -1, which is ambiguous for a batch of 0.
    const rest = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshape(x, [x.shape[0] as number, rest]);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    const shape = singleShape(inputShape, this.who);
    const rest = shape.slice(1);
    const size = rest.some((d) => d === null) ? null : rest.reduce<number>((a, b) => a * (b as number), 1);
    return [shape[0] ?? null, size];
  }

  static fromConfig(config: LayerConfig): Flatten {
    return new Flatten(new ConfigReader(config, 'Flatten').base());
  }
}
