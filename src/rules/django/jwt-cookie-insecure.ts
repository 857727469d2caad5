import { concrete, type PyValue } from '../../model/python/values';
import type { SettingsModule } from '../../model/settings';
import type { Loc } from '../../types';
import { defineRule } from '../types';

// dj-rest-auth sets the JWT it issues as a cookie when JWT_AUTH_COOKIE is named, with `secure=JWT_AUTH_SECURE`
// (default False). That cookie authenticates like a session cookie, so without Secure it travels over plain HTTP.
// Settings: top level before dj-rest-auth 3.0 (REST_USE_JWT, JWT_AUTH_*), the REST_AUTH dict from 3.0 (USE_JWT, …).

type Known = { value: PyValue; loc: Loc } | 'unknown' | undefined;

/** A dj-rest-auth setting: from the REST_AUTH dict when the module has one, else the top-level name. */
function setting(s: SettingsModule, key: string, legacy: string): Known {
  const dict = s.get('REST_AUTH');
  if (dict.state === 'unknown') return 'unknown';
  if (dict.state === 'known') {
    const d = concrete(dict.value)?.value;
    if (!d || d.t !== 'dict') return 'unknown';
    for (const [k, v] of d.entries) {
      const name = concrete(k)?.value;
      if (name?.t !== 'str') return 'unknown';
      if (name.v !== key) continue;
      const c = concrete(v)?.value;
      return c ? { value: c, loc: v.loc } : 'unknown';
    }
    return undefined;
  }
  const v = s.get(legacy);
  if (v.state === 'unset') return undefined;
  if (v.state === 'unknown') return 'unknown';
  const c = concrete(v.value)?.value;
  return c ? { value: c, loc: s.anchorFor(legacy) } : 'unknown';
}

export default defineRule({
  meta: {
    id: 'django/jwt-cookie-insecure',
    severity: 'medium',
    title: "dj-rest-auth's JWT cookie is sent over plain HTTP (JWT_AUTH_SECURE is not True)",
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      // Only where dj-rest-auth is installed (django-rest-auth, its predecessor, had the same settings).
      if (s.contains('INSTALLED_APPS', 'dj_rest_auth').answer !== 'yes' && s.contains('INSTALLED_APPS', 'rest_auth').answer !== 'yes') continue;
      const useJwt = setting(s, 'USE_JWT', 'REST_USE_JWT');
      if (useJwt === undefined || useJwt === 'unknown' || useJwt.value.t !== 'bool' || !useJwt.value.v) continue;
      // The access token's cookie, else the refresh token's: each is set with the same Secure flag.
      const named = (c: Known): c is { value: PyValue & { t: 'str' }; loc: Loc } => c !== undefined && c !== 'unknown' && c.value.t === 'str' && c.value.v !== '';
      const cookie = [setting(s, 'JWT_AUTH_COOKIE', 'JWT_AUTH_COOKIE'), setting(s, 'JWT_AUTH_REFRESH_COOKIE', 'JWT_AUTH_REFRESH_COOKIE')].find(named);
      if (!cookie) continue;
      const secure = setting(s, 'JWT_AUTH_SECURE', 'JWT_AUTH_SECURE');
      if (secure === 'unknown') continue;
      if (secure !== undefined && !(secure.value.t === 'bool' && !secure.value.v) && !(secure.value.t === 'none')) continue;
      const loc = secure?.loc ?? cookie.loc;
      const where = s.get('REST_AUTH').state === 'known' ? "REST_AUTH['JWT_AUTH_SECURE']" : 'JWT_AUTH_SECURE';
      ctx.report({
        loc,
        message:
          `dj-rest-auth issues a JWT in the cookie \`${cookie.value.v}\`, but ${where} is ${secure === undefined ? 'not set (its default is False)' : 'False'}${s.where(loc)}: ` +
          'the cookie has no Secure flag, so a browser also sends it over plain HTTP, where a network attacker can read the token and act as the user until it expires.',
        hint: `Set ${where} = True (and keep JWT_AUTH_HTTPONLY on), as SESSION_COOKIE_SECURE does for the session cookie.`,
      });
    }
  },
});
