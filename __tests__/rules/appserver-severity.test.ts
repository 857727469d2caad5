// Severities the uwsgi and gunicorn rules pick per finding (the fixture tester checks only where they fire).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';

function severities(rule: string, fixture: string): string[] {
  const abs = path.join(__dirname, rule, fixture);
  const isDir = fs.statSync(abs).isDirectory();
  const { result } = analyse({ root: isDir ? abs : path.dirname(abs), paths: isDir ? undefined : [fixture] });
  return result.findings.filter((f) => f.ruleId === rule).map((f) => f.severity);
}

describe('uwsgi and gunicorn severities', () => {
  const cases: [string, string, string[]][] = [
    ['uwsgi/legacy-tls-enabled', 'tlsv1.ini', ['high']],
    // The shared file is also read on its own (no listener there): the run that opens one decides.
    ['uwsgi/legacy-tls-enabled', 'shared_base', ['high']],
    ['uwsgi/legacy-tls-enabled', 'uwsgi_bare_flag.yaml', ['low']],
    ['uwsgi/scheme-forced', 'nginx_plain', ['medium']],
    ['gunicorn/forwarded-proto-spoofable', 'nginx_no_header', ['medium']],
    ['gunicorn/forwarded-proto-spoofable', 'relay_no_tls', ['low']],
    ['gunicorn/forwarded-proto-spoofable', 'direct_bind', ['low']],
    ['gunicorn/secure-scheme-headers-unmatched', 'lower_case', ['medium']],
    ['gunicorn/secure-scheme-headers-unmatched', 'never_sent', ['medium']],
    ['gunicorn/secure-scheme-headers-unmatched', 'django_trusts_low', ['low']],
    // RC4 only: OpenSSL 1.1.0+ builds none of it, so medium (3DES would keep it high).
    ['nginx/weak-ssl-ciphers', 'uwsgi_https_rc4.ini', ['medium']],
  ];
  for (const [rule, fixture, want] of cases) {
    it(`${rule} on ${fixture}: ${want.join(', ')}`, () => expect(severities(rule, fixture)).toEqual(want));
  }
});
