import { cipherSuiteFlags } from '../../tls/ciphers';
import { defineRule } from '../types';
import { uwsgiCipherLists, UWSGI_CIPHERS_HINT } from '../uwsgi/_ciphers';
import {
  anchorOf, cipherArg, effectiveAt, evaluate, examples, inForce, listWords, MOZILLA_INTERMEDIATE_CIPHERS, negotiable, once,
  protocolsIn, tls13Only, unknownNote, uses, weakSuites,
} from './_tls-util';

// Mozilla intermediate since guideline 5.8: ECDHE with AEAD only. Static-RSA (kRSA) key exchange has no forward
// secrecy; CBC-mode suites (MAC-then-encrypt) are what Lucky13 and other padding oracles attack. Weak suites are
// nginx/weak-ssl-ciphers' finding, so a list with any of them is left to that rule.
export default defineRule({
  meta: {
    id: 'nginx/ciphers-not-modern',
    severity: 'low',
    title: 'Cipher list enables suites without forward secrecy or in CBC mode',
    kinds: ['nginx', 'uwsgi'],
  },
  check(ctx) {
    const report = once(ctx);
    const lists = [
      ...uses(ctx, 'ssl_ciphers').flatMap((u) => {
        if (u.servers.length === 0 && !u.standalone) return [];
        const value = cipherArg(u.d);
        if (value === undefined) return [];
        const live = u.standalone
          ? !tls13Only(protocolsIn(effectiveAt(u.d, u.config, 'ssl_protocols'), ctx))
          : u.servers.some((s) => !tls13Only(protocolsIn(inForce(s, 'ssl_protocols'), ctx)));
        return live ? [{ loc: anchorOf(ctx, u.d), e: evaluate(value), name: 'ssl_ciphers', hint: undefined as string | undefined }] : [];
      }),
      // uWSGI's own TLS listeners (TLS 1.2 and below stay on there).
      ...uwsgiCipherLists(ctx).map((c) => ({ loc: c.o.loc, e: c.e, name: `uWSGI ${c.o.name} (${c.field})`, hint: UWSGI_CIPHERS_HINT as string | undefined })),
    ];
    for (const { loc, e, name, hint } of lists) {
      if (!e.ok || weakSuites(e).length > 0) continue;
      const suites = negotiable(e);
      const noPfs = suites.filter((s) => cipherSuiteFlags(s).nonForwardSecret);
      const cbc = suites.filter((s) => cipherSuiteFlags(s).cbc);
      if (noPfs.length === 0 && cbc.length === 0) continue;
      const parts: string[] = [];
      const whys: string[] = [];
      if (noPfs.length > 0) {
        parts.push(`suites without forward secrecy (${examples(noPfs)})`);
        whys.push("whoever obtains the server's private key later can decrypt every recorded session that used them");
      }
      if (cbc.length > 0) {
        parts.push(`CBC-mode suites (${examples(cbc)})`);
        whys.push('CBC with HMAC is the construction padding-oracle attacks such as Lucky13 target');
      }
      report(loc, {
        message: `${name} enables ${listWords(parts)}: ${whys.join('; ')}${unknownNote(e)}. Mozilla's intermediate profile keeps only ECDHE with AES-GCM or ChaCha20-Poly1305.`,
        hint: hint ?? `Use \`ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};\` (Mozilla intermediate: Firefox 31.3, Chrome 49, Android 4.4.2, Java 8u161 and later still connect).`,
      });
    }
  },
});
