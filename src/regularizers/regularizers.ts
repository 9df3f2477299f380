/**
 * Weight and activity penalties (Keras 3's keras.regularizers): l1(λ) = λ·Σ|w|,
 * l2(λ) = λ·Σw², l1l2({l1, l2}) = both. A layer's penalties enter the training loss (and
 * evaluate's, as Keras's compute_loss adds `model.losses` in both steps); `layer.losses` lists
 * them.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { add, abs, mul, square } from '../ops/elementwise.js';
import { fill } from '../ops/primitives.js';
import { sum } from '../ops/reduce.js';

/**
 * A penalty added to the loss: `apply(w)` returns a scalar of w's dtype. Any object with these
 * three members works as one (a custom regularizer); only the built-ins can be restored from a
 * config.
 */
export interface Regularizer {
  readonly className: string;
  apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** A penalty factor: a finite number ≥ 0 (Keras's validate_float_arg). */
function factor(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ValueError(`${op}: ${name} must be a non-negative finite number, received ${fmtReceived(v)}`);
  }
  return v;
}

class L1L2 implements Regularizer {
  constructor(
    readonly className: 'L1' | 'L2' | 'L1L2',
    readonly l1: number,
    readonly l2: number,
  ) {}

  apply(w: Tensor): Tensor {
    // As Keras, a zero factor adds no term (so l1l2({l2}) costs what l2 does).
    let total: Tensor | null = null;
    if (this.l1 !== 0) total = mul(sum(abs(w)), this.l1);
    if (this.l2 !== 0) {
      const t = mul(sum(square(w)), this.l2);
      total = total === null ? t : add(total, t);
    }
    return total ?? fill([], 0, w.dtype);
  }

  getConfig(): Record<string, unknown> {
    if (this.className === 'L1') return { l1: this.l1 };
    if (this.className === 'L2') return { l2: this.l2 };
    return { l1: this.l1, l2: this.l2 };
  }
}

/** λ·Σ|w| (Keras default λ = 0.01). */
export function l1(lambda = 0.01): Regularizer {
  return new L1L2('L1', factor('l1', 'l1', lambda), 0);
}

/** λ·Σw² (Keras default λ = 0.01); its gradient is 2λw. */
export function l2(lambda = 0.01): Regularizer {
  return new L1L2('L2', 0, factor('l2', 'l2', lambda));
}

export interface L1L2Options {
  /** [0] factor of Σ|w| */
  l1?: number;
  /** [0] factor of Σw² */
  l2?: number;
}

const L1L2_OPTIONS: OptionKeys<L1L2Options> = { l1: true, l2: true };

/**
 * l1·Σ|w| + l2·Σw². Both default to 0, as Keras 3's L1L2 class (which keras.regularizers.l1_l2
 * is); tf.keras's old l1_l2 function defaulted to 0.01 each.
 */
export function l1l2(opts: L1L2Options = {}): Regularizer {
  checkOptions('l1l2', opts, L1L2_OPTIONS);
  return new L1L2('L1L2', factor('l1l2', 'l1', opts.l1 ?? 0), factor('l1l2', 'l2', opts.l2 ?? 0));
}
