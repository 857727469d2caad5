import { parseArgs } from 'node:util';
import { SEVERITIES, type Severity } from '../types';

/**
 * Every command-line option, in one table: parseArgs' configuration, the help text and the tests are built from it.
 * A new option is one entry here and one field in RawOptions.
 */
export interface OptionSpec {
  name: string;
  short?: string;
  /** Placeholder for the value in the help; absent for a flag. */
  arg?: string;
  /** May be given several times (values accumulate; each may also be comma separated). */
  multiple?: boolean;
  help: string;
  group: 'Output' | 'Rules' | 'Configuration' | 'Other';
}

export const FORMATS = ['text', 'concise', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export const OPTIONS: OptionSpec[] = [
  { name: 'format', short: 'f', arg: 'FORMAT', group: 'Output', help: `${FORMATS.join(', ')} (default: text)` },
  { name: 'output', short: 'o', arg: 'FILE', group: 'Output', help: 'write the report to FILE instead of stdout' },
  { name: 'min-severity', arg: 'LEVEL', group: 'Output', help: 'report only findings of this severity or worse (high, medium, low, info)' },
  { name: 'quiet', short: 'q', group: 'Output', help: 'print the findings only: no summary, no warnings' },
  { name: 'statistics', group: 'Output', help: 'print how many findings each rule has instead of the findings (text or json)' },
  { name: 'color', arg: 'WHEN', group: 'Output', help: 'auto (default: a terminal, unless NO_COLOR; FORCE_COLOR forces it), always or never' },
  { name: 'select', arg: 'RULES', multiple: true, group: 'Rules', help: 'run only these rules: ids, families (django/) or globs (nginx/hsts-*), comma separated' },
  { name: 'ignore', arg: 'RULES', multiple: true, group: 'Rules', help: 'do not run these rules (same forms as --select)' },
  { name: 'list-rules', group: 'Rules', help: 'list the rules (with --select/--ignore: the ones they keep) and exit' },
  { name: 'explain', arg: 'RULE', group: 'Rules', help: "print a rule's documentation page and exit" },
  { name: 'fail-on', arg: 'LEVEL', group: 'Configuration', help: 'high, medium, low, info or never (default: from config, else high)' },
  { name: 'config', short: 'c', arg: 'FILE', group: 'Configuration', help: 'use this config file instead of the nearest .https-guard.json|.yml|.yaml or pyproject.toml [tool.https-guard]' },
  { name: 'baseline', arg: 'FILE', group: 'Configuration', help: 'accept the findings FILE holds (written by --write-baseline): they are neither shown nor counted' },
  { name: 'write-baseline', arg: 'FILE', group: 'Configuration', help: 'write the reported findings to FILE as a baseline, and exit 0' },
  { name: 'root', arg: 'DIR', group: 'Configuration', help: 'repository root, output paths relative to it (default: nearest folder upward with .git or a config file)' },
  { name: 'django-version', arg: 'X', group: 'Configuration', help: 'Django release to assume (e.g. 5.2)' },
  { name: 'nginx-version', arg: 'X', group: 'Configuration', help: 'nginx release to assume (e.g. 1.26)' },
  { name: 'jobs', short: 'j', arg: 'N', group: 'Other', help: 'threads for parsing (default: HTTPS_GUARD_JOBS, else the cores, up to 4; small trees use one)' },
  { name: 'help', short: 'h', group: 'Other', help: 'print this help' },
  { name: 'version', short: 'V', group: 'Other', help: 'print the version' },
];

/** What parseArgs gives back, typed: one field per OPTIONS entry. */
export interface RawOptions {
  format?: string;
  output?: string;
  'min-severity'?: string;
  quiet?: boolean;
  statistics?: boolean;
  color?: string;
  select?: string[];
  ignore?: string[];
  'list-rules'?: boolean;
  explain?: string;
  'fail-on'?: string;
  config?: string;
  root?: string;
  baseline?: string;
  'write-baseline'?: string;
  'django-version'?: string;
  'nginx-version'?: string;
  jobs?: string;
  help?: boolean;
  version?: boolean;
}

export class UsageError extends Error {}

function usageText(): string {
  const groups = [...new Set(OPTIONS.map((o) => o.group))];
  const lines = [
    'Usage: https-guard [paths...] [options]',
    '',
    'Statically checks Django settings, wsgi.py, nginx and uwsgi configs for HTTPS hardening.',
    '',
    'Arguments:',
    '  paths    files or folders to report on (default: the current directory). The whole repository root',
    '           is read, so imports and includes resolve as in a full scan.',
  ];
  const flag = (o: OptionSpec) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.arg ? ` ${o.arg}` : ''}`;
  const width = Math.max(...OPTIONS.map((o) => flag(o).length));
  for (const g of groups) {
    lines.push('', `${g}:`);
    for (const o of OPTIONS.filter((x) => x.group === g)) lines.push(`  ${flag(o).padEnd(width)}  ${o.help}`);
  }
  lines.push('', 'Exit status: 0 no reported finding reaches fail-on, 1 one does, 2 usage, config or internal error.', '');
  return lines.join('\n');
}

export const USAGE = usageText();

/** argv into raw values and positionals; unknown options and missing values are usage errors. */
export function parseRaw(argv: string[]): { values: RawOptions; positionals: string[] } {
  const options = Object.fromEntries(
    OPTIONS.map((o) => [o.name, { type: o.arg ? ('string' as const) : ('boolean' as const), ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    return { values: values as RawOptions, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

export function parseSeverity(flag: string, value: string | undefined): Severity | undefined {
  return value === undefined ? undefined : oneOf(flag, value.trim().toLowerCase(), SEVERITIES, 'info');
}

/** `--select a,b --select c` → ['a', 'b', 'c']. */
export function splitList(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}
