#!/usr/bin/env node
/**
 * The `hebb` command. Subcommands (train, evaluate, predict, tune, plot, summary) arrive with
 * the issues that build them; --version and --help work now.
 */
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

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '');
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
