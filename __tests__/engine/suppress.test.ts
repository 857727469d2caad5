import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan';
import { findDirectives, nearestId, parseDirectiveText } from '../../src/engine/suppress';
import { SourceText } from '../../src/parsers/source';
import { toJsonReport } from '../../src/report/json';
import { toSarif } from '../../src/report/sarif';
import { formatText } from '../../src/report/text';
import { formatGithub } from '../../src/report/github';
import { countBySeverity, failureReason } from '../../src/report/common';
import { RULES } from '../../src/rules';
import { cli, workspace } from '../cli/helpers';
import { sarifErrors } from '../report/sarif-schema';

const HEAD = `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_COOKIE_SECURE = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LANGUAGE_COOKIE_SECURE = True
`;

let roots: string[] = [];
function ws(files: Record<string, string>): string {
  const root = workspace(files);
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  roots = [];
});

const ids = (fs: { ruleId: string; line: number }[]) => fs.map((f) => `${f.ruleId}:${f.line}`);

describe('directive parsing (a linear scanner, no regular expression)', () => {
  it('reads bare and bracketed directives, ids, and the reason after --', () => {
    expect(parseDirectiveText(' https-guard: ignore')).toMatchObject({ ids: undefined, reason: undefined });
    expect(parseDirectiveText(' https-guard:ignore[a/b, c/d ] -- set by the CDN ')).toMatchObject({ ids: [{ id: 'a/b' }, { id: 'c/d' }], reason: 'set by the CDN' });
    expect(parseDirectiveText(' https-guard: ignore -- why')).toMatchObject({ ids: undefined, reason: 'why' });
    expect(parseDirectiveText(' noqa: E501  https-guard: ignore[x/y]')).toMatchObject({ ids: [{ id: 'x/y' }] });
    // `ignore` is a whole word; an unclosed bracket is still a list (it never silences every rule).
    expect(parseDirectiveText(' https-guard: ignored')).toBeUndefined();
    expect(parseDirectiveText(' https-guard: ignore[django/hsts-off -- reason')).toMatchObject({ ids: [{ id: 'django/hsts-off' }], reason: 'reason' });
    expect(parseDirectiveText(' https-guard: ignore[]')).toMatchObject({ ids: [] });
    expect(parseDirectiveText(' something else')).toBeUndefined();
  });

  it('finds comments per format and not markers inside strings', () => {
    const py = new SourceText('settings.py', 'A = "# https-guard: ignore"\nB = 1  # https-guard: ignore[x/y] -- r\n"""\n# https-guard: ignore\n"""\n   # https-guard: ignore\n');
    expect(findDirectives(py).map((d) => [d.line, d.ownLine, d.ids?.map((x) => [x.id, x.column]), d.reason])).toEqual([
      [2, false, [['x/y', 30]], 'r'],
      [6, true, undefined, undefined],
    ]);
    const ini = new SourceText('uwsgi.ini', '[uwsgi]\n; https-guard: ignore[uwsgi/scheme-forced]\nhttps = on ; https-guard: ignore\n');
    expect(findDirectives(ini).map((d) => [d.line, d.ownLine])).toEqual([[2, true]]);
    const xml = new SourceText('uwsgi.xml', '<uwsgi>\n  <!-- https-guard: ignore[a/b] -- r -->\n  <x>1</x> <!-- https-guard: ignore -->\n</uwsgi>\n');
    expect(findDirectives(xml).map((d) => [d.line, d.ownLine, d.reason])).toEqual([[2, true, 'r'], [3, false, undefined]]);
    const nginx = new SourceText('site.conf', 'add_header X "a # https-guard: ignore";\nssl_protocols TLSv1;# https-guard: ignore[a/b]\n');
    expect(findDirectives(nginx).map((d) => d.line)).toEqual([2]);
    const yaml = new SourceText('docker-compose.yml', 'url: http://x#https-guard: ignore\n# https-guard: ignore\nk: v  # https-guard: ignore\n');
    expect(findDirectives(yaml).map((d) => [d.line, d.ownLine])).toEqual([[2, true], [3, false]]);
  });

  it('suggests the id meant', () => {
    const known = RULES.map((r) => r.meta.id);
    expect(nearestId('django/hsts-of', known)).toBe('django/hsts-off');
    expect(nearestId('hsts-off', known)).toBe('django/hsts-off');
    expect(nearestId('totally/unrelated-thing', known)).toBeUndefined();
    expect(nearestId('x'.repeat(10000), known)).toBeUndefined();
  });
});

describe('inline suppressions in a scan', () => {
  it('keeps suppressed findings apart, with where and why, and reports unknown and unused ids', () => {
    const root = ws({
      'settings.py': `${HEAD}SESSION_COOKIE_SECURE = False  # https-guard: ignore[django/session-cookie-insecure] -- the CDN sets Secure
CSRF_COOKIE_HTTPONLY = True  # https-guard: ignore[django/hsts-of, django/session-cookie-insecure]
`,
    });
    const r = scan({ root });
    expect(ids(r.findings)).toEqual(['suppression/unknown-rule:11', 'suppression/unused:11']);
    const unknown = r.findings.find((f) => f.ruleId === 'suppression/unknown-rule')!;
    expect(unknown.message).toContain('did you mean django/hsts-off?');
    expect(unknown.severity).toBe('low');
    expect(unknown.column).toBe(LINE10.indexOf('django/hsts-of') + 1);
    expect(r.findings.find((f) => f.ruleId === 'suppression/unused')!.severity).toBe('info');
    expect(r.suppressedFindings?.map((f) => [f.ruleId, f.line, f.suppression])).toEqual([
      ['django/session-cookie-insecure', 10, { path: 'settings.py', line: 10, reason: 'the CDN sets Secure' }],
    ]);
  });

  it('works in nginx, uwsgi ini and yaml, Dockerfile and compose comments', () => {
    const nginx = `server {
    listen 443 ssl;
    server_name example.com;
    ssl_certificate /etc/ssl/a.pem;
    ssl_certificate_key /etc/ssl/a.key;
    # https-guard: ignore[nginx/weak-ssl-protocols] -- old clients, tracked in OPS-12
    ssl_protocols TLSv1 TLSv1.2;
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
    location / { proxy_pass http://127.0.0.1:8000; }
}
`;
    const root = ws({ 'nginx/site.conf': nginx });
    const r = scan({ root });
    expect(ids(r.findings)).not.toContain('nginx/weak-ssl-protocols:7');
    expect(r.suppressedFindings?.find((f) => f.ruleId === 'nginx/weak-ssl-protocols')?.suppression).toEqual({ path: 'nginx/site.conf', line: 6, reason: 'old clients, tracked in OPS-12' });
    expect(ids(r.findings).filter((x) => x.startsWith('suppression/'))).toEqual([]);

    // The same finding, unsuppressed, for comparison: the comment is what silenced it.
    const plain = scan({ root: ws({ 'nginx/site.conf': nginx.replace(/ *# https-guard.*\n/, '') }) });
    expect(ids(plain.findings)).toContain('nginx/weak-ssl-protocols:6');

    const other = ws({
      'uwsgi.ini': '[uwsgi]\nmodule = app.wsgi\n; https-guard: ignore[nginx/hsts-missing]\nmaster = true\n',
      'uwsgi.yaml': 'uwsgi:\n  module: app.wsgi  # https-guard: ignore[nginx/hsts-missing]\n',
      Dockerfile: 'FROM python:3.12\n# https-guard: ignore[django/hsts-off]\nCMD ["gunicorn", "app.wsgi"]\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .  # https-guard: ignore -- nothing here\n',
      'settings.py': HEAD,
    });
    const unused = scan({ root: other }).findings.filter((f) => f.ruleId === 'suppression/unused');
    expect(unused.map((f) => `${f.path}:${f.line}`).sort()).toEqual(['Dockerfile:2', 'docker-compose.yml:3', 'uwsgi.ini:3', 'uwsgi.yaml:2']);
  });

  it('does not call unused a suppression of a rule that is off, nor a bare one when any rule is off', () => {
    const files = { 'settings.py': `${HEAD}SESSION_COOKIE_SECURE = True  # https-guard: ignore[django/hsts-off]\nX = 1  # https-guard: ignore\n` };
    const on = scan({ root: ws(files) });
    expect(ids(on.findings)).toEqual(['suppression/unused:10', 'suppression/unused:11']);
    const off = scan({ root: ws(files), config: { rules: { 'django/hsts-off': 'off' } } });
    expect(ids(off.findings)).toEqual([]);
    const noUnused = scan({ root: ws(files), config: { rules: { 'suppression/unused': 'off' } } });
    expect(ids(noUnused.findings)).toEqual([]);
  });

  it('does not judge suppressions in a file the rules could not read', () => {
    const broken = scan({ root: ws({ 'settings.py': `${HEAD}X = 1  # https-guard: ignore[django/hsts-off]\nY = (\n` }) });
    expect(ids(broken.findings).filter((x) => x.startsWith('suppression/'))).toEqual([]);
    expect(ids(broken.findings).some((x) => x.startsWith('parse/error'))).toBe(true);
  });

  it('a bare ignore never silences the report about itself; naming the suppression rule does', () => {
    const own = scan({ root: ws({ 'settings.py': `${HEAD}SESSION_COOKIE_SECURE = True  # https-guard: ignore\n` }) });
    expect(ids(own.findings)).toEqual(['suppression/unused:10']);
    const named = scan({ root: ws({ 'settings.py': `${HEAD}# https-guard: ignore[suppression/unknown-rule]\nSESSION_COOKIE_SECURE = True  # https-guard: ignore[django/nope]\n` }) });
    expect(ids(named.findings)).toEqual([]);
    expect(named.suppressedFindings?.map((f) => f.ruleId)).toEqual(['suppression/unknown-rule']);
  });

  it('a suppressed high does not fail the run, is hidden in text and github output, and is listed in JSON and SARIF', () => {
    const root = ws({ 'settings.py': `${HEAD}SESSION_COOKIE_SECURE = False  # https-guard: ignore[django/session-cookie-insecure] -- the CDN sets Secure\n` });
    const text = cli([root, '--fail-on', 'high'], { cwd: root });
    expect(text.code).toBe(0);
    expect(text.stdout).not.toContain('session-cookie-insecure');
    const json = cli([root, '--format', 'json'], { cwd: root });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings).toHaveLength(1);
    expect(report.suppressedFindings[0]).toMatchObject({
      ruleId: 'django/session-cookie-insecure',
      severity: 'high',
      line: 10,
      suppressed: true,
      suppression: { path: 'settings.py', line: 10, reason: 'the CDN sets Secure' },
    });
    const sarif = JSON.parse(cli([root, '--format', 'sarif'], { cwd: root }).stdout);
    expect(sarifErrors(sarif)).toBe('');
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(1);
    expect(results[0].suppressions).toEqual([{ kind: 'inSource', justification: 'the CDN sets Secure' }]);

    const r = scan({ root });
    expect(failureReason(r.findings, 'high')).toBeUndefined();
    expect(countBySeverity([...r.findings, ...(r.suppressedFindings ?? [])]).high).toBe(0);
    expect(formatGithub(r)).not.toContain('session-cookie-insecure');
    expect(formatText(r, { color: false })).not.toContain('session-cookie-insecure');
    expect(toJsonReport(r).findings).toEqual([]);
    expect(toSarif(r).runs[0].results?.[0].suppressions?.[0].kind).toBe('inSource');
  });

  it('the same workspace without the comment fails', () => {
    const root = ws({ 'settings.py': `${HEAD}SESSION_COOKIE_SECURE = False\n` });
    const run = cli([root, '--fail-on', 'high', '--format', 'json'], { cwd: root });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).suppressedFindings).toBeUndefined();
  });

  it('--select and --ignore take the suppression rules like any other', () => {
    const root = ws({ 'settings.py': `${HEAD}SESSION_COOKIE_SECURE = True  # https-guard: ignore[django/nope]\n` });
    const all = JSON.parse(cli([root, '--format', 'json'], { cwd: root }).stdout).findings.map((f: { ruleId: string }) => f.ruleId);
    expect(all).toEqual(['suppression/unknown-rule']);
    const ignored = JSON.parse(cli([root, '--format', 'json', '--ignore', 'suppression/'], { cwd: root }).stdout).findings;
    expect(ignored).toEqual([]);
    const selected = JSON.parse(cli([root, '--format', 'json', '--select', 'suppression/unknown-rule'], { cwd: root }).stdout).findings;
    expect(selected.map((f: { ruleId: string }) => f.ruleId)).toEqual(['suppression/unknown-rule']);
  });
});

const LINE10 = 'CSRF_COOKIE_HTTPONLY = True  # https-guard: ignore[django/hsts-of, django/session-cookie-insecure]';
