/**
 * The datasets `hebb train --dataset <name>` knows: where each comes from (built in, or files
 * found through hb.datasets' search path), whether it is a classification or a regression,
 * and the training defaults the flags override. The image sets' defaults are the book's
 * ch. 10 classifier (Hands-On Machine Learning, 3rd ed.): Dense 300 and 100 relu, SGD at
 * Keras's default rate 0.01, 30 epochs, the last 5,000 training images for validation;
 * california-housing's are its ch. 10 regression MLP (three Dense 50 relu, Adam 1e-3, 20 epochs).
 */
import type { HostArray } from '../io/datasets/arrays.js';
import { CALIFORNIA_ARCHIVE, CALIFORNIA_CSV, CALIFORNIA_SOURCE, loadCaliforniaHousing } from '../io/datasets/california_housing.js';
import type { DatasetSource, RemoteFile } from '../io/datasets/files.js';
import { IRIS_FILE, IRIS_SOURCE, loadIris } from '../io/datasets/iris.js';
import { FASHION_MNIST, MNIST, loadFashionMnist, loadMnist, type ImageClassificationData } from '../io/datasets/mnist.js';
import { makeBlobs, makeCircles, makeCurve, makeMoons, makeSpirals } from '../io/tabular/synthetic.js';

export type Task = 'classification' | 'regression';

export interface TrainDefaults {
  readonly layers: readonly number[];
  readonly activation: string;
  readonly optimizer: string;
  /** undefined: the optimizer's own default (Keras's). */
  readonly learningRate?: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Fraction of the training rows (the last ones) held out for validation. */
  readonly validationSplit: number;
  /** Fraction of a table's rows split off (seeded) as the test set; image sets have their own. */
  readonly testSize: number;
}

/** A table: features [n, d] and one target per row (class ids, or values). */
export interface TableData {
  readonly kind: 'table';
  readonly x: HostArray<Float64Array>;
  readonly y: HostArray<Float64Array | Int32Array>;
  readonly featureNames: readonly string[];
  readonly targetName: string;
  readonly classNames: readonly string[] | null;
}

export interface ImageData {
  readonly kind: 'images';
  readonly data: ImageClassificationData;
}

export interface SyntheticOptions {
  readonly seed: number;
  /** --samples */
  readonly samples?: number;
  /** --noise */
  readonly noise?: number;
}

/** The files of a dataset, as `hebb datasets` lists them; `anyOf`: one of them suffices. */
export interface DatasetFiles {
  readonly source: DatasetSource;
  readonly files: readonly RemoteFile[];
  readonly anyOf?: boolean;
}

export interface DatasetEntry {
  readonly name: string;
  readonly summary: string;
  readonly task: Task;
  /** null for the built-in (synthetic) sets. */
  readonly files: DatasetFiles | null;
  readonly defaults: TrainDefaults;
  load(opts: SyntheticOptions): Promise<TableData | ImageData>;
}

const BOOK_CLASSIFIER: TrainDefaults = { layers: [300, 100], activation: 'relu', optimizer: 'sgd', epochs: 30, batchSize: 32, validationSplit: 5000 / 60000, testSize: 0 };
const SMALL: TrainDefaults = { layers: [16, 16], activation: 'relu', optimizer: 'adam', learningRate: 0.01, epochs: 20, batchSize: 32, validationSplit: 0.2, testSize: 0.2 };

function table(d: { data: HostArray<Float64Array>; target: HostArray<Float64Array | Int32Array>; featureNames: readonly string[] }, targetName: string, classNames: readonly string[] | null): TableData {
  return { kind: 'table', x: d.data, y: d.target, featureNames: d.featureNames, targetName, classNames };
}

const imageFiles = (s: typeof FASHION_MNIST): DatasetFiles => ({ source: s.source, files: [s.trainImages, s.trainLabels, s.testImages, s.testLabels] });

export const DATASETS: readonly DatasetEntry[] = [
  {
    name: 'moons',
    summary: 'two interleaving half circles, 2 features, 2 classes (makeMoons; default 1000 samples, noise 0.2)',
    task: 'classification',
    files: null,
    defaults: SMALL,
    load: async (o) => table(makeMoons({ nSamples: o.samples ?? 1000, noise: o.noise ?? 0.2, seed: o.seed }), 'class', ['0', '1']),
  },
  {
    name: 'circles',
    summary: 'a circle inside a circle, 2 features, 2 classes (makeCircles, factor 0.5; default 1000 samples, noise 0.1)',
    task: 'classification',
    files: null,
    defaults: SMALL,
    load: async (o) => table(makeCircles({ nSamples: o.samples ?? 1000, noise: o.noise ?? 0.1, factor: 0.5, seed: o.seed }), 'class', ['0', '1']),
  },
  {
    name: 'spirals',
    summary: 'three interleaved spiral arms, 2 features, 3 classes (makeSpirals; default 1500 samples, angle noise 0.2)',
    task: 'classification',
    files: null,
    defaults: { ...SMALL, layers: [64, 64], epochs: 40 },
    load: async (o) => table(makeSpirals({ nSamples: o.samples ?? 1500, nClasses: 3, noise: o.noise ?? 0.2, seed: o.seed }), 'class', ['0', '1', '2']),
  },
  {
    name: 'blobs',
    summary: 'three Gaussian clusters, 2 features, 3 classes (makeBlobs; default 1000 samples, clusterStd 1)',
    task: 'classification',
    files: null,
    defaults: SMALL,
    load: async (o) => table(makeBlobs({ nSamples: o.samples ?? 1000, clusterStd: o.noise ?? 1, seed: o.seed }), 'class', ['0', '1', '2']),
  },
  {
    name: 'curve',
    summary: 'a noisy sine, y = sin(x) + noise, 1 feature, regression (makeCurve; default 1000 samples, noise 0.1)',
    task: 'regression',
    files: null,
    defaults: { ...SMALL, layers: [32, 32], epochs: 40 },
    load: async (o) => table(makeCurve({ nSamples: o.samples ?? 1000, noise: o.noise ?? 0.1, seed: o.seed }), 'y', null),
  },
  {
    name: 'iris',
    summary: "Fisher's iris, 150 flowers, 4 features, 3 classes (sklearn-small/iris.csv)",
    task: 'classification',
    files: { source: IRIS_SOURCE, files: [IRIS_FILE] },
    defaults: { ...SMALL, layers: [16], epochs: 100, batchSize: 16 },
    load: async () => {
      const d = await loadIris({ download: false });
      return table(d, 'species', d.targetNames);
    },
  },
  {
    name: 'california-housing',
    summary: 'California districts, 20,640 rows, 8 features, median house value in $100,000 (regression)',
    task: 'regression',
    files: { source: CALIFORNIA_SOURCE, files: [CALIFORNIA_CSV, CALIFORNIA_ARCHIVE], anyOf: true },
    defaults: { layers: [50, 50, 50], activation: 'relu', optimizer: 'adam', learningRate: 1e-3, epochs: 20, batchSize: 32, validationSplit: 0.2, testSize: 0.2 },
    load: async () => {
      const d = await loadCaliforniaHousing();
      return table(d, d.targetName, null);
    },
  },
  {
    name: 'fashion-mnist',
    summary: 'Fashion-MNIST, 60,000 + 10,000 28x28 grayscale images of clothing, 10 classes',
    task: 'classification',
    files: imageFiles(FASHION_MNIST),
    defaults: BOOK_CLASSIFIER,
    load: async () => ({ kind: 'images', data: await loadFashionMnist() }),
  },
  {
    name: 'mnist',
    summary: 'MNIST digits, 60,000 + 10,000 28x28 grayscale images, 10 classes',
    task: 'classification',
    files: imageFiles(MNIST),
    defaults: BOOK_CLASSIFIER,
    load: async () => ({ kind: 'images', data: await loadMnist() }),
  },
];

/** Defaults for a user's CSV (`--csv`): a small MLP trained with Adam. */
export const CSV_DEFAULTS: TrainDefaults = { layers: [32, 32], activation: 'relu', optimizer: 'adam', learningRate: 1e-3, epochs: 30, batchSize: 32, validationSplit: 0.2, testSize: 0.2 };

export function findDataset(name: string): DatasetEntry | undefined {
  return DATASETS.find((d) => d.name === name);
}

export const DATASET_NAMES: readonly string[] = DATASETS.map((d) => d.name);
