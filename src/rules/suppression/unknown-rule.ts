import { nearestId } from '../../engine/suppress';
import { defineRule } from '../types';

export const SUPPRESSION_FAMILY = 'suppression/';

export default defineRule({
  meta: {
    id: 'suppression/unknown-rule',
    severity: 'low',
    title: 'An inline suppression names a rule that does not exist',
    kinds: ['django-settings', 'wsgi', 'nginx', 'uwsgi', 'gunicorn'],
  },
  check(ctx) {
    const facts = ctx.suppressions;
    if (!facts) return;
    const known = [...facts.knownIds];
    // Suggestions are computed once per distinct id, and only for so many: a file may hold any number of typos.
    const suggestions = new Map<string, string | undefined>();
    for (const d of facts.directives()) {
      for (const x of d.ids ?? []) {
        if (facts.knownIds.has(x.id)) continue;
        if (!suggestions.has(x.id) && suggestions.size < 1000) suggestions.set(x.id, nearestId(x.id, known));
        const near = suggestions.get(x.id);
        ctx.report({
          loc: { path: d.path, line: d.line, column: x.column, endLine: d.line, endColumn: x.column + x.id.length },
          message: `The suppression names ${JSON.stringify(x.id)}, which is not a rule id, so it silences nothing${near ? `; did you mean ${near}?` : '.'}`,
          hint: near
            ? `Write ignore[${near}] if that is the rule meant; https-guard --list-rules lists every id.`
            : 'Write the id of the rule as the finding shows it (https-guard --list-rules lists every id), or remove it.',
        });
      }
    }
  },
});
