// Django's own semantics, checked against its source (django/middleware/security.py, django/http/request.py,
// django/core/checks/security/base.py): SecurityMiddleware tests its flags for truth, so a truthy value that is not
// True is only a check --deploy parity finding (low), never the exposure itself.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../src/engine/scan';
import { requiresLeadingSlash } from '../src/rules/django/redirect-exempt-ineffective';

const FIX = path.join(__dirname, 'rules', 'django');

function findings(rule: string, file: string, config = {}) {
  const { result } = analyse({ root: path.join(FIX, rule), paths: [file], config });
  return result.findings.filter((f) => f.ruleId === `django/${rule}`);
}

describe('truthy flags that are not True', () => {
  it('SECURE_SSL_REDIRECT = 1 redirects: a low parity finding, not the medium "served over HTTP" one', () => {
    const [f, ...rest] = findings('ssl-redirect-off', 'truthy_not_true.py');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.message).toMatch(/SecurityMiddleware tests it for truth/);
    expect(f.message).toMatch(/security\.W008/);
  });

  it('strtobool("true") is 1: parity only; strtobool("off") is 0: the redirect is really off', () => {
    expect(findings('ssl-redirect-off', 'strtobool_default.py').map((f) => f.severity)).toEqual(['low']);
    // 0 is judged as False is (the severity then follows what the repository shows of the TLS edge), not as parity.
    const off = findings('ssl-redirect-off', 'strtobool_off.py');
    const no = findings('ssl-redirect-off', 'false.py');
    expect(off.map((f) => f.severity)).toEqual(no.map((f) => f.severity));
    expect(off[0].message).toMatch(/is 0 \(judged on the default/);
    expect(off[0].message).not.toMatch(/tests it for truth/);
    expect(off[0].message).toMatch(/served, not redirected/);
  });

  it('HSTS flags: a truthy non-True value is reported as parity, a False one as missing', () => {
    expect(findings('hsts-no-subdomains', 'truthy_not_true.py')[0].message).toMatch(/the header does carry includeSubDomains/);
    expect(findings('hsts-no-subdomains', 'false.py')[0].message).not.toMatch(/tests it for truth/);
    expect(findings('hsts-no-preload', 'truthy_not_true.py')[0].message).toMatch(/the header does carry preload/);
  });

  it('a strtobool cookie flag (1) is a low parity finding on Django 4.1+ and passes on 3.2', () => {
    expect(findings('session-cookie-insecure', 'strtobool_default.py').map((f) => f.severity)).toEqual(['low']);
    expect(findings('session-cookie-insecure', 'strtobool_default.py', { djangoVersion: '3.2' })).toEqual([]);
  });
});

describe('SECURE_REDIRECT_EXEMPT is searched in the path without its leading slash', () => {
  it('tells a required slash from an optional one', () => {
    for (const p of ['^/healthz$', '^\\/x', '^/+x', '\\A/status/']) expect(requiresLeadingSlash(p), p).toBe(true);
    for (const p of ['^/?healthz$', '^/*x', '^/{0,1}x', '^healthz$', '/healthz', '^/a|^b', '^[/]x']) expect(requiresLeadingSlash(p), p).toBe(false);
    expect(requiresLeadingSlash('^/(a|b)')).toBe(true);
  });
});
