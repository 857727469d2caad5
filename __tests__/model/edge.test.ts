import { describe, expect, it } from 'vitest';
import { isPrivateAddress, tlsEdge } from '../../src/model/edge';
import { analyseFiles } from './helpers';

const PLAIN = (listen = '80', name = 'app.example.com') => `server {
    listen ${listen};
    server_name ${name};
    location / { proxy_pass http://app:8000; }
}
`;

function edgeOf(files: Record<string, string>) {
  const { model, result } = analyseFiles(files);
  const server = model.nginx.servers.find((s) => !s.tls)!;
  return { edge: tlsEdge(model, server), result };
}

describe('the TLS edge', () => {
  it('is this nginx when a server of the same nginx listens with TLS', () => {
    const { edge } = edgeOf({
      'nginx.conf': `events {}\nhttp {\n${PLAIN('8080')}server { listen 443 ssl; server_name app.example.com; }\n}\n`,
    });
    expect(edge.where).toBe('nginx');
    expect(edge.evidence[0].text).toContain('listen 443 ssl');
  });

  it('is in front of a server that admits only private networks, even beside a TLS server (Blender Studio)', () => {
    const tls = 'server { listen 443 ssl; server_name app.example.com; ssl_certificate a.pem; ssl_certificate_key a.key; location / { proxy_pass http://app:8000; } }\n';
    const closed = (access: string, loc = '') => `server {\n    listen 80;\n    server_name app.example.com;\n    ${access}\n    location / { ${loc} proxy_pass http://app:8000; }\n}\n`;
    const run = (access: string, loc = '') => edgeOf({ 'nginx.conf': `events {}\nhttp {\n${closed(access, loc)}${tls}}\n` });
    const { edge, result } = run('allow 10.129.0.0/16;\n    allow 127.0.0.1;\n    deny all;');
    expect(edge.where).toBe('front');
    expect(edge.evidence[0].text).toContain('admits only private network addresses (`allow 10.129.0.0/16` … `deny all` at nginx.conf:');
    expect(result.findings.filter((f) => f.ruleId === 'nginx/http-not-redirected')).toEqual([]);
    // A public address, no `deny all`, or a location that opens its own list: the edge is this nginx.
    expect(run('allow 10.0.0.0/8;\n    allow 203.0.113.5;\n    deny all;').edge.where).toBe('nginx');
    expect(run('allow 10.0.0.0/8;').edge.where).toBe('nginx');
    expect(run('allow 10.0.0.0/8;\n    deny all;', 'allow all;').edge.where).toBe('nginx');
    expect(run('allow 10.0.0.0/8;\n    deny all;', 'allow 192.168.0.0/24; deny all;').edge.where).toBe('front');
  });

  it('knows private addresses and networks', () => {
    for (const a of ['10.0.0.0/8', '10.1.2.3', '172.16.0.0/12', '172.31.255.1', '192.168.1.0/24', '127.0.0.1', '::1', 'fd00::/8', 'fe80::/10', 'unix:']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['0.0.0.0/0', '10.0.0.0/7', '172.32.0.1', '172.16.0.0/11', '192.169.0.1', '8.8.8.8', '::/0', '2001:db8::/32', 'all', 'fc00::/6']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('counts site files of one folder as one nginx, unless they cannot be loaded together', () => {
    const tlsSite = `server {\n    listen 4443 ssl;\n    ssl_certificate a.pem;\n    ssl_certificate_key a.key;\n    location / { proxy_pass http://app:8000; }\n}\nserver {\n    listen 8080 default_server;\n    return 301 https://$host$request_uri;\n}\n`;
    // Side by side (sites-enabled/): the TLS listener of the other file is this nginx's.
    expect(edgeOf({ 'etc/nginx/plain.conf': PLAIN('8081'), 'etc/nginx/ssl.conf': tlsSite }).edge.where).toBe('nginx');
    // Both make a default_server of :8080 (nginx -t refuses that): alternatives a script picks from (Weblate).
    const { edge, result } = edgeOf({ 'etc/nginx/default.conf': PLAIN('8080 default_server'), 'etc/nginx/ssl.conf': tlsSite });
    expect(edge.where).not.toBe('nginx');
    expect(edge.evidence.map((e) => e.text).join(' ')).not.toContain('listen 4443 ssl');
    expect(result.findings.filter((x) => x.path === 'etc/nginx/default.conf').map((x) => x.message).join(' ')).not.toMatch(/TLS ends in this nginx/);
    // Both serve app.example.com on :80 (nginx keeps the first, "conflicting server name"): alternatives (healthsites).
    const named = `server {\n    listen 443 ssl;\n    server_name app.example.com;\n    ssl_certificate a.pem;\n    ssl_certificate_key a.key;\n    location / { proxy_pass http://app:8000; }\n}\nserver {\n    listen 80;\n    server_name app.example.com;\n    return 301 https://$host$request_uri;\n}\n`;
    expect(edgeOf({ 'deploy/site.conf': PLAIN('80'), 'deploy/site.ssl.conf': named }).edge.where).not.toBe('nginx');
    // Both define `upstream app` (nginx -t: "duplicate upstream"): alternatives too (QGIS Planet, BookWyrm).
    const up = (body: string) => `upstream app {\n    server app:8000;\n}\n${body}`;
    expect(edgeOf({ 'deploy/plain.conf': up(PLAIN('80', 'other.example.com')), 'deploy/ssl.conf': up(named) }).edge.where).not.toBe('nginx');
    expect(edgeOf({ 'deploy/plain.conf': PLAIN('80', 'other.example.com'), 'deploy/ssl.conf': up(named) }).edge.where).toBe('nginx');
    // Other names, or a shared catch-all like localhost, do not clash.
    expect(edgeOf({ 'deploy/site.conf': PLAIN('80', 'other.example.com'), 'deploy/site.ssl.conf': named }).edge.where).toBe('nginx');
    expect(edgeOf({ 'deploy/site.conf': PLAIN('80', 'localhost'), 'deploy/site.ssl.conf': named.replace(/app\.example\.com/g, 'localhost') }).edge.where).toBe('nginx');
    // Templates are rendered where and when their tooling decides (openwisp's plain and TLS variants): each its own.
    const tpl = analyseFiles({ 'images/nginx/site.template.conf': PLAIN('80'), 'images/nginx/site.ssl.template.conf': tlsSite.replace(' default_server', '') }).model;
    expect(tlsEdge(tpl, tpl.nginx.servers.find((x) => x.config.entry === 'images/nginx/site.template.conf')!).where).not.toBe('nginx');
  });

  it('reads the http-level lines of a site file without servers in the same folder (coursys real_ip)', () => {
    const files = {
      'docker/nginx/default.conf': 'real_ip_header X-Forwarded-For;\nset_real_ip_from 142.58.0.0/16;\n',
      'docker/nginx/serve-host.conf': PLAIN('80'),
    };
    const { edge } = edgeOf(files);
    expect(edge.where).toBe('front');
    expect(edge.evidence[0].text).toContain('real_ip_header X-Forwarded-For');
    // Copied one by one by one Dockerfile, they are still read together.
    const copied = edgeOf({ ...files, 'docker/nginx.Dockerfile': 'FROM nginx\nCOPY docker/nginx/default.conf /etc/nginx/conf.d/default.conf\nCOPY docker/nginx/serve-host.conf /etc/nginx/\n' }).edge;
    expect(copied.where).toBe('front');
    // In another folder it says nothing about this nginx.
    expect(edgeOf({ 'other/default.conf': files['docker/nginx/default.conf'], 'docker/nginx/serve-host.conf': PLAIN('80') }).edge.where).toBe('unknown');
  });

  it('splits a folder whose site files a Dockerfile copies one by one: the nginx it builds holds only those', () => {
    // lutris: config/nginx/Dockerfile copies lutris.conf alone; lutris_prod.conf beside it is the host's nginx.
    const tlsSite = `server {\n    listen 443 ssl;\n    server_name app.example.com;\n    ssl_certificate a.pem;\n    ssl_certificate_key a.key;\n    location / { proxy_pass http://app:8000; }\n}\n`;
    const files = {
      'config/nginx/site.conf': PLAIN('80'),
      'config/nginx/site_prod.conf': tlsSite,
      'config/nginx/Dockerfile': 'FROM nginx\nCOPY config/nginx/site.conf /etc/nginx/conf.d/\n',
    };
    const alone = edgeOf(files).edge;
    expect(alone.where).not.toBe('nginx');
    // Copied by the same Dockerfile, the two files are one nginx again.
    const both = edgeOf({ ...files, 'config/nginx/Dockerfile': `${files['config/nginx/Dockerfile']}COPY config/nginx/site_prod.conf /etc/nginx/conf.d/\n` }).edge;
    expect(both.where).toBe('nginx');
    // A folder mounted whole is one nginx.
    const mounted = edgeOf({ ...files, 'docker-compose.yml': 'services:\n  nginx:\n    image: nginx\n    volumes:\n      - ./config/nginx:/etc/nginx/conf.d\n' }).edge;
    expect(mounted.where).toBe('nginx');
  });

  it("takes a catch-all beside publicly named servers of the same nginx for its public default server (stringkeepeer's `listen [::]:80;`)", () => {
    const files = {
      'etc/nginx/nginx.conf': 'events {}\nhttp {\n  root /home/app/src;\n  include /etc/nginx/conf.d/*.conf;\n  include /etc/nginx/sites-enabled/*;\n}\n',
      'etc/nginx/conf.d/site.conf': 'server {\n    listen [::]:80;\n}\n',
      'etc/nginx/sites-enabled/site': 'server {\n    listen 80;\n    server_name app.example.com;\n    return 301 https://$host$request_uri;\n}\n',
    };
    const { model, result } = analyseFiles(files);
    const catchAll = model.nginx.servers.find((x) => x.names.length === 0)!;
    expect(tlsEdge(model, catchAll).evidence.map((e) => e.kind)).not.toContain('internal-name');
    expect(result.findings.filter((f) => f.ruleId === 'nginx/http-not-redirected').map((f) => f.path)).toEqual(['etc/nginx/conf.d/site.conf']);
    // Alone, a catch-all still hints at a proxy in front.
    const alone = analyseFiles({ 'etc/nginx/nginx.conf': files['etc/nginx/nginx.conf'], 'etc/nginx/conf.d/site.conf': files['etc/nginx/conf.d/site.conf'] });
    expect(tlsEdge(alone.model, alone.model.nginx.servers[0]).evidence.map((e) => e.kind)).toContain('internal-name');
  });

  it('is unknown for a public plain server with nothing in front, and the finding says so', () => {
    const { edge, result } = edgeOf({ 'nginx/site.conf': PLAIN() });
    expect(edge.where).toBe('unknown');
    const f = result.findings.find((x) => x.ruleId === 'nginx/http-not-redirected');
    expect(f?.severity).toBe('high');
    expect(f?.message).toMatch(/where TLS ends is unknown/i);
  });

  it.each([
    ['Caddy', { 'Caddyfile': 'example.com {\n  reverse_proxy nginx:80\n}\n' }, 'caddy', 'Caddyfile:2'],
    ['a compose service on 443', { 'docker-compose.yml': 'services:\n  lb:\n    image: traefik:3\n    ports: ["443:443"]\n  web:\n    image: nginx\n    volumes: ["./nginx/site.conf:/etc/nginx/conf.d/default.conf"]\n' }, 'compose-443', '`lb` publishes port 443'],
    ['Traefik labels', { 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    labels:\n      - traefik.http.routers.web.tls=true\n' }, 'traefik', 'service `web`'],
    ['an Ingress with tls', { 'k8s/ing.yaml': 'kind: Ingress\nspec:\n  tls:\n    - secretName: x\n' }, 'ingress-tls', 'k8s/ing.yaml:3'],
    // A manifest a script renders (kubeportal's `ingress.yml.template`), read as written.
    ['a rendered Ingress with tls', { 'deployment/k8s/ingress.yml.template': 'kind: Ingress\nspec:\n  tls:\n    - hosts: [$HOST]\n' }, 'ingress-tls', 'deployment/k8s/ingress.yml.template:3'],
  ])('is in front when the repository shows %s', (_label, extra, kind, shown) => {
    const { edge } = edgeOf({ 'nginx/site.conf': PLAIN(), ...extra });
    expect(edge.where).toBe('front');
    const e = edge.evidence.find((x) => x.kind === kind);
    expect(e?.text).toContain(shown);
  });

  it.each([
    ['real_ip', `set_real_ip_from 10.0.0.0/8;\n${PLAIN()}`, 'real-ip'],
    ['X-Forwarded-Proto read', `map $http_x_forwarded_proto $fp { default $http_x_forwarded_proto; "" $scheme; }\n${PLAIN()}`, 'forwarded-trust'],
    ['an internal port', PLAIN('3000'), 'internal-port'],
    ['server_name localhost', PLAIN('80', 'localhost'), 'internal-name'],
  ])('is in front when nginx shows %s', (_label, text, kind) => {
    const { edge } = edgeOf({ 'nginx/site.conf': text });
    expect(edge.where).toBe('front');
    expect(edge.evidence.map((e) => e.kind)).toContain(kind);
  });

  it("trusts the header of the platform router in front of Heroku's nginx buildpack (Tabbycat)", () => {
    const erb = 'daemon off;\nevents {}\nhttp {\n  upstream app { server unix:/tmp/wsgi.socket fail_timeout=0; }\n  server {\n    listen <%= ENV["PORT"] %>;\n    server_name _;\n    location / {\n      proxy_set_header Host $http_host;\n      proxy_pass http://app;\n    }\n  }\n}\n';
    const files = {
      'config/nginx.conf.erb': erb,
      'app/settings.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n',
      Procfile: 'web: bin/start-nginx gunicorn app.wsgi -b unix:/tmp/wsgi.socket\n',
    };
    const spoof = (fs: Record<string, string>) =>
      analyseFiles(fs).result.findings.filter((f) => f.ruleId === 'cross/proxy-ssl-header-unstripped' || f.ruleId === 'nginx/forwarded-proto-passthrough');
    expect(spoof(files)).toEqual([]);
    const { model } = analyseFiles(files);
    expect(tlsEdge(model, model.nginx.servers[0]).evidence.map((e) => e.kind)).toContain('platform-router');
    // Without the buildpack's start script nothing shows the router: the client's header reaches Django.
    expect(spoof({ ...files, Procfile: 'web: gunicorn app.wsgi -b unix:/tmp/wsgi.socket\n' }).length).toBeGreaterThan(0);
  });

  it('does not count a compose file whose nginx service publishes 443 itself', () => {
    const { edge } = edgeOf({
      'nginx/site.conf': PLAIN(),
      'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    ports: ["443:443"]\n',
    });
    expect(edge.where).toBe('unknown');
  });

  it('is in front where every compose file publishes the nginx service only on other host ports (`8010:80`)', () => {
    const compose = (ports: string) => `services:\n  web:\n    build: ./nginx\n    ports: [${ports}]\n`;
    const redirect = (f: Record<string, string>) => edgeOf(f).result.findings.filter((x) => x.ruleId === 'nginx/http-not-redirected');
    const files = { 'nginx/site.conf': PLAIN(), 'docker-compose.yml': compose('"8010:80"') };
    const { edge } = edgeOf(files);
    expect(edge.where).toBe('front');
    expect(edge.evidence.map((e) => e.text)).toContain('docker-compose.yml publishes the nginx service `web` only on host port 8010, not 80 or 443: a proxy on the host is in front');
    expect(redirect(files)).toEqual([]);
    expect(edgeOf({ ...files, 'docker-compose.yml': compose('"127.0.0.1:8010:80", "8443:443"') }).edge.where).toBe('front');
    // Port 80 on the host, a variable, or another compose file publishing 80: this nginx may be the public edge.
    expect(redirect({ ...files, 'docker-compose.yml': compose('"80:80"') })).toHaveLength(1);
    expect(redirect({ ...files, 'docker-compose.yml': compose('"${PORT}:80"') })).toHaveLength(1);
    expect(redirect({ ...files, 'docker-compose.prod.yml': compose('{ published: 80, target: 80 }') })).toHaveLength(1);
  });

  it('survives a compose file that is not YAML and an alias bomb', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${Array(9).fill(i === 0 ? '*a' : `*b${i - 1}`).join(',')}]`).join('\n') + '\nservices: *b11\n';
    const { edge } = edgeOf({ 'nginx/site.conf': PLAIN(), 'docker-compose.yml': bomb, 'compose.yml': '{{ not yaml' });
    expect(edge.where).toBe('unknown');
  }, 20000);
});

describe('the nginx side of the Django rules', () => {
  const settings = (extra: string) => `SECRET_KEY = "x"\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\nINSTALLED_APPS = []\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n${extra}\n`;

  it('names the terminator, not nginx, when plain HTTP reaches the app through an nginx behind one', () => {
    const { result } = analyseFiles({
      'proj/settings.py': settings('SECURE_SSL_REDIRECT = False'),
      'nginx/site.conf': `set_real_ip_from 10.0.0.0/8;\n${PLAIN()}`,
    });
    const f = result.findings.find((x) => x.ruleId === 'django/ssl-redirect-off');
    expect(f?.message).toContain('TLS ends in front of this nginx');
    expect(f?.message).toContain('set_real_ip_from 10.0.0.0/8');
    expect(f?.message).not.toContain('nginx does not redirect them either');
  });

  it('lowers a missing SecurityMiddleware when nginx in front redirects and sends HSTS for the app (Zulip)', () => {
    const files = {
      'proj/settings.py': 'SECRET_KEY = "x"\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\nINSTALLED_APPS = []\nMIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]\n',
      'nginx/site.conf': `server {\n listen 80;\n server_name example.com;\n location / { return 301 https://$host$request_uri; }\n}\nserver {\n listen 443 ssl;\n server_name example.com;\n ssl_certificate a.pem;\n ssl_certificate_key a.key;\n add_header Strict-Transport-Security "max-age=63072000" always;\n location / { proxy_pass http://app:8000; }\n}\n`,
    };
    const f = (x: Record<string, string>) => analyseFiles(x).result.findings.filter((y) => y.ruleId === 'django/security-middleware-missing');
    expect(f(files).map((x) => x.severity)).toEqual(['low']);
    expect(f(files)[0].message).toMatch(/nginx redirects plain HTTP to HTTPS.*nginx adds Strict-Transport-Security/);
    // Without the header (or without the redirect) the HTTPS part is missing: medium.
    expect(f({ ...files, 'nginx/site.conf': files['nginx/site.conf'].replace(/ add_header[^\n]*\n/, '') }).map((x) => x.severity)).toEqual(['medium']);
    expect(f({ ...files, 'nginx/site.conf': files['nginx/site.conf'].replace('return 301 https://$host$request_uri;', 'proxy_pass http://app:8000;') }).map((x) => x.severity)).toEqual(['medium']);
  });

  it("reads Traefik 1.x's SSLRedirect frontend label as a redirect", () => {
    const compose = (redirect: string) => `services:\n  traefik:\n    image: traefik:v1.7\n    ports: ["80:80", "443:443"]\n  web:\n    build: .\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n    labels:\n      - traefik.enable=true\n      - traefik.frontend.entryPoints=http,https\n${redirect}      - traefik.frontend.headers.STSSeconds=31536000\n`;
    const files = (redirect: string) => ({ 'proj/settings.py': settings(''), 'proj/wsgi.py': '', 'docker-compose.yml': compose(redirect) });
    const redirectOff = (x: Record<string, string>) => analyseFiles(x).result.findings.filter((f) => f.ruleId === 'django/ssl-redirect-off').map((f) => f.severity);
    expect(redirectOff(files('      - traefik.frontend.headers.SSLRedirect=true\n'))).toEqual([]);
    expect(redirectOff(files(''))).toEqual(['medium']);
  });

  it('needs no redirect where Traefik routes to the app only over TLS and the app publishes no port', () => {
    const compose = (router: string, ports = '') => `services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n${ports}    labels:\n      - traefik.enable=true\n      - traefik.http.routers.app.rule=Host(\`example.org\`)\n      - traefik.http.routers.app.entrypoints=websecure\n${router}`;
    const files = (c: string) => ({ 'proj/settings.py': settings(''), 'proj/wsgi.py': '', 'docker-compose.yml': c });
    const redirectOff = (c: string) => analyseFiles(files(c)).result.findings.filter((f) => f.ruleId === 'django/ssl-redirect-off').map((f) => f.severity);
    expect(redirectOff(compose('      - traefik.http.routers.app.tls=true\n'))).toEqual([]);
    // A router without TLS, or a port of the app's own, lets plain HTTP in.
    expect(redirectOff(compose('      - traefik.http.routers.app.tls=true\n      - traefik.http.routers.plain.entrypoints=web\n'))).not.toEqual([]);
    expect(redirectOff(compose('      - traefik.http.routers.app.tls=true\n', '    ports: ["8000:8000"]\n'))).not.toEqual([]);
  });

  it('takes HSTS added by an nginx behind a terminator as sent to browsers', () => {
    const files = {
      'proj/settings.py': settings('SECURE_HSTS_SECONDS = 0'),
      'nginx/site.conf': `server {\n listen 8080;\n server_name example.com;\n add_header Strict-Transport-Security "max-age=63072000" always;\n location / { proxy_pass http://app:8000; }\n}\n`,
    };
    expect(analyseFiles(files).result.findings.filter((x) => x.ruleId === 'django/hsts-off')).toEqual([]);
    // The same nginx without the header leaves Django's HSTS off reported.
    files['nginx/site.conf'] = files['nginx/site.conf'].replace(/ add_header[^\n]*\n/, '');
    expect(analyseFiles(files).result.findings.filter((x) => x.ruleId === 'django/hsts-off').length).toBe(1);
  });
});

describe('an nginx without server_name on a container port, published on the host port 80 (recipick)', () => {
  const files = (ports: string) => ({
    'docker-compose-deploy.yml': `services:\n  app:\n    build: .\n    command: uwsgi --socket :9000 --module app.wsgi\n  proxy:\n    build: ./proxy\n    ports:\n      - "${ports}"\n`,
    'proxy/Dockerfile': 'FROM nginx:1.27\nCOPY default.conf /etc/nginx/conf.d/default.conf\n',
    'proxy/default.conf': 'server {\n    listen 8000;\n    location / {\n        uwsgi_pass app:9000;\n        include /etc/nginx/uwsgi_params;\n    }\n}\n',
  });
  const plain = (ports: string) => analyseFiles(files(ports)).result.findings.find((f) => f.ruleId === 'nginx/http-not-redirected');
  it('is the edge: its container port and catch-all name do not put a proxy in front', () => {
    expect(plain('80:8000')?.severity).toBe('high');
  });
  it('published on another host port, a proxy on the host is in front as before', () => {
    expect(plain('8080:8000')).toBeUndefined();
  });
});

describe('an nginx named localhost, published on the host port 80 (noq, pkdb)', () => {
  const files = (extra: Record<string, string> = {}) => ({
    'docker-compose.yml': 'services:\n  app:\n    build: .\n    command: uwsgi --socket :9000 --module app.wsgi\n  proxy:\n    build: ./proxy\n    ports:\n      - 80:8000\n',
    'proxy/Dockerfile': 'FROM nginx:1.27\nCOPY default.conf /etc/nginx/conf.d/default.conf\n',
    'proxy/default.conf': 'server {\n    listen 8000;\n    server_name localhost;\n    location /api { uwsgi_pass app:9000; include /etc/nginx/uwsgi_params; }\n}\n',
    ...extra,
  });
  const plain = (extra?: Record<string, string>) => analyseFiles(files(extra)).result.findings.find((f) => f.ruleId === 'nginx/http-not-redirected');
  it('is the edge: nginx answers every Host on that port with it', () => {
    expect(plain()?.severity).toBe('high');
  });
  it('is behind the host nginx where another nginx of the repository terminates TLS', () => {
    const host = 'server {\n    listen 443 ssl;\n    server_name example.org;\n    ssl_certificate /c.pem;\n    ssl_certificate_key /k.pem;\n    location / { proxy_pass http://127.0.0.1:80; }\n}\n';
    expect(plain({ 'host/nginx/shop.conf': host })).toBeUndefined();
  });
});

describe('an nginx config in the build folder of nginx-proxy (statistikajednodusecz, waggylabs)', () => {
  const conf = 'upstream app {\n    server web:8000;\n}\nserver {\n    listen 80;\n    location / {\n        proxy_pass http://app;\n    }\n}\n';
  const compose = (proxy: string) => `services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi:application --bind 0.0.0.0:8000\n  nginx-proxy:\n    build: ./nginx\n    volumes:\n${proxy}    ports:\n      - 80:80\n      - 443:443\n  companion:\n    image: nginxproxy/acme-companion\n`;
  const notRedirected = (files: Record<string, string>) =>
    analyseFiles({ 'proj/__init__.py': '', 'proj/settings.py': 'SECRET_KEY = "x"\nINSTALLED_APPS = []\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n', 'nginx/nginx.conf': conf, ...files }).result.findings.filter((f) => f.ruleId === 'nginx/http-not-redirected');

  it('is not the public edge: nginx-proxy terminates TLS and redirects', () => {
    expect(notRedirected({ 'docker-compose.prod.yml': compose('      - certs:/etc/nginx/certs\n      - /var/run/docker.sock:/tmp/docker.sock:ro\n') })).toEqual([]);
  });

  it('an nginx service published on 80 without any sign of nginx-proxy stays the edge', () => {
    const plain = compose('      - certs:/etc/nginx/certs\n').replace('nginx-proxy:', 'nginx:').replace('  companion:\n    image: nginxproxy/acme-companion\n', '');
    expect(notRedirected({ 'docker-compose.prod.yml': plain }).map((f) => f.severity)).toEqual(['high']);
  });
});

describe('a Traefik file that no compose service runs (cookiecutter-django leftover, systemtest)', () => {
  const traefik = 'entryPoints:\n  web:\n    address: ":80"\n  web-secure:\n    address: ":443"\nhttp:\n  routers:\n    web-router:\n      rule: "Host(`example.org`)"\n      entryPoints: [web-secure]\n      service: django\n      tls:\n        certResolver: letsencrypt\n';
  const compose = (extra: string) => `services:\n  django:\n    build: .\n    command: gunicorn config.wsgi --bind 0.0.0.0:5000\n  nginx:\n    image: nginx:1.19\n    ports: ["80:80"]\n    volumes:\n      - ./compose/production/nginx/nginx.conf:/etc/nginx/conf.d/default.conf\n${extra}`;
  const plain = (extra: string) =>
    analyseFiles({
      'production.yml': compose(extra),
      'compose/production/traefik/traefik.yml': traefik,
      'compose/production/nginx/nginx.conf': 'server {\n  listen 80;\n  location / { proxy_pass http://django:5000; }\n}\n',
    }).result.findings.find((f) => f.ruleId === 'nginx/http-not-redirected');
  it('is not a terminator in front', () => {
    expect(plain('')?.severity).toBe('high');
  });
  it('is one where a compose service runs Traefik', () => {
    expect(plain('  traefik:\n    build:\n      context: .\n      dockerfile: ./compose/production/traefik/Dockerfile\n    ports: ["0.0.0.0:443:443"]\n')).toBeUndefined();
  });
});
