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
import type { AppServerRef } from './deploy';

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
  /** Where the repository leaves it open (an environment file it does not hold): the rules step down. */
  unsure?: string;
}

const GUNICORN_DEFAULT: [string, string][] = [['x-forwarded-protocol', 'ssl'], ['x-forwarded-proto', 'https'], ['x-forwarded-ssl', 'on']];
const ASGI_SCHEME = "the ASGI scope's scheme";

const at = (a: AppServerRef) => `${a.loc.path}:${a.loc.line}`;
const ipsOf = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** What the app server trusts, or undefined where the repository cannot tell (another server, a value set outside). */
export function trustOf(app: AppServerRef): AppTrust | undefined {
  const { inv, unit } = app;
  const outside = (names: string[]) => names.some((n) => unit.envOutside?.has(n));
  const file = unit.envFileOutside;
  const unsure = file ? `unless the environment file named at ${file.path}:${file.line}, which the repository does not hold, sets FORWARDED_ALLOW_IPS` : undefined;
  const opt = unsure ? { unsure } : {};
  if (inv.server === 'gunicorn') {
    const g = inv.gunicorn;
    let headers = GUNICORN_DEFAULT;
    if (g?.secureSchemeHeaders) {
      if (g.secureSchemeHeaders.conditional || !g.secureSchemeHeaders.value) return undefined;
      headers = [...g.secureSchemeHeaders.value].map(([h, v]) => [h.toLowerCase(), v]);
    }
    const allow = g?.forwardedAllowIps;
    if (!allow && outside(['FORWARDED_ALLOW_IPS', 'GUNICORN_CMD_ARGS'])) return undefined;
    if (allow && (allow.conditional || allow.ips === undefined)) return undefined;
    const ips = allow?.ips ?? ['127.0.0.1', '::1'];
    const from = allow ? ` (${allow.loc.path}:${allow.loc.line})` : ' (its default)';
    return {
      server: 'gunicorn',
      headers,
      allow: ips,
      unix: true,
      sets: 'wsgi.url_scheme',
      evidence: `gunicorn (${at(app)}) trusts ${headers.map(([h, v]) => `${h}: ${v}`).join(', ')} from ${ips.join(', ')}${from}`,
      ...(allow ? {} : opt),
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
  const envFlag = inv.env.get('UVICORN_PROXY_HEADERS') ?? unit.env.get('UVICORN_PROXY_HEADERS')?.value;
  if (asgi.proxyHeaders === undefined && envFlag === undefined && outside(['UVICORN_PROXY_HEADERS'])) return undefined;
  const on = asgi.proxyHeaders ?? (envFlag === undefined ? true : /^(1|true|yes|on)$/i.test(envFlag.trim()));
  if (!on) {
    return { server: 'uvicorn', headers: [], allow: [], unix: false, sets: ASGI_SCHEME, evidence: `uvicorn (${at(app)}) runs without proxy headers, so it takes no scheme from a header and sets ${ASGI_SCHEME} from its own plain connection` };
  }
  let ips: string[] | undefined;
  let from = ' (its default)';
  if (inv.forwardedAllowIps !== undefined) {
    ips = ipsOf(inv.forwardedAllowIps);
    from = ` (--forwarded-allow-ips, ${at(app)})`;
  } else {
    for (const name of ['UVICORN_FORWARDED_ALLOW_IPS', 'FORWARDED_ALLOW_IPS']) {
      const v = inv.env.get(name);
      const u = unit.env.get(name);
      if (v !== undefined) [ips, from] = [ipsOf(v), ` (${name}, ${at(app)})`];
      else if (u) [ips, from] = [ipsOf(u.value), ` (${name}, ${u.loc.path}:${u.loc.line})`];
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
    ...(ips ? {} : opt),
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
