/**
 * Names of built-ins (losses, metrics, activations, initializers, optimizers) as the types see
 * them and as the look-ups compare them.
 *
 * The types list each built-in under its camelCase name and Keras's snake_case spelling
 * ('sparseCategoricalCrossentropy' | 'sparse_categorical_crossentropy'), so a typo fails to
 * compile. The look-ups compare names without case and underscores (normalizeName), so plain
 * JavaScript and JSON configs may also use Keras's class names ('MeanSquaredError').
 */

/** 'sparseCategoricalCrossentropy' → 'sparse_categorical_crossentropy': an underscore before each capital. */
export type SnakeCase<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}` : S;

/** A camelCase name or its snake_case spelling. */
export type CamelOrSnake<S extends string> = S | SnakeCase<S>;

/** Lower-cases and drops underscores, so 'meanSquaredError', 'mean_squared_error' and 'MeanSquaredError' compare equal. */
export function normalizeName(id: string): string {
  return id.replace(/_/g, '').toLowerCase();
}
