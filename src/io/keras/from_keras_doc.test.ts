import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as hb from '../../index.js';
import { fromKeras } from '../../../examples/from_keras.js';
import { KERAS_FIXTURES, assertMatchesReference, predictReference, reference, referenceInputs } from '../../../testing/keras_fixtures.js';

it('docs/FROM_KERAS.md: the Python-trained Auto MPG model loads, predicts as Keras, and fine-tunes', async () => {
  const file = 'k3_seq_normalization_autompg.keras';
  const ref = reference(file);
  const [x] = referenceInputs(ref);
  assert.ok(x);
  // New targets: the reference predictions shifted by +3 mpg, which the loaded model must learn.
  const y = hb.tensor((ref.outputs[ref.output_order[0] as string] as number[][]).map((r) => [(r[0] as number) + 3]), [5, 1]);
  const { before, after, model } = await fromKeras(join(KERAS_FIXTURES, file), x, y);
  assert.ok(Math.abs(before - 9) < 1e-3, `before fine-tuning the MSE is 3² = 9 (got ${before})`);
  assert.ok(after < before / 2, `fine-tuning lowers the loss: ${before} → ${after}`);
  hb.dispose([x, y]);
  model.dispose();
  const fresh = await hb.loadKerasModel(join(KERAS_FIXTURES, file));
  assertMatchesReference(await predictReference(fresh, ref), ref, file);
  fresh.dispose();
});
