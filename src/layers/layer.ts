/**
 * Layer: the unit models are made of (DESIGN §3).
 *
 * - `build(inputShape)` creates the weights, once, through `addWeight`;
 * - `call(inputs, {training})` only computes;
 * - `apply(inputs, {training})` is what users and models call: it checks the inputs against
 *   the layer's InputSpec, builds on first use, then calls. Given SymbolicTensors (the
 *   functional API) it computes nothing and records the call in the graph instead;
 * - `getConfig()` returns plain JSON that the class's `fromConfig` turns back into the layer.
 *
 * Each weight is initialized from its own random stream, `globalGenerator().split(layerName)
 * .split(weightName)`, so adding or removing a layer never changes another layer's initial
 * weights, and `setSeed(s)` before building makes them reproducible.
 */
import { isFloat, type DType } from '../core/dtype.js';
import { scope } from '../core/engine.js';
import { DisposedError, ValueError, fmtReceived } from '../core/errors.js';
import { boolOption } from '../core/option_values.js';
import { checkOptions, type AllowedOptions } from '../core/options.js';
import { Tensor, Variable } from '../core/tensor.js';
import { zeros } from '../ops/creation.js';
import { cast, copy } from '../ops/movement.js';
import { getRegularizer } from '../regularizers/index.js';
import { ActivityLosses, layerCall } from './activity.js';
import { checkInputDtype, checkInputSpec, type InputSpec } from './input_spec.js';
import { assignWeights, checkWeightShape, readWeights, type WeightValue } from './weight_values.js';
import { Node, SymbolicTensor, checkSymbolicShape, type SymbolicShape } from './symbolic.js';
import { CALL_ARGS, LAYER_ARGS, type AddWeightOptions, type CallArgs, type Constraint, type LayerArgs, type LayerConfig, type Regularizer } from './layer_args.js';
import { toSnakeCase, uniqueLayerName } from './layer_names.js';
import { serializeHook } from './config.js';
import { WeightStore } from './weight_store.js';

export { LAYER_ARGS, NO_OWN_ARGS } from './layer_args.js';
export type { AddWeightOptions, CallArgs, Constraint, ConstraintId, InitializerId, LayerArgs, LayerConfig, OwnArgs, Regularizer, RegularizerId } from './layer_args.js';
export { resetLayerNames, toSnakeCase, uniqueLayerName } from './layer_names.js';

function isSymbolicList(x: unknown): x is readonly SymbolicTensor[] {
  return Array.isArray(x) && x.length > 0 && x.every((e) => e instanceof SymbolicTensor);
}

export abstract class Layer {
  readonly name: string;
  readonly dtype: DType;
  /** True once `build` ran (apply builds on first use). */
  built = false;
  /**
   * What `apply` accepts: one spec for all inputs, or one per input. Layers set it in their
   * constructor (rank) and in build (sizes of the built axes).
   */
  inputSpec: InputSpec | readonly InputSpec[] | null = null;
  /** Float inputs are cast to the layer's dtype before `call` (Keras's autocast). */
  protected autocast = true;
  /**
   * The input shape (batch dimension included) given as inputShape or batchInputShape; null
   * when none was. A Sequential starts with an implicit input of this shape when this layer
   * comes first.
   */
  readonly batchInputShape: SymbolicShape | null;
  /** Penalty on the outputs of each call (null: none); see LayerArgs.activityRegularizer. */
  readonly activityRegularizer: Regularizer | null;
  #trainable: boolean;
  #activity = new ActivityLosses();
  #store = new WeightStore();
  #overrides: Map<Variable, Tensor> | null = null;
  #nodes: Node[] = [];
  #disposed = false;

  /**
   * `ownArgs`: the option names the subclass adds to LayerArgs. Given (every built-in layer
   * gives them, NO_OWN_ARGS when it adds none), any other key in `args` is an error naming
   * the closest valid one; user subclasses that pass their own wider args may leave it out.
   */
  constructor(args: LayerArgs = {}, ownArgs?: AllowedOptions) {
    if (ownArgs !== undefined) checkOptions(this.className, args, LAYER_ARGS, ownArgs);
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '' || args.name.includes('/'))) {
      throw new ValueError(`${this.className}: name must be a non-empty string without "/", received ${fmtReceived(args.name)}`);
    }
    if (args.inputShape !== undefined && args.batchInputShape !== undefined) {
      throw new ValueError(`${this.className}: give inputShape or batchInputShape, not both`);
    }
    this.batchInputShape =
      args.batchInputShape !== undefined
        ? checkSymbolicShape(this.className, 'batchInputShape', args.batchInputShape)
        : args.inputShape !== undefined
          ? Object.freeze([null, ...checkSymbolicShape(this.className, 'inputShape', args.inputShape)])
          : null;
    this.name = args.name ?? uniqueLayerName(toSnakeCase(this.className));
    this.#trainable = boolOption(this.who, 'trainable', args.trainable, true);
    this.dtype = args.dtype ?? 'float32';
    this.activityRegularizer = args.activityRegularizer == null ? null : getRegularizer(args.activityRegularizer);
  }

  /** The class name used in configs and summaries (built-in layers pin it: minifiers rename classes). */
  get className(): string {
    return this.constructor.name;
  }

  /** `Dense "hidden1"`, for messages. */
  protected get who(): string {
    return `${this.className} "${this.name}"`;
  }

  get trainable(): boolean {
    return this.#trainable;
  }

  /** Setting false moves every weight to nonTrainableWeights (and back), as in Keras. */
  set trainable(value: boolean) {
    this.#trainable = boolOption(this.who, 'trainable', value, true);
    this.#store.setTrainable(value);
  }

  /** Every weight: those created trainable first, then the others (a stable order for setWeights). */
  get weights(): Variable[] {
    return this.#store.all();
  }

  get trainableWeights(): Variable[] {
    if (!this.#trainable) return [];
    return this.#store.trainable();
  }

  get nonTrainableWeights(): Variable[] {
    const t = new Set(this.trainableWeights);
    return this.weights.filter((w) => !t.has(w));
  }

  /** Copies of the weights' values, in `weights` order (the caller owns them), as Keras's get_weights. */
  getWeights(): Tensor[] {
    this.assertUsable('getWeights');
    return readWeights(this.weights);
  }

  /**
   * Sets every weight, in `weights` order (what getWeights returns), from Tensors or nested
   * arrays. Shapes must match; a value of another dtype is converted when that is exact. All
   * or nothing: every value is checked before the first is assigned.
   */
  setWeights(values: readonly WeightValue[]): void {
    this.assertUsable('setWeights');
    assignWeights(this.who, this.weights, values);
  }

  /** Number of scalars in the weights created so far (0 before build). */
  countParams(): number {
    return this.#store.countParams();
  }

  /**
   * Creates a weight. Its initial value comes from the initializer drawing on this layer's
   * own random stream for this weight name; the Variable is named `<layer>/<weight>`.
   */
  addWeight(options: AddWeightOptions): Variable {
    return this.#store.add({ who: this.who, name: this.name, dtype: this.dtype, trainable: this.#trainable }, options);
  }

  /**
   * Penalties of the weight regularizers, computed now (scalars; trainable weights only, as
   * Keras). The trainer adds them to the loss.
   */
  regularizationLosses(): Tensor[] {
    return this.#store.regularizationLosses(new Set(this.trainableWeights));
  }

  /**
   * The activity penalties of the last outermost call (kept tensors the layer owns and frees
   * at the next call; the training step adds them to the loss). A Model adds its layers'.
   */
  activityLosses(): Tensor[] {
    return this.#activity.list;
  }

  /** @internal Frees the last call's activity penalties (a Model: its layers' too). */
  clearActivityLosses(): void {
    this.#activity.clear();
  }

  /**
   * Keras's `layer.losses`: the activity penalties of the last call, then the weight
   * regularizers' penalties at the current weights. Scalars the caller owns (copies).
   */
  get losses(): Tensor[] {
    this.assertUsable('losses');
    return [...this.activityLosses().map((t) => copy(t)), ...this.regularizationLosses()];
  }

  /** Runs `call` as one layer call (outermost: clears the previous penalties; records its own). */
  protected runCall(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    return layerCall(
      () => this.clearActivityLosses(),
      () => {
        const out = this.call(inputs, args);
        const reg = this.activityRegularizer;
        if (reg) this.#activity.record(reg, out);
        return out;
      },
    );
  }

  /** The weights that carry a constraint, for the trainer to project after each update. */
  weightConstraints(): { variable: Variable; constraint: Constraint }[] {
    return this.#store.constraints(new Set(this.trainableWeights));
  }

  /**
   * Frees the layer's weights (Keras has no equivalent: Python frees them with the layer). The
   * layer cannot be used afterwards.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.clearActivityLosses();
    this.#store.dispose();
  }

  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** The one check every entry point of a disposed layer or model runs (apply, fit, predict...). */
  protected assertUsable(op: string): void {
    if (this.#disposed) throw new DisposedError(`${op}: ${this.who} was disposed; its weights are freed, so it can no longer be used (build a new one)`);
  }

  /** The current value of a weight: the variable itself, or its stand-in during callWithWeights. */
  protected read(w: Variable): Tensor {
    return this.#overrides?.get(w) ?? w;
  }

  /**
   * Runs the layer with `values` standing in for its weights (in `weights` order), leaving the
   * variables untouched: gradients flow to `values`, which is how gradient checks and
   * functional-style training differentiate with respect to weights.
   */
  callWithWeights(values: readonly Tensor[], inputs: Tensor | readonly Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const ws = this.weights;
    if (values.length !== ws.length) throw new ValueError(`${this.who}.callWithWeights: the layer has ${ws.length} weights, received ${values.length} values`);
    const map = new Map<Variable, Tensor>();
    ws.forEach((w, i) => {
      const v = values[i] as Tensor;
      checkWeightShape(`${this.who}.callWithWeights`, w, v);
      map.set(w, v);
    });
    const saved = this.#overrides;
    this.#overrides = map;
    try {
      const out = this.applyAll(inputs, args);
      return out.length === 1 ? (out[0] as Tensor) : out;
    } finally {
      this.#overrides = saved;
    }
  }

  /** Creates the weights for inputs of `inputShape` (null: unknown). The default has none. */
  build(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    void inputShape;
  }

  /**
   * The computation; every layer overrides it (single-output layers return one Tensor). Not
   * abstract so that a Model, whose graph or subclass supplies the computation, need not.
   */
  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    void inputs;
    void args;
    throw new ValueError(`${this.who} does not implement call()`);
  }

  /**
   * Output shape(s) for inputs of `inputShape`, null where unknown. The default runs the layer
   * on zeros (see traceOutputs); built-in layers override it with the exact rule.
   */
  computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const several = isShapeList(inputShape);
    const shapes: readonly SymbolicShape[] = several ? inputShape : [inputShape];
    const out = this.traceOutputs(shapes, shapes.map(() => this.dtype), several).map((o) => o.shape);
    return out.length === 1 ? (out[0] as SymbolicShape) : out;
  }

  /**
   * Output shapes and dtypes found by running `call` on zeros twice, with unknown dimensions
   * set to 1 and then 2: output dimensions that changed are reported as null. This is what a
   * user layer without computeOutputShape gets in the functional API.
   */
  private traceOutputs(shapes: readonly SymbolicShape[], dtypes: readonly DType[], several: boolean): { shape: SymbolicShape; dtype: DType }[] {
    const trace = (fill: number): { shape: readonly number[]; dtype: DType }[] =>
      scope(() => {
        const xs = shapes.map((s, i) => zeros(s.map((d) => d ?? fill), dtypes[i] ?? this.dtype));
        const out = this.call(several ? xs : (xs[0] as Tensor), { training: false });
        return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, dtype: t.dtype }));
      });
    const a = trace(1);
    const b = trace(2);
    return a.map((o, i) => ({ shape: o.shape.map((d, k) => (b[i]?.shape[k] === d ? d : null)), dtype: o.dtype }));
  }

  /** Output dtype for inputs of these dtypes: the layer's dtype for float inputs it casts. */
  computeOutputDtype(inputDtypes: readonly DType[]): DType {
    const first = inputDtypes[0] ?? this.dtype;
    return this.autocast && isFloat(first) ? this.dtype : first;
  }

  /** Plain JSON describing the layer; subclasses add their arguments to this. */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    // Any layer may carry one (Keras's base Layer takes it); written only when set, so other
    // layers' configs are unchanged. Dense always writes it, as Keras's does.
    if (this.activityRegularizer) config['activityRegularizer'] = serializeHook(this.activityRegularizer);
    return config;
  }

  // ----------------------------------------------------------------------------- apply

  /** Runs the layer (building it first if needed); records a graph node for symbolic inputs. */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], args?: CallArgs): SymbolicTensor;
  apply(inputs: Tensor | readonly Tensor[], args?: CallArgs): Tensor;
  apply(inputs: Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[], args?: CallArgs): Tensor | SymbolicTensor;
  apply(inputs: Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[], args: CallArgs = {}): Tensor | SymbolicTensor {
    const out = inputs instanceof SymbolicTensor || isSymbolicList(inputs) ? this.applyAll(inputs, args) : this.applyAll(inputs as Tensor | readonly Tensor[], args);
    if (out.length !== 1) {
      throw new ValueError(`${this.who} returned ${out.length} outputs; use applyAll to get them as an array`);
    }
    return out[0] as Tensor | SymbolicTensor;
  }

  /** `apply` for layers with several outputs: always an array. */
  applyAll(inputs: SymbolicTensor | readonly SymbolicTensor[], args?: CallArgs): SymbolicTensor[];
  applyAll(inputs: Tensor | readonly Tensor[], args?: CallArgs): Tensor[];
  applyAll(inputs: Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[], args: CallArgs = {}): Tensor[] | SymbolicTensor[] {
    checkOptions(`${this.who}.apply`, args, CALL_ARGS);
    if (inputs instanceof SymbolicTensor || isSymbolicList(inputs)) return this.applySymbolic(inputs, args);
    const asList = Array.isArray(inputs);
    const list: readonly unknown[] = asList ? inputs : [inputs];
    if (list.length === 0) throw new ValueError(`${this.who} received an empty list of inputs`);
    list.forEach((x, i) => {
      if (!(x instanceof Tensor)) {
        const what = x instanceof SymbolicTensor ? 'a SymbolicTensor mixed with Tensors' : fmtReceived(x);
        throw new ValueError(`${this.who} expects Tensor or SymbolicTensor inputs, received ${what}${asList ? ` at input ${i}` : ''}`);
      }
    });
    this.assertUsable('apply');
    const tensors = list as readonly Tensor[];
    const shapes = tensors.map((t) => t.shape);
    this.checkInputs(shapes, tensors.map((t) => t.dtype));
    this.ensureBuilt(asList ? shapes : (shapes[0] as SymbolicShape));
    const cast_ = tensors.map((t) => (this.autocast && isFloat(t.dtype) && t.dtype !== this.dtype ? cast(t, this.dtype) : t));
    const out = this.runCall(asList ? cast_ : (cast_[0] as Tensor), { training: boolOption(this.who, 'training', args.training, false) });
    return Array.isArray(out) ? out : [out];
  }

  /** Builds for `inputShape` unless built already (models use it to build eagerly). */
  ensureBuilt(inputShape: SymbolicShape | readonly SymbolicShape[]): void {
    if (this.built) return;
    this.build(inputShape);
    this.built = true;
  }

  /** The graph nodes this layer was called in (one per functional-API call). */
  get inboundNodes(): readonly Node[] {
    return this.#nodes;
  }

  private checkInputs(shapes: readonly SymbolicShape[], dtypes: readonly DType[]): void {
    const spec = this.inputSpec;
    if (spec === null) return;
    if (isSpecList(spec) && spec.length !== shapes.length) throw new ValueError(`${this.who} expects ${spec.length} inputs, received ${shapes.length}`);
    shapes.forEach((s, i) => {
      const one = isSpecList(spec) ? (spec[i] as InputSpec) : spec;
      const which = isSpecList(spec) || shapes.length > 1 ? `, input ${i}` : '';
      checkInputDtype(one, dtypes[i] ?? this.dtype, this.dtype, this.who, which);
      checkInputSpec(one, s, this.who, which);
    });
  }

  private applySymbolic(inputs: SymbolicTensor | readonly SymbolicTensor[], args: CallArgs): SymbolicTensor[] {
    const asList = Array.isArray(inputs);
    const list: readonly SymbolicTensor[] = asList ? inputs : [inputs as SymbolicTensor];
    this.assertUsable('apply');
    const shapes = list.map((t) => t.shape);
    this.checkInputs(shapes, list.map((t) => t.dtype));
    const shapeArg = asList ? shapes : (shapes[0] as SymbolicShape);
    this.ensureBuilt(shapeArg);
    const dtypes = list.map((t) => (this.autocast && isFloat(t.dtype) ? this.dtype : t.dtype));
    if (this.computeOutputShape === Layer.prototype.computeOutputShape) {
      // No shape rule: trace, which gives the dtypes too (a user layer may return int32).
      const specs = this.traceOutputs(shapes, dtypes, asList);
      return this.recordNode(list, asList, args, specs.map((o) => o.shape), specs.map((o) => o.dtype));
    }
    const outShape = this.computeOutputShape(shapeArg);
    const outShapes: readonly SymbolicShape[] = isShapeList(outShape) ? outShape : [outShape];
    const dtype = this.computeOutputDtype(list.map((t) => t.dtype));
    return this.recordNode(list, asList, args, outShapes, outShapes.map(() => dtype));
  }

  /** @internal Records a call in the graph and makes its symbolic outputs (input.ts uses it with no inputs). */
  protected recordNode(inputs: readonly SymbolicTensor[], asList: boolean, args: CallArgs, outShapes: readonly SymbolicShape[], dtypes: readonly DType[]): SymbolicTensor[] {
    const node = new Node(this, inputs, asList, { ...args });
    const n = this.#nodes.length;
    const base = n === 0 ? this.name : `${this.name}_${n}`;
    const outs = outShapes.map((s, i) => new SymbolicTensor(s, dtypes[i] ?? this.dtype, node, i, i === 0 ? base : `${base}_${i}`));
    node.outputs = outs;
    this.#nodes.push(node);
    return outs;
  }
}

function isSpecList(spec: InputSpec | readonly InputSpec[]): spec is readonly InputSpec[] {
  return Array.isArray(spec);
}

/** True for a list of shapes ([[null, 3], [null, 4]]), false for one shape ([null, 3]). */
export function isShapeList(s: SymbolicShape | readonly SymbolicShape[]): s is readonly SymbolicShape[] {
  return s.length > 0 && s.every((d) => Array.isArray(d));
}
