/** In-memory tabular data: synthetic sets, CSV tables, splitting, scaling, one-hot (exported under `hb.datasets`). */
export { makeMoons, makeCircles, makeBlobs, makeSpirals, makeCurve, type MakeMoonsOptions, type MakeCirclesOptions, type MakeBlobsOptions, type MakeSpiralsOptions, type MakeCurveOptions } from './synthetic.js';
export { loadCsv, parseCsvTable, csvRecords, type CsvTable, type CsvTableOptions, type CsvRecord } from './csv_table.js';
export { trainTestSplit, type TrainTestSplit } from './split.js';
export { StandardScaler, type StandardScalerState } from './scaler.js';
export { toCategorical } from './one_hot.js';
