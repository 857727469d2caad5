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

  it('round-trips the ScanResult', () => {
    const r = result([finding(), finding({ severity: 'high', line: 9, endLine: 9 })]);
    expect(JSON.parse(formatJson(r))).toEqual(r);
  });
});
