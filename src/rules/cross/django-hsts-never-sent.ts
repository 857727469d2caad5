import { cite, frontLabel, frontName } from '../../model/scheme';
import { djangoHstsSeconds } from '../helpers';
import { effectiveHsts, endpointCause, requestConfig } from '../nginx/_hsts-util';
import { defineRule } from '../types';
import { answer, directiveRelated, frontAppSites, frontEvidence, frontSeverity, tlsAppSites } from './_cross';

// SecurityMiddleware adds Strict-Transport-Security only when request.is_secure() (django/middleware/security.py):
// behind a TLS-terminating nginx that does not pass the scheme in a form Django reads, the configured HSTS is
// never sent.
export default defineRule({
  meta: {
    id: 'cross/django-hsts-never-sent',
    severity: 'high',
    title: 'Django is configured to send HSTS but never sees HTTPS behind nginx, so it never does',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    if (ctx.model.settings.length === 0) return;
    for (const site of frontAppSites(ctx)) {
      const seconds = djangoHstsSeconds(site.settings);
      if (seconds === undefined || site.answer.sees !== 'http') continue;
      const loc = site.settings.anchorFor('SECURE_HSTS_SECONDS');
      const proxy = frontName(site.front);
      ctx.report({
        loc,
        // A proxy that adds the header itself makes the setting only ineffective; one that shows none, no HSTS at all.
        severity: site.front.hsts === false ? frontSeverity(site, 'high') : 'low',
        message:
          `SECURE_HSTS_SECONDS = ${seconds}${site.settings.where(loc)} asks SecurityMiddleware for a Strict-Transport-Security header, but it adds one only to requests it sees as secure, and HTTPS requests that ${frontLabel(site.front)} proxies to Django reach it as plain HTTP (${frontEvidence(site)}): ` +
          (site.front.hsts === false ? `Django never sends it, and ${proxy} adds none either: browsers get no HSTS from this site.` : site.front.hsts ? `Django never sends it; browsers get ${proxy}'s header instead, so the settings value has no effect.` : `Django never sends it; whether ${proxy} adds one is not shown.`),
        hint: "Trust the header the proxy sends: SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') in the production settings; or add the header at the proxy.",
      });
    }
    if (ctx.model.nginx.servers.length === 0) return;
    const seen = new Set<string>();
    const sites = tlsAppSites(ctx);
    const sees = new Map(sites.map((site) => [site, answer(ctx, site, 'https')]));
    for (const site of sites) {
      const seconds = djangoHstsSeconds(site.settings);
      if (seconds === undefined) continue;
      const a = sees.get(site)!;
      if (a.sees !== 'http') continue;
      const key = `${site.settings.path}\0${site.block.file}:${site.block.loc.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const nginxHsts = effectiveHsts(requestConfig(site.block, 'https', site.server), ctx.config.nginxVersion)[0];
      // Another location of the same server that passes to the same settings with the scheme: Django's header does
      // reach browsers from there (hse-academy's `location = /health/` without X-Forwarded-Proto beside `location /`).
      const covered = nginxHsts ? undefined : sites.find((o) => o !== site && o.server === site.server && o.settings === site.settings && sees.get(o)!.sees === 'https');
      const loc = site.settings.anchorFor('SECURE_HSTS_SECONDS');
      ctx.report({
        loc,
        severity: nginxHsts || covered ? 'low' : 'high',
        // Where nginx adds none either, nginx/hsts-missing reports the missing header on the server and carries this.
        cause: nginxHsts ? undefined : { keys: [endpointCause('no-hsts', site.block)], primary: false },
        related: [directiveRelated(site.pass, `${site.pass.name} passes HTTPS requests to Django, which sees them as plain HTTP`)],
        message:
          `SECURE_HSTS_SECONDS = ${seconds}${site.settings.where(loc)} asks SecurityMiddleware for a Strict-Transport-Security header, but it adds one only to requests it sees as secure, and HTTPS requests passed by ${cite(site.pass)} reach Django as plain HTTP (${a.evidence.join('; ')}): ` +
          (nginxHsts
            ? `Django never sends it there; browsers get nginx's ${cite(nginxHsts)} instead, so the settings value has no effect.`
            : covered
              ? `Django never sends it on these responses, and nginx adds none there; ${cite(covered.pass)} passes the scheme, so responses from there carry Django's header.`
              : 'Django never sends it, and nginx adds none either: browsers get no HSTS from this site.'),
        hint:
          site.pass.name === 'uwsgi_pass'
            ? 'Let Django see HTTPS: `include uwsgi_params;` (it sends `uwsgi_param HTTPS $https if_not_empty;`) in the location that passes to uWSGI.'
            : "Let Django see HTTPS: `proxy_set_header X-Forwarded-Proto $scheme;` in nginx and SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') in the settings; or send HSTS from nginx with `add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;`.",
      });
    }
  },
});
