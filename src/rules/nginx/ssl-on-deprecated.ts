import { children } from '../../model/nginx';
import { defineRule } from '../types';
import { anchorOf, atLeast, findDirectives, once, versionNote } from './_tls-util';

// `ssl on|off` was deprecated in nginx 1.15.0 and removed in 1.25.1 ("unknown directive"). While it worked, `ssl on`
// turned every listener of the server (or of every server, at http level) into TLS, plain `listen 80` included.
export default defineRule({
  meta: {
    id: 'nginx/ssl-on-deprecated',
    severity: 'low',
    title: '`ssl on;` is deprecated (rejected from nginx 1.25.1)',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = once(ctx);
    for (const { d, config } of findDirectives(ctx, ['ssl'], true)) {
      // The release the config's own nginx image pins, where one does (nginx:1.13.3 still takes `ssl on;`).
      const rejected = atLeast(ctx, '1.25.1', { config });
      const value = d.args[0]?.value.toLowerCase();
      if (value !== 'on' && value !== 'off') continue;
      const servers = d.parent?.name === 'server' ? [d.parent] : d.parent ? children(d.parent, 'server') : [];
      const plain = servers.flatMap((s) => children(s, 'listen')).filter((l) => !l.args.slice(1).some((a) => a.value === 'ssl' || a.value === 'quic'));
      const status = rejected
        ? 'nginx 1.25.1 and later no longer know this directive and refuse to start'
        : 'it has been deprecated since nginx 1.15.0 and nginx 1.25.1 refuses to start with it';
      const extra =
        value === 'on' && plain.length > 0 && !rejected
          ? ` Meanwhile it makes every listener TLS, so \`listen ${plain[0].args.map((a) => a.value).join(' ')}\` here expects a TLS handshake and http:// requests to it fail instead of being redirected.`
          : '';
      report(anchorOf(ctx, d), {
        message: `\`ssl ${value};\`: ${status} (${versionNote(ctx, { config })}).${extra}`,
        hint:
          value === 'on'
            ? 'Remove `ssl on;` and mark the TLS listeners instead: `listen 443 ssl;` and `listen [::]:443 ssl;` (keep `listen 80;` plain, in a server that redirects to https://).'
            : 'Remove `ssl off;`: a listener without the `ssl` parameter is already plain HTTP.',
      });
    }
  },
});
