// What a running case does, recorded in a form that is stable from run to run (ports are written as the case's
// own listen ports), and what those observations say each HTTPS Guard rule should do.

import * as fs from 'node:fs';
import { PROBE_PATH, REMOTE_CLIENT, request, type Prepared, type Reply } from './harness';

/** What Django's view computed for a request (see VIEWS_PY in harness.ts), or the status when it did not answer. */
export interface Seen {
  status: number | string;
  is_secure?: boolean;
  scheme?: string;
  uri?: string;
  meta?: Record<string, string>;
}

export interface Walk {
  /** `url → status location`, one per response. */
  hops: string[];
  /** More than 5 redirects, or a redirect to the URL just requested. */
  loop: boolean;
}

export interface Forged {
  /** `Name: value` of each forged header. */
  headers: string;
  /** Through nginx's plain-HTTP server, or straight to an app server bound on a public address. */
  via: 'nginx' | 'direct';
  status: number | string;
  /** Django's is_secure() was true. */
  believed: boolean;
}

export interface Observed {
  /** The app server the case runs. */
  app: 'uwsgi' | 'gunicorn';
  settings: {
    SECURE_PROXY_SSL_HEADER: string[] | null;
    SECURE_HSTS_SECONDS: number | string;
    SECURE_SSL_REDIRECT: boolean;
    security_middleware: boolean;
  } | null;
  /** os.environ['HTTPS'] inside the app process (uwsgi `env = HTTPS=on`). */
  env_https: string | null;
  https: {
    redirects: Walk;
    django: Seen;
    /** Strict-Transport-Security headers on the answer to the probe path over https. */
    hsts: number;
    /** The app's own response carried the header (nginx's log of the upstream header, before add_header). */
    hsts_from_app: boolean;
  };
  /** Absent when the case has no plain-HTTP listener. */
  http?: { redirects: Walk; django: Seen };
  forged: Forged[];
}

const MAX_REDIRECTS = 6;

/** The case's ports instead of the loopback ones, so a Location with a port reads the same in every run. */
function normalizer(p: Prepared): (s: string) => string {
  return (s) => {
    let out = s;
    for (const [key, { port }] of p.ports) out = out.split(`:${port}`).join(`:${key}`);
    if (p.appPort !== undefined) out = out.split(`:${p.appPort}`).join(':app');
    return out;
  };
}

function seen(r: Reply): Seen {
  if (r.status === undefined) return { status: `error: ${r.error}` };
  if (r.status !== 200) return { status: r.status };
  try {
    const j = JSON.parse(r.body ?? '') as { is_secure: boolean; scheme: string; uri: string; meta: Record<string, string> };
    return { status: 200, is_secure: j.is_secure, scheme: j.scheme, uri: j.uri, meta: j.meta };
  } catch {
    return { status: `200 without the view's JSON: ${(r.body ?? '').slice(0, 80)}` };
  }
}

/** Requests scheme://host/ on the case's port for that scheme and follows up to MAX_REDIRECTS redirects. */
async function walk(p: Prepared, scheme: 'https' | 'http', norm: (s: string) => string, nextId: () => string): Promise<Walk> {
  const hops: string[] = [];
  let url = new URL(`${scheme}://${p.host}/`);
  let redirects = 0;
  for (;;) {
    const key = url.port || (url.protocol === 'https:' ? '443' : '80');
    const target = p.ports.get(key);
    if (url.hostname !== p.host || !target) {
      hops.push(`${norm(url.href)} (outside the case: not requested)`);
      return { hops, loop: false };
    }
    const r = await request({ port: target.port, tls: url.protocol === 'https:', host: p.host, path: url.pathname + url.search, probeId: nextId() });
    const requested = norm(url.href);
    if (r.status === undefined) {
      hops.push(`${requested} → error: ${r.error}`);
      return { hops, loop: false };
    }
    const redirect = r.status >= 300 && r.status < 400 && r.location !== undefined;
    hops.push(`${requested} → ${r.status}${redirect ? ` ${norm(r.location as string)}` : ''}`);
    if (!redirect) return { hops, loop: false };
    redirects++;
    const next = new URL(r.location as string, url);
    // Normalised on both sides: a Location naming the loopback port is the case's own listen port.
    if (norm(next.href) === requested || redirects > MAX_REDIRECTS - 1) return { hops, loop: true };
    url = next;
  }
}

/** The header Django trusts, as a client would send it: HTTP_X_FORWARDED_PROTO → X-Forwarded-Proto. */
export function headerOfMeta(meta: string): string | undefined {
  if (!meta.startsWith('HTTP_')) return undefined;
  return meta
    .slice(5)
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join('-');
}

export async function observe(p: Prepared, accessLog: string): Promise<Observed> {
  const norm = normalizer(p);
  let n = 0;
  const nextId = () => `${p.case.name}-${++n}`;
  const tlsPorts = [...p.ports.values()].filter((x) => x.tls);
  const plainPorts = [...p.ports.values()].filter((x) => !x.tls);
  if (tlsPorts.length === 0) throw new Error(`${p.case.name}: nginx.conf has no TLS listener`);

  const httpsId = nextId();
  const httpsProbe = await request({ port: tlsPorts[0].port, tls: true, host: p.host, path: PROBE_PATH, probeId: httpsId });
  const httpsSeen = seen(httpsProbe);
  let info: { settings: Observed['settings']; env_https: string | null } = { settings: null, env_https: null };
  if (httpsProbe.status === 200) {
    try {
      info = JSON.parse(httpsProbe.body ?? '') as typeof info;
    } catch {
      // reported through httpsSeen
    }
  }
  const out: Observed = {
    app: p.case.app.server,
    settings: info.settings,
    env_https: info.env_https,
    https: { redirects: await walk(p, 'https', norm, nextId), django: httpsSeen, hsts: httpsProbe.hsts.length, hsts_from_app: false },
    forged: [],
  };
  if (plainPorts.length) {
    const plain = await request({ port: plainPorts[0].port, tls: false, host: p.host, path: PROBE_PATH, probeId: nextId() });
    out.http = { redirects: await walk(p, 'http', norm, nextId), django: seen(plain) };
  }

  // Forged headers: X-Forwarded-Proto: https, the header Django trusts with the value it wants, and the case's own.
  const sets: Record<string, string>[] = [{ 'X-Forwarded-Proto': 'https' }];
  const trusted = info.settings?.SECURE_PROXY_SSL_HEADER;
  const trustedName = trusted ? headerOfMeta(trusted[0]) : undefined;
  if (trusted && trustedName && !(trustedName === 'X-Forwarded-Proto' && trusted[1] === 'https')) sets.push({ [trustedName]: trusted[1] });
  sets.push(...(p.case.spec.forge ?? []));
  const label = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join(', ');
  for (const headers of sets) {
    for (const port of plainPorts) {
      const r = await request({ port: port.port, tls: false, host: p.host, path: PROBE_PATH, headers, probeId: nextId() });
      const s = seen(r);
      out.forged.push({ headers: label(headers), via: 'nginx', status: s.status, believed: s.is_secure === true });
    }
    if (p.case.app.public && p.case.app.http && p.appPort !== undefined) {
      // A client on the network talking to the app server itself (its bind is public in the case).
      const r = await request({ port: p.appPort, tls: false, host: p.host, path: PROBE_PATH, headers, from: REMOTE_CLIENT });
      const s = seen(r);
      out.forged.push({ headers: label(headers), via: 'direct', status: s.status, believed: s.is_secure === true });
    }
  }

  // nginx writes its access log line when the response is done; the line for the https probe is there by now.
  out.https.hsts_from_app = upstreamHsts(accessLog, httpsId);
  return out;
}

function upstreamHsts(accessLog: string, id: string): boolean {
  let text = '';
  try {
    text = fs.readFileSync(accessLog, 'utf8');
  } catch {
    return false;
  }
  for (const line of text.split('\n')) {
    const [probe, , hsts] = line.split('|');
    if (probe === id) return hsts !== undefined && hsts !== '' && hsts !== '-';
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// From observations to rule verdicts
// ---------------------------------------------------------------------------------------------------------------

export interface Row {
  id: string;
  /** What the stack did, in words (the README's table repeats these). */
  observed: string;
  /** The rule(s) whose verdict must equal the observation: fires ⇔ observed (any of them, for a group). */
  rules: string[];
  /** Rule-id prefixes of which at least one registered rule joins the group (a family still being written). */
  families?: string[];
  /**
   * Rules that report the same cause as part of a wider finding ("one cause, one finding"): one of them firing
   * counts for this row only where `when` holds, e.g. the redirect loop that says why Django misses https.
   */
  folded?: { rule: string; when(o: Observed): boolean }[];
  /** The row says nothing about this case (default: every case). */
  applies?(o: Observed): boolean;
  truth(o: Observed): boolean;
}

const djangoHsts = (o: Observed) => !!o.settings?.security_middleware && !!o.settings.SECURE_HSTS_SECONDS;

const viewSecure = (s: Seen | undefined) => s?.is_secure === true;
const viewAnswered = (s: Seen | undefined) => s?.is_secure !== undefined;

export const ROWS: Row[] = [
  {
    id: 'redirect-loop',
    observed: 'a redirect loop over https or http (more than 5 redirects, or a redirect to the URL just requested)',
    rules: ['cross/ssl-redirect-loop'],
    truth: (o) => o.https.redirects.loop || o.http?.redirects.loop === true,
  },
  {
    id: 'forged-believed',
    observed:
      'over plain HTTP, a forged header (X-Forwarded-Proto: https, Django\'s trusted header, the case\'s own) makes is_secure() true — through nginx (where the unforged request is not secure) or straight to an app server bound on a public address',
    rules: ['cross/proxy-ssl-header-unstripped', 'nginx/uwsgi-forwarded-proto-spoofable'],
    families: ['gunicorn/'],
    truth: (o) => o.forged.some((f) => f.believed && (f.via === 'direct' || !viewSecure(o.http?.django))),
  },
  {
    id: 'django-hsts-never-sent',
    observed: 'Django HSTS configured (SecurityMiddleware, SECURE_HSTS_SECONDS) but the app\'s answer over https has no HSTS header',
    rules: ['cross/django-hsts-never-sent'],
    // Where nothing sends HSTS, nginx/hsts-missing says Django's header is never sent.
    folded: [{ rule: 'nginx/hsts-missing', when: djangoHsts }],
    truth: (o) => djangoHsts(o) && viewAnswered(o.https.django) && !o.https.hsts_from_app,
  },
  {
    id: 'hsts-none',
    observed: 'the answer over https carries no Strict-Transport-Security header at all (neither nginx nor Django sent one)',
    rules: ['nginx/hsts-missing'],
    truth: (o) => o.https.hsts === 0,
  },
  {
    id: 'hsts-twice',
    observed: 'the answer over https carries Strict-Transport-Security twice (or more)',
    rules: ['nginx/hsts-duplicated'],
    truth: (o) => o.https.hsts >= 2,
  },
  {
    id: 'proxy-header-mismatch',
    observed: 'SECURE_PROXY_SSL_HEADER is set but is_secure() is false over https',
    rules: ['cross/proxy-ssl-header-mismatch'],
    // Under SECURE_SSL_REDIRECT the loop finding names the header Django misses.
    folded: [{ rule: 'cross/ssl-redirect-loop', when: (o) => !!o.settings?.SECURE_PROXY_SSL_HEADER }],
    truth: (o) => !!o.settings?.SECURE_PROXY_SSL_HEADER && o.https.django.is_secure === false,
  },
  {
    id: 'env-https-no-effect',
    observed: 'the uwsgi process has HTTPS in its environment (`env = HTTPS=on`) and Django still answers is_secure() false',
    rules: ['uwsgi/env-https-no-effect'],
    truth: (o) => o.env_https !== null && (o.https.django.is_secure === false || o.http?.django.is_secure === false),
  },
  {
    id: 'uwsgi-scheme-http',
    observed: 'a uwsgi case whose request over https did not reach Django as wsgi.url_scheme https (http, or no answer from Django at all)',
    rules: ['nginx/uwsgi-https-missing'],
    // Under SECURE_SSL_REDIRECT the loop finding names the missing HTTPS param.
    folded: [{ rule: 'cross/ssl-redirect-loop', when: (o) => o.app === 'uwsgi' }],
    applies: (o) => o.app === 'uwsgi',
    truth: (o) => o.https.django.meta?.['wsgi.url_scheme'] !== 'https',
  },
  {
    id: 'plain-seen-secure',
    observed: 'a plain-HTTP request without any forged header reaches Django as is_secure() true',
    rules: ['nginx/forwarded-proto-hardcoded', 'uwsgi/scheme-forced', 'wsgi/url-scheme-forced'],
    truth: (o) => viewSecure(o.http?.django),
  },
];
