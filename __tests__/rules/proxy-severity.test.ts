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

describe('SECURE_PROXY_SSL_HEADER set in a module the judged one imports (logbook)', () => {
  it('is cited at its own file and line, not the judged module at that line', () => {
    const dir = path.join(__dirname, 'cross/proxy-ssl-header-unstripped/proxy_header_not_set');
    const settings = fs.readFileSync(path.join(dir, 'proj/settings.py'), 'utf8');
    const line = settings.split('\n').findIndex((l) => l.startsWith('SECURE_PROXY_SSL_HEADER')) + 1;
    const result = analyseFiles({
      'deploy/nginx.conf': fs.readFileSync(path.join(dir, 'deploy/nginx.conf'), 'utf8'),
      'proj/__init__.py': '',
      'proj/base.py': settings,
      'proj/settings.py': 'from .base import *\nDEBUG = False\n',
    }).result;
    const f = result.findings.filter((x) => x.ruleId === 'cross/proxy-ssl-header-unstripped');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain(`proj/base.py:${line} makes Django trust`);
    expect(f[0].message).not.toContain(`proj/settings.py:${line}`);
  });
});

describe('nginx/forwarded-proto-hardcoded where nothing behind reads the header (cyborgbackup)', () => {
  const site = `upstream daphne_app {
    server 127.0.0.1:8151;
}
server {
    listen 80;
    server_name app.example.org;
    location /websocket {
        proxy_pass http://daphne_app;
        proxy_set_header X-Forwarded-Proto https;
    }
}
`;
  const settings = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n';
  const program = (command: string) => `[program:app-daphne]\ncommand = ${command}\ndirectory = /opt/app\n`;
  const run = (files: Record<string, string>) => analyseFiles({ 'app/__init__.py': '', 'app/settings.py': settings, 'app/asgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n', 'tools/config/nginx.vhost': site, ...files }).result.findings.filter((f) => f.ruleId === 'nginx/forwarded-proto-hardcoded');

  it('is low where daphne runs without --proxy-headers and Django trusts no header (a supervisor file named by content)', () => {
    const f = run({ 'tools/config/app.conf': program('/opt/venv/bin/daphne -b 127.0.0.1 -p 8151 app.asgi:application') });
    expect(f.map((x) => x.severity)).toEqual(['low']);
    expect(f[0].message).toMatch(/nothing behind it reads the value today \(app\/settings\.py sets no SECURE_PROXY_SSL_HEADER; daphne \(tools\/config\/app\.conf:2\) runs without --proxy-headers/);
  });

  it('stays high where the app server takes the scheme from the header (daphne --proxy-headers) or Django trusts it', () => {
    expect(run({ 'tools/config/app.conf': program('/opt/venv/bin/daphne --proxy-headers -b 127.0.0.1 -p 8151 app.asgi:application') }).map((x) => x.severity)).toEqual(['high']);
    const trusting = run({ 'tools/config/app.conf': program('/opt/venv/bin/daphne -b 127.0.0.1 -p 8151 app.asgi:application'), 'app/settings.py': `${settings}SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n` });
    expect(trusting.map((x) => x.severity)).toEqual(['high']);
  });
});
