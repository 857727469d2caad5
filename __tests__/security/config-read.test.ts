import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, MAX_CONFIG_BYTES, loadConfigFile, readConfigFile } from '../../src/config';
import { cli } from '../cli/helpers';
import { removeTempDirs, runActionFromSource, tempDir } from '../github/harness';

afterEach(() => removeTempDirs());

const SECRET = 'AKIA-OUTSIDE-SECRET-never-echo';

function hostile(): { root: string; outside: string } {
  const base = tempDir('hg-cfg-');
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.yml'), `${SECRET}: [\n`);
  return { root, outside };
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('config files are read like the walk reads files', () => {
  it('refuses a discovered .https-guard.yml that is a symbolic link, without echoing its target', () => {
    const { root, outside } = hostile();
    fs.symlinkSync(path.join(outside, 'secret.yml'), path.join(root, '.https-guard.yml'));
    const message = configError(() => loadConfigFile(root));
    expect(message).toBe('.https-guard.yml: cannot read: symbolic link (never followed)');
  });

  it('refuses a link to /dev/zero at once (no unbounded read)', () => {
    const { root } = hostile();
    fs.symlinkSync('/dev/zero', path.join(root, '.https-guard.json'));
    expect(configError(() => loadConfigFile(root))).toMatch(/symbolic link/);
    // Named by the author outside the workspace: still not a regular file.
    expect(configError(() => readConfigFile(root, '/dev/zero', '/dev/zero'))).toBe('/dev/zero: cannot read: not a regular file');
  });

  it('refuses a FIFO without blocking on it', () => {
    const { root } = hostile();
    execFileSync('mkfifo', [path.join(root, '.https-guard.yml')]);
    expect(configError(() => loadConfigFile(root))).toBe('.https-guard.yml: cannot read: not a regular file');
  }, 30_000);

  it('refuses a config input under a symlinked folder of the workspace', () => {
    const { root, outside } = hostile();
    fs.symlinkSync(outside, path.join(root, 'ci'));
    expect(configError(() => readConfigFile(root, 'ci/secret.yml'))).toBe('ci/secret.yml: cannot read: ci is a symbolic link in the workspace (never followed)');
  });

  it('checks the size on the open file', () => {
    const { root } = hostile();
    fs.writeFileSync(path.join(root, '.https-guard.yml'), `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(configError(() => loadConfigFile(root))).toBe(`.https-guard.yml: cannot read: larger than ${MAX_CONFIG_BYTES} bytes`);
  });

  it('never quotes the content of a file it cannot parse', () => {
    const { root, outside } = hostile();
    expect(configError(() => readConfigFile(root, path.join(outside, 'secret.yml'), 'secret.yml'))).not.toContain(SECRET);
    fs.writeFileSync(path.join(root, 'c.json'), `{"${SECRET}": tru }`);
    const json = configError(() => readConfigFile(root, 'c.json'));
    expect(json).toMatch(/^c\.json:1:\d+: invalid JSON/);
    expect(json).not.toContain(SECRET);
    fs.writeFileSync(path.join(root, 'c.yml'), `${SECRET}: [\n`);
    expect(configError(() => readConfigFile(root, 'c.yml'))).toMatch(/^c\.yml:\d+:\d+: invalid YAML \(\w+\)$/);
  });

  it('clips and escapes a value it quotes in a validation error', () => {
    const { root } = hostile();
    fs.writeFileSync(path.join(root, 'c.yml'), `fail-on: "${'A'.repeat(5000)}\\n::error::forged"\n`);
    const message = configError(() => readConfigFile(root, 'c.yml'));
    expect(message.length).toBeLessThan(200);
    expect(message).not.toContain('\n');
  });

  it('still reads a plain config file, and one outside the workspace named by the author', () => {
    const { root, outside } = hostile();
    fs.writeFileSync(path.join(root, '.https-guard.yml'), 'fail-on: low\n');
    expect(loadConfigFile(root).config).toEqual({ failOn: 'low' });
    fs.writeFileSync(path.join(outside, 'author.yml'), 'fail-on: medium\n');
    expect(readConfigFile(root, path.join(outside, 'author.yml'))).toEqual({ failOn: 'medium' });
  });
});

describe('through the CLI and the action', () => {
  it('the CLI exits 2 with the reason on a linked --config', () => {
    const { root, outside } = hostile();
    fs.symlinkSync(path.join(outside, 'secret.yml'), path.join(root, 'guard.yml'));
    const r = cli(['--config', 'guard.yml'], { cwd: root });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'https-guard: config error: guard.yml: cannot read: symbolic link (never followed)\n' });
  });

  it('the action fails on a linked config input and echoes nothing of the target', async () => {
    const { root, outside } = hostile();
    fs.symlinkSync(path.join(outside, 'secret.yml'), path.join(root, 'guard.yml'));
    const r = await runActionFromSource({ workspace: root, eventName: 'workflow_dispatch', event: {}, inputs: { 'github-token': '', config: 'guard.yml' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::HTTPS Guard: guard.yml: cannot read: symbolic link (never followed)');
    expect(r.stdout).not.toContain(SECRET);
  });
});
