/**
 * The callbacks both recipes recommend (the book's "early stopping" and "performance
 * scheduling"): EarlyStopping that restores the best weights, and ReduceLROnPlateau, watching
 * the same quantity. Pass them to fit with validation data (or validationSplit).
 */
import { boolOption } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { EarlyStopping } from '../callbacks/early_stopping.js';
import { ReduceLROnPlateau } from '../callbacks/reduce_lr_on_plateau.js';
import type { Callback } from '../callbacks/callback.js';

export interface DefaultCallbacksOptions {
  /** ['val_loss'] what both callbacks watch. */
  monitor?: string;
  /** [10] epochs without improvement before early stopping (the book's patience=10). */
  patience?: number;
  /** [5] epochs without improvement before the rate is multiplied by `factor` (the book's patience=5). */
  reducePatience?: number;
  /** [0.5] the book's factor=0.5. */
  factor?: number;
  /** [true] false leaves out ReduceLROnPlateau (for a rate that is a schedule, such as 1cycle). */
  reduceLROnPlateau?: boolean;
}

const DEFAULT_CALLBACKS_OPTIONS: OptionKeys<DefaultCallbacksOptions> = { monitor: true, patience: true, reducePatience: true, factor: true, reduceLROnPlateau: true };

export function defaultCallbacks(options: DefaultCallbacksOptions = {}): Callback[] {
  checkOptions('defaultCallbacks', options, DEFAULT_CALLBACKS_OPTIONS);
  const monitor = options.monitor ?? 'val_loss';
  const stop = new EarlyStopping({ monitor, patience: options.patience ?? 10, restoreBestWeights: true });
  if (!boolOption('defaultCallbacks', 'reduceLROnPlateau', options.reduceLROnPlateau, true)) return [stop];
  return [stop, new ReduceLROnPlateau({ monitor, factor: options.factor ?? 0.5, patience: options.reducePatience ?? 5 })];
}
