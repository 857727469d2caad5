import type { NginxServer } from '../../model/nginx';
import type { NginxDirective } from '../../parsers/nginx/types';
import { defineRule } from '../types';
import {
  anchorLoc, clientPlainListens, describeListen, errorPageRedirects, locKey, onceFilter, reachableRedirects, redirectTarget, returnInfo, rewriteInfo,
  serverName, targetKind, targetScheme,
} from './_hsts-util';

// semgrep's insecure-redirect covers rewrite only. A redirect answered over plain HTTP that points at http:// (or
// at $scheme://, or a relative URL, which nginx completes with the request's own scheme) keeps the client there.
export default defineRule({
  meta: {
    id: 'nginx/redirect-not-https',
    severity: 'medium',
    title: 'A redirect in a plain-HTTP server keeps the client on plain HTTP',
    kinds: ['nginx'],
  },
  check(ctx) {
    const once = onceFilter();
    for (const server of ctx.model.nginx.servers) {
      // Only UNIX sockets: a proxy in front (a CDN, a platform router) takes the clients' connections, HTTPS ones
      // included, and hands them on here as http, so nginx completes relative and $scheme targets with http://
      // too (pythondotorg). Low: that proxy may rewrite the Location header.
      const unixOnly = !server.tls && server.listens.length > 0 && server.listens.every((l) => l.unix !== undefined);
      const listens = unixOnly ? server.listens : clientPlainListens(server);
      if (listens.length === 0) {
        if (server.tls) downgrades(server);
        continue;
      }
      const candidates: { d: NginxDirective; target?: string; code?: number }[] = [
        ...reachableRedirects(server, 'http').map((d) => {
          if (d.name === 'return') {
            const r = returnInfo(d);
            return { d, target: r.redirect ? r.target : undefined, code: r.code };
          }
          const r = rewriteInfo(d);
          return { d, target: r.replacement, code: r.code };
        }),
        ...errorPageRedirects(server, 'http').map((e) => ({ d: e.directive, target: e.target, code: e.code })),
      ];
      // Several redirects of one server to the same http:// host (a set of rewrites to a file mirror) are one cause:
      // one finding, the others as related places (demozoo's four rewrites to files.zxdemo.org).
      const sameHost = new Map<string, NginxDirective[]>();
      for (const c of candidates) {
        const origin = c.target !== undefined && targetKind(c.target) === 'http' ? httpOrigin(c.target) : undefined;
        if (origin) sameHost.set(origin, [...(sameHost.get(origin) ?? []), c.d]);
      }
      for (const { d, target, code } of candidates) {
        if (target === undefined) continue;
        const kind = targetKind(target);
        if (targetScheme(kind, 'http') !== 'http') continue;
        const group = kind === 'http' ? sameHost.get(httpOrigin(target) ?? '') : undefined;
        if (group && group[0] !== d) continue;
        const others = (group ?? []).slice(1);
        const loc = anchorLoc(ctx, d);
        if (!once(locKey(loc))) continue;
        const why =
          kind === 'http'
            ? `points at \`${target}\``
            : kind === 'scheme'
              ? `points at \`${target}\`, and $scheme is "http" for a request that arrived on ${server.tls ? 'the plain listener' : 'this plain-HTTP server'}`
              : `points at the relative \`${target}\`, which nginx (or the browser) completes with the request's own scheme, http`;
        ctx.report({
          loc,
          ...(unixOnly ? { severity: 'low' as const } : {}),
          ...(others.length > 0 ? { related: others.map((o) => ({ path: o.file, line: o.loc.line, column: o.loc.column, message: `\`${o.name}\` redirects to the same http:// host` })) } : {}),
          message: unixOnly
            ? `This ${code !== undefined ? `${code} ` : ''}redirect in server ${serverName(server)}, which listens only on a UNIX socket (${describeListen(listens[0])}) behind a proxy that hands it the clients' requests, HTTPS ones too where the site has HTTPS, as http, ${why}: the client leaves HTTPS, so the next request (and any cookie without Secure) travels unencrypted. (Low: the proxy in front may rewrite the Location header.)`
            : `This ${code !== undefined ? `${code} ` : ''}redirect in server ${serverName(server)}, which accepts plain HTTP (${describeListen(listens[0])}), ${why}: the client follows it over plain HTTP again, ` +
              'so the next request and its cookies travel unencrypted and an attacker on the network can keep the user on HTTP (SSL stripping).' +
              (others.length > 0 ? ` ${others.length} more ${others.length === 1 ? 'redirect' : 'redirects'} of this server go to the same host (${others.map((o) => `${o.file}:${o.loc.line}`).join(', ')}).` : ''),
          hint:
            d.name === 'error_page'
              ? 'Point the error page at an explicit https:// URL (`error_page 404 https://example.com/gone.html;`), or at a local URI served over the same connection.'
              : d.name === 'return'
              ? 'Redirect to an explicit https:// URL, e.g. `return 308 https://$host$request_uri;` (or `https://example.com$request_uri` for a canonical host).'
              : 'Make the replacement an explicit https:// URL, e.g. `rewrite ^/old/(.*)$ https://$host/new/$1 permanent;`.',
        });
      }
    }

    /** A TLS server that sends the client to an explicit http:// URL takes it off HTTPS (low: often another host). */
    function downgrades(server: NginxServer): void {
      for (const d of reachableRedirects(server, 'https')) {
        const target = redirectTarget(d);
        if (target === undefined || targetKind(target) !== 'http') continue;
        const loc = anchorLoc(ctx, d);
        if (!once(locKey(loc))) continue;
        ctx.report({
          loc,
          severity: 'low',
          message: `This redirect in TLS server ${serverName(server)} points at \`${target}\`: the client leaves HTTPS, so the next request (and any cookie without Secure for that host) travels unencrypted and an attacker on the network can answer it.`,
          hint: 'Redirect to the https:// URL of the target, if it serves HTTPS.',
        });
      }
    }
  },
});

/** `http://files.example.org/$1` → `http://files.example.org` (lower case); undefined for a host from a variable. */
function httpOrigin(target: string): string | undefined {
  const rest = target.slice('http://'.length);
  const end = rest.indexOf('/');
  const host = (end < 0 ? rest : rest.slice(0, end)).toLowerCase();
  return host && !host.includes('$') ? `http://${host}` : undefined;
}
