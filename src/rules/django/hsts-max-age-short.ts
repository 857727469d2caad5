import { djangoHstsSeconds, duration } from '../helpers';
import { defineRule } from '../types';

/** CIS NGINX 4.1.8 asks for at least six months; Mozilla and OWASP recommend two years. */
export const HSTS_MIN_SECONDS = 15_768_000;
export const HSTS_RECOMMENDED_SECONDS = 63_072_000;

export default defineRule({
  meta: {
    id: 'django/hsts-max-age-short',
    severity: 'low',
    title: 'HSTS max-age is shorter than six months (low) or two years (info)',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      const seconds = djangoHstsSeconds(s);
      if (seconds === undefined || seconds >= HSTS_RECOMMENDED_SECONDS) continue;
      const short = seconds < HSTS_MIN_SECONDS;
      const loc = s.anchorFor('SECURE_HSTS_SECONDS');
      ctx.report({
        loc,
        severity: short ? 'low' : 'info',
        message: `SECURE_HSTS_SECONDS is ${seconds} (${duration(seconds)}): browsers forget the HTTPS-only rule after that, ${short ? 'below the six months (15768000) CIS asks for' : 'below the two years (63072000) Mozilla recommends'}${s.defaultNotes('SECURE_HSTS_SECONDS')}${s.where(loc)}.`,
        hint: 'Once HTTPS works everywhere, raise SECURE_HSTS_SECONDS to 63072000 (two years).',
      });
    }
  },
});

