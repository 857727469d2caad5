// Shared by the hostile-repository suite: the sources bundled once per test file, so the scan can run in a child
// process with a capped heap and a kill timer, as a runner would run it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'rolldown';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface Bundle {
  dir: string;
  cli: string;
  action: string;
}

/** src/cli.ts and src/index.ts bundled to a temp folder (rolldown comes with vitest; under a second). */
export async function bundleSources(): Promise<Bundle> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-hostile-bundle-')));
  await build({
    input: { cli: path.join(REPO_ROOT, 'src/cli.ts'), action: path.join(REPO_ROOT, 'src/index.ts') },
    platform: 'node',
    cwd: REPO_ROOT,
    logLevel: 'silent',
    output: { dir, format: 'esm' },
  });
  return { dir, cli: path.join(dir, 'cli.js'), action: path.join(dir, 'action.js') };
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Killed by the timer. */
  timedOut: boolean;
}

/** Heap cap for every child: the default scan must fit in it whatever the shape of the repository. */
export const HEAP_MB = 384;
/** Generous: a hang, not slowness, is what this catches (speed is measured by `npm run bench`). */
export const KILL_AFTER_MS = 45_000;

/** Runs `node --max-old-space-size=HEAP_MB script ...args` with a kill timer; stdout and stderr are captured. */
export function runChild(script: string, args: string[], o: { cwd: string; env?: Record<string, string>; heapMb?: number; killAfterMs?: number }): Promise<ChildRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${o.heapMb ?? HEAP_MB}`, '--stack-size=984', script, ...args], {
    cwd: o.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: o.cwd, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.killAfterMs ?? KILL_AFTER_MS);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** What /etc/passwd starts every line of root's entry with: must never appear in any output. */
export const PASSWD_MARK = 'root:x:0:0';

/** A settings module with one known high finding (django/session-cookie-insecure on line 3). */
export const INSECURE_SETTINGS = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\nSESSION_COOKIE_SECURE = False\n';
export const INSECURE_RULE = 'django/session-cookie-insecure';

export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
