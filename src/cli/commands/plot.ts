/**
 * `hebb plot <run>...`: the learning curves of a saved history (a run folder of `hebb train`,
 * or its history.json), or with several runs one metric of each side by side. Writes SVG and
 * PNG (both by default, or the one `--out` names) through hb.plot (src/plot/). With `--tuner
 * --storage S`: a stored hyperparameter search's trials instead (plot_tuner.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { HebbError } from '../../core/errors.js';
import { readHistory, type HistoryLike } from '../../plot/history.js';
import { compareRuns, learningCurves } from '../../plot/node.js';
import { boolFlag, listFlag, stringFlag } from '../args.js';
import { CommandError, EXIT_OK, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.js';
import { plotTuner } from './plot_tuner.js';

export const HISTORY_FILE = 'history.json';

export const plot: Command = {
  name: 'plot',
  summary: 'learning curves of a saved run as SVG/PNG; several runs side by side',
  description: `
With one run: its learning curves (every logged loss and metric, training dashed and validation
solid, per epoch; the [0, 1] range when accuracy is drawn), written as curves.svg and curves.png
next to its history.json. With several runs: one metric (--metric, default val_loss or loss) of
each run against the epoch, written as compare.svg and compare.png in the current folder.
A run is a folder written by hebb train (holding history.json) or a history.json file (fit's
{epoch, history} or Keras's {name: [values]}). --out picks one file; its extension (.svg or
.png) picks the format.
With --tuner --storage S (sqlite:FILE or a postgresql:// URL): the stored search's trials, the
score of each in order with the running best, and each hyperparameter against the score,
written as trials.svg and trials.png in the current folder. --project picks the search when
the storage holds several.`,
  positionals: [{ name: 'run', help: 'a run folder (holding history.json) or a history.json file; several to compare (none with --tuner)', variadic: true }],
  flags: {
    metric: { type: 'string', value: 'names', help: 'one run: the names to draw, comma-separated (default: all); several runs: the one name to compare (default val_loss, else loss)' },
    out: { type: 'string', value: 'file', help: 'the file to write, .svg or .png (default: both, see above)' },
    title: { type: 'string', value: 'text', help: 'the title over the plot (default: the run, or the metric)' },
    tuner: { type: 'boolean', help: "a stored hyperparameter search's trials instead of runs (needs --storage)" },
    storage: { type: 'string', value: 'spec', help: 'with --tuner: where the trials are, sqlite:FILE or postgresql://...' },
    project: { type: 'string', value: 'name', help: 'with --tuner: the search to draw (default: the only one stored)' },
  },
  examples: ['hebb plot runs/moons', 'hebb plot runs/a runs/b --metric val_accuracy --out curves.png', 'hebb plot runs/moons --metric loss,val_loss --out loss.svg', 'hebb plot --tuner --storage sqlite:tuning/iris.db --out trials.png'],
  run: (args: ParsedArgs, io: CliIO) => runPlot(args, io),
};

interface LoadedRun {
  name: string;
  file: string;
  history: HistoryLike;
}

/** A run folder or history file, read and checked (a bad file is a failure, exit 1). */
export function loadRun(path: string): LoadedRun {
  if (!existsSync(path)) throw new CommandError(`no run at "${path}" (expected a folder holding ${HISTORY_FILE}, or a .json history file)`);
  const isDir = statSync(path).isDirectory();
  const file = isDir ? join(path, HISTORY_FILE) : path;
  if (isDir && !existsSync(file)) throw new CommandError(`"${path}" holds no ${HISTORY_FILE} (hebb train writes one into its --out folder)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CommandError(`${file}: not a JSON history (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    readHistory('hebb plot', parsed, file);
  } catch (e) {
    throw new CommandError(e instanceof HebbError ? e.message.replace(/^hebb plot: /, '') : String(e));
  }
  const name = isDir ? path.replace(/[\\/]+$/, '') : basename(file) === HISTORY_FILE ? dirname(file) : file;
  return { name, file, history: parsed as HistoryLike };
}

function namesOf(h: HistoryLike): string[] {
  return Object.keys(readHistory('hebb plot', h).series);
}

async function runPlot(args: ParsedArgs, io: CliIO): Promise<number> {
  if (boolFlag(args, 'tuner')) return plotTuner(args, io);
  for (const f of ['storage', 'project']) if (stringFlag(args, f) !== undefined) throw new UsageError(`--${f} goes with --tuner (hebb plot --tuner --storage S)`);
  const paths = args.positionals;
  if (paths.length === 0) throw new UsageError('needs a run: hebb plot <run>... (a folder written by hebb train, or a history.json)');
  const out = stringFlag(args, 'out');
  if (out !== undefined && !['.svg', '.png'].includes(extname(out).toLowerCase())) throw new UsageError(`--out must end in .svg or .png (the format to write), received "${out}"`);
  const metrics = listFlag(args, 'metric');
  const title = stringFlag(args, 'title');
  const runs = paths.map(loadRun);
  let files: string[];
  let draw: (file: string) => Promise<unknown>;
  if (runs.length === 1) {
    const run = runs[0] as LoadedRun;
    const names = namesOf(run.history);
    for (const m of metrics ?? []) if (!names.includes(m)) throw new UsageError(`--metric: "${m}" is not in ${run.file}; it has ${names.join(', ')}`);
    files = out !== undefined ? [out] : ['svg', 'png'].map((ext) => join(dirname(run.file), `curves.${ext}`));
    draw = (file) => learningCurves(run.history, { file, title: title ?? run.name, ...(metrics !== undefined ? { metrics } : {}) });
  } else {
    if (metrics !== undefined && metrics.length > 1) throw new UsageError(`--metric takes one name when comparing runs, received "${metrics.join(',')}"`);
    const each = runs.map((r) => namesOf(r.history));
    const common = (each[0] as string[]).filter((k) => each.every((n) => n.includes(k)));
    const metric = metrics?.[0] ?? (common.includes('val_loss') ? 'val_loss' : 'loss');
    runs.forEach((r, i) => {
      if (!(each[i] as string[]).includes(metric)) throw new UsageError(`--metric: "${metric}" is not in ${r.file}; every run has ${common.length > 0 ? common.join(', ') : 'no name in common'}`);
    });
    const seen = new Set<string>();
    const named = runs.map((r) => {
      let n = r.name;
      for (let k = 2; seen.has(n); k++) n = `${r.name} (${k})`;
      seen.add(n);
      return { name: n, history: r.history };
    });
    files = out !== undefined ? [out] : ['compare.svg', 'compare.png'];
    draw = (file) => compareRuns(named, { file, metric, title: title ?? `${metric} by run` });
  }
  for (const f of files) {
    await draw(f);
    io.out(`wrote ${f}\n`);
  }
  return EXIT_OK;
}
