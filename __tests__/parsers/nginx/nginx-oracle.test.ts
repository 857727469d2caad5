// Our parser against the real `nginx -t` (Debian nginx-light 1.22 here; apt-installed in CI). For each file:
// where nginx's first complaint is a syntax error at line L, our first error is the same message at line L;
// where nginx stops on something else (or passes), we report no error before the line it got to.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  detectNginxPrefix, parseNginx, workspaceAccess, type NginxDirective,
  type NginxParseResult,
} from '../../../src/parsers/nginx';
import {
  NGINX_BIN, chmodTreeReadable, chooseWrap, classifyNginxMessage, compareOutcome, makeTmpPrefix, nginxAvailable,
  nginxHasLua, runNginxTest, wrapContext, wrapperText, type Comparison, type NginxOutcome, type Wrap,
} from './oracle';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const CORPUS = process.env.HTTPS_GUARD_NGINX_CORPUS ?? '/work/shared/corpus/nginx';
const inCI = process.env.CI === 'true';
const haveNginx = nginxAvailable();
const hasLua = haveNginx && nginxHasLua();

if (!haveNginx && !inCI) console.warn(`[nginx-oracle] skipped: no nginx at ${NGINX_BIN} (set HTTPS_GUARD_NGINX)`);

/** How far into our file nginx must have read when its complaint names no place in it. */
function stopLine(outcome: NginxOutcome, ourFile: string, wrap: Wrap, parsed: NginxParseResult): number | undefined {
  if (outcome.ok || (outcome.file && path.resolve(outcome.file) === path.resolve(ourFile))) return undefined;
  if (outcome.file === undefined) {
    // No place: reported after a block was merged; for a main file, at least the http block was read.
    if (wrap !== 'main') return Infinity;
    const http = parsed.directives.find((d) => d.name === 'http' && d.block);
    return http?.closeLoc?.line ?? http?.loc.line ?? 0;
  }
  if (wrap !== 'main' && path.basename(outcome.file) === 'nginx.conf') return Infinity; // the wrapper, after our include
  // Another file: one we include; nginx got at least to our first include.
  let first: NginxDirective | undefined;
  const stack = [...parsed.directives].reverse();
  while (stack.length && !first) {
    const d = stack.pop() as NginxDirective;
    if (d.name === 'include') first = d;
    else if (d.block) stack.push(...[...d.block].reverse());
  }
  return first?.loc.line;
}

/** A case directory whose prefix has `modules` pointing at the system's, so distro load_module lines work. */
function caseDir(tmp: string, k: number): string {
  const dir = fs.mkdtempSync(path.join(tmp, `c${k}-`));
  linkSystemModules(dir);
  return dir;
}

function linkSystemModules(prefix: string): void {
  const modules = '/usr/lib/nginx/modules';
  if (fs.existsSync(modules) && !fs.existsSync(path.join(prefix, 'modules'))) fs.symlinkSync(modules, path.join(prefix, 'modules'));
}

function runCase(name: string, dir: string, relPath: string, bytes: Buffer, wrap: Wrap, confDir = dir): Comparison {
  fs.chmodSync(dir, 0o755);
  const casePath = path.join(dir, relPath);
  fs.mkdirSync(path.dirname(casePath), { recursive: true, mode: 0o755 });
  fs.writeFileSync(casePath, bytes, { mode: 0o644 });
  let conf = casePath;
  if (wrap !== 'main') {
    conf = path.join(confDir, 'nginx.conf');
    if (fs.existsSync(conf)) conf = path.join(confDir, '__https_guard_oracle.conf');
    fs.writeFileSync(conf, wrapperText(wrap, casePath), { mode: 0o644 });
  }
  const outcome = runNginxTest(dir, conf);
  if (conf !== casePath) fs.rmSync(conf);
  const text = bytes.toString('utf8');
  const parsed = parseNginx(name, text, { context: wrapContext[wrap] });
  return compareOutcome(name, outcome, casePath, parsed.errors, stopLine(outcome, casePath, wrap, parsed));
}

function summary(label: string, results: Comparison[], extra = ''): void {
  const compared = results.filter((r) => r.compared);
  const agreed = compared.filter((r) => r.agree);
  const classes = new Map<string, number>();
  for (const r of results) {
    const m = /^(?:\S+:\d+ )?(.*)$/.exec(r.nginx)?.[1] ?? r.nginx;
    const c = r.nginx === 'ok' ? 'ok' : classifyNginxMessage(m);
    classes.set(c, (classes.get(c) ?? 0) + 1);
  }
  const cls = [...classes].map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`[nginx-oracle] ${label}: ${results.length} runs, ${compared.length} compared, ${agreed.length} agreed (nginx: ${cls})${extra}`);
}

/** Licence texts and notes that sit next to the configs in the corpus. */
const NOT_NGINX = /^(LICENSE|LICENCE|COPYING|README|NOTICE|SOURCES)|\.(md|txt|json|ya?ml|py|sh|js|html?)$/i;

/** ORACLE_DEBUG=1 prints every comparison. */
function debugDump(results: Comparison[]): void {
  if (!process.env.ORACLE_DEBUG) return;
  for (const r of results) console.log(`${r.agree ? 'ok ' : 'BAD'} ${r.name} | nginx: ${r.nginx} | ours: ${r.ours}`);
}

const disagreements = (results: Comparison[]) =>
  results.filter((r) => !r.agree).map((r) => `${r.name}: nginx: ${r.nginx} | ours: ${r.ours}`);

describe('nginx -t oracle', () => {
  it('has nginx to compare with (mandatory in CI)', () => {
    if (inCI) expect(haveNginx, `nginx not found at ${NGINX_BIN}; CI must install it (apt-get install nginx-light)`).toBe(true);
  });

  it.skipIf(!haveNginx)('agrees with nginx on every fixture (LF and CRLF)', () => {
    const tmp = makeTmpPrefix();
    const results: Comparison[] = [];
    const skipped: string[] = [];
    try {
      const names = fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.conf')).sort();
      expect(names.length).toBeGreaterThan(50);
      let k = 0;
      for (const name of names) {
        const bytes = fs.readFileSync(path.join(FIXTURES, name));
        const text = bytes.toString('utf8');
        if (!hasLua && text.includes('_by_lua')) {
          skipped.push(name);
          continue;
        }
        const wrap = chooseWrap(text);
        results.push(runCase(name, caseDir(tmp, k++), 'case.conf', bytes, wrap));
        if (!text.includes('\r')) {
          const crlf = Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');
          results.push(runCase(`${name} (CRLF)`, caseDir(tmp, k++), 'case.conf', crlf, wrap));
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    debugDump(results);
    summary('fixtures', results, skipped.length ? `; skipped without lua: ${skipped.join(', ')}` : '');
    expect(disagreements(results)).toEqual([]);
  });

  it.skipIf(!haveNginx)('agrees with nginx on seeded random token soup (server and location context)', () => {
    // Short random mixes of the characters the tokenizer cares about, around real directive names.
    const alphabet = [
      'add_header X', 'return 204', 'set $a', 'location /', 'if ($a', ')', 'types', 'map $a $b', 'limit_except GET',
      'listen 80', 'include', 'server', ' ', ' ', '\n', '\r\n', '\t', ';', ';', '{', '}', '}', '"', "'", '\\', '$',
      '${', '#', 'x', '\u00e9', '"a"', "'b'",
    ];
    let seed = 20240601;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const tmp = makeTmpPrefix();
    const results: Comparison[] = [];
    try {
      for (let k = 0; k < 400; k++) {
        let text = '';
        const len = 1 + Math.floor(rand() * 25);
        for (let j = 0; j < len; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
        const wrap: Wrap = k % 2 === 0 ? 'location' : 'server';
        results.push(runCase(`soup #${k} ${JSON.stringify(text)}`, caseDir(tmp, k), 'case.conf', Buffer.from(text, 'utf8'), wrap));
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    debugDump(results);
    summary('token soup', results);
    expect(disagreements(results)).toEqual([]);
  });

  const corpusDirs = fs.existsSync(CORPUS)
    ? fs.readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  if (haveNginx && corpusDirs.length === 0) console.warn(`[nginx-oracle] corpus skipped: nothing at ${CORPUS}`);

  it.skipIf(!haveNginx || corpusDirs.length === 0)('agrees with nginx on the shared corpus', () => {
    const tmp = makeTmpPrefix();
    const results: Comparison[] = [];
    try {
      for (const source of corpusDirs) {
        const copy = path.join(tmp, source);
        fs.cpSync(path.join(CORPUS, source), copy, { recursive: true, verbatimSymlinks: true });
        linkSystemModules(copy);
        chmodTreeReadable(copy);
        const access = workspaceAccess(copy);
        const stack = [''];
        const files: string[] = [];
        while (stack.length) {
          const d = stack.pop() as string;
          for (const e of access.listDir(d) ?? []) {
            const rel = d ? `${d}/${e.replace(/\/$/, '')}` : e.replace(/\/$/, '');
            if (e.endsWith('/')) stack.push(rel);
            else files.push(rel);
          }
        }
        for (const rel of files.sort()) {
          if (NOT_NGINX.test(path.posix.basename(rel))) continue;
          const bytes = fs.readFileSync(path.join(copy, rel));
          if (bytes.includes(0)) continue;
          const text = bytes.toString('utf8');
          if (!hasLua && text.includes('_by_lua')) continue;
          const wrap = chooseWrap(text);
          const confDir = wrap === 'main' ? copy : path.join(copy, detectNginxPrefix(rel, access.listDir));
          results.push(runCase(`${source}/${rel}`, copy, rel, bytes, wrap, confDir));
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    debugDump(results);
    summary('corpus', results);
    expect(disagreements(results)).toEqual([]);
  });
});
