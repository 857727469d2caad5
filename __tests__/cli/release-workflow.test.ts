import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { VERSION } from '../../src/version';

/** The release workflow's own shell steps, run with bash on a copy of the files they read. */
const REPO = path.resolve(import.meta.dirname, '../..');
const workflow = YAML.parse(fs.readFileSync(path.join(REPO, '.github/workflows/release.yml'), 'utf8'));
const steps: { name?: string; run?: string }[] = workflow.jobs.release.steps;
const script = (name: string) => steps.find((s) => s.name?.startsWith(name))!.run!;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function checkout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-release-'));
  dirs.push(dir);
  for (const f of ['package.json', 'CHANGELOG.md', 'src/version.ts']) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  }
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'release');
  return dir;
}

function bash(body: string, cwd: string, env: Record<string, string>) {
  const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', body], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('release workflow', () => {
  it('runs on demand from main with a version, and may write tags only in the job that tags', () => {
    expect(workflow.on.workflow_dispatch.inputs.version.required).toBe(true);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.release.permissions).toEqual({ contents: 'write' });
    expect((steps[0] as { if?: string }).if).toBe("github.ref != 'refs/heads/main'");
    expect(script('Tag v')).toMatch(/git push --force origin "refs\/tags\/\$major"/);
    expect(workflow.jobs.publish.steps.at(-1).run).toContain('--ignore-scripts');
  });

  it('accepts the version package.json, src/version.ts and CHANGELOG.md all state, once', () => {
    const dir = checkout();
    const check = script('The version is new');
    expect(bash(check, dir, { VERSION })).toMatchObject({ code: 0 });
    expect(bash(check, dir, { VERSION: '9.9.9' }).out).toContain('::error::package.json does not say 9.9.9');
    expect(bash(check, dir, { VERSION: 'v1' }).out).toContain('::error::version must be X.Y.Z');
    spawnSync('git', ['tag', `v${VERSION}`], { cwd: dir });
    expect(bash(check, dir, { VERSION }).out).toContain(`::error::tag v${VERSION} exists`);
  });

  it('moves the major tag of the version: v1 for 1.x', () => {
    const line = script('Tag v').split('\n').find((l) => l.includes('major='))!;
    expect(bash(`${line}\necho "$major"`, os.tmpdir(), { VERSION: '1.4.2' }).out.trim()).toBe('v1');
    expect(bash(`${line}\necho "$major"`, os.tmpdir(), { VERSION: '12.0.0' }).out.trim()).toBe('v12');
  });

  it('takes the release notes from the version\'s CHANGELOG section only', () => {
    const dir = checkout();
    fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n- next\n\n## [1.1.0]\n\n- one\n- two\n\n## [1.0.0]\n\n- first\n');
    const awk = script('GitHub release').split('\n').find((l) => l.trim().startsWith('awk'))!.replace('"$RUNNER_TEMP/notes.md"', 'notes.md');
    expect(bash(awk, dir, { VERSION: '1.1.0' }).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('\n- one\n- two\n\n');
  });
});
