import { headerName, proxySslHeader } from '../../model/scheme';
import { anchorLoc, reportOnce } from '../nginx/_common';
import { noTlsListenerNote } from '../nginx/_proxy-util';
import { defineRule } from '../types';
import { answer, forgeableCause, plainAppSites, settingsRelated } from './_cross';

// Django's SECURE_PROXY_SSL_HEADER docs: the proxy must strip the header from client requests and set it itself,
// or any client can claim HTTPS. Over plain HTTP on the first hop that claim makes SECURE_SSL_REDIRECT skip the
// request and request.is_secure() True, so Secure cookies and https:// absolute URLs are handed out over plain HTTP.
export default defineRule({
  meta: {
    id: 'cross/proxy-ssl-header-unstripped',
    severity: 'high',
    title: 'Django trusts a proxy header that nginx lets the client set: plain HTTP can claim to be HTTPS',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    if (ctx.model.nginx.servers.length === 0 || ctx.model.settings.length === 0) return;
    const headers = ctx.model.settings.flatMap((s) => {
      const h = proxySslHeader(s);
      return h.state === 'set' && h.meta.startsWith('HTTP_') ? [headerName(h.meta).toLowerCase()] : [];
    });
    if (headers.length === 0) return;
    const report = reportOnce(ctx);
    for (const site of plainAppSites(ctx, headers)) {
      const h = proxySslHeader(site.settings);
      if (h.state !== 'set') continue;
      const a = answer(ctx, site, 'http');
      if (a.sees !== 'forgeable' || a.by !== 'proxy-ssl-header') continue;
      const header = headerName(h.meta);
      const d = a.directive ?? site.pass;
      const noTls = noTlsListenerNote(ctx.model, site.server);
      report({
        loc: anchorLoc(ctx, d),
        ...(noTls ? { severity: 'low' as const } : {}),
        cause: { keys: [forgeableCause(site.block)], primary: true },
        related: [settingsRelated(h.loc, `SECURE_PROXY_SSL_HEADER in ${site.settings.path}: Django trusts ${h.meta} = "${h.value}"`)],
        message:
          `${site.settings.path}:${h.loc.line} makes Django trust ${h.meta} = "${h.value}" (SECURE_PROXY_SSL_HEADER), but ${a.evidence[1]}, and this server takes plain HTTP from clients (${site.entry}): ` +
          `a client that sends \`${a.forgedWith}\` over plain HTTP is treated as HTTPS by Django (request.is_secure() is True, SECURE_SSL_REDIRECT lets the request through, absolute URLs say https).${noTls ?? ''}`,
        hint:
          site.pass.name === 'uwsgi_pass'
            ? `Overwrite it for every request passed to uWSGI: \`uwsgi_param ${h.meta} ${h.value === 'on' ? '$https' : '$scheme'};\` next to \`include uwsgi_params;\`, in every level that has uwsgi_param lines of its own.`
            : `Overwrite it for every proxied request: \`proxy_set_header ${header} ${h.value === 'on' ? '$https' : '$scheme'};\` in this location or its server (and in every level that has proxy_set_header lines of its own).`,
      });
    }
  },
});
