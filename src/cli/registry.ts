/**
 * The subcommands of `hebb`, in the order --help lists them. A new command is a file under
 * commands/ exporting a `Command`, and one entry here (e.g. `plot` and `convert`).
 */
import type { Command } from './command.js';
import { convert } from './commands/convert.js';
import { datasets } from './commands/datasets.js';
import { evaluate } from './commands/evaluate.js';
import { plot } from './commands/plot.js';
import { predict } from './commands/predict.js';
import { summary } from './commands/summary.js';
import { train } from './commands/train.js';
import { tune } from './commands/tune.js';

export const COMMANDS: Command[] = [train, evaluate, predict, summary, plot, datasets, convert, tune];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
