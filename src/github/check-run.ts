import { reachesFailOn, severityRank, type FailOn, type Finding, type Severity } from '../types';
import type { GitHubClient } from './client';
import type { Repo } from './event';

export const CHECK_NAME = 'HTTPS Guard';
/** The Checks API takes at most 50 annotations per request; more go in further updates of the same run. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Beyond this many the table and the SARIF file carry the rest: each batch is a paced write request. */
export const MAX_CHECK_ANNOTATIONS = 1000;
/** output.summary and output.text: 65,535 characters each. */
export const CHECK_TEXT_LIMIT = 65_535;

export type CheckConclusion = 'success' | 'failure' | 'neutral';

/**
 * failure when a reported finding reaches fail-on; neutral when there are reported findings below it (fail-on
 * never included), so the check shows them without a red cross; success when nothing is reported.
 */
export function checkConclusion(reported: readonly Finding[], failOn: FailOn): CheckConclusion {
  if (reported.some((f) => reachesFailOn(f.severity, failOn))) return 'failure';
  return reported.length ? 'neutral' : 'success';
}

const LEVEL: Record<Severity, 'failure' | 'warning' | 'notice'> = { high: 'failure', medium: 'warning', low: 'notice', info: 'notice' };
const MAX_TITLE = 255;
const MAX_MESSAGE = 60_000;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function toAnnotation(f: Finding) {
  const oneLine = f.endLine <= f.line;
  return {
    path: f.path,
    start_line: f.line,
    end_line: Math.max(f.line, f.endLine),
    // GitHub accepts columns only when the annotation starts and ends on the same line.
    ...(oneLine ? { start_column: f.column, end_column: Math.max(f.column, f.endColumn) } : {}),
    annotation_level: LEVEL[f.severity],
    title: clip(`${CHECK_NAME}: ${f.ruleId} (${f.severity})`, MAX_TITLE),
    message: clip(`${f.message}\n\nFix: ${f.hint}`, MAX_MESSAGE),
    raw_details: f.docsUrl,
  };
}

export interface CheckRunReport {
  headSha: string;
  /** CHECK_NAME unless the step has an `id`: one check run per step. */
  name?: string;
  conclusion: CheckConclusion;
  title: string;
  /** Markdown, at most CHECK_TEXT_LIMIT characters. */
  summary: string;
  findings: readonly Finding[];
}

export interface CheckRunResult {
  url?: string;
  annotated: number;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}

/**
 * Creates the check run in progress, adds the annotations 50 per update and completes it with the last one.
 * When an update fails midway, the run is still completed (best effort) so it does not stay pending forever.
 */
export async function publishCheckRun(client: GitHubClient, repo: Repo, report: CheckRunReport): Promise<CheckRunResult> {
  const { data: run } = await client.rest.checks.create({ ...repo, name: report.name ?? CHECK_NAME, head_sha: report.headSha, status: 'in_progress', started_at: new Date().toISOString() });
  // Worst first: what MAX_CHECK_ANNOTATIONS cuts off is the least important.
  const ordered = [...report.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  const parts = batches(ordered.slice(0, MAX_CHECK_ANNOTATIONS).map(toAnnotation), ANNOTATIONS_PER_REQUEST);
  const output = { title: report.title, summary: report.summary };
  let annotated = 0;
  try {
    for (const [i, annotations] of parts.entries()) {
      const last = i === parts.length - 1;
      const done = last ? { status: 'completed' as const, conclusion: report.conclusion, completed_at: new Date().toISOString() } : {};
      await client.rest.checks.update({ ...repo, check_run_id: run.id, output: { ...output, annotations }, ...done });
      annotated += annotations.length;
    }
  } catch (e) {
    await client.rest.checks
      .update({ ...repo, check_run_id: run.id, status: 'completed', conclusion: report.conclusion, output: { title: report.title, summary: `${report.summary.slice(0, CHECK_TEXT_LIMIT - 200)}\n\nSome annotations could not be added.` } })
      .catch(() => undefined);
    throw Object.assign(e as Error, { annotated });
  }
  return { url: run.html_url ?? undefined, annotated };
}
