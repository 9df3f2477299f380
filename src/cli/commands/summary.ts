/** `hebb summary <model>`: the Keras-style layer table of a saved model, and what it was trained on. */
import { loadModel } from '../../io/model_io/load.js';
import { EXIT_OK, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.js';
import { readRecipe } from '../task_data.js';

export const summary: Command = {
  name: 'summary',
  summary: "a saved model's layer table (output shapes, parameter counts)",
  description: `
Prints the layer table of a saved model (TensorFlow.js layers format, as hebb saves it), as
model.summary() does, and for a model made by hebb train the data it was trained on.`,
  positionals: [{ name: 'model', help: 'the model folder (holding model.json), or the model.json file', required: true }],
  flags: {},
  examples: ['hebb summary runs/moons/model'],
  run: async (args: ParsedArgs, io: CliIO): Promise<number> => {
    const dir = args.positionals[0];
    if (dir === undefined) throw new UsageError('needs the model folder: hebb summary <model>');
    const model = await loadModel(dir, { compile: false });
    model.summary((line) => io.out(`${line}\n`));
    model.dispose();
    const r = readRecipe(dir);
    if (r !== null) {
      const data = r.dataset ?? r.csv?.path ?? '?';
      const head = r.task === 'classification' ? `${r.numClasses} classes` : `the value of ${r.targetName ?? 'the target'}`;
      const scaling = r.scaling.kind === 'pixels' ? `pixels / ${r.scaling.divisor}` : 'features standardized';
      io.out(`Trained on ${data}: inputs ${JSON.stringify(r.inputShape)} (${scaling}) → ${head} (seed ${r.seed})\n`);
    }
    return EXIT_OK;
  },
};
