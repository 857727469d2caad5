import { effectiveDirective } from '../../model/nginx';
import { defineRule } from '../types';
import { anchorLoc, placeOf, reportOnce } from './_proxy-util';

// ngx_http_ssl_module hands each server's own `resolver` (server level, or inherited from http; a location's is
// not used) to the stapling code. Without one, nginx resolves the OCSP responder's host once at start-up with the
// system resolver and, at every refresh, logs "no resolver defined to resolve …" and reuses those addresses
// (src/event/ngx_event_openssl_stapling.c); if start-up resolution fails, stapling is ignored for the certificate.
const IP_RESPONDER = /^http:\/\/(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])(:\d+)?(\/|$)/i;

export default defineRule({
  meta: {
    id: 'nginx/stapling-without-resolver',
    severity: 'low',
    title: 'OCSP stapling is on but the server has no resolver for the OCSP responder',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = reportOnce(ctx);
    for (const server of ctx.model.nginx.servers) {
      if (!server.tls) continue;
      const stapling = effectiveDirective(server.block, 'ssl_stapling');
      if (stapling?.args[0]?.value !== 'on') continue;
      if (effectiveDirective(server.block, 'resolver')) continue;
      // A staple read from a file, or a responder given by IP address, needs no name lookup.
      if (effectiveDirective(server.block, 'ssl_stapling_file')) continue;
      const responder = effectiveDirective(server.block, 'ssl_stapling_responder')?.args[0]?.value;
      if (responder && IP_RESPONDER.test(responder)) continue;
      const where = stapling.parent === server.block ? '' : ` (set at http level, ${placeOf(ctx, stapling)})`;
      const loc = anchorLoc(ctx, stapling);
      report({
        loc,
        // For a Let's Encrypt certificate the stapling line is dead (nginx/stapling-letsencrypt): one cause, one fix.
        cause: { keys: [`stapling:${loc.path}:${loc.line}`], primary: false },
        message:
          `\`ssl_stapling on\` is in force for the TLS server at ${server.block.file}:${server.block.loc.line}${where}, but no \`resolver\` is set at server or http level: ` +
          'nginx looks the OCSP responder up only once, at start-up, with the system resolver, then logs "no resolver defined to resolve …" at every refresh and reuses those addresses. ' +
          'When the responder moves (CAs serve OCSP from CDNs) or the start-up lookup failed, no OCSP response is stapled and clients have to ask the CA themselves.',
        hint:
          'Add a resolver at server or http level, next to ssl_stapling, e.g. `resolver 127.0.0.53 valid=300s; resolver_timeout 5s;` (use your DNS server; a resolver inside a location is not used for stapling). ' +
          'If your CA no longer runs OCSP (Let\'s Encrypt stopped in 2025), remove `ssl_stapling on` instead.',
      });
    }
  },
});
