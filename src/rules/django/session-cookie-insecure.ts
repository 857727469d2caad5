import { cookieNotSecure, sessionsInUse, tokenOnlyApi } from '../helpers';
import { defineRule } from '../types';

// Django W010–W012. Since Django 4.1 the check wants exactly True; before, any truthy value passed.
export default defineRule({
  meta: {
    id: 'django/session-cookie-insecure',
    severity: 'high',
    title: 'Session cookie is sent over plain HTTP (SESSION_COOKIE_SECURE is not True)',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      if (sessionsInUse(s) !== 'yes') continue;
      const problem = cookieNotSecure(s, 'SESSION_COOKIE_SECURE');
      if (!problem) continue;
      const loc = s.anchorFor('SESSION_COOKIE_SECURE', s.middlewareName, 'INSTALLED_APPS');
      // No session login shown (a token-only API): the cookie may never be set, so the missing flag is latent.
      const latent = problem.severity ? undefined : tokenOnlyApi(s);
      ctx.report({
        loc,
        severity: problem.severity ?? (latent ? 'low' : problem.conditional ? 'medium' : undefined),
        message: problem.severity
          ? `${problem.message}${s.where(loc)}.`
          : `${problem.message}: the session cookie is also sent over plain HTTP, where anyone on the network can steal the session${s.where(loc)}.${latent ? ` (Low: ${latent}, so no session cookie may ever be set; it goes out without Secure as soon as a view logs a user in.)` : ''}`,
        hint: 'Set SESSION_COOKIE_SECURE = True in the production settings.',
      });
    }
  },
});
