/**
 * PNG files → one batch of model inputs, for `hebb predict --image`. Decoded with fast-png
 * (pure JavaScript, no native build; image-js's decoder), any PNG colour type and bit depth:
 * grayscale, grayscale+alpha, RGB, RGBA, palette (expanded to RGB), 8 or 16 bits (16-bit
 * samples scaled to 0..255, 1/2/4-bit gray scaled up as PNG viewers show them).
 *
 * Converted to the model's input without resizing (a wrong size is an error naming the file,
 * the expected and the received size): a model input of [h, w] or [h, w, 1] takes grayscale,
 * RGB becoming luma (ITU-R 601, 0.299 R + 0.587 G + 0.114 B, as PIL's convert('L')); [h, w, 3]
 * takes RGB, a gray image repeated in each channel; [n] takes a grayscale image of n pixels,
 * row by row (a flattened 28x28 is [784]). Alpha is dropped, as PIL's convert does. The values
 * stay 0..255: the caller scales them as the training data was.
 */
import { readFile } from 'node:fs/promises';
import { convertIndexedToRgb, decode, hasPngSignature } from 'fast-png';
import type { HostArray } from '../io/datasets/arrays.js';
import { DatasetError } from '../io/datasets/files.js';

interface Pixels {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB) samples per pixel, 0..255. */
  channels: 1 | 3;
  data: Float32Array;
}

/** One decoded PNG as 0..255 gray or RGB samples, alpha dropped. */
export function decodePng(bytes: Uint8Array, name: string): Pixels {
  if (!hasPngSignature(bytes)) throw new DatasetError(`${name}: not a PNG file (no PNG signature in its first 8 bytes)`);
  let img: ReturnType<typeof decode>;
  try {
    img = decode(bytes);
  } catch (e) {
    throw new DatasetError(`${name}: cannot decode the PNG (truncated or corrupted?): ${e instanceof Error ? e.message : String(e)}`);
  }
  const { width, height } = img;
  let data: ArrayLike<number> = img.data;
  let channels = img.channels;
  let max = 2 ** img.depth - 1;
  if (img.palette) {
    data = convertIndexedToRgb(img);
    channels = img.palette[0]?.length ?? 3;
    max = 255;
  }
  const colour = channels >= 3 ? 3 : 1;
  const out = new Float32Array(width * height * colour);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < colour; c++) out[p * colour + c] = ((data[p * channels + c] as number) * 255) / max;
  }
  return { width, height, channels: colour, data: out };
}

function toGray(px: Pixels): Float32Array {
  if (px.channels === 1) return px.data;
  const out = new Float32Array(px.width * px.height);
  for (let p = 0; p < out.length; p++) out[p] = 0.299 * (px.data[3 * p] as number) + 0.587 * (px.data[3 * p + 1] as number) + 0.114 * (px.data[3 * p + 2] as number);
  return out;
}

function toRgb(px: Pixels): Float32Array {
  if (px.channels === 3) return px.data;
  const out = new Float32Array(px.width * px.height * 3);
  px.data.forEach((v, p) => out.fill(v, 3 * p, 3 * p + 3));
  return out;
}

/** What the input shape asks of an image: its size (null: any with that many pixels) and channels. */
function wanted(shape: readonly number[]): { width: number | null; height: number | null; pixels: number; channels: 1 | 3 } {
  const [a, b, c] = shape;
  if (shape.length === 1 && a !== undefined) return { width: null, height: null, pixels: a, channels: 1 };
  if (shape.length === 2 && a !== undefined && b !== undefined) return { height: a, width: b, pixels: a * b, channels: 1 };
  if (shape.length === 3 && a !== undefined && b !== undefined && (c === 1 || c === 3)) return { height: a, width: b, pixels: a * b, channels: c };
  throw new DatasetError(`the model's input shape is [${shape.join(', ')}]; PNG images fit an input of [height, width], [height, width, 1], [height, width, 3] or [pixels]`);
}

/** The images at `paths` as one batch for a model input of `inputShape` (no batch dimension). */
export async function readPngBatch(paths: readonly string[], inputShape: readonly number[]): Promise<HostArray<Float32Array>> {
  const want = wanted(inputShape);
  const per = want.pixels * want.channels;
  const data = new Float32Array(paths.length * per);
  for (const [i, path] of paths.entries()) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new DatasetError(`${path}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
    }
    const px = decodePng(bytes, path);
    const sizeOk = want.width === null ? px.width * px.height === want.pixels : px.width === want.width && px.height === want.height;
    if (!sizeOk) {
      const expected = want.width === null ? `${want.pixels} pixels` : `${want.width}x${want.height} (width x height)`;
      throw new DatasetError(`${path}: the image is ${px.width}x${px.height} (${px.width * px.height} pixels); the model expects ${expected}. Resize it first (hebb does not resample)`);
    }
    data.set(want.channels === 1 ? toGray(px) : toRgb(px), i * per);
  }
  return { data, shape: [paths.length, ...inputShape] };
}
