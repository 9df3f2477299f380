/**
 * Compiles the fused programs that run often (docs/NATIVE.md, "Compiled fused programs"): the
 * addon interprets a program until a variant of it has run enough elements, then asks for it
 * (fused.cc); this writes the variant's C++ (fused_codegen.ts), builds it with the machine's
 * compiler into a shared library and attaches it. Until then, and whenever anything fails, the
 * interpreter runs: the results are the same bits either way, only the speed differs.
 *
 * Modes (HEBB_NATIVE_COMPILE): `async` (the default) builds in a background process while
 * training goes on; `sync` builds on a variant's first call (tests use it to check every
 * compiled op); `off` never compiles. Libraries are cached by a hash of their source, the
 * compiler command, ops.h and the CPU, beside the addon (build/fused/) or, where that is not
 * writable, in a per-user folder under the system's temporary directory; a cached library is
 * loaded without compiling. A build writes a temporary file renamed into place when complete,
 * so a process never loads a half-written library, even if the one that started the build
 * exited meanwhile.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { FusedProgram } from '../backend.js';
import { BackendError } from '../../core/errors.js';
import type { NativeAddon } from './addon.js';
import { addonPath, hebbRoot } from './addon.js';
import { decodeVariant, fusedSource } from './fused_codegen.js';

export type FusedCompileMode = 'async' | 'sync' | 'off';

/** Elements a variant runs in the interpreter before async mode builds it (~4 Adam steps of the book's MLP). */
export const COMPILE_AFTER_ELEMENTS = 1 << 20;

/** Where a build failed or was skipped, per program variant (for debugging). */
export interface FusedCompileFailure {
  readonly program: string;
  readonly variant: number;
  readonly reason: string;
}

export interface FusedCompileStatus {
  readonly mode: FusedCompileMode;
  /** Variants attached (built now or loaded from the cache). */
  readonly compiled: number;
  /** Builds running in the background. */
  readonly pending: number;
  readonly failures: readonly FusedCompileFailure[];
  /** The folder holding the built libraries (null: none found writable). */
  readonly cacheDir: string | null;
}

const FLAGS = ['-std=c++17', '-O3', '-march=native', '-ffp-contract=off', '-fno-fast-math', '-fno-math-errno', '-fPIC', '-shared', '-w'];

export function compileModeFromEnv(): FusedCompileMode {
  const v = process.env['HEBB_NATIVE_COMPILE'];
  if (v === undefined || v === '' || v === 'async') return 'async';
  if (v === 'sync' || v === 'off') return v;
  throw new BackendError(`HEBB_NATIVE_COMPILE: expected "async", "sync" or "off", received "${v}"`);
}

/** The folder with ops.h (the package ships native/src). */
function sourceDir(): string {
  return join(hebbRoot(), 'native', 'src');
}

function writable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class FusedCompiler {
  private mode: FusedCompileMode;
  private compiledCount = 0;
  /** Background builds by hash: the library they will write and how to attach it. */
  private readonly running = new Map<string, { lib: string; attach: () => void }>();
  private lastPoll = 0;
  private readonly failures: FusedCompileFailure[] = [];
  private cacheDirMemo: string | null | undefined;
  private opsHash: string | undefined;

  /** `config(after, useCompiled)` passes the addon its settings (kFusedConfig). */
  constructor(private readonly k: NativeAddon, private readonly config: (after: number, useCompiled: boolean) => void, mode: FusedCompileMode) {
    this.mode = mode;
    this.configure();
  }

  setMode(mode: FusedCompileMode): void {
    this.mode = mode;
    this.configure();
  }

  /**
   * Attaches the background builds whose library has appeared. The backend calls it from
   * `fused` while builds run, as a training loop that never yields to the event loop would
   * otherwise see a build's exit event only when it ends; at most one check per 20 ms.
   */
  poll(): void {
    if (this.running.size === 0) return;
    const now = performance.now();
    if (now - this.lastPoll < 20) return;
    this.lastPoll = now;
    for (const [hash, b] of this.running) {
      if (existsSync(b.lib)) {
        this.running.delete(hash);
        b.attach();
      }
    }
  }

  get pending(): number {
    return this.running.size;
  }

  status(): FusedCompileStatus {
    return { mode: this.mode, compiled: this.compiledCount, pending: this.running.size, failures: [...this.failures], cacheDir: this.cacheDir() };
  }

  /** Tells the addon when to ask (never on Windows: no dlopen, no sh). */
  private configure(): void {
    // An addon built before compiled programs existed has neither entry point: it interprets.
    if (typeof this.k.fusedConfig !== 'function' || typeof this.k.fusedLoad !== 'function') {
      this.mode = 'off';
      return;
    }
    const after = this.mode === 'off' || process.platform === 'win32' ? -1 : this.mode === 'sync' ? 0 : COMPILE_AFTER_ELEMENTS;
    this.config(after, this.mode !== 'off');
  }

  private cacheDir(): string | null {
    if (this.cacheDirMemo !== undefined) return this.cacheDirMemo;
    const beside = join(dirname(dirname(addonPath())), 'fused');
    let uid = 'user';
    try {
      uid = String(userInfo().uid);
    } catch {
      // no user record (some containers): a shared name, still private by its mode
    }
    const temp = join(tmpdir(), `hebb-fused-${uid}`);
    this.cacheDirMemo = writable(beside) ? beside : writable(temp) ? temp : null;
    return this.cacheDirMemo;
  }

  private compiler(): string {
    return process.env['CXX'] || 'c++';
  }

  /** Called by the backend when the addon asks for variant `key` of program `id`. */
  request(id: number, program: FusedProgram, key: number): void {
    if (this.mode === 'off') return;
    const fail = (reason: string): void => {
      this.failures.push({ program: program.key.slice(0, 120), variant: key, reason });
    };
    const dir = this.cacheDir();
    if (!dir) return fail('no writable folder for the compiled libraries');
    const src = fusedSource(program, decodeVariant(key, program.inputs));
    const inc = sourceDir();
    if (this.opsHash === undefined) {
      try {
        this.opsHash = createHash('sha256').update(readFileSync(join(inc, 'ops.h'))).digest('hex');
      } catch (e) {
        return fail(`cannot read ${join(inc, 'ops.h')}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const cxx = this.compiler();
    const hash = createHash('sha256').update([src, cxx, FLAGS.join(' '), this.opsHash, cpus()[0]?.model ?? '', process.arch].join('\0')).digest('hex').slice(0, 32);
    const lib = join(dir, `${hash}.so`);
    const attach = (): void => {
      const err = this.k.fusedLoad(id, key, lib);
      if (err) fail(err);
      else this.compiledCount++;
    };
    if (existsSync(lib)) return attach();
    // Per build: processes building the same library at once each write their own files.
    const tmp = join(dir, `${hash}.${process.pid}.${Date.now()}.tmp`);
    const cc = `${tmp}.cc`;
    try {
      writeFileSync(cc, src, { mode: 0o600 });
    } catch (e) {
      return fail(`cannot write ${cc}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const args = [...FLAGS, '-I', inc, cc, '-o', tmp];
    if (this.mode === 'sync') {
      const r = spawnSync(cxx, args, { encoding: 'utf8', timeout: 120_000 });
      for (const f of r.status === 0 ? [cc] : [cc, tmp]) {
        try {
          unlinkSync(f);
        } catch {
          // not written
        }
      }
      if (r.status !== 0) return fail(`${cxx} failed: ${r.error?.message ?? (r.stderr || '').trim().slice(0, 400)}`);
      renameSync(tmp, lib);
      return attach();
    }
    // The shell renames the finished library itself, so the rename happens even if this process
    // has exited (the build is unref'd: it never keeps a script alive).
    const log = `${tmp}.log`;
    const script = `${[cxx, ...args].map(quote).join(' ')} 2> ${quote(log)} && mv -f ${quote(tmp)} ${quote(lib)} && rm -f ${quote(log)} ${quote(cc)} || { rm -f ${quote(tmp)} ${quote(cc)}; exit 1; }`;
    const child = spawn('sh', ['-c', script], { stdio: 'ignore' });
    this.running.set(hash, { lib, attach });
    child.on('error', (e) => {
      if (this.running.delete(hash)) fail(`cannot start sh: ${e.message}`);
    });
    child.on('exit', (code) => {
      // Already attached by poll: nothing left to do.
      if (!this.running.delete(hash)) return;
      if (code === 0 && existsSync(lib)) return attach();
      let why = '';
      try {
        why = readFileSync(log, 'utf8').trim().slice(0, 400);
        unlinkSync(log);
      } catch {
        // no log: sh itself failed
      }
      fail(`${cxx} failed (exit ${code}): ${why}`);
    });
    child.unref();
  }
}
