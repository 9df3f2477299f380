/**
 * `hebb tune FILE`: runs the hyperparameter search a file describes; `--worker` joins one
 * (never overwriting it); `--status --storage S` prints a stored search's trials as a table.
 *
 * FILE is an ES module whose default export is a function of `{hb, storage, projectName,
 * worker}` returning (or resolving to) `{tuner, x, y, options}`: a tuner built with the `hb` it
 * receives (so its models are this hebb's), the training data, and fit options
 * (docs/TUNING.md). `--storage` and `--project` are passed on for the file to use.
 */
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { boolFlag, stringFlag } from '../args.js';
import { CommandError, EXIT_OK, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.js';

export interface TuneContext {
  readonly hb: typeof import('../../index.js');
  /** --storage, when given. */
  readonly storage: string | undefined;
  /** --project, when given. */
  readonly projectName: string | undefined;
  /** --worker */
  readonly worker: boolean;
}

export interface TuneSpec {
  readonly tuner: import('../../tuner/tuner.js').Tuner<unknown>;
  readonly x: import('../../training/data.js').ModelData;
  readonly y: import('../../training/data.js').ModelData;
  readonly options?: import('../../training/trainer.js').FitOptions;
}

async function status(args: ParsedArgs, io: CliIO): Promise<number> {
  const storage = stringFlag(args, 'storage');
  if (storage === undefined) throw new UsageError('--status needs --storage (sqlite:FILE or a postgresql:// URL)');
  const { openStore } = await import('../../tuner/storage/open.js');
  const { trialsTable } = await import('../../tuner/table.js');
  const store = await openStore(storage);
  try {
    const all = await store.searches();
    const project = stringFlag(args, 'project');
    const pick = project === undefined ? all : all.filter((s) => s.name === project);
    if (pick.length === 0) throw new CommandError(project === undefined ? `${store.location} holds no search` : `${store.location} holds no search "${project}"; it holds: ${all.map((s) => s.name).join(', ') || 'none'}`);
    for (const s of pick) {
      store.use(s.name);
      const trials = await store.list();
      const counts = ['completed', 'running', 'failed'].map((k) => `${trials.filter((t) => t.status === k).length} ${k}`).join(', ');
      const best = trials.filter((t) => t.status === 'completed' && t.score !== null).sort((a, b) => (s.direction === 'max' ? b.score! - a.score! : a.score! - b.score!))[0];
      io.out(`Search "${s.name}" (${s.oracle}), objective ${s.objective} (${s.direction}): ${trials.length} trials, ${counts}${best ? `; best: trial ${best.id}, ${best.score}` : ''}\n`);
      io.out(trialsTable(trials));
    }
  } finally {
    await store.close();
  }
  return EXIT_OK;
}

export const tune: Command = {
  name: 'tune',
  summary: 'run (or join, or show) a hyperparameter search described by a file',
  description: `
Runs the search FILE describes: an ES module whose default export is
  ({hb, storage, projectName, worker}) => ({tuner, x, y, options})
(see docs/TUNING.md). Trials are stored as they run; run it again to resume a killed search.
--worker joins a search that another process started (same file and storage), on this host or
another one sharing a PostgreSQL database: trials are handed out so that none runs twice.
--status --storage S lists the trials of the searches stored in S as a table.`,
  positionals: [{ name: 'file', help: 'the search file (.js/.mjs); not needed with --status' }],
  flags: {
    worker: { type: 'boolean', help: 'join the search as an extra worker (never overwrites it)' },
    status: { type: 'boolean', help: "print the stored searches' trials as a table and exit" },
    storage: { type: 'string', value: 'spec', help: "sqlite:FILE or postgresql://... (passed to the file; required with --status)" },
    project: { type: 'string', value: 'name', help: 'the search name (passed to the file; with --status, which search to show)' },
  },
  examples: ['hebb tune examples/tuning/iris_search.js', 'hebb tune examples/tuning/iris_search.js --worker --storage sqlite:tuning/iris.db', 'hebb tune --status --storage sqlite:tuning/iris.db'],
  run: async (args: ParsedArgs, io: CliIO): Promise<number> => {
    if (boolFlag(args, 'status')) return status(args, io);
    const file = args.positionals[0];
    if (file === undefined) throw new UsageError('needs the search file: hebb tune <file> (or --status --storage S)');
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
    } catch (e) {
      const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
      if (['.ts', '.mts'].includes(extname(file)) && code === 'ERR_UNKNOWN_FILE_EXTENSION') throw new UsageError(`${file}: this Node (${process.version}) cannot run TypeScript; compile it (npx tsc) and pass the .js`);
      throw new CommandError(`${file}: importing the file failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const make = mod['default'];
    if (typeof make !== 'function') throw new CommandError(`${file}: the default export must be a function ({hb, storage, projectName, worker}) => ({tuner, x, y, options}); it exports ${Object.keys(mod).join(', ') || 'nothing'}`);
    const hb = await import('../../index.js');
    const worker = boolFlag(args, 'worker');
    const spec = (await (make as (c: TuneContext) => unknown)({ hb, storage: stringFlag(args, 'storage'), projectName: stringFlag(args, 'project'), worker })) as Partial<TuneSpec> | null;
    if (spec === null || typeof spec !== 'object' || !(spec.tuner instanceof hb.tuner.Tuner) || spec.x === undefined || spec.y === undefined) {
      throw new CommandError(`${file}: the default export must return {tuner, x, y, options?} with a tuner built from the hb it receives; it returned ${spec === null || typeof spec !== 'object' ? String(spec) : `{${Object.keys(spec).join(', ')}}`}`);
    }
    const t = spec.tuner;
    if (worker) await t.worker(spec.x, spec.y, spec.options);
    else await t.search(spec.x, spec.y, spec.options);
    await t.resultsSummary(10, (s) => io.out(s));
    await t.close();
    return EXIT_OK;
  },
};
