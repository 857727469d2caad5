import type { ScanResult } from '../types';

/** True when the workspace-relative `p` is one of `focus` or lies under one of them ('' is the whole workspace). */
export function inFocus(p: string, focus: readonly string[]): boolean {
  return focus.some((f) => f === '' || p === f || p.startsWith(`${f}/`));
}

/**
 * A partial run is a full run restricted to the paths asked for: the whole workspace is scanned (so imports,
 * includes, entry points and cross-file rules see what a full scan sees) and only findings, files and skipped
 * entries under `focus` are kept. Related places may still point elsewhere.
 */
export function restrictToFocus(result: ScanResult, focus: readonly string[]): ScanResult {
  if (focus.length === 0 || focus.includes('')) return result;
  return {
    ...result,
    findings: result.findings.filter((f) => inFocus(f.path, focus)),
    files: result.files.filter((f) => inFocus(f.path, focus)),
    skipped: result.skipped.filter((s) => inFocus(s.path, focus)),
  };
}
