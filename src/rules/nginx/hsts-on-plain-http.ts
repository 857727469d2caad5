import type { NginxDirective } from '../../parsers/nginx/types';
import { describeEdge, tlsEdge } from '../../model/edge';
import { defineRule } from '../types';
import { groupIdentical, repeatNote, repeatRelated } from './_common';
import {
  allHstsHeaders, anchorLoc, describeListen, headerValuesFor, locKey, onceFilter, serverName,
} from './_hsts-util';

// RFC 6797 §8.1: a user agent ignores Strict-Transport-Security received over plain HTTP. Only headers written in
// (or included into) a plain-only server count; an http-level one also serves the TLS servers beside it.
export default defineRule({
  meta: {
    id: 'nginx/hsts-on-plain-http',
    severity: 'info',
    title: 'Strict-Transport-Security is added in a server that only accepts plain HTTP',
    kinds: ['nginx'],
  },
  check(ctx) {
    const once = onceFilter();
    const plainOnly = allHstsHeaders(ctx).filter(({ server }) => server && !server.tls);
    for (const g of groupIdentical(ctx, plainOnly)) {
      const { d } = g.first;
      const server = g.first.server!;
      // Behind a TLS terminator the header reaches browsers over HTTPS: it may be the site's only HSTS.
      const edge = tlsEdge(ctx.model, server);
      if (edge.where === 'front') continue;
      // A value from a map keyed on $scheme/$https may be empty over plain HTTP (then nothing is added); other
      // variables are not judged.
      const values = headerValuesFor(ctx, d, 'http');
      if (!values || values.every((v) => v === '')) continue;
      // A snippet shared with TLS servers: point at the include written in this server, not the shared line.
      const at = inServerFile(d, server.block);
      const loc = anchorLoc(ctx, at);
      if (!once(locKey(loc))) continue;
      ctx.report({
        loc,
        message:
          (at !== d ? `\`${at.name} ${at.args.map((a) => a.raw).join(' ')}\` brings in \`${d.name} ${d.name === 'add_header' ? 'Strict-Transport-Security' : d.args.map((a) => a.raw).join(' ')}\` (${d.file}:${d.loc.line}). ` : '') +
          `Server ${serverName(server)} only accepts plain HTTP (${describeListen(server.listens[0])}), and browsers ignore a Strict-Transport-Security header received over plain HTTP (RFC 6797 §8.1): ` +
          `this header has no effect here and suggests HSTS is in place when it is not. ${describeEdge(edge).replace(/^./, (c) => c.toUpperCase())}.` +
          repeatNote(g),
        related: repeatRelated(g),
        hint:
          (at !== d
            ? 'Include a snippet without the Strict-Transport-Security line in this plain-HTTP server and keep HSTS for the TLS server'
            : 'Remove it here and send it from the TLS server instead') +
          ' (`add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;`); make this server only `return 308 https://$host$request_uri;`.',
      });
    }
  },
});

/** The include (or the directive itself) that sits in the server's own file. */
function inServerFile(d: NginxDirective, server: NginxDirective): NginxDirective {
  let cur = d;
  while (cur.file !== server.file && cur.includedFrom) cur = cur.includedFrom;
  return cur;
}
