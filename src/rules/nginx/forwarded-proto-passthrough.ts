import { effectiveParams, type NginxServer } from '../../model/nginx';
import { tlsEdge } from '../../model/edge';
import { forgeableCause } from '../../model/scheme';
import { defineRule } from '../types';
import {
  XFP_HEADER, XFP_PARAM, XFSSL_PARAM, anchorLoc, behindProxyHint, behindSite, clientHeadersPassed, clientVar, directiveText, headerTitle,
  levelRef, metaName, passSites, placeOf, plainEntry, reportOnce, schemeVariable, trustedHeaders, trustingModule, usesVar, noTlsListenerNote,
} from './_proxy-util';

// On the first hop, X-Forwarded-Proto is whatever the client typed: forwarding $http_x_forwarded_proto, or leaving
// the header alone while Django trusts it (SECURE_PROXY_SSL_HEADER), lets a plain-HTTP client claim HTTPS. Django's
// docs require the proxy to strip or overwrite the header (FACTS §1.2). Behind another proxy (real_ip, or a map
// of the client's header) the value may come from that proxy, so nothing is reported there.

export default defineRule({
  meta: {
    id: 'nginx/forwarded-proto-passthrough',
    severity: 'medium',
    title: 'The edge server lets the client\'s own X-Forwarded-Proto (or Django\'s trusted header) reach the app',
    kinds: ['nginx'],
  },
  check(ctx) {
    // Settings are read only when nginx hands requests to an app at all.
    if (ctx.model.nginx.servers.length === 0) return;
    const trusted = trustedHeaders(ctx);
    const headers = [...new Set([XFP_HEADER, ...trusted.flatMap((t) => (t.header ? [t.header] : []))])];
    const report = reportOnce(ctx);
    // The nginx's own reading of the header is what is judged here, so it is no sign of a proxy in front.
    const edge = (server: NginxServer) =>
      !behindProxyHint(server, headers.map(clientVar), ctx.model) && tlsEdge(ctx.model, server, { ignoreForwarded: true, strongOnly: true }).where !== 'front';

    for (const site of passSites(ctx, 'proxy_pass')) {
      const entry = plainEntry(site.server, site.block);
      if (!entry || !edge(site.server)) continue;
      const set = effectiveParams(site.block, 'proxy_set_header');
      for (const h of headers) {
        const d = set.get(h);
        const trust = trustingModule(behindSite(ctx, site, trusted), metaName(h));
        if (d && usesVar(d.args[1]?.value ?? '', clientVar(h))) {
          // Passing the header on is what an nginx behind a TLS proxy does: low where this one has no TLS listener.
          const noTls = noTlsListenerNote(ctx.model, site.server);
          report({
            loc: anchorLoc(ctx, d),
            // Where Django trusts the header, cross/proxy-ssl-header-unstripped reports this cause with both files.
            ...(trust ? { cause: { keys: [forgeableCause(site.block)], primary: false } } : {}),
            ...(noTls ? { severity: 'low' as const } : {}),
            message:
              `\`${directiveText(d)}\` forwards the client's own ${headerTitle(h)} header, and this server is the first hop for plain HTTP (${entry}): ` +
              `a client can send \`${headerTitle(h)}: https\` over plain HTTP and the app believes the request was HTTPS${trust ? ` (Django, ${trust.settings.path}, trusts ${trust.meta} through SECURE_PROXY_SSL_HEADER)` : ''}.${noTls ?? ''}`,
            hint: `Set it from the connection nginx received: \`proxy_set_header ${d.args[0].raw} ${schemeVariable(trust?.value)};\`. If nginx sits behind a load balancer that sets this header, say so with \`set_real_ip_from <its address>;\` and \`real_ip_header X-Forwarded-For;\` (HTTPS Guard then treats nginx as a second hop).`,
          });
        } else if (!d && trust && clientHeadersPassed(site.block, 'proxy')) {
          const noTls = noTlsListenerNote(ctx.model, site.server);
          report({
            loc: anchorLoc(ctx, site.pass),
            cause: { keys: [forgeableCause(site.block)], primary: false },
            ...(noTls ? { severity: 'low' as const } : {}),
            message:
              `Django (${trust.settings.path}) trusts ${trust.meta} through SECURE_PROXY_SSL_HEADER, but no \`proxy_set_header ${headerTitle(h)}\` is in force for ${levelRef(site.block)}, so nginx passes the client's own ${headerTitle(h)} header untouched; ` +
              `this server is the first hop for plain HTTP (${entry}), so a client can send \`${headerTitle(h)}: ${trust.value ?? 'https'}\` and Django treats its plain-HTTP request as HTTPS.${noTls ?? ''}`,
            hint: `Overwrite the header for every proxied request: \`proxy_set_header ${headerTitle(h)} ${schemeVariable(trust.value)};\` in the server (and in every location that has proxy_set_header lines of its own), or \`include proxy_params;\` where it sets it.`,
          });
        }
      }
    }

    // With uwsgi_pass a client header arrives as an HTTP_* param; X-Forwarded-Proto / X-Forwarded-SSL that nothing
    // overrides are nginx/uwsgi-forwarded-proto-spoofable, so only an explicit pass-through and other headers
    // Django trusts are reported here.
    for (const site of passSites(ctx, 'uwsgi_pass')) {
      const entry = plainEntry(site.server, site.block);
      if (!entry || !edge(site.server)) continue;
      const params = effectiveParams(site.block, 'uwsgi_param');
      for (const h of headers) {
        const meta = metaName(h);
        const d = params.get(meta);
        const trust = trustingModule(behindSite(ctx, site, trusted), meta);
        if (d && usesVar(d.args[1]?.value ?? '', clientVar(h))) {
          const noTls = noTlsListenerNote(ctx.model, site.server);
          report({
            loc: anchorLoc(ctx, d),
            ...(trust ? { cause: { keys: [forgeableCause(site.block)], primary: false } } : {}),
            ...(noTls ? { severity: 'low' as const } : {}),
            message:
              `\`${directiveText(d)}\` forwards the client's own ${headerTitle(h)} header, and this server is the first hop for plain HTTP (${entry}): ` +
              `a client can send \`${headerTitle(h)}: https\` over plain HTTP and ${meta === XFP_PARAM ? 'uWSGI (2.0.8+) sets wsgi.url_scheme to https' : 'the app believes the request was HTTPS'}${trust ? ` (Django, ${trust.settings.path}, trusts ${trust.meta} through SECURE_PROXY_SSL_HEADER)` : ''}.${noTls ?? ''}`,
            hint: `Set it from the connection nginx received: \`uwsgi_param ${d.args[0].raw} ${schemeVariable(trust?.value)};\` instead of the line at ${placeOf(ctx, d)}.`,
          });
        } else if (!d && trust && meta !== XFP_PARAM && meta !== XFSSL_PARAM && clientHeadersPassed(site.block, 'uwsgi')) {
          const noTls = noTlsListenerNote(ctx.model, site.server);
          report({
            loc: anchorLoc(ctx, site.pass),
            cause: { keys: [forgeableCause(site.block)], primary: false },
            ...(noTls ? { severity: 'low' as const } : {}),
            message:
              `Django (${trust.settings.path}) trusts ${trust.meta} through SECURE_PROXY_SSL_HEADER, but no \`uwsgi_param ${meta}\` is in force for ${levelRef(site.block)}, so nginx passes the client's own ${headerTitle(h)} header as ${meta}; ` +
              `this server is the first hop for plain HTTP (${entry}), so a client can send \`${headerTitle(h)}: ${trust.value ?? 'https'}\` and Django treats its plain-HTTP request as HTTPS.${noTls ?? ''}`,
            hint: `Overwrite it for every request passed to uWSGI: \`uwsgi_param ${meta} ${schemeVariable(trust.value)};\` next to \`include uwsgi_params;\`, in every level that has uwsgi_param lines of its own.`,
          });
        }
      }
    }
  },
});
