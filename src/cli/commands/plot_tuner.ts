/**
 * `hebb plot --tuner --storage S [--project NAME] [--out FILE]`: a stored search's trials
 * (hb.plot.tunerTrials) from the store `hebb tune` wrote, opened as `hebb tune --status` opens
 * it. A SQLite file that is not there is an error naming it (opening it would create an empty
 * database, and an empty plot would say nothing about the typo).
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { HebbError } from '../../core/errors.js';
import { stringFlag } from '../args.js';
import { CommandError, EXIT_OK, UsageError, type CliIO, type ParsedArgs } from '../command.js';

export async function plotTuner(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError(`--tuner draws a stored search and takes no run, received "${args.positionals[0]}"`);
  if (stringFlag(args, 'metric') !== undefined) throw new UsageError('--metric is for runs; --tuner draws the search\'s objective');
  const storage = stringFlag(args, 'storage');
  if (storage === undefined) throw new UsageError('--tuner needs --storage (sqlite:FILE or a postgresql:// URL, as given to hebb tune)');
  if (!storage.startsWith('sqlite:') && !/^postgres(ql)?:\/\//.test(storage)) throw new UsageError(`--storage must be sqlite:FILE or a postgresql:// URL, received "${storage}"`);
  const out = stringFlag(args, 'out');
  if (out !== undefined && !['.svg', '.png'].includes(extname(out).toLowerCase())) throw new UsageError(`--out must end in .svg or .png (the format to write), received "${out}"`);
  if (storage.startsWith('sqlite:')) {
    const file = storage.slice('sqlite:'.length);
    if (file === '') throw new UsageError("--storage 'sqlite:' needs a file name, e.g. sqlite:tuning/search.db");
    if (!existsSync(file)) throw new CommandError(`no tuning storage at "${file}" (hebb tune --storage sqlite:${file} writes one)`);
  }
  const project = stringFlag(args, 'project');
  const { openStore } = await import('../../tuner/storage/open.js');
  const { tunerTrials } = await import('../../plot/node.js');
  let store;
  try {
    store = await openStore(storage);
  } catch (e) {
    throw new CommandError(e instanceof HebbError ? e.message : String(e));
  }
  try {
    const all = await store.searches();
    if (all.length === 0) throw new CommandError(`${store.location} holds no search`);
    const names = all.map((s) => s.name).join(', ');
    if (project === undefined && all.length > 1) throw new UsageError(`${store.location} holds ${all.length} searches (${names}); pick one with --project`);
    const search = project === undefined ? all[0] : all.find((s) => s.name === project);
    if (search === undefined) throw new CommandError(`${store.location} holds no search "${project}"; it holds: ${names}`);
    store.use(search.name);
    const trials = await store.list();
    const title = stringFlag(args, 'title') ?? `Search "${search.name}" (${search.oracle})`;
    const files = out !== undefined ? [out] : ['trials.svg', 'trials.png'];
    for (const file of files) {
      try {
        await tunerTrials(trials, { objective: { name: search.objective, direction: search.direction }, title, file });
      } catch (e) {
        throw new CommandError(e instanceof HebbError ? `${store.location}, search "${search.name}": ${e.message.replace(/^plot\.tunerTrials: /, '')}` : String(e));
      }
      io.out(`wrote ${file}\n`);
    }
  } finally {
    await store.close();
  }
  return EXIT_OK;
}
