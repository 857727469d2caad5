import { cite, frontLabel, frontName, headerName, metaSent, proxySslHeader, schemeHeaderSent } from '../../model/scheme';
import type { NginxDirective } from '../../parsers/nginx';
import { otherSchemeHeader } from './proxy-ssl-header-mismatch';
import { djangoHstsSeconds } from '../helpers';
import { anchorLoc } from '../nginx/_common';
import { defineRule } from '../types';
import { answer, directiveRelated, frontAppSites, frontEvidence, frontSeverity, seesHttpCause, settingsRelated, tlsAppSites, type AppSite } from './_cross';

// Behind a TLS-terminating nginx, Django knows a request was HTTPS only from the WSGI scheme or the header
// SECURE_PROXY_SSL_HEADER names (django/http/request.py). Without either, request.is_secure() is False for every
// request: password-reset and other absolute links are built with http:// (the token crosses the network in
// clear before nginx redirects), and CSRF's strict Referer check, done only for secure requests, is skipped.
// The uwsgi_pass face of this is nginx/uwsgi-https-missing; the redirect loop and the HSTS that is never sent
// are their own rules.
export default defineRule({
  meta: {
    id: 'cross/django-sees-http',
    severity: 'medium',
    title: 'A TLS proxy (nginx, Caddy, Traefik) proxies to Django without telling it: Django sees every HTTPS request as plain HTTP',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    if (ctx.model.settings.length === 0) return;
    for (const site of frontAppSites(ctx)) {
      const s = site.settings;
      if (site.answer.sees !== 'http' || proxySslHeader(s).state !== 'unset') continue;
      // Reported with the consequence they have: cross/django-hsts-never-sent, cross/ssl-redirect-loop.
      if (djangoHstsSeconds(s) !== undefined || s.isTrue('SECURE_SSL_REDIRECT', false).answer === 'yes') continue;
      const value = s.get('SECURE_PROXY_SSL_HEADER');
      const alt = value.state === 'unknown' ? undefined : value.otherwise;
      const local = s.localOverride;
      const unsure = alt ? `unless ${alt.when}, which sets it` : local ? `unless \`${local.module}\` (${local.loc.path}:${local.loc.line}), which the repository does not hold, sets it` : '';
      const proxy = frontName(site.front);
      ctx.report({
        loc: s.anchorFor('SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE'),
        severity: unsure ? 'low' : frontSeverity(site, 'medium'),
        message:
          `HTTPS requests that ${frontLabel(site.front)} proxies to Django reach it looking like plain HTTP (${frontEvidence(site)})${unsure ? `, ${unsure}` : ''}: ` +
          `request.is_secure() is False for every request, so absolute links (password-reset emails, redirects, API URLs) are built with http:// and their tokens first travel over plain HTTP, and CSRF skips the strict Referer check it does only for secure requests.`,
        hint:
          `Trust the header ${proxy} already sends: SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') in the production settings ` +
          (site.front.kind === 'nginx-proxy'
            ? "(nginx-proxy sets X-Forwarded-Proto on every request it proxies, but keeps a client's own value unless the proxy runs with TRUST_DOWNSTREAM_PROXY=false: set that too)."
            : `(${proxy} sets X-Forwarded-Proto itself on every request it proxies).`),
      });
    }
    if (ctx.model.nginx.servers.length === 0) return;
    const groups = new Map<string, AppSite[]>();
    for (const site of tlsAppSites(ctx)) {
      if (site.pass.name !== 'proxy_pass') continue;
      // Reported with the consequence it has there: cross/django-hsts-never-sent.
      if (djangoHstsSeconds(site.settings) !== undefined) continue;
      const header = proxySslHeader(site.settings);
      // A header Django trusts under another name or value than nginx sends is cross/proxy-ssl-header-mismatch; one
      // nginx sends under no name at all is this rule's (amadeuslms trusts X-Forwarded-Proto, nginx sends none).
      if (header.state !== 'unset' && !(header.state === 'set' && unsent(site.pass, header.meta))) continue;
      if (answer(ctx, site, 'https').sees !== 'http') continue;
      // Where nginx already sends the scheme the fix is one line of settings: one finding there for every server.
      const sent = schemeHeaderSent(site.pass.parent!);
      const key = sent ? site.settings.path : `${site.settings.path}\0${site.server.block.file}:${site.server.block.loc.line}`;
      const list = groups.get(key);
      if (list) list.push(site);
      else groups.set(key, [site]);
    }
    for (const sites of groups.values()) {
      const first = sites[0];
      const s = first.settings;
      const a = answer(ctx, first, 'https');
      const value = s.get('SECURE_PROXY_SSL_HEADER');
      const alt = value.state === 'unknown' ? undefined : value.otherwise;
      const local = s.localOverride;
      const unsure = alt ? `unless ${alt.when}, which sets it` : local ? `unless \`${local.module}\` (${local.loc.path}:${local.loc.line}), which the repository does not hold, sets it` : '';
      const sendsHeader = schemeHeaderSent(first.pass.parent!) !== undefined;
      const trusted = proxySslHeader(s);
      const missing = trusted.state === 'set' ? `nginx does not send the ${headerName(trusted.meta)} header that ${trusted.loc.path}:${trusted.loc.line} trusts (SECURE_PROXY_SSL_HEADER)` : `${s.path} sets no SECURE_PROXY_SSL_HEADER`;
      const others = sites.slice(1).map((o) => directiveRelated(o.pass, `${cite(o.pass)} passes HTTPS requests to Django too`));
      const anchor = sendsHeader ? s.anchorFor('SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE') : anchorLoc(ctx, first.pass);
      ctx.report({
        loc: anchor,
        severity: unsure ? 'low' : undefined,
        // With SECURE_SSL_REDIRECT on, cross/ssl-redirect-loop is this same cause and carries it.
        cause: { keys: [seesHttpCause(first.block)], primary: false },
        related: [
          sendsHeader ? directiveRelated(first.pass, `${first.pass.name} passes HTTPS requests to Django, which sees them as plain HTTP`) : trusted.state === 'set' ? settingsRelated(trusted.loc, `Django trusts ${trusted.meta}, which nginx does not send`) : settingsRelated(s.anchorForMissing('SECURE_PROXY_SSL_HEADER'), `${s.path} sets no SECURE_PROXY_SSL_HEADER`),
          ...others,
        ],
        message:
          `HTTPS requests that ${cite(first.pass)} hands to Django reach it looking like plain HTTP (${a.evidence.join('; ')}), and ${missing}${unsure ? ` ${unsure}` : ''}: ` +
          'request.is_secure() is False for every request, so absolute links (password-reset emails, redirects, API URLs) are built with http:// and carry their tokens over plain HTTP before nginx redirects them, and CSRF skips the strict Referer check it does only for secure requests.',
        hint: trusted.state === 'set'
          ? `Send the header Django trusts in every location that proxies to it: \`proxy_set_header ${headerName(trusted.meta)} ${trusted.value === 'on' ? '$https' : '$scheme'};\` (or \`include proxy_params;\`, which sets X-Forwarded-Proto).`
          : sendsHeader
          ? "Trust the header nginx already sends: SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') in the production settings (nginx must set it itself, `proxy_set_header X-Forwarded-Proto $scheme;`, in every location that proxies to Django, as it does here)."
          : "Send the scheme and let Django trust it: `proxy_set_header X-Forwarded-Proto $scheme;` in the locations that proxy to Django, and SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') in the production settings.",
      });
    }
  },
});

/** nginx sends the trusted header under no name for HTTPS requests: neither it nor another scheme header. */
function unsent(pass: NginxDirective, meta: string): boolean {
  const sent = metaSent(pass, meta, 'https');
  return sent !== undefined && (sent.kind === 'absent' || sent.kind === 'client') && otherSchemeHeader(pass, meta) === undefined;
}
