// Shared by the cross-file rules: the nginx places that hand requests to Django, with the settings behind them.
import type { NginxServer } from '../../model/nginx';
import { djangoScheme, frontScheme, reachesDjango, settingsBehind, type RequestScheme, type SchemeAnswer } from '../../model/scheme';
import { appEdge, type FrontTerminator } from '../../model/app-edge';
import type { SettingsModule } from '../../model/settings';
import type { NginxDirective } from '../../parsers/nginx';
import type { Loc, RelatedLocation } from '../../types';
import { tlsContentEndpoints } from '../nginx/_hsts-util';
import { behindProxyHint, clientVar, passSites, plainEntry } from '../nginx/_proxy-util';
import { tlsEdge } from '../../model/edge';
import type { RuleContext } from '../types';

export interface AppSite {
  server: NginxServer;
  /** The location (or server level) requests end up in. */
  block: NginxDirective;
  pass: NginxDirective;
  settings: SettingsModule;
}

export { forgeableCause, seesHttpCause } from '../../model/scheme';

/** Locations of TLS servers that pass HTTPS requests to Django (uwsgi_pass or proxy_pass), per settings module. */
export function tlsAppSites(ctx: RuleContext): AppSite[] {
  const out: AppSite[] = [];
  for (const server of ctx.model.nginx.servers) {
    for (const e of tlsContentEndpoints(server)) {
      if (e.served.how !== 'app') continue;
      const pass = e.served.via;
      if (pass.name !== 'uwsgi_pass' && pass.name !== 'proxy_pass') continue;
      if (!reachesDjango(pass)) continue;
      for (const settings of settingsBehind(ctx, pass.parent!, server)) out.push({ server, block: e.block, pass, settings });
    }
  }
  return out;
}

/**
 * Blocks that pass plain-HTTP client requests to Django: a client-reachable plain listener, not redirected first,
 * and this nginx is the first hop (no real_ip or map of the client's header, no TLS terminator shown in front).
 */
export function plainAppSites(ctx: RuleContext, headers: string[]): (AppSite & { entry: string })[] {
  const out: (AppSite & { entry: string })[] = [];
  for (const kind of ['proxy_pass', 'uwsgi_pass'] as const) {
    for (const site of passSites(ctx, kind)) {
      const entry = plainEntry(site.server, site.block);
      if (!entry || !reachesDjango(site.pass)) continue;
      if (behindProxyHint(site.server, headers.map(clientVar), ctx.model)) continue;
      if (tlsEdge(ctx.model, site.server, { ignoreForwarded: true, strongOnly: true }).where === 'front') continue;
      let block = site.block;
      while (block.name === 'if' && block.parent) block = block.parent;
      for (const settings of settingsBehind(ctx, site.block, site.server)) out.push({ server: site.server, block, pass: site.pass, settings, entry });
    }
  }
  return out;
}

export function answer(ctx: RuleContext, site: AppSite, scheme: RequestScheme): SchemeAnswer {
  return djangoScheme(ctx, site.pass, site.settings, scheme);
}

/** A settings line as a related place. */
export function settingsRelated(loc: Loc, message: string): RelatedLocation {
  return { path: loc.path, line: loc.line, column: loc.column, message };
}

/** A directive as a related place. */
export function directiveRelated(d: NginxDirective, message: string): RelatedLocation {
  return { path: d.file, line: d.loc.line, column: d.loc.column, message };
}

export function sentence(parts: string[]): string {
  return parts.join('; ');
}

export interface FrontSite {
  settings: SettingsModule;
  front: FrontTerminator;
  /** What Django sees of HTTPS requests the front proxies to it; `unsure` names what the repository does not show. */
  answer: SchemeAnswer & { unsure?: string };
}

/** Where an environment file the repository lacks could change the answer, it fails no check: medium at most. */
export function frontSeverity(site: FrontSite, severity: 'high' | 'medium'): 'high' | 'medium' {
  return site.answer.unsure ? 'medium' : severity;
}

/** The evidence of a front site's answer, with what it rests on that the repository does not show. */
export function frontEvidence(site: FrontSite): string {
  return [...site.answer.evidence, ...(site.answer.unsure ? [site.answer.unsure] : [])].join('; ');
}

/**
 * Settings modules that no nginx of the workspace hands requests to, behind a Caddy, Traefik or nginx-proxy the repository
 * configures, with what Django sees of the HTTPS requests it proxies (the first front that decides it).
 */
export function frontAppSites(ctx: RuleContext): FrontSite[] {
  // A production nginx may be the hop between the front and Django (Caddy → nginx → gunicorn), wherever its file
  // sits: the nginx rules judge what Django sees there.
  if (ctx.model.nginx.servers.some((v) => (ctx.model.roleOf?.(v.config.entry).role ?? 'production') === 'production')) return [];
  const out: FrontSite[] = [];
  for (const s of ctx.model.settings) {
    const edge = appEdge(ctx.model, s);
    for (const front of [...edge.fronts, ...edge.routers]) {
      const a = frontScheme(ctx, s, front);
      if (!a) continue;
      out.push({ settings: s, front, answer: a });
      break;
    }
  }
  return out;
}
