import { firstLine } from '../../model/settings';
import { defineRule } from '../types';
import { pushTo } from '../../util/multimap';


// Values read from the environment without a literal default, or set in files outside the workspace, cannot be
// judged; saying so beats both silence and guessing. Runs after the other rules: it reports the settings they
// asked about and could not decide.
export default defineRule({
  meta: {
    id: 'django/setting-unresolved',
    severity: 'info',
    title: 'A security setting cannot be determined statically',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const nj of ctx.model.settingsNotJudged) {
      if ('reason' in nj) {
        ctx.report({
          loc: firstLine(nj.loc),
          message: `Settings module ${nj.path} is not judged: ${nj.reason}.`,
          hint: "Set DJANGO_CONFIGURATION to the production class in the deployment's entry point (wsgi.py, Dockerfile, compose or the service unit), so the class that is deployed is visible in review.",
        });
        continue;
      }
      const { path, opaque } = nj;
      const loc = firstLine(opaque.loc);
      ctx.report({
        loc,
        message: `Settings module ${path} takes INSTALLED_APPS and MIDDLEWARE from \`from ${opaque.module} import *\`, which is not in the workspace, so none of its security settings could be checked.`,
        hint: 'Scan the repository that holds that module too, or declare the security settings in a module that is checked in.',
      });
    }
    for (const s of ctx.model.settings) {
      const viaOpaque = new Map<string, string[]>();
      for (const name of [...s.undecided].sort()) {
        const v = s.get(name);
        if (v.state !== 'unknown') continue;
        if (v.opaque) {
          const key = `${v.opaque.loc.path}:${v.opaque.loc.line}`;
          pushTo(viaOpaque, key, name);
          continue;
        }
        const loc = firstLine(v.binding.loc, v.binding.loc.path === s.path ? s.source : undefined);
        const source = v.source ? ` (\`${v.source}\`)` : '';
        ctx.report({
          loc,
          message: `${name} cannot be determined statically${source}: ${v.why}. The rules that read it could not decide${s.where(loc)}.`,
          hint: `Give the lookup a safe literal default (e.g. env.bool('${name}', default=True)) so the production value is visible in review and safe when the variable is missing.`,
        });
      }
      for (const names of viaOpaque.values()) {
        const v = s.get(names[0]);
        if (v.state !== 'unknown' || !v.opaque) continue;
        const loc = firstLine(v.opaque.loc);
        ctx.report({
          loc,
          message: `\`from ${v.opaque.module} import *\` is not in the workspace, so ${names.join(', ')} may be set there and cannot be checked${s.where(loc)}.`,
          hint: 'Scan the repository that holds that module too, or set these settings in a module that is checked in.',
        });
      }
    }
  },
});
