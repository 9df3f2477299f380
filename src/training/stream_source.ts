/**
 * A stream of batches as a BatchSource (batch_source.ts): a hb.data Dataset, or any (async)
 * iterable whose elements are batches, as Keras takes a tf.data.Dataset or a generator:
 * `[x, y]`, `[x, y, sampleWeight]` or `{x, y, sampleWeight}` (predict also takes `[x]`,
 * `{x}` or x alone, and ignores y). x and y are what fit takes as arrays (a Tensor,
 * `{data, shape}`, nested arrays; an array or object of them for several inputs/outputs).
 *
 * Each batch goes to the backend inside its step's scope and is freed with it; the stream is
 * pulled one batch at a time, so memory holds one batch (plus the dataset's own buffers).
 * Tensors a stream yields are handed over: they are disposed after their step.
 *
 * Epochs, as Keras: without `steps` an epoch is one full pass, and each epoch iterates the
 * stream again (a generator object can be iterated once: its second epoch is an error naming
 * the fix). With `steps` (fit's stepsPerEpoch), training reads `steps` batches per epoch from
 * ONE iterator that continues across epochs; when it runs out, a warning and training stops
 * after that epoch. Evaluation passes (validationData, evaluate) start a fresh pass each time,
 * `steps` bounding its length.
 *
 * Every batch is checked when it arrives: its structure, equal sample counts in x and y, shapes
 * against the model's declared inputs and, for every array, the same trailing shape and dtype
 * as in the first batch; errors name the batch (and epoch) and what was expected.
 */
import { DTypeError, ShapeError, ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { scope } from '../core/engine.js';
import { Tensor } from '../core/tensor.js';
import { tensor } from '../ops/creation.js';
import type { Compiled, OutputInfo } from './compile.js';
import { DataSet, toTensor, type InputData, type ModelData } from './data.js';
import { hostSampleWeights, type ClassWeight, type SampleWeightData } from './weights.js';
import type { BatchCursor, BatchMaker, BatchSource, EpochEnd, LoopModel } from './batch_source.js';

/** What fit, evaluate and predict take besides arrays: a Dataset or any (async) iterable of batches. */
export type BatchStream = AsyncIterable<unknown> | Iterable<unknown>;

/** A stream rather than arrays: an (async) iterable that is not an array, typed array, string or Tensor. */
export function isBatchStream(v: unknown): v is BatchStream {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof Tensor) return false;
  return isAsync(v) || typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

const isAsync = (v: object): v is AsyncIterable<unknown> => typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

function iteratorOf(s: BatchStream): AsyncIterator<unknown> {
  if (isAsync(s)) return s[Symbol.asyncIterator]();
  const it = (s as Iterable<unknown>)[Symbol.iterator]();
  return { next: async () => it.next(), return: async () => it.return?.() ?? { done: true, value: undefined } };
}

interface Parsed {
  x: ModelData;
  y: ModelData | undefined;
  sw: unknown;
}

const isRecord = (e: unknown): e is Record<string, unknown> =>
  typeof e === 'object' && e !== null && !Array.isArray(e) && !ArrayBuffer.isView(e) && !(e instanceof Tensor) && Object.getPrototypeOf(e) === Object.prototype;

/** Splits a batch into x, y and sample weights (see the file comment). */
function parseBatch(op: string, where: string, e: unknown, withY: boolean): Parsed {
  const want = withY ? '[x, y], [x, y, sampleWeight] or {x, y, sampleWeight}' : '[x], [x, y], {x} or x';
  if (Array.isArray(e)) {
    if (e.length === (withY ? 2 : 1) || e.length === 2 || e.length === 3) return { x: e[0] as ModelData, y: e[1] as ModelData | undefined, sw: e[2] };
    throw new ValueError(`${op}: ${where} is an array of ${e.length}; expected ${want}`);
  }
  if (isRecord(e) && 'x' in e && !('data' in e)) {
    const extra = Object.keys(e).filter((k) => k !== 'x' && k !== 'y' && k !== 'sampleWeight');
    if (extra.length > 0) throw new ValueError(`${op}: ${where} has unknown keys [${extra.join(', ')}]; expected ${want}`);
    if (withY && e['y'] === undefined) throw new ValueError(`${op}: ${where} has no y; expected ${want}`);
    return { x: e['x'] as ModelData, y: e['y'] as ModelData | undefined, sw: e['sampleWeight'] };
  }
  if (!withY && typeof e === 'object' && e !== null) return { x: e as ModelData, y: undefined, sw: undefined };
  throw new ValueError(`${op}: ${where} is ${fmtReceived(e)}; expected ${want}`);
}

interface Spec {
  readonly rest: readonly number[];
  readonly dtype: DType;
}

const specOf = (t: Tensor): Spec => ({ rest: t.shape.slice(1), dtype: t.dtype });

/** Each array against the first batch's: same trailing shape and dtype. */
function checkSpecs(op: string, arg: string, where: string, ts: readonly Tensor[], specs: readonly Spec[]): void {
  ts.forEach((t, i) => {
    const s = specs[i];
    if (!s) return;
    const name = ts.length > 1 ? `${arg}[${i}]` : arg;
    const want = `[batch, ${s.rest.join(', ')}]`.replace(', ]', ']');
    if (t.rank !== s.rest.length + 1 || s.rest.some((d, k) => d !== t.shape[k + 1])) {
      throw new ShapeError(`${op}: ${name} of ${where} has shape ${fmtShape(t.shape)}; expected ${want} as in the first batch`);
    }
    if (t.dtype !== s.dtype) throw new DTypeError(`${op}: ${name} of ${where} has dtype ${t.dtype}; expected ${s.dtype} as in the first batch`);
  });
}

export interface StreamOptions {
  /** Batches per epoch (stepsPerEpoch, validationSteps, steps); null: one full pass. */
  readonly steps: number | null;
  /** One iterator across epochs (fit's training data with stepsPerEpoch). */
  readonly persistent: boolean;
  /** The batches carry y (fit, evaluate) or not (predict). */
  readonly withY: boolean;
  /** What to tell the user when the data runs out before `steps` ("stepsPerEpoch × epochs = 300 batches"). */
  readonly need?: string;
  /** fit's classWeight, folded into each batch's sample weights (one output). */
  readonly classWeight?: ClassWeight;
}

export class StreamSource implements BatchSource {
  readonly samples = null;
  readonly labelsChecked = false;
  private it: AsyncIterator<unknown>;
  private first: unknown;
  private counted: number | null = null; // batches in the first full pass
  private epochs = 0;
  private exhausted = false;
  private warned = false;
  private handed: Tensor[] = []; // tensors the stream yielded, disposed after their step
  private xSpecs: Spec[] = [];
  private ySpecs: Spec[] = [];

  private constructor(
    private readonly op: string,
    private readonly arg: string,
    private readonly model: LoopModel,
    private readonly stream: BatchStream,
    private readonly o: StreamOptions,
    it: AsyncIterator<unknown>,
    first: unknown,
    private readonly xNames: string[],
    readonly outputs: OutputInfo[],
  ) {
    this.it = it;
    this.first = first;
  }

  /**
   * Reads the first batch to build the model and learn its outputs (`compiled.resolve`, for
   * fit and evaluate); that batch is then the first one the loop runs.
   */
  static async open(op: string, arg: string, model: LoopModel, compiled: Compiled | null, stream: BatchStream, o: StreamOptions): Promise<StreamSource> {
    const it = iteratorOf(stream);
    const r = await it.next();
    if (r.done) throw new ValueError(`${op}: ${arg} yielded no batches; expected ${o.withY ? '[x, y] batches' : 'batches of x'}`);
    const where = 'batch 1';
    let xs: DataSet | null = null;
    try {
      const p = parseBatch(op, where, r.value, o.withY);
      const names = model.inputNamesFor(p.x);
      xs = DataSet.from(op, `x of ${where}`, p.x, names);
      const sample = xs;
      const outputs = scope(() => model.outputInfo(sample.range(0, 1)));
      if (compiled) compiled.resolve(outputs);
      return new StreamSource(op, arg, model, stream, o, it, r.value, names, outputs);
    } catch (e) {
      await it.return?.();
      throw e;
    } finally {
      xs?.dispose();
    }
  }

  get steps(): number | null {
    return this.o.steps ?? this.counted;
  }

  epoch(): BatchCursor {
    const epoch = this.epochs++;
    // A full pass (or an evaluation pass) starts the stream again; the first uses the open iterator.
    if (epoch > 0 && !this.o.persistent) {
      this.it = iteratorOf(this.stream);
      this.exhausted = false;
    }
    const label = (b: number): string => (this.op === 'fit' && this.arg === 'x' ? `batch ${b + 1} (epoch ${epoch + 1})` : `batch ${b + 1}`);
    return {
      order: null,
      next: async (b) => {
        this.release();
        if (this.o.steps !== null && b >= this.o.steps) return null;
        let value: unknown;
        if (this.first !== undefined) {
          value = this.first;
          this.first = undefined;
        } else {
          const r = this.exhausted ? { done: true as const, value: undefined } : await this.it.next();
          if (r.done) {
            this.exhausted = true;
            return null;
          }
          value = r.value;
        }
        const p = parseBatch(this.op, label(b), value, this.o.withY);
        return this.maker(label(b), this.o.classWeight ? await this.withClassWeights(label(b), p, this.o.classWeight) : p);
      },
      finish: async (ran) => this.finish(epoch, ran),
      close: async () => {
        this.release();
        if (!this.o.persistent && !this.exhausted) await this.it.return?.();
      },
    };
  }

  private async finish(epoch: number, ran: number): Promise<EpochEnd> {
    if (!this.exhausted) return 'complete';
    if (this.o.steps === null) {
      if (ran === 0) {
        throw new ValueError(
          `${this.op}: ${this.arg} yielded no batches in pass ${epoch + 1} (the first pass gave ${this.counted ?? 'some'}); an iterable that can be iterated only once (a generator object) is used up after one pass: ` +
            'pass a hb.data Dataset (hb.data.fromGenerator(function* () {...}) calls the generator again each epoch), or set stepsPerEpoch',
        );
      }
      this.counted ??= ran;
      return 'complete';
    }
    if (!this.warned) {
      this.warned = true;
      console.warn(`${this.op}: ${this.arg} ran out of data at batch ${ran + 1}${this.op === 'fit' && this.arg === 'x' ? ` of epoch ${epoch + 1}` : ''}; ${this.op === 'fit' && this.arg === 'x' ? 'training stops after this epoch. ' : ''}Make sure it can yield ${this.o.need ?? `${this.o.steps} batches`} (dataset.repeat() repeats it)`);
    }
    return ran === 0 ? 'empty' : 'stop';
  }

  /** Disposes the tensors the stream yielded for the last step. */
  private release(): void {
    for (const t of this.handed) if (!t.isDisposed) t.dispose();
    this.handed = [];
  }

  /** Converts and checks one batch; runs inside the step's scope, which frees what it makes. */
  private maker(where: string, p: Parsed): BatchMaker {
    return () => {
      const { op } = this;
      const xs = DataSet.from(op, `x of ${where}`, p.x, this.xNames);
      this.hand(xs.tensors);
      xs.checkLengths(op, `x of ${where}`);
      const shapes = this.model.knownInputShapes?.();
      if (shapes) xs.checkShapes(op, `x of ${where}`, shapes, this.xNames);
      if (this.xSpecs.length === 0) this.xSpecs = xs.tensors.map(specOf);
      checkSpecs(op, 'x', where, xs.tensors, this.xSpecs);
      const n = xs.length;
      if (!this.o.withY || p.y === undefined) return { x: xs.tensors, y: [], sampleWeight: null };
      const ys = DataSet.from(op, `y of ${where}`, p.y, this.outputs.map((o) => o.name));
      this.hand(ys.tensors);
      ys.checkLengths(op, `y of ${where}`);
      if (ys.length !== n) throw new ShapeError(`${op}: ${where} has ${n} samples in x but ${ys.length} in y; expected the same number`);
      if (this.ySpecs.length === 0) this.ySpecs = ys.tensors.map(specOf);
      checkSpecs(op, 'y', where, ys.tensors, this.ySpecs);
      return { x: xs.tensors, y: ys.tensors, sampleWeight: p.sw === undefined ? null : this.weights(where, p.sw, n) };
    };
  }

  /** The batch's sample weights times classWeight[label] (weights.ts), computed on the host. */
  private async withClassWeights(where: string, p: Parsed, classWeight: ClassWeight): Promise<Parsed> {
    const { op } = this;
    if (p.y === undefined) return p;
    const ys = DataSet.from(op, `y of ${where}`, p.y, this.outputs.map((o) => o.name));
    try {
      const t = ys.tensors[0] as Tensor;
      const sw = p.sw;
      let swHost: SampleWeightData | undefined;
      if (sw === undefined || sw instanceof Tensor || Array.isArray(sw) || ArrayBuffer.isView(sw)) swHost = sw as SampleWeightData | undefined;
      else if (typeof sw === 'object' && sw !== null && 'data' in sw) swHost = (sw as { data: SampleWeightData }).data;
      else throw new ValueError(`${op}: sampleWeight of ${where} is ${fmtReceived(sw)}; expected one number per sample`);
      const w = await hostSampleWeights(op, t.shape[0] as number, swHost, classWeight, [{ host: await t.data(), shape: t.shape }], {
        outputShape: this.outputs[0]?.shape,
        sampleWeightName: `sampleWeight of ${where}`,
      });
      return { ...p, sw: w ?? undefined };
    } finally {
      ys.dispose();
    }
  }

  /** A batch's sample weights: n finite, non-negative numbers. */
  private weights(where: string, sw: unknown, n: number): Tensor {
    const { op } = this;
    const t = sw instanceof Tensor ? sw : toTensor(`${op}: sampleWeight of ${where}`, (ArrayBuffer.isView(sw) ? { data: sw, shape: [(sw as Float32Array).length] } : sw) as InputData).tensor;
    this.hand([t]);
    if (t.rank !== 1 || t.shape[0] !== n) throw new ShapeError(`${op}: sampleWeight of ${where} has shape ${fmtShape(t.shape)}; expected [${n}], one weight per sample`);
    const v = t.dataSync();
    for (let i = 0; i < v.length; i++) {
      const w = v[i] as number;
      if (!(Number.isFinite(w) && w >= 0)) throw new ValueError(`${op}: sampleWeight of ${where} holds ${w} at sample ${i}; expected finite weights >= 0`);
    }
    return t.dtype === 'float32' ? t : tensor(Float32Array.from(v), [n]);
  }

  /** Tensors the stream yielded (not made here) are the loop's to free after the step. */
  private hand(ts: readonly Tensor[]): void {
    for (const t of ts) if (!this.handed.includes(t)) this.handed.push(t);
  }

  async dispose(): Promise<void> {
    this.release();
    if (!this.exhausted) await this.it.return?.();
  }
}
