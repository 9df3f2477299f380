import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeName } from './names.js';

describe('normalizeName', () => {
  it('makes camelCase, snake_case and class names compare equal, aliases apart', () => {
    assert.equal(normalizeName('MeanSquaredError'), 'meansquarederror');
    assert.equal(normalizeName('mean_squared_error'), normalizeName('meanSquaredError'));
    assert.equal(normalizeName('he_normal'), normalizeName('HeNormal'));
    assert.notEqual(normalizeName('mse'), normalizeName('meanSquaredError'));
  });
});
