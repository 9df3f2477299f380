/**
 * California housing in scikit-learn's `fetch_california_housing` form (the book's ch. 10
 * regression set): 20,640 districts, 8 features, target MedHouseVal in units of $100,000.
 * The file is the shared `california_housing.csv` (header + 20,640 rows, StatLib order).
 *
 * Download: scikit-learn builds this table from StatLib's `cal_housing.tgz`; there is no
 * canonical URL for the CSV itself, so `baseUrl` must point at a mirror that serves
 * `california_housing.csv` (its sha256 is still checked) — without one, a missing file is
 * an error that says where it was looked for.
 */
import { readFile } from 'node:fs/promises';
import { type HostArray } from './arrays.js';
import { splitLastColumn, parseNumericCsv } from './csv.js';
import { DatasetError, resolveFile, type DatasetOptions, type DatasetSource, type RemoteFile } from './files.js';

export const CALIFORNIA_FEATURES = ['MedInc', 'HouseAge', 'AveRooms', 'AveBedrms', 'Population', 'AveOccup', 'Latitude', 'Longitude'] as const;

const SOURCE: DatasetSource = { folder: 'california-housing', baseUrl: '' };
const FILE: RemoteFile = { name: 'california_housing.csv', sha256: '94ef369b909f5c725340b512b7c9a05c1550a554b6592d29303990e3ba521a1f' };

export interface RegressionData {
  /** [samples, features], float64 exactly as written in the file. */
  readonly data: HostArray<Float64Array>;
  /** [samples] */
  readonly target: HostArray<Float64Array>;
  readonly featureNames: readonly string[];
  readonly targetName: string;
}

export async function loadCaliforniaHousing(opts: DatasetOptions = {}): Promise<RegressionData> {
  const path = await resolveFile(SOURCE, FILE, opts);
  const csv = parseNumericCsv(await readFile(path, 'utf8'), path, [...CALIFORNIA_FEATURES, 'MedHouseVal']);
  if (csv.rows !== 20640) throw new DatasetError(`${path}: expected 20640 rows, received ${csv.rows}`);
  const { x, y, features } = splitLastColumn(csv);
  return {
    data: { data: x, shape: [csv.rows, features] },
    target: { data: y, shape: [csv.rows] },
    featureNames: CALIFORNIA_FEATURES,
    targetName: 'MedHouseVal',
  };
}
