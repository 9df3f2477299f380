/**
 * Sequential: a plain stack of layers, each feeding the next. Given an `input(...)` first (or
 * layers built on an input shape), every layer is built at once, so `summary()` shows shapes
 * and parameter counts before any data is seen; otherwise the stack builds on first use.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { cast } from '../ops/movement.js';
import { Layer, isShapeList, type CallArgs, type LayerConfig } from '../layers/layer.js';
import { checkOptions } from '../core/options.js';
import { serializeLayer } from '../layers/registry.js';
import { sequentialLayersFromConfig, type DeserializeOptions, type SequentialConfig } from './serialization.js';
import { input } from '../layers/input.js';
import { SymbolicTensor, type SymbolicShape } from '../layers/symbolic.js';
import { MODEL_ARGS, Model, type ModelArgs } from './model.js';
import { assertUniqueNames, containsLayer } from './nesting.js';
import type { SummaryRow } from './summary.js';
import type { OutputInfo } from '../training/compile.js';

export class Sequential extends Model {
  private readonly stack: Layer[] = [];
  private inputSymbol: SymbolicTensor | null = null;
  /** Output of each layer of the stack on the symbolic input (null until known). */
  private symbolicOutputs: SymbolicTensor[] | null = null;
  /** Without an input(...), the input shape of the first call (for the summary's shapes). */
  private seenInputShape: SymbolicShape | null = null;

  /** Unique by default, as in Keras: `sequential`, `sequential_1`, ... */
  constructor(layers: readonly (Layer | SymbolicTensor)[] = [], args: ModelArgs = {}) {
    checkOptions('sequential', args, MODEL_ARGS);
    super({ ...args, name: args.name });
    for (const l of layers) this.add(l);
  }

  /** Pinned (minifiers rename classes): configs and the default name `sequential` use it. */
  override get className(): string {
    return 'Sequential';
  }

  /** Appends a layer (or sets the input, when given `input({shape})` first). */
  add(layer: Layer | SymbolicTensor): void {
    this.assertUsable('add');
    if (layer instanceof SymbolicTensor) {
      if (this.stack.length > 0 || this.inputSymbol) {
        throw new ValueError(`Sequential "${this.name}": an input(...) can only come first`);
      }
      this.inputSymbol = layer;
      this.symbolicOutputs = [];
      return;
    }
    if (!(layer instanceof Layer)) throw new ValueError(`Sequential "${this.name}".add: expected a Layer or input(...), received ${fmtReceived(layer)}`);
    if (this.stack.includes(layer)) throw new ValueError(`Sequential "${this.name}".add: layer "${layer.name}" is already in the model`);
    if (containsLayer(layer, this)) {
      throw new ValueError(`Sequential "${this.name}".add: ${layer === this ? 'a model cannot be added to itself' : `"${layer.name}" contains this model; a model cannot be a layer of itself`}`);
    }
    assertUniqueNames(`Sequential "${this.name}".add`, [...(this.inputSymbol ? [this.inputSymbol.sourceLayer] : []), ...this.stack, layer]);
    if (layer.batchInputShape) {
      // Keras's inputShape on the first layer: an implicit input(...), so the model builds now.
      if (this.stack.length > 0 || this.inputSymbol) {
        throw new ValueError(`Sequential "${this.name}".add: layer "${layer.name}" has an inputShape, but only a model's first layer may have one (the input is set by then)`);
      }
      this.add(input({ batchShape: layer.batchInputShape, dtype: layer.dtype }));
    }
    this.stack.push(layer);
    if (this.symbolicOutputs && this.inputSymbol) {
      const prev = this.symbolicOutputs[this.symbolicOutputs.length - 1] ?? this.inputSymbol;
      const out = layer.apply(prev);
      if (!(out instanceof SymbolicTensor)) {
        throw new ValueError(`Sequential "${this.name}": layer "${layer.name}" has several outputs; a Sequential model needs one per layer`);
      }
      this.symbolicOutputs.push(out);
    }
  }

  /** Removes the last layer (Keras's pop). */
  pop(): Layer {
    const l = this.stack.pop();
    if (!l) throw new ValueError(`Sequential "${this.name}".pop: the model has no layers`);
    this.symbolicOutputs?.pop();
    return l;
  }

  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** One tensor out: every layer of a Sequential model has one output (as in Keras). */
  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const [first, ...rest] = this.stack;
    if (!first) throw new ValueError(`Sequential "${this.name}": the model has no layers`);
    let x: Tensor | Tensor[] = inputs;
    if (this.inputSymbol) {
      // Integer pixels and the like become the input's float dtype (Keras casts model inputs);
      // then the InputLayer checks the shape, so a wrong shape names the input, not a later layer.
      const want = this.inputSymbol.dtype;
      if (x instanceof Tensor && x.dtype !== want && want !== 'int32' && want !== 'bool') x = cast(x, want);
      x = this.single(this.inputSymbol.sourceLayer, x, args);
    }
    else if (x instanceof Tensor && !this.seenInputShape) this.seenInputShape = [null, ...x.shape.slice(1)];
    let y = this.single(first, x, args);
    for (const l of rest) y = this.single(l, y, args);
    return y;
  }

  private single(layer: Layer, x: Tensor | Tensor[], args: CallArgs): Tensor {
    const out = layer.applyAll(x, args);
    if (out.length !== 1) {
      throw new ValueError(`Sequential "${this.name}": layer "${layer.name}" returned ${out.length} outputs; every layer of a Sequential model must have one (use the functional API)`);
    }
    return out[0] as Tensor;
  }

  override inputNamesFor(): string[] {
    return [this.inputSymbol?.name ?? 'input'];
  }

  protected override outputNamesFor(count: number): string[] {
    const last = this.stack[this.stack.length - 1];
    return count === 1 && last ? [last.name] : super.outputNamesFor(count);
  }

  override knownInputShapes(): (readonly (number | null)[] | null)[] | null {
    return this.inputSymbol ? [this.inputSymbol.shape] : null;
  }

  /** `{name, layers}`: the InputLayer (when given) and each layer as `{className, config}`. */
  override getConfig(): SequentialConfig & LayerConfig {
    const layers = [...(this.inputSymbol ? [this.inputSymbol.sourceLayer] : []), ...this.stack];
    return { name: this.name, layers: layers.map(serializeLayer) };
  }

  static fromConfig(config: SequentialConfig, options: DeserializeOptions = {}): Sequential {
    const { input, layers } = sequentialLayersFromConfig(config, options);
    return new Sequential([...(input ? [input] : []), ...layers], { name: config.name });
  }

  protected override knownOutputs(): OutputInfo[] | null {
    const last = this.symbolicOutputs?.[this.symbolicOutputs.length - 1];
    const layer = this.stack[this.stack.length - 1];
    return last && layer ? [{ name: layer.name, shape: last.shape }] : null;
  }

  protected override summaryRows(): SummaryRow[] {
    let shape: SymbolicShape | null = this.seenInputShape;
    return this.stack.map((l, i) => {
      const s = this.symbolicOutputs?.[i];
      let out: SymbolicShape | null = s ? s.shape : null;
      if (!s && shape && l.built) {
        const o = l.computeOutputShape(shape);
        out = isShapeList(o) ? null : o;
      }
      shape = out;
      return { name: l.name, type: l.className, outputShape: out ? [out] : null, params: l.countParams() };
    });
  }
}

/** `sequential([input({shape: [28, 28]}), flatten(), dense({units: 10})])`. */
export function sequential(layers: readonly (Layer | SymbolicTensor)[] = [], args: ModelArgs = {}): Sequential {
  return new Sequential(layers, args);
}
