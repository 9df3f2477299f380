/**
 * Node's file-system modules for the callbacks that write files (TensorBoard, CSVLogger),
 * reached at run time through `process.getBuiltinModule` rather than imported: these
 * callbacks are part of the browser bundle's `callbacks` namespace, which must not import
 * node: modules (scripts/build-browser.mjs fails on one). In a page they throw when used.
 */
import { ValueError } from '../core/errors.js';

export interface NodeHost {
  fs: typeof import('node:fs/promises');
  path: typeof import('node:path');
  os: typeof import('node:os');
}

export function nodeHost(who: string): NodeHost {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') {
    throw new ValueError(`${who}: writing files needs Node.js 20.16 or later (process.getBuiltinModule); this runtime has neither`);
  }
  return {
    fs: process.getBuiltinModule('node:fs/promises'),
    path: process.getBuiltinModule('node:path'),
    os: process.getBuiltinModule('node:os'),
  };
}
