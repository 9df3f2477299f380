/**
 * Fashion-MNIST / MNIST arrays as the examples and end-to-end tests feed them to fit: pixels
 * scaled by 1/255 (the book's `X / 255.`) as float32, labels as int32.
 */
import type * as hb from '../src/index.js';

export interface HostData {
  data: Float32Array;
  shape: number[];
}

export interface HostLabels {
  data: Int32Array;
  shape: number[];
}

export function scaled(a: hb.datasets.HostArray<Uint8Array>): HostData {
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (a.data[i] as number) / 255;
  return { data: out, shape: [...a.shape] };
}

export function labels(a: hb.datasets.HostArray<Uint8Array>): HostLabels {
  return { data: Int32Array.from(a.data), shape: [...a.shape] };
}
