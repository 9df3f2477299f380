import { runConformance } from '../conformance.js';
import { CpuBackend } from './cpu_backend.js';

runConformance('cpu', () => new CpuBackend());
