import { describe, it } from 'node:test';
import * as hb from '../index.js';
import { assertThrowsExact } from '../../test/helpers.js';

const loose = <T>(v: unknown): T => v as T;

describe('Perceptron options', () => {
  it("rejects unknown names, suggesting scikit-learn's camelCased one", () => {
    assertThrowsExact(() => new hb.Perceptron(loose({ max_iter: 10 })), hb.ValueError, 'Perceptron: unknown option "max_iter"; did you mean "maxIter"?');
    assertThrowsExact(() => new hb.Perceptron(loose({ random_state: 1 })), hb.ValueError, 'Perceptron: unknown option "random_state"; did you mean "randomState"?');
    assertThrowsExact(() => new hb.Perceptron(loose({ alpha: 1 })), hb.ValueError, 'Perceptron: unknown option "alpha"; valid options: eta0, maxIter, tol, shuffle, randomState, fitIntercept, earlyStopping, validationFraction, nIterNoChange');
    assertThrowsExact(() => new hb.Perceptron({ eta0: loose('1') }), hb.ValueError, 'Perceptron: eta0 must be a finite number > 0, received "1" (a string)');
  });
});
