import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { USAGE, runCli } from '../../src/cli';
import { VERSION } from '../../src/version';
import { BROKEN_SETTINGS, cli, onlyParseError, workspace } from './helpers';

const roots: string[] = [];
function ws(files: Record<string, string>): string {
  const root = workspace(files);
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const PIN = (severity: string) => onlyParseError(severity);

describe('version and help', () => {
  it('VERSION equals the package.json version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('prints the version and the usage', () => {
    const cwd = ws({});
    expect(cli(['--version'], { cwd })).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(cli(['-V'], { cwd }).stdout).toBe(`${VERSION}\n`);
    const help = cli(['--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(USAGE);
    for (const flag of ['--format', '--fail-on', '--output', '--config', '--root', '--django-version', '--nginx-version', '--help', '--version']) {
      expect(USAGE).toContain(flag);
    }
  });
});

describe('exit status and configuration', () => {
  it('is 1 only when a finding reaches fail-on', () => {
    const cwd = ws({ '.https-guard.json': PIN('medium'), 'app/settings.py': BROKEN_SETTINGS });
    expect(cli([], { cwd }).code).toBe(0); // default fail-on high
    expect(cli(['--fail-on', 'medium'], { cwd }).code).toBe(1);
    expect(cli(['--fail-on=low'], { cwd }).code).toBe(1);
    expect(cli(['--fail-on', 'never'], { cwd }).code).toBe(0);
  });

  it('is 0 for a clean workspace at any fail-on', () => {
    const cwd = ws({ 'README.md': '# nothing to check\n' });
    const r = cli(['--fail-on', 'info'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0 findings (0 high, 0 medium, 0 low, 0 info); 0 files checked, 0 skipped\n');
  });

  it('reads fail-on from the config file at the root, and lets the flag override it', () => {
    const cwd = ws({ '.https-guard.yml': onlyParseError('medium', { 'fail-on': 'medium' }), 'app/settings.py': BROKEN_SETTINGS });
    expect(cli([], { cwd }).code).toBe(1);
    expect(cli(['--fail-on', 'high'], { cwd }).code).toBe(0);
  });

  it('uses --config instead of the file at the root', () => {
    const cwd = ws({
      '.https-guard.json': JSON.stringify({ 'fail-on': 'never' }),
      'ci/strict.yaml': onlyParseError('low', { 'fail-on': 'low' }),
      'app/settings.py': BROKEN_SETTINGS,
    });
    expect(cli([], { cwd }).code).toBe(0);
    const r = cli(['--config', 'ci/strict.yaml', '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0].severity).toBe('low');
  });

  it('applies rule settings: off removes the finding', () => {
    const cwd = ws({ '.https-guard.json': PIN('off'), 'app/settings.py': BROKEN_SETTINGS });
    expect(JSON.parse(cli(['--format', 'json'], { cwd }).stdout).findings).toEqual([]);
  });

  it.each([
    [{ '.https-guard.yml': 'fail-on: sometimes\n' }, [], /config error: \.https-guard\.yml:1:10: fail-on must be one of/],
    [{ '.https-guard.json': '{ not json' }, [], /config error: \.https-guard\.json:1:3: invalid JSON/],
    [{ '.https-guard.yaml': 'unknown-key: 1\n' }, [], /unknown key "unknown-key"/],
    [{}, ['--config', 'missing.yml'], /config error: missing\.yml: cannot read: ENOENT/],
    [{}, ['--fail-on', 'critical'], /fail-on must be one of high, medium, low, info, never, got "critical"/],
    [{}, ['--django-version', 'latest'], /django-version must be a version like 4\.2/],
    [{}, ['--nginx-version', '1.x'], /nginx-version must be a version like/],
  ])('exits 2 on a config error (%j %j)', (files, argv, message) => {
    const cwd = ws(files as Record<string, string>);
    const r = cli(argv as string[], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--format', 'xml'], /--format must be one of text, concise, json, sarif, github, gitlab, junit, got "xml"/],
    [['--format'], /argument missing|requires a value|--format/],
    [['nope'], /no such file or directory: nope/],
  ])('exits 2 on a usage error %j', (argv, message) => {
    const r = cli(argv, { cwd: ws({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('https-guard --help');
  });

  it('exits 2 on an internal error and shows the stack only with HTTPS_GUARD_DEBUG=1', () => {
    const cwd = ws({ 'out/.keep': '', 'app/settings.py': 'DEBUG = False\n' });
    // Writing the report under a file (outside the root, so the author's choice) fails after the scan.
    const quiet = cli(['--output', '/dev/null/report'], { cwd });
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).toMatch(/^https-guard: error: cannot write "\/dev\/null\/report": E[A-Z]+\n$/);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    // Over a folder of the root: refused as it is, never an internal error.
    expect(cli(['--output', 'out'], { cwd }).stderr).toBe('https-guard: refusing to write "out": it exists and is not a regular file\n');
    const debug = cli(['--output', '/dev/null/report'], { cwd, env: { HTTPS_GUARD_DEBUG: '1' } });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe('workspace root and paths', () => {
  it('uses the current directory when every path is inside it, with POSIX paths relative to it', () => {
    const cwd = ws({ '.https-guard.json': PIN('high'), 'a/settings.py': BROKEN_SETTINGS, 'b/settings.py': BROKEN_SETTINGS });
    const r = cli(['a', '--format', 'json'], { cwd });
    const json = JSON.parse(r.stdout);
    expect(json.files).toEqual([{ path: 'a/settings.py', kind: 'django-settings', role: 'production' }]);
    expect(json.findings.map((f: { path: string }) => f.path)).toEqual(['a/settings.py']);
    expect(r.code).toBe(1);
  });

  it('takes one folder outside the current directory as the root', () => {
    const outside = ws({ 'proj/settings.py': BROKEN_SETTINGS });
    const cwd = ws({});
    const json = JSON.parse(cli([outside, '--format', 'json'], { cwd }).stdout);
    expect(json.files).toEqual([{ path: 'proj/settings.py', kind: 'django-settings', role: 'production' }]);
  });

  it('without a root marker, takes the one folder given as the root, not its neighbours in the current directory', () => {
    const cwd = ws({ 'a/settings.py': BROKEN_SETTINGS, 'b/settings.py': BROKEN_SETTINGS, 'b/nginx.conf': 'server { listen 80; }\n' });
    const json = JSON.parse(cli(['a', '--format', 'json'], { cwd }).stdout);
    expect(json.files).toEqual([{ path: 'settings.py', kind: 'django-settings', role: 'production' }]);
    // Files given: the current directory stays the root, so paths keep their folders.
    expect(JSON.parse(cli(['a/settings.py', '--format', 'json'], { cwd }).stdout).files.map((f: { path: string }) => f.path)).toEqual(['a/settings.py']);
  });

  it('reads the config at the chosen root', () => {
    const outside = ws({ '.https-guard.json': onlyParseError('medium', { 'fail-on': 'medium' }), 'settings.py': BROKEN_SETTINGS });
    expect(cli([outside], { cwd: ws({}) }).code).toBe(1);
  });

  it('refuses paths outside the root', () => {
    const a = ws({ 'settings.py': '' });
    const b = ws({ 'settings.py': '' });
    const cwd = ws({});
    expect(cli([a, b], { cwd })).toMatchObject({ code: 2, stderr: expect.stringMatching(/paths outside the current directory need --root/) });
    expect(cli([path.join(a, 'settings.py')], { cwd })).toMatchObject({ code: 2 });
    expect(cli(['--root', a, b], { cwd })).toMatchObject({ code: 2, stderr: expect.stringContaining('is outside the root') });
    expect(cli(['--root', path.join(a, 'settings.py')], { cwd })).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a directory') });
  });

  it('makes paths relative to --root', () => {
    const root = ws({ 'deploy/app/settings.py': BROKEN_SETTINGS });
    const r = cli(['--root', root, path.join(root, 'deploy'), '--format', 'json'], { cwd: ws({}) });
    expect(JSON.parse(r.stdout).files).toEqual([{ path: 'deploy/app/settings.py', kind: 'django-settings', role: 'production' }]);
  });
});

describe('formats and output', () => {
  it('prints text with the finding line and a summary', () => {
    const cwd = ws({ '.https-guard.json': PIN('high'), 'app/settings.py': BROKEN_SETTINGS });
    const { stdout } = cli([], { cwd });
    expect(stdout).toMatch(/^app\/settings\.py\n {2}\d+:\d+ {2}high {2}parse\/error {2}.+\n {4}hint: .+\n {4}docs: https:\/\/\S+\/docs\/rules\/parse\/error\.md\n/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 finding (1 high, 0 medium, 0 low, 0 info); 1 file checked, 0 skipped');
  });

  it('colours only a terminal without NO_COLOR', () => {
    const cwd = ws({ 'app/settings.py': BROKEN_SETTINGS });
    expect(cli([], { cwd, tty: true }).stdout).toContain('\x1b[');
    expect(cli([], { cwd, tty: true, env: { NO_COLOR: '1' } }).stdout).not.toContain('\x1b[');
    expect(cli([], { cwd, tty: false }).stdout).not.toContain('\x1b[');
    expect(cli(['--output', 'r.txt'], { cwd, tty: true }).stdout).toBe('');
    expect(fs.readFileSync(path.join(cwd, 'r.txt'), 'utf8')).not.toContain('\x1b[');
  });

  it('writes the report to --output instead of stdout, creating folders', () => {
    const cwd = ws({ 'app/settings.py': BROKEN_SETTINGS });
    const r = cli(['--format', 'sarif', '--output', 'reports/out.sarif'], { cwd });
    expect(r.stdout).toBe('');
    const log = JSON.parse(fs.readFileSync(path.join(cwd, 'reports/out.sarif'), 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('app/settings.py');
  });

  it('writes to a file descriptor in chunks the same bytes as through write(), --output the same again', () => {
    const cwd = ws({ 'app/settings.py': BROKEN_SETTINGS, 'deploy/nginx.conf': 'server { listen 80; server_name a; }\n' });
    for (const format of ['json', 'sarif', 'text', 'concise']) {
      const viaWrite = cli(['--format', format], { cwd });
      const file = path.join(cwd, `fd.${format}`);
      const fd = fs.openSync(file, 'w');
      let written = '';
      let stderr = '';
      try {
        const code = runCli(['--format', format], {
          cwd,
          env: {},
          stdout: { write: (s: string) => (written += s), fd },
          stderr: { write: (s: string) => (stderr += s) },
        });
        expect(code).toBe(viaWrite.code);
      } finally {
        fs.closeSync(fd);
      }
      expect(written).toBe('');
      expect(stderr).toBe(viaWrite.stderr);
      expect(fs.readFileSync(file, 'utf8')).toBe(viaWrite.stdout);
      cli(['--format', format, '--output', `out.${format}`], { cwd });
      expect(fs.readFileSync(path.join(cwd, `out.${format}`), 'utf8')).toBe(viaWrite.stdout);
    }
  });

  it('HTTPS_GUARD_TIMING: the report phase is printed once the report is written', () => {
    const cwd = ws({ 'app/settings.py': BROKEN_SETTINGS });
    const events: string[] = [];
    runCli(['--format', 'json'], {
      cwd,
      env: { HTTPS_GUARD_TIMING: 'json' },
      stdout: { write: (s: string) => events.push('out') },
      stderr: { write: (s: string) => events.push(s) },
    });
    const timing = events.findIndex((e) => e.includes('"phases"'));
    expect(timing).toBeGreaterThan(events.lastIndexOf('out'));
    expect(JSON.parse(events[timing]).phases.report).toBeGreaterThanOrEqual(0);
  });
});

describe('the Django release', () => {
  const files = {
    'requirements.txt': 'Django==1.11.29\n',
    'proj/settings.py': 'MIDDLEWARE_CLASSES = ("django.middleware.csrf.CsrfViewMiddleware",)\n',
  };
  const csrf = (out: string) => (JSON.parse(out) as { findings: { ruleId: string; message: string }[] }).findings.filter((f) => f.ruleId === 'django/csrf-cookie-insecure');

  it('is the one the requirements pin when no django-version is given, and the flag wins over it', () => {
    const root = workspace(files);
    const pinned = cli(['--format', 'json', '--fail-on', 'never'], { cwd: root });
    expect(csrf(pinned.stdout)).toHaveLength(1);
    const flagged = cli(['--format', 'json', '--fail-on', 'never', '--django-version', '4.2'], { cwd: root });
    expect(csrf(flagged.stdout)).toHaveLength(0);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('is also given by a config file', () => {
    const root = workspace({ ...files, '.https-guard.json': '{"django-version": "5.2"}' });
    expect(csrf(cli(['--format', 'json', '--fail-on', 'never'], { cwd: root }).stdout)).toHaveLength(0);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
