#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLOR_MODES, FORMATS, USAGE, UsageError, oneOf, parseRaw, parseSeverity, splitList, type ColorMode, type Format } from './cli/options';
import { chooseRoot, commonFolder } from './cli/root';
import { explainRule, formatRuleList, listRules, type RuleListing } from './cli/rules-info';
import { selectionSettings } from './cli/select';
import { ConfigError, loadConfigFile, mergeConfig, readConfigFile, validateConfig, type Config } from './config';
import { UnsafeWriteError, describeWriteError, safeWriteFile } from './engine/safe-write';
import { BaselineError, applyBaseline, describeBaseline, formatBaseline, readBaselineFile } from './engine/baseline';
import { focusFilter, restrictToFocus } from './engine/focus';
import { analyseFocused } from './engine/focused';
import { analyse, type ScanTimings } from './engine/scan';
import { insideRoot } from './engine/walk';
import { plural } from './report/common';
import { formatGithub } from './report/github';
import { formatGitlab } from './report/gitlab';
import { joinChunks, type Chunks } from './report/chunks';
import { jsonReportChunks } from './report/json';
import { formatJunit } from './report/junit';
import { sarifChunks } from './report/sarif';
import { formatStatistics } from './report/statistics';
import { conciseChunks, sanitizeForTerminal, textChunks } from './report/text';
import { reachesFailOn, unsuppressed, type ScanResult, type Severity } from './types';
import { writeChunksSync } from './util/write-chunks';
import { VERSION } from './version';

export { USAGE, UsageError } from './cli/options';

export class OutputError extends Error {}

export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  /** With `fd`, a report is written to that descriptor directly, chunk by chunk, instead of through `write`. */
  stdout: { write(s: string): unknown; isTTY?: boolean; fd?: number };
  stderr: { write(s: string): unknown };
}

export interface ScanInvocation {
  kind: 'scan';
  /** The repository root: everything under it is read, and output paths are relative to it. */
  root: string;
  /** Root-relative paths to report on ('' or none: all of it). */
  focus: string[];
  format: Format;
  output?: string;
  config: Config;
  color: ColorMode;
  /** Findings below it are neither shown nor counted for the exit status. */
  minSeverity?: Severity;
  quiet: boolean;
  statistics: boolean;
  /** Baseline to read (absolute) and its name as given. */
  baseline?: { file: string; label: string };
  /** Where --write-baseline writes (as given, resolved against cwd when written). */
  writeBaseline?: string;
  /** --jobs: threads for parsing (undefined: HTTPS_GUARD_JOBS or the cores). */
  jobs?: number;
}

export type Invocation =
  | ScanInvocation
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'list-rules'; format: 'text' | 'json'; rules: RuleListing[] }
  | { kind: 'explain'; text: string };

/** Turns argv into what to do; throws UsageError or ConfigError. */
export function parseInvocation(argv: string[], cwd: string): Invocation {
  const { values, positionals } = parseRaw(argv);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (values.explain !== undefined) return { kind: 'explain', text: explainRule(values.explain.trim()) };

  const format = oneOf('format', values.format, FORMATS, 'text');
  const color = oneOf('color', values.color, COLOR_MODES, 'auto');
  const minSeverity = parseSeverity('min-severity', values['min-severity']);
  const selectionOff = selectionSettings(splitList(values.select), splitList(values.ignore));
  if ((values.statistics || values['list-rules']) && format !== 'text' && format !== 'json') {
    throw new UsageError(`--${values.statistics ? 'statistics' : 'list-rules'} prints text or json, not ${format}`);
  }

  const absolute = positionals.map((p) => path.resolve(cwd, p));
  for (const [i, abs] of absolute.entries()) {
    if (!exists(abs)) throw new UsageError(`no such file or directory: ${positionals[i]}`);
  }
  const root = chooseRoot(cwd, values.root, absolute);
  // No path: the current directory, when it lies inside the root (a subfolder of the repository).
  const asked = absolute.length ? absolute : insideRoot(root, cwd) !== undefined ? [cwd] : [];
  const focus = asked.map((abs, i) => {
    const rel = insideRoot(root, abs);
    if (rel === undefined) throw new UsageError(`${positionals[i]} is outside the root ${root}`);
    return rel;
  });

  // An explicit --config replaces discovery (the nearest config file from the paths up to the root, named relative
  // to the current directory in errors); flags override either; --select/--ignore narrow the rules.
  const from = absolute.length ? commonFolder(absolute) : cwd;
  const fromFile = values.config
    ? readConfigFile(root, path.resolve(cwd, values.config), values.config)
    : loadConfigFile(root, from, (_rel, abs) => path.relative(cwd, abs) || abs).config;
  const flags: Record<string, unknown> = {};
  if (values['fail-on'] !== undefined) flags['fail-on'] = values['fail-on'];
  if (values['django-version'] !== undefined) flags['django-version'] = values['django-version'];
  if (values['nginx-version'] !== undefined) flags['nginx-version'] = values['nginx-version'];
  const config = mergeConfig(fromFile, validateConfig(flags, 'command line'), { rules: selectionOff });

  const jobs = values.jobs === undefined ? undefined : /^\s*\d{1,3}\s*$/.test(values.jobs) && Number(values.jobs) >= 1 ? Number(values.jobs) : undefined;
  if (values.jobs !== undefined && jobs === undefined) throw new UsageError(`--jobs must be a whole number from 1 to 999, got ${JSON.stringify(values.jobs)}`);

  if (values['list-rules']) return { kind: 'list-rules', format: format as 'text' | 'json', rules: listRules(config.rules, selectionOff) };
  return {
    kind: 'scan',
    root,
    focus: [...new Set(focus)],
    format,
    output: values.output,
    config,
    color,
    minSeverity,
    quiet: values.quiet === true,
    statistics: values.statistics === true,
    ...(values.baseline !== undefined ? { baseline: { file: path.resolve(cwd, values.baseline), label: values.baseline } } : {}),
    ...(values['write-baseline'] !== undefined ? { writeBaseline: values['write-baseline'] } : {}),
    ...(jobs !== undefined ? { jobs } : {}),
  };
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * --color, then FORCE_COLOR (set and not 0/false: colour), then NO_COLOR (set and not empty: none), then whether
 * stdout is a terminal. A report written to --output is never coloured unless --color always says so.
 */
export function useColor(mode: ColorMode, env: Record<string, string | undefined>, isTTY: boolean, toFile: boolean): boolean {
  if (mode !== 'auto') return mode === 'always';
  if (toFile) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY;
}

export function render(format: Format, result: ScanResult, config: Config, opts: { color: boolean; quiet?: boolean; root?: string }): string {
  return joinChunks(renderChunks(format, result, config, opts));
}

/** The report in pieces, made as they are written (the larger formats never exist as one string). */
export function renderChunks(format: Format, result: ScanResult, config: Config, opts: { color: boolean; quiet?: boolean; root?: string }): Chunks {
  switch (format) {
    case 'json':
      return jsonReportChunks(result);
    case 'sarif':
      return sarifChunks(result, { severityOverrides: config.rules, root: opts.root });
    case 'text':
      return textChunks(result, { color: opts.color, quiet: opts.quiet });
    case 'concise':
      return conciseChunks(result, { color: opts.color, quiet: opts.quiet });
    case 'github':
      return [formatGithub(result)];
    case 'gitlab':
      return [formatGitlab(result)];
    case 'junit':
      return [formatJunit(result)];
  }
}

/**
 * Scans the whole root, then keeps what was asked for: the focus paths and the findings at or above --min-severity.
 * `unbaselined` is the same before the baseline dropped what it accepts (what --write-baseline writes).
 */
export function runScan(
  inv: ScanInvocation,
  env: Record<string, string | undefined> = process.env,
  debug: (message: string) => void = () => undefined,
): { result: ScanResult; timings: ScanTimings; baseline?: { baselined: number; stale: number }; unbaselined: ScanResult } {
  const partial = inv.focus.length > 0 && !inv.focus.includes('');
  // The focus paths are walked too: a file asked for by name is read even where the walk would not go (node_modules).
  // A partial run builds only the deployments (projects) of the paths asked for, when analyseFocused's checks show
  // that this gives the full scan's findings on them (else it scans everything). HTTPS_GUARD_FOCUSED=0 turns it off.
  let focused: ScanResult;
  let timings: ScanTimings;
  if (partial && env.HTTPS_GUARD_FOCUSED !== '0') {
    const run = analyseFocused({ root: inv.root, changed: inv.focus, config: inv.config, jobs: inv.jobs });
    ({ result: focused, timings } = run);
    if (env.HTTPS_GUARD_DEBUG) debug(run.fullScan ? `focused scan not used: ${run.fullScan}` : `focused scan of ${run.projects?.join(', ')}`);
  } else {
    const run = analyse({ root: inv.root, paths: partial ? ['', ...inv.focus] : undefined, config: inv.config, jobs: inv.jobs });
    ({ timings } = run);
    focused = restrictToFocus(run.result, inv.focus);
  }
  const min = inv.minSeverity;
  const shown = min ? { ...focused, findings: focused.findings.filter(atLeast(min)), ...(focused.suppressedFindings ? { suppressedFindings: focused.suppressedFindings.filter(atLeast(min)) } : {}) } : focused;
  if (!inv.baseline) return { result: shown, timings, unbaselined: shown };
  const baseline = readBaselineFile(inv.baseline.file, inv.baseline.label);
  // Entries outside the focus, or of rules not run, were not looked for: they are not stale.
  const inFocus = focusFilter(inv.focus.length ? inv.focus : ['']);
  const applied = applyBaseline(shown.findings, { ...baseline, findings: baseline.findings.filter((e) => inFocus(e.path)) }, (id) => inv.config.rules[id] !== 'off');
  return { result: { ...shown, findings: applied.kept }, timings, baseline: { baselined: applied.baselined, stale: applied.stale }, unbaselined: shown };
}

function atLeast(min: Severity): (f: { severity: Severity }) => boolean {
  return (f) => reachesFailOn(f.severity, min);
}

/** The whole CLI as a function of argv and its surroundings; returns the exit status. */
export function runCli(argv: string[], io: CliIO): number {
  try {
    const inv = parseInvocation(argv, io.cwd);
    switch (inv.kind) {
      case 'help':
        io.stdout.write(USAGE);
        return 0;
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case 'explain':
        io.stdout.write(inv.text);
        return 0;
      case 'list-rules':
        io.stdout.write(formatRuleList(inv.rules, inv.format));
        return 0;
    }
    const { result, timings, baseline, unbaselined } = runScan(inv, io.env, (m) => io.stderr.write(`https-guard: debug: ${sanitizeForTerminal(m)}\n`));
    if (baseline && inv.baseline && !inv.quiet) io.stderr.write(`https-guard: ${sanitizeForTerminal(describeBaseline(baseline, inv.baseline.label))}\n`);
    if (result.files.length === 0 && !inv.quiet) {
      // The root as the user named it (a folder given without a root marker above it is the root itself).
      const shownRoot = path.relative(io.cwd, inv.root) || inv.root;
      const where = inv.focus.length && !inv.focus.includes('') ? inv.focus.map((p) => sanitizeForTerminal(p)).join(', ') : sanitizeForTerminal(shownRoot.startsWith('..') ? inv.root : shownRoot);
      const skipped = result.skipped.length ? ` (${plural(result.skipped.length, 'file')} skipped)` : '';
      io.stderr.write(`https-guard: warning: no Django settings module, wsgi.py/asgi.py or nginx config found in ${where}${skipped}\n`);
    }
    const color = useColor(inv.color, io.env, io.stdout.isTTY === true, inv.output !== undefined);
    if (inv.writeBaseline !== undefined) {
      // Every reported finding, the ones an older --baseline accepted included: the new file replaces it.
      writeOut(io, inv, inv.writeBaseline, formatBaseline(unbaselined.findings, VERSION));
      if (!inv.quiet) io.stderr.write(`https-guard: wrote ${plural(unbaselined.findings.length, 'finding')} to the baseline ${sanitizeForTerminal(inv.writeBaseline)}\n`);
    }
    // The report phase is making and writing the report: the two are interleaved, chunk by chunk.
    const reportStart = performance.now();
    const report = inv.statistics ? [formatStatistics(result, inv.format as 'text' | 'json')] : renderChunks(inv.format, result, inv.config, { color, quiet: inv.quiet, root: inv.root });
    if (inv.output !== undefined) writeOut(io, inv, inv.output, report);
    else writeStdout(io, report);
    if (io.env.HTTPS_GUARD_TIMING) {
      const withReport = { ...timings, phases: { ...timings.phases, report: performance.now() - reportStart } };
      io.stderr.write(io.env.HTTPS_GUARD_TIMING === 'json' ? `${JSON.stringify(withReport)}\n` : formatTimings(withReport));
    }
    if (inv.writeBaseline !== undefined) return 0;
    return unsuppressed(result.findings).some((f) => reachesFailOn(f.severity, inv.config.failOn)) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`https-guard: ${sanitizeForTerminal(e.message)}\nRun "https-guard --help" for usage.\n`);
    } else if (e instanceof OutputError) {
      io.stderr.write(`https-guard: ${sanitizeForTerminal(e.message)}\n`);
    } else if (e instanceof BaselineError) {
      io.stderr.write(`https-guard: baseline error: ${sanitizeForTerminal(e.message)}\n`);
    } else if (e instanceof ConfigError) {
      io.stderr.write(`https-guard: config error: ${sanitizeForTerminal(e.message)}\n`);
    } else {
      io.stderr.write(`https-guard: error: ${sanitizeForTerminal((e as Error)?.message ?? String(e))}\n`);
      if (io.env.HTTPS_GUARD_DEBUG === '1' && (e as Error)?.stack) io.stderr.write(`${(e as Error).stack}\n`);
    }
    return 2;
  }
}

/** A reader that stops early (`| head`) ends the writing quietly; the exit status is still the scan's. */
function writeStdout(io: CliIO, chunks: Chunks): void {
  if (io.stdout.fd !== undefined) {
    writeChunksSync(io.stdout.fd, chunks);
    return;
  }
  for (const c of chunks) io.stdout.write(c);
}

/** The argument is the author's, so it may leave the root; links inside the root are refused. */
function writeOut(io: CliIO, inv: ScanInvocation, file: string, data: string | Chunks): void {
  try {
    safeWriteFile(path.resolve(io.cwd, file), data, { root: inv.root, authorPath: true, label: file });
  } catch (e) {
    if (e instanceof UnsafeWriteError) throw new OutputError(e.message);
    throw Object.assign(new Error(describeWriteError(e, file)), { stack: (e as Error)?.stack });
  }
}

/** True when this module is the program node started (the bin, possibly through a symlink), not an import. */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

let started = false;

/** Runs the CLI on this process's arguments and streams and sets its exit status (the bin's whole job). */
export function runMain(): void {
  // Once per process: the bundle's entry calls it, and so does this module when node was started on it.
  if (started) return;
  started = true;
  // `https-guard | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const stdout = { write: (s: string) => process.stdout.write(s), isTTY: process.stdout.isTTY, fd: 1 };
  process.exitCode = runCli(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout, stderr: process.stderr });
}

if (isEntryPoint()) runMain();

/** HTTPS_GUARD_TIMING=1: where the time went, like ESLint's TIMING (phases, the slowest rules, MB/s by kind). */
export function formatTimings(t: ScanTimings): string {
  const lines = ['HTTPS Guard timing (ms):'];
  for (const [phase, ms] of Object.entries(t.phases)) lines.push(`  ${phase.padEnd(8)} ${ms.toFixed(1)}`);
  const parse = { python: t.bytes['django-settings'] ?? 0, nginx: t.bytes.nginx ?? 0 };
  if (t.nginxParse.bytes) lines.push(`  nginx parser: ${(t.nginxParse.bytes / 1e6 / (t.nginxParse.ms / 1000)).toFixed(1)} MB/s`);
  if (t.pythonParse?.bytes) lines.push(`  python parser: ${(t.pythonParse.bytes / 1e6 / (t.pythonParse.ms / 1000)).toFixed(1)} MB/s`);
  if (parse.nginx) lines.push(`  nginx model: ${(parse.nginx / 1e6 / (t.phases.nginx / 1000)).toFixed(1)} MB/s of nginx text`);
  if (parse.python) lines.push(`  python model: ${(((t.bytes.wsgi ?? 0) + parse.python) / 1e6 / (t.phases.python / 1000)).toFixed(1)} MB/s of Python text`);
  const slow = Object.entries(t.rules).sort((a, b) => b[1] - a[1]).slice(0, 10);
  lines.push('  slowest rules:');
  for (const [id, ms] of slow) lines.push(`    ${id.padEnd(44)} ${ms.toFixed(1)}`);
  return `${lines.join('\n')}\n`;
}
