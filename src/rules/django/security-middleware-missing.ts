import { DJANGO_SECURE_MIDDLEWARE, SECURITY_MIDDLEWARE } from '../../model/settings';
import { truthy } from '../../model/python/values';
import { defineRule } from '../types';
import { frontRedirects, frontSendsHsts } from './_front';

/** Settings that only SecurityMiddleware acts on: set without it, they silently do nothing. */
const IGNORED_WITHOUT_MIDDLEWARE = ['SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SECURE_REDIRECT_EXEMPT', 'SECURE_SSL_HOST'];

// Django W001 fires whenever the middleware is missing; the "set but ignored" escalation to high is ours.
export default defineRule({
  meta: {
    id: 'django/security-middleware-missing',
    severity: 'high',
    title: 'SecurityMiddleware is not in MIDDLEWARE, so SSL redirect and HSTS settings do nothing',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      if (s.hasMiddleware(SECURITY_MIDDLEWARE).answer !== 'no') continue;
      const ignored = IGNORED_WITHOUT_MIDDLEWARE.filter((n) => s.test(n, (v) => (v === undefined ? false : truthy(v))).answer === 'yes');
      // The list's own definition, where the hint's fix goes, rather than a later change of this file that has
      // nothing to do with SecurityMiddleware (a `.remove()` of another middleware in a development branch).
      const last = s.anchorFor(s.middlewareName);
      const removes = ctx.model.sources.get(last.path)?.lineText(last.line).includes('SecurityMiddleware');
      const loc = !removes && s.binding(s.middlewareName)?.defLoc.path === s.path ? s.anchorForMissing(s.middlewareName) : last;
      const consequence = ignored.length
        ? `${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} set but silently ignored: no HTTPS redirect and no Strict-Transport-Security header is sent`
        : 'no HTTPS redirect, HSTS, nosniff or Referrer-Policy header can be set by Django';
      // Only MIDDLEWARE_CLASSES, with SecurityMiddleware in it: a project written for Django before 1.10, judged here
      // with a newer version (the default), where that list is ignored. On the Django it was written for, it runs.
      const legacy =
        s.middlewareName === 'MIDDLEWARE' && s.get('MIDDLEWARE').state === 'unset' && s.contains('MIDDLEWARE_CLASSES', SECURITY_MIDDLEWARE).answer === 'yes'
          ? ` MIDDLEWARE_CLASSES includes it, but Django ignores MIDDLEWARE_CLASSES since 2.0 (judged as Django ${s.djangoVersion}${s.djangoVersionAt ? `, pinned at ${s.djangoVersionAt}` : ''}): on Django 2.0 or later no middleware runs at all; if the project runs an older Django, set django-version`
          : '';
      // The web server in front redirecting and sending HSTS for this app leaves only Django's nosniff and
      // Referrer-Policy headers missing: low.
      const redirects = ignored.length ? undefined : frontRedirects(ctx, s);
      const hsts = redirects && frontSendsHsts(ctx, s);
      const front = hsts ? ` The web server in front covers the HTTPS part: ${redirects}, and ${hsts}; what is missing is Django's X-Content-Type-Options and Referrer-Policy headers` : '';
      // Django before 1.8 has no SecurityMiddleware: adding it would stop the app from starting.
      const old = s.beforeSecurityMiddleware;
      ctx.report({
        loc,
        severity: ignored.length ? 'high' : front || legacy ? 'low' : 'medium',
        message:
          `${s.middlewareName} does not include ${old ? `${DJANGO_SECURE_MIDDLEWARE} (the project runs ${old}, which has no SecurityMiddleware of its own)` : SECURITY_MIDDLEWARE}: ${consequence}${s.defaultNotes(s.middlewareName, ...ignored)}${s.where(loc)}.${front ? `${front}.` : ''}${legacy ? `${legacy}.` : ''}`,
        hint: old
          ? `Install django-secure and add '${DJANGO_SECURE_MIDDLEWARE}' at the top of ${s.middlewareName} (it reads the same SECURE_* settings), or upgrade to a supported Django and add '${SECURITY_MIDDLEWARE}'.`
          : `Add '${SECURITY_MIDDLEWARE}' at the top of ${s.middlewareName}.`,
      });
    }
  },
});
