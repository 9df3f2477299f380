/**
 * The training step run both in headless Chromium (on every backend of dist/browser/hebb.js) and
 * in Node (on the cpu backend), so the two can be compared. It takes hebb as an argument and has
 * no imports of its own at run time: the test's server hands this compiled file to the page as
 * is, beside the bundle.
 *
 * A 4-8-3 MLP (relu hidden layer, logits out) with fixed weights, softmax cross-entropy on six
 * samples, one plain SGD step (lr 0.1): once by hand with valueAndGrad and the sgd
 * transformation, once through Sequential.compile/fit with the same weights and batch.
 */
import type * as Hebb from '../../src/browser.js';

export const N_IN = 4;
export const N_HIDDEN = 8;
export const N_OUT = 3;
export const BATCH = 6;
export const LEARNING_RATE = 0.1;

/** Parameters in Dense's order: kernel [in, out] row-major, then bias. */
export interface MlpParams {
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number[];
}

/** Deterministic float32-exact values in about [-1, 1] (no RNG, so no stream to keep in step). */
function values(n: number, seed: number, scale: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.fround(scale * Math.sin(seed * 12.9898 + (i + 1) * 78.233)));
}

export function fixedParams(): MlpParams {
  return {
    w1: values(N_IN * N_HIDDEN, 1, 0.8),
    b1: values(N_HIDDEN, 2, 0.1),
    w2: values(N_HIDDEN * N_OUT, 3, 0.8),
    b2: values(N_OUT, 4, 0.1),
  };
}

export function fixedBatch(): { x: number[]; y: number[] } {
  return { x: values(BATCH * N_IN, 5, 1.5), y: [0, 1, 2, 1, 0, 2] };
}

/** One step's outcome, flattened to plain numbers so it crosses from the page as JSON. */
export interface StepOutcome {
  /** Loss before the update. */
  loss: number;
  /** Parameters after the update, in MlpParams order. */
  params: number[][];
}

/** model.fit's outcome, with the model's config as JSON (a bundler that renamed a class or function used in configs would show here). */
export interface FitOutcome extends StepOutcome {
  config: string;
}

export interface BackendOutcome {
  backend: string;
  /** valueAndGrad + sgd by hand; with the gradients, in MlpParams order. */
  manual: StepOutcome & { grads: number[][] };
  /** model.fit for one epoch of one batch. */
  fit: FitOutcome;
  /** Tensors left alive by the two steps (models keep their weights; the manual step keeps nothing). */
  leakedTensors: number;
}

type HebbModule = typeof Hebb;

function flat(t: Hebb.Tensor): number[] {
  return Array.from(t.dataSync(), Number);
}

function manualStep(hb: HebbModule): BackendOutcome['manual'] {
  const p = fixedParams();
  const { x: xs, y: ys } = fixedBatch();
  // In a scope: the initial values are copied into the variables and freed.
  const vars = hb.scope(() => [
    hb.variable(hb.tensor(p.w1, [N_IN, N_HIDDEN])),
    hb.variable(hb.tensor(p.b1, [N_HIDDEN])),
    hb.variable(hb.tensor(p.w2, [N_HIDDEN, N_OUT])),
    hb.variable(hb.tensor(p.b2, [N_OUT])),
  ]);
  const [w1, b1, w2, b2] = vars as [Hebb.Variable, Hebb.Variable, Hebb.Variable, Hebb.Variable];
  const out = hb.scope(() => {
    const x = hb.tensor(xs, [BATCH, N_IN]);
    const target = hb.oneHot(hb.tensor(ys, [BATCH], 'int32'), N_OUT);
    const loss = (): Hebb.Tensor => {
      const h = hb.relu(hb.add(hb.matmul(x, w1), b1));
      const logits = hb.add(hb.matmul(h, w2), b2);
      return hb.neg(hb.mean(hb.sum(hb.mul(target, hb.logSoftmax(logits)), -1)));
    };
    const { value, grads } = hb.valueAndGrad(loss, vars);
    const opt = hb.optimizers.sgd({ learningRate: LEARNING_RATE });
    const [updates] = opt.update(grads, opt.init(vars), vars, 0);
    hb.optimizers.applyUpdates(vars, updates);
    return { loss: value.item(), grads: grads.map(flat) };
  });
  const params = vars.map(flat);
  hb.dispose(vars);
  return { ...out, params };
}

async function fitStep(hb: HebbModule): Promise<FitOutcome> {
  const p = fixedParams();
  const { x: xs, y: ys } = fixedBatch();
  // Named layers: default names count up per page/process, and the configs are compared.
  const model = hb.sequential(
    [hb.input({ shape: [N_IN], name: 'features' }), hb.layers.dense({ units: N_HIDDEN, activation: 'relu', name: 'hidden' }), hb.layers.dense({ units: N_OUT, name: 'logits' })],
    { name: 'mlp' },
  );
  model.setWeights([hb.tensor(p.w1, [N_IN, N_HIDDEN]), hb.tensor(p.b1, [N_HIDDEN]), hb.tensor(p.w2, [N_HIDDEN, N_OUT]), hb.tensor(p.b2, [N_OUT])]);
  model.compile({
    optimizer: hb.optimizers.sgd({ learningRate: LEARNING_RATE }),
    loss: hb.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
  });
  const history = await model.fit(hb.tensor(xs, [BATCH, N_IN]), hb.tensor(ys, [BATCH], 'int32'), {
    epochs: 1,
    batchSize: BATCH,
    shuffle: false,
    verbose: 0,
  });
  const loss = history.history['loss']?.[0];
  if (loss === undefined) throw new Error(`fit: history has no loss; keys: ${Object.keys(history.history).join(', ')}`);
  return { loss, params: model.getWeights().map(flat), config: JSON.stringify(model.getConfig()) };
}

/** Runs both steps on `backend`. */
export async function runOn(hb: HebbModule, backend: string): Promise<BackendOutcome> {
  hb.setBackend(backend);
  const before = hb.numTensors();
  const manual = manualStep(hb);
  const leakedTensors = hb.numTensors() - before;
  const fit = await fitStep(hb);
  return { backend, manual, fit, leakedTensors };
}

/** What the page reports: the default backend, then both steps on every backend the bundle offers. */
export interface PageReport {
  version: string;
  defaultBackend: string;
  backends: string[];
  outcomes: BackendOutcome[];
}

export async function runAll(hb: HebbModule): Promise<PageReport> {
  // Before any setBackend: the engine picks the highest-priority backend that initialises, and
  // silently falls back to the next one, so the name shows whether wasm really loaded.
  const defaultBackend = hb.getBackend().name;
  const backends = hb.listBackends();
  const outcomes: BackendOutcome[] = [];
  for (const b of backends) outcomes.push(await runOn(hb, b));
  return { version: hb.VERSION, defaultBackend, backends, outcomes };
}
