// The live harness's own parts, without nginx: header parsing, regex samples, listen keys, the rewriting of a
// config, and each rule's server-side verdict on hand-made responses (one that fires, one that does not).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNginxConfig, parseNginx } from '../../src/parsers/nginx';
import { missingVariant, pathFor, regexSample } from './probes';
import { readListen, rewriteFixture } from './rewrite';
import { ageSeverity, parseHsts, truthFor, type Observation } from './truth';

describe('parseHsts (RFC 6797 §6.1)', () => {
  it.each([
    ['max-age=63072000; includeSubDomains; preload', 63072000],
    ['MAX-AGE="31536000"', 31536000],
    [' max-age = 0 ', 0],
    ['includeSubDomains; max-age=300;', 300],
    ['max-age=10; foo="a;b"', 10],
  ])('reads %j', (v, age) => expect(parseHsts(v)).toEqual({ valid: true, maxAge: age }));

  it.each(['includeSubDomains', 'max-age=1y', 'max-age=300; max-age=0', 'max-age', 'max-age=-1', 'max-age=1 2'])('ignores %j', (v) => {
    expect(parseHsts(v).valid).toBe(false);
  });

  it('grades like hsts-max-age-short', () => {
    expect(ageSeverity('max-age=0')).toBe('medium');
    expect(ageSeverity('preload')).toBe('medium');
    expect(ageSeverity('max-age=15767999')).toBe('low');
    expect(ageSeverity('max-age=15768000')).toBe('info');
    expect(ageSeverity('max-age=63071999')).toBe('info');
    expect(ageSeverity('max-age=63072000')).toBeUndefined();
  });
});

describe('probe paths', () => {
  it.each([
    ['\\.svgz$', '.svgz'],
    ['^/(static|media)/', '/static/'],
    ['\\.(?:css|js|woff2)$', '.css'],
    ['^/api/v[0-9]+/', '/api/v0/'],
    ['^/blog/(.*)$', '/blog/'],
    ['^(OPTIONS|HEAD)$', 'OPTIONS'],
    ['[^/]+\\.php$', 'x.php'],
    ['/\\.(?!well-known\\/)', '/.'],
  ])('samples %s', (re, sample) => {
    expect(regexSample(re)).toBe(sample);
    expect(new RegExp(re).test(sample)).toBe(true);
  });

  it('builds paths the regex matches', () => {
    expect(pathFor('/\\.(?!well-known\\/)', '', [])).toBe('/.hg-live');
    for (const [re, flags] of [['\\.svgz$', ''], ['^/shop(/.*)?$', ''], ['\\.(JPG|png)$', 'i'], ['^/wiki/(.*)$', '']]) {
      const p = pathFor(re, flags, []);
      expect(p && new RegExp(re, flags).test(p), `${re} → ${p}`).toBe(true);
      expect(p?.startsWith('/')).toBe(true);
    }
    expect(missingVariant('/static/x.css')).toBe('/static/__hg_missing__x.css');
    expect(missingVariant('/')).toBe('/__hg_missing__');
  });
});

describe('listen keys', () => {
  const key = (text: string) => readListen(parseNginx('x', `listen ${text};`).directives[0]).key;
  it.each([
    ['80', '80'],
    ['[::]:80 default_server', '80'],
    ['*:443 ssl', '443'],
    ['0.0.0.0:8080', '8080'],
    ['127.0.0.1:8080', 'loopback:8080'],
    ['[::1]:8080', 'loopback:8080'],
    ['localhost', 'loopback:80'],
    ['192.0.2.1:443 ssl', '192.0.2.1:443'],
    ['unix:/run/nginx.sock', 'unix:/run/nginx.sock'],
  ])('%s → %s', (text, k) => expect(key(text)).toBe(k));
});

describe('rewriteFixture', () => {
  it('moves listeners to loopback, swaps certificates and upstreams, and keeps everything else byte for byte', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-live-unit-'));
    try {
      const ws = path.join(tmp, 'ws');
      fs.mkdirSync(ws);
      const site = [
        'upstream app { server app.internal:8000; }',
        'map $host $hsts { default "max-age=63072000"; staging.example.com "max-age=300"; ~^dev "max-age=0"; }',
        'server {',
        '    listen 443 ssl http2 default_server;',
        '    listen [::]:443 ssl http2 default_server;',
        '    listen 443 quic reuseport;',
        '    server_name example.com;',
        '    ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;',
        '    ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;',
        '    ssl_stapling on;',
        '    include /etc/letsencrypt/options-ssl-nginx.conf;',
        '    add_header Strict-Transport-Security "max-age=63072000" always;',
        '    root /var/www/example;',
        '    location /static/ { alias /srv/static/; add_header Cache-Control public; }',
        '    location / { include uwsgi_params; uwsgi_pass unix:/run/uwsgi.sock; }',
        '    location /api/ { proxy_pass http://app/v1/; }',
        '}',
        'server {',
        '    server_name example.com;',
        '    if ($server_port = 80) { return 301 https://$host$request_uri; }',
        '}',
        '',
      ].join('\n');
      fs.writeFileSync(path.join(ws, 'site.conf'), site);
      const config = loadNginxConfig({ root: ws, entry: 'site.conf' });
      const ports: Record<string, number> = { '443': 40443, '80': 40080 };
      const rw = rewriteFixture([config], {
        ws, prefix: tmp, cert: '/c/cert.pem', key: '/c/key.pem', backendPort: 39999, portFor: (k) => ports[k],
      });
      const out = fs.readFileSync(path.join(ws, 'site.conf'), 'utf8');
      expect(out).toContain('listen 127.0.0.1:40443 ssl default_server;');
      expect(out.match(/listen 127\.0\.0\.1:40443/g)).toHaveLength(1); // [::]:443 and quic merged into it
      expect(out).not.toMatch(/http2|quic|ssl_stapling on|letsencrypt|uwsgi_pass|app\.internal/);
      expect(out).toContain('ssl_certificate /c/cert.pem;');
      expect(out).toContain('ssl_certificate_key /c/key.pem;');
      expect(out).toContain('{ set $hg_live_loc 2;   proxy_pass http://127.0.0.1:39999; }');
      expect(out).toContain('proxy_pass http://127.0.0.1:39999/v1/;');
      expect(out).toContain('server 127.0.0.1:39999;');
      expect(out).toContain(`alias ${path.join(tmp, 'html')}/;`);
      expect(out).toContain('listen 127.0.0.1:40080; # hg-live: no listen');
      expect(out).toContain('if ($server_port = 40080)');
      // What the rules are about reaches nginx untouched.
      expect(out).toContain('add_header Strict-Transport-Security "max-age=63072000" always;');
      expect(out).toContain('add_header Cache-Control public;');
      expect(out).toContain('return 301 https://$host$request_uri;');
      expect(rw.servers.map((s) => [s.tls, s.hosts])).toEqual([[true, ['example.com']], [false, ['example.com']]]);
      expect(rw.mapHosts).toEqual(['staging.example.com']);
      expect(rw.servers[0].probes.map((p) => p.path)).toEqual(['/static/hg-live.css', '/', '/api/hg-live.css']);
      const wrapper = fs.readFileSync(rw.conf, 'utf8');
      expect(wrapper).toMatch(/^pid .*nginx\.pid;/);
      expect(wrapper).toContain(`include ${path.join(ws, 'site.conf')};`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('server-side verdicts', () => {
  const base: Observation = {
    port: 1, key: '80', tls: false, host: 'example.com', path: '/', probe: 'get', method: 'GET', main: true, internal: false, hsts: [],
  };
  const plain = (o: Partial<Observation>): Observation => ({ ...base, ...o });
  const tls = (o: Partial<Observation>): Observation => ({ ...base, key: '443', port: 2, tls: true, serverTls: true, server: 1, ...o });
  const HSTS = ['max-age=63072000'];

  it('http-not-redirected: app content over HTTP, not a redirect to https or nginx\'s own text', () => {
    expect(truthFor('nginx/http-not-redirected', [plain({ status: 200, origin: 'backend' })]).fires).toBe(true);
    expect(truthFor('nginx/http-not-redirected', [plain({ status: 302, location: 'http://x/' })]).fires).toBe(true);
    expect(truthFor('nginx/http-not-redirected', [plain({ status: 301, location: 'https://x/' }), plain({ status: 200, origin: 'nginx' }), plain({ error: 'socket hang up' })]).fires).toBe(false);
    expect(truthFor('nginx/http-not-redirected', [plain({ status: 200, origin: 'file', internal: true })]).fires).toBe(false);
    // The ACME webroot's files stay on plain HTTP; the app behind /.well-known/ does not.
    expect(truthFor('nginx/http-not-redirected', [plain({ status: 200, origin: 'file', path: '/.well-known/x.css' })]).fires).toBe(false);
    expect(truthFor('nginx/http-not-redirected', [plain({ status: 200, origin: 'backend', path: '/.well-known/x.css' })]).fires).toBe(true);
  });

  it('redirect-not-https: a redirect whose Location is not https', () => {
    expect(truthFor('nginx/redirect-not-https', [plain({ status: 308, location: 'http://x/' })]).fires).toBe(true);
    expect(truthFor('nginx/redirect-not-https', [plain({ status: 308, location: 'HTTPS://x/' }), plain({ status: 200, origin: 'file' })]).fires).toBe(false);
  });

  it('hsts-missing / hsts-dropped-in-location: a TLS 2xx without the header, unless switched off there', () => {
    for (const rule of ['nginx/hsts-missing', 'nginx/hsts-dropped-in-location'] as const) {
      expect(truthFor(rule, [tls({ status: 200, hsts: HSTS }), tls({ path: '/s/', status: 200 })]).fires).toBe(true);
      expect(truthFor(rule, [tls({ status: 200, hsts: HSTS }), tls({ path: '/s/', status: 200, optOut: true }), tls({ status: 301 }), tls({ status: 404 })]).fires).toBe(false);
    }
  });

  it('hsts-without-always: the error answer of a location lacks the header its 2xx has', () => {
    const ok = tls({ path: '/a', status: 200, hsts: HSTS });
    expect(truthFor('nginx/hsts-without-always', [ok, tls({ path: '/a', probe: 'huge', of: '/a', status: 413 })]).fires).toBe(true);
    expect(truthFor('nginx/hsts-without-always', [ok, tls({ path: '/a', probe: 'huge', of: '/a', status: 413, hsts: HSTS }), tls({ path: '/b', probe: 'huge', of: '/b', status: 413 })]).fires).toBe(false);
    // HSTS added in an `if`: the 413 comes before the if runs; the 404 of the same location is the witness.
    const in404 = tls({ path: '/x', probe: 'missing', of: '/a', status: 404, hsts: HSTS });
    expect(truthFor('nginx/hsts-without-always', [ok, in404, tls({ path: '/a', probe: 'huge', of: '/a', status: 413 })]).fires).toBe(false);
  });

  it('hsts-max-age-short: the worst level among the values sent over TLS', () => {
    expect(truthFor('nginx/hsts-max-age-short', [tls({ status: 200, hsts: ['max-age=31536000'] }), tls({ status: 200, hsts: ['max-age=86400'] })])).toMatchObject({ fires: true, severity: 'low' });
    expect(truthFor('nginx/hsts-max-age-short', [tls({ status: 200, hsts: HSTS }), plain({ status: 301, hsts: ['max-age=0'] })]).fires).toBe(false);
  });

  it('hsts-on-plain-http: sent over HTTP by a block with no TLS listener that writes it', () => {
    expect(truthFor('nginx/hsts-on-plain-http', [plain({ status: 301, hsts: HSTS, serverTls: false, serverWritesHsts: true })]).fires).toBe(true);
    expect(truthFor('nginx/hsts-on-plain-http', [
      plain({ status: 301, hsts: HSTS, serverTls: true, serverWritesHsts: true }),
      plain({ status: 301, hsts: HSTS, serverTls: false, serverWritesHsts: false }),
    ]).fires).toBe(false);
  });

  it('certificate-without-tls-listener: content in clear from a block that loads a certificate, for a host with no TLS content', () => {
    const cert = { serverTls: false, serverLoadsCert: true };
    expect(truthFor('nginx/certificate-without-tls-listener', [plain({ status: 200, origin: 'backend', ...cert })]).fires).toBe(true);
    expect(truthFor('nginx/certificate-without-tls-listener', [
      plain({ status: 301, location: 'https://x/', ...cert }),
      plain({ status: 200, origin: 'nginx', ...cert }),
      plain({ status: 200, origin: 'backend', serverTls: false, serverLoadsCert: false }),
      plain({ status: 200, origin: 'file', internal: true, ...cert }),
    ]).fires).toBe(false);
    // A TLS server answers the same host: the plain block is a twin with copied certificate lines.
    expect(truthFor('nginx/certificate-without-tls-listener', [plain({ status: 200, origin: 'backend', ...cert }), tls({ status: 200, origin: 'backend' })]).fires).toBe(false);
  });
});
