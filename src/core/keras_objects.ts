/**
 * Look-up and serialization shared by the Keras-object registries (initializers, regularizers,
 * constraints): each resolves an object, a built-in's name or `{className, config}` the same
 * way, so one helper serves all three and each registry only declares its factories.
 */
import { ValueError } from './errors.js';
import { normalizeName } from './names.js';

/** What `serialize` writes and `get` reads: Keras's JSON form, `{className: 'L2', config: {l2: 0.01}}`. */
export interface KerasObjectConfig {
  className: string;
  config?: Record<string, unknown>;
}

/** What the registries hold: an object with a class name and a JSON config (and an `apply`). */
export interface KerasObject {
  readonly className: string;
  getConfig(): Record<string, unknown>;
}

/**
 * Builds one object from a config given as its options: the factory checks the keys (a
 * misspelt key is an error, not a default) and the values.
 */
export type KerasFactory<T> = (config: Record<string, unknown>) => T;

export interface KerasObjectLookupSpec<T> {
  /** The public function named in messages: 'getConstraint'. */
  fn: string;
  /** What is looked up, for messages: 'constraint'. */
  what: string;
  /** Factories by normalized name (normalizeName: no underscores, lower case). */
  factories: Readonly<Record<string, KerasFactory<T>>>;
  /** Other normalized names for a factory's key (Keras's 'normal' for 'randomnormal'). */
  aliases?: Readonly<Record<string, string>>;
  /** The end of the error message, after "expected ". */
  expected: string;
}

export interface KerasObjectLookup<T> {
  /** An object is returned as it is; a name gets the defaults; {className, config} rebuilds one. */
  get(id: unknown): T;
  /** {className, config}: plain JSON that `get` turns back into an equal object. */
  serialize(x: T): KerasObjectConfig;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function kerasObjectLookup<T extends KerasObject>(spec: KerasObjectLookupSpec<T>): KerasObjectLookup<T> {
  const { fn, what, factories, aliases = {} } = spec;
  const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const factory = (name: string): KerasFactory<T> | undefined => {
    const key = normalizeName(name);
    const k = has(aliases, key) ? (aliases[key] as string) : key;
    return has(factories, k) ? factories[k] : undefined;
  };
  // Duck-typed, so user objects (plain or of their own classes) are accepted as built-ins are.
  const isInstance = (x: unknown): x is T =>
    typeof x === 'object' && x !== null && 'apply' in x && typeof x.apply === 'function' && 'className' in x && typeof x.className === 'string';
  return {
    get(id: unknown): T {
      if (isInstance(id)) return id;
      if (typeof id === 'string') {
        const make = factory(id);
        if (make) return make({});
      } else if (isRecord(id) && typeof id['className'] === 'string') {
        const make = factory(id['className']);
        const config = id['config'] ?? {};
        if (make && isRecord(config)) return make(config);
      }
      throw new ValueError(`${fn}: unknown ${what} ${JSON.stringify(id) ?? String(id)}; expected ${spec.expected}`);
    },
    serialize(x: T): KerasObjectConfig {
      return { className: x.className, config: x.getConfig() };
    },
  };
}
