import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILES, configFileIn } from '../config';
import { insideRoot } from '../engine/walk';
import { UsageError } from './options';

/**
 * What marks a repository root, as ruff and ESLint look for theirs: `.git` (a folder, or a file in a worktree) or our
 * config (a pyproject.toml only when it has a [tool.https-guard] table).
 */
export const ROOT_MARKERS = ['.git', ...CONFIG_FILES];

function isRoot(dir: string): boolean {
  return exists(path.join(dir, '.git')) || configFileIn(dir) !== undefined;
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest folder from `start` upward (itself included) that holds a root marker. */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (isRoot(dir)) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The deepest folder holding every one of the absolute paths (a file stands for its folder). */
export function commonFolder(absolute: string[]): string {
  const folders = absolute.map((p) => (isDirectory(p) ? p : path.dirname(p)));
  let common = folders[0];
  for (const f of folders.slice(1)) {
    while (insideRoot(common, f) === undefined) common = path.dirname(common);
  }
  return common;
}

/**
 * The root a run reads: --root when given; else the nearest folder with a root marker above the paths (or the
 * current directory when none is given); else the one folder given (a project among others in a folder that is no
 * repository: its neighbours are not its deployment), or the current directory when every path is inside it.
 */
export function chooseRoot(cwd: string, rootFlag: string | undefined, absolute: string[]): string {
  if (rootFlag !== undefined) {
    const root = path.resolve(cwd, rootFlag);
    if (!isDirectory(root)) throw new UsageError(`--root ${rootFlag} is not a directory`);
    return root;
  }
  const found = findProjectRoot(absolute.length ? commonFolder(absolute) : cwd);
  if (found !== undefined) return found;
  if (absolute.length === 1 && isDirectory(absolute[0])) return absolute[0];
  if (absolute.every((p) => insideRoot(cwd, p) !== undefined)) return cwd;
  throw new UsageError('paths outside the current directory need --root (or give exactly one folder to scan as the root)');
}
