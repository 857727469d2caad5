import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/engine/scan';

// The demo deployment (npm run demo) carries these findings on purpose; examples/README.md explains each one.
const EXPECTED = [
  ['nginx/http-not-redirected', 'deploy/nginx/sites-available/mysite.conf:5'],
  ['nginx/uwsgi-forwarded-proto-spoofable', 'deploy/nginx/sites-available/mysite.conf:11'],
  ['nginx/session-tickets-unrotated', 'deploy/nginx/sites-available/mysite.conf:15'],
  ['nginx/weak-ssl-protocols', 'deploy/nginx/sites-available/mysite.conf:21'],
  ['nginx/weak-ssl-ciphers', 'deploy/nginx/sites-available/mysite.conf:22'],
  ['nginx/hsts-duplicated', 'deploy/nginx/sites-available/mysite.conf:24'],
  ['nginx/hsts-max-age-short', 'deploy/nginx/sites-available/mysite.conf:24'],
  ['nginx/hsts-dropped-in-location', 'deploy/nginx/sites-available/mysite.conf:28'],
  ['cross/ssl-redirect-loop', 'deploy/nginx/sites-available/mysite.conf:41'],
  ['uwsgi/env-https-no-effect', 'deploy/uwsgi/mysite.ini:6'],
  ['django/session-persists-after-close', 'mysite/mysite/settings/production.py:2'],
  ['django/csrf-cookie-insecure', 'mysite/mysite/settings/production.py:5'],
  ['django/proxy-ssl-header-malformed', 'mysite/mysite/settings/production.py:8'],
  ['django/language-cookie-insecure', 'mysite/mysite/settings/production.py:9'],
  ['cross/django-hsts-never-sent', 'mysite/mysite/settings/production.py:11'],
  ['django/hsts-max-age-short', 'mysite/mysite/settings/production.py:11'],
  ['django/hsts-no-preload', 'mysite/mysite/settings/production.py:11'],
  ['django/redirect-exempt-ineffective', 'mysite/mysite/settings/production.py:14'],
  ['django/csrf-trusted-origin-http', 'mysite/mysite/settings/production.py:15'],
  ['wsgi/os-environ-https-no-effect', 'mysite/mysite/wsgi.py:8'],
];

describe('examples/', () => {
  it('produces exactly the findings its README promises', () => {
    const r = scan({ root: path.join(__dirname, '..', 'examples') });
    expect(r.findings.map((f) => [f.ruleId, `${f.path}:${f.line}`])).toEqual(EXPECTED);
    expect(r.files.map((f) => f.kind).sort()).toEqual(['django-settings', 'django-settings', 'django-settings', 'django-settings', 'nginx', 'wsgi']);
    expect(r.skipped).toEqual([]);
    // The cross-file finding names both files, the settings line as a related location.
    const loop = r.findings.find((f) => f.ruleId === 'cross/ssl-redirect-loop')!;
    expect(loop.message).toContain('mysite/mysite/settings/production.py');
    expect(loop.related?.map((x) => `${x.path}:${x.line}`)).toContain('mysite/mysite/settings/production.py:9');
  });
});
