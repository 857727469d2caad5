import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { parsePython } from '../../src/parsers/python/parse';
import { isPythonTemplate } from '../../src/parsers/python/template';
import { countDjangoSettings } from '../../src/engine/classify';
import { PY_TEXT } from './grammars';
import { expectLocIn, fuzz, grammar, lineLengths, lines, scaled } from './harness';

// The Python parser on its own, then whole scans (Python evaluation, nginx model, entry points, every rule) of
// small generated workspaces: no throw, and every finding names a scanned file and a line inside it.

describe('Python parser (fuzz)', () => {
  it('parsePython: no throw, tree spans the text, errors inside it', () => {
    const runs = fuzz('parsePython', PY_TEXT, (text) => {
      const r = parsePython(text);
      expect(r.text.length).toBe(text.length);
      expect(r.errors.length).toBeLessThanOrEqual(text.length + 1);
      for (const e of r.errors) expect(e.offset >= 0 && e.offset <= text.length, `error at ${e.offset}`).toBe(true);
      if (r.tree) {
        expect(r.tree.length).toBe(text.length);
        const c = r.tree.cursor();
        do expect(c.from >= 0 && c.from <= c.to && c.to <= text.length).toBe(true);
        while (c.next());
      }
      isPythonTemplate('proj/settings.py', text);
      countDjangoSettings(text);
    }, 8_000);
    expect(runs).toBe(scaled(8_000));
  });
});

const SETTINGS_TOKENS = [
  'INSTALLED_APPS = ["django.contrib.sessions"]\n', 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n',
  'SECURE_HSTS_SECONDS = ', 'SECURE_SSL_REDIRECT = ', 'SESSION_COOKIE_SECURE = ', 'CSRF_COOKIE_SECURE = ', 'DEBUG = ',
  'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n', 'CSRF_TRUSTED_ORIGINS = ["http://x"]\n',
  'SECURE_REDIRECT_EXEMPT = [r"^(a+)+$"]\n', 'from .base import *\n', 'import os\n', 'os.environ.get("X", "1")',
  'True', 'False', '0', '31536000', '\n', '(', ')', '[', ']', 'if DEBUG:\n    ', 'else:\n    ', 'class Prod(Configuration):\n    ',
  'include("a.py")\n', 'MIDDLEWARE += ', 'env.bool("X")', 'A = B = C\n', 'def f(): return f()\n', 'x = [*x]\n', '"', "'", '\\',
];
const NGINX_SMALL = [
  'server {\n', 'listen 80;\n', 'listen 443 ssl;\n', 'server_name example.com;\n', 'location / {\n', '}\n',
  'proxy_pass http://127.0.0.1:8000;\n', 'uwsgi_pass unix:/tmp/s;\n', 'include uwsgi_params;\n', 'return 301 https://$host$request_uri;\n',
  'add_header Strict-Transport-Security "max-age=1" always;\n', 'proxy_set_header X-Forwarded-Proto $scheme;\n',
  'if ($scheme = http) {\n', 'rewrite ^(.*)$ https://$host$1 permanent;\n', 'ssl_ciphers HIGH:!aNULL;\n', 'ssl_protocols TLSv1 TLSv1.2;\n',
  'http {\n', 'map $http_x $y {\n', 'default 1;\n', 'location ~ ^/(a+)+$ {\n', '"', ';', '{', '}', '\\', '#',
];
const WS = fc.record({
  settings: lines(SETTINGS_TOKENS, 14, 5),
  base: grammar(SETTINGS_TOKENS, 20),
  wsgi: grammar(['import os\n', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n', 'from django.core.wsgi import get_wsgi_application\n', 'application = get_wsgi_application()\n', '"', '(', '\n'], 8),
  nginx: grammar(NGINX_SMALL, 40),
  dockerfile: grammar(['FROM python\n', 'ENV DJANGO_SETTINGS_MODULE=proj.settings\n', 'COPY nginx.conf /etc/nginx/conf.d/x.conf\n', 'CMD gunicorn proj.wsgi -b 0.0.0.0:8000\n', 'CMD ["uwsgi", "--ini", "uwsgi.ini"]\n', '\\\n', '"', '['], 8),
  uwsgi: grammar(['[uwsgi]\n', 'module = proj.wsgi\n', 'http-socket = :8000\n', 'env = HTTPS=on\n', 'ini = uwsgi.ini\n', '%(x)', '\n', '='], 10),
});

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-fuzz-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('whole scan of generated workspaces (fuzz)', () => {
  it('no throw; every finding and diagnostic names a scanned file and a line in it', () => {
    let findings = 0;
    const runs = fuzz('scan', WS, (ws) => {
      const files: Record<string, string> = {
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        'proj/settings.py': ws.settings,
        'proj/base.py': ws.base,
        'proj/wsgi.py': ws.wsgi,
        'nginx.conf': ws.nginx,
        Dockerfile: ws.dockerfile,
        'uwsgi.ini': ws.uwsgi,
      };
      fs.rmSync(root, { recursive: true, force: true });
      for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      }
      const { result, model } = analyse({ root });
      findings += result.findings.length;
      for (const f of result.findings) {
        const src = model.sources.get(f.path);
        const text = src?.text ?? files[f.path];
        expect(text, `finding ${f.ruleId} in unknown file ${f.path}`).toBeDefined();
        expectLocIn(f, text!, `${f.ruleId} finding`, lineLengths(text!));
        for (const r of f.related ?? []) expect(r.line, `${f.ruleId} related`).toBeGreaterThanOrEqual(1);
      }
      for (const d of model.diagnostics) expect(d.loc.line).toBeGreaterThanOrEqual(1);
    }, 300);
    expect(runs).toBe(scaled(300));
    expect(findings).toBeGreaterThan(scaled(300));
  }, 300_000);
});
