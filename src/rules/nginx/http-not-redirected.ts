import { describeEdge, tlsEdge } from '../../model/edge';
import { renderedRivals, type NginxServer } from '../../model/nginx';
import { namedFallbackPass } from '../../model/request';
import { djangoScheme, settingsBehind } from '../../model/scheme';
import { redirectingModules } from './_proxy-util';
import { certbotFor } from './_common';
import type { NginxDirective } from '../../parsers/nginx/types';
import { defineRule, type RuleContext } from '../types';
import {
  blockLabel, clientPlainListens, describeListen, endpointCause, endpoints, locKey, onceFilter, REDIRECT_FIX, servedOverPlainHttp, serverLoc,
  serverName, targetKind, type Endpoint,
} from './_hsts-util';

// CIS NGINX 4.1.1, Mozilla's port-80 server, hstspreload.org rule 2: plain HTTP must only redirect to https.
// A server-level `return` runs in the server rewrite phase, before any location is matched.
export default defineRule({
  meta: {
    id: 'nginx/http-not-redirected',
    severity: 'high',
    title: 'A plain-HTTP server serves the app or files instead of redirecting to HTTPS',
    kinds: ['nginx'],
  },
  check(ctx) {
    const once = onceFilter();
    for (const server of ctx.model.nginx.servers) {
      const served = servedOverPlainHttp(server);
      if (served.length === 0) continue;
      // An internal plain-HTTP nginx behind a TLS terminator is not the edge: the redirect belongs in front.
      const edge = tlsEdge(ctx.model, server);
      if (edge.where === 'front') continue;
      const loc = serverLoc(ctx, server);
      if (!once(locKey(loc))) continue;
      const listen = clientPlainListens(server)[0];
      // `try_files $uri @app`: files first, and the app for every URI that is not one.
      const app = served.some((e) => e.served.how === 'app' || fallbackPass(server, e));
      const files = served.some((e) => e.served.how === 'files');
      const mixed = server.tls;
      // Pages go to HTTPS (`location /` redirects there) and only static or media files stay on plain HTTP: what
      // travels in clear is those files and any cookie without Secure sent along with them (medium).
      const root = !app ? endpoints(server, 'http', { internal: false }).find((e) => e.served.how === 'redirect' && isRoot(e.block) && targetKind(e.served.target) === 'https') : undefined;
      // …or Django redirects the app's plain requests itself (SECURE_SSL_REDIRECT, and it sees them as http).
      const django = app ? djangoRedirects(ctx, server, served.filter((e) => e.served.how === 'app')) : undefined;
      // A script renders this file or another to one place, and the other has TLS: this is the fallback it picks
      // under some condition (often before a certificate exists), not the site as it normally runs.
      const picked = renderedRivals(server);
      const tlsRival = !server.tls && picked ? ctx.model.nginx.servers.find((s) => s.tls && picked.rivals.includes(s.config.entry)) : undefined;
      // certbot's nginx installer, run by the deployment, adds TLS to this server (and with --redirect, the redirect).
      const certbot = !server.tls ? certbotFor(ctx, server.config.entry) : undefined;
      ctx.report({
        loc,
        severity: tlsRival || certbot?.redirect ? 'low' : root || django || certbot ? 'medium' : undefined,
        // A redirect here is the fix for django/ssl-redirect-off about the same end points too.
        cause: { keys: served.map((e) => endpointCause('no-redirect', e.block)), primary: true },
        message:
          `Server ${serverName(server)} accepts plain HTTP (${describeListen(listen)}) and ${app && files ? 'serves the app and files' : app ? 'serves the app' : 'serves files'} there without redirecting to HTTPS: ${served.map((e) => describe(server, e)).join('; ')}. ` +
          (root
            ? 'What it serves there (and any cookie without Secure sent along with it) travels unencrypted, so an attacker on the network can read or rewrite it. '
            : 'Everything on that connection (pages, form posts, cookies without Secure) travels unencrypted, and a user who types the bare host name is never moved to HTTPS, so an attacker on the network can read or rewrite it. ') +
          `${capital(describeEdge(edge))}.` +
          (certbot && !tlsRival
            ? ` ${certbot.redirect ? 'Low' : 'Medium'}: \`certbot --nginx\` runs at ${certbot.loc.path}:${certbot.loc.line} and edits the nginx server that answers for the certificate's name once it has one, adding a TLS listener${certbot.redirect ? ' and, with --redirect, the redirect to HTTPS missing here' : '; whether it also redirects plain HTTP is chosen there (--redirect)'}, so this file as written is not what nginx serves after that.`
            : '') +
          (tlsRival
            ? ` Low: a script renders either this file or ${tlsRival.config.entry}, which has a TLS server, to ${picked!.dest}, so this plain-HTTP file is the fallback it picks under some condition (often while no certificate exists yet); check that the condition cannot hold on a live site.`
            : (root ? ` Medium: ${blockLabel(root.block)} redirects to HTTPS, so pages are served over HTTPS and only these files stay on plain HTTP.` : '') +
              (django ? ` Medium: Django answers these app requests with a redirect to HTTPS (SECURE_SSL_REDIRECT in ${django}, and it sees them as plain HTTP), so pages move to HTTPS; what stays on plain HTTP is the first request of a visit${files ? ' and the files' : ''}.` : '')),
        hint: mixed
          ? `Redirect plain requests before anything else: move the plain listener into its own \`server { listen 80; server_name …; ${REDIRECT_FIX} }\`, or add \`if ($scheme = http) { ${REDIRECT_FIX} }\` at the top of this server.`
          : `Make this server only redirect: put \`${REDIRECT_FIX}\` at server level (to keep certificate renewal working, keep \`location ^~ /.well-known/acme-challenge/ { root …; }\` and put the return in \`location / { … }\` instead).`,
      });
    }
  },
});

function describe(server: NginxServer, e: Endpoint): string {
  const shown = (d: NginxDirective) => `\`${d.name} ${d.args.map((a) => a.raw).join(' ')}\`, ${d.file}:${d.loc.line}`;
  const via = e.served.via;
  const pass = fallbackPass(server, e);
  if (via && pass) return `${blockLabel(e.block)} serves files and passes the rest to the app (${shown(via)}; ${shown(pass)})`;
  const what = e.served.how === 'app' ? 'passes requests to the app' : 'serves files';
  return `${blockLabel(e.block)} ${what}${via ? ` (${shown(via)})` : ''}`;
}

function fallbackPass(server: NginxServer, e: Endpoint): NginxDirective | undefined {
  return e.served.how === 'files' ? namedFallbackPass(server, e.served.via) : undefined;
}

/** The settings modules (joined) when Django redirects every one of these app end points to HTTPS itself. */
function djangoRedirects(ctx: RuleContext, server: NginxServer, apps: Endpoint[]): string | undefined {
  const redirecting = new Set(redirectingModules(ctx));
  const names = new Set<string>();
  for (const e of apps) {
    if (e.served.how !== 'app') return undefined;
    const pass = e.served.via;
    const modules = settingsBehind(ctx, e.block, server);
    if (modules.length === 0) return undefined;
    for (const m of modules) {
      if (!redirecting.has(m) || djangoScheme(ctx, pass, m, 'http').sees !== 'http') return undefined;
      names.add(m.path);
    }
  }
  return names.size > 0 ? [...names].join(', ') : undefined;
}

/** The server level, or `location /` (every URI no other location takes). */
function isRoot(block: NginxDirective): boolean {
  return block.name === 'server' || (block.name === 'location' && block.args.length === 1 && block.args[0].value === '/');
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
