import { concrete, isSequence, show, truthy } from '../../model/python/values';
import { defineRule } from '../types';

/** Headers proxies send: Django sees them only as HTTP_<NAME>. */
const PROXY_HEADER = /^(X_[A-Z0-9_]+|FORWARDED|FRONT_END_HTTPS)$/;
/** Headers whose value is a scheme, which nginx ($scheme) and common proxies send in lower case. */
const SCHEME_HEADER = /(PROTO|SCHEME)/;

// Django unpacks SECURE_PROXY_SSL_HEADER into (header, value) on every request (ImproperlyConfigured otherwise),
// looks the header up in request.META (HTTP_ + upper case, '-' → '_'; WSGI keys such as wsgi.url_scheme as they
// are) and compares the value case-sensitively.
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
      // request.scheme tests the setting for truth first: None, (), '' and False mean "not set".
      if (value.state !== 'known' || truthy(value.value) !== true) continue;
      const loc = s.anchorFor('SECURE_PROXY_SSL_HEADER');
      const v = value.value;
      const report = (problem: string, hint: string, severity?: 'medium') =>
        ctx.report({ loc, severity, message: `SECURE_PROXY_SSL_HEADER = ${show(v)}: ${problem}${s.defaultNotes('SECURE_PROXY_SSL_HEADER')}${s.where(loc)}.`, hint });
      const pairHint = "Use a (META key, value) pair, e.g. SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https').";
      if (!isSequence(v) || v.t === 'set' || v.items.length !== 2) {
        report('it must be a 2-item tuple; Django raises ImproperlyConfigured on every request that reads request.scheme', pairHint);
        continue;
      }
      const header = concrete(v.items[0])?.value;
      const expected = concrete(v.items[1])?.value;
      if (header && header.t !== 'str') {
        report('the header name must be a string', pairHint);
        continue;
      }
      const h = header?.t === 'str' ? header.v : undefined;
      if (h !== undefined && !h.includes('.') && (/[a-z-]/.test(h) || /\s/.test(h) || h === '')) {
        const meta = `HTTP_${h.trim().replace(/^http_/i, '').toUpperCase().replace(/-/g, '_')}`;
        report(`'${h}' is not a request.META key: headers arrive in META upper-cased, with '-' turned into '_' and an HTTP_ prefix, so Django never finds it and treats every request as plain HTTP`, `Write the header in META form: '${meta}'.`);
        continue;
      }
      if (h !== undefined && PROXY_HEADER.test(h)) {
        report(
          `'${h}' lacks the HTTP_ prefix: the ${h.replace(/_/g, '-')} header a proxy sends appears in META as 'HTTP_${h}', so this matches only a server variable of exactly this name (e.g. uwsgi_param ${h})`,
          `Use 'HTTP_${h}', unless the server really passes a variable named ${h}.`,
          'medium',
        );
        continue;
      }
      if (expected && expected.t !== 'str') {
        report(`the expected value ${show(expected)} is not a string, so it never equals the header value`, "Use the string the proxy sends, e.g. 'https'.");
      } else if (expected?.t === 'str' && (expected.v.trim() === '' || expected.v !== expected.v.trim())) {
        report(`the expected value '${expected.v}' is compared exactly with what the proxy sends, so the surrounding spaces (or an empty value) never match`, `Use '${expected.v.trim() || 'https'}'.`);
      } else if (expected?.t === 'str' && h !== undefined && SCHEME_HEADER.test(h) && expected.v !== expected.v.toLowerCase()) {
        report(
          `the expected value '${expected.v}' is compared case-sensitively, and nginx's $scheme and the usual proxies send lower-case '${expected.v.toLowerCase()}'`,
          `Use '${expected.v.toLowerCase()}', unless your proxy really sends '${expected.v}'.`,
          'medium',
        );
      }
    }
  },
});
