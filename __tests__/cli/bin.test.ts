import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version';
import { BROKEN_SETTINGS, onlyParseError, workspace } from './helpers';

// The committed bundle, as `npm ci` users and the demo run it (CI rebuilds and diffs it, so it is current there).
const BIN = path.resolve(import.meta.dirname, '../../dist/cli/index.js');
const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bundled CLI (dist/cli/index.js)', () => {
  it('is an ES module bundle with a shebang, marked executable', () => {
    expect(fs.readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(path.dirname(BIN), 'package.json'), 'utf8')).type).toBe('module');
    expect(fs.statSync(BIN).mode & 0o111).not.toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(pkg.bin['https-guard']).toBe('dist/cli/index.js');
  });

  it('runs under node and reports the version', () => {
    expect(run(process.execPath, [BIN, '--version'], os.tmpdir())).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('runs as an executable through a symlink, as npm installs the bin', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-bin-'));
    tmp.push(dir);
    fs.symlinkSync(BIN, path.join(dir, 'https-guard'));
    expect(run(path.join(dir, 'https-guard'), ['--version'], dir)).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('answers --version and --help without loading the main bundle, and the rest with it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-bin-'));
    tmp.push(dir);
    // The bin alone, without main.cjs beside it.
    fs.copyFileSync(BIN, path.join(dir, 'index.js'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    expect(run(process.execPath, [path.join(dir, 'index.js'), '--version'], dir)).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(run(process.execPath, [path.join(dir, 'index.js'), '--help', '--format', 'json'], dir)).toMatchObject({ code: 0, stdout: run(process.execPath, [BIN, '--help'], dir).stdout });
    expect(run(process.execPath, [path.join(dir, 'index.js'), '--list-rules'], dir).code).not.toBe(0);
  });

  it('keeps a private code cache in the user cache folder and works without one', () => {
    const root = workspace({ '.https-guard.json': onlyParseError('high'), 'app/settings.py': BROKEN_SETTINGS });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-home-'));
    tmp.push(root, home);
    const scan = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, [BIN, '--format', 'json'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const env = { XDG_CACHE_HOME: path.join(home, 'xdg'), HOME: home };
    const dir = path.join(home, 'xdg', 'https-guard');
    // Runs that do not scan leave no cache: it would hold too little for the scans after them.
    for (const args of [['--list-rules'], ['--nope']]) spawnSync(process.execPath, [BIN, ...args], { cwd: root, env: { ...process.env, NODE_OPTIONS: '', ...env } });
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
    const first = scan(env);
    expect(first).toMatchObject({ code: 1, stderr: '' });
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^cli-[0-9a-f]{32}-\d+-v[\d.]+-\w+-[0-9a-f]{8}\.cache$/);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, files[0])).mode & 0o777).toBe(0o600);
    expect(scan(env)).toEqual(first);
    // A damaged file is rejected by V8 and replaced.
    fs.writeFileSync(path.join(dir, files[0]), 'not a code cache');
    expect(scan(env)).toEqual(first);
    expect(fs.statSync(path.join(dir, files[0])).size).toBeGreaterThan(1000);
    // Nowhere to write: no cache, same result.
    const file = path.join(home, 'a-file');
    fs.writeFileSync(file, '');
    expect(scan({ XDG_CACHE_HOME: file, HOME: file, TMPDIR: file })).toEqual(first);
    expect(scan({ ...env, NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(first);
  });

  it('scans and sets the exit status', () => {
    const root = workspace({ '.https-guard.json': onlyParseError('high'), 'app/settings.py': BROKEN_SETTINGS });
    tmp.push(root);
    const failing = run(process.execPath, [BIN, '--format', 'json'], root);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).findings[0]).toMatchObject({ ruleId: 'parse/error', path: 'app/settings.py', severity: 'high' });
    expect(run(process.execPath, [BIN, '--fail-on', 'never'], root).code).toBe(0);
    const usage = run(process.execPath, [BIN, '--nope'], root);
    expect(usage.code).toBe(2);
    expect(usage.stderr).not.toMatch(/\n\s+at /);
  });
});
