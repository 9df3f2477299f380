/**
 * Keras-style progress output for fit:
 *
 *   Epoch 3/30
 *   1719/1719 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - accuracy: 0.8754 - loss: 0.3571 - val_accuracy: ...
 *
 * On a terminal the line is redrawn in place at most every `intervalMs` (100 ms): metric
 * values are read back from the backend only on a redraw, so most batches cost no sync. When
 * the stream is not a terminal (a log file, CI) it writes one line per epoch instead.
 */
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Callback, LazyLogs, Logs, TrainingParams } from './callback.js';

/** Where the bar is written: `process.stdout` by default. */
export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgbarOptions {
  stream?: ProgressStream;
  /** Minimum time between redraws on a terminal [100 ms]. */
  intervalMs?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
  /** Force in-place redraws (true) or one line per epoch (false); default: stream.isTTY. */
  dynamic?: boolean;
}

const PROGBAR_OPTIONS: OptionKeys<ProgbarOptions> = { stream: true, intervalMs: true, now: true, dynamic: true };

const BAR_WIDTH = 20;

/**
 * process.stdout under Node; elsewhere (browsers) a stream that hands each finished line to
 * console.log, which cannot redraw in place.
 */
export function defaultStream(): ProgressStream {
  if (typeof process !== 'undefined' && process.stdout) return process.stdout;
  let pending = '';
  return {
    isTTY: false,
    write(s: string): boolean {
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) console.log(l);
      return true;
    },
  };
}

/** Keras formats metric values with 4 decimals, or in exponent form when tiny. */
export function formatValue(v: number): string {
  return Math.abs(v) > 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4);
}

/** Keras's order: training logs sorted by name, then the val_ ones sorted. */
export function formatLogs(logs: Logs): string {
  const keys = Object.keys(logs);
  const train = keys.filter((k) => !k.startsWith('val_')).sort();
  const val = keys.filter((k) => k.startsWith('val_')).sort();
  return [...train, ...val].map((k) => ` - ${k}: ${formatValue(logs[k] as number)}`).join('');
}

/** `1ms/step`, `250us/step`, `2s/step`. */
export function formatPerStep(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

/** Seconds as `7s`, or `1:02` / `1:02:03` beyond a minute (Keras's ETA format). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

/**
 * One progress line. `done`: the epoch is over (shows elapsed time rather than an ETA).
 * `ansi`: draw the unfinished part of the bar dim, as Keras does on a terminal.
 */
export function progressLine(current: number, target: number | null, elapsedS: number, logs: Logs, done: boolean, ansi: boolean): string {
  if (target === null) {
    // An unknown epoch length (a dataset's first pass), as Keras: `123/Unknown 4s 30ms/step`, no bar and no ETA.
    return `${String(current).padStart(7)}/Unknown ${formatDuration(elapsedS)} ${formatPerStep(current > 0 ? elapsedS / current : 0)}${formatLogs(logs)}`;
  }
  const width = String(target).length;
  const filled = target > 0 ? Math.min(BAR_WIDTH, Math.floor((BAR_WIDTH * current) / target)) : BAR_WIDTH;
  const bar = ansi
    ? `\x1b[1m${'━'.repeat(filled)}\x1b[0m\x1b[37m${'━'.repeat(BAR_WIDTH - filled)}\x1b[0m`
    : '━'.repeat(BAR_WIDTH);
  const perStep = current > 0 ? elapsedS / current : 0;
  const time = done ? formatDuration(elapsedS) : formatDuration(perStep * (target - current));
  return `${String(current).padStart(width)}/${target} ${bar} ${time} ${formatPerStep(perStep)}${formatLogs(logs)}`;
}

/** The fit progress logger (`verbose: 1` or `2`). */
export class ProgbarLogger implements Callback {
  private readonly stream: ProgressStream;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private dynamic: boolean;
  private params: TrainingParams = { epochs: 1, steps: 0, verbose: 1 };
  private epochStart = 0;
  private lastDraw = -Infinity;
  private lastLogs: Logs = {};
  private seen = 0;
  private target: number | null = 0; // batches per epoch; null until a dataset's first pass ends

  constructor(options: ProgbarOptions = {}) {
    checkOptions('ProgbarLogger', options, PROGBAR_OPTIONS);
    this.stream = options.stream ?? defaultStream();
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? (() => performance.now());
    this.dynamic = options.dynamic ?? this.stream.isTTY === true;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
    this.target = params.steps;
    // verbose 2 is Keras's "one line per epoch", terminal or not.
    if (params.verbose === 2) this.dynamic = false;
  }

  onEpochBegin(epoch: number): void {
    this.stream.write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
    this.epochStart = this.now();
    this.lastDraw = this.epochStart;
    this.lastLogs = {};
    this.seen = 0;
  }

  async onTrainBatchEnd(batch: number, logs: LazyLogs): Promise<void> {
    this.seen = batch + 1;
    if (!this.dynamic) return;
    const t = this.now();
    if (t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.lastLogs = await logs.read();
    const line = progressLine(this.seen, this.target, (t - this.epochStart) / 1000, this.lastLogs, false, true);
    this.stream.write(`\r${line}\x1b[K`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const elapsed = (this.now() - this.epochStart) / 1000;
    // After an epoch of unknown length its count is the target from then on (Keras does the same).
    if (this.target === null) this.target = this.seen;
    const steps = Math.max(this.seen, this.target);
    const line = progressLine(steps, this.target || steps, elapsed, logs, true, this.dynamic);
    this.stream.write(this.dynamic ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}
