#!/usr/bin/env node
/**
 * The `hebb` command: `hebb <command> [options]`, the commands in registry.ts. Exit codes
 * (docs/CLI.md): 0 success, 1 failure (bad data, a missing file, a failed check), 2 usage
 * (an unknown command or flag, a flag value of the wrong kind).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HebbError } from '../core/errors.js';
import { closestOption } from '../core/options.js';
import { VERSION } from '../version.js';
import { commandHelp, parseCommandArgs } from './args.js';
import { CommandError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './command.js';
import { COMMANDS, findCommand } from './registry.js';
// The CLI is Node: it gets the native backend when its addon is built, as src/index.ts does.
import '../backends/native/register.js';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `hebb ${VERSION}: deep learning for TypeScript

Usage: hebb <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Options:
  -v, --version   print the version
  -h, --help      print this help

Run "hebb <command> --help" for a command's options; "hebb train" alone runs the demo.
Exit codes: 0 success, 1 failure, 2 usage error.
`;
}

export function defaultIO(): CliIO {
  return { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), progress: process.stdout };
}

/** Runs one command line; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    io.out(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (first === undefined || first === '--help' || first === '-h') {
    io.out(help());
    return EXIT_OK;
  }
  if (first === 'help') {
    const cmd = rest[0] !== undefined ? findCommand(rest[0]) : undefined;
    io.out(cmd ? commandHelp(cmd) : help());
    return EXIT_OK;
  }
  const cmd = findCommand(first);
  if (cmd === undefined) {
    const near = closestOption(first, COMMANDS.map((c) => c.name));
    io.err(`hebb: unknown command "${first}"${near !== null ? `; did you mean "${near}"?` : ''}\n\n${help()}`);
    return EXIT_USAGE;
  }
  try {
    const args = parseCommandArgs(cmd, rest);
    if (args.values['help'] === true) {
      io.out(commandHelp(cmd));
      return EXIT_OK;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`hebb ${cmd.name}: ${e.message}\nRun "hebb ${cmd.name} --help" for its options.\n`);
      return EXIT_USAGE;
    }
    // Our own errors say what went wrong (file, line, what was expected); anything else is a bug, shown with its stack.
    const msg = e instanceof HebbError || e instanceof CommandError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    io.err(`hebb ${cmd.name}: error: ${msg}\n`);
    return EXIT_FAILURE;
  }
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

if (invokedDirectly()) process.exitCode = await main(process.argv.slice(2));
