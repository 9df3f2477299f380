/** The callbacks reject unknown option names, naming the callback and the closest valid one. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as callbacks from './node.js';
import { BackupAndRestore, CSVLogger, EarlyStopping, LambdaCallback, LearningRateScheduler, ModelCheckpoint, ProgbarLogger, ReduceLROnPlateau, TensorBoard, TerminateOnNaN } from './node.js';
import { assertThrowsExact, assertThrowsWith } from '../../test/helpers.js';

const loose = <T>(v: unknown): T => v as T;

/** How to build each callback that takes options (History takes none; CallbackList is not a callback). */
const WITH_OPTIONS: Record<string, (options: unknown) => unknown> = {
  EarlyStopping: (o) => new EarlyStopping(loose(o)),
  ReduceLROnPlateau: (o) => new ReduceLROnPlateau(loose(o)),
  LearningRateScheduler: (o) => new LearningRateScheduler((_e, lr) => lr, loose(o)),
  ProgbarLogger: (o) => new ProgbarLogger(loose(o)),
  TensorBoard: (o) => new TensorBoard(loose(o)),
  CSVLogger: (o) => new CSVLogger(loose({ filename: 'log.csv', ...(o as object) })),
  LambdaCallback: (o) => new LambdaCallback(loose(o)),
  TerminateOnNaN: (o) => new TerminateOnNaN(loose(o)),
  ModelCheckpoint: (o) => new ModelCheckpoint(loose({ filepath: 'ckpt', ...(o as object) })),
  BackupAndRestore: (o) => new BackupAndRestore(loose({ backupDir: 'backup', ...(o as object) })),
};
const WITHOUT_OPTIONS = new Set(['History', 'CallbackList']);

describe('callback options', () => {
  it('every exported callback class is covered, and each rejects an unknown option', () => {
    const classes = Object.entries(callbacks).filter(([k, v]) => typeof v === 'function' && /^[A-Z]/.test(k));
    for (const [name] of classes) assert.ok(name in WITH_OPTIONS || WITHOUT_OPTIONS.has(name), `callback ${name} is not covered by this test`);
    for (const [name, make] of Object.entries(WITH_OPTIONS)) {
      assertThrowsWith(() => make({ bogusOption: 1 }), hb.ValueError, `${name}: unknown option "bogusOption"; valid options: `);
    }
  });

  it('names the option and the closest valid one', () => {
    assertThrowsExact(() => new EarlyStopping(loose({ restore_best_weights: true })), hb.ValueError, 'EarlyStopping: unknown option "restore_best_weights"; did you mean "restoreBestWeights"?');
    assertThrowsExact(() => new EarlyStopping(loose({ patient: 3 })), hb.ValueError, 'EarlyStopping: unknown option "patient"; did you mean "patience"?');
    assertThrowsExact(() => new ReduceLROnPlateau(loose({ min_lr: 1e-5 })), hb.ValueError, 'ReduceLROnPlateau: unknown option "min_lr"; did you mean "minLr"?');
    assertThrowsExact(() => new LearningRateScheduler((_e, lr) => lr, loose({ verbos: 1 })), hb.ValueError, 'LearningRateScheduler: unknown option "verbos"; did you mean "verbose"?');
    assertThrowsExact(() => new LearningRateScheduler(loose(0.1)), hb.ValueError, 'LearningRateScheduler: schedule must be a function (epoch, lr) => lr, received 0.1');
  });

  it('shows received values as given', () => {
    assertThrowsExact(() => new EarlyStopping({ patience: loose('3') }), hb.ValueError, 'EarlyStopping: patience must be a non-negative integer, received "3" (a string)');
    assertThrowsExact(() => new ReduceLROnPlateau({ factor: 2 }), hb.ValueError, 'ReduceLROnPlateau: factor must be in [0, 1), received 2');
    assertThrowsExact(() => new EarlyStopping({ mode: loose('maximum') }), hb.ValueError, "EarlyStopping: mode must be 'auto', 'min' or 'max', received \"maximum\" (a string)");
    assert.equal(new EarlyStopping({ patience: 2 }).patience, 2);
  });
});
