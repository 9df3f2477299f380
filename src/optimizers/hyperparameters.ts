/**
 * One check for every optimizer hyperparameter, at construction: `adam({learningRate: -1})`
 * fails at once, naming the optimizer, the argument and the value, instead of a run that
 * diverges. sgd, adam, the Keras options (clipnorm, clipvalue, globalClipnorm, weightDecay)
 * and the clipping and decay links all go through it.
 */
import { ValueError, fmtReceived } from '../core/errors.js';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The kinds of value a hyperparameter takes. A learning rate of 0 is allowed (it freezes the
 * weights, which tests use; PyTorch and Keras accept it too); a negative one ascends.
 */
const RULES = {
  /** A finite number ≥ 0, or a schedule `(step) => lr` (checked at each step by learningRateAt). */
  learningRate: { ok: (v: unknown) => typeof v === 'function' || (finite(v) && v >= 0), expected: 'a finite number >= 0 or a schedule (step) => number' },
  /** Epsilon, clipping thresholds. */
  positive: { ok: (v: unknown) => finite(v) && v > 0, expected: 'a finite number > 0' },
  /** Weight decay. */
  nonNegative: { ok: (v: unknown) => finite(v) && v >= 0, expected: 'a finite number >= 0' },
  /** Momentum: 1 keeps the velocity forever, which is legal if rarely wise. */
  unitClosed: { ok: (v: unknown) => finite(v) && v >= 0 && v <= 1, expected: 'a number in [0, 1]' },
  /** Adam's betas: 1 would divide by 1 − β^t = 0 in the bias correction. */
  unitHalfOpen: { ok: (v: unknown) => finite(v) && v >= 0 && v < 1, expected: 'a number in [0, 1)' },
  boolean: { ok: (v: unknown) => typeof v === 'boolean', expected: 'true or false' },
  /** excludeFromWeightDecay: variable-name substrings, or a predicate. */
  variableFilter: {
    ok: (v: unknown) => typeof v === 'function' || (Array.isArray(v) && v.every((s) => typeof s === 'string')),
    expected: 'an array of variable-name substrings or a function (variable) => boolean',
  },
} as const;

export type HyperparameterRule = keyof typeof RULES;

/**
 * Throws `<who>: <arg> must be <expected>, received <value>` unless `value` fits `rule`;
 * returns the value so that a check can sit in an assignment.
 */
export function checkHyperparameter<V>(who: string, arg: string, value: V, rule: HyperparameterRule): V {
  const r = RULES[rule];
  if (!r.ok(value)) throw new ValueError(`${who}: ${arg} must be ${r.expected}, received ${fmtReceived(value)}`);
  return value;
}

/** The value a rate has at `step`: finite and ≥ 0, or a ValueError naming the step. */
export function checkRateValue(v: unknown, step: number): number {
  if (!finite(v) || v < 0) throw new ValueError(`learningRate: expected a finite number >= 0 at step ${step}, received ${fmtReceived(v)}`);
  return v;
}
