/**
 * The documentation's code, checked (test/snippets.test.ts runs this on README.md and
 * docs/*.md).
 *
 * What is checked:
 *  - every ```ts block: a complete ES module (`import * as hb from 'hebb'`, top-level await
 *    allowed);
 *  - the inline `<script type="module">` of every ```html block: a page that imports the
 *    browser bundle as `./hebb.js` (typed by src/browser.ts, run against dist/browser/hebb.js).
 * Other blocks (```sh, ```js fragments, plain ```) are prose and are not checked.
 *
 * A marker on the line before a block's fence says how to check it:
 *    <!-- snippet: compile-only -->   type-check it but do not run it (a 30-epoch fit)
 * Without one, a snippet is type-checked and then run, and must exit cleanly.
 *
 * All snippets are written into one temporary folder (a `"type": "module"` package whose
 * node_modules/hebb is a link to the repository, so `'hebb'` resolves through package.json's
 * exports to the built dist/, as it does for a user) and type-checked as one TypeScript program
 * with the repository's tsconfig.json options (strict, noUncheckedIndexedAccess, NodeNext).
 * Errors are reported at their line in the markdown file.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export type SnippetKind = 'ts' | 'page';

export interface Snippet {
  /** The markdown file, relative to the repository root ('README.md', 'docs/BROWSER.md'). */
  readonly file: string;
  /** 1-based line in `file` of the snippet's first line of code. */
  readonly line: number;
  readonly code: string;
  readonly kind: SnippetKind;
  readonly compileOnly: boolean;
}

const MARKER = /^<!--\s*snippet:\s*(.*?)\s*-->$/;
// A backtick fence's info string has no backticks (CommonMark), so a line that starts with
// inline code such as ```` ```ts ```` opens nothing.
const FENCE = /^(`{3,}(?=[^`]*$)|~{3,})\s*([\w-]*)/;

/** The checked snippets of one markdown file, in order. */
export function extractSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  let prev = '';
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec((lines[i] as string).trim());
    if (!open) {
      if ((lines[i] as string).trim() !== '') prev = (lines[i] as string).trim();
      continue;
    }
    const fence = open[1] as string;
    const lang = open[2] as string;
    const marker = MARKER.exec(prev);
    if (marker && marker[1] !== 'compile-only') {
      throw new Error(`${file}:${i}: unknown snippet marker "${marker[1]}" (expected "compile-only")`);
    }
    let end = i + 1;
    while (end < lines.length && !(lines[end] as string).trim().startsWith(fence)) end++;
    if (end === lines.length) throw new Error(`${file}:${i + 1}: code block never closed`);
    const body = lines.slice(i + 1, end);
    const compileOnly = marker !== null;
    if (lang === 'ts') {
      out.push({ file, line: i + 2, code: body.join('\n'), kind: 'ts', compileOnly });
    } else if (lang === 'html') {
      const s = body.findIndex((l) => /<script\s+type="module">\s*$/.test(l));
      const e = body.findIndex((l, k) => k > s && /^\s*<\/script>/.test(l));
      if (s >= 0 && e > s) out.push({ file, line: i + 2 + s + 1, code: body.slice(s + 1, e).join('\n'), kind: 'page', compileOnly });
    } else if (marker) {
      throw new Error(`${file}:${i + 1}: a snippet marker before a \`\`\`${lang} block, which is not checked`);
    }
    prev = '';
    i = end;
  }
  return out;
}

/**
 * The file a snippet is written to: README.md line 22 -> README_md_22.ts. A page's script is
 * JavaScript (a browser runs it as written), so it is written as .js and checked as JavaScript
 * (checkJs): TypeScript syntax in it is an error.
 */
function fileName(s: Snippet): string {
  return `${s.file.replace(/[^\w]/g, '_')}_${s.line}.${s.kind === 'page' ? 'js' : 'ts'}`;
}

const posix = (p: string): string => p.split(sep).join('/');

export interface CompiledSnippets {
  /** The temporary folder (kept, for a look at what failed). */
  readonly dir: string;
  /** The compiler's messages per snippet, as `file:line: TSnnnn: message`; empty when clean. */
  readonly errors: ReadonlyMap<Snippet, readonly string[]>;
  /** The module to run for each snippet (emitted from .ts into out/; a page's script as written). */
  readonly js: ReadonlyMap<Snippet, string>;
}

/** Writes the snippets into a fresh package beside a link to `repoRoot`, then type-checks and emits them as one program. */
export function compileSnippets(snippets: readonly Snippet[], repoRoot: string): CompiledSnippets {
  const dir = mkdtempSync(join(tmpdir(), 'hebb-snippets-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'hebb-snippets', private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'hebb'), 'dir');
  // A page's `./hebb.js`: the bundle at run time, typed by the bundle's entry (src/browser.ts).
  const rel = posix(relative(dir, repoRoot));
  writeFileSync(join(dir, 'hebb.js'), `export * from '${rel}/dist/browser/hebb.js';\n`);
  writeFileSync(join(dir, 'hebb.d.ts'), `export * from '${rel}/dist/src/browser.js';\n`);

  const byPath = new Map<string, Snippet>();
  for (const s of snippets) {
    const p = join(dir, fileName(s));
    if (byPath.has(p)) throw new Error(`two snippets map to ${p}`);
    // `export {}` keeps a snippet without imports a module (top-level await, own scope).
    writeFileSync(p, `${s.code}\nexport {};\n`);
    byPath.set(p, s);
  }

  const config = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.convertCompilerOptionsFromJson((config.config as { compilerOptions: unknown }).compilerOptions, repoRoot);
  if (parsed.errors.length) throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  const options: ts.CompilerOptions = {
    ...parsed.options,
    allowJs: true,
    checkJs: true,
    rootDir: dir,
    outDir: join(dir, 'out'),
    declaration: false,
    sourceMap: false,
    noEmitOnError: false,
    typeRoots: [join(repoRoot, 'node_modules', '@types')],
  };
  const program = ts.createProgram([...byPath.keys()], options);
  const errors = new Map<Snippet, string[]>(snippets.map((s) => [s, []]));
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  for (const d of diagnostics) {
    const text = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    const s = d.file ? byPath.get(d.file.fileName) : undefined;
    if (!s || !d.file || d.start === undefined) throw new Error(`snippets: ${d.file?.fileName ?? 'compiler'}: ${text}`);
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    (errors.get(s) as string[]).push(`${s.file}:${s.line + line}: ${text}`);
  }
  const js = new Map<Snippet, string>();
  for (const [p, s] of byPath) js.set(s, s.kind === 'page' ? p : join(dir, 'out', relative(dir, p).replace(/\.ts$/, '.js')));
  return { dir, errors, js };
}

/**
 * Runs one emitted snippet in a child process (cwd: the snippet folder). Resolves to null when
 * it exits with 0 within `timeoutMs`, else to a message naming the snippet, with its stderr.
 */
export function runSnippet(s: Snippet, js: string, dir: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(process.execPath, [js], { cwd: dir, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, _stdout, stderr) => {
      if (!err) return resolve(null);
      const why = err.killed ? `did not finish within ${timeoutMs} ms` : `exited with ${String(err.code)}`;
      resolve(`${s.file}:${s.line}: the snippet ${why}:\n${stderr.trim().split('\n').slice(-15).join('\n')}`);
    });
  });
}

/** The snippets of README.md and docs/*.md. */
export function docSnippets(repoRoot: string): Snippet[] {
  const docs = readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).sort();
  return ['README.md', ...docs.map((f) => `docs/${f}`)].flatMap((file) => extractSnippets(readFileSync(join(repoRoot, file), 'utf8'), file));
}
