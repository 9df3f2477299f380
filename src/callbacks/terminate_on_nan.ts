/**
 * TerminateOnNaN (Keras's name): stops fit at the first step whose loss (or a gradient) is
 * NaN or Infinity, keeping the last finite weights. Keras's reads `logs.loss` after every
 * batch, which would be a read-back per step here; instead fit's non-finite guard (training/
 * finite.ts), which already skips such a step on the backend, stops at the first one when
 * this callback is present: from that step on nothing is applied, and when fit next reads its
 * counters (the progress bar, the epoch end at the latest) it calls `terminate` with the exact
 * batch, which prints Keras's message and sets `stopTraining`.
 */
import type { Callback, CallbackModel } from './callback.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { defaultStream, type ProgressStream } from './progbar.js';

export interface TerminateOnNaNOptions {
  /** [stdout, or console.log in a browser] where the message goes. */
  stream?: ProgressStream;
}

const TERMINATE_OPTIONS: OptionKeys<TerminateOnNaNOptions> = { stream: true };

export class TerminateOnNaN implements Callback {
  private model: CallbackModel | null = null;
  private readonly stream: ProgressStream;

  constructor(options: TerminateOnNaNOptions = {}) {
    checkOptions('TerminateOnNaN', options, TERMINATE_OPTIONS);
    this.stream = options.stream ?? defaultStream();
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  /** Called by fit once, with the (0-based) batch of the first non-finite step. */
  terminate(batch: number): void {
    this.stream.write(`Batch ${batch}: Invalid loss, terminating training\n`);
    if (this.model) this.model.stopTraining = true;
  }
}

/** `callbacks: [hb.callbacks.terminateOnNaN()]` */
export function terminateOnNaN(options: TerminateOnNaNOptions = {}): TerminateOnNaN {
  return new TerminateOnNaN(options);
}
