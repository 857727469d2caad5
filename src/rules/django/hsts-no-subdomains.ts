import { describe } from '../../model/settings';
import { djangoHstsSeconds, truthyNotTrue } from '../helpers';
import { defineRule } from '../types';

// Django W005 (`is not True`); SecurityMiddleware itself only tests truth.
export default defineRule({
  meta: {
    id: 'django/hsts-no-subdomains',
    severity: 'low',
    title: 'HSTS does not cover subdomains (SECURE_HSTS_INCLUDE_SUBDOMAINS is not True)',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      if (djangoHstsSeconds(s) === undefined) continue;
      const { answer, value } = s.isTrue('SECURE_HSTS_INCLUDE_SUBDOMAINS');
      if (answer !== 'no') continue;
      const loc = s.anchorFor('SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_SECONDS');
      const parity = truthyNotTrue(s, 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'the header does carry includeSubDomains', 'security.W005');
      if (parity) {
        ctx.report({ loc, message: `${parity}${s.where(loc)}.`, hint: 'Write SECURE_HSTS_INCLUDE_SUBDOMAINS = True (or cast the environment value with a reader that returns a bool).' });
        continue;
      }
      ctx.report({
        loc,
        message: `${describe('SECURE_HSTS_INCLUDE_SUBDOMAINS', value, 'False')}: subdomains can still be reached over plain HTTP, and an attacker can use one to set cookies for this site${s.where(loc)}.`,
        hint: 'Set SECURE_HSTS_INCLUDE_SUBDOMAINS = True once every subdomain serves HTTPS.',
      });
    }
  },
});
