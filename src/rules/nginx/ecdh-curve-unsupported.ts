import { defineRule } from '../types';
import { anchorOf, findDirectives, listWords, once } from './_tls-util';

// OpenSSL rejects a whole group list when one name is unknown, and nginx treats that as fatal
// (SSL_CTX_set1_curves_list() failed, NGX_LOG_EMERG). ML-KEM groups exist from OpenSSL 3.5; the "?" prefix
// (skip if unknown) from OpenSSL 3.3 (gixy-ng ssl_ecdh_curve doc; OpenSSL 3.0.19 rejects both forms here).
// Debian 12 and Ubuntu 24.04 ship OpenSSL 3.0. `ssl_conf_command Groups|Curves` fails the same way.

const POST_QUANTUM = /mlkem|kyber/i;

/** The colon-separated group list a directive sets, if it sets one. */
function groupList(d: { name: string; args: { value: string }[] }): string | undefined {
  if (d.name === 'ssl_ecdh_curve') return d.args[0]?.value;
  const cmd = d.args[0]?.value.toLowerCase();
  return cmd === 'groups' || cmd === 'curves' ? d.args[1]?.value : undefined;
}

export default defineRule({
  meta: {
    id: 'nginx/ecdh-curve-unsupported',
    severity: 'medium',
    title: 'ssl_ecdh_curve lists a post-quantum group without the "?" prefix',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = once(ctx);
    for (const { d } of findDirectives(ctx, ['ssl_ecdh_curve', 'ssl_conf_command'], true)) {
      const list = groupList(d);
      if (!list) continue;
      const groups = list.split(':');
      const bare = groups.filter((g) => !g.startsWith('?') && POST_QUANTUM.test(g));
      if (bare.length === 0) continue;
      // Kyber drafts have a standard successor: X25519MLKEM768 (draft-kwiatkowski-tls-ecdhe-mlkem).
      const fixed = [...new Set(groups.map((g) => (!bare.includes(g) ? g : /kyber/i.test(g) ? '?X25519MLKEM768' : `?${g}`)))].join(':');
      const what = d.name === 'ssl_ecdh_curve' ? 'ssl_ecdh_curve' : `ssl_conf_command ${d.args[0].value}`;
      const mlkem = bare.filter((g) => !/kyber/i.test(g));
      const kyber = bare.filter((g) => /kyber/i.test(g));
      const unknown = [
        ...(mlkem.length ? [`OpenSSL before 3.5 does not know ${listWords(mlkem)}`] : []),
        ...(kyber.length ? [`no OpenSSL release knows ${listWords(kyber)} (pre-standard Kyber names from BoringSSL and the oqs provider)`] : []),
      ];
      report(anchorOf(ctx, d), {
        message: `${what} names the post-quantum group${bare.length > 1 ? 's' : ''} ${listWords(bare)} without the "?" prefix: ${unknown.join(', and ')}, and OpenSSL rejects the whole list when one name is unknown, so nginx does not start${mlkem.length ? ' (Debian 12 and Ubuntu 24.04 ship OpenSSL 3.0)' : ''}.`,
        hint: `Write \`${d.name === 'ssl_ecdh_curve' ? 'ssl_ecdh_curve' : `ssl_conf_command ${d.args[0].value}`} ${fixed};\` (${kyber.length ? 'the Kyber drafts replaced by the standard X25519MLKEM768; ' : ''}"?" makes OpenSSL 3.3+ skip a group it lacks). With OpenSSL older than 3.3, which rejects "?" too, leave the post-quantum groups out.`,
      });
    }
  },
});
