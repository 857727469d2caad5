import { cipherSuiteFlags } from '../../tls/ciphers';
import { defineRule } from '../types';
import {
  evaluate, examples, inForce, MOZILLA_INTERMEDIATE_CIPHERS, negotiable, NGINX_DEFAULT_CIPHERS, protocolsIn, serverHasUnreadInclude,
  serverLabel, serverLoc, tls13Only, tlsServers,
} from './_tls-util';

// gixy-ng "Missing ssl_ciphers". nginx's default HIGH:!aNULL:!MD5 (since 1.0.5) keeps static-RSA and CBC suites.
// With TLS 1.3 only, ssl_ciphers has nothing to choose from (TLS 1.3 suites are configured apart), so no finding.
export default defineRule({
  meta: {
    id: 'nginx/ssl-ciphers-implicit',
    severity: 'low',
    title: `TLS server relies on nginx's default ssl_ciphers (${NGINX_DEFAULT_CIPHERS})`,
    kinds: ['nginx'],
  },
  check(ctx) {
    // Evaluated on the first server that needs it: a scan without one (most runs) skips the cipher tables.
    let named: { noPfs: string; cbc: string } | undefined;
    const defaults = (): { noPfs: string; cbc: string } => {
      if (named) return named;
      const suites = negotiable(evaluate(NGINX_DEFAULT_CIPHERS)).filter((s) => s.availability === 'default');
      return (named = {
        noPfs: examples(suites.filter((s) => s.kx === 'RSA')),
        cbc: examples(suites.filter((s) => cipherSuiteFlags(s).cbc && s.mac === 'SHA1' && !cipherSuiteFlags(s).nonForwardSecret)),
      });
    };
    for (const s of tlsServers(ctx)) {
      if (inForce(s, 'ssl_ciphers') || serverHasUnreadInclude(ctx, s)) continue;
      const protocols = protocolsIn(inForce(s, 'ssl_protocols'), ctx);
      if (tls13Only(protocols)) continue;
      const { noPfs, cbc } = defaults();
      ctx.report({
        loc: serverLoc(ctx, s),
        message: `${serverLabel(s)} sets no ssl_ciphers (nor does its http level), so nginx uses its default ${NGINX_DEFAULT_CIPHERS}, which for TLS 1.2 and below also enables static-RSA suites without forward secrecy (${noPfs}) and CBC suites with SHA-1 (${cbc}).`,
        hint: `Add \`ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};\` (Mozilla intermediate) to this server or the http {} block, or \`ssl_protocols TLSv1.3;\` if every client supports TLS 1.3.`,
      });
    }
  },
});
