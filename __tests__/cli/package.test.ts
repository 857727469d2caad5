import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { classifyPath } from '../../src/engine/classify';
import { VERSION } from '../../src/version';
import { EXAMPLES } from './helpers';

/**
 * The package as npm would publish it: the sources are bundled into a copy of the repository's package files
 * (the committed dist/ may lag behind the sources until the next build), packed with `npm pack`, installed
 * from the tarball into an empty prefix without the network, and run from there. The same copy, committed to
 * a git repository, is the hook repository for `pre-commit try-repo`.
 */
const REPO = path.resolve(import.meta.dirname, '../..');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-pkg-')));
const stage = path.join(tmp, 'stage');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// No update check, no audit, no funding notes, no registry: everything here is local.
const NPM_ENV = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_offline: 'true', NO_COLOR: '1' };

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: NPM_ENV, ...opts });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), error: r.error };
}

function must(r: ReturnType<typeof run>, what: string) {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.error ?? ''}${r.stderr}${r.stdout}`);
  return r;
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
let tarball: string;

beforeAll(() => {
  fs.mkdirSync(stage);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.pre-commit-hooks.yaml']) fs.copyFileSync(path.join(REPO, f), path.join(stage, f));
  fs.cpSync(path.join(REPO, 'docs'), path.join(stage, 'docs'), { recursive: true });
  // The same bundles `npm run build` makes for the bin.
  must(run(process.execPath, [path.join(REPO, 'scripts/build-cli.mjs'), path.join(stage, 'dist/cli')], { cwd: REPO }), 'build-cli');
  const packed = must(run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: stage }), 'npm pack');
  tarball = path.join(tmp, JSON.parse(packed.stdout)[0].filename);
}, 600_000);

describe('the npm package', () => {
  it('is publishable and ships the bundle, the rule pages and the docs it names, nothing else', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.bin).toEqual({ 'https-guard': 'dist/cli/index.js' });
    expect(pkg.engines.node).toMatch(/^>=\d+/);
    expect(pkg.repository.url).toContain('github.com/https-guard/https-guard');
    const listing = must(run('npm', ['pack', '--dry-run', '--json'], { cwd: stage }), 'npm pack --dry-run');
    const files: string[] = JSON.parse(listing.stdout)[0].files.map((f: { path: string }) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining(['dist/cli/index.js', 'dist/cli/main.cjs', 'dist/cli/licenses.txt', 'docs/rules/README.md', 'docs/rules/django/hsts-off.md', 'README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']));
    expect(files.filter((f) => !/^(dist\/cli\/|docs\/rules\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f))).toEqual([]);
  });

  it('has no runtime dependencies: dist/cli is self-contained (build-time packages belong in devDependencies)', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('installs from the tarball into an empty prefix and runs from there', () => {
    const prefix = path.join(tmp, 'prefix');
    fs.mkdirSync(prefix);
    must(run('npm', ['install', '--prefix', prefix, '--no-save', '--offline', tarball], { cwd: prefix }), 'npm install');
    const bin = path.join(prefix, 'node_modules/.bin/https-guard');
    expect(run(bin, ['--version'], { cwd: tmp })).toMatchObject({ code: 0, stdout: `${VERSION}\n` });

    const project = path.join(tmp, 'project');
    fs.cpSync(EXAMPLES, project, { recursive: true });
    const scan = run(bin, ['--format', 'json', '--fail-on', 'never'], { cwd: project });
    expect(scan.code).toBe(0);
    const report = JSON.parse(scan.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toContain('mysite/mysite/settings/production.py');
    expect(report.findings.length).toBeGreaterThan(5);
    expect(run(bin, ['--fail-on', 'low'], { cwd: project }).code).toBe(1);
    // The rule pages came with the package.
    const page = fs.readFileSync(path.join(REPO, 'docs/rules/django/hsts-off.md'), 'utf8');
    expect(run(bin, ['--explain', 'django/hsts-off'], { cwd: tmp }).stdout).toBe(page);
  });
});

const HOOKS = YAML.parse(fs.readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; files: string; entry: string; language: string }[];
const hasPreCommit = run('pre-commit', ['--version']).code === 0;

describe('.pre-commit-hooks.yaml', () => {
  const hook = HOOKS.find((h) => h.id === 'https-guard')!;

  it('passes every file the scanner selects by name, and leaves out what it never reads', () => {
    // pre-commit matches with Python's re.search; this pattern means the same in JavaScript.
    const files = new RegExp(hook.files);
    const selected = ['settings.py', 'proj/settings/production.py', 'proj/wsgi.py', 'asgi.py', 'etc/nginx/nginx.conf', 'deploy/site.nginx', 'nginx/conf.d/app.conf', 'sites-available/mysite', 'proj/local_settings.py', 'x/conf.d/api.conf.template'];
    for (const f of selected) {
      expect(classifyPath(f), f).toBeDefined();
      expect(files.test(f), f).toBe(true);
    }
    for (const f of ['README.md', 'package.json', 'docs/index.rst', 'static/app.js']) {
      expect(classifyPath(f), f).toBeUndefined();
      expect(files.test(f), f).toBe(false);
    }
    expect(hook.language).toBe('script');
    expect(hook.entry).toBe(pkg.bin['https-guard']);
  });

  it.skipIf(!hasPreCommit && process.env.CI !== 'true')('runs with pre-commit try-repo on a sample repository, without the network, on the files given', () => {
    const git = (cwd: string, ...args: string[]) => must(run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd }), `git ${args[0]}`);
    git(stage, 'init', '-q');
    git(stage, 'add', '-A');
    git(stage, 'commit', '-qm', 'hook repository');
    const sample = path.join(tmp, 'sample');
    fs.cpSync(EXAMPLES, sample, { recursive: true });
    git(sample, 'init', '-q');
    git(sample, 'add', '-A');
    git(sample, 'commit', '-qm', 'sample');

    const env = { ...NPM_ENV, PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never', GIT_CONFIG_NOSYSTEM: '1' };
    const tryRepo = (...args: string[]) => run('pre-commit', ['try-repo', stage, 'https-guard', '--verbose', ...args], { cwd: sample, env });

    const one = tryRepo('--files', 'mysite/mysite/settings/production.py');
    expect(one.code, one.stdout + one.stderr).toBe(1);
    expect(one.stdout).toMatch(/HTTPS Guard\.+Failed/);
    // Only the file given, with what it inherits from base.py: its findings as in a full scan.
    expect(one.stdout).toMatch(/^mysite\/mysite\/settings\/production\.py$/m);
    expect(one.stdout).not.toMatch(/^deploy\//m);
    const full = JSON.parse(run(path.join(stage, 'dist/cli/index.js'), ['--format', 'json', '--fail-on', 'never'], { cwd: sample }).stdout);
    const expected = full.findings.filter((f: { path: string }) => f.path === 'mysite/mysite/settings/production.py').length;
    expect(one.stdout.match(/^ {2}\d+:\d+ {2}/gm)).toHaveLength(expected);

    const none = tryRepo('--files', 'README.md');
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/HTTPS Guard\.+\(no files to check\)Skipped/);
  }, 300_000);
});
