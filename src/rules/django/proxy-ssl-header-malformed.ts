import { concrete, isSequence, show } from '../../model/python/values';
import { defineRule } from '../types';

// Django unpacks SECURE_PROXY_SSL_HEADER into (header, value) on every request (ImproperlyConfigured otherwise),
// looks the header up in request.META (HTTP_ + upper case, '-' → '_') and compares the value case-sensitively.
export default defineRule({
  meta: {
    id: 'django/proxy-ssl-header-malformed',
    severity: 'high',
    title: 'SECURE_PROXY_SSL_HEADER is malformed: Django errors on every request or never sees HTTPS',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      const value = s.get('SECURE_PROXY_SSL_HEADER');
      if (value.state !== 'known' || value.value.t === 'none') continue;
      const loc = s.anchorFor('SECURE_PROXY_SSL_HEADER');
      const v = value.value;
      const report = (problem: string, hint: string) =>
        ctx.report({ loc, message: `SECURE_PROXY_SSL_HEADER = ${show(v)}: ${problem}${s.where(loc)}.`, hint });
      const pairHint = "Use a (META key, value) pair, e.g. SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https').";
      if (!isSequence(v) || v.t === 'set' || v.items.length !== 2) {
        report('it must be a 2-item tuple; Django raises ImproperlyConfigured on every request that reads request.scheme', pairHint);
        continue;
      }
      const header = concrete(v.items[0])?.value;
      const expected = concrete(v.items[1])?.value;
      if (header?.t === 'str') {
        const h = header.v;
        if (/[a-z-]/.test(h) || /\s/.test(h)) {
          const meta = `HTTP_${h.replace(/^http_/i, '').toUpperCase().replace(/-/g, '_')}`;
          report(`'${h}' is not a request.META key: headers arrive in META upper-cased, with '-' turned into '_' and an HTTP_ prefix, so Django never finds it and treats every request as plain HTTP`, `Write the header in META form: '${meta}'.`);
          continue;
        }
        if (!h.startsWith('HTTP_')) {
          report(`'${h}' has no HTTP_ prefix: request headers appear in META as HTTP_<NAME>, so this matches only a server variable of exactly that name, not the header the proxy sends`, `If the proxy sends a header, use 'HTTP_${h}'.`);
          continue;
        }
      } else if (header) {
        report('the header name must be a string', pairHint);
        continue;
      }
      if (expected && expected.t !== 'str') {
        report(`the expected value ${show(expected)} is not a string, so it never equals the header value`, "Use the string the proxy sends, e.g. 'https'.");
      } else if (expected?.t === 'str' && (expected.v === '' || expected.v !== expected.v.trim() || expected.v !== expected.v.toLowerCase())) {
        report(`the expected value '${expected.v}' is compared case-sensitively with what the proxy sends (nginx's $scheme is lower-case 'https'), so it never matches`, `Use '${expected.v.trim().toLowerCase() || 'https'}'.`);
      }
    }
  },
});
