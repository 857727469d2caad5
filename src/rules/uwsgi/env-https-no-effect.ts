import { SCHEME_KEYS } from '../helpers';
import { defineRule } from '../types';
import { optionsNamed, optionText, reportOnce } from './_util';

// `env` calls putenv() (core/uwsgi.c uwsgi_opt_set_env): the process environment, not the per-request WSGI environ
// that wsgi.url_scheme comes from. `route-run = addvar:HTTPS=on` adds a request var after uWSGI has read the scheme.
// Both checked on uWSGI 2.0.21: a plain-HTTP request still saw wsgi.url_scheme "http" (setscheme:https did change it).

const HINT =
  "Remove it. Let the scheme reach uWSGI per request: behind nginx, `include uwsgi_params;` (it sends HTTPS $https) in the TLS server, or `route-run = setscheme:https` on a socket that only TLS-terminated traffic reaches; behind an HTTP proxy, SECURE_PROXY_SSL_HEADER with a header the proxy overwrites.";

export default defineRule({
  meta: {
    id: 'uwsgi/env-https-no-effect',
    severity: 'low',
    title: 'uwsgi `env = HTTPS=on` (or wsgi.url_scheme / UWSGI_SCHEME) sets the process environment, which Django never reads',
    kinds: ['uwsgi'],
  },
  check(ctx) {
    const report = reportOnce(ctx);
    for (const { o } of optionsNamed(ctx, ['env'])) {
      const eq = o.value.indexOf('=');
      const key = eq > 0 ? o.value.slice(0, eq).trim() : o.value.trim();
      if (!SCHEME_KEYS.has(key)) continue;
      report({
        loc: o.loc,
        message: `\`${optionText(o)}\` sets ${key} in the uWSGI process environment (os.environ), not in each request's WSGI environ: uWSGI takes wsgi.url_scheme from the request (the HTTPS or UWSGI_SCHEME var nginx sends, X-Forwarded-Proto, or setscheme), so Django's request.is_secure() does not change.`,
        hint: HINT,
      });
    }
    for (const { o } of optionsNamed(ctx, ['route-run'])) {
      if (!/^addvar:\s*(HTTPS|UWSGI_SCHEME|wsgi\.url_scheme)\s*=/i.test(o.value)) continue;
      report({
        loc: o.loc,
        message: `\`${optionText(o)}\` adds a request var after uWSGI has already decided wsgi.url_scheme, so Django still sees the request's own scheme (checked on uWSGI 2.0.21: a plain-HTTP request stayed "http"). To force the scheme uWSGI's action is setscheme:https.`,
        hint: HINT,
      });
    }
  },
});
