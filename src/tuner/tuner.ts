/**
 * The tuner: runs trials that an oracle proposes, one after another, in this process; other
 * processes (or hosts) running the same search on the same storage share the work. Every
 * trial is claimed from, reported to and finished in the store as it happens (storage/store.ts).
 *
 * A trial builds the hypermodel with the trial's hyperparameters, trains it with `fit` (or the
 * user's `fit(hp, model, x, y, options)` hook, to tune batch size and the like), scores it by
 * the objective's best value over its epochs (KerasTuner's rule; the mean over
 * `executionsPerTrial` runs) and saves the model (weights and optimizer state) as the trial's
 * checkpoint, from which a Hyperband/ASHA promotion resumes and getBestModels loads.
 */
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { rmSync } from 'node:fs';
import type { Callback, Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { Generator, setSeed } from '../core/random.js';
import { loadModel } from '../io/model_io/load.js';
import { Model } from '../models/model.js';
import type { ModelData } from '../training/data.js';
import type { FitOptions } from '../training/trainer.js';
import { objectiveDirection, type Objective } from './objective.js';
import { HyperParameters, mergeSpaces, type HPDef } from './hyperparameters.js';
import { loss, ranked, type Oracle } from './oracles/oracle.js';
import { openStore, type StorageSpec } from './storage/open.js';
import type { TrialRecord, TrialStore } from './storage/store.js';
import { trialsTable } from './table.js';

/** What a trial's fit returns: fit's History, a score, or logs holding the objective. */
export type { Objective };
export type FitResult = History | number | Logs;
export type FitHook<M> = (hp: HyperParameters, model: M, x: ModelData, y: ModelData, options: FitOptions) => Promise<FitResult> | FitResult;
export type BuildFn<M> = (hp: HyperParameters) => M | Promise<M>;

export interface TunerOptions<M = Model> {
  /** Builds and compiles a model from the trial's hyperparameters (or an object with `build` and optionally `fit`). */
  hypermodel: BuildFn<M> | { build: BuildFn<M>; fit?: FitHook<M> };
  /** Trains one model; default `model.fit(x, y, options)`. Needed when the hypermodel returns something that is not a Model. */
  fit?: FitHook<M>;
  /** ['val_loss'] A logged metric; direction 'max' for accuracy-like names (acc, auc, precision, recall), else 'min'. */
  objective?: string | Objective;
  /** [1] Models trained per trial (the score is their mean: less noise, more time). */
  executionsPerTrial?: number;
  /** [false] Delete the search's trials and checkpoints and start over; otherwise a search resumes. */
  overwrite?: boolean;
  /** ['.hebb_tuner'] Checkpoints go to directory/projectName/trial_N. */
  directory?: string;
  /** ['search'] The search's name in the store. */
  projectName?: string;
  /** ['memory'] 'sqlite:FILE', 'postgresql://...' or a TrialStore. */
  storage?: StorageSpec;
  /** [60] A running trial whose worker has not reported for this long is handed out again. */
  leaseSeconds?: number;
  /** [1] How long a worker waits before asking again when the oracle waits on other workers' trials. */
  pollSeconds?: number;
  /** [3] Stop the search after this many failed trials in a row in this worker. */
  maxConsecutiveFailedTrials?: number;
  /**
   * [`host:pid`] This process's name in the store; unique per process. The default lets a store
   * on the same host hand a dead process's trial out at once instead of after its lease.
   */
  workerId?: string;
  /** Where progress lines go ([console.log]; `() => {}` for silence). */
  log?: (line: string) => void;
}

/** A mistake in the search's setup rather than in one trial: it stops the search instead of failing the trial. */
export class TunerSetupError extends ValueError {}

export function inferObjective(o: string | Objective | undefined): Objective {
  if (o === undefined) return { name: 'val_loss', direction: 'min' };
  if (typeof o === 'string') return { name: o, direction: objectiveDirection(o) };
  if (typeof o !== 'object' || o === null || typeof o.name !== 'string' || (o.direction !== 'min' && o.direction !== 'max')) {
    throw new ValueError(`objective: expected a metric name or {name, direction: 'min' | 'max'}, received ${fmtReceived(o)}`);
  }
  return o;
}

/** The objective's best value in `r`, and at which epoch; an error listing what was logged when it is absent. */
export function bestOf(r: FitResult, objective: Objective, where: string): { score: number; epoch: number | null } {
  if (typeof r === 'number') return { score: r, epoch: null };
  const series = r instanceof History ? r.history[objective.name] : typeof r[objective.name] === 'number' ? [r[objective.name] as number] : undefined;
  if (series === undefined || series.length === 0) {
    const have = r instanceof History ? Object.keys(r.history) : Object.keys(r);
    throw new TunerSetupError(`${where}: the objective "${objective.name}" was not logged; logged: ${have.join(', ') || '(nothing)'} (validation metrics need validationData or validationSplit)`);
  }
  let bi = 0;
  series.forEach((v, i) => {
    if (loss(v, objective.direction) < loss(series[bi]!, objective.direction)) bi = i;
  });
  return { score: series[bi]!, epoch: r instanceof History ? (r.epoch[bi] ?? bi) : null };
}

export class Tuner<M = Model> {
  readonly oracle: Oracle;
  readonly objective: Objective;
  readonly workerId: string;
  private readonly o: TunerOptions<M>;
  private readonly seed: number;
  private store: TrialStore | null = null;
  private baseSpace: HPDef[] = [];

  constructor(oracle: Oracle, options: TunerOptions<M>, seed = 0) {
    if (typeof options !== 'object' || options === null || options.hypermodel === undefined) throw new ValueError('Tuner: options.hypermodel is required (a function from hp to a compiled model)');
    if (options.executionsPerTrial !== undefined && !(Number.isInteger(options.executionsPerTrial) && options.executionsPerTrial >= 1)) {
      throw new ValueError(`Tuner: executionsPerTrial must be an integer >= 1, received ${options.executionsPerTrial}`);
    }
    this.oracle = oracle;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}`;
    this.objective = inferObjective(options.objective);
    this.o = options;
    this.seed = seed;
  }

  private get dir(): string {
    return resolve(this.o.directory ?? '.hebb_tuner', this.o.projectName ?? 'search');
  }

  private log(line: string): void {
    (this.o.log ?? console.log)(line);
  }

  private build(hp: HyperParameters): M | Promise<M> {
    const h = this.o.hypermodel;
    return typeof h === 'function' ? h(hp) : h.build(hp);
  }

  private async openStore(overwrite: boolean): Promise<TrialStore> {
    if (this.store === null) this.store = await openStore(this.o.storage);
    await this.store.open({ name: this.o.projectName ?? 'search', oracle: this.oracle.name, objective: this.objective.name, direction: this.objective.direction }, overwrite);
    if (overwrite) rmSync(this.dir, { recursive: true, force: true });
    return this.store;
  }

  /** Runs trials until the oracle has no more (or every remaining one is another worker's). */
  async search(x: ModelData, y: ModelData, options: FitOptions = {}): Promise<void> {
    await this.work(x, y, options, this.o.overwrite ?? false);
  }

  /** As `search`, but never overwrites: for extra worker processes joining a search (`hebb tune --worker`). */
  async worker(x: ModelData, y: ModelData, options: FitOptions = {}): Promise<void> {
    await this.work(x, y, options, false);
  }

  private async work(x: ModelData, y: ModelData, options: FitOptions, overwrite: boolean): Promise<void> {
    const store = await this.openStore(overwrite);
    // Discovery: the hypermodel run once with defaults records the space before the first proposal.
    const hp0 = new HyperParameters();
    const m0 = await this.build(hp0);
    if (m0 instanceof Model) m0.dispose();
    this.baseSpace = hp0.space;
    const leaseMs = (this.o.leaseSeconds ?? 60) * 1000;
    let failures = 0;
    for (;;) {
      const t = await store.claim({ worker: this.workerId, leaseMs, propose: (trials) => this.oracle.propose({ trials, space: this.baseSpace, direction: this.objective.direction }) });
      if (t === 'done') break;
      if (t === 'wait') {
        await new Promise((r) => setTimeout(r, (this.o.pollSeconds ?? 1) * 1000));
        continue;
      }
      const ok = await this.runTrial(store, t, x, y, options, leaseMs);
      failures = ok ? 0 : failures + 1;
      if (failures >= (this.o.maxConsecutiveFailedTrials ?? 3)) throw new ValueError(`Tuner.search: ${failures} trials in a row failed; the last error is in ${store.location} (hebb tune --status)`);
    }
  }

  private async runTrial(store: TrialStore, t: TrialRecord, x: ModelData, y: ModelData, options: FitOptions, leaseMs: number): Promise<boolean> {
    const where = `trial ${t.id}`;
    const hp = new HyperParameters(t.values, { space: this.baseSpace, fallback: new Generator(this.seed).split('hebb.tuner.new').split(t.id) });
    const parent = typeof t.info?.['parent'] === 'number' ? (await store.list()).find((p) => p.id === t.info!['parent']) : undefined;
    const resumeFrom = t.initialEpoch !== undefined && t.initialEpoch > 0 ? (parent?.checkpoint ?? null) : null;
    this.log(`${where} (${t.attempts > 1 ? `attempt ${t.attempts}, ` : ''}${t.epochs ?? options.epochs ?? 1} epochs${resumeFrom ? `, from trial ${parent!.id}'s epoch ${t.initialEpoch}` : ''}): ${JSON.stringify(t.values)}`);
    let lost = false;
    let last = Date.now();
    const beat = async (): Promise<void> => {
      if (Date.now() - last < leaseMs / 3) return;
      last = Date.now();
      if (!(await store.heartbeat(t.id, this.workerId, leaseMs))) lost = true;
    };
    const n = this.o.executionsPerTrial ?? 1;
    const scores: number[] = [];
    let bestEpoch: number | null = null;
    let bestScore = Infinity;
    let checkpoint: string | null = null;
    try {
      for (let e = 0; e < n; e++) {
        setSeed((this.seed * 1_000_003 + t.id * 101 + e) % Number.MAX_SAFE_INTEGER);
        const model = resumeFrom !== null ? ((await loadModel(resumeFrom)) as unknown as M) : await this.build(hp);
        const reporter: Callback = {
          onEpochEnd: async (epoch: number, logs: Logs) => {
            last = Date.now();
            if (!(await store.reportEpoch(t.id, this.workerId, { epoch, logs: { ...logs, ...(n > 1 ? { execution: e } : {}) } }, leaseMs))) lost = true;
            if (lost && model instanceof Model) model.stopTraining = true;
          },
          onTrainBatchEnd: beat,
        };
        const fitOptions: FitOptions = {
          verbose: 0,
          ...options,
          epochs: t.epochs ?? options.epochs ?? 1,
          initialEpoch: resumeFrom !== null ? t.initialEpoch! : 0,
          callbacks: [...(options.callbacks ?? []), reporter],
        };
        const hook = this.o.fit ?? (typeof this.o.hypermodel === 'object' ? this.o.hypermodel.fit : undefined);
        let r: FitResult;
        if (hook !== undefined) r = await hook(hp, model, x, y, fitOptions);
        else if (model instanceof Model) r = await model.fit(x, y, fitOptions);
        else throw new TunerSetupError(`Tuner: the hypermodel returned ${fmtReceived(model)}, not a Model; pass a fit(hp, model, x, y, options) hook to train it`);
        if (lost) break;
        const b = bestOf(r, this.objective, where);
        scores.push(b.score);
        if (model instanceof Model) {
          // The best execution's model is the trial's checkpoint (with optimizer state, for a promotion to resume).
          if (loss(b.score, this.objective.direction) < bestScore) {
            checkpoint = join(this.dir, `trial_${t.id}`);
            await model.save(checkpoint);
          }
          model.dispose();
        }
        if (loss(b.score, this.objective.direction) < bestScore) {
          bestScore = loss(b.score, this.objective.direction);
          bestEpoch = b.epoch;
        }
      }
    } catch (err) {
      if (err instanceof TunerSetupError) {
        await store.finish(t.id, this.workerId, { values: hp.values, status: 'failed', score: null, bestEpoch: null, checkpoint: null, space: hp.space, error: err.message });
        throw err;
      }
      const msg = err instanceof Error ? err.message : String(err);
      this.log(`${where} failed: ${msg}`);
      await store.finish(t.id, this.workerId, { values: hp.values, status: 'failed', score: null, bestEpoch: null, checkpoint: null, space: hp.space, error: msg });
      return false;
    }
    if (lost) {
      this.log(`${where}: its lease expired and it was handed to another worker; result dropped`);
      return true;
    }
    const score = scores.reduce((a, b) => a + b, 0) / scores.length;
    await store.finish(t.id, this.workerId, { values: hp.values, status: 'completed', score, bestEpoch, checkpoint, space: mergeSpaces(this.baseSpace, hp.space) });
    this.log(`${where}: ${this.objective.name} ${score.toPrecision(5)}`);
    return true;
  }

  /** Every trial of the search, from the store. */
  async trials(): Promise<TrialRecord[]> {
    const store = this.store ?? (await this.openStore(false));
    return store.list();
  }

  /** The hyperparameters of the best `n` completed trials, best first. */
  async getBestHyperparameters(n = 1): Promise<HyperParameters[]> {
    return ranked(await this.trials(), this.objective.direction)
      .slice(0, n)
      .map((t) => new HyperParameters(t.values, { space: t.space }));
  }

  /** The best `n` trials' models, loaded from their checkpoints (compiled, optimizer state restored). */
  async getBestModels(n = 1): Promise<Model[]> {
    const best = ranked(await this.trials(), this.objective.direction).slice(0, n);
    const out: Model[] = [];
    for (const t of best) {
      if (t.checkpoint === null) throw new ValueError(`getBestModels: trial ${t.id} has no checkpoint (its hypermodel did not return a Model)`);
      out.push(await loadModel(t.checkpoint));
    }
    return out;
  }

  /** The best `n` trials as a table (also passed to `print`, console.log by default). */
  async resultsSummary(n = 10, print: (s: string) => void = console.log): Promise<string> {
    const all = await this.trials();
    const best = ranked(all, this.objective.direction).slice(0, n);
    const s = `Results summary\nObjective: ${this.objective.name} (${this.objective.direction}), ${all.length} trials\n${trialsTable(best)}`;
    print(s);
    return s;
  }

  /** The space found so far, one line per hyperparameter. */
  async searchSpaceSummary(): Promise<string> {
    const space = mergeSpaces(this.baseSpace, ...(await this.trials()).map((t) => t.space));
    return space.map((d) => `${d.name} (${d.type}): ${JSON.stringify(d)}`).join('\n');
  }

  async close(): Promise<void> {
    await this.store?.close();
    this.store = null;
  }
}
