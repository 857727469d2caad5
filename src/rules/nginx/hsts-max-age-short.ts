import type { Severity } from '../../types';
import { defineRule } from '../types';
import { severityRank } from '../../types';
import { groupIdentical, repeatNote, repeatRelated } from './_common';
import { allHstsHeaders, effectiveHsts, endpointCause, headerValue, headerValuesFor, locKey, onceFilter, parseHsts, requestConfig, tlsAppHsts, usedByTls } from './_hsts-util';
import type { NginxDirective } from '../../parsers/nginx/types';

// CIS NGINX 4.1.8 asks for at least 15768000 s (six months); Mozilla's template and the OWASP cheat sheet use
// 63072000 (two years). max-age=0 tells browsers to forget the host (RFC 6797 §6.1.1); a header without a valid
// max-age is ignored altogether (§6.1, §8.1).
const SIX_MONTHS = 15768000;
const TWO_YEARS = 63072000;

export default defineRule({
  meta: {
    id: 'nginx/hsts-max-age-short',
    severity: 'low',
    title: 'Strict-Transport-Security max-age is short, zero or invalid',
    kinds: ['nginx'],
  },
  check(ctx) {
    const once = onceFilter();
    const live = usedByTls(ctx);
    // Browsers ignore HSTS received over plain HTTP: nginx/hsts-on-plain-http covers plain-only servers.
    const sent = allHstsHeaders(ctx).filter(({ d, server }) => live(d, server));
    for (const g of groupIdentical(ctx, sent)) {
      const { d } = g.first;
      const values = headerValuesFor(ctx, d, 'https');
      if (!values) continue;
      const verdicts = values.filter((v) => v !== '').map(judge).filter((v) => v !== undefined);
      if (verdicts.length === 0) continue;
      const worst = verdicts.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
      const loc = g.loc;
      if (!once(locKey(loc))) continue;
      const raw = headerValue(d);
      const shown = raw === worst.value ? `\`Strict-Transport-Security: ${raw}\`` : `\`Strict-Transport-Security: ${raw}\` (the map gives \`${worst.value}\` over HTTPS)`;
      ctx.report({
        loc,
        severity: worst.severity,
        // A header browsers ignore (or max-age=0) is where the missing HSTS of the app behind it is fixed:
        // django/hsts-off about those end points is folded in here.
        ...(worst.severity === 'medium' ? { cause: { keys: appEndpointsUsing(ctx, d), primary: true } } : {}),
        message: `${shown}: ${worst.why}.${repeatNote(g)}`,
        related: repeatRelated(g),
        hint: 'Use `add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;` (during a first rollout a short max-age such as 3600 is fine; raise it once every page works over HTTPS).',
      });
    }
  },
});

/** The TLS app end points whose HSTS comes from `d` (or an identical directive) and so have none that works. */
const uncoveredCache = new WeakMap<object, { key: string; headers: string[] }[]>();

function appEndpointsUsing(ctx: Parameters<typeof tlsAppHsts>[0], d: NginxDirective): string[] {
  // Computed once per scan: a large config may have many such headers.
  let uncovered = uncoveredCache.get(ctx.model);
  if (!uncovered) {
    uncovered = tlsAppHsts(ctx).uncovered.map(({ server, endpoint }) => ({
      key: endpointCause('no-hsts', endpoint.block),
      headers: effectiveHsts(requestConfig(endpoint.block, 'https', server), ctx.config.nginxVersion).map(identity),
    }));
    uncoveredCache.set(ctx.model, uncovered);
  }
  const id = identity(d);
  return uncovered.filter((u) => u.headers.includes(id)).map((u) => u.key);
}

const identity = (d: NginxDirective) => `${d.name}\0${d.args.map((a) => a.value).join('\0')}`;

function judge(value: string): { severity: Severity; why: string; value: string } | undefined {
  const h = parseHsts(value);
  if (h.maxAge === undefined) return { value, severity: 'medium', why: `${h.problem}, so browsers ignore the whole header and the host gets no HSTS` };
  if (h.maxAge === 0) return { value, severity: 'medium', why: 'max-age=0 tells browsers to delete the HSTS entry they hold for this host: this header switches HSTS off' };
  if (h.maxAge < SIX_MONTHS) {
    return {
      value,
      severity: 'low',
      why: `max-age=${h.maxAge} (${days(h.maxAge)}) is below the six months (15768000 s) CIS NGINX 4.1.8 asks for: a browser that has not visited for that long falls back to plain http:// on the next visit`,
    };
  }
  if (h.maxAge < TWO_YEARS) {
    return {
      value,
      severity: 'info',
      why: `max-age=${h.maxAge} (${days(h.maxAge)}) is below the two years (63072000 s) Mozilla's configuration uses${h.preload && h.maxAge < 31536000 ? ', and below the one year the HSTS preload list requires' : ''}`,
    };
  }
  return undefined;
}

function days(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 3600) return unit(seconds, 'second');
  if (seconds < 86400) return unit(Math.round((seconds / 3600) * 10) / 10, 'hour');
  return unit(Math.round((seconds / 86400) * 10) / 10, 'day');
}
