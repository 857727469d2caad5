import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, mergeConfig, validateConfig } from '../../src/config';
import { classifyPath, classifyText } from '../../src/engine/classify';
import { scan } from '../../src/engine/scan';

const SETTINGS = `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
SESSION_COOKIE_SECURE = False
`;

let dirs: string[] = [];
function workspace(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-eng-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('workspace walk', () => {
  it('never follows symbolic links and reports each one', () => {
    const outside = workspace({ 'settings.py': SETTINGS });
    const root = workspace({ 'app/settings.py': SETTINGS });
    fs.symlinkSync(path.join(outside, 'settings.py'), path.join(root, 'app', 'linked_settings.py'));
    fs.symlinkSync(outside, path.join(root, 'outside'));
    const r = scan({ root });
    expect(r.files.map((f) => f.path)).toEqual(['app/settings.py']);
    expect(r.skipped).toEqual([
      { path: 'app/linked_settings.py', reason: 'symbolic link (never followed)' },
      { path: 'outside', reason: 'symbolic link (never followed)' },
    ]);
    expect(r.findings.every((f) => !f.path.includes('linked') && !f.path.startsWith('outside'))).toBe(true);
  });

  it('skips vendored and virtualenv directories', () => {
    const root = workspace({
      'node_modules/pkg/settings.py': SETTINGS,
      '.venv/lib/settings.py': SETTINGS,
      'env/pyvenv.cfg': 'home = /usr/bin\n',
      'env/lib/python3.11/site/settings.py': SETTINGS,
      'proj/settings.py': SETTINGS,
    });
    expect(scan({ root }).files.map((f) => f.path)).toEqual(['proj/settings.py']);
  });

  it('reports oversized, binary and non-UTF-8 deployment files, and ignores unrelated binaries', () => {
    const root = workspace({
      'a/settings.py': `${SETTINGS}# ${'x'.repeat(2000)}\n`,
      'b/settings.py': Buffer.from([0x41, 0x00, 0x42]),
      'c/settings.py': Buffer.from('SECRET_KEY = "caf\xe9"\n', 'latin1'),
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]),
    });
    const r = scan({ root, config: { maxFileBytes: 1000 } });
    expect(r.skipped.map((s) => s.path)).toEqual(['a/settings.py', 'b/settings.py', 'c/settings.py']);
    expect(r.skipped[0].reason).toMatch(/larger than 1000 bytes/);
    expect(r.skipped[1].reason).toMatch(/binary/);
    expect(r.skipped[2].reason).toMatch(/UTF-8/);
    const parseErrors = r.findings.filter((f) => f.ruleId === 'parse/error').map((f) => f.path);
    expect(parseErrors).toEqual(['a/settings.py', 'b/settings.py', 'c/settings.py']);
  });

  it('scans only the given paths and honours ignore globs', () => {
    const root = workspace({ 'one/settings.py': SETTINGS, 'two/settings.py': SETTINGS, 'one/tests/settings.py': SETTINGS });
    expect(scan({ root, paths: ['one'], config: { ignore: ['**/tests'] } }).files.map((f) => f.path)).toEqual(['one/settings.py']);
  });
});

describe('classification', () => {
  it('selects settings and wsgi modules by name, and other modules by what they assign or call', () => {
    expect(classifyPath('proj/settings.py')).toEqual({ kind: 'django-settings', byName: true });
    expect(classifyPath('proj/settings/production.py')).toEqual({ kind: 'django-settings', byName: true });
    expect(classifyPath('proj/prod_settings.py')).toEqual({ kind: 'django-settings', byName: true });
    expect(classifyPath('proj/wsgi.py')).toEqual({ kind: 'wsgi', byName: true });
    expect(classifyPath('proj/asgi.py')).toEqual({ kind: 'wsgi', byName: true });
    expect(classifyPath('README.md')).toBeUndefined();
    expect(classifyPath('proj/config.py')).toBe('needs-text');
    expect(classifyText('proj/config.py', SETTINGS)).toEqual({ kind: 'django-settings', byName: false });
    expect(classifyText('proj/views.py', 'SESSION_COOKIE_SECURE = True\n')).toBeUndefined();
    expect(classifyText('serve.py', 'from django.core.wsgi import get_wsgi_application\napp = get_wsgi_application()\n')).toEqual({ kind: 'wsgi', byName: false });
  });

  it('reads a file named for nginx without .conf, after its domain, or in a folder named for nginx, by its text', () => {
    const site = 'server {\n  listen 443 ssl;\n  ssl_protocols TLSv1 TLSv1.2;\n}\n';
    for (const p of ['ansible/roles/web/templates/nginx.j2', 'deploy/nginx-site', 'deploy/app_nginx.tmpl', 'deploy/local_install/mediacms.io', 'deploy/www.example.com', 'nginx-prod/django_project.prod', 'docker/nginx_conf/default-ssl']) {
      expect(classifyPath(p)).toBe('needs-text');
      expect(classifyText(p, site)?.kind).toBe('nginx');
    }
    expect(classifyText('ansible/roles/web/templates/nginx.j2', 'pid {{ pidfile }}\n')).toBeUndefined();
    expect(classifyPath('scripts/nginx.sh')).toBeUndefined();
    expect(classifyPath('rb/conf/nginx-to-gunicorn.conf.in')).toBeUndefined();
    expect(classifyText('docs/example.com', 'Example domain notes.\n')).toBeUndefined();
    expect(classifyPath('docs/engineering.txt')).toBeUndefined();
  });
});

describe('config', () => {
  it('validates keys and values with the file named in the error', () => {
    expect(() => validateConfig({ 'fail-on': 'severe' }, '.https-guard.json')).toThrow(/\.https-guard\.json: fail-on must be one of/);
    expect(() => validateConfig({ rules: { 'django/hsts-off': 'loud' } }, 'x')).toThrow(ConfigError);
    expect(() => validateConfig({ colour: true }, 'x')).toThrow(/unknown key "colour"/);
    expect(validateConfig({ 'django-version': '3.2', rules: { 'django/hsts-off': 'OFF' } }, 'x')).toEqual({ djangoVersion: '3.2', rules: { 'django/hsts-off': 'off' } });
    expect(mergeConfig({ rules: { a: 'low' } }, { rules: { b: 'off' } }).rules).toEqual({ a: 'low', b: 'off' });
  });

  it('reads .https-guard.yml and applies severity overrides and off switches', () => {
    const root = workspace({
      '.https-guard.yml': 'rules:\n  django/session-cookie-insecure: low\n  django/hsts-off: "off"\n',
      'settings.py': SETTINGS,
    });
    const { config } = loadConfigFile(root);
    const r = scan({ root, config });
    expect(r.findings.find((f) => f.ruleId === 'django/session-cookie-insecure')?.severity).toBe('low');
    expect(r.findings.some((f) => f.ruleId === 'django/hsts-off')).toBe(false);
  });

  it('rejects a broken config file with a clear error', () => {
    const root = workspace({ '.https-guard.json': '{"fail-on": ' });
    expect(() => loadConfigFile(root)).toThrow(/\.https-guard\.json:/);
  });
});

describe('inline suppression', () => {
  it('honours `https-guard: ignore[rule]` on the line or alone on the line above, and only for the named rule', () => {
    const root = workspace({
      'settings.py': `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
SESSION_COOKIE_SECURE = False  # https-guard: ignore[django/session-cookie-insecure]
# https-guard: ignore[django/hsts-off]
SECURE_HSTS_SECONDS = 0
SECURE_SSL_REDIRECT = False  # https-guard: ignore[django/hsts-off]
`,
    });
    const ids = scan({ root }).findings.map((f) => f.ruleId);
    expect(ids).not.toContain('django/session-cookie-insecure');
    expect(ids).not.toContain('django/hsts-off');
    expect(ids).toContain('django/ssl-redirect-off');
  });
});

describe('findings', () => {
  it('are sorted, de-duplicated and carry relative POSIX paths', () => {
    const root = workspace({ 'b/settings.py': SETTINGS, 'a/settings.py': SETTINGS });
    const r = scan({ root });
    const keys = r.findings.map((f) => `${f.path}:${f.line}:${f.ruleId}`);
    expect(keys).toEqual([...new Set(keys)]);
    expect(keys).toEqual([...keys].sort((x, y) => (x.split(':')[0] < y.split(':')[0] ? -1 : x.split(':')[0] > y.split(':')[0] ? 1 : Number(x.split(':')[1]) - Number(y.split(':')[1]))));
    expect(r.findings.every((f) => !path.isAbsolute(f.path) && !f.path.includes('\\'))).toBe(true);
  });
});

describe('a rule that throws', () => {
  it('does not stop the other rules and is reported, not swallowed', async () => {
    const { runRules } = await import('../../src/engine/run');
    const { mergeConfig } = await import('../../src/config');
    const { SourceText } = await import('../../src/parsers/source');
    const model = {
      sources: new Map([['settings.py', new SourceText('settings.py', 'X = 1\n')]]),
      settings: [], settingsNotJudged: [], python: [], diagnostics: [],
      nginx: { configs: [], servers: [], packagedStandIns: new Set<string>(), includeProblems: [] },
    };
    const loc = { path: 'settings.py', line: 1, column: 1, endLine: 1, endColumn: 6 };
    const findings = runRules(
      [
        { meta: { id: 'test/broken', severity: 'high', title: 't', kinds: ['django-settings'] }, check: () => { throw new Error('boom'); } },
        { meta: { id: 'test/fine', severity: 'low', title: 't', kinds: ['django-settings'] }, check: (ctx) => ctx.report({ loc, message: 'ok', hint: 'fix it' }) },
      ],
      model,
      mergeConfig(),
    );
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['test/broken', 'info'], ['test/fine', 'low']]);
    expect(findings[0].message).toMatch(/could not finish this rule \(boom\)/);
    expect(findings[0].path).toBe('settings.py');
  });
});

describe('one finding per cause', () => {
  async function run(reports: { rule: string; severity?: 'high' | 'medium' | 'low'; line: number; keys: string[]; primary: boolean }[], text = 'a\nb\nc\nd\ne\n', rules: Record<string, 'off' | 'low'> = {}) {
    const { runRules } = await import('../../src/engine/run');
    const { mergeConfig } = await import('../../src/config');
    const { SourceText } = await import('../../src/parsers/source');
    const model = {
      sources: new Map([['f.conf', new SourceText('f.conf', text)]]),
      settings: [], settingsNotJudged: [], python: [], diagnostics: [],
      nginx: { configs: [], servers: [], packagedStandIns: new Set<string>(), includeProblems: [] },
    };
    const ids = [...new Set(reports.map((r) => r.rule))];
    return runRules(
      ids.map((id) => ({
        meta: { id, severity: 'medium' as const, title: 't', kinds: ['nginx' as const] },
        check: (ctx) => {
          for (const r of reports.filter((x) => x.rule === id)) {
            ctx.report({ loc: { path: 'f.conf', line: r.line, column: 1, endLine: r.line, endColumn: 2 }, message: `m${r.line}`, hint: 'h', severity: r.severity, cause: { keys: r.keys, primary: r.primary } });
          }
        },
      })),
      model,
      mergeConfig({ rules: rules as never }),
    );
  }

  it('keeps the primary finding, with the others as related places and the worst severity', async () => {
    const f = await run([
      { rule: 'a/primary', severity: 'medium', line: 1, keys: ['k'], primary: true },
      { rule: 'b/face', severity: 'high', line: 3, keys: ['k'], primary: false },
    ]);
    expect(f.map((x) => [x.ruleId, x.severity, x.line])).toEqual([['a/primary', 'high', 1]]);
    expect(f[0].related).toEqual([{ path: 'f.conf', line: 3, column: 1, message: 'b/face: m3' }]);
  });

  it('does not merge two primaries of different causes, and keeps a face whose causes are not all covered', async () => {
    const f = await run([
      { rule: 'a/primary', line: 1, keys: ['server1'], primary: true },
      { rule: 'a/primary', line: 2, keys: ['server2'], primary: true },
      { rule: 'b/face', line: 3, keys: ['server1', 'server2'], primary: false },
      { rule: 'b/face', line: 4, keys: ['server1', 'server3'], primary: false },
    ]);
    expect(f.map((x) => [x.ruleId, x.line])).toEqual([['a/primary', 1], ['a/primary', 2], ['b/face', 4]]);
    expect(f[0].related?.map((r) => r.line)).toEqual([3]);
    expect(f[1].related?.map((r) => r.line)).toEqual([3]);
    expect(f[2].related).toBeUndefined();
  });

  it('reports the other face when the primary rule is off', async () => {
    const f = await run([
      { rule: 'a/primary', line: 1, keys: ['k'], primary: true },
      { rule: 'b/face', line: 3, keys: ['k'], primary: false },
    ], undefined, { 'a/primary': 'off' });
    expect(f.map((x) => [x.ruleId, x.line])).toEqual([['b/face', 3]]);
  });

  it('silences the whole cause when the primary finding is suppressed, only the face when the face is', async () => {
    const reports = [
      { rule: 'a/primary', line: 1, keys: ['k'], primary: true },
      { rule: 'b/face', line: 3, keys: ['k'], primary: false },
    ];
    expect(await run(reports, 'a # https-guard: ignore\nb\nc\nd\n')).toEqual([]);
    const faceQuiet = await run(reports, 'a\nb\nc # https-guard: ignore[b/face]\nd\n');
    expect(faceQuiet.map((x) => [x.ruleId, x.related])).toEqual([['a/primary', undefined]]);
  });
});

describe('one line of a shared base module', () => {
  it('is one finding that names every judged module using it, not one per module', () => {
    const base = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\nSESSION_COOKIE_SECURE = False\n';
    const root = workspace({
      'proj/__init__.py': '',
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': base,
      'proj/settings/cloud.py': 'from .base import *\nDEBUG = False\n',
      'proj/settings/vps.py': 'from .base import *\nALLOWED_HOSTS = ["example.org"]\n',
      Dockerfile: 'FROM python:3.12\nCMD ["gunicorn", "proj.wsgi"]\n',
    });
    const cookie = scan({ root }).findings.filter((f) => f.ruleId === 'django/session-cookie-insecure');
    expect(cookie.map((f) => `${f.path}:${f.line}`)).toEqual(['proj/settings/base.py:3']);
    expect(cookie[0].message).toContain('(settings modules proj/settings/cloud.py, proj/settings/vps.py)');
  });
});
