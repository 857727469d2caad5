import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';

/** The findings of `rule` on one of its fixtures. */
function findings(rule: string, fixture: string) {
  const dir = path.join(__dirname, 'nginx', rule.replace(/^nginx\//, ''));
  const whole = fs.statSync(path.join(dir, fixture)).isDirectory();
  return analyse(whole ? { root: path.join(dir, fixture), config: {} } : { root: dir, paths: [fixture], config: {} }).result.findings.filter((f) => f.ruleId === rule);
}

describe('severities that depend on the case', () => {
  it('redirect-not-https: low for an http:// redirect in a TLS-only server, medium in a plain-HTTP one', () => {
    expect(findings('nginx/redirect-not-https', 'tls_rewrite_to_http.conf').map((f) => f.severity)).toEqual(['low']);
    expect(findings('nginx/redirect-not-https', 'return_http.conf').map((f) => f.severity)).toEqual(['medium']);
  });

  it('http-not-redirected: medium when pages redirect to HTTPS and only files stay on plain HTTP', () => {
    const [f] = findings('nginx/http-not-redirected', 'static_only_root_redirects.conf');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('Medium: `location /` redirects to HTTPS');
  });

  it('http-not-redirected: medium when Django redirects the plain app requests itself', () => {
    const [f] = findings('nginx/http-not-redirected', 'django_redirects');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('Medium: Django answers these app requests with a redirect to HTTPS (SECURE_SSL_REDIRECT in proj/settings.py');
  });

  it('hsts-dropped-in-location: medium when other responses of the same host still carry HSTS', () => {
    const [f] = findings('nginx/hsts-dropped-in-location', 'static_keeps_hsts.conf');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('other responses of this host still carry it (`location /static/`)');
  });
});
