import type { NginxDirective } from '../../parsers/nginx';
import { seesHttpCause, settingsBehind } from '../../model/scheme';
import type { Severity } from '../../types';
import { defineRule, type RuleContext } from '../types';
import {
  XFP_HEADER, XFP_PARAM, anchorLoc, behindSite, directiveText, headerTitle, levelName, levelRef, ownSets, passSites, placeOf, reportOnce,
  trustedHeaders, trustingModule, metaName, type TrustedHeader,
} from './_proxy-util';

// proxy_set_header and uwsgi_param are inherited only by a level that has none of its own (nginx docs; FACTS §4.4):
// one `proxy_set_header Host $host;` in a location silently drops every header set at server or http level,
// X-Forwarded-Proto included. Dropped, the backend sees no scheme header, and the client's own copy passes through.

interface Drop {
  key: string;
  from: NginxDirective;
  trusted?: TrustedHeader;
}

interface Kind {
  directive: 'proxy_set_header' | 'uwsgi_param';
  pass: 'proxy_pass' | 'uwsgi_pass';
  keyOf(d: NginxDirective): string;
  wanted: Set<string>;
  meta(key: string): string;
}

export default defineRule({
  meta: {
    id: 'nginx/forwarded-proto-dropped',
    severity: 'medium',
    title: 'A location\'s own proxy_set_header / uwsgi_param set drops the inherited X-Forwarded-Proto',
    kinds: ['nginx'],
  },
  check(ctx) {
    // Settings are read only when nginx hands requests to an app at all.
    if (ctx.model.nginx.servers.length === 0) return;
    const trusted = trustedHeaders(ctx);
    const headers = trusted.flatMap((t) => (t.header ? [t.header] : []));
    const kinds: Kind[] = [
      {
        directive: 'proxy_set_header',
        pass: 'proxy_pass',
        keyOf: (d) => d.args[0]?.value.toLowerCase() ?? '',
        wanted: new Set([XFP_HEADER, ...headers]),
        meta: metaName,
      },
      {
        directive: 'uwsgi_param',
        pass: 'uwsgi_pass',
        keyOf: (d) => d.args[0]?.value.toUpperCase() ?? '',
        // HTTPS lost to a nested set is nginx/uwsgi-https-missing.
        wanted: new Set([XFP_PARAM, ...headers.map(metaName)]),
        meta: (k) => k,
      },
    ];
    const report = reportOnce(ctx);
    for (const kind of kinds) {
      for (const site of passSites(ctx, kind.pass)) {
        const sets = ownSets(site.block, kind.directive);
        if (sets.length < 2) continue;
        const inForce = sets[sets.length - 1];
        const have = new Set(inForce.directives.map(kind.keyOf));
        const drops: Drop[] = [];
        for (const key of kind.wanted) {
          if (have.has(key)) continue;
          for (let i = sets.length - 2; i >= 0; i--) {
            const from = sets[i].directives.filter((d) => kind.keyOf(d) === key).pop();
            if (from) {
              drops.push({ key, from, trusted: trustingModule(behindSite(ctx, site, trusted), kind.meta(key)) });
              break;
            }
          }
        }
        if (drops.length === 0) continue;
        // Only the Django behind this location relies on the header (model/scheme.ts settingsBehind).
        const behind = settingsBehind(ctx, site.block, site.server);
        for (const d of drops) if (d.trusted && !behind.includes(d.trusted.settings)) d.trusted = undefined;
        reportDrops(ctx, report, kind, inForce.level, inForce.directives[0], site.pass, drops);
      }
    }
  },
});

function reportDrops(
  ctx: RuleContext,
  report: ReturnType<typeof reportOnce>,
  kind: Kind,
  level: NginxDirective,
  firstOwn: NginxDirective,
  pass: NginxDirective,
  drops: Drop[],
): void {
  const severity: Severity = drops.some((d) => d.trusted) ? 'high' : 'medium';
  const cap = (t: string) => t[0].toUpperCase() + t.slice(1);
  const lost = drops.map((d) => `\`${directiveText(d.from)}\` (${d.from.parent ? levelName(d.from.parent) : 'http'} level, ${placeOf(ctx, d.from)})`).join(' and ');
  const names = drops.map((d) => (kind.directive === 'proxy_set_header' ? headerTitle(d.key) : d.key));
  const trust = drops.find((d) => d.trusted)?.trusted;
  const effect = trust
    ? `Django (${trust.settings.path}) trusts ${trust.meta} through SECURE_PROXY_SSL_HEADER, so it falls back to the connection scheme and sees these HTTPS requests as plain HTTP (with SECURE_SSL_REDIRECT on: a redirect loop), while a client's own ${headerTitle(trust.header ?? '')} header now reaches it unfiltered`
    : kind.directive === 'uwsgi_param'
      ? 'uWSGI 2.0.8+ sets wsgi.url_scheme from HTTP_X_FORWARDED_PROTO, so it now takes whatever X-Forwarded-Proto header the client sent, and falls back to the HTTPS param (or http) when there is none'
      : `The backend gets no ${names.join(' / ')} from nginx for these requests, only whatever copy the client sent`;
  const fix = drops.map((d) => `\`${directiveText(d.from)};\``).join(' ');
  report({
    loc: anchorLoc(ctx, level),
    severity,
    // Django trusting the dropped header sees these HTTPS requests as http: the cross rules carry that cause.
    ...(trust ? { cause: { keys: [seesHttpCause(pass.parent ?? level)], primary: false } } : {}),
    message:
      `${cap(levelRef(level))} has its own ${kind.directive} set (\`${directiveText(firstOwn)}\` at ${placeOf(ctx, firstOwn)}), which replaces the inherited one: ` +
      `${lost} is not sent for requests passed by \`${directiveText(pass)}\` at ${pass.file}:${pass.loc.line}. ${effect}.`,
    hint: `Repeat ${fix} inside ${levelRef(level)}, next to its own ${kind.directive} lines (or move them all into one shared snippet that every level includes).`,
  });
}
