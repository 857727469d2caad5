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
import { parseNginx, type NginxDirective } from '../../src/parsers/nginx';

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

  it("nginx anchors come from the scan's parse when parsing again would give the same, and count its cost", () => {
    const other = parseNginx('n.conf', 'events {\n  worker_connections 1;\n}\n').directives;
    const own = { text: NGINX, directives: other, cost: 10, complete: true };
    const budget = { remaining: 100 };
    expect(anchorsFor('n.conf', { text: NGINX, kind: 'nginx', nginx: own }, budget)(2)).toBe('events>worker_connections 1');
    expect(budget.remaining).toBe(90);
    // Another text, a parse the budget cut short, or too little budget left here: parsed again, as before.
    const again = (nginx: typeof own, remaining: number) => anchorsFor('n.conf', { text: NGINX, kind: 'nginx', nginx }, { remaining })(6);
    const fresh = 'http>server[listen 80;server_name example.com]>location />proxy_pass http://127.0.0.1:8000';
    expect(again({ ...own, text: `${NGINX}\n` }, 100)).toBe(fresh);
    expect(again({ ...own, complete: false }, 100)).toBe(fresh);
    expect(again({ ...own, cost: 1000 }, 1000)).toBe(fresh);
  });

  it('nginx anchors find the directive of a line by binary search as the first one covering it', () => {
    const texts = [
      NGINX,
      'a 1; b 2; c {\n d 3; e {\n } f 4;\n}\n\ng 5;\n# c\nh {\n i 6;\n',
      'server { listen 80; }\n}\nserver {\n  content_by_lua_block {\n    ngx.say("}")\n  }\n  listen\n  443;\n}\n',
      'http {\nserver {\n',
    ];
    for (const text of texts) {
      const top = parseNginx('n.conf', text).directives;
      const linear = (line: number): string => {
        const trail: string[] = [];
        let list: NginxDirective[] | undefined = top;
        while (list) {
          const hit: NginxDirective | undefined = list.find((d) => d.loc.line <= line && line <= (d.closeLoc?.endLine ?? d.loc.endLine));
          if (!hit) break;
          trail.push(hit.name === 'server' ? 'server' : [hit.name, ...hit.args.map((x) => x.value)].join(' '));
          list = hit.block && line > hit.loc.endLine ? hit.block : undefined;
        }
        return trail.join('>');
      };
      const anchors = anchorsFor('n.conf', { text, kind: 'nginx' });
      for (let line = 0; line <= text.split('\n').length + 1; line++) {
        expect(anchors(line).replace(/server\[[^\]]*\]/g, 'server')).toBe(linear(line));
      }
    }
  });

  it('python anchors climb the enclosing class and def headers', () => {
    const text = [
      'class A:', //               1
      '    X = 1', //              2
      '    class B(', //           3
      '        Base):', //         4
      '        def f(self):', //   5
      '            y = [', //      6
      '                1]', //     7
      '            if y:', //      8
      '                z = 2', //  9
      '        W = 3', //         10
      '    V = 4', //             11
      'def g():', //              12
      '  return 1', //            13
      'T = 5', //                 14
    ].join('\n');
    const py = anchorsFor('s.py', { text, kind: 'django-settings' });
    const got = Array.from({ length: 15 }, (_, i) => py(i + 1));
    expect(got).toEqual([
      'class A', 'class A>X', 'class A>class B', 'class A>class B', 'class A>class B>def f', 'class A>class B>def f>y',
      'class A>class B>def f>y', 'class A>class B>def f>if', 'class A>class B>def f>z', 'class A>class B>W', 'class A>V',
      'def g', 'def g>return', 'T', '',
    ]);
  });

  it("a scan's fingerprints equal those made from the texts alone, where the nginx word budget runs out too", () => {
    const dense = (n: number) => `server {\n  listen 443 ssl;\n  ssl_protocols TLSv1 TLSv1.2;\n  ${'a;'.repeat(n)}\n}\n`;
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-baseline-')));
    roots.push(root);
    const files: Record<string, string> = { 'a/site.conf': dense(300_000), 'b/site.conf': dense(300_000), 'c/site.conf': dense(10), 'd/site.conf': dense(0) };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const { result, model } = analyse({ root });
    expect(result.findings.some((f) => /budget of nginx words/.test(f.message))).toBe(true);
    const all = [...result.findings, ...(result.suppressedFindings ?? [])];
    const copies = all.map((f) => ({ ...f, fingerprint: undefined }));
    const kinds = new Map(result.files.map((f) => [f.path, f.kind]));
    assignFingerprints(copies, (p) => {
      const src = model.sources.get(p);
      return src ? { text: src.text, kind: kinds.get(p) } : undefined;
    });
    expect(copies.map((f) => f.fingerprint)).toEqual(all.map((f) => f.fingerprint));
    expect(new Set(all.map((f) => f.path))).toEqual(new Set(Object.keys(files)));
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
