import type { Finding, ScanResult } from '../types';
import { joinChunks, jsonChunks, materialize, streamed } from './chunks';

/**
 * The JSON report is a contract other tools read: the ScanResult with exactly these keys, in this order. Objects
 * are rebuilt key by key so that an extra field on a Finding can never leak into the contract.
 */
export function toJsonReport(result: ScanResult): ScanResult {
  return materialize(jsonFrame(result));
}

/** The report with its lists made one element at a time, as they are written. */
function jsonFrame(result: ScanResult) {
  const suppressed = result.suppressedFindings ?? [];
  return {
    version: result.version,
    findings: streamed(() => mapped(result.findings, (f) => (f.suppression === undefined ? jsonFinding(f) : undefined))),
    files: streamed(() => mapped(result.files, (f) => ({ path: f.path, kind: f.kind, ...(f.role ? { role: f.role } : {}) }))),
    skipped: streamed(() => mapped(result.skipped, (s) => ({ path: s.path, reason: s.reason }))),
    // Added key: the findings inline comments silenced, marked, apart from `findings` so that what counts is unchanged.
    ...(suppressed.length
      ? {
          suppressedFindings: streamed(() =>
            mapped(suppressed, (f) => ({
              ...jsonFinding(f),
              suppressed: true,
              suppression: { path: f.suppression?.path ?? f.path, line: f.suppression?.line ?? f.line, ...(f.suppression?.reason !== undefined ? { reason: f.suppression.reason } : {}) },
            })),
          ),
        }
      : {}),
    // Added key: what else the deployment model read (listed when there is any).
    ...(result.deploymentFiles?.length ? { deploymentFiles: streamed(() => mapped(result.deploymentFiles!, (f) => ({ path: f.path, role: f.role })) ) } : {}),
  };
}

/** Each element's image, those mapped to undefined left out. */
function* mapped<T, U>(list: readonly T[], f: (x: T) => U | undefined): Generator<U> {
  for (const x of list) {
    const y = f(x);
    if (y !== undefined) yield y;
  }
}

function jsonFinding(f: Finding): Finding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    path: f.path,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    hint: f.hint,
    docsUrl: f.docsUrl,
    // Added field: present only when the finding has other places of the same cause.
    ...(f.related?.length
      ? { related: f.related.map((r) => ({ path: r.path, line: r.line, ...(r.column !== undefined ? { column: r.column } : {}), ...(r.message !== undefined ? { message: r.message } : {}) })) }
      : {}),
  };
}

export function formatJson(result: ScanResult): string {
  return joinChunks(jsonReportChunks(result));
}

export function* jsonReportChunks(result: ScanResult): Generator<string> {
  yield* jsonChunks(jsonFrame(result));
  yield '\n';
}
