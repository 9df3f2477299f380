/**
 * The one fit / evaluate / predict loop. Data goes to the backend once per call; each batch
 * runs in its own scope (step.ts); metric values come back to the host only when a callback
 * asks (the progress bar: ~10 times a second) and once per epoch.
 */
import { scope } from '../core/engine.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { Tensor } from '../core/tensor.js';
import { globalGenerator } from '../core/random.js';
import { tensor } from '../ops/creation.js';
import { concat, slice } from '../ops/movement.js';
import { gatherInRange } from '../ops/primitives.js';
import { CallbackList, lazyLogs, type Callback, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { currentLearningRate } from '../callbacks/lr_util.js';
import { ProgbarLogger, defaultStream, progressLine } from '../callbacks/progbar.js';
import type { Compiled, OutputInfo } from './compile.js';
import { DataSet, checkBatchSize, epochOrder, numBatches, type ModelData } from './data.js';
import { runTestStep, runTrainStep, withStepContext, type StepData, type TrainableModel } from './step.js';
import { checkMaxConsecutiveSkips, skipLogReader, skipMonitorFor } from './skip_logs.js';
import { TerminateOnNaN } from '../callbacks/terminate_on_nan.js';
import { LossTrackers } from './trackers.js';
import { checkClassIds, hasClassIdOutputs, withCheckedLabels } from './labels.js';
import { hostSampleWeights, type ClassWeight, type SampleWeightData } from './weights.js';
import { fitBackupOf } from './resume.js';

export interface FitOptions {
  /** [1] */
  epochs?: number;
  /** [32] */
  batchSize?: number;
  /** [1] 0 silent, 1 progress bar (one line per epoch when stdout is not a terminal), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  callbacks?: readonly Callback[];
  /** Fraction of the samples, taken from the END before shuffling (Keras), kept for validation. */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight]; takes precedence over validationSplit. */
  validationData?: readonly [ModelData, ModelData] | readonly [ModelData, ModelData, SampleWeightData];
  /** [true] reshuffle the training samples every epoch (hebb's global generator: `setSeed`). */
  shuffle?: boolean;
  /** [0] epoch to start counting from (resuming a run): runs epochs initialEpoch..epochs-1. */
  initialEpoch?: number;
  /** Weight of each class id in the loss (models with one output). */
  classWeight?: ClassWeight;
  /** One weight per training sample. */
  sampleWeight?: SampleWeightData;
  /** [batchSize] */
  validationBatchSize?: number;
  /**
   * [10] A step whose loss or gradients hold NaN or Infinity is skipped (weights and optimizer
   * state unchanged; `skipped_steps` in the logs); after this many skipped in a row, fit stops
   * with an error naming the epoch and the batch. A positive integer, or Infinity to never stop.
   */
  maxConsecutiveSkips?: number;
}

const FIT_OPTIONS: OptionKeys<FitOptions> = {
  epochs: true,
  batchSize: true,
  verbose: true,
  callbacks: true,
  validationSplit: true,
  validationData: true,
  shuffle: true,
  initialEpoch: true,
  classWeight: true,
  sampleWeight: true,
  validationBatchSize: true,
  maxConsecutiveSkips: true,
};

export interface EvaluateOptions {
  /** [32] */
  batchSize?: number;
  /** [1] as Keras: 1 or 2 print one line with the results, 0 is silent. */
  verbose?: 0 | 1 | 2;
  sampleWeight?: SampleWeightData;
  callbacks?: readonly Callback[];
  /** [false] Model.evaluate returns the logs keyed by name instead of a number or a list. */
  returnDict?: boolean;
}

const EVALUATE_OPTIONS: OptionKeys<EvaluateOptions> = { batchSize: true, verbose: true, sampleWeight: true, callbacks: true, returnDict: true };

export interface PredictOptions {
  /** [32] */
  batchSize?: number;
  /** [false] run layers in training mode (Monte Carlo dropout). */
  training?: boolean;
  callbacks?: readonly Callback[];
}

const PREDICT_OPTIONS: OptionKeys<PredictOptions> = { batchSize: true, training: true, callbacks: true };

/** What the loop needs beyond a TrainableModel: names and a build on real data. */
export interface LoopModel extends TrainableModel {
  /** Input names for this x (subclassed models name them from x's structure). */
  inputNamesFor(x: ModelData): string[];
  /** Builds the model if needed (a forward pass on `sample`) and describes its outputs. */
  outputInfo(sample: readonly Tensor[]): OutputInfo[];
  /** Declared input shapes (null dims: any), when known before data; null otherwise. */
  knownInputShapes?(): (readonly (number | null)[] | null)[] | null;
}

/** Converts x and checks it against the model's declared inputs. */
function inputData(op: string, arg: string, model: LoopModel, x: ModelData): DataSet {
  const names = model.inputNamesFor(x);
  const xs = DataSet.from(op, arg, x, names);
  try {
    xs.checkLengths(op, arg);
    const shapes = model.knownInputShapes?.();
    if (shapes) xs.checkShapes(op, arg, shapes, names);
  } catch (e) {
    xs.dispose();
    throw e;
  }
  return xs;
}

interface Prepared {
  xs: DataSet;
  ys: DataSet;
  sw: Tensor | null;
  dispose(): void;
}

/**
 * Converts and checks x, y and the sample weights of one call, all before any step runs: NaN
 * and Infinity (on the backend), class ids against the outputs (labels.ts), sample and class
 * weights (weights.ts).
 */
async function prepare(op: string, model: LoopModel, compiled: Compiled, x: ModelData, y: ModelData, sampleWeight?: SampleWeightData, classWeight?: ClassWeight, argPrefix = ''): Promise<{ p: Prepared; outputs: OutputInfo[] }> {
  const xName = argPrefix ? `${argPrefix}[0]` : 'x';
  const yName = argPrefix ? `${argPrefix}[1]` : 'y';
  const xs = inputData(op, xName, model, x);
  let ys: DataSet | null = null;
  let sw: Tensor | null = null;
  try {
    if (xs.length === 0) throw new ValueError(`${op}: ${xName} has no samples`);
    const outputs = scope(() => model.outputInfo(xs.range(0, 1)));
    ys = DataSet.from(op, yName, y, outputs.map((o) => o.name));
    ys.checkLengths(op, yName);
    if (xs.length !== ys.length) throw new ValueError(`${op}: ${xName} has ${xs.length} samples but ${yName} has ${ys.length}; expected the same number`);
    const resolved = compiled.resolve(outputs);
    await xs.checkFinite(op, xName, false);
    // y's host copy only when class ids must be checked or classWeight needs the labels;
    // otherwise y is checked on the backend too.
    const yHost = await ys.checkFinite(op, yName, classWeight !== undefined || hasClassIdOutputs(resolved));
    checkClassIds(op, yName, ys.tensors, yHost, resolved, outputs);
    const w = await hostSampleWeights(op, xs.length, sampleWeight, classWeight, yHost.map((host, i) => ({ host, shape: (ys as DataSet).tensors[i]?.shape ?? [] })), {
      outputShape: outputs[0]?.shape,
      sampleWeightName: argPrefix ? `${argPrefix}[2]` : 'sampleWeight',
    });
    sw = w ? tensor(w, [w.length]) : null;
    const ysFinal = ys;
    return { p: { xs, ys: ysFinal, sw, dispose: () => { xs.dispose(); ysFinal.dispose(); sw?.dispose(); } }, outputs };
  } catch (e) {
    xs.dispose();
    ys?.dispose();
    sw?.dispose();
    throw e;
  }
}

/** Batch tensors for samples [start, start + size): views, no copy. */
function batchOf(d: Prepared, start: number, size: number): { x: Tensor[]; y: Tensor[]; sw: Tensor | null } {
  return { x: d.xs.range(start, size), y: d.ys.range(start, size), sw: d.sw ? slice(d.sw, [start], [size]) : null };
}

/**
 * One epoch's batches. Shuffled, the epoch's order goes to the backend once (n int32s) and each
 * batch gathers its own rows (x, y, sample weights) when it runs, so the data set is never
 * copied whole: only one batch-sized copy exists at a time, in buffers the backend's pool hands
 * back every step. (A whole-epoch gather is one kernel per epoch instead of a few per step, but
 * it holds a second full copy of the data set until the epoch ends, and wasm memory never
 * shrinks, so that copy would stay in the process's footprint.) In stored order, a batch is a
 * slice: views, no copy at all.
 */
class EpochBatches {
  private readonly order: Tensor | null;

  constructor(private readonly d: Prepared, perm: Int32Array | null) {
    this.order = perm ? tensor(perm, [perm.length], 'int32') : null;
  }

  /** Samples [start, start + size) of the epoch's order; call inside the step's scope. */
  batch(start: number, size: number): { x: Tensor[]; y: Tensor[]; sw: Tensor | null } {
    if (!this.order) return batchOf(this.d, start, size);
    const idx = slice(this.order, [start], [size]);
    return { x: this.d.xs.take(idx), y: this.d.ys.take(idx), sw: this.d.sw ? gatherInRange(this.d.sw, idx, 0) : null };
  }

  dispose(): void {
    this.order?.dispose();
  }
}

function checkEpochs(op: string, epochs: number, initialEpoch: number): void {
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError(`${op}: epochs must be a non-negative integer, received ${fmtReceived(epochs)}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new ValueError(`${op}: initialEpoch must be a non-negative integer, received ${fmtReceived(initialEpoch)}`);
}

/** A batch as the steps take it. */
function stepData(batch: { x: Tensor[]; y: Tensor[]; sw: Tensor | null }): StepData {
  return { x: batch.x, y: batch.y, sampleWeight: batch.sw };
}

/** Runs the evaluation loop over prepared data; returns the logs (metrics are reset first). */
async function evaluateLoop(model: LoopModel, compiled: Compiled, d: Prepared, batchSize: number, cbs: CallbackList | null): Promise<Logs> {
  const outputs = withCheckedLabels(compiled.outputs ?? []); // prepare checked every label
  compiled.resetMetrics();
  const trackers = new LossTrackers(compiled);
  try {
    return await withStepContext(model, { outputs, trackers, runner: null, skips: null }, async () => {
      const n = d.xs.length;
      const steps = numBatches(n, batchSize);
      await cbs?.call('onTestBegin');
      for (let b = 0; b < steps; b++) {
        const start = b * batchSize;
        scope(() => runTestStep(model, stepData(batchOf(d, start, Math.min(batchSize, n - start)))));
        if (cbs?.has('onTestBatchEnd')) await cbs.call('onTestBatchEnd', b, lazyLogs(() => trackers.readLogs()));
      }
      const logs = await trackers.readLogs();
      await cbs?.call('onTestEnd', logs);
      return logs;
    });
  } finally {
    trackers.dispose();
  }
}

export async function fitLoop(model: LoopModel, compiled: Compiled, x: ModelData, y: ModelData, options: FitOptions = {}): Promise<History> {
  checkOptions('fit', options, FIT_OPTIONS);
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const initialEpoch = options.initialEpoch ?? 0;
  const verbose = options.verbose ?? 1;
  const shuffle = boolOption('fit', 'shuffle', options.shuffle, true);
  checkBatchSize('fit', batchSize);
  const validationBatchSize = options.validationBatchSize ?? batchSize;
  checkBatchSize('fit', validationBatchSize, 'validationBatchSize');
  checkEpochs('fit', epochs, initialEpoch);
  const maxConsecutiveSkips = checkMaxConsecutiveSkips(options.maxConsecutiveSkips);
  const split = options.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new ValueError(`fit: validationSplit must be in [0, 1), received ${fmtReceived(split)}`);

  const { p: all } = await prepare('fit', model, compiled, x, y, options.sampleWeight, options.classWeight);
  let train: Prepared = all;
  let val: Prepared | null = null;
  try {
    if (options.validationData) {
      const [vx, vy, vsw] = options.validationData;
      val = (await prepare('fit', model, compiled, vx, vy, vsw, undefined, 'validationData')).p;
    } else if (split > 0) {
      const xsSplit = all.xs.splitLast('fit', split);
      const ysSplit = all.ys.splitLast('fit', split);
      const at = xsSplit.train.length;
      const swTrain = all.sw ? slice(all.sw, [0], [at]) : null;
      // Keras weights validation samples by sampleWeight only: classWeight is a training device.
      let swVal: Tensor | null = null;
      if (options.classWeight === undefined) {
        swVal = all.sw ? slice(all.sw, [at], [all.xs.length - at]) : null;
      } else if (options.sampleWeight !== undefined) {
        const w = (await hostSampleWeights('fit', all.xs.length, options.sampleWeight, undefined, [])) as Float32Array;
        swVal = tensor(w.subarray(at), [all.xs.length - at]);
      }
      train = { xs: xsSplit.train, ys: ysSplit.train, sw: swTrain, dispose: () => { xsSplit.train.dispose(); ysSplit.train.dispose(); swTrain?.dispose(); } };
      val = { xs: xsSplit.val, ys: ysSplit.val, sw: swVal, dispose: () => { xsSplit.val.dispose(); ysSplit.val.dispose(); swVal?.dispose(); } };
    }

    const outputs = withCheckedLabels(compiled.outputs ?? []); // prepare checked every label
    const runner = compiled.runnerFor(compiled.trainableWeightsOf(model));
    if (runner.params.length === 0) throw new ValueError(`fit: model "${model.name}" has no trainable weights`);
    const history = new History();
    const cbs = new CallbackList([...(verbose > 0 ? [new ProgbarLogger()] : []), ...(options.callbacks ?? []), history]);
    const n = train.xs.length;
    const steps = numBatches(n, batchSize);
    cbs.setModel(model);
    cbs.setParams({ epochs, steps, verbose });
    const rng = shuffle ? globalGenerator() : null;
    const trackers = new LossTrackers(compiled);
    const skipOptions = { modelName: model.name, epochs, steps, initialEpoch, maxConsecutiveSkips, terminators: cbs.callbacks.filter((c) => c instanceof TerminateOnNaN) };
    const skips = skipMonitorFor(skipOptions);
    const readLogs = skipLogReader(trackers, skips, skipOptions);
    const backup = fitBackupOf(cbs.callbacks); // backupAndRestore (resume.ts)
    model.stopTraining = false;
    let lastLogs: Logs = {};
    try {
      await withStepContext(model, { outputs, trackers, runner, skips }, async () => {
        await cbs.call('onTrainBegin');
        const resume = backup ? await backup.resume({ model, compiled, runner, trackers, skips, callbacks: cbs.callbacks, epochs, steps, samples: n }) : null;
        if (resume) lastLogs = resume.lastLogs;
        for (let epoch = resume?.epoch ?? initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
          compiled.resetMetrics();
          trackers.reset();
          skips.resetEpoch();
          await cbs.call('onEpochBegin', epoch);
          const wantBatchBegin = cbs.has('onTrainBatchBegin');
          const wantBatchEnd = cbs.has('onTrainBatchEnd');
          // A run resumed mid-epoch finishes that epoch in its saved order, from the saved batch on.
          const from = resume?.epoch === epoch ? resume.batch : 0;
          if (resume && from > 0) resume.restoreEpoch();
          const order = resume && from > 0 ? resume.order : epochOrder(n, shuffle, rng);
          const data = new EpochBatches(train, order);
          try {
            for (let b = from; b < steps; b++) {
              if (wantBatchBegin) await cbs.call('onTrainBatchBegin', b);
              const start = b * batchSize;
              scope(() => runTrainStep(model, stepData(data.batch(start, Math.min(batchSize, n - start)))));
              if (wantBatchEnd) await cbs.call('onTrainBatchEnd', b, lazyLogs(readLogs));
              await backup?.afterBatch(epoch, b, order);
              if (model.stopTraining) break;
            }
          } finally {
            data.dispose();
          }
          const logs = await readLogs();
          if (val) {
            const vLogs = await evaluateLoop(model, compiled, val, validationBatchSize, null);
            for (const [k, v] of Object.entries(vLogs)) logs[`val_${k}`] = v;
          }
          const lr = currentLearningRate(compiled.optimizer, runner.iterations);
          if (lr !== undefined) logs['learning_rate'] = lr;
          lastLogs = logs;
          await cbs.call('onEpochEnd', epoch, logs);
          await backup?.afterEpoch(epoch, logs);
        }
        await cbs.call('onTrainEnd', lastLogs);
        await backup?.completed();
      });
    } finally {
      trackers.dispose();
      skips.dispose();
    }
    return history;
  } finally {
    if (train !== all) train.dispose();
    val?.dispose();
    all.dispose();
  }
}

/** Keras's evaluate: the logs of one pass over the data (metrics reset first). */
export async function evaluateData(model: LoopModel, compiled: Compiled, x: ModelData, y: ModelData, options: EvaluateOptions = {}): Promise<Logs> {
  checkOptions('evaluate', options, EVALUATE_OPTIONS);
  const batchSize = options.batchSize ?? 32;
  checkBatchSize('evaluate', batchSize);
  const { p } = await prepare('evaluate', model, compiled, x, y, options.sampleWeight);
  try {
    const cbs = new CallbackList(options.callbacks ?? []);
    cbs.setModel(model);
    const t0 = performance.now();
    const logs = await evaluateLoop(model, compiled, p, batchSize, cbs);
    if ((options.verbose ?? 1) > 0) {
      const steps = numBatches(p.xs.length, batchSize);
      defaultStream().write(`${progressLine(steps, steps, (performance.now() - t0) / 1000, logs, true, false)}\n`);
    }
    return logs;
  } finally {
    p.dispose();
  }
}

/** Outputs for every sample, batch by batch: one tensor per model output. */
export async function predictLoop(model: LoopModel, x: ModelData, options: PredictOptions = {}): Promise<Tensor[]> {
  checkOptions('predict', options, PREDICT_OPTIONS);
  const batchSize = options.batchSize ?? 32;
  checkBatchSize('predict', batchSize);
  const training = boolOption('predict', 'training', options.training, false);
  const xs = inputData('predict', 'x', model, x);
  const pieces: Tensor[][] = [];
  try {
    const n = xs.length;
    if (n === 0) throw new ValueError('predict: x has no samples');
    scope(() => model.outputInfo(xs.range(0, 1)));
    const cbs = new CallbackList(options.callbacks ?? []);
    cbs.setModel(model);
    await cbs.call('onPredictBegin');
    for (let b = 0, start = 0; start < n; b++, start += batchSize) {
      const out = scope(() => model.forward(xs.range(start, Math.min(batchSize, n - start)), training));
      pieces.push(out);
      if (cbs.has('onPredictBatchEnd')) await cbs.call('onPredictBatchEnd', b);
    }
    await cbs.call('onPredictEnd');
    const nOut = (pieces[0] as Tensor[]).length;
    const result: Tensor[] = [];
    for (let k = 0; k < nOut; k++) {
      const parts = pieces.map((p) => p[k] as Tensor);
      result.push(parts.length === 1 ? (parts[0] as Tensor) : concat(parts, 0));
    }
    return result;
  } finally {
    if (pieces.length > 1) for (const p of pieces) for (const t of p) t.dispose();
    xs.dispose();
  }
}
