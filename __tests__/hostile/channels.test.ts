// Nothing from the repository can forge output: hostile file names and quoted values through every channel of the
// action (log, annotations, check run, comment, job summary, SARIF) and every CLI format; and the token never
// appears anywhere, error paths included.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules';
import { cli } from '../cli/helpers';
import { FakeGitHub } from '../github/fake-github';
import { checkout, OWNER, pullFiles, pullRequestEvent, REPO, removeTempDirs, runAction, runActionFromSource, tempDir, TOKEN, tokenLeak, type ActionRun, type Checkout, type Files } from '../github/harness';
import { bundleSources, type Bundle } from './helpers';

/** Markup of every kind the channels must keep inert. */
const MARKS = ['<img src=x onerror=alert(1)>', '@octocat', '`tick`', '[l](javascript:alert(1))', '**bold**', '::error::forged'];
const VALUE = `${MARKS.join(' ')} %0A::warning::w`;
const NAMES = ['new\nline', '%0A::error::x', '::error file=a,line=1::forged', '`tick`', '<img src=x onerror=alert(1)>', '@octocat', '[x](javascript:alert(1))'];

/** Each module quotes the hostile value in two findings (session-cookie-insecure, proxy-ssl-header-malformed). */
function hostileSettings(): string {
  const v = JSON.stringify(`${VALUE}\n::error::nl`);
  return `INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]\nSESSION_COOKIE_SECURE = ${v}\nSECURE_PROXY_SSL_HEADER = (${v}, "https")\n`;
}
const NGINX = `events {}\nhttp {\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2;\n    add_header Strict-Transport-Security "max-age=60 ${VALUE.replace(/`/g, '')}" always;\n  }\n}\n`;

const HOSTILE_FILES: Files = { 'nginx/nginx.conf': NGINX, ...Object.fromEntries(NAMES.map((n) => [`${n}/settings.py`, hostileSettings()])) };
const KNOWN = new Set(Object.keys(HOSTILE_FILES));

/**
 * Workflow-command lines: every one must be ours and well formed, each annotation's file one of the repository's.
 * Between `::stop-commands::X` and `::X::` the runner parses nothing. Returns the number of annotations.
 */
function checkLog(log: string): number {
  let annotations = 0;
  let stopped: string | undefined;
  for (const line of log.split('\n')) {
    if (stopped !== undefined) {
      if (line === `::${stopped}::`) stopped = undefined;
      continue;
    }
    if (!/^\s*(?:::|##\[)/.test(line)) continue;
    const m = /^::(error|warning|notice|debug|group|endgroup|add-mask|stop-commands)(?: ([^:]*))?::(.*)$/.exec(line);
    expect(m, `forged or malformed command: ${JSON.stringify(line)}`).not.toBeNull();
    if (m![1] === 'stop-commands') {
      stopped = m![3];
      continue;
    }
    if (!m![2]) continue;
    // As the runner reads properties: split at ",", then at the first "=".
    const props: Record<string, string> = {};
    for (const kv of m![2].split(',')) {
      const eq = kv.indexOf('=');
      props[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    for (const k of Object.keys(props)) expect(['file', 'line', 'endLine', 'col', 'endColumn', 'title'], `${k} in ${line}`).toContain(k);
    if (props.file !== undefined) {
      annotations++;
      expect(KNOWN, `annotation on ${JSON.stringify(props.file)}`).toContain(decodeURIComponent(props.file));
      expect(props.line).toMatch(/^\d+$/);
    }
  }
  expect(stopped, 'commands stopped and never resumed').toBeUndefined();
  return annotations;
}

/** Markdown that GitHub renders: no raw markup from the repository, every link target ours. */
function checkMarkdown(md: string, where: string): void {
  for (const mark of [...MARKS, ...NAMES.filter((n) => n !== '@octocat')]) expect(md, `${where} carries ${JSON.stringify(mark)}`).not.toContain(mark);
  expect(md, where).not.toMatch(/<img|@octocat|javascript:/i);
  for (const m of md.matchAll(/\]\(([^)]*)\)/g)) expect(m[1], `${where} link`).toMatch(/^https:\/\/github\.com\/[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+$/);
  // Our own HTML is limited to these tags.
  for (const m of md.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)) expect(['br', 'details', 'summary', 'sub', 'b', 'code', 'table', 'tr', 'td', 'th'], where).toContain(m[1].toLowerCase());
}

function checkSarif(sarif: ActionRun['sarif'] | undefined, expectedFiles: Set<string>): void {
  expect(sarif).toBeDefined();
  const uris = new Set<string>();
  for (const r of sarif!.runs[0].results) {
    for (const l of r.locations) {
      const uri = l.physicalLocation.artifactLocation.uri;
      expect(uri, 'SARIF uri').not.toMatch(/[\s<>"`\\^{}|]/);
      uris.add(decodeURIComponent(uri));
    }
  }
  for (const f of expectedFiles) expect(uris).toContain(f);
  for (const u of uris) expect(KNOWN).toContain(u);
}

const fake = new FakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO });
let bundle: Bundle;
let c: Checkout;

beforeAll(async () => {
  [bundle] = await Promise.all([bundleSources(), fake.start()]);
  c = checkout({ 'README.md': 'shop\n' }, HOSTILE_FILES);
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
  fs.rmSync(bundle.dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  fake.pulls.set(7, pullFiles(c));
  fake.commits.add(c.head);
});
afterEach(() => expect(fake.problems).toEqual([]));

/** Everything the action sent to GitHub, as text. */
function sent(): string {
  return JSON.stringify(fake.requests.map((q) => q.body ?? null));
}

describe('hostile names and values through every channel of the action', () => {
  it('log, annotations, check run, comment, job summary and SARIF stay inert', async () => {
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c, { changedFiles: KNOWN.size }), fake, entry: bundle.action });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // With a check run the findings are annotated there (below); the log must hold no forged command.
    checkLog(r.stdout);
    expect(checkLog(r.stderr)).toBe(0);
    const [run] = [...fake.checkRuns.values()];
    expect(new Set(run.annotations.map((a) => a.path))).toEqual(KNOWN);
    checkMarkdown(run.output.summary ?? '', 'check run summary');
    checkMarkdown(run.output.text ?? '', 'check run text');
    checkMarkdown(run.output.title ?? '', 'check run title');
    const comments = fake.comments.get(7)!;
    expect(comments).toHaveLength(1);
    checkMarkdown(comments[0].body, 'comment');
    checkMarkdown(r.summary, 'job summary');
    expect(r.summary).toMatch(/session\\-cookie\\-insecure/);
    checkSarif(r.sarif, KNOWN);
    for (const v of Object.values(r.outputs)) expect(v).not.toMatch(/<img|@octocat|::error/);
    expect(tokenLeak(r, { sent: sent(), sarif: JSON.stringify(r.sarif) })).toBeUndefined();
  });
});

describe('hostile names and values through every CLI format', () => {
  let root: string;
  beforeAll(() => {
    root = tempDir('hg-chan-');
    fs.mkdirSync(path.join(root, '.git'));
    for (const [rel, text] of Object.entries(HOSTILE_FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text!);
    }
  });

  for (const format of ['text', 'concise', 'github', 'json', 'sarif', 'gitlab', 'junit']) {
    it(`${format}: no forged command line, every path exactly the file's`, () => {
      const r = cli(['--format', format, '--fail-on', 'never'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      const annotations = checkLog(r.stdout) + checkLog(r.stderr);
      if (format === 'github') expect(annotations).toBeGreaterThanOrEqual(KNOWN.size);
      else expect(annotations).toBe(0);
      if (format === 'json') {
        const j = JSON.parse(r.stdout) as { findings: { path: string; message: string }[] };
        expect(new Set(j.findings.map((f) => f.path))).toEqual(KNOWN);
        // Values are quoted as they are: JSON escapes them, consumers escape for their own medium.
        expect(j.findings.some((f) => f.message.includes('<img src=x onerror=alert(1)>'))).toBe(true);
      }
      if (format === 'sarif') checkSarif(JSON.parse(r.stdout), KNOWN);
      if (format === 'gitlab') {
        const j = JSON.parse(r.stdout) as { location: { path: string } }[];
        expect(new Set(j.map((f) => f.location.path))).toEqual(KNOWN);
      }
      if (format === 'junit') {
        const xml = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: false }).parse(r.stdout);
        const tags = new Set<string>();
        const visit = (o: unknown): void => {
          if (Array.isArray(o)) o.forEach(visit);
          else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) (tags.add(k), visit(v));
        };
        visit(xml);
        expect([...tags].filter((t) => !t.startsWith('@_') && !['?xml', 'testsuites', 'testsuite', 'testcase', 'failure', 'skipped', 'properties', 'property', '#text', 'system-out', 'system-err'].includes(t))).toEqual([]);
        expect(r.stdout).not.toContain('<img');
      }
      if (format === 'text' || format === 'concise') expect(r.stdout).not.toMatch(/\n\s*::/);
    });
  }
});

describe('the token never appears in any output', () => {
  function leak(r: ActionRun): string | undefined {
    const comments = JSON.stringify([...fake.comments.values()]);
    const runs = JSON.stringify([...fake.checkRuns.values()]);
    return tokenLeak(r, { sent: sent(), comments, runs, sarif: JSON.stringify(r.sarif ?? null) });
  }

  it('when every API call fails with an error that echoes the request and its token', async () => {
    const echo = `Bad credentials (request: POST with Authorization: token ${TOKEN})`;
    for (const op of ['checks/create', 'checks/update', 'issues/create-comment', 'issues/list-comments', 'pulls/list-files', 'pulls/get'])
      fake.fail(op, { status: op === 'pulls/list-files' ? 500 : 422, times: Infinity, message: echo });
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c), fake, entry: bundle.action });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Bad credentials/);
    expect(leak(r)).toBeUndefined();
  });

  it('on config errors: an invalid config at the base, a config input that names no file', async () => {
    const bad = checkout({ '.https-guard.yml': 'rules:\n  django/hsts-off: sometimes\n' }, { 'app/settings.py': hostileSettings() });
    fake.pulls.set(7, pullFiles(bad));
    fake.commits.add(bad.head);
    for (const inputs of [{}, { config: 'no/such/config.yml' }] as Record<string, string>[]) {
      const r = await runAction({ workspace: bad.dir, eventName: 'pull_request', event: pullRequestEvent(bad), fake, entry: bundle.action, inputs });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toMatch(/config/i);
      expect(leak(r)).toBeUndefined();
    }
  });

  it('when a hostile file makes a rule crash with an error that quotes the token', async () => {
    const rule = RULES.find((x) => x.meta.id === 'django/session-cookie-insecure')!;
    const original = rule.check;
    // Stands for a rule defect a crafted file can reach: the error text carries the file's text and the token.
    (rule as { check: typeof rule.check }).check = (ctx) => {
      const src = ctx.model.sources.get('crash/settings.py');
      if (src) throw new TypeError(`cannot read ${JSON.stringify(src.text.slice(0, 80))} with ${process.env['INPUT_GITHUB-TOKEN']}`);
      original(ctx);
    };
    try {
      const crash = checkout({ 'README.md': 'shop\n' }, { 'crash/settings.py': hostileSettings() });
      fake.pulls.set(7, pullFiles(crash));
      fake.commits.add(crash.head);
      const r = await runActionFromSource({ workspace: crash.dir, eventName: 'pull_request', event: pullRequestEvent(crash), fake });
      expect(r.summary + r.stdout).toMatch(/could not finish this rule/);
      expect(leak(r)).toBeUndefined();
      checkLog(r.stdout);
      checkMarkdown(r.summary, 'job summary');
    } finally {
      (rule as { check: typeof rule.check }).check = original;
    }
  });
});
