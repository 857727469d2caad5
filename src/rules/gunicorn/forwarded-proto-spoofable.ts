import { runningServices } from '../../model/app-trust';
import { effectiveParams } from '../../model/nginx';
import type { RelatedLocation } from '../../types';
import { anchorLoc } from '../nginx/_common';
import { behindProxyHint, clientHeadersPassed, clientVar, noTlsListenerNote, passSites, plainEntry, trustedHeaders, usesVar } from '../nginx/_proxy-util';
import { defineRule, type RuleContext } from '../types';
import { type GunicornRun, gunicornRuns, schemeHeaders, trustsAnyPeer } from './_util';
import { hostPublished, reachableBind } from '../../model/app-edge';

// gunicorn sets wsgi.url_scheme from secure_scheme_headers (X-Forwarded-Proto: https by default) when the peer is in
// forwarded_allow_ips; '*' trusts every peer (checked on gunicorn 20.1: a request with `X-Forwarded-Proto: https`
// then reads "https", while the default 127.0.0.1 ignores it from other addresses). Django reads that scheme for
// request.is_secure() even without SECURE_PROXY_SSL_HEADER. Safe only if whatever reaches gunicorn overwrites the
// header, so a plain-HTTP client cannot claim HTTPS.

export default defineRule({
  meta: {
    id: 'gunicorn/forwarded-proto-spoofable',
    severity: 'medium',
    title: "gunicorn trusts X-Forwarded-Proto from any peer (forwarded_allow_ips '*') while plain-HTTP clients can set it",
    kinds: ['gunicorn', 'nginx'],
  },
  check(ctx) {
    const seen = new Set<string>();
    // Headers Django trusts itself are nginx/forwarded-proto-passthrough's finding on the nginx side.
    const djangoTrusts = new Set(trustedHeaders(ctx).flatMap((t) => (t.header ? [t.header.toUpperCase()] : [])));
    const hasFront = (ctx.model.edgeFacts?.terminators.length ?? 0) > 0;
    for (const run of gunicornRuns(ctx)) {
      const f = run.facts.forwardedAllowIps;
      if (!f?.ips || f.conditional) continue;
      const any = trustsAnyPeer(f.ips);
      const headers = schemeHeaders(run.facts);
      if (!any || !headers || headers.size === 0) continue;
      const key = `${f.loc.path}:${f.loc.line}`;
      if (seen.has(key)) continue;
      const names = [...headers.keys()];
      const shown = names.map((h) => `${h}: ${headers.get(h)}`).join(', ');
      // nginx in the repository that passes plain-HTTP requests on without overwriting any of those headers.
      let nginxPath: { where: string; related: RelatedLocation; noTls?: string } | undefined;
      for (const site of passSites(ctx, 'proxy_pass')) {
        const entry = plainEntry(site.server, site.block);
        if (!entry || !clientHeadersPassed(site.block, 'proxy')) continue;
        const set = effectiveParams(site.block, 'proxy_set_header');
        const overwritten = names.some((h) => {
          const d = set.get(h.toLowerCase());
          return d && !usesVar(d.args[1]?.value ?? '', clientVar(h.toLowerCase()));
        });
        if (overwritten || names.every((h) => djangoTrusts.has(h))) continue;
        if (behindProxyHint(site.server, names.map((h) => clientVar(h.toLowerCase())), ctx.model)) continue;
        const loc = anchorLoc(ctx, site.pass);
        // `proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto` relays the client's value as if nothing set it.
        const relays = names.map((h) => set.get(h.toLowerCase())).filter((d) => d !== undefined);
        const how = relays.length > 0 ? relays.map((d) => `\`proxy_set_header ${d!.args.map((a) => a.raw).join(' ')}\` at ${d!.file}:${d!.loc.line} relays the client's value`).join('; ') : `no proxy_set_header for ${names.map((h) => h.toLowerCase()).join(' / ')}`;
        nginxPath = {
          where: `nginx passes plain-HTTP requests on with the client's own headers (${entry}; proxy_pass at ${loc.path}:${loc.line}, ${how})`,
          related: { path: loc.path, line: loc.line, message: 'plain-HTTP requests reach gunicorn here with the client\'s X-Forwarded-* headers' },
          // As nginx/forwarded-proto-passthrough judges the same path: low where this nginx has no TLS listener.
          noTls: noTlsListenerNote(ctx.model, site.server),
        };
        break;
      }
      const reachable = run.facts.binds.find((b) => reachableBind(b.addr)) ?? (run.facts.binds.length === 0 && run.portEnv ? { addr: '0.0.0.0:$PORT', loc: run.loc } : undefined);
      const direct = !nginxPath && reachable && ctx.model.nginx.servers.length === 0 && !hasFront && run.via !== 'procfile';
      // A proxy in front that overwrites the headers does not stop a client that reaches gunicorn's port itself.
      const bypass = !nginxPath && !direct && reachable ? hostReachable(ctx, run, reachable.addr) : undefined;
      if (!nginxPath && !direct && !bypass) continue;
      seen.add(key);
      // The header gunicorn compares, as the client would forge it (its own `secure_scheme_headers`, else the default).
      const forged = names.includes('X-FORWARDED-PROTO') ? 'X-Forwarded-Proto: https' : `${names[0]}: ${headers.get(names[0])}`;
      const trustText = `\`${f.code}\` (${f.from}) makes gunicorn believe ${shown} from any peer (${any === '*' ? "'*' disables the address check" : `${any} covers every address`})`;
      ctx.report({
        loc: f.loc,
        severity: nginxPath && !nginxPath.noTls ? undefined : 'low',
        message: nginxPath
          ? `${trustText}, and ${nginxPath.where}: a client can send \`${forged}\` over plain HTTP and gunicorn sets wsgi.url_scheme to https, so Django's request.is_secure() is true, SECURE_SSL_REDIRECT (where on) lets the request through and build_absolute_uri() makes https links.${nginxPath.noTls ?? ''}`
          : bypass
          ? `${trustText}, and gunicorn listens on \`${reachable!.addr}\` (${reachable!.loc.path}:${reachable!.loc.line}), ${bypass}: the proxy in front overwrites those headers, but a client that reaches gunicorn's port directly can claim HTTPS over plain HTTP. (Low: a firewall may keep the port private.)`
          : `${trustText}, and gunicorn listens on \`${reachable!.addr}\` (${reachable!.loc.path}:${reachable!.loc.line}) with nothing in the repository in front of it that overwrites those headers: a client that reaches it directly can claim HTTPS over plain HTTP. (Low: a proxy outside the repository may overwrite them.)`,
        hint: "Overwrite the header in the proxy for every request (`proxy_set_header X-Forwarded-Proto $scheme;`), and list the proxy's own address in forwarded_allow_ips instead of '*' (the container network's gateway or the proxy's IP), or bind gunicorn to a UNIX socket only nginx can reach.",
        related: nginxPath ? [nginxPath.related] : undefined,
      });
    }
  },
});

/**
 * Why gunicorn's reachable bind is open to clients other than the proxy: a compose service that publishes the port
 * on a non-loopback host address, or a server started outside any container (config file, systemd, supervisor).
 * Undefined where only the container network reaches it, or the repository runs containers without saying so.
 */
function hostReachable(ctx: RuleContext, run: GunicornRun, addr: string): string | undefined {
  const units = ctx.model.deploy?.units ?? [];
  const port = Number(addr.slice(addr.lastIndexOf(':') + 1));
  // A compose service, or each production compose service that starts the image's command.
  const services = run.via === 'compose' ? [run.unit] : run.via === 'dockerfile' && ctx.model.deploy ? (runningServices(ctx.model.deploy).get(run.unit) ?? []) : undefined;
  if (services) {
    for (const unit of services) {
      const published = hostPublished(unit, port);
      if (published) return `which compose service ${unit.service ?? unit.name} publishes on the host (${published.text})`;
    }
    return undefined;
  }
  if (run.via === 'procfile' || run.via === 'dockerfile') return undefined;
  if (units.some((u) => u.via === 'dockerfile' || u.via === 'compose')) return undefined;
  return 'outside any container';
}
