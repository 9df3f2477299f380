import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { ValueError } from '../core/errors.js';
import { Compiled, type CompileOptions } from './compile.js';
import { assertThrowsExact } from '../../test/helpers.js';

describe('compile metrics', () => {
  it('a bare metric is refused as Keras 3 refuses it, not read as the metrics "m", "a", "e"', () => {
    const bare = (metrics: unknown): CompileOptions => ({ optimizer: 'sgd', loss: 'mse', metrics: metrics as CompileOptions['metrics'] });
    assertThrowsExact(() => new Compiled(bare('mae')), ValueError, `compile: metrics must be a list or an object keyed by output name, received "mae" (a string); write metrics: ['mae']`);
    assertThrowsExact(() => new Compiled(bare(hb.metrics.meanAbsoluteError())), ValueError, 'compile: metrics must be a list or an object keyed by output name, received a Metric object; wrap it in a list');
    assertThrowsExact(() => new Compiled(bare((t: hb.Tensor) => t)), ValueError, 'compile: metrics must be a list or an object keyed by output name, received a function; wrap it in a list');
    assertThrowsExact(() => new Compiled(bare(null)), ValueError, 'compile: metrics must be a list or an object keyed by output name, received null; wrap it in a list');
    // Lists, and per-output objects whose values are one metric or a list, stay accepted.
    const one = new Compiled(bare(['mae']));
    assert.deepEqual(one.resolve([{ name: 'out', shape: [null, 1] }]).map((o) => o.metricLogNames), [['mae']]);
    const perOutput = new Compiled(bare({ a: 'mae', b: ['mse', 'mae'] }));
    const names = perOutput.resolve([{ name: 'a', shape: [null, 1] }, { name: 'b', shape: [null, 1] }]).map((o) => o.metricLogNames);
    assert.deepEqual(names, [['a_mae'], ['b_mse', 'b_mae']]);
  });

  it('through model.compile', () => {
    const m = hb.sequential([hb.layers.input({ shape: [2] }), hb.layers.dense({ units: 1 })]);
    const metrics: unknown = 'mae';
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: metrics as ['mae'] }), /metrics must be a list .* received "mae"/);
  });
});
