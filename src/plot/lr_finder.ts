/**
 * The learning-rate finder's picture (the book's ch. 10-11; fastai's `recorder.plot_lr_find`):
 * the loss of each step against its rate on a log x axis, the raw batch losses faint and the
 * smoothed ones drawn over them, and the suggestion (the smoothed minimum's rate / 10) marked
 * by a vertical rule with its value. The y range stops at the highest smoothed loss so that the
 * raw spikes of the diverging end do not flatten the part of the curve that matters.
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import type { LearningRateCurve } from '../training/find_lr.js';
import { extent, header, seriesValues, type PlotSizeOptions, type Row, type VegaLiteSpec } from './spec.js';

const WHO = 'plot.lrFinder';

export type LrFinderOptions = PlotSizeOptions;

/** What the plot reads of findLearningRate's result (smoothedLosses optional). */
export type LrCurveLike = Pick<LearningRateCurve, 'learningRates' | 'losses' | 'suggestion'> & { smoothedLosses?: readonly number[] };

const OPTIONS: OptionKeys<LrFinderOptions> = { title: true, width: true, height: true };

export function lrFinderSpec(curve: LrCurveLike, options: LrFinderOptions = {}): VegaLiteSpec {
  checkOptions(WHO, options, OPTIONS);
  if (typeof curve !== 'object' || curve === null) throw new ValueError(`${WHO}: curve must be what findLearningRate returns, received ${fmtReceived(curve)}`);
  const rates = seriesValues(WHO, 'learningRates', curve.learningRates);
  const losses = seriesValues(WHO, 'losses', curve.losses);
  if (rates.length === 0) throw new ValueError(`${WHO}: the curve is empty (no step ran)`);
  if (losses.length !== rates.length) throw new ValueError(`${WHO}: expected one loss per rate (${rates.length}), received ${losses.length} losses`);
  if (rates.some((r) => r === null || r <= 0)) throw new ValueError(`${WHO}: learningRates must all be finite and > 0 (a log axis), received ${fmtReceived(curve.learningRates)}`);
  const smoothed = curve.smoothedLosses === undefined ? null : seriesValues(WHO, 'smoothedLosses', curve.smoothedLosses);
  if (smoothed !== null && smoothed.length !== rates.length) throw new ValueError(`${WHO}: expected one smoothed loss per rate (${rates.length}), received ${smoothed.length}`);
  const s = curve.suggestion;
  if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) throw new ValueError(`${WHO}: suggestion must be a finite rate > 0, received ${fmtReceived(s)}`);
  const rows: Row[] = rates.map((rate, i) => ({ rate, loss: losses[i] ?? null, smoothed: smoothed?.[i] ?? null }));
  const main = smoothed ?? losses;
  const e = extent(main) as [number, number];
  const low = Math.min(e[0], extent(losses)?.[0] ?? e[0]);
  const pad = (e[1] - low) * 0.05 || Math.abs(e[1]) * 0.05 || 1;
  const yDomain = [low - pad, e[1] + pad];
  const xDomain = [Math.min(rates[0] as number, s), Math.max(rates[rates.length - 1] as number, s)];
  const x = { field: 'rate', type: 'quantitative', title: 'Learning rate (log scale)', scale: { type: 'log', domain: xDomain, nice: false }, axis: { format: '.0e', tickCount: 8 } } as const;
  const y = { type: 'quantitative', title: 'Loss', scale: { domain: yDomain, nice: false } } as const;
  const label = `suggestion ${s.toExponential(1)}`;
  return {
    ...header(options, WHO),
    data: { values: rows },
    layer: [
      { mark: { type: 'line', color: '#9ecae1', strokeWidth: 1, clip: true }, encoding: { x, y: { ...y, field: 'loss' } } },
      ...(smoothed !== null ? [{ mark: { type: 'line', color: '#1f77b4', strokeWidth: 2.5, clip: true }, encoding: { x, y: { ...y, field: 'smoothed' } } }] : []),
      { data: { values: [{ rate: s, label }] }, mark: { type: 'rule', color: '#d62728', strokeWidth: 2, strokeDash: [6, 4] }, encoding: { x } },
      { data: { values: [{ rate: s, label }] }, mark: { type: 'text', color: '#d62728', align: 'left', baseline: 'top', dx: 5, dy: 5, fontSize: 12 }, encoding: { x, y: { value: 0 }, text: { field: 'label' } } },
    ],
  } as VegaLiteSpec;
}
