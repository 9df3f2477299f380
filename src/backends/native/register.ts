/**
 * Adds the native backend to the built-in list (priority 2: the default where its addon loads).
 * Imported by src/index.ts, hebb's Node entry, and not by src/browser.ts: this file reaches
 * node:module through addon.ts, which the browser bundle must not contain. Registering is
 * cheap; the addon is loaded when the engine first seeds its registry.
 */
import { addBuiltinBackend } from '../index.js';
import { nativeUnavailable } from './addon.js';
import { NativeBackend } from './native_backend.js';

addBuiltinBackend({ name: 'native', priority: 2, factory: () => new NativeBackend(), unavailable: nativeUnavailable });
