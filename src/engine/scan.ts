import * as path from 'node:path';
import { mergeConfig, type Config } from '../config';
import { buildModel, type DeploymentModel, type LoadedFile } from '../model';
import { RULES } from '../rules';
import { compareFindings, evaluateRules, loweredNotes } from './run';
import { assignFingerprints } from './baseline';
import { classifyPath, classifyText, otherFormatReason } from './classify';
import { loadText } from './load';
import { walk, type WorkspaceEntry } from './walk';
import { VERSION } from '../version';
import { severityRank, type Finding, type FileKind, type FileRole, type ScanResult, type SkippedFile } from '../types';
import { pushTo } from '../util/multimap';
import { fileLoc } from '../parsers/source';
import { nginxTemplate } from '../parsers/nginx/template';
import { isPythonTemplate } from '../parsers/python/template';
import { blankTemplateTags, isModuleTemplateName } from '../model/python/evaluate';
import { pythonParseStats, withPreparsed } from '../parsers/python/parse';
import { withPythonParseCache } from '../parsers/python/scan-cache';
import { parseInParallel, resolveJobs, type PoolReport } from './parse-pool';

export interface ScanOptions {
  /** Absolute workspace root: nothing outside it is read, and output paths are relative to it. */
  root: string;
  /** Workspace-relative paths (files or folders) to scan; default: the whole workspace. */
  paths?: string[];
  config?: Partial<Config>;
  /** Threads for parsing (--jobs); default HTTPS_GUARD_JOBS, else the cores available up to 4. Small scans use one. */
  jobs?: number;
  /** Smallest Python parse work worth threads (default PARALLEL_MIN_BYTES and _FILES); tests lower it. */
  parallelMin?: { bytes: number; files: number };
  /**
   * A focused scan (focused.ts): settings modules outside the projects `loaded` accepts are not evaluated; their
   * texts go to the model, which reads only what decides the loaded projects' verdicts from them. Every other
   * deployment file is loaded as in a full scan.
   */
  focus?: { loaded: (path: string) => boolean };
}

/**
 * The engine: walk, classify, load safely, parse, build the deployment model, run every rule. It knows nothing
 * about GitHub or output formats, and it never executes anything from the workspace.
 */
export function scan(options: ScanOptions): ScanResult {
  return analyse(options).result;
}

/** Where the time of a scan went (HTTPS_GUARD_TIMING=1 prints it), and how much text of each kind was read. */
export interface ScanTimings {
  phases: Record<'walk' | 'load' | 'python' | 'nginx' | 'rules', number>;
  /** The nginx parser alone (tokenizer and block model), without include expansion and the rest of the model. */
  nginxParse: { ms: number; bytes: number };
  /** Time in the Python parser proper (grammar and syntax-error checks), and the text it parsed. */
  pythonParse: { ms: number; bytes: number };
  rules: Record<string, number>;
  bytes: Record<string, number>;
  /** Threads that parsed Python, and why fewer than asked when so. */
  threads?: PoolReport;
}

/** Like scan(), and also returns the deployment model the rules saw (for tests and the oracle harnesses). */
export function analyse(options: ScanOptions): { result: ScanResult; model: DeploymentModel; config: Config; timings: ScanTimings } {
  // Each Python file is parsed once however many parts of the scan read it.
  return withPythonParseCache(() => {
    const first = analyseOnce(options, 0);
    if (first.branched.size === 0) return first;
    // Jinja `{% if %}` in nginx templates: the other reading, and only what both readings say keeps its severity.
    const other = analyseOnce(options, 1);
    first.result.findings = mergeReadings(first.result.findings, other.result.findings, first.branched);
    const quiet = mergeReadings(first.result.suppressedFindings ?? [], other.result.suppressedFindings ?? [], first.branched);
    if (quiet.length > 0) first.result.suppressedFindings = quiet;
    for (const k of Object.keys(first.timings.phases) as (keyof ScanTimings['phases'])[]) first.timings.phases[k] += other.timings.phases[k];
    return first;
  });
}

/**
 * Findings of the two readings of the templates with `{% if %}` (positions are the template's in both): one that
 * both give keeps the lower severity; one that only a reading gives depends on how the tags are set at deploy time,
 * so it is low at most, and says so.
 */
export function mergeReadings(a: Finding[], b: Finding[], templates: Map<string, number[]>): Finding[] {
  const key = (f: Finding) => `${f.ruleId}\0${f.path}\0${f.line}\0${f.column}`;
  const inB = new Map(b.map((f) => [key(f), f]));
  const inA = new Set(a.map(key));
  const names = [...templates].map(([p, lines]) => `${p}:${lines[0]}`).sort();
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  const onlyOne = (f: Finding): Finding => ({
    ...f,
    severity: severityRank(f.severity) > severityRank('low') ? 'low' : f.severity,
    message: `${severityRank(f.severity) > severityRank('low') ? loweredNotes(f.message, 'in both readings') : f.message} (only in one reading of the template's \`if\` tags of ${shown}: which branches render is decided at deploy time)`,
  });
  const out: Finding[] = [];
  for (const f of a) {
    const g = inB.get(key(f));
    if (!g) out.push(onlyOne(f));
    else out.push(severityRank(g.severity) < severityRank(f.severity) ? { ...f, severity: g.severity } : f);
  }
  for (const g of b) if (!inA.has(key(g))) out.push(onlyOne(g));
  return out.sort(compareFindings);
}

function analyseOnce(options: ScanOptions, reading: 0 | 1): { result: ScanResult; model: DeploymentModel; config: Config; timings: ScanTimings; branched: Map<string, number[]> } {
  const timings: ScanTimings = { phases: { walk: 0, load: 0, python: 0, nginx: 0, rules: 0 }, nginxParse: { ms: 0, bytes: 0 }, pythonParse: { ms: 0, bytes: 0 }, rules: {}, bytes: {} };
  const parseStats = { nginxMs: 0, nginxBytes: 0 };
  let t = performance.now();
  const lap = (phase: keyof ScanTimings['phases']) => {
    const now = performance.now();
    timings.phases[phase] += now - t;
    t = now;
  };
  const config = mergeConfig(options.config ?? {});
  const root = path.resolve(options.root);
  const { entries, skipped } = walk(root, options.paths?.length ? options.paths : [''], config.ignore);
  lap('walk');
  const files: LoadedFile[] = [];
  const parseFailures: { path: string; message: string }[] = [];
  const pythonIndex = new Map<string, WorkspaceEntry>();
  // `local.py.example`: the template of a module the repository lacks (read only in its place).
  const templateIndex = new Set<string>();
  // nginx templates read both ways (their `{% if %}` lines).
  const branched = new Map<string, number[]>();

  const budget = { total: 0, nginx: 0 };
  const elsewhere = options.focus ? new Map<string, string>() : undefined;
  /** Takes a selected file into the scan unless it is a template, over budget or out of focus; true when loaded. */
  const admit = (p: string, kind: FileKind, raw: string): boolean => {
    // A template is not the deployed file: what it renders to cannot be judged from here.
    if ((kind === 'django-settings' || kind === 'wsgi') && isPythonTemplate(p, raw)) {
      skipped.push({ path: p, reason: 'template' });
      return false;
    }
    let text = raw;
    let tagLines: number[] | undefined;
    if (kind === 'nginx') {
      const t = nginxTemplate(p, text);
      if (t?.kind === 'control') {
        skipped.push({ path: p, reason: 'template' });
        return false;
      }
      if (t?.kind === 'branches') {
        text = t.texts[reading];
        tagLines = t.tagLines;
      } else if (t) text = t.text;
    }
    // The whole scan has a budget too (every file under the per-file cap can still add up): past it, files are
    // listed as not analysed, with a finding each, instead of the process running out of memory.
    const over = overBudget(budget, kind, raw.length, config.maxTotalBytes);
    if (over) {
      skipped.push({ path: p, reason: over });
      parseFailures.push({ path: p, message: `file not analysed: ${over}` });
      return false;
    }
    // Out of focus only after the template and budget checks, so that both count every file as a full scan does.
    if (elsewhere && kind === 'django-settings' && !options.focus!.loaded(p)) {
      elsewhere.set(p, raw);
      return false;
    }
    files.push({ path: p, kind, text });
    if (tagLines) branched.set(p, tagLines);
    timings.bytes[kind] = (timings.bytes[kind] ?? 0) + raw.length;
    return true;
  };
  const overlays = new Map<string, { path: string; text: string }[]>();
  for (const entry of entries) {
    if (entry.path.endsWith('.py')) pythonIndex.set(entry.path, entry);
    else if (isModuleTemplateName(entry.path)) templateIndex.add(entry.path);
    const byPath = classifyPath(entry.path);
    if (byPath === undefined) continue;
    const loaded = loadText(root, entry.path, config.maxFileBytes);
    if (!loaded.ok) {
      skipped.push({ path: entry.path, reason: loaded.reason });
      if (byPath !== 'needs-text') parseFailures.push({ path: entry.path, message: `file not analysed: ${loaded.reason}` });
      continue;
    }
    const cls = byPath === 'needs-text' ? classifyText(entry.path, loaded.text) : byPath;
    // Only a file its path made a candidate for is looked at again (and sniffed only once when it was by text).
    const other = (cls === undefined || cls.byName) && byPath !== undefined ? otherFormatReason(entry.path, loaded.text, cls) : undefined;
    if (other) {
      skipped.push({ path: entry.path, reason: other });
      continue;
    }
    if (!cls) {
      const targets = entry.path.endsWith('.py') ? starImportTargets(entry.path, loaded.text) : [];
      for (const target of targets) pushTo(overlays, target, { path: entry.path, text: loaded.text });
      continue;
    }
    admit(entry.path, cls.kind, loaded.text);
  }
  // `from .base import *` and a few settings (DEBUG, storage) is a settings module too: the modules that
  // star-import a selected settings module, and those that star-import them, in turn.
  const queue = files.filter((f) => f.kind === 'django-settings').map((f) => f.path);
  if (elsewhere) queue.push(...elsewhere.keys());
  const admitted = new Set<string>();
  while (queue.length > 0) {
    for (const o of overlays.get(queue.pop()!) ?? []) {
      if (admitted.has(o.path)) continue;
      admitted.add(o.path);
      if (admit(o.path, 'django-settings', o.text) || elsewhere?.has(o.path)) queue.push(o.path);
    }
  }
  lap('load');

  const pythonBefore = { ...pythonParseStats };
  // Settings and wsgi modules are parsed ahead on worker threads when there are enough of them; the model then
  // finds each parse by its text. Imported modules not selected here are parsed on demand, as before.
  const pool: PoolReport = { threads: 1 };
  const preparsed = parseInParallel(
    files.filter((f) => f.kind === 'django-settings' || f.kind === 'wsgi').map((f) => f.text),
    resolveJobs(options.jobs),
    pool,
    options.parallelMin,
  );
  timings.threads = pool;
  const model = withPreparsed(preparsed, () => buildModel({
    root,
    files,
    config,
    readModule: (rel) => {
      if (!pythonIndex.has(rel) && !templateIndex.has(rel)) return undefined;
      const r = loadText(root, rel, config.maxFileBytes);
      return !r.ok ? undefined : templateIndex.has(rel) ? blankTemplateTags(r.text) : r.text;
    },
    pythonFiles: [...pythonIndex.keys()],
    pythonTemplates: [...templateIndex],
    allFiles: entries.map((e) => e.path),
    // Deployment files beyond the classified ones (compose, Dockerfiles, Caddyfiles…); their parsers count lines
    // at LF only, so CR and CRLF become LF (the line count is kept).
    readText: (rel) => {
      const r = loadText(root, rel, config.maxFileBytes);
      return r.ok ? r.text.replace(/\r\n?/g, '\n') : undefined;
    },
    onPhase: (phase) => lap(phase),
    parseStats,
    ...(elsewhere ? { focus: { loaded: options.focus!.loaded, elsewhere } } : {}),
  }));
  timings.nginxParse = { ms: parseStats.nginxMs, bytes: parseStats.nginxBytes };
  timings.pythonParse = { ms: pythonParseStats.ms - pythonBefore.ms, bytes: pythonParseStats.bytes - pythonBefore.bytes };
  for (const f of parseFailures) model.diagnostics.push({ loc: fileLoc(f.path), message: f.message });

  const { findings, suppressed } = evaluateRules(RULES, model, config, timings.rules);
  const kinds = new Map(files.map((f) => [f.path, f.kind]));
  // Fingerprints read the files through the scan's line index and nginx parse rather than doing that work again.
  assignFingerprints([...findings, ...suppressed], (p) => {
    const src = model.sources.get(p);
    return src ? { text: src.text, kind: kinds.get(p), source: src, nginx: model.nginx.parses?.get(p) } : undefined;
  });
  lap('rules');
  const result: ScanResult = {
    version: VERSION,
    findings,
    files: files.map((f) => ({ path: f.path, kind: f.kind, role: model.roleOf?.(f.path).role ?? 'production' })),
    skipped: dedupeSkipped(skipped),
    ...(suppressed.length ? { suppressedFindings: suppressed } : {}),
  };
  const read = deploymentFilesRead(model, new Set(files.map((f) => f.path)));
  if (read.length > 0) result.deploymentFiles = read;
  return { result, model, config, timings, branched };
}

/** The files besides the checked ones that the deployment model read and used (entry points, configs, proxies). */
function deploymentFilesRead(model: DeploymentModel, checked: Set<string>): { path: string; role: FileRole }[] {
  const d = model.deploy;
  if (!d) return [];
  const paths = new Set<string>();
  for (const u of d.units) {
    paths.add(u.file);
    for (const v of u.env.values()) paths.add(v.loc.path);
    for (const { inv, loc } of u.invocations) {
      paths.add(loc.path);
      for (const c of inv.configFiles ?? []) paths.add(c);
    }
  }
  for (const p of d.platforms) paths.add(p.path);
  for (const t of model.edgeFacts?.terminators ?? []) if (t.path) paths.add(t.path);
  for (const c of model.edgeFacts?.composes ?? []) paths.add(c.path);
  return [...paths]
    .filter((p) => !checked.has(p) && d.sources.has(p))
    .sort()
    .map((path) => ({ path, role: d.roleOf(path).role }));
}

function dedupeSkipped(list: SkippedFile[]): SkippedFile[] {
  const seen = new Set<string>();
  const out = list.filter((s) => (seen.has(s.path) ? false : (seen.add(s.path), true)));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The scan-wide budget: `max-total-bytes` of deployment files in all, of which nginx may take an eighth (its
 * expanded model costs far more per byte than Python's). Returns the skip reason, or undefined and counts the file.
 */
export function overBudget(budget: { total: number; nginx: number }, kind: string, bytes: number, maxTotal: number): string | undefined {
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
  if (budget.total + bytes > maxTotal) return `scan budget reached: ${mb(budget.total)} of deployment files already loaded (max-total-bytes ${mb(maxTotal)})`;
  if (kind === 'nginx' && budget.nginx + bytes > maxTotal / 8) return `scan budget reached: ${mb(budget.nginx)} of nginx configuration already loaded (an eighth of max-total-bytes, ${mb(maxTotal / 8)})`;
  budget.total += bytes;
  if (kind === 'nginx') budget.nginx += bytes;
  return undefined;
}

/**
 * The workspace paths a module's `from X import *` lines may name: relative imports from its folder; absolute ones
 * from each folder above it (where the project's top package may sit). Line by line, no backtracking.
 */
export function starImportTargets(file: string, text: string): string[] {
  if (!text.includes('*')) return [];
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const out: string[] = [];
  for (const m of text.matchAll(/^from[ \t]+(?:(\.+)(\w[\w.]*)?|(\w[\w.]*))[ \t]+import[ \t]+\*/gm)) {
    const level = m[1]?.length ?? 0;
    const mod = (m[2] ?? m[3] ?? '').split('.').filter(Boolean).join('/');
    const bases: string[] = [];
    if (level > 0) {
      const parts = dir ? dir.split('/') : [];
      if (level - 1 > parts.length) continue;
      bases.push(parts.slice(0, parts.length - (level - 1)).join('/'));
    } else if (mod) {
      const parts = dir ? dir.split('/') : [];
      for (let k = parts.length; k >= 0 && bases.length < 32; k--) bases.push(parts.slice(0, k).join('/'));
    }
    for (const base of bases) {
      const at = [base, mod].filter(Boolean).join('/');
      if (mod) out.push(`${at}.py`);
      out.push(at ? `${at}/__init__.py` : '__init__.py');
    }
    if (out.length > 256) break;
  }
  return out;
}
