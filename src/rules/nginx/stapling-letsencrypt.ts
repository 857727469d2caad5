import { effectiveDirective } from '../../model/nginx';
import { defineRule } from '../types';
import { anchorLoc, reportOnce } from './_proxy-util';

// gixy-ng ssl_stapling_letsencrypt. Let's Encrypt dropped OCSP URLs from its certificates on 2025-05-07 and turned
// its OCSP responders off on 2025-08-06 (letsencrypt.org, "OCSP Service Has Reached End of Life"): nginx then finds
// no responder URL in the certificate and staples nothing ("ssl_stapling" ignored, with a warning at start-up).
// Dead configuration, not an exposure: low.

const LE_PATH = /(^|\/)letsencrypt\//i;

export default defineRule({
  meta: {
    id: 'nginx/stapling-letsencrypt',
    severity: 'low',
    title: "OCSP stapling is on for a Let's Encrypt certificate (Let's Encrypt ended OCSP in 2025)",
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = reportOnce(ctx);
    // certbot in the repository (a compose service, or a command an entry point runs) says where certificates come from.
    const certbot =
      ctx.model.edgeFacts?.composes.flatMap((c) => c.services).find((s) => /(^|\/)certbot(\/|:|$)/.test(s.image)) !== undefined ||
      (ctx.model.deploy?.units ?? []).some((u) => u.invocations.some((i) => /(^|\s|\/)certbot(\s|$)/.test(i.inv.text)));
    for (const server of ctx.model.nginx.servers) {
      if (!server.tls) continue;
      const stapling = effectiveDirective(server.block, 'ssl_stapling');
      if (stapling?.args[0]?.value !== 'on') continue;
      // A staple from a file or an explicit responder is the operator's own arrangement.
      if (effectiveDirective(server.block, 'ssl_stapling_file') || effectiveDirective(server.block, 'ssl_stapling_responder')) continue;
      const cert = effectiveDirective(server.block, 'ssl_certificate');
      const path = cert?.args[0]?.value ?? '';
      const fromLe = LE_PATH.test(path);
      if (!fromLe && !(certbot && (path === '' || /certbot|\/live\//.test(path)))) continue;
      const loc = anchorLoc(ctx, stapling);
      report({
        loc,
        cause: { keys: [`stapling:${loc.path}:${loc.line}`], primary: true },
        message: `\`ssl_stapling on\` for ${fromLe ? `the Let's Encrypt certificate \`${path}\`` : "a certificate certbot issues (certbot is set up in this repository)"}: Let's Encrypt stopped putting OCSP URLs in its certificates on 2025-05-07 and turned its OCSP responders off on 2025-08-06, so nginx has nothing to staple and only logs a warning at start-up. The line is dead configuration (and ssl_stapling_verify with it).`,
        hint: "Remove `ssl_stapling on;` and `ssl_stapling_verify on;` (and the resolver if it served only stapling). Revocation of Let's Encrypt certificates is published through CRLs, which browsers fetch themselves.",
      });
    }
  },
});
