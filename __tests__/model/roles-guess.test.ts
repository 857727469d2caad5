import { describe, expect, it } from 'vitest';
import { analyseFiles } from './helpers';

const SITE = (name: string) => `server {
    listen 80;
    server_name ${name};
    location / { proxy_pass http://web:8000; }
}
`;

function roleOf(files: Record<string, string>, path: string) {
  const { model, result } = analyseFiles(files);
  return { info: model.roleOf!(path), findings: result.findings.filter((f) => f.path === path) };
}

describe('nginx files that are not deployed', () => {
  it('beside a deployed nginx, one that nothing deploys is guessed an example, and the finding says so', () => {
    const { info, findings } = roleOf(
      {
        'deploy/nginx/site.conf': SITE('app.example.com'),
        'contrib/nginx.conf': SITE('app.example.com'),
        'docker-compose.yml': 'services:\n  nginx:\n    image: nginx:1.27\n    ports: ["80:80"]\n    volumes:\n      - ./deploy/nginx/site.conf:/etc/nginx/conf.d/default.conf\n',
      },
      'contrib/nginx.conf',
    );
    expect(info).toMatchObject({ role: 'example', source: 'guess' });
    const f = findings.find((x) => x.ruleId === 'nginx/http-not-redirected');
    expect(f?.severity).toBe('low');
    expect(f?.message).toMatch(/^\[example file, guessed: nothing deploys it .* while deploy\/nginx\/site\.conf is deployed \(docker-compose\.yml:6 mounts it\)\]/);
  });

  it('a cross-file finding on the settings that rests only on such an example nginx is capped like it (dokeza)', () => {
    const tls = (fwd: string) =>
      `server {\n    listen 443 ssl;\n    server_name app.example.com;\n    ssl_certificate /etc/ssl/c.pem;\n    ssl_certificate_key /etc/ssl/k.pem;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    location / {\n        proxy_pass http://web:8000;\n${fwd}    }\n}\n`;
    const files = {
      'app/__init__.py': '',
      'app/settings.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSECURE_HSTS_SECONDS = 60\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n',
      'Dockerfile': 'FROM python:3.12\nCOPY . /srv\nCMD ["gunicorn", "app.wsgi", "--bind", "0.0.0.0:8000"]\n',
      'nginx/conf.d/default.conf': tls('        proxy_set_header X-Forwarded-Proto $scheme;\n'),
      'nginx/app.conf': tls(''),
      'nginx/Dockerfile': 'FROM nginx:1.27\nCOPY conf.d/default.conf /etc/nginx/conf.d/default.conf\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n  nginx:\n    build: ./nginx\n    ports: ["443:443"]\n',
    };
    const r = analyseFiles(files);
    expect(r.model.roleOf!('nginx/app.conf')).toMatchObject({ role: 'example', source: 'guess' });
    expect(r.result.findings.filter((f) => ['high', 'medium'].includes(f.severity)).map((f) => `${f.ruleId} ${f.path}`)).toEqual([]);
    // The same example, deployed: Django's HSTS is never sent there, folded into nginx's missing header (high).
    const deployed = analyseFiles({ ...files, 'nginx/Dockerfile': 'FROM nginx:1.27\nCOPY app.conf /etc/nginx/conf.d/default.conf\n' });
    const missing = deployed.result.findings.find((f) => f.ruleId === 'nginx/hsts-missing');
    expect([missing?.path, missing?.severity, missing?.related?.map((x) => x.path)]).toEqual(['nginx/app.conf', 'high', ['app/settings.py']]);
  });

  it('a template whose rendered file sits beside it is a template; alone it is judged (club-manager)', () => {
    const site = (media: string) => `server {\n    listen 80;\n    server_name portal.example.org;\n    location /media/ { alias ${media}; }\n    location / { proxy_pass http://127.0.0.1:8000; }\n}\n`;
    const both = roleOf({ 'deploy/site.nginx.conf.template': site('${MEDIA_PATH}'), 'deploy/site.nginx.conf': site('/srv/media/') }, 'deploy/site.nginx.conf.template');
    expect(both.info).toMatchObject({ role: 'template', source: 'path' });
    expect(both.findings.filter((f) => f.severity === 'high' || f.severity === 'medium')).toEqual([]);
    const alone = roleOf({ 'deploy/site.nginx.conf.template': site('${MEDIA_PATH}') }, 'deploy/site.nginx.conf.template');
    expect(alone.info.role).toBe('production');
    expect(alone.findings.find((f) => f.ruleId === 'nginx/http-not-redirected')?.severity).toBe('high');
  });

  it('the deployed one stays production, and a file it includes is not guessed', () => {
    const files = {
      'deploy/nginx/site.conf': `${SITE('app.example.com').replace('location /', 'include /etc/nginx/snippets/app.conf;\n    location /x')}`,
      'deploy/nginx/snippets/app.conf': 'location / { proxy_pass http://web:8000; }\n',
      'docker-compose.yml': 'services:\n  nginx:\n    image: nginx:1.27\n    volumes:\n      - ./deploy/nginx/site.conf:/etc/nginx/conf.d/default.conf\n      - ./deploy/nginx/snippets:/etc/nginx/snippets\n',
    };
    expect(roleOf(files, 'deploy/nginx/site.conf').info.role).toBe('production');
    expect(roleOf(files, 'deploy/nginx/snippets/app.conf').info.source).not.toBe('guess');
  });

  it('without any deployed nginx nothing is guessed (a repository of bare site files)', () => {
    const { info } = roleOf({ 'sites/a.conf': SITE('a.example.com'), 'sites/b.conf': SITE('b.example.com') }, 'sites/b.conf');
    expect(info).toMatchObject({ role: 'production', source: 'default' });
  });

  it('a deployment by a development compose does not make the other configs examples', () => {
    const { info } = roleOf(
      {
        'nginx/dev.conf': SITE('localhost'),
        'nginx/prod.conf': SITE('app.example.com'),
        'docker-compose.dev.yml': 'services:\n  nginx:\n    image: nginx\n    volumes:\n      - ./nginx/dev.conf:/etc/nginx/conf.d/default.conf\n',
      },
      'nginx/prod.conf',
    );
    expect(info.role).toBe('production');
  });
});

describe('a compose file that is a development setup', () => {
  const COMPOSE = (web: string) =>
    `services:\n  nginx:\n    image: nginx:1.27\n    ports: ["80:80"]\n    volumes:\n      - ./nginx:/etc/nginx/conf.d\n  web:\n    build: .\n${web}`;
  const files = (web: string) => ({ 'nginx/site.conf': SITE('app.example.com'), 'manage.py': '', Dockerfile: 'FROM python:3.12\n', 'docker-compose.yml': COMPOSE(web) });

  it.each([
    ['runs runserver', '    command: python manage.py runserver 0.0.0.0:8000\n', 'runs `runserver`'],
    ['runs a reloader', '    command: gunicorn proj.wsgi --reload\n', 'runs `--reload`'],
    ['sets DEBUG on', '    command: gunicorn proj.wsgi\n    environment:\n      DJANGO_DEBUG: "1"\n', 'sets DJANGO_DEBUG=1'],
    ['mounts the source tree', '    command: gunicorn proj.wsgi\n    volumes:\n      - .:/app\n', 'mounts the source tree (`.`)'],
  ])('%s: what it mounts is development', (_how, web, why) => {
    const { info, findings } = roleOf(files(web), 'nginx/site.conf');
    expect(info.role).toBe('development');
    expect(info.why).toContain(why);
    expect(findings.every((f) => f.severity === 'low' || f.severity === 'info')).toBe(true);
  });

  it('a production compose stays production', () => {
    expect(roleOf(files('    command: gunicorn proj.wsgi\n'), 'nginx/site.conf').info.role).toBe('production');
  });
});
