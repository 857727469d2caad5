import { SEVERITIES, severityRank, type Finding, type ScanResult, type Severity } from '../types';
import { compareFindings } from '../engine/run';
import { countBySeverity, plural } from './common';

export const DEFAULT_MARKDOWN_LIMIT = 60_000;
/** A single cell never gets longer than this (before escaping): one giant quoted value must not eat the table. */
const MAX_CELL_CHARS = 300;
const MAX_SKIPPED_LISTED = 50;
const MAX_NOTE_CHARS = 1000;

const ZWJ = '\u200d';
const SEVERITY_ICON: Record<Severity, string> = { high: '🔴', medium: '🟠', low: '🟡', info: '🔵' };

/**
 * Makes text from the scanned repository (paths, messages quoting config values) inert in GitHub Markdown, in
 * table cells too: no formatting, links, HTML, mentions (`@user`, `@org/team`), issue references (`#1`), and no
 * way to end the cell or row. Backslash escapes for ASCII punctuation are CommonMark, `\|` is GFM's escape inside
 * tables, `<`, `>`, `&` become entities so nothing is ever parsed as HTML. `$` (math) and `:` (emoji codes,
 * autolinks) are escaped too.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // Line breaks and other controls would end a table row or hide text; bidi overrides could disguise it.
      .replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, ' ')
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\ufffd')
      .replace(/[\\`*_{}[\]()#+\-.!|~:$]/g, '\\$&')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // A joiner after `@` (and after `#` before a number) keeps the text visible but breaks the mention or reference.
      .replace(/@/g, `@${ZWJ}`)
      .replace(/\\#(?=\d)/g, `\\#${ZWJ}`)
  );
}

function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

function cell(raw: string): string {
  return escapeMarkdown(truncate(raw, MAX_CELL_CHARS));
}

/** Only our own docs URLs are linked; anything else (or a URL that could break out of `(...)`) stays plain. */
function ruleLink(f: Finding): string {
  const id = escapeMarkdown(f.ruleId);
  return safeUrl(f.docsUrl) && f.docsUrl.startsWith('https://') ? `[${id}](${f.docsUrl})` : id;
}

/** Only URLs that cannot leave a Markdown link destination: no spaces, quotes, angle brackets or parentheses. */
function safeUrl(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\/[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+$/.test(url) && !/[()]/.test(url);
}

function locationCell(f: Finding, url: string | undefined): string {
  const text = cell(`${f.path}:${f.line}`);
  return safeUrl(url) ? `[${text}](${url})` : text;
}

/** A warning shown above the counts: a title and plain-text lines (escaped like repository text). */
export interface Alert {
  title: string;
  lines: string[];
}

/** Alerts are built by us but quote repository text; these bounds keep them from eating a comment. */
const MAX_ALERTS = 5;
const MAX_ALERT_LINES = 30;

const MAX_RELATED_LISTED = 3;

/** " Also: a.py:4, b.conf:9 (+2 more)": the other places of the same cause, after the message. */
function relatedCell(f: Finding): string {
  const related = f.related ?? [];
  if (related.length === 0) return '';
  const shown = related.slice(0, MAX_RELATED_LISTED).map((r) => cell(`${r.path}:${r.line}`)).join(', ');
  const more = related.length > MAX_RELATED_LISTED ? ` (+${related.length - MAX_RELATED_LISTED} more)` : '';
  return `<br>${escapeMarkdown('Also: ')}${shown}${escapeMarkdown(more)}`;
}

export interface MarkdownOptions {
  /** Hard limit on the returned length (GitHub: 65 536 for a comment, 1 MiB for a job summary). */
  limit?: number;
  title?: string;
  /** A first line that finds the text again, e.g. a hidden `<!-- ... -->` comment marker (ours, never escaped). */
  marker?: string;
  /** Plain-text remarks shown under the counts (escaped like repository text: they may quote file names). */
  notes?: string[];
  /** Warnings shown first: a changed configuration, a scan that checked nothing. */
  alerts?: Alert[];
  /** Link for a finding's location cell, e.g. the file at the commit on GitHub. */
  locationUrl?: (f: Finding) => string | undefined;
}

export function formatMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? DEFAULT_MARKDOWN_LIMIT;
  const counts = countBySeverity(result.findings);
  const head: string[] = [
    ...(options.marker ? [options.marker] : []),
    `## ${escapeMarkdown(options.title ?? 'HTTPS Guard')}`,
    '',
    ...(options.alerts ?? []).slice(0, MAX_ALERTS).flatMap((a) => [
      `> [!WARNING]`,
      `> **${escapeMarkdown(truncate(a.title, MAX_CELL_CHARS))}**`,
      ...a.lines.slice(0, MAX_ALERT_LINES).map((l) => `> ${escapeMarkdown(truncate(l, MAX_NOTE_CHARS))}<br>`),
      '',
    ]),
    `**${plural(result.findings.length, 'finding')}**: ${SEVERITIES.map((s) => `${SEVERITY_ICON[s]} ${counts[s]} ${s}`).join(' · ')}`,
    '',
    `${plural(result.files.length, 'file')} checked, ${result.skipped.length} skipped${result.deploymentFiles?.length ? `; ${plural(result.deploymentFiles.length, 'deployment file')} read (entry points, configs)` : ''}.`,
  ];
  if (result.findings.length === 0) head.push('', result.files.length === 0 ? 'Nothing was checked, so nothing was found.' : 'No HTTPS hardening issues found.');
  if (options.notes?.length) {
    head.push('');
    for (const n of options.notes) head.push(`- ${escapeMarkdown(truncate(n, MAX_NOTE_CHARS))}`);
  }

  // Worst first, so that what a size cut drops is the least important.
  const ordered = [...result.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || compareFindings(a, b));
  const rows = ordered.map((f) => `| ${locationCell(f, options.locationUrl?.(f))} | ${SEVERITY_ICON[f.severity]} ${f.severity} | ${ruleLink(f)} | ${cell(f.message)}${relatedCell(f)} |`);
  const tableHead = ['', '| Location | Severity | Rule | Message |', '| --- | --- | --- | --- |'];

  const listed = result.skipped.slice(0, MAX_SKIPPED_LISTED).map((s) => `- ${cell(s.path)}: ${cell(s.reason)}`);
  if (result.skipped.length > MAX_SKIPPED_LISTED) listed.push(`- …and ${result.skipped.length - MAX_SKIPPED_LISTED} more`);
  const skippedLines = listed.length ? ['', '<details><summary>Skipped files</summary>', '', ...listed, '', '</details>'] : [];

  const join = (lines: string[]) => lines.map((l) => `\n${l}`).join('');
  const moreNote = (n: number) => `\n\n…and ${plural(n, 'more finding')} (see the SARIF report or the CLI output).`;

  let body = head.join('\n');
  if (rows.length > 0) {
    let taken = 0;
    let table = join(tableHead);
    for (const row of rows) {
      // Room for the row's newline, the final newline and the longest possible "and N more" note.
      const reserve = taken + 1 < rows.length ? moreNote(rows.length).length : 0;
      if (body.length + table.length + row.length + 2 + reserve > limit) break;
      table += `\n${row}`;
      taken++;
    }
    if (taken > 0) body += table;
    if (taken < rows.length) body += moreNote(rows.length - taken);
  }
  const skipped = join(skippedLines);
  if (skippedLines.length && body.length + skipped.length + 1 <= limit) body += skipped;
  body += '\n';
  // The heading and counts alone are tiny; a limit smaller than them is a caller bug, but never exceed it.
  return body.length <= limit ? body : body.slice(0, limit);
}
