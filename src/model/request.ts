// Request semantics: what nginx does with a request of a given scheme to a server and location. The rewrite phase
// (return, rewrite, if, set, with variables evaluated by nginx-vars), where the request ends (redirect, app, files),
// the headers it gets after nginx's add_header inheritance, and which pass directive hands it to an application.
// Computed once per server and scheme (cached on the parsed tree) and asked by every rule.
import { children, effectiveDirective, effectiveList, levels, passDirective, PASS_DIRECTIVES, type NginxListen, type NginxServer } from './nginx';
import { tlsEdge, type TlsEdge } from './edge';
import { mergeEnv, nginxRegexTest, VarEvaluator, varName, type Env, type Truth, type Val } from './nginx-vars';
import type { DeploymentModel } from './index';
import type { NginxDirective } from '../parsers/nginx/types';
import { forEachNginxDirective } from '../parsers/nginx/walk';
import { checkPattern, matchesAll } from '../util/regex';
import { pushTo } from '../util/multimap';

export type Scheme = 'http' | 'https';

export const HSTS = 'strict-transport-security';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i;

/**
 * Plain-HTTP listeners that clients can reach: no `ssl`/`quic`, not under `ssl on`, not a unix socket and not bound
 * to a loopback address (those only take traffic from the same host, e.g. a TLS terminator in front).
 */
export function clientPlainListens(server: NginxServer): NginxListen[] {
  if (!server.plain) return [];
  return server.listens.filter((l) => !l.ssl && !l.quic && l.unix === undefined && !(l.address && LOOPBACK.test(l.address)));
}


/** `ssl_reject_handshake on` (1.19.4): the server never completes a TLS handshake, so it serves nothing. */
export function rejectsHandshake(server: NginxServer): boolean {
  return effectiveDirective(server.block, 'ssl_reject_handshake')?.args[0]?.value === 'on';
}

/** A TLS server that can answer requests. */
export function servesTls(server: NginxServer): boolean {
  return server.tls && !rejectsHandshake(server);
}
// ---------------------------------------------------------------------------------------------------------
// Redirects: return / rewrite
// ---------------------------------------------------------------------------------------------------------

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/** Where a redirect sends a request of the given scheme. */
export type TargetKind = 'https' | 'http' | 'scheme' | 'relative' | 'unknown';

export function targetKind(target: string): TargetKind {
  if (/^https:\/\//i.test(target)) return 'https';
  if (/^http:\/\//i.test(target)) return 'http';
  if (/^\$(scheme\b|\{scheme\})/.test(target)) return 'scheme';
  // Any other variable could hold a full URL.
  if (target.startsWith('$')) return 'unknown';
  return 'relative';
}

/** Whether a redirect keeps a request of `scheme` on that scheme: `$scheme://` and relative targets do. */
export function targetScheme(kind: TargetKind, scheme: Scheme): Scheme | undefined {
  if (kind === 'https') return 'https';
  if (kind === 'http') return 'http';
  if (kind === 'scheme' || kind === 'relative') return scheme;
  return undefined;
}

export interface ReturnInfo {
  code?: number;
  /** The Location for a redirect, the body text otherwise. */
  target?: string;
  redirect: boolean;
}

/** `return code [text|URL]` or `return URL` (a 302 when the URL starts with http://, https:// or $scheme). */
export function returnInfo(d: NginxDirective): ReturnInfo {
  const a0 = d.args[0]?.value ?? '';
  if (d.args.length === 1 && /^(https?:\/\/|\$scheme)/.test(a0)) return { code: 302, target: a0, redirect: true };
  const code = /^\d{3}$/.test(a0) ? Number(a0) : undefined;
  const target = d.args[1]?.value;
  return { code, target, redirect: code !== undefined && REDIRECT_CODES.has(code) && target !== undefined };
}

/** Where a `return` or `rewrite` sends the client when it answers with a redirect; undefined otherwise. */
export function redirectTarget(d: NginxDirective): string | undefined {
  if (d.name === 'return') {
    const r = returnInfo(d);
    return r.redirect ? r.target : undefined;
  }
  const r = rewriteInfo(d);
  return r.redirect ? r.replacement : undefined;
}

export interface RewriteInfo {
  regex: string;
  replacement: string;
  flag?: string;
  /** nginx answers with a redirect (absolute replacement, or the redirect/permanent flag). */
  redirect: boolean;
  code?: number;
  /** The regex matches every URI. */
  catchAll: boolean;
}

export function rewriteInfo(d: NginxDirective): RewriteInfo {
  const regex = d.args[0]?.value ?? '';
  const replacement = d.args[1]?.value ?? '';
  const flag = d.args[2]?.value;
  // ngx_http_rewrite: a replacement starting with http://, https:// or $scheme ends processing with a redirect.
  const absolute = /^(https?:\/\/|\$scheme)/.test(replacement);
  const redirect = absolute || flag === 'redirect' || flag === 'permanent';
  return { regex, replacement, flag, redirect, code: redirect ? (flag === 'permanent' ? 301 : 302) : undefined, catchAll: matchesEveryUri(regex) };
}

const SAMPLE_URIS = ['/', '/index.html', '/a/b/c.php', '/.well-known/acme-challenge/token'];

/** Whether a regex (rewrite or location) matches every request URI; undefined when that cannot be known. */
export function everyUri(regex: string, caseless = false): boolean | undefined {
  return matchesAll(checkPattern(regex, 'pcre', caseless), SAMPLE_URIS);
}

/** A regex that surely matches every request URI; one that cannot be evaluated counts as not. */
export function matchesEveryUri(regex: string, caseless = false): boolean {
  return everyUri(regex, caseless) === true;
}

// ---------------------------------------------------------------------------------------------------------
// `if` conditions, judged for one scheme
// ---------------------------------------------------------------------------------------------------------


const evaluators = new WeakMap<NginxServer, Partial<Record<Scheme, VarEvaluator>>>();

function evaluator(server: NginxServer, scheme: Scheme): VarEvaluator {
  let e = evaluators.get(server);
  if (!e) evaluators.set(server, (e = {}));
  return (e[scheme] ??= new VarEvaluator(server, scheme));
}

/** Variables in force before each `if` (for its condition), and at the end of the server level (for locations). */
const envBefore = new WeakMap<NginxDirective, Partial<Record<Scheme, Env>>>();
const levelEnd = new WeakMap<NginxDirective, Partial<Record<Scheme, Env>>>();

function remember(cache: WeakMap<NginxDirective, Partial<Record<Scheme, Env>>>, d: NginxDirective, scheme: Scheme, env: Env): void {
  let e = cache.get(d);
  if (!e) cache.set(d, (e = {}));
  e[scheme] = env;
}

/** What the variables hold when a level's rewrite directives start: a location continues from the server level. */
function startEnv(block: NginxDirective, scheme: Scheme, server: NginxServer): Env {
  if (block === server.block) return new Map();
  let end = levelEnd.get(server.block)?.[scheme];
  if (!end) {
    runLevel(server.block, scheme, server, new Map());
    end = levelEnd.get(server.block)?.[scheme] ?? new Map();
  }
  return new Map(end);
}

/** The location or server whose rewrite directives hold `d` (ifs nest inside it). */
function levelOf(d: NginxDirective): NginxDirective | undefined {
  let cur = d.parent;
  while (cur && cur.name === 'if') cur = cur.parent;
  return cur;
}

/** An `if` condition for requests of `scheme`, with the variables `set` and `map`ped before it. */
export function conditionTruth(d: NginxDirective, scheme: Scheme, server: NginxServer): Truth {
  let env = envBefore.get(d)?.[scheme];
  if (!env) {
    const level = levelOf(d);
    if (level) rewriteOutcome(level, scheme, server);
    env = envBefore.get(d)?.[scheme] ?? (level ? startEnv(level, scheme, server) : new Map());
  }
  return evaluator(server, scheme).condition(d, env);
}

/** Whether an `if` condition holds for every request of `scheme` (true), none (false), or depends (undefined). */
export function conditionFor(d: NginxDirective, scheme: Scheme, server: NginxServer): boolean | undefined {
  const t = conditionTruth(d, scheme, server);
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The rewrite phase of one level (server or location): does every request of a scheme end in a `return`?
// ---------------------------------------------------------------------------------------------------------

export type Outcome =
  /** Every request of the scheme ends here: a `return`, or a catch-all `rewrite` that redirects. */
  | { kind: 'return'; directive: NginxDirective; code?: number; target?: string; redirect: boolean }
  /** Rewrite processing stops (break, rewrite … last|break) for some or all requests: what follows may not run. */
  | { kind: 'stop' }
  /** A `return` under a condition nothing here can evaluate (a variable of unknown origin): it may end every request. */
  | { kind: 'unknown'; directive: NginxDirective }
  /** No terminal directive for every request: processing goes on (to location matching or to content). */
  | { kind: 'through' };

/**
 * Runs the ngx_http_rewrite_module directives of a level in order, as nginx does for a request of `scheme`,
 * following `set` and the variables conditions read. A `return` under a condition that holds for some requests and
 * not others does not end the level; one under a condition that cannot be evaluated makes the outcome unknown.
 */
export function rewriteOutcome(block: NginxDirective, scheme: Scheme, server: NginxServer): Outcome {
  // Every rule asks about the same levels: run each once per scheme.
  let cached = outcomes.get(block);
  if (!cached) outcomes.set(block, (cached = {}));
  return (cached[scheme] ??= runLevel(block, scheme, server, startEnv(block, scheme, server)).outcome);
}

const outcomes = new WeakMap<NginxDirective, Partial<Record<Scheme, Outcome>>>();

function runLevel(block: NginxDirective, scheme: Scheme, server: NginxServer, start: Env): { outcome: Outcome; env: Env } {
  let env = start;
  const ev = evaluator(server, scheme);
  let undecided: NginxDirective | undefined;
  const done = (outcome: Outcome) => {
    if (block === server.block) remember(levelEnd, block, scheme, env);
    return { outcome, env };
  };
  for (const d of block.block ?? []) {
    // `env` belongs to this run (callers pass a copy): `set` writes in place, an `if` copies it.
    if (d.name === 'set' && d.args.length >= 2) {
      env.set(varName(d.args[0].value), ev.value(d.args[1].value, env));
      continue;
    }
    if (d.name === 'return') return done({ kind: 'return', directive: d, ...returnInfo(d) });
    if (d.name === 'break') return done({ kind: 'stop' });
    if (d.name === 'rewrite') {
      const r = rewriteInfo(d);
      if (r.redirect) {
        if (r.catchAll) return done({ kind: 'return', directive: d, code: r.code, target: r.replacement, redirect: true });
        continue;
      }
      if (r.flag === 'last' || r.flag === 'break') return done({ kind: 'stop' });
      continue;
    }
    if (d.name === 'if' && d.block) {
      // Once the budget is spent every condition is unknown, so the snapshot no longer matters.
      const snapshot = ev.charge(env.size) ? new Map(env) : new Map<string, Val>();
      remember(envBefore, d, scheme, snapshot);
      const truth = ev.charge(0) ? ev.condition(d, snapshot) : 'unknown';
      if (truth === 'false') continue;
      const inner = runLevel(d, scheme, server, new Map(snapshot));
      if (truth === 'true') {
        env = inner.env;
        if (inner.outcome.kind !== 'through') return done(inner.outcome);
        continue;
      }
      // Once the budget is spent conditions are unknown whatever the variables hold: skip the merge.
      if (ev.charge(env.size + inner.env.size)) env = mergeEnv(env, inner.env);
      if (inner.outcome.kind === 'stop') return done({ kind: 'stop' });
      // An error under a condition it cannot evaluate (`if ($bot) { return 429; }`) answers some requests and no
      // redirect anyone; the rest go on as if it were not there.
      const refusal = inner.outcome.kind === 'return' && !inner.outcome.redirect && inner.outcome.code !== undefined && inner.outcome.code >= 400;
      if (truth === 'unknown' && refusal) continue;
      if (truth === 'unknown' && (inner.outcome.kind === 'return' || inner.outcome.kind === 'unknown')) undecided ??= inner.outcome.directive;
      if (inner.outcome.kind === 'unknown') undecided ??= inner.outcome.directive;
    }
  }
  return done(undecided ? { kind: 'unknown', directive: undecided } : { kind: 'through' });
}

/**
 * Whether plain-HTTP requests that nginx hands to `block` (a location, or an `if` inside one) are all redirected to
 * https by that location's own rewrite phase (`if ($scheme = http) { return 301 https://…; }` inside it) before
 * its pass directive runs. A nested location does not run its parent's rewrite directives.
 */
export function plainRedirectedInLocation(block: NginxDirective, server: NginxServer): boolean {
  let loc: NginxDirective | undefined = block;
  while (loc && loc.name === 'if') loc = loc.parent;
  if (!loc || loc.name !== 'location') return false;
  return redirectsToHttps(rewriteOutcome(loc, 'http', server), 'http');
}

/** The outcome is a redirect that takes a request of `scheme` to https. */
export function redirectsToHttps(o: Outcome, scheme: Scheme): boolean {
  return o.kind === 'return' && o.redirect && o.target !== undefined && targetScheme(targetKind(o.target), scheme) === 'https';
}

/**
 * Every `return` and redirecting `rewrite` that a request of `scheme` can reach in the server: server level first,
 * then (unless the server level always ends in a return) each location. `if` blocks that cannot hold are skipped,
 * and so is whatever follows an unconditional return in a level.
 */
export function reachableRedirects(server: NginxServer, scheme: Scheme): NginxDirective[] {
  const out: NginxDirective[] = [];
  const visit = (block: NginxDirective): boolean => {
    for (const d of block.block ?? []) {
      if (d.name === 'return') {
        out.push(d);
        return true;
      }
      if (d.name === 'rewrite') {
        const r = rewriteInfo(d);
        if (r.redirect) {
          out.push(d);
          if (r.catchAll) return true;
        }
        continue;
      }
      if (d.name === 'if' && d.block) {
        const holds = conditionFor(d, scheme, server);
        if (holds === false) continue;
        if (visit(d) && holds === true) return true;
      }
    }
    return false;
  };
  if (visit(server.block)) return out;
  for (const loc of server.locations) if (loc.name === 'location') visit(loc);
  return out;
}

export interface ErrorPageRedirect {
  directive: NginxDirective;
  target: string;
  code: number;
}

/**
 * `error_page … [=code] URL` with a URL (http://, https://, $scheme…) answers those errors with a redirect, 302
 * unless `=code` says otherwise. error_page is inherited only by levels without their own. Not counted when the
 * server level answers every request of `scheme` with a redirect (no error reaches a location).
 */
export function errorPageRedirects(server: NginxServer, scheme: Scheme): ErrorPageRedirect[] {
  const top = rewriteOutcome(server.block, scheme, server);
  if (top.kind === 'return' && top.redirect) return [];
  const out: ErrorPageRedirect[] = [];
  const seen = new Set<NginxDirective>();
  for (const b of [server.block, ...server.locations.filter((l) => l.name === 'location')]) {
    for (const d of effectiveList(b, 'error_page', '0').directives) {
      if (seen.has(d)) continue;
      seen.add(d);
      const target = d.args[d.args.length - 1]?.value ?? '';
      if (!/^(https?:\/\/|\$scheme)/.test(target)) continue;
      const eq = d.args.find((a) => /^=\d{3}$/.test(a.value));
      out.push({ directive: d, target, code: eq ? Number(eq.value.slice(1)) : 302 });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Endpoints: what a server does with a request of a scheme
// ---------------------------------------------------------------------------------------------------------

/** The path a location matches and its modifier. */
export function locationMatch(d: NginxDirective): { modifier: string; path: string } {
  const a = d.args.map((x) => x.value);
  return a.length >= 2 ? { modifier: a[0], path: a[1] } : { modifier: '', path: a[0] ?? '' };
}

/** Let's Encrypt's HTTP-01 challenge path, which must stay reachable over plain HTTP. */
export function isAcmeLocation(d: NginxDirective): boolean {
  if (d.name !== 'location') return false;
  const { modifier, path } = locationMatch(d);
  if (modifier.startsWith('~')) return path.includes('acme-challenge');
  return path.startsWith('/.well-known/acme-challenge');
}

/** The whole `/.well-known` folder as a location, a common webroot for the ACME challenge (`location /.well-known { alias …; }`). */
function isWellKnownLocation(d: NginxDirective): boolean {
  if (d.name !== 'location') return false;
  const { modifier, path } = locationMatch(d);
  if (modifier === '' || modifier === '^~') return path === '/.well-known' || path === '/.well-known/';
  // `location ~ ^/\.well-known/`: the same folder as a regex, anchored with the dot escaped (`~ /.well-known` also
  // takes `/awell-known` and `/x/.well-known`, which a live nginx serves from the same root).
  if (modifier !== '~' && modifier !== '~*') return false;
  const head = '^/\\.well-known';
  return path.startsWith(head) && ['', '/', '/?'].includes(path.slice(head.length));
}

/** A location that takes every request URI (so the server level itself is no end point). */
function catchesAll(d: NginxDirective): boolean {
  const { modifier, path } = locationMatch(d);
  if (modifier === '' || modifier === '^~') return path === '/';
  if (modifier === '~' || modifier === '~*') return matchesEveryUri(path, modifier === '~*');
  return false;
}

function isNamed(d: NginxDirective): boolean {
  return d.name === 'location' && (d.args[0]?.value.startsWith('@') ?? false);
}

export type Served =
  | { how: 'app'; via: NginxDirective }
  | { how: 'files'; via?: NginxDirective }
  | { how: 'response'; via: NginxDirective; code: number }
  | { how: 'redirect'; via: NginxDirective; target: string; code?: number }
  /** A `return` whose condition cannot be evaluated: whether the request gets it or the content is unknown. */
  | { how: 'unknown'; via: NginxDirective }
  | { how: 'other'; via?: NginxDirective };

export interface Endpoint {
  /** The server block (requests that match no location) or a location. */
  block: NginxDirective;
  served: Served;
}

/** The app pass directive in force for a block: its own, or one in an `if` inside it that may hold. */
function appPass(block: NginxDirective, scheme: Scheme, server: NginxServer): NginxDirective | undefined {
  const own = passDirective(block);
  if (own) return own;
  for (const d of children(block, 'if')) {
    if (conditionFor(d, scheme, server) === false) continue;
    const p = passDirective(d);
    if (p) return p;
  }
  return undefined;
}

/** Files served from an explicit document root: own alias or try_files, or root set at this or an outer level. */
function fileSource(block: NginxDirective): NginxDirective | undefined {
  return children(block, 'alias')[0] ?? children(block, 'try_files')[0] ?? effectiveDirective(block, 'root');
}

/** `deny all;` without any `allow`: every request gets 403 in the access phase. */
function deniesAll(block: NginxDirective): boolean {
  return children(block, 'deny').some((d) => d.args[0]?.value === 'all') && children(block, 'allow').length === 0;
}

function classifyContent(block: NginxDirective, scheme: Scheme, server: NginxServer, outcome: Outcome): Served {
  if (outcome.kind === 'unknown') return { how: 'unknown', via: outcome.directive };
  if (outcome.kind === 'return') {
    if (outcome.redirect && outcome.target !== undefined) return { how: 'redirect', via: outcome.directive, target: outcome.target, code: outcome.code };
    if (outcome.code !== undefined && outcome.code >= 200 && outcome.code < 300) return { how: 'response', via: outcome.directive, code: outcome.code };
    return { how: 'other', via: outcome.directive };
  }
  if (deniesAll(block)) return { how: 'other' };
  const pass = appPass(block, scheme, server);
  if (pass) return { how: 'app', via: pass };
  const files = fileSource(block);
  if (files) return { how: 'files', via: files };
  return { how: 'other' };
}

export interface EndpointOptions {
  /** Named (`@…`) and `internal` locations are reached only through another location (try_files, X-Accel…). */
  internal: boolean;
}

/**
 * What the server does with requests of `scheme`: the server level's own return when it always ends there,
 * else every location (and the server level for URIs no location takes), each with what it serves.
 */
// By scheme and `internal`: a WeakMap each, not a Map per server.
const endpointCaches = {
  http: [new WeakMap<NginxServer, Endpoint[]>(), new WeakMap<NginxServer, Endpoint[]>()],
  https: [new WeakMap<NginxServer, Endpoint[]>(), new WeakMap<NginxServer, Endpoint[]>()],
};

export function endpoints(server: NginxServer, scheme: Scheme, opts: EndpointOptions): Endpoint[] {
  // Several rules ask the same server the same question; the model does not change once built, callers only read.
  const cache = endpointCaches[scheme][opts.internal ? 1 : 0];
  let hit = cache.get(server);
  if (!hit) cache.set(server, (hit = computeEndpoints(server, scheme, opts)));
  return hit;
}

function computeEndpoints(server: NginxServer, scheme: Scheme, opts: EndpointOptions): Endpoint[] {
  const top = rewriteOutcome(server.block, scheme, server);
  // A server-level return under a condition nothing evaluates may answer every request: over plain HTTP what follows
  // is unknown (the redirect rules stay silent). Over TLS the content behind it is served whenever the condition
  // does not hold (`if ($host != canonical) { return 301 …; }`), and what it sends is judged.
  if (top.kind === 'return' || (top.kind === 'unknown' && scheme === 'http')) return [{ block: server.block, served: classifyContent(server.block, scheme, server, top) }];
  const out: Endpoint[] = [];
  if (top.kind === 'unknown') out.push({ block: server.block, served: classifyContent(server.block, scheme, server, top) });
  const locations = server.locations.filter((l) => l.name === 'location');
  if (top.kind !== 'unknown' && !locations.some((l) => l.parent === server.block && catchesAll(l))) {
    out.push({ block: server.block, served: classifyContent(server.block, scheme, server, { kind: 'through' }) });
  }
  for (const loc of locations) {
    if (!opts.internal && (isNamed(loc) || children(loc, 'internal').length > 0)) continue;
    out.push({ block: loc, served: classifyContent(loc, scheme, server, rewriteOutcome(loc, scheme, server)) });
  }
  return out;
}

/** Content a plain-HTTP client gets without a redirect to https (the ACME challenge location, or files of /.well-known, excepted). */
export function servedOverPlainHttp(server: NginxServer): Endpoint[] {
  if (clientPlainListens(server).length === 0) return [];
  return endpoints(server, 'http', { internal: false }).filter(
    (e) => (e.served.how === 'app' || e.served.how === 'files') && !isAcmeLocation(e.block) && !(e.served.how === 'files' && isWellKnownLocation(e.block)),
  );
}

/** End points of a TLS server that produce content: pass to an app, serve files, or return 2xx. */
const contentCache = new WeakMap<NginxServer, Endpoint[]>();

export function tlsContentEndpoints(server: NginxServer): Endpoint[] {
  if (!servesTls(server)) return [];
  let hit = contentCache.get(server);
  if (!hit) {
    hit = endpoints(server, 'https', { internal: true }).filter((e) => e.served.how === 'app' || e.served.how === 'files' || e.served.how === 'response');
    contentCache.set(server, hit);
  }
  return hit;
}

// ---------------------------------------------------------------------------------------------------------
// Strict-Transport-Security
// ---------------------------------------------------------------------------------------------------------

/** `add_header Strict-Transport-Security …`, or headers-more's `more_set_headers 'Strict-Transport-Security: …'`. */
export function isHstsDirective(d: NginxDirective): boolean {
  if (d.name === 'more_set_headers') return moreHeaders(d).some((h) => h.name === HSTS);
  return d.name === 'add_header' && d.args[0]?.value.toLowerCase() === HSTS;
}

export function headerValue(d: NginxDirective): string {
  if (d.name === 'more_set_headers') {
    let value = '';
    for (const h of moreHeaders(d)) if (h.name === HSTS) value = h.value;
    return value;
  }
  return d.args[1]?.value ?? '';
}

/**
 * The headers of headers-more's `more_set_headers` / `more_clear_headers [-s codes] [-t types] header…`:
 * `Name: value`, or `Name` / `Name:` (which clear it); names lower-cased.
 */
function moreHeaders(d: NginxDirective): { name: string; value: string; filtered: boolean }[] {
  const out: { name: string; value: string; filtered: boolean }[] = [];
  let filtered = false;
  for (let i = 0; i < d.args.length; i++) {
    const a = d.args[i].value;
    if (a === '-s' || a === '-t') {
      filtered = true;
      i++;
      continue;
    }
    const colon = a.indexOf(':');
    out.push({ name: (colon < 0 ? a : a.slice(0, colon)).trim().toLowerCase(), value: colon < 0 ? '' : a.slice(colon + 1).trim(), filtered });
  }
  return out;
}

/**
 * The `more_set_headers` that leaves Strict-Transport-Security set at a block, if any. Unlike add_header, headers-more
 * keeps what enclosing levels set and runs them first, then this level's, in order; a later set or clear of the
 * header (`more_clear_headers`, an empty value, a `Strict-*` pattern) replaces it. A clear limited by `-s`/`-t`
 * still leaves the header on other responses.
 */
export function headersMoreHsts(block: NginxDirective): NginxDirective | undefined {
  let current: NginxDirective | undefined;
  const chain = levels(block);
  for (let i = chain.length - 1; i >= 0; i--) {
    const sets = children(chain[i], 'more_set_headers');
    const clears = children(chain[i], 'more_clear_headers');
    if (sets.length === 0 && clears.length === 0) continue;
    // Both kinds at one level: in the order written (the block as includes expanded it).
    const own = clears.length === 0 ? sets : sets.length === 0 ? clears : chain[i].block!.filter((d) => d.name === 'more_set_headers' || d.name === 'more_clear_headers');
    for (const d of own) {
      for (const h of moreHeaders(d)) {
        const clear = d.name === 'more_clear_headers' || h.value === '';
        const named = h.name === HSTS || (clear && h.name.endsWith('*') && HSTS.startsWith(h.name.slice(0, -1)));
        if (!named) continue;
        if (!clear) current = d;
        else if (!h.filtered) current = undefined;
      }
    }
  }
  return current;
}

/** An empty value adds no header (ngx_http_headers_filter_module), the documented way to cancel inheritance. */
export function sendsHeader(d: NginxDirective): boolean {
  return headerValue(d) !== '';
}

/** add_header's `always`; headers-more applies to every status unless limited with `-s`. */
export function hasAlways(d: NginxDirective): boolean {
  if (d.name === 'more_set_headers') return !d.args.some((a) => a.value === '-s');
  return d.args[2]?.value === 'always';
}

/** HSTS add_header directives (with a value) in force at a block, and a headers-more one that sets it there. */
export function effectiveHsts(block: NginxDirective, nginxVersion: string): NginxDirective[] {
  const added = effectiveList(block, 'add_header', nginxVersion).directives.filter((d) => isHstsDirective(d) && sendsHeader(d));
  const more = headersMoreHsts(block);
  return more ? [...added, more] : added;
}

/** An HSTS add_header with a value written at this block or an enclosing one (whether or not it is in force here). */
export function hstsInChain(block: NginxDirective): NginxDirective | undefined {
  for (const l of levels(block)) {
    const own = children(l, 'add_header').find((d) => isHstsDirective(d) && sendsHeader(d));
    if (own) return own;
  }
  return undefined;
}

export interface ParsedHsts {
  /** undefined when missing or invalid (see problem). */
  maxAge?: number;
  includeSubDomains: boolean;
  preload: boolean;
  /** Why browsers ignore the header (RFC 6797 §6.1, §8.1). */
  problem?: string;
}

/**
 * RFC 6797 §6.1: `directive *( ";" [ directive ] )`, names case-insensitive, values token or quoted-string;
 * max-age (delta-seconds) is required and every directive may appear once, else the header is ignored.
 */
export function parseHsts(value: string): ParsedHsts {
  const out: ParsedHsts = { includeSubDomains: false, preload: false };
  const seen = new Set<string>();
  let maxAgeText: string | undefined;
  for (const part of value.split(';')) {
    const m = hstsDirective(part);
    if (!m) {
      if (part.trim() !== '') out.problem ??= `\`${part.trim()}\` is not a valid directive`;
      continue;
    }
    const name = m[1].toLowerCase();
    if (seen.has(name)) out.problem ??= `the ${m[1]} directive appears twice`;
    seen.add(name);
    if (name === 'max-age') maxAgeText = m[2] ?? '';
    else if (name === 'includesubdomains') out.includeSubDomains = true;
    else if (name === 'preload') out.preload = true;
  }
  if (maxAgeText === undefined) {
    out.problem ??= 'it has no max-age directive';
    return out;
  }
  const unquoted = /^"(.*)"$/.exec(maxAgeText)?.[1] ?? maxAgeText;
  if (!/^\d+$/.test(unquoted)) out.problem ??= `max-age=${maxAgeText} is not a number of seconds`;
  else if (!out.problem) out.maxAge = Number(unquoted);
  return out;
}

/**
 * One `name[=value]` directive of an HSTS value, split without a regex (the one this replaced was cubic on a
 * long value with a newline). Whitespace as in `\s`; a line break inside the value makes it invalid.
 */
function hstsDirective(part: string): [string, string, string | undefined] | undefined {
  const t = part.trim();
  let i = 0;
  while (i < t.length && t[i] !== '=' && !/\s/.test(t[i])) i++;
  if (i === 0) return undefined;
  const name = t.slice(0, i);
  while (i < t.length && /\s/.test(t[i])) i++;
  if (i === t.length) return [t, name, undefined];
  if (t[i] !== '=') return undefined;
  const value = t.slice(i + 1).trim();
  if (/[\n\r\u2028\u2029]/.test(value)) return undefined;
  return [t, name, value];
}

/** The value has nginx variables: known only at run time. */
export function isDynamic(value: string): boolean {
  return /\$[A-Za-z_{]/.test(value);
}

/**
 * The configuration a request of `scheme` ends up with in a location: an `if` inside it whose condition holds for
 * every such request replaces it (the last one that holds wins), as nginx's rewrite phase does.
 */
export function requestConfig(block: NginxDirective, scheme: Scheme, server: NginxServer): NginxDirective {
  let cur = block;
  if (block.name !== 'location') return cur;
  for (const d of children(block, 'if')) if (d.block && conditionFor(d, scheme, server) === true) cur = d;
  return cur;
}

// ---------------------------------------------------------------------------------------------------------
// Header values held in a `map`
// ---------------------------------------------------------------------------------------------------------

/** The `map` blocks of every config, by the variable they set. */
function mapsByVariable(model: DeploymentModel): Map<string, NginxDirective[]> {
  const out = new Map<string, NginxDirective[]>();
  for (const c of model.nginx.configs) {
    forEachNginxDirective(c.directives, (d) => {
      if (d.name === 'map' && d.block) {
        const v = d.args[1]?.value;
        if (v) pushTo(out, v, d);
        return false;
      }
      return d.name !== 'server';
    });
  }
  return out;
}

/**
 * What an add_header value can be for a request of `scheme`: the literal text, or, for a value that is exactly one
 * variable set by a `map`, the map's values (only the entry that matches when the map reads $scheme or $https).
 * undefined when it cannot be known (other variables, text mixed with variables, a map with includes).
 */
export function headerValuesFor(model: DeploymentModel, d: NginxDirective, scheme: Scheme): string[] | undefined {
  const v = headerValue(d);
  if (!isDynamic(v)) return [v];
  const m = /^\$(?:\{(\w+)\}|(\w+))$/.exec(v);
  if (!m) return undefined;
  const maps = mapsByVariable(model).get(`$${m[1] ?? m[2]}`);
  return maps && maps.length === 1 ? mapValues(maps[0], scheme) : undefined;
}

function mapValues(map: NginxDirective, scheme: Scheme): string[] | undefined {
  const entries: { key: string; value: string }[] = [];
  let dflt = '';
  for (const e of map.block ?? []) {
    if (e.name === 'include') return undefined;
    if (e.name === 'hostnames' || e.name === 'volatile') continue;
    const value = e.args[0]?.value ?? '';
    if (e.name === 'default') dflt = value;
    else entries.push({ key: e.name, value });
  }
  const all = [...entries.map((e) => e.value), dflt];
  if (all.some(isDynamic)) return undefined;
  const source = map.args[0]?.value;
  const input = source === '$scheme' ? scheme : source === '$https' ? (scheme === 'https' ? 'on' : '') : undefined;
  if (input === undefined) return [...new Set(all)];
  // ngx_http_map: exact keys first, then regular expressions in order, then the default.
  const exact = entries.find((e) => !e.key.startsWith('~') && e.key === input);
  if (exact) return [exact.value];
  for (const e of entries) {
    if (!e.key.startsWith('~')) continue;
    const caseless = e.key.startsWith('~*');
    const t = nginxRegexTest(e.key.slice(caseless ? 2 : 1), caseless, input);
    if (t === undefined) return undefined;
    if (t) return [e.value];
  }
  return [dflt];
}

/** The server has a location (or server-level pass) that hands requests to an application. */
export function frontsApp(server: NginxServer): boolean {
  return [server.block, ...server.locations].some((b) => passDirective(b) !== undefined);
}

/** The header name a pass directive's module hides with `*_hide_header`. */
function hideDirectiveFor(pass: NginxDirective): string | undefined {
  const prefix = pass.name.replace(/_pass$/, '');
  return PASS_DIRECTIVES.includes(pass.name) ? `${prefix}_hide_header` : undefined;
}

/** `proxy_hide_header Strict-Transport-Security` (or the uwsgi/fastcgi/… one) in force: the app's header is dropped. */
export function hidesUpstreamHsts(block: NginxDirective, pass: NginxDirective): boolean {
  const name = hideDirectiveFor(pass);
  if (!name) return false;
  return effectiveList(block, name, '0').directives.some((d) => d.args[0]?.value.toLowerCase() === HSTS);
}

export interface PlainAppExposure {
  /** Some nginx server passes requests to an application (assumed to be this workspace's Django app). */
  fronting: boolean;
  /** Locations that pass plain-HTTP requests to the app without redirecting them to https first. */
  exposed: { server: NginxServer; endpoint: Endpoint }[];
  /** Such locations in an nginx that sits behind a TLS terminator: whether plain HTTP gets that far is not shown. */
  behind: { server: NginxServer; endpoint: Endpoint; edge: TlsEdge }[];
}

export function plainAppExposure(model: DeploymentModel): PlainAppExposure {
  const servers = model.nginx.servers;
  const exposed: PlainAppExposure['exposed'] = [];
  const behind: PlainAppExposure['behind'] = [];
  for (const server of servers) {
    for (const e of servedOverPlainHttp(server)) {
      // `try_files $uri @app;` hands what is not a file to a named location that passes to the app.
      if (!(e.served.how === 'app' || (e.served.via?.name === 'try_files' && namedFallbackPass(server, e.served.via)))) continue;
      const edge = tlsEdge(model, server);
      if (edge.where === 'front') behind.push({ server, endpoint: e, edge });
      else exposed.push({ server, endpoint: e });
    }
  }
  return { fronting: servers.some(frontsApp), exposed, behind };
}

export function namedFallbackPass(server: NginxServer, tryFiles: NginxDirective | undefined): NginxDirective | undefined {
  if (tryFiles?.name !== 'try_files') return undefined;
  const last = tryFiles.args[tryFiles.args.length - 1]?.value;
  if (!last?.startsWith('@')) return undefined;
  const named = server.locations.find((l) => l.name === 'location' && l.args[0]?.value === last);
  return named ? passDirective(named) : undefined;
}

export interface TlsAppHsts {
  /** TLS end points that pass requests to the app. */
  appEndpoints: { server: NginxServer; endpoint: Endpoint }[];
  /** Those among them without an nginx HSTS header whose max-age is > 0. */
  uncovered: { server: NginxServer; endpoint: Endpoint }[];
}

export function tlsAppHsts(model: DeploymentModel, nginxVersion: string): TlsAppHsts {
  const appEndpoints: TlsAppHsts['appEndpoints'] = [];
  const uncovered: TlsAppHsts['uncovered'] = [];
  const judge = (server: NginxServer, e: Endpoint, scheme: Scheme) => {
    appEndpoints.push({ server, endpoint: e });
    const cfg = requestConfig(e.block, scheme, server);
    const ok = effectiveHsts(cfg, nginxVersion).some((d) =>
      (headerValuesFor(model, d, scheme) ?? []).some((v) => (parseHsts(v).maxAge ?? 0) > 0),
    );
    if (!ok) uncovered.push({ server, endpoint: e });
  };
  for (const server of model.nginx.servers) {
    for (const e of tlsContentEndpoints(server)) if (e.served.how === 'app') judge(server, e, 'https');
    // Behind a TLS terminator, a plain-HTTP nginx's headers reach browsers over HTTPS (nginx itself sees http).
    if (server.tls || clientPlainListens(server).length === 0 || tlsEdge(model, server).where !== 'front') continue;
    for (const e of endpoints(server, 'http', { internal: true })) if (e.served.how === 'app') judge(server, e, 'http');
  }
  return { appEndpoints, uncovered };
}

// ---------------------------------------------------------------------------------------------------------
// Which pass directive takes the request, and the params and headers it carries after inheritance
// ---------------------------------------------------------------------------------------------------------

/** One block that hands requests to an application with `pass` (location, if in location, limit_except). */
export interface PassSite {
  server: NginxServer;
  block: NginxDirective;
  pass: NginxDirective;
}

const passSiteCache = new WeakMap<object, Map<string, PassSite[]>>();

export function passSites(model: DeploymentModel, kind: 'proxy_pass' | 'uwsgi_pass' | 'fastcgi_pass'): PassSite[] {
  // Several rules ask for the same list: build it once per scan.
  let byKind = passSiteCache.get(model);
  if (!byKind) passSiteCache.set(model, (byKind = new Map()));
  const hit = byKind.get(kind);
  if (hit) return hit;
  const sites = findPassSites(model, kind);
  byKind.set(kind, sites);
  return sites;
}

function findPassSites(model: DeploymentModel, kind: 'proxy_pass' | 'uwsgi_pass' | 'fastcgi_pass'): PassSite[] {
  const out: PassSite[] = [];
  for (const server of model.nginx.servers) {
    forEachNginxDirective(server.block.block ?? [], (d) => {
      if (!d.block) return false;
      const pass = children(d, kind)[0];
      if (pass) out.push({ server, block: d, pass });
      return d.name === 'location' || d.name === 'if' || d.name === 'limit_except';
    });
  }
  return out;
}

/** Levels from the top (http) down to `block` that have directives `name` of their own, with those directives. */
export function ownSets(block: NginxDirective, name: string): { level: NginxDirective; directives: NginxDirective[] }[] {
  return levels(block)
    .map((level) => ({ level, directives: children(level, name) }))
    .filter((s) => s.directives.length > 0)
    .reverse();
}

/**
 * The server-level redirect of plain-HTTP requests to https, if any: nginx runs the server's rewrite directives
 * (return, catch-all rewrite, `if ($scheme = http)` guards) before it picks a location. One definition, shared with
 * the redirect rules.
 */
export function plainRedirectedAtServer(server: NginxServer): NginxDirective | undefined {
  const o = rewriteOutcome(server.block, 'http', server);
  return o.kind === 'return' && redirectsToHttps(o, 'http') ? o.directive : undefined;
}

/** `proxy_pass_request_headers off` / `uwsgi_pass_request_headers off` in force: client headers are not passed. */
export function clientHeadersPassed(block: NginxDirective, kind: 'proxy' | 'uwsgi'): boolean {
  return effectiveDirective(block, `${kind}_pass_request_headers`)?.args[0]?.value !== 'off';
}

/**
 * What an argument (e.g. a `proxy_pass $upstream` target) can hold when a request of `scheme` reaches the content
 * phase of `block`: the variables `set` and `map`ped at server and location level evaluated. undefined when a
 * value cannot be known.
 */
export function valuesAt(block: NginxDirective, scheme: Scheme, server: NginxServer, text: string): string[] | undefined {
  let loc: NginxDirective | undefined = block;
  while (loc && loc.name === 'if') loc = loc.parent;
  if (!loc) return undefined;
  const env = runLevel(loc, scheme, server, startEnv(loc, scheme, server)).env;
  const v = evaluator(server, scheme).value(text, env);
  return v.kind === 'set' ? v.values : undefined;
}
