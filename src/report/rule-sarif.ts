import { DOCS_BASE } from '../version';
import { RULE_DOCS } from './rule-docs.generated';

/**
 * What GitHub code scanning reads from a rule descriptor besides its id: the CWE it is an instance of (shown as
 * tags, `external/cwe/cwe-N`, and used by GitHub's CWE filters) and how often its findings are true
 * (`precision`: very-high, high, medium, low; alerts are sorted by it).
 *
 * Precision: `very-high` where the rule reads one literal value the file states; `high` where it follows
 * inheritance or merges settings; `medium` where it joins several files or guesses which server fronts which app
 * (the cross-file and edge rules). Notices about the
 * analysis itself (a file not parsed, an include not followed) carry no CWE: they are not weaknesses.
 */
export interface RuleSarifMeta {
  cwe: number[];
  precision: 'very-high' | 'high' | 'medium' | 'low';
}

// CWE-319 cleartext transmission; 614 cookie without Secure; 327 broken crypto; 326 weak strength; 348 less
// trusted source; 352 CSRF; 613 session expiration; 324 key past expiration; 299 revocation check; 436
// interpretation conflict; 477 obsolete function; 758 implementation-defined behaviour; 835 endless loop;
// 1164 irrelevant code (a statement with no effect).
export const RULE_SARIF: Readonly<Record<string, RuleSarifMeta>> = {
  'cross/django-hsts-never-sent': { cwe: [319], precision: 'medium' },
  'cross/django-sees-http': { cwe: [319], precision: 'medium' },
  'cross/proxy-ssl-header-mismatch': { cwe: [319], precision: 'medium' },
  'cross/proxy-ssl-header-unstripped': { cwe: [348], precision: 'medium' },
  'cross/ssl-redirect-loop': { cwe: [835], precision: 'medium' },
  'django/csrf-cookie-insecure': { cwe: [614], precision: 'very-high' },
  'django/csrf-trusted-origin-http': { cwe: [352, 319], precision: 'very-high' },
  'django/jwt-cookie-insecure': { cwe: [614], precision: 'high' },
  'django/hsts-max-age-short': { cwe: [319], precision: 'very-high' },
  'django/hsts-no-preload': { cwe: [319], precision: 'very-high' },
  'django/hsts-no-subdomains': { cwe: [319], precision: 'very-high' },
  'django/hsts-off': { cwe: [319], precision: 'high' },
  'django/hsts-preload-unqualified': { cwe: [319], precision: 'very-high' },
  'django/language-cookie-insecure': { cwe: [614], precision: 'very-high' },
  'django/os-environ-https-no-effect': { cwe: [1164], precision: 'very-high' },
  'django/proxy-ssl-header-malformed': { cwe: [319], precision: 'very-high' },
  'django/redirect-exempt-ineffective': { cwe: [319, 1164], precision: 'very-high' },
  'django/samesite-none-insecure': { cwe: [614], precision: 'very-high' },
  'django/security-middleware-missing': { cwe: [319], precision: 'high' },
  'django/session-cookie-insecure': { cwe: [614], precision: 'very-high' },
  'django/session-persists-after-close': { cwe: [613], precision: 'very-high' },
  'django/setting-unresolved': { cwe: [], precision: 'high' },
  'django/ssl-redirect-off': { cwe: [319], precision: 'medium' },
  'gunicorn/forwarded-proto-spoofable': { cwe: [348], precision: 'medium' },
  'gunicorn/secure-scheme-headers-unmatched': { cwe: [319], precision: 'high' },
  'nginx/ciphers-not-modern': { cwe: [327], precision: 'very-high' },
  'nginx/dhe-without-dhparam': { cwe: [326], precision: 'high' },
  'nginx/ecdh-curve-unsupported': { cwe: [758], precision: 'very-high' },
  'nginx/forwarded-proto-dropped': { cwe: [319], precision: 'high' },
  'nginx/forwarded-proto-hardcoded': { cwe: [319], precision: 'high' },
  'nginx/forwarded-proto-passthrough': { cwe: [348], precision: 'medium' },
  'nginx/hsts-dropped-in-location': { cwe: [319], precision: 'high' },
  'nginx/hsts-duplicated': { cwe: [436], precision: 'medium' },
  'nginx/hsts-max-age-short': { cwe: [319], precision: 'very-high' },
  'nginx/hsts-missing': { cwe: [319], precision: 'high' },
  'nginx/hsts-on-plain-http': { cwe: [319], precision: 'high' },
  'nginx/hsts-preload-redirect-missing': { cwe: [319], precision: 'high' },
  'nginx/hsts-without-always': { cwe: [319], precision: 'very-high' },
  'nginx/http-not-redirected': { cwe: [319], precision: 'high' },
  'nginx/include-unresolved': { cwe: [], precision: 'very-high' },
  'nginx/prefer-server-ciphers-on': { cwe: [327], precision: 'very-high' },
  'nginx/redirect-not-https': { cwe: [319], precision: 'high' },
  'nginx/regex-not-evaluated': { cwe: [], precision: 'very-high' },
  'nginx/session-tickets-unrotated': { cwe: [324], precision: 'high' },
  'nginx/ssl-ciphers-implicit': { cwe: [327], precision: 'high' },
  'nginx/ssl-on-deprecated': { cwe: [477], precision: 'very-high' },
  'nginx/ssl-key-in-repository': { cwe: [321], precision: 'high' },
  'nginx/certificate-without-tls-listener': { cwe: [319], precision: 'high' },
  'nginx/ssl-protocols-implicit': { cwe: [327], precision: 'high' },
  'nginx/stapling-letsencrypt': { cwe: [299], precision: 'high' },
  'nginx/stapling-without-resolver': { cwe: [299], precision: 'high' },
  'nginx/uwsgi-forwarded-proto-spoofable': { cwe: [348], precision: 'medium' },
  'nginx/uwsgi-https-missing': { cwe: [319], precision: 'high' },
  'nginx/weak-ssl-ciphers': { cwe: [327], precision: 'very-high' },
  'nginx/weak-ssl-protocols': { cwe: [327], precision: 'very-high' },
  'parse/error': { cwe: [], precision: 'very-high' },
  'suppression/unknown-rule': { cwe: [], precision: 'very-high' },
  'suppression/unused': { cwe: [], precision: 'very-high' },
  'uwsgi/env-https-no-effect': { cwe: [1164], precision: 'very-high' },
  'uwsgi/include-unresolved': { cwe: [], precision: 'very-high' },
  'uwsgi/legacy-tls-enabled': { cwe: [327], precision: 'very-high' },
  'uwsgi/scheme-forced': { cwe: [319], precision: 'high' },
  'wsgi/os-environ-https-no-effect': { cwe: [1164], precision: 'very-high' },
  'wsgi/url-scheme-forced': { cwe: [319], precision: 'high' },
  'wsgi/url-scheme-from-header': { cwe: [348], precision: 'medium' },
};

/** Rules that report on the analysis or its suppression comments, not on a weakness: no CWE. */
export const ANALYSIS_NOTICES = new Set(['parse/error', 'nginx/include-unresolved', 'uwsgi/include-unresolved', 'nginx/regex-not-evaluated', 'django/setting-unresolved', 'suppression/unknown-rule', 'suppression/unused']);

export function cweTags(ruleId: string): string[] {
  return (RULE_SARIF[ruleId]?.cwe ?? []).map((n) => `external/cwe/cwe-${n}`);
}

export interface RuleHelp {
  /** The page's first paragraph of rationale: why the finding matters. */
  full: string;
  text: string;
  markdown: string;
}

/** Relative links of the pages point into docs/: made absolute so they work from a code scanning alert. */
function absoluteLinks(markdown: string, ruleId: string): string {
  const base = new URL(`${ruleId.split('/')[0]}/`, DOCS_BASE);
  return markdown.replace(/\]\(([^)\s]+)\)/g, (whole, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return whole;
    return `](${new URL(target, base).href})`;
  });
}

/** Markdown to readable plain text: fences, emphasis and link targets go; code stays. */
function plainText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((l) => !l.startsWith('```'))
    .join('\n')
    .replace(/\[([^\]\n]*)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/^#+\s*/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start === -1) return '';
  const body = markdown.slice(start + title.length + 5);
  const end = body.indexOf('\n## ');
  return (end === -1 ? body : body.slice(0, end)).trim();
}

/** The rule's help from its documentation page; undefined for a rule without one. */
export function ruleHelp(ruleId: string): RuleHelp | undefined {
  const page = RULE_DOCS[ruleId];
  if (page === undefined) return undefined;
  // The page's `# id` heading repeats what the alert shows above the help.
  const markdown = absoluteLinks(page.replace(/^# [^\n]*\n+/, ''), ruleId).trim();
  const rationale = section(markdown, 'Rationale').split('\n\n')[0] ?? '';
  return { full: plainText(rationale).replace(/\s*\n\s*/g, ' '), text: plainText(markdown), markdown };
}
