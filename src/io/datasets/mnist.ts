/**
 * MNIST digits and Fashion-MNIST, as Keras's `load_data()` gives them: 60,000 training and
 * 10,000 test images of 28×28 uint8 pixels (0 = background, 255 = ink; scaling is left to the
 * user, as in the book: `x / 255`) and uint8 labels 0-9.
 */
import { readFile } from 'node:fs/promises';
import { type HostArray } from './arrays.js';
import { DATASET_OPTIONS, DatasetError, resolveFile, type DatasetOptions, type DatasetSource, type RemoteFile } from './files.js';
import { checkOptions } from '../../core/options.js';
import { parseIdxGz } from './idx.js';

export interface ImageClassificationData {
  readonly xTrain: HostArray<Uint8Array>;
  readonly yTrain: HostArray<Uint8Array>;
  readonly xTest: HostArray<Uint8Array>;
  readonly yTest: HostArray<Uint8Array>;
  readonly classNames: readonly string[];
}

interface IdxSet {
  readonly source: DatasetSource;
  readonly trainImages: RemoteFile;
  readonly trainLabels: RemoteFile;
  readonly testImages: RemoteFile;
  readonly testLabels: RemoteFile;
  readonly classNames: readonly string[];
}

// The sha256 sums are those of the official files (listed in ../shared/datasets/README.md,
// whose copies are byte-identical to the releases). Fashion-MNIST's URL is the one Keras
// downloads from; MNIST's is the mirror torchvision uses (the original site needs a login).
export const FASHION_MNIST: IdxSet = {
  source: { folder: 'fashion-mnist', baseUrl: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/' },
  trainImages: { name: 'train-images-idx3-ubyte.gz', sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84' },
  trainLabels: { name: 'train-labels-idx1-ubyte.gz', sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845' },
  testImages: { name: 't10k-images-idx3-ubyte.gz', sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073' },
  testLabels: { name: 't10k-labels-idx1-ubyte.gz', sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5' },
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

export const MNIST: IdxSet = {
  source: { folder: 'mnist', baseUrl: 'https://ossci-datasets.s3.amazonaws.com/mnist/' },
  trainImages: { name: 'train-images-idx3-ubyte.gz', sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
  trainLabels: { name: 'train-labels-idx1-ubyte.gz', sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
  testImages: { name: 't10k-images-idx3-ubyte.gz', sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
  testLabels: { name: 't10k-labels-idx1-ubyte.gz', sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
};

async function loadPart(set: IdxSet, images: RemoteFile, labels: RemoteFile, count: number, opts: DatasetOptions) {
  const [imgPath, lblPath] = await Promise.all([resolveFile(set.source, images, opts), resolveFile(set.source, labels, opts)]);
  const x = parseIdxGz(await readFile(imgPath), { name: imgPath, dims: [count, 28, 28] });
  const y = parseIdxGz(await readFile(lblPath), { name: lblPath, dims: [count] });
  const k = set.classNames.length;
  for (let i = 0; i < y.data.length; i++) {
    const v = y.data[i] as number;
    if (v >= k) throw new DatasetError(`${lblPath}: label ${v} at index ${i} is outside 0-${k - 1}`);
  }
  return { x, y };
}

/** Loads an IDX image-classification set (MNIST layout) from disk or a download. */
export async function loadIdxSet(set: IdxSet, opts: DatasetOptions = {}): Promise<ImageClassificationData> {
  checkOptions('loadIdxSet', opts, DATASET_OPTIONS);
  const train = await loadPart(set, set.trainImages, set.trainLabels, 60000, opts);
  const test = await loadPart(set, set.testImages, set.testLabels, 10000, opts);
  return { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y, classNames: set.classNames };
}

/** Fashion-MNIST (Zalando, MIT license): 10 classes of clothing. */
export async function loadFashionMnist(opts: DatasetOptions = {}): Promise<ImageClassificationData> {
  checkOptions('loadFashionMnist', opts, DATASET_OPTIONS);
  return loadIdxSet(FASHION_MNIST, opts);
}

/** MNIST handwritten digits (LeCun, Cortes; CC BY-SA 3.0). */
export async function loadMnist(opts: DatasetOptions = {}): Promise<ImageClassificationData> {
  checkOptions('loadMnist', opts, DATASET_OPTIONS);
  return loadIdxSet(MNIST, opts);
}
