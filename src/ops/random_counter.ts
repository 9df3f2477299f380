/**
 * Uniform tensors made by the backend's Philox kernel (Backend.randomUniform), numbered from a
 * host `Generator` without reading anything back: the generator's state says where its stream
 * stands (key, stream id, block counter and up to three buffered words), `reserveRange` turns
 * that into the kernel's PhiloxRange for n words and moves the generator past them by
 * arithmetic alone. So the tensor holds exactly what `gen.fillUniform` would have written, and
 * the generator continues exactly as after that call: the host and the backend interleave
 * freely. A backend without the kernel gets the same numbers drawn on the host.
 */
import { allocTensor, getBackend } from '../core/engine.js';
import { philox4x32, type Generator } from '../core/random.js';
import type { Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { addBlocks, type PhiloxRange } from '../backends/philox.js';
import { fromValues } from './primitives.js';
import { HebbError } from '../core/errors.js';
import { byRef, onHost } from '../capture/host.js';

const TWO_32 = 4294967296;

/**
 * The range of the next n words of `gen`, and advances `gen` past them, or null (gen left
 * alone) when its buffered words are not the block before its counter (only a hand-made
 * `setState` can do that): then the caller draws on the host.
 */
export function reserveRange(gen: Generator, n: number): PhiloxRange | null {
  const st = gen.getState();
  const [k0, k1, s0, s1, ctrLo, ctrHi] = st.words as [number, number, number, number, number, number];
  let start: [number, number] = [ctrLo, ctrHi];
  let skip = 0;
  if (st.pos < 4) {
    // Generator.uint32 fills its buffer from the current block and then advances the counter,
    // so buffered words are block counter − 1 (64-bit wrap), words pos..3.
    start = ctrLo === 0 ? [TWO_32 - 1, (ctrHi + TWO_32 - 1) % TWO_32] : [ctrLo - 1, ctrHi];
    const b = new Uint32Array(4);
    philox4x32(start[0], start[1], s0, s1, k0, k1, b);
    for (let l = 0; l < 4; l++) if (b[l] !== st.words[6 + l]) return null;
    skip = st.pos;
  }
  if (n === 0) return { key: [k0, k1], counter: [start[0], start[1], s0, s1], skip };
  const end = skip + n;
  const whole = Math.floor(end / 4);
  const rem = end % 4;
  let [lo, hi] = addBlocks(start[0], start[1], whole);
  const words = st.words.slice();
  let pos = 4;
  if (rem > 0) {
    // The last block is part used: the generator buffers it as uint32() would have.
    const b = new Uint32Array(4);
    philox4x32(lo, hi, s0, s1, k0, k1, b);
    for (let l = 0; l < 4; l++) words[6 + l] = b[l] as number;
    [lo, hi] = addBlocks(lo, hi, 1);
    pos = rem;
  }
  words[4] = lo;
  words[5] = hi;
  gen.setState({ words, pos, spare: st.spare });
  return { key: [k0, k1], counter: [start[0], start[1], s0, s1], skip };
}

/**
 * A tensor of `shape` holding minval + (maxval − minval)·u per element, u = k·2^-24 from `gen`
 * (float64 arithmetic, then rounded to dtype): bit for bit `gen.fillUniform(out, minval,
 * maxval)`, written by the backend's kernel where it has one.
 */
export function philoxUniform(shape: Shape, dtype: 'float32' | 'float64', gen: Generator, minval = 0, maxval = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const width = maxval - minval;
  const backend = getBackend();
  if (backend.randomUniform) {
    const range = reserveRange(gen, n);
    if (range) {
      const out = allocTensor(shape, dtype, 'randomUniform', backend);
      backend.randomUniform(out.storage.buf, range, minval, width);
      return out;
    }
  }
  const host = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  gen.fillUniform(host, minval, maxval);
  return fromValues(host, shape, dtype);
}

/** A PhiloxRange that an onHost callback refills each call (capture/host.ts byRef): one per call site. */
export interface RangeBox {
  key: [number, number];
  counter: [number, number, number, number];
  skip: number;
}

/** A RangeBox for a call site that draws once per step (Dropout's mask). */
export function rangeBox(): RangeBox {
  return byRef({ key: [0, 0], counter: [0, 0, 0, 0], skip: 0 });
}

/**
 * philoxUniform for a draw inside a step that may be captured: the generator is taken from
 * `next()` and its range reserved in an onHost callback that refills `box`, so each replay
 * advances the generator exactly as the ordinary step does and the kernel reads the new range.
 * Where the host draws instead (a backend without the kernel, a hand-made generator state),
 * the data written differs between steps and the step is not captured.
 */
export function philoxUniformIn(box: RangeBox, shape: Shape, dtype: 'float32' | 'float64', next: () => Generator, minval = 0, maxval = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const backend = getBackend();
  let gen: Generator | null = null;
  let range: PhiloxRange | null = null;
  let first = true;
  onHost(() => {
    gen = next();
    range = backend.randomUniform ? reserveRange(gen, n) : null;
    if (range) {
      box.key[0] = range.key[0];
      box.key[1] = range.key[1];
      for (let i = 0; i < 4; i++) box.counter[i] = range.counter[i] as number;
      box.skip = range.skip;
    } else if (!first) {
      // Only a replay gets here: the trace drew through the kernel, so this generator's state was set by hand since.
      throw new HebbError('a captured step: the dropout generator\'s state was set by hand between steps; pass capture: false to fit');
    }
    first = false;
  });
  if (range && backend.randomUniform) {
    const out = allocTensor(shape, dtype, 'randomUniform', backend);
    backend.randomUniform(out.storage.buf, box, minval, maxval - minval);
    return out;
  }
  const host = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  (gen as unknown as Generator).fillUniform(host, minval, maxval);
  return fromValues(host, shape, dtype);
}
