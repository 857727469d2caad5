import { concrete, isSequence, show } from '../../model/python/values';
import { defineRule } from '../types';

const LOCAL_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0|[^/:]*\.localhost|\*\.localhost)(:\d+)?$/i;

// Trusting an http:// origin lets a page served over plain HTTP (which an attacker on the network can rewrite)
// pass Django's CSRF origin check.
export default defineRule({
  meta: {
    id: 'django/csrf-trusted-origin-http',
    severity: 'low',
    title: 'CSRF_TRUSTED_ORIGINS trusts a plain-HTTP origin',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      const value = s.get('CSRF_TRUSTED_ORIGINS');
      if (value.state !== 'known' || !isSequence(value.value)) continue;
      for (const item of value.value.items) {
        const o = concrete(item)?.value;
        if (!o || o.t !== 'str') continue;
        const m = /^http:\/\/([^/]*)/i.exec(o.v.trim());
        if (!m || LOCAL_HOST.test(m[1])) continue;
        // Django matches a wildcard entry on its host with the leading `*` stripped: `http://*` (or `http://*:8000`)
        // leaves no host and trusts no origin at all (`is_same_domain` is False for an empty pattern).
        if (/^\*+(:\d*)?$/.test(m[1])) continue;
        const loc = s.files.includes(item.loc.path) ? item.loc : s.anchorFor('CSRF_TRUSTED_ORIGINS');
        ctx.report({
          loc,
          message: `CSRF_TRUSTED_ORIGINS contains ${show(o)}: a page from that origin arrives over plain HTTP, where a network attacker can rewrite it to send forged requests that pass the CSRF origin check${s.defaultNotes('CSRF_TRUSTED_ORIGINS')}${s.where(loc)}.`,
          hint: `Trust the HTTPS origin instead: '${o.v.trim().replace(/^http:/i, 'https:')}'.`,
        });
      }
    }
  },
});
