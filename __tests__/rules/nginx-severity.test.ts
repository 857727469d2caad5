import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { analyseFiles } from '../model/helpers';
import { formatJson } from '../../src/report/json';
import { formatMarkdown } from '../../src/report/markdown';
import { formatSarif } from '../../src/report/sarif';
import { formatText } from '../../src/report/text';

/** The findings of `rule` on one of its fixtures. */
function findings(rule: string, fixture: string) {
  const dir = path.join(__dirname, 'nginx', rule.replace(/^nginx\//, ''));
  const whole = fs.statSync(path.join(dir, fixture)).isDirectory();
  return analyse(whole ? { root: path.join(dir, fixture), config: {} } : { root: dir, paths: [fixture], config: {} }).result.findings.filter((f) => f.ruleId === rule);
}

describe('severities that depend on the case', () => {
  it('redirect-not-https: low for an http:// redirect in a TLS-only server, medium in a plain-HTTP one', () => {
    expect(findings('nginx/redirect-not-https', 'tls_rewrite_to_http.conf').map((f) => f.severity)).toEqual(['low']);
    expect(findings('nginx/redirect-not-https', 'return_http.conf').map((f) => f.severity)).toEqual(['medium']);
  });

  it('http-not-redirected: medium when pages redirect to HTTPS and only files stay on plain HTTP', () => {
    const [f] = findings('nginx/http-not-redirected', 'static_only_root_redirects.conf');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('Medium: `location /` redirects to HTTPS');
    // pci_db_website: the bare host name does reach HTTPS there; the message does not say otherwise.
    expect(f.message).not.toContain('never moved to HTTPS');
  });

  it('http-not-redirected: medium when Django redirects the plain app requests itself', () => {
    const [f] = findings('nginx/http-not-redirected', 'django_redirects');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('Medium: Django answers these app requests with a redirect to HTTPS (SECURE_SSL_REDIRECT in proj/settings.py');
  });

  it('http-not-redirected: a try_files fallback to a named location that proxies is the app, not only files', () => {
    const [f] = findings('nginx/http-not-redirected', 'try_files_named_app.conf');
    expect(f.severity).toBe('high');
    expect(f.message).toContain('serves the app and files there');
    expect(f.message).toContain('`location /` serves files and passes the rest to the app (`try_files $uri @app`, try_files_named_app.conf:8; `proxy_pass http://127.0.0.1:8000`, try_files_named_app.conf:12)');
  });

  it('hsts-missing: low where an include not in the workspace could add the header, whatever Django lacks', () => {
    const [f] = findings('nginx/hsts-missing', 'include_could_add_it_with_django');
    expect(f.severity).toBe('low');
    expect(f.related?.map((r) => r.message?.slice(0, 21))).toEqual(['django/hsts-off: SECU']);
    const alone = analyse({ root: path.join(__dirname, 'nginx/hsts-missing/include_could_add_it_with_django'), config: { rules: { 'nginx/hsts-missing': 'off' } } }).result.findings;
    const off = alone.filter((x) => x.ruleId === 'django/hsts-off');
    expect(off.map((x) => x.severity)).toEqual(['low']);
    expect(off[0].message).toContain('Low: nginx includes files that are not in the workspace where they could add it (`site.conf:8`)');
  });

  it('hsts-missing: medium for files when the app behind, reached after them by try_files, sends Django\'s header', () => {
    const [f] = findings('nginx/hsts-missing', 'files_then_app');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('`location /static` (serves files), `location /` (serves files, and the rest from the app)');
  });

  it('hsts-dropped-in-location: medium when other responses of the same host still carry HSTS', () => {
    const [f] = findings('nginx/hsts-dropped-in-location', 'static_keeps_hsts.conf');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('other responses of this host still carry it (`location /static/`)');
  });

  it('ssl-key-in-repository: medium for a key with a CA-signed certificate of public names, low for a self-signed one', () => {
    const [f] = findings('nginx/ssl-key-in-repository', 'compose_mounted_key');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('loads certs/site.key, a private key committed to the repository');
    expect(f.message).toContain('impersonate shop.acme-widgets.com, www.acme-widgets.com');
    const [low] = findings('nginx/ssl-key-in-repository', 'self_signed_low');
    expect(low.severity).toBe('low');
    expect(low.message).toContain('its certificate (certs/localhost.crt) is self-signed');
  });

  it('ssl-key-in-repository: no report carries the key itself', () => {
    const root = path.join(__dirname, 'nginx', 'ssl-key-in-repository', 'compose_mounted_key');
    const { result } = analyse({ root, config: {} });
    expect(result.findings.some((f) => f.ruleId === 'nginx/ssl-key-in-repository')).toBe(true);
    // Every line of the key's body: none may appear in any report.
    const body = fs.readFileSync(path.join(root, 'certs', 'site.key'), 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    expect(body.length).toBeGreaterThan(0);
    for (const out of [formatJson(result), formatSarif(result), formatText(result), formatMarkdown(result)]) for (const line of body) expect(out).not.toContain(line);
  });
});

describe('nginx/ssl-on-deprecated on the release an image pins (micorr)', () => {
  const conf = 'events {}\nhttp {\n  server {\n    listen 443;\n    ssl on;\n    ssl_certificate /c.pem;\n    ssl_certificate_key /k.pem;\n    location / { return 200; }\n  }\n}\n';
  const finding = (image: string) =>
    analyseFiles({ 'compose/nginx/Dockerfile': `FROM ${image}\nCOPY nginx.conf /etc/nginx/nginx.conf\n`, 'compose/nginx/nginx.conf': conf }).result.findings.find((f) => f.ruleId === 'nginx/ssl-on-deprecated')!;
  it('does not say nginx refuses to start where the image pins a release that takes it', () => {
    const f = finding('nginx:1.13.3');
    expect(f.message).toContain('nginx 1.25.1 refuses to start with it');
    expect(f.message).toContain('nginx 1.13.3, the release of the image `nginx:1.13.3`');
  });
  it('says so where the image pins a release that rejects it', () => {
    expect(finding('nginx:1.27.0').message).toContain('nginx 1.25.1 and later no longer know this directive and refuse to start');
  });
});
