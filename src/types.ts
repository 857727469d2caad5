// Shared vocabulary of the engine, the rules and every output format.

export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type FailOn = Severity | 'never';

/** Rank for comparisons: higher is worse. */
export function severityRank(s: Severity): number {
  return 4 - SEVERITIES.indexOf(s);
}

export function reachesFailOn(s: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && severityRank(s) >= severityRank(failOn);
}

/** A place in a file. Lines and columns are 1-based; end is inclusive of the last character's column + 1. */
export interface Loc {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One finding: every output format (text, JSON, SARIF, annotations, Markdown) is built from this type. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  hint: string;
  docsUrl: string;
  /** Other places of the same cause (the other faces of one weakness, identical directives): shown, not reported. */
  related?: RelatedLocation[];
  /** Set when an inline `https-guard: ignore` comment silenced it: kept for JSON and SARIF, never counted. */
  suppression?: Suppression;
  /** Names the finding across edits that move it (engine/baseline.ts): for baselines and SARIF; not in the JSON report. */
  fingerprint?: string;
}

/** The inline comment that silenced a finding. */
export interface Suppression {
  /** Where the comment is (the finding's line, or the line above). */
  path: string;
  line: number;
  /** The text after ` -- ` in the comment, when given. */
  reason?: string;
}

export function isSuppressed(f: Pick<Finding, 'suppression'>): boolean {
  return f.suppression !== undefined;
}

/** The findings that count: for fail-on, counts and every output that shows findings. */
export function unsuppressed<T extends Pick<Finding, 'suppression'>>(findings: readonly T[]): T[] {
  return findings.filter((f) => f.suppression === undefined);
}

/** Every finding of a scan, the suppressed ones after the others (for JSON and SARIF, which mark them). */
export function withSuppressed(result: Pick<ScanResult, 'findings' | 'suppressedFindings'>): Finding[] {
  return [...unsuppressed(result.findings), ...(result.suppressedFindings ?? [])];
}

/** A place a finding points to besides its own line. */
export interface RelatedLocation {
  path: string;
  line: number;
  column?: number;
  /** What is at that place (which rule saw it there, or "the same directive"). */
  message?: string;
}

export type FileKind = 'django-settings' | 'wsgi' | 'nginx' | 'uwsgi' | 'gunicorn';

/** What a file is for (see docs/model.md); only production files get high and medium findings. */
export type FileRole = 'production' | 'development' | 'test' | 'ci' | 'example' | 'template';

export interface ScannedFile {
  path: string;
  kind: FileKind;
  /** Added after 0.1.0: absent in older reports. */
  role?: FileRole;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ScanResult {
  version: string;
  /** The findings that count; none of them is suppressed. */
  findings: Finding[];
  files: ScannedFile[];
  skipped: SkippedFile[];
  /**
   * Findings that inline comments silenced, each with its `suppression`. Apart from `findings` so that every count,
   * fail-on and output that reads `findings` stays as it was; JSON and SARIF list them, marked.
   */
  suppressedFindings?: Finding[];
  /**
   * Added key: the other workspace files the deployment model read to decide what runs where (Dockerfiles, compose
   * files, Procfiles, platform manifests, service units, app-server configs, scripts, environment files, proxies).
   * Listed only when there are some.
   */
  deploymentFiles?: { path: string; role: FileRole }[];
}
