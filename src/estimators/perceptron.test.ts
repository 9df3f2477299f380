import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Perceptron } from './perceptron.js';
import { loadIris } from '../io/datasets/index.js';
import { tensor } from '../ops/creation.js';
import { ShapeError, ValueError } from '../core/errors.js';

async function irisPetals(): Promise<{ X: number[][]; y: number[]; all: number[][]; target: number[] }> {
  const d = await loadIris();
  const X: number[][] = [];
  const all: number[][] = [];
  for (let i = 0; i < 150; i++) {
    const row = [...d.data.data.subarray(i * 4, i * 4 + 4)];
    all.push(row);
    X.push([row[2] as number, row[3] as number]);
  }
  const target = [...d.target.data];
  return { X, y: target.map((t) => (t === 0 ? 1 : 0)), all, target };
}

describe('Perceptron', () => {
  it('separates setosa from the rest on petal length and width (the book, ch. 10)', async () => {
    const { X, y } = await irisPetals();
    const p = new Perceptron({ randomState: 42 }).fit(X, y);
    assert.equal(p.score(X, y), 1);
    // the book's two test flowers: [2, 0.5] is setosa-like, [3, 1] is not
    assert.deepEqual(p.predict([[2, 0.5], [3, 1]]).arraySync(), [1, 0]);
    assert.equal(p.predict(X).dtype, 'int32');
    assert.ok(p.nIter < 1000, `stopped by tol after ${p.nIter} epochs`);
  });

  it('matches scikit-learn exactly without shuffling (coef, intercept, n_iter_)', async () => {
    // References computed with scikit-learn 1.2.1 (Debian python3-sklearn) on load_iris():
    //   Perceptron(shuffle=False).fit(X, y) -> coef_, intercept_, n_iter_ (t_ = n_iter_·n + 1)
    const { X, y, all, target } = await irisPetals();
    const close = (a: ArrayLike<number>, b: number[]): void => {
      assert.equal(a.length, b.length);
      for (let i = 0; i < b.length; i++) assert.ok(Math.abs((a[i] as number) - (b[i] as number)) < 1e-9, `${Array.from(a)} vs ${b}`);
    };
    const setosa = new Perceptron({ shuffle: false }).fit(X, y);
    close(setosa.coef as Float64Array, [-0.5, -0.8]);
    close(setosa.intercept as Float64Array, [2]);
    assert.equal(setosa.nIter, 8);
    assert.equal(setosa.tUpdates, 1200);
    // versicolor vs rest, 4 features: not separable, stopped by tol after 18 epochs
    const yv = target.map((t) => (t === 1 ? 1 : 0));
    const versi = new Perceptron({ shuffle: false }).fit(all, yv);
    close(versi.coef as Float64Array, [6.4, -8.8, -10.5, -12.7]);
    close(versi.intercept as Float64Array, [-2]);
    assert.equal(versi.nIter, 18);
    assert.equal(versi.score(all, yv), 2 / 3);
    const noTol = new Perceptron({ shuffle: false, tol: null, maxIter: 50 }).fit(all, yv);
    close(noTol.coef as Float64Array, [17.6, -23.6, -17.0, -27.6]);
    close(noTol.intercept as Float64Array, [-6]);
    // one-vs-rest, eta0 0.1
    const ovr = new Perceptron({ shuffle: false, eta0: 0.1 }).fit(all, target);
    close(ovr.coef as Float64Array, [0.13, 0.41, -0.52, -0.22, 0.64, -0.88, -1.05, -1.27, -0.62, -0.34, 1.43, 0.99]);
    close(ovr.intercept as Float64Array, [0.1, -0.2, -0.1]);
    assert.equal(ovr.nIter, 18);
    assert.equal(ovr.score(all, target), 2 / 3);
  });

  it('follows the perceptron rule by hand: update on y·(w·x+b) <= 0 with eta0', () => {
    // shuffle off, 2 epochs. Epoch 1: x0=[1,0] (y=+1) z=0 -> w=[2,0], b=2 (eta0 2);
    // x1=[0,1] (y=-1) z=2 -> w=[2,-2], b=0. Epoch 2: z0=2 (ok), z1=-2 (ok): no change.
    const p = new Perceptron({ shuffle: false, maxIter: 2, tol: null, eta0: 2 }).fit([[1, 0], [0, 1]], [1, 0]);
    assert.deepEqual([...(p.coef as Float64Array)], [2, -2]);
    assert.deepEqual([...(p.intercept as Float64Array)], [0]);
    assert.equal(p.nIter, 2);
    assert.equal(p.tUpdates, 4);
    // scikit-learn's convention: a score of exactly 0 predicts the negative class
    assert.deepEqual([...p.decisionFunction([[1, 1], [3, 1]]).dataSync()], [0, 4]);
    assert.deepEqual(p.predict([[1, 1], [3, 1]]).arraySync(), [0, 1]);
  });

  it('keeps the labels it was given (classes sorted, positive = classes[1])', () => {
    const p = new Perceptron({ shuffle: false }).fit([[-1], [-2], [1], [2]], [7, 7, 9, 9]);
    assert.deepEqual([...(p.classes as Float64Array)], [7, 9]);
    assert.deepEqual(p.predict([[-3], [3]]).arraySync(), [7, 9]);
  });

  it('runs maxIter epochs when tol is null, and fewer with tol', () => {
    const X = [[0, 0], [1, 1], [2, 2], [3, 3]];
    const y = [0, 0, 1, 1];
    assert.equal(new Perceptron({ tol: null, maxIter: 37 }).fit(X, y).nIter, 37);
    assert.ok(new Perceptron({ maxIter: 37 }).fit(X, y).nIter < 37);
  });

  it('is one-vs-rest for more classes: separable blobs are classified perfectly', () => {
    const X: number[][] = [];
    const y: number[] = [];
    const centers = [[0, 10], [10, 0], [-10, -10]];
    centers.forEach((c, k) => {
      for (let i = 0; i < 10; i++) {
        X.push([(c[0] as number) + Math.sin(i), (c[1] as number) + Math.cos(i)]);
        y.push(k);
      }
    });
    const p = new Perceptron({ randomState: 1 }).fit(tensor(X), tensor(y, undefined, 'int32'));
    assert.equal(p.score(X, y), 1);
    assert.deepEqual(p.decisionFunction(X).shape, [30, 3]);
  });

  it('supports early stopping on a held-out fraction', async () => {
    const { X, y } = await irisPetals();
    const p = new Perceptron({ earlyStopping: true, randomState: 0 }).fit(X, y);
    assert.ok(p.nIter >= 6 && p.nIter < 1000, `nIter ${p.nIter}`);
    assert.ok(p.score(X, y) > 0.9);
  });

  it('is deterministic for a given randomState', async () => {
    const { all, target } = await irisPetals();
    const a = new Perceptron({ randomState: 3 }).fit(all, target);
    const b = new Perceptron({ randomState: 3 }).fit(all, target);
    assert.deepEqual([...(a.coef as Float64Array)], [...(b.coef as Float64Array)]);
  });

  it('rejects bad shapes, NaN, one class and unfitted use', () => {
    const p = new Perceptron();
    assert.throws(() => p.predict([[1, 2]]), (e: unknown) => e instanceof ValueError && /call fit before predict/.test(e.message));
    assert.throws(() => p.fit([[1, 2], [3]], [0, 1]), (e: unknown) => e instanceof ShapeError && /X row 1 has 1 entries, expected 2/.test(e.message));
    assert.throws(() => p.fit({ data: [1, 2, 3], shape: [3] }, [0, 1, 0]), /X must be 2-D \[samples, features\], received shape \[3\]/);
    assert.throws(() => p.fit([[1], [2]], [0, 1, 1]), /X has 2 samples but y has 3/);
    assert.throws(() => p.fit([[1], [NaN]], [0, 1]), (e: unknown) => e instanceof ValueError && /X contains NaN at sample 1, feature 0/.test(e.message));
    assert.throws(() => p.fit([[1], [2]], [0, Infinity]), /y contains Infinity at sample 1/);
    assert.throws(() => p.fit([[1], [2]], [1, 1]), /y needs at least 2 classes, received 1/);
    p.fit([[1, 0], [0, 1]], [0, 1]);
    assert.throws(() => p.predict([[1, 2, 3]]), /X has 3 features, but the model was fit on 2/);
    assert.throws(() => new Perceptron({ eta0: 0 }), /eta0 must be a finite number > 0, received 0/);
    assert.throws(() => new Perceptron({ validationFraction: 1 }), /validationFraction must be in \(0, 1\)/);
  });
});
