import { nodeCrypto } from '../util/node-crypto';
import type { ScanResult, Severity } from '../types';
import { fingerprintOf } from './sarif';

/** GitLab Code Quality severities: info, minor, major, critical, blocker. */
const SEVERITY: Record<Severity, 'info' | 'minor' | 'major' | 'critical'> = { high: 'critical', medium: 'major', low: 'minor', info: 'info' };

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: (typeof SEVERITY)[Severity];
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * `--format gitlab`: a Code Quality report (artifacts:reports:codequality). The fingerprint is the SARIF one
 * (rule, path, message; no line) with the occurrence number, so an issue keeps it when its line moves and two
 * identical findings in one file stay two issues.
 */
export function toGitlab(result: ScanResult): CodeQualityIssue[] {
  const occurrences = new Map<string, number>();
  return result.findings.map((f) => {
    const base = fingerprintOf(f);
    const n = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, n);
    return {
      description: `${f.message} ${f.hint}`.trim(),
      check_name: f.ruleId,
      fingerprint: nodeCrypto().createHash('sha256').update(`${base}:${n}`).digest('hex').slice(0, 32),
      severity: SEVERITY[f.severity],
      location: { path: f.path, lines: { begin: Math.max(1, f.line), end: Math.max(1, f.line, f.endLine) } },
    };
  });
}

export function formatGitlab(result: ScanResult): string {
  return `${JSON.stringify(toGitlab(result), null, 2)}\n`;
}
