import { defineRule } from '../types';
import {
  atLeast, defaultProtocols, inForce, listWords, serverHasUnreadInclude, serverLabel, serverLoc, tlsServers, versionNote, WEAK_PROTOCOLS,
} from './_tls-util';

// gixy-ng "Missing ssl_protocols" (MEDIUM), semgrep missing-ssl-version. nginx's default (NGX_SSL_DEFAULT_PROTOCOLS)
// kept TLSv1 and TLSv1.1 until 1.27.3; Debian 12 ships nginx 1.22.
export default defineRule({
  meta: {
    id: 'nginx/ssl-protocols-implicit',
    severity: 'medium',
    title: "TLS server relies on nginx's default ssl_protocols",
    kinds: ['nginx'],
  },
  check(ctx) {
    const defaults = defaultProtocols(ctx.config.nginxVersion);
    const weak = defaults.filter((p) => WEAK_PROTOCOLS.has(p));
    const safe = atLeast(ctx, '1.27.3');
    for (const s of tlsServers(ctx)) {
      if (inForce(s, 'ssl_protocols') || serverHasUnreadInclude(ctx, s)) continue;
      ctx.report({
        loc: serverLoc(ctx, s),
        severity: safe ? 'low' : undefined,
        message: safe
          ? `${serverLabel(s)} sets no ssl_protocols (nor does its http level), so it relies on nginx's default, TLSv1.2 TLSv1.3 since nginx 1.27.3; the same configuration on an older nginx (Debian 12 ships 1.22) enables TLSv1 and TLSv1.1 as well (${versionNote(ctx)}).`
          : `${serverLabel(s)} sets no ssl_protocols (nor does its http level), so nginx uses its built-in default ${defaults.join(' ')}: ${listWords(weak)} stay enabled, deprecated by RFC 8996 and open to downgrade to legacy CBC suites (${versionNote(ctx)}).`,
        hint: 'Add `ssl_protocols TLSv1.2 TLSv1.3;` to this server or to the http {} block, so the protocols do not depend on the nginx release.',
      });
    }
  },
});
