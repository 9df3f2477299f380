/**
 * Model: a Layer that can be compiled, trained, evaluated and asked for predictions. Three ways
 * to make one, as in Keras: `sequential([...])`, the functional API (`model({inputs,
 * outputs})`), and subclassing (`class M extends Model { call(inputs, {training}) {...} }`,
 * with the sublayers as properties).
 *
 * The loops live in training/trainer.ts; Model resolves names and shapes for them and owns the
 * compiled state.
 */
import { scope } from '../core/engine.js';
import { ValueError } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import type { OptionKeys } from '../core/options.js';
import { Tensor, type Variable } from '../core/tensor.js';
import { Layer, type CallArgs, type Constraint, type LayerArgs } from '../layers/layer.js';
import type { Logs } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { Compiled, type CompileOptions, type OutputInfo } from '../training/compile.js';
import type { Optimizer } from '../optimizers/transform.js';
import { TrainableSnapshot } from '../training/trainable_snapshot.js';
import type { ModelData } from '../training/data.js';
import {
  evaluateData,
  fitLoop,
  predictLoop,
  type EvaluateOptions,
  isBatchStream,
  type BatchStream,
  type FitOptions,
  type LoopModel,
  type PredictOptions,
} from '../training/trainer.js';
import { applyGradients, computeLoss, defaultTestStep, defaultTrainStep, updateMetrics, type StepData, type StepLosses } from '../training/step.js';
import { saveModel, type SaveOptions } from '../io/model_io/save.js';
import { loadWeightsInto } from '../io/model_io/load_weights.js';
import { saveKeras } from '../io/keras/save.js';
import type { IOHandler } from '../io/model_io/artifacts.js';
import { summaryText, type SummaryRow } from './summary.js';
import { assertNotSelfNested } from './nesting.js';

/** A model's own input comes from its graph, its first layer or its data: no inputShape. */
export type ModelArgs = Omit<LayerArgs, 'inputShape' | 'batchInputShape' | 'activityRegularizer'>;

/** The names in ModelArgs (checkOptions). */
export const MODEL_ARGS: OptionKeys<ModelArgs> = { name: true, trainable: true, dtype: true };

/** Tensor for one input/output, Tensor[] for several. */
export type ModelOutput = Tensor | Tensor[];

/**
 * What a model's `call` returns, and so what `predict` resolves to: Tensor for Sequential, for
 * `model({inputs, outputs: out})` and for a subclass whose call returns a Tensor; Tensor[] for
 * `outputs: [a, b]` and a subclass whose call returns an array; ModelOutput when the type does
 * not say (a variable typed `Model`).
 */
export type OutputOf<M> = M extends { call(inputs: never, args: never): infer R } ? (R extends ModelOutput ? R : ModelOutput) : ModelOutput;

function uniqueWeights(layers: readonly Layer[], pick: (l: Layer) => readonly Variable[]): Variable[] {
  const seen = new Set<Variable>();
  const out: Variable[] = [];
  for (const l of layers) for (const w of pick(l)) if (!seen.has(w)) seen.add(w), out.push(w);
  return out;
}

/**
 * fit(x, y, options) with arrays, fit(data, options) with a dataset: with a dataset, the second
 * argument is the options and a third one is an error (a y beside a dataset of batches).
 */
function splitArgs<O extends object>(op: string, x: unknown, y: unknown, options: O): [ModelData | undefined, O] {
  if (!isBatchStream(x)) return [y as ModelData | undefined, options];
  if (Object.keys(options).length > 0) throw new ValueError(`${op}: with a dataset, pass ${op}(dataset, options); y comes from the dataset's [x, y] batches, received a second argument and options`);
  return [undefined, (y ?? {}) as O];
}

/**
 * Subclass it and implement `call(inputs, {training})`, creating the sublayers as properties
 * in the constructor; `sequential` and `model` make the other two kinds.
 */
export abstract class Model extends Layer implements LoopModel {
  /** Set by callbacks (early stopping) to end fit. */
  stopTraining = false;
  private compiledState: Compiled | null = null;
  /** Whether the last `call` returned an array, so predict returns the structure call does. */
  #outputIsList = false;

  constructor(args: ModelArgs = {}) {
    super(args);
  }

  abstract override call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /**
   * The layers of the model, in order. A subclassed model's layers are the Layer-valued
   * properties (and arrays of layers) it set, in the order it set them.
   */
  get layers(): Layer[] {
    const found: Layer[] = [];
    for (const v of Object.values(this)) {
      if (v instanceof Layer && v !== this) found.push(v);
      else if (Array.isArray(v)) for (const e of v) if (e instanceof Layer) found.push(e);
    }
    return found;
  }

  getLayer(name: string): Layer {
    const l = this.layers.find((x) => x.name === name);
    if (!l) throw new ValueError(`getLayer: model "${this.name}" has no layer named "${name}"; layers: ${this.layers.map((x) => x.name).join(', ')}`);
    return l;
  }

  /** The model's own weights (addWeight in a subclass) and then its layers', each once. */
  override get weights(): Variable[] {
    return uniqueWeights([this, ...this.layers], (l) => (l === this ? super.weights : l.weights));
  }

  /** Empty when the model is frozen (`model.trainable = false`), as in Keras. */
  override get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    return uniqueWeights([this, ...this.layers], (l) => (l === this ? super.trainableWeights : l.trainableWeights));
  }

  override get nonTrainableWeights(): Variable[] {
    const trainable = new Set(this.trainableWeights);
    return this.weights.filter((w) => !trainable.has(w));
  }

  override countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Penalties of the layers' regularizers (kernelRegularizer...), computed now. */
  override regularizationLosses(): Tensor[] {
    if (!this.trainable) return [];
    return [...super.regularizationLosses(), ...this.layers.flatMap((l) => l.regularizationLosses())];
  }

  override weightConstraints(): { variable: Variable; constraint: Constraint }[] {
    if (!this.trainable) return [];
    return [...super.weightConstraints(), ...this.layers.flatMap((l) => l.weightConstraints())];
  }

  /**
   * The activity penalties of the last forward pass, from every layer (nested models too),
   * each once (a layer both here and in a nested model is listed twice in the layers).
   */
  override activityLosses(): Tensor[] {
    return [...new Set([...super.activityLosses(), ...this.layers.flatMap((l) => l.activityLosses())])];
  }

  /** @internal */
  override clearActivityLosses(): void {
    super.clearActivityLosses();
    for (const l of this.layers) l.clearActivityLosses();
  }

  // ------------------------------------------------------------- what the loops call

  /** Runs `call` on one tensor per input; one tensor per output. */
  forward(inputs: readonly Tensor[], training: boolean): Tensor[] {
    // runCall: a forward pass is an outermost call, which replaces the activity penalties.
    const out = this.runCall(inputs.length === 1 ? (inputs[0] as Tensor) : [...inputs], { training });
    this.#outputIsList = Array.isArray(out);
    return Array.isArray(out) ? out : [out];
  }

  /**
   * Input names; a subclassed model names them from x: `input_1`, ... for an array of Tensors
   * or {data, shape} objects, or x's keys. (A plain nested JS array is always one input.)
   */
  inputNamesFor(x: ModelData): string[] {
    if (Array.isArray(x) && x.length > 1 && x.every((e) => e instanceof Tensor || (typeof e === 'object' && e !== null && !Array.isArray(e)))) {
      return x.map((_, i) => `input_${i + 1}`);
    }
    if (typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Tensor) && !('data' in x && 'shape' in x)) return Object.keys(x);
    return ['input_1'];
  }

  /** Output names for log keys and `y` objects (subclassed: output_1, ...). */
  protected outputNamesFor(count: number): string[] {
    return count === 1 ? ['output'] : Array.from({ length: count }, (_, i) => `output_${i + 1}`);
  }

  /** Builds the model with a forward pass on `sample` if needed; describes its outputs. */
  outputInfo(sample: readonly Tensor[]): OutputInfo[] {
    const out = scope(() => this.forward(sample, false).map((t) => t.shape));
    const names = this.outputNamesFor(out.length);
    return out.map((shape, i) => ({ name: names[i] ?? `output_${i + 1}`, shape: [null, ...shape.slice(1)] }));
  }

  // ------------------------------------------------------------- the step (override for custom training)

  /**
   * One training step on one batch, as fit calls it (Keras's train_step), inside a scope:
   * forward with `training: true`, `computeLoss`, `valueAndGrad` with respect to
   * `trainableWeights`, `applyGradients`, `updateMetrics`. Override it for custom training
   * (a gradient penalty, a GAN's two updates...), from those same pieces; it returns nothing
   * and must not read tensors back: the logs are read from the trackers when a callback asks.
   */
  trainStep(data: StepData): void {
    defaultTrainStep(this, data, this);
  }

  /** One evaluation step (Keras's test_step): forward in inference mode, computeLoss, updateMetrics. */
  testStep(data: StepData): void {
    defaultTestStep(this, data, this);
  }

  /** The compiled losses (weighted) plus `model.losses`, and the per-output losses (Keras's compute_loss). */
  computeLoss(data: StepData, yPred: readonly Tensor[]): StepLosses {
    return computeLoss(this, data, yPred);
  }

  /**
   * The optimizer's update for one gradient per `trainableWeights` entry, then the
   * constraints; skipped (weights and optimizer state unchanged, counted in the logs) unless
   * `loss` and every gradient are finite, decided on the backend.
   */
  applyGradients(grads: readonly Tensor[], loss: Tensor): void {
    applyGradients(this, grads, loss);
  }

  /** Adds this batch to the loss trackers and the compiled metrics (what fit and evaluate log). */
  updateMetrics(data: StepData, yPred: readonly Tensor[], losses: StepLosses): void {
    updateMetrics(this, data, yPred, losses);
  }

  // ------------------------------------------------------------- the Keras API

  /** Every public entry point (and apply) starts here: a disposed or self-containing model refuses. */
  protected override assertUsable(op: string): void {
    super.assertUsable(op);
    assertNotSelfNested(this, this.who, op);
  }

  /**
   * Sets the optimizer, the loss(es), metrics and lossWeights. Unknown names fail here; so do
   * per-output specs that don't match the outputs, when the outputs are already known
   * (functional models, Sequential with an input). The trainable weights are fixed here, as in
   * Keras 3: after changing a layer's `trainable`, compile again (training/trainable_snapshot.ts).
   */
  compile(options: CompileOptions): void {
    this.assertUsable('compile');
    const c = new Compiled(options);
    const known = this.knownOutputs();
    if (known) c.resolve(known);
    c.trainableSnapshot = new TrainableSnapshot(this);
    this.compiledState?.dispose();
    this.compiledState = c;
  }

  /** Declared input shapes (Sequential with an input, functional); null when unknown. */
  knownInputShapes(): (readonly (number | null)[] | null)[] | null {
    return null;
  }

  /** The outputs when known before any data (symbolic shapes); null for subclassed models. */
  protected knownOutputs(): OutputInfo[] | null {
    return null;
  }

  /**
   * @internal The compiled state, or an error naming `op`: for the loops here and for
   * findLearningRate (training/find_lr.ts), which saves and restores its optimizer state.
   */
  requireCompiled(op: string): Compiled {
    if (!this.compiledState) throw new ValueError(`${op}: model "${this.name}" must be compiled first: call model.compile({optimizer, loss, metrics})`);
    return this.compiledState;
  }

  /** Trains for `epochs`; returns the History (`history.history.loss`, `.val_loss`, ...). */
  async fit(x: ModelData, y: ModelData, options?: FitOptions): Promise<History>;
  /** On a dataset (hb.data) or any (async) iterable of `[x, y]` batches (docs/DATA.md). */
  async fit(data: BatchStream, options?: FitOptions): Promise<History>;
  async fit(x: ModelData | BatchStream, y?: ModelData | FitOptions, options: FitOptions = {}): Promise<History> {
    this.assertUsable('fit');
    const [yy, o] = splitArgs<FitOptions>('fit', x, y, options);
    return fitLoop(this, this.requireCompiled('fit'), x, yy, o);
  }

  /**
   * Keras's evaluate: the loss alone when there is nothing else to report, otherwise
   * [loss, ...per-output losses, ...metrics] in `metricsNames` order; with `returnDict: true`,
   * an object keyed by those names.
   */
  async evaluate(x: ModelData, y: ModelData, options: EvaluateOptions & { returnDict: true }): Promise<Logs>;
  async evaluate(x: ModelData, y: ModelData, options?: EvaluateOptions & { returnDict?: false }): Promise<number | number[]>;
  async evaluate(data: BatchStream, options: EvaluateOptions & { returnDict: true }): Promise<Logs>;
  async evaluate(data: BatchStream, options?: EvaluateOptions & { returnDict?: false }): Promise<number | number[]>;
  async evaluate(x: ModelData | BatchStream, y?: ModelData | EvaluateOptions, options: EvaluateOptions & { returnDict?: boolean } = {}): Promise<number | number[] | Logs> {
    this.assertUsable('evaluate');
    const [yy, o] = splitArgs<EvaluateOptions & { returnDict?: boolean }>('evaluate', x, y, options);
    const returnDict = boolOption('evaluate', 'returnDict', o.returnDict, false);
    const logs = await evaluateData(this, this.requireCompiled('evaluate'), x, yy, o);
    if (returnDict) return logs;
    const values = this.metricsNames.map((n) => logs[n] as number);
    return values.length === 1 ? (values[0] as number) : values;
  }

  /** @internal The compiled state (null before compile), for io/ to save and restore the optimizer. */
  get compiled(): Compiled | null {
    return this.compiledState;
  }

  /**
   * Saves the architecture, weights, compile configuration and optimizer state in
   * TensorFlow.js's layers-model format (docs/SAVING.md): a directory path in Node (written
   * atomically), or an IOHandler (`{save(artifacts)}`).
   */
  async save(target: string | IOHandler, options: SaveOptions = {}): Promise<void> {
    this.assertUsable('save');
    await saveModel(this, target, options);
  }

  /**
   * Saves the model as a Keras 3 `.keras` file (docs/FROM_KERAS.md): architecture, weights and,
   * when compiled, the compile configuration, written atomically. Python Keras and
   * hb.loadKerasModel read it.
   */
  async saveKeras(path: string): Promise<void> {
    this.assertUsable('saveKeras');
    await saveKeras(this, path);
  }

  /** Saves the weights alone (the same format; loadWeights reads them back into a model of this architecture). */
  async saveWeights(target: string | IOHandler): Promise<void> {
    this.assertUsable('saveWeights');
    await saveModel(this, target, { includeOptimizer: false, weightsOnly: true });
  }

  /** Sets the weights from a save (model.save or saveWeights, or a TensorFlow.js model); all are checked before any changes. */
  async loadWeights(source: string | IOHandler): Promise<void> {
    this.assertUsable('loadWeights');
    await loadWeightsInto(this, source);
  }

  /** The compiled optimizer (null before compile). */
  get optimizer(): Optimizer | null {
    return this.compiledState?.optimizer ?? null;
  }

  /** Log names in evaluate's order (after the first fit/evaluate resolved the outputs). */
  get metricsNames(): string[] {
    return this.compiledState?.logNames() ?? [];
  }

  /**
   * Predictions for every sample, in the structure `call` returns: one Tensor (Sequential, a
   * single-output functional model), or an array in output order. `training: true` keeps
   * dropout on (MC dropout).
   */
  async predict(x: ModelData | BatchStream, options: PredictOptions = {}): Promise<OutputOf<this>> {
    this.assertUsable('predict');
    const out = await predictLoop(this, x, options);
    // predictLoop ran forward at least once (x may not be empty), which set #outputIsList.
    const result: ModelOutput = this.#outputIsList ? out : (out[0] as Tensor);
    return result as OutputOf<this>;
  }

  /** Rows of the summary table (Sequential and functional models override). */
  protected summaryRows(): SummaryRow[] {
    return this.layers.map((l) => ({ name: l.name, type: l.className, outputShape: null, params: l.countParams() }));
  }

  /** Prints the Keras-style table (to console.log unless `printFn` is given) and returns it. */
  summary(printFn: (line: string) => void = console.log): string {
    this.assertUsable('summary');
    const trainable = this.trainableWeights.reduce((n, w) => n + w.size, 0);
    const text = summaryText(this.name, this.summaryRows(), { trainable, nonTrainable: this.countParams() - trainable });
    printFn(text);
    return text;
  }

  /** Frees the optimizer state (weights stay: they belong to the layers). */
  disposeTraining(): void {
    this.compiledState?.dispose();
  }

  /** Frees the weights of the model and all its layers, and the optimizer state. */
  override dispose(): void {
    if (this.isDisposed) return;
    this.disposeTraining();
    for (const l of this.layers) l.dispose();
    super.dispose();
  }
}

