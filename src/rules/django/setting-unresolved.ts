import { firstLine } from '../../model/settings';
import { opaqueStatement } from '../../model/python/evaluate';
import { defineRule } from '../types';
import { pushTo } from '../../util/multimap';


/** Settings by type, each with the lookup that gives it a safe visible default. */
const BOOLS_ON = ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'LANGUAGE_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'SESSION_COOKIE_HTTPONLY'];
const LISTS_IN_CODE = ['MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'INSTALLED_APPS'];
const LISTS_FROM_ENV: Record<string, string> = { CSRF_TRUSTED_ORIGINS: "['https://www.example.com']", ALLOWED_HOSTS: "['www.example.com']", SECURE_REDIRECT_EXEMPT: '[]' };
const STRINGS: Record<string, string> = { SESSION_COOKIE_SAMESITE: "'Lax'", CSRF_COOKIE_SAMESITE: "'Lax'", LANGUAGE_COOKIE_SAMESITE: "'Lax'" };

/** A fix hint that fits the setting's type: a list setting is not told to use env.bool. */
export function hintFor(name: string): string {
  const visible = 'so the production value is visible in review and safe when the variable is missing';
  if (BOOLS_ON.includes(name)) return `Give the lookup a safe literal default, e.g. ${name} = env.bool('${name}', default=True), ${visible}.`;
  if (name === 'CSRF_USE_SESSIONS' || name === 'DEBUG') return `Give the lookup a literal default, e.g. ${name} = env.bool('${name}', default=False), ${visible}.`;
  if (name === 'SECURE_HSTS_SECONDS') return `Give the lookup a literal default, e.g. SECURE_HSTS_SECONDS = env.int('SECURE_HSTS_SECONDS', default=31536000), ${visible}.`;
  if (LISTS_IN_CODE.includes(name)) return `Declare ${name} as a literal list in the settings module and add optional entries with += or .append() under plain conditions, so what is always there can be checked.`;
  if (name in LISTS_FROM_ENV) return `Give the lookup a literal default, e.g. ${name} = env.list('${name}', default=${LISTS_FROM_ENV[name]}), ${visible}.`;
  if (name in STRINGS) return `Give the lookup a literal default, e.g. ${name} = env.str('${name}', default=${STRINGS[name]}), ${visible}.`;
  if (name === 'SECURE_PROXY_SSL_HEADER') return "Set it as a literal where the proxy is known, e.g. SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') behind a proxy that overwrites that header, or give the lookup the literal default None.";
  return `Give ${name} a literal value, or its lookup a safe literal default, ${visible}.`;
}

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
        message: `Settings module ${path} takes INSTALLED_APPS and MIDDLEWARE from \`${opaqueStatement(opaque)}\`, which is not in the workspace, so none of its security settings could be checked.`,
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
          hint: hintFor(name),
        });
      }
      for (const names of viaOpaque.values()) {
        const v = s.get(names[0]);
        if (v.state !== 'unknown' || !v.opaque) continue;
        const loc = firstLine(v.opaque.loc);
        ctx.report({
          loc,
          message: `\`${opaqueStatement(v.opaque)}\` ${v.opaque.statement ? 'runs code that cannot be read statically' : 'is not in the workspace'}, so ${names.join(', ')} may be set there and cannot be checked${s.where(loc)}.`,
          hint: 'Scan the repository that holds that module too, or set these settings in a module that is checked in.',
        });
      }
    }
  },
});
