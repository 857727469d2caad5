// Precision on a corpus of real projects: scan each project, match every high/medium finding to a reviewed label
// (true or false positive), and report the drift between the labels and what the tool says today.
// Used by `npm run precision` (scripts/precision.mjs) and by __tests__/precision/. It only reads the corpus and
// the labels file; it never writes anywhere except through updateLabels() when asked.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile } from '../src/config';
import { scan } from '../src/engine/scan';
import { toJsonReport } from '../src/report/json';

export type Verdict = 'tp' | 'fp';

/** One reviewed finding. `count` is how many findings share this key (default 1). */
export interface Label {
  rule: string;
  path: string;
  /** The finding's source line, trimmed and with whitespace collapsed. */
  anchor: string;
  /** The settings module named in the message, when the same line is judged once per module. */
  module?: string;
  count?: number;
  verdict: Verdict;
  /** For a false positive: which kind of mistake (docs/precision.md lists the classes). */
  class?: string;
  reason: string;
}

/** A real weakness the tool does not report (recall). */
export interface Miss {
  rule: string;
  path: string;
  reason: string;
}

export interface ProjectLabels {
  findings: Label[];
  /** False positives that no longer fire: kept so the record of what was wrong stays honest. */
  fixed: Label[];
  missed: Miss[];
}

export interface LabelsFile {
  about?: string;
  projects: Record<string, ProjectLabels>;
}

/** The parts of the JSON report this measurement reads (roles only once the JSON carries them). */
export interface ReportFinding {
  ruleId: string;
  severity: string;
  path: string;
  line: number;
  message: string;
  /** Other faces of the same cause (one finding per cause): "rule/id: message" at a place. */
  related?: { path: string; line: number; message: string }[];
}
export interface Report {
  findings: ReportFinding[];
  files: { path: string; kind: string; role?: string }[];
}

export interface Project {
  name: string;
  dir: string;
}

export const COUNTED = new Set(['high', 'medium']);
const ANCHOR_MAX = 200;

/** The corpus folders measured: every folder under projects/, and the older django/, nginx/, uwsgi/ as one each. */
export function listProjects(corpus: string): Project[] {
  const out: Project[] = [];
  const projects = path.join(corpus, 'projects');
  if (isDir(projects)) {
    for (const name of fs.readdirSync(projects).sort()) {
      if (isDir(path.join(projects, name))) out.push({ name, dir: path.join(projects, name) });
    }
  }
  for (const name of ['django', 'nginx', 'uwsgi']) {
    if (isDir(path.join(corpus, name))) out.push({ name, dir: path.join(corpus, name) });
  }
  return out;
}

function isDir(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Scans one project as the CLI does (config file at its root) and returns the JSON report. */
export function scanProject(dir: string): Report {
  return toJsonReport(scan({ root: dir, config: loadConfigFile(dir).config })) as Report;
}

export function normaliseAnchor(line: string | undefined): string {
  return (line ?? '').trim().split(/\s+/).join(' ').slice(0, ANCHOR_MAX);
}

/**
 * The settings module a finding names as "(settings module X …)" when one line is judged once per module. Only the
 * path is kept, so wording after it can change without changing the key.
 */
export function moduleOf(message: string): string | undefined {
  const marker = '(settings module ';
  const i = message.lastIndexOf(marker);
  if (i === -1) return undefined;
  let end = i + marker.length;
  while (end < message.length && !' \t\n),;'.includes(message[end])) end++;
  return end > i + marker.length ? message.slice(i + marker.length, end) : undefined;
}

export interface Keyed {
  rule: string;
  path: string;
  anchor: string;
  module?: string;
}

export function keyOf(k: Keyed): string {
  return [k.rule, k.path, k.anchor, k.module ?? ''].join('\u0000');
}

export function describe(k: Keyed): string {
  return `${k.rule} ${k.path} «${k.anchor}»${k.module ? ` (module ${k.module})` : ''}`;
}

/** Keys the high and medium findings of a report, reading each finding's line from the project's files. */
export function keyFindings(dir: string, report: Report): Keyed[] {
  return keyAll(dir, report).filter((k) => COUNTED.has(k.severity)).map(({ severity: _s, ...k }) => k);
}

/**
 * Keys every finding at any severity, and every face of a cause kept as a related place of another finding (its
 * message starts with its rule id): a real weakness reported at low, or merged into the finding where the fix
 * belongs, is still found.
 */
export function keyAll(dir: string, report: Report): (Keyed & { severity: string })[] {
  const lines = new Map<string, string[]>();
  const lineOf = (rel: string, n: number): string | undefined => {
    let text = lines.get(rel);
    if (text === undefined) {
      try {
        const abs = path.join(dir, rel);
        // Never through a symlink: the corpus is as hostile as any scanned repository.
        text = fs.lstatSync(abs).isFile() ? fs.readFileSync(abs, 'utf8').split('\n') : [];
      } catch {
        text = [];
      }
      lines.set(rel, text);
    }
    return text[n - 1];
  };
  const key = (rule: string, p: string, line: number, message: string, severity: string) => {
    // A module that is the finding's own file says nothing more than the path.
    const named = moduleOf(message);
    const module = named === p ? undefined : named;
    return { rule, path: p, anchor: normaliseAnchor(lineOf(p, line)), ...(module ? { module } : {}), severity };
  };
  const out: (Keyed & { severity: string })[] = [];
  for (const f of report.findings) {
    out.push(key(f.ruleId, f.path, f.line, f.message, f.severity));
    for (const r of f.related ?? []) {
      const m = /^([a-z]+\/[a-z0-9-]+): /.exec(r.message);
      if (m) out.push(key(m[1], r.path, r.line, r.message, 'related'));
    }
  }
  return out;
}

export interface ProjectResult {
  name: string;
  bySeverity: Record<string, number>;
  tp: number;
  fp: number;
  unlabelled: Keyed[];
  /** Previously fixed false positives that fire again (also counted in unlabelled). */
  reappeared: Keyed[];
  /** Unlabelled findings that are a recorded miss (same rule and file, one to one): now reported. */
  promotable: { finding: Keyed; miss: Miss }[];
  vanishedTp: { label: Label; missing: number }[];
  vanishedFp: { label: Label; missing: number }[];
  /** True positives no longer high or medium but still reported: at low/info, or as a related place of another finding. */
  foundElsewhere: number;
  /** High/medium findings on files whose JSON role is not production; undefined when the JSON has no roles. */
  nonProduction?: number;
  knownReal: number;
  missed: number;
}

export function compareProject(name: string, dir: string, report: Report, labels: ProjectLabels | undefined): ProjectResult {
  const keyed = keyFindings(dir, report);
  const bySeverity: Record<string, number> = {};
  for (const f of report.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;

  const actual = new Map<string, { k: Keyed; n: number }>();
  for (const k of keyed) {
    const e = actual.get(keyOf(k));
    if (e) e.n++;
    else actual.set(keyOf(k), { k, n: 1 });
  }
  const result: ProjectResult = {
    name,
    bySeverity,
    tp: 0,
    fp: 0,
    unlabelled: [],
    reappeared: [],
    promotable: [],
    vanishedTp: [],
    vanishedFp: [],
    foundElsewhere: 0,
    knownReal: 0,
    missed: labels?.missed.length ?? 0,
  };
  const elsewhere = new Map<string, number>();
  for (const k of keyAll(dir, report)) {
    if (COUNTED.has(k.severity)) continue;
    const { severity: _s, ...rest } = k;
    elsewhere.set(keyOf(rest), (elsewhere.get(keyOf(rest)) ?? 0) + 1);
  }
  const labelled = new Set<string>();
  for (const label of labels?.findings ?? []) {
    const key = keyOf(label);
    labelled.add(key);
    const expected = label.count ?? 1;
    const got = actual.get(key)?.n ?? 0;
    const matched = Math.min(expected, got);
    if (label.verdict === 'tp') {
      result.tp += matched;
      result.knownReal += expected;
    } else result.fp += matched;
    let missing = expected - matched;
    if (label.verdict === 'tp' && missing > 0) {
      const low = Math.min(missing, elsewhere.get(key) ?? 0);
      result.foundElsewhere += low;
      missing -= low;
    }
    if (missing > 0) (label.verdict === 'tp' ? result.vanishedTp : result.vanishedFp).push({ label, missing });
    for (let i = expected; i < got; i++) result.unlabelled.push(actual.get(key)!.k);
  }
  const fixed = new Set((labels?.fixed ?? []).map(keyOf));
  for (const [key, { k, n }] of actual) {
    if (labelled.has(key)) continue;
    for (let i = 0; i < n; i++) result.unlabelled.push(k);
    if (fixed.has(key)) result.reappeared.push(k);
  }
  result.knownReal += result.missed;
  for (const miss of labels?.missed ?? []) {
    const same = result.unlabelled.filter((k) => k.rule === miss.rule && k.path === miss.path);
    if (same.length === 1) result.promotable.push({ finding: same[0], miss });
  }

  if (report.files.some((f) => f.role !== undefined)) {
    const role = new Map(report.files.map((f) => [f.path, f.role]));
    result.nonProduction = report.findings.filter((f) => COUNTED.has(f.severity) && role.get(f.path) !== undefined && role.get(f.path) !== 'production').length;
  }
  return result;
}

export function readLabels(file: string): LabelsFile {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LabelsFile;
  for (const p of Object.values(parsed.projects)) {
    p.findings ??= [];
    p.fixed ??= [];
    p.missed ??= [];
  }
  return parsed;
}

export interface RunResult {
  projects: ProjectResult[];
  reports: Map<string, Report>;
}

export function measure(corpus: string, labels: LabelsFile, scanOne: (dir: string) => Report = scanProject): RunResult {
  const projects: ProjectResult[] = [];
  const reports = new Map<string, Report>();
  for (const p of listProjects(corpus)) {
    const report = scanOne(p.dir);
    reports.set(p.name, report);
    projects.push(compareProject(p.name, p.dir, report, labels.projects[p.name]));
  }
  return { projects, reports };
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);

export function totals(results: ProjectResult[]) {
  const sum = (f: (r: ProjectResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const tp = sum((r) => r.tp);
  const fp = sum((r) => r.fp);
  const unlabelled = sum((r) => r.unlabelled.length);
  const roles = results.some((r) => r.nonProduction !== undefined);
  return {
    tp,
    fp,
    unlabelled,
    counted: tp + fp + unlabelled,
    knownReal: sum((r) => r.knownReal),
    found: sum((r) => r.tp + r.foundElsewhere),
    missed: sum((r) => r.missed),
    nonProduction: roles ? sum((r) => r.nonProduction ?? 0) : undefined,
  };
}

/** The last line of `npm run precision`: unlabelled findings count against precision until someone labels them. */
export function figureLine(results: ProjectResult[]): string {
  const t = totals(results);
  return `precision high+medium: ${t.tp}/${t.counted} = ${pct(t.tp, t.counted)} (labelled ${t.tp + t.fp} of ${t.counted})`;
}

export function formatTable(results: ProjectResult[]): string {
  const head = ['project', 'high', 'medium', 'low', 'info', 'TP', 'FP', 'unlabelled', 'non-prod H/M', 'precision', 'found/known real'];
  const rows = results.map((r) => [
    r.name,
    String(r.bySeverity.high ?? 0),
    String(r.bySeverity.medium ?? 0),
    String(r.bySeverity.low ?? 0),
    String(r.bySeverity.info ?? 0),
    String(r.tp),
    String(r.fp),
    String(r.unlabelled.length),
    r.nonProduction === undefined ? 'n/a' : String(r.nonProduction),
    pct(r.tp, r.tp + r.fp + r.unlabelled.length),
    `${r.tp + r.foundElsewhere}/${r.knownReal}`,
  ]);
  const t = totals(results);
  const sev = (s: string) => String(results.reduce((n, r) => n + (r.bySeverity[s] ?? 0), 0));
  rows.push([
    'total',
    sev('high'),
    sev('medium'),
    sev('low'),
    sev('info'),
    String(t.tp),
    String(t.fp),
    String(t.unlabelled),
    t.nonProduction === undefined ? 'n/a' : String(t.nonProduction),
    pct(t.tp, t.counted),
    `${t.found}/${t.knownReal}`,
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join(' | ')} |`;
  return [line(head), `|${width.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Everything that disagrees with the labels, as human-readable lines (empty when the labels are up to date). */
export function drift(results: ProjectResult[]): { regressions: string[]; toLabel: string[]; toMove: string[]; toPromote: string[] } {
  const regressions: string[] = [];
  const toLabel: string[] = [];
  const toMove: string[] = [];
  const toPromote: string[] = [];
  for (const r of results) {
    for (const { label, missing } of r.vanishedTp) {
      regressions.push(`${r.name}: true positive no longer reported (${missing}x): ${describe(label)} — ${label.reason}`);
    }
    const promoted = new Set(r.promotable.map((p) => p.finding));
    for (const { finding } of r.promotable) toPromote.push(`${r.name}: a recorded miss is now reported, an improvement: ${describe(finding)}`);
    for (const k of r.unlabelled) {
      if (promoted.has(k)) continue;
      const again = r.reappeared.some((x) => keyOf(x) === keyOf(k)) ? ' (a false positive recorded as fixed fires again)' : '';
      toLabel.push(`${r.name}: unlabelled: ${describe(k)}${again}`);
    }
    for (const { label, missing } of r.vanishedFp) {
      toMove.push(`${r.name}: false positive gone (${missing}x), an improvement: ${describe(label)}`);
    }
  }
  return { regressions, toLabel, toMove, toPromote };
}

/** Current false positives per class, largest first. */
export function falsePositiveClasses(results: ProjectResult[], labels: LabelsFile): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of results) {
    const vanished = new Map(r.vanishedFp.map((v) => [keyOf(v.label), v.missing]));
    for (const l of labels.projects[r.name]?.findings ?? []) {
      if (l.verdict !== 'fp') continue;
      const n = (l.count ?? 1) - (vanished.get(keyOf(l)) ?? 0);
      if (n > 0) counts.set(l.class ?? 'unclassified', (counts.get(l.class ?? 'unclassified') ?? 0) + n);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export const UPDATE_HELP =
  'Run `npm run precision -- --update` to move false positives that no longer fire to `fixed`, and recorded misses ' +
  'that are now reported to true-positive labels, in precision/labels.json; ' +
  'it prints, but never labels, new findings: add each to `findings` of its project with "verdict": "tp" or "fp" and a ' +
  'one-line reason read from the project\'s code. A true positive that vanished is a regression: fix the tool, or, if ' +
  'the finding only moved (new line or message), label its new form by hand and delete the old label.';

/**
 * Moves vanished false positives to `fixed`, and a recorded miss that is now reported (the one unlabelled finding
 * of its rule and file) to a true-positive label with the miss's reason; returns the new labels. Never invents a
 * verdict: every label it writes carries one a reviewer already gave.
 */
export function updateLabels(labels: LabelsFile, results: ProjectResult[]): LabelsFile {
  const out: LabelsFile = JSON.parse(JSON.stringify(labels)) as LabelsFile;
  for (const r of results) {
    const p = out.projects[r.name];
    if (!p) continue;
    for (const { label, missing } of r.vanishedFp) {
      const i = p.findings.findIndex((l) => keyOf(l) === keyOf(label) && l.verdict === 'fp');
      if (i === -1) continue;
      const left = (p.findings[i].count ?? 1) - missing;
      if (left > 0) p.findings[i] = { ...p.findings[i], count: left };
      else p.findings.splice(i, 1);
      const { count: _count, ...rest } = label;
      p.fixed.push(missing > 1 ? { ...rest, count: missing } : rest);
    }
    for (const { finding, miss } of r.promotable) {
      const i = p.missed.findIndex((m) => m.rule === miss.rule && m.path === miss.path && m.reason === miss.reason);
      if (i === -1) continue;
      p.missed.splice(i, 1);
      p.findings.push({ ...finding, verdict: 'tp', reason: miss.reason });
    }
  }
  return out;
}

/** Labels with `count` only where it is above 1, in a stable, reviewable layout. */
export function formatLabels(labels: LabelsFile): string {
  return `${JSON.stringify(labels, null, 2)}\n`;
}
