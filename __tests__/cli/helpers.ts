import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli';
import { RULES } from '../../src/rules';

/** A temporary workspace: `files` maps relative paths to contents. */
export function workspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-cli-')));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(argv: string[], opts: { cwd: string; env?: Record<string, string | undefined>; tty?: boolean }): CliRun {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, {
    cwd: opts.cwd,
    env: opts.env ?? {},
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/** A settings module the Python parser cannot finish: a parse/error finding whatever the other rules do. */
export const BROKEN_SETTINGS = 'DEBUG = False\nSECURE_SSL_REDIRECT = (\n';

/**
 * A config (JSON, which is also YAML) that turns every rule off except parse/error at the given severity, so the
 * CLI and action tests count exactly one known finding however the rule catalogue grows.
 */
export function onlyParseError(severity: string, extra: Record<string, unknown> = {}): string {
  const rules = Object.fromEntries(RULES.map((r) => [r.meta.id, r.meta.id === 'parse/error' ? severity : 'off']));
  return JSON.stringify({ ...extra, rules });
}

export const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');

/** The bundled example deployment copied into a fresh temporary repository; `marker` marks its root (null: none). */
export function exampleRepo(marker: string | null = '.git'): string {
  const root = workspace({});
  fs.cpSync(EXAMPLES, root, { recursive: true });
  if (marker === '.git') fs.mkdirSync(path.join(root, '.git'));
  else if (marker) fs.writeFileSync(path.join(root, marker), '{}\n');
  return root;
}
