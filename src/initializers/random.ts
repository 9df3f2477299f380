/**
 * Random initializers: randomNormal, randomUniform, truncatedNormal, and varianceScaling with
 * its named forms (glorot*, he*, lecun*). Defaults and formulas are Keras 3's.
 */
import type { DType } from '../core/dtype.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Generator } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { randomNormal as normalOp, randomUniform as uniformOp, truncatedNormal as truncatedOp } from '../ops/random.js';
import { checkFinite, checkFloat, checkSeed, checkShape, computeFans, pickRng, type Initializer } from './initializer.js';

/**
 * The standard deviation of a standard normal truncated to [−2, 2]: √0.7737... Keras divides
 * the target stddev by it so that the truncated draw has exactly the target variance.
 */
export const TRUNCATED_STDDEV_FACTOR = 0.87962566103423978;

export interface SeedOption {
  /** Same values on every call (Keras 3 semantics). Without it, the rng given to apply is used. */
  seed?: number | null;
}

const SEED_OPTION: OptionKeys<SeedOption> = { seed: true };

export interface NormalOptions extends SeedOption {
  mean?: number;
  /** Default 0.05 (Keras). */
  stddev?: number;
}

const NORMAL_OPTIONS: OptionKeys<NormalOptions> = { ...SEED_OPTION, mean: true, stddev: true };

export interface UniformOptions extends SeedOption {
  /** Default −0.05 (Keras). */
  minval?: number;
  /** Default 0.05 (Keras). */
  maxval?: number;
}

const UNIFORM_OPTIONS: OptionKeys<UniformOptions> = { ...SEED_OPTION, minval: true, maxval: true };

type Draw = (shape: readonly number[], dtype: DType, rng: Generator) => Tensor;

/** A random initializer: the draw plus its name and config. */
class RandomInitializer implements Initializer {
  constructor(
    readonly className: string,
    private readonly seed: number | undefined,
    private readonly config: Record<string, unknown>,
    private readonly draw: Draw,
  ) {}
  apply(shape: readonly number[], dtype: DType, rng?: Generator): Tensor {
    checkShape(this.className, shape);
    checkFloat(this.className, dtype);
    return this.draw(shape, dtype, pickRng(this.seed, rng));
  }
  getConfig(): Record<string, unknown> {
    return { ...this.config, seed: this.seed ?? null };
  }
}

/** Normal values, mean 0 and stddev 0.05 by default. */
export function randomNormal(opts: NormalOptions = {}): Initializer {
  checkOptions('randomNormal', opts, NORMAL_OPTIONS);
  const mean = checkFinite('randomNormal', 'mean', opts.mean ?? 0);
  const stddev = checkFinite('randomNormal', 'stddev', opts.stddev ?? 0.05);
  return new RandomInitializer('RandomNormal', checkSeed('randomNormal', opts.seed), { mean, stddev }, (shape, dtype, generator) =>
    normalOp([...shape], { mean, stddev, dtype, generator }),
  );
}

/** Uniform values in [minval, maxval), [−0.05, 0.05) by default. */
export function randomUniform(opts: UniformOptions = {}): Initializer {
  checkOptions('randomUniform', opts, UNIFORM_OPTIONS);
  const minval = checkFinite('randomUniform', 'minval', opts.minval ?? -0.05);
  const maxval = checkFinite('randomUniform', 'maxval', opts.maxval ?? 0.05);
  return new RandomInitializer('RandomUniform', checkSeed('randomUniform', opts.seed), { minval, maxval }, (shape, dtype, generator) =>
    uniformOp([...shape], { minval, maxval, dtype, generator }),
  );
}

/**
 * Normal values re-drawn beyond 2 stddev of the mean (mean 0, stddev 0.05 by default). As in
 * Keras, `stddev` is the normal's before truncation: the values' own stddev is 0.88·stddev.
 */
export function truncatedNormal(opts: NormalOptions = {}): Initializer {
  checkOptions('truncatedNormal', opts, NORMAL_OPTIONS);
  const mean = checkFinite('truncatedNormal', 'mean', opts.mean ?? 0);
  const stddev = checkFinite('truncatedNormal', 'stddev', opts.stddev ?? 0.05);
  return new RandomInitializer('TruncatedNormal', checkSeed('truncatedNormal', opts.seed), { mean, stddev }, (shape, dtype, generator) =>
    truncatedOp([...shape], { mean, stddev, dtype, generator }),
  );
}

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type Distribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

export interface VarianceScalingOptions extends SeedOption {
  /** Default 1. */
  scale?: number;
  /** Default 'fanIn'; snake_case ('fan_in') is accepted too. */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  /**
   * Default 'truncatedNormal'; snake_case is accepted, and 'normal' means truncatedNormal as
   * in Keras 2.
   */
  distribution?: Distribution | 'truncated_normal' | 'untruncated_normal' | 'normal';
}

const VARIANCE_SCALING_OPTIONS: OptionKeys<VarianceScalingOptions> = { ...SEED_OPTION, scale: true, mode: true, distribution: true };

const MODES: Record<string, FanMode> = { fanin: 'fanIn', fanout: 'fanOut', fanavg: 'fanAvg' };
const DISTRIBUTIONS: Record<string, Distribution> = {
  truncatednormal: 'truncatedNormal',
  normal: 'truncatedNormal',
  untruncatednormal: 'untruncatedNormal',
  uniform: 'uniform',
};
const norm = (s: string): string => s.replace(/_/g, '').toLowerCase();

/**
 * Samples with variance scale / n, n = fanIn, fanOut or (fanIn + fanOut)/2 (at least 1, as in
 * Keras). uniform: U(−√(3·var), √(3·var)). truncatedNormal: stddev √var / 0.8796...,
 * re-drawn beyond 2 of those stddevs, which gives exactly variance var. untruncatedNormal:
 * stddev √var.
 */
export function varianceScaling(opts: VarianceScalingOptions = {}, className = 'VarianceScaling'): Initializer {
  const op = 'varianceScaling';
  checkOptions(op, opts, VARIANCE_SCALING_OPTIONS);
  const scale = checkFinite(op, 'scale', opts.scale ?? 1);
  if (!(scale > 0)) throw new ValueError(`${op}: scale must be positive, received ${fmtReceived(scale)}`);
  const mode = MODES[norm(String(opts.mode ?? 'fanIn'))];
  if (!mode) throw new ValueError(`${op}: mode must be 'fanIn', 'fanOut' or 'fanAvg', received ${fmtReceived(opts.mode)}`);
  const distribution = DISTRIBUTIONS[norm(String(opts.distribution ?? 'truncatedNormal'))];
  if (!distribution) {
    throw new ValueError(`${op}: distribution must be 'truncatedNormal', 'untruncatedNormal' or 'uniform', received ${fmtReceived(opts.distribution)}`);
  }
  const seed = checkSeed(op, opts.seed);
  const config = className === 'VarianceScaling' ? { scale, mode, distribution } : {};
  return new RandomInitializer(className, seed, config, (shape, dtype, generator) => {
    const [fanIn, fanOut] = computeFans(shape);
    const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return uniformOp([...shape], { minval: -limit, maxval: limit, dtype, generator });
    }
    if (distribution === 'untruncatedNormal') return normalOp([...shape], { stddev: Math.sqrt(variance), dtype, generator });
    return truncatedOp([...shape], { stddev: Math.sqrt(variance) / TRUNCATED_STDDEV_FACTOR, dtype, generator });
  });
}

/** U(−limit, limit), limit = √(6/(fanIn + fanOut)): Dense's default kernel initializer. */
export function glorotUniform(opts: SeedOption = {}): Initializer {
  checkOptions('glorotUniform', opts, SEED_OPTION);
  return varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: opts.seed }, 'GlorotUniform');
}

/** Truncated normal with variance 2/(fanIn + fanOut). */
export function glorotNormal(opts: SeedOption = {}): Initializer {
  checkOptions('glorotNormal', opts, SEED_OPTION);
  return varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal', seed: opts.seed }, 'GlorotNormal');
}

/** Truncated normal with variance 2/fanIn (for ReLU layers). */
export function heNormal(opts: SeedOption = {}): Initializer {
  checkOptions('heNormal', opts, SEED_OPTION);
  return varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed: opts.seed }, 'HeNormal');
}

/** U(−limit, limit), limit = √(6/fanIn). */
export function heUniform(opts: SeedOption = {}): Initializer {
  checkOptions('heUniform', opts, SEED_OPTION);
  return varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed: opts.seed }, 'HeUniform');
}

/** Truncated normal with variance 1/fanIn (for SELU layers). */
export function lecunNormal(opts: SeedOption = {}): Initializer {
  checkOptions('lecunNormal', opts, SEED_OPTION);
  return varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: opts.seed }, 'LecunNormal');
}

/** U(−limit, limit), limit = √(3/fanIn). */
export function lecunUniform(opts: SeedOption = {}): Initializer {
  checkOptions('lecunUniform', opts, SEED_OPTION);
  return varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform', seed: opts.seed }, 'LecunUniform');
}
