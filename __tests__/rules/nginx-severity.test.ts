import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';

const DIR = path.join(__dirname, 'nginx', 'redirect-not-https');

describe('nginx/redirect-not-https severity', () => {
  it('is low for an http:// redirect in a TLS-only server, medium in a plain-HTTP one', () => {
    const sev = (file: string) => analyse({ root: DIR, paths: [file], config: {} }).result.findings.filter((f) => f.ruleId === 'nginx/redirect-not-https').map((f) => f.severity);
    expect(sev('tls_rewrite_to_http.conf')).toEqual(['low']);
    expect(sev('return_http.conf')).toEqual(['medium']);
  });
});

describe('nginx/http-not-redirected severity', () => {
  const dir = path.join(__dirname, 'nginx', 'http-not-redirected');
  it('is medium when pages redirect to HTTPS and only files stay on plain HTTP', () => {
    const [f] = analyse({ root: dir, paths: ['static_only_root_redirects.conf'], config: {} }).result.findings.filter((x) => x.ruleId === 'nginx/http-not-redirected');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('Medium: `location /` redirects to HTTPS');
  });
});

describe('nginx/hsts-dropped-in-location severity', () => {
  const dir = path.join(__dirname, 'nginx', 'hsts-dropped-in-location');
  it('is medium when other responses of the same host still carry HSTS', () => {
    const [f] = analyse({ root: dir, paths: ['static_keeps_hsts.conf'], config: {} }).result.findings.filter((x) => x.ruleId === 'nginx/hsts-dropped-in-location');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('other responses of this host still carry it (`location /static/`)');
  });
});
