/**
 * Hyperparameters, as KerasTuner has them: the hypermodel asks `hp.int('units', {...})` and
 * gets this trial's value; the first ask also records the parameter's definition, so the
 * search space is discovered by running the hypermodel (docs/TUNING.md).
 *
 * A definition is plain JSON (it is stored with every trial, so that workers in other
 * processes see the same space). Conditional parameters carry the parent's name and the parent
 * values under which they are active; values of inactive parameters are never recorded.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import type { Generator } from '../core/random.js';

export type Sampling = 'linear' | 'log' | 'reverse_log';
export type HPValue = number | string | boolean;
export type HPValues = Record<string, HPValue>;

export interface Condition {
  readonly parent: string;
  readonly values: readonly HPValue[];
}

interface Common {
  readonly name: string;
  readonly conditions?: readonly Condition[];
}
export interface IntDef extends Common {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
  readonly step?: number;
  readonly sampling: Sampling;
  readonly default: number;
}
export interface FloatDef extends Common {
  readonly type: 'float';
  readonly min: number;
  readonly max: number;
  readonly step?: number;
  readonly sampling: Sampling;
  readonly default: number;
}
export interface ChoiceDef extends Common {
  readonly type: 'choice';
  readonly values: readonly HPValue[];
  readonly ordered: boolean;
  readonly default: HPValue;
}
export interface BooleanDef extends Common {
  readonly type: 'boolean';
  readonly default: boolean;
}
export interface FixedDef extends Common {
  readonly type: 'fixed';
  readonly value: HPValue;
  readonly default: HPValue;
}
export type HPDef = IntDef | FloatDef | ChoiceDef | BooleanDef | FixedDef;

export interface RangeOptions {
  min: number;
  max: number;
  /** Grid spacing (linear: added; log: multiplied). An int's default step is 1. */
  step?: number;
  /** ['linear'] 'log' draws uniformly in log space (learning rates); 'reverse_log' crowds values near max (momentum, decay rates). */
  sampling?: Sampling;
  /** [min] */
  default?: number;
}

/** Where a value comes from when the hypermodel asks for a parameter this trial does not set. */
export type Fallback = 'default' | Generator;

/**
 * The hyperparameters of one trial (or of the discovery run): `values` set by the oracle,
 * `space` the definitions met so far. A name asked for twice must keep its definition.
 */
export class HyperParameters {
  readonly values: HPValues;
  private readonly defs = new Map<string, HPDef>();
  private readonly scopes: Condition[] = [];
  private readonly fallback: Fallback;

  constructor(values: HPValues = {}, options: { space?: readonly HPDef[]; fallback?: Fallback } = {}) {
    this.values = { ...values };
    for (const d of options.space ?? []) this.defs.set(d.name, d);
    this.fallback = options.fallback ?? 'default';
  }

  /** The definitions met so far, in the order first met. */
  get space(): HPDef[] {
    return [...this.defs.values()];
  }

  /** The value of `name`, an error when it is unknown (for reading back a best trial's values). */
  get(name: string): HPValue {
    const v = this.values[name];
    if (v === undefined) throw new ValueError(`HyperParameters.get: no value for "${name}"; known: ${Object.keys(this.values).join(', ') || '(none)'}`);
    return v;
  }

  int(name: string, options: RangeOptions): number {
    checkRange('int', name, options);
    if (!Number.isInteger(options.min) || !Number.isInteger(options.max)) throw new ValueError(`hp.int("${name}"): min and max must be integers, received ${options.min} and ${options.max}`);
    const sampling = options.sampling ?? 'linear';
    // A linear int steps by 1 unless told; a log-sampled one is rounded (a step there is a factor).
    const step = options.step ?? (sampling === 'linear' ? 1 : undefined);
    const d: IntDef = { type: 'int', name, min: options.min, max: options.max, sampling, default: options.default ?? options.min, ...this.cond() };
    return this.register(step === undefined ? d : { ...d, step }) as number;
  }

  float(name: string, options: RangeOptions): number {
    checkRange('float', name, options);
    const d: FloatDef = { type: 'float', name, min: options.min, max: options.max, sampling: options.sampling ?? 'linear', default: options.default ?? options.min, ...this.cond() };
    return this.register(options.step === undefined ? d : { ...d, step: options.step }) as number;
  }

  choice<T extends HPValue>(name: string, values: readonly T[], options: { default?: T; ordered?: boolean } = {}): T {
    if (!Array.isArray(values) || values.length === 0) throw new ValueError(`hp.choice("${name}"): values must be a non-empty array, received ${fmtReceived(values)}`);
    const kinds = new Set(values.map((v) => typeof v));
    if (kinds.size !== 1 || !['number', 'string', 'boolean'].includes([...kinds][0] as string)) {
      throw new ValueError(`hp.choice("${name}"): values must all be numbers, all strings or all booleans, received ${fmtReceived(values)}`);
    }
    const def = options.default ?? values[0]!;
    if (!values.includes(def)) throw new ValueError(`hp.choice("${name}"): default ${fmtReceived(def)} is not one of the values`);
    // Keras: numeric choices are ordered by default (the Bayesian oracle may then treat them as a range).
    const ordered = options.ordered ?? typeof values[0] === 'number';
    return this.register({ type: 'choice', name, values: [...values], ordered, default: def, ...this.cond() }) as T;
  }

  boolean(name: string, options: { default?: boolean } = {}): boolean {
    return this.register({ type: 'boolean', name, default: options.default ?? false, ...this.cond() }) as boolean;
  }

  fixed<T extends HPValue>(name: string, value: T): T {
    return this.register({ type: 'fixed', name, value, default: value, ...this.cond() }) as T;
  }

  /**
   * Parameters asked for inside `fn` are active only while `parent` has one of `values`; `fn`
   * runs only then (the parent must already be defined). Scopes nest.
   */
  conditionalScope<R>(parent: string, values: HPValue | readonly HPValue[], fn: () => R): R | undefined {
    const vs = Array.isArray(values) ? (values as readonly HPValue[]) : [values as HPValue];
    if (!this.defs.has(parent)) throw new ValueError(`hp.conditionalScope: the parent "${parent}" must be defined before the scope`);
    if (!vs.includes(this.values[parent] as HPValue)) return undefined;
    this.scopes.push({ parent, values: vs });
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  private cond(): { conditions?: Condition[] } {
    return this.scopes.length === 0 ? {} : { conditions: this.scopes.map((c) => ({ parent: c.parent, values: [...c.values] })) };
  }

  private register(def: HPDef): HPValue {
    const known = this.defs.get(def.name);
    if (known !== undefined && JSON.stringify(stripConditions(known)) !== JSON.stringify(stripConditions(def))) {
      throw new ValueError(`hyperparameter "${def.name}" was defined as ${JSON.stringify(stripConditions(known))} and is now asked for as ${JSON.stringify(stripConditions(def))}`);
    }
    if (known === undefined) this.defs.set(def.name, def);
    const have = this.values[def.name];
    if (have !== undefined) return have;
    const v = this.fallback === 'default' ? def.default : sample(def, this.fallback);
    this.values[def.name] = v;
    return v;
  }
}

function stripConditions(d: HPDef): Omit<HPDef, 'conditions'> {
  const { conditions: _c, ...rest } = d;
  return rest;
}

function checkRange(kind: string, name: string, o: RangeOptions): void {
  if (typeof o !== 'object' || o === null || !Number.isFinite(o.min) || !Number.isFinite(o.max) || o.min > o.max) {
    throw new ValueError(`hp.${kind}("${name}"): expected finite min <= max, received ${fmtReceived(o)}`);
  }
  if (o.sampling !== undefined && !['linear', 'log', 'reverse_log'].includes(o.sampling)) {
    throw new ValueError(`hp.${kind}("${name}"): sampling must be 'linear', 'log' or 'reverse_log', received ${fmtReceived(o.sampling)}`);
  }
  if (o.sampling !== undefined && o.sampling !== 'linear' && o.min <= 0) throw new ValueError(`hp.${kind}("${name}"): ${o.sampling} sampling needs min > 0, received ${o.min}`);
  if (o.step !== undefined && !(o.step > 0)) throw new ValueError(`hp.${kind}("${name}"): step must be > 0, received ${o.step}`);
  if (o.step !== undefined && o.sampling !== undefined && o.sampling !== 'linear' && !(o.step > 1)) {
    throw new ValueError(`hp.${kind}("${name}"): a ${o.sampling} step is a factor and must be > 1, received ${o.step}`);
  }
}

/** Is `d` active under `values` (every enclosing scope's parent has one of its values)? */
export function isActive(d: HPDef, values: HPValues): boolean {
  return (d.conditions ?? []).every((c) => c.values.includes(values[c.parent] as HPValue));
}

/**
 * The unit-interval position of a value under the parameter's sampling (the inverse of
 * `fromUnit`): linear (v − min)/(max − min), log log(v/min)/log(max/min), reverse-log
 * 1 − log((max + min − v)/min)/log(max/min) (log's mirror image, so values crowd near max).
 */
export function toUnit(d: IntDef | FloatDef, v: number): number {
  if (d.max === d.min) return 0.5;
  if (d.sampling === 'log') return Math.log(v / d.min) / Math.log(d.max / d.min);
  if (d.sampling === 'reverse_log') return 1 - Math.log((d.max + d.min - v) / d.min) / Math.log(d.max / d.min);
  return (v - d.min) / (d.max - d.min);
}

/** The value at unit position u ∈ [0, 1], snapped to the parameter's step and range. */
export function fromUnit(d: IntDef | FloatDef, u: number): number {
  const t = Math.min(1, Math.max(0, u));
  let v: number;
  if (d.sampling === 'log') v = d.min * Math.pow(d.max / d.min, t);
  else if (d.sampling === 'reverse_log') v = d.max + d.min - d.min * Math.pow(d.max / d.min, 1 - t);
  else v = d.min + t * (d.max - d.min);
  return snap(d, v);
}

function snap(d: IntDef | FloatDef, v: number): number {
  let out = v;
  if (d.step !== undefined) {
    if (d.sampling === 'linear') out = d.min + Math.round((v - d.min) / d.step) * d.step;
    else if (d.sampling === 'log') out = d.min * Math.pow(d.step, Math.round(Math.log(v / d.min) / Math.log(d.step)));
    else out = d.max + d.min - d.min * Math.pow(d.step, Math.round(Math.log((d.max + d.min - v) / d.min) / Math.log(d.step)));
    // A step that does not divide the range: the last grid point at or below max.
    if (d.sampling === 'linear') while (out > d.max + 1e-12 * Math.abs(d.max)) out -= d.step;
    else if (d.sampling === 'log') while (out > d.max * (1 + 1e-12)) out /= d.step;
  }
  if (d.type === 'int') out = Math.round(out);
  return Math.min(d.max, Math.max(d.min, out));
}

/** A random value of `d` (uniform over the unit interval of its sampling, or over the choices). */
export function sample(d: HPDef, g: Generator): HPValue {
  switch (d.type) {
    case 'fixed':
      return d.value;
    case 'boolean':
      return g.float() < 0.5;
    case 'choice':
      return d.values[g.uniformInt(d.values.length)]!;
    case 'int': {
      // Ints are sampled over [min, max + 1) so that max is as likely as any other value.
      if (d.sampling === 'linear' && (d.step ?? 1) === 1) return d.min + g.uniformInt(d.max - d.min + 1);
      return fromUnit(d, g.float());
    }
    case 'float':
      return fromUnit(d, g.float());
  }
}

/** The finite list of values a grid search walks for `d` (a float without step: 10 points of its sampling). */
export function gridValues(d: HPDef): HPValue[] {
  switch (d.type) {
    case 'fixed':
      return [d.value];
    case 'boolean':
      return [false, true];
    case 'choice':
      return [...d.values];
    case 'int':
    case 'float': {
      const out: number[] = [];
      const push = (v: number): void => {
        if (v >= d.min - 1e-12 && v <= d.max + 1e-12 && !out.includes(v)) out.push(v);
      };
      if (d.step !== undefined && d.sampling === 'linear') for (let i = 0; d.min + i * d.step <= d.max * (1 + 1e-12) + 1e-12 && i < 100_000; i++) push(snap(d, d.min + i * d.step));
      else if (d.step !== undefined && d.sampling === 'log') for (let v = d.min; v <= d.max * (1 + 1e-12) && out.length < 100_000; v *= d.step) push(snap(d, v));
      else if (d.step !== undefined) for (let p = d.min; p <= d.max * (1 + 1e-12) && out.length < 100_000; p *= d.step) push(snap(d, d.max + d.min - p));
      else for (let i = 0; i < 10; i++) push(fromUnit(d, i / 9));
      return out.sort((a, b) => a - b);
    }
  }
}

/** The values a trial records: the active ones only, in definition order (JSON-stable for de-duplication). */
export function activeValues(space: readonly HPDef[], values: HPValues): HPValues {
  const out: HPValues = {};
  for (const d of space) if (values[d.name] !== undefined && isActive(d, values)) out[d.name] = values[d.name]!;
  return out;
}

/** Random values for the whole known space: parents first, so a child's condition is known when it is reached. */
export function sampleSpace(space: readonly HPDef[], g: Generator): HPValues {
  const v: HPValues = {};
  for (const d of space) if (isActive(d, v)) v[d.name] = sample(d, g);
  return v;
}

/** Union of definitions in first-met order. */
export function mergeSpaces(...spaces: readonly (readonly HPDef[])[]): HPDef[] {
  const m = new Map<string, HPDef>();
  for (const s of spaces) for (const d of s) if (!m.has(d.name)) m.set(d.name, d);
  return [...m.values()];
}
