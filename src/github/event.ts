import * as fs from 'node:fs';

export interface Repo {
  owner: string;
  repo: string;
}

export interface PullRequestTarget {
  kind: 'pull_request';
  number: number;
  /** The PR's head commit: GITHUB_SHA is the test merge commit for `pull_request`, which the PR page never shows. */
  headSha: string;
  baseSha: string;
  /** How many files GitHub says the PR changes; tells a capped file list from a complete one. */
  changedFiles?: number;
  /** The head branch lives in another repository: the token is read-only for `pull_request`. */
  fork: boolean;
}

export interface PushTarget {
  kind: 'push';
  /** Undefined for a new branch (GitHub sends forty zeros). */
  before?: string;
  after: string;
}

/** A merge queue's group: the target branch (`base_sha`) plus the queued pull requests, tested as `head_sha`. */
export interface MergeGroupTarget {
  kind: 'merge_group';
  baseSha: string;
  headSha: string;
}

/** workflow_dispatch, schedule and every other event: the whole repository at GITHUB_SHA. */
export interface RepositoryTarget {
  kind: 'repository';
  sha?: string;
}

export type EventTarget = PullRequestTarget | PushTarget | MergeGroupTarget | RepositoryTarget;

/** What the runner tells the action about the run, read from GITHUB_* variables and the event payload. */
export interface GitHubRun {
  eventName: string;
  repo: Repo;
  /** REST base URL without a trailing slash (GHES: https://host/api/v3). */
  apiUrl: string;
  /** Web base URL for links to files and commits. */
  serverUrl: string;
  target: EventTarget;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;
const ZEROS = /^0+$/;

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' ? (v as Json) : {};
}

function sha(v: unknown): string | undefined {
  return typeof v === 'string' && SHA.test(v) ? v.toLowerCase() : undefined;
}

function readPayload(file: string | undefined): Json {
  if (!file) return {};
  try {
    return obj(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return {};
  }
}

function pullRequestTarget(payload: Json): PullRequestTarget | undefined {
  const pr = obj(payload.pull_request);
  const head = obj(pr.head);
  const base = obj(pr.base);
  const number = pr.number;
  const headSha = sha(head.sha);
  const baseSha = sha(base.sha);
  if (typeof number !== 'number' || !Number.isInteger(number) || !headSha || !baseSha) return undefined;
  const headRepo = obj(head.repo).full_name;
  const baseRepo = obj(base.repo).full_name;
  return {
    kind: 'pull_request',
    number,
    headSha,
    baseSha,
    changedFiles: typeof pr.changed_files === 'number' ? pr.changed_files : undefined,
    // A deleted fork leaves head.repo null: still not this repository.
    fork: typeof headRepo !== 'string' || headRepo !== baseRepo,
  };
}

function pushTarget(payload: Json, fallbackSha: string | undefined): EventTarget {
  const after = sha(payload.after);
  if (!after || ZEROS.test(after)) return { kind: 'repository', sha: fallbackSha };
  const before = sha(payload.before);
  return { kind: 'push', before: before && !ZEROS.test(before) ? before : undefined, after };
}

function mergeGroupTarget(payload: Json, fallbackSha: string | undefined): EventTarget {
  const group = obj(payload.merge_group);
  const headSha = sha(group.head_sha);
  const baseSha = sha(group.base_sha);
  if (!headSha) return { kind: 'repository', sha: fallbackSha };
  // Without a base the group's changes are unknown: the whole repository at its head.
  if (!baseSha || ZEROS.test(baseSha)) return { kind: 'repository', sha: headSha };
  return { kind: 'merge_group', baseSha, headSha };
}

function trimSlash(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

/**
 * Undefined outside GitHub Actions (no GITHUB_REPOSITORY or GITHUB_EVENT_NAME): then the action only annotates
 * through workflow commands and never calls the API.
 */
export function readGitHubRun(env: NodeJS.ProcessEnv): GitHubRun | undefined {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (!owner || !repo || rest.length || !eventName) return undefined;
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const fallbackSha = sha(env.GITHUB_SHA);
  let target: EventTarget;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    target = pullRequestTarget(payload) ?? { kind: 'repository', sha: fallbackSha };
  } else if (eventName === 'push') {
    target = pushTarget(payload, fallbackSha);
  } else if (eventName === 'merge_group') {
    target = mergeGroupTarget(payload, fallbackSha);
  } else {
    target = { kind: 'repository', sha: fallbackSha };
  }
  return {
    eventName,
    repo: { owner, repo },
    apiUrl: trimSlash(env.GITHUB_API_URL || 'https://api.github.com'),
    serverUrl: trimSlash(env.GITHUB_SERVER_URL || 'https://github.com'),
    target,
  };
}

/** The commit the findings belong to: where the check run goes and where file links point. */
export function commitOf(target: EventTarget): string | undefined {
  if (target.kind === 'pull_request') return target.headSha;
  if (target.kind === 'push') return target.after;
  if (target.kind === 'merge_group') return target.headSha;
  return target.sha;
}

/**
 * The commit whose configuration judges the event: a pull request's or a merge group's base, so the change under
 * review cannot loosen its own required check. Undefined where the workspace's configuration is used.
 */
export function configBaseOf(target: EventTarget): string | undefined {
  return target.kind === 'pull_request' || target.kind === 'merge_group' ? target.baseSha : undefined;
}

/** How summaries name the change an event reports on. */
export function changeName(target: EventTarget): string {
  return target.kind === 'pull_request' ? 'pull request' : target.kind === 'merge_group' ? 'merge group' : 'push';
}
