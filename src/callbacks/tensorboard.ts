/**
 * TensorBoard, Keras 3 semantics, writing TensorBoard's event files itself (no TensorFlow):
 *
 * - `logDir/train` and `logDir/validation`, one event file each per fit (the validation one
 *   only once there are `val_` logs, as Keras creates its writers lazily).
 * - At each epoch end, every log `k` as scalar `epoch_k` at step = epoch (from 0); `val_k`
 *   goes to the validation directory as `epoch_k`. fit logs `learning_rate`, so
 *   `epoch_learning_rate` is there.
 * - `updateFreq` 'batch' or n: the batch logs as `batch_k` every n training batches, at step =
 *   batches since the fit began (from 1), Keras's `_global_train_batch`.
 * - `histogramFreq` n > 0: every weight as the histogram `<weight name>/histogram` at epochs
 *   0, n, 2n... (Keras's `epoch % histogram_freq == 0`), in the train directory.
 * - `writeGraph`: Keras writes a GraphDef, which needs a TensorFlow graph hebb does not have;
 *   what it also writes, its `keras_model_summary` (tag "keras", plugin "graph_keras_model",
 *   step 0: the model's JSON, read by TensorBoard's conceptual-graph view), hebb writes for
 *   Sequential and Functional models, with the config's keys in Keras's snake_case.
 *
 * Scalars are rank-0 float32 tensors for the "scalars" plugin, the form Keras / TF2 write
 * (TensorBoard's data_compat converts the legacy `simple_value` to the same). Files are
 * appended at every epoch end and fsynced and closed at train end; in between, summaries are
 * only encoded in memory. Not written: Keras's `evaluation_<k>_vs_iterations` (fit does not
 * call the test hooks and callbacks cannot see the step counter), images, profiles,
 * embeddings, steps per second. Node only: in a page, fit fails at train begin.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { dispose } from '../core/engine.js';
import { Variable } from '../core/tensor.js';
import { nodeHost, type NodeHost } from '../io/node_host.js';
import { EventFileWriter } from './tensorboard_writer.js';
import type { Callback, CallbackModel, LazyLogs, Logs } from './callback.js';

export interface TensorBoardOptions {
  /** ['logs'] the run's directory; `train/` and `validation/` are made under it. */
  logDir?: string;
  /** [0] epochs between weight histograms; 0 writes none. */
  histogramFreq?: number;
  /** [true] write the model's config for TensorBoard's graph view (see above). */
  writeGraph?: boolean;
  /** ['epoch'] 'batch' (= 1) or n also writes the batch logs every n batches. */
  updateFreq?: 'epoch' | 'batch' | number;
}

const TENSORBOARD_OPTIONS: OptionKeys<TensorBoardOptions> = { logDir: true, histogramFreq: true, writeGraph: true, updateFreq: true };

export class TensorBoard implements Callback {
  readonly logDir: string;
  readonly histogramFreq: number;
  readonly writeGraph: boolean;
  /** 'epoch', or the number of batches between batch-level writes. */
  readonly updateFreq: 'epoch' | number;
  private model: CallbackModel | null = null;
  private host: NodeHost | null = null;
  private train: EventFileWriter | null = null;
  private val: EventFileWriter | null = null;
  private globalBatch = 0;

  constructor(options: TensorBoardOptions = {}) {
    checkOptions('TensorBoard', options, TENSORBOARD_OPTIONS);
    const { logDir = 'logs', histogramFreq = 0, writeGraph = true, updateFreq = 'epoch' } = options;
    if (typeof logDir !== 'string' || logDir === '') throw new ValueError(`TensorBoard: logDir must be a non-empty string, received ${fmtReceived(logDir)}`);
    if (!Number.isInteger(histogramFreq) || histogramFreq < 0) {
      throw new ValueError(`TensorBoard: histogramFreq must be a non-negative integer, received ${fmtReceived(histogramFreq)}`);
    }
    if (typeof writeGraph !== 'boolean') throw new ValueError(`TensorBoard: writeGraph must be a boolean, received ${fmtReceived(writeGraph)}`);
    const freq = updateFreq === 'batch' ? 1 : updateFreq;
    if (freq !== 'epoch' && !(Number.isInteger(freq) && freq > 0)) {
      throw new ValueError(`TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer, received ${fmtReceived(updateFreq)}`);
    }
    this.logDir = logDir;
    this.histogramFreq = histogramFreq;
    this.writeGraph = writeGraph;
    this.updateFreq = freq;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  async onTrainBegin(): Promise<void> {
    const host = (this.host ??= nodeHost('TensorBoard'));
    await this.closeWriters(); // a previous fit that ended by an error left them open
    this.globalBatch = 0;
    this.train = new EventFileWriter(host, host.path.join(this.logDir, 'train'));
    const json = this.writeGraph && this.model ? kerasModelJson(this.model) : null;
    if (json !== null) this.train.kerasModel('keras', json, 0);
    await this.train.flush();
  }

  async onTrainBatchEnd(_batch: number, logs: LazyLogs): Promise<void> {
    this.globalBatch++;
    const train = this.train;
    if (this.updateFreq === 'epoch' || this.globalBatch % this.updateFreq !== 0 || !train) return;
    for (const [k, v] of Object.entries(await logs.read())) train.scalar(`batch_${k}`, v, this.globalBatch);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const { train, host } = this;
    if (!train || !host) return;
    for (const [k, v] of Object.entries(logs)) {
      if (!k.startsWith('val_')) {
        train.scalar(`epoch_${k}`, v, epoch);
      } else {
        this.val ??= new EventFileWriter(host, host.path.join(this.logDir, 'validation'));
        this.val.scalar(`epoch_${k.slice(4)}`, v, epoch);
      }
    }
    const lr = this.model?.optimizer?.learningRate;
    if (!('learning_rate' in logs) && typeof lr === 'number') train.scalar('epoch_learning_rate', lr, epoch);
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0 && this.model) await this.logWeights(train, this.model, epoch);
    await Promise.all([train.flush(), this.val?.flush()]);
  }

  async onTrainEnd(): Promise<void> {
    await this.closeWriters();
  }

  private async logWeights(w: EventFileWriter, model: CallbackModel, epoch: number): Promise<void> {
    const vars = modelVariables(model);
    if (vars) {
      for (const v of vars) w.histogram(`${v.name.replace(/:/g, '_')}/histogram`, await v.data(), epoch);
      return;
    }
    // A model without named weights: its weights in getWeights order.
    const copies = model.getWeights();
    try {
      for (const [i, t] of copies.entries()) w.histogram(`weight_${i}/histogram`, await t.data(), epoch);
    } finally {
      dispose(copies);
    }
  }

  private async closeWriters(): Promise<void> {
    const writers = [this.train, this.val];
    this.train = null;
    this.val = null;
    for (const w of writers) await w?.close();
  }
}

export const tensorBoard = (options?: TensorBoardOptions): TensorBoard => new TensorBoard(options);

/** A hebb Model's variables (CallbackModel only promises getWeights, which copies and has no names). */
function modelVariables(model: CallbackModel): Variable[] | null {
  const w: unknown = Reflect.get(model, 'weights');
  return Array.isArray(w) ? w.filter((v): v is Variable => v instanceof Variable) : null;
}

/** Keras's `model.to_json()` shape, for the models Keras writes it for (Sequential, Functional). */
function kerasModelJson(model: CallbackModel): string | null {
  const className: unknown = Reflect.get(model, 'className');
  const getConfig: unknown = Reflect.get(model, 'getConfig');
  if ((className !== 'Sequential' && className !== 'Functional') || typeof getConfig !== 'function') return null;
  const config: unknown = getConfig.call(model);
  return JSON.stringify({ class_name: className, config: snakeKeys(config) });
}

/** hebb's camelCase config keys as Keras's snake_case (`batchShape` -> `batch_shape`). */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = snakeKeys(v);
  return out;
}
