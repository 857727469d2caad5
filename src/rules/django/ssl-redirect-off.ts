import { describe, SECURITY_MIDDLEWARE, type SettingsModule } from '../../model/settings';
import { describeEdge } from '../../model/edge';
import { appEdge, describeAppEdge, publishedAppPort } from '../../model/app-edge';
import { endpointCause, endpointServes, endpointsFallbackNote, frontedModules, plainAppExposure, whereLabel } from '../nginx/_hsts-util';
import { truthyNotTrue } from '../helpers';
import { certbotFor } from '../nginx/_common';
import { appsBehind } from '../../model/links';
import { passDirective } from '../../model/nginx';
import { defineRule, type RuleContext } from '../types';
import type { Loc } from '../../types';

// Django W008 (`is not True`); SecurityMiddleware itself only tests truth. nginx in the workspace that passes requests to an app is taken to front this Django
// app: when every plain-HTTP path to it redirects to https first (nginx/http-not-redirected's test), Django's own
// redirect is not needed. The verdict follows what the repository shows about where TLS ends (model/app-edge.ts):
// medium where the edge is shown and does not redirect; nothing where it redirects by itself (Caddy's automatic
// HTTPS); low, naming what to check, where TLS ends somewhere the repository does not show.
export default defineRule({
  meta: {
    id: 'django/ssl-redirect-off',
    severity: 'medium',
    title: 'Django does not redirect plain-HTTP requests to HTTPS (SECURE_SSL_REDIRECT is not True)',
    kinds: ['django-settings', 'nginx'],
  },
  check(ctx) {
    const notTrue = ctx.model.settings.filter(
      (s) => s.hasMiddleware(SECURITY_MIDDLEWARE).answer === 'yes' && s.isTrue('SECURE_SSL_REDIRECT').answer === 'no',
    );
    // A truthy value that is not True still redirects (the middleware tests truth): only check --deploy parity.
    const judged: typeof notTrue = [];
    for (const s of notTrue) {
      const parity = truthyNotTrue(s, 'SECURE_SSL_REDIRECT', 'plain-HTTP requests are redirected', 'security.W008');
      if (!parity) {
        judged.push(s);
        continue;
      }
      const loc = s.anchorFor('SECURE_SSL_REDIRECT', s.middlewareName);
      ctx.report({ loc, severity: 'low', message: `${parity}${s.where(loc)}.`, hint: 'Write SECURE_SSL_REDIRECT = True (or cast the environment value with a reader that returns a bool, e.g. env.bool).' });
    }
    if (judged.length === 0) return;
    const nginx = ctx.model.nginx.servers.length > 0 ? plainAppExposure(ctx) : undefined;
    const production = (file: string) => (ctx.model.roleOf?.(file).role ?? 'production') === 'production';
    for (const s of judged) {
      // Only the nginx locations that pass to this module's app count (the model's links; all where unknown).
      // A development nginx (`site.dev.conf.j2`) says nothing about a production module's edge: beside a production
      // nginx that passes to the app, or alone (then what the repository shows elsewhere decides).
      const own = production(s.path);
      const fronting = nginx !== undefined && frontedModules(ctx).has(s) && (!own || productionFronts(ctx, s, production));
      const mine = (e: NonNullable<typeof nginx>['exposed'][number]) => endpointServes(ctx, e, s) && (!own || production(e.endpoint.block.file));
      const served = (nginx?.exposed ?? []).filter(mine);
      const behind = (nginx?.behind ?? []).filter(mine);
      const { value } = s.isTrue('SECURE_SSL_REDIRECT');
      const loc = s.anchorFor('SECURE_SSL_REDIRECT', s.middlewareName);
      const head = `${describe('SECURE_SSL_REDIRECT', value, 'False')}: requests that reach Django over plain HTTP are served, not redirected to HTTPS${s.where(loc)}.`;
      if (fronting && served.length === 0 && behind.length === 0) {
        aroundTheProxy(ctx, s, loc, head, 'nginx redirects plain HTTP to HTTPS');
        continue;
      }
      // A demo or development nginx says nothing about the deployed app's edge.
      const exposed = served.filter((e) => production(e.endpoint.block.file));
      const cause = { keys: exposed.map((e) => endpointCause('no-redirect', e.endpoint.block)), primary: false };
      if (exposed.length > 0) {
        // The repository shows the public plain-HTTP entry: an nginx server that passes to the app without redirecting.
        // nginx/http-not-redirected reports the fix there, with this line as a related place.
        // certbot --nginx --redirect, run by the deployment, adds the redirect to those servers later.
        const certbot = exposed.map((e) => certbotFor(ctx, e.endpoint.block.file)).find((c) => c?.redirect);
        ctx.report({
          loc,
          cause,
          ...(certbot ? { severity: 'low' as const } : {}),
          message: `${head} nginx does not redirect them either: ${exposed.slice(0, 3).map((e) => whereLabel(e.endpoint.block)).join(', ')} ${exposed.length > 1 ? 'pass' : 'passes'} plain-HTTP requests to the app${endpointsFallbackNote(ctx, exposed)}.${certbot ? ` Low: \`certbot --nginx --redirect\` at ${certbot.loc.path}:${certbot.loc.line} adds that redirect once it has a certificate.` : ''}`,
          hint: hint(s, 'nginx'),
        });
        continue;
      }
      const edge = appEdge(ctx.model, s);
      const noRedirect = edge.fronts.filter((f) => f.redirects === false);
      if (noRedirect.length === 0 && edge.fronts.some((f) => f.redirects === true)) {
        aroundTheProxy(ctx, s, loc, head, `the TLS terminator in front redirects plain HTTP (${edge.fronts.filter((f) => f.redirects).map((f) => f.text).join('; ')})`);
        continue;
      }
      if (noRedirect.length > 0) {
        ctx.report({
          loc,
          cause,
          message: `${head} The TLS terminator in front does not redirect them either: ${noRedirect.map((f) => f.text).join('; ')}.`,
          hint: hint(s, 'front'),
        });
        continue;
      }
      const front = behind.length > 0 ? `nginx passes what it receives to the app (${whereLabel(behind[0].endpoint.block)}), and ${describeEdge(behind[0].edge, 1)}` : describeAppEdge(edge);
      ctx.report({
        loc,
        cause,
        severity: 'low',
        message: `${head} Whether plain HTTP is redirected is decided in front of Django, which the repository does not show: ${front}. Check that the proxy or platform in front redirects HTTP to HTTPS.`,
        hint: hint(s, 'front'),
      });
    }
  },
});

const productionFrontedCache = new WeakMap<object, Set<SettingsModule>>();

/** Whether an nginx server of a production config passes requests to the module's app (every pass read once per scan). */
function productionFronts(ctx: RuleContext, s: SettingsModule, production: (file: string) => boolean): boolean {
  let set = productionFrontedCache.get(ctx.model);
  if (!set) {
    set = new Set();
    for (const server of ctx.model.nginx.servers) {
      if (!production(server.block.file)) continue;
      for (const b of [server.block, ...server.locations]) {
        const pass = passDirective(b);
        if (pass) for (const m of appsBehind(ctx.model, server, b, pass).settings) set.add(m);
      }
    }
    productionFrontedCache.set(ctx.model, set);
  }
  return set.has(s);
}

/**
 * The proxy in front redirects, but a production compose service also publishes the app server's plain-HTTP port on
 * the host: requests sent there are served without any redirect. Low: a firewall may keep the port private.
 */
function aroundTheProxy(ctx: RuleContext, s: SettingsModule, loc: Loc, head: string, front: string): void {
  const around = publishedAppPort(ctx.model, s);
  if (!around) return;
  ctx.report({
    loc,
    severity: 'low',
    related: [{ path: around.loc.path, line: around.loc.line, message: 'the app server\'s plain-HTTP port, published on the host' }],
    message: `${head} ${front}, but ${around.text}: clients that connect to that port reach Django over plain HTTP, without the redirect. (Low: a firewall may keep the port private.)`,
    hint: `Do not publish the app server's port (drop it from \`ports:\`, or bind it to the loopback, \`${around.loopback}\`): the proxy reaches the service over the compose network.`,
  });
}

/** Behind a TLS proxy without SECURE_PROXY_SSL_HEADER, SECURE_SSL_REDIRECT alone redirects every request forever. */
function hint(s: SettingsModule, edge: 'nginx' | 'front'): string {
  const proxyHeader = s.get('SECURE_PROXY_SSL_HEADER');
  const fixFront = edge === 'nginx' ? 'redirect port 80 to HTTPS in the web server (`return 308 https://$host$request_uri;` in the plain-HTTP server)' : 'redirect HTTP to HTTPS in the proxy or platform in front';
  if (proxyHeader.state === 'unset') {
    return `Either ${fixFront}, or set SECURE_SSL_REDIRECT = True together with SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') and have the proxy overwrite that header: behind a TLS-terminating proxy, SECURE_SSL_REDIRECT alone sees every request as plain HTTP and redirects forever.`;
  }
  if (proxyHeader.state === 'unknown') {
    return `Either ${fixFront}, or set SECURE_SSL_REDIRECT = True once SECURE_PROXY_SSL_HEADER is known to be set where it runs (here it comes from the environment): behind a TLS-terminating proxy, SECURE_SSL_REDIRECT alone sees every request as plain HTTP and redirects forever.`;
  }
  return `Set SECURE_SSL_REDIRECT = True (SECURE_PROXY_SSL_HEADER is set, so Django can tell HTTPS requests apart behind the proxy), or ${fixFront}.`;
}
