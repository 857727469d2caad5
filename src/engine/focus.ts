import type { ScanResult } from '../types';

/**
 * Whether a workspace-relative path is one of the focus paths or lies under one ('' is the whole workspace).
 * A set and a walk up the path's folders: pre-commit may pass thousands of files, checked against every
 * finding, file and skipped entry.
 */
export function focusFilter(focus: readonly string[]): (p: string) => boolean {
  const set = new Set(focus);
  if (set.has('')) return () => true;
  return (p) => {
    for (let at = p.length; at > 0; at = p.lastIndexOf('/', at - 1)) {
      if (set.has(at === p.length ? p : p.slice(0, at))) return true;
    }
    return false;
  };
}

/**
 * A partial run is a full run restricted to the paths asked for: the whole workspace is scanned (so imports,
 * includes, entry points and cross-file rules see what a full scan sees) and only findings, files and skipped
 * entries under `focus` are kept. Related places may still point elsewhere.
 */
export function restrictToFocus(result: ScanResult, focus: readonly string[]): ScanResult {
  if (focus.length === 0 || focus.includes('')) return result;
  const keep = focusFilter(focus);
  return {
    ...result,
    findings: result.findings.filter((f) => keep(f.path)),
    files: result.files.filter((f) => keep(f.path)),
    skipped: result.skipped.filter((s) => keep(s.path)),
    ...(result.suppressedFindings ? { suppressedFindings: result.suppressedFindings.filter((f) => keep(f.path)) } : {}),
  };
}
