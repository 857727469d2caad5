import { appEdge } from '../../model/app-edge';
import type { SettingsModule } from '../../model/settings';
import { endpointServes, frontedModules, plainAppExposure, tlsAppHsts, whereLabel } from '../nginx/_hsts-util';
import type { RuleContext } from '../types';

// What the web server in front of a settings module's app does itself, on the evidence django/hsts-off and
// django/ssl-redirect-off accept: the nginx locations that pass to the app (the model's links), else a TLS
// terminator the repository shows. Each answer is the evidence in words, or undefined when not shown.

/** Every TLS path to the app gets Strict-Transport-Security (max-age > 0) from nginx or the terminator in front. */
export function frontSendsHsts(ctx: RuleContext, s: SettingsModule): string | undefined {
  if (ctx.model.nginx.servers.length > 0) {
    const nginx = tlsAppHsts(ctx);
    const app = nginx.appEndpoints.filter((e) => endpointServes(ctx, e, s));
    if (app.length > 0) return nginx.uncovered.some((e) => endpointServes(ctx, e, s)) ? undefined : `nginx adds Strict-Transport-Security to every TLS location that passes to the app (${whereLabel(app[0].endpoint.block)})`;
  }
  const edge = appEdge(ctx.model, s);
  return edge.fronts.length > 0 && edge.fronts.every((f) => f.hsts === true) ? `the TLS terminator in front adds Strict-Transport-Security (${edge.fronts[0].text})` : undefined;
}

/** Every plain-HTTP path to the app is redirected to HTTPS before it reaches Django. */
export function frontRedirects(ctx: RuleContext, s: SettingsModule): string | undefined {
  if (ctx.model.nginx.servers.length > 0 && frontedModules(ctx).has(s)) {
    const nginx = plainAppExposure(ctx);
    const open = nginx.exposed.some((e) => endpointServes(ctx, e, s)) || nginx.behind.some((e) => endpointServes(ctx, e, s));
    return open ? undefined : 'nginx redirects plain HTTP to HTTPS before it reaches the app';
  }
  const edge = appEdge(ctx.model, s);
  return edge.fronts.length > 0 && edge.fronts.every((f) => f.redirects === true) ? `the TLS terminator in front redirects plain HTTP (${edge.fronts[0].text})` : undefined;
}
