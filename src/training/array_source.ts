/**
 * Arrays in memory as a BatchSource (batch_source.ts): x, y and the sample weights are
 * converted and checked once, before any step (prepare), and go to the backend once; each
 * epoch's batches are views or gathers of the epoch's order (EpochBatches).
 */
import { scope } from '../core/engine.js';
import { ValueError } from '../core/errors.js';
import type { Generator } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { tensor } from '../ops/creation.js';
import { slice } from '../ops/movement.js';
import { gatherInRange } from '../ops/primitives.js';
import type { Compiled, OutputInfo } from './compile.js';
import { DataSet, epochOrder, numBatches, type ModelData } from './data.js';
import { checkClassIds, hasClassIdOutputs } from './labels.js';
import { hostSampleWeights, type ClassWeight, type SampleWeightData } from './weights.js';
import { stepData, type BatchCursor, type BatchSource, type LoopModel } from './batch_source.js';

/** Converts x and checks it against the model's declared inputs. */
export function inputData(op: string, arg: string, model: LoopModel, x: ModelData): DataSet {
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

export interface Prepared {
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
export async function prepare(op: string, model: LoopModel, compiled: Compiled, x: ModelData, y: ModelData, sampleWeight?: SampleWeightData, classWeight?: ClassWeight, argPrefix = ''): Promise<{ p: Prepared; outputs: OutputInfo[] }> {
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
export function batchOf(d: Prepared, start: number, size: number): { x: Tensor[]; y: Tensor[]; sw: Tensor | null } {
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


/** Prepared arrays as a BatchSource: `batchSize` samples a batch, reshuffled each epoch when `rng` is given. */
export class ArraySource implements BatchSource {
  readonly steps: number;
  readonly samples: number;
  readonly labelsChecked = true;

  constructor(private readonly d: Prepared, private readonly batchSize: number, private readonly rng: Generator | null) {
    this.samples = d.xs.length;
    this.steps = numBatches(this.samples, batchSize);
  }

  epoch(resumeOrder: Int32Array | null): BatchCursor {
    const { samples: n, batchSize, steps } = this;
    const order = resumeOrder ?? epochOrder(n, this.rng !== null, this.rng);
    const data = new EpochBatches(this.d, order);
    return {
      order,
      next: async (b) => (b < steps ? () => stepData(data.batch(b * batchSize, Math.min(batchSize, n - b * batchSize))) : null),
      finish: async () => 'complete',
      close: async () => data.dispose(),
    };
  }

  async dispose(): Promise<void> {
    this.d.dispose();
  }
}
