import { describe, SECURITY_MIDDLEWARE } from '../../model/settings';
import { defineRule } from '../types';

export default defineRule({
  meta: {
    id: 'django/language-cookie-insecure',
    severity: 'info',
    title: 'Language cookie is not Secure on an HTTPS-only site',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      if (s.hasMiddleware(SECURITY_MIDDLEWARE).answer !== 'yes' || s.isTrue('SECURE_SSL_REDIRECT').answer !== 'yes') continue;
      // Django sets the Secure flag for any truthy value; there is no check --deploy counterpart.
      const { answer, value } = s.isTrue('LANGUAGE_COOKIE_SECURE', false);
      if (answer !== 'no') continue;
      const loc = s.anchorFor('LANGUAGE_COOKIE_SECURE', 'SECURE_SSL_REDIRECT');
      ctx.report({
        loc,
        message: `${describe('LANGUAGE_COOKIE_SECURE', value, 'False')} while SECURE_SSL_REDIRECT is on: the language cookie is the one cookie still sent over plain HTTP${s.where(loc)}.`,
        hint: 'Set LANGUAGE_COOKIE_SECURE = True.',
      });
    }
  },
});
