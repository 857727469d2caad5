import type { Loc } from '../../types';
import { anchorLoc } from '../nginx/_common';
import { passSites, plainEntry } from '../nginx/_proxy-util';
import { defineRule } from '../types';
import { optionsNamed, optionText, PLAIN_HTTP_LISTENERS, reportOnce } from './_util';

// `route-run = setscheme:https` sets wsgi.url_scheme for every request (core/routing.c; checked on uWSGI 2.0.21: a
// plain-HTTP request then reads "https"). Right on a socket only TLS-terminated traffic reaches; wrong where plain
// HTTP arrives too: Django then skips SECURE_SSL_REDIRECT and marks its plain-HTTP responses as secure.

export default defineRule({
  meta: {
    id: 'uwsgi/scheme-forced',
    severity: 'medium',
    title: 'uwsgi forces the https scheme (`route-run = setscheme:https`) on a socket that also receives plain HTTP',
    kinds: ['uwsgi', 'nginx'],
  },
  check(ctx) {
    const report = reportOnce(ctx);
    // nginx servers that hand plain-HTTP requests to uWSGI instead of redirecting them.
    let plainPass: { where: string; loc: Loc } | undefined;
    for (const site of passSites(ctx, 'uwsgi_pass')) {
      const entry = plainEntry(site.server, site.block);
      if (entry) {
        plainPass = { where: entry, loc: anchorLoc(ctx, site.pass) };
        break;
      }
    }
    for (const { o, run } of optionsNamed(ctx, ['route-run'])) {
      // The value is used verbatim: only exactly "https" makes Django's is_secure() true.
      if (o.opaque || o.conditional || !/^setscheme:https$/.test(o.value.trim())) continue;
      const plain = run.options.find((x) => PLAIN_HTTP_LISTENERS.includes(x.name) && !x.conditional);
      const uwsgiSocket = run.options.some((x) => x.name === 'socket' || x.name === 'uwsgi-socket');
      let why: string | undefined;
      let related;
      if (plain) why = `this uWSGI also serves plain HTTP itself (\`${optionText(plain)}\` at ${plain.loc.path}:${plain.loc.line})`;
      else if (uwsgiSocket && plainPass) {
        why = `nginx passes plain-HTTP requests to uWSGI (${plainPass.where}, uwsgi_pass at ${plainPass.loc.path}:${plainPass.loc.line})`;
        related = [{ path: plainPass.loc.path, line: plainPass.loc.line, message: 'plain-HTTP requests reach uwsgi_pass here' }];
      }
      if (!why) continue;
      report({
        loc: o.loc,
        message: `\`${optionText(o)}\` marks every request as HTTPS, and ${why}: Django sees request.is_secure() true on plain HTTP, so SECURE_SSL_REDIRECT never redirects it and secure-only cookies and HSTS are sent over an unencrypted connection.`,
        hint: 'Let the scheme follow the connection: drop the route and use `include uwsgi_params;` in nginx (HTTPS $https), or keep setscheme only on a socket that nothing but the TLS server reaches, and redirect port 80 to https.',
        related,
      });
    }
  },
});
