// What the running server did, turned into a verdict per rule. Each definition is stated in README.md; they
// look only at responses, never at the config.

import type { Severity } from '../../src/types';

export interface Observation {
  port: number;
  /** The fixture's listen this port stands for ('80', '443', …). */
  key: string;
  tls: boolean;
  host: string;
  path: string;
  /** 'get': GET; 'missing': GET of a file that does not exist in the same location; 'huge': POST over the body limit (413). */
  probe: 'get' | 'missing' | 'huge';
  /** For an error probe: the GET path it pairs with (same location). */
  of?: string;
  method: string;
  /** `/` or `/some/nested/path`. */
  main: boolean;
  /** The listener is loopback-only or a unix socket in the fixture: no client on the network reaches it. */
  internal: boolean;
  /** The server block that answered, from nginx's access log ($hg_live_server); undefined if not logged. */
  server?: number;
  /** That block has a TLS listener. */
  serverTls?: boolean;
  /** That block writes add_header Strict-Transport-Security with a value (itself or in a location/include). */
  serverWritesHsts?: boolean;
  /** That block has its own `ssl_certificate`. */
  serverLoadsCert?: boolean;
  /** The location that answered (its `set $hg_live_loc`; 0 = server level). */
  block?: number;
  /** That location says `add_header Strict-Transport-Security "";`: switched off there on purpose. */
  optOut?: boolean;
  /** Who wrote a 2xx body: the stub backend, a document-root file, or nginx itself (`return 200 "…"`). */
  origin?: 'backend' | 'file' | 'nginx';
  status?: number;
  location?: string;
  hsts: string[];
  error?: string;
}

export interface Truth {
  fires: boolean;
  /** hsts-max-age-short only: the worst level the values seen call for. */
  severity?: Severity;
  /** The responses that decided, for messages. */
  why: string[];
}

/** The statuses add_header adds to without `always` (ngx_http_headers_filter_module.c, safe_status). */
export const ADD_HEADER_STATUSES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function describeObservation(o: Observation): string {
  const what = o.probe === 'huge' ? 'POST(413 probe)' : o.method;
  const target = `${o.tls ? 'https' : 'http'}://${o.host}:${o.port}(${o.internal ? 'internal ' : ''}${o.key})${o.path}`;
  const got = o.error
    ? `error: ${o.error}`
    : `${o.status}${o.location ? ` Location: ${o.location}` : ''} HSTS: ${o.hsts.length ? o.hsts.map((h) => JSON.stringify(h)).join(', ') : '-'}`;
  const who = o.server !== undefined ? ` [server #${o.server}${o.serverTls ? ' with TLS' : ''}, ${o.block ? `location #${o.block}` : 'server level'}${o.optOut ? ', HSTS switched off there' : ''}${o.origin ? `, body from ${o.origin}` : ''}]` : '';
  return `${what} ${target} → ${got}${who}`;
}

const isHttps = (loc: string | undefined) => loc !== undefined && /^https:\/\//i.test(loc);

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const DIRECTIVE = new RegExp(`^[ \\t]*(${TOKEN})[ \\t]*(?:=[ \\t]*(?:(${TOKEN})|"((?:[^"\\\\]|\\\\.)*)"))?[ \\t]*$`);

/**
 * A header value as a browser reads it (RFC 6797 §6.1, §8.1): `;`-separated directives, each a token with an
 * optional token or quoted-string value, none twice, max-age required as digits. Anything else is ignored whole.
 */
export function parseHsts(value: string): { valid: true; maxAge: number } | { valid: false } {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted && c === '\\') {
      cur += c + (value[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  const seen = new Map<string, string | undefined>();
  for (const part of parts) {
    if (/^[ \t]*$/.test(part)) continue;
    const m = DIRECTIVE.exec(part);
    if (!m) return { valid: false };
    const name = m[1].toLowerCase();
    if (seen.has(name)) return { valid: false };
    seen.set(name, m[2] ?? (m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : undefined));
  }
  const age = seen.get('max-age');
  if (age === undefined || !/^\d+$/.test(age)) return { valid: false };
  return { valid: true, maxAge: Number(age) };
}

/** The level hsts-max-age-short gives a header: ignored or max-age=0 disables HSTS (medium), then the two thresholds. */
export function ageSeverity(value: string): Severity | undefined {
  const p = parseHsts(value);
  if (!p.valid || p.maxAge === 0) return 'medium';
  if (p.maxAge < 15768000) return 'low';
  if (p.maxAge < 63072000) return 'info';
  return undefined;
}

const RANK: Record<Severity, number> = { high: 4, medium: 3, low: 2, info: 1 };
export const worst = (list: Severity[]): Severity | undefined =>
  list.reduce<Severity | undefined>((w, s) => (w === undefined || RANK[s] > RANK[w] ? s : w), undefined);

/** Responses per server block (by nginx's own account), else per port and Host. */
const byServer = (obs: Observation[]) => {
  const m = new Map<string, Observation[]>();
  for (const o of obs) {
    const k = o.server !== undefined ? `#${o.server}` : `${o.port}|${o.host}`;
    m.set(k, [...(m.get(k) ?? []), o]);
  }
  return m;
};

export const RULE_IDS = [
  'nginx/http-not-redirected',
  'nginx/redirect-not-https',
  'nginx/hsts-missing',
  'nginx/hsts-dropped-in-location',
  'nginx/hsts-max-age-short',
  'nginx/hsts-without-always',
  'nginx/hsts-on-plain-http',
  'nginx/certificate-without-tls-listener',
] as const;
export type LiveRuleId = (typeof RULE_IDS)[number];

export function truthFor(rule: LiveRuleId, obs: Observation[]): Truth {
  const answered = obs.filter((o) => o.status !== undefined);
  // What clients on the network get over plain HTTP (ACME paths are never requested).
  const plainGets = answered.filter((o) => !o.tls && o.probe === 'get' && !o.internal);
  const tlsGets = answered.filter((o) => o.tls && o.probe === 'get');
  const result = (hits: Observation[], severity?: Severity): Truth => ({
    fires: hits.length > 0,
    ...(severity ? { severity } : {}),
    why: hits.slice(0, 4).map(describeObservation),
  });

  switch (rule) {
    case 'nginx/http-not-redirected':
      // The app or its files served over plain HTTP, or a redirect that does not go to https://. A fixed text from
      // nginx (`return 200 "ok"`), 4xx/5xx and dropped connections (return 444) serve nothing of the app.
      // Files under /.well-known/ are the ACME webroot, which must stay on plain HTTP (the rule exempts it too).
      return result(plainGets.filter((o) => (o.status as number) < 300 ? o.origin !== 'nginx' && !(o.origin === 'file' && o.path.startsWith('/.well-known/')) : (o.status as number) < 400 && !isHttps(o.location)));
    case 'nginx/redirect-not-https':
      // Plain HTTP answered with a redirect that does not go to https://, or HTTPS answered with one to an explicit
      // http:// URL (the client leaves HTTPS; `$scheme` and relative targets stay on https there). A unix socket
      // behind a CDN or router carries that proxy's clients, HTTPS ones too: an explicit http:// URL there as well.
      return result([
        ...plainGets.filter((o) => REDIRECTS.has(o.status as number) && !isHttps(o.location)),
        ...tlsGets.filter((o) => REDIRECTS.has(o.status as number) && /^http:\/\//i.test(o.location ?? '')),
        ...answered.filter((o) => o.key.startsWith('unix:') && o.probe === 'get' && REDIRECTS.has(o.status as number) && /^http:\/\//i.test(o.location ?? '')),
      ]);
    case 'nginx/hsts-missing':
    case 'nginx/hsts-dropped-in-location': {
      // A TLS server block with a 2xx answer that lacks the header. Responses cannot tell whether the server level
      // never had it (hsts-missing) or a location replaced it (hsts-dropped-in-location): this is the union.
      const hits: Observation[] = [];
      for (const group of byServer(tlsGets).values()) {
        const lacking = group.find((o) => (o.status as number) >= 200 && (o.status as number) < 300 && o.hsts.length === 0 && !o.optOut);
        if (lacking) hits.push(lacking);
      }
      return result(hits);
    }
    case 'nginx/hsts-without-always': {
      // A path whose 2xx/3xx answer has the header while an error answer from the same location lacks it. The 404
      // of a missing name goes through every phase like the 2xx did; the 413 is answered as soon as the location
      // is chosen, before any `if` in it runs, so it only stands in when no 404 could be had.
      const hits: Observation[] = [];
      for (const ok of tlsGets) {
        if (!ADD_HEADER_STATUSES.has(ok.status as number) || ok.hsts.length === 0) continue;
        const errors = answered.filter((o) => o.tls && o.of === ok.path && o.port === ok.port && o.host === ok.host && (o.status as number) >= 400);
        const notFound = errors.filter((o) => o.probe === 'missing');
        const err = (notFound.length > 0 ? notFound : errors.filter((o) => o.probe === 'huge')).find((o) => o.hsts.length === 0);
        if (err) hits.push(err, ok);
      }
      return result(hits);
    }
    case 'nginx/hsts-max-age-short': {
      const levels: Severity[] = [];
      const hits: Observation[] = [];
      for (const o of answered.filter((x) => x.tls)) {
        for (const v of o.hsts) {
          const sev = ageSeverity(v);
          if (sev) {
            levels.push(sev);
            hits.push(o);
          }
        }
      }
      return result(hits, worst(levels));
    }
    case 'nginx/hsts-on-plain-http':
      // Sent over plain HTTP by a server block with no TLS listener (where it can never take effect) that writes the
      // header itself; one inherited from http {} is there for the TLS servers.
      return result(answered.filter((o) => !o.tls && !o.internal && o.serverTls === false && o.serverWritesHsts === true && o.hsts.length > 0));
    case 'nginx/certificate-without-tls-listener': {
      // The app or its files served in clear by a block that loads a certificate but has no TLS listener, for a
      // host that no TLS server answers with content (there the certificate lines are a plain twin's copy).
      const ok = (o: Observation) => (o.status as number) >= 200 && (o.status as number) < 300 && o.origin !== 'nginx';
      const tlsHosts = new Set(tlsGets.filter(ok).map((o) => o.host));
      return result(plainGets.filter((o) => ok(o) && o.serverTls === false && o.serverLoadsCert === true && !tlsHosts.has(o.host)));
    }
  }
}
