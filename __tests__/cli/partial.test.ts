import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/cli/root';
import { cli, exampleRepo as makeExampleRepo, workspace } from './helpers';

const PRODUCTION = 'mysite/mysite/settings/production.py';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function exampleRepo(marker: string | null = '.git'): string {
  const root = makeExampleRepo(marker);
  roots.push(root);
  return root;
}

function json(argv: string[], cwd: string) {
  const r = cli([...argv, '--format', 'json', '--fail-on', 'never'], { cwd });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { findings: { path: string; ruleId: string; line: number }[]; files: { path: string }[]; skipped: { path: string }[] };
}

function restricted(full: ReturnType<typeof json>, prefix: string) {
  const keep = (p: string) => p === prefix || p.startsWith(`${prefix}/`);
  return { ...full, findings: full.findings.filter((f) => keep(f.path)), files: full.files.filter((f) => keep(f.path)), skipped: full.skipped.filter((s) => keep(s.path)) };
}

describe('partial runs give the same answer as a full one', () => {
  it('production.py alone: the findings a full scan has for it, base.py star-import included', () => {
    const root = exampleRepo();
    const full = json([], root);
    const alone = json([PRODUCTION], root);
    expect(alone).toEqual(restricted(full, PRODUCTION));
    // Most of production.py's findings come from what it inherits from base.py: without it, one is left.
    expect(alone.findings.length).toBeGreaterThanOrEqual(5);
    expect(alone.files).toEqual([{ path: PRODUCTION, kind: 'django-settings', role: 'production' }]);
  });

  it('from a subfolder of the repository: the root is found upward and paths stay relative to it', () => {
    const root = exampleRepo();
    const full = json([], root);
    const sub = path.join(root, 'mysite/mysite/settings');
    expect(json(['production.py'], sub)).toEqual(restricted(full, PRODUCTION));
    // No path: the current directory, still read from the root.
    expect(json([], sub)).toEqual(restricted(full, 'mysite/mysite/settings'));
    expect(json(['.'], path.join(root, 'deploy'))).toEqual(restricted(full, 'deploy'));
  });

  it('a subfolder given from elsewhere, and several files at once', () => {
    const root = exampleRepo('.https-guard.json');
    const full = json([], root);
    expect(full.findings.some((f) => f.path.startsWith('deploy/'))).toBe(true);
    expect(json([path.join(root, 'deploy')], workspace({}))).toEqual(restricted(full, 'deploy'));
    const two = json([PRODUCTION, 'deploy/nginx/sites-available/mysite.conf'], root);
    const both = [restricted(full, PRODUCTION).findings, restricted(full, 'deploy/nginx/sites-available/mysite.conf').findings].flat();
    expect(new Set(two.findings.map((f) => JSON.stringify(f)))).toEqual(new Set(both.map((f) => JSON.stringify(f))));
  });

  it('without a marker, the current directory is the root as before', () => {
    const root = exampleRepo(null);
    expect(findProjectRoot(root)).toBeUndefined();
    expect(json([PRODUCTION], root)).toEqual(restricted(json([], root), PRODUCTION));
  });

  it('--root still decides the root, and a path outside it is refused', () => {
    const root = exampleRepo();
    const inner = path.join(root, 'mysite');
    const r = json(['--root', inner, path.join(inner, 'mysite/settings/production.py')], root);
    expect(r.files.map((f) => f.path)).toEqual(['mysite/settings/production.py']);
    expect(cli(['--root', inner, 'deploy'], { cwd: root })).toMatchObject({ code: 2, stderr: expect.stringContaining('is outside the root') });
  });

  it('finds the nearest marker: a .git file (worktree) or a config file, and stops at the first', () => {
    const outer = workspace({ '.git/HEAD': 'ref: refs/heads/main\n', 'app/.https-guard.yml': 'fail-on: low\n', 'app/x/y/settings.py': '', 'wt/.git': 'gitdir: ../.git/worktrees/wt\n' });
    roots.push(outer);
    expect(findProjectRoot(path.join(outer, 'app/x/y'))).toBe(path.join(outer, 'app'));
    expect(findProjectRoot(path.join(outer, 'wt'))).toBe(path.join(outer, 'wt'));
    expect(findProjectRoot(outer)).toBe(outer);
  });
});

describe('a run that finds no deployment files', () => {
  it('says so on stderr, keeps stdout machine-readable, and is quiet with --quiet', () => {
    const cwd = workspace({ 'README.md': '# nothing\n', 'docs/index.md': '' });
    roots.push(cwd);
    const r = cli(['--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files).toEqual([]);
    expect(r.stderr).toMatch(/^https-guard: warning: no Django settings module, wsgi\.py\/asgi\.py or nginx config found in /);
    expect(cli(['docs'], { cwd }).stderr).toContain('found in docs\n');
    expect(cli(['--quiet'], { cwd }).stderr).toBe('');
    const found = exampleRepo();
    expect(cli([], { cwd: found }).stderr).toBe('');
  });
});
