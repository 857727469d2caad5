// Django settings modules with findings on known lines, for the end-to-end tests.

/** Lines of a settings module with no finding; `lines` replaces 1-based lines by number. */
export function settingsModule(lines: Record<number, string> = {}): string {
  const base = [
    '# Production settings.',
    'INSTALLED_APPS = [',
    '    "django.contrib.sessions",',
    ']',
    'MIDDLEWARE = [',
    '    "django.middleware.security.SecurityMiddleware",',
    '    "django.contrib.sessions.middleware.SessionMiddleware",',
    ']',
    'SECURE_HSTS_SECONDS = 63072000',
    'SECURE_HSTS_INCLUDE_SUBDOMAINS = True',
    'SECURE_HSTS_PRELOAD = True',
    'LANGUAGE_COOKIE_SECURE = True',
    'SESSION_EXPIRE_AT_BROWSER_CLOSE = True',
    'CSRF_COOKIE_SECURE = True',
    ...Array.from({ length: 10 }, (_, i) => `# padding ${i + 15}`),
    'SECURE_SSL_REDIRECT = True',
    '# padding 26',
    '# padding 27',
    'SESSION_COOKIE_SECURE = True',
    ...Array.from({ length: 7 }, (_, i) => `# padding ${i + 29}`),
  ];
  for (const [n, text] of Object.entries(lines)) base[Number(n) - 1] = text;
  return `${base.join('\n')}\n`;
}

/** Line 9: django/hsts-max-age-short (low). */
export const HSTS_SHORT = { 9: 'SECURE_HSTS_SECONDS = 3600', 11: 'SECURE_HSTS_PRELOAD = False' };
/** Line 25: django/ssl-redirect-off (medium). */
export const NO_REDIRECT = { 25: 'SECURE_SSL_REDIRECT = False' };
/** Line 28: django/session-cookie-insecure (high). */
export const INSECURE_SESSION = { 28: 'SESSION_COOKIE_SECURE = False' };

/** A module the Python parser cannot finish: exactly one parse/error finding (with onlyParseError config). */
export const BROKEN_SETTINGS = 'DEBUG = False\nSECURE_SSL_REDIRECT = (\n';
