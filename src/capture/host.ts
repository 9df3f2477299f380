/**
 * Host values in a captured step (docs/CAPTURE.md). A captured step replays the backend's
 * kernel calls without running the step's JavaScript, so every host-side effect of the step
 * (a step counter, a running count) and every kernel argument that changes from step to step
 * (a learning rate from a schedule, bias corrections, a random range) must be explicit:
 *
 * - `onHost(fn)` runs `fn` now and, while a step is traced, records it so that every replay
 *   runs it again at the same point among the kernel calls.
 * - `byRef(obj)` marks an array or object that an onHost callback refills: a trace keeps it by
 *   reference, so each replay's kernels read what the callback wrote, and two traces may see
 *   different contents in it. Any other number that differs between two traces makes the step
 *   uncapturable.
 * - `uncapturable(reason)` is for code paths that compute per-step numbers the trace cannot see
 *   (the optimizer's chain path, host-drawn noise): the step then runs the ordinary way.
 *
 * Outside a trace all three cost a null check.
 */

/** What a trace listens to (capture/recorder.ts installs one while it records). */
export interface HostListener {
  host(fn: () => void): void;
  refuse(reason: string): void;
}

let listener: HostListener | null = null;
const refs = new WeakSet<object>();

/** @internal Installs (or removes, with null) the active trace's listener; returns the previous one. */
export function setHostListener(l: HostListener | null): HostListener | null {
  const prev = listener;
  listener = l;
  return prev;
}

/** True while a step is being traced. */
export function tracing(): boolean {
  return listener !== null;
}

/** Runs `fn` now; while tracing, also at the same point of every replay of the traced step. */
export function onHost(fn: () => void): void {
  fn();
  listener?.host(fn);
}

/** Marks `obj` as refilled by an onHost callback each step: traces keep it by reference. */
export function byRef<T extends object>(obj: T): T {
  refs.add(obj);
  return obj;
}

/** @internal Whether `obj` was marked with byRef. */
export function isByRef(obj: object): boolean {
  return refs.has(obj);
}

/** While tracing, makes the step uncapturable with `reason` (it still runs, the ordinary way). */
export function uncapturable(reason: string): void {
  listener?.refuse(reason);
}

/**
 * The optimizer step number a replay should use. OptimizerRunner.step installs a source that
 * reads its live `iterations` around applyStep, so a callback recorded inside applyStep reads
 * the step of the replay, not the step of the trace.
 */
let stepSource: (() => number) | null = null;

let declared = 0;

/** @internal Counts an applyStep that passed its per-step values by reference (FusedStep.apply). */
export function declareStepValues(): void {
  declared++;
}

/** @internal How many declareStepValues calls so far (OptimizerRunner.step compares before and after). */
export function declaredStepValues(): number {
  return declared;
}

/** @internal Runs `fn` with `src` as the step source (OptimizerRunner.step). */
export function withStepSource<T>(src: () => number, fn: () => T): T {
  const prev = stepSource;
  stepSource = src;
  try {
    return fn();
  } finally {
    stepSource = prev;
  }
}

/** The current step source, or null when none is installed (`step` then stands as given). */
export function currentStepSource(_step: number): (() => number) | null {
  return stepSource;
}
