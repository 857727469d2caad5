import { cite, headerName, metaSent, proxyHeaderSent, proxySslHeader, uwsgiVarSent } from '../../model/scheme';
import { compareVersions } from '../../config';
import type { NginxDirective } from '../../parsers/nginx';
import { anchorLoc, reportOnce } from '../nginx/_common';
import { defineRule } from '../types';
import { answer, seesHttpCause, settingsRelated, tlsAppSites } from './_cross';

// Django compares request.META[name] with the value of SECURE_PROXY_SSL_HEADER, case-sensitively, and a header
// that is present decides alone (django/http/request.py; CVE-2019-12781 made a present header authoritative).
// A proxy that sends the scheme under another name, or with another value ("on", "HTTPS", $https), leaves Django
// seeing every HTTPS request as http.

/** Names a proxy commonly sends the scheme under (request headers, lower case). */
const SCHEME_HEADERS = ['x-forwarded-proto', 'x-forwarded-protocol', 'x-forwarded-ssl', 'x-forwarded-scheme', 'x-scheme', 'x-url-scheme', 'front-end-https'];

export default defineRule({
  meta: {
    id: 'cross/proxy-ssl-header-mismatch',
    severity: 'high',
    title: 'The header Django trusts for HTTPS is not the one nginx sends, or never has the value Django expects',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    if (ctx.model.nginx.servers.length === 0 || ctx.model.settings.length === 0) return;
    const report = reportOnce(ctx);
    for (const site of tlsAppSites(ctx)) {
      const h = proxySslHeader(site.settings);
      if (h.state !== 'set') continue;
      const sent = metaSent(site.pass, h.meta, 'https');
      if (!sent) continue;
      const a = answer(ctx, site, 'https');
      if (a.sees !== 'http') continue;
      const trusted = `${h.loc.path}:${h.loc.line} trusts ${h.meta} = "${h.value}" (SECURE_PROXY_SSL_HEADER)`;
      let message: string;
      let hint: string;
      let at: NginxDirective;
      if (sent.kind === 'value') {
        const split = compareVersions(site.settings.djangoVersion, '4.1') >= 0 ? ' (its first comma-separated part)' : '';
        at = sent.by;
        message =
          `${cite(sent.by)} sends "${sent.value}" for HTTPS requests, but ${trusted} and compares the value${split} exactly, case included: ` +
          `"${sent.value}" ≠ "${h.value}", so Django sees every HTTPS request passed by ${cite(site.pass)} as plain HTTP (request.is_secure() is False: no HSTS, http:// absolute URLs, and a redirect loop with SECURE_SSL_REDIRECT).`;
        hint = h.value === 'https' ? `Send the scheme itself: \`${sent.by.name} ${sent.by.args[0]?.raw} $scheme;\`, or change the settings value to "${sent.value}" if that is what the proxy always sends over HTTPS.` : `Make the two agree: set the settings value to what nginx sends over HTTPS, or send "${h.value}" only over HTTPS (a \`map $https\` at http level).`;
      } else if (sent.kind === 'absent' || sent.kind === 'client') {
        // Over https an honest client sends no such header: what nginx sends decides.
        const other = otherSchemeHeader(site.pass, h.meta);
        if (!other) continue;
        at = other.d;
        message =
          `${cite(other.d)} sends the scheme as ${other.name}, but ${trusted}, which nginx never sends here${h.meta.startsWith('HTTP_') ? '' : ` (a META key without HTTP_ is never made from a request header)`}: ` +
          `Django falls back to wsgi.url_scheme, which is http (${a.evidence.slice(-1)[0]}), so every HTTPS request passed by ${cite(site.pass)} looks like plain HTTP to it.`;
        hint =
          site.pass.name === 'uwsgi_pass' && h.meta.startsWith('HTTP_')
            ? `Send it under the name Django reads: \`uwsgi_param ${h.meta} ${h.value === 'on' ? '$https' : '$scheme'};\` instead of ${cite(other.d)}.`
            : other.meta.startsWith('HTTP_')
              ? `Make the names agree: SECURE_PROXY_SSL_HEADER = ('${other.meta}', '${h.value}') in ${site.settings.path}, or send ${headerName(h.meta)} from nginx.`
              : `Send the scheme under the name Django reads (${headerName(h.meta)}).`;
      } else continue;
      report({
        loc: anchorLoc(ctx, at),
        // The redirect loop, where SECURE_SSL_REDIRECT is on, is this same cause and carries it.
        cause: { keys: [seesHttpCause(site.block)], primary: false },
        related: [settingsRelated(h.loc, `SECURE_PROXY_SSL_HEADER in ${site.settings.path}: Django trusts ${h.meta} = "${h.value}"`)],
        message,
        hint,
      });
    }
  },
});

/** A scheme header (or uwsgi var) nginx does send for this pass, under a name other than Django's. */
export function otherSchemeHeader(pass: NginxDirective, meta: string): { d: NginxDirective; name: string; meta: string } | undefined {
  const block = pass.parent!;
  for (const h of SCHEME_HEADERS) {
    const m = `HTTP_${h.toUpperCase().replace(/-/g, '_')}`;
    if (pass.name === 'proxy_pass') {
      if (m === meta) continue;
      const s = proxyHeaderSent(block, h, 'https');
      if (s.kind === 'value' && s.by) return { d: s.by, name: headerName(m), meta: m };
    } else {
      for (const key of [m, m.slice(5)]) {
        if (key === meta) continue;
        const s = uwsgiVarSent(block, key, 'https');
        if (s.kind === 'value' && s.by) return { d: s.by, name: key, meta: key };
      }
    }
  }
  return undefined;
}
