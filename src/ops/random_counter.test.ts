import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Generator } from '../core/random.js';
import { AlphaDropout, ALPHA_PRIME, Dropout } from '../layers/dropout.js';
import { onBackend } from '../../test/helpers.js';
import { philoxUniform, reserveRange } from './random_counter.js';

/** A generator `used` words into a stream, and a second one in the same state. */
function pair(seed: number, used: number): [Generator, Generator] {
  const a = new Generator(seed).split('rc');
  for (let i = 0; i < used; i++) a.uint32();
  const b = new Generator(0);
  b.setState(a.getState());
  return [a, b];
}

function sameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
}

const BACKENDS = ['cpu', 'wasm'];

describe('reserveRange / philoxUniform', () => {
  it('leaves the generator exactly where fillUniform leaves it (state and the numbers after)', () => {
    for (const used of [0, 1, 2, 3, 4, 5]) {
      for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 16, 17, 100]) {
        const [a, b] = pair(3, used);
        assert.ok(reserveRange(a, n));
        b.fillUniform(new Float64Array(n));
        assert.deepEqual(a.getState(), b.getState(), `used ${used}, n ${n}`);
        assert.equal(a.uint32(), b.uint32());
        // A pending Box–Muller spare is carried over untouched.
        a.normal();
        b.normal();
        assert.ok(reserveRange(a, n));
        b.fillUniform(new Float64Array(n));
        assert.deepEqual(a.getState(), b.getState(), `after a normal: used ${used}, n ${n}`);
      }
    }
  });

  it('a hand-made state whose buffer is not the previous block: no range, the generator untouched, the host draws', () => {
    const g = new Generator(1);
    const st = g.getState();
    g.setState({ ...st, words: [...st.words.slice(0, 6), 1, 2, 3, 4], pos: 1 });
    const before = g.getState();
    assert.equal(reserveRange(g, 10), null);
    assert.deepEqual(g.getState(), before);
    const h = new Generator(0);
    h.setState(before);
    const want = new Float32Array(10);
    h.fillUniform(want);
    for (const name of BACKENDS) {
      const g2 = new Generator(0);
      g2.setState(before);
      sameBits(onBackend(name, () => philoxUniform([2, 5], 'float32', g2).dataSync()), want, name);
    }
  });

  it('on every backend, bit for bit fillUniform (float32 and float64, bounds, odd lengths, mid-block starts)', () => {
    for (const name of BACKENDS) {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const [used, n, lo, hi] of [[0, 1000, 0, 1], [3, 37, 0, 1], [1, 250, -3, 0.5], [2, 19, 1e-3, 2e-3]] as const) {
          const [a, b] = pair(used + 10, used);
          const want = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
          b.fillUniform(want, lo, hi);
          sameBits(onBackend(name, () => philoxUniform([n], dtype, a, lo, hi).dataSync()), want, `${name} ${dtype} used ${used} n ${n}`);
          assert.deepEqual(a.getState(), b.getState());
        }
      }
    }
  });
});

describe('the layers and ops on the kernel keep the host values exactly', () => {
  it('bernoulli and Dropout compare u < p in float64 even where float32(p) rounds down past u', () => {
    // Pick p just above a drawn u >= 0.5 (where float32's spacing is 2^-24): float32(p) = u, so
    // a float32 comparison would drop that unit; the host keeps it.
    const host = new Float64Array(64);
    new Generator(5).fillUniform(host);
    const j = host.findIndex((v) => v >= 0.5);
    const p = (host[j] as number) + 2 ** -26;
    assert.equal(Math.fround(p), host[j]);
    for (const name of BACKENDS) {
      const got = onBackend(name, () => hb.bernoulli([64], p, { seed: 5 }).dataSync());
      sameBits(got, Array.from(host, (u) => (u < p ? 1 : 0)), `${name} bernoulli`);
      assert.equal(got[j], 1);
    }
  });

  it('Dropout and AlphaDropout multipliers are the host formula rounded once (ones in, float32 and float64)', () => {
    for (const name of BACKENDS) {
      for (const dtype of ['float32', 'float64'] as const) {
        const n = 300;
        const rate = 0.3;
        const u = new Float64Array(n);
        new Generator(8).split(0).fillUniform(u);
        const keep = Array.from(u, (v) => (v < 1 - rate ? 1 : 0));
        const store = dtype === 'float32' ? Math.fround : (v: number): number => v;
        const d = onBackend(name, () => new Dropout({ rate, seed: 8, dtype }).apply(hb.ones([n], dtype), { training: true }).dataSync());
        sameBits(d, keep.map((k) => store(store(1) * store(k * (1 / (1 - rate))))), `${name} ${dtype} Dropout`);
        const a = ((1 - rate) * (1 + rate * ALPHA_PRIME * ALPHA_PRIME)) ** -0.5;
        const b = -a * ALPHA_PRIME * rate;
        const ad = onBackend(name, () => new AlphaDropout({ rate, seed: 8, dtype }).apply(hb.ones([n], dtype), { training: true }).dataSync());
        sameBits(ad, keep.map((k) => store(store(a * k) + store(a * ALPHA_PRIME * (1 - k) + b))), `${name} ${dtype} AlphaDropout`);
      }
    }
  });
});
