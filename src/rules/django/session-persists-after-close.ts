import { describe } from '../../model/settings';
import { asNumber, duration, sessionsInUse } from '../helpers';
import { defineRule } from '../types';

export default defineRule({
  meta: {
    id: 'django/session-persists-after-close',
    severity: 'info',
    title: 'Sessions outlive the browser (SESSION_EXPIRE_AT_BROWSER_CLOSE is not True)',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      if (sessionsInUse(s) !== 'yes') continue;
      const { answer, value } = s.isTrue('SESSION_EXPIRE_AT_BROWSER_CLOSE', false);
      if (answer !== 'no') continue;
      const loc = s.anchorFor('SESSION_EXPIRE_AT_BROWSER_CLOSE', 'SESSION_COOKIE_AGE', s.middlewareName, 'INSTALLED_APPS');
      const age = s.peek('SESSION_COOKIE_AGE');
      const seconds = age.state === 'known' ? asNumber(age.value) : undefined;
      const lasts = age.state === 'unset' ? ' (two weeks by default)' : seconds !== undefined && seconds > 0 ? ` (${seconds}: ${duration(seconds)})` : '';
      ctx.report({
        loc,
        message: `${describe('SESSION_EXPIRE_AT_BROWSER_CLOSE', value, 'False')}: the session cookie persists on disk for SESSION_COOKIE_AGE${lasts}, also on shared machines${s.where(loc)}.`,
        hint: 'Set SESSION_EXPIRE_AT_BROWSER_CLOSE = True, or shorten SESSION_COOKIE_AGE, if sessions should end with the browser.',
      });
    }
  },
});
