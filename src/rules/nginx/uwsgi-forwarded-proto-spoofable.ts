import { effectiveParams } from '../../model/nginx';
import { settingsBehind } from '../../model/scheme';
import { defineRule } from '../types';
import {
  XFP_PARAM, XFSSL_PARAM, anchorLoc, behindProxyHint, clientHeadersPassed, clientVar, directiveText, levelRef, ownSets,
  noTlsListenerNote, passSites, plainEntry, reportOnce,
} from './_proxy-util';

// nginx passes client headers to uWSGI as HTTP_* vars unless a uwsgi_param of the same name hides them (FACTS §4.4).
// Since uWSGI 2.0.8, HTTP_X_FORWARDED_PROTO sets wsgi.url_scheme and HTTP_X_FORWARDED_SSL counts like HTTPS
// (FACTS §6.1), so on a plain-HTTP listener a client can make Django see HTTPS (Zulip 0935d38).

export default defineRule({
  meta: {
    id: 'nginx/uwsgi-forwarded-proto-spoofable',
    severity: 'medium',
    title: 'uwsgi_pass lets a client\'s X-Forwarded-Proto / X-Forwarded-SSL set the scheme uWSGI reports',
    kinds: ['nginx'],
  },
  check(ctx) {
    const report = reportOnce(ctx);
    for (const site of passSites(ctx, 'uwsgi_pass')) {
      const entry = plainEntry(site.server, site.block);
      if (!entry || !clientHeadersPassed(site.block, 'uwsgi')) continue;
      if (behindProxyHint(site.server, [clientVar('x-forwarded-proto'), clientVar('x-forwarded-ssl')], ctx.model)) continue;
      const params = effectiveParams(site.block, 'uwsgi_param');
      const xfp = params.get(XFP_PARAM);
      const xfpValue = xfp?.args[1]?.value ?? '';
      // A scheme from HTTP_X_FORWARDED_PROTO wins over HTTPS / HTTP_X_FORWARDED_SSL, so once nginx sets it (to a
      // value of its own) the client's X-Forwarded-SSL no longer matters.
      const sslMatters = !xfp || xfpValue === '' || /\$http_/i.test(xfpValue);
      const open: { header: string; param: string; claim: string; fix: string; why: string }[] = [];
      if (!xfp) open.push({ header: 'X-Forwarded-Proto', param: XFP_PARAM, claim: 'https', fix: `uwsgi_param ${XFP_PARAM} $scheme;`, why: 'overrides' });
      if (sslMatters && !params.has(XFSSL_PARAM)) open.push({ header: 'X-Forwarded-SSL', param: XFSSL_PARAM, claim: 'on', fix: `uwsgi_param ${XFSSL_PARAM} "";`, why: 'blanks' });
      if (open.length === 0) continue;
      const noTls = noTlsListenerNote(ctx.model, site.server);
      // The forged scheme bypasses SECURE_SSL_REDIRECT; where every module behind has it off, it changes only how
      // Django builds absolute URLs for the client's own request (hamwan-portal).
      const behind = settingsBehind(ctx, site.block, site.server);
      const noRedirect = !noTls && behind.length > 0 && behind.every((s) => s.isTrue('SECURE_SSL_REDIRECT').answer === 'no');
      const sets = ownSets(site.block, 'uwsgi_param');
      const where = sets.length > 0 ? levelRef(sets[sets.length - 1].level) : `${levelRef(site.block)} or its server`;
      report({
        loc: anchorLoc(ctx, site.pass),
        ...(noTls || noRedirect ? { severity: 'low' as const } : {}),
        message:
          `\`${directiveText(site.pass)}\` passes the client's own headers to uWSGI, and this server accepts plain HTTP (${entry}): ` +
          `${open.map((o) => `the client's ${o.header} arrives as ${o.param} (no \`${o.fix}\` ${o.why} it)`).join('; ')}. ` +
          `uWSGI sets wsgi.url_scheme from ${open.length > 1 ? 'them' : 'it'}${xfp ? '' : ' (X-Forwarded-Proto since 2.0.8)'}, so a client that sends ${open.map((o) => `\`${o.header}: ${o.claim}\``).join(' or ')} over plain HTTP is seen by Django as HTTPS (request.is_secure() is True, SECURE_SSL_REDIRECT skips the request, absolute URLs say https).` +
          (noTls ?? '') +
          (noRedirect ? ` Low: ${behind.map((b) => b.path).slice(0, 2).join(', ')} ${behind.length > 1 ? 'leave' : 'leaves'} SECURE_SSL_REDIRECT off, so there is no redirect to skip; what changes is how Django builds absolute URLs for the client's own request.` : ''),
        hint:
          `Add ${open.map((o) => `\`${o.fix}\``).join(' and ')} in ${where}, ${sets.length > 0 ? 'next to its other uwsgi_param lines' : 'together with `include uwsgi_params;`'}. ` +
          "If a TLS proxy in front (a load balancer, an ingress) sets X-Forwarded-Proto, $scheme would hide it: say so with `set_real_ip_from <its address>;` and `real_ip_header X-Forwarded-For;` (HTTPS Guard then treats nginx as a second hop) and keep clients from reaching nginx's port directly.",
      });
    }
  },
});
