/**
 * Finite-difference gradient checking: the independent reference every op and layer's
 * gradient is tested against.
 *
 * f may return a tensor of any shape. It is reduced to the scalar L = sum(w * f(...xs)) with
 * fixed, deterministic, non-uniform weights w, so that a gradient which is right only up to a
 * permutation or a constant factor (a wrong transpose, a missed un-broadcast) still fails:
 * all-ones weights would hide those. The analytic gradient of L is valueAndGrad with seed w;
 * the numeric one is the central difference (L(x + eps) - L(x - eps)) / (2 eps), element by
 * element. Both run in float64 on the cpu backend, where central differences keep about ten
 * significant digits (truncation error O(eps^2), rounding error O(1e-16 / eps)).
 */
import { type DType, isFloat } from '../core/dtype.js';
import { getBackendName, scope, setBackend } from '../core/engine.js';
import { HebbError, ValueError, fmtShape, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { Tensor, Variable } from '../core/tensor.js';
import { fromValues } from '../ops/primitives.js';
import { valueAndGrad } from './grad.js';

/** The analytic and numeric gradients of some element disagree. */
export class GradientCheckError extends HebbError {}

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-5; use ~1e-2 with dtype 'float32'). */
  eps?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /**
   * Dtype the float inputs are converted to (default 'float64'). 'float32' is for code that
   * cannot run in float64 (it makes float32 constants of its own); loosen eps and tolerances.
   */
  dtype?: 'float32' | 'float64';
  /** Indices of the inputs to check (default: every float input). */
  wrt?: readonly number[];
  /** Check at most this many elements per input, evenly spread (default: all). */
  maxElements?: number;
  /** Prefix for error messages, e.g. the layer under test. */
  name?: string;
  /**
   * Variables f reads directly (a layer's weights), checked after the inputs by perturbing them
   * in place with `assign`; each is restored afterwards. They are not converted: build the layer
   * with dtype float64 for the default tolerances, or use dtype 'float32' with looser ones. With
   * variables, the check runs on the active backend (where they live) rather than on cpu.
   */
  variables?: readonly Variable[];
}

const GRAD_CHECK_OPTIONS: OptionKeys<GradCheckOptions> = { eps: true, rtol: true, atol: true, dtype: true, wrt: true, maxElements: true, name: true, variables: true };

export interface GradCheckReport {
  /** Number of elements compared. */
  checked: number;
  /** Largest |analytic - numeric| / (atol + rtol * |numeric|) seen: < 1 means pass. */
  worstRatio: number;
}

/** Deterministic weights in [0.5, 1.5) with alternating signs: a fixed, non-uniform projection. */
function projection(n: number): Float64Array {
  const w = new Float64Array(n);
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const u = s / 4294967296;
    w[i] = (i % 2 === 0 ? 1 : -1) * (0.5 + u);
  }
  return w;
}

/** The multi-index of element `flat` of a row-major tensor of `shape`, for messages. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number;
    idx[i] = flat % d;
    flat = Math.floor(flat / d);
  }
  return idx;
}

/**
 * Checks the gradient of f with respect to each float input against central differences.
 * Throws a GradientCheckError naming the input (or variable), the element and both values on
 * the first mismatch. int32/bool inputs (indices, masks) are passed through unchanged and not
 * checked. f must be deterministic: seed any randomness (dropout) inside it. Everything it
 * allocates is freed; the active backend is restored afterwards.
 */
export function checkGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): GradCheckReport {
  checkOptions('checkGradients', options, GRAD_CHECK_OPTIONS);
  const eps = options.eps ?? 1e-5;
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-6;
  const dtype: DType = options.dtype ?? 'float64';
  const variables = options.variables ?? [];
  const prefix = options.name ? `checkGradients(${options.name})` : 'checkGradients';
  const wrt = options.wrt ?? inputs.map((x, i) => (isFloat(x.dtype) ? i : -1)).filter((i) => i >= 0);
  for (const i of wrt) {
    const x = inputs[i];
    if (!x) throw new ValueError(`${prefix}: wrt lists input ${i}, but only ${inputs.length} inputs were given`);
    if (!isFloat(x.dtype)) throw new ValueError(`${prefix}: input ${i} has dtype ${x.dtype}; only float inputs have gradients`);
  }
  for (const v of variables) {
    if (!(v instanceof Variable)) throw new ValueError(`${prefix}: options.variables must hold Variables, received ${fmtReceived(v)}`);
    if (!isFloat(v.dtype)) throw new ValueError(`${prefix}: variable "${v.name}" has dtype ${v.dtype}; only float variables have gradients`);
  }
  // Host copies of the inputs, converted once; every evaluation builds fresh tensors from them.
  const host = inputs.map((x) => {
    const v = x.dataSync();
    return { values: isFloat(x.dtype) ? Float64Array.from(v) : v, shape: x.shape, dtype: isFloat(x.dtype) ? dtype : x.dtype };
  });
  // What is checked: the float inputs listed in wrt, then the variables (perturbed in place).
  const targets = [
    ...wrt.map((k) => ({ label: `input ${k}`, shape: host[k]!.shape, values: Float64Array.from(host[k]!.values) })),
    ...variables.map((v) => ({ label: `variable "${v.name}"`, shape: v.shape, values: Float64Array.from(v.dataSync()) })),
  ];

  // Variables live on the active backend and cannot be moved, so with variables the check runs
  // there (it must support the dtype); otherwise on cpu, which has float64.
  const prev = getBackendName();
  if (variables.length === 0) setBackend('cpu');
  try {
    const make = (k: number, override?: Float64Array): Tensor => {
      const h = host[k]!;
      return fromValues(override ?? h.values, h.shape, h.dtype);
    };
    const setVariable = (j: number, values: Float64Array): void => {
      const v = variables[j]!;
      scope(() => v.assign(fromValues(values, v.shape, v.dtype)));
    };
    const evalOutput = (xs: Tensor[]): Tensor => {
      const y = f(...xs);
      if (!(y instanceof Tensor)) throw new ValueError(`${prefix}: f must return a Tensor, received ${fmtReceived(y)}`);
      if (!isFloat(y.dtype)) throw new ValueError(`${prefix}: f must return a float tensor, received ${y.dtype}`);
      return y;
    };

    // Analytic gradients, with the projection weights as the seed.
    const { analytic, w } = scope(() => {
      const xs = inputs.map((_, k) => make(k));
      const y = evalOutput(xs);
      const weights = projection(y.size);
      const seed = fromValues(weights, y.shape, y.dtype);
      const { grads } = valueAndGrad(() => evalOutput(xs), [...wrt.map((k) => xs[k]!), ...variables], seed);
      return { analytic: grads.map((g) => ({ shape: g.shape, values: Float64Array.from(g.dataSync()) })), w: weights };
    });
    /** L = sum(w * f) with target t set to `values` (the others at their base values). */
    const objective = (t: number, values: Float64Array): number =>
      scope(() => {
        const k = t < wrt.length ? wrt[t] : -1;
        if (k === -1) setVariable(t - wrt.length, values);
        const xs = inputs.map((_, j) => (j === k ? make(j, values) : make(j)));
        const y = evalOutput(xs).dataSync();
        let s = 0;
        for (let i = 0; i < y.length; i++) s += (w[i] as number) * (y[i] as number);
        return s;
      });

    let checked = 0;
    let worstRatio = 0;
    targets.forEach((target, t) => {
      const a = analytic[t]!;
      const { label, shape } = target;
      if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
        throw new GradientCheckError(`${prefix}: gradient of ${label} has shape ${fmtShape(a.shape)}, expected ${fmtShape(shape)}`);
      }
      const values = Float64Array.from(target.values);
      const n = values.length;
      const limit = Math.min(n, options.maxElements ?? n);
      try {
        for (let c = 0; c < limit; c++) {
          const e = limit === n ? c : Math.floor((c * n) / limit);
          const x0 = values[e] as number;
          values[e] = x0 + eps;
          const up = objective(t, values);
          values[e] = x0 - eps;
          const down = objective(t, values);
          values[e] = x0;
          const numeric = (up - down) / (2 * eps);
          const an = a.values[e] as number;
          const tol = atol + rtol * Math.abs(numeric);
          const ratio = Math.abs(an - numeric) / tol;
          checked++;
          if (!(ratio <= 1)) {
            throw new GradientCheckError(
              `${prefix}: gradient mismatch for ${label} (shape ${fmtShape(shape)}) at element ${e} ` +
                `(index ${fmtShape(unravel(e, shape))}, x = ${x0}): analytic ${an}, numeric ${numeric} ` +
                `(|difference| ${Math.abs(an - numeric).toExponential(3)} > atol ${atol} + rtol ${rtol} * |numeric|)`,
            );
          }
          worstRatio = Math.max(worstRatio, ratio);
        }
      } finally {
        if (t >= wrt.length) setVariable(t - wrt.length, target.values);
      }
    });
    return { checked, worstRatio };
  } finally {
    setBackend(prev);
  }
}
