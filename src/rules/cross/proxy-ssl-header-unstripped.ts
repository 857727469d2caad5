import { headerName, proxySslHeader } from '../../model/scheme';
import { anchorLoc, reportOnce } from '../nginx/_common';
import { noTlsListenerNote, passSites } from '../nginx/_proxy-util';
import { hostPublished, httpBinds, reachableBind } from '../../model/app-edge';
import type { Invocation } from '../../model/deploy/commands';
import type { SettingsModule } from '../../model/settings';
import { defineRule, type Report, type RuleContext } from '../types';
import { answer, forgeableCause, plainAppSites, settingsRelated } from './_cross';

// Django's SECURE_PROXY_SSL_HEADER docs: the proxy must strip the header from client requests and set it itself,
// or any client can claim HTTPS. Over plain HTTP on the first hop that claim makes SECURE_SSL_REDIRECT skip the
// request and request.is_secure() True, so Secure cookies and https:// absolute URLs are handed out over plain HTTP.
export default defineRule({
  meta: {
    id: 'cross/proxy-ssl-header-unstripped',
    severity: 'high',
    title: 'Django trusts a proxy header that nginx lets the client set: plain HTTP can claim to be HTTPS',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    if (ctx.model.nginx.servers.length === 0 || ctx.model.settings.length === 0) return;
    const headers = ctx.model.settings.flatMap((s) => {
      const h = proxySslHeader(s);
      return h.state === 'set' && h.meta.startsWith('HTTP_') ? [headerName(h.meta).toLowerCase()] : [];
    });
    if (headers.length === 0) return;
    const report = reportOnce(ctx);
    for (const site of plainAppSites(ctx, headers)) {
      const h = proxySslHeader(site.settings);
      if (h.state !== 'set') continue;
      const a = answer(ctx, site, 'http');
      if (a.sees !== 'forgeable' || a.by !== 'proxy-ssl-header') continue;
      const header = headerName(h.meta);
      const d = a.directive ?? site.pass;
      const noTls = noTlsListenerNote(ctx.model, site.server);
      report({
        loc: anchorLoc(ctx, d),
        ...(noTls ? { severity: 'low' as const } : {}),
        cause: { keys: [forgeableCause(site.block)], primary: true },
        related: [settingsRelated(h.loc, `SECURE_PROXY_SSL_HEADER in ${site.settings.path}: Django trusts ${h.meta} = "${h.value}"`)],
        message:
          `${h.loc.path}:${h.loc.line} makes Django trust ${h.meta} = "${h.value}" (SECURE_PROXY_SSL_HEADER), but ${a.evidence[1]}, and this server takes plain HTTP from clients (${site.entry}): ` +
          `a client that sends \`${a.forgedWith}\` over plain HTTP is treated as HTTPS by Django (request.is_secure() is True, SECURE_SSL_REDIRECT lets the request through, absolute URLs say https).${noTls ?? ''}`,
        hint:
          site.pass.name === 'uwsgi_pass'
            ? `Overwrite it for every request passed to uWSGI: \`uwsgi_param ${h.meta} ${h.value === 'on' ? '$https' : '$scheme'};\` next to \`include uwsgi_params;\`, in every level that has uwsgi_param lines of its own.`
            : `Overwrite it for every proxied request: \`proxy_set_header ${header} ${h.value === 'on' ? '$https' : '$scheme'};\` in this location or its server (and in every level that has proxy_set_header lines of its own).`,
      });
    }
    reportPublishedAppServers(ctx, report);
  },
});

/**
 * The same trust, bypassed: nginx in the repository fronts the app, yet the compose service that runs the app server
 * also publishes its HTTP port on the host, where a client talks to the app server directly and sends the header
 * itself (EvalAI: uWSGI `http = 0.0.0.0:8000` and `ports: ["8000:8000"]`). Low: a firewall may keep the port private.
 */
function reportPublishedAppServers(ctx: RuleContext, report: (r: Report) => void): void {
  const deploy = ctx.model.deploy;
  if (!deploy || (passSites(ctx, 'proxy_pass').length === 0 && passSites(ctx, 'uwsgi_pass').length === 0)) return;
  for (const u of deploy.units) {
    if (u.via !== 'compose' || !u.ports?.length) continue;
    for (const { inv, loc } of u.invocations) {
      if (!inv.web) continue;
      const trusted = settingsOfRun(ctx, inv).map((s) => ({ s, h: proxySslHeader(s) })).find((t) => t.h.state === 'set' && t.h.meta.startsWith('HTTP_'));
      if (!trusted || trusted.h.state !== 'set') continue;
      for (const bind of httpBinds(inv)) {
        if (!reachableBind(bind)) continue;
        const port = Number(bind.slice(bind.lastIndexOf(':') + 1));
        const published = hostPublished(u, port);
        if (!published) continue;
        const header = headerName(trusted.h.meta);
        report({
          loc: published.loc ?? loc,
          severity: 'low',
          related: [settingsRelated(trusted.h.loc, `SECURE_PROXY_SSL_HEADER in ${trusted.s.path}: Django trusts ${trusted.h.meta} = "${trusted.h.value}"`), { path: loc.path, line: loc.line, message: `\`${inv.text.slice(0, 120)}\` listens for HTTP on ${bind}` }],
          message:
            `${trusted.h.loc.path}:${trusted.h.loc.line} makes Django trust ${trusted.h.meta} = "${trusted.h.value}" (SECURE_PROXY_SSL_HEADER) for the nginx in front of the app, but compose service ${u.service ?? u.name} also publishes the app server's own HTTP port on the host (${published.text}; ${inv.server} listens on ${bind}): ` +
            `a client that connects to that port directly, over plain HTTP, can send \`${header}: ${trusted.h.value}\` itself and Django treats the request as HTTPS. (Low: a firewall may keep the port private.)`,
          hint: `Do not publish the app server's port (drop it from \`ports:\`, or bind it to the loopback: \`127.0.0.1:${published.host}:${port}\`); nginx reaches the service over the compose network.`,
        });
      }
    }
  }
}

/** The settings modules an app server runs: the one its entry point names, else the judged modules. */
function settingsOfRun(ctx: RuleContext, inv: Invocation): SettingsModule[] {
  const named = ctx.model.deploy?.apps.find((a) => a.inv === inv)?.settings;
  const own = named ? ctx.model.settings.filter((s) => s.path === named) : [];
  return own.length > 0 ? own : ctx.model.settings;
}
