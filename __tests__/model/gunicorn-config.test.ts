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
