import type { NginxConfig, NginxDirective } from '../../parsers/nginx';
import { defineRule, type RuleContext } from '../types';
import {
  anchorOf, cipherArg, evaluate, examples, inForceAt, listInForceAt, modernList, negotiable, once, protocolsIn, tls13Only, uses,
} from './_tls-util';

// Mozilla (intermediate and modern) sets ssl_prefer_server_ciphers off: when every suite is strong, the client's
// order is the better one (a phone without AES instructions puts ChaCha20-Poly1305 first). With legacy suites in the
// list, `on` is right and nothing is reported. gixy-ng reports any `on` (LOW) unless PrioritizeChaCha is set.

type Verdict = { modern: false } | { modern: true; what: string };

function judge(level: NginxDirective | undefined, config: NginxConfig, ctx: RuleContext): Verdict {
  const chacha = listInForceAt(level, config, 'ssl_conf_command').some(
    (c) => c.args[0]?.value.toLowerCase() === 'options' && /(^|[,\s])PrioritizeChaCha\b/i.test(c.args[1]?.value ?? ''),
  );
  if (chacha) return { modern: false };
  if (tls13Only(protocolsIn(inForceAt(level, config, 'ssl_protocols'), ctx))) return { modern: true, what: 'only TLS 1.3 enabled, whose suites are all AEAD' };
  const ciphers = inForceAt(level, config, 'ssl_ciphers');
  const value = ciphers && cipherArg(ciphers);
  if (value === undefined) return { modern: false };
  const e = evaluate(value);
  if (!modernList(e)) return { modern: false };
  return { modern: true, what: `a cipher list of forward-secret AEAD suites only (${examples(negotiable(e), 2)})` };
}

export default defineRule({
  meta: {
    id: 'nginx/prefer-server-ciphers-on',
    severity: 'info',
    title: 'ssl_prefer_server_ciphers on with an all-modern cipher list',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = once(ctx);
    for (const u of uses(ctx, 'ssl_prefer_server_ciphers')) {
      if (u.d.args[0]?.value.toLowerCase() !== 'on') continue;
      const verdicts = u.standalone ? [judge(u.d.parent, u.config, ctx)] : u.servers.map((s) => judge(s.block, s.config, ctx));
      const modern = verdicts.find((v): v is Extract<Verdict, { modern: true }> => v.modern);
      if (!modern) continue;
      report(anchorOf(ctx, u.d), {
        message: `ssl_prefer_server_ciphers is on with ${modern.what}: every choice is strong, so imposing the server's order only keeps clients without AES hardware (many phones) from picking the faster ChaCha20-Poly1305. Mozilla's intermediate and modern profiles set it off.`,
        hint: 'Write `ssl_prefer_server_ciphers off;` (or keep it on and add `ssl_conf_command Options PrioritizeChaCha;`, nginx 1.19.4+ with OpenSSL 1.1.1+).',
      });
    }
  },
});
