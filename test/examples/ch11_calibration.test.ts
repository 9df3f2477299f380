/**
 * The calibration measures of examples/ch11/calibration.ts against values worked by hand
 * from their definitions (log loss: mean −ln p(true); ECE: Guo et al.'s binned |acc − conf|).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, expectedCalibrationError, logLoss, LOG_LOSS_EPSILON } from '../../examples/ch11/calibration.js';

describe('ch11 calibration measures', () => {
  // Three samples, three classes; the true labels are 0, 1, 2.
  const probs = [0.7, 0.2, 0.1, 0.5, 0.4, 0.1, 0.1, 0.1, 0.8];
  const labels = [0, 1, 2];

  it('log loss is the mean of −ln p(true class)', () => {
    const expected = -(Math.log(0.7) + Math.log(0.4) + Math.log(0.8)) / 3;
    assert.ok(Math.abs(logLoss(probs, labels) - expected) < 1e-12);
  });

  it('log loss clips a zero probability to the Keras epsilon', () => {
    assert.ok(Math.abs(logLoss([1, 0], [1]) + Math.log(LOG_LOSS_EPSILON)) < 1e-9);
  });

  it('accuracy counts the rows whose largest probability is the label', () => {
    assert.equal(accuracy(probs, labels), 2 / 3); // the second row predicts class 0
  });

  it('ECE with 10 bins, worked by hand', () => {
    // Confidences 0.7 (correct), 0.5 (wrong), 0.8 (correct): bins (0.6, 0.7], (0.4, 0.5],
    // (0.7, 0.8] each hold one prediction, so ECE = (|1 − 0.7| + |0 − 0.5| + |1 − 0.8|)/3.
    const { ece, bins } = expectedCalibrationError(probs, labels, 10);
    assert.ok(Math.abs(ece - (0.3 + 0.5 + 0.2) / 3) < 1e-12, `ece ${ece}`);
    assert.deepEqual(bins.map((b) => b.count), [0, 0, 0, 0, 1, 0, 1, 1, 0, 0]);
  });

  it('ECE puts predictions in one bin when their confidences share it, then compares the means', () => {
    // Confidences 0.91 (right) and 0.95 (wrong) share (0.9, 1] with 10 bins: ECE = |0.5 − 0.93|.
    // With 15 bins they fall in (0.8667, 0.9333] and (0.9333, 1]: ECE = (0.09 + 0.95)/2.
    const p = [0.91, 0.09, 0.05, 0.95];
    const y = [0, 0];
    assert.ok(Math.abs(expectedCalibrationError(p, y, 10).ece - 0.43) < 1e-12);
    assert.ok(Math.abs(expectedCalibrationError(p, y, 15).ece - (0.09 + 0.95) / 2) < 1e-12);
  });

  it('a confidence on a bin edge belongs to the bin it closes', () => {
    // 0.5 closes (0.4, 0.5] with 10 bins (index 4); 1 closes the last bin.
    const counts = expectedCalibrationError([0.5, 0.5, 1, 0], [0, 0], 10).bins.map((b) => b.count);
    assert.deepEqual(counts, [0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('a perfectly calibrated set has ECE 0', () => {
    // Four predictions at confidence 0.75, three of them right.
    const p = [0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.25, 0.75];
    assert.ok(expectedCalibrationError(p, [0, 0, 0, 0], 15).ece < 1e-12);
  });
});
