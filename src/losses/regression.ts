/**
 * Regression losses: mean squared error, mean absolute error, Huber. Each averages over every
 * axis but the batch axis, giving one value per sample.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { abs, lessEqual, mul, square, sub } from '../ops/elementwise.js';
import { where } from '../ops/primitives.js';
import { alignTargets, meanPerSample, type Loss } from './loss.js';

class MeanSquaredError implements Loss {
  readonly name = 'mean_squared_error';
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanPerSample(square(sub(yPred, alignTargets(this.name, yTrue, yPred))));
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

class MeanAbsoluteError implements Loss {
  readonly name = 'mean_absolute_error';
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanPerSample(abs(sub(yPred, alignTargets(this.name, yTrue, yPred))));
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

export interface HuberOptions {
  /** Where the loss turns from quadratic to linear (Keras default 1). */
  delta?: number;
}

const HUBER_OPTIONS: OptionKeys<HuberOptions> = { delta: true };

class Huber implements Loss {
  readonly name = 'huber_loss';
  readonly delta: number;
  constructor(opts: HuberOptions) {
    checkOptions('huber', opts, HUBER_OPTIONS);
    this.delta = opts.delta ?? 1;
    if (!(this.delta > 0) || !Number.isFinite(this.delta)) {
      throw new ValueError(`huber: delta must be a positive finite number, received ${fmtReceived(opts.delta)}`);
    }
  }
  /** 0.5·e² where |e| ≤ delta, else delta·(|e| − 0.5·delta): continuous with its slope at |e| = delta. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    const e = sub(yPred, alignTargets(this.name, yTrue, yPred));
    const a = abs(e);
    const d = this.delta;
    return meanPerSample(where(lessEqual(a, d), mul(square(e), 0.5), mul(sub(a, 0.5 * d), d)));
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name, delta: this.delta };
  }
}

/** mean((yPred − yTrue)²) per sample. Also 'mse'. */
export function meanSquaredError(): Loss {
  return new MeanSquaredError();
}

/** mean(|yPred − yTrue|) per sample. Also 'mae'. */
export function meanAbsoluteError(): Loss {
  return new MeanAbsoluteError();
}

/** Huber loss (Keras's Huber, name 'huber_loss'), quadratic within ±delta, linear outside. */
export function huber(opts: HuberOptions = {}): Loss {
  return new Huber(opts);
}
