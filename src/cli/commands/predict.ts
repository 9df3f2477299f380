/**
 * `hebb predict <model> --csv rows.csv | --idx images.idx[.gz]`: a saved model's predictions
 * for new inputs, as CSV (default) or JSON, on stdout or into --output. Inputs are scaled as
 * the model's training data was (hebb-data.json). For a classifier each row gets the class
 * id, its name and the probability of each class; for a regression, the predicted value.
 *
 * Images come as IDX files (the MNIST format, gzip or not) or as PNG files (`--image`, given
 * once per file; png_input.ts converts them to the model's input: gray or RGB, size checked).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { HostArray } from '../../io/datasets/arrays.js';
import { DatasetError } from '../../io/datasets/files.js';
import { parseIdx } from '../../io/datasets/idx.js';
import { loadCsv } from '../../io/tabular/csv_table.js';
import { loadModel } from '../../io/model_io/load.js';
import { Tensor } from '../../core/tensor.js';
import { choiceFlag, intFlag, stringFlag } from '../args.js';
import { CommandError, EXIT_OK, UsageError, type CliIO, type Command, type ParsedArgs } from '../command.js';
import { readPngBatch } from '../png_input.js';
import { applyScaling, readRecipe, type DataRecipe } from '../task_data.js';

export const predict: Command = {
  name: 'predict',
  summary: 'predictions of a saved model for the rows of a CSV file, the images of an IDX file or PNG files',
  description: `
Runs a saved model on new inputs and prints one prediction per row: for a classifier the
class id, its name and each class's probability; for a regression the value. Inputs are scaled
as at training time (the model folder's hebb-data.json). A CSV needs the model's feature
columns (by name; other columns, such as the target, are ignored); an IDX file holds images;
--image takes PNG files (grayscale or RGB, converted to the model's input; the size must be
the model's, e.g. 28x28 for Fashion-MNIST).`,
  positionals: [{ name: 'model', help: 'the model folder (holding model.json)', required: true }],
  flags: {
    csv: { type: 'string', value: 'file', help: 'rows to predict, with a header line naming the feature columns' },
    idx: { type: 'string', value: 'file', help: 'images to predict: an IDX file (.gz or not), e.g. t10k-images-idx3-ubyte.gz' },
    image: { type: 'string', short: 'i', value: 'file.png', multiple: true, help: 'a PNG image to predict (repeat for several, one row each)' },
    format: { type: 'string', short: 'f', value: 'csv|json', help: 'output format [from --output\'s extension, else csv]' },
    output: { type: 'string', short: 'o', value: 'file', help: 'write the predictions to this file [stdout]' },
    'batch-size': { type: 'string', short: 'b', value: 'n', help: 'samples per batch [32]' },
  },
  examples: ['hebb predict runs/moons/model --csv points.csv', 'hebb predict runs/fashion-mnist/model --image shoe.png --image shirt.png', 'hebb predict runs/fashion-mnist/model --idx t10k-images-idx3-ubyte.gz --output predictions.json'],
  run: runPredict,
};

function imageFlags(args: ParsedArgs): string[] | undefined {
  const v = args.values['image'];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}

async function readInputs(args: ParsedArgs, recipe: DataRecipe | null, modelShape: () => readonly number[]): Promise<{ x: HostArray; name: string }> {
  const csv = stringFlag(args, 'csv');
  const idx = stringFlag(args, 'idx');
  const images = imageFlags(args);
  if ([csv, idx, images].filter((v) => v !== undefined).length !== 1) throw new UsageError('needs one input: --csv <file> or --idx <file>, or --image <file.png> (repeatable)');
  if (images !== undefined) return { x: await readPngBatch(images, recipe?.inputShape ?? modelShape()), name: images.join(', ') };
  if (csv !== undefined) {
    const t = await loadCsv(csv, recipe?.featureNames ? { columns: recipe.featureNames } : {});
    return { x: t.data, name: csv };
  }
  const path = idx as string;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new DatasetError(`${path}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DatasetError(`${path}: not a valid gzip file (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const dims = recipe !== null ? [null, ...recipe.inputShape] : [null, 28, 28];
  return { x: parseIdx(bytes, { name: path, dims }), name: path };
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function runPredict(args: ParsedArgs, io: CliIO): Promise<number> {
  const dir = args.positionals[0];
  if (dir === undefined) throw new UsageError('needs the model folder: hebb predict <model> --csv <file>');
  const output = stringFlag(args, 'output');
  const format = choiceFlag(args, 'format', ['csv', 'json'] as const) ?? (output !== undefined && extname(output).toLowerCase() === '.json' ? 'json' : 'csv');
  const batchSize = intFlag(args, 'batch-size', 1) ?? 32;
  const recipe = readRecipe(dir);
  const model = await loadModel(dir, { compile: false });
  const modelShape = (): readonly number[] => {
    const s = model.knownInputShapes();
    const one = s !== null && s.length === 1 ? s[0] : null;
    if (!one || one.slice(1).some((d) => d === null)) throw new CommandError(`${dir}: the model's input shape is not known (or it has several inputs); --image needs one input of a fixed size`);
    return one.slice(1) as number[];
  };
  let x: HostArray;
  try {
    ({ x } = await readInputs(args, recipe, modelShape));
  } catch (e) {
    model.dispose();
    throw e;
  }
  if (recipe === null) io.err(`hebb predict: ${dir} has no hebb-data.json; the inputs are used unscaled\n`);
  const inputs = recipe !== null ? applyScaling(recipe, x) : { data: Float32Array.from(x.data), shape: x.shape };
  const y = await model.predict(inputs, { batchSize });
  if (!(y instanceof Tensor)) {
    model.dispose();
    throw new UsageError(`${dir}: the model has several outputs; hebb predict handles one`);
  }
  const values = await y.data();
  const [n, k = 1] = y.shape as [number, number?];
  y.dispose();
  model.dispose();
  const classify = recipe !== null ? recipe.task === 'classification' : k > 1;
  const names = recipe?.classNames ?? Array.from({ length: k }, (_, c) => String(c));
  const rows: Record<string, number | string>[] = [];
  for (let i = 0; i < n; i++) {
    // float32 results, printed with the 7 significant digits a float32 holds
    const r = Array.from(values.subarray(i * k, (i + 1) * k), (v) => Number(Number(v).toPrecision(7)));
    if (classify) {
      let best = 0;
      r.forEach((p, c) => (p > (r[best] as number) ? (best = c) : 0));
      rows.push({ class: best, name: names[best] ?? String(best), ...Object.fromEntries(r.map((p, c) => [`p_${names[c] ?? c}`, p])) });
    } else rows.push(k === 1 ? { prediction: r[0] as number } : Object.fromEntries(r.map((v, c) => [`prediction_${c}`, v])));
  }
  let text: string;
  if (format === 'json') text = `${JSON.stringify(rows)}\n`;
  else {
    const header = Object.keys(rows[0] ?? (classify ? { class: 0, name: '' } : { prediction: 0 }));
    text = [header.map(csvCell).join(','), ...rows.map((r) => header.map((h) => csvCell(String(r[h]))).join(','))].join('\n') + '\n';
  }
  if (output !== undefined) {
    await writeFile(output, text);
    io.out(`wrote ${n} predictions to ${output}\n`);
  } else io.out(text);
  return EXIT_OK;
}
