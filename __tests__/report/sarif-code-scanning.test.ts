import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { afterEach, describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { RULES } from '../../src/rules';
import { RULE_DOCS } from '../../src/report/rule-docs.generated';
import { ANALYSIS_NOTICES, RULE_SARIF } from '../../src/report/rule-sarif';
import { toSarif, variantId } from '../../src/report/sarif';
import { SEVERITIES, type Finding, type Severity } from '../../src/types';
import { VERSION } from '../../src/version';
// @ts-expect-error: a plain .mjs build script without types
import { generate } from '../../scripts/rule-docs.mjs';
import { finding, result } from './fixtures';
import { sarifErrors } from './sarif-schema';

/**
 * The SARIF report held to what GitHub code scanning reads ("SARIF support for code scanning"), field by field,
 * for every rule of the registry.
 */

const LEVEL: Record<Severity, string> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub's bands: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9. */
const BAND: Record<Severity, [number, number]> = { high: [7.0, 8.9], medium: [4.0, 6.9], low: [0.1, 3.9], info: [0.1, 3.9] };
const PRECISIONS = ['very-high', 'high', 'medium', 'low'];

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-code-scanning-')));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function checkDescriptor(d: ReportingDescriptor, severity: Severity, enabled = true): void {
  const base = (d.properties?.['https-guard/rule'] as string | undefined) ?? d.id;
  const meta = RULES.find((r) => r.meta.id === base)?.meta;
  expect(meta, d.id).toBeDefined();
  expect(d.id.length).toBeLessThanOrEqual(1024);
  expect(d.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
  expect(d.shortDescription?.text.startsWith(meta!.title), d.id).toBe(true);
  expect(d.shortDescription!.text.length).toBeLessThanOrEqual(1024);
  // The full description says why, in words of its own (the rationale), not the title again.
  expect(d.fullDescription?.text.length, d.id).toBeGreaterThan(40);
  expect(d.fullDescription!.text).not.toBe(meta!.title);
  expect(d.fullDescription!.text).not.toMatch(/`|\*\*[A-Z]|\]\(/);
  expect(d.help?.text.length, d.id).toBeGreaterThan(200);
  expect(d.help!.text).not.toMatch(/^```|\*\*Severity/m);
  expect(d.help!.markdown, d.id).toContain('## Problematic code');
  expect(d.help!.markdown).toContain('## Correct code');
  // Relative links of the pages would point nowhere from an alert.
  expect(d.help!.markdown).not.toMatch(/\]\((?!https:\/\/|#)/);
  expect(d.helpUri).toBe(`https://github.com/https-guard/https-guard/blob/main/docs/rules/${base}.md`);
  expect(d.defaultConfiguration).toEqual({ level: LEVEL[severity], enabled });
  const props = d.properties!;
  expect(PRECISIONS).toContain(props.precision);
  const tags = props.tags as string[];
  expect(tags).toContain('security');
  expect(tags.length).toBeLessThanOrEqual(20);
  expect(new Set(tags).size).toBe(tags.length);
  const cwes = tags.filter((t) => t.startsWith('external/cwe/'));
  for (const t of cwes) expect(t).toMatch(/^external\/cwe\/cwe-[1-9]\d*$/);
  if (ANALYSIS_NOTICES.has(base)) expect(cwes).toEqual([]);
  else expect(cwes.length, `${d.id} has a CWE`).toBeGreaterThan(0);
  const score = props['security-severity'] as string;
  expect(score).toMatch(/^\d+\.\d$/);
  const [lo, hi] = BAND[severity];
  expect(Number(score)).toBeGreaterThanOrEqual(lo);
  expect(Number(score)).toBeLessThanOrEqual(hi);
}

function checkResult(log: Log, r: Result, f: Finding): void {
  const run = log.runs[0];
  const d = run.tool.driver.rules![r.ruleIndex!];
  expect(d.id).toBe(r.ruleId);
  // A result's level is its rule's default level: other severities are variant rules.
  expect(r.level).toBe(d.defaultConfiguration!.level);
  expect(r.level).toBe(LEVEL[f.severity]);
  expect(r.ruleId).toBe(f.severity === RULES.find((x) => x.meta.id === f.ruleId)?.meta.severity ? f.ruleId : variantId(f.ruleId, f.severity));
  expect(r.message.text!.length).toBeGreaterThan(0);
  expect(r.locations).toHaveLength(1);
  const loc = r.locations![0].physicalLocation!;
  expect(loc.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
  expect(loc.artifactLocation!.uri).not.toMatch(/^[a-z]+:|^\//i);
  expect(loc.region!.startLine).toBeGreaterThanOrEqual(1);
  expect(loc.region!.startColumn).toBeGreaterThanOrEqual(1);
  expect(r.partialFingerprints!.primaryLocationLineHash).toBe(f.fingerprint);
  for (const [i, rel] of (r.relatedLocations ?? []).entries()) {
    expect(rel.id).toBe(i + 1);
    expect(rel.physicalLocation!.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
    expect(rel.physicalLocation!.region!.startLine).toBeGreaterThanOrEqual(1);
    expect(r.message.text).toContain(`](${i + 1})`);
  }
}

function checkRun(log: Log, root: string | undefined): void {
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0];
  expect(run.tool.driver.name).toBe('HTTPS Guard');
  expect(run.tool.driver.semanticVersion).toBe(VERSION);
  expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
  expect(run.automationDetails?.id).toBe('https-guard/');
  const srcroot = run.originalUriBaseIds?.['%SRCROOT%'];
  expect(srcroot).toBeDefined();
  if (root) expect(srcroot!.uri).toBe(`file://${root}/`);
  const ids = run.tool.driver.rules!.map((d) => d.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(sarifErrors(log)).toBe('');
}

describe('SARIF for GitHub code scanning', () => {
  it('every registered rule has code scanning metadata and a bundled page', () => {
    const ids = RULES.map((r) => r.meta.id).sort();
    expect(Object.keys(RULE_SARIF).sort()).toEqual(ids);
    expect(Object.keys(RULE_DOCS).sort()).toEqual(ids);
  });

  it('the bundled pages are the pages of docs/rules (run `npm run rule-docs` after editing one)', () => {
    expect(fs.readFileSync(path.join(__dirname, '../../src/report/rule-docs.generated.ts'), 'utf8')).toBe(generate());
  });

  it('describes every rule as GitHub reads it, at its default severity and as a variant', () => {
    // One finding per rule at its default severity, one at each other severity.
    const findings: Finding[] = [];
    for (const [i, r] of RULES.entries()) {
      for (const s of SEVERITIES) findings.push(finding({ ruleId: r.meta.id, severity: s, path: `deploy/f${i}.conf`, line: 1 + SEVERITIES.indexOf(s), endLine: 1 + SEVERITIES.indexOf(s), fingerprint: `${String(i).padStart(4, '0')}${s}`.padEnd(32, '0') }));
    }
    const log = toSarif(result(findings), { root: '/work/repo' });
    checkRun(log, '/work/repo');
    const rules = log.runs[0].tool.driver.rules!;
    for (const r of RULES) {
      checkDescriptor(rules.find((d) => d.id === r.meta.id)!, r.meta.severity);
      for (const s of SEVERITIES.filter((x) => x !== r.meta.severity)) {
        const v = rules.find((d) => d.id === variantId(r.meta.id, s));
        expect(v, variantId(r.meta.id, s)).toBeDefined();
        checkDescriptor(v!, s);
        expect(v!.properties!['https-guard/rule']).toBe(r.meta.id);
      }
    }
    expect(rules).toHaveLength(RULES.length * SEVERITIES.length);
    for (const [i, res] of log.runs[0].results!.entries()) checkResult(log, res, findings[i]);
  });

  it('a configured severity is the rule default; a rule turned off is described as disabled', () => {
    const log = toSarif(result([finding({ ruleId: 'nginx/hsts-missing', severity: 'low', fingerprint: 'a'.repeat(32) })]), { severityOverrides: { 'nginx/hsts-missing': 'low', 'parse/error': 'off' } });
    const rules = log.runs[0].tool.driver.rules!;
    checkDescriptor(rules.find((d) => d.id === 'nginx/hsts-missing')!, 'low');
    checkDescriptor(rules.find((d) => d.id === 'parse/error')!, 'medium', false);
    expect(log.runs[0].results![0].ruleId).toBe('nginx/hsts-missing');
  });

  it('a real scan: cross-file related locations, links in the message, fingerprints that survive moved lines', () => {
    const settings = "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 0\n";
    const nginx = 'server {\n    listen 443 ssl;\n    server_name example.com;\n    ssl_certificate a.pem;\n    ssl_certificate_key a.key;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n';
    const files = { 'mysite/settings.py': settings, 'deploy/nginx/site.conf': nginx, 'mysite/wsgi.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n" };
    const root = workspace(files);
    const { result: scanned } = analyse({ root });
    const log = toSarif(scanned, { root });
    checkRun(log, root);
    const results = log.runs[0].results!;
    expect(results).toHaveLength(scanned.findings.length);
    for (const [i, r] of results.entries()) checkResult(log, r, scanned.findings[i]);
    const cross = scanned.findings.find((f) => f.related?.some((x) => x.path !== f.path));
    expect(cross, JSON.stringify(scanned.findings.map((f) => [f.ruleId, f.related]))).toBeDefined();

    const moved = workspace({ ...files, 'mysite/settings.py': `# production\nDEBUG = False\n\n${settings}`, 'deploy/nginx/site.conf': `\n\n${nginx.replace('    listen', '  # TLS\n    listen')}` });
    const again = toSarif(analyse({ root: moved }).result, { root: moved }).runs[0].results!;
    const hashes = (rs: Result[]) => rs.map((r) => `${r.ruleId} ${r.partialFingerprints!.primaryLocationLineHash}`).sort();
    expect(hashes(again)).toEqual(hashes(results));
  });
});
