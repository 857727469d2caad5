// The stack harness's own parts, without any server: the readers of the app-server files and the mapping from
// observations to verdicts, each both ways.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { iniOptions, loadCase, procfileArgs } from './harness';
import { ROWS, headerOfMeta, type Observed } from './probes';

const CASES = path.join(__dirname, 'cases');

const base = (): Observed => ({
  app: 'gunicorn',
  settings: { SECURE_PROXY_SSL_HEADER: null, SECURE_HSTS_SECONDS: 0, SECURE_SSL_REDIRECT: false, security_middleware: true },
  env_https: null,
  https: {
    redirects: { hops: ['https://example.com/ → 200'], loop: false },
    django: { status: 200, is_secure: true, scheme: 'https', meta: { 'wsgi.url_scheme': 'https' } },
    hsts: 1,
    hsts_from_app: false,
  },
  http: { redirects: { hops: ['http://example.com/ → 301 https://example.com/'], loop: false }, django: { status: 301 } },
  forged: [{ headers: 'X-Forwarded-Proto: https', via: 'nginx', status: 301, believed: false }],
});
const row = (id: string) => ROWS.find((r) => r.id === id) as (typeof ROWS)[number];

describe('stack harness', () => {
  it('reads the app server of each kind of case', () => {
    expect(loadCase(path.join(CASES, 'gunicorn_allow_ips_default_ok')).app).toEqual({ server: 'gunicorn', file: 'Procfile', unix: false, public: true, http: true });
    expect(loadCase(path.join(CASES, 'gunicorn_allow_ips_star')).app).toEqual({ server: 'gunicorn', file: 'gunicorn.conf.py', unix: false, public: true, http: true });
    expect(loadCase(path.join(CASES, 'gunicorn_redirect_xfp_ok')).app).toMatchObject({ server: 'gunicorn', public: false });
    expect(loadCase(path.join(CASES, 'uwsgi_params_redirect_ok')).app).toEqual({ server: 'uwsgi', file: 'uwsgi.ini', unix: false, public: false, http: false });
  });

  it('keeps Procfile flags except the ones the harness sets', () => {
    expect(procfileArgs('web: gunicorn p.wsgi --bind 0.0.0.0:8000 -w 3 --forwarded-allow-ips="*"\n')).toEqual({ bind: '0.0.0.0:8000', rest: ['--forwarded-allow-ips=*'] });
    expect(procfileArgs("web: gunicorn --bind=unix:/run/g.sock p.wsgi --forwarded-allow-ips '10.0.0.1, 10.0.0.2'").rest).toEqual(['--forwarded-allow-ips', '10.0.0.1, 10.0.0.2']);
  });

  it('reads only the [uwsgi] section of an ini, repeated keys kept', () => {
    expect(iniOptions('[other]\nsocket = x\n[uwsgi]\n# c\nenv = A=1\nenv = HTTPS=on\n')).toEqual([['env', 'A=1'], ['env', 'HTTPS=on']]);
  });

  it('turns a META key into the header a client sends', () => {
    expect(headerOfMeta('HTTP_X_FORWARDED_PROTO')).toBe('X-Forwarded-Proto');
    expect(headerOfMeta('X_FORWARDED_PROTO')).toBeUndefined();
  });

  it('maps each observation both ways', () => {
    for (const r of ROWS) expect(r.truth(base()), r.id).toBe(false);
    const o = base();
    o.https.redirects.loop = true;
    expect(row('redirect-loop').truth(o)).toBe(true);
    const f = base();
    f.http = { redirects: { hops: [], loop: false }, django: { status: 200, is_secure: false } };
    f.forged[0] = { headers: 'X-Forwarded-Proto: https', via: 'nginx', status: 200, believed: true };
    expect(row('forged-believed').truth(f)).toBe(true);
    // Already secure without forging: the forged header adds nothing.
    f.http.django.is_secure = true;
    expect(row('forged-believed').truth(f)).toBe(false);
    expect(row('plain-seen-secure').truth(f)).toBe(true);
    const h = base();
    h.settings!.SECURE_HSTS_SECONDS = 31536000;
    expect(row('django-hsts-never-sent').truth(h)).toBe(true);
    h.https.hsts_from_app = true;
    expect(row('django-hsts-never-sent').truth(h)).toBe(false);
    h.https.hsts = 2;
    expect(row('hsts-twice').truth(h)).toBe(true);
    h.https.hsts = 0;
    expect(row('hsts-none').truth(h)).toBe(true);
    const m = base();
    m.settings!.SECURE_PROXY_SSL_HEADER = ['HTTP_X_FORWARDED_PROTO', 'https'];
    m.https.django.is_secure = false;
    expect(row('proxy-header-mismatch').truth(m)).toBe(true);
    const e = base();
    e.env_https = 'on';
    expect(row('env-https-no-effect').truth(e)).toBe(false);
    e.https.django.is_secure = false;
    expect(row('env-https-no-effect').truth(e)).toBe(true);
    const u = base();
    expect(row('uwsgi-scheme-http').applies?.(u)).toBe(false);
    u.app = 'uwsgi';
    expect(row('uwsgi-scheme-http').applies?.(u)).toBe(true);
    expect(row('uwsgi-scheme-http').truth(u)).toBe(false);
    u.https.django = { status: 502 };
    expect(row('uwsgi-scheme-http').truth(u)).toBe(true);
  });
});
