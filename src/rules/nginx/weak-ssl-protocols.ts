import { defineRule } from '../types';
import type { NginxServer } from '../../model/nginx';
import { anchorOf, findDirectives, inForce, isImplicitHttp, keyOf, serversUnseen, listWords, once, protocolDeciders, protocolsOf, uses, WEAK_PROTOCOLS, type Use } from './_tls-util';
import { pushTo } from '../../util/multimap';

// gixy-ng weak_ssl_tls, CIS NGINX 4.1.4, Mozilla intermediate: TLS 1.2 and 1.3 only. RFC 8996 (2021) deprecates
// TLS 1.0/1.1; SSLv3 falls to POODLE (RFC 7568), SSLv2 to DROWN (RFC 6176). nginx matches the names
// case-insensitively. Upstream TLS (proxy_/uwsgi_/grpc_ssl_protocols) is judged the same way where it is written.

const UPSTREAM = ['proxy_ssl_protocols', 'uwsgi_ssl_protocols', 'grpc_ssl_protocols'];

function why(weak: string[]): string {
  const parts: string[] = [];
  if (weak.includes('SSLv2') || weak.includes('SSLv3')) parts.push('SSLv2 and SSLv3 are broken (DROWN, POODLE)');
  if (weak.includes('TLSv1') || weak.includes('TLSv1.1')) {
    parts.push('TLS 1.0 and 1.1 are deprecated by RFC 8996, depend on SHA-1/MD5 in the handshake and on CBC suites open to BEAST and Lucky13, and current browsers no longer use them');
  }
  return parts.join('; ');
}

function scope(u: Use, unseen: boolean): string {
  if (unseen) return ' (set in http {}, where no server is in view: the servers come from includes that were not read, so whether a TLS server inherits it is not known)';
  if (u.standalone) {
    return isImplicitHttp(u.d.parent, u.config)
      ? ' (no TLS server in view uses it: every TLS server that includes this file, directly or through its http {}, inherits it)'
      : ' (set in http {}: every TLS server added here without its own ssl_protocols inherits it)';
  }
  if (u.d.parent?.name === 'server') return '';
  const n = u.servers.length;
  const names = u.servers.flatMap((s) => s.names.slice(0, 1)).slice(0, 3);
  return ` (set at http level and inherited by ${n} TLS server${n > 1 ? 's' : ''} that decide${n > 1 ? '' : 's'} the protocol range of ${n > 1 ? 'their' : 'its'} address:port${names.length ? `: ${names.join(', ')}${n > names.length ? ', …' : ''}` : ''})`;
}

export default defineRule({
  meta: {
    id: 'nginx/weak-ssl-protocols',
    severity: 'high',
    title: 'ssl_protocols enables SSLv2, SSLv3, TLS 1.0 or TLS 1.1',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = once(ctx);
    // Only the default server of a TLS address:port decides which versions a handshake may use.
    const decides = new Map<string, NginxServer[]>();
    for (const s of protocolDeciders(ctx)) {
      const d = inForce(s, 'ssl_protocols');
      if (d) pushTo(decides, keyOf(d), s);
    }
    for (const used of uses(ctx, 'ssl_protocols')) {
      const u = { ...used, servers: decides.get(keyOf(used.d)) ?? [] };
      if (u.servers.length === 0 && !u.standalone) continue;
      const weak = protocolsOf(u.d).filter((p) => WEAK_PROTOCOLS.has(p));
      if (weak.length === 0) continue;
      const unseen = serversUnseen(ctx, u);
      report(anchorOf(ctx, u.d), {
        ...(unseen ? { severity: 'low' as const } : {}),
        message: `ssl_protocols enables ${listWords(weak)}${scope(u, unseen)}: ${why(weak)}. nginx accepts them from any client that offers them.`,
        hint: 'Write `ssl_protocols TLSv1.2 TLSv1.3;` (Mozilla intermediate), or `ssl_protocols TLSv1.3;` when every client supports TLS 1.3.',
      });
    }
    for (const { d } of findDirectives(ctx, UPSTREAM)) {
      const weak = protocolsOf(d).filter((p) => WEAK_PROTOCOLS.has(p));
      if (weak.length === 0) continue;
      report(anchorOf(ctx, d), {
        message: `${d.name} enables ${listWords(weak)} for nginx's TLS connections to the upstream: ${why(weak)}. Traffic to a backend reached over an untrusted network can then be downgraded to them.`,
        hint: `Write \`${d.name} TLSv1.2 TLSv1.3;\` (and upgrade the backend if it cannot speak TLS 1.2).`,
      });
    }
  },
});
