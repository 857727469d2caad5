import type { RelatedLocation, ScanResult, Severity } from '../types';
import { countBySeverity, plural } from './common';
import { SEVERITIES } from '../types';
import { joinChunks } from './chunks';

export interface TextOptions {
  color?: boolean;
  /** Skipped files listed before the summary; the rest are counted. */
  maxSkippedListed?: number;
  /** Findings only: no skipped list, no summary line. */
  quiet?: boolean;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', underline: '\x1b[4m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', gray: '\x1b[90m' };
const SEVERITY_COLOR: Record<Severity, string> = { high: ANSI.red + ANSI.bold, medium: ANSI.yellow, low: ANSI.blue, info: ANSI.gray };

/**
 * Paths and messages come from the scanned repository: control characters (ANSI escapes, newlines, bidi
 * overrides) are shown as escapes so a hostile file name cannot rewrite the terminal or forge output lines.
 */
export function sanitizeForTerminal(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The runner reads a log line whose first non-blank characters are `::` (or the older `##[`) as a workflow command,
 * so a repository path must never start a line that way: such a path is shown as `./path`, the same file.
 */
function displayPath(p: string): string {
  const shown = sanitizeForTerminal(p);
  return /^\s|^::|^##\[/.test(shown) ? `./${shown}` : shown;
}

/** Last line of defence: any line that would still read as a workflow command is indented behind a marker. */
function inert(line: string): string {
  return /^\s*(?:::|##\[)/.test(line) ? `> ${line}` : line;
}

export function formatText(result: ScanResult, options: TextOptions = {}): string {
  return joinChunks(textChunks(result, options));
}

/** The text report a line at a time (each with its line break). */
export function* textChunks(result: ScanResult, options: TextOptions = {}): Generator<string> {
  const paint = painter(options.color);
  let written = 0;
  const line = (s: string) => {
    written++;
    return `${inert(s)}\n`;
  };
  let previousPath: string | undefined;
  for (const f of result.findings) {
    // A header per file, then its findings by line:column (an editor still gets path:line from the header).
    if (f.path !== previousPath) {
      if (previousPath !== undefined) yield line('');
      yield line(paint(ANSI.bold + ANSI.underline, displayPath(f.path)));
      previousPath = f.path;
    }
    yield line(`  ${paint(ANSI.dim, `${f.line}:${f.column}`)}  ${paint(SEVERITY_COLOR[f.severity], f.severity)}  ${paint(ANSI.gray, f.ruleId)}  ${sanitizeForTerminal(f.message)}`);
    yield line(`    ${paint(ANSI.dim, `hint: ${sanitizeForTerminal(f.hint)}`)}`);
    const related = f.related ?? [];
    for (const r of related.slice(0, MAX_RELATED_LISTED)) yield line(`    ${paint(ANSI.dim, `see also ${relatedText(r)}`)}`);
    if (related.length > MAX_RELATED_LISTED) yield line(`    ${paint(ANSI.dim, `… and ${related.length - MAX_RELATED_LISTED} more places (see --format json)`)}`);
    if (f.docsUrl) yield line(`    ${paint(ANSI.dim, `docs: ${sanitizeForTerminal(f.docsUrl)}`)}`);
  }

  if (!options.quiet) {
    const maxSkipped = options.maxSkippedListed ?? 10;
    if (result.skipped.length > 0) {
      if (written > 0) yield line('');
      yield line(`Skipped ${plural(result.skipped.length, 'file')}:`);
      for (const s of result.skipped.slice(0, maxSkipped)) yield line(`  ${displayPath(s.path)} (${sanitizeForTerminal(s.reason)})`);
      if (result.skipped.length > maxSkipped) yield line(`  … and ${result.skipped.length - maxSkipped} more (see --format json)`);
    }
    if (written > 0) yield line('');
    yield line(summaryLine(result, paint));
  }
}

/**
 * One line per finding, `path:line:col: severity rule message`, as ruff's and ShellCheck's gcc-style output that
 * editors and grep read; the summary line last unless quiet.
 */
export function formatConcise(result: ScanResult, options: TextOptions = {}): string {
  return joinChunks(conciseChunks(result, options));
}

export function* conciseChunks(result: ScanResult, options: TextOptions = {}): Generator<string> {
  const paint = painter(options.color);
  for (const f of result.findings) {
    yield `${inert(`${paint(ANSI.bold, `${displayPath(f.path)}:${f.line}:${f.column}:`)} ${paint(SEVERITY_COLOR[f.severity], f.severity)} ${paint(ANSI.gray, f.ruleId)} ${sanitizeForTerminal(f.message)}`)}\n`;
  }
  if (!options.quiet) yield `${inert(summaryLine(result, paint))}\n`;
}

type Paint = (code: string, s: string) => string;

function painter(color: boolean | undefined): Paint {
  return (code, s) => (color ? `${code}${s}${ANSI.reset}` : s);
}

/** Related places listed under a finding; the rest are counted (JSON and SARIF carry them all). */
const MAX_RELATED_LISTED = 5;

function relatedText(r: RelatedLocation): string {
  const where = `${sanitizeForTerminal(r.path)}:${r.line}${r.column ? `:${r.column}` : ''}`;
  return r.message ? `${where}: ${sanitizeForTerminal(r.message)}` : where;
}

export function summaryLine(result: ScanResult, paint: Paint = (_c, s) => s): string {
  const counts = countBySeverity(result.findings);
  const bySeverity = SEVERITIES.map((s) => (counts[s] > 0 ? paint(SEVERITY_COLOR[s], `${counts[s]} ${s}`) : `${counts[s]} ${s}`)).join(', ');
  const read = result.deploymentFiles?.length ? `; ${plural(result.deploymentFiles.length, 'deployment file')} read (entry points, configs)` : '';
  return `${plural(result.findings.length, 'finding')} (${bySeverity}); ${plural(result.files.length, 'file')} checked, ${result.skipped.length} skipped${read}`;
}
