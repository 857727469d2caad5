import { children, type NginxServer } from '../../model/nginx';
import { defineRule } from '../types';
import { anchorLoc } from './_common';
import { blockLabel, clientPlainListens, describeListen, endpointCause, serverName, servedOverPlainHttp } from './_hsts-util';

// Since nginx 1.15.0 a server speaks TLS only on a `listen … ssl` (or `quic`) socket; `ssl_certificate` alone turns
// nothing on. A server that loads a certificate but has no such listener answers in clear on every port it
// listens on, 443 included: https:// clients fail the handshake and http:// ones get the app unencrypted.
export default defineRule({
  meta: {
    id: 'nginx/certificate-without-tls-listener',
    severity: 'medium',
    title: 'A server loads a TLS certificate but no `listen` has `ssl`: nginx serves it over plain HTTP',
    kinds: ['nginx'],
  },
  check(ctx) {
    const servers = ctx.model.nginx.servers;
    for (const server of servers) {
      if (server.tls) continue;
      const cert = children(server.block, 'ssl_certificate')[0];
      if (!cert) continue;
      const served = servedOverPlainHttp(server);
      if (served.length === 0) continue;
      // A TLS twin for the same names holds the intended listener: this one is the plain variant with
      // copied certificate lines, whose plain serving is nginx/http-not-redirected's to judge.
      if (servers.some((s) => s !== server && s.tls && s.config === server.config && sameNames(s, server))) continue;
      const listen = clientPlainListens(server)[0];
      const port = listen?.port;
      ctx.report({
        loc: listen?.directive ? anchorLoc(ctx, listen.directive) : anchorLoc(ctx, cert),
        // Where nginx/http-not-redirected reports these end points, this is one more thing it says.
        cause: { keys: served.map((e) => endpointCause('no-redirect', e.block)), primary: false },
        related: [{ path: cert.file, line: cert.loc.line, column: cert.loc.column, message: '`ssl_certificate` is loaded here and never used' }],
        message:
          `Server ${serverName(server)} loads a certificate (\`ssl_certificate ${cert.args[0]?.raw ?? ''}\` at ${cert.file}:${cert.loc.line}) but none of its listeners has \`ssl\` (${describeListen(listen)}): ` +
          `nginx speaks plain HTTP there and never uses the certificate, so ${served.map((e) => blockLabel(e.block)).slice(0, 3).join(', ')} ${served.length === 1 ? 'is' : 'are'} served unencrypted` +
          (port === 443 ? ', and https:// clients on port 443 fail the TLS handshake.' : `. Whoever connects with http:// gets ${served.some((e) => e.served.how === 'app') ? 'the app' : 'these files'} in clear${served.some((e) => e.served.how === 'app') ? ', cookies included' : ''}.`),
        hint: 'Add `ssl` to the listener that should speak TLS (`listen 443 ssl;` and `listen [::]:443 ssl;`), and keep a separate `listen 80;` server that only redirects to https://. If TLS really ends in front of this nginx, remove the certificate lines.',
      });
    }
  },
});

/** Both serve the same names (or both none: the catch-all of the address). */
function sameNames(a: NginxServer, b: NginxServer): boolean {
  const x = a.names.filter((n) => n !== '' && n !== '_');
  const y = b.names.filter((n) => n !== '' && n !== '_');
  if (x.length === 0 || y.length === 0) return x.length === 0 && y.length === 0;
  return x.some((n) => y.includes(n));
}
