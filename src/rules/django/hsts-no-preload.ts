import { describe } from '../../model/settings';
import { djangoHstsSeconds, truthyNotTrue } from '../helpers';
import { defineRule } from '../types';

// Django W021 (`is not True`); SecurityMiddleware itself only tests truth.
export default defineRule({
  meta: {
    id: 'django/hsts-no-preload',
    severity: 'info',
    title: 'HSTS preload is not requested (SECURE_HSTS_PRELOAD is not True)',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      if (djangoHstsSeconds(s) === undefined) continue;
      const { answer, value } = s.isTrue('SECURE_HSTS_PRELOAD');
      if (answer !== 'no') continue;
      const loc = s.anchorFor('SECURE_HSTS_PRELOAD', 'SECURE_HSTS_SECONDS');
      const parity = truthyNotTrue(s, 'SECURE_HSTS_PRELOAD', 'the header does carry preload', 'security.W021');
      if (parity) {
        ctx.report({ loc, message: `${parity}${s.where(loc)}.`, hint: 'Write SECURE_HSTS_PRELOAD = True (or cast the environment value with a reader that returns a bool).' });
        continue;
      }
      ctx.report({
        loc,
        message: `${describe('SECURE_HSTS_PRELOAD', value, 'False')}: the very first visit of a new browser can still be made over plain HTTP${s.where(loc)}.`,
        hint: 'If every subdomain serves HTTPS, set SECURE_HSTS_PRELOAD = True and submit the domain at hstspreload.org (hard to undo).',
      });
    }
  },
});
