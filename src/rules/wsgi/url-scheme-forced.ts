import { defineRule } from '../types';

const FORCES_HTTPS: Record<string, (v: string) => boolean> = {
  'wsgi.url_scheme': (v) => v.toLowerCase() === 'https',
  HTTPS: (v) => /^(on|1)/i.test(v),
};

// A wrapper that sets the scheme on every request makes plain-HTTP requests look secure: secure cookies and
// SECURE_SSL_REDIRECT then trust a connection that was never encrypted.
export default defineRule({
  meta: {
    id: 'wsgi/url-scheme-forced',
    severity: 'medium',
    title: 'wsgi.py forces the request scheme to https unconditionally',
    kinds: ['wsgi'],
  },
  check(ctx) {
    for (const f of ctx.model.python) {
      if (f.kind !== 'wsgi') continue;
      for (const w of f.environWrites) {
        if (w.target !== 'request' || w.conditional || w.value === undefined) continue;
        const test = FORCES_HTTPS[w.key];
        if (!test || !test(w.value)) continue;
        ctx.report({
          loc: w.loc,
          message: `\`${w.code}\`${w.functionName ? ` in ${w.functionName}()` : ''} marks every request as HTTPS, including ones that arrived over plain HTTP: Django then skips SECURE_SSL_REDIRECT and trusts the connection.`,
          hint: "Derive the scheme from what the proxy says (set it only when the trusted proxy header says https), or use SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') with a proxy that overwrites that header.",
        });
      }
    }
  },
});
