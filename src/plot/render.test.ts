import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValueError } from '../core/errors.js';
import { tempDir } from '../../testing/cli.js';
import { pngSize } from '../../testing/svg.js';
import { learningCurves } from './node.js';
import { rasterize, svgToPng } from './render.js';

/** Dark pixels (all channels < 128) in an RGBA buffer. */
function darkPixels(rgba: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if ((rgba[i] as number) < 128 && (rgba[i + 1] as number) < 128 && (rgba[i + 2] as number) < 128) n++;
  return n;
}

describe('plot rendering', () => {
  let tmp: { dir: string; cleanup: () => void };
  before(() => (tmp = tempDir('hebb-plot-render-')));
  after(() => tmp.cleanup());

  it('draws text in the PNG with the packaged font, whatever the system has', () => {
    // vega writes font-family="DejaVu Sans, sans-serif"; a bare sans-serif must resolve too
    for (const family of ['DejaVu Sans, sans-serif', 'sans-serif']) {
      const text = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="30" font-family="${family}" font-size="24">Epoch 10</text></svg>`;
      const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>';
      const img = rasterize(text, { scale: 1 });
      assert.equal(img.width, 200);
      assert.equal(darkPixels(rasterize(blank, { scale: 1 }).pixels), 0);
      // 8 glyphs of 24 px: hundreds of dark pixels; a missing font draws none
      assert.ok(darkPixels(img.pixels) > 300, `${family}: ${darkPixels(img.pixels)} dark pixels`);
    }
  });

  it('learningCurves writes .svg and .png by the extension; the PNG is the SVG at twice its size', async () => {
    const h = { loss: [1, 0.6, 0.4], val_loss: [1.1, 0.8, 0.7] };
    const svgFile = join(tmp.dir, 'sub', 'c.svg');
    const r = await learningCurves(h, { file: svgFile });
    assert.equal(r.file, svgFile);
    assert.equal(readFileSync(svgFile, 'utf8'), r.svg);
    assert.match(r.svg, /^<svg /);
    const w = Number(/^<svg[^>]* width="(\d+)"/.exec(r.svg)?.[1]);
    const hgt = Number(/^<svg[^>]* height="(\d+)"/.exec(r.svg)?.[1]);
    const png = join(tmp.dir, 'c.png');
    await learningCurves(h, { file: png });
    const bytes = readFileSync(png);
    assert.deepEqual(pngSize(bytes), { width: 2 * w, height: 2 * hgt });
    assert.ok(w > 480 && hgt > 300, `${w}×${hgt}: the 480×300 plot plus axes and legend`);
    assert.ok(bytes.length > 10_000 && bytes.length < 400_000, `${bytes.length} bytes`);
    const img = rasterize(r.svg, { scale: 1 });
    assert.ok(darkPixels(img.pixels) > 1000);
    assert.deepEqual(pngSize(svgToPng(r.svg, { scale: 1 })), { width: w, height: hgt });
  });

  it('refuses another extension before drawing, and never leaves a partial file', async () => {
    await assert.rejects(learningCurves({ loss: [1] }, { file: join(tmp.dir, 'c.jpg') }), (e: unknown) => e instanceof ValueError && /file ".*c\.jpg" must end in \.svg or \.png .*received "\.jpg"/.test(e.message));
    const blocker = join(tmp.dir, 'file');
    writeFileSync(blocker, 'x');
    await assert.rejects(learningCurves({ loss: [1] }, { file: join(blocker, 'c.svg') }));
    assert.equal(existsSync(join(tmp.dir, 'c.jpg')), false);
    assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp')), []);
    assert.throws(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>', { scale: 0 }), /scale must be a number in \(0, 8\]/);
  });
});
