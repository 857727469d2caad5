import { defineRule } from '../types';

export default defineRule({
  meta: {
    id: 'parse/error',
    severity: 'medium',
    title: 'A deployment file could not be read or parsed',
    kinds: ['django-settings', 'wsgi', 'nginx', 'uwsgi'],
  },
  check(ctx) {
    for (const d of ctx.model.diagnostics) {
      ctx.report({
        loc: d.loc,
        message: d.message,
        hint: 'Fix the syntax (or the encoding) so the file can be checked; until then its settings are not verified.',
      });
    }
  },
});
