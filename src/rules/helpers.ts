import type { FileKind } from '../types';
import type { RuleContext } from './types';
import { assumptionNote, describe, SECURITY_MIDDLEWARE, SESSION_MIDDLEWARE, SESSIONS_APP, type SettingsModule, type SettingValue } from '../model/settings';
import { concrete, isSequence, show, truthy, type PyValue, type Tri } from '../model/python/values';

/** Sessions are in use when the sessions app or SessionMiddleware is configured (Django W010/W011). */
export function sessionsInUse(s: SettingsModule): Tri {
  const app = s.contains('INSTALLED_APPS', SESSIONS_APP).answer;
  const mw = s.hasMiddleware(SESSION_MIDDLEWARE).answer;
  if (mw === 'yes') return 'yes';
  // Drop-in subclasses of Django's middleware that set the cookie from SESSION_COOKIE_* as it does.
  if (mw === 'no' && SESSION_DROP_INS.some((m) => s.hasMiddleware(m).answer === 'yes')) return 'yes';
  // A session middleware of the project's own in place of Django's sets the cookie its own way (pretix derives
  // Secure from the request's scheme): whether it reads SESSION_COOKIE_* is not known here.
  if (mw === 'no' && otherSessionMiddleware(s)) return 'unknown';
  if (app === 'yes') return 'yes';
  if (app === 'no' && mw === 'no') return 'no';
  return 'unknown';
}

/** django-qsessions and django-user-sessions: subclasses of SessionMiddleware that keep its cookie handling. */
const SESSION_DROP_INS = ['qsessions.middleware.SessionMiddleware', 'user_sessions.middleware.SessionMiddleware'];

/** Apps that render login pages or forms over Django's session and CSRF cookies. */
const SESSION_LOGIN_APPS = ['django.contrib.admin', 'allauth', 'social_django', 'django_registration', 'registration', 'two_factor', 'wagtail', 'cms', 'mezzanine', 'oauth2_provider', 'oidc_provider', 'django_otp', 'grappelli', 'jazzmin', 'unfold'];

/**
 * Evidence that the app issues no session login: an API whose REST framework authenticates by token only, with no
 * admin or other app that renders a login page and no LOGIN_URL (Baserow's JWT API). Its session and CSRF cookies
 * may never be set; the missing Secure flag is then latent. Undefined when any part is unknown or points to a login.
 */
export function tokenOnlyApi(s: SettingsModule): string | undefined {
  const rf = s.peek('REST_FRAMEWORK');
  if (rf.state !== 'known' || rf.value.t !== 'dict') return undefined;
  const classes = rf.value.entries.find(([k]) => k.t === 'str' && k.v === 'DEFAULT_AUTHENTICATION_CLASSES')?.[1];
  if (!classes || !isSequence(classes) || classes.items.length === 0) return undefined;
  const names: string[] = [];
  for (const c of classes.items) {
    if (c.t !== 'str' || c.v.endsWith('SessionAuthentication')) return undefined;
    names.push(c.v.slice(c.v.lastIndexOf('.') + 1));
  }
  for (const name of ['LOGIN_URL', 'LOGIN_REDIRECT_URL']) if (s.peek(name).state !== 'unset') return undefined;
  const apps = s.peek('INSTALLED_APPS');
  if (apps.state !== 'known' || !isSequence(apps.value)) return undefined;
  for (const item of apps.value.items) {
    if (item.t !== 'str') return undefined;
    if (SESSION_LOGIN_APPS.some((a) => item.v === a || item.v.startsWith(`${a}.`))) return undefined;
  }
  return `the REST framework authenticates by ${names.join(', ')} only, and no admin or other login app is installed (no LOGIN_URL)`;
}

function otherSessionMiddleware(s: SettingsModule): boolean {
  const v = s.get(s.middlewareName);
  if (v.state !== 'known' || !(v.value.t === 'list' || v.value.t === 'tuple')) return false;
  return v.value.items.some((i) => i.t === 'str' && i.v !== SESSION_MIDDLEWARE && !SESSION_DROP_INS.includes(i.v) && i.v.endsWith('SessionMiddleware'));
}

/** A number as Django would use it in a header (numbers, or numeric strings from the environment). */
export function asNumber(v: PyValue | undefined): number | undefined {
  const c = v && (v.t === 'unknown' ? concrete(v)?.value : v);
  if (!c) return undefined;
  if (c.t === 'num') return c.v;
  if (c.t === 'bool') return c.v ? 1 : 0;
  if (c.t === 'str' && /^\s*\d+\s*$/.test(c.v)) return Number(c.v);
  return undefined;
}

/** SECURE_HSTS_SECONDS as a number: 0 when unset or falsy, undefined when unknown. Zero or less means no HSTS. */
export function hstsSeconds(s: SettingsModule): { seconds: number | undefined; value: SettingValue } {
  const value = s.get('SECURE_HSTS_SECONDS');
  if (value.state === 'unset') return { seconds: 0, value };
  if (value.state === 'unknown') return { seconds: undefined, value };
  const v = value.value;
  if (v.t === 'none' || (v.t === 'bool' && !v.v) || (v.t === 'str' && v.v === '')) return { seconds: 0, value };
  return { seconds: asNumber(v), value };
}

/** max-age Django's SecurityMiddleware sends (over HTTPS), or undefined when it sends no HSTS or cannot be known. */
export function djangoHstsSeconds(s: SettingsModule): number | undefined {
  if (s.hasMiddleware(SECURITY_MIDDLEWARE).answer !== 'yes') return undefined;
  const { seconds } = hstsSeconds(s);
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}

/** " (assuming Django 6.0; set django-version to change)" for verdicts that depend on the release. */
export function versionNote(s: SettingsModule): string {
  return s.djangoVersionAt
    ? ` (Django ${s.djangoVersion}, pinned at ${s.djangoVersionAt}; set django-version to change)`
    : ` (assuming Django ${s.djangoVersion}; set django-version to change)`;
}

/**
 * Judges a cookie's Secure setting as `check --deploy` does: exactly True since Django 4.1, truthy before. A
 * truthy non-True value still yields a Secure cookie at run time (the middleware tests truthiness), so it is only
 * a low finding about check parity; anything falsy is the real exposure.
 */
export function cookieNotSecure(s: SettingsModule, name: string): { message: string; severity?: 'low'; conditional?: boolean } | undefined {
  const { answer, value } = s.isTrue(name, s.strictBooleans);
  if (answer !== 'no') return undefined;
  // Secure only on a branch an environment variable selects, which the default skips: the deployment decides.
  const alt = value.state === 'unknown' ? undefined : value.otherwise;
  const secured = alt && securedBy(alt.value);
  if (secured) {
    return {
      conditional: true,
      message: `${describe(name, value, 'False')} unless ${alt.when}, which ${secured === 'maybe' ? 'may set' : 'sets'} it to True; the repository does not show which way the deployment's environment goes, so this is judged on the default`,
    };
  }
  if (value.state === 'known' && truthy(value.value)) {
    return {
      severity: 'low',
      message: `${name} is ${show(value.value)}${assumptionNote(value)}, not True: the cookie does get the Secure flag, but \`check --deploy\` in Django 4.1+ reports it and a value that only happens to be truthy is one typo away from False${versionNote(s)}`,
    };
  }
  // A development base (DEBUG = True) that a local module outside the repository completes: production's value is
  // likely set there, so the missing flag is not certain.
  const local = value.state === 'unset' || value.state === 'known' ? s.localOverride : undefined;
  if (local) {
    return {
      conditional: true,
      message: `${describe(name, value, 'False')}; this module hard-codes DEBUG = True and imports \`${local.module}\` (${local.loc.path}:${local.loc.line}) when it exists, which the repository does not hold: production's value is likely set there, unseen`,
    };
  }
  // `SECRET_KEY = ''` as written: Django raises ImproperlyConfigured where the key is used, so what runs is completed elsewhere.
  const key = value.state === 'unset' || value.state === 'known' ? s.emptySecretKey : undefined;
  if (key) {
    return {
      conditional: true,
      message: `${describe(name, value, 'False')}; this module sets SECRET_KEY = '' (${key.path}:${key.line}), with which Django raises ImproperlyConfigured as soon as sessions, CSRF or signing use the key, so the deployed settings are completed where the repository does not show, and production's value may be set there`,
    };
  }
  return { message: describe(name, value, 'False') };
}

/** A value that sets a cookie flag: 'yes', 'maybe' (on some branches of an undecidable condition), or undefined. */
function securedBy(v: PyValue): 'yes' | 'maybe' | undefined {
  if (truthy(concrete(v)?.value ?? v) === true) return 'yes';
  return v.t === 'unknown' && v.alternatives?.some((a) => a !== undefined && truthy(concrete(a)?.value ?? a) === true) ? 'maybe' : undefined;
}

/**
 * SecurityMiddleware tests SECURE_SSL_REDIRECT and the HSTS flags for truth, so a truthy value that is not True
 * (1 from strtobool, "yes" from an env file) works at run time; only `check --deploy` wants exactly True. Returns
 * the message of that parity finding, or undefined when the value is not known to be truthy.
 */
export function truthyNotTrue(s: SettingsModule, name: string, effect: string, checkId: string): string | undefined {
  const { answer, value } = s.isTrue(name, false);
  if (answer !== 'yes' || (value.state === 'known' && value.value.t === 'bool')) return undefined;
  return `${describe(name, value, 'False')}, not True: SecurityMiddleware tests it for truth, so ${effect}; but \`check --deploy\` reports ${checkId} because it wants exactly True, and a value that only happens to be truthy is one typo away from False`;
}

/** Keys that only a per-request WSGI environ can carry: putting them in the process environment does nothing. */
export const SCHEME_KEYS = new Set(['HTTPS', 'wsgi.url_scheme', 'UWSGI_SCHEME']);

/**
 * `os.environ['HTTPS'] = 'on'` and friends in the given kind of file. Django reads the scheme from the request's
 * WSGI environ (wsgi.url_scheme) or SECURE_PROXY_SSL_HEADER, never from the process environment.
 */
export function reportProcessSchemeWrites(ctx: RuleContext, kind: FileKind): void {
  for (const f of ctx.model.python) {
    if (f.kind !== kind) continue;
    for (const w of f.environWrites) {
      if (w.target !== 'process' || !SCHEME_KEYS.has(w.key)) continue;
      ctx.report({
        loc: w.loc,
        message: `\`${w.code}\` sets ${w.key} in the process environment, which Django never reads: request.is_secure() still follows wsgi.url_scheme of each request, so this does not make Django see HTTPS.`,
        hint: "Remove it. Let the server pass the scheme per request (nginx: `include uwsgi_params;` or `uwsgi_param HTTPS on;` in the TLS server), or set SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') behind a proxy that overwrites that header.",
      });
    }
  }
}

/** 60 → "1 minute", 3600 → "1 hour", 2592000 → "30 days". */
export function duration(seconds: number): string {
  const [n, unit] = seconds < 3600 ? [seconds / 60, 'minute'] : seconds < 86_400 ? [seconds / 3600, 'hour'] : [seconds / 86_400, 'day'];
  const r = Math.round(n * 10) / 10;
  return `${r} ${unit}${r === 1 ? '' : 's'}`;
}
