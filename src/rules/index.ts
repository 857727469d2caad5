import type { Rule } from './types';
import parseError from './parse/error';
import sessionCookieInsecure from './django/session-cookie-insecure';
import csrfCookieInsecure from './django/csrf-cookie-insecure';
import securityMiddlewareMissing from './django/security-middleware-missing';
import sslRedirectOff from './django/ssl-redirect-off';
import hstsOff from './django/hsts-off';
import hstsMaxAgeShort from './django/hsts-max-age-short';
import hstsNoSubdomains from './django/hsts-no-subdomains';
import hstsNoPreload from './django/hsts-no-preload';
import hstsPreloadUnqualified from './django/hsts-preload-unqualified';
import proxySslHeaderMalformed from './django/proxy-ssl-header-malformed';
import samesiteNoneInsecure from './django/samesite-none-insecure';
import jwtCookieInsecure from './django/jwt-cookie-insecure';
import redirectExemptIneffective from './django/redirect-exempt-ineffective';
import csrfTrustedOriginHttp from './django/csrf-trusted-origin-http';
import languageCookieInsecure from './django/language-cookie-insecure';
import settingUnresolved from './django/setting-unresolved';
import djangoOsEnvironHttps from './django/os-environ-https-no-effect';
import sessionPersistsAfterClose from './django/session-persists-after-close';
import wsgiOsEnvironHttps from './wsgi/os-environ-https-no-effect';
import wsgiUrlSchemeForced from './wsgi/url-scheme-forced';
import wsgiUrlSchemeFromHeader from './wsgi/url-scheme-from-header';
import { RULES as NGINX_TLS } from './nginx/_tls';
import { RULES as NGINX_HSTS } from './nginx/_hsts';
import { RULES as NGINX_PROXY } from './nginx/_proxy';
import nginxIncludeUnresolved from './nginx/include-unresolved';
import nginxRegexNotEvaluated from './nginx/regex-not-evaluated';
import crossSslRedirectLoop from './cross/ssl-redirect-loop';
import crossProxySslHeaderMismatch from './cross/proxy-ssl-header-mismatch';
import crossProxySslHeaderUnstripped from './cross/proxy-ssl-header-unstripped';
import crossDjangoHstsNeverSent from './cross/django-hsts-never-sent';
import crossDjangoSeesHttp from './cross/django-sees-http';
import uwsgiEnvHttpsNoEffect from './uwsgi/env-https-no-effect';
import uwsgiLegacyTlsEnabled from './uwsgi/legacy-tls-enabled';
import uwsgiSchemeForced from './uwsgi/scheme-forced';
import uwsgiIncludeUnresolved from './uwsgi/include-unresolved';
import gunicornForwardedProtoSpoofable from './gunicorn/forwarded-proto-spoofable';
import gunicornSecureSchemeHeadersUnmatched from './gunicorn/secure-scheme-headers-unmatched';
import suppressionUnknownRule from './suppression/unknown-rule';
import suppressionUnused from './suppression/unused';

/** The registry: every rule the product ships, in catalogue order. */
export const RULES: Rule[] = [
  sessionCookieInsecure,
  csrfCookieInsecure,
  securityMiddlewareMissing,
  sslRedirectOff,
  hstsOff,
  hstsMaxAgeShort,
  hstsNoSubdomains,
  hstsNoPreload,
  hstsPreloadUnqualified,
  proxySslHeaderMalformed,
  samesiteNoneInsecure,
  jwtCookieInsecure,
  redirectExemptIneffective,
  csrfTrustedOriginHttp,
  languageCookieInsecure,
  djangoOsEnvironHttps,
  sessionPersistsAfterClose,
  wsgiOsEnvironHttps,
  wsgiUrlSchemeForced,
  wsgiUrlSchemeFromHeader,
  ...NGINX_TLS,
  ...NGINX_HSTS,
  ...NGINX_PROXY,
  nginxIncludeUnresolved,
  nginxRegexNotEvaluated,
  crossSslRedirectLoop,
  crossProxySslHeaderMismatch,
  crossProxySslHeaderUnstripped,
  crossDjangoHstsNeverSent,
  crossDjangoSeesHttp,
  uwsgiEnvHttpsNoEffect,
  uwsgiLegacyTlsEnabled,
  uwsgiSchemeForced,
  uwsgiIncludeUnresolved,
  gunicornForwardedProtoSpoofable,
  gunicornSecureSchemeHeadersUnmatched,
  // Reports what the rules above could not decide, so it runs after them.
  settingUnresolved,
  parseError,
  // Judge the inline suppressions once every rule above has reported (the engine runs them last anyway).
  suppressionUnknownRule,
  suppressionUnused,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
