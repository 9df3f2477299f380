/**
 * The confusion matrix as a heat map (scikit-learn's ConfusionMatrixDisplay): true class down
 * the rows, predicted class across, each cell's count written in it (white on dark cells), and
 * optionally normalized over the true class ('true', each row sums to 1), the predicted class
 * ('pred') or all samples ('all'), with sklearn's meaning of those names.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { classIndices, type Values } from './labels_input.js';
import { header, type PlotSizeOptions, type Row, type VegaLiteSpec } from './spec.js';

const WHO = 'plot.confusionMatrix';

export interface ConfusionMatrixOptions extends PlotSizeOptions {
  /** [0, 1, ...] one name per class, in class-index order; also fixes the number of classes. */
  labels?: readonly string[];
  /** [none] 'true' | 'pred' | 'all', as sklearn's confusion_matrix(normalize=...). */
  normalize?: 'true' | 'pred' | 'all';
}

/** counts[t][p]: how many samples of true class t were predicted as p. */
export function confusionCounts(yTrue: readonly number[], yPred: readonly number[], numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  yTrue.forEach((t, i) => {
    const row = m[t] as number[];
    const j = yPred[i] as number;
    row[j] = (row[j] as number) + 1;
  });
  return m;
}

const OPTIONS: OptionKeys<ConfusionMatrixOptions> = { title: true, width: true, height: true, labels: true, normalize: true };

export function confusionMatrixSpec(yTrue: Values, yPred: Values, options: ConfusionMatrixOptions = {}): VegaLiteSpec {
  checkOptions(WHO, options, OPTIONS);
  const t = classIndices(WHO, 'yTrue', yTrue);
  const p = classIndices(WHO, 'yPred', yPred);
  if (t.length !== p.length) throw new ValueError(`${WHO}: yTrue and yPred must have one entry per sample; yTrue has ${t.length}, yPred has ${p.length}`);
  const top = Math.max(...t, ...p) + 1;
  const labels = options.labels;
  if (labels !== undefined && (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string') || new Set(labels).size !== labels.length)) {
    throw new ValueError(`${WHO}: labels must be an array of distinct strings (one per class), received ${fmtReceived(labels)}`);
  }
  if (labels !== undefined && labels.length < top) throw new ValueError(`${WHO}: labels names ${labels.length} classes, but the data has class index ${top - 1}`);
  const names = labels !== undefined ? [...labels] : Array.from({ length: top }, (_, i) => String(i));
  const k = names.length;
  const normalize = options.normalize;
  if (normalize !== undefined && normalize !== 'true' && normalize !== 'pred' && normalize !== 'all') {
    throw new ValueError(`${WHO}: normalize must be 'true', 'pred' or 'all', received ${fmtReceived(normalize)}`);
  }
  const counts = confusionCounts(t, p, k);
  const rowSum = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = names.map((_, j) => counts.reduce((a, r) => a + (r[j] as number), 0));
  const value = (i: number, j: number): number => {
    const c = (counts[i] as number[])[j] as number;
    const d = normalize === 'true' ? rowSum[i] : normalize === 'pred' ? colSum[j] : normalize === 'all' ? t.length : 1;
    return d === 0 ? 0 : c / (d as number);
  };
  const rows: Row[] = [];
  let max = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = value(i, j);
      max = Math.max(max, v);
      rows.push({ actual: names[i] as string, predicted: names[j] as string, value: v, count: (counts[i] as number[])[j] as number, text: normalize === undefined ? String(v) : v.toFixed(2) });
    }
  }
  const cell = Math.max(18, Math.min(48, Math.floor(480 / k)));
  const o = { ...options, width: options.width ?? cell * k, height: options.height ?? cell * k };
  const axisTitle = (s: string) => s;
  const x = { field: 'predicted', type: 'ordinal', sort: names, title: axisTitle('Predicted label'), axis: { labelAngle: names.some((n) => n.length > 2) ? -45 : 0, grid: false } } as const;
  const y = { field: 'actual', type: 'ordinal', sort: names, title: axisTitle('True label'), axis: { grid: false } } as const;
  return {
    ...header(o, WHO),
    data: { values: rows },
    encoding: { x, y },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'value', type: 'quantitative', title: normalize === undefined ? 'Count' : 'Fraction', scale: { scheme: 'blues', domain: [0, max || 1] }, legend: { orient: 'right', gradientLength: Math.max(80, Math.min(300, cell * k)) } },
          tooltip: [{ field: 'actual', type: 'nominal', title: 'true' }, { field: 'predicted', type: 'nominal' }, { field: 'count', type: 'quantitative' }],
        },
      },
      {
        mark: { type: 'text', fontSize: Math.max(8, Math.min(12, Math.floor(cell / 3))) },
        encoding: {
          text: { field: 'text', type: 'nominal' },
          color: { condition: { test: `datum.value > ${(max || 1) / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as VegaLiteSpec;
}
