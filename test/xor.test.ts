import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../src/index.js';
import { trainXor } from '../examples/xor.js';

describe('examples/xor', () => {
  it('trains a 2-4-1 network on XOR to 100% accuracy, deterministically, without leaking', () => {
    const b0 = hb.numBuffers();
    const t0 = hb.numTensors();
    const r = trainXor(1000, 1);
    assert.equal(r.accuracy, 1);
    assert.ok(r.loss < 0.01, `loss ${r.loss}`);
    const [p00, p01, p10, p11] = r.predictions as [number, number, number, number];
    assert.ok(p00 < 0.1 && p11 < 0.1 && p01 > 0.9 && p10 > 0.9, `predictions ${r.predictions.join(', ')}`);
    assert.equal(hb.numBuffers(), b0);
    assert.equal(hb.numTensors(), t0);
    // seeded init: a second run gives the same result bit for bit
    assert.deepEqual(trainXor(1000, 1).predictions, r.predictions);
  });
});
