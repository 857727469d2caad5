import { plainAppExposure, whereLabel } from '../nginx/_hsts-util';
import { defineRule } from '../types';

// Django reads the scheme only from environ['wsgi.url_scheme'] (or SECURE_PROXY_SSL_HEADER). A wrapper that
// overwrites it on every request makes plain-HTTP requests look secure: SECURE_SSL_REDIRECT never redirects them
// and build_absolute_uri() claims https for a connection that was never encrypted. setdefault() changes nothing,
// since the server always sets the key before the application runs.
export default defineRule({
  meta: {
    id: 'wsgi/url-scheme-forced',
    severity: 'medium',
    title: 'wsgi.py forces the request scheme to https unconditionally',
    kinds: ['wsgi'],
  },
  check(ctx) {
    // RULES.md row 17: high when a plain-HTTP listener passes requests to the app, which then claims https for them.
    let exposure: ReturnType<typeof plainAppExposure> | undefined;
    for (const f of ctx.model.python) {
      if (f.kind !== 'wsgi') continue;
      for (const w of f.environWrites) {
        if (w.target !== 'request' || w.key !== 'wsgi.url_scheme' || w.method === 'setdefault' || w.conditional) continue;
        if (w.value?.toLowerCase() !== 'https') continue;
        exposure ??= ctx.model.nginx.servers.length > 0 ? plainAppExposure(ctx) : undefined;
        const plain = exposure?.exposed[0];
        const via = plain?.endpoint.served.via;
        ctx.report({
          loc: w.loc,
          ...(plain ? { severity: 'high' as const, related: [{ path: plain.endpoint.block.file, line: plain.endpoint.block.loc.line, column: plain.endpoint.block.loc.column, message: `passes plain-HTTP requests to the app${via ? ` (\`${via.name} ${via.args.map((a) => a.raw).join(' ')}\`)` : ''}` }] } : {}),
          message:
            `\`${w.code}\`${w.functionName ? ` in ${w.functionName}()` : ''} marks every request as HTTPS, including ones that arrived over plain HTTP: SECURE_SSL_REDIRECT then never redirects them and Django trusts the connection.` +
            (plain ? ` And plain HTTP does reach the app: ${whereLabel(plain.endpoint.block)} passes port-80 requests to it, so those requests get Secure cookies and https:// links over an unencrypted connection.` : ''),
          hint: "Set it only when the trusted proxy says the request was HTTPS, or drop the wrapper and use SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') behind a proxy that overwrites that header.",
        });
      }
    }
  },
});
