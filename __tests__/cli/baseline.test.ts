import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/engine/baseline';
import { cli, workspace } from './helpers';

const roots: string[] = [];
function ws(files: Record<string, string>): string {
  const root = workspace(files);
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const NGINX = `server {
    listen 443 ssl;
    server_name example.com;
    ssl_certificate /etc/ssl/a.pem;
    ssl_certificate_key /etc/ssl/a.key;
    ssl_protocols TLSv1 TLSv1.2;
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
`;

const json = (stdout: string) => JSON.parse(stdout) as { findings: { ruleId: string; line: number }[] };

describe('--write-baseline and --baseline', () => {
  it('accepts the findings a baseline holds, even after their lines move, and fails again on a new one', () => {
    const cwd = ws({ 'deploy/nginx/site.conf': NGINX });
    const first = cli(['--format', 'json'], { cwd });
    expect(first.code).toBe(1);
    const ids = json(first.stdout).findings.map((f) => f.ruleId);
    expect(ids).toContain('nginx/weak-ssl-protocols');

    const written = cli(['--write-baseline', 'hg-baseline.json', '--format', 'json'], { cwd });
    expect(written.code).toBe(0);
    expect(written.stderr).toContain(`wrote ${ids.length} finding`);
    const baseline = parseBaseline(fs.readFileSync(path.join(cwd, 'hg-baseline.json'), 'utf8'), 'hg-baseline.json');
    expect(baseline.findings.map((e) => e.ruleId).sort()).toEqual([...ids].sort());
    // Written twice, the same bytes.
    const again = fs.readFileSync(path.join(cwd, 'hg-baseline.json'), 'utf8');
    cli(['--write-baseline', 'hg-baseline.json', '-q'], { cwd });
    expect(fs.readFileSync(path.join(cwd, 'hg-baseline.json'), 'utf8')).toBe(again);

    const clean = cli(['--baseline', 'hg-baseline.json', '--format', 'json'], { cwd });
    expect(clean.code).toBe(0);
    expect(json(clean.stdout).findings).toEqual([]);
    expect(clean.stderr).toContain(`${ids.length} finding`);
    expect(clean.stderr).toContain('accepted by the baseline hg-baseline.json');

    // Lines moved and re-indented: still accepted.
    fs.writeFileSync(path.join(cwd, 'deploy/nginx/site.conf'), `# edge\n\n${NGINX.replace('    ssl_protocols', '\n        ssl_protocols')}`);
    expect(json(cli(['--baseline', 'hg-baseline.json', '--format', 'json'], { cwd }).stdout).findings).toEqual([]);

    // A changed value is a new finding, and the old entry is stale.
    fs.writeFileSync(path.join(cwd, 'deploy/nginx/site.conf'), NGINX.replace('TLSv1 TLSv1.2', 'SSLv3 TLSv1.2'));
    const changed = cli(['--baseline', 'hg-baseline.json', '--format', 'json'], { cwd });
    expect(changed.code).toBe(1);
    expect(json(changed.stdout).findings.map((f) => f.ruleId)).toEqual(['nginx/weak-ssl-protocols']);
    expect(changed.stderr).toContain('1 baseline entry no longer matches');
  });

  it('says where a broken baseline is wrong, and refuses a link', () => {
    const cwd = ws({ 'deploy/nginx/site.conf': NGINX, 'b.json': '{\n  "version": 1,\n  "findings": [\n    {"fingerprint": "nope", "ruleId": "a", "path": "b"}\n  ]\n}\n' });
    const bad = cli(['--baseline', 'b.json'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^https-guard: baseline error: b\.json:4:5: findings\[0\]\.fingerprint/);
    fs.symlinkSync(path.join(cwd, 'b.json'), path.join(cwd, 'link.json'));
    const link = cli(['--baseline', 'link.json'], { cwd });
    expect(link.code).toBe(2);
    expect(link.stderr).toContain('link.json: cannot read');
  });
});
