import { djangoHstsSeconds } from '../helpers';
import { defineRule } from '../types';

/** hstspreload.org submission requirements: max-age of at least one year, includeSubDomains, preload. */
const PRELOAD_MIN_SECONDS = 31_536_000;

// The header SecurityMiddleware sends: flags are tested for truth (a truthy non-True value still adds them).
export default defineRule({
  meta: {
    id: 'django/hsts-preload-unqualified',
    severity: 'low',
    title: 'HSTS preload is requested but the header does not qualify for the preload list',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      const seconds = djangoHstsSeconds(s);
      if (seconds === undefined || s.isTrue('SECURE_HSTS_PRELOAD', false).answer !== 'yes') continue;
      const problems: string[] = [];
      if (seconds < PRELOAD_MIN_SECONDS) problems.push(`SECURE_HSTS_SECONDS is ${seconds}, below the 31536000 (one year) the list requires`);
      if (s.isTrue('SECURE_HSTS_INCLUDE_SUBDOMAINS', false).answer === 'no') problems.push('SECURE_HSTS_INCLUDE_SUBDOMAINS is false, so the header lacks includeSubDomains');
      if (problems.length === 0) continue;
      const loc = s.anchorFor('SECURE_HSTS_PRELOAD');
      ctx.report({
        loc,
        message: `SECURE_HSTS_PRELOAD is set but ${problems.join(' and ')}: hstspreload.org rejects the domain, so the preload flag has no effect${s.defaultNotes('SECURE_HSTS_PRELOAD', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS')}${s.where(loc)}.`,
        hint: 'Set SECURE_HSTS_SECONDS to at least 31536000 and SECURE_HSTS_INCLUDE_SUBDOMAINS = True, or drop SECURE_HSTS_PRELOAD.',
      });
    }
  },
});
