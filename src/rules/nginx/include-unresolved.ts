import { defineRule } from '../types';

// A config whose includes cannot be read is checked without them: say which, so a clean result is not taken
// for the whole truth. Files outside the workspace are never read (nor echoed).
export default defineRule({
  meta: {
    id: 'nginx/include-unresolved',
    severity: 'info',
    title: 'An nginx include could not be followed inside the workspace',
    kinds: ['nginx'],
  },
  check(ctx) {
    for (const p of ctx.model.nginx.includeProblems) {
      ctx.report({
        loc: p.loc,
        message: `${p.message}; the configuration was checked without it.`,
        hint:
          p.kind === 'outside'
            ? 'Keep included files in the repository (an absolute /etc/nginx/... path maps onto the folder that holds nginx.conf).'
            : 'Add the included file to the repository, or fix the path (relative includes are taken from the folder of the main nginx.conf).',
      });
    }
  },
});
