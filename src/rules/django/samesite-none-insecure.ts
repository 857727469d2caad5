import { CSRF_MIDDLEWARE, equalsStr, type SettingsModule } from '../../model/settings';
import { sessionsInUse } from '../helpers';
import { concrete } from '../../model/python/values';
import { defineRule } from '../types';

/** Each SameSite setting, its Secure flag, and whether that cookie is in use at all. */
const PAIRS: [string, string, (s: SettingsModule) => boolean][] = [
  ['SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_SECURE', (s) => sessionsInUse(s) !== 'no'],
  ['CSRF_COOKIE_SAMESITE', 'CSRF_COOKIE_SECURE', (s) => s.hasMiddleware(CSRF_MIDDLEWARE).answer !== 'no' && s.isTrue('CSRF_USE_SESSIONS', false).answer !== 'yes'],
];

// Browsers reject a SameSite=None cookie that is not also Secure, so the cookie silently disappears.
export default defineRule({
  meta: {
    id: 'django/samesite-none-insecure',
    severity: 'medium',
    title: 'SameSite=None cookie without Secure: browsers drop it',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      for (const [samesite, secure, inUse] of PAIRS) {
        if (!inUse(s)) continue;
        const v = s.get(samesite);
        if (v.state !== 'known') continue;
        const c = concrete(v.value)?.value;
        if (!c || c.t !== 'str' || !equalsStr({ ...c, v: c.v.toLowerCase() }, 'none')) continue;
        // The browser needs the Secure attribute, which Django sets for any truthy value.
        if (s.isTrue(secure, false).answer !== 'no') continue;
        const loc = s.anchorFor(samesite);
        ctx.report({
          loc,
          message: `${samesite} is 'None' but ${secure} is not True: browsers reject SameSite=None cookies that are not Secure, so this cookie is dropped${s.defaultNotes(samesite, secure)}${s.where(loc)}.`,
          hint: `Set ${secure} = True (SameSite=None requires it), or use 'Lax'.`,
        });
      }
    }
  },
});
