/**
 * `hebb convert <model.keras|model.h5> <out_dir>`: a Python Keras file (Keras 3 `.keras`,
 * tf.keras 2.15 `.keras`, legacy Keras 2 `.h5`) read by loadKerasModel, which refuses anything
 * that carries code, and written by model.save as a TensorFlow.js layers-model folder
 * (`model.json` + weight shards), which hb.loadModel and tfjs's `tf.loadLayersModel` read.
 * The converter TensorFlow.js users otherwise need Python for.
 */
import { loadKerasModel } from '../../io/keras/load.js';
import { EXIT_OK, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.js';

export const convert: Command = {
  name: 'convert',
  summary: 'a Keras .keras/.h5 file → a TensorFlow.js layers-model folder',
  description: `
Reads a model saved by Python Keras (a Keras 3 or tf.keras 2.15 .keras archive, or a legacy
Keras 2 full-model .h5) as data, never running code from it (Lambda layers and custom classes
are refused), and writes it in TensorFlow.js's layers format: <out_dir>/model.json and its
weight shards, written atomically. The model is written uncompiled (Keras's compile settings
name Python objects); compile it in code. hb.loadModel(<out_dir>) reads the result.`,
  positionals: [
    { name: 'model', help: 'the Keras file (.keras or .h5)', required: true },
    { name: 'out_dir', help: 'the folder to write (replaced if it holds a saved model)', required: true },
  ],
  flags: {},
  examples: ['hebb convert house_model.keras web/house_model', 'hebb convert iris_model.h5 out/iris'],
  run: async (args: ParsedArgs, io: CliIO): Promise<number> => {
    const [file, out] = args.positionals;
    if (file === undefined || out === undefined) throw new UsageError('needs the Keras file and the output folder: hebb convert <model> <out_dir>');
    const model = await loadKerasModel(file);
    try {
      await model.save(out);
      io.out(`Converted ${file} (${model.className} "${model.name}", ${model.layers.length} layers, ${model.countParams()} parameters) → ${out}/model.json\n`);
    } finally {
      model.dispose();
    }
    return EXIT_OK;
  },
};
