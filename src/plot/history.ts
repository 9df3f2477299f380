/**
 * The forms a training history comes in, read into one: what fit returns (a History, with
 * `.epoch` and `.history`), what `hebb train` writes to history.json (`{epoch, history, ...}`),
 * or Keras's `history.history` dict alone (`{loss: [...], val_loss: [...]}`).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { isNumberList, seriesValues } from './spec.js';

/** Anything learningCurves and compareRuns accept as a history. */
export type HistoryLike =
  | { readonly epoch?: readonly number[]; readonly history: Readonly<Record<string, ArrayLike<number>>> }
  | Readonly<Record<string, ArrayLike<number>>>;

export interface ReadHistory {
  /** Epoch numbers as the progress bar counts them: 1 for the first epoch run. */
  epochs: number[];
  /** Every logged name's values, one per epoch; NaN and ±Infinity as null (gaps). */
  series: Record<string, (number | null)[]>;
}

export function readHistory(who: string, h: unknown, what = 'history'): ReadHistory {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw new ValueError(`${who}: ${what} must be a History, {epoch, history} or {name: number[]}, received ${fmtReceived(h)}`);
  const rec = h as Record<string, unknown>;
  const nested = typeof rec['history'] === 'object' && rec['history'] !== null && !Array.isArray(rec['history']);
  const logs = (nested ? rec['history'] : rec) as Record<string, unknown>;
  const names = Object.keys(logs).filter((k) => !(k === 'epoch' && !nested));
  if (names.length === 0) throw new ValueError(`${who}: ${what} is empty (no logged metric); was fit run?`);
  const series: Record<string, (number | null)[]> = {};
  let length = -1;
  for (const k of names) {
    const v = seriesValues(who, `${what}.${k}`, logs[k]);
    if (length >= 0 && v.length !== length) {
      throw new ValueError(`${who}: ${what} has series of different lengths: "${names[0]}" has ${length} epochs, "${k}" has ${v.length}`);
    }
    length = v.length;
    series[k] = v;
  }
  if (length === 0) throw new ValueError(`${who}: ${what} is empty (0 epochs); was fit run?`);
  let epochs = Array.from({ length }, (_, i) => i + 1);
  const e = nested ? rec['epoch'] : undefined;
  if (e !== undefined) {
    if (!isNumberList(e) || e.length !== length || !Array.from(e).every(Number.isInteger)) {
      throw new ValueError(`${who}: ${what}.epoch must be ${length} whole numbers (one per logged epoch), received ${fmtReceived(e)}`);
    }
    // A resumed run starts past 0 (initialEpoch): keep its numbering.
    epochs = Array.from(e, (x) => x + 1);
  }
  return { epochs, series };
}

/** The value names a plot may ask for, for an error message. */
export function available(series: Record<string, unknown>): string {
  return Object.keys(series).map((k) => `"${k}"`).join(', ');
}
