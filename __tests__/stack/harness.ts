// The real stack on loopback: one self-signed certificate, one tiny Django project, one app server per case (uwsgi
// or gunicorn, run by Debian's /usr/bin/python3 packages) and ONE nginx for every case (each case's server blocks on
// their own ports). Everything binds and connects to 127.0.0.1, every wait is bounded, and every process started
// here runs in its own process group and is stopped by its own handle. This runs the cases' own files — our test
// data, never a scanned repository's.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { forEachNginxDirective, parseNginx, type NginxDirective } from '../../src/parsers/nginx';
import { NGINX_BIN, OPENSSL_BIN, firstComplaint, freePorts, runs } from '../nginx-live/harness';
import { execFileSync } from 'node:child_process';
import type { Observed } from './probes';

export { NGINX_BIN, OPENSSL_BIN, runs };
export const PYTHON = '/usr/bin/python3';
export const UWSGI_BIN = process.env.HTTPS_GUARD_UWSGI ?? '/usr/bin/uwsgi';
export const GUNICORN_BIN = process.env.HTTPS_GUARD_GUNICORN ?? '/usr/bin/gunicorn';
/** How long one start (an app server, or nginx) may take before it is an error. */
export const START_TIMEOUT_MS = 20_000;
/** The path the harness exempts from SECURE_SSL_REDIRECT (in its wrapper module), so Django's view always answers. */
export const PROBE_PATH = '/__hgstack/';
/** A client on the network, as opposed to a proxy on the same host: a second loopback address. */
export const REMOTE_CLIENT = '127.0.0.2';

/** As root, the servers run as nobody (like nginx-live): nothing they do can reach root-owned places. */
const asNobody = process.getuid?.() === 0;
const ids = asNobody ? { uid: 65534, gid: 65534 } : {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------------------------

export interface CaseFile {
  description: string;
  /** Extra forged header sets to send over plain HTTP, beyond X-Forwarded-Proto: https and Django's trusted header. */
  forge?: Record<string, string>[];
  observed?: Observed;
}

export interface Case {
  name: string;
  dir: string;
  spec: CaseFile;
  app: AppConfig;
}

export interface AppConfig {
  server: 'uwsgi' | 'gunicorn';
  /** The file the case's app server is configured by. */
  file: 'uwsgi.ini' | 'gunicorn.conf.py' | 'Procfile';
  /** The case's bind: a unix socket, or host:port. */
  unix: boolean;
  /** Bound on a non-loopback address: clients on the network reach it without nginx. */
  public: boolean;
  /** Speaks HTTP (gunicorn, uwsgi http-socket) rather than the uwsgi protocol. */
  http: boolean;
}

export function loadCase(dir: string): Case {
  const name = path.basename(dir);
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseFile;
  const has = (f: string) => fs.existsSync(path.join(dir, f));
  let app: AppConfig;
  if (has('uwsgi.ini')) {
    const opts = iniOptions(fs.readFileSync(path.join(dir, 'uwsgi.ini'), 'utf8'));
    const bind = opts.find(([k]) => SOCKET_KEYS.has(k));
    if (!bind) throw new Error(`${name}/uwsgi.ini has no socket`);
    app = { server: 'uwsgi', file: 'uwsgi.ini', ...bindKind(bind[1]), http: bind[0] === 'http-socket' };
  } else if (has('gunicorn.conf.py') || has('Procfile')) {
    const file = has('gunicorn.conf.py') ? 'gunicorn.conf.py' : 'Procfile';
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    // gunicorn's default bind is 127.0.0.1:8000.
    const bind = file === 'Procfile' ? procfileArgs(text).bind : confBind(text);
    app = { server: 'gunicorn', file, ...bindKind(bind ?? '127.0.0.1:8000'), http: true };
  } else throw new Error(`${name}: no uwsgi.ini, gunicorn.conf.py or Procfile`);
  return { name, dir, spec, app };
}

function bindKind(bind: string): { unix: boolean; public: boolean } {
  const unix = bind.startsWith('unix:') || bind.startsWith('/');
  if (unix) return { unix, public: false };
  const host = bind.startsWith('[') ? bind.slice(1, bind.indexOf(']')) : bind.includes(':') ? bind.slice(0, bind.lastIndexOf(':')) : '';
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  // uwsgi's ":8000" and gunicorn's "0.0.0.0:8000" listen on every address.
  return { unix, public: !loopback };
}

/** `key = value` lines of a uwsgi ini's [uwsgi] section, in order (repeated keys kept). */
export function iniOptions(text: string): [string, string][] {
  const out: [string, string][] = [];
  let inSection = false;
  for (const raw of text.split('\n')) {
    const t = raw.trim();
    if (t.startsWith('[')) inSection = t === '[uwsgi]';
    else if (inSection && t && !t.startsWith('#') && !t.startsWith(';') && t.includes('=')) {
      out.push([t.slice(0, t.indexOf('=')).trim(), t.slice(t.indexOf('=') + 1).trim()]);
    }
  }
  return out;
}

/** `bind = "…"` (or a one-element list) of a gunicorn config file. */
function confBind(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('bind') || !t.slice(4).trim().startsWith('=')) continue;
    const v = t.slice(t.indexOf('=') + 1).trim().replace(/^\[/, '').replace(/\]$/, '').trim();
    return v.slice(1, v.indexOf(v[0], 1));
  }
  return undefined;
}

/** The `web:` line of a Procfile as gunicorn arguments (shell words with plain quoting), split into bind and the rest. */
export function procfileArgs(text: string): { bind?: string; rest: string[] } {
  const line = text.split('\n').find((l) => l.startsWith('web:'));
  if (!line) throw new Error('Procfile has no web: line');
  const words = shellWords(line.slice(4));
  if (words[0] !== 'gunicorn') throw new Error('Procfile web: is not gunicorn');
  const rest: string[] = [];
  let bind: string | undefined;
  let appSeen = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    const [flag, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    const value = () => inline ?? words[++i];
    if (flag === '--bind' || flag === '-b') bind = value();
    else if (flag === '--workers' || flag === '-w' || flag === '--chdir' || flag === '--pythonpath') value();
    else if (!w.startsWith('-') && !appSeen) appSeen = true; // the app module: the harness serves its own
    else rest.push(w);
  }
  return { bind, rest };
}

function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  let quote = '';
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur = cur ?? '';
    } else if (c === ' ' || c === '\t') {
      if (cur !== undefined) out.push(cur);
      cur = undefined;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The shared part: certificate and Django project
// ---------------------------------------------------------------------------------------------------------------

export interface Shared {
  dir: string;
  cert: string;
  key: string;
  project: string;
}

const URLS_PY = `from django.urls import re_path
from hgstack.views import probe

urlpatterns = [re_path(r'', probe)]
`;

// Every path answers with what Django computed for the request, and what it was configured with.
const VIEWS_PY = `import json
import os

from django.conf import settings
from django.http import HttpResponse

META_KEYS = ['HTTPS', 'wsgi.url_scheme', 'UWSGI_SCHEME', 'HTTP_X_FORWARDED_PROTO', 'HTTP_X_FORWARDED_PROTOCOL',
             'HTTP_X_FORWARDED_SSL', 'HTTP_X_FORWARDED_SCHEME']


def probe(request):
    header = settings.SECURE_PROXY_SSL_HEADER
    keys = META_KEYS + ([header[0]] if header and header[0] not in META_KEYS else [])
    body = {
        'is_secure': request.is_secure(),
        'scheme': request.scheme,
        'uri': request.build_absolute_uri(),
        'meta': {k: request.META[k] for k in keys if k in request.META},
        'settings': {
            'SECURE_PROXY_SSL_HEADER': list(header) if header else None,
            'SECURE_HSTS_SECONDS': settings.SECURE_HSTS_SECONDS,
            'SECURE_SSL_REDIRECT': settings.SECURE_SSL_REDIRECT,
            'security_middleware': 'django.middleware.security.SecurityMiddleware' in settings.MIDDLEWARE,
        },
        'env_https': os.environ.get('HTTPS'),
    }
    return HttpResponse(json.dumps(body, sort_keys=True), content_type='application/json')
`;

const WSGI_PY = `from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
`;

export function setupShared(): Shared {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-stack-'));
  fs.chmodSync(dir, 0o755);
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    OPENSSL_BIN,
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=example.com', '-keyout', key, '-out', cert],
    { stdio: 'pipe', timeout: 60_000 },
  );
  const project = path.join(dir, 'project');
  fs.mkdirSync(path.join(project, 'hgstack'), { recursive: true });
  fs.writeFileSync(path.join(project, 'hgstack', '__init__.py'), '');
  fs.writeFileSync(path.join(project, 'hgstack', 'urls.py'), URLS_PY);
  fs.writeFileSync(path.join(project, 'hgstack', 'views.py'), VIEWS_PY);
  fs.writeFileSync(path.join(project, 'hgstack', 'wsgi.py'), WSGI_PY);
  return { dir, cert, key, project };
}

export function teardownShared(s: Shared | undefined): void {
  if (s) fs.rmSync(s.dir, { recursive: true, force: true });
}

/**
 * The settings module the app server loads: the case's settings.py star-imported unchanged, plus only what the
 * test project needs to run (URLconf, a secret key when missing, a host list when missing) and the probe path
 * exempted from SECURE_SSL_REDIRECT so Django's view can always say what it computed.
 */
function wrapperModule(): string {
  return `from case_settings import *  # noqa: F401,F403
import case_settings as _case

ROOT_URLCONF = 'hgstack.urls'
if not getattr(_case, 'SECRET_KEY', ''):
    SECRET_KEY = 'hg-stack-Jx7#Qm2vR9!pL4zT8wK1@cN6hY3bF0sD5gA^uE2iO7rW9tZ4yX1nM8kV6'
if not getattr(_case, 'ALLOWED_HOSTS', None):
    ALLOWED_HOSTS = ['*']
SECURE_REDIRECT_EXEMPT = list(getattr(_case, 'SECURE_REDIRECT_EXEMPT', [])) + [r'^${PROBE_PATH.slice(1)}']
`;
}

// ---------------------------------------------------------------------------------------------------------------
// Preparing one case: ports, the app server's command, the rewritten nginx site
// ---------------------------------------------------------------------------------------------------------------

export interface Prepared {
  case: Case;
  work: string;
  /** The case's listen port ('80', '443') → loopback port, with whether it speaks TLS. */
  ports: Map<string, { port: number; tls: boolean }>;
  /** Where the app server listens: a TCP port on 127.0.0.1 or a unix socket path. */
  appPort?: number;
  appSocket?: string;
  /** The rewritten site file nginx includes. */
  site: string;
  /** The server_name the probes send (Host and SNI). */
  host: string;
  command: { bin: string; args: string[]; env: Record<string, string> };
}

const SOCKET_KEYS = new Set(['socket', 'uwsgi-socket', 'http-socket']);
/** Options the harness sets itself (where the app is, which app, how many processes, logging, daemonising). */
const UWSGI_OWNED = new Set([
  ...SOCKET_KEYS, 'http', 'https', 'chdir', 'module', 'wsgi-file', 'wsgi', 'pythonpath', 'home', 'virtualenv', 'venv',
  'uid', 'gid', 'pidfile', 'daemonize', 'logto', 'chmod-socket', 'chown-socket', 'plugins', 'plugin', 'master',
  'processes', 'workers', 'threads', 'enable-threads', 'harakiri', 'vacuum', 'die-on-term', 'need-app', 'touch-reload',
]);

/**
 * Distinct loopback ports for the whole run, taken in one go: ports found free one case at a time can be handed out
 * twice, and an nginx that cannot bind one of them keeps the others open while it retries, then exits.
 */
export async function portPool(n: number): Promise<() => number> {
  const ports = await freePorts(n);
  return () => {
    const p = ports.shift();
    if (p === undefined) throw new Error('port pool exhausted');
    return p;
  };
}

export function prepareCase(c: Case, shared: Shared, workRoot: string, takePort: () => number): Prepared {
  const work = path.join(workRoot, c.name);
  fs.mkdirSync(work, { recursive: true });
  fs.copyFileSync(path.join(c.dir, 'settings.py'), path.join(work, 'case_settings.py'));
  fs.writeFileSync(path.join(work, 'stack_settings.py'), wrapperModule());

  const siteText = fs.readFileSync(path.join(c.dir, 'nginx.conf'), 'utf8');
  const parsed = parseNginx('nginx.conf', siteText);
  if (parsed.errors.length) throw new Error(`${c.name}/nginx.conf: ${parsed.errors[0].message}`);
  const listens: { d: NginxDirective; key: string; tls: boolean }[] = [];
  forEachNginxDirective(parsed.directives, (d) => {
    if (d.name !== 'listen' || !d.args[0]) return;
    const a = d.args[0].value;
    const key = a.includes(':') ? a.slice(a.lastIndexOf(':') + 1) : a;
    listens.push({ d, key, tls: d.args.some((x) => x.value === 'ssl') });
  });
  const keys = [...new Set(listens.map((l) => l.key))];
  const ports = new Map(keys.map((k) => [k, { port: takePort(), tls: listens.some((l) => l.key === k && l.tls) }]));
  const appPort = c.app.unix ? undefined : takePort();
  const appSocket = c.app.unix ? path.join(work, 'app.sock') : undefined;

  // The site: listens, certificates, upstream targets and stock includes rewritten at the parser's locations.
  const edits: { start: number; end: number; text: string }[] = [];
  const starts = [0];
  for (let i = 0; i < siteText.length; i++) if (siteText[i] === '\n') starts.push(i + 1);
  const span = (l: { line: number; column: number; endLine: number; endColumn: number }) => ({
    start: starts[l.line - 1] + l.column - 1,
    end: starts[l.endLine - 1] + l.endColumn - 1,
  });
  let host = '';
  forEachNginxDirective(parsed.directives, (d) => {
    const a = d.args;
    if (d.name === 'listen') {
      const l = listens.find((x) => x.d === d) as (typeof listens)[number];
      const flags = a.slice(1).map((x) => x.value).filter((v) => v === 'ssl' || v === 'default_server');
      edits.push({ ...span(d.loc), text: `listen 127.0.0.1:${ports.get(l.key)?.port}${flags.map((f) => ` ${f}`).join('')};` });
    } else if (d.name === 'ssl_certificate' || d.name === 'ssl_certificate_key') {
      edits.push({ ...span(d.loc), text: `${d.name} ${d.name === 'ssl_certificate' ? shared.cert : shared.key};` });
    } else if (d.name === 'include' && a[0] && !a[0].value.includes('/')) {
      // Debian's stock uwsgi_params / proxy_params.
      edits.push({ ...span(d.loc), text: `include /etc/nginx/${a[0].value};` });
    } else if (d.name === 'server_name' && !host && a[0]) {
      host = a[0].value;
    } else if (d.name === 'uwsgi_pass' || d.name === 'proxy_pass') {
      const target = appSocket ? `unix:${appSocket}` : `127.0.0.1:${appPort}`;
      edits.push({ ...span(d.loc), text: d.name === 'proxy_pass' ? `proxy_pass http://${target}${appSocket ? ':' : ''};` : `uwsgi_pass ${target};` });
    } else if (d.name === 'server' && d.parent?.name === 'upstream') {
      edits.push({ ...span(d.loc), text: `server ${appSocket ? `unix:${appSocket}` : `127.0.0.1:${appPort}`};` });
    }
  });
  let site = siteText;
  for (const e of edits.sort((x, y) => y.start - x.start)) site = site.slice(0, e.start) + e.text + site.slice(e.end);
  const sitePath = path.join(work, 'nginx-site.conf');
  fs.writeFileSync(sitePath, site);

  const env: Record<string, string> = { PATH: '/usr/bin:/bin', DJANGO_SETTINGS_MODULE: 'stack_settings', PYTHONPATH: `${shared.project}:${work}`, PYTHONDONTWRITEBYTECODE: '1' };
  let command: Prepared['command'];
  if (c.app.server === 'uwsgi') {
    const opts = iniOptions(fs.readFileSync(path.join(c.dir, 'uwsgi.ini'), 'utf8'));
    const socketKey = opts.find(([k]) => SOCKET_KEYS.has(k))?.[0] ?? 'socket';
    const kept = opts.filter(([k, v]) => !UWSGI_OWNED.has(k) && !(k === 'env' && v.startsWith('DJANGO_SETTINGS_MODULE=')));
    const ini = [
      '[uwsgi]',
      'plugins = python3',
      `${socketKey} = ${appSocket ?? `127.0.0.1:${appPort}`}`,
      `pythonpath = ${shared.project}`,
      `pythonpath = ${work}`,
      'module = hgstack.wsgi:application',
      'master = false',
      'processes = 1',
      'need-app = true',
      'die-on-term = true',
      ...kept.map(([k, v]) => `${k} = ${v}`),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(work, 'uwsgi.ini'), ini);
    command = { bin: UWSGI_BIN, args: ['--ini', path.join(work, 'uwsgi.ini')], env };
  } else {
    const bind = appSocket ? `unix:${appSocket}` : `127.0.0.1:${appPort}`;
    const common = ['--bind', bind, '--workers', '1', '--chdir', work, 'hgstack.wsgi:application'];
    if (c.app.file === 'gunicorn.conf.py') {
      fs.copyFileSync(path.join(c.dir, 'gunicorn.conf.py'), path.join(work, 'gunicorn.conf.py'));
      command = { bin: GUNICORN_BIN, args: ['-c', path.join(work, 'gunicorn.conf.py'), ...common], env };
    } else {
      const { rest } = procfileArgs(fs.readFileSync(path.join(c.dir, 'Procfile'), 'utf8'));
      // No config file: an empty one keeps gunicorn from reading ./gunicorn.conf.py.
      fs.writeFileSync(path.join(work, 'empty.conf.py'), '');
      command = { bin: GUNICORN_BIN, args: ['-c', path.join(work, 'empty.conf.py'), ...rest, ...common], env };
    }
  }
  return { case: c, work, ports, appPort, appSocket, site: sitePath, host: host || 'example.com', command };
}

// ---------------------------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------------------------

export interface Running {
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

/** Spawns in a new process group (so stop() reaches every process the server forks) and collects its output. */
export function startProcess(bin: string, args: string[], opts: { cwd: string; env: Record<string, string>; logFile?: string; stopSignal?: NodeJS.Signals }): Running {
  const child = spawn(bin, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...ids });
  let output = '';
  const keep = (b: Buffer) => {
    if (output.length < 200_000) output += b.toString('latin1');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (e) => {
      output += String(e);
      exited = true;
      resolve();
    });
  });
  const signal = (s: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, s);
    } catch {
      // already gone
    }
  };
  return {
    child,
    log: () => {
      let text = output;
      if (opts.logFile) {
        try {
          text += fs.readFileSync(opts.logFile, 'latin1');
        } catch {
          // no log yet
        }
      }
      return text;
    },
    stop: async () => {
      if (!exited) {
        signal(opts.stopSignal ?? 'SIGTERM');
        await Promise.race([exit, sleep(3_000)]);
      }
      // The group, even when the leader is gone: a forked worker may outlive it.
      signal('SIGKILL');
      if (!exited) await Promise.race([exit, sleep(2_000)]);
    },
  };
}

function accepts(target: { port: number } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = 'port' in target ? net.connect({ host: '127.0.0.1', port: target.port }) : net.connect({ path: target.path });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Waits, at most `ms`, until every target accepts connections; false if the process exited or time ran out. */
export async function waitReady(r: Running, targets: ({ port: number } | { path: string })[], ms = START_TIMEOUT_MS): Promise<boolean> {
  const deadline = Date.now() + ms;
  const pending = [...targets];
  while (pending.length && Date.now() < deadline && r.child.exitCode === null && r.child.signalCode === null) {
    for (const t of [...pending]) if (await accepts(t)) pending.splice(pending.indexOf(t), 1);
    if (pending.length) await sleep(50);
  }
  return pending.length === 0;
}

export function chownTree(dir: string): void {
  if (!asNobody) return;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop() as string;
    fs.lchownSync(d, 65534, 65534);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else fs.lchownSync(p, 65534, 65534);
    }
  }
}

export function startApp(p: Prepared): Running {
  return startProcess(p.command.bin, p.command.args, {
    cwd: p.work,
    env: p.command.env,
    // uwsgi without a master: SIGINT is its "stop now"; gunicorn's arbiter stops on SIGTERM.
    stopSignal: p.case.app.server === 'uwsgi' ? 'SIGINT' : 'SIGTERM',
  });
}

/** One nginx for every case: each case's rewritten site is included into one http {} with its own ports. */
export function writeNginxMain(dir: string, sites: string[]): { conf: string; errorLog: string; accessLog: string } {
  const n = path.join(dir, 'nginx');
  fs.mkdirSync(path.join(n, 'tmp'), { recursive: true });
  const conf = path.join(n, 'nginx.conf');
  const errorLog = path.join(n, 'error.log');
  const accessLog = path.join(n, 'access.log');
  const temps = ['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'];
  fs.writeFileSync(
    conf,
    [
      `pid ${path.join(n, 'nginx.pid')};`,
      `error_log ${errorLog};`,
      'worker_processes 1;',
      'events { worker_connections 512; }',
      'http {',
      ...temps.map((t) => `    ${t} ${path.join(n, 'tmp', t)};`),
      // Each probe's id, and the HSTS header as the app sent it (before nginx's add_header).
      "    log_format hgstack '$http_x_hg_probe|$status|$upstream_http_strict_transport_security';",
      `    access_log ${accessLog} hgstack;`,
      ...sites.map((s) => `    include ${s};`),
      '}',
      '',
    ].join('\n'),
  );
  return { conf, errorLog, accessLog };
}

export function startNginx(dir: string, conf: string, errorLog: string): Running {
  return startProcess(NGINX_BIN, ['-p', `${dir}/`, '-c', conf, '-e', errorLog, '-g', 'daemon off; master_process off;'], {
    cwd: dir,
    env: { PATH: '/usr/bin:/bin' },
    logFile: errorLog,
  });
}

export const complaint = (text: string) => firstComplaint(text) ?? text.trim().split('\n').slice(-15).join('\n');

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

export interface Reply {
  status?: number;
  location?: string;
  /** Every Strict-Transport-Security value, duplicates kept. */
  hsts: string[];
  body?: string;
  error?: string;
}

export function request(spec: {
  port: number;
  tls: boolean;
  host: string;
  path: string;
  headers?: Record<string, string>;
  probeId?: string;
  from?: string;
}): Promise<Reply> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Reply) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const headers: Record<string, string> = { Host: spec.host, Connection: 'close', ...(spec.headers ?? {}) };
    if (spec.probeId) headers['X-Hg-Probe'] = spec.probeId;
    const options: https.RequestOptions = {
      host: '127.0.0.1',
      port: spec.port,
      path: spec.path,
      method: 'GET',
      headers,
      agent: false,
      ...(spec.from ? { localAddress: spec.from } : {}),
      ...(spec.tls ? { rejectUnauthorized: false, servername: spec.host } : {}),
    };
    const req = (spec.tls ? https : http).request(options, (res) => {
      const hsts: string[] = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        if (res.rawHeaders[i].toLowerCase() === 'strict-transport-security') hsts.push(res.rawHeaders[i + 1]);
      }
      const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
      let body = '';
      res.on('data', (b: Buffer) => {
        if (body.length < 16_384) body += b.toString('utf8');
      });
      const finish = () => done({ status: res.statusCode, location, hsts, body });
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    req.setTimeout(8_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => done({ hsts: [], error: e.message }));
    req.end();
  });
}

export { freePorts };
