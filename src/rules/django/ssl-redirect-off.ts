import { describe, SECURITY_MIDDLEWARE } from '../../model/settings';
import { defineRule } from '../types';

// Django W008 (`is not True`). The nginx side (a redirect in front of the app satisfies it) arrives with the nginx model.
export default defineRule({
  meta: {
    id: 'django/ssl-redirect-off',
    severity: 'medium',
    title: 'Django does not redirect plain-HTTP requests to HTTPS (SECURE_SSL_REDIRECT is not True)',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      if (s.hasMiddleware(SECURITY_MIDDLEWARE).answer !== 'yes') continue;
      const { answer, value } = s.isTrue('SECURE_SSL_REDIRECT');
      if (answer !== 'no') continue;
      const loc = s.anchorFor('SECURE_SSL_REDIRECT', s.middlewareName);
      ctx.report({
        loc,
        message: `${describe('SECURE_SSL_REDIRECT', value, 'False')}: requests that reach Django over plain HTTP are served, not redirected to HTTPS${s.where(loc)}.`,
        hint: 'Set SECURE_SSL_REDIRECT = True (behind a TLS-terminating proxy also set SECURE_PROXY_SSL_HEADER so Django can tell HTTPS requests apart), or redirect port 80 to HTTPS in the web server.',
      });
    }
  },
});
