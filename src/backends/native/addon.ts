/**
 * Finding and loading the native backend's addon (build/Release/hebb_native.node, built by
 * scripts/build-native.mjs on install). Node-only: the browser bundle never reaches this file
 * (backends/native/register.ts is imported by src/index.ts, not src/browser.ts).
 *
 * The .node file is looked up from the package root: the nearest folder above this module whose
 * package.json names "hebb". That holds in the repository (dist/src/backends/native/...), in an
 * installed package (node_modules/hebb/dist/...), and for the TypeScript sources. The
 * HEBB_NATIVE_PATH environment variable names another file (tests use a missing one to run
 * as if the addon was never built).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions addon.cc exports. Kernels read their operands from the shared descriptor. */
export interface NativeAddon {
  /** Shares the descriptor with C++; returns the GEMM kernel in use ("avx512", "avx2", "portable"). */
  init(desc: ArrayBuffer): string;
  /** A 64-byte-aligned block as an external ArrayBuffer; its address and record land in desc[0], desc[1]. */
  alloc(bytes: number): ArrayBuffer;
  free(ab: ArrayBuffer, block: number): void;
  fill(): number;
  copy(): number;
  cast(): number;
  unary(): number;
  binary(): number;
  where(): number;
  reduce(): number;
  matmul(): number;
  gather(): number;
  scatterAdd(): number;
  randomUniform(): number;
  fusedDefine(): number;
  /** 0, or fused.cc's kAskBase + k: the interpreter ran enough of variant k to compile it. */
  fused(): number;
  matmulFused(): number;
  /** Descriptor: compile-after elements (negative: never), use compiled variants (0/1). */
  fusedConfig(): number;
  /** Attaches a compiled variant from a shared library: "" or why it could not. */
  fusedLoad(id: number, key: number, path: string): string;
  softmax(): number;
  softmaxGrad(): number;
  sparseCrossentropy(): number;
  sparseCrossentropyGrad(): number;
}

/** The nearest folder at or above `from` whose package.json is hebb's, or null. */
export function packageRoot(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'hebb') return dir;
      } catch {
        // An unreadable package.json is not ours: keep looking.
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

/** Where the addon is expected: HEBB_NATIVE_PATH, else build/Release/hebb_native.node under the package root. */
export function addonPath(): string {
  const env = process.env['HEBB_NATIVE_PATH'];
  if (env) return env;
  return join(hebbRoot(), 'build', 'Release', 'hebb_native.node');
}

/** The package's root folder (native/src, build/ and dist/ are under it). */
export function hebbRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return packageRoot(here) ?? join(here, '..', '..', '..', '..');
}

let cached: { addon: NativeAddon } | { error: string } | undefined;

/** The loaded addon, or the reason it cannot be loaded (tried once per process). */
export function loadAddon(): { addon: NativeAddon } | { error: string } {
  if (cached) return cached;
  const path = addonPath();
  if (!existsSync(path)) {
    cached = { error: `the addon ${path} is missing (npm run build:native builds it; it needs a C++ compiler)` };
    return cached;
  }
  try {
    const require = createRequire(import.meta.url);
    cached = { addon: require(path) as NativeAddon };
  } catch (e) {
    cached = { error: `the addon ${path} failed to load: ${e instanceof Error ? e.message : String(e)}` };
  }
  return cached;
}

/** Why the native backend cannot run in this process, or null when it can. */
export function nativeUnavailable(): string | null {
  const r = loadAddon();
  return 'error' in r ? r.error : null;
}
