import { equalsStr } from '../../model/settings';
import { concrete } from '../../model/python/values';
import { defineRule } from '../types';

const PAIRS = [
  ['SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_SECURE'],
  ['CSRF_COOKIE_SAMESITE', 'CSRF_COOKIE_SECURE'],
] as const;

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
      for (const [samesite, secure] of PAIRS) {
        const v = s.get(samesite);
        if (v.state !== 'known') continue;
        const c = concrete(v.value)?.value;
        if (!c || c.t !== 'str' || !equalsStr({ ...c, v: c.v.toLowerCase() }, 'none')) continue;
        if (s.isTrue(secure, s.strictBooleans).answer !== 'no') continue;
        const loc = s.anchorFor(samesite);
        ctx.report({
          loc,
          message: `${samesite} is 'None' but ${secure} is not True: browsers reject SameSite=None cookies that are not Secure, so this cookie is dropped${s.where(loc)}.`,
          hint: `Set ${secure} = True (SameSite=None requires it), or use 'Lax'.`,
        });
      }
    }
  },
});
