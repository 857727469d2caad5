// What scheme Django sees behind one nginx pass directive, for requests that reach nginx over http or https.
//
// Django (django/http/request.py, HttpRequest.scheme): when SECURE_PROXY_SSL_HEADER is set and that META key is
// present, the request is https only if the value equals the configured one (Django 4.1+ compares the leftmost
// comma-separated part; 3.2 the whole value), http otherwise; when the key is absent, it takes
// environ['wsgi.url_scheme'] (WSGIRequest._get_scheme). The app server sets wsgi.url_scheme:
// - uWSGI (plugins/python/wsgi_subhandler.c, core/protocol.c): UWSGI_SCHEME, or HTTP_X_FORWARDED_PROTO (2.0.8+),
//   used verbatim; else HTTPS / HTTP_X_FORWARDED_SSL starting with "on" (any case) or "1"; else http. nginx sends
//   its params first and the client's headers after them, as HTTP_* vars, unless a uwsgi_param of that name hides
//   them.
// - gunicorn, uvicorn, daphne behind proxy_pass: what each believes of forwarded headers is in app-trust.ts.
// nginx's proxy_set_header / uwsgi_param sets are inherited only by a level without its own (effectiveParams);
// proxy_set_header with an empty value removes the header, and a header nginx does not set passes through from the
// client unless `*_pass_request_headers off`.
import { compareVersions } from '../config';
import type { NginxDirective } from '../parsers/nginx';
import { forEachNginxDirective } from '../parsers/nginx/walk';
import type { Loc } from '../types';
import { memo } from '../util/multimap';
import type { RuleContext } from '../rules/types';
import { loopbackOnly, trustOf, trustsAny, type AppTrust } from './app-trust';
import type { AppServerRef } from './deploy';
import { appsBehind } from './links';
import { children, effectiveDirective, effectiveParams, passDirective, type NginxServer } from './nginx';
import { concrete, isSequence } from './python/values';
import type { SettingsModule } from './settings';
import type { FrontTerminator } from './app-edge';

export type RequestScheme = 'http' | 'https';

/** What Django's request.scheme is: https / http, `forgeable` (the client picks it), or `unknown`. */
export type Sees = 'https' | 'http' | 'forgeable' | 'unknown';

export interface SchemeAnswer {
  sees: Sees;
  /** What decides it: Django's trusted header, or the app server's wsgi.url_scheme. */
  by: 'proxy-ssl-header' | 'wsgi';
  /** Each fact the answer rests on, in words with file:line. */
  evidence: string[];
  /** For `forgeable`: the header and value a client sends to be seen as https. */
  forgedWith?: string;
  /** The nginx directive that decides the answer or lets the client decide it, when there is one. */
  directive?: NginxDirective;
}

/** What nginx hands the app under one name (a request header, or a uwsgi var). */
export type Sent =
  | { kind: 'absent'; by?: NginxDirective }
  | { kind: 'value'; value: string; by: NginxDirective }
  /** The client's own copy passes (not overwritten), or a value built from the client's headers. */
  | { kind: 'client'; by?: NginxDirective }
  | { kind: 'unknown'; by: NginxDirective };

/** Django's SECURE_PROXY_SSL_HEADER as it reads it. */
export type ProxySslHeader =
  | { state: 'unset' }
  | { state: 'set'; meta: string; value: string; loc: Loc }
  | { state: 'unknown'; loc?: Loc };

const proxySslHeaders = new WeakMap<SettingsModule, ProxySslHeader>();

/** Read once per module: rules ask it for every pass in front of the module. */
export function proxySslHeader(s: SettingsModule): ProxySslHeader {
  let hit = proxySslHeaders.get(s);
  if (!hit) proxySslHeaders.set(s, (hit = readProxySslHeader(s)));
  return hit;
}

function readProxySslHeader(s: SettingsModule): ProxySslHeader {
  const v = s.get('SECURE_PROXY_SSL_HEADER');
  if (v.state === 'unset') return { state: 'unset' };
  if (v.state === 'unknown') return { state: 'unknown', loc: v.binding.loc };
  const loc = v.binding.loc;
  const value = v.value;
  // Falsy (None, (), '') means unset for Django (`if settings.SECURE_PROXY_SSL_HEADER:`).
  if (value.t === 'none' || (value.t === 'bool' && !value.v) || (value.t === 'str' && value.v === '')) return { state: 'unset' };
  if (isSequence(value) && value.items.length === 0) return { state: 'unset' };
  if (!isSequence(value) || value.t === 'set' || value.items.length !== 2) return { state: 'unknown', loc };
  const key = concrete(value.items[0])?.value;
  const val = concrete(value.items[1])?.value;
  if (key?.t !== 'str' || val?.t !== 'str') return { state: 'unknown', loc };
  return { state: 'set', meta: key.v, value: val.v, loc };
}

// ---------------------------------------------------------------------------------------------------------
// Which settings module is behind a location
// ---------------------------------------------------------------------------------------------------------

/**
 * The settings modules of the Django app behind a block that passes requests on. Today's fallback: the judged
 * production modules of the project nearest the nginx file (most leading folders in common), and only for a pass
 * that goes where the server's catch-all location (or its only pass target) goes: a `location /grafana/` proxying
 * elsewhere is not taken for Django.
 */
/**
 * An `internal` location that proxies to a URL held in a variable: an X-Accel-Redirect to wherever the app pointed
 * it (object storage, a file server), not to Django; clients cannot request it directly.
 */
export function xAccelPass(pass: NginxDirective): boolean {
  return pass.name === 'proxy_pass' && (pass.args[0]?.raw ?? '').includes('$') && (pass.parent?.block?.some((d) => d.name === 'internal') ?? false);
}

export function settingsBehind(ctx: RuleContext, block: NginxDirective, server?: NginxServer): SettingsModule[] {
  const pass = passDirective(block);
  if (pass && xAccelPass(pass)) return [];
  // The model's links, where they reach an app server; otherwise the nearest production modules below.
  if (server && pass) {
    const behind = appsBehind(ctx.model, server, block, pass);
    if (!behind.fallback) return behind.settings;
  }
  if (server && pass && !isMainTarget(server, pass)) return [];
  return nearestProduction(ctx, block.file);
}

const nearestCache = new WeakMap<object, Map<string, SettingsModule[]>>();

/** The judged production modules sharing the most leading folders with an nginx file (asked per location). */
function nearestProduction(ctx: RuleContext, file: string): SettingsModule[] {
  return [...memo(nearestCache, ctx.model, file, () => computeNearestProduction(ctx, file))];
}

function computeNearestProduction(ctx: RuleContext, file: string): SettingsModule[] {
  const production = ctx.model.settings.filter((s) => (ctx.model.roleOf?.(s.path).role ?? 'production') === 'production');
  if (production.length <= 1) return production;
  const y = file.split('/');
  const common = (a: string) => {
    const x = a.split('/');
    let n = 0;
    while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
    return n;
  };
  const score = production.map((s) => common(s.path));
  const best = Math.max(...score);
  return production.filter((_s, i) => score[i] === best);
}

export function targetOf(pass: NginxDirective): string {
  // Trailing slashes dropped by a loop: `/\/+$/` is quadratic on a long run of slashes followed by another character.
  const t = `${pass.name} ${pass.args[0]?.value ?? ''}`;
  let end = t.length;
  while (end > 0 && t.charCodeAt(end - 1) === 47) end--;
  return t.slice(0, end);
}

/** The pass directives of a server's blocks (each location, its ifs, and the server itself). */
function serverPasses(server: NginxServer): NginxDirective[] {
  const out: NginxDirective[] = [];
  forEachNginxDirective([server.block], (d) => {
    if (d.name.endsWith('_pass') && d.parent && d.parent.block) out.push(d);
    return d.block !== undefined;
  });
  return out.filter((d) => passDirective(d.parent!) === d);
}

/** Per server, the target Django is taken to sit behind (undefined: none), or true when there is one target only. */
const mainTargets = new WeakMap<NginxServer, string | true | undefined>();

function isMainTarget(server: NginxServer, pass: NginxDirective): boolean {
  // Asked for every pass of a server by several rules: worked out once per server, linear in its size.
  if (!mainTargets.has(server)) {
    const targets = new Set(serverPasses(server).map(targetOf));
    let main: string | true | undefined = true;
    if (targets.size > 1) {
      const loc = server.locations.find((l) => l.name === 'location' && l.parent === server.block && ['/', '^~ /'].includes(l.args.map((a) => a.value).join(' ')));
      const mainPass = loc ? passDirective(loc) ?? children(loc, 'if').map(passDirective).find((p) => p) : passDirective(server.block);
      main = mainPass ? targetOf(mainPass) : undefined;
    }
    mainTargets.set(server, main);
  }
  const main = mainTargets.get(server);
  return main === true || (main !== undefined && main === targetOf(pass));
}

/** The location a block (an `if`, limit_except) belongs to: cause keys and messages name it. */
export function locationOf(block: NginxDirective): NginxDirective {
  let b = block;
  while ((b.name === 'if' || b.name === 'limit_except') && b.parent) b = b.parent;
  return b;
}

/**
 * Whether requests passed by `pass` get as far as Django's view code. uWSGI hands Django only the vars nginx sends:
 * without REQUEST_METHOD (no `include uwsgi_params;` in force, or a location's own uwsgi_param set that dropped it)
 * WSGIRequest fails on environ['REQUEST_METHOD'] and nginx answers 502 (seen on the real stack): the site is
 * broken, not looping.
 */
export function reachesDjango(pass: NginxDirective): boolean {
  if (pass.name !== 'uwsgi_pass') return true;
  const d = effectiveParams(pass.parent!, 'uwsgi_param').get('REQUEST_METHOD');
  return d !== undefined && (d.args[1]?.value ?? '') !== '';
}

/** A uWSGI config of the workspace that sets the scheme itself (`route-run = setscheme:…`), as file:line. */
export function uwsgiSetsScheme(ctx: RuleContext): string | undefined {
  return uwsgiRoutesScheme(ctx);
}

/** The key of "Django behind this location sees http for HTTPS requests": one cause, whichever rule sees it. */
export function seesHttpCause(block: NginxDirective): string {
  const b = locationOf(block);
  return `django-sees-http:${b.file}:${b.loc.line}:${b.loc.column}`;
}

/** The key of "a client can make Django behind this location believe plain HTTP is HTTPS". */
export function forgeableCause(block: NginxDirective): string {
  const b = locationOf(block);
  return `django-scheme-forgeable:${b.file}:${b.loc.line}:${b.loc.column}`;
}

// ---------------------------------------------------------------------------------------------------------
// What nginx sends
// ---------------------------------------------------------------------------------------------------------

/** An nginx value for one request scheme: $scheme and $https are known, $http_* is the client's, others unknown. */
export function valueFor(raw: string, scheme: RequestScheme): { kind: 'value'; value: string } | { kind: 'client' } | { kind: 'unknown' } {
  if (!raw.includes('$')) return { kind: 'value', value: raw };
  const lower = raw.toLowerCase();
  if (lower.includes('$http_') || lower.includes('${http_')) return { kind: 'client' };
  // Substitute the two variables whose value the request scheme decides; anything else is unknown.
  let out = '';
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== '$') {
      out += raw[i++];
      continue;
    }
    const braced = raw[i + 1] === '{';
    let j = i + (braced ? 2 : 1);
    const start = j;
    while (j < raw.length && /[A-Za-z0-9_]/.test(raw[j])) j++;
    const name = raw.slice(start, j);
    if (braced) {
      if (raw[j] !== '}') return { kind: 'unknown' };
      j++;
    }
    if (name === 'scheme') out += scheme;
    else if (name === 'https') out += scheme === 'https' ? 'on' : '';
    else return { kind: 'unknown' };
    i = j;
  }
  return { kind: 'value', value: out };
}

/** What a request header (lower case) is when the app behind `proxy_pass` gets it. */
export function proxyHeaderSent(block: NginxDirective, header: string, scheme: RequestScheme): Sent {
  const d = effectiveParams(block, 'proxy_set_header').get(header.toLowerCase());
  if (d) {
    const v = valueFor(d.args[1]?.value ?? '', scheme);
    if (v.kind === 'value') return v.value === '' ? { kind: 'absent', by: d } : { kind: 'value', value: v.value, by: d };
    return v.kind === 'client' ? { kind: 'client', by: d } : { kind: 'unknown', by: d };
  }
  return passesClientHeaders(block, 'proxy') ? { kind: 'client' } : { kind: 'absent' };
}

/** What a uwsgi var (HTTPS, UWSGI_SCHEME, HTTP_X_FORWARDED_PROTO…) is when uWSGI gets it. */
export function uwsgiVarSent(block: NginxDirective, key: string, scheme: RequestScheme): Sent {
  const d = effectiveParams(block, 'uwsgi_param').get(key.toUpperCase());
  if (d) {
    const v = valueFor(d.args[1]?.value ?? '', scheme);
    const ifNotEmpty = d.args[2]?.value === 'if_not_empty';
    if (v.kind === 'value') return v.value === '' && ifNotEmpty ? { kind: 'absent', by: d } : { kind: 'value', value: v.value, by: d };
    return v.kind === 'client' ? { kind: 'client', by: d } : { kind: 'unknown', by: d };
  }
  // A client header arrives as HTTP_<NAME> unless a uwsgi_param of that name hides it.
  if (/^HTTP_[A-Z0-9_]+$/.test(key.toUpperCase()) && passesClientHeaders(block, 'uwsgi')) return { kind: 'client' };
  return { kind: 'absent' };
}

function passesClientHeaders(block: NginxDirective, kind: 'proxy' | 'uwsgi'): boolean {
  return effectiveDirective(block, `${kind}_pass_request_headers`)?.args[0]?.value !== 'off';
}

const sentCache = new WeakMap<NginxDirective, Map<string, Sent | undefined>>();

/** What Django's request.META[meta] is behind this pass (uwsgi: the var itself; proxy: the header as HTTP_*). */
export function metaSent(pass: NginxDirective, meta: string, scheme: RequestScheme): Sent | undefined {
  return memo(sentCache, pass, `${meta}\0${scheme}`, () => computeMetaSent(pass, meta, scheme));
}

function computeMetaSent(pass: NginxDirective, meta: string, scheme: RequestScheme): Sent | undefined {
  const block = pass.parent!;
  if (pass.name === 'uwsgi_pass') return uwsgiVarSent(block, meta, scheme);
  if (pass.name === 'proxy_pass') {
    // A WSGI server makes HTTP_* keys from request headers only: another META key never comes from nginx.
    if (!/^HTTP_[A-Z0-9_]+$/.test(meta)) return { kind: 'absent' };
    return proxyHeaderSent(block, meta.slice(5).toLowerCase().replace(/_/g, '-'), scheme);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The answer
// ---------------------------------------------------------------------------------------------------------

const place = (d: NginxDirective) => `${d.file}:${d.loc.line}`;
const text = (d: NginxDirective) => [d.name, ...d.args.map((a) => a.raw)].join(' ');

/** "`uwsgi_param HTTPS $https if_not_empty` (deploy/nginx.conf:12)". */
export function cite(d: NginxDirective): string {
  return `\`${text(d)}\` (${place(d)})`;
}

const answers = new WeakMap<NginxDirective, Map<string, SchemeAnswer>>();

/** What request.scheme is in Django (settings `s`) for requests of `scheme` that nginx passes with `pass`. */
export function djangoScheme(ctx: RuleContext, pass: NginxDirective, s: SettingsModule, scheme: RequestScheme): SchemeAnswer {
  return memo(answers, pass, `${s.path}\0${scheme}`, () => computeScheme(ctx, pass, s, scheme));
}

function computeScheme(ctx: RuleContext, pass: NginxDirective, s: SettingsModule, scheme: RequestScheme): SchemeAnswer {
  const header = proxySslHeader(s);
  if (header.state === 'unknown') {
    return { sees: 'unknown', by: 'proxy-ssl-header', evidence: [`SECURE_PROXY_SSL_HEADER in ${s.path} cannot be read statically`] };
  }
  const fallback = () => wsgiScheme(ctx, pass, scheme);
  if (header.state === 'unset') return fallback();
  const where = `${header.loc.path}:${header.loc.line}`;
  const trusts = `Django trusts ${header.meta} = "${header.value}" (SECURE_PROXY_SSL_HEADER, ${where})`;
  const sent = metaSent(pass, header.meta, scheme);
  if (!sent || sent.kind === 'unknown') {
    return { sees: 'unknown', by: 'proxy-ssl-header', evidence: [trusts, sent?.by ? `${cite(sent.by)} is only known at run time` : `\`${pass.name}\` is not modelled`] };
  }
  if (sent.kind === 'value') {
    const leftmost = compareVersions(s.djangoVersion, '4.1') >= 0 ? sent.value.split(',')[0].trim() : sent.value;
    const sees = leftmost === header.value ? 'https' : 'http';
    return { sees, by: 'proxy-ssl-header', directive: sent.by, evidence: [trusts, `${cite(sent.by)} sends "${sent.value}" for ${scheme} requests`] };
  }
  const inner = fallback();
  if (sent.kind === 'client') {
    const how = sent.by ? `${cite(sent.by)} forwards the client's own value` : `nothing in nginx sets or clears it, so the client's own header passes through \`${text(pass)}\` (${place(pass)})`;
    // Over plain HTTP a client that sends the header is believed; over https an honest client sends none.
    if (scheme === 'http' && inner.sees !== 'https') {
      return { sees: 'forgeable', by: 'proxy-ssl-header', directive: sent.by ?? pass, forgedWith: `${headerName(header.meta)}: ${header.value}`, evidence: [trusts, how] };
    }
    return { ...inner, evidence: [trusts, `${how}; without it Django falls back to wsgi.url_scheme`, ...inner.evidence] };
  }
  const none = sent.by ? `${cite(sent.by)} clears it` : `nginx does not send it for \`${text(pass)}\` (${place(pass)})`;
  return { ...inner, evidence: [trusts, `${none}, so Django falls back to wsgi.url_scheme`, ...inner.evidence] };
}

/** 'HTTP_X_FORWARDED_PROTO' → 'X-Forwarded-Proto'; a key without HTTP_ stays as it is. */
export function headerName(meta: string): string {
  if (!/^HTTP_[A-Z0-9_]+$/.test(meta)) return meta;
  return meta
    .slice(5)
    .toLowerCase()
    .split('_')
    .map((w) => (w ? w[0].toUpperCase() + w.slice(1) : w))
    .join('-');
}

// The answers below depend only on the model (and the pass), and rules ask them for every pair of pass and
// settings module: worked out once, a monorepo does not pay passes x modules x files.
const forcedCache = new WeakMap<object, Map<string, { sees: Sees; evidence: string } | undefined>>();
const wsgiAnswers = new WeakMap<NginxDirective, Map<string, SchemeAnswer>>();

/** A wsgi.py that overwrites environ['wsgi.url_scheme'] decides it whatever the server says. */
function forcedByWsgiPy(ctx: RuleContext): { sees: Sees; evidence: string } | undefined {
  return memo(forcedCache, ctx.model, '', () => findForcedByWsgiPy(ctx));
}

function findForcedByWsgiPy(ctx: RuleContext): { sees: Sees; evidence: string } | undefined {
  for (const f of ctx.model.python) {
    if (f.kind !== 'wsgi') continue;
    for (const w of f.environWrites) {
      if (w.target !== 'request' || w.key !== 'wsgi.url_scheme' || w.method === 'setdefault') continue;
      const at = `\`${w.code}\` (${w.loc.path}:${w.loc.line})`;
      if (w.conditional || w.value === undefined) return { sees: 'unknown', evidence: `${at} sets wsgi.url_scheme on some requests` };
      return { sees: w.value.toLowerCase() === 'https' ? 'https' : 'http', evidence: `${at} sets wsgi.url_scheme on every request` };
    }
  }
  return undefined;
}

function wsgiScheme(ctx: RuleContext, pass: NginxDirective, scheme: RequestScheme): SchemeAnswer {
  return memo(wsgiAnswers, pass, scheme, () => computeWsgiScheme(ctx, pass, scheme));
}

function computeWsgiScheme(ctx: RuleContext, pass: NginxDirective, scheme: RequestScheme): SchemeAnswer {
  const forced = forcedByWsgiPy(ctx);
  if (forced) return { sees: forced.sees, by: 'wsgi', evidence: [forced.evidence] };
  if (pass.name === 'uwsgi_pass') return uwsgiScheme(ctx, pass, scheme);
  if (pass.name === 'proxy_pass') return proxiedScheme(ctx, pass, scheme);
  return { sees: 'unknown', by: 'wsgi', evidence: [`\`${pass.name}\` is not modelled`] };
}

const routedCache = new WeakMap<object, { at: string | undefined }>();

/** A uwsgi config that sets the scheme itself (routing `setscheme:`, `addvar:HTTPS`): not followed here. */
function uwsgiRoutesScheme(ctx: RuleContext): string | undefined {
  let hit = routedCache.get(ctx.model);
  if (!hit) routedCache.set(ctx.model, (hit = { at: findRoutedScheme(ctx) }));
  return hit.at;
}

function findRoutedScheme(ctx: RuleContext): string | undefined {
  for (const [path, src] of ctx.model.deploy?.sources ?? []) {
    if (!/uwsgi/i.test(path)) continue;
    const t = src.text;
    for (const needle of ['setscheme:', 'addvar:HTTPS', 'UWSGI_SCHEME']) {
      const at = t.indexOf(needle);
      if (at >= 0) return `${path}:${t.slice(0, at).split('\n').length}`;
    }
  }
  return undefined;
}

function uwsgiScheme(ctx: RuleContext, pass: NginxDirective, scheme: RequestScheme): SchemeAnswer {
  const block = pass.parent!;
  const routed = uwsgiRoutesScheme(ctx);
  if (routed) return { sees: 'unknown', by: 'wsgi', evidence: [`the uWSGI config sets the scheme itself (${routed})`] };
  const evidence: string[] = [];
  const xfp = uwsgiVarSent(block, 'HTTP_X_FORWARDED_PROTO', scheme);
  const uScheme = uwsgiVarSent(block, 'UWSGI_SCHEME', scheme);
  const https = uwsgiVarSent(block, 'HTTPS', scheme);
  const xssl = uwsgiVarSent(block, 'HTTP_X_FORWARDED_SSL', scheme);
  for (const v of [xfp, uScheme, https, xssl]) if (v.kind === 'unknown') return { sees: 'unknown', by: 'wsgi', directive: v.by, evidence: [`${cite(v.by)} is only known at run time`] };
  // A client's X-Forwarded-Proto / X-Forwarded-SSL reach uWSGI after nginx's params: over plain HTTP it is believed.
  if (scheme === 'http') {
    const forged = xfp.kind === 'client' ? { v: xfp, h: 'X-Forwarded-Proto: https' } : xssl.kind === 'client' && !(xfp.kind === 'value' && xfp.value !== '') ? { v: xssl, h: 'X-Forwarded-SSL: on' } : undefined;
    if (forged) {
      const how = forged.v.by ? `${cite(forged.v.by)} forwards the client's own value` : `no uwsgi_param ${forged.v === xfp ? 'HTTP_X_FORWARDED_PROTO' : 'HTTP_X_FORWARDED_SSL'} hides the client's header`;
      return { sees: 'forgeable', by: 'wsgi', directive: forged.v.by ?? pass, forgedWith: forged.h, evidence: [`${how}, and uWSGI sets wsgi.url_scheme from it`] };
    }
  }
  const schemeVar = xfp.kind === 'value' && xfp.value !== '' ? xfp : uScheme.kind === 'value' && uScheme.value !== '' ? uScheme : undefined;
  if (schemeVar && schemeVar.kind === 'value') {
    evidence.push(`${cite(schemeVar.by)} sends "${schemeVar.value}" as the scheme for ${scheme} requests`);
    return { sees: schemeVar.value === 'https' ? 'https' : 'http', by: 'wsgi', directive: schemeVar.by, evidence };
  }
  const flag = xssl.kind === 'value' && xssl.value !== '' ? xssl : https.kind === 'value' && https.value !== '' ? https : undefined;
  if (flag && flag.kind === 'value') {
    const on = /^on/i.test(flag.value) || flag.value.startsWith('1');
    evidence.push(`${cite(flag.by)} sends ${flag.by.args[0]?.value.toUpperCase()}="${flag.value}" for ${scheme} requests`);
    return { sees: on ? 'https' : 'http', by: 'wsgi', directive: flag.by, evidence };
  }
  const missing = https.by
    ? `${cite(https.by)} sends no HTTPS for ${scheme} requests`
    : `no HTTPS param is in force for \`${text(pass)}\` (${place(pass)}): no \`include uwsgi_params;\` or \`uwsgi_param HTTPS …\` reaches it`;
  evidence.push(`${missing}, and no UWSGI_SCHEME or X-Forwarded-Proto is sent, so uWSGI sets wsgi.url_scheme to http`);
  return { sees: 'http', by: 'wsgi', evidence };
}

/** Headers an app server behind proxy_pass may read the scheme from (gunicorn's defaults and common names). */
const SCHEME_HEADERS = ['x-forwarded-proto', 'x-forwarded-protocol', 'x-forwarded-ssl', 'x-forwarded-scheme', 'x-scheme', 'x-url-scheme', 'forwarded', 'front-end-https'];

const serverCache = new WeakMap<object, Map<NginxDirective, NginxServer>>();

/** The nginx server a pass belongs to. */
function serverOfPass(ctx: RuleContext, pass: NginxDirective): NginxServer | undefined {
  let map = serverCache.get(ctx.model);
  if (!map) serverCache.set(ctx.model, (map = new Map(ctx.model.nginx.servers.map((s) => [s.block, s]))));
  for (let b = pass.parent; b; b = b.parent) if (b.name === 'server') return map.get(b);
  return undefined;
}

const backendCache = new WeakMap<object, Map<string, AppServerRef[]>>();

/**
 * The app servers behind a pass: those the links reach, else the production ones of the deployment (a development
 * compose file's runserver beside them does not serve this nginx), else every one. Empty: none is shown.
 */
function backendsOf(ctx: RuleContext, pass: NginxDirective): AppServerRef[] {
  const server = serverOfPass(ctx, pass);
  const linked = server ? appsBehind(ctx.model, server, pass.parent!, pass).servers : undefined;
  if (linked && linked.length > 0) return linked;
  return memo(backendCache, ctx.model, '', () => {
    const apps = ctx.model.deploy?.apps ?? [];
    const prod = apps.filter((a) => a.unit.role.role === 'production');
    return prod.length > 0 ? prod : apps;
  });
}

const upstreamCache = new WeakMap<object, Map<string, NginxDirective>>();

/** The `upstream` blocks of every config by name, listed once per scan. */
function upstreams(ctx: RuleContext): Map<string, NginxDirective> {
  let map = upstreamCache.get(ctx.model);
  if (!map) {
    const found = new Map<string, NginxDirective>();
    for (const c of ctx.model.nginx.configs) {
      forEachNginxDirective(c.directives, (d) => {
        const name = d.name === 'upstream' ? d.args[0]?.value : undefined;
        if (name !== undefined && !found.has(name)) found.set(name, d);
        return d.name === 'http';
      });
    }
    upstreamCache.set(ctx.model, (map = found));
  }
  return map;
}

type Peer = 'unix' | 'ipv4-loopback' | 'localhost' | 'ipv6-loopback' | 'remote';

/** Where nginx connects from for a proxy_pass, per upstream member; undefined when the target is not known. */
function peersOf(ctx: RuleContext, pass: NginxDirective): Peer[] | undefined {
  const url = pass.args[0]?.value ?? '';
  const m = /^https?:\/\/([^/]*)/i.exec(url);
  if (!m || m[1].includes('$')) return undefined;
  const judge = (addr: string): Peer =>
    addr.startsWith('unix:') ? 'unix' : /^127\.\d+\.\d+\.\d+(:\d+)?$/.test(addr) ? 'ipv4-loopback' : /^localhost(:\d+)?$/i.test(addr) ? 'localhost' : /^\[::1\](:\d+)?$/.test(addr) ? 'ipv6-loopback' : 'remote';
  const host = m[1];
  if (host.startsWith('unix:') || /^[\d.]+(:\d+)?$/.test(host) || host.startsWith('[') || /^localhost(:\d+)?$/i.test(host)) return [judge(host)];
  const upstream = upstreams(ctx).get(host);
  if (!upstream) return ['remote'];
  const peers = children(upstream, 'server').map((d) => judge(d.args[0]?.value ?? ''));
  return peers.length > 0 ? peers : undefined;
}

/** Whether an app server believes a forwarded header from this peer. */
function believes(t: AppTrust, peer: Peer): 'yes' | 'no' | 'unknown' {
  if (trustsAny(t.allow)) return 'yes';
  const plain = t.allow.every((ip) => !ip.includes('/'));
  const v4 = t.allow.includes('127.0.0.1') || t.allow.includes('127.0.0.0/8');
  const v6 = t.allow.includes('::1');
  switch (peer) {
    case 'unix':
      return t.unix === undefined ? 'unknown' : t.unix ? 'yes' : 'no';
    case 'ipv4-loopback':
      return v4 ? 'yes' : plain ? 'no' : 'unknown';
    case 'ipv6-loopback':
      return v6 ? 'yes' : plain ? 'no' : 'unknown';
    case 'localhost':
      // nginx may connect over 127.0.0.1 or ::1.
      return v4 && v6 ? 'yes' : !v4 && !v6 && plain ? 'no' : 'unknown';
    default:
      // Another host's address is not known here: only a list of loopback addresses surely leaves it out.
      return loopbackOnly(t.allow) ? 'no' : 'unknown';
  }
}

/**
 * Whether a header reaches the app at all: nginx sets it (a literal, or a variable such as
 * `$proxy_add_x_forwarded_for`, taken as never empty), clears it, or passes a client's own header on.
 */
function presence(block: NginxDirective, header: string): { kind: 'present' | 'absent' | 'client'; by?: NginxDirective } {
  const d = effectiveParams(block, 'proxy_set_header').get(header);
  if (!d) return { kind: passesClientHeaders(block, 'proxy') ? 'client' : 'absent' };
  const raw = (d.args[1]?.value ?? '').toLowerCase();
  if (raw === '') return { kind: 'absent', by: d };
  return { kind: raw.includes('$http_') || raw.includes('${http_') ? 'client' : 'present', by: d };
}

/** The proxy_set_header in force that tells the app, under a common name, that HTTPS requests are HTTPS. */
export function schemeHeaderSent(block: NginxDirective): NginxDirective | undefined {
  for (const h of SCHEME_HEADERS) {
    const sent = proxyHeaderSent(block, h, 'https');
    if (sent.kind === 'value' && sent.by && /^(https|on|ssl)$/i.test(sent.value)) return sent.by;
  }
  return undefined;
}

function proxiedScheme(ctx: RuleContext, pass: NginxDirective, scheme: RequestScheme): SchemeAnswer {
  const block = pass.parent!;
  if (/^https:\/\//i.test(pass.args[0]?.value ?? '')) {
    return { sees: 'https', by: 'wsgi', evidence: [`${cite(pass)} connects to the app over TLS, so the app server sees https`] };
  }
  const apps = backendsOf(ctx, pass);
  const trusts = apps.map((a) => trustOf(a, ctx.model.deploy));
  if (apps.length === 0 || trusts.some((t) => !t)) {
    // An app server of unknown kind sees a plain connection: only a scheme header could change that.
    const set = SCHEME_HEADERS.map((h) => proxyHeaderSent(block, h, scheme)).find((v) => v.kind === 'value' || v.kind === 'unknown');
    if (set?.by) return { sees: 'unknown', by: 'wsgi', directive: set.by, evidence: [`${cite(set.by)} may set the scheme in an app server the workspace does not show`] };
    if (scheme === 'http') return { sees: 'unknown', by: 'wsgi', evidence: ['the app server behind proxy_pass is not shown, so whether it trusts a forwarded scheme header is unknown'] };
    return { sees: 'http', by: 'wsgi', evidence: [`${cite(pass)} connects over plain HTTP and nginx sends no scheme header (no X-Forwarded-Proto or similar), so the app server sets wsgi.url_scheme to http`] };
  }
  // One answer per kind of trust, not per app server (a monorepo's fallback puts every one behind a pass).
  const distinct = [...new Map(trusts.map((t) => [JSON.stringify([t!.server, t!.headers, t!.allow, t!.unix, t!.requires ?? '']), t!])).values()];
  const answers = distinct.map((t) => behindAppServer(ctx, pass, scheme, t));
  if (answers.every((a) => a.sees === answers[0].sees)) return answers[0];
  return { sees: 'unknown', by: 'wsgi', evidence: [`the app servers behind ${cite(pass)} disagree: ${answers.map((a) => `${a.sees} (${a.evidence[0]})`).join('; ')}`] };
}

/** What one app server of known trust makes of the requests `pass` hands it over plain HTTP. */
function behindAppServer(ctx: RuleContext, pass: NginxDirective, scheme: RequestScheme, t: AppTrust): SchemeAnswer {
  const block = pass.parent!;
  if (t.headers.length === 0) return { sees: 'http', by: 'wsgi', evidence: [t.evidence] };
  const peers = peersOf(ctx, pass);
  const verdicts = new Set((peers ?? []).map((p) => believes(t, p)));
  const trusted = trustsAny(t.allow) || (verdicts.size === 1 && verdicts.has('yes'));
  if (!trusted && !(verdicts.size === 1 && verdicts.has('no'))) return { sees: 'unknown', by: 'wsgi', evidence: [t.evidence, `whether nginx connects from a trusted address (${cite(pass)}) is unknown`] };
  if (!trusted) {
    return { sees: 'http', by: 'wsgi', evidence: [t.evidence, `nginx connects from another address (${cite(pass)}), so ${t.server} ignores those headers and sets ${t.sets} to http`] };
  }
  if (t.requires) {
    const need = presence(block, t.requires);
    // The client's own copy: an honest HTTPS client sends none; over plain HTTP a forger sends both.
    if (need.kind === 'absent' || (need.kind === 'client' && scheme === 'https')) {
      const none = need.by ? `${cite(need.by)} clears ${t.requires}` : `nginx sends no ${t.requires} for ${cite(pass)}`;
      return { sees: 'http', by: 'wsgi', directive: need.by, evidence: [t.evidence, `${none}, so ${t.server} ignores the scheme header and sets ${t.sets} to http`] };
    }
  }
  let result: Sees = 'http';
  let by: NginxDirective | undefined;
  let sentValue = '';
  for (const [h, v] of t.headers) {
    const sent = proxyHeaderSent(block, h, scheme);
    if (sent.kind === 'unknown') return { sees: 'unknown', by: 'wsgi', directive: sent.by, evidence: [t.evidence, `${cite(sent.by)} is only known at run time`] };
    if (sent.kind === 'client' && scheme === 'http') {
      return { sees: 'forgeable', by: 'wsgi', directive: sent.by ?? pass, forgedWith: `${h}: ${v}`, evidence: [t.evidence, sent.by ? `${cite(sent.by)} forwards the client's own value` : `nothing in nginx overwrites the client's ${h} for ${cite(pass)}`] };
    }
    if (sent.kind === 'value') {
      result = sent.value === v ? 'https' : 'http';
      by = sent.by;
      sentValue = sent.value;
    }
  }
  const ev = by ? `${cite(by)} sends "${sentValue}" for ${scheme} requests` : `nginx sends none of them for ${cite(pass)}, so ${t.server} sets ${t.sets} to http`;
  return { sees: result, by: 'wsgi', directive: by, evidence: [t.evidence, ev] };
}

/**
 * What scheme Django sees for HTTPS requests that a TLS terminator other than nginx (Caddy, Traefik, nginx-proxy)
 * proxies to its app server over plain HTTP. All send `X-Forwarded-Proto: https`; Django reads it through
 * SECURE_PROXY_SSL_HEADER, the app server as app-trust.ts says. Undefined wherever the repository cannot tell (another app server, a header or
 * an allow-list set at run time, a proxy whose address is not known).
 */
export function frontScheme(ctx: RuleContext, s: SettingsModule, front: FrontTerminator): (SchemeAnswer & { unsure?: string }) | undefined {
  if ((front.kind !== 'caddy' && front.kind !== 'traefik' && front.kind !== 'nginx-proxy' && !front.router) || !front.peer || front.peer === 'unknown') return undefined;
  // What the app server trusts may be set in the platform's environment, which its manifest does not pass to every run.
  const router = front.router;
  if (router && TRUST_VARIABLES.some((n) => router.env.has(n) || router.envOutside.has(n))) return undefined;
  const header = proxySslHeader(s);
  if (header.state === 'unknown') return undefined;
  const proxy = frontLabel(front);
  if (header.state === 'set') {
    if (header.meta !== 'HTTP_X_FORWARDED_PROTO') return undefined;
    const sees = header.value === 'https' ? 'https' : 'http';
    return { sees, by: 'proxy-ssl-header', evidence: [`Django trusts ${header.meta} = "${header.value}" (SECURE_PROXY_SSL_HEADER, ${header.loc.path}:${header.loc.line})`, `${proxy} sends X-Forwarded-Proto: https`] };
  }
  const apps = (ctx.model.deploy?.apps ?? []).filter((a) => a.unit.role.role === 'production');
  let runs = apps.filter((a) => a.settings === s.path);
  if (runs.length === 0) runs = apps.filter((a) => a.settings === undefined && a.settingsMissing === undefined && a.unit.file !== s.path && sameDeployment(s.path, a.unit.file));
  if (runs.length === 0) return undefined;
  // A router reaches only an app server listening on a network address; one on a socket or loopback has a proxy
  // of its own in front (an nginx buildpack), which the repository may not show.
  if (router && runs.some((a) => a.inv.binds.length > 0 && !a.inv.binds.some(networkBind))) return undefined;
  const trusts = runs.map((a) => trustOf(a, ctx.model.deploy));
  if (trusts.some((t) => !t)) return undefined;
  // On the same machine it may connect over 127.0.0.1 or ::1.
  const peer: Peer = front.peer === 'local' ? 'localhost' : 'remote';
  let seen: { t: AppTrust; server: string } | undefined;
  let unsure: string | undefined;
  for (const t of trusts as AppTrust[]) {
    // A buildpack may export FORWARDED_ALLOW_IPS (Heroku's Python buildpack sets '*').
    if (router?.buildpack && t.byDefault) return undefined;
    if (t.headers.length === 0) {
      seen ??= { t, server: t.server };
      continue;
    }
    // Caddy and Traefik send X-Forwarded-Proto; a server told to read other headers only is not modelled.
    if (!t.headers.some(([h, v]) => h === 'x-forwarded-proto' && v === 'https')) return undefined;
    const verdict = believes(t, peer);
    if (verdict === 'unknown') return undefined;
    if (verdict === 'yes') {
      return { sees: 'https', by: 'wsgi', evidence: [trustsAny(t.allow) ? `${t.evidence}, which covers any address` : `${proxy} connects from the same machine, which ${t.server} trusts`] };
    }
    unsure ??= t.unsure;
    seen ??= { t, server: t.server };
  }
  const { t } = seen!;
  return {
    sees: 'http',
    by: 'wsgi',
    evidence:
      t.headers.length === 0
        ? [`${proxy} connects to ${t.server} over plain HTTP`, t.evidence, `${s.path} sets no SECURE_PROXY_SSL_HEADER`]
        : [`${proxy} connects to ${t.server} from another container or machine, over plain HTTP`, `${t.evidence}, so it sets ${t.sets} to http`, `${s.path} sets no SECURE_PROXY_SSL_HEADER`],
    ...(unsure ? { unsure } : {}),
  };
}

/** A TCP address other hosts may reach (`0.0.0.0:8000`, `:$PORT`), not a socket, descriptor or loopback. */
function networkBind(bind: string): boolean {
  const b = bind.replace(/^(http|http-socket|http11-socket|socket)=/, '').trim();
  if (b.startsWith('unix:') || b.startsWith('fd://') || b.startsWith('/') || b.startsWith('@')) return false;
  return !/^(127\.|localhost(:|$)|\[::1\])/.test(b);
}

/** Environment variables app servers read their proxy trust from. */
const TRUST_VARIABLES = ['FORWARDED_ALLOW_IPS', 'GUNICORN_CMD_ARGS', 'UVICORN_FORWARDED_ALLOW_IPS', 'UVICORN_PROXY_HEADERS'];

/** Caddy, Traefik, nginx-proxy, a platform's router. */
export function frontName(front: FrontTerminator): string {
  if (front.router) return front.router.name;
  return front.kind === 'caddy' ? 'Caddy' : front.kind === 'traefik' ? 'Traefik' : front.kind === 'nginx-proxy' ? 'nginx-proxy' : 'the proxy in front';
}

/** `Caddy (caddy/Caddyfile:17)`, `Traefik (service \`traefik\` in docker-compose.yml)`. */
export function frontLabel(front: FrontTerminator): string {
  const name = frontName(front);
  return front.at ? `${name} (${front.at})` : name;
}

/** The app server's file and the settings module belong to one deployment: one's folder holds the other. */
function sameDeployment(module: string, file: string): boolean {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  return module.startsWith(dir);
}
