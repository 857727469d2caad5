import { CSRF_MIDDLEWARE } from '../../model/settings';
import { truthy } from '../../model/python/values';
import { cookieNotSecure, tokenOnlyApi } from '../helpers';
import { defineRule } from '../types';

// Django W016: CsrfViewMiddleware in use, the token kept in a cookie (CSRF_USE_SESSIONS falsy), cookie not Secure.
export default defineRule({
  meta: {
    id: 'django/csrf-cookie-insecure',
    severity: 'high',
    title: 'CSRF cookie is sent over plain HTTP (CSRF_COOKIE_SECURE is not True)',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      if (s.hasMiddleware(CSRF_MIDDLEWARE).answer !== 'yes') continue;
      if (s.test('CSRF_USE_SESSIONS', (v) => (v === undefined ? false : truthy(v))).answer !== 'no') continue;
      const problem = cookieNotSecure(s, 'CSRF_COOKIE_SECURE');
      if (!problem) continue;
      const loc = s.anchorFor('CSRF_COOKIE_SECURE', s.middlewareName);
      // No session login shown (a token-only API): the cookie may never be set, so the missing flag is latent.
      const latent = problem.severity ? undefined : tokenOnlyApi(s);
      ctx.report({
        loc,
        severity: problem.severity ?? (latent ? 'low' : problem.conditional ? 'medium' : undefined),
        message: problem.severity
          ? `${problem.message}${s.where(loc)}.`
          : `${problem.message}: the CSRF cookie is also sent over plain HTTP, where it can be read or planted by a network attacker${s.where(loc)}.${latent ? ` (Low: ${latent}, so no CSRF cookie may ever be set; it goes out without Secure as soon as a page uses a CSRF token.)` : ''}`,
        hint: 'Set CSRF_COOKIE_SECURE = True in the production settings (or keep the token in the session with CSRF_USE_SESSIONS = True).',
      });
    }
  },
});
