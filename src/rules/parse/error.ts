import type { DeploymentModel } from '../../model';
import { defineRule } from '../types';

/**
 * The one hook for file roles: a model that knows what each file is for (`roleOf`, added with deployment roles)
 * says whether a file is deployed to production. Without it, no file is known to be production.
 */
function isProduction(model: DeploymentModel, path: string): boolean {
  const roleOf = (model as { roleOf?: (p: string) => { role: string } | undefined }).roleOf;
  return roleOf?.(path)?.role === 'production';
}

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
        // A production file that cannot be parsed is not verified, and the server would not load it either.
        severity: isProduction(ctx.model, d.loc.path) ? 'high' : undefined,
      });
    }
  },
});
