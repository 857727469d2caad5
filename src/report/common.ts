import { SEVERITIES, reachesFailOn, unsuppressed, type FailOn, type Finding, type Severity } from '../types';

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of unsuppressed(findings)) counts[f.severity]++;
  return counts;
}

export function failingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  return unsuppressed(findings).filter((f) => reachesFailOn(f.severity, failOn));
}

/** "3 findings (1 high, 2 medium)"; severities with no finding are left out. */
export function describeCounts(counts: SeverityCounts): string {
  const total = SEVERITIES.reduce((n, s) => n + counts[s], 0);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `${plural(total, 'finding')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One line on why the run fails, or undefined when it passes. */
export function failureReason(findings: readonly Finding[], failOn: FailOn): string | undefined {
  const failing = failingFindings(findings, failOn);
  if (failing.length === 0) return undefined;
  return `HTTPS Guard: ${describeCounts(countBySeverity(failing))} at or above fail-on "${failOn}"`;
}
