import { execFileSync } from 'node:child_process';
import { parseGitPatch, type ChangedLines } from './diff';

/** Files changed between two commits of the checkout, by new path; deleted files are left out. */
export interface GitChanges {
  files: { path: string; status: string }[];
  /** New-side lines per path; only when asked for (filter modes added and diff_context). */
  lines?: Map<string, ChangedLines>;
}

export interface GitRange {
  base: string;
  head: string;
  /** `base...head` (from the merge base, as a pull request shows it) instead of `base head`. */
  fromMergeBase: boolean;
}

const SHA = /^[0-9a-f]{7,64}$/i;

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    });
  } catch {
    // Not a repository, a shallow clone without the commits, no git at all: all mean "no history here".
    return undefined;
  }
}

/** Both commits are in the checkout (and, for `base...head`, so is their merge base). */
export function hasHistory(root: string, range: GitRange): boolean {
  if (!SHA.test(range.base) || !SHA.test(range.head)) return false;
  if (range.fromMergeBase) return git(root, ['merge-base', range.base, range.head]) !== undefined;
  return [range.base, range.head].every((sha) => git(root, ['cat-file', '-e', `${sha}^{commit}`]) !== undefined);
}

/**
 * Repository content never runs here: external diff drivers and textconv filters (configurable per path through
 * .gitattributes) are switched off, and paths come NUL-separated so no name needs unquoting.
 */
const DIFF = ['-c', 'core.quotePath=false', 'diff', '--no-ext-diff', '--no-textconv', '--no-color', '-M', '--relative'];

function rangeArgs(range: GitRange): string[] {
  return range.fromMergeBase ? [`${range.base}...${range.head}`] : [range.base, range.head];
}

/** Undefined when the checkout lacks the history to diff the range. */
export function gitChanges(root: string, range: GitRange, withLines: boolean): GitChanges | undefined {
  if (!hasHistory(root, range)) return undefined;
  const names = git(root, [...DIFF, '--name-status', '-z', ...rangeArgs(range)]);
  if (names === undefined) return undefined;
  const files = parseNameStatus(names);
  if (!withLines) return { files };
  const patch = git(root, [...DIFF, '-U3', '--src-prefix=a/', '--dst-prefix=b/', ...rangeArgs(range)]);
  if (patch === undefined) return undefined;
  return { files, lines: parseGitPatch(patch) };
}

/** `--name-status -z`: a status, then one path (two for renames and copies: old, new), each NUL-terminated. */
export function parseNameStatus(text: string): { path: string; status: string }[] {
  const tokens = text.split('\0');
  const files: { path: string; status: string }[] = [];
  for (let i = 0; i + 1 < tokens.length; ) {
    const status = tokens[i];
    if (status === '') break;
    const twoPaths = status[0] === 'R' || status[0] === 'C';
    const path = twoPaths ? tokens[i + 2] : tokens[i + 1];
    i += twoPaths ? 3 : 2;
    if (status[0] !== 'D' && path !== undefined) files.push({ path, status });
  }
  return files;
}

export type BlobAt = { kind: 'file'; bytes: Buffer } | { kind: 'absent' } | { kind: 'refused'; reason: string };

/** The commit is in the checkout (a default shallow checkout lacks the base of a pull request). */
export function hasCommit(root: string, sha: string): boolean {
  return SHA.test(sha) && git(root, ['cat-file', '-e', `${sha}^{commit}`]) !== undefined;
}

/**
 * A file of a commit as stored, read with plumbing only: `ls-tree` gives its mode (a link is refused, never
 * resolved: trees do not follow links, so a linked folder on the way makes the file absent), `cat-file -s` its size
 * before any byte is read, `cat-file blob` the raw bytes (no textconv, no filters, nothing from .gitattributes runs).
 * Undefined when git cannot answer (no repository, no such commit).
 */
export function blobAt(root: string, sha: string, rel: string, maxBytes: number): BlobAt | undefined {
  if (!SHA.test(sha)) return undefined;
  const listing = git(root, ['--literal-pathspecs', 'ls-tree', '-z', sha, '--', rel]);
  if (listing === undefined) return undefined;
  const entry = listing.split('\0').find((e) => e.slice(e.indexOf('\t') + 1) === rel);
  if (!entry) return { kind: 'absent' };
  const [mode, type, object] = entry.slice(0, entry.indexOf('\t')).split(' ');
  if (mode === '120000') return { kind: 'refused', reason: 'symbolic link (never followed)' };
  if (type !== 'blob' || !/^100[67][0-9]{2}$/.test(mode)) return { kind: 'refused', reason: 'not a regular file' };
  const size = Number(git(root, ['cat-file', '-s', object])?.trim());
  if (!Number.isFinite(size)) return undefined;
  if (size > maxBytes) return { kind: 'refused', reason: `larger than ${maxBytes} bytes` };
  try {
    const bytes = execFileSync('git', ['cat-file', 'blob', object], { cwd: root, maxBuffer: maxBytes + 1, timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' } });
    return { kind: 'file', bytes };
  } catch {
    return undefined;
  }
}
