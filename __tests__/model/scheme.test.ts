import { describe, expect, it } from 'vitest';
import { djangoScheme, headerName, settingsBehind, valueFor, type RequestScheme } from '../../src/model/scheme';
import type { RuleContext } from '../../src/rules/types';
import { analyseFiles } from './helpers';

const SETTINGS = (extra = '') => `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
${extra}
`;

/** A hand-written uwsgi_param list without HTTPS (an old uwsgi_params): requests reach Django. */
const OLD_PARAMS = 'uwsgi_param REQUEST_METHOD $request_method;\nuwsgi_param PATH_INFO $document_uri;\nuwsgi_param SERVER_NAME $server_name;\n';

const SERVER = (location: string, listen = 'listen 443 ssl;') => `server {
    ${listen}
    server_name example.com;
    ssl_certificate /etc/ssl/x.pem;
    ssl_certificate_key /etc/ssl/x.key;
    location / {
${location}
    }
}
`;

/** Django's answer behind the one pass directive of the workspace, for a request of `scheme`. */
function sees(files: Record<string, string>, scheme: RequestScheme, djangoVersion?: string) {
  const { model, config } = analyseFiles(files, djangoVersion ? { djangoVersion } : {});
  const ctx: RuleContext = { model, config, report: () => {} };
  const server = model.nginx.servers.find((s) => s.locations.length > 0)!;
  const loc = server.locations.find((l) => l.name === 'location')!;
  const pass = loc.block!.find((d) => d.name.endsWith('_pass'))!;
  return djangoScheme(ctx, pass, model.settings[0], scheme);
}

describe('what scheme Django sees behind nginx', () => {
  it('uwsgi without the HTTPS param: http over https, with the evidence', () => {
    const a = sees({ 'proj/settings.py': SETTINGS(), 'deploy/nginx.conf': SERVER(OLD_PARAMS + 'uwsgi_pass 127.0.0.1:9;') }, 'https');
    expect(a.sees).toBe('http');
    expect(a.evidence.join(' ')).toMatch(/no HTTPS param is in force/);
  });

  it('uwsgi with include uwsgi_params: https over https, http over http', () => {
    const files = { 'proj/settings.py': SETTINGS(), 'deploy/nginx.conf': SERVER('include uwsgi_params;\nuwsgi_param HTTP_X_FORWARDED_PROTO $scheme;\nuwsgi_pass 127.0.0.1:9;') };
    expect(sees(files, 'https').sees).toBe('https');
    expect(sees(files, 'http').sees).toBe('http');
  });

  it('uwsgi: a client X-Forwarded-Proto that nothing hides makes plain HTTP forgeable', () => {
    const a = sees({ 'proj/settings.py': SETTINGS(), 'deploy/nginx.conf': SERVER('include uwsgi_params;\nuwsgi_pass 127.0.0.1:9;', 'listen 80;') }, 'http');
    expect(a.sees).toBe('forgeable');
    expect(a.forgedWith).toBe('X-Forwarded-Proto: https');
  });

  it('uwsgi: HTTPS "off" is http; a value starting with "1" is https (uWSGI tests on/1)', () => {
    expect(sees({ 'proj/settings.py': SETTINGS(), 'deploy/nginx.conf': SERVER(OLD_PARAMS + 'uwsgi_param HTTPS off;\nuwsgi_param HTTP_X_FORWARDED_PROTO "";\nuwsgi_pass 127.0.0.1:9;') }, 'https').sees).toBe('http');
    expect(sees({ 'proj/settings.py': SETTINGS(), 'deploy/nginx.conf': SERVER(OLD_PARAMS + 'uwsgi_param HTTPS 1;\nuwsgi_param HTTP_X_FORWARDED_PROTO "";\nuwsgi_pass 127.0.0.1:9;') }, 'https').sees).toBe('https');
  });

  it("Django's header, when present, decides alone: a wrong value beats uWSGI's https", () => {
    const a = sees(
      {
        'proj/settings.py': SETTINGS('SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")'),
        'deploy/nginx.conf': SERVER('include uwsgi_params;\nuwsgi_param HTTP_X_FORWARDED_PROTO $https;\nuwsgi_pass 127.0.0.1:9;'),
      },
      'https',
    );
    expect(a.sees).toBe('http');
    expect(a.by).toBe('proxy-ssl-header');
  });

  it('Django 4.1+ compares the leftmost comma-separated value; 3.2 the whole value', () => {
    const files = {
      'proj/settings.py': SETTINGS('SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")'),
      'deploy/nginx.conf': SERVER('proxy_set_header X-Forwarded-Proto "https, http";\nproxy_pass http://127.0.0.1:9;'),
    };
    expect(sees(files, 'https').sees).toBe('https');
    expect(sees(files, 'https', '3.2').sees).toBe('http');
  });

  it('proxy_pass without any scheme header: http over https whatever the app server', () => {
    expect(sees({ 'proj/settings.py': SETTINGS(), 'deploy/nginx.conf': SERVER('proxy_set_header Host $host;\nproxy_pass http://127.0.0.1:9;') }, 'https').sees).toBe('http');
  });

  it('proxy_pass to an app server the workspace does not show, with X-Forwarded-Proto: unknown', () => {
    expect(sees({ 'proj/settings.py': SETTINGS(), 'deploy/nginx.conf': SERVER('proxy_set_header X-Forwarded-Proto $scheme;\nproxy_pass http://127.0.0.1:9;') }, 'https').sees).toBe('unknown');
  });

  it('gunicorn trusts its secure_scheme_headers only from forwarded_allow_ips (default 127.0.0.1) or a unix socket', () => {
    const gunicorn = (allow?: string) => ({
      'Procfile': `web: gunicorn proj.wsgi${allow ? ` --forwarded-allow-ips ${allow}` : ''}\n`,
      'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/settings.py': SETTINGS(),
    });
    const nginx = (target: string) => SERVER(`proxy_set_header X-Forwarded-Proto $scheme;\nproxy_pass ${target};`);
    expect(sees({ ...gunicorn(), 'deploy/nginx.conf': nginx('http://127.0.0.1:8000') }, 'https').sees).toBe('https');
    expect(sees({ ...gunicorn(), 'deploy/nginx.conf': nginx('http://unix:/run/gunicorn.sock') }, 'https').sees).toBe('https');
    expect(sees({ ...gunicorn(), 'deploy/nginx.conf': nginx('http://web:8000') }, 'https').sees).toBe('http');
    expect(sees({ ...gunicorn("'*'"), 'deploy/nginx.conf': nginx('http://web:8000') }, 'https').sees).toBe('https');
  });

  it('gunicorn behind nginx on loopback believes a client X-Forwarded-Proto nginx leaves alone', () => {
    const a = sees(
      {
        'Procfile': 'web: gunicorn proj.wsgi\n',
        'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        'proj/settings.py': SETTINGS(),
        'deploy/nginx.conf': SERVER('proxy_set_header Host $host;\nproxy_pass http://127.0.0.1:8000;', 'listen 80;'),
      },
      'http',
    );
    expect(a.sees).toBe('forgeable');
  });

  it('a wsgi.py that forces wsgi.url_scheme decides the fallback', () => {
    const a = sees(
      {
        'proj/settings.py': SETTINGS(),
        'proj/wsgi.py': 'def application(environ, start_response):\n    environ["wsgi.url_scheme"] = "https"\n    return None\n',
        'deploy/nginx.conf': SERVER(OLD_PARAMS + 'uwsgi_pass 127.0.0.1:9;'),
      },
      'https',
    );
    expect(a.sees).toBe('https');
  });

  it('a uwsgi_pass without REQUEST_METHOD never reaches Django (502 on the real stack): no loop reported', () => {
    const { result } = analyseFiles({ 'proj/settings.py': SETTINGS('SECURE_SSL_REDIRECT = True'), 'deploy/nginx.conf': SERVER('uwsgi_pass 127.0.0.1:9;') });
    expect(result.findings.some((f) => f.ruleId === 'cross/ssl-redirect-loop')).toBe(false);
    const missing = result.findings.find((f) => f.ruleId === 'nginx/uwsgi-https-missing')!;
    expect(missing.severity).toBe('medium');
  });

  it('settingsBehind ties only the server\'s main pass target to Django', () => {
    const { model, config } = analyseFiles({
      'proj/settings.py': SETTINGS(),
      'deploy/nginx.conf': `server {\n listen 443 ssl;\n location / { proxy_pass http://127.0.0.1:8000; }\n location /grafana/ { proxy_pass http://127.0.0.1:3000; }\n}\n`,
    });
    const ctx: RuleContext = { model, config, report: () => {} };
    const server = model.nginx.servers[0];
    const [main, grafana] = server.locations;
    expect(settingsBehind(ctx, main, server).map((s) => s.path)).toEqual(['proj/settings.py']);
    expect(settingsBehind(ctx, grafana, server)).toEqual([]);
  });
});

describe('bounded work', () => {
  it('a TLS server with thousands of locations passing to different targets is judged in linear work', { timeout: 60_000 }, () => {
    const locations = Array.from({ length: 6000 }, (_v, i) => `location /l${i}/ { proxy_set_header Host $host; proxy_pass http://10.0.${i >> 8}.${i & 255}:8000; }`).join('\n');
    const { result } = analyseFiles({
      'proj/settings.py': SETTINGS('SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\nSECURE_SSL_REDIRECT = True'),
      'deploy/nginx.conf': `server {\n listen 80;\n listen 443 ssl;\n server_name example.com;\n location / { proxy_pass http://127.0.0.1:8000; }\n${locations}\n}\n`,
    });
    // Only the catch-all location's target is taken for Django; it sends no scheme header: one loop, one forgeable.
    expect(result.findings.filter((f) => f.ruleId === 'cross/ssl-redirect-loop')).toHaveLength(1);
    expect(result.findings.filter((f) => f.ruleId === 'cross/proxy-ssl-header-unstripped')).toHaveLength(1);
  });
});

describe('nginx values for one request scheme', () => {
  it.each([
    ['$scheme', 'https', { kind: 'value', value: 'https' }],
    ['${scheme}', 'http', { kind: 'value', value: 'http' }],
    ['$https', 'https', { kind: 'value', value: 'on' }],
    ['$https', 'http', { kind: 'value', value: '' }],
    ['$http_x_forwarded_proto', 'https', { kind: 'client' }],
    ['$proxy_x_forwarded_proto', 'https', { kind: 'unknown' }],
    ['https', 'http', { kind: 'value', value: 'https' }],
  ] as const)('%s over %s', (raw, scheme, expected) => {
    expect(valueFor(raw, scheme)).toEqual(expected);
  });

  it('names META keys as headers', () => {
    expect(headerName('HTTP_X_FORWARDED_PROTO')).toBe('X-Forwarded-Proto');
    expect(headerName('X-Forwarded-Proto')).toBe('X-Forwarded-Proto');
  });
});

describe('severities that depend on the Django behind nginx', () => {
  it('wsgi/url-scheme-forced is high when port 80 passes requests to the app, medium otherwise', () => {
    const wsgi = 'def application(environ, start_response):\n    environ["wsgi.url_scheme"] = "https"\n    return None\n';
    const plain = analyseFiles({ 'proj/wsgi.py': wsgi, 'deploy/nginx.conf': 'server {\n listen 80;\n server_name example.com;\n location / { proxy_pass http://127.0.0.1:8000; }\n}\n' });
    const alone = analyseFiles({ 'proj/wsgi.py': wsgi });
    const f = plain.result.findings.find((x) => x.ruleId === 'wsgi/url-scheme-forced')!;
    expect(f.severity).toBe('high');
    expect(f.related?.[0].path).toBe('deploy/nginx.conf');
    expect(alone.result.findings.find((x) => x.ruleId === 'wsgi/url-scheme-forced')!.severity).toBe('medium');
  });

  it('cross/django-hsts-never-sent is high (folded into nginx/hsts-missing) without nginx HSTS, low with it', () => {
    const settings = SETTINGS('SECURE_HSTS_SECONDS = 63072000');
    const none = analyseFiles({ 'proj/settings.py': settings, 'deploy/nginx.conf': SERVER(OLD_PARAMS + 'uwsgi_pass 127.0.0.1:9;') });
    const missing = none.result.findings.find((x) => x.ruleId === 'nginx/hsts-missing')!;
    expect(missing.severity).toBe('high');
    expect(missing.related?.some((r) => r.path === 'proj/settings.py' && r.message?.startsWith('cross/django-hsts-never-sent: '))).toBe(true);
    const own = analyseFiles({ 'proj/settings.py': settings, 'deploy/nginx.conf': SERVER(OLD_PARAMS + 'uwsgi_pass 127.0.0.1:9;').replace('location /', 'add_header Strict-Transport-Security "max-age=63072000" always;\n    location /') });
    expect(own.result.findings.find((x) => x.ruleId === 'cross/django-hsts-never-sent')?.severity).toBe('low');
  });

  it('the redirect loop is one high finding naming both files, the nginx-only face folded into it', () => {
    const { result } = analyseFiles({ 'proj/settings.py': SETTINGS('SECURE_SSL_REDIRECT = True'), 'deploy/nginx.conf': SERVER(OLD_PARAMS + 'uwsgi_pass 127.0.0.1:9;') });
    const loop = result.findings.filter((x) => x.ruleId === 'cross/ssl-redirect-loop');
    expect(loop).toHaveLength(1);
    expect(loop[0].severity).toBe('high');
    expect(loop[0].path).toBe('deploy/nginx.conf');
    expect(loop[0].message).toContain('proj/settings.py');
    expect(loop[0].related?.map((r) => r.path)).toContain('proj/settings.py');
    expect(result.findings.some((x) => x.ruleId === 'nginx/uwsgi-https-missing')).toBe(false);
    expect(loop[0].related?.some((r) => r.message?.startsWith('nginx/uwsgi-https-missing: '))).toBe(true);
  });
});
