import { SECURITY_MIDDLEWARE } from '../../model/settings';
import { cite, frontLabel, headerName, proxySslHeader } from '../../model/scheme';
import { anchorLoc, reportOnce } from '../nginx/_common';
import { matchesEveryUri } from '../nginx/_hsts-util';
import { defineRule } from '../types';
import { answer, frontAppSites, frontEvidence, frontSeverity, seesHttpCause, settingsRelated, tlsAppSites } from './_cross';
import type { SettingsModule } from '../../model/settings';

// SecurityMiddleware answers every request it does not see as secure with a 301 to https:// (Django's
// middleware/security.py); behind nginx that terminates TLS and does not pass the scheme in a form Django reads,
// that is every request, so the browser follows 301s to the URL it is already on until it gives up (Django's own
// SECURE_SSL_REDIRECT note; Zulip d46279c).
export default defineRule({
  meta: {
    id: 'cross/ssl-redirect-loop',
    severity: 'high',
    title: 'SECURE_SSL_REDIRECT behind a TLS proxy (nginx, Caddy, Traefik) that does not tell Django the request was HTTPS: an endless redirect loop',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    if (ctx.model.settings.length === 0) return;
    const report = reportOnce(ctx);
    for (const site of frontAppSites(ctx)) {
      const s = site.settings;
      if (site.answer.sees !== 'http' || !redirectsEveryRequest(s)) continue;
      const redirect = s.anchorFor('SECURE_SSL_REDIRECT');
      report({
        loc: redirect,
        severity: frontSeverity(site, 'high'),
        message:
          `HTTPS requests that ${frontLabel(site.front)} proxies to Django reach it looking like plain HTTP (${frontEvidence(site)}), ` +
          `and SECURE_SSL_REDIRECT = True${s.where(redirect)}: SecurityMiddleware answers each of them with a 301 to the same https:// URL, an endless redirect loop (the browser gives up with "too many redirects").`,
        hint: "Trust the header the proxy sends: SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') in the production settings (the proxy sets it itself on every request), or let gunicorn trust the proxy's address with --forwarded-allow-ips.",
      });
    }
    if (ctx.model.nginx.servers.length === 0) return;
    for (const site of tlsAppSites(ctx)) {
      const s = site.settings;
      if (!redirectsEveryRequest(s)) continue;
      const a = answer(ctx, site, 'https');
      if (a.sees !== 'http') continue;
      const redirect = s.anchorFor('SECURE_SSL_REDIRECT');
      const trusted = proxySslHeader(s);
      report({
        loc: anchorLoc(ctx, a.directive ?? site.pass),
        cause: { keys: [seesHttpCause(site.block)], primary: true },
        related: [settingsRelated(redirect, `SECURE_SSL_REDIRECT = True in ${s.path}: SecurityMiddleware redirects every request it sees as plain HTTP`)],
        message:
          `HTTPS requests that ${cite(site.pass)} hands to Django reach it looking like plain HTTP (${a.evidence.join('; ')}), ` +
          `and ${redirect.path}:${redirect.line} sets SECURE_SSL_REDIRECT = True: SecurityMiddleware answers each of them with a 301 to the same https:// URL, an endless redirect loop (the browser gives up with "too many redirects").`,
        hint:
          site.pass.name === 'uwsgi_pass'
            ? 'Tell uWSGI the scheme: add `include uwsgi_params;` (it sends `uwsgi_param HTTPS $https if_not_empty;`) in this location, next to any uwsgi_param lines of its own.'
            : trusted.state === 'set' && trusted.meta.startsWith('HTTP_')
              ? `Send the header Django trusts in this location, next to its other proxy_set_header lines: \`proxy_set_header ${headerName(trusted.meta)} ${trusted.value === 'on' ? '$https' : '$scheme'};\`.`
              : "Send the scheme and let Django trust it: `proxy_set_header X-Forwarded-Proto $scheme;` in this location (next to its other proxy_set_header lines) and SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') in the settings.",
      });
    }
  },
});

/** SecurityMiddleware with SECURE_SSL_REDIRECT on, for this host and every path. */
function redirectsEveryRequest(s: SettingsModule): boolean {
  if (s.hasMiddleware(SECURITY_MIDDLEWARE).answer !== 'yes') return false;
  if (s.isTrue('SECURE_SSL_REDIRECT', false).answer !== 'yes') return false;
  // Another host (SECURE_SSL_HOST) may be served differently; an exempt pattern for every path never redirects.
  if (s.isTrue('SECURE_SSL_HOST', false).answer !== 'no') return false;
  const exempt = s.test('SECURE_REDIRECT_EXEMPT', (v) => {
    if (v === undefined) return false;
    if (v.t !== 'list' && v.t !== 'tuple') return undefined;
    return v.items.some((i) => i.t !== 'str' || matchesEveryUri(i.v));
  });
  return exempt.answer === 'no';
}
