import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UnsafeWriteError, safeWriteFile } from '../../src/engine/safe-write';
import { cli } from '../cli/helpers';
import { removeTempDirs, runActionFromSource, tempDir } from '../github/harness';

afterEach(() => removeTempDirs());
afterAll(() => removeTempDirs());

const ORIGINAL = 'precious data outside the workspace\n';

/** A workspace and, beside it, a file and a folder the repository must never reach. */
function hostile(): { root: string; outsideFile: string; outsideDir: string } {
  const base = tempDir('hg-write-');
  const root = path.join(base, 'ws');
  const outsideDir = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outsideDir);
  const outsideFile = path.join(outsideDir, 'target');
  fs.writeFileSync(outsideFile, ORIGINAL);
  return { root, outsideFile, outsideDir };
}

describe('safeWriteFile', () => {
  it('writes a new file and replaces an existing one, creating folders inside the workspace', () => {
    const { root } = hostile();
    safeWriteFile('reports/deep/out.sarif', 'one', { root, authorPath: false });
    expect(fs.readFileSync(path.join(root, 'reports/deep/out.sarif'), 'utf8')).toBe('one');
    safeWriteFile('reports/deep/out.sarif', 'two', { root, authorPath: false });
    expect(fs.readFileSync(path.join(root, 'reports/deep/out.sarif'), 'utf8')).toBe('two');
    // No temporary file is left behind.
    expect(fs.readdirSync(path.join(root, 'reports/deep'))).toEqual(['out.sarif']);
  });

  it('refuses a symbolic link at the final path and leaves its target alone', () => {
    const { root, outsideFile } = hostile();
    fs.symlinkSync(outsideFile, path.join(root, 'https-guard.sarif'));
    expect(() => safeWriteFile('https-guard.sarif', 'x', { root, authorPath: true })).toThrow(UnsafeWriteError);
    expect(() => safeWriteFile('https-guard.sarif', 'x', { root, authorPath: true })).toThrow(/https-guard\.sarif.*symbolic link/);
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe(ORIGINAL);
    expect(fs.lstatSync(path.join(root, 'https-guard.sarif')).isSymbolicLink()).toBe(true);
  });

  it('refuses a dangling link (it would create the file where the link points)', () => {
    const { root, outsideDir } = hostile();
    fs.symlinkSync(path.join(outsideDir, 'new-file'), path.join(root, 'out.sarif'));
    expect(() => safeWriteFile('out.sarif', 'x', { root, authorPath: true })).toThrow(/symbolic link/);
    expect(fs.existsSync(path.join(outsideDir, 'new-file'))).toBe(false);
  });

  it('refuses a symbolic link among the parent folders inside the workspace', () => {
    const { root, outsideDir, outsideFile } = hostile();
    fs.symlinkSync(outsideDir, path.join(root, 'reports'));
    expect(() => safeWriteFile('reports/target', 'x', { root, authorPath: true })).toThrow(/reports is a symbolic link/);
    expect(() => safeWriteFile('reports/sub/new.sarif', 'x', { root, authorPath: true })).toThrow(/reports is a symbolic link/);
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe(ORIGINAL);
    expect(fs.readdirSync(outsideDir)).toEqual(['target']);
  });

  it('never writes through a hard link: the name is replaced, the other link keeps its content', () => {
    const { root, outsideFile } = hostile();
    fs.linkSync(outsideFile, path.join(root, 'out.sarif'));
    safeWriteFile('out.sarif', 'report', { root, authorPath: false });
    expect(fs.readFileSync(path.join(root, 'out.sarif'), 'utf8')).toBe('report');
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe(ORIGINAL);
  });

  it('keeps repository paths inside the workspace; the author may write outside', () => {
    const { root, outsideDir } = hostile();
    expect(() => safeWriteFile('../outside/x', 'x', { root, authorPath: false })).toThrow(/outside the workspace/);
    expect(() => safeWriteFile(path.join(outsideDir, 'x'), 'x', { root, authorPath: false })).toThrow(/outside the workspace/);
    expect(fs.existsSync(path.join(outsideDir, 'x'))).toBe(false);
    safeWriteFile(path.join(outsideDir, 'author.sarif'), 'ok', { root, authorPath: true });
    expect(fs.readFileSync(path.join(outsideDir, 'author.sarif'), 'utf8')).toBe('ok');
  });

  it('refuses a folder or a FIFO at the final path', () => {
    const { root } = hostile();
    fs.mkdirSync(path.join(root, 'dir.sarif'));
    expect(() => safeWriteFile('dir.sarif', 'x', { root, authorPath: false })).toThrow(/not a regular file/);
    execFileSync('mkfifo', [path.join(root, 'fifo.sarif')]);
    expect(() => safeWriteFile('fifo.sarif', 'x', { root, authorPath: false })).toThrow(/not a regular file/);
  });
});

describe('the CLI --output', () => {
  it('refuses a committed link at the output path, with the path and no stack trace', () => {
    const { root, outsideFile } = hostile();
    fs.writeFileSync(path.join(root, 'settings.py'), 'DEBUG = False\n');
    fs.symlinkSync(outsideFile, path.join(root, 'report.json'));
    const r = cli(['--format', 'json', '-o', 'report.json'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^https-guard: refusing to write "report\.json": it is a symbolic link/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe(ORIGINAL);
  });

  it('refuses a committed symlinked parent folder', () => {
    const { root, outsideDir, outsideFile } = hostile();
    fs.symlinkSync(outsideDir, path.join(root, 'out'));
    const r = cli(['--format', 'sarif', '-o', 'out/target'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('out is a symbolic link');
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe(ORIGINAL);
  });
});

describe('the action SARIF file', () => {
  const event = { repository: { full_name: 'acme/shop' } };

  it('refuses the default https-guard.sarif when the repository commits it as a link, and fails clearly', async () => {
    const { root, outsideFile } = hostile();
    fs.writeFileSync(path.join(root, 'settings.py'), 'DEBUG = False\n');
    fs.symlinkSync(outsideFile, path.join(root, 'https-guard.sarif'));
    const r = await runActionFromSource({ workspace: root, eventName: 'workflow_dispatch', event, inputs: { 'github-token': '' } });
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe(ORIGINAL);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::HTTPS Guard: could not publish the report \(SARIF file: refusing to write "https-guard\.sarif": it is a symbolic link/);
    expect(r.stdout).not.toContain('internal error');
  });

  it('refuses a sarif-file under a symlinked folder of the workspace', async () => {
    const { root, outsideDir, outsideFile } = hostile();
    fs.symlinkSync(outsideDir, path.join(root, 'reports'));
    const r = await runActionFromSource({ workspace: root, eventName: 'workflow_dispatch', event, inputs: { 'github-token': '', 'sarif-file': 'reports/target' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('reports is a symbolic link');
    expect(fs.readFileSync(outsideFile, 'utf8')).toBe(ORIGINAL);
  });

  it('still writes an ordinary sarif-file', async () => {
    const { root } = hostile();
    const r = await runActionFromSource({ workspace: root, eventName: 'workflow_dispatch', event, inputs: { 'github-token': '' } });
    expect(r.code).toBe(0);
    expect(r.sarif?.runs).toHaveLength(1);
  });
});
