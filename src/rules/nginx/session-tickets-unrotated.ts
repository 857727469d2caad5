import { defineRule } from '../types';
import {
  anchorOf, atLeast, inForce, listInForceAt, once, protocolsIn, serverHasUnreadInclude, serverLoc, tls13Only, tlsServers, versionNote,
} from './_tls-util';

// Session tickets are on by default. Without ssl_session_ticket_key files, nginx before 1.23.2 leaves the ticket key
// to OpenSSL, which makes one at startup and keeps it until nginx restarts or reloads. nginx 1.23.2 keeps keys in
// the ssl_session_cache shared zone and rotates them (ngx_ssl_rotate_ticket_keys), but only when that cache is
// `shared:` (ngx_ssl_session_ticket_keys returns early otherwise). Mozilla's template writes
// `ssl_session_tickets off;` for nginx before 1.23.2. Explicit key files are rotated by the operator: not judged.
// A TLS 1.2 ticket carries the session's master secret; TLS 1.3 resumption (psk_dhe_ke, what browsers and OpenSSL
// use) mixes in a fresh (EC)DHE, so a TLS 1.3-only server is not reported.
export default defineRule({
  meta: {
    id: 'nginx/session-tickets-unrotated',
    severity: 'low',
    title: 'TLS session tickets on with a ticket key nginx never rotates',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = once(ctx);
    for (const s of tlsServers(ctx)) {
      const rotates = atLeast(ctx, '1.23.2', s);
      const tickets = inForce(s, 'ssl_session_tickets');
      if (tickets?.args[0]?.value.toLowerCase() === 'off') continue;
      if (listInForceAt(s.block, s.config, 'ssl_session_ticket_key').length > 0) continue;
      if (tls13Only(protocolsIn(inForce(s, 'ssl_protocols'), ctx)) || serverHasUnreadInclude(ctx, s)) continue;
      const cache = inForce(s, 'ssl_session_cache');
      const shared = cache?.args.some((a) => a.value.startsWith('shared:')) ?? false;
      if (rotates && shared) continue;
      const state = tickets ? '`ssl_session_tickets on`' : 'Session tickets are on (nginx default)';
      const consequence =
        "so one key encrypts every ticket until nginx restarts or reloads. A TLS 1.2 ticket carries the session's master secret: whoever obtains that key (it sits in memory for as long as nginx runs) can decrypt every recorded TLS 1.2 session that received a ticket, which undoes forward secrecy";
      report(tickets ? anchorOf(ctx, tickets) : serverLoc(ctx, s), {
        message: rotates
          ? `${state} and nginx rotates ticket keys only when ssl_session_cache uses shared memory (since 1.23.2); this server has ${cache ? `\`ssl_session_cache ${cache.args.map((a) => a.value).join(' ')}\`` : 'no ssl_session_cache'}, ${consequence} (${versionNote(ctx, s)}).`
          : `${state} and nginx before 1.23.2 never rotates the ticket key, ${consequence} (${versionNote(ctx, s)}).`,
        hint: rotates
          ? 'Add `ssl_session_cache shared:SSL:10m;` (nginx then rotates the keys) or `ssl_session_tickets off;`.'
          : 'Add `ssl_session_tickets off;` (as Mozilla\'s template does for nginx before 1.23.2), or upgrade to nginx 1.23.2+ with `ssl_session_cache shared:SSL:10m;`, which rotates the keys.',
      });
    }
  },
});
