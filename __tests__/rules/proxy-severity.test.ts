// Severities nginx/uwsgi-forwarded-proto-spoofable picks per finding (the fixture tester checks only where it fires).
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';

const RULE = 'nginx/uwsgi-forwarded-proto-spoofable';

function findings(fixture: string) {
  const dir = path.join(__dirname, RULE);
  return analyse({ root: dir, paths: [fixture] }).result.findings.filter((f) => f.ruleId === RULE);
}

describe(`${RULE} severities`, () => {
  it('is medium where this nginx also terminates TLS: a client on the plain listener passes for HTTPS', () => {
    expect(findings('plain_and_tls.conf').map((f) => f.severity)).toEqual(['medium']);
    expect(findings('nested_drop.conf').map((f) => f.severity)).toEqual(['medium']);
  });

  it('is low, and says why, where this nginx has no TLS listener at all', () => {
    const f = findings('no_listen.conf');
    expect(f.map((x) => x.severity)).toEqual(['low', 'low']);
    expect(f[0].message).toMatch(/Low: this nginx has no TLS listener/);
  });
});
