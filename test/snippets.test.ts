/**
 * The code in README.md and docs/*.md compiles against the built package and runs.
 *
 * Every ```ts block, and the `<script type="module">` of every ```html block, is type-checked
 * with the project's compiler settings (tsconfig.json: strict, noUncheckedIndexedAccess,
 * NodeNext) in one program, with `import * as hb from 'hebb'` resolved to this repository's
 * dist/ through a node_modules link; then each one is run as an ES module in a child process
 * (top-level await works) and must exit cleanly. A block preceded by the line
 *
 *     <!-- snippet: compile-only -->
 *
 * is only type-checked: use it for what takes too long for a test (a 30-epoch fit). A failure
 * names the markdown file, the line and the compiler's message or the snippet's stderr.
 * How blocks are found and written out: test/snippets.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileSnippets, docSnippets, extractSnippets, runSnippet, type CompiledSnippets, type Snippet } from './snippets.js';

// This file runs as dist/test/snippets.test.js.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const RUN_TIMEOUT_MS = 60_000;

describe('extractSnippets', () => {
  const md = [
    '# t', //                                  1
    '```sh', //                                2
    'npm test', //                             3
    '```', //                                  4
    '```ts', //                                5
    "import * as hb from 'hebb';", //          6
    '```', //                                  7
    '<!-- snippet: compile-only -->', //       8
    '', //                                     9
    '```ts', //                               10
    'const a = 1;', //                        11
    'const b = 2;', //                        12
    '```', //                                 13
    '```html', //                             14
    '<!doctype html>', //                     15
    '<script type="module">', //              16
    "  import * as hb from './hebb.js';", //  17
    '</script>', //                           18
    '```', //                                 19
    '```js', //                               20
    'hb.getBackend()', //                     21
    '```', //                                 22
    '```` ```ts ```` in prose', //            23
  ].join('\n');

  it('finds ts blocks and html module scripts with the line of their first line of code, and the compile-only marker', () => {
    const got = extractSnippets(md, 'x.md').map((s) => [s.line, s.kind, s.compileOnly, s.code]);
    assert.deepEqual(got, [
      [6, 'ts', false, "import * as hb from 'hebb';"],
      [11, 'ts', true, 'const a = 1;\nconst b = 2;'],
      [17, 'page', false, "  import * as hb from './hebb.js';"],
    ]);
  });

  it('rejects an unknown marker, a marker on an unchecked block and an unclosed block', () => {
    assert.throws(() => extractSnippets('<!-- snippet: skip -->\n```ts\nx\n```', 'x.md'), /x\.md:1: unknown snippet marker "skip"/);
    assert.throws(() => extractSnippets('<!-- snippet: compile-only -->\n```sh\nx\n```', 'x.md'), /x\.md:2: a snippet marker before a ```sh block/);
    assert.throws(() => extractSnippets('```ts\nx\n', 'x.md'), /x\.md:1: code block never closed/);
  });
});

describe('the documentation snippets', { concurrency: true }, () => {
  const snippets = docSnippets(repoRoot);
  // Two broken snippets compiled in the same program, so the test shows it can fail.
  const [typeError, throws] = extractSnippets(
    "```ts\nimport * as hb from 'hebb';\nconst n: string = hb.tensor([1]).size;\n```\n```ts\nthrow new Error('boom');\n```",
    'broken.md',
  ) as [Snippet, Snippet];
  let compiled: CompiledSnippets;
  let failed = false;

  before(() => {
    compiled = compileSnippets([...snippets, typeError, throws], repoRoot);
  });
  after(() => {
    if (!failed) rmSync(compiled.dir, { recursive: true, force: true });
  });

  it('README.md and docs/ have snippets to check', () => {
    assert.ok(snippets.filter((s) => s.file === 'README.md').length >= 4, `found ${snippets.length}`);
    assert.ok(snippets.some((s) => s.kind === 'page'), 'the browser page of docs/BROWSER.md');
  });

  it('reports a type error at its markdown line, and a snippet that throws', async () => {
    assert.deepEqual(compiled.errors.get(typeError), ["broken.md:3: TS2322: Type 'number' is not assignable to type 'string'."]);
    assert.deepEqual(compiled.errors.get(throws), []);
    const msg = await runSnippet(throws, compiled.js.get(throws) as string, compiled.dir, RUN_TIMEOUT_MS);
    assert.match(msg ?? '', /^broken\.md:6: the snippet exited with 1:\n[\s\S]*Error: boom/);
  });

  for (const s of snippets) {
    it(`${s.file}:${s.line} ${s.compileOnly ? 'compiles' : 'compiles and runs'}`, async () => {
      try {
        const errors = compiled.errors.get(s) ?? [];
        assert.equal(errors.length, 0, `${errors.join('\n')}\n(snippets written to ${compiled.dir})`);
        if (s.compileOnly) return;
        const msg = await runSnippet(s, compiled.js.get(s) as string, compiled.dir, RUN_TIMEOUT_MS);
        assert.equal(msg, null, `${msg ?? ''}\n(snippets written to ${compiled.dir})`);
      } catch (e) {
        failed = true;
        throw e;
      }
    });
  }
});
