// What a command line starts: which app server, which WSGI/ASGI app, which settings module, which sockets.
// Read from the words only; nothing is run.

import type { Loc } from '../../types';
import { assignment, splitShell, type Lookup } from './shell';
import type { GunicornFacts } from './gunicorn';
import type { UwsgiOption } from './uwsgi';

export type ServerKind = 'gunicorn' | 'uwsgi' | 'runserver' | 'asgi-server' | 'celery' | 'script' | 'other';

export interface Invocation {
  server: ServerKind;
  /** Serves HTTP requests (an app server or runserver), as opposed to a worker, a migration or a shell. */
  web: boolean;
  /** Environment set on the command line (`VAR=x cmd`, `env VAR=x`, gunicorn `-e`, uwsgi `--env`). */
  env: Map<string, string>;
  /** `pkg.wsgi:application`, `pkg.wsgi` (gunicorn, uvicorn, uwsgi --module). */
  app?: string;
  /** uwsgi --wsgi-file. */
  wsgiFile?: string;
  chdir?: string;
  /** gunicorn -c, uwsgi --ini/--yaml/--json/--xml or a config file given as a plain argument. */
  configFiles: string[];
  binds: string[];
  /** `manage.py … --settings x` / `django-admin --settings x`. */
  settingsArg?: string;
  forwardedAllowIps?: string;
  /** gunicorn: what the command line itself says (it overrides the config file). */
  cmdForwardedAllowIps?: string;
  cmdBinds?: string[];
  /** gunicorn: `--certfile`/`--keyfile` on the command line (it serves TLS itself). */
  cmdTls?: string;
  /** uwsgi: every option in the order uWSGI reads it (command line, then the config files it loads), with places. */
  uwsgiOptions?: UwsgiOption[];
  /** uwsgi: the options given on the command line itself, as written (placed by the caller). */
  uwsgiArgs?: [string, string][];
  /** gunicorn: forwarded_allow_ips, secure_scheme_headers and binds in force, with their places (set by the caller). */
  gunicorn?: GunicornFacts;
  /** An ASGI server's own scheme handling, read from its command line (uvicorn, daphne, hypercorn, granian). */
  asgi?: AsgiFacts;
  /** A script the command runs (`./bootstrap.sh`, `bin/run-prod.sh`): the caller may read it. */
  script?: string;
  /** The words, for messages. */
  text: string;
}

export interface AsgiFacts {
  kind: 'uvicorn' | 'daphne' | 'hypercorn' | 'granian';
  /** `--proxy-headers` / `--no-proxy-headers` as given; undefined when not on the command line. */
  proxyHeaders?: boolean;
  /** It terminates TLS itself (a certificate option, or a daphne `ssl:` endpoint). */
  ownTls: boolean;
  /** It reads an environment file (`uvicorn --env-file`), which may set FORWARDED_ALLOW_IPS. */
  envFile: boolean;
  /** It listens on a unix socket or an inherited descriptor, where the peer is not an address. */
  socket: boolean;
}

/** Programs that run the rest of the line as the command. */
const WRAPPERS = new Set([
  'exec', 'nohup', 'env', 'time', 'dumb-init', 'tini', 'su-exec', 'gosu', 'chpst', 'setpriv', 'ddtrace-run',
  'opentelemetry-instrument', 'newrelic-admin', 'doppler', 'poetry', 'pipenv', 'uv', 'pdm', 'hatch', 'rye',
]);
/** Words a wrapper takes before the command (`poetry run`, `newrelic-admin run-program`, `gosu user`). */
const WRAPPER_WORDS: Record<string, number> = { 'su-exec': 1, gosu: 1, chpst: 0 };
const SKIP_WORDS = new Set(['run', 'run-program', '--']);

const PYTHON = /^(python|python3(\.\d+)?|pypy3?)$/;
/** Programs a wait-for script may be handed, as a command of its own. */
const PROGRAMS = new Set(['gunicorn', 'uwsgi', 'uvicorn', 'daphne', 'hypercorn', 'python', 'python3', 'celery', 'manage.py', 'supervisord', 'nginx', 'bash', 'sh']);

function base(w: string): string {
  const i = w.lastIndexOf('/');
  return i === -1 ? w : w.slice(i + 1);
}

/** Options that take a value, per program (so the value is not read as a positional argument). */
const GUNICORN_VALUE_OPTS = new Set(['-c', '--config', '-b', '--bind', '-e', '--env', '-w', '--workers', '-k', '--worker-class', '--forwarded-allow-ips', '--chdir', '--pythonpath', '-t', '--timeout', '--log-level', '--access-logfile', '--error-logfile', '--log-file', '-u', '--user', '-g', '--group', '--threads', '-p', '--pid', '--max-requests', '--max-requests-jitter', '--graceful-timeout', '--keep-alive', '--worker-tmp-dir', '--access-logformat', '--log-config', '--paste', '-n', '--name', '--backlog', '--certfile', '--keyfile', '--limit-request-line', '--statsd-host', '--proxy-allow-from', '--umask', '--worker-connections', '-m', '--capture-output']);
const ASGI_VALUE_OPTS = new Set(['--host', '--port', '-b', '--bind', '--uds', '--fd', '--workers', '--log-level', '--root-path', '--forwarded-allow-ips', '--env-file', '--app-dir', '-p', '-u', '--unix-socket', '--proxy-headers-host', '--timeout-keep-alive', '-w', '-k', '--worker-class', '--config', '-c', '--certfile', '--keyfile', '-e', '--endpoint', '--ssl-keyfile', '--ssl-certfile', '--ssl-keyfile-password', '--ssl-ca-certs',
  // Options that take a value, so the word after them is not the application (daphne's `--access-log FILE`).
  '--access-log', '-v', '--verbosity', '-t', '--http-timeout', '--websocket_timeout', '--websocket_connect_timeout', '--ping-interval',
  '--ping-timeout', '--application-close-timeout', '--proxy-headers-port', '--server-name', '--log-config', '--loop', '--http', '--ws',
  '--lifespan', '--interface', '--ws-max-size', '--ws-ping-interval', '--ws-ping-timeout', '--limit-concurrency', '--limit-max-requests',
  '--backlog', '--timeout-graceful-shutdown', '--ssl-version', '--ssl-cert-reqs', '--ssl-ciphers', '--header', '--reload-dir',
  '--reload-include', '--reload-exclude', '--reload-delay', '--access-logfile', '--error-logfile', '--access-logformat', '--keep-alive',
  '--graceful-timeout', '--insecure-bind', '--quic-bind']);

/** Interprets one simple command. `env` holds what earlier lines of a script or the container set. */
export function interpret(words: string[], env: Lookup = () => undefined, depth = 0): Invocation | undefined {
  const own = new Map<string, string>();
  let i = 0;
  // Leading assignments, wrappers and their words.
  for (let guard = 0; i < words.length && guard < 64; guard++) {
    const a = assignment(words[i]);
    if (a) {
      own.set(a[0], a[1]);
      i++;
      continue;
    }
    const b = base(words[i]);
    // wait-for-it.sh host:port -- cmd, wait-for-postgres.sh db cmd…: the command waited for is what runs.
    if (b.startsWith('wait-for') || b.startsWith('wait_for')) {
      const dash = words.indexOf('--', i + 1);
      const next = dash !== -1 ? dash + 1 : words.findIndex((w, k) => k > i + 1 && (base(w).startsWith('wait') ? true : w.endsWith('.sh') || PROGRAMS.has(base(w))));
      if (next <= i || next >= words.length) break;
      i = next;
      continue;
    }
    if (WRAPPERS.has(b)) {
      i++;
      if (b === 'env') while (i < words.length && words[i].startsWith('-')) i++;
      for (let k = 0; k < (WRAPPER_WORDS[b] ?? 0) && i < words.length; k++) i++;
      while (i < words.length && (SKIP_WORDS.has(words[i]) || (b === 'tini' && words[i].startsWith('-')))) i++;
      continue;
    }
    break;
  }
  const rest = words.slice(i);
  if (rest.length === 0) return undefined;
  const text = words.join(' ').slice(0, 300);
  const inv: Invocation = { server: 'other', web: false, env: own, configFiles: [], binds: [], text };
  let prog = base(rest[0]);
  let args = rest.slice(1);
  // sh -c "…": the string is a command line of its own.
  if ((prog === 'sh' || prog === 'bash' || prog === 'ash' || prog === 'dash') && depth < 3) {
    const c = args.indexOf('-c');
    if (c !== -1 && args[c + 1] !== undefined) {
      const merged: Lookup = (n) => own.get(n) ?? env(n);
      // The server the chain starts (`python wait_for_pg.py && gunicorn …`), else the first script it runs.
      let script: Invocation | undefined;
      for (const cmd of splitShell(args[c + 1], merged)) {
        const sub = interpret(cmd.words, merged, depth + 1);
        if (!sub || sub.server === 'other') continue;
        for (const [k, v] of own) if (!sub.env.has(k)) sub.env.set(k, v);
        if (sub.server !== 'script') return sub;
        script ??= sub;
      }
      return script ?? inv;
    }
    // `bash -x script.sh`, `sh -e script.sh`: the script after the shell's own options.
    const script = args.find((a) => !a.startsWith('-'));
    if (script && args.slice(0, args.indexOf(script)).every((a) => /^-[a-z]+$/.test(a))) return { ...inv, server: 'script', script };
    return inv;
  }
  if (PYTHON.test(prog)) {
    let k = 0;
    while (k < args.length && args[k].startsWith('-') && args[k] !== '-m') k++;
    if (args[k] === '-m' && args[k + 1]) {
      prog = args[k + 1];
      args = args.slice(k + 2);
    } else if (args[k] !== undefined) {
      const script = args[k];
      prog = base(script);
      args = args.slice(k + 1);
      if (prog !== 'manage.py' && prog !== 'django-admin') return { ...inv, server: 'script', script };
    }
  }
  if (prog === 'gunicorn' || prog === 'gunicorn_django') return gunicorn(inv, args);
  if (prog === 'uwsgi' || prog === 'pyuwsgi') return uwsgi(inv, args);
  if (prog === 'uvicorn' || prog === 'daphne' || prog === 'hypercorn' || prog === 'granian') return asgi(inv, args, prog);
  if (prog === 'manage.py' || prog === 'django-admin' || prog === 'django-admin.py') return manage(inv, args);
  if (prog === 'celery') {
    const a = args.indexOf('-A') !== -1 ? args[args.indexOf('-A') + 1] : args.find((w) => w.startsWith('--app='))?.slice(6);
    return { ...inv, server: 'celery', app: a };
  }
  if (/\.(sh|bash)$/.test(prog) || rest[0].startsWith('./') || (rest[0].includes('/') && !rest[0].startsWith('/usr/') && !rest[0].startsWith('/bin/'))) {
    return { ...inv, server: 'script', script: rest[0] };
  }
  return inv;
}

function optValue(args: string[], k: number, names: Set<string> | string[]): { name: string; value: string; next: number } | undefined {
  const a = args[k];
  const set = names instanceof Set ? names : new Set(names);
  const eq = a.indexOf('=');
  if (a.startsWith('--') && eq !== -1 && set.has(a.slice(0, eq))) return { name: a.slice(0, eq), value: a.slice(eq + 1), next: k + 1 };
  if (set.has(a) && args[k + 1] !== undefined) return { name: a, value: args[k + 1], next: k + 2 };
  // -bVALUE
  if (/^-[a-zA-Z]./.test(a) && !a.startsWith('--') && set.has(a.slice(0, 2))) return { name: a.slice(0, 2), value: a.slice(2), next: k + 1 };
  return undefined;
}

function gunicorn(inv: Invocation, args: string[]): Invocation {
  const out: Invocation = { ...inv, server: 'gunicorn', web: true };
  for (let k = 0; k < args.length; ) {
    const o = optValue(args, k, GUNICORN_VALUE_OPTS);
    if (o) {
      if (o.name === '-c' || o.name === '--config') out.configFiles.push(o.value);
      else if (o.name === '-b' || o.name === '--bind') {
        out.binds.push(o.value);
        (out.cmdBinds ??= []).push(o.value);
      }
      else if (o.name === '-e' || o.name === '--env') {
        const a = assignment(o.value);
        if (a) out.env.set(a[0], a[1]);
      } else if (o.name === '--forwarded-allow-ips') out.forwardedAllowIps = out.cmdForwardedAllowIps = o.value;
      else if (o.name === '--chdir') out.chdir = o.value;
      else if (o.name === '--certfile' || o.name === '--keyfile') out.cmdTls ??= `${o.name} ${o.value}`;
      k = o.next;
      continue;
    }
    if (!args[k].startsWith('-') && out.app === undefined) out.app = args[k];
    k++;
  }
  return out;
}

/** uWSGI options that take no value (core/uwsgi.c `no_argument`): the next word is not theirs. */
const UWSGI_FLAGS = new Set([
  'master', 'M', 'enable-threads', 'T', 'vacuum', 'die-on-term', 'lazy-apps', 'lazy', 'single-interpreter', 'i', 'thunder-lock',
  'ssl-enable-tlsv1', 'ssl-enable-sslv3', 'ssl-enable3', 'need-app', 'strict', 'no-orphans', 'show-config', 'disable-logging',
  'log-master', 'auto-procname', 'honour-stdin', 'catch-exceptions', 'harakiri-verbose', 'memory-report', 'no-default-app',
]);

const UWSGI_CONFIG_OPTS = ['--ini', '--yaml', '--yml', '--json', '--js', '--xml'];

function uwsgi(inv: Invocation, args: string[]): Invocation {
  const out: Invocation = { ...inv, server: 'uwsgi', web: true, uwsgiArgs: [] };
  for (let k = 0; k < args.length; ) {
    const a = args[k];
    if (!a.startsWith('-')) {
      // uwsgi takes a config file as a bare argument, by extension.
      if (/\.(ini|ya?ml|json|js|xml)(:[\w-]+)?$/.test(a)) out.configFiles.push(a);
      k++;
      continue;
    }
    const name = a.startsWith('--') ? a.split('=')[0] : a.slice(0, 2);
    const inline = a.startsWith('--') ? (a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined) : a.length > 2 ? a.slice(2) : undefined;
    const value = inline ?? args[k + 1];
    const step = inline !== undefined ? 1 : 2;
    if (value === undefined || (inline === undefined && (value.startsWith('-') || UWSGI_FLAGS.has(name.replace(/^--?/, ''))))) {
      // A flag (`--master`, `--ssl-enable-tlsv1`): uWSGI reads it as true.
      out.uwsgiArgs!.push([name.replace(/^--?/, ''), 'true']);
      k++;
      continue;
    }
    out.uwsgiArgs!.push([name.replace(/^--?/, ''), value]);
    applyUwsgiOption(out, name.replace(/^--?/, ''), value);
    if (UWSGI_CONFIG_OPTS.includes(name)) out.configFiles.push(value);
    k += step;
  }
  return out;
}

const UWSGI_SHORT: Record<string, string> = { w: 'module', s: 'socket', M: 'master', p: 'processes' };

/** One uwsgi option (from a command line or a config file) into the invocation. */
/**
 * Where an invocation sets something: the uWSGI option's own line in a config file (`env =` on line 47, not the
 * file's first line), else the invocation's line.
 */
export function optionLoc(inv: Invocation, at: Loc, name: string, value: (v: string) => boolean): Loc {
  const o = inv.uwsgiOptions?.find((x) => x.name === name && value(x.value) && !x.from);
  return o?.loc ?? at;
}

export function applyUwsgiOption(out: Invocation, rawName: string, value: string): void {
  const name = UWSGI_SHORT[rawName] ?? rawName.replace(/_/g, '-');
  switch (name) {
    case 'module':
    case 'wsgi':
      out.app ??= value;
      break;
    case 'wsgi-file':
    case 'file':
      out.wsgiFile ??= value;
      break;
    case 'chdir':
      out.chdir ??= value;
      break;
    case 'env': {
      const a = assignment(value);
      if (a) out.env.set(a[0], a[1]);
      break;
    }
    case 'http':
    case 'http-socket':
    case 'https':
    case 'socket':
    case 'uwsgi-socket':
    case 'http11-socket':
    case 'shared-socket':
      out.binds.push(`${name}=${value}`);
      break;
    default:
  }
}

function asgi(inv: Invocation, args: string[], kind: AsgiFacts['kind']): Invocation {
  const facts: AsgiFacts = { kind, ownTls: false, envFile: false, socket: false };
  const out: Invocation = { ...inv, server: 'asgi-server', web: true, asgi: facts };
  let host: string | undefined;
  let port: string | undefined;
  for (let k = 0; k < args.length; ) {
    const o = optValue(args, k, ASGI_VALUE_OPTS);
    if (o) {
      if (o.name === '--host' || (kind === 'daphne' && (o.name === '-b' || o.name === '--bind'))) host = o.value;
      else if (o.name === '--port' || o.name === '-p') port = o.value;
      else if (o.name === '-b' || o.name === '--bind') out.binds.push(o.value);
      else if (o.name === '--uds' || o.name === '-u' || o.name === '--unix-socket') out.binds.push(`unix:${o.value}`);
      else if (o.name === '--forwarded-allow-ips') out.forwardedAllowIps = o.value;
      else if (o.name === '--config' || o.name === '-c') out.configFiles.push(o.value);
      else if (o.name === '--env-file') facts.envFile = true;
      else if (o.name === '-e' || o.name === '--endpoint') {
        // Twisted endpoint strings: `tcp:8000:interface=0.0.0.0`, `tcp:port=8000`, `unix:/run/daphne.sock`.
        const parts = o.value.split(':');
        const type = parts[0].toLowerCase();
        if (type === 'ssl' || type === 'tls') facts.ownTls = true;
        else if (type === 'unix') out.binds.push(`unix:${(parts[1] ?? '').replace(/^address=/, '')}`);
        else if (type === 'fd') facts.socket = true;
        else if (type === 'tcp') {
          const p = parts.slice(1).find((x) => /^(port=)?\d{1,5}$/.test(x));
          const i = parts.slice(1).find((x) => x.startsWith('interface='));
          if (p) out.binds.push(`${i ? i.slice(10) : '0.0.0.0'}:${p.replace('port=', '')}`);
        }
      }
      if (o.name === '--uds' || o.name === '-u' || o.name === '--unix-socket' || o.name === '--fd') facts.socket = true;
      if (/^--(ssl-keyfile|ssl-certfile|certfile|keyfile)$/.test(o.name)) facts.ownTls = true;
      k = o.next;
      continue;
    }
    if (args[k] === '--proxy-headers') facts.proxyHeaders = true;
    else if (args[k] === '--no-proxy-headers') facts.proxyHeaders = false;
    else if (!args[k].startsWith('-') && out.app === undefined) out.app = args[k];
    k++;
  }
  if (out.binds.some((b) => b.startsWith('unix:') || b.startsWith('fd://'))) facts.socket = true;
  // uvicorn's default is 127.0.0.1:8000, daphne's localhost:8000 (where no endpoint or socket is given).
  const listens = out.binds.length > 0 || facts.socket || facts.ownTls;
  if (host !== undefined || port !== undefined || (!listens && (kind === 'uvicorn' || kind === 'daphne'))) {
    out.binds.push(`${host ?? (kind === 'daphne' ? 'localhost' : '127.0.0.1')}:${port ?? '8000'}`);
  }
  return out;
}

const WEB_COMMANDS = new Set(['runserver', 'runserver_plus', 'runmodwsgi', 'gunicorn', 'uvicorn', 'daphne']);

function manage(inv: Invocation, args: string[]): Invocation {
  const out: Invocation = { ...inv, server: 'runserver' };
  let command: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '--settings' && args[k + 1]) out.settingsArg = args[++k];
    else if (a.startsWith('--settings=')) out.settingsArg = a.slice(11);
    else if (!a.startsWith('-') && command === undefined) command = a;
    else if (!a.startsWith('-') && command && WEB_COMMANDS.has(command) && out.binds.length === 0) out.binds.push(a);
  }
  out.web = command !== undefined && WEB_COMMANDS.has(command);
  if (!out.web) out.server = 'other';
  return out;
}
