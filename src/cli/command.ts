/**
 * What a `hebb` subcommand is: a name, its help, its flags (node:util parseArgs options plus
 * the text --help shows), and `run`. main.ts dispatches through the registry (registry.ts),
 * so a new command is one file under commands/ and one line there.
 *
 * Exit codes (docs/CLI.md): 0 success, 1 failure (bad data, a file that is not a model, a
 * failed check), 2 usage (an unknown flag, a flag value of the wrong kind, a missing argument).
 */
import type { ProgressStream } from '../callbacks/progbar.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: exit code 2, with a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command failed for a reason it can state (a missing file): exit code 1, the message without a stack. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** Where a command writes; tests pass their own. */
export interface CliIO {
  /** Results (stdout). */
  out(s: string): void;
  /** Diagnostics and warnings (stderr). */
  err(s: string): void;
  /** The stream fit's progress bar draws on (stdout under the real command). */
  progress: ProgressStream;
}

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's name in --help (`--epochs <n>`). */
  readonly value?: string;
  readonly help: string;
  /** May be given more than once. */
  readonly multiple?: boolean;
}

export interface PositionalSpec {
  readonly name: string;
  readonly help: string;
  readonly required?: boolean;
  /** Takes every remaining argument (`hebb plot a b c`); the last positional only. */
  readonly variadic?: boolean;
}

/** What parseArgs returned, for one command. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

export interface Command {
  readonly name: string;
  /** One line, for `hebb --help`. */
  readonly summary: string;
  /** Paragraphs printed under the usage line of `hebb <name> --help`. */
  readonly description: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly positionals?: readonly PositionalSpec[];
  readonly examples?: readonly string[];
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}
