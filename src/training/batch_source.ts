/**
 * Where the loop's batches come from. fit, evaluate and predict run ONE loop over a
 * `BatchSource`: arrays in memory (array_source.ts: the data goes to the backend once, a batch
 * is a view or a gather of the epoch's order) or a stream of batches, a Dataset or any (async)
 * iterable (stream_source.ts: each batch goes to the backend when its step runs, and is freed
 * with the step). The loop asks a source for an epoch's cursor and the cursor for batch after
 * batch until it says the epoch (or the data) is over.
 */
import type { Tensor } from '../core/tensor.js';
import type { OutputInfo } from './compile.js';
import type { ModelData } from './data.js';
import type { StepData, TrainableModel } from './step.js';

/** What the loop needs beyond a TrainableModel: names and a build on real data. */
export interface LoopModel extends TrainableModel {
  /** Input names for this x (subclassed models name them from x's structure). */
  inputNamesFor(x: ModelData): string[];
  /** Builds the model if needed (a forward pass on `sample`) and describes its outputs. */
  outputInfo(sample: readonly Tensor[]): OutputInfo[];
  /** Declared input shapes (null dims: any), when known before data; null otherwise. */
  knownInputShapes?(): (readonly (number | null)[] | null)[] | null;
}

/** Makes one batch's step data; called inside the step's scope, which frees what it makes. */
export type BatchMaker = () => StepData;

/** How an epoch ended, as the source judges it (see BatchCursor.finish). */
export type EpochEnd = 'complete' | 'stop' | 'empty';

export interface BatchCursor {
  /** The epoch's sample order (shuffled arrays), which backupAndRestore saves; null otherwise. */
  readonly order: Int32Array | null;
  /** Batch `b` of the epoch, or null when the epoch (or the data) is over. */
  next(b: number): Promise<BatchMaker | null>;
  /**
   * After the epoch's last batch (`ran` batches run): 'complete'; 'stop' when the data ran out
   * before the steps asked for (a warning was written; the loop ends after this epoch); 'empty'
   * when it ran out before the epoch's first batch (the loop ends without this epoch). Throws
   * when no batch came at all in the first epoch, or a re-iterated dataset gave none.
   */
  finish(ran: number): Promise<EpochEnd>;
  /** Frees the epoch's buffers; the loop calls it when the epoch ends, normally or not. */
  close(): Promise<void>;
}

export interface BatchSource {
  /** Batches per epoch; null while unknown (a dataset before its first full pass). */
  readonly steps: number | null;
  /** Samples per epoch, when known (arrays). */
  readonly samples: number | null;
  /** True when every class-id label was checked before the loop (arrays): steps skip their own check. */
  readonly labelsChecked: boolean;
  /** The cursor for one epoch; `resumeOrder`: a resumed run's saved order (arrays only). */
  epoch(resumeOrder: Int32Array | null): BatchCursor;
  /** Frees what the source holds (arrays' tensors; closes a stream). */
  dispose(): Promise<void>;
}

/** A batch as the steps take it. */
export function stepData(batch: { x: Tensor[]; y: Tensor[]; sw: Tensor | null }): StepData {
  return { x: batch.x, y: batch.y, sampleWeight: batch.sw };
}
