/**
 * The cpu backend's fused Adam step (the reference for asm/adam.ts): each operation computed in
 * double and rounded to the dtype once, as the cpu backend's elementwise kernels round it, so
 * the result equals the composed ops bit for bit. Views are read through `offsets`.
 */
import type { AdamCoefficients, View } from '../backend.js';
import type { CpuBuffer } from './cpu_backend.js';
import { rounder } from './softmax.js';
import { offsets } from './strided.js';

export function adamStepInto(w: View<CpuBuffer>, g: View<CpuBuffer>, m: View<CpuBuffer>, v: View<CpuBuffer>, c: AdamCoefficients, wOut: CpuBuffer, mOut: CpuBuffer, vOut: CpuBuffer): void {
  const r = rounder(wOut.dtype);
  const [c1, c2, eps, corr, alpha] = [r(c.c1), r(c.c2), r(c.epsilon), r(c.correction), r(c.alpha)];
  const [wo, go, mo, vo] = [offsets(w), offsets(g), offsets(m), offsets(v)];
  for (let i = 0; i < wOut.size; i++) {
    const gi = g.buf.data[go[i] as number] as number;
    const m0 = m.buf.data[mo[i] as number] as number;
    const v0 = v.buf.data[vo[i] as number] as number;
    const mi = r(m0 + r(r(gi - m0) * c1));
    const vi = r(v0 + r(r(r(gi * gi) - v0) * c2));
    const u = r(r(mi / r(r(Math.sqrt(vi)) + eps)) * corr);
    mOut.data[i] = mi;
    vOut.data[i] = vi;
    wOut.data[i] = r((w.buf.data[wo[i] as number] as number) + r(u * alpha));
  }
}
