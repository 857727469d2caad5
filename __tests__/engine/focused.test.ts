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

/**
 * A monorepo of the shapes that couple projects: base/production chains, a settings module shared across projects,
 * projects named only by wsgi.py beside ones a Procfile names (the entry-point rank is compared across projects),
 * settings that only evaluation can read, a trusted proxy header and HSTS preload, class-based settings, a syntax
 * error, and an nginx that fronts an app of another project.
 */
function mixed(root: string) {
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const base = (i: number, extra = '') =>
    `import os\nDEBUG = False\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]\nSECURE_HSTS_SECONDS = ${i % 3 === 0 ? 0 : 31536000}\nSESSION_COOKIE_SECURE = ${i % 2 ? 'True' : 'False'}\nSECURE_SSL_REDIRECT = ${i % 4 === 1 ? 'False' : 'True'}\n${extra}`;
  const nginx = (i: number, port = 8000 + i) =>
    `server {\n    listen 80;\n    listen 443 ssl;\n    server_name q${i}.example.com;\n    ssl_certificate /etc/ssl/q.pem;\n    ssl_certificate_key /etc/ssl/q.key;\n    location / {\n        proxy_pass http://127.0.0.1:${port};\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n`;
  for (let i = 0; i < 16; i++) {
    const pkg = `q${i}/q${i}`;
    w(`q${i}/manage.py`, `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "q${i}.settings.production")\n`);
    w(`${pkg}/__init__.py`, '');
    w(`${pkg}/settings/__init__.py`, '');
    w(`${pkg}/wsgi.py`, `import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "q${i}.settings.production")\napplication = get_wsgi_application()\n`);
    if (i % 5 === 2) {
      // Only evaluation can tell whether it is complete.
      w(`${pkg}/settings/production.py`, `import os\nif os.environ.get("X", "1") == "1":\n    INSTALLED_APPS = ["a"]\nSESSION_COOKIE_SECURE = False\n`);
    } else if (i === 7) {
      // Imports a module of another project (q8's base).
      w(`${pkg}/settings/production.py`, `from q8.settings.base import *  # noqa\nSECURE_SSL_REDIRECT = False\n`);
    } else {
      w(`${pkg}/settings/base.py`, base(i, i === 4 ? "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')\n" : i === 9 ? 'SECURE_HSTS_PRELOAD = True\n' : ''));
      w(`${pkg}/settings/production.py`, `from .base import *  # noqa\n${i === 11 ? 'x = = 1\n' : ''}`);
    }
    // Every third project is started by a Procfile (rank 3); the others only by their wsgi.py default (rank 2).
    if (i % 3 === 0) w(`q${i}/Procfile`, `web: DJANGO_SETTINGS_MODULE=q${i}.settings.production gunicorn q${i}.wsgi:application --bind 127.0.0.1:${8000 + i}\n`);
    else w(`q${i}/Procfile`, `web: gunicorn q${i}.wsgi:application --bind 127.0.0.1:${8000 + i}\n`);
    // q13's nginx fronts q12's app.
    if (i % 2 === 0 || i === 13) w(`q${i}/deploy/nginx.conf`, nginx(i, i === 13 ? 8012 : 8000 + i));
  }
  w('q14/q14/settings/production.py', 'from configurations import Configuration\nclass Prod(Configuration):\n    INSTALLED_APPS = ["a"]\n    SESSION_COOKIE_SECURE = False\n');
}

describe('a focused scan gives the full scan\'s findings on the changed files', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-focused-'));
    generate(path.join(tmp, 'linked'), 40, true, 5);
    generate(path.join(tmp, 'dense'), 12, true);
    generate(path.join(tmp, 'unlinked'), 12, false);
    mixed(path.join(tmp, 'mixed'));
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

  it('the CLI uses it for partial runs unless HTTPS_GUARD_FOCUSED=0, with the same report, and says so', () => {
    const root = path.join(tmp, 'dense');
    const inv = parseInvocation(['p3/p3/settings.py', '--root', root], root) as ScanInvocation;
    const said: string[] = [];
    const focused = runScan(inv, { HTTPS_GUARD_DEBUG: '1' }, (m) => said.push(m));
    const plain = runScan(inv, { HTTPS_GUARD_FOCUSED: '0' }, (m) => said.push(m));
    expect(JSON.stringify(focused.result)).toBe(JSON.stringify(plain.result));
    expect(focused.result.files.map((f) => f.path)).toEqual(['p3/p3/settings.py']);
    expect(said).toEqual(['focused scan of p3/']);
  }, 300_000);

  it('on a monorepo whose projects are coupled in every known way: equal for every file changed alone and in pairs', () => {
    const root = path.join(tmp, 'mixed');
    const { result: full } = analyse({ root, jobs: 1 });
    expect(full.findings.length).toBeGreaterThan(10);
    const files = full.files.map((f) => f.path);
    const sets = [...files.map((f) => [f]), ...Array.from({ length: 12 }, (_, k) => sample(files, 2, 100 + k))];
    const why = new Map<string, number>();
    for (const changed of sets) {
      const r = expectSameAsFull(root, full, changed);
      const key = r.fullScan ?? `focused on ${r.projects!.length}`;
      why.set(key.replace(/[\w./-]*q\d+[\w./:-]*/g, 'X'), (why.get(key) ?? 0) + 1);
    }
    // Most runs are focused; the couplings send some to a full scan.
    expect([...why.keys()].some((k) => k.startsWith('focused'))).toBe(true);
    expect([...why.keys()].some((k) => !k.startsWith('focused'))).toBe(true);
  }, 600_000);

  it('falls back to a full scan when nginx cannot be linked to its app, and says why', () => {
    const root = path.join(tmp, 'unlinked');
    const { result: full } = analyse({ root, jobs: 1 });
    const r = expectSameAsFull(root, full, ['p2/p2/settings.py']);
    expect(r.fullScan).toMatch(/cannot be linked to its app/);
  }, 300_000);

  const projects = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).sort() : [];
  // Taken together the corpus projects couple (compose service names such as `django` link one project's nginx to
  // another's app), so these runs end in full scans, which must be equal too.
  it.skipIf(projects.length === 0)('on the corpus projects taken together as one monorepo', () => {
    const { result: full } = analyse({ root: CORPUS, jobs: 1 });
    const files = full.files.map((f) => f.path);
    for (const [k, p] of sample(projects, 3, 5).entries()) {
      const own = files.filter((f) => f.startsWith(`${p}/`));
      const r = expectSameAsFull(CORPUS, full, sample(own, 2, 17 + k));
      expect(r.fullScan).toBeDefined();
    }
  }, 900_000);

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
