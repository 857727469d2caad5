import type { FileKind } from '../types';
import type { RuleContext } from './types';
import { assumptionNote, describe, SESSION_MIDDLEWARE, SESSIONS_APP, type SettingsModule, type SettingValue } from '../model/settings';
import { concrete, show, type PyValue, type Tri } from '../model/python/values';

/** Sessions are in use when the sessions app or SessionMiddleware is configured (Django W010/W011). */
export function sessionsInUse(s: SettingsModule): Tri {
  const app = s.contains('INSTALLED_APPS', SESSIONS_APP).answer;
  const mw = s.hasMiddleware(SESSION_MIDDLEWARE).answer;
  if (app === 'yes' || mw === 'yes') return 'yes';
  if (app === 'no' && mw === 'no') return 'no';
  return 'unknown';
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

/** SECURE_HSTS_SECONDS as a number: 0 when unset or falsy, undefined when unknown. */
export function hstsSeconds(s: SettingsModule): { seconds: number | undefined; value: SettingValue } {
  const value = s.get('SECURE_HSTS_SECONDS');
  if (value.state === 'unset') return { seconds: 0, value };
  if (value.state === 'unknown') return { seconds: undefined, value };
  const v = value.value;
  if (v.t === 'none' || (v.t === 'bool' && !v.v) || (v.t === 'str' && v.v === '')) return { seconds: 0, value };
  return { seconds: asNumber(v), value };
}

/** " (assuming Django 6.0; set django-version to change)" for verdicts that depend on the release. */
export function versionNote(s: SettingsModule): string {
  return ` (assuming Django ${s.djangoVersion}; set django-version to change)`;
}

/** Says why a cookie flag that must be exactly True is not, naming the Django release where that matters. */
export function notTrue(s: SettingsModule, name: string, value: SettingValue): string {
  if (value.state === 'unset') return `${name} is not set (Django's default is False)`;
  if (value.state === 'known' && value.value.t !== 'bool' && value.value.t !== 'none') {
    return `${name} is ${show(value.value)}, not True: Django 4.1+ honours only True${versionNote(s)}${assumptionNote(value)}`;
  }
  return describe(name, value, 'False');
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
