import { defineRule } from '../types';

// As for nginx: a uwsgi config whose `ini =` / `include =` / `inherit =` target cannot be read is checked without
// it, and the finding says so. Paths outside the workspace (or http://, exec://) are never read.
export default defineRule({
  meta: {
    id: 'uwsgi/include-unresolved',
    severity: 'info',
    title: 'A uwsgi include could not be followed inside the workspace',
    kinds: ['uwsgi'],
  },
  check(ctx) {
    for (const p of ctx.model.deploy?.uwsgiIncludeProblems ?? []) {
      ctx.report({
        loc: p.loc,
        message: `${p.message}; the configuration was checked without it.`,
        hint:
          p.kind === 'outside'
            ? 'Keep included files in the repository, or map the absolute path with a Dockerfile COPY or a compose volume so the scan can follow it.'
            : 'Add the included file to the repository, or fix the path (relative paths are taken from the including file\'s folder, then its parents).',
      });
    }
  },
});
