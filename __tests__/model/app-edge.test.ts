import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caddyFacts } from '../../src/model/edge';
import { analyse } from '../../src/engine/scan';
import { analyseFiles } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'rules', 'django');

function findingOf(dir: string, rule: string) {
  const { result } = analyse({ root: path.join(FIXTURES, dir), config: {} });
  return result.findings.filter((f) => f.ruleId === rule);
}

const SETTINGS = (extra: string) => `SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
${extra}
`;

describe("Django's redirect and HSTS follow where the repository shows TLS ends", () => {
  it('a TLS terminator shown without a redirect: medium, naming it', () => {
    const [f] = findingOf('ssl-redirect-off/caddy_redirects_disabled', 'django/ssl-redirect-off');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('HTTPS redirects turned off');
    const [t] = findingOf('ssl-redirect-off/traefik_no_redirect', 'django/ssl-redirect-off');
    expect(t.severity).toBe('medium');
    expect(t.message).toContain('Traefik routes to the app over TLS');
  });

  it('a front that redirects by itself: no finding', () => {
    expect(findingOf('ssl-redirect-off/caddy_redirects_ok', 'django/ssl-redirect-off')).toEqual([]);
    expect(findingOf('ssl-redirect-off/traefik_redirects_ok', 'django/ssl-redirect-off')).toEqual([]);
  });

  it("a Traefik static file with entry-point redirections only counts for the compose file's Traefik (trainerdex)", () => {
    const compose = 'services:\n  django:\n    build: ./django\n    command: gunicorn trainer.wsgi --bind 0.0.0.0:8000\n    ports:\n      - "8000:8000"\n    labels:\n      - traefik.http.routers.django.rule=Host(`trainer.acme.dev`)\n      - traefik.http.routers.django.tls=true\n  traefik:\n    image: traefik:v2.10\n    ports: ["80:80", "443:443"]\n';
    const toml = '[entryPoints.web]\n  address = ":80"\n  [entryPoints.web.http.redirections.entryPoint]\n    to = "websecure"\n    scheme = "https"\n[entryPoints.websecure]\n  address = ":443"\n';
    const files = { 'django/manage.py': '', 'django/trainer/__init__.py': '', 'django/trainer/settings.py': SETTINGS('SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True'), 'docker-compose.prod.yml': compose };
    const redirect = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.ruleId === 'django/ssl-redirect-off').map((f) => f.severity);
    // Traefik redirects; the app's own published port (`8000:8000`) still serves plain HTTP beside it: low.
    const beside = analyseFiles({ ...files, 'traefik.prod.toml': toml }).result.findings.filter((f) => f.ruleId === 'django/ssl-redirect-off');
    expect(beside.map((f) => f.severity)).toEqual(['low']);
    expect(beside[0].message).toContain('the TLS terminator in front redirects plain HTTP');
    expect(beside[0].message).toContain('publishes `8000:8000` on the host for gunicorn on `0.0.0.0:8000`');
    // Without it, the app's own published port keeps plain HTTP out of Traefik's redirect: medium, as before.
    expect(redirect(analyseFiles(files))).toEqual(['medium']);
    // Not published on the host: nothing reaches gunicorn but Traefik.
    expect(redirect(analyseFiles({ ...files, 'traefik.prod.toml': toml, 'docker-compose.prod.yml': compose.replace('    ports:\n      - "8000:8000"\n', '') }))).toEqual([]);
  });

  it("nginx-proxy built from a Dockerfile, whose `image:` only names the result, is the terminator (abelcastro.dev)", () => {
    const compose = 'services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi -b 0.0.0.0:8000\n    environment:\n      - VIRTUAL_HOST=shop.example\n      - LETSENCRYPT_HOST=shop.example\n  nginx-proxy:\n    build: ./compose/prod/nginx\n    image: shop_prod_nginx_proxy\n    ports: ["80:80", "443:443"]\n    volumes:\n      - certs:/etc/nginx/certs\n  acme:\n    image: nginxproxy/acme-companion\nvolumes:\n  certs:\n';
    const files = { 'manage.py': '', 'shop/__init__.py': '', 'shop/settings.py': SETTINGS('SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True'), 'docker-compose.prod.yml': compose };
    const redirect = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === 'django/ssl-redirect-off').map((x) => x.severity);
    expect(redirect(files)).toEqual([]);
    // An image it does not build is another program, named for nothing.
    expect(redirect({ ...files, 'docker-compose.prod.yml': compose.replace('    build: ./compose/prod/nginx\n', '') })).not.toEqual([]);
  });

  it('a repository without manage.py: the folder above the wsgi.py package is the project, so kube/ deploys it (as207960-billing)', () => {
    const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  tls:\n    - hosts: [shop.example]\n      secretName: shop-tls\n  rules:\n    - host: shop.example\n';
    const files = {
      'shop/__init__.py': '',
      'shop/settings.py': SETTINGS('SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True'),
      'shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      'kube/ingress.yaml': ingress,
    };
    const redirect = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === 'django/ssl-redirect-off').map((x) => x.message);
    expect(redirect(files).join(' ')).toContain('a Kubernetes Ingress terminates TLS (`tls:` at kube/ingress.yaml:6)');
    expect(redirect({ ...files, 'manage.py': '' }).join(' ')).toContain('a Kubernetes Ingress terminates TLS (`tls:` at kube/ingress.yaml:6)');
  });

  it("Heroku's router neither redirects nor adds HSTS: the app's own settings are the only place (kia-takatu)", () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      'shop/__init__.py': '',
      'shop/settings.py': SETTINGS('SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True'),
      'shop/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      Procfile: 'web: gunicorn shop.wsgi\n',
      'app.json': '{"name": "shop", "env": {"SECRET_KEY": {"generator": "secret"}}}\n',
    };
    const found = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === 'django/hsts-off' || x.ruleId === 'django/ssl-redirect-off').map((x) => `${x.ruleId} ${x.severity}`).sort();
    expect(found(files)).toEqual(['django/hsts-off high', 'django/ssl-redirect-off medium']);
    expect(analyseFiles(files).result.findings.find((x) => x.ruleId === 'django/hsts-off')!.message).toContain("Heroku's router terminates TLS (app.json) and neither redirects plain HTTP to HTTPS nor adds a Strict-Transport-Security header");
    // An nginx the dyno runs in front of the app may add both: the repository does not say.
    expect(found({ ...files, Procfile: 'web: bin/start-nginx gunicorn shop.wsgi\n' })).toEqual(['django/hsts-off low', 'django/ssl-redirect-off low']);
    // A Procfile alone names no platform (Dokku, Scalingo…): low, naming what to check.
    const { ['app.json']: _, ...procfileOnly } = files;
    expect(found(procfileOnly)).toEqual(['django/hsts-off low', 'django/ssl-redirect-off low']);
  });

  it("a Caddyfile nothing runs beside compose's Traefik is not the edge (gfbio)", () => {
    const compose = (traefik: string) => `services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/production/django/Dockerfile\n    command: gunicorn config.wsgi -b 0.0.0.0:5000\n${traefik}`;
    const files = {
      'manage.py': '',
      'config/__init__.py': '',
      'config/settings.py': SETTINGS('SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")'),
      'compose/production/django/Dockerfile': 'FROM python:3.12\n',
      'compose/production/caddy/Caddyfile': 'www.example.com {\n    proxy / django:5000 {\n        transparent\n    }\n}\n',
      'production.yml': compose('  traefik:\n    build:\n      context: .\n      dockerfile: ./compose/production/traefik/Dockerfile\n    ports: ["0.0.0.0:80:80", "0.0.0.0:443:443"]\n'),
    };
    const hsts = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === 'django/hsts-off').map((x) => x.message).join(' ');
    expect(hsts(files)).not.toContain('Caddy');
    // Run by a compose service, or alone beside the compose file (a Caddy on the host), it is.
    expect(hsts({ ...files, 'production.yml': compose('  caddy:\n    image: caddy:2\n    volumes: ["./compose/production/caddy/Caddyfile:/etc/caddy/Caddyfile"]\n    ports: ["443:443"]\n') })).toContain('Caddy proxies to the app');
    expect(hsts({ ...files, 'production.yml': compose('') })).toContain('Caddy proxies to the app');
  });

  it('a development nginx beside the production one says nothing about the edge (portfoliosite)', () => {
    const prod = 'server { listen 80; server_name shop.example; return 301 https://$host$request_uri; }\nserver {\n  listen 443 ssl;\n  server_name shop.example;\n  ssl_certificate /etc/ssl/a.pem;\n  ssl_certificate_key /etc/ssl/a.key;\n  location / { proxy_pass http://unix:/run/shop.sock; }\n}\n';
    const dev = 'server {\n  listen 80;\n  server_name localhost;\n  location / { proxy_pass http://unix:/run/shop.sock; }\n}\n';
    const files = {
      'manage.py': '',
      'shop/__init__.py': '',
      'shop/settings.py': SETTINGS('SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True'),
      'deploy/gunicorn.service': '[Service]\nExecStart=/srv/venv/bin/gunicorn --bind unix:/run/shop.sock shop.wsgi:application\n',
      'deploy/templates/shop.prod.conf.j2': prod,
      'deploy/templates/shop.dev.conf.j2': dev,
    };
    const redirect = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === 'django/ssl-redirect-off');
    expect(redirect(files)).toEqual([]);
    // With only the development one, it is not the production module's edge either (codicoop): low, without it.
    const { ['deploy/templates/shop.prod.conf.j2']: _, ...devOnly } = files;
    const only = redirect(devOnly);
    expect(only.map((x) => x.severity)).toEqual(['low']);
    expect(only[0].message).not.toContain('shop.dev.conf.j2');
    expect(only[0].message).toContain('the repository shows no TLS server or terminator of a production deployment');
  });

  it("an image's gunicorn published by the compose service that runs it, beside nginx's redirect: low (ipark)", () => {
    const nginx = 'events {}\nhttp {\n  server { listen 80; return 301 https://$host$request_uri; }\n  server {\n    listen 443 ssl;\n    server_name shop.example;\n    ssl_certificate /etc/ssl/a.pem;\n    ssl_certificate_key /etc/ssl/a.key;\n    add_header Strict-Transport-Security "max-age=63072000" always;\n    location / { proxy_pass http://web:8000; proxy_set_header X-Forwarded-Proto $scheme; }\n  }\n}\n';
    const files = {
      'manage.py': '',
      'shop/__init__.py': '',
      'shop/settings.py': SETTINGS('SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True'),
      'Dockerfile': 'FROM python:3.12\nCMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]\n',
      'nginx/Dockerfile': 'FROM nginx\nCOPY nginx.conf /etc/nginx/nginx.conf\n',
      'nginx/nginx.conf': nginx,
      'docker-compose.prod.yml': 'services:\n  nginx:\n    build: ./nginx\n    ports: ["80:80", "443:443"]\n  web:\n    build: .\n    ports:\n      - "8001:8000"\n',
    };
    const found = analyseFiles(files).result.findings.filter((f) => f.ruleId === 'django/ssl-redirect-off');
    expect(found.map((f) => f.severity)).toEqual(['low']);
    expect(found[0].message).toContain('nginx redirects plain HTTP to HTTPS, but compose service web publishes `8001:8000`');
    expect(found[0].hint).toContain('`127.0.0.1:8001:8000`');
    // A port other than the one gunicorn listens on reaches nothing.
    const other = analyseFiles({ ...files, 'docker-compose.prod.yml': files['docker-compose.prod.yml'].replace('8001:8000', '8001:9000') });
    expect(other.result.findings.filter((f) => f.ruleId === 'django/ssl-redirect-off')).toEqual([]);
  });

  it("fly.io's force_https is a redirect in front; whether it adds HSTS is not shown (prisonbookproject)", () => {
    const fly = (force: string) => `app = "shop"\n[http_service]\n  internal_port = 8000\n${force}`;
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      'shop/__init__.py': '',
      'shop/settings.py': SETTINGS('SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True'),
      Dockerfile: 'FROM python:3.12\nCOPY . /app\nCMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]\n',
    };
    const rules = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.ruleId === 'django/ssl-redirect-off' || f.ruleId === 'django/hsts-off').map((f) => `${f.ruleId} ${f.severity}`);
    const forced = analyseFiles({ ...files, 'fly.toml': fly('  force_https = true\n') });
    expect(rules(forced)).toEqual(['django/hsts-off low']);
    expect(forced.result.findings.find((f) => f.ruleId === 'django/hsts-off')?.message).toContain('`force_https = true` at fly.toml:4');
    expect(rules(analyseFiles({ ...files, 'fly.toml': fly('  force_https = false\n') }))).toEqual(['django/hsts-off low', 'django/ssl-redirect-off low']);
  });

  it('TLS ending where the repository does not show: low, naming the evidence and what to check', () => {
    const [f] = findingOf('ssl-redirect-off/platform_unknown_edge', 'django/ssl-redirect-off');
    expect(f.severity).toBe('low');
    expect(f.message).toMatch(/a platform runs it from Procfile:1/);
    expect(f.message).toContain('Check that the proxy or platform in front redirects HTTP to HTTPS');
    const [h] = findingOf('hsts-off/loopback_unknown_edge', 'django/hsts-off');
    expect(h.severity).toBe('low');
    expect(h.message).toContain('published on loopback only (`127.0.0.1:8000:8000` at docker-compose.yml:');
  });

  it('behind a proxy without SECURE_PROXY_SSL_HEADER, never advises SECURE_SSL_REDIRECT alone', () => {
    const [f] = findingOf('ssl-redirect-off/platform_unknown_edge', 'django/ssl-redirect-off');
    expect(f.hint).toContain('together with SECURE_PROXY_SSL_HEADER');
    expect(f.hint).toContain('redirects forever');
    const { result: { findings } } = analyseFiles({
      'proj/settings.py': SETTINGS('SECURE_SSL_REDIRECT = False\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\nSECURE_HSTS_SECONDS = 3600'),
      Procfile: 'web: gunicorn proj.wsgi\n',
    });
    const g = findings.find((x) => x.ruleId === 'django/ssl-redirect-off')!;
    expect(g.hint).toMatch(/^Set SECURE_SSL_REDIRECT = True \(SECURE_PROXY_SSL_HEADER is set/);
  });

  it('HSTS: high where a shown terminator adds none, nothing where it adds it', () => {
    const [f] = findingOf('hsts-off/caddy_no_header', 'django/hsts-off');
    expect(f.severity).toBe('high');
    expect(f.message).toContain('The TLS terminator in front adds none either: Caddy');
    expect(findingOf('hsts-off/caddy_header_ok', 'django/hsts-off')).toEqual([]);
    expect(findingOf('hsts-off/traefik_sts_ok', 'django/hsts-off')).toEqual([]);
  });

  it('a Traefik with no sign of TLS (empty traefik.toml, port 80 only) is no TLS terminator (bleemeo quote)', () => {
    const compose = (ports: string, extra = '') =>
      `services:\n  traefik:\n    image: traefik:1.7\n    command: --web --docker${extra}\n    ports: [${ports}]\n    volumes:\n      - /dev/null:/traefik.toml\n` +
      '  web:\n    build: .\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\n    labels:\n      - "traefik.frontend.rule=Host:quote.example.com"\n';
    const off = (c: string) => analyseFiles({ 'proj/settings.py': SETTINGS('SECURE_HSTS_SECONDS = 0'), 'docker-compose.yml': c }).result.findings.filter((x) => x.ruleId === 'django/hsts-off');
    const plain = off(compose('"80:80", "8080:8080"'));
    expect(plain.map((x) => x.severity)).toEqual(['low']);
    expect(plain[0].message).not.toMatch(/Traefik routes to the app over TLS/);
    // Port 443 published, or TLS in its configuration: Traefik is the TLS edge, and it adds no HSTS.
    expect(off(compose('"80:80", "443:443"')).map((x) => x.severity)).toEqual(['high']);
    expect(off(compose('"80:80"', ' --entryPoints="Name:https Address::443 TLS"')).map((x) => x.severity)).toEqual(['high']);
  });

  it('the cookie rules stay high wherever TLS ends', () => {
    const { result: { findings } } = analyseFiles({ 'proj/settings.py': SETTINGS('SECURE_HSTS_SECONDS = 0'), Procfile: 'web: gunicorn proj.wsgi\n' });
    expect(findings.find((x) => x.ruleId === 'django/session-cookie-insecure')?.severity).toBe('high');
    expect(findings.find((x) => x.ruleId === 'django/hsts-off')?.severity).toBe('low');
  });

  it('a terminator in an example file or another project is not the edge of this app', () => {
    const { result: { findings } } = analyseFiles({
      'shop/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      'shop/shop/settings.py': SETTINGS('SECURE_HSTS_SECONDS = 0'),
      'blog/manage.py': '',
      'blog/Caddyfile': 'blog.example.com {\n\treverse_proxy blog:8000\n}\n',
      'examples/Caddyfile': 'shop.example.com {\n\treverse_proxy shop:8000\n}\n',
    });
    expect(findings.find((x) => x.ruleId === 'django/hsts-off')?.severity).toBe('low');
  });
});

describe('caddyFacts', () => {
  it.each([
    ['example.com {\n  reverse_proxy app:8000\n}\n', { redirects: true, hsts: false, plainOnly: false, peer: 'remote' }],
    ['{\n  auto_https off\n}\nexample.com {\n  reverse_proxy app:8000\n}\n', { redirects: false, hsts: false, plainOnly: false, peer: 'remote' }],
    ['http://example.com, :80 {\n  reverse_proxy app:8000\n}\n', { redirects: true, hsts: false, plainOnly: true, peer: 'remote' }],
    ['{$DOMAIN} {\n  header {\n    Strict-Transport-Security "max-age=31536000"\n  }\n  reverse_proxy app:8000\n}\n', { redirects: true, hsts: true, plainOnly: false, peer: 'remote' }],
    // Where the upstreams are, as the app server sees Caddy: the same machine, or not known.
    ['example.com {\n  reverse_proxy 127.0.0.1:8000 localhost:8001\n}\n', { redirects: true, hsts: false, plainOnly: false, peer: 'local' }],
    ['example.com {\n  reverse_proxy unix//run/app.sock\n}\n', { redirects: true, hsts: false, plainOnly: false, peer: 'local' }],
    ['example.com {\n  reverse_proxy {$APP_UPSTREAM}\n}\n', { redirects: true, hsts: false, plainOnly: false, peer: 'unknown' }],
    ['example.com {\n  reverse_proxy /api/* app:8000\n  reverse_proxy 127.0.0.1:3000\n}\n', { redirects: true, hsts: false, plainOnly: false, peer: 'unknown' }],
    // The block form names its upstreams on `to` lines (aaiss); Caddy 1's `proxy` sends no scheme unless told.
    ['example.com {\n  reverse_proxy @backend {\n    to backend:6446\n    header_up Host {host}\n  }\n}\n', { redirects: true, hsts: false, plainOnly: false, peer: 'remote' }],
    ['example.com {\n  proxy / django:5000 {\n    header_upstream Host {host}\n  }\n}\n', { redirects: true, hsts: false, plainOnly: false, peer: 'unknown' }],
  ])('reads %j', (text, expected) => {
    expect(caddyFacts(text)).toEqual(expected);
  });
});

describe('nginx/hsts-missing with an include it cannot read', () => {
  const hsts = (file: string) => {
    const { result } = analyse({ root: path.join(__dirname, '..', 'rules', 'nginx', 'hsts-missing'), paths: [file], config: {} });
    return result.findings.filter((f) => f.ruleId === 'nginx/hsts-missing');
  };

  it('is low, naming the include, when one sits where it could add the header to every lacking end point', () => {
    const [f] = hsts('include_could_add_it.conf');
    expect(f.severity).toBe('low');
    expect(f.message).toContain('include_could_add_it.conf:8');
    expect(f.message).toContain('whether it is sent cannot be known here');
  });

  it('stays a finding where some end point lacks it for certain', () => {
    const [f] = hsts('include_cannot_reach.conf');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('may add it');
  });

  it("does not count certbot's options file, which holds TLS settings only (greenweb)", () => {
    const [f] = hsts('certbot_options_only.conf');
    expect(f.severity).toBe('high');
    expect(f.message).not.toContain('not in the workspace');
  });
});

describe('nginx/uwsgi-forwarded-proto-spoofable severity', () => {
  const dir = path.join(__dirname, '..', 'rules', 'nginx', 'uwsgi-forwarded-proto-spoofable');
  const sev = (root: string, paths?: string[]) =>
    analyse({ root, paths, config: {} }).result.findings.filter((f) => f.ruleId === 'nginx/uwsgi-forwarded-proto-spoofable').map((f) => f.severity);

  it('is medium beside a TLS listener, and low where the Django behind has SECURE_SSL_REDIRECT off (hamwan-portal)', () => {
    expect(sev(dir, ['plain_and_tls.conf'])).toEqual(['medium']);
    expect(sev(path.join(dir, 'no_redirect_low'))).toEqual(['low']);
  });
});

describe('nginx/certificate-without-tls-listener message', () => {
  const conf = (body: string) => `server {\n    listen 443;\n    server_name shop.example.com;\n    ssl_certificate /etc/ssl/shop.pem;\n    ssl_certificate_key /etc/ssl/shop.key;\n    ${body}\n}\n`;
  const message = (body: string) => analyseFiles({ 'nginx/site.conf': conf(body) }).result.findings.find((f) => f.ruleId === 'nginx/certificate-without-tls-listener' || (f.related ?? []).some((r) => r.message?.startsWith('nginx/certificate-without-tls-listener: ')));
  it('says what travels in clear: the app, or only files', () => {
    const app = message('location / { proxy_pass http://127.0.0.1:8000; }');
    expect(JSON.stringify(app)).toContain('https:// clients on port 443 fail the TLS handshake');
    const files = analyseFiles({ 'nginx/site.conf': conf('location / { root /srv/www; }').replace('listen 443;', 'listen 8443;') }).result.findings;
    const text = JSON.stringify(files);
    expect(text).toContain('gets these files in clear');
    expect(text).not.toContain('cookies included');
  });
});
