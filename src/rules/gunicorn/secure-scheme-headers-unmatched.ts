import { effectiveParams } from '../../model/nginx';
import { anchorLoc } from '../nginx/_common';
import { passSites, trustedHeaders } from '../nginx/_proxy-util';
import { defineRule } from '../types';
import { gunicornRuns } from './_util';

// gunicorn upper-cases each request header name and looks it up in secure_scheme_headers as written, comparing the
// value exactly (gunicorn/http/message.py; its docs: "map upper-case header names to exact string values").
// Checked on gunicorn 20.1: {'X-Forwarded-Proto': 'https'} leaves wsgi.url_scheme "http" for a request that
// carries `X-Forwarded-Proto: https`; {'X-FORWARDED-PROTO': 'https'} makes it "https".

/** The value nginx sends for an HTTPS request, when it can be told from the directive. */
function valueOverTls(raw: string): string | undefined {
  if (raw === '$scheme') return 'https';
  if (raw === '$https') return 'on';
  if (!raw.includes('$')) return raw;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'gunicorn/secure-scheme-headers-unmatched',
    severity: 'medium',
    title: "gunicorn's secure_scheme_headers can never match: a key not in upper case, or headers and values the proxy never sends",
    kinds: ['gunicorn', 'nginx'],
  },
  check(ctx) {
    const seen = new Set<string>();
    const djangoHeader = trustedHeaders(ctx).find((t) => t.header);
    const fallback = djangoHeader ? ` Django reads ${djangoHeader.meta} itself (SECURE_PROXY_SSL_HEADER in ${djangoHeader.settings.path}), so it may still see HTTPS.` : ' Django then sees every request as plain HTTP (request.is_secure() false), so SECURE_SSL_REDIRECT loops and HSTS and secure cookies are not sent by Django.';
    // Proxy sites in TLS servers: what the HTTPS requests carry to the app.
    const tlsSites = passSites(ctx, 'proxy_pass').filter((s) => s.server.tls);
    for (const run of gunicornRuns(ctx)) {
      const s = run.facts.secureSchemeHeaders;
      if (!s?.value || s.value.size === 0 || s.conditional) continue;
      const key = `${s.loc.path}:${s.loc.line}`;
      if (seen.has(key)) continue;
      const notUpper = [...s.value.keys()].filter((k) => k !== k.toUpperCase());
      // With a certificate of its own gunicorn serves TLS and sets wsgi.url_scheme to https without any header.
      const tls = run.facts.tls && !run.facts.tls.conditional ? run.facts.tls : undefined;
      const ownTls = tls ? ` gunicorn serves TLS itself (\`${tls.code}\` at ${tls.loc.path}:${tls.loc.line}), so Django sees its requests as HTTPS anyway; the header counts only if a proxy is put in front.` : '';
      if (notUpper.length > 0) {
        seen.add(key);
        const none = notUpper.length === s.value.size;
        ctx.report({
          loc: s.loc,
          severity: none && !djangoHeader && !tls ? undefined : 'low',
          message: `secure_scheme_headers has ${notUpper.map((k) => `'${k}'`).join(', ')}, but gunicorn upper-cases request header names before it looks them up, so ${notUpper.length > 1 ? 'these keys never match' : 'this key never matches'}${none ? `: gunicorn never sets wsgi.url_scheme to https from a proxy header.${tls ? ownTls : fallback}` : ' (the upper-case keys still work).'}`,
          hint: `Write the keys in upper case: ${notUpper.map((k) => `'${k.toUpperCase()}': '${s.value!.get(k)}'`).join(', ')}.`,
        });
        continue;
      }
      // Explicit headers against what nginx in the repository sends over TLS.
      if (tlsSites.length === 0 || tls) continue;
      let match = false;
      let mismatch: { header: string; sent: string; expected: string; loc: ReturnType<typeof anchorLoc> } | undefined;
      for (const site of tlsSites) {
        const set = effectiveParams(site.block, 'proxy_set_header');
        for (const [h, expected] of s.value) {
          const d = set.get(h.toLowerCase());
          if (!d) continue;
          const sent = valueOverTls(d.args[1]?.value ?? '');
          if (sent === undefined || sent === expected) match = true;
          else mismatch ??= { header: h, sent, expected, loc: anchorLoc(ctx, d) };
        }
      }
      if (match) continue;
      seen.add(key);
      const first = anchorLoc(ctx, tlsSites[0].pass);
      ctx.report({
        loc: s.loc,
        severity: djangoHeader ? 'low' : undefined,
        message: mismatch
          ? `\`${s.code}\`: nginx sends ${mismatch.header.toLowerCase()} as "${mismatch.sent}" over HTTPS (${mismatch.loc.path}:${mismatch.loc.line}) but gunicorn expects "${mismatch.expected}" (compared exactly, case-sensitive), so gunicorn never sets wsgi.url_scheme to https.${fallback}`
          : `\`${s.code}\` names ${[...s.value.keys()].join(', ')}, but no TLS server in the repository that proxies to the app sets ${s.value.size > 1 ? 'any of them' : 'it'} (proxy_pass at ${first.path}:${first.line}), so gunicorn never sees HTTPS.${fallback}`,
        hint: mismatch
          ? `Make the two agree: \`'${mismatch.header}': '${mismatch.sent}'\` in secure_scheme_headers, or send what gunicorn expects from nginx.`
          : `Set the header in every TLS server that proxies to gunicorn (e.g. \`proxy_set_header X-Forwarded-Proto $scheme;\` with \`'X-FORWARDED-PROTO': 'https'\`).`,
        related: [{ path: (mismatch?.loc ?? first).path, line: (mismatch?.loc ?? first).line, message: 'what nginx sends to the app over HTTPS' }],
      });
    }
  },
});
