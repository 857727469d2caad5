import { describe, expect, it } from 'vitest';
import { analyseFiles } from '../model/helpers';

// kobo-docker keeps Debian's old `ssl_protocols TLSv1 TLSv1.1 TLSv1.2;` line in its nginx.conf, whose only servers
// come from templates the entrypoint renders into conf.d/ (plain HTTP behind a load balancer).
const MAIN = (include: string) => `events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n    ssl_ciphers DES-CBC3-SHA:AES128-SHA;\n${include}}\n`;
const severities = (files: Record<string, string>) =>
  analyseFiles(files).result.findings.filter((f) => f.ruleId === 'nginx/weak-ssl-protocols' || f.ruleId === 'nginx/weak-ssl-ciphers').map((f) => `${f.ruleId} ${f.severity}`).sort();

describe('TLS settings in an http {} whose servers are not in view', () => {
  it('are low when its servers come from includes that were not read', () => {
    expect(severities({ 'nginx/nginx.conf': MAIN('    include /etc/nginx/conf.d/*.conf;\n') })).toEqual(['nginx/weak-ssl-ciphers low', 'nginx/weak-ssl-protocols low']);
    expect(analyseFiles({ 'nginx/nginx.conf': MAIN('    include /etc/nginx/conf.d/*.conf;\n') }).result.findings.find((f) => f.ruleId === 'nginx/weak-ssl-protocols')?.message).toMatch(/no server is in view/);
  });

  it('stay high with nothing included (every TLS server added there inherits them) or a TLS server in view', () => {
    expect(severities({ 'nginx/nginx.conf': MAIN('') })).toEqual(['nginx/weak-ssl-ciphers high', 'nginx/weak-ssl-protocols high']);
    const tls = '    server { listen 443 ssl; server_name a.example; ssl_certificate a.pem; ssl_certificate_key a.key; }\n';
    expect(severities({ 'nginx/nginx.conf': MAIN(`    include /etc/nginx/conf.d/*.conf;\n${tls}`) })).toEqual(['nginx/weak-ssl-ciphers high', 'nginx/weak-ssl-protocols high']);
  });
});
