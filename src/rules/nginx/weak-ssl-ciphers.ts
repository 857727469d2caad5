import type { NginxConfig, NginxDirective } from '../../parsers/nginx';
import type { CipherEvaluation } from '../../tls/ciphers';
import { defineRule, type RuleContext } from '../types';
import { uwsgiCipherLists, UWSGI_CIPHERS_HINT } from '../uwsgi/_ciphers';
import {
  anchorOf, cipherArg, effectiveAt, evaluate, examples, findDirectives, inForce, listWords, MOZILLA_INTERMEDIATE_CIPHERS, once,
  protocolsIn, serversUnseen, tls13Only, unknownNote, uses, weakSuites, WEAK_LABELS,
} from './_tls-util';

// gixy-ng weak_ssl_tls, nginx-lint weak-ssl-ciphers, CIS NGINX 4.1.5. The string is evaluated as OpenSSL 3.0 builds
// the list, with the legacy suites an OpenSSL built with them would add, and no security level: the configuration
// is judged, not what today's Debian OpenSSL happens to compile in. Cipher strings do not touch TLS 1.3 suites.

const UPSTREAM = ['proxy_ssl_ciphers', 'uwsgi_ssl_ciphers', 'grpc_ssl_ciphers'];

/**
 * OpenSSL 1.1.0 removed EXPORT and single-DES suites and builds RC4 only with enable-weak-ssl-ciphers; what is left
 * of MD5-MAC then is RC4-MD5 and NULL-MD5 (eNULL, judged on its own). A string whose weak suites are all of these is
 * negotiable only on OpenSSL 1.0.2 and older: medium.
 */
const LEGACY_ONLY = new Set(['export', 'des', 'rc4', 'md5']);

function weakMessage(name: string, e: CipherEvaluation, peer: string): { message: string; severity?: 'medium' } | undefined {
  const weak = weakSuites(e);
  if (weak.length === 0) return undefined;
  const parts = weak.map((w) => `${WEAK_LABELS[w.flag].label} suites (${examples(w.suites, weak.length > 2 ? 2 : 3)})`);
  const whys = weak.map((w) => WEAK_LABELS[w.flag].why);
  const legacy = weak.every((w) => LEGACY_ONLY.has(w.flag));
  const message = legacy
    ? `${name} enables ${listWords(parts)}: ${whys.join('; ')}. OpenSSL 1.1.0 and later build none of them by default, so nginx negotiates them only where it runs on OpenSSL 1.0.2 or older (CentOS 7, Debian 8) or on a build with enable-weak-ssl-ciphers, with any ${peer} that picks them or shares nothing stronger${unknownNote(e)}.`
    : `${name} enables ${listWords(parts)}: ${whys.join('; ')}. nginx negotiates them with any ${peer} that picks them or shares nothing stronger${unknownNote(e)}.`;
  return { message, severity: legacy ? 'medium' : undefined };
}

function rejectedMessage(name: string, e: CipherEvaluation): string {
  const onlyUnknown = e.unknownTokens.length > 0 && e.errors.every((x) => x === 'no cipher match');
  const detail = onlyUnknown
    ? `none of its names is an OpenSSL cipher name (${e.unknownTokens.slice(0, 3).join(', ')}${e.unknownTokens.length > 3 ? ', …' : ''}), so OpenSSL matches no cipher`
    : `OpenSSL rejects the string (${e.errors.join('; ')})`;
  const where = name === 'ssl_ciphers' ? 'nginx refuses to start' : 'nginx refuses to start once a location passes requests to a TLS upstream with it';
  return `${name}: ${detail}, and ${where} ("SSL_CTX_set_cipher_list() failed").${e.unknownTokens.some((t) => t.startsWith('TLS_')) ? ' OpenSSL cipher strings take OpenSSL names such as ECDHE-RSA-AES128-GCM-SHA256, not IANA TLS_… names.' : ''}`;
}

const HINT = `Use Mozilla's intermediate list: \`ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};\` (or at least append \`:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!3DES:!MD5\`).`;
const REJECTED_HINT = `Write OpenSSL cipher names separated by colons, e.g. \`ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};\`, and check it with \`openssl ciphers -v '<string>'\`.`;

/** Whether the protocols in force where `d` is written still include TLS ≤ 1.2, where cipher strings matter. */
function belowTls13(ctx: RuleContext, d: NginxDirective, config: NginxConfig, protocolsName: string): boolean {
  return !tls13Only(protocolsIn(effectiveAt(d, config, protocolsName), ctx));
}

export default defineRule({
  meta: {
    id: 'nginx/weak-ssl-ciphers',
    severity: 'high',
    title: 'Cipher list enables RC4, DES/3DES, NULL, EXPORT, MD5 or anonymous suites',
    kinds: ['nginx', 'uwsgi'],
  },
  check(ctx) {
    const report = once(ctx);
    for (const u of uses(ctx, 'ssl_ciphers')) {
      if (u.servers.length === 0 && !u.standalone) continue;
      const value = cipherArg(u.d);
      if (value === undefined) continue;
      const e = evaluate(value);
      if (!e.ok) {
        report(anchorOf(ctx, u.d), { severity: 'medium', message: rejectedMessage('ssl_ciphers', e), hint: REJECTED_HINT });
        continue;
      }
      const live = u.standalone
        ? belowTls13(ctx, u.d, u.config, 'ssl_protocols')
        : u.servers.some((s) => !tls13Only(protocolsIn(inForce(s, 'ssl_protocols'), ctx)));
      if (!live) continue;
      const weak = weakMessage('ssl_ciphers', e, 'client');
      // No server in view under an http {} whose servers come from unread includes: not known to be served.
      if (weak) report(anchorOf(ctx, u.d), serversUnseen(ctx, u) ? { severity: 'low', message: `${weak.message} No server is in view in this http {}: its servers come from includes that were not read, so whether a TLS server uses it is not known.`, hint: HINT } : { ...weak, hint: HINT });
    }
    for (const { d, config } of findDirectives(ctx, UPSTREAM)) {
      const value = cipherArg(d);
      if (value === undefined) continue;
      const e = evaluate(value);
      if (!e.ok) {
        report(anchorOf(ctx, d), { severity: 'medium', message: rejectedMessage(d.name, e), hint: REJECTED_HINT.replace('ssl_ciphers', d.name) });
        continue;
      }
      if (!belowTls13(ctx, d, config, d.name.replace('_ciphers', '_protocols'))) continue;
      const weak = weakMessage(d.name, e, 'upstream server');
      if (weak) report(anchorOf(ctx, d), { ...weak, hint: HINT.replace('ssl_ciphers', d.name) });
    }
    // uWSGI's own TLS listeners: the same verdict on the cipher field of https / https-socket / ssl-socket.
    for (const c of uwsgiCipherLists(ctx)) {
      if (!c.e.ok) {
        report(c.o.loc, {
          severity: 'medium',
          message: rejectedMessage('ssl_ciphers', c.e).replace(/^ssl_ciphers/, `uWSGI ${c.o.name} (${c.field}, \`${c.ciphers}\`)`).replace(/nginx refuses to start \("SSL_CTX_set_cipher_list\(\) failed"\)/, 'uWSGI stops at startup ("unable to set requested ciphers")'),
          hint: UWSGI_CIPHERS_HINT,
        });
        continue;
      }
      const weak = weakMessage(`uWSGI ${c.o.name} (${c.field}, \`${c.ciphers}\`)`, c.e, 'client');
      if (weak) report(c.o.loc, { ...weak, message: weak.message.replace('nginx negotiates them', 'uWSGI negotiates them'), hint: UWSGI_CIPHERS_HINT });
    }
  },
});
