import { appsBehind } from '../../model/links';
import { namedFallbackPass } from '../../model/request';
import { settingsBehind } from '../../model/scheme';
import type { NginxServer } from '../../model/nginx';
import { defineRule, type RuleContext } from '../types';
import {
  blockLabel, djangoHstsAt, djangoHstsSenders, djangoHstsUndecidedAt, namedByIpOnly, endpointCause, unresolvedIncludes, effectiveHsts, HSTS_FIX, hstsInChain, includesOnTheWay, locKey, onceFilter, serverLoc, serverName,
  requestConfig, tlsContentEndpoints, type Endpoint,
} from './_hsts-util';

// gixy-ng hsts_header, CIS NGINX 4.1.8, Mozilla's template. End points whose chain has HSTS somewhere but drop it
// through their own add_header set are nginx/hsts-dropped-in-location's; this rule takes those with none at all.
export default defineRule({
  meta: {
    id: 'nginx/hsts-missing',
    severity: 'high',
    title: 'A TLS server sends no Strict-Transport-Security header',
    kinds: ['nginx'],
  },
  check(ctx) {
    const once = onceFilter();
    const version = ctx.config.nginxVersion;
    const django = djangoHstsSenders(ctx);
    for (const server of ctx.model.nginx.servers) {
      const content = tlsContentEndpoints(server);
      if (content.length === 0) continue;
      const lacking = content.filter((e) => {
        const cfg = requestConfig(e.block, 'https', server);
        return effectiveHsts(cfg, version).length === 0 && !hstsInChain(cfg);
      });
      // SecurityMiddleware adds HSTS to the app's own responses, but only for the app behind the end point (the
      // model's links) and only where Django sees the request as HTTPS.
      const blind = new Set<string>();
      const senders = new Map<Endpoint, ReturnType<typeof djangoHstsAt>['senders']>();
      const uncovered = lacking.filter((e) => {
        const at = djangoHstsAt(ctx, server, e);
        senders.set(e, at.senders);
        for (const x of at.blind) blind.add(x.module.path);
        return !at.sends;
      });
      if (uncovered.length === 0) continue;
      const loc = serverLoc(ctx, server);
      if (!once(locKey(loc))) continue;
      const entirely = lacking.length === content.length;
      const listed = uncovered.map((e) => `${blockLabel(e.block)} (${describe(ctx, server, e)})`).join(', ');
      // Django may send it: the settings behind every uncovered app end point decide HSTS only at run time. Files
      // and redirects nginx serves itself still lack it (medium, as where Django surely sends it).
      const apps = uncovered.filter((e) => e.served.how === 'app');
      // Through some passes only (gunicorn sees HTTPS, a daphne without --proxy-headers does not): the rest lack it.
      const maybe = apps.map((e) => djangoHstsUndecidedAt(ctx, server, e));
      const mayAt = apps.flatMap((e, i) => (maybe[i].length > 0 ? [{ e, first: maybe[i][0] }] : []));
      const djangoMay = mayAt.length > 0;
      const djangoMayAll = djangoMay && mayAt.length === apps.length;
      const rest = apps.filter((_, i) => maybe[i].length === 0);
      const mayNote = djangoMay
        ? ` Django may send it for the app${djangoMayAll ? '' : ` through ${mayAt.map((m) => blockLabel(m.e.block)).join(', ')}`}: in ${mayAt[0].first.module.path}, ${mayAt[0].first.why}, so whether ${djangoMayAll ? "the app's" : 'those'} responses carry HSTS depends on the deployment's environment.` +
          (djangoMayAll ? '' : ` Not through ${rest.map((e) => blockLabel(e.block)).join(', ')}: Django adds none there (it sees those requests as plain HTTP, or its settings send none).`)
        : '';
      // An include that could not be read may hold the header (see below): then "none at all" is more than is known.
      const unknown = unresolvedIncludes(ctx, server);
      let what: string;
      if (entirely && uncovered.length === lacking.length) {
        what =
          unknown.length > 0
            ? 'shows no Strict-Transport-Security header: no `add_header Strict-Transport-Security` with a value at http, server or location level in the configuration the repository holds.'
            : 'sends no Strict-Transport-Security header at all: no `add_header Strict-Transport-Security` with a value at http, server or location level.';
        if (uncovered.some((e) => e.served.how === 'app')) {
          what += ctx.model.settings.length === 0
            ? ' No Django settings module in the workspace sends it either.'
            : djangoMay
              ? mayNote
              : blind.size > 0
              ? ` Django does not send it either: ${[...blind].join(', ')} sets SECURE_HSTS_SECONDS, but Django sees these HTTPS requests as plain HTTP and SecurityMiddleware adds the header only to secure ones.`
              : django.length === 0
                ? ' Django does not send it either: no judged settings module has SecurityMiddleware with SECURE_HSTS_SECONDS > 0.'
                : ` Django does not send it either: ${behindNote(ctx, server, uncovered)}.`;
        }
      } else {
        what = entirely
          ? `has no add_header Strict-Transport-Security at any level; Django's SecurityMiddleware (${[...senders.values()].flat()[0]?.module.path}) adds it to the app's responses, but nothing adds it to ${listed}.`
          : `sends no Strict-Transport-Security header from ${listed}, while other parts of this server set it.`;
        if (!entirely && uncovered.some((e) => e.served.how === 'app')) {
          what += djangoMay
            ? mayNote
            : blind.size > 0
            ? ` Django does not send it for the app either: ${[...blind].join(', ')} sets SECURE_HSTS_SECONDS, but Django sees these HTTPS requests as plain HTTP.`
            : django.length === 0
              ? ' Django does not send it for the app either (no judged settings module has SecurityMiddleware with SECURE_HSTS_SECONDS > 0).'
              : ` Django does not send it for the app either: ${behindNote(ctx, server, uncovered)}.`;
        }
      }
      // An include that could not be read may hold the header. Where one sits on every lacking end point's way (its
      // block, or a level it inherits add_header from), the verdict cannot be known: low, naming the include.
      const mayCover = (e: Endpoint) => includesOnTheWay(unknown, e.block).length > 0;
      const undecided = unknown.length > 0 && uncovered.every(mayCover);
      if (unknown.length > 0) {
        const named = (undecided ? [...new Set(uncovered.flatMap((e) => includesOnTheWay(unknown, e.block)))] : unknown).slice(0, 2);
        what += ` The server's configuration includes files that are not in the workspace (${named.map((p) => `\`${p.loc.path}:${p.loc.line}\``).join(', ')}), which ${undecided ? 'sit where they could add the header, so whether it is sent cannot be known here' : 'may add it'}.`;
      }
      // A plain-looking `listen 443;` that another server's `listen 443 ssl;` makes TLS: say why it counts.
      const merged = server.listens.find((l) => l.sslFrom && l.directive);
      if (merged) {
        what += ` (Its \`listen ${merged.directive!.args.map((a) => a.raw).join(' ')}\` is TLS: nginx merges listen options per address:port, and \`listen ${merged.sslFrom!.args.map((a) => a.raw).join(' ')}\` at ${merged.sslFrom!.file}:${merged.sslFrom!.loc.line} sets ssl there.)`;
      }
      // Browsers ignore HSTS from a host that is an IP address (RFC 6797 §8.1.1).
      const ipOnly = namedByIpOnly(server);
      if (ipOnly) what += ` Low: every server_name is an IP address (${server.names.slice(0, 2).join(', ')}), and browsers ignore HSTS from an IP address (RFC 6797 §8.1.1); it matters once the server is reached by a host name.`;
      // RULES.md: total absence of HSTS is high, partial coverage medium.
      const partial = uncovered.length < content.length;
      ctx.report({
        loc,
        // The fix belongs here (it covers files and error pages too): django/hsts-off about the same app end points
        // is folded into this finding.
        cause: { keys: uncovered.filter((e) => e.served.how === 'app').map((e) => endpointCause('no-hsts', e.block)), primary: true },
        ...(undecided || ipOnly || (djangoMayAll && apps.length === uncovered.length)
          ? { severity: 'low' as const }
          : unknown.length > 0 || partial || djangoMay ? { severity: 'medium' as const } : {}),
        message:
          `TLS server ${serverName(server)} ${what} ` +
          'Without HSTS, browsers keep using http:// for typed host names, bookmarks and links, and that first plain request is where an attacker on the network strips HTTPS.',
        hint:
          entirely && uncovered.length === lacking.length
            ? `Add \`${HSTS_FIX}\` in this server block (start with a small max-age such as 3600 while checking that every page works over HTTPS).`
            : uncovered.length < lacking.length
              ? `Add \`${HSTS_FIX}\` in each of these locations (not at server level: the app's responses already carry Django's header and would get a second one).`
              : `Add \`${HSTS_FIX}\` in the server block, or in each of these locations if they have add_header directives of their own.`,
      });
    }
  },
});

/** Which app the uncovered end points pass to, and that its settings send no HSTS (the model's links). */
function behindNote(ctx: RuleContext, server: NginxServer, uncovered: Endpoint[]): string {
  const app = uncovered.find((e) => e.served.how === 'app');
  if (!app || app.served.how !== 'app') return 'the app behind it sends no HSTS';
  const behind = appsBehind(ctx.model, server, app.block, app.served.via);
  const mods = behind.settings.map((s) => s.path);
  return `the app ${blockLabel(app.block)} passes to runs ${mods.length > 0 ? mods.slice(0, 3).join(', ') : 'no judged settings module'}, with no SecurityMiddleware and SECURE_HSTS_SECONDS > 0 (${behind.via.slice(1).join(' → ') || 'linked by its entry point'})`;
}

function describe(ctx: RuleContext, server: NginxServer, e: Endpoint): string {
  // A pass the deployment's links put in front of no Django app (certbot, a Node service) is named by its target.
  if (e.served.how === 'app') return settingsBehind(ctx, e.block, server).length === 0 ? `passes to \`${e.served.via.args[0]?.raw.slice(0, 80) ?? '?'}\`` : 'passes to the app';
  // `try_files $uri @app`: the named location's responses are the app's.
  if (e.served.how === 'files' && namedFallbackPass(server, e.served.via)) return 'serves files, and the rest from the app';
  if (e.served.how === 'files') return 'serves files';
  return 'returns a response';
}
