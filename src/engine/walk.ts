import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob } from '../util/glob';
import type { SkippedFile } from '../types';

export interface WorkspaceEntry {
  /** POSIX path relative to the workspace root. */
  path: string;
}

/** Directory names that hold third-party or generated code, never the project's own deployment files. */
const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', 'bower_components', '__pycache__', '.tox', '.nox', '.venv', 'venv',
  'site-packages', 'dist-packages', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.direnv', '.eggs',
]);

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Resolves a user-given path against the root and refuses anything outside it. */
export function insideRoot(root: string, p: string): string | undefined {
  const abs = path.resolve(root, p);
  const rel = path.relative(root, abs);
  if (rel === '' ) return '';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return toPosix(rel);
}

export interface WalkResult {
  entries: WorkspaceEntry[];
  skipped: SkippedFile[];
}

/**
 * Lists regular files under the given workspace-relative paths. Symbolic links are never followed (a link can
 * point outside the workspace); each one is reported in `skipped`. Iterative, so deep trees cannot overflow.
 */
export function walk(root: string, paths: string[], ignore: string[]): WalkResult {
  const entries: WorkspaceEntry[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  const patterns = ignore.flatMap((g) => [compileGlob(g, 'config'), compileGlob(`${g}/**`, 'config')]);
  const ignored = (rel: string) => patterns.length > 0 && patterns.some((m) => m.test(rel));
  const dirs: string[] = [];
  // The given paths: classified with lstat (they may be files, folders or links).
  for (const rel of paths) {
    if (seen.has(rel) || (rel !== '' && ignored(rel))) continue;
    seen.add(rel);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(path.join(root, rel));
    } catch (e) {
      skipped.push({ path: rel || '.', reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    if (st.isSymbolicLink()) skipped.push({ path: rel, reason: 'symbolic link (never followed)' });
    else if (st.isDirectory()) dirs.push(rel);
    else if (st.isFile()) entries.push({ path: rel });
    else skipped.push({ path: rel, reason: 'not a regular file' });
  }
  // Below them: directory entries carry their type, so no per-file stat is needed.
  while (dirs.length > 0) {
    const rel = dirs.pop()!;
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: rel || '.', reason: `cannot list directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    // A virtualenv under any name: its pyvenv.cfg gives it away.
    if (rel !== '' && list.some((d) => d.name === 'pyvenv.cfg')) continue;
    for (const d of list) {
      const child = rel === '' ? d.name : `${rel}/${d.name}`;
      if (seen.has(child) || ignored(child)) continue;
      seen.add(child);
      if (d.isSymbolicLink()) skipped.push({ path: child, reason: 'symbolic link (never followed)' });
      else if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name)) dirs.push(child);
      } else if (d.isFile()) entries.push({ path: child });
      else skipped.push({ path: child, reason: 'not a regular file' });
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, skipped };
}
