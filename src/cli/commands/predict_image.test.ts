/**
 * `hebb predict --image`: PNG files made here from the real Fashion-MNIST test images (encoded
 * with fast-png, the library the command decodes with) give the predictions the same images
 * give through `--idx` (an independent reader of the same pixels); RGB and 16-bit PNGs, an RGB
 * model, and the errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import * as hb from '../../index.js';
import { parseIdxGz } from '../../io/datasets/idx.js';
import { hebb, tempDir } from '../../../testing/cli.js';

const N = 6;
const FASHION = join(process.cwd(), '..', 'shared', 'datasets', 'fashion-mnist', 't10k-images-idx3-ubyte.gz');

describe('hebb predict --image', () => {
  let tmp: { dir: string; cleanup: () => void };
  let model: string;
  let images: Uint8Array;
  const png = (name: string, data: Uint8Array | Uint16Array, channels: number, depth: 8 | 16 = 8, width = 28, height = 28): string => {
    const p = join(tmp.dir, name);
    writeFileSync(p, encode({ width, height, data, channels, depth }));
    return p;
  };
  const image = (i: number): Uint8Array => images.subarray(i * 784, (i + 1) * 784);

  before(async () => {
    tmp = tempDir('hebb-predict-image-');
    images = parseIdxGz(readFileSync(FASHION), { name: FASHION, dims: [null, 28, 28] }).data.slice(0, N * 784);
    // A Fashion-MNIST-shaped classifier with a recipe saying pixels / 255, as hebb train writes one.
    const m = hb.sequential([hb.layers.input({ shape: [28, 28] }), hb.layers.flatten(), hb.layers.dense({ units: 10, activation: 'softmax' })]);
    model = join(tmp.dir, 'model');
    await m.save(model);
    const classNames = Array.from({ length: 10 }, (_, c) => `c${c}`);
    const recipe = { format: 1, dataset: 'fashion-mnist', task: 'classification', seed: 1, testSize: 0, inputShape: [28, 28], numClasses: 10, classNames, featureNames: null, targetName: null, scaling: { kind: 'pixels', divisor: 255 } };
    writeFileSync(join(model, 'hebb-data.json'), JSON.stringify(recipe));
    // The same images as an IDX file (big-endian header: magic 0x00000803, count, rows, columns).
    const header = new DataView(new ArrayBuffer(16));
    [0x803, N, 28, 28].forEach((v, i) => header.setUint32(4 * i, v));
    writeFileSync(join(tmp.dir, 'images.idx'), Buffer.concat([new Uint8Array(header.buffer), images]));
  });
  after(() => tmp.cleanup());

  const predictJson = async (...args: string[]): Promise<Record<string, number | string>[]> => {
    const r = await hebb('predict', model, '--format', 'json', ...args);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out) as Record<string, number | string>[];
  };

  it('8-bit and 16-bit grayscale PNGs predict what the same pixels do through --idx', async () => {
    const viaIdx = await predictJson('--idx', join(tmp.dir, 'images.idx'));
    assert.equal(viaIdx.length, N);
    const gray = Array.from({ length: N }, (_, i) => ['--image', png(`g${i}.png`, image(i), 1)]).flat();
    assert.deepEqual(await predictJson(...gray), viaIdx);
    // 16 bits: v·257 is v on the 0..65535 scale, exactly.
    const deep = Array.from({ length: N }, (_, i) => ['--image', png(`d${i}.png`, Uint16Array.from(image(i), (v) => v * 257), 1, 16)]).flat();
    assert.deepEqual(await predictJson(...deep), viaIdx);
  });

  it('an RGB or RGBA PNG of a gray image becomes the same gray (luma weights sum to 1)', async () => {
    const viaIdx = await predictJson('--idx', join(tmp.dir, 'images.idx'));
    const rgb = image(0).reduce<number[]>((a, v) => (a.push(v, v, v), a), []);
    const rgba = image(0).reduce<number[]>((a, v) => (a.push(v, v, v, 255), a), []);
    for (const [name, data, ch] of [['rgb.png', rgb, 3], ['rgba.png', rgba, 4]] as const) {
      const [row] = await predictJson('--image', png(name, Uint8Array.from(data), ch));
      const want = viaIdx[0] as Record<string, number | string>;
      assert.equal(row?.['class'], want['class']);
      for (let c = 0; c < 10; c++) assert.ok(Math.abs(Number(row?.[`p_c${c}`]) - Number(want[`p_c${c}`])) < 1e-5, `${name} p_c${c}`);
    }
  });

  it('an RGB model ([4, 5, 3], no recipe) gets the pixels in height, width, channel order, unscaled', async () => {
    const m = hb.sequential([hb.layers.input({ shape: [4, 5, 3] }), hb.layers.flatten(), hb.layers.dense({ units: 1 })]);
    const dir = join(tmp.dir, 'rgb-model');
    await m.save(dir);
    const pixels = Uint8Array.from({ length: 4 * 5 * 3 }, (_, i) => (i * 37) % 256);
    const r = await hebb('predict', dir, '--format', 'json', '--image', png('small.png', pixels, 3, 8, 5, 4));
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /has no hebb-data\.json; the inputs are used unscaled/);
    const want = Array.from(await ((await m.predict(hb.tensor(Array.from(pixels), [1, 4, 5, 3]))) as hb.Tensor).data());
    const got = JSON.parse(r.out) as { prediction: number }[];
    // The command prints float32 results with 7 significant digits.
    assert.deepEqual(got, [{ prediction: Number((want[0] as number).toPrecision(7)) }]);
  });

  it('a wrong size names the file, the expected and the received size (exit 1); not a PNG (exit 1); two kinds of input (exit 2)', async () => {
    const small = png('small27.png', new Uint8Array(27 * 28), 1, 8, 27, 28);
    const r = await hebb('predict', model, '--image', small);
    assert.equal(r.code, 1);
    assert.match(r.err, /small27\.png: the image is 27x28 \(756 pixels\); the model expects 28x28 \(width x height\)/);
    const text = join(tmp.dir, 'fake.png');
    writeFileSync(text, 'not an image');
    const bad = await hebb('predict', model, '--image', text);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /fake\.png: not a PNG file/);
    const truncated = join(tmp.dir, 'cut.png');
    writeFileSync(truncated, readFileSync(png('whole.png', image(1), 1)).subarray(0, 60));
    const cut = await hebb('predict', model, '--image', truncated);
    assert.equal(cut.code, 1);
    assert.match(cut.err, /cut\.png: cannot decode the PNG/);
    const both = await hebb('predict', model, '--image', small, '--idx', join(tmp.dir, 'images.idx'));
    assert.equal(both.code, 2);
    assert.match(both.err, /needs one input: --csv <file> or --idx <file>, or --image/);
  });
});
