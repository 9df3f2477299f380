/**
 * Constant initializers: zeros (Keras's bias default), ones, constant(value).
 */
import type { DType } from '../core/dtype.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { fill } from '../ops/primitives.js';
import { checkFinite, checkShape, type Initializer } from './initializer.js';

class Constant implements Initializer {
  constructor(
    readonly className: 'Zeros' | 'Ones' | 'Constant',
    readonly value: number,
  ) {}
  apply(shape: readonly number[], dtype: DType): Tensor {
    checkShape(this.className, shape);
    return fill(shape, this.value, dtype);
  }
  getConfig(): Record<string, unknown> {
    return this.className === 'Constant' ? { value: this.value } : {};
  }
}

export function zeros(): Initializer {
  return new Constant('Zeros', 0);
}

export function ones(): Initializer {
  return new Constant('Ones', 1);
}

export interface ConstantOptions {
  /** [0] */
  value?: number;
}

const CONSTANT_OPTIONS: OptionKeys<ConstantOptions> = { value: true };

/** Every element `value` (Keras default 0). */
export function constant(opts: ConstantOptions = {}): Initializer {
  checkOptions('constant', opts, CONSTANT_OPTIONS);
  return new Constant('Constant', checkFinite('constant', 'value', opts.value ?? 0));
}
