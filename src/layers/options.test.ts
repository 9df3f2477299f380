/**
 * Unknown option names in layer arguments are errors (plain JavaScript would otherwise drop
 * them silently), and what was received is shown as it was given.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as layers from './index.js';
import { Dense, Layer, input, type LayerArgs } from './index.js';
import { assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

/** What an untyped caller can pass: any value, typed as whatever the parameter wants. */
const loose = <T>(v: unknown): T => v as T;

/** The exports of layers/index.ts that are functions but make no layer. */
const HELPERS = new Set(['toSnakeCase', 'resetLayerNames', 'isShapeList', 'fmtSymbolicShape', 'topologicalNodes', 'graphLayers', 'runGraph', 'serializeLayer', 'deserializeLayer']);

const isLayerClass = (v: unknown): v is new (args: unknown) => Layer => typeof v === 'function' && v.prototype instanceof Layer;

describe('layer options', () => {
  it('every layer factory and class rejects an unknown option', () => {
    const exported = Object.entries(layers);
    for (const h of HELPERS) assert.ok(exported.some(([k]) => k === h), `HELPERS names "${h}", which is not exported`);
    const factories = exported.filter(([k, v]) => typeof v === 'function' && /^[a-z]/.test(k) && !HELPERS.has(k));
    const classes = exported.filter(([, v]) => isLayerClass(v));
    assert.ok(factories.length >= 11 && factories.some(([k]) => k === 'dense') && factories.some(([k]) => k === 'input'), factories.map(([k]) => k).join(', '));
    assert.ok(classes.length >= 11, classes.map(([k]) => k).join(', '));
    for (const [k, f] of factories) {
      assertThrowsWith(() => (f as (a: unknown) => unknown)({ bogusOption: 1 }), hb.ValueError, 'unknown option "bogusOption"', 'valid options: ');
      void k;
    }
    for (const [, C] of classes) {
      if (!isLayerClass(C)) continue;
      assertThrowsWith(() => new C({ bogusOption: 1 }), hb.ValueError, 'unknown option "bogusOption"');
    }
  });

  it('names the layer class, the option and the closest valid one', () => {
    assertThrowsExact(() => layers.dense(loose({ unit: 10 })), hb.ValueError, 'Dense: unknown option "unit"; did you mean "units"?');
    assertThrowsExact(() => layers.flatten(loose({ input_shape: [28, 28] })), hb.ValueError, 'Flatten: unknown option "input_shape"; did you mean "inputShape"?');
    assertThrowsExact(() => layers.leakyRelu(loose({ negative_slope: 0.1 })), hb.ValueError, 'LeakyReLU: unknown option "negative_slope"; did you mean "negativeSlope"?');
    assertThrowsExact(() => layers.dense(loose({ units: 3, use_bias: false })), hb.ValueError, 'Dense: unknown option "use_bias"; did you mean "useBias"?');
    assertThrowsExact(() => input(loose({ shap: [2] })), hb.ValueError, 'Input: unknown option "shap"; did you mean "shape"?');
    assertThrowsExact(() => layers.dense(loose(10)), hb.ValueError, 'Dense: expected an options object, received 10');
  });

  it('the shared LayerArgs are valid for every layer', () => {
    const d = layers.dense({ units: 2, name: 'shared_args', trainable: false, dtype: 'float64', inputShape: [3] });
    assert.equal(d.name, 'shared_args');
    assert.equal(d.trainable, false);
    assert.equal(d.dtype, 'float64');
    assert.deepEqual(d.batchInputShape, [null, 3]);
    assert.deepEqual(layers.flatten({ batchInputShape: [4, 28, 28] }).batchInputShape, [4, 28, 28]);
    assert.equal(layers.add().batchInputShape, null);
    assertThrowsExact(() => layers.flatten({ inputShape: [2], batchInputShape: [null, 2] }), hb.ValueError, 'Flatten: give inputShape or batchInputShape, not both');
    assertThrowsExact(() => layers.flatten({ inputShape: loose([28, '28']) }), hb.ShapeError, 'Flatten: inputShape must be an array of non-negative integers or null, received [28, "28"]');
  });

  it('user subclasses that pass their own wider args to super are not checked', () => {
    class Scale extends Layer {
      readonly k: number;
      constructor(args: LayerArgs & { k: number }) {
        super(args);
        this.k = args.k;
      }
    }
    assert.equal(new Scale({ k: 2, name: 'scale_user' }).k, 2);
  });

  it('apply, addWeight and adapt reject unknown options too', () => {
    hb.scope(() => {
      const d = new Dense({ units: 1, name: 'opt_apply' });
      assertThrowsExact(() => d.apply(hb.zeros([1, 2]), loose({ trainng: true })), hb.ValueError, 'Dense "opt_apply".apply: unknown option "trainng"; did you mean "training"?');
      assertThrowsExact(() => d.addWeight(loose({ name: 'w', shape: [1], initialiser: 'zeros' })), hb.ValueError, 'Dense "opt_apply".addWeight: unknown option "initialiser"; did you mean "initializer"?');
      const n = layers.normalization({ name: 'opt_norm' });
      assertThrowsExact(() => n.adapt(hb.zeros([4, 2]), loose({ batch_size: 2 })), hb.ValueError, 'Normalization "opt_norm".adapt: unknown option "batch_size"; did you mean "batchSize"?');
    });
  });

  it('shows a received value as it was given', () => {
    assertThrowsExact(() => layers.dense({ units: loose('10'), name: 'd_units' }), hb.ValueError, 'Dense "d_units": units must be a positive integer, received "10" (a string)');
    assertThrowsExact(() => layers.dense({ units: loose(undefined), name: 'd_units2' }), hb.ValueError, 'Dense "d_units2": units must be a positive integer, received undefined');
    assertThrowsExact(() => layers.dense({ units: NaN, name: 'd_units3' }), hb.ValueError, 'Dense "d_units3": units must be a positive integer, received NaN');
    assertThrowsExact(() => layers.elu({ alpha: loose('1'), name: 'e_alpha' }), hb.ValueError, 'ELU "e_alpha": alpha must be a finite number, received "1" (a string)');
    assertThrowsExact(() => layers.reshape({ targetShape: [-1, -1], name: 'r_t' }), hb.ValueError, 'Reshape "r_t": targetShape must be non-negative integers with at most one -1, received [-1, -1]');
    assertThrowsExact(() => layers.dense({ units: 1, name: loose(3) }), hb.ValueError, 'Dense: name must be a non-empty string without "/", received 3');
  });
});
