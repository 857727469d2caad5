import { describe, expect, it } from 'vitest';
import { appsBehind, parseBind, parsePassTarget } from '../../src/model/links';
import { passDirective } from '../../src/model/nginx';
import type { NginxDirective } from '../../src/parsers/nginx/types';
import { analyseFiles } from './helpers';

const SETTINGS = (hsts: number) => `
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_HSTS_SECONDS = ${hsts}
`;
const WSGI = (mod: string) => `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${mod}")\n`;

/** Two Django apps in one repository, each behind its own nginx site. */
const MONOREPO: Record<string, string> = {
  'docker-compose.yml': `services:
  shop:
    build: ./shop
    command: gunicorn shop.wsgi:application --bind 0.0.0.0:8000
    environment:
      DJANGO_SETTINGS_MODULE: shop.settings
  blog:
    build: ./blog
    command: uwsgi --socket :8001 --module blog.wsgi
    environment:
      DJANGO_SETTINGS_MODULE: blog.settings
  web:
    image: nginx:1.27
    ports: ["80:80", "443:443"]
    volumes:
      - ./nginx:/etc/nginx/conf.d:ro
`,
  'shop/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\n',
  'shop/shop/settings.py': SETTINGS(31536000),
  'shop/shop/wsgi.py': WSGI('shop.settings'),
  'blog/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\n',
  'blog/blog/settings.py': SETTINGS(0),
  'blog/blog/wsgi.py': WSGI('blog.settings'),
  'nginx/shop.conf': `server {
    listen 443 ssl;
    server_name shop.example.com;
    location / { proxy_pass http://shop:8000; }
}
`,
  'nginx/blog.conf': `upstream blog_app { server blog:8001; }
server {
    listen 443 ssl;
    server_name blog.example.com;
    location / { uwsgi_pass blog_app; include uwsgi_params; }
    location /other/ { set $up "unknown:9"; proxy_pass http://$up; }
}
`,
};

function site(model: ReturnType<typeof analyseFiles>['model'], name: string, loc = '/') {
  const server = model.nginx.servers.find((s) => s.names.includes(name))!;
  const block = server.locations.find((l) => l.name === 'location' && l.args[0]?.value === loc) as NginxDirective;
  return appsBehind(model, server, block, passDirective(block));
}

describe('links: nginx location → upstream → app server → settings module', () => {
  it('links each site of a monorepo to its own app', () => {
    const { model } = analyseFiles(MONOREPO);
    expect(model.settings.map((s) => s.path).sort()).toEqual(['blog/blog/settings.py', 'shop/shop/settings.py']);
    const shop = site(model, 'shop.example.com');
    expect(shop.fallback).toBeUndefined();
    expect(shop.settings.map((s) => s.path)).toEqual(['shop/shop/settings.py']);
    expect(shop.via.join(' → ')).toContain('compose service shop port 8000');
    const blog = site(model, 'blog.example.com');
    expect(blog.fallback).toBeUndefined();
    expect(blog.settings.map((s) => s.path)).toEqual(['blog/blog/settings.py']);
    expect(blog.via.join(' → ')).toContain('upstream blog_app');
  });

  it('falls back to every judged module, with the reason, when a link cannot be followed', () => {
    const { model } = analyseFiles(MONOREPO);
    const other = site(model, 'blog.example.com', '/other/');
    expect(other.fallback).toMatch(/no app server the entry points start listens on unknown:9/);
    expect(other.settings).toHaveLength(2);
  });

  it('falls back when no entry point starts an app server', () => {
    const { model } = analyseFiles({
      'proj/settings.py': SETTINGS(0),
      'nginx.conf': 'server { listen 443 ssl; server_name a.example; location / { proxy_pass http://127.0.0.1:8000; } }\n',
    });
    const a = site(model, 'a.example');
    expect(a.fallback).toMatch(/no entry point/);
    expect(a.settings.map((s) => s.path)).toEqual(['proj/settings.py']);
  });

  it('links a unix socket and a loopback port published by compose', () => {
    const { model } = analyseFiles({
      'deploy/gunicorn.service': '[Service]\nEnvironment=DJANGO_SETTINGS_MODULE=proj.settings\nExecStart=/venv/bin/gunicorn --bind unix:/run/gunicorn.sock proj.wsgi\n',
      'proj/settings.py': SETTINGS(0),
      'proj/wsgi.py': WSGI('proj.settings'),
      'nginx.conf': 'server { listen 443 ssl; server_name a.example; location / { proxy_pass http://unix:/run/gunicorn.sock:/; } }\n',
    });
    const a = site(model, 'a.example');
    expect(a.fallback).toBeUndefined();
    expect(a.settings.map((s) => s.path)).toEqual(['proj/settings.py']);
    expect(a.via.join(' ')).toContain('socket /run/gunicorn.sock');
  });

  it("links through systemd socket activation: gunicorn listens on the .socket unit's address, not its own bind (cerebro)", () => {
    const files = {
      'deploy/shop.service': '[Service]\nEnvironment=DJANGO_SETTINGS_MODULE=shop.settings\nExecStart=/venv/bin/gunicorn --bind unix:/run/old.sock shop.wsgi\n',
      'deploy/shop.socket': '[Socket]\nListenStream=/run/shop.sock\n',
      'deploy/blog.service': '[Service]\nEnvironment=DJANGO_SETTINGS_MODULE=blog.settings\nExecStart=/venv/bin/gunicorn blog.wsgi\n',
      'deploy/blog-http.socket': '[Socket]\nListenStream=127.0.0.1:8001\nService=blog.service\n',
      'shop/settings.py': SETTINGS(0),
      'shop/wsgi.py': WSGI('shop.settings'),
      'blog/settings.py': SETTINGS(0),
      'blog/wsgi.py': WSGI('blog.settings'),
      'nginx.conf':
        'server { listen 443 ssl; server_name a.example; location / { proxy_pass http://unix:/run/shop.sock:/; } }\n' +
        'server { listen 443 ssl; server_name b.example; location / { proxy_pass http://127.0.0.1:8001; } }\n',
    };
    const { model } = analyseFiles(files);
    const a = site(model, 'a.example');
    expect(a.fallback).toBeUndefined();
    expect(a.settings.map((s) => s.path)).toEqual(['shop/settings.py']);
    const b = site(model, 'b.example');
    expect(b.fallback).toBeUndefined();
    expect(b.settings.map((s) => s.path)).toEqual(['blog/settings.py']);
    // Without the socket units, gunicorn's own binds hold: /run/old.sock and 127.0.0.1:8000 are not what nginx names.
    const { ['deploy/shop.socket']: _s, ['deploy/blog-http.socket']: _b, ...plain } = files;
    expect(site(analyseFiles(plain).model, 'b.example').settings.map((s) => s.path)).not.toEqual(['blog/settings.py']);
  });

  it("says when the missing module is the WSGI module's default, not one the entry point names (cerebro)", () => {
    const { model } = analyseFiles({
      'deploy/shop.service': '[Service]\nExecStart=/venv/bin/gunicorn --bind unix:/run/shop.sock core.wsgi\n',
      'src/core/settings.py': SETTINGS(0),
      'src/core/wsgi.py': WSGI('shop.settings'),
      'nginx.conf': 'server { listen 443 ssl; server_name a.example; location / { proxy_pass http://unix:/run/shop.sock:/; } }\n',
    });
    const a = site(model, 'a.example');
    expect(a.fallback).toContain('runs the default of its WSGI module, shop.settings (src/core/wsgi.py:2), which is not in the workspace');
    expect(a.fallback).not.toContain('names shop.settings');
  });

  it('links a loopback port to the compose service that publishes it', () => {
    const { model } = analyseFiles({
      'docker-compose.yml': 'services:\n  app:\n    build: .\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\n    ports: ["127.0.0.1:8001:8000"]\n  other:\n    build: .\n    command: gunicorn other.wsgi -b 0.0.0.0:8001\n',
      'proj/settings.py': SETTINGS(0),
      'proj/wsgi.py': WSGI('proj.settings'),
      'other/settings.py': SETTINGS(0),
      'other/wsgi.py': WSGI('other.settings'),
      'nginx.conf': 'server { listen 443 ssl; server_name a.example; location / { proxy_pass http://127.0.0.1:8001; } }\n',
    });
    const a = site(model, 'a.example');
    expect(a.fallback).toBeUndefined();
    expect(a.settings.map((s) => s.path)).toEqual(['proj/settings.py']);
  });

  it('takes a loopback port where no app server listens for another program, when every app server is placed (feelriyadh)', () => {
    const files = {
      'deploy/gunicorn.service': '[Service]\nExecStart=/srv/venv/bin/gunicorn --bind unix:/run/app/gunicorn.sock proj.wsgi:application\n',
      'proj/settings.py': SETTINGS(0),
      'proj/wsgi.py': WSGI('proj.settings'),
      'deploy/front.conf': 'server { listen 80; server_name a.example; location / { proxy_pass http://127.0.0.1:3000; } }\n',
    };
    const front = site(analyseFiles(files).model, 'a.example');
    expect(front.fallback).toBeUndefined();
    expect(front.settings).toEqual([]);
    expect(front.via.join(' ')).toContain('127.0.0.1:3000: every app server the entry points start listens elsewhere');
    // An app server whose address is not known may be the one on that port.
    files['deploy/gunicorn.service'] = files['deploy/gunicorn.service'].replace('--bind unix:/run/app/gunicorn.sock', '--bind 127.0.0.1:$PORT');
    expect(site(analyseFiles(files).model, 'a.example').fallback).toBeDefined();
  });

  it("does not take loopback port 8000, every Python app server's default, for another program (greatideas)", () => {
    const files = {
      'deploy/gunicorn.service': '[Service]\nExecStart=/srv/venv/bin/gunicorn --bind unix:/run/app/gunicorn.sock proj.wsgi:application\n',
      'proj/settings.py': SETTINGS(0),
      'proj/wsgi.py': WSGI('proj.settings'),
      'deploy/site.conf': 'server { listen 443 ssl; server_name a.example; location / { proxy_pass http://127.0.0.1:8000; } }\n',
    };
    const a = site(analyseFiles(files).model, 'a.example');
    expect(a.fallback).toContain('no app server the entry points start listens on 127.0.0.1:8000');
    expect(a.settings.map((s) => s.path)).toEqual(['proj/settings.py']);
  });

  it('takes an https:// public host name for a site on the internet, not the app (checkin_system)', () => {
    const files = {
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: uwsgi --http-socket :8000 --module proj.wsgi\n  nginx:\n    image: nginx\n    ports: ["80:80"]\n',
      'proj/settings.py': SETTINGS(0),
      'proj/wsgi.py': WSGI('proj.settings'),
      'nginx.conf': 'server { listen 80; server_name a.example; location / { proxy_pass https://www.google.com.tw; } location /api/ { proxy_pass http://web:8000; } }\n',
    };
    const { model } = analyseFiles(files);
    const server = model.nginx.servers.find((x) => x.names.includes('a.example'))!;
    const root = server.block.block!.find((d) => d.name === 'location' && d.args[0]?.value === '/')!;
    const out = appsBehind(model, server, root);
    expect(out.fallback).toBeUndefined();
    expect(out.settings).toEqual([]);
    expect(out.via.join(' ')).toContain('www.google.com.tw:443: a site on the internet');
    // A name of the compose network, or an internal one, is not.
    for (const host of ['web.internal:8443', 'api.svc.cluster.local']) {
      const other = analyseFiles({ ...files, 'nginx.conf': files['nginx.conf'].replace('www.google.com.tw', host) });
      const srv = other.model.nginx.servers.find((x) => x.names.includes('a.example'))!;
      expect(appsBehind(other.model, srv, srv.block.block!.find((d) => d.name === 'location' && d.args[0]?.value === '/')!).fallback).toBeDefined();
    }
  });

  it('links an image-only compose service to the app server its Dockerfile starts, and no other service to Django', () => {
    // As taigaio/taiga-docker: the services name images; the back end's Dockerfile starts gunicorn on 8000.
    const files = {
      'docker-compose.yml': 'services:\n  back:\n    image: example/back\n  front:\n    image: example/front\n  events:\n    image: example/events\n  gateway:\n    image: nginx\n    ports: ["9000:80"]\n',
      'back/docker/Dockerfile': 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]\n',
      'back/proj/settings.py': SETTINGS(0),
      'back/proj/wsgi.py': WSGI('proj.settings'),
      'nginx.conf': 'server { listen 80; server_name a.example;\n location / { proxy_pass http://front/; }\n location /api/ { proxy_pass http://back:8000/api/; }\n location /events { proxy_pass http://events:8888; }\n location /x/ { proxy_pass http://missing:7000; }\n}\n',
    };
    const { model } = analyseFiles(files);
    const api = site(model, 'a.example', '/api/');
    expect(api.fallback).toBeUndefined();
    expect(api.settings.map((s) => s.path)).toEqual(['back/proj/settings.py']);
    for (const loc of ['/', '/events']) {
      const other = site(model, 'a.example', loc);
      expect(other.fallback).toBeUndefined();
      expect(other.settings).toEqual([]);
      expect(other.via.join(' ')).toMatch(/runs no app server on that port/);
    }
    // A host the compose file does not define is not known to be anything else.
    expect(site(model, 'a.example', '/x/').fallback).toMatch(/no app server the entry points start listens on missing:7000/);
    // An app server whose port is not known may be behind any of them.
    files['back/docker/Dockerfile'] = files['back/docker/Dockerfile'].replace('0.0.0.0:8000', '0.0.0.0:$PORT');
    const unknown = site(analyseFiles(files).model, 'a.example', '/');
    expect(unknown.fallback).toBeDefined();
    expect(unknown.settings).toHaveLength(1);
  });

  it('takes a compose service running another image than the Django services for another program (Plane)', () => {
    // No entry point in the repository starts the app server (a script inside the image does), but the migration
    // service shows which image holds Django.
    const files = {
      'docker-compose.yml': 'services:\n  web:\n    image: example/frontend:1\n    command: node web/server.js\n  api:\n    image: example/backend:1\n    command: ./bin/takeoff\n  migrator:\n    image: example/backend:1\n    command: python manage.py migrate\n  minio:\n    image: minio/minio\n',
      'apiserver/proj/settings.py': SETTINGS(0),
      'nginx.conf': 'server { listen 80; server_name a.example;\n location / { proxy_pass http://web:3000/; }\n location /api/ { proxy_pass http://api:8000/api/; }\n location /uploads/ { proxy_pass http://minio:9000/; }\n}\n',
    };
    const { model } = analyseFiles(files);
    for (const loc of ['/', '/uploads/']) {
      const other = site(model, 'a.example', loc);
      expect(other.settings).toEqual([]);
      expect(other.via.join(' ')).toMatch(/not the image the Django services run \(example\/backend:1\)/);
    }
    expect(site(model, 'a.example', '/api/').settings.map((s) => s.path)).toEqual(['apiserver/proj/settings.py']);
    // Without a service that shows which image runs Django, nothing is known about the others.
    const unknown = analyseFiles({ ...files, 'docker-compose.yml': files['docker-compose.yml'].replace('python manage.py migrate', './bin/migrate') }).model;
    expect(site(unknown, 'a.example', '/').fallback).toMatch(/no entry point/);
  });

  it('reaches services by container_name, and finds a start script in the build context (Plane without its Dockerfiles)', () => {
    const files = {
      'docker-compose.yml':
        'services:\n  plane-web:\n    container_name: planefrontend\n    build:\n      context: .\n      dockerfile: ./web/Dockerfile.web\n    command: node web/server.js\n' +
        '  plane-api:\n    container_name: planebackend\n    build:\n      context: ./apiserver\n    command: ./bin/takeoff\n',
      'apiserver/bin/takeoff': '#!/bin/bash\npython manage.py migrate\nexec gunicorn -w 4 plane.wsgi:application --bind 0.0.0.0:8000\n',
      'apiserver/manage.py': '',
      'apiserver/plane/settings.py': SETTINGS(0),
      'nginx.conf': 'server { listen 80; server_name a.example;\n location / { proxy_pass http://planefrontend:3000/; }\n location /api/ { proxy_pass http://planebackend:8000/api/; }\n}\n',
    };
    const { model } = analyseFiles(files);
    expect(model.deploy?.apps.map((a) => `${a.unit.name} ${a.inv.server}`)).toEqual(['compose service plane-api gunicorn']);
    expect(site(model, 'a.example', '/api/').settings.map((s) => s.path)).toEqual(['apiserver/plane/settings.py']);
    expect(site(model, 'a.example', '/').settings).toEqual([]);
  });

  it('reads binds and pass targets as gunicorn, uwsgi and nginx write them', () => {
    expect(parseBind('0.0.0.0:8000')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 8000 });
    expect(parseBind('socket=:3031')).toEqual({ kind: 'tcp', host: '', port: 3031 });
    expect(parseBind('https=:443,cert.pem,key.pem')).toEqual({ kind: 'tcp', host: '', port: 443 });
    expect(parseBind('unix:/run/app.sock')).toEqual({ kind: 'unix', path: '/run/app.sock' });
    // gunicorn strips `unix://` as it does `unix:` (MuckRock's `bind = 'unix:///tmp/nginx.socket'`).
    expect(parseBind('unix:///tmp/nginx.socket')).toEqual({ kind: 'unix', path: '/tmp/nginx.socket' });
    expect(parseBind('socket=/tmp/app.sock')).toEqual({ kind: 'unix', path: '/tmp/app.sock' });
    expect(parseBind('0.0.0.0:$PORT')).toBeUndefined();
    const pass = (name: string) => ({ name, args: [] }) as unknown as NginxDirective;
    expect(parsePassTarget(pass('proxy_pass'), 'http://unix:/run/a.sock:/api/')).toEqual({ addr: { kind: 'unix', path: '/run/a.sock' } });
    expect(parsePassTarget(pass('uwsgi_pass'), 'unix:/tmp/a.sock')).toEqual({ addr: { kind: 'unix', path: '/tmp/a.sock' } });
    expect(parsePassTarget(pass('uwsgi_pass'), 'unix:///tmp/a.sock')).toEqual({ addr: { kind: 'unix', path: '/tmp/a.sock' } });
    expect(parsePassTarget(pass('uwsgi_pass'), 'suwsgi://app:3031')?.addr).toEqual({ kind: 'tcp', host: 'app', port: 3031 });
    expect(parsePassTarget(pass('proxy_pass'), 'http://app')).toEqual({ upstream: 'app', addr: { kind: 'tcp', host: 'app', port: 80 } });
    expect(parsePassTarget(pass('uwsgi_pass'), 'app')).toEqual({ upstream: 'app', addr: undefined });
    expect(parsePassTarget(pass('grpc_pass'), 'grpc://[::1]:50051')?.addr).toEqual({ kind: 'tcp', host: '[::1]', port: 50051 });
    // A template placeholder alone names an upstream; a real variable, or a placeholder with more, stays unknown.
    expect(parsePassTarget(pass('proxy_pass'), 'http://$__domain___')).toEqual({ upstream: '$__domain___' });
    expect(parsePassTarget(pass('proxy_pass'), 'http://$backend')).toBeUndefined();
    expect(parsePassTarget(pass('proxy_pass'), 'http://$__domain___:8000')).toBeUndefined();
  });

  it('follows a pass to an upstream written with the same template placeholder (greenweb)', () => {
    const files = {
      'proj/settings.py': SETTINGS(0),
      'proj/wsgi.py': WSGI('proj.settings'),
      'Procfile': 'web: gunicorn proj.wsgi --bind 127.0.0.1:8000\n',
      'deploy/nginx.conf.j2': 'upstream {{ domain }} {\n    server 127.0.0.1:8000;\n}\nserver {\n    listen 443 ssl;\n    server_name {{ domain }}.example.org;\n    location / {\n        proxy_pass http://{{ domain }};\n    }\n}\n',
    };
    const { model } = analyseFiles(files);
    const server = model.nginx.servers[0];
    const location = server.locations[0];
    const apps = appsBehind(model, server, location);
    expect(apps.fallback).toBeUndefined();
    expect(apps.settings.map((s) => s.path)).toEqual(['proj/settings.py']);
  });
});

describe('links in findings', () => {
  it('names the fallback and its reason where a link cannot be followed', async () => {
    const path = await import('node:path');
    const { analyse } = await import('../../src/engine/scan');
    const root = path.join(__dirname, '../rules/nginx/hsts-duplicated/monorepo_unresolved');
    const { result } = analyse({ root, config: {} });
    const dup = result.findings.filter((f) => f.ruleId === 'nginx/hsts-duplicated');
    const blog = dup.find((f) => f.path === 'nginx/blog.conf');
    const shop = dup.find((f) => f.path === 'nginx/shop.conf');
    expect(blog?.message).toMatch(/which app is behind it is not known.*no app server the entry points start listens on blog:9999/);
    expect(shop?.message).not.toMatch(/not known/);
  });
});

describe('the redirect loop is that of the app behind the pass', () => {
  it('does not call a uwsgi pass a loop because another app redirects', async () => {
    const path = await import('node:path');
    const { analyse } = await import('../../src/engine/scan');
    const root = path.join(__dirname, '../rules/nginx/uwsgi-https-missing/monorepo_per_app');
    const { result } = analyse({ root, config: {} });
    const f = result.findings.find((x) => x.ruleId === 'nginx/uwsgi-https-missing');
    expect(f?.severity).toBe('medium');
    expect(f?.message).not.toMatch(/redirect loop/);
  });
});

describe('links prefer production app servers', () => {
  it('does not let a development runserver on the same port break the link', () => {
    const { model } = analyseFiles({
      'docker-compose.yml': 'services:\n  app:\n    build: .\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n',
      'docker-compose.dev.yml': 'services:\n  app:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000 --settings proj.dev_settings\n',
      'proj/settings.py': SETTINGS(0),
      'proj/dev_settings.py': SETTINGS(0),
      'proj/wsgi.py': WSGI('proj.settings'),
      'nginx.conf': 'server { listen 443 ssl; server_name a.example; location / { proxy_pass http://127.0.0.1:8000; } }\n',
    });
    const a = site(model, 'a.example');
    expect(a.fallback).toBeUndefined();
    expect(a.settings.map((s) => s.path)).toEqual(['proj/settings.py']);
  });

  it('falls back on an upstream too large to follow', () => {
    const servers = Array.from({ length: 65 }, (_, i) => `server 10.0.0.${i % 250}:8000;`).join(' ');
    const { model } = analyseFiles({
      'deploy/app.service': '[Service]\nExecStart=gunicorn proj.wsgi -b 0.0.0.0:8000\n',
      'proj/settings.py': SETTINGS(0),
      'proj/wsgi.py': WSGI('proj.settings'),
      'nginx.conf': `upstream big { ${servers} }\nserver { listen 443 ssl; server_name a.example; location / { proxy_pass http://big; } }\n`,
    });
    expect(site(model, 'a.example').fallback).toMatch(/more than 64 servers/);
  });
});
