import type { DeploymentModel } from '../../model';
import { defineRule } from '../types';

/**
 * A production deployment file that cannot be parsed cannot be verified (and Django would not load it either). Known
 * production: an entry point, the config or a settings chain says so, not only that nothing marks it otherwise.
 */
function productionWhy(model: DeploymentModel, path: string): string | undefined {
  const info = model.roleOf?.(path);
  return info?.role === 'production' && info.source !== 'default' && info.source !== 'guess' ? info.why || 'a production file' : undefined;
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
      if (d.python2) {
        // Valid for the interpreter it runs on: a limit of this reader, not a broken deployment.
        ctx.report({ loc: d.loc, message: d.message, severity: 'low', hint: 'Port the module to Python 3 (Django 2.0 and later need it) to have it fully checked, or check the settings near this line by hand.' });
        continue;
      }
      // A production file that cannot be parsed is not verified, and the server would not load it either; the
      // message says what makes it production (simpleprep's reviewer could not tell why a template failed the check).
      const why = productionWhy(ctx.model, d.loc.path);
      ctx.report({
        loc: d.loc,
        message: why ? `${d.message} (high: the deployment uses this file, ${why})` : d.message,
        hint: 'Fix the syntax (or the encoding) so the file can be checked; until then its settings are not verified.',
        severity: why ? 'high' : undefined,
      });
    }
  },
});
