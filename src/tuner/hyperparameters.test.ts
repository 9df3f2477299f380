import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Generator } from '../core/random.js';
import { ValueError } from '../core/errors.js';
import { HyperParameters, activeValues, fromUnit, gridValues, sample, sampleSpace, toUnit, type FloatDef, type HPDef } from './hyperparameters.js';

describe('HyperParameters', () => {
  it('returns defaults in discovery, the trial value otherwise, and records each definition once', () => {
    const hp = new HyperParameters();
    assert.equal(hp.int('units', { min: 16, max: 256, default: 64 }), 64);
    assert.equal(hp.float('lr', { min: 1e-4, max: 1e-2, sampling: 'log' }), 1e-4);
    assert.equal(hp.choice('opt', ['sgd', 'adam']), 'sgd');
    assert.equal(hp.boolean('bn'), false);
    assert.equal(hp.fixed('act', 'relu'), 'relu');
    assert.equal(hp.int('units', { min: 16, max: 256, default: 64 }), 64);
    assert.deepEqual(hp.space.map((d) => d.name), ['units', 'lr', 'opt', 'bn', 'act']);
    const t = new HyperParameters({ units: 128, opt: 'adam' });
    assert.equal(t.int('units', { min: 16, max: 256 }), 128);
    assert.equal(t.choice('opt', ['sgd', 'adam']), 'adam');
    assert.equal(t.get('units'), 128);
    assert.throws(() => t.get('nope'), /no value for "nope"/);
  });

  it('rejects bad ranges, a redefinition and a conditional scope on an unknown parent', () => {
    const hp = new HyperParameters();
    assert.throws(() => hp.int('a', { min: 5, max: 1 }), ValueError);
    assert.throws(() => hp.float('b', { min: 0, max: 1, sampling: 'log' }), /log sampling needs min > 0/);
    assert.throws(() => hp.choice('c', []), /non-empty array/);
    assert.throws(() => hp.choice('c', [1, 'a'] as never[]), /must all be numbers, all strings or all booleans/);
    hp.int('u', { min: 1, max: 4 });
    assert.throws(() => hp.int('u', { min: 1, max: 8 }), /was defined as/);
    assert.throws(() => hp.conditionalScope('missing', 1, () => 0), /must be defined before/);
  });

  it('activates conditional parameters only under their parent values', () => {
    const build = (hp: HyperParameters): void => {
      const opt = hp.choice('opt', ['sgd', 'adam']);
      hp.conditionalScope('opt', 'sgd', () => hp.float('momentum', { min: 0, max: 0.99 }));
      void opt;
    };
    const a = new HyperParameters({ opt: 'adam' });
    build(a);
    assert.deepEqual(a.values, { opt: 'adam' });
    const s = new HyperParameters({ opt: 'sgd' });
    build(s);
    assert.deepEqual(Object.keys(s.values), ['opt', 'momentum']);
    const m = s.space.find((d) => d.name === 'momentum')!;
    assert.deepEqual(m.conditions, [{ parent: 'opt', values: ['sgd'] }]);
    assert.deepEqual(activeValues(s.space, { opt: 'adam', momentum: 0.5 }), { opt: 'adam' });
  });

  it('maps log and reverse-log sampling through the unit interval by their formulas', () => {
    const log: FloatDef = { type: 'float', name: 'lr', min: 1e-4, max: 1e-2, sampling: 'log', default: 1e-4 };
    // log: the midpoint is the geometric mean √(1e-4·1e-2) = 1e-3
    assert.ok(Math.abs(fromUnit(log, 0.5) - 1e-3) < 1e-15);
    assert.ok(Math.abs(toUnit(log, 1e-3) - 0.5) < 1e-12);
    const rev: FloatDef = { type: 'float', name: 'm', min: 0.01, max: 0.99, sampling: 'reverse_log', default: 0.5 };
    // reverse log: v = max + min − min·(max/min)^(1−u); at u = 0.5: 1 − 0.01·√99
    assert.ok(Math.abs(fromUnit(rev, 0.5) - (1 - 0.01 * Math.sqrt(99))) < 1e-12);
    assert.ok(Math.abs(toUnit(rev, fromUnit(rev, 0.3)) - 0.3) < 1e-12);
    // draws crowd near max: more than half of them above the linear midpoint
    const g = new Generator(1);
    let high = 0;
    for (let i = 0; i < 2000; i++) if ((sample(rev, g) as number) > 0.5) high++;
    assert.ok(high > 1400, `only ${high} of 2000 reverse-log draws above 0.5`);
  });

  it('snaps to steps and lists grid values', () => {
    const d: HPDef = { type: 'float', name: 'd', min: 0, max: 0.5, step: 0.1, sampling: 'linear', default: 0 };
    assert.deepEqual(gridValues(d).map((v) => Number(v.toString()).toFixed(2)), ['0.00', '0.10', '0.20', '0.30', '0.40', '0.50']);
    const u: HPDef = { type: 'int', name: 'u', min: 16, max: 256, step: 2, sampling: 'log', default: 16 };
    assert.deepEqual(gridValues(u), [16, 32, 64, 128, 256]);
    assert.deepEqual(gridValues({ type: 'int', name: 'n', min: 1, max: 4, step: 1, sampling: 'linear', default: 1 }), [1, 2, 3, 4]);
    assert.deepEqual(gridValues({ type: 'boolean', name: 'b', default: false }), [false, true]);
    // a linear int is uniform over min..max inclusive
    const g = new Generator(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[(sample({ type: 'int', name: 'n', min: 1, max: 4, step: 1, sampling: 'linear', default: 1 }, g) as number) - 1]!++;
    for (const c of counts) assert.ok(c > 850 && c < 1150, `counts ${counts}`);
  });

  it('samples a whole space, children only when their parent activates them', () => {
    const hp = new HyperParameters({ opt: 'sgd' });
    hp.choice('opt', ['sgd', 'adam']);
    hp.conditionalScope('opt', 'sgd', () => hp.float('momentum', { min: 0, max: 0.9 }));
    const g = new Generator(7);
    let withM = 0;
    for (let i = 0; i < 200; i++) {
      const v = sampleSpace(hp.space, g);
      assert.equal('momentum' in v, v['opt'] === 'sgd');
      if ('momentum' in v) withM++;
    }
    assert.ok(withM > 60 && withM < 140);
  });
});
