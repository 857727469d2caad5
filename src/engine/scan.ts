import * as path from 'node:path';
import { mergeConfig, type Config } from '../config';
import { buildModel, type DeploymentModel, type LoadedFile } from '../model';
import { RULES } from '../rules';
import { evaluateRules } from './run';
import { assignFingerprints } from './baseline';
import { classifyPath, classifyText, otherFormatReason } from './classify';
import { loadText } from './load';
import { walk, type WorkspaceEntry } from './walk';
import { VERSION } from '../version';
import type { ScanResult, SkippedFile } from '../types';
import { fileLoc } from '../parsers/source';
import { nginxTemplate } from '../parsers/nginx/template';
import { isPythonTemplate } from '../parsers/python/template';
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
  return withPythonParseCache(() => analyseOnce(options));
}

function analyseOnce(options: ScanOptions): { result: ScanResult; model: DeploymentModel; config: Config; timings: ScanTimings } {
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

  const budget = { total: 0, nginx: 0 };
  const elsewhere = options.focus ? new Map<string, string>() : undefined;
  for (const entry of entries) {
    if (entry.path.endsWith('.py')) pythonIndex.set(entry.path, entry);
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
    if (!cls) continue;
    // A template is not the deployed file: what it renders to cannot be judged from here.
    if ((cls.kind === 'django-settings' || cls.kind === 'wsgi') && isPythonTemplate(entry.path, loaded.text)) {
      skipped.push({ path: entry.path, reason: 'template' });
      continue;
    }
    let text = loaded.text;
    if (cls.kind === 'nginx') {
      const t = nginxTemplate(entry.path, text);
      if (t?.kind === 'control') {
        skipped.push({ path: entry.path, reason: 'template' });
        continue;
      }
      if (t) text = t.text;
    }
    // The whole scan has a budget too (every file under the per-file cap can still add up): past it, files are
    // listed as not analysed, with a finding each, instead of the process running out of memory.
    const over = overBudget(budget, cls.kind, loaded.text.length, config.maxTotalBytes);
    if (over) {
      skipped.push({ path: entry.path, reason: over });
      parseFailures.push({ path: entry.path, message: `file not analysed: ${over}` });
      continue;
    }
    // Out of focus only after the template and budget checks, so that both count every file as a full scan does.
    if (elsewhere && cls.kind === 'django-settings' && !options.focus!.loaded(entry.path)) {
      elsewhere.set(entry.path, loaded.text);
      continue;
    }
    files.push({ path: entry.path, kind: cls.kind, text });
    timings.bytes[cls.kind] = (timings.bytes[cls.kind] ?? 0) + loaded.text.length;
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
      if (!pythonIndex.has(rel)) return undefined;
      const r = loadText(root, rel, config.maxFileBytes);
      return r.ok ? r.text : undefined;
    },
    pythonFiles: [...pythonIndex.keys()],
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
  return { result, model, config, timings };
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
