import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import { Add, Concatenate, Dense, Flatten, InputLayer, Layer, Reshape, SymbolicTensor, graphLayers, input, runGraph, topologicalNodes, type CallArgs } from './index.js';
import { lcg, vals, assertClose, assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

describe('symbolic tensors and graphs', () => {
  it('input() gives a SymbolicTensor with a null batch dimension and its InputLayer', () => {
    const x = input({ shape: [28, 28], name: 'pixels' });
    assert.ok(x instanceof SymbolicTensor);
    assert.deepEqual(x.shape, [null, 28, 28]);
    assert.equal(x.dtype, 'float32');
    assert.equal(x.name, 'pixels');
    assert.ok(x.sourceLayer instanceof InputLayer);
    assert.deepEqual(x.inputs, []);
    assert.deepEqual(input({ shape: [3], batchSize: 8, dtype: 'int32' }).shape, [8, 3]);
    assert.deepEqual(input({ batchShape: [null, null, 3] }).shape, [null, null, 3]);
    assertThrowsWith(() => input({}), hb.ValueError, 'shape is required');
    assertThrowsWith(() => input({ shape: [2.5] }), hb.ShapeError, 'shape must be an array of non-negative integers or null');
    assertThrowsWith(() => input({ shape: [2], batchSize: 0 }), hb.ValueError, 'batchSize must be a positive integer');
  });

  it('propagates shapes through a graph with two inputs (Wide & Deep)', () => {
    const wide = input({ shape: [5], name: 'wide' });
    const deep = input({ shape: [6], name: 'deep' });
    const h1 = new Dense({ units: 30, activation: 'relu' }).apply(deep);
    const h2 = new Dense({ units: 30, activation: 'relu' }).apply(h1);
    const cat = new Concatenate().apply([wide, h2]);
    const out = new Dense({ units: 1, name: 'output' }).apply(cat);
    assert.deepEqual(h1.shape, [null, 30]);
    assert.deepEqual(cat.shape, [null, 35]);
    assert.deepEqual(out.shape, [null, 1]);
    assert.equal(out.sourceLayer.name, 'output');
    assert.deepEqual(out.inputs, [cat]);
    assert.deepEqual(cat.inputs, [wide, h2]);
    assert.equal(out.sourceLayer.countParams(), 36);
    // Execution order: every layer after the ones it reads from.
    const names = graphLayers([wide, deep], [out]).map((l) => l.name);
    assert.equal(names[0], 'wide');
    assert.equal(names[1], 'deep');
    assert.equal(names[names.length - 1], 'output');
    assert.ok(names.indexOf(h2.sourceLayer.name) > names.indexOf(h1.sourceLayer.name));
    assert.ok(names.indexOf(cat.sourceLayer.name) > names.indexOf(h2.sourceLayer.name));
    assert.equal(topologicalNodes([wide, deep], [out]).length, 4);
  });

  it('runGraph computes the same values as applying the layers by hand', () => {
    const a = input({ shape: [3] });
    const b = input({ shape: [3] });
    const shared = new Dense({ units: 3, activation: 'tanh' });
    const sa = shared.apply(a);
    const sb = shared.apply(b); // the same weights on both inputs
    const sum = new Add().apply([sa, sb]);
    const flat = new Flatten().apply(new Reshape({ targetShape: [3, 1] }).apply(sum));
    assert.deepEqual(flat.shape, [null, 3]);
    assert.equal(shared.inboundNodes.length, 2);
    assert.notEqual(sa.name, sb.name);
    const xa = hb.tensor(lcg(6, 1), [2, 3]);
    const xb = hb.tensor(lcg(6, 2), [2, 3]);
    const [y, ysum] = runGraph([a, b], [flat, sum], [xa, xb]);
    const expected = hb.add(shared.apply(xa), shared.apply(xb));
    assertClose(vals(y as hb.Tensor), vals(expected), 1e-7, 0);
    assertClose(vals(ysum as hb.Tensor), vals(expected), 1e-7, 0);
    assert.equal(graphLayers([a, b], [flat]).filter((l) => l === shared).length, 1, 'a shared layer is listed once');
  });

  it('replays a training flag fixed at graph-building time, and passes the call-time one otherwise', () => {
    const seen: string[] = [];
    class Probe extends Layer {
      override call(inputs: hb.Tensor | hb.Tensor[], args: CallArgs): hb.Tensor {
        seen.push(`${this.name}:${String(args.training)}`);
        return inputs as hb.Tensor;
      }
      override computeOutputShape(s: readonly (number | null)[]): readonly (number | null)[] {
        return s;
      }
    }
    const x = input({ shape: [1] });
    const y = new Probe({ name: 'p2' }).apply(new Probe({ name: 'p1' }).apply(x, { training: true }));
    runGraph([x], [y], [hb.ones([1, 1])]);
    runGraph([x], [y], [hb.ones([1, 1])], { training: true });
    assert.deepEqual(seen, ['p1:true', 'p2:false', 'p1:true', 'p2:true']);
  });

  it('reports a disconnected graph, wrong input values, and mismatched symbolic inputs', () => {
    const a = input({ shape: [2], name: 'ga' });
    const b = input({ shape: [2], name: 'gb' });
    const s = new Add().apply([a, b]);
    assertThrowsWith(() => topologicalNodes([a], [s]), hb.ValueError, 'functional graph disconnected: output', 'depends on input "gb"', 'not among the inputs [ga]');
    assertThrowsExact(() => runGraph([a, b], [s], [hb.ones([2, 2])]), hb.ValueError, 'functional graph: expected 2 input tensors (ga, gb), received 1');
    assertThrowsExact(() => runGraph([a, b], [s], [hb.ones([2, 2]), hb.ones([2, 3])]), hb.ShapeError, 'functional graph: input "gb" expects shape [null, 2], received shape [2, 3]');
    assertThrowsWith(() => new Concatenate({ name: 'cc' }).apply([a, input({ shape: [2, 1] })]), hb.ShapeError, 'Concatenate "cc" expects inputs of the same rank, received shapes [null, 2], [null, 2, 1]');
    const d = new Dense({ units: 2, name: 'sym' });
    d.apply(input({ shape: [4] }));
    assertThrowsExact(() => d.apply(a), hb.ShapeError, 'Dense "sym" expects inputs with last dimension 4, received shape [null, 2]');
  });

  it('traces user layers without a shape rule: several outputs, int outputs', () => {
    /** Splits the features in two halves and also returns each row's argmax. */
    class HalvesAndArgmax extends Layer {
      override call(inputs: hb.Tensor | hb.Tensor[]): hb.Tensor[] {
        const x = inputs as hb.Tensor;
        return [...hb.split(x, 2, -1), hb.argmax(x, -1)];
      }
    }
    const layer = new HalvesAndArgmax({ name: 'haa' });
    const x = input({ shape: [4] });
    const [lo, hi, am] = layer.applyAll(x);
    assert.deepEqual(lo?.shape, [null, 2]);
    assert.deepEqual(hi?.shape, [null, 2]);
    assert.deepEqual(am?.shape, [null]);
    assert.equal(am?.dtype, 'int32');
    assert.equal(lo?.dtype, 'float32');
    assert.deepEqual([lo?.outputIndex, hi?.outputIndex, am?.outputIndex], [0, 1, 2]);
    assertThrowsWith(() => layer.apply(x), hb.ValueError, 'HalvesAndArgmax "haa" returned 3 outputs; use applyAll');
    const sum = new Add().apply([lo as SymbolicTensor, hi as SymbolicTensor]);
    const [s, a] = runGraph([x], [sum, am as SymbolicTensor], [hb.tensor([[1, 5, 3, 4], [9, 0, 1, 2]])]);
    assert.deepEqual(vals(s as hb.Tensor), [4, 9, 10, 2]);
    assert.deepEqual(vals(a as hb.Tensor), [1, 0]);
  });

  it('an input that is also an output passes through', () => {
    const a = input({ shape: [2] });
    const [y] = runGraph([a], [a], [hb.tensor([[1, 2]])]);
    assert.deepEqual(vals(y as hb.Tensor), [1, 2]);
  });
});
