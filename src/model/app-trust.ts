// Whether the app server behind a plain-HTTP proxy takes the request scheme from a forwarded header.
// - gunicorn (gunicorn/http/message.py): a header of secure_scheme_headers (default X-FORWARDED-PROTOCOL: ssl,
//   X-FORWARDED-PROTO: https, X-FORWARDED-SSL: on) sets wsgi.url_scheme, only from a peer in forwarded_allow_ips
//   (command line, config, $FORWARDED_ALLOW_IPS; default 127.0.0.1,::1; '*' any) or over a unix socket.
// - uvicorn (uvicorn/middleware/proxy_headers.py): proxy headers are on unless --no-proxy-headers; the scope's
//   scheme is X-Forwarded-Proto from a peer in --forwarded-allow-ips ($UVICORN_FORWARDED_ALLOW_IPS,
//   $FORWARDED_ALLOW_IPS, default 127.0.0.1).
// - daphne (daphne/cli.py, utils.parse_x_forwarded_for): only with --proxy-headers, and then X-Forwarded-Proto
//   from any peer, but only on a request that carries X-Forwarded-For too (checked against daphne 4.0).
// Django's ASGIRequest takes the scheme from the scope as WSGIRequest takes wsgi.url_scheme.
import type { Loc } from '../types';
import { ipList, type AppServerRef, type DeployModel, type DeployUnit } from './deploy';
import { interpret } from './deploy/commands';
import { splitShell } from './deploy/shell';

export interface AppTrust {
  /** gunicorn, uvicorn, daphne: for messages. */
  server: string;
  /** Headers (lower case) it reads the scheme from, with the value that means https; none: it never does. */
  headers: [string, string][];
  /** Peers it believes them from; '*' any. */
  allow: string[];
  /** Another header (lower case) that must arrive for it to read the scheme header at all. */
  requires?: string;
  /** Believes a peer on a unix socket; undefined when that is not known. */
  unix: boolean | undefined;
  /** What it sets: "wsgi.url_scheme", "the ASGI scope's scheme". */
  sets: string;
  evidence: string;
  /** The allow-list is the server's default: no command line, config file or environment in the repository sets it. */
  byDefault?: boolean;
  /** Where the repository leaves it open (an environment file it does not hold): the rules step down. */
  unsure?: string;
}

const GUNICORN_DEFAULT: [string, string][] = [['x-forwarded-protocol', 'ssl'], ['x-forwarded-proto', 'https'], ['x-forwarded-ssl', 'on']];
const ASGI_SCHEME = "the ASGI scope's scheme";

const at = (a: AppServerRef) => `${a.loc.path}:${a.loc.line}`;

/** The environment an app server runs with: its unit's, or that of each compose service running its image. */
interface EnvContext {
  env: Map<string, { value: string; loc: Loc }>;
  outside: Map<string, Loc>;
  fileOutside?: Loc;
}

const runningCache = new WeakMap<DeployModel, Map<DeployUnit, DeployUnit[]>>();

/** The production compose services that start an image's own command, per image (listed once per scan). */
export function runningServices(deploy: DeployModel): Map<DeployUnit, DeployUnit[]> {
  let map = runningCache.get(deploy);
  if (!map) {
    map = new Map();
    for (const c of deploy.units) {
      if (c.via !== 'compose' || !c.builds || !c.runsImageCommand || c.role.role !== 'production' || c.optIn) continue;
      const list = map.get(c.builds);
      if (list) list.push(c);
      else map.set(c.builds, [c]);
    }
    runningCache.set(deploy, map);
  }
  return map;
}

function contexts(app: AppServerRef, deploy: DeployModel | undefined): EnvContext[] {
  const u = app.unit;
  const own: EnvContext = { env: u.env, outside: u.envOutside ?? new Map(), ...(u.envFileOutside ? { fileOutside: u.envFileOutside } : {}) };
  // An image's command runs in each production compose service that starts it, with the service's environment.
  const image = u.via === 'dockerfile' ? u : u.supervisedIn;
  const running = image && deploy ? (runningServices(deploy).get(image) ?? []) : [];
  if (running.length === 0) return [own];
  return running.map((c) => ({
    env: new Map([...u.env, ...c.env]),
    outside: new Map([...own.outside, ...(c.envOutside ?? [])]),
    ...(c.envFileOutside ?? own.fileOutside ? { fileOutside: c.envFileOutside ?? own.fileOutside } : {}),
  }));
}

/**
 * What the app server trusts, or undefined where the repository cannot tell (another server, a value set outside,
 * compose services that run its image with different values).
 */
const trustCache = new WeakMap<AppServerRef, AppTrust | null>();

export function trustOf(app: AppServerRef, deploy?: DeployModel): AppTrust | undefined {
  // Asked for every pass an app may be behind: worked out once per app server.
  let hit = trustCache.get(app);
  if (hit === undefined) trustCache.set(app, (hit = computeTrust(app, deploy) ?? null));
  return hit ?? undefined;
}

function computeTrust(app: AppServerRef, deploy: DeployModel | undefined): AppTrust | undefined {
  const trusts = contexts(app, deploy).map((c) => trustIn(app, c));
  const first = trusts[0];
  if (!first || trusts.some((t) => !t)) return undefined;
  const key = (t: AppTrust) => JSON.stringify([t.headers, t.allow, t.unix, t.requires ?? '']);
  return trusts.every((t) => key(t!) === key(first)) ? first : undefined;
}

function trustIn(app: AppServerRef, ctx: EnvContext): AppTrust | undefined {
  const { inv } = app;
  const outside = (names: string[]) => names.some((n) => ctx.outside.has(n));
  const file = ctx.fileOutside;
  const unsure = file ? `unless the environment file named at ${file.path}:${file.line}, which the repository does not hold, sets FORWARDED_ALLOW_IPS` : undefined;
  const opt = unsure ? { unsure } : {};
  /** A variable from the command's own assignments, else the environment it runs with. */
  const envVar = (name: string): { value: string; where: string } | undefined => {
    const own = inv.env.get(name);
    if (own !== undefined) return { value: own, where: at(app) };
    const e = ctx.env.get(name);
    return e ? { value: e.value, where: `${e.loc.path}:${e.loc.line}` } : undefined;
  };
  if (inv.server === 'gunicorn') {
    const g = inv.gunicorn;
    // Serving TLS itself, gunicorn sets wsgi.url_scheme to https without any header: not a proxy's question.
    if (g?.tls) return undefined;
    let headers = GUNICORN_DEFAULT;
    if (g?.secureSchemeHeaders) {
      if (g.secureSchemeHeaders.conditional || !g.secureSchemeHeaders.value) return undefined;
      headers = [...g.secureSchemeHeaders.value].map(([h, v]) => [h.toLowerCase(), v]);
    }
    // Command line, GUNICORN_CMD_ARGS, config file, then the FORWARDED_ALLOW_IPS default of the environment.
    let allow = g?.forwardedAllowIps && g.forwardedAllowIps.from !== 'environment' ? g.forwardedAllowIps : undefined;
    if (!allow || allow.from === 'config file') {
      const extra = envVar('GUNICORN_CMD_ARGS');
      const sub = extra ? interpret(['gunicorn', ...(splitShell(extra.value)[0]?.words ?? [])]) : undefined;
      if (extra && sub?.cmdForwardedAllowIps !== undefined) allow = { ips: ipList(sub.cmdForwardedAllowIps), loc: app.loc, code: 'GUNICORN_CMD_ARGS', from: 'GUNICORN_CMD_ARGS', conditional: false };
    }
    // GUNICORN_CMD_ARGS passed from outside the repository may override a config file's value.
    if (allow?.from === 'config file' && outside(['GUNICORN_CMD_ARGS'])) return undefined;
    if (allow && (allow.conditional || allow.ips === undefined)) return undefined;
    let ips = allow?.ips;
    let from = allow ? ` (${allow.loc.path}:${allow.loc.line})` : ' (its default)';
    if (!ips) {
      const e = envVar('FORWARDED_ALLOW_IPS');
      if (e) [ips, from] = [ipList(e.value), ` (FORWARDED_ALLOW_IPS, ${e.where})`];
      else if (outside(['FORWARDED_ALLOW_IPS', 'GUNICORN_CMD_ARGS'])) return undefined;
    }
    if (ips?.some((ip) => ip.includes('$'))) return undefined;
    const list = ips ?? ['127.0.0.1', '::1'];
    return {
      server: 'gunicorn',
      headers,
      allow: list,
      unix: true,
      sets: 'wsgi.url_scheme',
      evidence: `gunicorn (${at(app)}) trusts ${headers.map(([h, v]) => `${h}: ${v}`).join(', ')} from ${list.join(', ')}${from}`,
      ...(ips ? {} : { ...opt, byDefault: true }),
    };
  }
  const asgi = inv.asgi;
  if (!asgi || asgi.ownTls || asgi.envFile) return undefined;
  if (asgi.kind === 'daphne') {
    if (!asgi.proxyHeaders) {
      return { server: 'daphne', headers: [], allow: [], unix: false, sets: ASGI_SCHEME, evidence: `daphne (${at(app)}) runs without --proxy-headers, so it takes no scheme from a header and sets ${ASGI_SCHEME} from its own plain connection` };
    }
    return {
      server: 'daphne',
      headers: [['x-forwarded-proto', 'https']],
      requires: 'x-forwarded-for',
      allow: ['*'],
      unix: true,
      sets: ASGI_SCHEME,
      evidence: `daphne (${at(app)}) runs with --proxy-headers, so it takes the scheme from X-Forwarded-Proto from any address, on requests that carry X-Forwarded-For`,
    };
  }
  if (asgi.kind !== 'uvicorn') return undefined;
  const envFlag = envVar('UVICORN_PROXY_HEADERS')?.value;
  if (asgi.proxyHeaders === undefined && envFlag === undefined && outside(['UVICORN_PROXY_HEADERS'])) return undefined;
  const on = asgi.proxyHeaders ?? (envFlag === undefined ? true : /^(1|true|yes|on)$/i.test(envFlag.trim()));
  if (!on) {
    return { server: 'uvicorn', headers: [], allow: [], unix: false, sets: ASGI_SCHEME, evidence: `uvicorn (${at(app)}) runs without proxy headers, so it takes no scheme from a header and sets ${ASGI_SCHEME} from its own plain connection` };
  }
  let ips: string[] | undefined;
  let from = ' (its default)';
  if (inv.forwardedAllowIps !== undefined) {
    ips = ipList(inv.forwardedAllowIps);
    from = ` (--forwarded-allow-ips, ${at(app)})`;
  } else {
    for (const name of ['UVICORN_FORWARDED_ALLOW_IPS', 'FORWARDED_ALLOW_IPS']) {
      const e = envVar(name);
      if (e) [ips, from] = [ipList(e.value), ` (${name}, ${e.where})`];
      if (ips) break;
    }
    if (!ips && outside(['UVICORN_FORWARDED_ALLOW_IPS', 'FORWARDED_ALLOW_IPS'])) return undefined;
  }
  if (ips?.some((ip) => ip.includes('$'))) return undefined;
  return {
    server: 'uvicorn',
    headers: [['x-forwarded-proto', 'https']],
    allow: ips ?? ['127.0.0.1'],
    // A unix-socket peer has no address: whether a given release trusts it is not modelled.
    unix: ips?.includes('*') ? true : undefined,
    sets: ASGI_SCHEME,
    evidence: `uvicorn (${at(app)}) trusts x-forwarded-proto: https from ${(ips ?? ['127.0.0.1']).join(', ')}${from}`,
    ...(ips ? {} : { ...opt, byDefault: true }),
  };
}

/** '*' or a network that covers every address (gunicorn 22+ and uvicorn read networks). */
export function trustsAny(allow: string[]): boolean {
  return allow.some((ip) => ip === '*' || ip === '0.0.0.0/0' || ip === '::/0');
}

/** Only loopback addresses: a peer elsewhere is not believed whatever its address. */
export function loopbackOnly(allow: string[]): boolean {
  return allow.every((ip) => ip === '127.0.0.1' || ip === '::1' || ip === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(ip));
}
