import { effectiveParams } from '../../model/nginx';
import type { NginxDirective, NginxIncludeProblem } from '../../parsers/nginx';
import { reachesDjango, seesHttpCause, uwsgiSetsScheme } from '../../model/scheme';
import { defineRule } from '../types';
import { problemsOnTheWay } from './_common';
import {
  XFP_PARAM, XFSSL_PARAM, anchorLoc, behindSite, directiveText, levelRef, ownSets, passSites, placeOf, redirectingModules, reportOnce,
  trustedHeaders, uwsgiOn, type TrustedHeader,
} from './_proxy-util';

// uWSGI derives wsgi.url_scheme from the request's vars only (FACTS §6.1): UWSGI_SCHEME or HTTP_X_FORWARDED_PROTO
// (2.0.8+), else HTTPS / HTTP_X_FORWARDED_SSL starting with "on" or "1", else http. nginx sends HTTPS only through
// `uwsgi_param HTTPS $https if_not_empty;` — the line the packaged uwsgi_params carries (FACTS §4.5) — and a level
// with uwsgi_param lines of its own drops the inherited ones (FACTS §4.4).

/** A param in force that tells uWSGI or Django the scheme, if any. */
function schemeSignal(params: Map<string, NginxDirective>, trusted: TrustedHeader[]): NginxDirective | undefined {
  const value = (d: NginxDirective | undefined) => d?.args[1]?.value ?? '';
  const fromClient = (v: string) => /\$http_/i.test(v);
  for (const name of ['HTTPS', 'UWSGI_SCHEME']) {
    const d = params.get(name);
    if (d && value(d) !== '') return d;
  }
  const xfp = params.get(XFP_PARAM);
  if (xfp && value(xfp) !== '' && !fromClient(value(xfp))) return xfp;
  const ssl = params.get(XFSSL_PARAM);
  if (ssl && (value(ssl).includes('$https') || uwsgiOn(value(ssl)))) return ssl;
  for (const t of trusted) {
    const d = params.get(t.meta);
    if (d && value(d) !== '' && !fromClient(value(d))) return d;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'nginx/uwsgi-https-missing',
    severity: 'medium',
    title: 'uwsgi_pass in a TLS server without the HTTPS param: Django sees every request as plain HTTP',
    kinds: ['nginx'],
  },
  check(ctx) {
    // Settings are read only when nginx hands requests to an app at all.
    if (ctx.model.nginx.servers.length === 0) return;
    const allTrusted = trustedHeaders(ctx);
    let allRedirecting: ReturnType<typeof redirectingModules> | undefined;
    const report = reportOnce(ctx);
    for (const site of passSites(ctx, 'uwsgi_pass')) {
      if (!site.server.tls) continue;
      // The settings of the app behind this pass only (the model's links).
      const trusted = behindSite(ctx, site, allTrusted);
      if (schemeSignal(effectiveParams(site.block, 'uwsgi_param'), trusted)) continue;
      // uWSGI's own routing (`route-run = setscheme:https`) gives Django https whatever nginx sends (real stack).
      if (uwsgiSetsScheme(ctx)) continue;
      // An include on the way that could not be read (a templated path, a file outside the workspace) may carry the
      // params: one named uwsgi_params surely does (nginx's copy sends HTTPS); another leaves the verdict open.
      const unread = unreadIncludes(ctx, site.block);
      if (unread.some((p) => /uwsgi_params$/.test(p.arg ?? ''))) continue;
      const sets = ownSets(site.block, 'uwsgi_param');
      const inForce = sets[sets.length - 1];
      let dropped: NginxDirective | undefined;
      for (let i = sets.length - 2; i >= 0 && !dropped; i--) dropped = sets[i].directives.find((d) => d.args[0]?.value.toUpperCase() === 'HTTPS' && (d.args[1]?.value ?? '') !== '');
      const tlsListen = site.server.sslOn ?? site.server.listens.find((l) => l.ssl || l.quic)?.directive;
      const tlsAt = tlsListen ? `\`${directiveText(tlsListen)}\` at ${tlsListen.file}:${tlsListen.loc.line}` : `the TLS server at ${site.server.block.file}:${site.server.block.loc.line}`;
      let cause: string;
      let hint: string;
      if (!inForce) {
        cause = unread.length > 0 ? 'no uwsgi_param the workspace shows is in force here' : 'no uwsgi_param at all is in force here (no `include uwsgi_params;` in the location, server or http level)';
        hint = `Add \`include uwsgi_params;\` (it sends \`uwsgi_param HTTPS $https if_not_empty;\`) in ${levelRef(site.block)} or its server.`;
      } else if (dropped) {
        cause = `${levelRef(inForce.level)} has uwsgi_param lines of its own (\`${directiveText(inForce.directives[0])}\` at ${placeOf(ctx, inForce.directives[0])}), which replace the inherited set that carried \`${directiveText(dropped)}\` (${placeOf(ctx, dropped)})`;
        hint = `Repeat \`include uwsgi_params;\` (or \`uwsgi_param HTTPS $https if_not_empty;\`) inside ${levelRef(inForce.level)}, next to its own uwsgi_param lines.`;
      } else {
        cause = `the uwsgi_param set in force (${levelRef(inForce.level)}, from ${placeOf(ctx, inForce.directives[0])}) has no HTTPS`;
        hint = `Add \`uwsgi_param HTTPS $https if_not_empty;\` (or \`include uwsgi_params;\`) to ${levelRef(inForce.level)}.`;
      }
      allRedirecting ??= redirectingModules(ctx);
      // The Django behind this pass (the model's links): its SECURE_SSL_REDIRECT makes this a loop.
      // Without REQUEST_METHOD no request reaches Django's views (502): broken, not looping.
      const loop = reachesDjango(site.pass) ? behindSite(ctx, site, allRedirecting)[0] : undefined;
      const unreadNote = unread.length > 0 ? ` (\`include ${unread[0].arg}\` at ${unread[0].loc.path}:${unread[0].loc.line} could not be read and may send them: low)` : '';
      report({
        loc: anchorLoc(ctx, site.pass),
        severity: unread.length > 0 ? 'low' : loop ? 'high' : 'medium',
        // With the loop, cross/ssl-redirect-loop reports this cause with both files.
        ...(loop ? { cause: { keys: [seesHttpCause(site.block)], primary: false } } : {}),
        message:
          `\`${directiveText(site.pass)}\` serves a TLS listener (${tlsAt}) but ${cause}, and no other scheme param (UWSGI_SCHEME, HTTP_X_FORWARDED_PROTO, or the header Django trusts) is sent: ` +
          `uWSGI sets wsgi.url_scheme to http, so Django sees every HTTPS request as plain HTTP${unreadNote}${loop ? ` and, with SECURE_SSL_REDIRECT on in ${loop.path}, answers each one with a 301 to the https:// URL it came from: an endless redirect loop` : ' (request.is_secure() is False, absolute URLs are built with http://, and SecurityMiddleware never sends HSTS)'}.`,
        hint,
      });
    }
  },
});

/** Includes at the block, or a level it inherits uwsgi_param from, that could not be read (a templated path, a file outside the workspace). */
function unreadIncludes(ctx: Parameters<typeof passSites>[0], block: NginxDirective): NginxIncludeProblem[] {
  const problems = ctx.model.nginx.includeProblems.filter((p) => p.kind !== 'parse' && p.arg !== undefined);
  // A level with uwsgi_param lines of its own does not inherit the levels above.
  return problemsOnTheWay(problems, block, (l) => (l.block ?? []).some((d) => d.name === 'uwsgi_param'));
}
