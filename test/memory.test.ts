import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../src/index.js';

describe('memory', () => {
  it('10,000 training-like steps in scopes keep numTensors and numBuffers exactly flat', () => {
    const t0 = hb.numTensors();
    const b0 = hb.numBuffers();
    const x = hb.tensor([[0.5, -1, 2], [1, 0.25, -0.5]]);
    const y = hb.tensor([[1, 0], [0, 1]]);
    // made in scopes: the initial-value tensors are freed, only the variables remain
    const w = hb.scope(() => hb.variable(hb.tensor([[0.1, -0.2], [0.3, 0.05], [-0.1, 0.2]]), { name: 'w' }));
    const b = hb.scope(() => hb.variable(hb.zeros([2]), { name: 'b' }));
    const velocity = hb.scope(() => hb.variable(hb.zeros([3, 2])));
    const tAfterSetup = hb.numTensors();
    const bAfterSetup = hb.numBuffers();
    let lastLoss = Infinity;
    for (let step = 0; step < 10_000; step++) {
      const loss = hb.scope(() => {
        const { value, grads } = hb.valueAndGrad(() => {
          // a nested scope inside f and views (transpose, reshape, slice) on the tape
          const logits = hb.scope(() => hb.add(hb.matmul(x, w), b));
          const logp = hb.logSoftmax(logits);
          const nll = hb.neg(hb.sum(hb.mul(y, logp), -1));
          const reg = hb.mul(hb.sum(hb.square(hb.reshape(hb.transpose(w), [6]))), 1e-3);
          return hb.add(hb.mean(nll), reg);
        }, [w, b]);
        velocity.assign(hb.sub(hb.mul(velocity, 0.9), hb.mul(grads[0]!, 0.1)));
        w.assign(hb.add(w, velocity));
        b.assign(hb.sub(b, hb.mul(grads[1]!, 0.1)));
        return value;
      });
      if (step % 1000 === 999) {
        lastLoss = loss.item();
        // not growing across the run: the same counts at every checkpoint
        assert.equal(hb.numTensors(), tAfterSetup + 1, `tensors at step ${step}`);
        assert.equal(hb.numBuffers(), bAfterSetup + 1, `buffers at step ${step}`);
      }
      loss.dispose();
    }
    assert.equal(hb.numTensors(), tAfterSetup);
    assert.equal(hb.numBuffers(), bAfterSetup);
    assert.ok(lastLoss < 0.05, `the loop trains (loss ${lastLoss})`);
    hb.dispose([x, y, w, b, velocity]);
    assert.equal(hb.numTensors(), t0);
    assert.equal(hb.numBuffers(), b0);
  });
});
