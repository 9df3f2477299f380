/**
 * `hebb datasets`: the datasets hebb train knows, where each one's files are found (the
 * search path of hb.datasets: $HEBB_DATASETS, the repository's ../shared/datasets, the
 * cache), and with --verify the sha256 of each file found against the published sums.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { findLocal, searchDirs } from '../../io/datasets/files.js';
import { boolFlag } from '../args.js';
import { DATASETS, type DatasetEntry } from '../catalog.js';
import { EXIT_FAILURE, EXIT_OK, type CliIO, type Command, type ParsedArgs } from '../command.js';

export const datasets: Command = {
  name: 'datasets',
  summary: 'list the datasets, where their files are, and (--verify) check their checksums',
  description: `
Lists the datasets hebb train --dataset takes: the built-in synthetic ones, and those read
from files, with the path each file was found at or "missing". Files are looked up in
$HEBB_DATASETS/<folder>, then ../shared/datasets/<folder> beside the package, then the cache
~/.hebb/datasets/<folder>; a missing downloadable file is fetched on first use.
--verify computes the sha256 of every file found and compares it with the published sum;
the exit code is 1 when one differs.`,
  flags: {
    verify: { type: 'boolean', help: 'check the sha256 of every file found' },
    json: { type: 'boolean', help: 'print the list as JSON' },
  },
  examples: ['hebb datasets', 'hebb datasets --verify', 'HEBB_DATASETS=/data hebb datasets --json'],
  run: runDatasets,
};

interface FileStatus {
  name: string;
  path: string | null;
  sha256?: 'ok' | 'mismatch';
}

interface DatasetStatus {
  name: string;
  task: string;
  summary: string;
  source: 'built-in' | 'files';
  files: FileStatus[];
  /** For a dataset satisfied by one of several files (california-housing). */
  anyOf?: boolean;
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolveHash, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolveHash(h.digest('hex')));
  });
}

async function status(d: DatasetEntry, verify: boolean): Promise<DatasetStatus> {
  const base = { name: d.name, task: d.task, summary: d.summary };
  if (d.files === null) return { ...base, source: 'built-in', files: [] };
  const { source, files, anyOf } = d.files;
  const out: FileStatus[] = [];
  for (const f of files) {
    const found = findLocal(source, [f]);
    const st: FileStatus = { name: f.name, path: found?.path ?? null };
    if (verify && found !== null) st.sha256 = (await sha256File(found.path)) === f.sha256 ? 'ok' : 'mismatch';
    out.push(st);
  }
  return { ...base, source: 'files', files: out, ...(anyOf ? { anyOf } : {}) };
}

async function runDatasets(args: ParsedArgs, io: CliIO): Promise<number> {
  const verify = boolFlag(args, 'verify');
  const list: DatasetStatus[] = [];
  for (const d of DATASETS) list.push(await status(d, verify));
  const bad = list.flatMap((d) => d.files.filter((f) => f.sha256 === 'mismatch').map((f) => `${d.name}/${f.name}`));
  if (boolFlag(args, 'json')) {
    io.out(`${JSON.stringify(list, null, 2)}\n`);
  } else {
    for (const d of list) {
      io.out(`${d.name.padEnd(20)}${d.task.padEnd(16)}${d.source.padEnd(10)}${d.summary}\n`);
      const entry = DATASETS.find((e) => e.name === d.name);
      for (const f of d.files) {
        const where = f.path ?? `missing (looked in ${entry?.files ? searchDirs(entry.files.source).join(', ') : '?'})`;
        const check = f.sha256 === undefined ? '' : f.sha256 === 'ok' ? '  sha256 ok' : '  SHA256 MISMATCH';
        io.out(`    ${f.name.padEnd(28)}${where}${check}\n`);
      }
      if (d.anyOf) io.out('    (one of these files is enough)\n');
    }
    if (verify) io.out(bad.length === 0 ? 'all files found have the expected sha256\n' : `sha256 mismatch: ${bad.join(', ')}\n`);
  }
  return bad.length === 0 ? EXIT_OK : EXIT_FAILURE;
}
