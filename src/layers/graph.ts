/**
 * Walking a functional graph: which layer calls (Nodes) lie between some symbolic inputs and
 * outputs, in an order where every node comes after the nodes it reads from, and running them
 * on real tensors. A functional model is this plus bookkeeping.
 */
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { cast } from '../ops/movement.js';
import { isFloat } from '../core/dtype.js';
import type { CallArgs, Layer } from './layer.js';
import { fmtSymbolicShape, type Node, type SymbolicTensor } from './symbolic.js';

/**
 * The nodes needed to compute `outputs` from `inputs`, each after the nodes producing its
 * inputs (a depth-first post-order from the outputs, so the order is deterministic: the
 * order in which the graph was written). Throws a ValueError when an output depends on a
 * graph input that is not among `inputs` (Keras's "graph disconnected").
 */
export function topologicalNodes(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): Node[] {
  const given = new Set(inputs);
  if (given.size !== inputs.length) throw new ValueError('functional graph: the same input is listed twice');
  const order: Node[] = [];
  const done = new Set<Node>();
  // Iterative DFS: deep graphs must not overflow the call stack.
  for (const out of outputs) {
    if (given.has(out)) continue;
    const stack: { node: Node; next: number }[] = [{ node: out.node, next: 0 }];
    const onPath = new Set<Node>([out.node]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: Node; next: number };
      if (done.has(top.node)) {
        stack.pop();
        onPath.delete(top.node);
        continue;
      }
      const ins = top.node.inputs;
      if (ins.length === 0) {
        throw new ValueError(
          `functional graph disconnected: output "${out.name}" depends on input "${top.node.outputs[0]?.name ?? top.node.layer.name}", which is not among the inputs [${inputs.map((i) => i.name).join(', ')}]`,
        );
      }
      if (top.next < ins.length) {
        const t = ins[top.next++] as SymbolicTensor;
        if (!given.has(t) && !done.has(t.node) && !onPath.has(t.node)) {
          stack.push({ node: t.node, next: 0 });
          onPath.add(t.node);
        }
        continue;
      }
      done.add(top.node);
      order.push(top.node);
      stack.pop();
      onPath.delete(top.node);
    }
  }
  return order;
}

/**
 * The distinct layers of the graph in execution order, the inputs' InputLayers first (in
 * `inputs` order); a layer used several times (shared weights) appears once.
 */
export function graphLayers(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): Layer[] {
  const seen = new Set<Layer>();
  const out: Layer[] = [];
  const push = (l: Layer): void => {
    if (!seen.has(l)) seen.add(l), out.push(l);
  };
  for (const i of inputs) push(i.sourceLayer);
  for (const n of topologicalNodes(inputs, outputs)) push(n.layer);
  return out;
}

/**
 * Computes `outputs` for real `values` of `inputs` by running the graph's layers in
 * topological order. A node built with an explicit `training` keeps it (Monte Carlo dropout);
 * the others get `args.training`. Values are checked against the inputs' known dimensions;
 * float values are cast to the input's float dtype.
 */
export function runGraph(
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
  values: readonly Tensor[],
  args: CallArgs = {},
  order: readonly Node[] = topologicalNodes(inputs, outputs),
): Tensor[] {
  if (values.length !== inputs.length) {
    throw new ValueError(`functional graph: expected ${inputs.length} input tensors (${inputs.map((i) => i.name).join(', ')}), received ${values.length}`);
  }
  const env = new Map<SymbolicTensor, Tensor>();
  inputs.forEach((sym, i) => {
    const v = values[i] as Tensor;
    const s = sym.shape;
    if (v.rank !== s.length || s.some((d, k) => d !== null && d !== v.shape[k])) {
      throw new ShapeError(`functional graph: input "${sym.name}" expects shape ${fmtSymbolicShape(s)}, received shape ${fmtSymbolicShape(v.shape)}`);
    }
    let x = v;
    if (v.dtype !== sym.dtype) {
      if (!(isFloat(v.dtype) && isFloat(sym.dtype))) throw new DTypeError(`functional graph: input "${sym.name}" expects dtype ${sym.dtype}, received ${v.dtype}`);
      x = cast(v, sym.dtype);
    }
    env.set(sym, x);
  });
  const training = args.training ?? false;
  for (const node of order) {
    const ins = node.inputs.map((t) => {
      const v = env.get(t);
      if (!v) throw new ValueError(`functional graph: "${t.name}" is needed by layer "${node.layer.name}" before it is computed`);
      return v;
    });
    const callArgs: CallArgs = { training: node.callArgs.training ?? training };
    const outs = node.inputsAsList ? node.layer.applyAll(ins, callArgs) : node.layer.applyAll(ins[0] as Tensor, callArgs);
    if (outs.length !== node.outputs.length) {
      throw new ValueError(`functional graph: layer "${node.layer.name}" returned ${outs.length} outputs, the graph recorded ${node.outputs.length}`);
    }
    node.outputs.forEach((sym, i) => env.set(sym, outs[i] as Tensor));
  }
  return outputs.map((o) => {
    const v = env.get(o);
    if (!v) throw new ValueError(`functional graph: output "${o.name}" was not computed`);
    return v;
  });
}
