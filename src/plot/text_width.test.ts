import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fontMeasure } from './text_width.js';
import { fontFiles, toSvg } from './render.js';
import { learningCurvesSpec } from './learning_curves.js';

describe('text widths from the font', () => {
  it("reads DejaVu Sans's advance widths (its published metrics, units of 1/2048 em)", () => {
    const m = fontMeasure(fontFiles()[0] as string);
    // DejaVu Sans: space 651, '0' 1303, 'M' 1767, 'i' 569 units per 2048
    assert.equal(m(' ', 2048), 651);
    assert.equal(m('0', 2048), 1303);
    assert.equal(m('M', 2048), 1767);
    assert.equal(m('i', 2048), 569);
    assert.equal(m('Mi', 10), (10 * (1767 + 569)) / 2048);
    assert.equal(m('M', 2048, true), 1767 * 1.1);
  });

  it('lays a long title out at its width, not at the 0.8 em per character vega guesses', async () => {
    const title = 'A fairly long title over the learning curves of one run, ninety characters in all, or so.';
    const svg = await toSvg(learningCurvesSpec({ loss: [1, 0.5] }, { title, width: 200 }));
    const width = Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    const measured = fontMeasure(fontFiles()[0] as string)(title, 14);
    assert.ok(width >= measured && width <= measured + 40, `svg ${width} px for a ${measured.toFixed(0)} px title (the guess: ${0.8 * 14 * title.length})`);
  });
});
