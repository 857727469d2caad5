import { anchorDirective, children, levels, type NginxServer } from '../../model/nginx';
import * as request from '../../model/request';
import { plainRedirectedAtServer, type PassSite } from '../../model/request';
import { concrete, isSequence } from '../../model/python/values';
import { appsBehind, runs } from '../../model/links';
import { routerInFront, tlsEdge, type EdgeEvidence } from '../../model/edge';
import { xAccelPass } from '../../model/scheme';
import type { DeploymentModel } from '../../model';
import { SECURITY_MIDDLEWARE, SettingsModule } from '../../model/settings';
import { forEachNginxDirective, type NginxDirective } from '../../parsers/nginx';
import type { RuleContext } from '../types';
import { clientPlainListens, plainRedirectedInLocation } from './_hsts-util';

// Shared by the OCSP and scheme-header rules: how nginx hands the request scheme to the app, and which
// headers Django trusts for it.

export const XFP_HEADER = 'x-forwarded-proto';
export const XFP_PARAM = 'HTTP_X_FORWARDED_PROTO';
export const XFSSL_PARAM = 'HTTP_X_FORWARDED_SSL';

/** 'X-Forwarded-Proto' → 'HTTP_X_FORWARDED_PROTO': the name uwsgi/WSGI and Django's request.META give a header. */
export function metaName(header: string): string {
  return `HTTP_${header.toUpperCase().replace(/-/g, '_')}`;
}

/** 'HTTP_X_FORWARDED_PROTO' → 'x-forwarded-proto'; undefined for a key that is not a request header. */
export function headerOfMeta(meta: string): string | undefined {
  return /^HTTP_[A-Z0-9_]+$/.test(meta) ? meta.slice(5).toLowerCase().replace(/_/g, '-') : undefined;
}

/** 'x-forwarded-proto' → 'X-Forwarded-Proto', for messages. */
export function headerTitle(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The nginx variable that holds the client's own copy of a header ($http_x_forwarded_proto). */
export function clientVar(header: string): string {
  return `$http_${header.toLowerCase().replace(/-/g, '_')}`;
}

/** Whether an nginx value reads the variable (`$name` or `${name}`, not a longer name that starts the same). */
export function usesVar(value: string, variable: string): boolean {
  const name = variable.replace(/^\$/, '').toLowerCase();
  const v = value.toLowerCase();
  if (v.includes(`\${${name}}`)) return true;
  // `$name` not followed by a name character; no RegExp built from the name (it may come from the config).
  const needle = `$${name}`;
  for (let at = v.indexOf(needle); at >= 0; at = v.indexOf(needle, at + 1)) {
    if (!/[a-z0-9_]/.test(v[at + needle.length] ?? '')) return true;
  }
  return false;
}

export function isLiteral(value: string): boolean {
  return !value.includes('$');
}

/** uWSGI's test for HTTPS / HTTP_X_FORWARDED_SSL (wsgi_subhandler.c): starts with "on" (any case) or with "1". */
export function uwsgiOn(value: string): boolean {
  return /^on/i.test(value) || value.startsWith('1');
}

/** The nginx variable that yields `expected` exactly on HTTPS connections: $scheme for "https", $https for "on". */
export function schemeVariable(expected: string | undefined): string {
  return expected === 'on' ? '$https' : '$scheme';
}

/** A header Django trusts through SECURE_PROXY_SSL_HEADER in one judged settings module. */
export interface TrustedHeader {
  settings: SettingsModule;
  /** The META key as written, e.g. HTTP_X_FORWARDED_PROTO. */
  meta: string;
  /** The request header it stands for, lower case; undefined for a key without the HTTP_ prefix. */
  header?: string;
  /** The value Django compares with (case-sensitive), when known. */
  value?: string;
}

/** SECURE_PROXY_SSL_HEADER of every judged settings module that sets a readable (key, value) pair. */
export function trustedHeaders(ctx: RuleContext): TrustedHeader[] {
  const out: TrustedHeader[] = [];
  for (const s of ctx.model.settings) {
    const v = s.get('SECURE_PROXY_SSL_HEADER');
    if (v.state !== 'known' || !isSequence(v.value) || v.value.t === 'set' || v.value.items.length !== 2) continue;
    const key = concrete(v.value.items[0])?.value;
    const val = concrete(v.value.items[1])?.value;
    if (key?.t !== 'str' || key.v === '') continue;
    out.push({ settings: s, meta: key.v, header: headerOfMeta(key.v), value: val?.t === 'str' ? val.v : undefined });
  }
  return out;
}

/**
 * The trusted headers (or any judged modules) of the apps behind one pass site only (the model's links; every
 * judged module when the link cannot be followed).
 */
export function behindSite<T extends { settings: SettingsModule } | SettingsModule>(ctx: RuleContext, site: PassSite, list: T[]): T[] {
  const behind = appsBehind(ctx.model, site.server, site.block, site.pass);
  return list.filter((x) => runs(behind, x instanceof SettingsModule ? x : (x as { settings: SettingsModule }).settings));
}

/** The first judged settings module that trusts this META key. */
export function trustingModule(trusted: TrustedHeader[], meta: string): TrustedHeader | undefined {
  return trusted.find((t) => t.meta === meta);
}

/** Judged settings modules that redirect to HTTPS (SecurityMiddleware installed, SECURE_SSL_REDIRECT truthy). */
export function redirectingModules(ctx: RuleContext): SettingsModule[] {
  return ctx.model.settings.filter(
    (s) => s.hasMiddleware(SECURITY_MIDDLEWARE).answer === 'yes' && s.isTrue('SECURE_SSL_REDIRECT', false).answer === 'yes',
  );
}

export { anchorLoc, reportOnce } from './_common';
export { clientHeadersPassed, ownSets, plainRedirectedAtServer, type PassSite } from '../../model/request';

export function passSites(ctx: RuleContext, kind: 'proxy_pass' | 'uwsgi_pass' | 'fastcgi_pass'): PassSite[] {
  const sites = request.passSites(ctx.model, kind);
  return kind === 'proxy_pass' ? sites.filter((s) => !xAccelPass(s.pass)) : sites;
}

/** "file:line", or "the packaged uwsgi_params included at file:line" for a stand-in directive. */
export function placeOf(ctx: RuleContext, d: NginxDirective): string {
  const standIns = ctx.model.nginx.packagedStandIns;
  if (!standIns.has(d.file)) return `${d.file}:${d.loc.line}`;
  const at = anchorDirective(d, standIns);
  return `the packaged ${d.file.split('/').pop()} included at ${at.file}:${at.loc.line}`;
}

/** `location /api/`, `server`, `http`, `if ($x)`: a level as written. */
export function levelName(d: NginxDirective): string {
  const args = d.args.map((a) => a.raw).join(' ');
  return args ? `${d.name} ${args}` : d.name;
}

/** A level for messages: `location /ws/` (as code), "the server block for www.example.com", "the http block". */
export function levelRef(d: NginxDirective): string {
  if (d.name === 'server') {
    const name = children(d, 'server_name')[0]?.args[0]?.value;
    return `the server block${name ? ` for ${name}` : ''} at ${d.file}:${d.loc.line}`;
  }
  if (d.name === 'http') return 'the http block';
  return `\`${levelName(d)}\``;
}

/** The directive as written on one line, e.g. `proxy_set_header X-Forwarded-Proto https`. */
export function directiveText(d: NginxDirective): string {
  return [d.name, ...d.args.map((a) => a.raw)].join(' ');
}


/**
 * A client-reachable plain-HTTP listener whose requests reach the server's locations (and, given the block of a
 * pass directive, reach that pass: not redirected to https inside its location first), described for messages.
 */
export function plainEntry(server: NginxServer, block?: NginxDirective): string | undefined {
  const l = clientPlainListens(server)[0];
  if (!l || plainRedirectedAtServer(server)) return undefined;
  if (block && plainRedirectedInLocation(block, server)) return undefined;
  if (!l.directive) return `the server at ${server.block.file}:${server.block.loc.line} has no \`listen\`, so it listens on port 80`;
  return `\`${directiveText(l.directive)}\` at ${l.directive.file}:${l.directive.loc.line}`;
}

/**
 * Signs that this nginx is not the first hop, so that a forwarded header may come from a trusted proxy in front:
 * real_ip (`set_real_ip_from`, `real_ip_header`) in force for the server or inside it, or a `map` of the client's
 * header anywhere in the config; or a platform router in front that sets the header itself (Heroku's nginx buildpack).
 */
export function behindProxyHint(server: NginxServer, clientVars: string[], model?: DeploymentModel): NginxDirective | EdgeEvidence | undefined {
  const router = model ? routerInFront(model, server) : undefined;
  if (router) return router;
  for (const level of levels(server.block).slice(1)) {
    const own = levelRealIp(level);
    if (own) return own;
  }
  // Asked for every pass site of a server: its real_ip lines are looked for once (a server may have thousands).
  let inside = realIpInServer.get(server.block);
  if (inside === undefined) {
    let found: NginxDirective | undefined;
    forEachNginxDirective(server.block.block ?? [], (d) => {
      if (!found && isRealIp(d)) found = d;
      return !found;
    });
    realIpInServer.set(server.block, (inside = found ?? null));
  }
  if (inside) return inside;
  // The maps of a config are listed once: rules ask for every server, and large configs have thousands.
  let maps = mapsByConfig.get(server.config.directives);
  if (!maps) {
    const list: NginxDirective[] = [];
    forEachNginxDirective(server.config.directives, (d) => {
      if (d.name === 'map') list.push(d);
      return d.name !== 'map';
    });
    mapsByConfig.set(server.config.directives, (maps = list));
  }
  const vars = new Set(clientVars.map((v) => v.toLowerCase()));
  return maps.find((d) => vars.has(d.args[0]?.value.toLowerCase() ?? ''));
}

const isRealIp = (d: NginxDirective) => d.name === 'set_real_ip_from' || d.name === 'real_ip_header';
const realIpByLevel = new WeakMap<NginxDirective, NginxDirective | null>();
const realIpInServer = new WeakMap<NginxDirective, NginxDirective | null>();
const mapsByConfig = new WeakMap<NginxDirective[], NginxDirective[]>();

function levelRealIp(level: NginxDirective): NginxDirective | undefined {
  let hit = realIpByLevel.get(level);
  if (hit === undefined) realIpByLevel.set(level, (hit = (level.block ?? []).find(isRealIp) ?? null));
  return hit ?? undefined;
}

/**
 * " Low: …" where this nginx has no TLS listener, for the forged-scheme rules: either a proxy in front terminates TLS
 * (and sets the header over the client's copy: ALB, Heroku, Traefik, an nginx with proxy_set_header) or the site has
 * no HTTPS at all, where a forged scheme gains little (patchwork's, scancode.io's plain-HTTP-only nginx).
 */
export function noTlsListenerNote(model: DeploymentModel, server: NginxServer): string | undefined {
  if (tlsEdge(model, server).where === 'nginx') return undefined;
  return ' Low: this nginx has no TLS listener, so either a proxy in front terminates TLS and usually replaces the header, or the site has no HTTPS for a forged scheme to bypass; it matters for clients that reach this port directly.';
}
