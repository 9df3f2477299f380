/**
 * Class-id labels, checked once per fit/evaluate call before the first step. For every output
 * whose loss takes integer class ids (sparseCategoricalCrossentropy), each label must be an
 * integer in [0, classes), classes being the output's last dimension. Checking here, on the
 * whole array, means a bad label in the last sample (or in validationData) fails before any
 * batch is trained, and the error names the sample's index in the user's data rather than a
 * position inside a shuffled batch.
 *
 * Because the loop has checked them, its steps use the loss's withCheckedLabels twin, which
 * skips the loss's own per-step read-back of the labels (a host sync on the hot path). A loss
 * called directly still checks.
 */
import type { TypedArray } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { takesClassIds } from '../losses/crossentropy.js';
import type { CompiledOutput, OutputInfo } from './compile.js';

/** True when some output's loss takes class ids (their labels are then read back once, to check). */
export function hasClassIdOutputs(compiled: readonly CompiledOutput[]): boolean {
  return compiled.some((o) => takesClassIds(o.loss));
}

/**
 * Throws a ValueError naming the argument (`y`, `validationData[1]`), the output when there
 * are several, the sample and the value. `host[k]` holds y[k]'s values (read by the caller).
 */
export function checkClassIds(op: string, yName: string, ys: readonly Tensor[], host: readonly TypedArray[], compiled: readonly CompiledOutput[], outputs: readonly OutputInfo[]): void {
  compiled.forEach((o, k) => {
    if (!takesClassIds(o.loss)) return;
    const t = ys[k];
    const values = host[k];
    const shape = outputs[k]?.shape ?? [];
    const classes = shape[shape.length - 1];
    // bool labels and unknown class counts are the loss's to report (on the first step, before any update).
    if (!t || !values || t.dtype === 'bool' || classes === null || classes === undefined) return;
    const rows = t.shape[0] as number;
    const per = rows === 0 ? 1 : values.length / rows;
    const where = ys.length > 1 ? `${yName} for output "${o.name}"` : yName;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (Number.isInteger(v) && v >= 0 && v < classes) continue;
      const sample = Math.floor(i / per);
      const at = per === 1 ? `sample ${sample}` : `sample ${sample} (flat index ${i})`;
      throw new ValueError(
        `${op}: ${where} holds ${v} at ${at}, which is not a class id: output "${o.name}" uses ${o.loss.name} over ${classes} classes, so labels must be integers in [0, ${classes})`,
      );
    }
  });
}

/** The outputs as the loop's steps use them: losses that take class ids trust the labels checked above. */
export function withCheckedLabels(compiled: readonly CompiledOutput[]): CompiledOutput[] {
  return compiled.map((o) => (takesClassIds(o.loss) ? { ...o, loss: o.loss.withCheckedLabels() } : o));
}
