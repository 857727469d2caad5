import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan';

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-rob-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('hostile nginx input through the whole pipeline (parse, model, every rule)', () => {
  it('20,000 nested blocks: a finding, no stack overflow, the rest still checked', () => {
    const deep = `server {\n listen 80;\n${'location / {\n'.repeat(20_000)}proxy_pass http://app;\n${'}\n'.repeat(20_000)}}\n`;
    const root = workspace({ 'nginx/sites-available/deep.conf': deep, 'nginx/sites-available/tls.conf': 'server {\n listen 443 ssl;\n ssl_protocols TLSv1 TLSv1.2;\n}\n' });
    try {
      const r = scan({ root });
      expect(r.findings.some((f) => f.ruleId === 'parse/error' && /nested deeper/.test(f.message))).toBe(true);
      expect(r.findings.some((f) => f.ruleId === 'nginx/weak-ssl-protocols')).toBe(true);
      expect(r.findings.filter((f) => /could not finish/.test(f.message))).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('include loops, /etc/passwd, missing includes and broken syntax give findings with file and line', () => {
    const root = workspace({
      'nginx/nginx.conf': 'events {}\nhttp {\n  include a.conf;\n  include /etc/passwd;\n  include missing.conf;\n  server { listen 80 \n}\n',
      'nginx/a.conf': 'include a.conf;\n',
    });
    try {
      const r = scan({ root });
      const where = r.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`);
      expect(where).toContain('parse/error nginx/a.conf:1');
      expect(where).toContain('nginx/include-unresolved nginx/nginx.conf:4');
      expect(where).toContain('nginx/include-unresolved nginx/nginx.conf:5');
      expect(r.findings.some((f) => f.ruleId === 'parse/error' && f.path === 'nginx/nginx.conf')).toBe(true);
      expect(JSON.stringify(r)).not.toMatch(/root:x:0:0/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('work and memory bounded by the input, not by its shape', () => {
  it('B = [*A] over a 200k-item list: no stack overflow, the findings are still reported', () => {
    const items = Array.from({ length: 200_000 }, (_, k) => k).join(', ');
    const root = workspace({
      'proj/settings.py': `INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = []\nA = [${items}]\nB = [*A]\nC = []\nC.extend(A)\nSESSION_COOKIE_SECURE = False\n`,
    });
    try {
      const r = scan({ root });
      expect(r.findings.filter((f) => /could not finish/.test(f.message))).toEqual([]);
      expect(r.findings.some((f) => f.ruleId === 'django/session-cookie-insecure')).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the scan-wide size budget', () => {
  it('skips files past max-total-bytes with a reason and a finding, and keeps what was loaded before', () => {
    const weak = 'server {\n listen 443 ssl;\n ssl_protocols TLSv1 TLSv1.2;\n}\n';
    const filler = `server {\n listen 443 ssl;\n${' # padding\n'.repeat(4000)}}\n`;
    // c.conf listens on its own address: site files of one folder are one nginx, where only the default server of
    // an address decides its protocols.
    const root = workspace({ 'nginx/sites-available/a.conf': weak, 'nginx/sites-available/b.conf': filler, 'nginx/sites-available/c.conf': weak.replace('443', '8443') });
    try {
      // nginx may take an eighth of the budget: a.conf fits, the 44 KB b.conf does not, c.conf fits again.
      const r = scan({ root, config: { maxTotalBytes: 8 * 20_000 } });
      expect(r.skipped.map((s) => [s.path, /scan budget reached: .* nginx configuration/.test(s.reason)])).toEqual([['nginx/sites-available/b.conf', true]]);
      expect(r.findings.filter((f) => f.ruleId === 'parse/error').map((f) => f.path)).toEqual(['nginx/sites-available/b.conf']);
      expect(r.findings.filter((f) => f.ruleId === 'nginx/weak-ssl-protocols').map((f) => f.path).sort()).toEqual(['nginx/sites-available/a.conf', 'nginx/sites-available/c.conf']);
      // Without the budget nothing is skipped.
      expect(scan({ root }).skipped).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
