import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/report/json';
import { finding, result } from './fixtures';

describe('JSON report', () => {
  it('has exactly the contract keys, in order, pretty-printed with 2 spaces', () => {
    const extra = { ...finding(), internal: 'must not leak' } as ReturnType<typeof finding>;
    const text = formatJson(result([extra], { skipped: [{ path: 'x.conf', reason: 'symbolic link (never followed)' }] }));
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['version', 'findings', 'files', 'skipped']);
    expect(Object.keys(parsed.findings[0])).toEqual(['ruleId', 'severity', 'path', 'line', 'column', 'endLine', 'endColumn', 'message', 'hint', 'docsUrl']);
    expect(Object.keys(parsed.files[0])).toEqual(['path', 'kind']);
    expect(Object.keys(parsed.skipped[0])).toEqual(['path', 'reason']);
    expect(text.split('\n')[1]).toBe('  "version": "0.1.0",');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('adds `deploymentFiles` last, only when the model read files besides the checked ones', () => {
    const r = result([finding()]);
    const withRead = { ...r, deploymentFiles: [{ path: 'fly.toml', role: 'production' as const }, { path: 'Dockerfile', role: 'production' as const }] };
    const parsed = JSON.parse(formatJson(withRead));
    expect(Object.keys(parsed)).toEqual(['version', 'findings', 'files', 'skipped', 'deploymentFiles']);
    expect(parsed.deploymentFiles).toEqual([{ path: 'fly.toml', role: 'production' }, { path: 'Dockerfile', role: 'production' }]);
    expect(Object.keys(JSON.parse(formatJson(r)))).not.toContain('deploymentFiles');
  });

  it('round-trips the ScanResult', () => {
    const r = result([finding(), finding({ severity: 'high', line: 9, endLine: 9 })]);
    expect(JSON.parse(formatJson(r))).toEqual(r);
  });

  it('adds `related` only to findings that have other places, with only the keys they carry', () => {
    const withRelated = finding({ related: [{ path: 'deploy/nginx.conf', line: 12, column: 5, message: 'nginx/hsts-missing: no HSTS' }, { path: 'b.py', line: 2 }] });
    const parsed = JSON.parse(formatJson(result([finding(), withRelated])));
    expect(Object.keys(parsed.findings[0])).not.toContain('related');
    expect(Object.keys(parsed.findings[1]).at(-1)).toBe('related');
    expect(parsed.findings[1].related).toEqual([
      { path: 'deploy/nginx.conf', line: 12, column: 5, message: 'nginx/hsts-missing: no HSTS' },
      { path: 'b.py', line: 2 },
    ]);
    const extra = finding({ related: [{ path: 'x', line: 1, internal: 'no' } as never] });
    expect(Object.keys(JSON.parse(formatJson(result([extra]))).findings[0].related[0])).toEqual(['path', 'line']);
  });
});
