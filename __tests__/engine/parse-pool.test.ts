import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IterMode, type Tree } from '@lezer/common';
import { parsePython } from '../../src/parsers/python/parse';
import { fromPlainParse, toPlain } from '../../src/parsers/python/transfer';
import { parseInParallel, resolveJobs, type PoolReport } from '../../src/engine/parse-pool';
import { analyse } from '../../src/engine/scan';
// @ts-expect-error: a plain script, no declarations
import { generate } from '../../scripts/bench-threads.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(REPO, '../shared/corpus/projects');

/** Every node, anonymous ones too, with its span: two trees are the same when these lists are. */
function shape(tree: Tree | undefined): string[] {
  if (!tree) return [];
  const out: string[] = [];
  const c = tree.cursor(IterMode.IncludeAnonymous);
  do out.push(`${c.type.id}:${c.from}-${c.to}`);
  while (c.next());
  return out;
}

const SAMPLES = [
  'DEBUG = False\nSECURE_HSTS_SECONDS = 31536000\n',
  'import os\nif os.environ.get("X"):\n    A = [1, 2, {"k": (3, 4)}]\nelse:\n    A = f"{os.sep}"\n',
  'def broken(:\n    pass\nX = "unterminated\n',
  `X = ${'['.repeat(250)}1${']'.repeat(250)}\n`,
  Array.from({ length: 3000 }, (_, i) => `S${i} = {"a": [${i}, "s${i}"], "b": lambda x: x + ${i}}`).join('\n'),
  '',
];

describe('parse results cross threads unchanged', () => {
  it.each(SAMPLES.map((s, i) => [i, s]))('sample %i: same tree, text and errors after the plain round trip', (_i, text) => {
    const direct = parsePython(text as string);
    const plain = structuredClone(toPlain(text as string, direct));
    const back = fromPlainParse(text as string, plain);
    expect(back.text).toBe(direct.text);
    expect(back.errors).toEqual(direct.errors);
    expect(shape(back.tree)).toEqual(shape(direct.tree));
    expect(back.tree?.toString()).toBe(direct.tree?.toString());
  });
});

describe('thread count', () => {
  it('--jobs wins, then HTTPS_GUARD_JOBS, then the cores up to 4 (one below 3 cores)', () => {
    expect(resolveJobs(3, '2')).toBe(3);
    expect(resolveJobs(undefined, '2')).toBe(2);
    const dflt = resolveJobs(undefined, undefined);
    expect(dflt).toBeGreaterThanOrEqual(1);
    expect(dflt).toBeLessThanOrEqual(4);
    expect(dflt).toBe(os.availableParallelism() < 3 ? 1 : Math.min(4, os.availableParallelism()));
    expect(resolveJobs(undefined, 'many')).toBe(dflt);
    expect(resolveJobs(0, '0')).toBe(dflt);
  });

  it('one thread below the threshold, or without a worker script', () => {
    const report: PoolReport = { threads: 0 };
    expect(parseInParallel(['A = 1\n', 'B = 2\n'], 4, report).size).toBe(0);
    expect(report).toEqual({ threads: 1, why: expect.stringContaining('below the threshold') });
  });
});

describe('findings are byte-identical at 1, 2 and 4 threads', () => {
  let tmp: string;
  const before = process.env.HTTPS_GUARD_PARSE_WORKER;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-pool-'));
    // The worker bundled as the build bundles it.
    const ncc = spawnSync(process.execPath, [path.join(REPO, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', 'src/engine/parse-worker.ts', '-o', path.join(tmp, 'worker'), '-q'], { cwd: REPO });
    expect(ncc.status, String(ncc.stderr)).toBe(0);
    process.env.HTTPS_GUARD_PARSE_WORKER = path.join(tmp, 'worker', 'index.js');
    generate(path.join(tmp, 'tree'), 24);
  }, 240_000);
  afterAll(() => {
    if (before === undefined) delete process.env.HTTPS_GUARD_PARSE_WORKER;
    else process.env.HTTPS_GUARD_PARSE_WORKER = before;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const run = (root: string, jobs: number, parallelMin?: { bytes: number; files: number }) => {
    const { result, timings } = analyse({ root, jobs, parallelMin });
    return { json: JSON.stringify(result), threads: timings.threads?.threads };
  };

  it('on a generated monorepo', () => {
    const root = path.join(tmp, 'tree');
    const one = run(root, 1);
    expect(one.threads).toBe(1);
    for (const jobs of [2, 4]) {
      const many = run(root, jobs, { bytes: 256 * 1024, files: 8 });
      expect(many.threads).toBe(jobs);
      expect(many.json).toBe(one.json);
    }
    expect(JSON.parse(one.json).findings.length).toBeGreaterThan(0);
  }, 240_000);

  const projects = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).sort() : [];
  it.skipIf(projects.length === 0)('on the corpus projects (threshold lowered so that every one uses threads)', () => {
    for (const p of projects) {
      const root = path.join(CORPUS, p);
      const one = run(root, 1);
      for (const jobs of [2, 4]) {
        const many = run(root, jobs, { bytes: 0, files: 2 });
        expect(many.json, `${p} at ${jobs} threads`).toBe(one.json);
      }
    }
  }, 600_000);
});
