import type { NginxServer } from '../../model/nginx';
import type { NginxDirective } from '../../parsers/nginx';
import { defineRule } from '../types';
import {
  defaultProtocols, handshakeServers, inForce, listWords, nginxVersionFor, serverHasUnreadInclude, serverLabel, serverLoc, tlsServers, versionNote, WEAK_PROTOCOLS,
} from './_tls-util';
import { pushTo } from '../../util/multimap';

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
    // The versions of a handshake come from the default server of the address (often an `ssl_reject_handshake on`
    // catch-all): a default server without ssl_protocols puts nginx's default on every server behind it.
    const governed = new Map<NginxServer, NginxServer[]>();
    for (const t of tlsServers(ctx)) {
      for (const d of handshakeServers(t)) pushTo(governed, d, t);
    }
    for (const [s, behind] of governed) {
      if (inForce(s, 'ssl_protocols') || serverHasUnreadInclude(ctx, s)) continue;
      const defaults = defaultProtocols(nginxVersionFor(ctx, s));
      const weak = defaults.filter((p) => WEAK_PROTOCOLS.has(p));
      const safe = weak.length === 0;
      const others = behind.filter((t) => t !== s);
      if (others.length > 0) {
        const names = others.slice(0, 3).map((t) => `${serverLabel(t)}${inForce(t, 'ssl_protocols') ? ` (whose own \`ssl_protocols ${protocolsOfText(inForce(t, 'ssl_protocols')!)}\` does not apply)` : ''}`);
        ctx.report({
          loc: serverLoc(ctx, s),
          severity: safe ? 'low' : undefined,
          message:
            `The default server at ${s.block.file}:${s.block.loc.line} sets no ssl_protocols (nor does its http level), and a TLS handshake takes its protocol versions from the default server of the address: SNI switches the certificate, not the versions. ` +
            `So nginx's default ${defaults.join(' ')} applies to ${names.join(', ')}${others.length > 3 ? ', …' : ''}${weak.length > 0 ? `: ${listWords(weak)} stay enabled, deprecated by RFC 8996` : ''} (${versionNote(ctx, s)}).`,
          hint: 'Add `ssl_protocols TLSv1.2 TLSv1.3;` to the http {} block (or to this default server), so every handshake on the address gets it.',
        });
        continue;
      }
      ctx.report({
        loc: serverLoc(ctx, s),
        severity: safe ? 'low' : undefined,
        message: safe
          ? `${serverLabel(s)} sets no ssl_protocols (nor does its http level), so it relies on nginx's default, TLSv1.2 TLSv1.3 since nginx 1.27.3; the same configuration on an older nginx (Debian 12 ships 1.22) enables TLSv1 and TLSv1.1 as well (${versionNote(ctx, s)}).`
          : `${serverLabel(s)} sets no ssl_protocols (nor does its http level), so nginx uses its built-in default ${defaults.join(' ')}: ${listWords(weak)} stay enabled, deprecated by RFC 8996 and open to downgrade to legacy CBC suites (${versionNote(ctx, s)}).`,
        hint: 'Add `ssl_protocols TLSv1.2 TLSv1.3;` to this server or to the http {} block, so the protocols do not depend on the nginx release.',
      });
    }
  },
});

function protocolsOfText(d: NginxDirective): string {
  return d.args.map((a) => a.raw).join(' ');
}
