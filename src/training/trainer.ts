/**
 * The one fit / evaluate / predict loop, over a BatchSource (batch_source.ts): arrays in memory
 * (array_source.ts: the data goes to the backend once per call) or a stream of batches, a
 * hb.data Dataset or any (async) iterable (stream_source.ts: one batch at a time). Each batch
 * runs in its own scope (step.ts); metric values come back to the host only when a callback
 * asks (the progress bar: ~10 times a second) and once per epoch.
 */
import { scope } from '../core/engine.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { boolOption, positiveInt } from '../core/option_values.js';
import { checkOptions } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import { globalGenerator } from '../core/random.js';
import { tensor } from '../ops/creation.js';
import { concat, slice } from '../ops/movement.js';
import { CallbackList, lazyLogs, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { currentLearningRate } from '../callbacks/lr_util.js';
import { ProgbarLogger, defaultStream, progressLine } from '../callbacks/progbar.js';
import type { Compiled } from './compile.js';
import { checkBatchSize, type ModelData } from './data.js';
import { runTestStep, runTrainStep, withStepContext, type StepData } from './step.js';
import { StepCapture, captureOption } from '../capture/capture.js';
import { checkMaxConsecutiveSkips, skipLogReader, skipMonitorFor } from './skip_logs.js';
import { TerminateOnNaN } from '../callbacks/terminate_on_nan.js';
import { LossTrackers } from './trackers.js';
import { withCheckedLabels } from './labels.js';
import { hostSampleWeights, type SampleWeightData } from './weights.js';
import { fitBackupOf } from './resume.js';
import { ArraySource, inputData, prepare, type Prepared } from './array_source.js';
import type { BatchSource, LoopModel } from './batch_source.js';
import { StreamSource, isBatchStream, type BatchStream } from './stream_source.js';
import { EVALUATE_OPTIONS, FIT_OPTIONS, PREDICT_OPTIONS, type EvaluateOptions, type FitOptions, type PredictOptions } from './loop_options.js';

export type { FitOptions, EvaluateOptions, PredictOptions } from './loop_options.js';
export type { LoopModel } from './batch_source.js';
export { isBatchStream, type BatchStream } from './stream_source.js';

function checkEpochs(op: string, epochs: number, initialEpoch: number): void {
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError(`${op}: epochs must be a non-negative integer, received ${fmtReceived(epochs)}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new ValueError(`${op}: initialEpoch must be a non-negative integer, received ${fmtReceived(initialEpoch)}`);
}

/** Options that make no sense with a dataset (its batches are made): an error naming each. */
function refuseWithStream(op: string, options: object, names: readonly string[]): void {
  const rec = options as Record<string, unknown>;
  const given = names.filter((k) => rec[k] !== undefined);
  if (given.length > 0) {
    throw new ValueError(
      `${op}: ${given.join(', ')} cannot be used with a dataset: its batches are already made (batch, shuffle and split them in the pipeline: dataset.shuffle(n).batch(n); weigh samples with [x, y, sampleWeight] batches)`,
    );
  }
}

/** `steps`-style options apply to datasets only. */
function refuseWithArrays(op: string, options: object, names: readonly string[]): void {
  const rec = options as Record<string, unknown>;
  for (const k of names) if (rec[k] !== undefined) throw new ValueError(`${op}: ${k} applies to a dataset; with arrays a pass is every sample (batchSize a batch)`);
}

const stepsOption = (op: string, name: string, v: number | undefined): number | null => (v === undefined ? null : positiveInt(op, name, v));

/** A step's batch tensors, in the order a captured plan binds them: x, then y, then the sample weights. */
function stepInputs(d: StepData): Tensor[] {
  return d.sampleWeight ? [...d.x, ...d.y, d.sampleWeight] : [...d.x, ...d.y];
}

/** The part of a step's signature the tensors do not show: how many are x and y. */
const stepShape = (d: StepData): string => `:${d.x.length},${d.y.length},${d.sampleWeight ? 1 : 0}`;

/** Runs the evaluation loop over a source; returns the logs (metrics are reset first). */
async function evaluateLoop(model: LoopModel, compiled: Compiled, source: BatchSource, cbs: CallbackList | null, capture: boolean): Promise<{ logs: Logs; steps: number }> {
  // Arrays had every label checked before the loop; a stream's labels are checked by the loss, each step.
  const outputs = source.labelsChecked ? withCheckedLabels(compiled.outputs ?? []) : [...(compiled.outputs ?? [])];
  compiled.resetMetrics();
  const trackers = new LossTrackers(compiled);
  const cap = new StepCapture(model, 'test', capture);
  try {
    return await withStepContext(model, { outputs, trackers, runner: null, skips: null }, async () => {
      await cbs?.call('onTestBegin');
      const cursor = source.epoch(null);
      let ran = 0;
      try {
        for (let b = 0; ; b++) {
          const batch = await cursor.next(b);
          if (batch === null) break;
          scope(() => {
            const d = batch();
            cap.step(stepInputs(d), stepShape(d), () => runTestStep(model, d));
          });
          ran = b + 1;
          if (cbs?.has('onTestBatchEnd')) await cbs.call('onTestBatchEnd', b, lazyLogs(() => trackers.readLogs()));
        }
        await cursor.finish(ran);
      } finally {
        await cursor.close();
      }
      const logs = await trackers.readLogs();
      await cbs?.call('onTestEnd', logs);
      return { logs, steps: ran };
    });
  } finally {
    cap.dispose();
    trackers.dispose();
  }
}

/** fit's training and validation sources, from arrays or datasets. */
async function fitSources(model: LoopModel, compiled: Compiled, x: ModelData | BatchStream, y: ModelData | undefined, options: FitOptions, batchSize: number, shuffle: boolean): Promise<{ train: BatchSource; val: BatchSource | null }> {
  const split = options.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new ValueError(`fit: validationSplit must be in [0, 1), received ${fmtReceived(split)}`);
  const validationBatchSize = options.validationBatchSize ?? batchSize;
  checkBatchSize('fit', validationBatchSize, 'validationBatchSize');
  const stepsPerEpoch = stepsOption('fit', 'stepsPerEpoch', options.stepsPerEpoch);
  const validationSteps = stepsOption('fit', 'validationSteps', options.validationSteps);
  const vd = options.validationData;
  const sources: BatchSource[] = [];
  try {
    let train: BatchSource;
    let all: Prepared | null = null;
    if (isBatchStream(x)) {
      refuseWithStream('fit', options, ['batchSize', 'shuffle', 'validationSplit', 'sampleWeight']);
      if (fitBackupOf(options.callbacks ?? [])) {
        throw new ValueError('fit: backupAndRestore needs x and y arrays: it resumes in the middle of an epoch from the in-memory epoch order, and a dataset cannot be rewound to a batch. With a dataset, save the weights each epoch with modelCheckpoint');
      }
      const need = stepsPerEpoch === null ? undefined : `stepsPerEpoch × epochs = ${stepsPerEpoch * (options.epochs ?? 1)} batches`;
      train = await StreamSource.open('fit', 'x', model, compiled, x, {
        steps: stepsPerEpoch,
        persistent: stepsPerEpoch !== null,
        withY: true,
        ...(need ? { need } : {}),
        ...(options.classWeight ? { classWeight: options.classWeight } : {}),
      });
    } else {
      refuseWithArrays('fit', options, ['stepsPerEpoch']);
      if (y === undefined) throw new ValueError('fit: y is missing; pass fit(x, y, options) with arrays, or fit(dataset, options) with a dataset of [x, y] batches');
      all = (await prepare('fit', model, compiled, x, y, options.sampleWeight, options.classWeight)).p;
      train = new ArraySource(all, batchSize, shuffle ? globalGenerator() : null);
    }
    sources.push(train);
    let val: BatchSource | null = null;
    if (isBatchStream(vd)) {
      if (options.validationBatchSize !== undefined) refuseWithStream('fit', options, ['validationBatchSize']);
      val = await StreamSource.open('fit', 'validationData', model, compiled, vd, { steps: validationSteps, persistent: false, withY: true });
    } else if (vd) {
      refuseWithArrays('fit', options, ['validationSteps']);
      const [vx, vy, vsw] = vd as readonly [ModelData, ModelData, SampleWeightData?];
      val = new ArraySource((await prepare('fit', model, compiled, vx, vy, vsw, undefined, 'validationData')).p, validationBatchSize, null);
    } else if (split > 0 && all) {
      const splitOf = await splitLast(all, split, options);
      sources[0] = train = new ArraySource(splitOf.train, batchSize, shuffle ? globalGenerator() : null);
      val = new ArraySource(splitOf.val, validationBatchSize, null);
    }
    if (val) sources.push(val);
    return { train, val };
  } catch (e) {
    for (const s of sources) await s.dispose();
    throw e;
  }
}

/** Keras's validationSplit: the last samples, before shuffling. `all` is disposed with the training part. */
async function splitLast(all: Prepared, split: number, options: FitOptions): Promise<{ train: Prepared; val: Prepared }> {
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
  return {
    train: { xs: xsSplit.train, ys: ysSplit.train, sw: swTrain, dispose: () => { xsSplit.train.dispose(); ysSplit.train.dispose(); swTrain?.dispose(); all.dispose(); } },
    val: { xs: xsSplit.val, ys: ysSplit.val, sw: swVal, dispose: () => { xsSplit.val.dispose(); ysSplit.val.dispose(); swVal?.dispose(); } },
  };
}

export async function fitLoop(model: LoopModel, compiled: Compiled, x: ModelData | BatchStream, y: ModelData | undefined, options: FitOptions = {}): Promise<History> {
  checkOptions('fit', options, FIT_OPTIONS);
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const initialEpoch = options.initialEpoch ?? 0;
  const verbose = options.verbose ?? 1;
  const shuffle = boolOption('fit', 'shuffle', options.shuffle, true);
  checkBatchSize('fit', batchSize);
  checkEpochs('fit', epochs, initialEpoch);
  const maxConsecutiveSkips = checkMaxConsecutiveSkips(options.maxConsecutiveSkips);
  const capture = captureOption('fit', options.capture);

  const { train, val } = await fitSources(model, compiled, x, y, options, batchSize, shuffle);
  try {
    const outputs = train.labelsChecked ? withCheckedLabels(compiled.outputs ?? []) : [...(compiled.outputs ?? [])];
    const runner = compiled.runnerFor(compiled.trainableWeightsOf(model));
    if (runner.params.length === 0) throw new ValueError(`fit: model "${model.name}" has no trainable weights`);
    const history = new History();
    const cbs = new CallbackList([...(verbose > 0 ? [new ProgbarLogger()] : []), ...(options.callbacks ?? []), history]);
    const steps = train.steps; // null: a dataset's first pass (the progress bar shows "Unknown")
    cbs.setModel(model);
    cbs.setParams({ epochs, steps, verbose });
    const trackers = new LossTrackers(compiled);
    const skipOptions = { modelName: model.name, epochs, steps, initialEpoch, maxConsecutiveSkips, terminators: cbs.callbacks.filter((c) => c instanceof TerminateOnNaN) };
    const skips = skipMonitorFor(skipOptions);
    const readLogs = skipLogReader(trackers, skips, skipOptions);
    const backup = fitBackupOf(cbs.callbacks); // backupAndRestore (resume.ts); arrays only (fitSources)
    const cap = new StepCapture(model, 'train', capture);
    model.stopTraining = false;
    let lastLogs: Logs = {};
    try {
      await withStepContext(model, { outputs, trackers, runner, skips }, async () => {
        await cbs.call('onTrainBegin');
        const resume = backup ? await backup.resume({ model, compiled, runner, trackers, skips, callbacks: cbs.callbacks, epochs, steps: steps ?? 0, samples: train.samples ?? 0 }) : null;
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
          const cursor = train.epoch(resume && from > 0 ? resume.order : null);
          let ran = from;
          try {
            for (let b = from; ; b++) {
              const batch = await cursor.next(b);
              if (batch === null) break;
              if (wantBatchBegin) await cbs.call('onTrainBatchBegin', b);
              scope(() => {
                const d = batch();
                cap.step(stepInputs(d), stepShape(d), () => runTrainStep(model, d));
              });
              ran = b + 1;
              if (wantBatchEnd) await cbs.call('onTrainBatchEnd', b, lazyLogs(readLogs));
              await backup?.afterBatch(epoch, b, cursor.order);
              if (model.stopTraining) break;
            }
          } finally {
            await cursor.close();
          }
          const end = model.stopTraining ? 'complete' : await cursor.finish(ran);
          if (end === 'empty') break; // the data ran out before this epoch's first batch
          const logs = await readLogs();
          if (val) {
            const { logs: vLogs } = await evaluateLoop(model, compiled, val, null, capture);
            for (const [k, v] of Object.entries(vLogs)) logs[`val_${k}`] = v;
          }
          const lr = currentLearningRate(compiled.optimizer, runner.iterations);
          if (lr !== undefined) logs['learning_rate'] = lr;
          lastLogs = logs;
          await cbs.call('onEpochEnd', epoch, logs);
          await backup?.afterEpoch(epoch, logs);
          if (end === 'stop') model.stopTraining = true;
        }
        await cbs.call('onTrainEnd', lastLogs);
        await backup?.completed();
      });
    } finally {
      cap.dispose();
      trackers.dispose();
      skips.dispose();
    }
    return history;
  } finally {
    await train.dispose();
    await val?.dispose();
  }
}

/** Keras's evaluate: the logs of one pass over the data (metrics reset first). */
export async function evaluateData(model: LoopModel, compiled: Compiled, x: ModelData | BatchStream, y: ModelData | undefined, options: EvaluateOptions = {}): Promise<Logs> {
  checkOptions('evaluate', options, EVALUATE_OPTIONS);
  const batchSize = options.batchSize ?? 32;
  checkBatchSize('evaluate', batchSize);
  const steps = stepsOption('evaluate', 'steps', options.steps);
  let source: BatchSource;
  if (isBatchStream(x)) {
    refuseWithStream('evaluate', options, ['batchSize', 'sampleWeight']);
    source = await StreamSource.open('evaluate', 'x', model, compiled, x, { steps, persistent: false, withY: true });
  } else {
    refuseWithArrays('evaluate', options, ['steps']);
    if (y === undefined) throw new ValueError('evaluate: y is missing; pass evaluate(x, y, options) with arrays, or evaluate(dataset, options) with a dataset of [x, y] batches');
    source = new ArraySource((await prepare('evaluate', model, compiled, x, y, options.sampleWeight)).p, batchSize, null);
  }
  try {
    const cbs = new CallbackList(options.callbacks ?? []);
    cbs.setModel(model);
    const t0 = performance.now();
    const { logs, steps: ran } = await evaluateLoop(model, compiled, source, cbs, captureOption('evaluate', options.capture));
    if ((options.verbose ?? 1) > 0) defaultStream().write(`${progressLine(ran, ran, (performance.now() - t0) / 1000, logs, true, false)}\n`);
    return logs;
  } finally {
    await source.dispose();
  }
}

/** Outputs for every sample, batch by batch: one tensor per model output. */
export async function predictLoop(model: LoopModel, x: ModelData | BatchStream, options: PredictOptions = {}): Promise<Tensor[]> {
  checkOptions('predict', options, PREDICT_OPTIONS);
  const batchSize = options.batchSize ?? 32;
  checkBatchSize('predict', batchSize);
  const training = boolOption('predict', 'training', options.training, false);
  const steps = stepsOption('predict', 'steps', options.steps);
  const cap = new StepCapture(model, 'predict', captureOption('predict', options.capture));
  const forward = (xs: Tensor[]): Tensor[] => cap.forward(xs, `:${training}`, () => model.forward(xs, training));
  const pieces: Tensor[][] = [];
  let batches: (b: number) => Promise<(() => Tensor[]) | null>;
  let close: () => Promise<void>;
  if (isBatchStream(x)) {
    refuseWithStream('predict', options, ['batchSize']);
    const source = await StreamSource.open('predict', 'x', model, null, x, { steps, persistent: false, withY: false });
    const cursor = source.epoch();
    batches = async (b) => {
      const batch = await cursor.next(b);
      return batch && (() => forward([...batch().x]));
    };
    close = async () => {
      await cursor.close();
      await source.dispose();
    };
  } else {
    refuseWithArrays('predict', options, ['steps']);
    const xs = inputData('predict', 'x', model, x);
    const n = xs.length;
    if (n === 0) {
      xs.dispose();
      throw new ValueError('predict: x has no samples');
    }
    scope(() => model.outputInfo(xs.range(0, 1)));
    batches = async (b) => (b * batchSize < n ? () => forward(xs.range(b * batchSize, Math.min(batchSize, n - b * batchSize))) : null);
    close = async () => xs.dispose();
  }
  try {
    const cbs = new CallbackList(options.callbacks ?? []);
    cbs.setModel(model);
    await cbs.call('onPredictBegin');
    for (let b = 0; ; b++) {
      const batch = await batches(b);
      if (batch === null) break;
      pieces.push(scope(batch));
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
    cap.dispose();
    await close();
  }
}
