/**
 * Reverse-mode differentiation. `valueAndGrad` runs f with a tape watching the given tensors,
 * then walks the tape backwards, summing gradients where a tensor feeds several ops (fan-out).
 * Everything made along the way is freed except the value and the gradients.
 */
import { scope } from '../core/engine.js';
import { boolOption } from '../core/option_values.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
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

/** Extra outputs of f with `hasAux: true`: a tensor, or arrays and records of them. */
export type Aux = Tensor | readonly Aux[] | { readonly [key: string]: Aux };

/** valueAndGrad's result with `hasAux: true`: `aux` is what f returned beside the value. */
export interface ValueAndGradAux<A extends Aux> extends ValueAndGrad {
  aux: A;
}

export interface ValueAndGradOptions {
  /** The seed of the backward pass, of the value's shape and dtype [ones]. */
  dy?: Tensor;
  /**
   * [false] f returns `[value, aux]`: the value is differentiated, and aux (predictions,
   * per-output losses...) comes back beside it, alive, instead of being freed with the rest of
   * what f made (as in JAX's `value_and_grad(has_aux=True)`).
   */
  hasAux?: boolean;
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
 * `dy` gives the seed (as the third argument, or `{dy}`). A tensor f does not depend on gets a
 * zero gradient. With `{hasAux: true}` f returns `[value, aux]` and the result carries `aux`.
 * Every tensor returned (value, gradients, aux) is the caller's own, to dispose or leave to a
 * scope, even where f returned an input or one tensor twice (those come back as views).
 */
export function valueAndGrad<A extends Aux>(f: () => readonly [Tensor, A], xs: readonly Tensor[], options: ValueAndGradOptions & { hasAux: true }): ValueAndGradAux<A>;
export function valueAndGrad(f: () => Tensor, xs: readonly Tensor[], dyOrOptions?: Tensor | (ValueAndGradOptions & { hasAux?: false })): ValueAndGrad;
export function valueAndGrad(f: () => Tensor | readonly [Tensor, Aux], xs: readonly Tensor[], dyOrOptions?: Tensor | ValueAndGradOptions): ValueAndGrad & { aux?: Aux } {
  if (typeof f !== 'function') throw new ValueError(`valueAndGrad: f must be a function, received ${fmtReceived(f)}`);
  if (!Array.isArray(xs) || xs.some((x) => !(x instanceof Tensor))) {
    throw new ValueError('valueAndGrad: xs must be an array of Tensors (the tensors to differentiate with respect to)');
  }
  if (xs.length === 0) throw new ValueError('valueAndGrad: expects at least one tensor to differentiate with respect to');
  const { dy, hasAux } = valueAndGradOptions(dyOrOptions);
  const firstId = peekNextTensorId();
  return scope(() => {
    const tape = new Tape();
    for (const x of xs) {
      x.assertAlive('valueAndGrad');
      tape.watched.add(x.id);
    }
    pushTape(tape);
    let value: Tensor;
    let aux: Aux | undefined;
    let raw: Tensor[];
    let touched: Tensor[] = [];
    // releaseTape on every path (f or a rule throwing included), or the tensors the tape held
    // would be handed from scope to scope instead of freed.
    try {
      let out: Tensor | readonly [Tensor, Aux];
      try {
        out = f();
      } finally {
        popTape(tape);
      }
      if (hasAux) {
        if (!Array.isArray(out) || out.length !== 2) throw new ValueError(`valueAndGrad: with hasAux, f must return [value, aux], received ${fmtReceived(out)}`);
        aux = checkAux(out[1] as unknown, 'aux');
      }
      const v: unknown = hasAux ? (out as readonly unknown[])[0] : out;
      if (!(v instanceof Tensor)) throw new ValueError(`valueAndGrad: f must return a Tensor${hasAux ? ' as the value (the first of [value, aux])' : ''}, received ${fmtReceived(v)}`);
      value = v;
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
    if (aux === undefined) return { value: own, grads };
    // aux likewise, and a tensor it shares with the value, a gradient or itself (twice in a
    // record) comes back as a view, so that disposing each returned tensor once is right.
    seen.add(own);
    for (const g of grads) seen.add(g);
    const ownAux = (a: Aux): Aux => {
      if (a instanceof Tensor) {
        const fresh = a.id >= firstId && !a.kept && !seen.has(a) && a !== dy;
        seen.add(a);
        return fresh ? a : makeView(a, a.shape, a.strides, a.offset);
      }
      if (Array.isArray(a)) return a.map(ownAux);
      return Object.fromEntries(Object.entries(a).map(([k, e]) => [k, ownAux(e)]));
    };
    return { value: own, grads, aux: ownAux(aux) };
  });
}

function valueAndGradOptions(o: Tensor | ValueAndGradOptions | undefined): { dy: Tensor | undefined; hasAux: boolean } {
  if (o === undefined || o instanceof Tensor) return { dy: o, hasAux: false };
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    throw new ValueError(`valueAndGrad: the third argument must be a Tensor (dy) or options {dy, hasAux}, received ${fmtReceived(o)}`);
  }
  checkOptions('valueAndGrad', o, VALUE_AND_GRAD_OPTIONS);
  if (o.dy !== undefined && !(o.dy instanceof Tensor)) throw new ValueError(`valueAndGrad: options.dy must be a Tensor, received ${fmtReceived(o.dy)}`);
  return { dy: o.dy, hasAux: boolOption('valueAndGrad', 'hasAux', o.hasAux, false) };
}

const VALUE_AND_GRAD_OPTIONS: OptionKeys<ValueAndGradOptions> = { dy: true, hasAux: true };

/** aux must be tensors in arrays and plain records (what scopes and the caller can walk). */
function checkAux(a: unknown, path: string): Aux {
  if (a instanceof Tensor) {
    a.assertAlive(`valueAndGrad: ${path}`);
    return a;
  }
  if (Array.isArray(a)) return a.map((e: unknown, i) => checkAux(e, `${path}[${i}]`));
  if (typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype) {
    return Object.fromEntries(Object.entries(a).map(([k, e]) => [k, checkAux(e, `${path}.${k}`)]));
  }
  throw new ValueError(`valueAndGrad: ${path} must be a Tensor or an array or record of Tensors, received ${fmtReceived(a)}`);
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
