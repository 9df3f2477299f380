/**
 * The `callbacks` namespace as src/index.ts (Node) exports it: the browser's (index.ts) plus
 * TensorBoard, which stays out of the browser bundle because its protobufjs schema would add
 * ~120 kB (minified) to every page for a callback that needs a file system to work, and
 * BackupAndRestore, which writes its backups with node:fs.
 */
export * from './index.js';
export { TensorBoard, tensorBoard, type TensorBoardOptions } from './tensorboard.js';
export { BackupAndRestore, backupAndRestore, type BackupAndRestoreOptions } from './backup_and_restore.js';
