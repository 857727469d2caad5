import { describeError, type GitHubClient } from './client';
import { parsePatch, type ChangedLines } from './diff';
import type { EventTarget, PullRequestTarget, PushTarget, Repo } from './event';
import { gitChanges, type GitRange } from './git';

/** reviewdog's names for which findings a run reports. */
export const FILTER_MODES = ['added', 'diff_context', 'file', 'nofilter'] as const;
export type FilterMode = (typeof FILTER_MODES)[number];

/**
 * What the event changed. `files` maps each changed (not deleted) file, under its new name, to its new-side
 * lines, or to undefined when no patch is known (binary, too large for the API): such a file is judged whole.
 */
export type ChangeSet = { scope: 'repository'; notes: string[] } | { scope: 'files'; files: Map<string, ChangedLines | undefined>; notes: string[] };

export interface ChangeSources {
  /** Workspace root: the checkout git diffs run in. */
  root: string;
  repo: Repo;
  /** Undefined without a token: only the checkout is asked. */
  client?: GitHubClient;
  token: string;
  warn(message: string): void;
}

/** GET /pulls/{n}/files lists at most this many files, however many the pull request changes. */
export const PR_FILES_LIMIT = 3000;
/** GET /compare lists at most this many files. */
export const COMPARE_FILES_LIMIT = 300;

const NO_LINES: ChangedLines = { added: new Set(), inHunks: new Set() };
const FULL_HISTORY = 'actions/checkout with fetch-depth: 0';

interface ApiFile {
  filename: string;
  status: string;
  changes: number;
  patch?: string;
}

function fromApi(entries: readonly ApiFile[]): Map<string, ChangedLines | undefined> {
  const files = new Map<string, ChangedLines | undefined>();
  for (const e of entries) {
    if (e.status === 'removed') continue;
    // A pure rename changes no line; any other file without a patch is binary or too large for the API.
    files.set(e.filename, e.patch !== undefined ? parsePatch(e.patch) : e.changes === 0 ? NO_LINES : undefined);
  }
  return files;
}

function fromGit(src: ChangeSources, range: GitRange, withLines: boolean): Map<string, ChangedLines | undefined> | undefined {
  const git = gitChanges(src.root, range, withLines);
  if (!git) return undefined;
  // R100/C100: renamed or copied without a change, so no line changed; any other file without hunks is binary.
  const lines = (f: { path: string; status: string }) => git.lines?.get(f.path) ?? (/^[RC]100$/.test(f.status) ? NO_LINES : undefined);
  return new Map(git.files.map((f) => [f.path, withLines ? lines(f) : undefined]));
}

async function pullRequestChanges(target: PullRequestTarget, withLines: boolean, src: ChangeSources): Promise<ChangeSet> {
  const range: GitRange = { base: target.baseSha, head: target.headSha, fromMergeBase: true };
  const notes: string[] = [];
  if (src.client) {
    try {
      const entries = await src.client.paginate(src.client.rest.pulls.listFiles, { ...src.repo, pull_number: target.number, per_page: 100 });
      // changed_files in the payload tells a PR of exactly 3000 files from a longer one the API cut short.
      const capped = entries.length >= PR_FILES_LIMIT && (target.changedFiles === undefined || target.changedFiles > entries.length);
      if (!capped) return { scope: 'files', files: fromApi(entries), notes };
      const count = target.changedFiles ?? `more than ${PR_FILES_LIMIT}`;
      const git = fromGit(src, range, withLines);
      if (git) return { scope: 'files', files: git, notes: [`This pull request changes ${count} files; GitHub's API lists only ${PR_FILES_LIMIT}, so the changed files come from git diff in the checkout.`] };
      return { scope: 'repository', notes: [`This pull request changes ${count} files; GitHub's API lists only ${PR_FILES_LIMIT} and the checkout has no history to diff (use ${FULL_HISTORY}), so every finding in the workspace is reported.`] };
    } catch (e) {
      src.warn(`HTTPS Guard: could not list the files of pull request #${target.number} (${describeError(e, src.token)}); trying git diff in the checkout.`);
      notes.push(`The pull request's files could not be listed through the API (${describeError(e, src.token)}).`);
    }
  }
  const git = fromGit(src, range, withLines);
  if (git) return { scope: 'files', files: git, notes: [...notes, 'The changed files come from git diff in the checkout.'] };
  return { scope: 'repository', notes: [...notes, `The changed files are unknown (no API access and no history in the checkout; use ${FULL_HISTORY}), so every finding in the workspace is reported.`] };
}

/** How the notes of a commit range name it: a push's and a merge group's changes take the same path. */
interface RangeWords {
  /** "This push" */
  subject: string;
  /** "The pushed changes" */
  changes: string;
  /** Says why the compare API did not help either (a merge queue's required check must explain a full report). */
  namesApi: boolean;
}

const PUSH_WORDS: RangeWords = { subject: 'This push', changes: 'The pushed changes', namesApi: false };
const MERGE_GROUP_WORDS: RangeWords = { subject: 'This merge group', changes: "The merge group's changes", namesApi: true };

/** `git diff base head` in the checkout, else the compare API, else the whole repository with a note saying why. */
async function rangeChanges(base: string, head: string, words: RangeWords, withLines: boolean, src: ChangeSources): Promise<ChangeSet> {
  const git = fromGit(src, { base, head, fromMergeBase: false }, withLines);
  if (git) return { scope: 'files', files: git, notes: [] };
  if (src.client) {
    try {
      const { data } = await src.client.rest.repos.compareCommitsWithBasehead({ ...src.repo, basehead: `${base}...${head}`, per_page: 1 });
      const entries = data.files ?? [];
      if (entries.length < COMPARE_FILES_LIMIT) return { scope: 'files', files: fromApi(entries), notes: ['The changed files come from the compare API (the checkout has no history to diff).'] };
      return { scope: 'repository', notes: [`${words.subject} changes ${COMPARE_FILES_LIMIT} files or more, the most the compare API lists, and the checkout has no history to diff (use ${FULL_HISTORY}), so every finding in the workspace is reported.`] };
    } catch (e) {
      src.warn(`HTTPS Guard: could not compare ${base.slice(0, 7)}...${head.slice(0, 7)} (${describeError(e, src.token)}).`);
    }
  }
  const why = !words.namesApi ? 'no history in the checkout' : `no history in the checkout and ${src.client ? 'the compare API failed' : 'no github-token for the compare API'}`;
  return { scope: 'repository', notes: [`${words.changes} are unknown (${why}; use ${FULL_HISTORY}), so every finding in the workspace is reported.`] };
}

function pushChanges(target: PushTarget, withLines: boolean, src: ChangeSources): Promise<ChangeSet> {
  if (!target.before) return Promise.resolve({ scope: 'repository', notes: ['A new branch: the whole repository is checked.'] });
  return rangeChanges(target.before, target.after, PUSH_WORDS, withLines, src);
}

/** The changed files of the event; `nofilter` and whole-repository events need none. */
export async function resolveChanges(target: EventTarget, mode: FilterMode, src: ChangeSources): Promise<ChangeSet> {
  if (mode === 'nofilter' || target.kind === 'repository') return { scope: 'repository', notes: [] };
  const withLines = mode === 'added' || mode === 'diff_context';
  if (target.kind === 'pull_request') return pullRequestChanges(target, withLines, src);
  if (target.kind === 'merge_group') return rangeChanges(target.baseSha, target.headSha, MERGE_GROUP_WORDS, withLines, src);
  return pushChanges(target, withLines, src);
}
