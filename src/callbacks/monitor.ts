/**
 * Shared by the callbacks that watch a logged quantity (EarlyStopping, ReduceLROnPlateau):
 * Keras's 'auto' mode and its notion of improvement.
 */
import { ValueError, fmtReceived } from '../core/errors.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** 'auto' watches accuracy-like names ("acc", "auc") for a rise and everything else for a fall. */
export function resolveMode(who: string, mode: MonitorMode, monitor: string): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new ValueError(`${who}: mode must be 'auto', 'min' or 'max', received ${fmtReceived(mode)}`);
  return mode === 'auto' ? (/acc|auc/.test(monitor) ? 'max' : 'min') : mode;
}

/** value beats reference by more than minDelta: value < reference − minDelta ('min'), or the mirror. */
export function improves(mode: 'min' | 'max', value: number, reference: number, minDelta: number): boolean {
  return mode === 'min' ? value < reference - minDelta : value > reference + minDelta;
}
