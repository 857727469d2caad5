import { publishedAppServer } from '../../model/app-edge';
import { tlsEdge } from '../../model/edge';
import { appsBehind } from '../../model/links';
import { effectiveParams } from '../../model/nginx';
import type { RelatedLocation } from '../../types';
import {
  anchorLoc, behindProxyHint, clientHeadersPassed, clientVar, directiveText, headerOfMeta, headerTitle, metaName, passSites, plainEntry, usesVar,
} from '../nginx/_proxy-util';
import { defineRule } from '../types';

// A wsgi.py wrapper that copies a request header into environ['wsgi.url_scheme'] (the "ReverseProxied" recipe:
// `scheme = environ.get('HTTP_X_SCHEME', '')`) decides the scheme Django sees from that header, like
// SECURE_PROXY_SSL_HEADER but without Django's docs warning next to it. Safe only when every path to the app
// overwrites the header; where nginx passes plain-HTTP requests with the client's own copy, a client claims HTTPS.

export default defineRule({
  meta: {
    id: 'wsgi/url-scheme-from-header',
    severity: 'medium',
    title: "wsgi.py takes the request scheme from a header that the proxy in front does not overwrite",
    kinds: ['wsgi'],
  },
  check(ctx) {
    for (const f of ctx.model.python) {
      if (f.kind !== 'wsgi') continue;
      for (const w of f.environWrites) {
        if (w.target !== 'request' || w.key !== 'wsgi.url_scheme' || w.method === 'setdefault' || w.headers.length === 0) continue;
        const headers = w.headers.flatMap((m) => headerOfMeta(m) ?? []);
        if (headers.length === 0) continue;
        const shown = headers.map(headerTitle).join(' / ');
        const trust = `\`${w.code}\`${w.functionName ? ` in ${w.functionName}()` : ''} (${w.loc.path}:${w.loc.line}) decides wsgi.url_scheme by the request's ${shown} header`;
        const open = openPath(ctx, headers);
        const direct = open ? undefined : publishedAppServer(ctx.model);
        if (direct) {
          ctx.report({
            loc: w.loc,
            message: `${trust}, and ${direct}: a client can send \`${headerTitle(headers[0])}: https\` over plain HTTP and Django believes the request was HTTPS (request.is_secure() is True, SECURE_SSL_REDIRECT lets it through, absolute URLs say https).`,
            hint: `Publish only a proxy that sets ${headerTitle(headers[0])} itself on every request (keep the app server's port internal, or on 127.0.0.1 for a proxy on the host), or drop the wrapper and use SECURE_PROXY_SSL_HEADER behind such a proxy.`,
          });
        } else if (open) {
          ctx.report({
            loc: w.loc,
            message: `${trust}, and ${open.where}: a client can send \`${headerTitle(headers[0])}: https\` over plain HTTP and Django believes the request was HTTPS (request.is_secure() is True, SECURE_SSL_REDIRECT lets it through, absolute URLs say https).`,
            hint: `Overwrite the header for every request in nginx (\`proxy_set_header ${headerTitle(headers[0])} $scheme;\`, or \`uwsgi_param ${w.headers[0]} $scheme;\` for uwsgi_pass), or drop the wrapper and use SECURE_PROXY_SSL_HEADER behind a proxy that overwrites X-Forwarded-Proto.`,
            related: [open.related],
          });
        } else if (ctx.model.nginx.servers.length === 0 && (ctx.model.edgeFacts?.terminators.length ?? 0) === 0) {
          ctx.report({
            loc: w.loc,
            severity: 'low',
            message: `${trust}, and nothing in the repository shows a proxy in front that overwrites it: a client that reaches the app directly can claim HTTPS over plain HTTP. (Low: a proxy outside the repository may overwrite the header.)`,
            hint: `Make sure every proxy in front sets ${headerTitle(headers[0])} itself on every request, and that clients cannot reach the app server around it.`,
          });
        }
      }
    }
  },
});

/** The first nginx location that passes plain-HTTP requests to a Django app with the client's own copy of a header. */
function openPath(ctx: Parameters<typeof passSites>[0], headers: string[]): { where: string; related: RelatedLocation } | undefined {
  for (const kind of ['proxy_pass', 'uwsgi_pass'] as const) {
    for (const site of passSites(ctx, kind)) {
      const entry = plainEntry(site.server, site.block);
      if (!entry || !clientHeadersPassed(site.block, kind === 'proxy_pass' ? 'proxy' : 'uwsgi')) continue;
      if (ctx.model.settings.length > 0 && appsBehind(ctx.model, site.server, site.block, site.pass).settings.length === 0) continue;
      if (behindProxyHint(site.server, headers.map(clientVar), ctx.model)) continue;
      if (tlsEdge(ctx.model, site.server, { ignoreForwarded: true, strongOnly: true }).where === 'front') continue;
      const set = kind === 'proxy_pass' ? effectiveParams(site.block, 'proxy_set_header') : effectiveParams(site.block, 'uwsgi_param');
      // uWSGI itself reads X-Forwarded-Proto / X-Forwarded-SSL: nginx/uwsgi-forwarded-proto-spoofable's finding.
      const passed = headers.filter((h) => {
        if (kind === 'uwsgi_pass' && (h === 'x-forwarded-proto' || h === 'x-forwarded-ssl')) return false;
        const d = set.get(kind === 'proxy_pass' ? h : metaName(h));
        return !d || usesVar(d.args[1]?.value ?? '', clientVar(h));
      });
      if (passed.length === 0) continue;
      const loc = anchorLoc(ctx, site.pass);
      return {
        where: `nginx passes plain-HTTP requests to the app with the client's own ${passed.map(headerTitle).join(' / ')} (${entry}; \`${directiveText(site.pass)}\` at ${loc.path}:${loc.line} does not overwrite it)`,
        related: { path: loc.path, line: loc.line, message: `plain-HTTP requests reach the app here with the client's ${passed.map(headerTitle).join(' / ')} header` },
      };
    }
  }
  return undefined;
}
