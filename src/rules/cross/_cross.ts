// Shared by the cross-file rules: the nginx places that hand requests to Django, with the settings behind them.
import type { NginxServer } from '../../model/nginx';
import { djangoScheme, reachesDjango, settingsBehind, type RequestScheme, type SchemeAnswer } from '../../model/scheme';
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
