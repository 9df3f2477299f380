/**
 * ModelCheckpoint, Keras 3 semantics: save the model (`model.save`) or its weights
 * (`model.saveWeights`) at the end of every epoch or every `saveFreq` training batches, to a
 * path formatted from the epoch and the logs: `'ckpt/{epoch:02d}-{val_loss:.4f}'` (Python's
 * `str.format`: `{epoch}` counts from 1; `{batch}`, from 1, in batch-level saves; see
 * python_format.ts for the specs). Saves are hebb's directories, written atomically, so a
 * path names a directory and needs no `.keras` / `.weights.h5` ending; in a page it is a URL
 * model.save takes (`indexeddb://ckpt-{epoch}`), or an IOHandler that receives every save.
 *
 * With `saveBestOnly`, a save happens only when `monitor` improves on the best value so far
 * (strictly: `<` in mode 'min', `>` in 'max'; 'auto' as EarlyStopping decides, monitor.ts),
 * starting from `initialValueThreshold` or ±∞. The best value is kept across fits, as Keras
 * keeps it. A path without placeholders is overwritten by each better model. When `monitor`
 * is not in the logs, it warns (once) and saves nothing, as tf.keras and Keras 3 before its
 * MonitorCallback did (recent Keras 3 saves anyway: a "best only" file that is not the best
 * seemed the worse surprise).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { improves, resolveMode, type MonitorMode } from './monitor.js';
import { pyFormat, templateFields, type PyNumber } from './python_format.js';
import type { Callback, CallbackModel, LazyLogs, Logs } from './callback.js';
import { stateCount, stateNumber, type SavedState } from '../core/saved_state.js';
import type { IOHandler } from '../io/model_io/artifacts.js';

export interface ModelCheckpointOptions {
  /**
   * Where to save: a directory, or a URL model.save takes (`indexeddb://best-{epoch}`,
   * `localstorage://…`, `downloads://…`), which may hold `{epoch}`, `{batch}` and log-key
   * placeholders; or an IOHandler, which gets every save.
   */
  filepath: string | IOHandler;
  /** ['val_loss'] the quantity `saveBestOnly` watches. */
  monitor?: string;
  /** [0] 1 prints a line for each decision. */
  verbose?: 0 | 1;
  /** [false] save only when `monitor` improves. */
  saveBestOnly?: boolean;
  /** [false] save the weights alone (`model.saveWeights`) instead of the whole model (`model.save`). */
  saveWeightsOnly?: boolean;
  /** ['auto'] whether improving means 'min' or 'max'; 'auto' picks 'max' for accuracy-like names. */
  mode?: MonitorMode;
  /** ['epoch'] save at each epoch end, or every n training batches (counted across epochs). */
  saveFreq?: 'epoch' | number;
  /** [null] the best value to beat before the first save (saveBestOnly). */
  initialValueThreshold?: number | null;
}

const MODEL_CHECKPOINT_OPTIONS: OptionKeys<ModelCheckpointOptions> = {
  filepath: true,
  monitor: true,
  verbose: true,
  saveBestOnly: true,
  saveWeightsOnly: true,
  mode: true,
  saveFreq: true,
  initialValueThreshold: true,
};

/** What the callback needs beyond CallbackModel: hebb's Model has both. */
interface SavableModel extends CallbackModel {
  save(path: string | IOHandler): Promise<void>;
  saveWeights(path: string | IOHandler): Promise<void>;
}

function isSavable(model: CallbackModel): model is SavableModel {
  return 'save' in model && typeof model.save === 'function' && 'saveWeights' in model && typeof model.saveWeights === 'function';
}

const WHO = 'ModelCheckpoint';

export class ModelCheckpoint implements Callback {
  readonly filepath: string;
  /** The IOHandler given as filepath (then filepath is only its label), or null. */
  readonly handler: IOHandler | null;
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: 'min' | 'max';
  /** 'epoch', or the number of training batches between saves. */
  readonly saveFreq: 'epoch' | number;
  /** The best monitored value so far (saveBestOnly); starts at initialValueThreshold or ±∞. */
  best: number;
  private model: SavableModel | null = null;
  private currentEpoch = 0;
  private batchesSinceSave = 0;
  private lastBatch = 0;
  private warned = false;

  constructor(options: ModelCheckpointOptions) {
    checkOptions(WHO, options, MODEL_CHECKPOINT_OPTIONS);
    const { filepath, monitor = 'val_loss', verbose = 0, saveBestOnly = false, saveWeightsOnly = false, saveFreq = 'epoch', initialValueThreshold = null } = options;
    const handler = typeof filepath === 'object' && filepath !== null && typeof filepath.save === 'function' ? filepath : null;
    if (handler === null && (typeof filepath !== 'string' || filepath === '')) {
      throw new ValueError(`${WHO}: filepath must be a non-empty string or an IOHandler with a save method, received ${fmtReceived(filepath)}`);
    }
    if (typeof filepath === 'string') templateFields(filepath, WHO); // a bad placeholder is an error now, not after the first epoch
    if (typeof monitor !== 'string' || monitor === '') throw new ValueError(`${WHO}: monitor must be a non-empty string, received ${fmtReceived(monitor)}`);
    if (verbose !== 0 && verbose !== 1) throw new ValueError(`${WHO}: verbose must be 0 or 1, received ${fmtReceived(verbose)}`);
    if (typeof saveBestOnly !== 'boolean') throw new ValueError(`${WHO}: saveBestOnly must be a boolean, received ${fmtReceived(saveBestOnly)}`);
    if (typeof saveWeightsOnly !== 'boolean') throw new ValueError(`${WHO}: saveWeightsOnly must be a boolean, received ${fmtReceived(saveWeightsOnly)}`);
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw new ValueError(`${WHO}: saveFreq must be 'epoch' or a positive integer (batches), received ${fmtReceived(saveFreq)}`);
    }
    if (initialValueThreshold !== null && typeof initialValueThreshold !== 'number') {
      throw new ValueError(`${WHO}: initialValueThreshold must be a number or null, received ${fmtReceived(initialValueThreshold)}`);
    }
    this.filepath = typeof filepath === 'string' ? filepath : 'the IOHandler';
    this.handler = handler;
    this.monitor = monitor;
    this.verbose = verbose;
    this.saveBestOnly = saveBestOnly;
    this.saveWeightsOnly = saveWeightsOnly;
    this.mode = resolveMode(WHO, options.mode ?? 'auto', monitor);
    this.saveFreq = saveFreq;
    this.best = initialValueThreshold ?? (this.mode === 'min' ? Infinity : -Infinity);
  }

  setModel(model: CallbackModel): void {
    if (!isSavable(model)) throw new ValueError(`${WHO}: the model has no save / saveWeights methods (fit passes a hebb Model)`);
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  async onTrainBatchEnd(batch: number, logs: LazyLogs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    // Keras's count: a batch index not above the last one seen starts a new epoch.
    this.batchesSinceSave += batch <= this.lastBatch ? batch + 1 : batch - this.lastBatch;
    this.lastBatch = batch;
    if (this.batchesSinceSave < this.saveFreq) return;
    this.batchesSinceSave = 0;
    await this.save(this.currentEpoch, batch, await logs.read());
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save(epoch, null, logs);
  }

  /** The path for a save at `epoch` (from 0) and, for batch-level saves, `batch` (from 0). */
  filePath(epoch: number, batch: number | null, logs: Logs): string {
    const values: Record<string, PyNumber> = { ...logs, epoch: BigInt(epoch + 1) };
    if (batch !== null && !('batch' in logs)) values['batch'] = BigInt(batch + 1);
    return pyFormat(this.filepath, values, WHO);
  }

  private async save(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const model = this.model;
    if (!model) return;
    const path = this.handler ? this.filepath : this.filePath(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, path)) return;
    const target = this.handler ?? path;
    if (this.saveWeightsOnly) await model.saveWeights(target);
    else await model.save(target);
  }

  /** The best value so far and the batch count since the last batch-level save. */
  getState(): SavedState {
    return { values: { best: this.best, batchesSinceSave: this.batchesSinceSave, lastBatch: this.lastBatch }, tensors: {} };
  }

  setState(state: SavedState): void {
    const best = stateNumber(WHO, state, 'best');
    const batchesSinceSave = stateCount(WHO, state, 'batchesSinceSave');
    this.lastBatch = stateCount(WHO, state, 'lastBatch');
    this.best = best;
    this.batchesSinceSave = batchesSinceSave;
  }

  private shouldSave(epoch: number, logs: Logs, path: string): boolean {
    const say = (msg: string): void => {
      if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${msg}`);
    };
    if (!this.saveBestOnly) {
      say(`saving model to ${path}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(`${WHO}: can save best model only with "${this.monitor}" available (logs: ${Object.keys(logs).join(', ')}); skipping`);
      this.warned = true;
      return false;
    }
    const f5 = (v: number): string => pyFormat('{v:.5f}', { v });
    if (improves(this.mode, current, this.best, 0)) {
      say(`${this.monitor} improved from ${f5(this.best)} to ${f5(current)}, saving model to ${path}`);
      this.best = current;
      return true;
    }
    say(`${this.monitor} did not improve from ${f5(this.best)}`);
    return false;
  }
}

export const modelCheckpoint = (options: ModelCheckpointOptions): ModelCheckpoint => new ModelCheckpoint(options);
