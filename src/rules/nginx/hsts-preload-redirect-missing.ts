import type { NginxDirective } from '../../parsers/nginx';
import type { Loc } from '../../types';
import { defineRule } from '../types';
import {
  anchorLoc, djangoHstsSenders, effectiveHsts, endpoints, headerValue, isHstsDirective, onceFilter, locKey, requestConfig, serverName,
  servesTls, HSTS_FIX,
} from './_hsts-util';
import { findDirectives } from './_tls-util';

// hstspreload.org (FACTS §5): "If you are serving an additional redirect from your HTTPS site, that redirect must
// still have the HSTS header (rather than the page it redirects to)." gixy-ng's hsts_header skips such servers. A
// TLS server that only redirects (https://example.com → https://www.example.com) is often the one the preload list
// checks, and browsers that first land on it never learn its includeSubDomains. add_header applies to 301/302/303/
// 307/308 responses without `always`, so an inherited or own HSTS line would cover the redirect.

/** example.com for www.example.com (last two labels): enough to tell one site's hosts from another's. */
function baseDomain(name: string): string | undefined {
  const n = name.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(n)) return undefined;
  return n.split('.').slice(-2).join('.');
}

function hasPreload(value: string): boolean {
  return value.split(';').some((p) => p.trim().toLowerCase() === 'preload');
}

function levelsUp(d: NginxDirective): NginxDirective[] {
  const out: NginxDirective[] = [];
  for (let p: NginxDirective | undefined = d; p; p = p.parent) out.push(p);
  return out;
}

export default defineRule({
  meta: {
    id: 'nginx/hsts-preload-redirect-missing',
    severity: 'low',
    title: 'The site asks for HSTS preload, but a TLS server that only redirects sends no Strict-Transport-Security',
    kinds: ['nginx', 'django-settings'],
  },
  check(ctx) {
    // Where the site says it wants preloading: an nginx HSTS header or Django's SECURE_HSTS_PRELOAD.
    let intent: { text: string; loc: Loc } | undefined;
    // The sites that ask for preload, by base domain; undefined when some cannot be told (http level, no names).
    let sites: Set<string> | undefined = new Set();
    for (const { d } of findDirectives(ctx, ['add_header'])) {
      if (!isHstsDirective(d) || !hasPreload(headerValue(d))) continue;
      if (!intent) {
        const loc = anchorLoc(ctx, d);
        intent = { text: `\`add_header Strict-Transport-Security "${headerValue(d)}"\` at ${loc.path}:${loc.line}`, loc };
      }
      const server = ctx.model.nginx.servers.find((x) => x.block === d.parent || (d.parent && levelsUp(d.parent).includes(x.block)));
      const bases = server?.names.map(baseDomain).filter((b): b is string => b !== undefined) ?? [];
      if (bases.length === 0) sites = undefined;
      else for (const b of bases) sites?.add(b);
    }
    if (!intent) sites = undefined;
    if (!intent) {
      const dj = djangoHstsSenders(ctx).find((s) => hasPreload(s.value));
      const v = dj?.module.get('SECURE_HSTS_PRELOAD');
      if (dj && v && v.state !== 'unset') intent = { text: `SECURE_HSTS_PRELOAD at ${v.binding.loc.path}:${v.binding.loc.line} (Django sends \`${dj.value}\`)`, loc: v.binding.loc };
    }
    if (!intent) return;
    const once = onceFilter();
    for (const server of ctx.model.nginx.servers) {
      if (!servesTls(server)) continue;
      const eps = endpoints(server, 'https', { internal: false });
      // Only servers whose every request ends in a redirect: content endpoints are nginx/hsts-missing's.
      if (eps.length === 0 || !eps.every((e) => e.served.how === 'redirect')) continue;
      // A redirect for another site (olddomain.com → newdomain.com) is not the preloaded site's.
      const own = server.names.map(baseDomain).filter((b): b is string => b !== undefined);
      if (sites && own.length > 0 && !own.some((b) => sites!.has(b))) continue;
      for (const e of eps) {
        if (effectiveHsts(requestConfig(e.block, 'https', server), ctx.config.nginxVersion).length > 0) continue;
        const via = e.served.how === 'redirect' ? e.served.via : undefined;
        if (!via) continue;
        const loc = anchorLoc(ctx, via);
        if (!once(locKey(loc))) continue;
        ctx.report({
          loc,
          message: `The site asks to be preloaded (${intent.text}), but the TLS server ${serverName(server)} only redirects (\`${via.name} ${via.args.map((a) => a.raw).join(' ')}\`) and sends no Strict-Transport-Security with it: hstspreload.org requires a redirect served over HTTPS to carry the header itself, and a browser that first lands here never learns the policy (nor its includeSubDomains) for this host.`,
          hint: `Add the same header in this server, e.g. \`${HSTS_FIX.replace('includeSubDomains"', 'includeSubDomains; preload"')}\` (add_header applies to 301/308 redirects).`,
          related: [{ path: intent.loc.path, line: intent.loc.line, message: 'the HSTS policy that asks for preload' }],
        });
      }
    }
  },
});
