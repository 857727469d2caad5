import { effectiveParams } from '../../model/nginx';
import type { NginxDirective } from '../../parsers/nginx';
import { describeEdge, tlsEdge } from '../../model/edge';
import { djangoScheme, settingsBehind } from '../../model/scheme';
import { defineRule } from '../types';
import {
  XFP_HEADER, XFP_PARAM, XFSSL_PARAM, anchorLoc, behindSite, directiveText, isLiteral, levelRef, passSites, plainEntry, reportOnce,
  schemeVariable, trustedHeaders, uwsgiOn, type TrustedHeader,
} from './_proxy-util';

// A fixed "https" scheme is only true on a TLS-only server. Where the same server also answers plain HTTP and
// passes it to the app, Django's request.is_secure() is True for plain requests too (FACTS §1.2, §6.1): the
// SecurityMiddleware redirect to HTTPS never fires for them.

type PassKind = 'proxy_pass' | 'uwsgi_pass' | 'fastcgi_pass';

interface Hit {
  directive: NginxDirective;
  fix: string;
}

/** How to send Django's expected value only over TLS: $scheme gives "https", $https gives "on"; others need a map. */
function trustedFix(prefix: string, expected: string): string {
  if (expected === 'https' || expected === 'on') return `\`${prefix} ${schemeVariable(expected)};\``;
  return `\`${prefix} $forwarded_scheme_value;\` with \`map $https $forwarded_scheme_value { on "${expected}"; default ""; }\` at http level`;
}

/** The directives in force for `block` that claim HTTPS with a literal value. */
function hardcoded(block: NginxDirective, kind: PassKind, trusted: TrustedHeader[]): Hit[] {
  const out: Hit[] = [];
  const value = (d: NginxDirective) => d.args[1]?.value ?? '';
  if (kind === 'proxy_pass') {
    for (const [name, d] of effectiveParams(block, 'proxy_set_header')) {
      const v = value(d);
      if (!isLiteral(v) || v === '') continue;
      if (name === XFP_HEADER && v.toLowerCase() === 'https') out.push({ directive: d, fix: `\`proxy_set_header ${d.args[0].raw} $scheme;\`` });
      else if (trusted.some((t) => t.header === name && t.value === v)) out.push({ directive: d, fix: trustedFix(`proxy_set_header ${d.args[0].raw}`, v) });
    }
    return out;
  }
  const params = effectiveParams(block, kind === 'uwsgi_pass' ? 'uwsgi_param' : 'fastcgi_param');
  const directive = kind === 'uwsgi_pass' ? 'uwsgi_param' : 'fastcgi_param';
  for (const [name, d] of params) {
    const v = value(d);
    if (!isLiteral(v) || v === '') continue;
    if (name === 'HTTPS' && (kind === 'uwsgi_pass' ? uwsgiOn(v) : /^(on|1)$/i.test(v))) out.push({ directive: d, fix: `\`${directive} HTTPS $https if_not_empty;\`` });
    else if (kind === 'uwsgi_pass' && name === 'UWSGI_SCHEME' && v.toLowerCase() === 'https') out.push({ directive: d, fix: '`uwsgi_param UWSGI_SCHEME $scheme;`' });
    else if (kind === 'uwsgi_pass' && name === XFP_PARAM && v.toLowerCase() === 'https') out.push({ directive: d, fix: `\`uwsgi_param ${XFP_PARAM} $scheme;\`` });
    else if (kind === 'uwsgi_pass' && name === XFSSL_PARAM && uwsgiOn(v)) out.push({ directive: d, fix: `\`uwsgi_param ${XFSSL_PARAM} $https;\`` });
    else if (trusted.some((t) => t.meta === name && t.value === v)) out.push({ directive: d, fix: trustedFix(`${directive} ${d.args[0].raw}`, v) });
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'nginx/forwarded-proto-hardcoded',
    severity: 'high',
    title: 'The scheme sent to the app is hard-coded to https in a server that also accepts plain HTTP',
    kinds: ['nginx'],
  },
  check(ctx) {
    // Settings are read only when nginx hands requests to an app at all.
    if (ctx.model.nginx.servers.length === 0) return;
    const trusted = trustedHeaders(ctx);
    const report = reportOnce(ctx);
    for (const kind of ['proxy_pass', 'uwsgi_pass', 'fastcgi_pass'] as const) {
      for (const site of passSites(ctx, kind)) {
        const entry = plainEntry(site.server, site.block);
        if (!entry) continue;
        // Behind a TLS terminator the plain listener takes the terminator's traffic, not the clients'.
        if (tlsEdge(ctx.model, site.server, { strongOnly: true }).where === 'front') continue;
        // Weaker signs of a terminator in front (no public name, an internal port): the header is then right for
        // the terminator's traffic and wrong only for clients that reach this listener directly.
        const edge = tlsEdge(ctx.model, site.server);
        const inner = !site.server.tls && edge.where === 'front';
        const hits = hardcoded(site.block, kind, behindSite(ctx, site, trusted));
        if (hits.length === 0) continue;
        // Neither Django nor the app server behind reads the header today (no SECURE_PROXY_SSL_HEADER, daphne without
        // --proxy-headers): plain requests are still seen as plain, so the value is a trap, not a hole (cyborgbackup).
        const behind = site.pass.name === 'fastcgi_pass' ? [] : settingsBehind(ctx, site.pass.parent ?? site.block, site.server);
        const plainSeen = behind.length > 0 ? behind.map((s) => djangoScheme(ctx, site.pass, s, 'http')) : [];
        const unread = plainSeen.length > 0 && plainSeen.every((a) => a.sees === 'http');
        for (const hit of hits) {
          report({
            loc: anchorLoc(ctx, hit.directive),
            severity: unread ? 'low' : inner ? 'medium' : undefined,
            message:
              `\`${directiveText(hit.directive)}\` tells the app that every request came over HTTPS, but this server also accepts plain HTTP (${entry}) and passes those requests on in ${levelRef(site.block)} (\`${directiveText(site.pass)}\` at ${site.pass.file}:${site.pass.loc.line}): ` +
              (unread
                ? `nothing behind it reads the value today (${[...(plainSeen[0].evidence.some((e) => e.includes('SECURE_PROXY_SSL_HEADER')) ? [] : [`${behind[0].path} sets no SECURE_PROXY_SSL_HEADER`]), ...plainSeen[0].evidence].join('; ')}), so plain requests still reach Django as plain HTTP; the day SECURE_PROXY_SSL_HEADER is set or the app server trusts the header, they reach Django marked secure and SECURE_SSL_REDIRECT never sends them to HTTPS.`
                : 'plain-HTTP requests reach Django marked secure, so request.is_secure() is True for them and SECURE_SSL_REDIRECT never sends them to HTTPS (logins and forms stay on plain HTTP).') +
              (inner && !unread ? ` Medium: this nginx has no TLS listener and ${describeEdge(edge)}, where the fixed value is true; it is wrong for clients that reach this listener directly.` : ''),
            hint: `Send the scheme nginx actually received: ${hit.fix} — or move the plain-HTTP listener into its own server that only does \`return 301 https://$host$request_uri;\`.`,
          });
        }
      }
    }
  },
});
