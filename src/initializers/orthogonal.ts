/**
 * The orthogonal initializer (Saxe et al. 2014) and the identity, as in Keras 3.
 */
import type { DType } from '../core/dtype.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { Generator } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { fromValues } from '../ops/primitives.js';
import { checkFinite, checkFloat, checkSeed, checkShape, pickRng, type Initializer } from './initializer.js';

/**
 * The Q factor of a rows×cols matrix (rows ≥ cols, row-major, float64) with R's diagonal made
 * positive, which is what Keras's q·sign(diag(r)) gives. Modified Gram–Schmidt run twice per
 * column ("twice is enough", Giraud et al. 2005) keeps QᵀQ = I to rounding for any
 * well-conditioned input, and a Gaussian matrix is well conditioned almost surely. R's
 * diagonal is a column norm, hence positive, so no sign fix is needed afterwards.
 */
function orthonormalColumns(a: Float64Array, rows: number, cols: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < cols; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += (q[i * cols + k] as number) * (q[i * cols + j] as number);
        for (let i = 0; i < rows; i++) q[i * cols + j] = (q[i * cols + j] as number) - dot * (q[i * cols + k] as number);
      }
    }
    let nrm = 0;
    for (let i = 0; i < rows; i++) nrm += (q[i * cols + j] as number) ** 2;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < rows; i++) q[i * cols + j] = (q[i * cols + j] as number) / nrm;
  }
  return q;
}

class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  constructor(
    readonly gain: number,
    private readonly seed: number | undefined,
  ) {}

  /**
   * The shape is flattened to [prod(shape[:-1]), shape[-1]]. A tall matrix gets orthonormal
   * columns (QᵀQ = I), a wide one orthonormal rows (QQᵀ = I), scaled by gain.
   */
  apply(shape: readonly number[], dtype: DType, rng?: Generator): Tensor {
    checkShape('orthogonal', shape);
    checkFloat('orthogonal', dtype);
    if (shape.length < 2) throw new ShapeError(`orthogonal: shape must have rank 2 or more, received ${fmtShape(shape)}`);
    const cols = shape[shape.length - 1] as number;
    const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const a = new Float64Array(m * n);
    pickRng(this.seed, rng).fillNormal(a);
    const q = orthonormalColumns(a, m, n);
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = this.gain * (q[i * n + j] as number);
        // wide: the result is Qᵀ (rows = n, cols = m)
        if (rows >= cols) out[i * cols + j] = v;
        else out[j * cols + i] = v;
      }
    }
    return fromValues(out, [...shape], dtype);
  }

  getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

export interface OrthogonalOptions {
  /** [1] */
  gain?: number;
  /** Same values on every call; without it, the rng given to apply is used. */
  seed?: number | null;
}

const ORTHOGONAL_OPTIONS: OptionKeys<OrthogonalOptions> = { gain: true, seed: true };

/** A (semi-)orthogonal matrix times gain (default 1). */
export function orthogonal(opts: OrthogonalOptions = {}): Initializer {
  checkOptions('orthogonal', opts, ORTHOGONAL_OPTIONS);
  return new Orthogonal(checkFinite('orthogonal', 'gain', opts.gain ?? 1), checkSeed('orthogonal', opts.seed));
}

class Identity implements Initializer {
  readonly className = 'Identity';
  constructor(readonly gain: number) {}
  apply(shape: readonly number[], dtype: DType): Tensor {
    checkShape('identity', shape);
    if (shape.length !== 2) throw new ShapeError(`identity: shape must have rank 2, received ${fmtShape(shape)}`);
    const [r, c] = shape as [number, number];
    const out = new Float64Array(r * c);
    for (let i = 0; i < Math.min(r, c); i++) out[i * c + i] = this.gain;
    return fromValues(out, [r, c], dtype);
  }
  getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

export interface IdentityOptions {
  /** [1] */
  gain?: number;
}

const IDENTITY_OPTIONS: OptionKeys<IdentityOptions> = { gain: true };

/** gain on the diagonal of a matrix (rectangular allowed), 0 elsewhere. */
export function identity(opts: IdentityOptions = {}): Initializer {
  checkOptions('identity', opts, IDENTITY_OPTIONS);
  return new Identity(checkFinite('identity', 'gain', opts.gain ?? 1));
}
