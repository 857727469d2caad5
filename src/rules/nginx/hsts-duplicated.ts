import { appsBehind, fallbackNote } from '../../model/links';
import { defineRule } from '../types';
import {
  anchorLoc, blockLabel, djangoHstsAt, djangoHstsSenders, effectiveHsts, headerValue, hidesUpstreamHsts, locKey, onceFilter,
  parseHsts, requestConfig, serverName, tlsContentEndpoints,
} from './_hsts-util';

// add_header appends to the upstream's headers (ngx_list_push in ngx_http_headers_filter_module), it does not
// replace them; RFC 6797 §8.1: a browser processes only the first Strict-Transport-Security field, which is the
// app's (upstream headers are copied before the header filters run).
export default defineRule({
  meta: {
    id: 'nginx/hsts-duplicated',
    severity: 'low',
    title: 'Both nginx and Django send Strict-Transport-Security (two headers)',
    kinds: ['nginx', 'django-settings'],
  },
  check(ctx) {
    if (djangoHstsSenders(ctx).length === 0) return;
    const once = onceFilter();
    const version = ctx.config.nginxVersion;
    for (const server of ctx.model.nginx.servers) {
      for (const e of tlsContentEndpoints(server)) {
        if (e.served.how !== 'app') continue;
        // Only the apps this end point passes to (the model's links), and only where Django sees the request as
        // HTTPS: elsewhere nginx's header is the only one.
        const django = djangoHstsAt(ctx, server, e).senders;
        if (django.length === 0) continue;
        const cfg = requestConfig(e.block, 'https', server);
        if (hidesUpstreamHsts(cfg, e.served.via)) continue;
        for (const d of effectiveHsts(cfg, version)) {
          // headers-more replaces the app's header instead of adding a second one.
          if (d.name === 'more_set_headers') continue;
          const loc = anchorLoc(ctx, d);
          if (!once(locKey(loc))) continue;
          const ours = headerValue(d);
          const theirs = [...new Set(django.map((x) => x.value))];
          const same = theirs.every((v) => sameHsts(v, ours));
          // A monorepo under the fallback may count hundreds of modules: name a few.
          const modules = django.slice(0, 3).map((x) => `${x.module.path} sets SECURE_HSTS_SECONDS = ${x.seconds}`).join('; ') + (django.length > 3 ? `; and ${django.length - 3} more` : '');
          const pass = e.served.via;
          ctx.report({
            loc,
            message:
              `nginx adds \`Strict-Transport-Security: ${ours}\` to responses of ${blockLabel(e.block)} in server ${serverName(server)}, which passes them to the app (\`${pass.name} ${pass.args.map((a) => a.raw).join(' ')}\`), ` +
              `and Django's SecurityMiddleware already sends \`${theirs.join('` or `')}\` there on secure requests (${modules})${fallbackNote(ctx.model, appsBehind(ctx.model, server, e.block, e.served.via))}. add_header appends, so browsers get two Strict-Transport-Security headers` +
              (same ? ' with the same value: harmless today, but the two copies drift apart when one is changed.' : ' with different values; browsers process only the first one (RFC 6797 §8.1), which is the app\'s, so the nginx value is not the one in force.'),
            hint:
              `Send HSTS from one place: remove this add_header (and keep SECURE_HSTS_SECONDS), or keep it and hide the app's copy with \`${pass.name.replace(/_pass$/, '')}_hide_header Strict-Transport-Security;\` next to the ${pass.name}, or set SECURE_HSTS_SECONDS = 0.`,
          });
        }
      }
    }
  },
});

/** Same max-age and flags, whatever the spelling. */
function sameHsts(a: string, b: string): boolean {
  const x = parseHsts(a);
  const y = parseHsts(b);
  return x.maxAge === y.maxAge && x.includeSubDomains === y.includeSubDomains && x.preload === y.preload && !x.problem && !y.problem;
}
