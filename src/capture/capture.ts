/**
 * Captured steps in the loops (docs/CAPTURE.md). A StepCapture lives for one fit, evaluate or
 * predict call and keeps one plan per input signature (shapes, strides, dtypes, the kind of
 * step and its training flag). For a signature without a plan it traces the step (the step
 * runs as usual); two consecutive traces of one signature with nothing changed in between
 * become a plan (capture/plan.ts) when they have the same structure. Then each batch of that
 * signature replays the plan (capture/replay.ts) until the state it reads is changed from
 * outside (Variable.assign, setWeights, a metric reset, an optimizer state loaded: the state
 * version in core/tensor.ts), which sends it back to tracing. A step that cannot be captured
 * runs the ordinary way, and says why in `captureReport(model)` (and on stderr with
 * HEBB_CAPTURE_DEBUG=1).
 *
 * On by default; `capture: false` in fit / evaluate / predict, or HEBB_CAPTURE=0, turns it off.
 */
import type { Backend } from '../backends/backend.js';
import { getBackend, scope } from '../core/engine.js';
import { getStateVersion, type Tensor } from '../core/tensor.js';
import { ValueError, fmtReceived } from '../core/errors.js';
import { compareTraces } from './plan.js';
import { backendMethods, record, type Trace } from './recorder.js';
import { Plan } from './replay.js';

export type StepKind = 'train' | 'test' | 'predict';

/** How one signature of one kind of step fared, for debugging. */
export interface CaptureEntry {
  readonly kind: StepKind;
  readonly signature: string;
  /** 'captured': a plan replays it; 'tracing': not yet two matching traces; 'ordinary': it runs uncaptured, for `reason`. */
  status: 'captured' | 'tracing' | 'ordinary';
  reason: string | null;
  traces: number;
  replays: number;
  /** State buffers the plan updates in place (Backend.fusedInPlace): weights and optimizer slots. */
  inPlace: number;
}

/** Traces of one signature that may disagree (first-step initialisation) before it runs uncaptured. */
const MAX_MISMATCHES = 4;

const reports = new WeakMap<object, Map<string, CaptureEntry>>();

/** The capture state of every step signature the model's last loops ran (fit, evaluate, predict). */
export function captureReport(model: object): CaptureEntry[] {
  return [...(reports.get(model)?.values() ?? [])].map((e) => ({ ...e }));
}

const env = (k: string): string | undefined => (typeof process !== 'undefined' ? process.env?.[k] : undefined);

/** Whether a loop captures its steps: its `capture` option (default true), unless HEBB_CAPTURE=0. */
export function captureOption(op: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new ValueError(`${op}: capture must be a boolean, received ${fmtReceived(value)}`);
  if (value === false) return false;
  const e = env('HEBB_CAPTURE');
  return !(e === '0' || e === 'false' || e === 'off');
}

function debug(msg: string): void {
  if (env('HEBB_CAPTURE_DEBUG') === '1') process.stderr.write(`hebb capture: ${msg}\n`);
}

function signatureOf(backend: Backend, kind: StepKind, extra: string, inputs: readonly Tensor[]): string {
  let s = `${kind}${extra}@${backend.name}`;
  for (const t of inputs) s += `|${t.dtype}[${t.shape.join(',')}]/${t.strides.join(',')}${t.isWholeContiguous() ? 'w' : ''}${t.storage.backend === backend ? '' : `:${t.storage.backend.name}`}`;
  return s;
}

export class StepCapture {
  private readonly plans = new Map<string, Plan>();
  private readonly refused = new Map<string, string>();
  private readonly mismatches = new Map<string, number>();
  private pending: { sig: string; trace: Trace; version: number } | null = null;
  private readonly entries: Map<string, CaptureEntry>;

  constructor(
    model: object,
    private readonly kind: StepKind,
    private readonly enabled: boolean,
  ) {
    let m = reports.get(model);
    if (!m) reports.set(model, (m = new Map()));
    this.entries = m;
  }

  /** A train or test step on `inputs` (the batch's tensors, x then y then the sample weights). */
  step(inputs: readonly Tensor[], extra: string, fn: () => void): void {
    this.run(inputs, extra, () => (fn(), []), false);
  }

  /** A forward pass (predict): returns the outputs, new tensors each batch. */
  forward(inputs: readonly Tensor[], extra: string, fn: () => Tensor[]): Tensor[] {
    return this.run(inputs, extra, fn, true);
  }

  private entry(sig: string): CaptureEntry {
    let e = this.entries.get(sig);
    if (!e) this.entries.set(sig, (e = { kind: this.kind, signature: sig, status: 'tracing', reason: null, traces: 0, replays: 0, inPlace: 0 }));
    return e;
  }

  private run(inputs: readonly Tensor[], extra: string, fn: () => Tensor[], outputs: boolean): Tensor[] {
    if (!this.enabled) return fn();
    const backend = getBackend();
    const sig = signatureOf(backend, this.kind, extra, inputs);
    const plan = this.plans.get(sig);
    if (plan) {
      if (plan.valid()) {
        this.entry(sig).replays++;
        return plan.replay(inputs);
      }
      debug(`${sig}: state changed outside the step, tracing again`);
      plan.dispose();
      this.plans.delete(sig);
    }
    if (this.refused.has(sig)) return fn();
    const entry = this.entry(sig);
    const before = getStateVersion();
    let traced: { result: Tensor[]; trace: Trace };
    try {
      traced = record(backend, inputs, () => scope(fn), (r) => (outputs ? r : []));
    } catch (e) {
      this.pending = null;
      throw e;
    }
    entry.traces++;
    const { trace } = traced;
    const prev = this.pending;
    this.pending = { sig, trace, version: getStateVersion() };
    if (trace.refused.length > 0) return this.refuse(sig, trace.refused[0] as string, traced.result);
    if (!outputs && trace.outputs.length > 0) return this.refuse(sig, 'the step returned tensors', traced.result);
    // Mismatches count within one run of back-to-back traces: a change from outside between two
    // traces (an epoch's metric reset, a callback's setWeights) starts a new run, so a fit whose
    // epochs each begin with one differing step (the tracker creating its total) is not refused.
    const comparable = prev !== null && prev.sig === sig && prev.version === before;
    if (!comparable) {
      this.mismatches.delete(sig);
    } else {
      const c = compareTraces(prev.trace, trace);
      if ('spec' in c) {
        const originals: Record<string, (...a: unknown[]) => unknown> = {};
        const target = backend as unknown as Record<string, (...a: unknown[]) => unknown>;
        for (const m of backendMethods(backend)) originals[m] = target[m] as (...a: unknown[]) => unknown;
        const plan = new Plan(backend, c.spec, originals);
        this.plans.set(sig, plan);
        this.pending = null;
        this.mismatches.delete(sig);
        entry.status = 'captured';
        entry.reason = null;
        entry.inPlace = plan.inPlace;
        debug(`${sig}: captured (${c.spec.events.length} events, ${c.spec.roles.length} rotating states, ${plan.inPlace} updated in place)`);
      } else {
        const n = (this.mismatches.get(sig) ?? 0) + 1;
        this.mismatches.set(sig, n);
        entry.reason = c.reason;
        debug(`${sig}: traces differ (${n}): ${c.reason}`);
        if (n >= MAX_MISMATCHES) return this.refuse(sig, `consecutive steps differ: ${c.reason}`, traced.result);
      }
    }
    return traced.result;
  }

  private refuse(sig: string, reason: string, result: Tensor[]): Tensor[] {
    this.refused.set(sig, reason);
    this.pending = null;
    const e = this.entry(sig);
    e.status = 'ordinary';
    e.reason = reason;
    debug(`${sig}: not captured: ${reason}`);
    return result;
  }

  /** Frees the plans (their temps and spare buffers). */
  dispose(): void {
    for (const p of this.plans.values()) p.dispose();
    this.plans.clear();
    this.pending = null;
  }
}
