import { describe, SECURITY_MIDDLEWARE } from '../../model/settings';
import { describeEdge } from '../../model/edge';
import { endpointCause, plainAppExposure, whereLabel } from '../nginx/_hsts-util';
import { truthyNotTrue } from '../helpers';
import { defineRule } from '../types';

// Django W008 (`is not True`); SecurityMiddleware itself only tests truth. nginx in the workspace that passes requests to an app is taken to front this Django
// app: when every plain-HTTP path to it redirects to https first (nginx/http-not-redirected's test), Django's own
// redirect is not needed.
export default defineRule({
  meta: {
    id: 'django/ssl-redirect-off',
    severity: 'medium',
    title: 'Django does not redirect plain-HTTP requests to HTTPS (SECURE_SSL_REDIRECT is not True)',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    const notTrue = ctx.model.settings.filter(
      (s) => s.hasMiddleware(SECURITY_MIDDLEWARE).answer === 'yes' && s.isTrue('SECURE_SSL_REDIRECT').answer === 'no',
    );
    // A truthy value that is not True still redirects (the middleware tests truth): only check --deploy parity.
    const judged: typeof notTrue = [];
    for (const s of notTrue) {
      const parity = truthyNotTrue(s, 'SECURE_SSL_REDIRECT', 'plain-HTTP requests are redirected', 'security.W008');
      if (!parity) {
        judged.push(s);
        continue;
      }
      const loc = s.anchorFor('SECURE_SSL_REDIRECT', s.middlewareName);
      ctx.report({ loc, severity: 'low', message: `${parity}${s.where(loc)}.`, hint: 'Write SECURE_SSL_REDIRECT = True (or cast the environment value with a reader that returns a bool, e.g. env.bool).' });
    }
    if (judged.length === 0) return;
    const nginx = ctx.model.nginx.servers.length > 0 ? plainAppExposure(ctx) : undefined;
    if (nginx?.fronting && nginx.exposed.length === 0 && nginx.behind.length === 0) return;
    const exposed = nginx?.exposed ?? [];
    const behind = nginx?.behind ?? [];
    // Behind a terminator, nginx is not where plain HTTP arrives: say so instead of blaming it.
    const nginxNote =
      exposed.length > 0
        ? ` nginx does not redirect them either: ${exposed.slice(0, 3).map((e) => whereLabel(e.endpoint.block)).join(', ')} ${exposed.length > 1 ? 'pass' : 'passes'} plain-HTTP requests to the app.`
        : behind.length > 0
          ? ` nginx passes what it receives to the app (${whereLabel(behind[0].endpoint.block)}), and ${describeEdge(behind[0].edge, 1)}; whether that terminator redirects plain HTTP is not shown in the repository.`
          : '';
    for (const s of judged) {
      const { value } = s.isTrue('SECURE_SSL_REDIRECT');
      const loc = s.anchorFor('SECURE_SSL_REDIRECT', s.middlewareName);
      ctx.report({
        loc,
        // Where nginx serves the app over plain HTTP, nginx/http-not-redirected reports the fix (a redirect in
        // that server) with this line as a related place.
        cause: { keys: exposed.map((e) => endpointCause('no-redirect', e.endpoint.block)), primary: false },
        message: `${describe('SECURE_SSL_REDIRECT', value, 'False')}: requests that reach Django over plain HTTP are served, not redirected to HTTPS${s.where(loc)}.${nginxNote}`,
        hint: 'Set SECURE_SSL_REDIRECT = True (behind a TLS-terminating proxy also set SECURE_PROXY_SSL_HEADER so Django can tell HTTPS requests apart), or redirect port 80 to HTTPS in the web server (`return 308 https://$host$request_uri;` in the plain-HTTP server).',
      });
    }
  },
});
