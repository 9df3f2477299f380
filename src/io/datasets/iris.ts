/**
 * Fisher's iris (scikit-learn's `load_iris`): 150 flowers, 4 features in cm, 3 classes of
 * 50 (0 setosa, 1 versicolor, 2 virginica). Read from the shared `sklearn-small/iris.csv`
 * (header line + 150 rows). scikit-learn ships this file inside its package rather than
 * downloading it, so there is no canonical URL: a missing file is an error unless `baseUrl`
 * names a mirror serving `iris.csv` (its sha256 is checked).
 */
import { readFile } from 'node:fs/promises';
import { type HostArray } from './arrays.js';
import { parseNumericCsv, splitLastColumn } from './csv.js';
import { DATASET_OPTIONS, DatasetError, resolveFile, type DatasetOptions, type DatasetSource, type RemoteFile } from './files.js';
import { checkOptions } from '../../core/options.js';

export const IRIS_FEATURES = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'] as const;
export const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'] as const;

export const IRIS_SOURCE: DatasetSource = { folder: 'sklearn-small', baseUrl: '' };
export const IRIS_FILE: RemoteFile = { name: 'iris.csv', sha256: '4ee430a62e58386cb7db10bc5b725c93b664dd2fe1a036284b8e9ea3f7ed1a93' };

export interface ClassificationTable {
  readonly data: HostArray<Float64Array>;
  readonly target: HostArray<Int32Array>;
  readonly featureNames: readonly string[];
  readonly targetNames: readonly string[];
}

export async function loadIris(opts: DatasetOptions = {}): Promise<ClassificationTable> {
  checkOptions('loadIris', opts, DATASET_OPTIONS);
  const path = await resolveFile(IRIS_SOURCE, IRIS_FILE, opts);
  const csv = parseNumericCsv(await readFile(path, 'utf8'), path, [...IRIS_FEATURES, 'target']);
  if (csv.rows !== 150) throw new DatasetError(`${path}: expected 150 rows, received ${csv.rows}`);
  const { x, y, features } = splitLastColumn(csv);
  const target = new Int32Array(csv.rows);
  for (let i = 0; i < csv.rows; i++) {
    const v = y[i] as number;
    if (!Number.isInteger(v) || v < 0 || v > 2) throw new DatasetError(`${path}: target ${v} on line ${i + 2} is not 0, 1 or 2`);
    target[i] = v;
  }
  return {
    data: { data: x, shape: [csv.rows, features] },
    target: { data: target, shape: [csv.rows] },
    featureNames: IRIS_FEATURES,
    targetNames: IRIS_CLASSES,
  };
}
