import type { Finding, ScanResult, Severity } from '../types';

/** Annotation levels the runner knows; low and info are both notices. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { high: 'error', medium: 'warning', low: 'notice', info: 'notice' };

/** The runner's escaping of a command's message (as @actions/core's escapeData): `%`, CR and LF. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The runner's escaping of a property value (as @actions/core's escapeProperty): also `:` and `,`, which end it. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(f: Finding): string {
  const props: [string, string | number][] = [
    ['file', f.path],
    ['line', f.line],
    ['endLine', Math.max(f.line, f.endLine)],
  ];
  // The runner takes columns only for a one-line range.
  if (f.endLine <= f.line) props.push(['col', f.column], ['endColumn', Math.max(f.column, f.endColumn)]);
  props.push(['title', `HTTPS Guard ${f.ruleId} (${f.severity})`]);
  const message = [f.message, f.hint, ...(f.docsUrl ? [f.docsUrl] : [])].join('\n');
  return `::${LEVEL[f.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}`;
}

/**
 * `--format github`: one workflow command per finding, so a plain `run:` step annotates the lines without the action.
 * Every value is escaped as the runner unescapes it: nothing from the repository can end a command or start another.
 */
export function formatGithub(result: ScanResult): string {
  return result.findings.map((f) => `${command(f)}\n`).join('');
}
