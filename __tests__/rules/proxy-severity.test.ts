// Severities nginx/uwsgi-forwarded-proto-spoofable picks per finding (the fixture tester checks only where it fires).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { analyseFiles } from '../model/helpers';

const RULE = 'nginx/uwsgi-forwarded-proto-spoofable';

function findings(fixture: string) {
  const dir = path.join(__dirname, RULE);
  return analyse({ root: dir, paths: [fixture] }).result.findings.filter((f) => f.ruleId === RULE);
}

describe(`${RULE} severities`, () => {
  it('is medium where this nginx also terminates TLS: a client on the plain listener passes for HTTPS', () => {
    expect(findings('plain_and_tls.conf').map((f) => f.severity)).toEqual(['medium']);
    expect(findings('nested_drop.conf').map((f) => f.severity)).toEqual(['medium']);
  });

  it('is low, and says why, where this nginx has no TLS listener at all', () => {
    const f = findings('no_listen.conf');
    expect(f.map((x) => x.severity)).toEqual(['low', 'low']);
    expect(f[0].message).toMatch(/Low: this nginx has no TLS listener/);
  });
});

describe('cross/proxy-ssl-header-unstripped severities', () => {
  const dir = path.join(__dirname, 'cross/proxy-ssl-header-unstripped/proxy_header_not_set');
  const files = {
    'deploy/nginx.conf': fs.readFileSync(path.join(dir, 'deploy/nginx.conf'), 'utf8'),
    'proj/settings.py': fs.readFileSync(path.join(dir, 'proj/settings.py'), 'utf8'),
  };
  const unstripped = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === 'cross/proxy-ssl-header-unstripped');

  it('is high where this nginx also terminates TLS', () => {
    expect(unstripped(files).map((f) => f.severity)).toEqual(['high']);
  });

  it('is low, and says why, where this nginx has no TLS listener (scancode.io, vulnerablecode)', () => {
    const plain = files['deploy/nginx.conf'].replace(' '.repeat(4) + 'listen 443 ssl;\n', '');
    expect(plain).not.toContain('443');
    const f = unstripped({ ...files, 'deploy/nginx.conf': plain });
    expect(f.map((x) => x.severity)).toEqual(['low']);
    expect(f[0].message).toMatch(/Low: this nginx has no TLS listener/);
  });

  it('stays low where the nginx without a TLS listener passes the client\'s header on itself (academica, behind Traefik)', () => {
    const plain = files['deploy/nginx.conf'].replace(' '.repeat(4) + 'listen 443 ssl;\n', '');
    const passed = plain.replace('proxy_set_header Host $host;', 'proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;');
    expect(passed).toContain('$http_x_forwarded_proto');
    const result = analyseFiles({ ...files, 'deploy/nginx.conf': passed }).result;
    const f = result.findings.filter((x) => x.ruleId === 'cross/proxy-ssl-header-unstripped');
    expect(f.map((x) => x.severity)).toEqual(['low']);
    expect(f[0].related?.some((r) => r.message?.startsWith('nginx/forwarded-proto-passthrough: '))).toBe(true);
    const tls = analyseFiles({ ...files, 'deploy/nginx.conf': passed.replace('listen 80;', 'listen 80;\n    listen 443 ssl;') }).result;
    expect(tls.findings.filter((x) => x.ruleId === 'cross/proxy-ssl-header-unstripped').map((x) => x.severity)).toEqual(['high']);
  });
});
