import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import {
  BaselineError,
  MAX_BASELINE_BYTES,
  anchorsFor,
  applyBaseline,
  assignFingerprints,
  formatBaseline,
  normalizeText,
  parseBaseline,
  readBaselineFile,
} from '../../src/engine/baseline';
import type { Finding } from '../../src/types';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function scanFiles(files: Record<string, string>): Finding[] {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-baseline-')));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return analyse({ root }).result.findings;
}

/** rule id → sorted fingerprints of its findings. */
function byRule(findings: Finding[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) {
    expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    out.set(f.ruleId, [...(out.get(f.ruleId) ?? []), f.fingerprint!].sort());
  }
  return out;
}

const NGINX = `http {
    server {
        listen 80;
        server_name example.com;
        location / {
            proxy_pass http://127.0.0.1:8000;
        }
    }
    server {
        listen 443 ssl;
        server_name example.com;
        ssl_certificate /etc/ssl/a.pem;
        ssl_certificate_key /etc/ssl/a.key;
        ssl_protocols TLSv1 TLSv1.2;
        location / {
            proxy_pass http://127.0.0.1:8000;
        }
    }
}
`;

const NGINX_MOVED = `# deployment for example.com
worker_processes auto;

http {
    gzip on;
    server {
        server_name   example.com;
        ssl_certificate_key /etc/ssl/a.key;
        listen 443   ssl;
        ssl_certificate /etc/ssl/a.pem;

        client_max_body_size 10m;
        ssl_protocols   TLSv1    TLSv1.2 ;
        location / {
            proxy_pass http://127.0.0.1:8000;
        }
    }
    server {
        listen 80;
        server_name example.com;
        location / {
                    proxy_pass    http://127.0.0.1:8000;
        }
    }
}
`;

const SETTINGS = `MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 300
`;

const SETTINGS_MOVED = `"""Production settings."""
import os

DEBUG = False
SECURE_HSTS_SECONDS=300

CSRF_COOKIE_SECURE = True
ALLOWED_HOSTS = ['example.com']
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
]
SESSION_COOKIE_SECURE    =   False
`;

describe('finding fingerprints', () => {
  it('nginx: survive moved lines, inserted lines and whitespace; a changed value is a new finding', () => {
    const before = byRule(scanFiles({ 'deploy/nginx.conf': NGINX }));
    const moved = byRule(scanFiles({ 'deploy/nginx.conf': NGINX_MOVED }));
    expect(before.get('nginx/weak-ssl-protocols')).toHaveLength(1);
    expect(before.get('nginx/http-not-redirected')).toHaveLength(1);
    expect(moved).toEqual(before);

    const changed = byRule(scanFiles({ 'deploy/nginx.conf': NGINX.replace('TLSv1 TLSv1.2', 'TLSv1.1 TLSv1.2') }));
    expect(changed.get('nginx/weak-ssl-protocols')).toHaveLength(1);
    expect(changed.get('nginx/weak-ssl-protocols')).not.toEqual(before.get('nginx/weak-ssl-protocols'));
    expect(changed.get('nginx/http-not-redirected')).toEqual(before.get('nginx/http-not-redirected'));
  });

  it('Django settings: survive moved and reformatted assignments; a changed value is a new finding', () => {
    const before = byRule(scanFiles({ 'mysite/settings.py': SETTINGS }));
    expect(before.get('django/session-cookie-insecure')).toHaveLength(1);
    expect(before.get('django/hsts-max-age-short')).toHaveLength(1);
    const moved = byRule(scanFiles({ 'mysite/settings.py': SETTINGS_MOVED }));
    expect(moved.get('django/session-cookie-insecure')).toEqual(before.get('django/session-cookie-insecure'));
    expect(moved.get('django/hsts-max-age-short')).toEqual(before.get('django/hsts-max-age-short'));

    const changed = byRule(scanFiles({ 'mysite/settings.py': SETTINGS.replace('SECURE_HSTS_SECONDS = 300', 'SECURE_HSTS_SECONDS = 600') }));
    expect(changed.get('django/hsts-max-age-short')).toHaveLength(1);
    expect(changed.get('django/hsts-max-age-short')).not.toEqual(before.get('django/hsts-max-age-short'));
    expect(changed.get('django/session-cookie-insecure')).toEqual(before.get('django/session-cookie-insecure'));
  });

  it('the same file under another path is another finding', () => {
    const a = byRule(scanFiles({ 'a/nginx.conf': NGINX }));
    const b = byRule(scanFiles({ 'b/nginx.conf': NGINX }));
    expect(b.get('nginx/weak-ssl-protocols')).not.toEqual(a.get('nginx/weak-ssl-protocols'));
  });

  it('identical findings are told apart by their order, and keep their names when others move around them', () => {
    const f = (line: number): Finding => ({ ruleId: 'x/y', severity: 'low', path: 'site.ini', line, column: 1, endLine: line, endColumn: 5, message: `line ${line}`, hint: '', docsUrl: '' });
    const text = '[uwsgi]\nenv = HTTPS=on\nenv = HTTPS=on\n';
    const one = [f(2), f(3)];
    assignFingerprints(one, () => ({ text, kind: 'uwsgi' }));
    expect(one[0].fingerprint).not.toBe(one[1].fingerprint);
    const moved = '; comment\n[uwsgi]\nmaster = true\nenv   =   HTTPS=on\n\nenv = HTTPS=on\n';
    const two = [f(6), f(4)];
    assignFingerprints(two, () => ({ text: moved, kind: 'uwsgi' }));
    expect(two.map((x) => x.fingerprint)).toEqual([one[1].fingerprint, one[0].fingerprint]);
    // The same line in another section is another place.
    const other = [f(3)];
    assignFingerprints(other, () => ({ text: '[uwsgi]\n[other]\nenv = HTTPS=on\n', kind: 'uwsgi' }));
    expect(other[0].fingerprint).not.toBe(one[0].fingerprint);
  });

  it('anchors name the structural place', () => {
    const nginx = anchorsFor('n.conf', { text: NGINX, kind: 'nginx' });
    expect(nginx(6)).toBe('http>server[listen 80;server_name example.com]>location />proxy_pass http://127.0.0.1:8000');
    expect(nginx(14)).toBe('http>server[listen 443 ssl;server_name example.com]>ssl_protocols TLSv1 TLSv1.2');
    const py = anchorsFor('s.py', { text: 'class Prod(Base):\n    X = (\n        1,\n    )\n    def f(self):\n        return 1\n', kind: 'django-settings' });
    expect(py(3)).toBe('class Prod>X');
    expect(py(6)).toBe('class Prod>def f>return');
    const ini = anchorsFor('u.ini', { text: '[uwsgi]\nhttps = :443,a.crt\n', kind: 'uwsgi' });
    expect(ini(2)).toBe('[uwsgi]>https');
  });

  it('normalises whitespace without joining words', () => {
    expect(normalizeText('  ssl_protocols   TLSv1\tTLSv1.2 ;  ')).toBe('ssl_protocols TLSv1 TLSv1.2;');
    expect(normalizeText('X  =  [ 1 ,2 ]')).toBe('X=[1,2]');
  });
});

describe('baseline files', () => {
  const finding = (fp: string, ruleId = 'nginx/hsts-missing', p = 'nginx.conf'): Finding => ({ ruleId, severity: 'high', path: p, line: 1, column: 1, endLine: 1, endColumn: 1, message: '', hint: '', docsUrl: '', fingerprint: fp });
  const A = 'a'.repeat(32);
  const B = 'b'.repeat(32);
  const C = 'c'.repeat(32);

  it('are sorted and stable, and read back', () => {
    const text = formatBaseline([finding(B, 'z/rule'), finding(A, 'a/rule', 'z.conf'), finding(C, 'a/rule')], '0.1.0');
    expect(formatBaseline([finding(C, 'a/rule'), finding(A, 'a/rule', 'z.conf'), finding(B, 'z/rule')], '0.1.0')).toBe(text);
    const parsed = parseBaseline(text, 'b.json');
    expect(parsed.findings.map((e) => e.fingerprint)).toEqual([C, B, A]);
    expect(parsed.toolVersion).toBe('0.1.0');
  });

  it('drop the findings they hold and count the entries that no longer match', () => {
    const base = parseBaseline(formatBaseline([finding(A), finding(B), finding(C, 'off/rule')], '0.1.0'), 'b.json');
    const out = applyBaseline([finding(A), finding(C.replace(/c/g, 'd'))], base, (id) => id !== 'off/rule');
    expect(out.kept.map((f) => f.fingerprint)).toEqual(['d'.repeat(32)]);
    expect(out.baselined).toBe(1);
    expect(out.stale).toBe(1);
  });

  it('report errors with file:line', () => {
    expect(() => parseBaseline('{\n  "version": 1,\n  "findings": [\n    {"fingerprint": "xyz", "ruleId": "a", "path": "b"}\n  ]\n}\n', 'b.json')).toThrow(/^b\.json:4:5: findings\[0\]\.fingerprint/);
    expect(() => parseBaseline(`{\n  "version": 1,\n  "findings": [\n    {"fingerprint": "${A}", "ruleId": "a", "path": "b"},\n    7\n  ]\n}\n`, 'b.json')).toThrow(/^b\.json:5:5: findings\[1\] must be an object/);
    expect(() => parseBaseline('{\n  "version": 1,\n  "findings": [\n  }\n', 'b.json')).toThrow(/^b\.json:4:\d+: not valid JSON/);
    expect(() => parseBaseline('{"version": 2, "findings": []}', 'b.json')).toThrow(BaselineError);
    expect(() => parseBaseline('{"version": 1, "findings": [], "extra": 1}', 'b.json')).toThrow(/unknown key "extra"/);
    expect(() => parseBaseline('[]', 'b.json')).toThrow(/JSON object/);
  });

  it('are read from regular files only, never through a link, and bounded in size', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-baseline-')));
    roots.push(dir);
    fs.writeFileSync(path.join(dir, 'real.json'), formatBaseline([finding(A)], '0.1.0'));
    fs.symlinkSync(path.join(dir, 'real.json'), path.join(dir, 'link.json'));
    expect(readBaselineFile(path.join(dir, 'real.json'), 'real.json').findings).toHaveLength(1);
    expect(() => readBaselineFile(path.join(dir, 'link.json'), 'link.json')).toThrow(/^link\.json: cannot read/);
    fs.writeFileSync(path.join(dir, 'big.json'), Buffer.alloc(MAX_BASELINE_BYTES + 1, 32));
    expect(() => readBaselineFile(path.join(dir, 'big.json'), 'big.json')).toThrow(/^big\.json: cannot read/);
  });
});
