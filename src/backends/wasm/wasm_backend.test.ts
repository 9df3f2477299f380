import { runConformance } from '../../../testing/conformance/conformance.js';
import { WasmBackend } from './wasm_backend.js';

runConformance('wasm', () => new WasmBackend());
