/**
 * Dataset loaders (`hb.datasets.loadFashionMnist()`, ...) and small helpers on the host
 * arrays they return.
 */
export { toTensor, sliceRows, takeRows, column, trainTestSplitIndices, type HostArray, type SplitOptions } from './arrays.js';
export { DatasetError, downloadFile, resolveFile, findLocal, searchDirs, defaultCacheDir, type DatasetOptions, type DownloadOptions, type RemoteFile, type DatasetSource } from './files.js';
export { parseIdx, parseIdxGz, type IdxExpectation } from './idx.js';
export { loadFashionMnist, loadMnist, FASHION_MNIST, MNIST, type ImageClassificationData } from './mnist.js';
export { loadCaliforniaHousing, fromRawCalHousing, fromCalHousingArchive, CALIFORNIA_FEATURES, CALIFORNIA_SOURCE, CALIFORNIA_ARCHIVE, CALIFORNIA_CSV, type RegressionData } from './california_housing.js';
export { tarMember } from './tar.js';
export { loadIris, IRIS_FEATURES, IRIS_CLASSES, IRIS_SOURCE, IRIS_FILE, type ClassificationTable } from './iris.js';
export * from '../tabular/index.js';
