import { describe, expect, it } from 'vitest';
import {
  CIPHER_FLAGS,
  CIPHER_SUITES,
  OPENSSL_DEFAULT_CIPHER_LIST,
  cipherSuiteFlags,
  evaluateCipherString,
  filterBySecurityLevel,
  type CipherSuite,
} from '../../src/tls/ciphers';
import { randomCipherString, seededRandom } from './cipher-string-generator';

const names = (suites: readonly CipherSuite[]) => suites.map((s) => s.name);
const ev = evaluateCipherString;

describe('suite table', () => {
  it('has unique ids and names, sorted by id', () => {
    expect(new Set(CIPHER_SUITES.map((s) => s.id)).size).toBe(CIPHER_SUITES.length);
    expect(new Set(CIPHER_SUITES.map((s) => s.name)).size).toBe(CIPHER_SUITES.length);
    const ids = CIPHER_SUITES.map((s) => s.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('keeps strength class, bits and flags consistent', () => {
    for (const s of CIPHER_SUITES) {
      expect(s.strength === 'NONE', s.name).toBe(s.enc === 'NULL');
      expect(s.export, s.name).toBe(s.strength === 'EXP40');
      expect(s.strengthBits, s.name).toBeLessThanOrEqual(s.bits);
      if (s.enc === '3DES') expect([s.strength, s.strengthBits, s.notDefault], s.name).toEqual(['MEDIUM', 112, true]);
      if (['RC4', 'DES', 'SEED', 'IDEA', 'RC2'].includes(s.enc)) expect(s.notDefault, s.name).toBe(true);
      if (s.availability === 'default') expect(['RC4', '3DES', 'DES', 'RC2', 'IDEA', 'SEED']).not.toContain(s.enc);
    }
  });

  it('includes the legacy suites old servers still offer', () => {
    const byName = new Map(CIPHER_SUITES.map((s) => [s.name, s]));
    for (const n of ['RC4-SHA', 'RC4-MD5', 'DES-CBC3-SHA', 'DES-CBC-SHA', 'EXP-RC4-MD5', 'EXP-RC2-CBC-MD5',
      'IDEA-CBC-SHA', 'SEED-SHA', 'ECDH-RSA-AES128-SHA', 'DH-RSA-AES256-SHA', 'NULL-MD5', 'ADH-RC4-MD5']) {
      expect(byName.has(n), n).toBe(true);
    }
    expect(byName.get('IDEA-CBC-SHA')?.maxProtocol).toBe('TLSv1.1');
    expect(byName.get('RC4-SHA')?.availability).toBe('weak');
    expect(byName.get('EXP-RC4-MD5')?.availability).toBe('removed');
  });
});

describe('evaluateCipherString', () => {
  it('nginx default HIGH:!aNULL:!MD5: no broken ciphers, but kRSA, CBC and SHA1', () => {
    const r = ev('HIGH:!aNULL:!MD5');
    expect(r.ok).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.listed[0].name).toBe('ECDHE-ECDSA-AES256-GCM-SHA384');
    for (const f of ['rc4', 'des', 'tripleDes', 'eNull', 'aNull', 'export', 'md5'] as const) expect(r[f], f).toBe(false);
    expect(r.nonForwardSecret).toBe(true);
    expect(r.cbc).toBe(true);
    expect(r.sha1).toBe(true);
    expect(r.dhe).toBe(true);
    expect(r.flaggedSuites.nonForwardSecret).toContain('AES128-SHA');
    expect(r.flaggedSuites.nonForwardSecret).toContain('DH-RSA-AES128-SHA'); // static DH is HIGH too
  });

  it('Mozilla intermediate: ECDHE + AEAD only', () => {
    const r = ev('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
      'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305');
    expect(r.suites).toHaveLength(6);
    expect(names(r.suites)[0]).toBe('ECDHE-ECDSA-AES128-GCM-SHA256'); // explicit names keep their order
    for (const f of CIPHER_FLAGS) expect(r[f], f).toBe(false);
  });

  it('ALL enables every legacy weakness but eNULL; the security level takes them away step by step', () => {
    const r = ev('ALL');
    for (const f of ['rc4', 'des', 'tripleDes', 'aNull', 'export', 'md5', 'rc2', 'idea', 'seed'] as const) expect(r[f], f).toBe(true);
    expect(r.eNull).toBe(false);
    expect(r.securityLevel).toBe(0);
    expect(r.suites).toEqual(r.listed);

    const l1 = ev('ALL', { seclevel: 1 });
    expect([l1.export, l1.des, l1.md5, l1.aNull]).toEqual([false, false, false, false]);
    expect(l1.flaggedSuites.rc4).toContain('RC4-SHA');
    expect(l1.tripleDes).toBe(true);
    expect(l1.listed).toEqual(r.listed);
    const l2 = ev('ALL', { seclevel: 2 });
    expect([l2.rc4, l2.tripleDes]).toEqual([false, true]);
    const l3 = ev('ALL', { seclevel: 3 });
    expect([l3.tripleDes, l3.nonForwardSecret, l3.sha1]).toEqual([false, false, true]);
    const l4 = ev('ALL', { seclevel: 4 });
    expect(l4.sha1).toBe(false);
    expect(filterBySecurityLevel(r.listed, 4)).toEqual(l4.suites);
  });

  it('COMPLEMENTOFALL is eNULL, which ALL leaves out', () => {
    const r = ev('COMPLEMENTOFALL');
    expect(r.suites.every((s) => s.enc === 'NULL')).toBe(true);
    expect(r.eNull).toBe(true);
    expect(ev('ALL:COMPLEMENTOFALL', { seclevel: 1 }).eNull).toBe(false); // level ≥1 drops 0-bit suites
  });

  it('DEFAULT is ALL:!COMPLEMENTOFDEFAULT:!eNULL, and only at the start of the string', () => {
    expect(names(ev('DEFAULT').listed)).toEqual(names(ev(OPENSSL_DEFAULT_CIPHER_LIST).listed));
    const d = ev('DEFAULT');
    expect([d.rc4, d.tripleDes, d.aNull, d.export]).toEqual([false, false, false, false]);
    const mid = ev('HIGH:DEFAULT');
    expect(mid.unknownTokens).toEqual(['DEFAULT']);
    expect(names(mid.listed)).toEqual(names(ev('HIGH').listed));
    const s = ev('DEFAULTS'); // plain prefix match: DEFAULT, then an unknown "S"
    expect(s.unknownTokens).toEqual(['S']);
    expect(names(s.listed)).toEqual(names(d.listed));
  });

  it('! deletes for good, - can be added back (at the end)', () => {
    expect(ev('ALL:!RC4:RC4').rc4).toBe(false);
    const back = ev('ALL:-RC4:RC4');
    expect(back.rc4).toBe(true);
    const rc4 = back.flaggedSuites.rc4.length;
    expect(back.listed.slice(-rc4).every((s) => s.enc === 'RC4')).toBe(true);
    expect(ev('!RC4:ALL').rc4).toBe(false);
  });

  it('+ moves matching enabled suites to the end without adding any', () => {
    const plain = ev('HIGH');
    const moved = ev('HIGH:+kRSA');
    expect([...names(moved.listed)].sort()).toEqual([...names(plain.listed)].sort());
    const k = moved.listed.filter((s) => s.kx === 'RSA').length;
    expect(k).toBeGreaterThan(0);
    expect(moved.listed.slice(-k).every((s) => s.kx === 'RSA')).toBe(true);
    expect(ev('+RC4').ok).toBe(false); // nothing enabled, nothing to move
  });

  it('A+B is the intersection of the aliases', () => {
    const r = ev('ECDHE+AESGCM');
    expect(r.listed.length).toBeGreaterThan(0);
    expect(r.listed.every((s) => s.kx === 'ECDHE' && /^AES\d+GCM$/.test(s.enc) && s.au !== 'NULL')).toBe(true);
    expect(ev('EECDH+aRSA+RC4').listed.map((s) => s.name)).toEqual(['ECDHE-RSA-RC4-SHA']);
    const none = ev('HIGH+MEDIUM');
    expect([none.ok, none.errors]).toEqual([false, ['no cipher match']]);
    expect(names(ev('TLSv1.2+kRSA').listed)).toContain('AES128-GCM-SHA256');
    expect(ev('AES128-SHA+TLSv1.2').ok).toBe(false); // AES128-SHA's minimum protocol is SSLv3
  });

  it('protocol aliases match the minimum protocol exactly', () => {
    const v3 = ev('SSLv3');
    expect(v3.listed.every((s) => s.protocol === 'SSLv3')).toBe(true);
    expect(names(v3.listed)).toContain('AES128-SHA');
    expect(names(ev('TLSv1').listed)).toContain('ECDHE-RSA-AES128-SHA');
    expect(names(ev('TLSv1').listed)).not.toContain('AES128-SHA');
  });

  it('@STRENGTH sorts by strength bits, keeping the order within a strength', () => {
    const r = ev('ALL:@STRENGTH');
    const bits = r.listed.map((s) => s.strengthBits);
    expect(bits).toEqual([...bits].sort((a, b) => b - a));
    const s128 = r.listed.filter((s) => s.strengthBits === 128).map((s) => s.name);
    expect(s128).toEqual(ev('ALL').listed.filter((s) => s.strengthBits === 128).map((s) => s.name));
  });

  it('@SECLEVEL in the string overrides the option', () => {
    expect(ev('@SECLEVEL=0:ALL', { seclevel: 2 }).securityLevel).toBe(0);
    expect(ev('ALL:@SECLEVEL=3').securityLevel).toBe(3);
    expect(ev('ALL:@SECLEVEL=3').suites.every((s) => ['DHE', 'ECDHE', 'DHEPSK', 'ECDHEPSK'].includes(s.kx))).toBe(true);
    const bad = ev('HIGH:@SECLEVEL=6');
    expect([bad.ok, bad.suites]).toEqual([false, []]);
    expect(ev('HIGH:@FOO').errors).toEqual(['invalid command: @FOO']);
    expect(() => ev('HIGH', { seclevel: 6 })).toThrow(RangeError);
  });

  it('reports unknown tokens and skips the rest of their + combination', () => {
    const r = ev('HIGH:FOO:SSLv2:!aNULL');
    expect(r.unknownTokens).toEqual(['FOO', 'SSLv2']);
    expect(r.ok).toBe(true);
    // The unknown first part makes OpenSSL skip "!FOO+RC4" entirely, so RC4 stays.
    expect(ev('ALL:!FOO+RC4').rc4).toBe(true);
    // Aliases are case-sensitive.
    expect(ev('high').ok).toBe(false);
    expect(ev('high').unknownTokens).toEqual(['high']);
  });

  it('notes IANA names, which OpenSSL 3.0 does not take in cipher strings', () => {
    const r = ev('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:AES256-SHA');
    expect(r.unknownTokens).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
    expect(r.notes.join('\n')).toMatch(/IANA name/);
    expect(names(r.listed)).toEqual(['AES256-SHA']);
  });

  it('empty or unmatched strings are errors, as SSL_CTX_set_cipher_list fails on them', () => {
    for (const s of ['', ':', '   ', 'FOO', '!ALL', 'SSLv2']) {
      const r = ev(s);
      expect(r.ok, JSON.stringify(s)).toBe(false);
      expect(r.errors, JSON.stringify(s)).toEqual(['no cipher match']);
      expect(r.suites).toEqual([]);
    }
  });

  it('accepts : , ; and space as separators, nothing else', () => {
    const ref = names(ev('HIGH:!aNULL:!MD5').listed);
    expect(names(ev(' HIGH ;  !aNULL,,!MD5 ').listed)).toEqual(ref);
    expect(names(ev('HIGH!aNULL!MD5').listed)).toEqual(ref); // a found word needs no separator before the next prefix
    for (const s of ['HIGH:\t!aNULL', 'HIGH\n:!aNULL', 'HIGH:!:MD5', 'HIGH:!aNULL+', 'HIGH:(x)', 'HIGH:é']) {
      const r = ev(s);
      expect(r.ok, JSON.stringify(s)).toBe(false);
      expect(r.errors[0], JSON.stringify(s)).toMatch(/^invalid command/);
      expect(r.suites).toEqual([]);
    }
  });

  it('ignores everything after a NUL, like OpenSSL reading a C string', () => {
    const r = ev('HIGH\0:RC4');
    expect(r.rc4).toBe(false);
    expect(r.notes.join()).toMatch(/NUL/);
  });

  it('legacy suites: RC4, EXPORT, DES, static ECDH', () => {
    expect(names(ev('RC4-SHA').suites)).toEqual(['RC4-SHA']);
    const exp = ev('EXPORT');
    expect(exp.suites.every((s) => s.export)).toBe(true);
    expect(exp.flaggedSuites.export).toContain('EXP-RC4-MD5');
    expect([exp.export, exp.rc4, exp.md5, exp.des, exp.rc2]).toEqual([true, true, true, true, true]);
    expect(ev('EXPORT', { seclevel: 1 }).suites).toEqual([]);
    expect(ev('DES').suites.every((s) => s.enc === 'DES')).toBe(true);
    expect(ev('LOW').suites.every((s) => s.strength === 'LOW')).toBe(true);
    const kecdh = ev('kECDH');
    expect(kecdh.suites.every((s) => s.kx === 'ECDHr' || s.kx === 'ECDHe')).toBe(true);
    expect(kecdh.nonForwardSecret).toBe(true);
    expect(names(ev('ECDH').suites)).toEqual(expect.arrayContaining(['ECDH-RSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'AECDH-AES128-SHA']));
    expect(names(ev('ECDHE').suites)).not.toContain('AECDH-AES128-SHA');
  });

  it('old EDH-*-DES-CBC3-SHA names still select the DHE 3DES suites', () => {
    expect(names(ev('EDH-RSA-DES-CBC3-SHA').suites)).toEqual(['DHE-RSA-DES-CBC3-SHA']);
  });

  it('DHE suites are reported for ssl_dhparam', () => {
    const r = ev('EECDH+AESGCM:EDH+AESGCM');
    expect(r.dhe).toBe(true);
    expect(r.flaggedSuites.dhe).toEqual(expect.arrayContaining(['DHE-RSA-AES128-GCM-SHA256']));
    expect(ev('EECDH+AESGCM').dhe).toBe(false);
  });

  it('Suite B prefixes replace the whole string', () => {
    const r = ev('SUITEB128:ALL');
    expect(names(r.suites)).toEqual(['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384']);
    expect(r.notes.join()).toMatch(/Suite B/);
  });

  it('per-suite flags', () => {
    const f = cipherSuiteFlags(CIPHER_SUITES.find((s) => s.name === 'EXP-RC4-MD5')!);
    expect(Object.entries(f).filter(([, v]) => v).map(([k]) => k).sort()).toEqual(['export', 'md5', 'nonForwardSecret', 'rc4']);
    expect(cipherSuiteFlags(CIPHER_SUITES.find((s) => s.name === 'ECDHE-PSK-AES128-CBC-SHA')!)).toMatchObject({
      psk: true, nonForwardSecret: false, cbc: true, sha1: true, dhe: false,
    });
  });
});

describe('robustness', () => {
  const time = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };

  it('1 MB of repeated aliases (200k tokens) in well under a second', () => {
    const s = 'HIGH:!aNULL:'.repeat(Math.ceil(1_048_576 / 12)).slice(0, 1_048_576);
    let r: ReturnType<typeof ev> | undefined;
    expect(time(() => (r = ev(s)))).toBeLessThan(1000);
    expect(r?.ok).toBe(true);
  });

  it('100k random tokens in well under a second', () => {
    const rnd = seededRandom(7);
    const parts: string[] = [];
    let tokens = 0;
    while (tokens < 100_000) {
      const p = randomCipherString(rnd);
      tokens += p.split(/[:;, ]+/).length;
      parts.push(p);
    }
    const s = parts.join(':');
    let r: ReturnType<typeof ev> | undefined;
    expect(time(() => (r = ev(s)))).toBeLessThan(1000);
    expect(r?.unknownTokens.length).toBeLessThanOrEqual(100);
  });

  it('one 1 MB word, a 100k-part + chain, and 1 MB of random bytes do not throw', () => {
    const inputs = [
      'A'.repeat(1_048_576),
      `${'HIGH+'.repeat(100_000)}AES`,
      `${'ALL+'.repeat(100_000)}FOO`,
      Array.from({ length: 1_048_576 }, (_, i) => String.fromCharCode((i * 2654435761) % 65536)).join(''),
      '@'.repeat(100_000),
      '!'.repeat(100_000),
      ':'.repeat(1_048_576),
    ];
    for (const s of inputs) {
      let r: ReturnType<typeof ev> | undefined;
      expect(time(() => (r = ev(s)))).toBeLessThan(1000);
      expect(typeof r?.ok).toBe('boolean');
    }
  });
});
