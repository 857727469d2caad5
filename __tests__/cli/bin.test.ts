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
