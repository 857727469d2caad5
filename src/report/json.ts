import { unsuppressed, type Finding, type ScanResult } from '../types';

/**
 * The JSON report is a contract other tools read: the ScanResult with exactly these keys, in this order. Objects
 * are rebuilt key by key so that an extra field on a Finding can never leak into the contract.
 */
export function toJsonReport(result: ScanResult): ScanResult {
  return {
    version: result.version,
    findings: unsuppressed(result.findings).map(jsonFinding),
    files: result.files.map((f) => ({ path: f.path, kind: f.kind, ...(f.role ? { role: f.role } : {}) })),
    skipped: result.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    // Added key: the findings inline comments silenced, marked, apart from `findings` so that what counts is unchanged.
    ...(result.suppressedFindings?.length
      ? {
          suppressedFindings: result.suppressedFindings.map((f) => ({
            ...jsonFinding(f),
            suppressed: true,
            suppression: { path: f.suppression?.path ?? f.path, line: f.suppression?.line ?? f.line, ...(f.suppression?.reason !== undefined ? { reason: f.suppression.reason } : {}) },
          })),
        }
      : {}),
  };
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
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
