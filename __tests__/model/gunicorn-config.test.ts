import { describe, expect, it } from 'vitest';
import { analyseFiles } from './helpers';

// ecommerce-backend: gunicorn.conf.py gives gunicorn a certificate; no proxy in front, no HSTS anywhere.
const SETTINGS = `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
SESSION_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = False
`;
const conf = (tls: string) => `# Config gunicorn\n\nbind = "0.0.0.0:8888"\nwsgi_app = "backend.wsgi:application"\n${tls}secure_scheme_headers = {"X-Forwarded-Proto": "https"}\n`;

function run(tls: string, extra: Record<string, string> = {}) {
  const fs = analyseFiles({ 'manage.py': '', 'backend/__init__.py': '', 'backend/settings.py': SETTINGS, 'gunicorn/gunicorn.conf.py': conf(tls), ...extra }).result.findings;
  return (id: string) => fs.filter((f) => f.ruleId === id);
}

describe('gunicorn serving TLS itself (certfile/keyfile)', () => {
  it('is the TLS end: Django sends no HSTS and nothing else adds it, so hsts-off is high', () => {
    const [f] = run('certfile = "ssl/cert.pem"\nkeyfile = "ssl/key.pem"\n')('django/hsts-off');
    expect(f.severity).toBe('high');
    expect(f.message).toContain('gunicorn serves TLS itself (`certfile = "ssl/cert.pem"` at gunicorn/gunicorn.conf.py:5)');
  });

  it('makes mixed-case secure_scheme_headers harmless: low, saying why', () => {
    const [f] = run('certfile = "ssl/cert.pem"\n')('gunicorn/secure-scheme-headers-unmatched');
    expect(f.severity).toBe('low');
    expect(f.message).toContain('gunicorn serves TLS itself');
    // Without a certificate the same key leaves Django seeing plain HTTP behind a proxy: medium.
    expect(run('')('gunicorn/secure-scheme-headers-unmatched')[0].severity).toBe('medium');
  });

  it('on the command line too (--certfile, GUNICORN_CMD_ARGS)', () => {
    const procfile = (cmd: string) => run('', { Procfile: `web: ${cmd}\n` })('django/hsts-off')[0];
    expect(procfile('gunicorn -c gunicorn/gunicorn.conf.py --certfile=/etc/ssl/app.pem --keyfile=/etc/ssl/app.key').severity).toBe('high');
    expect(procfile('GUNICORN_CMD_ARGS="--certfile /etc/ssl/app.pem" gunicorn -c gunicorn/gunicorn.conf.py').severity).toBe('high');
  });

  it('a plain gunicorn names the line of its bind in the config file (secure-tasker)', () => {
    const [f] = run('')('django/hsts-off');
    expect(f.severity).toBe('low');
    expect(f.message).toContain('gunicorn serves plain HTTP (`0.0.0.0:8888` at gunicorn/gunicorn.conf.py:3)');
  });
});

describe('gunicorn.conf.py in the working directory, loaded without -c (secure-tasker)', () => {
  const files = (conf: string) => ({
    'manage.py': '',
    'backend/mysite/settings.py': SETTINGS,
    'backend/Dockerfile': 'FROM python:3.12\nWORKDIR /backend\nCOPY . /backend\nCMD ["./docker-entrypoint.sh"]\n',
    'backend/docker-entrypoint.sh': '#!/bin/bash\npython manage.py migrate\ngunicorn mysite.wsgi\n',
    [conf]: 'workers = 4\nbind = "0.0.0.0:8000"\nforwarded_allow_ips = "*"\n',
    'docker-compose.yml': 'services:\n  backend:\n    build: backend\n    ports:\n      - "8000:8000"\n  proxy:\n    image: nginx:1.27\n    ports: ["80:80"]\n    volumes:\n      - ./nginx/site.conf:/etc/nginx/conf.d/default.conf\n',
    'nginx/site.conf': 'server {\n  listen 80;\n  server_name app.example.org;\n  location / { proxy_pass http://backend:8000; proxy_set_header X-Forwarded-Proto $scheme; }\n}\n',
  });
  const spoofable = (conf: string) => analyseFiles(files(conf)).result.findings.filter((f) => f.ruleId === 'gunicorn/forwarded-proto-spoofable');
  it('is read for the image that starts gunicorn there, and the port the compose service publishes is a way around the proxy', () => {
    const [f] = spoofable('backend/gunicorn.conf.py');
    expect(f.severity).toBe('low');
    expect(f.message).toContain('which compose service backend publishes on the host (`8000:8000`)');
  });
  it('a file of that name elsewhere is not loaded', () => {
    expect(spoofable('config/gunicorn.conf.py').filter((f) => f.message.includes('publishes on the host'))).toEqual([]);
  });
});

describe('gunicorn/forwarded-proto-spoofable names the header gunicorn compares (madewithwagtail)', () => {
  it('is the configured secure_scheme_headers key, not X-Forwarded-Proto', () => {
    const files = {
      'gunicorn.conf.py': 'bind = "127.0.0.1:8000"\nforwarded_allow_ips = "*"\nsecure_scheme_headers = {"X-CLOUDFRONT": "yes"}\n',
      'nginx.conf': 'events {}\nhttp {\n    server {\n        listen 80;\n        server_name example.com;\n        location / {\n            proxy_pass http://127.0.0.1:8000;\n            proxy_set_header Host $host;\n        }\n    }\n}\n',
    };
    const f = analyseFiles(files).result.findings.find((x) => x.ruleId === 'gunicorn/forwarded-proto-spoofable')!;
    expect(f.message).toContain('a client can send `X-CLOUDFRONT: yes` over plain HTTP');
    expect(f.message).not.toContain('X-Forwarded-Proto: https');
  });
});
