/**
 * California housing in scikit-learn's `fetch_california_housing` form (the book's ch. 10
 * regression set): 20,640 districts, 8 features, target MedHouseVal in units of $100,000.
 *
 * Sources, folder by folder in the usual search order (files.ts): `california_housing.csv`
 * (header + rows in that form, as in ../shared/datasets), else scikit-learn's raw archive
 * `cal_housing.tgz`. When neither is found, the archive is downloaded into the cache from
 * the URL scikit-learn uses (figshare) and checked against scikit-learn's sha256, then
 * converted as scikit-learn does (`fromRawCalHousing`).
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { type HostArray } from './arrays.js';
import { splitLastColumn, parseNumericCsv } from './csv.js';
import { DATASET_OPTIONS, DatasetError, findLocal, resolveFile, type DatasetOptions, type DatasetSource, type RemoteFile } from './files.js';
import { checkOptions } from '../../core/options.js';
import { tarMember } from './tar.js';

export const CALIFORNIA_FEATURES = ['MedInc', 'HouseAge', 'AveRooms', 'AveBedrms', 'Population', 'AveOccup', 'Latitude', 'Longitude'] as const;

export const CALIFORNIA_SOURCE: DatasetSource = { folder: 'california-housing', baseUrl: '' };
export const CALIFORNIA_CSV: RemoteFile = { name: 'california_housing.csv', sha256: '94ef369b909f5c725340b512b7c9a05c1550a554b6592d29303990e3ba521a1f' };
/** scikit-learn's ARCHIVE (sklearn/datasets/_california_housing.py). */
export const CALIFORNIA_ARCHIVE: RemoteFile = {
  name: 'cal_housing.tgz',
  sha256: 'aaa5c9a6afe2225cc2aed2723682ae403280c4a3695a2ddda4ffb5d8215ea681',
  url: 'https://ndownloader.figshare.com/files/5976036',
};
const ARCHIVE_MEMBER = 'CaliforniaHousing/cal_housing.data';

export interface RegressionData {
  /** [samples, features], float64. */
  readonly data: HostArray<Float64Array>;
  /** [samples] */
  readonly target: HostArray<Float64Array>;
  readonly featureNames: readonly string[];
  readonly targetName: string;
}

function result(x: Float64Array, y: Float64Array): RegressionData {
  return {
    data: { data: x, shape: [y.length, 8] },
    target: { data: y, shape: [y.length] },
    featureNames: CALIFORNIA_FEATURES,
    targetName: 'MedHouseVal',
  };
}

/**
 * scikit-learn's conversion of the raw StatLib rows (longitude, latitude, housingMedianAge,
 * totalRooms, totalBedrooms, population, households, medianIncome, medianHouseValue; no
 * header): MedInc = income, HouseAge = age, AveRooms = rooms/households, AveBedrms =
 * bedrooms/households, Population, AveOccup = population/households, Latitude, Longitude;
 * target = value / 100000. Float64, in the same operation order, so the values are identical.
 */
export function fromRawCalHousing(text: string, name: string): RegressionData {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const n = lines.length;
  const x = new Float64Array(n * 8);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cells = (lines[i] as string).split(',');
    if (cells.length !== 9) throw new DatasetError(`${name}: line ${i + 1} has ${cells.length} fields, expected 9`);
    const v = cells.map(Number);
    v.forEach((c, j) => {
      if (!Number.isFinite(c)) throw new DatasetError(`${name}: line ${i + 1}, field ${j + 1}: "${cells[j]}" is not a finite number`);
    });
    const [lon, lat, age, rooms, bedrooms, population, households, income, value] = v as [number, number, number, number, number, number, number, number, number];
    x.set([income, age, rooms / households, bedrooms / households, population, population / households, lat, lon], i * 8);
    y[i] = value / 100000;
  }
  return result(x, y);
}

/** Reads `CaliforniaHousing/cal_housing.data` out of scikit-learn's cal_housing.tgz bytes. */
export function fromCalHousingArchive(tgz: Uint8Array, name: string): RegressionData {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(tgz);
  } catch (e) {
    throw new DatasetError(`${name}: not a valid gzip file (${e instanceof Error ? e.message : String(e)})`);
  }
  return fromRawCalHousing(new TextDecoder().decode(tarMember(tar, ARCHIVE_MEMBER, name)), `${name}:${ARCHIVE_MEMBER}`);
}

export async function loadCaliforniaHousing(opts: DatasetOptions = {}): Promise<RegressionData> {
  checkOptions('loadCaliforniaHousing', opts, DATASET_OPTIONS);
  const found = findLocal(CALIFORNIA_SOURCE, [CALIFORNIA_CSV, CALIFORNIA_ARCHIVE], opts);
  let out: RegressionData;
  let path: string;
  if (found !== null && found.file === CALIFORNIA_CSV) {
    path = found.path;
    const csv = parseNumericCsv(await readFile(path, 'utf8'), path, [...CALIFORNIA_FEATURES, 'MedHouseVal']);
    const { x, y } = splitLastColumn(csv);
    out = result(x, y);
  } else {
    path = found !== null ? found.path : await resolveFile(CALIFORNIA_SOURCE, CALIFORNIA_ARCHIVE, opts);
    out = fromCalHousingArchive(await readFile(path), path);
  }
  if (out.target.data.length !== 20640) throw new DatasetError(`${path}: expected 20640 rows, received ${out.target.data.length}`);
  return out;
}
