import { runConformance } from '../conformance.js';
import { WasmBackend } from './wasm_backend.js';

runConformance('wasm', () => new WasmBackend());
