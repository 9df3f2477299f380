/**
 * Test helpers between hebb's saved directories and the real @tensorflow/tfjs (a dev
 * dependency, pure-JS cpu backend): `file://` needs tfjs-node, so these are the custom
 * IOHandlers tfjs's docs describe, reading and writing the same files a browser would fetch.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

let ready: Promise<boolean> | null = null;

/** tfjs on its cpu backend (once). */
export async function tfjs(): Promise<typeof tf> {
  ready ??= tf.setBackend('cpu');
  await ready;
  return tf;
}

/** tfjs's view of a saved directory: exactly what its http loader builds from model.json. */
export function tfjsHandlerFromDir(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const j = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      const dir = dirname(modelJsonPath);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const parts: Buffer[] = [];
      for (const g of j.weightsManifest) {
        specs.push(...g.weights);
        for (const p of g.paths) parts.push(readFileSync(join(dir, p)));
      }
      const all = Buffer.concat(parts);
      const artifacts: tf.io.ModelArtifacts = {
        modelTopology: j.modelTopology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: j.format,
        generatedBy: j.generatedBy,
        convertedBy: j.convertedBy,
      };
      if (j.trainingConfig) artifacts.trainingConfig = j.trainingConfig;
      return artifacts;
    },
  };
}

/** A tfjs `model.save` target writing model.json + one shard, as tfjs's file:// handler lays them out. */
export function tfjsHandlerToDir(dir: string): tf.io.IOHandler {
  return {
    save: async (a: tf.io.ModelArtifacts) => {
      mkdirSync(dir, { recursive: true });
      const data = a.weightData;
      const bytes = data === undefined ? new Uint8Array(0) : new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
      writeFileSync(join(dir, 'weights.bin'), bytes);
      const json: Record<string, unknown> = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy,
        weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }],
      };
      if (a.trainingConfig) json['trainingConfig'] = a.trainingConfig;
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  };
}
