import { defineRule } from '../types';
import { SUPPRESSION_FAMILY } from './unknown-rule';

export default defineRule({
  meta: {
    id: 'suppression/unused',
    severity: 'info',
    title: 'An inline suppression silences no finding',
    kinds: ['django-settings', 'wsgi', 'nginx', 'uwsgi', 'gunicorn'],
  },
  check(ctx) {
    const facts = ctx.suppressions;
    if (!facts) return;
    const where = (ownLine: boolean) => (ownLine ? 'on its line or the next' : 'on its line');
    // Files the rules could not judge (a settings module not judged, a file with a syntax error): nothing there is stale.
    const unjudgedFiles = new Set([...ctx.model.settingsNotJudged.map((s) => s.path), ...ctx.model.diagnostics.map((d) => d.loc.path)]);
    for (const d of facts.directives()) {
      if (unjudgedFiles.has(d.path)) continue;
      if (d.ids === undefined) {
        if (d.used) continue;
        // A bare ignore covers every rule, so a rule that did not run might have been what it was for.
        if ([...facts.notJudged].some((id) => !id.startsWith(SUPPRESSION_FAMILY))) continue;
        ctx.report({
          loc: { path: d.path, line: d.line, column: d.column, endLine: d.line, endColumn: d.endColumn },
          message: `This "https-guard: ignore" silences no finding ${where(d.ownLine)}.`,
          hint: 'Remove the comment: the finding it was written for is gone, and a stale suppression would hide a new one.',
        });
        continue;
      }
      for (const x of d.ids) {
        if (x.used || !facts.knownIds.has(x.id) || facts.notJudged.has(x.id) || x.id.startsWith(SUPPRESSION_FAMILY)) continue;
        ctx.report({
          loc: { path: d.path, line: d.line, column: x.column, endLine: d.line, endColumn: x.column + x.id.length },
          message: `The suppression of ${x.id} silences no finding ${where(d.ownLine)}.`,
          hint: `Remove ${x.id} from the comment (or the comment): the finding it was written for is gone, and a stale suppression would hide a new one.`,
        });
      }
    }
  },
});
