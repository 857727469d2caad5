import { defineRule } from '../types';
import { groupIdentical, repeatNote, repeatRelated } from './_common';
import { allHstsHeaders, hasAlways, headerValue, headerValuesFor, locKey, onceFilter, usedByTls } from './_hsts-util';

// ngx_http_headers_filter_module adds a header only to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308
// responses unless `always` (nginx 1.7.5) is given; Mozilla's template uses `always`. headers-more sets it on every
// status unless limited with `-s`.
export default defineRule({
  meta: {
    id: 'nginx/hsts-without-always',
    severity: 'low',
    title: 'Strict-Transport-Security is added without `always` (missing on error responses)',
    kinds: ['nginx'],
  },
  check(ctx) {
    const once = onceFilter();
    const live = usedByTls(ctx);
    const candidates = allHstsHeaders(ctx).filter(({ d, server }) => !hasAlways(d) && live(d, server));
    for (const g of groupIdentical(ctx, candidates)) {
      const { d } = g.first;
      // An empty value (or a map that gives "" over HTTPS) adds no header at all.
      if (headerValuesFor(ctx, d, 'https')?.every((v) => v === '')) continue;
      const loc = g.loc;
      if (!once(locKey(loc))) continue;
      const more = d.name === 'more_set_headers';
      ctx.report({
        loc,
        message:
          (more
            ? `\`more_set_headers ${d.args.map((a) => a.raw).join(' ')}\` is limited with \`-s\`, so headers-more sets Strict-Transport-Security only on responses with the listed status codes: `
            : `\`add_header Strict-Transport-Security "${headerValue(d)}"\` has no \`always\`, so nginx adds it only to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 responses: `) +
          'a 404, 403 or 5xx (for example a first visit to a mistyped or stale link) carries no HSTS, and the browser does not learn to avoid plain HTTP.' +
          repeatNote(g),
        related: repeatRelated(g),
        hint: more
          ? `Drop \`-s\` and its status list: \`more_set_headers "Strict-Transport-Security: ${headerValue(d)}";\` sets it on every response.`
          : `Append \`always\`: \`add_header Strict-Transport-Security "${headerValue(d)}" always;\` (nginx 1.7.5+).`,
      });
    }
  },
});
