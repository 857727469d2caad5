import { describe, expect, it } from 'vitest';
import { analyseFiles } from '../model/helpers';

const site = (ciphers: string) => `server {\n    listen 443 ssl;\n    server_name example.com;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ciphers "${ciphers}";\n    add_header Strict-Transport-Security "max-age=63072000" always;\n}\n`;

function weak(ciphers: string) {
  return analyseFiles({ 'nginx/site.conf': site(ciphers) }).result.findings.filter((f) => f.ruleId === 'nginx/weak-ssl-ciphers');
}

describe('nginx/weak-ssl-ciphers severity', () => {
  it('is medium when every weak suite is one OpenSSL 1.1.0+ no longer builds (RC4, EXPORT, DES), and says so', () => {
    const [f] = weak('RC4:HIGH:!aNULL:!MD5');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('OpenSSL 1.1.0 and later build none of them by default');
  });

  it('stays high when a weak suite current OpenSSL still negotiates is enabled (3DES, NULL, anonymous)', () => {
    expect(weak('RC4:DES-CBC3-SHA:HIGH:!aNULL').map((f) => f.severity)).toEqual(['high']);
    expect(weak('HIGH:aNULL').map((f) => f.severity)).toEqual(['high']);
  });
});
