import type { NginxConfig, NginxDirective } from '../../parsers/nginx';
import { defineRule, type RuleContext } from '../types';
import {
  anchorOf, cipherArg, dhParamFile, evaluate, examples, inForceAt, MOZILLA_INTERMEDIATE_CIPHERS, negotiable, NGINX_DEFAULT_CIPHERS, once,
  namesDhe, protocolsIn, tls13Only, unreadIncludeAround, uses,
} from './_tls-util';

// Since nginx 1.11.0 DHE suites are only used with ssl_dhparam ("to use DHE ciphers it is now required to specify
// parameters"); without it they sit in the list unused. With it, the group must be at least 2048 bits (Logjam;
// Mozilla, CIS NGINX 4.1.6). TLS 1.3 uses named groups, never ssl_dhparam. Only a list that asks for DHE by name
// is reported as missing ssl_dhparam: HIGH (nginx's default) brings DHE suites too, unused and harmless.

/** DHE suites the cipher list in force at a level enables (none when only TLS 1.3 is on). */
function dheSuitesAt(ctx: RuleContext, level: NginxDirective | undefined, config: NginxConfig, ciphers?: NginxDirective) {
  if (tls13Only(protocolsIn(inForceAt(level, config, 'ssl_protocols'), ctx))) return [];
  const d = ciphers ?? inForceAt(level, config, 'ssl_ciphers');
  const value = d ? cipherArg(d) : NGINX_DEFAULT_CIPHERS;
  if (value === undefined) return [];
  const e = evaluate(value);
  return e.ok ? negotiable(e).filter((s) => s.kx === 'DHE') : [];
}

export default defineRule({
  meta: {
    id: 'nginx/dhe-without-dhparam',
    severity: 'low',
    title: 'DHE suites enabled without ssl_dhparam, or with a DH group under 2048 bits',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = once(ctx);
    // An explicit cipher list with DHE suites and no ssl_dhparam where it applies.
    for (const u of uses(ctx, 'ssl_ciphers')) {
      const value = cipherArg(u.d);
      if (value === undefined || !namesDhe(value)) continue;
      const scopes = u.standalone ? [{ level: u.d.parent, config: u.config }] : u.servers.map((s) => ({ level: s.block, config: s.config }));
      let dhe: ReturnType<typeof dheSuitesAt> = [];
      for (const { level, config } of scopes) {
        if (inForceAt(level, config, 'ssl_dhparam') || unreadIncludeAround(ctx, level, config)) continue;
        dhe = dheSuitesAt(ctx, level, config, u.d);
        if (dhe.length > 0) break;
      }
      if (dhe.length === 0) continue;
      report(anchorOf(ctx, u.d), {
        message: `ssl_ciphers asks for DHE suites (${examples(dhe)}) but no ssl_dhparam applies here: since nginx 1.11.0 DHE suites are not used without DH parameters, so the list does not do what it says (a client that shares only DHE suites with it fails the handshake).`,
        hint: `Drop the DHE suites (Mozilla's intermediate list has none since guideline 5.8: \`ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};\`), or add \`ssl_dhparam /etc/nginx/dhparam.pem;\` with a 2048-bit group (Mozilla's ffdhe2048: https://ssl-config.mozilla.org/ffdhe2048.txt).`,
      });
    }
    // A dhparam file in the workspace whose prime is under 2048 bits, where DHE suites are enabled.
    for (const u of uses(ctx, 'ssl_dhparam')) {
      const live = u.standalone
        ? dheSuitesAt(ctx, u.d.parent, u.config).length > 0
        : u.servers.some((s) => dheSuitesAt(ctx, s.block, s.config).length > 0);
      if (!live) continue;
      const file = dhParamFile(ctx, u.d, u.config);
      if (file.state !== 'bits' || file.bits >= 2048) continue;
      report(anchorOf(ctx, u.d), {
        message: `ssl_dhparam ${file.rel} holds a ${file.bits}-bit DH group: DHE key exchange with a group this small is within reach of precomputation attacks (Logjam, 2015, broke 512-bit groups and put 1024-bit ones in reach of a nation-state); Mozilla and CIS NGINX 4.1.6 ask for at least 2048 bits.`,
        hint: 'Replace the file with a 2048-bit group (Mozilla\'s ffdhe2048: https://ssl-config.mozilla.org/ffdhe2048.txt, or `openssl dhparam -out dhparam.pem 2048`), or drop the DHE suites from ssl_ciphers.',
      });
    }
  },
});
