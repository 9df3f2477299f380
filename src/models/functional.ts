/**
 * Functional models: `model({inputs, outputs})` over a graph of layer calls built with
 * `input(...)` and `layer.apply(symbolic)`. Several inputs and outputs, shared layers and
 * branches (Wide & Deep) all come from the graph; layers/graph.ts orders and replays it.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { CallArgs, Layer, LayerConfig } from '../layers/layer.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { functionalConfig, rebuildGraph, type DeserializeOptions, type FunctionalConfig } from './serialization.js';
import { SymbolicTensor, type Node } from '../layers/symbolic.js';
import { graphLayers, runGraph, topologicalNodes } from '../layers/graph.js';
import type { ModelData } from '../training/data.js';
import { MODEL_ARGS, Model, type ModelArgs, type ModelOutput } from './model.js';
import { assertUniqueNames } from './nesting.js';
import type { SummaryRow } from './summary.js';
import type { OutputInfo } from '../training/compile.js';

export interface FunctionalArgs extends ModelArgs {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
}

/** The `outputs` argument that makes call return O: one SymbolicTensor for Tensor, an array for Tensor[]. */
export type SymbolicOutputs<O extends ModelOutput> = O extends Tensor ? SymbolicTensor : readonly SymbolicTensor[];
const FUNCTIONAL_ARGS: OptionKeys<Omit<FunctionalArgs, keyof ModelArgs>> = { inputs: true, outputs: true };

function asList(what: string, v: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor[] {
  const list = Array.isArray(v) ? [...v] : [v];
  if (list.length === 0) throw new ValueError(`model: ${what} must not be empty`);
  list.forEach((t, i) => {
    if (!(t instanceof SymbolicTensor)) {
      throw new ValueError(`model: ${what}${Array.isArray(v) ? `[${i}]` : ''} must be a SymbolicTensor (from input(...) or layer.apply(symbolic)), received ${fmtReceived(t)}`);
    }
  });
  return list;
}

/**
 * O is what call and predict return: Tensor when `outputs` was one SymbolicTensor, Tensor[]
 * when it was an array (even of one), as in Keras. `model({inputs, outputs})` infers it.
 */
export class Functional<O extends ModelOutput = ModelOutput> extends Model {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  private readonly order: readonly Node[];
  private readonly graph: readonly Layer[];
  /** @internal `outputs` was one tensor, not an array: call returns a Tensor (cloneModel keeps it). */
  readonly singleOutput: boolean;

  constructor(args: FunctionalArgs & { outputs: SymbolicOutputs<O> }) {
    checkOptions('model', args, MODEL_ARGS, FUNCTIONAL_ARGS);
    if (args === undefined) throw new ValueError('model: expected {inputs, outputs}');
    // Unique by default, as in Keras 3: `functional`, `functional_1`, ...
    super({ name: args.name, trainable: args.trainable, dtype: args.dtype });
    this.inputs = asList('inputs', args.inputs);
    this.outputs = asList('outputs', args.outputs);
    this.singleOutput = !Array.isArray(args.outputs);
    this.inputs.forEach((t) => {
      if (t.inputs.length !== 0) throw new ValueError(`model: inputs must come from input(...); "${t.name}" is the output of layer "${t.sourceLayer.name}"`);
    });
    this.order = topologicalNodes(this.inputs, this.outputs); // throws when disconnected
    this.graph = graphLayers(this.inputs, this.outputs);
    assertUniqueNames(`model "${this.name}"`, this.graph);
    const names = this.outputs.map((o) => o.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new ValueError(`model: two outputs are named "${dup}"; outputs must be distinct tensors`);
    this.built = true;
  }

  /** Pinned (minifiers rename classes): the default name `functional` comes from it. */
  override get className(): string {
    return 'Functional';
  }

  /** Every layer of the graph in execution order, InputLayers first (as Keras lists them). */
  override get layers(): Layer[] {
    return [...this.graph];
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): O {
    const values = Array.isArray(inputs) ? inputs : [inputs];
    const out = runGraph(this.inputs, this.outputs, values, args, this.order);
    // singleOutput is what O records: the constructor's caller chose O from the same outputs.
    const result: ModelOutput = this.singleOutput ? (out[0] as Tensor) : out;
    return result as O;
  }

  override inputNamesFor(_x?: ModelData): string[] {
    return this.inputs.map((i) => i.sourceLayer.name);
  }

  /** Outputs are named after the layers that produce them (Keras's output_names). */
  protected override outputNamesFor(): string[] {
    return this.outputNames;
  }

  /** Names of the inputs (their InputLayers): the keys x may use. */
  get inputNames(): string[] {
    return this.inputNamesFor();
  }

  /** Names of the outputs: the keys of per-output losses, metrics, lossWeights and y. */
  get outputNames(): string[] {
    return this.outputs.map((o) => o.name);
  }

  override knownInputShapes(): (readonly (number | null)[] | null)[] {
    return this.inputs.map((i) => i.shape);
  }

  /** Keras's functional config: layers with their inbound nodes, input and output refs. */
  override getConfig(): FunctionalConfig & LayerConfig {
    return functionalConfig(this.name, this.graph, this.order, this.inputs, this.outputs);
  }

  static fromConfig(config: FunctionalConfig, options: DeserializeOptions = {}): Functional {
    const { inputs, outputs } = rebuildGraph(config, options);
    const one = <T>(xs: T[]): T | T[] => (xs.length === 1 ? (xs[0] as T) : xs);
    return new Functional({ name: config.name, inputs: one(inputs), outputs: one(outputs) });
  }

  protected override knownOutputs(): OutputInfo[] {
    return this.outputs.map((o) => ({ name: o.name, shape: o.shape }));
  }

  protected override summaryRows(): SummaryRow[] {
    const inGraph = new Set<Node>([...this.order, ...this.inputs.map((i) => i.node)]);
    return this.graph.map((l) => {
      const nodes = l.inboundNodes.filter((n) => inGraph.has(n));
      return {
        name: l.name,
        type: l.className,
        outputShape: nodes.flatMap((n) => n.outputs.map((o) => o.shape)),
        params: l.countParams(),
        connectedTo: nodes.flatMap((n) => n.inputs.map((t) => `${t.sourceLayer.name}[${t.sourceLayer.inboundNodes.indexOf(t.node)}][${t.outputIndex}]`)),
      };
    });
  }
}

/**
 * The functional API: `model({inputs: [wide, deep], outputs: [main, aux]})`. One output
 * tensor gives a model whose predict resolves to a Tensor; an array of outputs, to an array.
 */
export function model(args: FunctionalArgs & { outputs: SymbolicTensor }): Functional<Tensor>;
export function model(args: FunctionalArgs & { outputs: readonly SymbolicTensor[] }): Functional<Tensor[]>;
export function model(args: FunctionalArgs): Functional;
export function model(args: FunctionalArgs): Functional {
  return new Functional(args);
}
