/**
 * Reverse-mode differentiation. `valueAndGrad` runs f with a tape watching the given tensors,
 * then walks the tape backwards, summing gradients where a tensor feeds several ops (fan-out).
 * Everything made along the way is freed except the value and the gradients.
 */
import { scope } from '../core/engine.js';
import { DTypeError, ShapeError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, peekNextTensorId } from '../core/tensor.js';
import { fill, makeView } from '../ops/primitives.js';
import { add } from '../ops/elementwise.js';
import { Tape, isRecording, popTape, pushTape, record, releaseTape, withoutRecording } from './tape.js';
import { vjp } from './rules.js';

export interface ValueAndGrad {
  value: Tensor;
  grads: Tensor[];
}

/** Walks the tape backwards from `output` with seed `dy`; returns d(output)/d(x) per x. */
function backward(tape: Tape, output: Tensor, dy: Tensor, xs: readonly Tensor[]): Tensor[] {
  const g = new Map<number, Tensor>([[output.id, dy]]);
  withoutRecording(() => {
    for (let i = tape.nodes.length - 1; i >= 0; i--) {
      const node = tape.nodes[i]!;
      const gy = g.get(node.output.id);
      if (!gy) continue;
      const gin = vjp(node, gy, node.inputs.map((input) => tape.watched.has(tape.owner(input).id)));
      node.inputs.forEach((input, k) => {
        const gx = gin[k];
        const x = tape.owner(input);
        if (!gx || !tape.watched.has(x.id)) return;
        if (!shapesEqual(gx.shape, x.shape)) {
          throw new ShapeError(`gradient of ${node.kind}: expected shape ${fmtShape(x.shape)}, rule returned ${fmtShape(gx.shape)}`);
        }
        const prev = g.get(x.id);
        g.set(x.id, prev ? add(prev, gx) : gx);
      });
    }
  });
  return xs.map((x) => g.get(x.id) ?? fill(x.shape, 0, x.dtype));
}

/**
 * The value of f() and its gradient with respect to each of `xs` (usually Variables). f must
 * return a tensor; a non-scalar result is differentiated as the sum of its elements, unless
 * `dy` gives the seed. A tensor f does not depend on gets a zero gradient.
 */
export function valueAndGrad(f: () => Tensor, xs: readonly Tensor[], dy?: Tensor): ValueAndGrad {
  if (typeof f !== 'function') throw new ValueError(`valueAndGrad: f must be a function, received ${fmtReceived(f)}`);
  if (!Array.isArray(xs) || xs.some((x) => !(x instanceof Tensor))) {
    throw new ValueError('valueAndGrad: xs must be an array of Tensors (the tensors to differentiate with respect to)');
  }
  if (xs.length === 0) throw new ValueError('valueAndGrad: expects at least one tensor to differentiate with respect to');
  const firstId = peekNextTensorId();
  return scope(() => {
    const tape = new Tape();
    for (const x of xs) {
      x.assertAlive('valueAndGrad');
      tape.watched.add(x.id);
    }
    pushTape(tape);
    let value: Tensor;
    let raw: Tensor[];
    let touched: Tensor[] = [];
    // releaseTape on every path (f or a rule throwing included), or the tensors the tape held
    // would be handed from scope to scope instead of freed.
    try {
      try {
        value = f();
      } finally {
        popTape(tape);
      }
      if (!(value instanceof Tensor)) throw new ValueError(`valueAndGrad: f must return a Tensor, received ${fmtReceived(value)}`);
      if (dy && !shapesEqual(dy.shape, value.shape)) {
        throw new ShapeError(`valueAndGrad: dy must have the shape of f's result ${fmtShape(value.shape)}, received ${fmtShape(dy.shape)}`);
      }
      if (dy && dy.dtype !== value.dtype) {
        throw new DTypeError(`valueAndGrad: dy must have the dtype of f's result (${value.dtype}), received ${dy.dtype}`);
      }
      const seed = dy ?? fill(value.shape, 1, value.dtype);
      raw = tape.watched.has(value.id) ? backward(tape, value, seed, xs) : xs.map((x) => fill(x.shape, 0, x.dtype));
      // Only an enclosing tape (this one is popped) needs to know what the gradients depend on.
      if (isRecording()) touched = [...new Set([...xs, ...tape.nodes.flatMap((n) => n.inputs.map((x) => tape.owner(x)))])];
    } finally {
      releaseTape(tape);
    }
    // Each gradient must be a tensor of its own that the caller may dispose: a rule can hand
    // back the same tensor for two inputs (add gives dy to both), the value itself (f = x),
    // or a tensor the caller owns (the seed dy, a constant captured by a customGrad). Those
    // get a fresh view: no copy, and disposing it leaves the other owner's tensor alive.
    const seen = new Set<Tensor>([value]);
    const grads = raw.map((g) => {
      const fresh = g.id >= firstId && !seen.has(g) && !g.kept && g !== dy;
      seen.add(g);
      return fresh ? g : makeView(g, g.shape, g.strides, g.offset);
    });
    // The backward pass is not recorded, so an enclosing valueAndGrad would see these gradients
    // as constants and silently get a zero (or partial) second derivative. Record them on any
    // enclosing tape as nodes whose rule refuses, so that mistake is an error instead.
    if (touched.length > 0) for (const g of grads) record('custom', touched, g, { vjp: higherOrderUnsupported });
    // Likewise the value: f may return a tensor it did not make (an input, a constant).
    const own = value.id >= firstId && !value.kept ? value : makeView(value, value.shape, value.strides, value.offset);
    return { value: own, grads };
  });
}

function higherOrderUnsupported(): never {
  throw new ValueError(
    'valueAndGrad: differentiating through a gradient (a gradient of a gradient) is not supported; ' +
      'the backward pass is not recorded. Wrap the inner gradient in stopGradient if it is meant as a constant.',
  );
}

/** grad(f)(x): the gradient of f at x, as in JAX and TensorFlow.js. */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  if (typeof f !== 'function') throw new ValueError(`grad: f must be a function, received ${fmtReceived(f)}`);
  return (x, dy) => grads((y: Tensor) => f(y))([x], dy)[0] as Tensor;
}

/** grads(f)(xs): one gradient per argument of f. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: readonly Tensor[], dy?: Tensor) => Tensor[] {
  if (typeof f !== 'function') throw new ValueError(`grads: f must be a function, received ${fmtReceived(f)}`);
  return (xs, dy) => {
    const r = valueAndGrad(() => f(...xs), xs, dy);
    // The value is not returned, so free it (outside a scope it would leak). It is always a
    // tensor of its own (valueAndGrad wraps an input or constant that f returns in a view).
    r.value.dispose();
    return r.grads;
  };
}

/**
 * Gives a composite op its own gradient (for fused kernels and numerically better rules).
 * `f` computes the value without recording and returns it with a `gradFunc` that maps dy to
 * one gradient per input.
 */
export function customGrad(
  f: (...inputs: Tensor[]) => { value: Tensor; gradFunc: (dy: Tensor) => (Tensor | null)[] },
): (...inputs: Tensor[]) => Tensor {
  return (...inputs) => {
    const r = withoutRecording(() => f(...inputs));
    const { gradFunc } = r;
    // An output that is one of the inputs would make the node its own input on the tape.
    const value = inputs.includes(r.value) ? makeView(r.value, r.value.shape, r.value.strides, r.value.offset) : r.value;
    record('custom', inputs, value, {
      vjp: (dy) => {
        const gs = gradFunc(dy);
        if (gs.length !== inputs.length) {
          throw new ValueError(`customGrad: gradFunc must return ${inputs.length} gradients, returned ${gs.length}`);
        }
        return gs;
      },
    });
    return value;
  };
}
