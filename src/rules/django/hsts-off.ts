import { describe } from '../../model/settings';
import { hstsSeconds } from '../helpers';
import { defineRule } from '../types';

// Django W004. Unlike W004 it also fires without SecurityMiddleware: HSTS is missing either way.
export default defineRule({
  meta: {
    id: 'django/hsts-off',
    severity: 'high',
    title: 'No HSTS: SECURE_HSTS_SECONDS is 0 or unset',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      const { seconds, value } = hstsSeconds(s);
      // max-age=0 tells browsers to forget HSTS; a negative one is invalid and ignored.
      if (seconds === undefined || seconds > 0) continue;
      const loc = s.anchorFor('SECURE_HSTS_SECONDS', s.middlewareName);
      ctx.report({
        loc,
        message: `${describe('SECURE_HSTS_SECONDS', value, '0')}: Django sends no Strict-Transport-Security header, so browsers keep trying plain HTTP first and a network attacker can strip HTTPS${s.where(loc)}.`,
        hint: 'Set SECURE_HSTS_SECONDS (start with 3600 and raise it to 31536000 or more once every page works over HTTPS), or add the Strict-Transport-Security header in the web server in front of Django.',
      });
    }
  },
});
