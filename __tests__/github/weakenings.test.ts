import { describe, expect, it } from 'vitest';
import { mergeConfig } from '../../src/config';
import { hiddenFindings, weakenings } from '../../src/github/base-config';
import type { Finding, ScanResult } from '../../src/types';

const finding = (ruleId: string, severity: Finding['severity'], line = 1): Finding => ({ ruleId, severity, path: 'a.py', line, column: 1, endLine: line, endColumn: 2, message: 'm', hint: 'h', docsUrl: '' });
const result = (findings: Finding[]): ScanResult => ({ version: '0', findings, files: [], skipped: [] });

describe('what a pull request configuration weakens', () => {
  it('names added ignores, rules turned off, lowered severities, a raised fail-on and a lower size cap', () => {
    const base = mergeConfig({ ignore: ['docs/**'], rules: { 'django/hsts-off': 'low' } });
    const head = mergeConfig({
      ignore: ['docs/**', 'deploy/**'],
      rules: { 'django/hsts-off': 'off', 'django/session-cookie-insecure': 'medium' },
      failOn: 'never',
      maxFileBytes: 10,
    });
    expect(weakenings(base, head)).toEqual([
      'ignores "deploy/**"',
      'turns off django/hsts-off',
      'lowers django/session-cookie-insecure high → medium',
      'raises fail-on from high to never',
      'lowers max-file-bytes from 5242880 to 10',
    ]);
  });

  it('says nothing when the pull request only tightens', () => {
    const base = mergeConfig({ ignore: ['x/**'], rules: { 'django/session-cookie-insecure': 'low' }, failOn: 'medium' });
    const head = mergeConfig({ rules: { 'django/session-cookie-insecure': 'high' }, failOn: 'low' });
    expect(weakenings(base, head)).toEqual([]);
  });

  it('lists findings that disappear and those that would stop failing', () => {
    const base = mergeConfig({});
    const head = mergeConfig({ failOn: 'never' });
    const a = finding('r/a', 'high', 1);
    const b = finding('r/b', 'high', 2);
    const c = finding('r/c', 'low', 3);
    const hidden = hiddenFindings(result([a, b, c]), base, result([b, c]), head);
    expect(hidden.gone).toEqual([a]);
    expect(hidden.passing).toEqual([b]);
  });
});
