/**
 * BackupAndRestore (Keras 3's names and defaults): a run killed mid-training and started again
 * with the same `fit` call continues where the last backup was taken, and, unlike Keras's
 * (which restores the weights and restarts the epoch), ends with exactly the weights an
 * uninterrupted run would have. A backup holds everything the rest of the run depends on:
 *
 * - the model's weights, the optimizer's state and step count (`iterations`, which a
 *   learning-rate schedule reads), and a numeric learning rate (ReduceLROnPlateau's cuts);
 * - the state of every callback with getState/setState (EarlyStopping's best, wait and best
 *   weights; ReduceLROnPlateau's wait, cooldown and best; ModelCheckpoint's best; History's
 *   epochs, so a resumed fit returns the History of the whole run);
 * - the global random generator (shuffling, dropout) and the position: the next epoch, or,
 *   with a numeric `saveFreq`, the next batch together with that epoch's sample order and
 *   running loss and metric totals;
 * - the non-finite guard's counters, and the last epoch's logs.
 *
 * Backups are written at each epoch end (`saveFreq: 'epoch'`) or every `saveFreq` training
 * batches, counted across epochs as Keras counts them, after every other callback has run
 * (fit drives it: training/resume.ts). None is written once a callback has asked fit to stop:
 * if the run is killed before it ends, it resumes from the previous backup and, being
 * deterministic, reaches the same end. On a fit that ends without an error the backup is
 * deleted (`deleteCheckpoint`); after an error it is kept. A backup of another architecture
 * (weight shapes, layer classes, optimizer) or of other callbacks is refused.
 */
import { ValueError, fmtReceived, fmtShape } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { dispose } from '../core/engine.js';
import { Generator, globalGenerator } from '../core/random.js';
import { tensor } from '../ops/creation.js';
import { decodeState, encodeState, type StateValue } from '../core/saved_state.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { isObject, type Json, type JsonObject } from '../io/model_io/keras_json.js';
import { FIT_BACKUP, type FitBackup, type FitState, type ResumePoint } from '../training/resume.js';
import { BACKUP_FORMAT, backupExists, deleteBackup, putState, readBackup, takeState, writeBackup, type BackupData, type NamedTensor } from './backup_files.js';
import type { Callback, Logs } from './callback.js';

export interface BackupAndRestoreOptions {
  /** Where the backup lives (`<backupDir>/latest`); one training run per directory. */
  backupDir: string;
  /** ['epoch'] back up at each epoch end, or every n training batches (counted across epochs). */
  saveFreq?: 'epoch' | number;
  /** [true] delete the backup when fit ends without an error. */
  deleteCheckpoint?: boolean;
}

const OPTIONS: OptionKeys<BackupAndRestoreOptions> = { backupDir: true, saveFreq: true, deleteCheckpoint: true };
const WHO = 'BackupAndRestore';

/** The class of each layer, for models that list them (every hebb Model does). */
function layerClasses(model: object): string[] | null {
  const layers: unknown = Reflect.get(model, 'layers');
  if (!Array.isArray(layers)) return null;
  return layers.map((l: unknown) => {
    const c: unknown = typeof l === 'object' && l !== null ? Reflect.get(l, 'className') : undefined;
    return typeof c === 'string' ? c : '?';
  });
}

function modelWeights(s: FitState): Variable[] {
  return s.model.weights ?? s.model.trainableWeights;
}

/** What must match for a backup to be taken as this model's. */
function fingerprint(s: FitState): JsonObject {
  const weights = modelWeights(s);
  return {
    layers: layerClasses(s.model),
    weights: weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype })),
    trainable: s.runner.params.map((p) => weights.indexOf(p)),
    optimizer: s.compiled.optimizer.name,
  };
}

/** The first difference between the backup's fingerprint and this fit's, or null. */
function difference(saved: Json | undefined, now: JsonObject): string | null {
  if (!isObject(saved)) return 'it has no model description';
  const sl = saved['layers'];
  const nl = now['layers'];
  if (Array.isArray(sl) && Array.isArray(nl) && JSON.stringify(sl) !== JSON.stringify(nl)) return `its layers are [${sl.join(', ')}], this model's are [${nl.join(', ')}]`;
  const sw = Array.isArray(saved['weights']) ? saved['weights'] : [];
  const nw = now['weights'] as JsonObject[];
  if (sw.length !== nw.length) return `it has ${sw.length} weights, this model has ${nw.length}`;
  for (let i = 0; i < nw.length; i++) {
    const a = sw[i];
    const b = nw[i] as JsonObject;
    if (!isObject(a) || JSON.stringify(a['shape']) !== JSON.stringify(b['shape']) || a['dtype'] !== b['dtype']) {
      const desc = isObject(a) && Array.isArray(a['shape']) ? `${fmtShape(a['shape'] as number[])} ${String(a['dtype'])} ("${String(a['name'])}")` : fmtReceived(a);
      return `its weight ${i} is ${desc}, this model's is ${fmtShape(b['shape'] as number[])} ${String(b['dtype'])} ("${String(b['name'])}")`;
    }
  }
  if (JSON.stringify(saved['trainable']) !== JSON.stringify(now['trainable'])) return 'other weights are trainable in it';
  if (saved['optimizer'] !== now['optimizer']) return `its optimizer is ${fmtReceived(saved['optimizer'])}, this model's is "${String(now['optimizer'])}"`;
  return null;
}

/** The callbacks that take part in backups (all but backups themselves). */
function stateful(callbacks: readonly Callback[]): (Callback & Required<Pick<Callback, 'getState' | 'setState'>>)[] {
  return callbacks.filter((c): c is Callback & Required<Pick<Callback, 'getState' | 'setState'>> => typeof c.getState === 'function' && typeof c.setState === 'function' && !(FIT_BACKUP in c));
}

export class BackupAndRestore implements Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  private fit: FitState | null = null;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private warnedMetrics = false;
  /** Frees a mid-epoch backup's tensors if fit never reaches that epoch (fewer epochs asked for). */
  private pending: (() => void) | null = null;

  constructor(options: BackupAndRestoreOptions) {
    checkOptions(WHO, options, OPTIONS);
    const { backupDir, saveFreq = 'epoch', deleteCheckpoint = true } = options;
    if (typeof backupDir !== 'string' || backupDir === '') throw new ValueError(`${WHO}: backupDir must be a non-empty string, received ${fmtReceived(backupDir)}`);
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq > 0)) throw new ValueError(`${WHO}: saveFreq must be 'epoch' or a positive integer (batches), received ${fmtReceived(saveFreq)}`);
    if (typeof deleteCheckpoint !== 'boolean') throw new ValueError(`${WHO}: deleteCheckpoint must be a boolean, received ${fmtReceived(deleteCheckpoint)}`);
    this.backupDir = backupDir;
    this.saveFreq = saveFreq;
    this.deleteCheckpoint = deleteCheckpoint;
  }

  readonly [FIT_BACKUP]: FitBackup = {
    resume: (s) => this.resume(s),
    afterBatch: (epoch, batch, order) => this.afterBatch(epoch, batch, order),
    afterEpoch: (epoch, logs) => this.afterEpoch(epoch, logs),
    completed: async () => {
      this.pending?.();
      this.fit = null;
      if (this.deleteCheckpoint) deleteBackup(this.backupDir);
    },
  };

  /** A new fit counts batches afresh (a resume then puts back the count of the run it continues). */
  onTrainBegin(): void {
    this.batchesSinceSave = 0;
    this.lastBatchSeen = 0;
  }

  private async resume(s: FitState): Promise<ResumePoint | null> {
    this.fit = s;
    if (!backupExists(this.backupDir)) return null;
    const data = await readBackup(this.backupDir);
    try {
      return await this.restore(s, data);
    } catch (e) {
      dispose([...data.weights, ...data.tensors.values()]);
      throw e;
    }
  }

  /** Checks the backup against this fit, restores what does not wait for the epoch, returns the point. */
  private async restore(s: FitState, d: BackupData): Promise<ResumePoint> {
    const where = `${WHO}: the backup in ${this.backupDir}`;
    const j = d.json;
    const diff = difference(j['model'], fingerprint(s));
    if (diff) throw new ValueError(`${where} was written by another model: ${diff}. Use another backupDir, or delete this one to start afresh`);
    const pos = j['position'];
    const fit = j['fit'];
    if (!isObject(pos) || !Number.isSafeInteger(pos['epoch']) || !Number.isSafeInteger(pos['batch']) || !isObject(fit)) throw new ValueError(`${where}: position must be {epoch, batch}, received ${fmtReceived(pos)}`);
    const epoch = pos['epoch'] as number;
    const batch = pos['batch'] as number;
    if (batch > 0 && (fit['samples'] !== s.samples || fit['steps'] !== s.steps)) {
      throw new ValueError(`${where} was taken in the middle of an epoch of ${String(fit['samples'])} samples in ${String(fit['steps'])} batches; this fit has ${s.samples} samples in ${s.steps} batches`);
    }
    const saved = Array.isArray(j['callbacks']) ? j['callbacks'] : [];
    const mine = stateful(s.callbacks);
    const names = (l: readonly Json[]): string => l.map((c) => (isObject(c) ? String(c['className']) : '?')).join(', ');
    if (saved.length !== mine.length || mine.some((c, i) => { const e = saved[i]; return !isObject(e) || e['className'] !== c.constructor.name; })) {
      throw new ValueError(`${where} holds the state of the callbacks [${names(saved)}], this fit has [${mine.map((c) => c.constructor.name).join(', ')}]; pass the callbacks of the run that wrote it`);
    }
    const cbStates = saved.map((e, i) => takeState(`callback/${i}/`, (e as JsonObject)['state'], d.tensors, `${where}: callback ${i}`));
    const skips = takeState('skips/', j['skips'], d.tensors, `${where}: skips`);
    const opt = isObject(j['optimizer']) ? j['optimizer'] : {};
    const optTensors: Record<string, Tensor> = {};
    for (const [k, t] of d.tensors) if (k.startsWith('optimizer/')) optTensors[k.slice('optimizer/'.length)] = t;
    const numbers = decodeState(opt['numbers'] ?? {}, `${where}: optimizer numbers`) as Record<string, number>;
    const lr = decodeState(opt['learningRate'] ?? null, `${where}: learningRate`);
    const random = j['random'];
    if (!isObject(random)) throw new ValueError(`${where}: it has no random generator state`);
    const generator = { words: random['words'] as number[], pos: random['pos'] as number, spare: random['spare'] as number | null }; // setState checks them
    const lastLogs = decodeState(j['lastLogs'] ?? {}, `${where}: lastLogs`) as Logs;
    const epochState = j['epochState'];
    new Generator(0).setState(generator); // checked now, before anything changes
    const orderT = d.tensors.get('order');
    const order = batch > 0 && orderT ? Int32Array.from(await orderT.data()) : null;
    if (order && order.length !== s.samples) throw new ValueError(`${where}: the epoch's order has ${order.length} entries, this fit has ${s.samples} samples`);

    // Everything read; now the model changes. The optimizer first: loadState checks the whole state before it changes anything.
    s.runner.loadState({ iterations: opt['iterations'] as number, tensors: optTensors, numbers });
    modelWeights(s).forEach((w, i) => w.assign(d.weights[i] as Tensor));
    s.skips.setState(skips);
    const restoreRest = (): void => {
      this.pending = null;
      try {
        if (typeof lr === 'number' && typeof s.compiled.optimizer.learningRate === 'number') s.compiled.optimizer.learningRate = lr;
        mine.forEach((c, i) => c.setState(cbStates[i] as (typeof cbStates)[number]));
        if (batch > 0) this.restoreEpochState(s, epochState, d.tensors, where);
        globalGenerator().setState(generator);
        this.lastBatchSeen = typeof j['lastBatchSeen'] === 'number' ? j['lastBatchSeen'] : 0;
      } finally {
        dispose([...d.weights, ...d.tensors.values()]);
      }
    };
    if (batch === 0) restoreRest();
    else this.pending = () => dispose([...d.weights, ...d.tensors.values()]);
    return { epoch, batch, order, lastLogs, restoreEpoch: restoreRest };
  }

  private restoreEpochState(s: FitState, json: Json | undefined, tensors: ReadonlyMap<string, Tensor>, where: string): void {
    if (!isObject(json) || !Array.isArray(json['trackers']) || !Array.isArray(json['metrics'])) throw new ValueError(`${where}: a mid-epoch backup needs {trackers, metrics}`);
    const trackers = s.trackers.all();
    if (json['trackers'].length !== trackers.length) throw new ValueError(`${where}: it has ${json['trackers'].length} loss trackers, this fit has ${trackers.length}`);
    const states = json['trackers'].map((t, i) => takeState(`tracker/${i}/`, t, tensors, `${where}: tracker ${i}`));
    trackers.forEach((t, i) => t.setState(states[i] as (typeof states)[number]));
    (s.compiled.outputs ?? []).forEach((o, oi) => {
      const saved = json['metrics'] as Json[];
      const row = saved[oi];
      o.metrics.forEach((m, mi) => {
        const e = Array.isArray(row) ? row[mi] : undefined;
        if (e !== undefined && e !== null && m.setState) m.setState(takeState(`metric/${oi}/${mi}/`, e, tensors, `${where}: metric "${m.name}"`));
      });
    });
  }

  private async afterBatch(epoch: number, batch: number, order: Int32Array | null): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    // Keras's count: a batch index not above the last one seen starts a new epoch.
    this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave < this.saveFreq) return;
    this.batchesSinceSave = 0;
    await this.write(epoch, batch + 1, order, null);
  }

  private async afterEpoch(epoch: number, logs: Logs): Promise<void> {
    this.lastBatchSeen = 0;
    if (this.saveFreq === 'epoch') await this.write(epoch + 1, 0, null, logs);
  }

  /** One backup: position `epoch`, `batch` is where a resumed fit continues. */
  private async write(epoch: number, batch: number, order: Int32Array | null, logs: Logs | null): Promise<void> {
    const s = this.fit;
    // A stop was asked for: the run is about to end. A kill before it does resumes from the previous backup.
    if (!s || s.model.stopTraining) return;
    const tensors: NamedTensor[] = [];
    const opt = s.runner.saveState();
    const owned: Tensor[] = Object.values(opt.tensors);
    try {
      for (const [k, t] of Object.entries(opt.tensors)) tensors.push({ name: `optimizer/${k}`, value: t });
      const callbacks = stateful(s.callbacks).map((c, i) => ({ className: c.constructor.name, state: putState(`callback/${i}/`, c.getState(), tensors) }));
      const lr = s.compiled.optimizer.learningRate;
      const json: JsonObject = {
        format: BACKUP_FORMAT,
        model: fingerprint(s),
        fit: { epochs: s.epochs, steps: s.steps, samples: s.samples },
        position: { epoch, batch },
        optimizer: { iterations: opt.iterations, numbers: encodeState({ ...opt.numbers }), learningRate: typeof lr === 'number' ? encodeState(lr) : null },
        random: { ...globalGenerator().getState() },
        callbacks,
        skips: putState('skips/', s.skips.getState(), tensors),
        lastBatchSeen: this.lastBatchSeen,
        lastLogs: encodeState({ ...(logs ?? {}) } as StateValue),
      };
      if (batch > 0) {
        json['epochState'] = this.epochState(s, tensors);
        if (order) {
          const t = tensor(order, [order.length], 'int32');
          owned.push(t);
          tensors.push({ name: 'order', value: t });
        }
      }
      await writeBackup(this.backupDir, json, modelWeights(s), tensors);
    } finally {
      dispose(owned);
    }
  }

  /** The epoch's running totals: loss trackers and metrics (a metric without getState is left out). */
  private epochState(s: FitState, tensors: NamedTensor[]): JsonObject {
    const trackers = s.trackers.all().map((t, i) => putState(`tracker/${i}/`, t.getState(), tensors));
    const metrics = (s.compiled.outputs ?? []).map((o, oi) =>
      o.metrics.map((m, mi) => {
        if (!m.getState) {
          if (!this.warnedMetrics) console.warn(`${WHO}: metric "${m.name}" has no getState; a run resumed mid-epoch restarts its totals for that epoch`);
          this.warnedMetrics = true;
          return null;
        }
        return putState(`metric/${oi}/${mi}/`, m.getState(), tensors);
      }),
    );
    return { trackers, metrics };
  }
}

export const backupAndRestore = (options: BackupAndRestoreOptions): BackupAndRestore => new BackupAndRestore(options);
