import { runConformance } from '../../../testing/conformance/conformance.js';
import { CpuBackend } from './cpu_backend.js';

runConformance('cpu', () => new CpuBackend());
