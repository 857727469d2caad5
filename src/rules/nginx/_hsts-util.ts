// Shared logic of the redirect and HSTS rules (and the nginx side of django/ssl-redirect-off and django/hsts-off):
// labels and fixes for messages, and what a finding is a face of. What nginx does with a request lives in the model
// (src/model/request.ts) and is re-exported here for the rules.
import { compareVersions } from '../../config';
import { appsBehind, fallbackNote, runs } from '../../model/links';
import { children, effectiveList, passDirective, type NginxListen, type NginxServer } from '../../model/nginx';
import * as request from '../../model/request';
import { describe, SECURITY_MIDDLEWARE, type SettingsModule } from '../../model/settings';
import { djangoScheme, proxySslHeader } from '../../model/scheme';
import type { NginxIncludeProblem } from '../../parsers/nginx';
import type { NginxDirective } from '../../parsers/nginx/types';
import { forEachNginxDirective } from '../../parsers/nginx/walk';
import type { Loc } from '../../types';
import { asNumber, hstsSeconds } from '../helpers';
import type { RuleContext } from '../types';

export {
  clientPlainListens, conditionFor, conditionTruth, effectiveHsts, endpoints, errorPageRedirects, everyUri, frontsApp, hasAlways,
  headerValue, hidesUpstreamHsts, HSTS, hstsInChain, isAcmeLocation, isDynamic, isHstsDirective, locationMatch, matchesEveryUri,
  parseHsts, plainRedirectedInLocation, reachableRedirects, redirectTarget, redirectsToHttps, rejectsHandshake, requestConfig, returnInfo,
  rewriteInfo, rewriteOutcome, sendsHeader, servedOverPlainHttp, servesTls, targetKind, targetScheme, tlsContentEndpoints,
} from '../../model/request';
export type {
  Endpoint, EndpointOptions, ErrorPageRedirect, Outcome, ParsedHsts, PlainAppExposure, ReturnInfo, RewriteInfo, Scheme, Served,
  TargetKind, TlsAppHsts,
} from '../../model/request';
export { conditionWords } from '../../model/nginx-vars';

export const HSTS_FIX = 'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;';
export const REDIRECT_FIX = 'return 308 https://$host$request_uri;';

/** "`listen 80` at file:line", or the implicit *:80 of a server without listen. */
export function describeListen(l: NginxListen | undefined): string {
  if (!l) return 'a plain-HTTP listener';
  if (!l.directive) return 'no `listen` directive, so nginx listens on *:80';
  return `\`listen ${l.directive.args.map((a) => a.raw).join(' ')}\` at ${l.directive.file}:${l.directive.loc.line}`;
}

export function serverName(server: NginxServer): string {
  const names = server.names.filter((n) => n !== '');
  return names.length > 0 ? `\`${names.join(' ')}\`` : '(no server_name)';
}

export function blockLabel(d: NginxDirective): string {
  if (d.name === 'server') return 'the server level (requests that match no location)';
  return `\`${d.name} ${d.args.map((a) => a.raw).join(' ')}\``;
}

export { anchorLoc, serverLoc, versionNote } from './_common';
import { problemDirectlyAt, problemsOnTheWay } from './_common';

export function locKey(loc: Loc): string {
  return `${loc.path}:${loc.line}:${loc.column}`;
}

/**
 * The cause a finding about one end point is a face of (see engine/run.ts): no HSTS on the HTTPS responses of that
 * location, or plain-HTTP requests reaching it without a redirect. nginx rules that report where the fix belongs
 * are primary; the Django rules that see the same end point from the settings side are absorbed into them.
 */
export function endpointCause(kind: 'no-hsts' | 'no-redirect', block: NginxDirective): string {
  return `${kind}:${block.file}:${block.loc.line}:${block.loc.column}`;
}

/** Rejects a key seen before: findings about a directive shared by several servers are reported once. */
export function onceFilter(): (key: string) => boolean {
  const seen = new Set<string>();
  return (key) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

/**
 * What an add_header value can be for a request of `scheme` (see the model's headerValuesFor).
 */
export function headerValuesFor(ctx: RuleContext, d: NginxDirective, scheme: request.Scheme): string[] | undefined {
  return request.headerValuesFor(ctx.model, d, scheme);
}

/**
 * Which add_header directives some block of a TLS server has in force (its effective set): one written at http
 * level that every TLS server overrides only ever reaches plain-HTTP servers.
 */
export function usedByTls(ctx: RuleContext): (d: NginxDirective, server: NginxServer | undefined) => boolean {
  const inUse = new Map<NginxDirective, boolean>();
  for (const server of ctx.model.nginx.servers) {
    for (const b of [server.block, ...server.locations]) {
      for (const d of effectiveList(b, 'add_header', ctx.config.nginxVersion).directives) inUse.set(d, (inUse.get(d) ?? false) || server.tls);
    }
  }
  // Written in a server: that server decides. Elsewhere: in force in a TLS server, or in no server at all (a
  // snippet read on its own, an http level without servers).
  return (d, server) => (server ? server.tls : inUse.get(d) ?? true);
}

// ---------------------------------------------------------------------------------------------------------
// Servers and the app; Django's own HSTS
// ---------------------------------------------------------------------------------------------------------

/**
 * Every directive that sets Strict-Transport-Security (`add_header`, or headers-more's `more_set_headers`) in every
 * config, with the server it sits in (undefined at http level or in a snippet).
 */
const hstsHeaderCache = new WeakMap<object, { d: NginxDirective; server?: NginxServer }[]>();

export function allHstsHeaders(ctx: RuleContext): { d: NginxDirective; server?: NginxServer }[] {
  const hit = hstsHeaderCache.get(ctx.model);
  if (hit) return hit;
  const out: { d: NginxDirective; server?: NginxServer }[] = [];
  const byBlock = new Map(ctx.model.nginx.servers.map((s) => [s.block, s]));
  const stack: { list: NginxDirective[]; server?: NginxServer }[] = [];
  for (const c of ctx.model.nginx.configs) stack.push({ list: c.directives });
  while (stack.length > 0) {
    const { list, server } = stack.pop()!;
    for (const d of list) {
      if ((d.name === 'add_header' || d.name === 'more_set_headers') && request.isHstsDirective(d)) out.push({ d, server });
      if (d.block && d.name !== 'stream' && d.name !== 'mail') stack.push({ list: d.block, server: d.name === 'server' ? byBlock.get(d) : server });
    }
  }
  hstsHeaderCache.set(ctx.model, out);
  return out;
}

const CERTBOT_OPTIONS = '/etc/letsencrypt/options-ssl-nginx.conf';

/**
 * Includes written in a server (or in the levels above it, outside other blocks) that could not be followed (a
 * file missing from the workspace or outside it): what they hold is unknown. A glob matching nothing is not one.
 */
export function unresolvedIncludes(ctx: RuleContext, server: NginxServer): NginxIncludeProblem[] {
  // certbot writes its options file itself, and it holds only TLS settings (session cache and tickets,
  // protocols, ciphers): never a header.
  const problems = ctx.model.nginx.includeProblems.filter((p) => p.kind !== 'parse' && p.level !== 'info' && p.arg !== CERTBOT_OPTIONS);
  if (problems.length === 0) return [];
  const within = (p: NginxIncludeProblem, d: NginxDirective) =>
    p.loc.path === d.file && p.loc.line >= d.loc.line && p.loc.line <= (d.closeLoc?.line ?? Number.MAX_SAFE_INTEGER);
  const files = new Set<string>();
  forEachNginxDirective(server.block.block ?? [], (d) => {
    files.add(d.file);
  });
  return problems.filter((p) => {
    if (within(p, server.block) || (files.has(p.loc.path) && p.loc.path !== server.block.file)) return true;
    // At an enclosing level: directly there, not inside one of its other blocks.
    for (let l = server.block.parent; l; l = l.parent) if (problemDirectlyAt(p, l)) return true;
    return false;
  });
}

/**
 * Unresolved includes that could add a header to an end point: written directly in its block or in a level it
 * inherits add_header from (nginx drops the levels above once a level has add_header of its own, unless
 * `add_header_inherit merge`), or anywhere in an included file (where exactly is not known).
 */
export function includesOnTheWay(problems: NginxIncludeProblem[], block: NginxDirective): NginxIncludeProblem[] {
  const elsewhere = problems.filter((p) => p.loc.path !== block.file);
  const ownSet = (l: NginxDirective) => children(l, 'add_header').length > 0 && children(l, 'add_header_inherit').every((d) => d.args[0]?.value !== 'merge');
  return [...elsewhere, ...problemsOnTheWay(problems, block, ownSet)];
}

export interface DjangoHsts {
  module: SettingsModule;
  seconds: number;
  /** The header SecurityMiddleware sends (max-age=N[; includeSubDomains][; preload]). */
  value: string;
}

const sendersCache = new WeakMap<object, DjangoHsts[]>();

/** Judged settings modules whose SecurityMiddleware sends HSTS (on requests it sees as secure). */
export function djangoHstsSenders(ctx: RuleContext): DjangoHsts[] {
  const hit = sendersCache.get(ctx.model);
  if (hit) return hit;
  const out: DjangoHsts[] = [];
  sendersCache.set(ctx.model, out);
  for (const s of ctx.model.settings) {
    if (s.hasMiddleware(SECURITY_MIDDLEWARE).answer !== 'yes') continue;
    const { seconds } = hstsSeconds(s);
    if (seconds === undefined || seconds <= 0) continue;
    // The middleware tests these flags for truthiness.
    let value = `max-age=${seconds}`;
    if (s.isTrue('SECURE_HSTS_INCLUDE_SUBDOMAINS', false).answer === 'yes') value += '; includeSubDomains';
    if (s.isTrue('SECURE_HSTS_PRELOAD', false).answer === 'yes') value += '; preload';
    out.push({ module: s, seconds, value });
  }
  return out;
}

/** Those of djangoHstsSenders whose app an end point passes to (the model's links). */
export function djangoHstsSendersAt(ctx: RuleContext, server: NginxServer, e: request.Endpoint): DjangoHsts[] {
  if (e.served.how !== 'app') return [];
  const all = djangoHstsSenders(ctx);
  if (all.length === 0) return all;
  const behind = appsBehind(ctx.model, server, e.block, e.served.via);
  return all.filter((d) => runs(behind, d.module));
}

/** Judged settings modules that some nginx location passes requests to (all of them where a link is not known). */
const frontedCache = new WeakMap<object, Set<SettingsModule>>();

export function frontedModules(ctx: RuleContext): Set<SettingsModule> {
  const hit = frontedCache.get(ctx.model);
  if (hit) return hit;
  const out = new Set<SettingsModule>();
  for (const server of ctx.model.nginx.servers) {
    for (const b of [server.block, ...server.locations]) {
      const pass = passDirective(b);
      if (pass) for (const s of appsBehind(ctx.model, server, b, pass).settings) out.add(s);
    }
  }
  frontedCache.set(ctx.model, out);
  return out;
}

/** Whether the app an end point entry passes to runs with settings module `s` (the model's links). */
export function endpointServes(ctx: RuleContext, entry: { server: NginxServer; endpoint: request.Endpoint }, s: SettingsModule): boolean {
  const { server, endpoint } = entry;
  const pass = endpoint.served.how === 'app' ? endpoint.served.via : request.namedFallbackPass(server, endpoint.served.via);
  if (!pass) return true;
  return runs(appsBehind(ctx.model, server, endpoint.block, pass), s);
}

/** The links' fallback note for the first of these end points whose app is not known, for messages; "" if none. */
export function endpointsFallbackNote(ctx: RuleContext, entries: { server: NginxServer; endpoint: request.Endpoint }[]): string {
  for (const { server, endpoint } of entries) {
    const pass = endpoint.served.how === 'app' ? endpoint.served.via : request.namedFallbackPass(server, endpoint.served.via);
    const note = pass ? fallbackNote(ctx.model, appsBehind(ctx.model, server, endpoint.block, pass)) : '';
    if (note) return note;
  }
  return '';
}

/**
 * Whether Django's own HSTS reaches the HTTPS responses of an app end point: a settings module behind it (the
 * model's links) sends HSTS and sees those requests as HTTPS (SecurityMiddleware adds the header only when
 * request.is_secure()). `senders` are those that do; `blind` those configured but seeing plain HTTP there.
 */
export function djangoHstsAt(ctx: RuleContext, server: NginxServer, e: request.Endpoint): { sends: boolean; senders: DjangoHsts[]; blind: DjangoHsts[] } {
  if (e.served.how !== 'app') return { sends: false, senders: [], blind: [] };
  const pass = e.served.via;
  const mine = djangoHstsSendersAt(ctx, server, e);
  const blind = mine.filter((x) => seesOverHttps(ctx, pass, x.module) === 'http');
  const senders = mine.filter((x) => !blind.includes(x));
  return { sends: senders.length > 0, senders, blind };
}

/**
 * Settings modules behind an app end point whose HSTS cannot be known statically (SECURE_HSTS_SECONDS or the
 * middleware set under a condition or from the environment) while one of the possibilities sends it, and that do not
 * see these requests as plain HTTP: Django may send the header there.
 */
export function djangoHstsUndecidedAt(ctx: RuleContext, server: NginxServer, e: request.Endpoint): { module: SettingsModule; why: string }[] {
  if (e.served.how !== 'app') return [];
  const pass = e.served.via;
  const out: { module: SettingsModule; why: string }[] = [];
  for (const s of appsBehind(ctx.model, server, e.block, pass).settings) {
    const mw = s.hasMiddleware(SECURITY_MIDDLEWARE).answer;
    if (mw === 'no') continue;
    const { seconds, value } = hstsSeconds(s);
    const mayBePositive =
      seconds === undefined
        ? value.state === 'unknown' && (!value.alternatives || value.alternatives.some((a) => a !== undefined && (asNumber(a) ?? 1) > 0))
        : seconds > 0 && mw !== 'yes';
    if (!mayBePositive || seesOverHttps(ctx, pass, s) === 'http') continue;
    out.push({ module: s, why: seconds === undefined ? describe('SECURE_HSTS_SECONDS', value, '0') : `whether SecurityMiddleware is in MIDDLEWARE cannot be determined statically` });
  }
  return out;
}

// What Django sees for HTTPS requests through a pass depends on the module only through its SECURE_PROXY_SSL_HEADER
// and whether it is Django 4.1+ (model/scheme.ts): modules alike share one answer per pass. Under the links'
// fallback every pass of a monorepo is paired with every module, which made this quadratic.
const moduleSignature = new WeakMap<SettingsModule, string>();
const seesByPass = new WeakMap<NginxDirective, Map<string, string>>();

function seesOverHttps(ctx: RuleContext, pass: NginxDirective, s: SettingsModule): string {
  let sig = moduleSignature.get(s);
  if (sig === undefined) {
    const h = proxySslHeader(s);
    sig = h.state === 'set' ? `set:${compareVersions(s.djangoVersion, '4.1') >= 0}:${h.meta}\0${h.value}` : h.state;
    moduleSignature.set(s, sig);
  }
  let bySig = seesByPass.get(pass);
  if (!bySig) seesByPass.set(pass, (bySig = new Map()));
  let sees = bySig.get(sig);
  if (sees === undefined) bySig.set(sig, (sees = djangoScheme(ctx, pass, s, 'https').sees));
  return sees;
}

/** Whether `add_header_inherit` exists in the assumed release (1.29.3). */
export function supportsInheritMerge(ctx: RuleContext): boolean {
  return compareVersions(ctx.config.nginxVersion, '1.29.3') >= 0;
}

export function plainAppExposure(ctx: RuleContext): request.PlainAppExposure {
  return request.plainAppExposure(ctx.model);
}

export function tlsAppHsts(ctx: RuleContext): request.TlsAppHsts {
  return request.tlsAppHsts(ctx.model, ctx.config.nginxVersion);
}

/** "`location /` (deploy/nginx.conf:14)", or "the server at deploy/nginx.conf:9" for its own level. */
export function whereLabel(b: NginxDirective): string {
  return b.name === 'server' ? `the server at ${b.file}:${b.loc.line}` : `${blockLabel(b)} (${b.file}:${b.loc.line})`;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Every server_name is an IP address: browsers ignore HSTS from such a host (RFC 6797 §8.1.1). */
export function namedByIpOnly(server: NginxServer): boolean {
  return server.names.length > 0 && server.names.every((n) => IPV4.test(n) || (n.startsWith('[') && n.endsWith(']')));
}
