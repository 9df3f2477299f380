import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { choiceFlag, commandHelp, intFlag, intListFlag, numberFlag, parseCommandArgs } from './args.js';
import { UsageError, type Command, type ParsedArgs } from './command.js';

const cmd: Command = {
  name: 'demo',
  summary: 'a test command',
  description: 'Does nothing.',
  flags: {
    epochs: { type: 'string', short: 'e', value: 'n', help: 'training epochs' },
    'batch-size': { type: 'string', value: 'n', help: 'samples per step' },
    checkpoint: { type: 'boolean', help: 'save checkpoints' },
  },
  positionals: [{ name: 'model', help: 'a model folder' }],
  run: async () => 0,
};

const usage = (fn: () => unknown, message: string): void => assert.throws(fn, (e: unknown) => e instanceof UsageError && e.message === message);
const args = (values: ParsedArgs['values']): ParsedArgs => ({ values, positionals: [] });

describe('flag parsing', () => {
  it('reads long, short and = forms, switches and one positional', () => {
    const a = parseCommandArgs(cmd, ['m', '--epochs', '3', '--batch-size=16', '--checkpoint']);
    assert.deepEqual(a.positionals, ['m']);
    assert.equal(a.values['epochs'], '3');
    assert.equal(a.values['batch-size'], '16');
    assert.equal(a.values['checkpoint'], true);
    assert.equal(parseCommandArgs(cmd, ['-e', '7']).values['epochs'], '7');
    assert.equal(parseCommandArgs(cmd, ['-h']).values['help'], true);
  });

  it('errors name the flag and what it expects', () => {
    usage(() => parseCommandArgs(cmd, ['--epoch', '3']), 'unknown flag --epoch; did you mean --epochs?');
    usage(() => parseCommandArgs(cmd, ['--batch_size', '3']), 'unknown flag --batch_size; did you mean --batch-size?');
    usage(() => parseCommandArgs(cmd, ['--zzz']), 'unknown flag --zzz; the flags are --epochs, --batch-size, --checkpoint, --help');
    usage(() => parseCommandArgs(cmd, ['--epochs']), '--epochs <n> needs a value (training epochs)');
    usage(() => parseCommandArgs(cmd, ['--checkpoint=yes']), '--checkpoint takes no value (it is a switch), received "--checkpoint=yes"');
    usage(() => parseCommandArgs(cmd, ['a', 'b']), 'takes at most 1 argument (<model>), received an extra "b"');
    usage(() => parseCommandArgs(cmd, ['--epochs', '1', '--epochs', '2']), '--epochs was given more than once');
    usage(() => parseCommandArgs(cmd, ['-x']), "unknown flag -x");
  });

  it('typed readers: whole numbers, numbers in a range, lists, choices', () => {
    assert.equal(intFlag(args({ epochs: '30' }), 'epochs', 1), 30);
    assert.equal(intFlag(args({}), 'epochs', 1), undefined);
    usage(() => intFlag(args({ epochs: '0' }), 'epochs', 1), '--epochs expects a whole number >= 1, received "0"');
    usage(() => intFlag(args({ epochs: '2.5' }), 'epochs', 1), '--epochs expects a whole number >= 1, received "2.5"');
    assert.equal(numberFlag(args({ lr: '1e-3' }), 'lr', { min: 0, minExclusive: true }), 1e-3);
    usage(() => numberFlag(args({ lr: '-1' }), 'lr', { min: 0, minExclusive: true }), '--lr expects a number > 0, received "-1"');
    usage(() => numberFlag(args({ f: '1' }), 'f', { min: 0, max: 1, maxExclusive: true }), '--f expects a number >= 0 and < 1, received "1"');
    usage(() => numberFlag(args({ f: 'abc' }), 'f'), '--f expects a number, received "abc"');
    assert.deepEqual(intListFlag(args({ layers: '300, 100' }), 'layers'), [300, 100]);
    usage(() => intListFlag(args({ layers: '300,x' }), 'layers'), '--layers expects whole numbers >= 1 separated by commas (e.g. 300,100), received "300,x"');
    assert.equal(choiceFlag(args({ o: 'adam' }), 'o', ['sgd', 'adam']), 'adam');
    usage(() => choiceFlag(args({ o: 'adma' }), 'o', ['sgd', 'adam']), '--o expects one of sgd, adam, received "adma"; did you mean adam?');
  });

  it('--help text lists the usage line, every flag with its value name, and the positionals', () => {
    const h = commandHelp(cmd);
    assert.match(h, /^Usage: hebb demo \[model\] \[options\]\n\nDoes nothing\.\n/);
    assert.match(h, /-e, --epochs <n> +training epochs/);
    assert.match(h, / {4}--batch-size <n> +samples per step/);
    assert.match(h, / {4}--checkpoint +save checkpoints/);
    assert.match(h, /-h, --help +show this help/);
    assert.match(h, /Arguments:\n {2}model +a model folder/);
  });
});
