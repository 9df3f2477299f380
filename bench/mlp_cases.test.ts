/**
 * The optimizer and architecture cases of the speed benchmarks build what they say (not timed):
 * each optimizer case carries the Keras hyperparameters the issue names, the BN and dropout
 * models put the layer after each hidden Dense, and the PyTorch anchor lists the same cases.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import * as hb from '../src/index.js';
import { ARCHS, OPTIMIZER_CASES, OPTIMIZER_NAMES, isArch, isOptimizerCase } from './mlp_cases.js';
import { buildModel } from './mlp_workload.js';
import { speedCases } from './optimizers.js';

// Keras 3 values (../shared/CONVENTIONS.md), written out independently of mlp_cases.ts.
const EXPECTED: Record<string, { name: string; config: Record<string, number | boolean> }> = {
  sgd: { name: 'sgd', config: { learningRate: 0.01, momentum: 0, nesterov: false } },
  sgd_momentum: { name: 'sgd', config: { learningRate: 0.01, momentum: 0.9, nesterov: false } },
  sgd_nesterov: { name: 'sgd', config: { learningRate: 0.01, momentum: 0.9, nesterov: true } },
  adagrad: { name: 'adagrad', config: { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 } },
  rmsprop: { name: 'rmsprop', config: { learningRate: 0.001, rho: 0.9, momentum: 0, centered: false, epsilon: 1e-7 } },
  rmsprop_momentum: { name: 'rmsprop', config: { learningRate: 0.001, rho: 0.9, momentum: 0.9, centered: false, epsilon: 1e-7 } },
  rmsprop_centered: { name: 'rmsprop', config: { learningRate: 0.001, rho: 0.9, momentum: 0, centered: true, epsilon: 1e-7 } },
  adam: { name: 'adam', config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
  adamax: { name: 'adamax', config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
  nadam: { name: 'nadam', config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
  adamw: { name: 'adamw', config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 } },
};

const DENSE_PARAMS = 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10;

describe('bench optimizer and architecture cases', () => {
  it('every optimizer case builds the named optimizer with the Keras hyperparameters', () => {
    assert.deepEqual([...OPTIMIZER_NAMES].sort(), Object.keys(EXPECTED).sort());
    for (const name of OPTIMIZER_NAMES) {
      assert.ok(isOptimizerCase(name));
      const opt = OPTIMIZER_CASES[name]();
      const want = EXPECTED[name];
      assert.ok(want, name);
      assert.equal(opt.name, want.name, name);
      const config = opt.getConfig();
      for (const [k, v] of Object.entries(want.config)) assert.equal(config[k], v, `${name}.${k}`);
    }
    assert.equal(isOptimizerCase('toString'), false);
    assert.equal(isOptimizerCase('lamb'), false);
  });

  it('bn and dropout put the layer after each hidden Dense; plain is the book model', () => {
    hb.setBackend('cpu');
    const kinds = (arch: 'plain' | 'bn' | 'dropout'): string[] => {
      const m = buildModel('sgd', false, arch);
      const out = m.layers.map((l) => (l instanceof hb.layers.Dense ? `dense${String(l.getConfig()['units'])}` : l instanceof hb.layers.BatchNormalization ? 'bn' : l instanceof hb.layers.Dropout ? 'dropout' : 'other'));
      m.dispose();
      return out;
    };
    assert.deepEqual(kinds('plain'), ['other', 'dense300', 'dense100', 'dense10']);
    assert.deepEqual(kinds('bn'), ['other', 'dense300', 'bn', 'dense100', 'bn', 'dense10']);
    assert.deepEqual(kinds('dropout'), ['other', 'dense300', 'dropout', 'dense100', 'dropout', 'dense10']);
    const bn = buildModel('sgd', false, 'bn');
    // gamma, beta and the two moving statistics per feature: 4·(300 + 100) more weights.
    assert.equal(bn.countParams(), DENSE_PARAMS + 4 * 400);
    const cfg = bn.layers.find((l) => l instanceof hb.layers.BatchNormalization)?.getConfig();
    assert.equal(cfg?.['momentum'], 0.99);
    assert.equal(cfg?.['epsilon'], 1e-3);
    bn.dispose();
    const dr = buildModel('sgd', false, 'dropout');
    assert.equal(dr.countParams(), DENSE_PARAMS);
    for (const l of dr.layers) if (l instanceof hb.layers.Dropout) assert.equal(l.getConfig()['rate'], 0.2);
    dr.dispose();
    assert.ok(ARCHS.every(isArch));
    assert.equal(isArch('resnet'), false);
  });

  it('the speed cases: every optimizer on the plain MLP, then SGD with bn and dropout', () => {
    const cases = speedCases();
    assert.equal(cases.length, OPTIMIZER_NAMES.length + 2);
    assert.deepEqual(cases[0], { opt: 'sgd', arch: 'plain' });
    assert.deepEqual(cases.slice(-2), [{ opt: 'sgd', arch: 'bn' }, { opt: 'sgd', arch: 'dropout' }]);
  });

  it('the PyTorch anchor lists the same optimizer cases and architectures', () => {
    // dist/bench/*.js -> bench/torch_optimizers.py (tsc copies no .py files).
    const src = fs.readFileSync(new URL('../../bench/torch_optimizers.py', import.meta.url), 'utf8');
    const cases = [...src.matchAll(/^ {4}"(\w+)": lambda p, fe:/gm)].map((m) => m[1]);
    assert.deepEqual(cases, [...OPTIMIZER_NAMES]);
    assert.match(src, new RegExp(`^ARCHS = \\[${ARCHS.map((a) => `"${a}"`).join(', ')}\\]$`, 'm'));
  });
});
