import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { analyseFocused } from '../../src/engine/focused';
import { restrictToFocus } from '../../src/engine/focus';
import { parseInvocation, runScan, type ScanInvocation } from '../../src/cli';
// @ts-expect-error: a plain script, no declarations
import { generate } from '../../scripts/bench-threads.mjs';

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/projects');

/** A deterministic pick of `n` of `xs`. */
function sample<T>(xs: T[], n: number, seed: number): T[] {
  let s = seed;
  const out: T[] = [];
  const pool = [...xs];
  while (out.length < n && pool.length > 0) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out.push(pool.splice(s % pool.length, 1)[0]);
  }
  return out;
}

function expectSameAsFull(root: string, full: ReturnType<typeof analyse>['result'], changed: string[]) {
  const focused = analyseFocused({ root, changed, jobs: 1 });
  expect(JSON.stringify(focused.result), `${root}: ${changed.join(', ')} (${focused.fullScan ?? 'focused'})`).toBe(JSON.stringify(restrictToFocus(full, changed)));
  return focused;
}

describe('a focused scan gives the full scan\'s findings on the changed files', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-focused-'));
    generate(path.join(tmp, 'linked'), 40, true, 5);
    generate(path.join(tmp, 'dense'), 12, true);
    generate(path.join(tmp, 'unlinked'), 12, false);
    // A shared nginx that fronts two projects, and one settings module changed in a third.
    const shared = path.join(tmp, 'linked', 'edge');
    fs.mkdirSync(shared);
    fs.writeFileSync(path.join(shared, 'nginx.conf'), 'server {\n    listen 80;\n    server_name shared.example.com;\n    location /a { proxy_pass http://127.0.0.1:8003; }\n    location /b { proxy_pass http://127.0.0.1:8004; }\n}\n');
  }, 120_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('on a generated monorepo whose nginx configs link to their apps: focused, and equal', () => {
    const root = path.join(tmp, 'linked');
    const { result: full } = analyse({ root, jobs: 1 });
    expect(full.findings.length).toBeGreaterThan(0);
    const files = full.files.map((f) => f.path);
    const sets = [['p7/p7/settings.py'], ['p3/p3/settings.py'], ['p5/nginx.conf', 'p20/p20/wsgi.py'], ['p30'], sample(files, 5, 1), sample(files, 3, 2), ['p9/manage.py']];
    let focusedRuns = 0;
    for (const changed of sets) {
      const r = expectSameAsFull(root, full, changed);
      if (!r.fullScan) {
        focusedRuns++;
        // The changed projects and those whose nginx may front them (every fifth has one), not all 41.
        expect(r.projects!.length).toBeLessThanOrEqual(changed.length + 9);
      }
    }
    expect(focusedRuns).toBeGreaterThan(0);
  }, 600_000);

  it('an nginx in every project, each linked to its own app: focused on the changed projects, and equal', () => {
    const root = path.join(tmp, 'dense');
    const { result: full } = analyse({ root, jobs: 1 });
    for (const changed of [['p2/p2/settings.py'], ['p4/nginx.conf'], ['p6', 'p7/p7/wsgi.py']]) {
      const r = expectSameAsFull(root, full, changed);
      expect(r.fullScan).toBeUndefined();
      expect(r.projects).toEqual([...new Set(changed.map((c) => `${c.split('/')[0]}/`))].sort());
    }
    // Most of the workspace changed: a full scan, which says so.
    expect(expectSameAsFull(root, full, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']).fullScan).toMatch(/span 7 of 12 projects/);
  }, 300_000);

  it('the CLI uses it for partial runs with HTTPS_GUARD_FOCUSED=1, with the same report, and says so', () => {
    const root = path.join(tmp, 'dense');
    const inv = parseInvocation(['p3/p3/settings.py', '--root', root], root) as ScanInvocation;
    const said: string[] = [];
    const focused = runScan(inv, { HTTPS_GUARD_FOCUSED: '1', HTTPS_GUARD_DEBUG: '1' }, (m) => said.push(m));
    const plain = runScan(inv, {}, (m) => said.push(m));
    expect(JSON.stringify(focused.result)).toBe(JSON.stringify(plain.result));
    expect(focused.result.files.map((f) => f.path)).toEqual(['p3/p3/settings.py']);
    expect(said).toEqual(['focused scan of p3/']);
  }, 300_000);

  it('falls back to a full scan when nginx cannot be linked to its app, and says why', () => {
    const root = path.join(tmp, 'unlinked');
    const { result: full } = analyse({ root, jobs: 1 });
    const r = expectSameAsFull(root, full, ['p2/p2/settings.py']);
    expect(r.fullScan).toMatch(/cannot be linked to its app/);
  }, 300_000);

  const projects = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).sort() : [];
  it.skipIf(projects.length === 0)('on the corpus projects, for several changed-file sets each', () => {
    for (const p of projects) {
      const root = path.join(CORPUS, p);
      const { result: full } = analyse({ root, jobs: 1 });
      const files = full.files.map((f) => f.path);
      for (const [i, changed] of [sample(files, 1, 7), sample(files, 3, 11), files.filter((f) => f.endsWith('.py')).slice(0, 2)].entries()) {
        if (changed.length === 0) continue;
        expectSameAsFull(root, full, changed);
        void i;
      }
    }
  }, 900_000);
});
