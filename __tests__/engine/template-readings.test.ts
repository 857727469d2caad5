import { describe, expect, it } from 'vitest';
import { analyseFiles } from '../model/helpers';
import { mergeReadings } from '../../src/engine/scan';
import { applyRole } from '../../src/engine/run';
import type { Finding } from '../../src/types';

const SETTINGS = `SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["example.org"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 63072000
`;

const UNIT = `[Service]
Environment=DJANGO_SETTINGS_MODULE=proj.settings
ExecStart=/srv/venv/bin/gunicorn proj.wsgi:application --bind 127.0.0.1:8000
`;

const APP = {
  'proj/__init__.py': '',
  'proj/settings.py': SETTINGS,
  'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'deploy/roles/web/files/gunicorn.service': UNIT,
};

// The `{% if %}` only wraps basic auth (school-navigator's Salt template): TLS is the same in both readings.
const AUTH_IF = `server {
    listen 80;
    server_name {{ domain }};
    return 301 https://{{ domain }}$request_uri;
}
server {
    listen 443 ssl;
    server_name {{ domain }};
    ssl_certificate /etc/ssl/{{ domain }}.crt;
    ssl_certificate_key /etc/ssl/{{ domain }}.key;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    add_header Strict-Transport-Security "max-age=63072000" always;
    location / {
{% if http_auth is defined %}
        auth_basic "Restricted";
        auth_basic_user_file /etc/nginx/htpasswd;
{% endif %}
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Proto $scheme;
    }
}
`;

// The `{% if %}` decides whether there is TLS at all.
const TLS_IF = `server {
    listen 80;
    server_name {{ domain }};
{% if ssl_enabled %}
    return 301 https://$host$request_uri;
}
server {
    listen 443 ssl;
    server_name {{ domain }};
    ssl_certificate /etc/ssl/{{ domain }}.crt;
    ssl_certificate_key /etc/ssl/{{ domain }}.key;
    ssl_protocols TLSv1 TLSv1.2;
    add_header Strict-Transport-Security "max-age=63072000" always;
{% endif %}
    location / {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Proto $scheme;
    }
}
`;

const SITE = 'deploy/roles/web/templates/site.conf.j2';

describe('nginx templates with Jinja `if`: judged in both readings', () => {
  it('a finding outside the tags keeps its severity (the file is checked, not skipped)', () => {
    const { result } = analyseFiles({ ...APP, [SITE]: AUTH_IF });
    expect(result.skipped.map((s) => s.path)).not.toContain(SITE);
    expect(result.files.map((f) => f.path)).toContain(SITE);
    const weak = result.findings.filter((f) => f.ruleId === 'nginx/weak-ssl-protocols');
    expect(weak.map((f) => [f.path, f.line, f.severity])).toEqual([[SITE, 11, 'high']]);
    expect(weak[0].message).not.toMatch(/one reading/);
  });

  it('what only one reading gives is low at most and says why; nothing of it is lost', () => {
    const { result } = analyseFiles({ ...APP, [SITE]: TLS_IF });
    const site = result.findings.filter((f) => f.path === SITE);
    expect(site.filter((f) => f.severity === 'high' || f.severity === 'medium')).toEqual([]);
    // With TLS: the weak protocols; without: port 80 serves the app.
    const weak = site.find((f) => f.ruleId === 'nginx/weak-ssl-protocols');
    expect(weak?.line).toBe(12);
    expect(weak?.severity).toBe('low');
    expect(weak?.message).toMatch(/only in one reading of the template's `if` tags of deploy\/roles\/web\/templates\/site\.conf\.j2:4/);
    const plain = site.find((f) => f.ruleId === 'nginx/http-not-redirected');
    expect(plain?.severity).toBe('low');
    expect(plain?.message).toMatch(/only in one reading/);
  });

  it('merging: both readings keep the lower severity; one reading alone is low; order and positions kept', () => {
    const f = (ruleId: string, line: number, severity: Finding['severity']): Finding => ({ ruleId, severity, path: 'a.conf.j2', line, column: 5, endLine: line, endColumn: 9, message: 'm', hint: '', docsUrl: '' });
    const merged = mergeReadings([f('x', 3, 'high'), f('y', 1, 'high'), f('z', 2, 'info')], [f('x', 3, 'medium'), f('w', 4, 'medium')], new Map([['a.conf.j2', [2, 7]]]));
    expect(merged.map((m) => [m.ruleId, m.line, m.severity])).toEqual([['y', 1, 'low'], ['z', 2, 'info'], ['x', 3, 'medium'], ['w', 4, 'low']]);
    expect(merged[0].message).toBe("m (only in one reading of the template's `if` tags of a.conf.j2:2: which branches render is decided at deploy time)");
    expect(merged[2].message).toBe('m');
  });

  it("a lowered finding's own severity notes say where they would hold, not contradict its severity (education-website, taskmanager_pro)", () => {
    const f = (message: string, severity: Finding['severity']): Finding => ({ ruleId: 'r', severity, path: 'a.conf.j2', line: 1, column: 1, endLine: 1, endColumn: 2, message, hint: '', docsUrl: '' });
    const [one] = mergeReadings([f('Plain HTTP. Medium: `certbot --nginx` runs at x.yml:3.', 'medium')], [], new Map([['a.conf.j2', [2]]]));
    expect(one.severity).toBe('low');
    expect(one.message).toContain('Plain HTTP. In both readings this would be medium: `certbot --nginx` runs at x.yml:3.');
    const role = applyRole(f('Dropped (x.conf:3). Medium: other responses still carry it.', 'medium'), { role: 'example', source: 'guess', why: 'nothing deploys it' }, true);
    expect(role.severity).toBe('low');
    expect(role.message).toBe('[example file, guessed: nothing deploys it] Dropped (x.conf:3). In a production file this would be medium: other responses still carry it.');
    // A finding that keeps its severity keeps its notes as written.
    expect(applyRole(f('x. Medium: y.', 'info'), { role: 'example', source: 'guess', why: 'z' }, true).message).toBe('[example file, guessed: z] x. Medium: y.');
  });
});
