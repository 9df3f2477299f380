/**
 * backupAndRestore's files. A backup is one hebb save directory, `<backupDir>/latest`, written
 * by the model files' atomic protocol (io/model_io/files.ts: a temporary sibling, every file
 * fsync'ed, then renames), so a process killed while backing up leaves the previous backup
 * whole. Inside: the model's weights as the usual weights manifest (`group1-shard*.bin`), every
 * other tensor of the run's state (optimizer slots, early stopping's best weights, the
 * epoch's order, running metric totals) in the second manifest (`optimizer-shard*.bin`), and
 * the rest as JSON under `hebb.backup` in model.json. It is read back with the same checks as
 * any model file (sizes, sha256 of each shard), so a damaged backup is refused, not half used.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { decodeState, encodeState, type SavedState, type StateValue } from '../core/saved_state.js';
import type { Tensor } from '../core/tensor.js';
import { dispose, keep } from '../core/engine.js';
import { VERSION } from '../version.js';
import { nodeModules, saveToDirectory } from '../io/model_io/files.js';
import { readModelJson } from '../io/model_io/read_files.js';
import { isObject, type JsonObject } from '../io/model_io/keras_json.js';
import { checkSpecs, decodeWeights, encodeWeights } from '../io/model_io/weights.js';

export const BACKUP_NAME = 'latest';
/** hebb.backup's layout version: a backup of another layout is refused. */
export const BACKUP_FORMAT = 1;

export interface NamedTensor {
  name: string;
  value: Tensor;
}

/** What a backup holds: the JSON part and the tensors by name (the model's weights apart). */
export interface BackupData {
  json: JsonObject;
  weights: Tensor[];
  tensors: Map<string, Tensor>;
}

/** Writes the backup atomically into `<dir>/latest`. */
export async function writeBackup(dir: string, json: JsonObject, weights: readonly Tensor[], tensors: readonly NamedTensor[]): Promise<void> {
  const m = nodeModules('BackupAndRestore');
  const w = await encodeWeights(weights.map((value, i) => ({ name: `weight/${i}`, value })));
  const t = await encodeWeights(tensors);
  saveToDirectory(m.path.join(dir, BACKUP_NAME), {
    modelTopology: null,
    format: 'layers-model',
    generatedBy: `hebb v${VERSION} backupAndRestore`,
    convertedBy: null,
    trainingConfig: null,
    weightSpecs: w.specs,
    weightData: w.data,
    hebb: { backup: json },
    optimizerSpecs: t.specs,
    optimizerData: t.data,
  });
}

/** True when `<dir>/latest` (or the `.previous` a kill between two renames leaves) exists. */
export function backupExists(dir: string): boolean {
  const m = nodeModules('BackupAndRestore');
  const p = m.path.resolve(dir, BACKUP_NAME);
  return m.fs.existsSync(p) || m.fs.existsSync(`${p}.previous`);
}

/** Reads and checks a backup; its tensors are the caller's to dispose. */
export async function readBackup(dir: string): Promise<BackupData> {
  const m = nodeModules('BackupAndRestore');
  const path = m.path.resolve(dir, BACKUP_NAME);
  const where = `BackupAndRestore: the backup in ${path}`;
  let a;
  try {
    a = await readModelJson(path);
  } catch (e) {
    if (e instanceof ValueError) throw new ValueError(`${where} cannot be read (${e.message.replace(/^loadModel: /, '')}); delete ${dir} to start the training afresh`);
    throw e;
  }
  const json = a.hebb?.['backup'];
  if (!isObject(json) || json['format'] !== BACKUP_FORMAT) {
    throw new ValueError(`${where} is not a backupAndRestore backup of format ${BACKUP_FORMAT} (hebb.backup.format is ${fmtReceived(isObject(json) ? json['format'] : json)})`);
  }
  const ws = checkSpecs(a.weightSpecs, where).specs;
  const ts = checkSpecs(a.optimizerSpecs, where).specs;
  const byName = decodeWeights(ws, a.weightData, where);
  const tensors = decodeWeights(ts, a.optimizerData, where);
  for (const t of [...byName.values(), ...tensors.values()]) keep(t);
  const weights = ws.map((s, i) => {
    const t = byName.get(`weight/${i}`);
    if (s.name !== `weight/${i}` || !t) {
      dispose([...byName.values(), ...tensors.values()]);
      throw new ValueError(`${where}: weight ${i} is named ${fmtReceived(s.name)}, expected "weight/${i}"`);
    }
    return t;
  });
  return { json, weights, tensors };
}

/** Removes the backup (and the leftovers of a killed backup), then `dir` itself if it is empty. */
export function deleteBackup(dir: string): void {
  const m = nodeModules('BackupAndRestore');
  const root = m.path.resolve(dir);
  if (!m.fs.existsSync(root)) return;
  for (const e of m.fs.readdirSync(root)) {
    if (e === BACKUP_NAME || e === `${BACKUP_NAME}.previous` || e.startsWith(`${BACKUP_NAME}.tmp-`)) m.fs.rmSync(m.path.join(root, e), { recursive: true, force: true });
  }
  if (m.fs.readdirSync(root).length === 0) m.fs.rmdirSync(root);
}

/** A state's JSON (values encoded, tensors by key) and its tensors, named under `prefix`. */
export function putState(prefix: string, state: SavedState, out: NamedTensor[]): JsonObject {
  const keys = Object.keys(state.tensors);
  for (const k of keys) out.push({ name: `${prefix}${k}`, value: state.tensors[k] as Tensor });
  return { values: encodeState({ ...state.values } as StateValue), tensors: keys };
}

/** The inverse of putState; `where` names the part in errors. */
export function takeState(prefix: string, json: unknown, tensors: ReadonlyMap<string, Tensor>, where: string): SavedState {
  if (!isObject(json) || !isObject(json['values']) || !Array.isArray(json['tensors'])) throw new ValueError(`${where} must be {values, tensors}, received ${fmtReceived(json)}`);
  const values = decodeState(json['values'], where) as { [key: string]: StateValue };
  const out: Record<string, Tensor> = {};
  for (const k of json['tensors']) {
    const t = typeof k === 'string' ? tensors.get(`${prefix}${k}`) : undefined;
    if (!t) throw new ValueError(`${where}: the tensor ${fmtReceived(k)} is not in the backup`);
    out[k as string] = t;
  }
  return { values, tensors: out };
}
