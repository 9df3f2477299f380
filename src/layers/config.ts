/**
 * Reading layer configs back (fromConfig). A config comes from JSON, possibly hand-edited or
 * from another version, so every field is checked and a wrong one is a ValueError that names
 * the layer class and the field, never a silent undefined.
 */
import { isActivationId, type ActivationId } from '../activations.js';
import { type DType } from '../core/dtype.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { getConstraint } from '../constraints/index.js';
import { serializeInitializer, type Initializer } from '../initializers/index.js';
import { getRegularizer } from '../regularizers/index.js';
import type { Constraint, InitializerId, LayerArgs, LayerConfig, Regularizer } from './layer.js';
import type { SymbolicShape } from './symbolic.js';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool', 'float64'];

/** `{className, config}` for a regularizer or constraint, null when absent. */
export function serializeHook(h: Regularizer | Constraint | null): { className: string; config: Record<string, unknown> } | null {
  return h === null ? null : { className: h.className, config: h.getConfig() };
}

export function serializeInit(init: Initializer): ReturnType<typeof serializeInitializer> {
  return serializeInitializer(init);
}

export class ConfigReader {
  constructor(
    private readonly config: LayerConfig,
    private readonly className: string,
  ) {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new ValueError(`${className}.fromConfig: config must be an object, received ${fmtReceived(config)}`);
    }
  }

  private fail(key: string, expected: string): never {
    throw new ValueError(`${this.className}.fromConfig: "${key}" must be ${expected}, received ${fmtReceived(this.config[key])}`);
  }

  has(key: string): boolean {
    return this.config[key] !== undefined;
  }

  number(key: string): number | undefined {
    const v = this.config[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number') this.fail(key, 'a number');
    return v;
  }

  requiredNumber(key: string): number {
    const v = this.number(key);
    if (v === undefined) this.fail(key, 'a number');
    return v;
  }

  boolean(key: string): boolean | undefined {
    const v = this.config[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  string(key: string): string | undefined {
    const v = this.config[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(key, 'a string');
    return v;
  }

  /** An array of numbers (e.g. targetShape, axes). */
  numbers(key: string): number[] | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((d) => typeof d !== 'number')) this.fail(key, 'an array of numbers');
    return v.map((d) => Number(d));
  }

  /** A shape whose entries are numbers or null. */
  shape(key: string): SymbolicShape | undefined {
    const v = this.config[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((d) => d !== null && typeof d !== 'number')) this.fail(key, 'an array of numbers and nulls');
    return v.map((d) => (d === null ? null : Number(d)));
  }

  /** A number, or an array of numbers. */
  numberOrNumbers(key: string): number | number[] | undefined {
    const v = this.config[key];
    return typeof v === 'number' ? v : this.numbers(key);
  }

  dtype(key: string): DType | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    const d = DTYPES.find((x) => x === v);
    if (d === undefined) this.fail(key, `one of ${DTYPES.join(', ')}`);
    return d;
  }

  /** A built-in activation name or null; a user function cannot come back from JSON. */
  activation(key: string): ActivationId | null | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return v;
    if (typeof v !== 'string' || !isActivationId(v)) {
      this.fail(key, 'a built-in activation name or null (a custom activation function cannot be restored from JSON; pass it to the constructor)');
    }
    return v;
  }

  /** A name ('glorotUniform') or `{className, config}`, as serializeInitializer writes it. */
  initializer(key: string): InitializerId | undefined {
    const v = this.config[key];
    if (v === undefined) return undefined;
    // A bare name from JSON may be any spelling getInitializer accepts ('GlorotUniform'), which
    // the InitializerId type does not list; as a className it takes the same run-time look-up.
    if (typeof v === 'string') return { className: v };
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'className' in v && typeof v.className === 'string') {
      const config = 'config' in v && typeof v.config === 'object' && v.config !== null ? (v.config as Record<string, unknown>) : {};
      return { className: v.className, config };
    }
    this.fail(key, 'an initializer name or {className, config}');
  }

  /** `{className, config}` (or a name) in a slot of `kind`; anything else names the field. */
  private objectId(key: string, kind: string): { className: string; config: Record<string, unknown> } | null {
    const v = this.config[key];
    if (v === undefined || v === null) return null;
    // A bare name, in any spelling the look-up accepts ('L2', 'max_norm'), as a className.
    if (typeof v === 'string') return { className: v, config: {} };
    if (typeof v === 'object' && !Array.isArray(v) && 'className' in v && typeof v.className === 'string') {
      const c = 'config' in v ? v.config : undefined;
      if (c === undefined || c === null) return { className: v.className, config: {} };
      if (typeof c === 'object' && !Array.isArray(c)) return { className: v.className, config: c as Record<string, unknown> };
    }
    this.fail(key, `null or a ${kind} as {className, config}`);
  }

  /** A regularizer slot (kernelRegularizer...): null, or the built-in it names. */
  regularizer(key: string): Regularizer | null {
    const id = this.objectId(key, 'regularizer');
    return id === null ? null : this.resolve(key, () => getRegularizer(id));
  }

  /** A constraint slot (kernelConstraint...): null, or the built-in it names. */
  constraint(key: string): Constraint | null {
    const id = this.objectId(key, 'constraint');
    return id === null ? null : this.resolve(key, () => getConstraint(id));
  }

  /** A regularizer or constraint slot, told apart by the key's suffix (`...Regularizer`, `...Constraint`). */
  hook(key: string): Regularizer | Constraint | null {
    return key.endsWith('Constraint') ? this.constraint(key) : this.regularizer(key);
  }

  /** Runs a look-up, naming the layer class and field in its error. */
  private resolve<T>(key: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ValueError) throw new ValueError(`${this.className}.fromConfig: "${key}": ${e.message}`);
      throw e;
    }
  }

  /** name, trainable, dtype: the arguments every layer shares. */
  base(): LayerArgs {
    const out: LayerArgs = {};
    const name = this.string('name');
    if (name !== undefined) out.name = name;
    const trainable = this.boolean('trainable');
    if (trainable !== undefined) out.trainable = trainable;
    const dtype = this.dtype('dtype');
    if (dtype !== undefined) out.dtype = dtype;
    const activity = this.regularizer('activityRegularizer');
    if (activity !== null) out.activityRegularizer = activity;
    return out;
  }
}
