#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, mergeConfig, readConfigFile, validateConfig, type Config } from './config';
import { UnsafeWriteError, describeWriteError, safeWriteFile } from './engine/safe-write';
import { analyse, type ScanTimings } from './engine/scan';
import { insideRoot } from './engine/walk';
import { formatJson } from './report/json';
import { formatSarif } from './report/sarif';
import { formatText, sanitizeForTerminal } from './report/text';
import { reachesFailOn, type ScanResult } from './types';
import { VERSION } from './version';

export const USAGE = `Usage: https-guard [paths...] [options]

Statically checks Django settings, wsgi.py, nginx and uwsgi configs for HTTPS hardening.

Arguments:
  paths                    files or folders to scan (default: the whole root)

Options:
  -f, --format FORMAT      text (default), json or sarif
      --fail-on LEVEL      high, medium, low, info or never (default: from config, else high)
  -o, --output FILE        write the report to FILE instead of stdout
  -c, --config FILE        use this config file instead of .https-guard.json|.yml|.yaml at the root
      --root DIR           workspace root; output paths are relative to it
                           (default: the current directory, or the one folder given outside it)
      --django-version X   Django release to assume (e.g. 5.2)
      --nginx-version X    nginx release to assume (e.g. 1.26)
  -h, --help               print this help
  -V, --version            print the version

Exit status: 0 no finding reaches fail-on, 1 one does, 2 usage, config or internal error.
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export class UsageError extends Error {}
export class OutputError extends Error {}

export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
}

export interface Invocation {
  root: string;
  paths: string[];
  format: Format;
  output?: string;
  config: Config;
}

/** Turns argv into what to scan and how; throws UsageError or ConfigError. Returns 'help'/'version' for those flags. */
export function parseInvocation(argv: string[], cwd: string): Invocation | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        'fail-on': { type: 'string' },
        output: { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        root: { type: 'string' },
        'django-version': { type: 'string' },
        'nginx-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.version) return 'version';

  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);

  const absolute = positionals.map((p) => path.resolve(cwd, p));
  for (const [i, abs] of absolute.entries()) {
    if (!exists(abs)) throw new UsageError(`no such file or directory: ${positionals[i]}`);
  }
  const root = chooseRoot(cwd, values.root, absolute);
  const paths = absolute.map((abs, i) => {
    const rel = insideRoot(root, abs);
    if (rel === undefined) throw new UsageError(`${positionals[i]} is outside the root ${root}`);
    return rel;
  });

  // An explicit --config replaces discovery at the root; flags override either.
  const fromFile = values.config ? readConfigFile(root, path.resolve(cwd, values.config), values.config) : loadConfigFile(root).config;
  const flags: Record<string, unknown> = {};
  if (values['fail-on'] !== undefined) flags['fail-on'] = values['fail-on'];
  if (values['django-version'] !== undefined) flags['django-version'] = values['django-version'];
  if (values['nginx-version'] !== undefined) flags['nginx-version'] = values['nginx-version'];
  const config = mergeConfig(fromFile, validateConfig(flags, 'command line'));

  return { root, paths: paths.filter((p, i) => paths.indexOf(p) === i), format, output: values.output, config };
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function chooseRoot(cwd: string, rootFlag: string | undefined, absolute: string[]): string {
  if (rootFlag !== undefined) {
    const root = path.resolve(cwd, rootFlag);
    if (!isDirectory(root)) throw new UsageError(`--root ${rootFlag} is not a directory`);
    return root;
  }
  if (absolute.every((p) => insideRoot(cwd, p) !== undefined)) return cwd;
  if (absolute.length === 1 && isDirectory(absolute[0])) return absolute[0];
  throw new UsageError('paths outside the current directory need --root (or give exactly one folder to scan as the root)');
}

export function render(format: Format, result: ScanResult, config: Config, color: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, { severityOverrides: config.rules });
    case 'text':
      return formatText(result, { color });
  }
}

/** The whole CLI as a function of argv and its surroundings; returns the exit status. */
export function runCli(argv: string[], io: CliIO): number {
  try {
    const inv = parseInvocation(argv, io.cwd);
    if (inv === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (inv === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const { result, timings } = analyse({ root: inv.root, paths: inv.paths, config: inv.config });
    if (io.env.HTTPS_GUARD_TIMING) io.stderr.write(io.env.HTTPS_GUARD_TIMING === 'json' ? `${JSON.stringify(timings)}\n` : formatTimings(timings));
    // NO_COLOR: https://no-color.org (an empty value counts as unset).
    const color = inv.output === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
    const report = render(inv.format, result, inv.config, color);
    if (inv.output !== undefined) {
      // The argument is the author's, so it may leave the root; links inside the root are refused.
      try {
        safeWriteFile(path.resolve(io.cwd, inv.output), report, { root: inv.root, authorPath: true, label: inv.output });
      } catch (e) {
        if (e instanceof UnsafeWriteError) throw new OutputError(e.message);
        throw Object.assign(new Error(describeWriteError(e, inv.output)), { stack: (e as Error)?.stack });
      }
    } else {
      io.stdout.write(report);
    }
    return result.findings.some((f) => reachesFailOn(f.severity, inv.config.failOn)) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`https-guard: ${sanitizeForTerminal(e.message)}\nRun "https-guard --help" for usage.\n`);
    } else if (e instanceof OutputError) {
      io.stderr.write(`https-guard: ${sanitizeForTerminal(e.message)}\n`);
    } else if (e instanceof ConfigError) {
      io.stderr.write(`https-guard: config error: ${sanitizeForTerminal(e.message)}\n`);
    } else {
      io.stderr.write(`https-guard: error: ${sanitizeForTerminal((e as Error)?.message ?? String(e))}\n`);
      if (io.env.HTTPS_GUARD_DEBUG === '1' && (e as Error)?.stack) io.stderr.write(`${(e as Error).stack}\n`);
    }
    return 2;
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

if (isEntryPoint()) {
  // `https-guard | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = runCli(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
}

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
