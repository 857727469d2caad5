import type { Finding, ScanResult } from '../../src/types';
import { docsUrlFor, VERSION } from '../../src/version';

export function finding(over: Partial<Finding> = {}): Finding {
  const ruleId = over.ruleId ?? 'parse/error';
  return {
    ruleId,
    severity: 'medium',
    path: 'app/settings.py',
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 20,
    message: 'SECURE_SSL_REDIRECT is False',
    hint: 'Set SECURE_SSL_REDIRECT = True.',
    docsUrl: docsUrlFor(ruleId),
    ...over,
  };
}

export function result(findings: Finding[], over: Partial<ScanResult> = {}): ScanResult {
  return {
    version: VERSION,
    findings,
    files: [
      { path: 'app/settings.py', kind: 'django-settings' },
      { path: 'app/wsgi.py', kind: 'wsgi' },
    ],
    skipped: [],
    ...over,
  };
}
