// Severities nginx/hsts-missing picks where Django's own HSTS is decided only at run time (the fixture tester checks
// only where it fires).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseFiles } from '../model/helpers';

const RULE = 'nginx/hsts-missing';
const DIR = path.join(__dirname, 'nginx/hsts-missing/django_hsts_conditional');
const files = {
  'deploy/nginx.conf': fs.readFileSync(path.join(DIR, 'deploy/nginx.conf'), 'utf8'),
  'proj/settings.py': fs.readFileSync(path.join(DIR, 'proj/settings.py'), 'utf8'),
};
const hsts = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === RULE);
const withoutStatic = (conf: string) => conf.replace(/ {4}location \/static\/ \{[^}]*\}\n\n/, '');

describe(`${RULE} where Django's HSTS depends on the environment`, () => {
  it('is medium while nginx serves files itself, and says Django may send it for the app', () => {
    const f = hsts(files);
    expect(f.map((x) => x.severity)).toEqual(['medium']);
    expect(f[0].message).toMatch(/Django may send it for the app: in proj\/settings\.py, SECURE_HSTS_SECONDS depends on/);
  });

  it('is low where every end point is the app', () => {
    expect(withoutStatic(files['deploy/nginx.conf'])).not.toMatch(/location \/static/);
    expect(hsts({ ...files, 'deploy/nginx.conf': withoutStatic(files['deploy/nginx.conf']) }).map((x) => x.severity)).toEqual(['low']);
  });

  it('is medium where Django may send it through one pass only, and names the pass where it cannot (video-production-manager)', () => {
    // `/ws/` sends no X-Forwarded-Proto, so Django sees those requests as plain HTTP and adds no header there.
    const ws = '    location /ws/ {\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_pass http://127.0.0.1:9;\n    }\n\n    location / {';
    const conf = withoutStatic(files['deploy/nginx.conf']).replace('    location / {', ws);
    const f = hsts({ ...files, 'deploy/nginx.conf': conf });
    expect(f.map((x) => x.severity)).toEqual(['medium']);
    expect(f[0].message).toContain('Django may send it for the app through `location /`: in proj/settings.py');
    expect(f[0].message).toContain('Not through `location /ws/`: Django adds none there');
    expect(f[0].message).not.toContain('no judged settings module has SecurityMiddleware');
  });

  it('stays high where every possibility leaves HSTS off, or SecurityMiddleware is not there', () => {
    const off = files['proj/settings.py'].replace('SECURE_HSTS_SECONDS = 31536000', 'SECURE_HSTS_SECONDS = 0');
    expect(hsts({ ...files, 'proj/settings.py': off }).map((x) => x.severity)).toEqual(['high']);
    const noMiddleware = files['proj/settings.py'].replace('    "django.middleware.security.SecurityMiddleware",\n', '');
    expect(hsts({ ...files, 'proj/settings.py': noMiddleware }).map((x) => x.severity)).toEqual(['high']);
  });
});

describe('nginx/hsts-missing with django/hsts-off folded in, where other locations of the server send HSTS', () => {
  const settings = files['proj/settings.py'].replace(/if os\.environ[^\n]*\n[^\n]*\n/, '');
  const conf = (second: string) =>
    'server {\n  listen 443 ssl;\n  server_name example.com;\n  ssl_certificate /c.pem;\n  ssl_certificate_key /k.pem;\n' +
    '  location / {\n    add_header Strict-Transport-Security "max-age=63072000" always;\n    proxy_pass http://127.0.0.1:9;\n  }\n' +
    `  location /api/ {\n    ${second}proxy_pass http://127.0.0.1:9;\n  }\n}\n`;

  it('is medium, not high: browsers get HSTS for the host from the other location', () => {
    expect(settings).not.toMatch(/SECURE_HSTS_SECONDS/);
    const f = hsts({ 'proj/settings.py': settings, 'deploy/site.conf': conf('') });
    expect(f.map((x) => x.severity)).toEqual(['medium']);
    const off = f[0].related?.find((r) => r.message?.startsWith('django/hsts-off: '));
    expect(off?.message).toMatch(/Other locations of the same server send it \(`location \/`/);
  });

  it('is high where no location of the server sends it', () => {
    const none = conf('').replace(/ {4}add_header Strict-Transport-Security[^\n]*\n/, '');
    expect(hsts({ 'proj/settings.py': settings, 'deploy/site.conf': none }).map((x) => x.severity)).toEqual(['high']);
  });
});

describe('django/hsts-off behind an nginx that serves the app over plain HTTP only', () => {
  it('is low and names that server instead of a TLS terminator somewhere else', () => {
    const settings = files['proj/settings.py'].replace(/if os\.environ[^\n]*\n[^\n]*\n/, '');
    const plain = 'server {\n  listen 80;\n  server_name app.example.com;\n  location / {\n    proxy_pass http://127.0.0.1:8000;\n  }\n}\n';
    const r = analyseFiles({ 'proj/settings.py': settings, 'deploy/site.conf': plain }).result.findings;
    const off = r.filter((x) => x.ruleId === 'django/hsts-off');
    expect(off.map((x) => x.severity)).toEqual(['low']);
    expect(off[0].message).toMatch(/The nginx in front serves the app over plain HTTP only \(the server at deploy\/site\.conf:1\)/);
    expect(r.filter((x) => x.ruleId === 'nginx/http-not-redirected').map((x) => x.severity)).toEqual(['high']);
  });
});

describe('nginx/hsts-missing on a server named by IP address only', () => {
  it('is low: browsers ignore HSTS from an IP address', () => {
    const conf = fs.readFileSync(path.join(__dirname, 'nginx/hsts-missing/ip_only_names.conf'), 'utf8');
    const f = hsts({ 'site.conf': conf });
    expect(f.map((x) => x.severity)).toEqual(['low']);
    expect(f[0].message).toMatch(/every server_name is an IP address \(10\.0\.0\.97\)/);
    expect(hsts({ 'site.conf': conf.replace('server_name 10.0.0.97;', 'server_name 10.0.0.97 app.example.com;') }).map((x) => x.severity)).toEqual(['high']);
  });
});

describe('django/hsts-off behind a plain-HTTP nginx taken to sit behind a TLS terminator (mapit)', () => {
  it('does not say that nginx passes HTTPS requests', () => {
    const settings = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n';
    // No server_name: an internal nginx, so the model puts a terminator in front of it.
    const conf = 'server {\n  listen 80;\n  location / {\n    proxy_pass http://localhost:8000/;\n  }\n}\n';
    const f = analyseFiles({ 'project/settings.py': settings, 'conf/nginx.conf': conf }).result.findings.find((x) => x.ruleId === 'django/hsts-off')!;
    expect(f.message).toContain('passes requests (HTTPS ones, where a TLS terminator sits in front of this plain-HTTP nginx) to the app');
    expect(f.message).not.toContain('passes HTTPS requests');
  });
});

describe('nginx/hsts-missing names the target of a pass that reaches no Django app (micorr)', () => {
  it('says where the ACME and Node locations pass, and keeps "the app" for the app', () => {
    const settings = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nSECURE_HSTS_SECONDS = 31536000\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n';
    const conf = `server {
  listen 443 ssl;
  server_name example.com;
  ssl_certificate /c.pem;
  ssl_certificate_key /k.pem;
  location /.well-known/acme-challenge { proxy_pass http://certbot:80; }
  location /node/ { proxy_pass http://node:8080/; }
  location / { proxy_pass http://django:8000; proxy_set_header X-Forwarded-Proto https; }
}
`;
    const f = analyseFiles({ 'proj/settings.py': settings, 'nginx/site.conf': conf }).result.findings.find((x) => x.ruleId === 'nginx/hsts-missing')!;
    expect(f.message).toContain('`location /.well-known/acme-challenge` (passes to `http://certbot:80`)');
    expect(f.message).toContain('`location /node/` (passes to `http://node:8080/`)');
  });
});

describe('django/hsts-off hint without SecurityMiddleware (openstack-dashboard)', () => {
  const hint = (middleware: string) =>
    analyseFiles({ 'proj/settings.py': `INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = [${middleware}]\n` }).result.findings.find((x) => x.ruleId === 'django/hsts-off')!.hint;
  it('asks for the middleware too, since SECURE_HSTS_SECONDS alone does nothing', () => {
    expect(hint('"django.contrib.sessions.middleware.SessionMiddleware"')).toMatch(/^Add django\.middleware\.security\.SecurityMiddleware to MIDDLEWARE and set SECURE_HSTS_SECONDS/);
    expect(hint('"django.middleware.security.SecurityMiddleware"')).toMatch(/^Set SECURE_HSTS_SECONDS/);
  });
});

describe('cross/django-hsts-never-sent on one location while another passes the scheme (hse-academy)', () => {
  const settings = `SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 2592000
`;
  const conf = (health: string) =>
    'server {\n  listen 443 ssl;\n  server_name example.com;\n  ssl_certificate /c.pem;\n  ssl_certificate_key /k.pem;\n' +
    '  location / {\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_pass http://127.0.0.1:8000;\n  }\n' +
    `  location = /health/ {\n    ${health}proxy_pass http://127.0.0.1:8000;\n  }\n}\n`;
  const run = (c: string) => analyseFiles({ 'proj/settings.py': settings, 'deploy/site.conf': c }).result;
  const never = (r: ReturnType<typeof run>) => [...r.findings, ...r.findings.flatMap((f) => f.related ?? [])].filter((f) => (f.message ?? '').includes('asks SecurityMiddleware'));

  it('browsers get Django\'s header from the other location: nginx/hsts-missing is not raised to high', () => {
    const r = run(conf(''));
    expect(r.findings.filter((f) => f.ruleId === 'nginx/hsts-missing').map((f) => f.severity)).toEqual(['medium']);
    const cross = never(r);
    expect(cross.length).toBe(1);
    expect(cross[0].message).toMatch(/Django never sends it on these responses, and nginx adds none there; `proxy_pass http:\/\/127\.0\.0\.1:8000` \(deploy\/site\.conf:8\) passes the scheme/);
    expect(cross[0].message).not.toMatch(/no HSTS from this site/);
  });

  it('stays high where no location passes the scheme', () => {
    const r = run(conf('').replace('    proxy_set_header X-Forwarded-Proto $scheme;\n', ''));
    expect(r.findings.filter((f) => f.ruleId === 'nginx/hsts-missing').map((f) => f.severity)).toEqual(['high']);
    expect(never(r)[0].message).toMatch(/no HSTS from this site/);
  });
});

describe('django/hsts-off names the deployed nginx before an example beside it (geology_backend)', () => {
  it('lists the production config first', () => {
    const site = (name: string) => `server {\n  listen 443 ssl;\n  server_name ${name};\n  ssl_certificate /c.pem;\n  ssl_certificate_key /k.pem;\n  location / {\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_pass http://127.0.0.1:8000;\n  }\n}\n`;
    const settings = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n';
    const r = analyseFiles({ 'proj/settings.py': settings, 'nginx/nginx.conf': site('example.org'), 'docs/nginx.conf': site('docs.example.org') }).result;
    const off = [...r.findings, ...r.findings.flatMap((f) => f.related ?? [])].find((f) => (f.message ?? '').includes('nginx does not add it either'));
    expect(off?.message).toMatch(/nginx does not add it either: `location \/` \(nginx\/nginx\.conf:6\), `location \/` \(docs\/nginx\.conf:6\)/);
  });
});

describe('nginx/hsts-missing with an include the repository lacks (proficrm)', () => {
  it('says what the repository shows, not that the server sends no header at all', () => {
    const conf = 'server {\n  listen 443 ssl;\n  server_name crm.example.org;\n  ssl_certificate /c.pem;\n  ssl_certificate_key /k.pem;\n  include snippets/site-hsts.conf;\n  location /static/ {\n    alias /srv/static/;\n    add_header Cache-Control "public";\n  }\n  location / {\n    proxy_pass http://127.0.0.1:8000;\n  }\n}\n';
    const settings = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n';
    const f = hsts({ 'proj/settings.py': settings, 'nginx/production.conf': conf });
    expect(f.length).toBe(1);
    expect(f[0].message).toMatch(/shows no Strict-Transport-Security header: .* in the configuration the repository holds/);
    expect(f[0].message).not.toMatch(/header at all/);
    expect(f[0].message).toMatch(/includes files that are not in the workspace \(`nginx\/production\.conf:6`\)/);
  });
});
