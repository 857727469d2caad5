import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan';
import { RULES } from '../../src/rules';
import { FINGERPRINT_KEY, pathToUri, ruleName, toSarif } from '../../src/report/sarif';
import { docsUrlFor, VERSION } from '../../src/version';
import { finding, result } from './fixtures';
import { sarifErrors } from './sarif-schema';

const META = [
  { id: 'django/ssl-redirect', severity: 'high' as const, title: 'HTTP is not redirected to HTTPS', kinds: ['django-settings' as const] },
  { id: 'nginx/hsts', severity: 'medium' as const, title: 'No HSTS header', kinds: ['nginx' as const] },
  { id: 'parse/error', severity: 'low' as const, title: 'Parse error', kinds: [] },
  { id: 'cross/info', severity: 'info' as const, title: 'Info', kinds: [] },
];

function run(findings = [finding()], skipped: { path: string; reason: string }[] = []) {
  return toSarif(result(findings, { skipped }), { rules: META }).runs[0];
}

describe('SARIF report', () => {
  it('is valid SARIF 2.1.0 (the schema itself rejects a broken log)', () => {
    const log = toSarif(
      result(
        [finding({ ruleId: 'django/ssl-redirect', severity: 'high', path: 'my app/#1 100%.py' }), finding({ ruleId: 'nginx/hsts', line: 2, endLine: 5, endColumn: 1 })],
        { skipped: [{ path: 'deploy/link.conf', reason: 'symbolic link (never followed)' }] },
      ),
      { rules: META },
    );
    expect(sarifErrors(log)).toBe('');
    expect(sarifErrors({ ...log, version: '2.0.0' })).not.toBe('');
    const broken = structuredClone(log);
    (broken.runs[0].results![0].locations![0].physicalLocation!.region as Record<string, unknown>).startLine = 0;
    expect(sarifErrors(broken)).not.toBe('');
    const badUri = structuredClone(log);
    badUri.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri = 'my app/#1 100%.py';
    expect(sarifErrors(badUri)).toMatch(/uri-reference/);
  });

  it('gives related places as relatedLocations, valid against the schema', () => {
    const related = [{ path: 'deploy/my site.conf', line: 12, column: 5, message: 'nginx/hsts-missing: no HSTS' }, { path: 'b.py', line: 2 }];
    const log = toSarif(result([finding({ related }), finding({ line: 9 })]), { rules: META });
    expect(sarifErrors(log)).toBe('');
    const [first, second] = log.runs[0].results!;
    expect(first.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: 'deploy/my%20site.conf', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 5 } }, message: { text: 'nginx/hsts-missing: no HSTS' } },
      { id: 2, physicalLocation: { artifactLocation: { uri: 'b.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 2 } } },
    ]);
    expect(second).not.toHaveProperty('relatedLocations');
    const broken = structuredClone(log);
    (broken.runs[0].results![0].relatedLocations![0].physicalLocation!.region as Record<string, unknown>).startLine = 0;
    expect(sarifErrors(broken)).not.toBe('');
  });

  it('describes the tool and every registered rule by default', () => {
    const driver = toSarif(result([])).runs[0].tool.driver;
    expect(driver.name).toBe('HTTPS Guard');
    expect(driver.version).toBe(VERSION);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules!.map((r) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    for (const [i, rule] of driver.rules!.entries()) {
      expect(rule.shortDescription!.text).toBe(RULES[i].meta.title);
      expect(rule.helpUri).toBe(docsUrlFor(rule.id));
      expect(rule.properties!.tags).toContain('security');
    }
  });

  it('maps severities to levels and security-severity', () => {
    const rules = run([]).tool.driver.rules!;
    expect(rules.map((r) => [r.id, r.name, r.defaultConfiguration!.level, r.properties!['security-severity']])).toEqual([
      ['django/ssl-redirect', 'DjangoSslRedirect', 'error', '8.0'],
      ['nginx/hsts', 'NginxHsts', 'warning', '5.5'],
      ['parse/error', 'ParseError', 'note', '3.0'],
      ['cross/info', 'CrossInfo', 'note', '1.0'],
    ]);
    const levels = run(['high', 'medium', 'low', 'info'].map((s) => finding({ severity: s as 'high' }))).results!.map((r) => r.level);
    expect(levels).toEqual(['error', 'warning', 'note', 'note']);
  });

  it('reflects configured severity overrides in the rule metadata', () => {
    const rules = toSarif(result([]), { rules: META, severityOverrides: { 'django/ssl-redirect': 'low', 'nginx/hsts': 'off' } }).runs[0].tool.driver.rules!;
    expect(rules[0].defaultConfiguration).toEqual({ level: 'note', enabled: true });
    expect(rules[0].properties!['security-severity']).toBe('3.0');
    expect(rules[1].defaultConfiguration!.enabled).toBe(false);
  });

  it('builds each result from the Finding', () => {
    const [r] = run([finding({ ruleId: 'nginx/hsts', path: 'deploy/nginx.conf', line: 4, column: 3, endLine: 4, endColumn: 30 })]).results!;
    expect(r.ruleId).toBe('nginx/hsts');
    expect(r.ruleIndex).toBe(1);
    expect(r.message.text).toBe('SECURE_SSL_REDIRECT is False Set SECURE_SSL_REDIRECT = True.');
    expect(r.locations![0].physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/nginx.conf', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 30 },
    });
  });

  it('adds a descriptor for a finding whose rule is not in the list, so ruleIndex stays valid', () => {
    const log = toSarif(result([finding({ ruleId: 'x/unknown' })]), { rules: META });
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules![run0.results![0].ruleIndex!].id).toBe('x/unknown');
    expect(sarifErrors(log)).toBe('');
  });

  it('fingerprints survive line shifts but change with rule, path or message', () => {
    const fp = (f: ReturnType<typeof finding>) => run([f]).results![0].partialFingerprints![FINGERPRINT_KEY];
    const base = finding();
    expect(fp({ ...base, line: 40, endLine: 41, column: 9 })).toBe(fp(base));
    expect(fp({ ...base, ruleId: 'nginx/hsts' })).not.toBe(fp(base));
    expect(fp({ ...base, path: 'other/settings.py' })).not.toBe(fp(base));
    expect(fp({ ...base, message: 'something else' })).not.toBe(fp(base));
    expect(fp(base)).toMatch(/^[0-9a-f]{32}:1$/);
  });

  it('tells identical findings in one file apart', () => {
    const prints = run([finding({ line: 1, endLine: 1 }), finding({ line: 8, endLine: 8 })]).results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    expect(prints[0].split(':')[0]).toBe(prints[1].split(':')[0]);
    expect(prints[0]).not.toBe(prints[1]);
  });

  it('reports skipped files as tool execution notifications', () => {
    const inv = run([], [{ path: 'a b/x.conf', reason: 'not a regular file' }]).invocations![0];
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: 'Skipped a b/x.conf: not a regular file' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a%20b/x.conf', uriBaseId: '%SRCROOT%' } } }] },
    ]);
  });

  it('percent-encodes paths into relative URIs', () => {
    expect(pathToUri('my app/#1/100%.py')).toBe('my%20app/%231/100%25.py');
    expect(pathToUri('deploy/nginx.conf')).toBe('deploy/nginx.conf');
    expect(ruleName('uwsgi/http-socket-plain')).toBe('UwsgiHttpSocketPlain');
  });

  it('validates for a real scan of a workspace', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-sarif-'));
    try {
      fs.mkdirSync(path.join(root, 'proj'));
      fs.writeFileSync(path.join(root, 'proj/settings.py'), 'DEBUG = False\nSECURE_SSL_REDIRECT = (\n');
      fs.symlinkSync('/etc/hostname', path.join(root, 'proj/link.py'));
      const scanned = scan({ root });
      const log = toSarif(scanned);
      expect(sarifErrors(log)).toBe('');
      expect(log.runs[0].results!.length).toBe(scanned.findings.length);
      expect(scanned.findings.length).toBeGreaterThan(0);
      expect(log.runs[0].invocations![0].toolExecutionNotifications!.length).toBe(1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
