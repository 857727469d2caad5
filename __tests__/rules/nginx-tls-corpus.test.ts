import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { SourceText } from '../../src/parsers/source';
import { RULES as TLS_RULES } from '../../src/rules/nginx/_tls';
import { dhParamBits } from '../../src/rules/nginx/_tls-util';
import type { Report } from '../../src/rules/types';

/**
 * Mozilla's generated nginx configs are the ground truth for "good": modern and intermediate must not draw a high
 * or medium TLS finding, whatever nginx release is assumed; "old" (guideline 5.7) must draw weak-ssl-protocols and
 * weak-ssl-ciphers.
 */
const GENERATED = path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'nginx', 'mozilla-ssl-config-generator', 'generated');
const haveCorpus = fs.existsSync(GENERATED);
if (!haveCorpus) console.warn(`[nginx-tls-corpus] skipped: ${GENERATED} not found (the shared corpus sits beside the repository)`);

const TLS_IDS = new Set(TLS_RULES.map((r) => r.meta.id));

function tlsFindings(file: string, nginxVersion?: string) {
  const { result } = analyse({ root: GENERATED, paths: [file], config: nginxVersion ? { nginxVersion } : {} });
  return result.findings.filter((f) => TLS_IDS.has(f.ruleId));
}

describe.skipIf(!haveCorpus)('Mozilla ssl-config-generator output', () => {
  const files = haveCorpus ? fs.readdirSync(GENERATED).filter((f) => f.endsWith('.conf')).sort() : [];

  it('has modern, intermediate and old configs', () => {
    for (const profile of ['modern', 'intermediate', 'old']) expect(files.some((f) => f.includes(`_${profile}`)), profile).toBe(true);
  });

  for (const file of files) {
    const generatedFor = /^nginx-(\d+\.\d+\.\d+)_/.exec(file)?.[1];
    for (const version of [undefined, generatedFor]) {
      const label = `${file} (nginx ${version ?? 'default'})`;
      if (file.includes('_old')) {
        it(`${label}: old fires weak-ssl-protocols and weak-ssl-ciphers`, () => {
          const ids = new Set(tlsFindings(file, version).filter((f) => f.severity === 'high').map((f) => f.ruleId));
          expect([...ids].sort()).toEqual(['nginx/weak-ssl-ciphers', 'nginx/weak-ssl-protocols']);
        });
      } else {
        it(`${label}: no high or medium TLS finding`, () => {
          const serious = tlsFindings(file, version).filter((f) => f.severity === 'high' || f.severity === 'medium');
          expect(serious.map((f) => `${f.ruleId} ${f.path}:${f.line} ${f.message}`)).toEqual([]);
        });
      }
    }
  }
});

// Generated with `openssl dhparam -dsaparam 1024` (X9.42 form, OpenSSL 3.0) and
// `openssl genpkey -genparam -algorithm DH -pkeyopt dh_paramgen_prime_len:1024` (PKCS#3 form).
const DH1024_X942 = `-----BEGIN X9.42 DH PARAMETERS-----
MIIBJgKBgQC2UW9hbkA4OdMETobvxW109pL7vj6rLtX6nMBHLsb6wC3xMLJfjwnD
RKQWjJfr0gNXgQVm+iHptddw/egqd5uBhCBQ3crE8Y4LLqvpJPeW8rTURUZo5dzR
hCx2jmoCmo+tOY7oyQUQYoGQrvuNsS6RbNjtW0LwovvvRj6AyNsGUQKBgCO6Gkb/
37iEB5p75OOqsUen0TGsuOxhrtXgTvtHyP/hSoSsmzZJLKJuieA95t3tCzHyAxEh
peHIvQQPVoFMPDsBa1m1ZgiZLCwJ49MpIOSn+wX2qJkFmxZXgfmVjrs+hYWEH7JP
AcGVok31CkLPPGnciyTZS/oir1RpAbS+73tzAh0AjV0CWM55H0orWnp7k43BxIq5
0Frj5mlHU5PXFw==
-----END X9.42 DH PARAMETERS-----
`;
const DH1024_PKCS3 = `-----BEGIN DH PARAMETERS-----
MIGHAoGBAIuiRyVl94dexNY5KuMBclWWlOh9sW0m9HAOHfahHYRxqnSjV151M3Ib
qQdSuAOhCEhtEoValSUzjfwSuQsJMoP8on3BsWC1z9GEruvx27y4bDt1oLKPDdUz
LP2aYcrUg0M9weAuPhYb7nKkmUKXDujbRKDSuVdJpwn81VUaGkavAgEC
-----END DH PARAMETERS-----
`;
const DHPARAM_FIXTURE = path.join(__dirname, 'nginx', 'dhe-without-dhparam', 'dhparam_2048_ok');

describe('ssl_dhparam prime size', () => {
  it('reads the prime size of PKCS#3 and X9.42 DH parameters', () => {
    expect(dhParamBits(DH1024_X942)).toBe(1024);
    expect(dhParamBits(DH1024_PKCS3)).toBe(1024);
    expect(dhParamBits(fs.readFileSync(path.join(DHPARAM_FIXTURE, 'nginx', 'dhparam.pem'), 'utf8'))).toBe(2048);
    expect(dhParamBits('-----BEGIN DH PARAMETERS-----\nAAAA\n-----END DH PARAMETERS-----\n')).toBeUndefined();
    expect(dhParamBits('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')).toBeUndefined();
  });

  // Rules cannot read files; the rule sees a dhparam file only when the model holds its text (see the rule's docs).
  // This stands in for that: the fixture's file, then a 1024-bit one, put into the model's sources.
  function dhFindings(pem?: string) {
    const { model, config } = analyse({ root: DHPARAM_FIXTURE });
    if (pem !== undefined) model.sources.set('nginx/dhparam.pem', new SourceText('nginx/dhparam.pem', pem));
    const out: Report[] = [];
    TLS_RULES.find((r) => r.meta.id === 'nginx/dhe-without-dhparam')!.check({ model, config, report: (r) => out.push(r) });
    return out;
  }

  it('skips the size check when the file was not read', () => {
    expect(dhFindings()).toEqual([]);
  });

  it('accepts a 2048-bit group', () => {
    expect(dhFindings(fs.readFileSync(path.join(DHPARAM_FIXTURE, 'nginx', 'dhparam.pem'), 'utf8'))).toEqual([]);
  });

  it('reports a 1024-bit group at the ssl_dhparam line', () => {
    for (const pem of [DH1024_X942, DH1024_PKCS3]) {
      const found = dhFindings(pem);
      expect(found).toHaveLength(1);
      expect(found[0].loc).toMatchObject({ path: 'nginx/nginx.conf', line: 7 });
      expect(found[0].message).toMatch(/1024-bit DH group/);
    }
  });
});
