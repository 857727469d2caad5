// Runs the built action (dist/index.js) as a runner does, against a temp git checkout and the fake GitHub API.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { FakeGitHub, type PullFile } from './fake-github';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(REPO_ROOT, 'dist/index.js');
const ACTION = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8'));

export const TOKEN = 'ghs_FakeT0kenNeverPrinted0123456789abcdef';
export const OWNER = 'acme';
export const REPO = 'shop';
/** The test merge commit GitHub checks out for `pull_request`: never where findings or check runs belong. */
export const MERGE_SHA = 'feedfacefeedfacefeedfacefeedfacefeedface';

const tmpDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  tmpDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Relative path → content; null deletes the file in the head commit. */
export type Files = Record<string, string | null>;

function write(dir: string, files: Files): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    if (text === null) {
      fs.rmSync(file, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'core.quotePath=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

export interface Checkout {
  dir: string;
  base: string;
  head: string;
}

/** A repository with a base commit and a head commit on top of it: the checkout of a pull request or push. */
export function checkout(base: Files, head: Files): Checkout {
  const dir = tempDir('hg-gh-');
  git(dir, 'init', '-q', '-b', 'main');
  write(dir, base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD').trim();
  write(dir, head);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'head');
  return { dir, base: baseSha, head: git(dir, 'rev-parse', 'HEAD').trim() };
}

/** The head tree only, without history: what actions/checkout gives with its default fetch-depth of 1. */
export function shallowCopy(c: Checkout): Checkout {
  const dir = tempDir('hg-gh-shallow-');
  git(dir, 'init', '-q', '-b', 'main');
  for (const f of git(c.dir, 'ls-files', '-z').split('\0').filter(Boolean)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(c.dir, f), path.join(dir, f));
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'merge');
  return { dir, base: c.base, head: c.head };
}

/** What GET /pulls/{n}/files would list for base...head, patches as GitHub shows them (hunks only). */
export function pullFiles(c: Checkout): PullFile[] {
  const tokens = git(c.dir, 'diff', '--name-status', '-z', '-M', `${c.base}...${c.head}`).split('\0');
  const out: PullFile[] = [];
  for (let i = 0; i + 1 < tokens.length; ) {
    const status = tokens[i];
    const renamed = status.startsWith('R');
    const filename = renamed ? tokens[i + 2] : tokens[i + 1];
    const previous = renamed ? tokens[i + 1] : undefined;
    i += renamed ? 3 : 2;
    const patchText = git(c.dir, 'diff', '-M', `${c.base}...${c.head}`, '--', ...(previous ? [previous, filename] : [filename]));
    const hunkStart = patchText.indexOf('\n@@');
    const patch = hunkStart === -1 ? undefined : patchText.slice(hunkStart + 1).replace(/\n$/, '');
    const additions = patch ? patch.split('\n').filter((l) => l.startsWith('+')).length : 0;
    const deletions = patch ? patch.split('\n').filter((l) => l.startsWith('-')).length : 0;
    const kind = { A: 'added', D: 'removed', M: 'modified', R: 'renamed' }[status[0]] as PullFile['status'];
    out.push({ filename, status: kind, additions, deletions, patch, ...(previous ? { previous_filename: previous } : {}) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Event payloads, shaped like the webhooks GitHub writes to GITHUB_EVENT_PATH.

const repository = { id: 4242, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, type: 'Organization' }, private: false, default_branch: 'main' };

export function pullRequestEvent(c: Checkout, o: { number?: number; action?: string; fork?: boolean; changedFiles?: number } = {}) {
  const headRepo = o.fork ? { ...repository, id: 777, full_name: `mallory/${REPO}`, owner: { login: 'mallory', type: 'User' } } : repository;
  return {
    action: o.action ?? 'opened',
    number: o.number ?? 7,
    pull_request: {
      number: o.number ?? 7,
      state: 'open',
      title: 'Harden settings',
      user: { login: o.fork ? 'mallory' : 'alice' },
      head: { ref: 'feature', sha: c.head, repo: headRepo, label: `${headRepo.owner.login}:feature` },
      base: { ref: 'main', sha: c.base, repo: repository, label: `${OWNER}:main` },
      changed_files: o.changedFiles ?? 1,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${o.number ?? 7}`,
    },
    repository,
    sender: { login: o.fork ? 'mallory' : 'alice' },
  };
}

export function pushEvent(before: string, after: string) {
  return { ref: 'refs/heads/main', before, after, created: /^0+$/.test(before), deleted: false, forced: false, commits: [], repository, pusher: { name: 'alice' } };
}

/** A merge queue's group: `base` is the target branch's tip, `head` the group's commit GITHUB_SHA points at. */
export function mergeGroupEvent(base: string, head: string) {
  const queueRef = 'refs/heads/gh-readonly-queue/main/pr-7-' + base;
  return {
    action: 'checks_requested',
    merge_group: { head_sha: head, head_ref: queueRef, base_sha: base, base_ref: 'refs/heads/main', head_commit: { id: head, tree_id: head, message: 'Merge pull request #7', timestamp: '2026-12-05T00:00:00Z', author: { name: 'alice', email: 'alice@example.com' }, committer: { name: 'GitHub', email: 'noreply@github.com' } } },
    repository,
    sender: { login: 'alice' },
  };
}

export function dispatchEvent() {
  return { inputs: {}, ref: 'refs/heads/main', repository, sender: { login: 'alice' } };
}

// ---------------------------------------------------------------------------------------------------------------

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  sarif?: { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  ms: number;
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]] = m[3];
  return out;
}

export interface RunOptions {
  workspace: string;
  eventName: string;
  event: unknown;
  fake?: FakeGitHub;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** GITHUB_SHA: the merge commit for pull_request. */
  sha?: string;
  /** The script to run instead of dist/index.js (e.g. the sources bundled by a test). */
  entry?: string;
}

/** The runner's files and environment for one run: every input of action.yml at its default unless overridden. */
function runnerEnv(o: RunOptions, prefix: string): { base: string; summaryFile: string; outputFile: string; env: Record<string, string> } {
  const base = tempDir(prefix);
  const eventFile = path.join(base, 'event.json');
  const summaryFile = path.join(base, 'summary.md');
  const outputFile = path.join(base, 'output.txt');
  fs.writeFileSync(eventFile, JSON.stringify(o.event));
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: base,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SHA: o.sha ?? MERGE_SHA,
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: base,
    HTTPS_GUARD_TEST_SECOND_MS: '1',
    ...(o.fake ? { GITHUB_API_URL: o.fake.url } : {}),
    ...o.env,
  };
  for (const [name, spec] of Object.entries(ACTION.inputs as Record<string, { default?: string }>)) {
    env[`INPUT_${name.toUpperCase()}`] = o.inputs?.[name] ?? (name === 'github-token' ? TOKEN : (spec.default ?? ''));
  }
  return { base, summaryFile, outputFile, env };
}

/**
 * Spawns `node dist/index.js` asynchronously (the fake answers from this process's event loop) with every input
 * from action.yml at its default unless overridden, and nothing from the test runner's environment but PATH.
 */
export async function runAction(o: RunOptions): Promise<ActionRun> {
  fs.rmSync(path.join(o.workspace, 'https-guard.sarif'), { force: true });
  const { base, summaryFile, outputFile, env } = runnerEnv(o, 'hg-run-');
  const started = Date.now();
  const child = spawn(process.execPath, [o.entry ?? ENTRY], { cwd: o.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const sarifFile = path.join(o.workspace, 'https-guard.sarif');
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    sarif: fs.existsSync(sarifFile) ? JSON.parse(fs.readFileSync(sarifFile, 'utf8')) : undefined,
    ms: Date.now() - started,
  };
}

/** Workflow-command annotations in the log: level, file and line of each. */
export function workflowAnnotations(stdout: string): { level: string; file: string; line: number }[] {
  const out = [];
  for (const m of stdout.matchAll(/^::(error|warning|notice) ([^:]*)::/gm)) {
    const props = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=') as [string, string]));
    if (props.file) out.push({ level: m[1], file: decodeURIComponent(props.file), line: Number(props.line) });
  }
  return out;
}

/** Where the token leaked (stdout, stderr, summary, outputs or one of `more`), or undefined. */
export function tokenLeak(r: ActionRun, more: Record<string, string> = {}): string | undefined {
  for (const [name, text] of Object.entries({ stdout: r.stdout, stderr: r.stderr, summary: r.summary, outputs: JSON.stringify(r.outputs), ...more })) {
    if (text.includes(TOKEN)) return name;
  }
  return undefined;
}

/**
 * Like runAction, but runs src/main.ts in this process: for behaviour newer than the committed bundle. The
 * environment is swapped for the run's and restored after; stdout is captured from @actions/core's writes.
 */
export async function runActionFromSource(o: RunOptions): Promise<ActionRun> {
  const { base, summaryFile, outputFile, env } = runnerEnv(o, 'hg-run-src-');
  const core = await import('@actions/core');
  const { run } = await import('../../src/main');
  const saved = { ...process.env };
  const savedCwd = process.cwd();
  const savedExit = process.exitCode;
  const write = process.stdout.write;
  let stdout = '';
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, env);
  // @actions/core remembers the summary file of its first use.
  (core.summary as unknown as { _filePath?: string })._filePath = undefined;
  process.exitCode = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  const started = Date.now();
  let code: number;
  try {
    process.chdir(o.workspace);
    await run();
    code = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = write;
    process.chdir(savedCwd);
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, saved);
    process.exitCode = savedExit;
    (core.summary as unknown as { _filePath?: string })._filePath = undefined;
  }
  const sarifFile = path.join(o.workspace, 'https-guard.sarif');
  let sarif: ActionRun['sarif'];
  try {
    const st = fs.lstatSync(sarifFile);
    if (st.isFile()) sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
  } catch {
    sarif = undefined;
  }
  return {
    code,
    stdout,
    stderr: '',
    outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    sarif,
    ms: Date.now() - started,
  };
}

/** One fake GitHub API for a test file: started before its tests, reset between them, checked for problems after each. */
export function useFakeGitHub(): FakeGitHub {
  const fake = new FakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO });
  beforeAll(async () => {
    await fake.start();
  });
  afterAll(async () => {
    await fake.close();
    removeTempDirs();
  });
  beforeEach(() => fake.reset());
  afterEach(() => expect(fake.problems).toEqual([]));
  return fake;
}

/** Pull request 7 opened on the fake from a checkout: its files and head commit are known to the API. */
export function openPullRequestOn(fake: FakeGitHub, c: Checkout) {
  const files = pullFiles(c);
  fake.pulls.set(7, files);
  fake.commits.add(c.head);
  return pullRequestEvent(c, { changedFiles: files.length });
}
