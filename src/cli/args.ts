/**
 * Flag parsing for the subcommands, on node:util's parseArgs (strict: an unknown flag or a
 * missing value is an error), with its errors rewritten into UsageErrors that name the flag,
 * what it expects and, for a misspelt flag, the closest valid one. The typed readers
 * (intFlag, numberFlag, ...) turn a flag's string into a value or a UsageError saying what
 * was expected and what was received.
 */
import { parseArgs } from 'node:util';
import { closestOption } from '../core/options.js';
import { UsageError, type Command, type FlagSpec, type ParsedArgs } from './command.js';

/** Every command also takes -h/--help. */
const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', help: 'show this help' };

export function allFlags(cmd: Command): Record<string, FlagSpec> {
  return { ...cmd.flags, help: HELP_FLAG };
}

function flagName(spec: FlagSpec, name: string): string {
  return spec.type === 'string' ? `--${name} <${spec.value ?? 'value'}>` : `--${name}`;
}

/** Parses argv for `cmd`; throws UsageError for anything parseArgs refuses. */
export function parseCommandArgs(cmd: Command, argv: readonly string[]): ParsedArgs {
  const flags = allFlags(cmd);
  const options = Object.fromEntries(
    Object.entries(flags).map(([k, f]) => [k, { type: f.type, ...(f.short !== undefined ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) }]),
  );
  // Name the flag ourselves: parseArgs's messages are about its own API ("place it at the end ... after '--'").
  const seen = new Set<string>();
  const byShort = new Map(Object.entries(flags).flatMap(([k, f]) => (f.short !== undefined ? [[f.short, k] as const] : [])));
  for (const a of argv) {
    if (a === '--') break;
    const short = /^-([^-])$/.exec(a)?.[1];
    const long = short !== undefined ? byShort.get(short) : undefined;
    if (long !== undefined && !(flags[long] as FlagSpec).multiple) {
      if (seen.has(long)) throw new UsageError(`--${long} was given more than once`);
      seen.add(long);
    }
    if (!a.startsWith('--')) continue;
    const name = a.slice(2).split('=')[0] as string;
    if (!(name in flags)) {
      const near = closestOption(name, Object.keys(flags));
      throw new UsageError(`unknown flag --${name}${near !== null ? `; did you mean --${near}?` : `; the flags are ${Object.keys(flags).map((k) => `--${k}`).join(', ')}`}`);
    }
    const spec = flags[name] as FlagSpec;
    if (spec.type === 'boolean' && a.includes('=')) throw new UsageError(`--${name} takes no value (it is a switch), received "${a}"`);
    if (!spec.multiple) {
      if (seen.has(name)) throw new UsageError(`--${name} was given more than once`);
      seen.add(name);
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
    const msg = e instanceof Error ? e.message : String(e);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const m = /'(-\w|--[\w-]+)/.exec(msg);
      const name = m ? (m[1] as string).replace(/^-+/, '') : '';
      const entry = Object.entries(flags).find(([k, f]) => k === name || f.short === name);
      if (entry) {
        const [k, f] = entry;
        throw new UsageError(f.type === 'string' ? `${flagName(f, k)} needs a value (${f.help})` : `--${k} takes no value (it is a switch)`);
      }
    }
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const m = /'(-[^']*)'/.exec(msg);
      throw new UsageError(`unknown flag ${m ? m[1] : msg}`);
    }
    throw new UsageError(msg);
  }
  const values = parsed.values as ParsedArgs['values'];
  const variadic = cmd.positionals?.[cmd.positionals.length - 1]?.variadic === true;
  const max = cmd.positionals?.length ?? 0;
  if (!variadic && parsed.positionals.length > max) {
    const extra = parsed.positionals[max] as string;
    throw new UsageError(max === 0 ? `takes no positional arguments, received "${extra}"` : `takes at most ${max} argument${max === 1 ? '' : 's'} (${(cmd.positionals ?? []).map((p) => `<${p.name}>`).join(' ')}), received an extra "${extra}"`);
  }
  return { values, positionals: parsed.positionals };
}

/** The usage text of one command (what --help prints). */
export function commandHelp(cmd: Command): string {
  const pos = (cmd.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`) + (p.variadic ? '...' : '')).join(' ');
  const lines = [`Usage: hebb ${cmd.name}${pos ? ` ${pos}` : ''} [options]`, '', cmd.description.trim(), ''];
  if (cmd.positionals && cmd.positionals.length > 0) {
    lines.push('Arguments:');
    for (const p of cmd.positionals) lines.push(`  ${p.name.padEnd(24)}${p.help}`);
    lines.push('');
  }
  lines.push('Options:');
  for (const [k, f] of Object.entries(allFlags(cmd))) {
    const left = `${f.short !== undefined ? `-${f.short}, ` : '    '}${flagName(f, k)}`;
    lines.push(`  ${left.padEnd(30)}${left.length >= 30 ? '\n' + ' '.repeat(32) : ''}${f.help}`);
  }
  if (cmd.examples && cmd.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const e of cmd.examples) lines.push(`  ${e}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A string flag's value, or undefined when it was not given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`);
  if (v === '') throw new UsageError(`--${name} needs a non-empty value`);
  return v;
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A decimal number (1e-3 and 0.5 allowed); undefined when not given. */
export function numberFlag(args: ParsedArgs, name: string, check?: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }): number | undefined {
  const s = stringFlag(args, name);
  if (s === undefined) return undefined;
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim()) ? Number(s) : NaN;
  const lo = check?.min;
  const hi = check?.max;
  const range = `${lo !== undefined ? `${check?.minExclusive ? '>' : '>='} ${lo}` : ''}${lo !== undefined && hi !== undefined ? ' and ' : ''}${hi !== undefined ? `${check?.maxExclusive ? '<' : '<='} ${hi}` : ''}`;
  const bad = !Number.isFinite(v) || (lo !== undefined && (check?.minExclusive ? v <= lo : v < lo)) || (hi !== undefined && (check?.maxExclusive ? v >= hi : v > hi));
  if (bad) throw new UsageError(`--${name} expects a number${range ? ` ${range}` : ''}, received "${s}"`);
  return v;
}

/** A whole number >= min; undefined when not given. */
export function intFlag(args: ParsedArgs, name: string, min = 0): number | undefined {
  const s = stringFlag(args, name);
  if (s === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(s.trim()) || Number(s) < min || !Number.isSafeInteger(Number(s))) throw new UsageError(`--${name} expects a whole number >= ${min}, received "${s}"`);
  return Number(s);
}

/** One of `choices`; undefined when not given. */
export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const s = stringFlag(args, name);
  if (s === undefined) return undefined;
  if (!(choices as readonly string[]).includes(s)) {
    const near = closestOption(s, choices);
    throw new UsageError(`--${name} expects one of ${choices.join(', ')}, received "${s}"${near !== null ? `; did you mean ${near}?` : ''}`);
  }
  return s as T;
}

/** A comma-separated list of whole numbers >= 1 (`--layers 300,100`); undefined when not given. */
export function intListFlag(args: ParsedArgs, name: string): number[] | undefined {
  const s = stringFlag(args, name);
  if (s === undefined) return undefined;
  const parts = s.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) throw new UsageError(`--${name} expects whole numbers >= 1 separated by commas (e.g. 300,100), received "${s}"`);
  return parts.map(Number);
}

/** A comma-separated list of names; undefined when not given. */
export function listFlag(args: ParsedArgs, name: string): string[] | undefined {
  const s = stringFlag(args, name);
  if (s === undefined) return undefined;
  const parts = s.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new UsageError(`--${name} expects names separated by commas, received "${s}"`);
  return parts;
}
