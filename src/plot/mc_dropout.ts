/**
 * MC-dropout uncertainty (the book's ch. 11, on mcPredict's {mean, std}): for a classifier, the
 * mean probability of each class for a few chosen samples as bars with ±1 std error bars (the
 * book's "the model is quite confident... but the std says..."); for a model with one output
 * per sample (regression, a sigmoid), every sample's mean as a point with its ±1 std bar.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { readMatrix, type Values } from './labels_input.js';
import { header, isNumberList, type PlotSizeOptions, type Row, type VegaLiteSpec } from './spec.js';

const WHO = 'plot.mcDropout';

export interface McDropoutOptions extends PlotSizeOptions {
  /** [[0]] for a classifier, which samples' class probabilities to show (at most 10). */
  samples?: readonly number[];
  /** [0, 1, ...] the class names (a classifier). */
  labels?: readonly string[];
  /** [the sample index] for one output per sample: each sample's x value (a feature), same length. */
  x?: ArrayLike<number>;
  /** The x axis title when `x` is given. */
  xTitle?: string;
}

export interface McDropoutInput {
  mean: Values;
  std: Values;
}

const OPTIONS: OptionKeys<McDropoutOptions> = { title: true, width: true, height: true, samples: true, labels: true, x: true, xTitle: true };

export function mcDropoutSpec(prediction: McDropoutInput, options: McDropoutOptions = {}): VegaLiteSpec {
  checkOptions(WHO, options, OPTIONS);
  if (typeof prediction !== 'object' || prediction === null) throw new ValueError(`${WHO}: prediction must be mcPredict's {mean, std}, received ${fmtReceived(prediction)}`);
  const mean = readMatrix(WHO, 'mean', prediction.mean);
  const std = readMatrix(WHO, 'std', prediction.std);
  if (mean.rows.length !== std.rows.length || mean.width !== std.width) {
    throw new ValueError(`${WHO}: mean and std must have the same shape; mean is [${mean.rows.length}, ${mean.width}], std is [${std.rows.length}, ${std.width}]`);
  }
  std.rows.forEach((r, i) => {
    if (!r.every((s) => Number.isFinite(s) && s >= 0)) throw new ValueError(`${WHO}: std[${i}] must be finite and >= 0, received ${fmtReceived(r)}`);
  });
  mean.rows.forEach((r, i) => {
    if (!r.every(Number.isFinite)) throw new ValueError(`${WHO}: mean[${i}] has a value that is not finite: ${fmtReceived(r)}`);
  });
  return mean.width === 1 ? perSample(mean.rows.map((r) => r[0] as number), std.rows.map((r) => r[0] as number), options) : perClass(mean.rows, std.rows, options);
}

function perClass(mean: number[][], std: number[][], o: McDropoutOptions): VegaLiteSpec {
  const k = (mean[0] as number[]).length;
  const samples = o.samples ?? [0];
  if (!Array.isArray(samples) || samples.length === 0 || samples.length > 10 || !samples.every((s) => Number.isInteger(s) && s >= 0 && s < mean.length)) {
    throw new ValueError(`${WHO}: samples must be 1 to 10 sample indices in [0, ${mean.length - 1}], received ${fmtReceived(samples)}`);
  }
  const labels = o.labels ?? Array.from({ length: k }, (_, i) => String(i));
  if (!Array.isArray(labels) || labels.length !== k || !labels.every((l) => typeof l === 'string')) throw new ValueError(`${WHO}: labels must be ${k} strings (one per class), received ${fmtReceived(o.labels)}`);
  const rows: Row[] = samples.flatMap((s) =>
    labels.map((label, j) => {
      const m = (mean[s] as number[])[j] as number;
      const d = (std[s] as number[])[j] as number;
      return { sample: `sample ${s}`, class: label, mean: m, lo: Math.max(0, m - d), hi: Math.min(1, m + d), std: d };
    }),
  );
  const names = samples.map((s) => `sample ${s}`);
  const many = samples.length > 1;
  const x = { field: 'class', type: 'nominal', sort: labels, title: 'Class', axis: { labelAngle: labels.some((l) => l.length > 2) ? -45 : 0, grid: false } } as const;
  const xOffset = many ? { xOffset: { field: 'sample', type: 'nominal', sort: names } } : {};
  const color = { field: 'sample', type: 'nominal', title: null, scale: { domain: names, scheme: 'category10' }, legend: many ? { orient: 'right' } : null } as const;
  return {
    ...header(o, WHO),
    data: { values: rows },
    encoding: { x, ...xOffset },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.85 },
        encoding: {
          y: { field: 'mean', type: 'quantitative', title: 'Mean probability (± 1 std)', scale: { domain: [0, 1], nice: false } },
          color,
          tooltip: [{ field: 'sample' }, { field: 'class' }, { field: 'mean', format: '.3f' }, { field: 'std', format: '.3f' }],
        },
      },
      { mark: { type: 'rule', color: 'black', strokeWidth: 1.5 }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      { mark: { type: 'tick', color: 'black', thickness: 1.5, size: 8 }, encoding: { y: { field: 'hi', type: 'quantitative' } } },
      { mark: { type: 'tick', color: 'black', thickness: 1.5, size: 8 }, encoding: { y: { field: 'lo', type: 'quantitative' } } },
    ],
  } as VegaLiteSpec;
}

function perSample(mean: number[], std: number[], o: McDropoutOptions): VegaLiteSpec {
  let xs = mean.map((_, i) => i);
  if (o.x !== undefined) {
    if (!isNumberList(o.x) || o.x.length !== mean.length || !Array.from(o.x).every(Number.isFinite)) {
      throw new ValueError(`${WHO}: x must be ${mean.length} finite numbers (one per sample), received ${fmtReceived(o.x)}`);
    }
    xs = Array.from(o.x);
  }
  const rows: Row[] = mean.map((m, i) => ({ x: xs[i] as number, mean: m, lo: m - (std[i] as number), hi: m + (std[i] as number), std: std[i] as number }));
  const x = { field: 'x', type: 'quantitative', title: o.x !== undefined ? (o.xTitle ?? 'x') : 'Sample', scale: { zero: false } } as const;
  return {
    ...header(o, WHO),
    data: { values: rows },
    encoding: { x },
    layer: [
      // The band only along a feature: between sample indices it would join unrelated samples.
      ...(o.x !== undefined ? [{ mark: { type: 'area', color: '#1f77b4', opacity: 0.2 }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } }] : []),
      { mark: { type: 'rule', color: '#1f77b4', opacity: 0.6 }, encoding: { y: { field: 'lo', type: 'quantitative', title: 'Prediction (mean ± 1 std)', scale: { zero: false } }, y2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, color: '#1f77b4', size: 25 }, encoding: { y: { field: 'mean', type: 'quantitative' }, tooltip: [{ field: 'x' }, { field: 'mean', format: '.3f' }, { field: 'std', format: '.3f' }] } },
    ],
  } as VegaLiteSpec;
}
