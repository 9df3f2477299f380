#!/usr/bin/env node
/**
 * The `hebb` command. Subcommands (train, evaluate, predict, tune, plot, summary) arrive with
 * the issues that build them; --version and --help work now.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';

const HELP = `hebb ${VERSION}: deep learning for TypeScript

Usage: hebb <command> [options]

Options:
  -v, --version   print the version
  -h, --help      print this help

Commands (train, evaluate, predict, tune, plot, summary) are coming in later releases.
`;

export function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s)): number {
  const [first] = argv;
  if (first === '--version' || first === '-v') {
    out(`${VERSION}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    out(HELP);
    return 0;
  }
  process.stderr.write(`hebb: unknown command "${first}"\n\n${HELP}`);
  return 2;
}

/**
 * Whether node was started on this file (`node dist/src/cli/main.js`, or the `hebb` that npm
 * links into node_modules/.bin), not imported. That bin is a symlink with another name (or, on
 * Windows, a shim that starts node on this file), so the two paths are compared only after both
 * are resolved to the real file.
 */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false; // argv[1] is no file (node -e, a REPL): imported
  }
}

if (invokedDirectly()) process.exitCode = main(process.argv.slice(2));
