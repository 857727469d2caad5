// Differential harness: run the real `nginx -t` on a file and compare its first complaint with our parser.
// nginx stops at its first error, so only that one is comparable; see classifyNginxMessage for what counts as
// a syntax error. Runs without a shell, in a throwaway prefix, as an unprivileged user when we are root.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BLOCK_DIRECTIVES, SIMPLE_DIRECTIVES, classifyNginxEntry, parseNginx, type NginxContext, type NginxParseError,
} from '../../../src/parsers/nginx';

export const NGINX_BIN = process.env.HTTPS_GUARD_NGINX ?? '/usr/sbin/nginx';

export function nginxAvailable(): boolean {
  try {
    execFileSync(NGINX_BIN, ['-v'], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Whether this nginx has lua-nginx-module compiled in (OpenResty); a dynamic module would need load_module. */
export function nginxHasLua(): boolean {
  // `nginx -V` writes to stderr.
  const v = spawnSync(NGINX_BIN, ['-V'], { timeout: 10_000, encoding: 'utf8' });
  return /lua/i.test(`${v.stdout ?? ''}${v.stderr ?? ''}`);
}

export type Wrap = 'main' | 'http' | 'server' | 'location';

export type NginxMessageClass = 'syntax' | 'directive' | 'semantic';

/** Messages that ngx_conf_read_token / ngx_conf_parse / ngx_conf_handler emit about the text's structure. */
export function classifyNginxMessage(msg: string): NginxMessageClass {
  if (/^unexpected "/.test(msg) || /^unexpected end of (file|parameter)/.test(msg) || /^too long parameter/.test(msg)) {
    return 'syntax';
  }
  if (/^directive ".*" (has no opening "\{"|is not terminated by ";")$/.test(msg)) return 'directive';
  return 'semantic';
}

export interface NginxOutcome {
  ok: boolean;
  /** The first [emerg], if any. */
  message?: string;
  file?: string;
  line?: number;
  raw: string;
}

export function parseNginxStderr(stderr: string): NginxOutcome {
  const lines = stderr.split('\n');
  for (const l of lines) {
    // [^] not "." : a message may hold a CR (nginx unescapes "\r" in words)
    const m = /\[emerg\] \d+#\d+: ([^]*)$/.exec(l);
    if (!m) continue;
    const loc = /^([^]*) in ([^\r]+):(\d+)$/.exec(m[1]);
    if (loc) return { ok: false, message: loc[1], file: loc[2], line: Number(loc[3]), raw: stderr };
    return { ok: false, message: m[1], raw: stderr };
  }
  return { ok: /syntax is ok/.test(stderr), raw: stderr };
}

function runAsArgs(): { uid?: number; gid?: number } {
  // As root nginx could create logs, pid and temp dirs under /var and /run: run it as nobody instead.
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

let errorLogOption: boolean | undefined;

/** `-e stderr` (nginx 1.19.5+) keeps nginx away from the compiled-in error log; older ones lack the option. */
function supportsErrorLogOption(): boolean {
  if (errorLogOption === undefined) {
    const h = spawnSync(NGINX_BIN, ['-h'], { timeout: 10_000, encoding: 'utf8' });
    errorLogOption = /-e filename/.test(`${h.stdout ?? ''}${h.stderr ?? ''}`);
  }
  return errorLogOption;
}

export function runNginxTest(prefixDir: string, confPath: string): NginxOutcome {
  const args = ['-t', '-p', `${prefixDir}/`, '-c', confPath, ...(supportsErrorLogOption() ? ['-e', 'stderr'] : [])];
  try {
    const out = execFileSync(NGINX_BIN, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15_000,
      encoding: 'latin1',
      cwd: prefixDir,
      ...runAsArgs(),
    });
    return parseNginxStderr(String(out));
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    if (err.stderr === undefined) throw e;
    return parseNginxStderr(`${err.stderr}\n${err.stdout ?? ''}`);
  }
}

export function makeTmpPrefix(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-nginx-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function chmodTreeReadable(dir: string): void {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop() as string;
    fs.chmodSync(d, 0o755);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) fs.chmodSync(p, 0o644);
    }
  }
}

/**
 * `# oracle: main|http|server|location` on the first line forces the wrapper. Otherwise a main file stands alone
 * and anything else goes where most of its top-level directives are allowed (innermost first), so that nginx
 * reads as far as possible before a context complaint stops it.
 */
export function chooseWrap(text: string): Wrap {
  const forced = /^# oracle: (main|http|server|location)\b/.exec(text);
  if (forced) return forced[1] as Wrap;
  const { directives } = parseNginx('x', text);
  if (classifyNginxEntry(directives) === 'main') return 'main';
  const misplaced = (ctx: NginxContext) =>
    directives.filter((d) => {
      const where = (d.block ? BLOCK_DIRECTIVES : SIMPLE_DIRECTIVES).get(d.name);
      return where !== undefined && !where.has(ctx);
    }).length;
  const order: Wrap[] = ['location', 'server', 'http'];
  return order.reduce((best, w) => (misplaced(wrapContext[w]) < misplaced(wrapContext[best]) ? w : best), order[0]);
}

export const wrapContext: Record<Wrap, NginxContext> = { main: 'main', http: 'http', server: 'server', location: 'location' };

/** The wrapper nginx.conf that includes `target` (absolute) in the context the wrap names. */
export function wrapperText(wrap: Exclude<Wrap, 'main'>, target: string): string {
  const inc = `include ${JSON.stringify(target)};`;
  if (wrap === 'http') return `events {}\nhttp {\n${inc}\n}\n`;
  if (wrap === 'server') return `events {}\nhttp {\nserver {\n${inc}\n}\n}\n`;
  return `events {}\nhttp {\nserver {\nlocation / {\n${inc}\n}\n}\n}\n`;
}

export interface Comparison {
  name: string;
  agree: boolean;
  /** false when nginx stopped somewhere that says nothing about this file. */
  compared: boolean;
  nginx: string;
  ours: string;
}

const fmt = (e?: NginxParseError) => (e ? `${e.loc.line}:${e.loc.column} ${e.message}` : 'no error');

/**
 * nginx's first complaint vs our errors for one file. `stopLineIfElsewhere` is the line in our file up to which
 * nginx must have read when its complaint is about another file (or has no place); Infinity = all of it.
 */
export function compareOutcome(
  name: string,
  outcome: NginxOutcome,
  ourFile: string,
  errors: NginxParseError[],
  stopLineIfElsewhere: number | undefined,
): Comparison {
  const first = errors[0];
  const nginxText = outcome.ok
    ? 'ok'
    : `${outcome.file ? `${path.basename(outcome.file)}:${outcome.line} ` : ''}${outcome.message ?? outcome.raw.trim().split('\n').pop()}`;
  const base = { name, nginx: nginxText, ours: fmt(first) };
  if (outcome.ok) return { ...base, compared: true, agree: errors.length === 0 };
  const cls = outcome.message ? classifyNginxMessage(outcome.message) : 'semantic';
  const inOurs = outcome.file !== undefined && path.resolve(outcome.file) === path.resolve(ourFile);
  if (inOurs && cls !== 'semantic') {
    const line = outcome.line as number;
    const sameMessage = first?.message === outcome.message || /[^\x20-\x7e]/.test(outcome.message ?? '');
    return { ...base, compared: true, agree: first !== undefined && first.loc.line === line && sameMessage };
  }
  if (inOurs) {
    // A semantic stop at line L: nginx read everything before it without a syntax complaint.
    return { ...base, compared: true, agree: !errors.some((e) => e.loc.line < (outcome.line as number)) };
  }
  if (cls !== 'semantic') {
    // A syntax error in another file: not about this one.
    return { ...base, compared: false, agree: true };
  }
  if (stopLineIfElsewhere === undefined) return { ...base, compared: false, agree: true };
  return { ...base, compared: true, agree: !errors.some((e) => e.loc.line < stopLineIfElsewhere) };
}
