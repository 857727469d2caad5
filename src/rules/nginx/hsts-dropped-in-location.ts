import { children, effectiveList } from '../../model/nginx';
import type { NginxDirective } from '../../parsers/nginx/types';
import { defineRule } from '../types';
import {
  anchorLoc, blockLabel, conditionFor, effectiveHsts, endpointCause, HSTS_FIX, headerValue, isHstsDirective, locKey, onceFilter, serverName,
  servesTls, supportsInheritMerge, tlsContentEndpoints, versionNote,
} from './_hsts-util';

// nginx headers module: add_header is inherited "if and only if there are no add_header directives defined on the
// current level". yandex/gixy's add_header_redefinition leaves Strict-Transport-Security out of its default list.
// `add_header_inherit merge` (nginx 1.29.3) keeps the parent's headers; effectiveList applies it.
export default defineRule({
  meta: {
    id: 'nginx/hsts-dropped-in-location',
    severity: 'high',
    title: 'A location with its own add_header drops the inherited Strict-Transport-Security header',
    kinds: ['nginx'],
  },
  check(ctx) {
    const once = onceFilter();
    const version = ctx.config.nginxVersion;
    const merge = supportsInheritMerge(ctx);
    for (const server of ctx.model.nginx.servers) {
      if (!servesTls(server)) continue;
      // The blocks of this server by the level whose add_header set is in force there, worked out once per server:
      // asked per reporting block it made a server with many such locations quadratic.
      let byLevel: Map<NginxDirective | undefined, NginxDirective[]> | undefined;
      const decidedBy = (level: NginxDirective): NginxDirective[] => {
        if (!byLevel) {
          byLevel = new Map();
          for (const l of server.locations) {
            const at = effectiveList(l, 'add_header', version).level;
            const list = byLevel.get(at);
            if (list) list.push(l);
            else byLevel.set(at, [l]);
          }
        }
        return byLevel.get(level) ?? [];
      };
      for (const block of [server.block, ...server.locations]) {
        const own = children(block, 'add_header');
        const inheritOff = merge ? children(block, 'add_header_inherit').find((d) => d.args[0]?.value === 'off') : undefined;
        if (own.length === 0 && !inheritOff) continue;
        // An `if` that no HTTPS request enters (`if ($scheme = http)`) changes nothing for HTTPS responses.
        if (block.name === 'if' && conditionFor(block, 'https', server) === false) continue;
        // An HSTS add_header of its own (an empty value is the documented way to switch it off on purpose).
        if (own.some(isHstsDirective)) continue;
        if (!block.parent || effectiveHsts(block, version).length > 0) continue;
        const inherited = effectiveHsts(block.parent, version);
        if (inherited.length === 0) continue;
        const at: NginxDirective = own[0] ?? inheritOff!;
        const loc = anchorLoc(ctx, at);
        if (!once(locKey(loc))) continue;
        const src = inherited[0];
        const level = src.parent?.name === 'http' || !src.parent ? 'http level' : src.parent.name === 'server' ? 'server level' : blockLabel(src.parent);
        const where = block.name === 'server' ? `TLS server ${serverName(server)}` : `${blockLabel(block)} in TLS server ${serverName(server)}`;
        // The end points whose header set this block decides: django/hsts-off about them is the same cause.
        // The block itself first, then every location (itself included) whose set it decides, in server order.
        const decided = [block, ...decidedBy(block)];
        // Other content of the same host still sends HSTS (`/static/` beside a `location /` that drops it): a browser
        // that loads a page learns the policy from those responses, so the gap is the dropped responses only.
        const keeps = block.name !== 'server' ? tlsContentEndpoints(server).find((e) => !decided.includes(e.block) && effectiveHsts(e.block, version).length > 0) : undefined;
        ctx.report({
          loc,
          severity: keeps ? 'medium' : undefined,
          cause: { keys: decided.map((l) => endpointCause('no-hsts', l)), primary: true },
          message:
            `${where} has ${own.length > 0 ? 'add_header directives of its own' : '`add_header_inherit off`'}, so nginx drops every add_header inherited from the ${level}, including \`Strict-Transport-Security: ${headerValue(src)}\` (${src.file}:${src.loc.line}): ` +
            `responses from here carry no HSTS (${versionNote(ctx)}).` +
            (keeps ? ` Medium: other responses of this host still carry it (${blockLabel(keeps.block)}), so browsers that load them learn the policy.` : ''),
          hint: merge
            ? `Repeat \`${HSTS_FIX}\` in this block, or add \`add_header_inherit merge;\` to it (nginx 1.29.3+), or move the other add_header lines up to the ${level}.`
            : `Repeat \`${HSTS_FIX}\` in this block (a shared snippet included at every level that sets headers keeps them in step), or move the other add_header lines up to the ${level}; nginx 1.29.3+ also offers \`add_header_inherit merge;\`.`,
        });
      }
    }
  },
});
