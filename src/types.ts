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
  /** Names the finding across edits that move it (engine/baseline.ts): for baselines and SARIF; not in the JSON report. */
  fingerprint?: string;
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
  findings: Finding[];
  files: ScannedFile[];
  skipped: SkippedFile[];
}
