import { describe, SECURITY_MIDDLEWARE } from '../../model/settings';
import { appEdge, describeAppEdge } from '../../model/app-edge';
import { hstsSeconds } from '../helpers';
import { tlsEdge } from '../../model/edge';
import { effectiveHsts, endpointCause, endpointServes, endpointsFallbackNote, includesOnTheWay, namedByIpOnly, unresolvedIncludes, servedOverPlainHttp, tlsAppHsts, tlsContentEndpoints, whereLabel } from '../nginx/_hsts-util';
import { defineRule } from '../types';

// Django W004. Unlike W004 it also fires without SecurityMiddleware: HSTS is missing either way. nginx in the
// workspace that passes requests to an app is taken to front this Django app: when it adds HSTS (max-age > 0) to
// every TLS location that does, the header is there without Django. High where the repository shows the TLS edge
// (an nginx TLS server, a Caddy or Traefik config) and it adds no HSTS either; low, naming what to check, where TLS
// ends somewhere the repository does not show (model/app-edge.ts).
export default defineRule({
  meta: {
    id: 'django/hsts-off',
    severity: 'high',
    title: 'No HSTS: SECURE_HSTS_SECONDS is 0 or unset',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    const judged = ctx.model.settings.filter((s) => {
      const { seconds } = hstsSeconds(s);
      return seconds !== undefined && seconds <= 0;
    });
    if (judged.length === 0) return;
    const nginx = ctx.model.nginx.servers.length > 0 ? tlsAppHsts(ctx) : undefined;
    // Asked per settings module and end point: each file's role once.
    const roles = new Map<string, boolean>();
    const production = (file: string) => {
      let p = roles.get(file);
      if (p === undefined) roles.set(file, (p = (ctx.model.roleOf?.(file).role ?? 'production') === 'production'));
      return p;
    };
    // max-age=0 tells browsers to forget HSTS; a negative one is invalid and ignored.
    for (const s of judged) {
      // Only the nginx locations that pass to this module's app count (the model's links; all where unknown).
      const appEndpoints = (nginx?.appEndpoints ?? []).filter((e) => endpointServes(ctx, e, s));
      const uncovered = (nginx?.uncovered ?? []).filter((e) => endpointServes(ctx, e, s));
      if (appEndpoints.length > 0 && uncovered.length === 0) continue;
      // TLS ends in these nginx servers (shown) and they add no HSTS; a plain-HTTP nginx behind a terminator is not the edge.
      const edgeUncovered = uncovered.filter((e) => e.server.tls && production(e.endpoint.block.file));
      // The deployed configs' locations first: an example file beside them is not what serves (geology_backend).
      const shown = [...uncovered.filter((e) => production(e.endpoint.block.file)), ...uncovered.filter((e) => !production(e.endpoint.block.file))];
      const nginxNote =
        uncovered.length > 0
          ? ` nginx does not add it either: ${shown.slice(0, 3).map((e) => whereLabel(e.endpoint.block)).join(', ')} ${uncovered.length > 1 ? 'pass' : 'passes'} ${uncovered.some((e) => e.server.tls) ? 'HTTPS requests' : 'requests (HTTPS ones, where a TLS terminator sits in front of this plain-HTTP nginx)'} to the app without a Strict-Transport-Security header with max-age > 0${endpointsFallbackNote(ctx, uncovered)}.`
          : '';
      const { value } = hstsSeconds(s);
      const loc = s.anchorFor('SECURE_HSTS_SECONDS', s.middlewareName);
      const head = `${describe('SECURE_HSTS_SECONDS', value, '0')}: Django sends no Strict-Transport-Security header, so browsers keep trying plain HTTP first and a network attacker can strip HTTPS${s.where(loc)}.`;
      // Where nginx fronts the app over TLS, the fix belongs in nginx: nginx/hsts-missing (or
      // hsts-dropped-in-location) reports it there with this line as a related place.
      const cause = { keys: uncovered.map((e) => endpointCause('no-hsts', e.endpoint.block)), primary: false };
      // SECURE_HSTS_SECONDS does nothing without SecurityMiddleware (Horizon's settings have neither).
      const setting = s.hasMiddleware(SECURITY_MIDDLEWARE).answer === 'no' ? `add ${SECURITY_MIDDLEWARE} to ${s.middlewareName} and set SECURE_HSTS_SECONDS` : 'Set SECURE_HSTS_SECONDS';
      const start = (t: string) => t[0].toUpperCase() + t.slice(1);
      const hint = `${start(setting)} (start with 3600 and raise it to 31536000 or more once every page works over HTTPS), or add \`add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;\` to the nginx TLS server in front of Django.`;
      if (edgeUncovered.length > 0) {
        // Partial coverage, as nginx/hsts-missing judges it: where every such server sends HSTS from another
        // location of the app, browsers get it for the host there.
        const covered = appEndpoints.filter((e) => !uncovered.some((u) => u.endpoint === e.endpoint));
        // …or content of the same server that pages load (`/static/` keeps the header a `location /` drops).
        const sending = (server: (typeof edgeUncovered)[number]['server']) =>
          covered.find((c) => c.server === server)?.endpoint.block ??
          tlsContentEndpoints(server).find((e) => !uncovered.some((u) => u.endpoint.block === e.block) && effectiveHsts(e.block, ctx.config.nginxVersion).length > 0)?.block;
        const partial = edgeUncovered.every((u) => sending(u.server) !== undefined);
        const also = partial ? ` Other locations of the same server send it (${whereLabel(sending(edgeUncovered[0].server)!)}), and browsers keep HSTS for the whole host once one HTTPS response carries it.` : '';
        // The edge's end points are the cause: nginx/hsts-missing there takes this in, whatever other nginx files
        // (a test proxy) also lack the header.
        const edgeCause = { keys: edgeUncovered.map((e) => endpointCause('no-hsts', e.endpoint.block)), primary: false };
        // Browsers ignore HSTS from an IP address: low where every such server is named by IP only.
        const ipOnly = edgeUncovered.every((u) => namedByIpOnly(u.server));
        const ipNote = ipOnly ? ' Low: those servers are named by IP address only, and browsers ignore HSTS from an IP address (RFC 6797 §8.1.1).' : '';
        // An include that is not in the workspace sits where it could add the header to each of them: unknown, low
        // (nginx/hsts-missing judges the same end points so).
        const unknown = edgeUncovered.map((u) => includesOnTheWay(unresolvedIncludes(ctx, u.server), u.endpoint.block));
        const undecided = !ipOnly && unknown.every((l) => l.length > 0);
        const includeNote = undecided
          ? ` Low: nginx includes files that are not in the workspace where they could add it (${[...new Set(unknown.flat().map((p) => `\`${p.loc.path}:${p.loc.line}\``))].slice(0, 2).join(', ')}), so whether it is sent cannot be known here.`
          : '';
        ctx.report({ loc, cause: edgeCause, ...(ipOnly || undecided ? { severity: 'low' as const } : partial ? { severity: 'medium' as const } : {}), message: `${head}${nginxNote}${also}${ipNote}${includeNote}`, hint });
        continue;
      }
      const edge = appEdge(ctx.model, s);
      const without = edge.fronts.filter((f) => f.hsts === false);
      if (without.length === 0 && edge.fronts.some((f) => f.hsts === true)) continue;
      if (without.length > 0) {
        ctx.report({
          loc,
          cause,
          message: `${head}${nginxNote} The TLS terminator in front adds none either: ${without.map((f) => f.text).join('; ')}.`,
          hint: `${start(setting)} (start with 3600 and raise it to 31536000 or more once every page works over HTTPS), or add a Strict-Transport-Security header in the TLS terminator (Caddy: \`header Strict-Transport-Security "max-age=63072000; includeSubDomains"\`; Traefik: the headers middleware \`stsSeconds\`).`,
        });
        continue;
      }
      // A production nginx judged as the public edge that serves this app over plain HTTP only: there is no TLS to
      // send HSTS over, and nginx/http-not-redirected reports that server.
      const plainEdge = ctx.model.nginx.servers.find(
        (sv) => !sv.tls && production(sv.block.file) && tlsEdge(ctx.model, sv).where === 'unknown' && servedOverPlainHttp(sv).some((e) => e.served.how === 'app' && endpointServes(ctx, { server: sv, endpoint: e }, s)),
      );
      ctx.report({
        loc,
        cause,
        severity: 'low',
        message: plainEdge
          ? `${head}${nginxNote} The nginx in front serves the app over plain HTTP only (the server at ${plainEdge.block.file}:${plainEdge.block.loc.line}), so there is no HTTPS response to carry the header yet; nginx/http-not-redirected reports that server.`
          : `${head}${nginxNote} TLS ends in front of Django, where the repository does not show whether a Strict-Transport-Security header is added: ${describeAppEdge(edge)}. Check the proxy or platform in front for the header.`,
        hint,
      });
    }
  },
});
