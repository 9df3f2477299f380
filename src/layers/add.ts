/**
 * Add: the elementwise sum of a list of inputs, broadcasting like NumPy (shapes aligned on the
 * right; a dimension of 1 stretches). Unknown (null) dimensions are taken to match.
 */
import { ShapeError, ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { add } from '../ops/elementwise.js';
import { ConfigReader } from './config.js';
import { Layer, NO_OWN_ARGS, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';
import { fmtSymbolicShape, type SymbolicShape } from './symbolic.js';
import { shapeList } from './util.js';

export class Add extends Layer {
  constructor(args: LayerArgs = {}) {
    super(args, NO_OWN_ARGS);
  }

  override get className(): string {
    return 'Add';
  }

  private merged(shapes: readonly SymbolicShape[]): SymbolicShape {
    const rank = Math.max(...shapes.map((s) => s.length));
    const out: (number | null)[] = [];
    for (let k = 0; k < rank; k++) {
      let d: number | null = 1;
      let unknown = false;
      for (const s of shapes) {
        const e = s[s.length - rank + k];
        if (e === undefined || e === 1) continue;
        if (e === null) {
          unknown = true;
          continue;
        }
        if (d !== 1 && d !== e) {
          throw new ShapeError(`${this.who} expects inputs of broadcast-compatible shapes, received shapes ${shapes.map(fmtSymbolicShape).join(', ')}`);
        }
        d = e;
      }
      out.push(d === 1 && unknown ? null : d);
    }
    return out;
  }

  override build(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    this.merged(shapeList(inputShape, this.who, 1));
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    if (!Array.isArray(inputs)) throw new ValueError(`${this.who} expects a list of inputs, received one tensor`);
    this.merged(inputs.map((t) => t.shape));
    return inputs.slice(1).reduce((acc, t) => add(acc, t), inputs[0] as Tensor);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    return this.merged(shapeList(inputShape, this.who, 1));
  }

  static fromConfig(config: LayerConfig): Add {
    return new Add(new ConfigReader(config, 'Add').base());
  }
}
