/**
 * Differential test: evaluateCipherString against the local `openssl ciphers`.
 *
 * Our table also has suites the local OpenSSL lacks (RC4, 3DES, EXPORT, …), so every comparison is
 * restricted to the suites the local OpenSSL lists for 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'. Removing
 * suites never reorders the others (every rule moves or drops suites by a per-suite test), so on
 * that restriction the lists must agree exactly, order included.
 *
 * TLS 1.3 suites are kept out with `-ciphersuites ''`: they are not set by a cipher string.
 * Mandatory when CI=true; elsewhere skipped if there is no `openssl`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, cipherSuiteFlags, evaluateCipherString, type CipherSuite } from '../../src/tls/ciphers';
import { randomCipherString, seededRandom } from './cipher-string-generator';

const here = dirname(fileURLToPath(import.meta.url));
const corpusRoot = resolve(here, '../../../shared/corpus');
const fixtures = JSON.parse(readFileSync(join(here, 'fixtures/cipher-strings.json'), 'utf8')) as {
  source: string;
  cipher: string;
}[];

const CI = process.env.CI === 'true';
const EXEC_TIMEOUT_MS = 10_000;
const GENERATED = 300;
const SEED = 20250611;
/** Debian and Ubuntu build OpenSSL with security level 2; on the suites OpenSSL 3.0 has, 1 and 2 select the same. */
const DISTRO_SECLEVEL = 2;

function opensslVersion(): string | undefined {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8', timeout: EXEC_TIMEOUT_MS }).trim();
  } catch {
    return undefined;
  }
}

const version = opensslVersion();
if (version === undefined && !CI) console.warn('openssl not found on PATH: skipping the OpenSSL oracle tests');

type Listing = string[] | 'rejected';

/** `openssl ciphers`; 'rejected' when OpenSSL refuses the string (nginx would not start). */
function opensslCiphers(cipher: string, supportedOnly: boolean, verbose = false): Listing | string {
  const args = ['ciphers', '-ciphersuites', '', ...(supportedOnly ? ['-s', '-psk', '-srp'] : []), ...(verbose ? ['-V'] : []), '--', cipher];
  try {
    const out = execFileSync('openssl', args, { encoding: 'utf8', timeout: EXEC_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    if (verbose) return out;
    const line = out.trim();
    return line === '' ? [] : line.split(':');
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '');
    if (/Error in cipher list/.test(stderr)) return 'rejected';
    throw new Error(`openssl ${args.join(' ')} failed: ${String(e)}\n${stderr}`);
  }
}

const listing = (cipher: string, supportedOnly: boolean) => opensslCiphers(cipher, supportedOnly) as Listing;

const BY_NAME = new Map(CIPHER_SUITES.map((s) => [s.name, s]));
const ORACLE_FLAGS = ['rc4', 'des', 'tripleDes', 'eNull', 'aNull', 'export', 'md5', 'nonForwardSecret'] as const;

function flagsOf(names: readonly string[]): string {
  const on = ORACLE_FLAGS.filter((f) => names.some((n) => cipherSuiteFlags(BY_NAME.get(n)!)[f]));
  return on.join(',') || '-';
}

interface Tally {
  compared: number;
  flagsAgree: number;
  setAgree: number;
  orderAgree: number;
  mismatches: string[];
}

const tally = (): Tally => ({ compared: 0, flagsAgree: 0, setAgree: 0, orderAgree: 0, mismatches: [] });

function compare(t: Tally, label: string, theirs: Listing, oursAll: readonly CipherSuite[], oursOk: boolean, local: Set<string>): void {
  t.compared++;
  const ours = oursOk ? oursAll.map((s) => s.name).filter((n) => local.has(n)) : [];
  if (theirs === 'rejected') {
    // OpenSSL also rejects a string whose suites it all lacks ("no cipher match").
    if (ours.length === 0) {
      t.flagsAgree++, t.setAgree++, t.orderAgree++;
    } else {
      t.mismatches.push(`${label}: OpenSSL rejects it, we enable ${ours.length} local suites`);
    }
    return;
  }
  if (!oursOk) {
    t.mismatches.push(`${label}: we reject it, OpenSSL lists ${theirs.length} suites`);
    return;
  }
  const unknownToUs = theirs.filter((n) => !BY_NAME.has(n));
  if (unknownToUs.length > 0) {
    t.mismatches.push(`${label}: suites missing from our table: ${unknownToUs.join(' ')}`);
    return;
  }
  const flagsSame = flagsOf(ours) === flagsOf(theirs);
  const setSame = ours.length === theirs.length && [...ours].sort().join(':') === [...theirs].sort().join(':');
  const orderSame = ours.join(':') === theirs.join(':');
  if (flagsSame) t.flagsAgree++;
  if (setSame) t.setAgree++;
  if (orderSame) t.orderAgree++;
  if (!flagsSame || !orderSame) {
    const extra = ours.filter((n) => !theirs.includes(n));
    const missing = theirs.filter((n) => !ours.includes(n));
    t.mismatches.push(
      `${label}: flags ours=${flagsOf(ours)} openssl=${flagsOf(theirs)}; ` +
        (setSame ? 'same set, different order' : `extra=[${extra.join(' ')}] missing=[${missing.join(' ')}]`),
    );
  }
}

function report(name: string, t: Tally): void {
  console.info(
    `[openssl oracle] ${name}: ${t.compared} compared against ${version}; flags agree ${t.flagsAgree}, ` +
      `suite set agrees ${t.setAgree}, order agrees ${t.orderAgree}`,
  );
}

// --- corpus ------------------------------------------------------------------------------------------

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile() && st.size < 2_000_000) out.push(p);
  }
  return out;
}

/** `ssl_ciphers` (and proxy_/uwsgi_/grpc_ variants) values from nginx files. */
function nginxCipherStrings(root: string): { source: string; cipher: string }[] {
  const found: { source: string; cipher: string }[] = [];
  for (const file of walk(root)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('ssl_ciphers')) continue;
    for (const rawLine of text.split('\n')) {
      const line = rawLine.replace(/(^|\s)#.*$/, '');
      const m = /(?:^|[\s;{])(?:\w+_)?ssl_ciphers\s+(?:"([^"]*)"|'([^']*)'|([^\s;"']+))\s*;/.exec(line);
      if (!m) continue;
      const cipher = m[1] ?? m[2] ?? m[3];
      if (!cipher.includes('$')) found.push({ source: relative(corpusRoot, file), cipher });
    }
  }
  return found;
}

/** The cipher field of uwsgi `https = addr,cert,key,ciphers[,ca]` (ini, yaml, argv) and `https2 = …,ciphers=…`. */
function uwsgiCipherStrings(root: string): { source: string; cipher: string }[] {
  const found: { source: string; cipher: string }[] = [];
  for (const file of walk(root)) {
    const text = readFileSync(file, 'utf8');
    if (!/https/.test(text)) continue;
    for (const line of text.split('\n')) {
      const m = /^\s*(?:--)?(https2?|https-socket)\s*[=:]?\s+|^\s*(https2?|https-socket)\s*[=:]\s*/.exec(line);
      if (!m) continue;
      const value = line.slice(m[0].length).trim().replace(/^["']|["']$/g, '');
      if ((m[1] ?? m[2]) === 'https2') {
        const c = /(?:^|,)ciphers=([^,]+)/.exec(value);
        if (c) found.push({ source: relative(corpusRoot, file), cipher: c[1] });
      } else {
        const fields = value.split(',');
        if (fields.length >= 4 && fields[3] !== '') found.push({ source: relative(corpusRoot, file), cipher: fields[3] });
      }
    }
  }
  return found;
}

// --- tests -------------------------------------------------------------------------------------------

describe.skipIf(version === undefined && !CI)('OpenSSL oracle (openssl ciphers)', () => {
  let local = new Set<string>();

  it('has openssl (mandatory in CI)', () => {
    expect(version, 'openssl must be on PATH when CI=true').toBeDefined();
    const all = listing('ALL:COMPLEMENTOFALL:@SECLEVEL=0', false);
    expect(all).not.toBe('rejected');
    local = new Set(all as string[]);
    expect(local.size).toBeGreaterThan(50);
  });

  it('our table describes every local suite as OpenSSL does', () => {
    const KX: Record<string, string> = { DHE: 'DH', ECDHE: 'ECDH' };
    const AU: Record<string, string> = { NULL: 'None' };
    const enc = (s: CipherSuite) => {
      if (s.enc === 'NULL') return 'None';
      const base = s.enc
        .replace(/^(AES|ARIA)(128|256)(GCM|CCM8|CCM)$/, '$1$3')
        .replace(/^AES(128|256)$/, 'AES')
        .replace(/^CAMELLIA(128|256)$/, 'Camellia')
        .replace('CHACHA20POLY1305', 'CHACHA20/POLY1305');
      return `${base}(${s.bits})`;
    };
    const verbose = opensslCiphers('ALL:COMPLEMENTOFALL:@SECLEVEL=0', false, true) as string;
    const high = new Set(listing('HIGH:@SECLEVEL=0', false) as string[]);
    const notDefault = new Set(listing('COMPLEMENTOFDEFAULT:@SECLEVEL=0', false) as string[]);
    const problems: string[] = [];
    for (const line of verbose.trim().split('\n')) {
      const m = /0x(..),0x(..) - (\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)\s+Mac=(\S+)/.exec(line);
      if (!m) throw new Error(`cannot parse: ${line}`);
      const [, hi, lo, name, proto, kx, au, encText, mac] = m;
      const s = BY_NAME.get(name);
      if (!s) {
        problems.push(`${name}: not in our table`);
        continue;
      }
      const ours = [s.id, s.protocol, KX[s.kx] ?? s.kx, AU[s.au] ?? s.au, enc(s), s.mac].join(' ');
      const theirs = [parseInt(hi + lo, 16), proto, kx, au, encText, mac].join(' ');
      if (ours !== theirs) problems.push(`${name}: ours ${ours}, openssl ${theirs}`);
      if ((s.strength === 'HIGH') !== high.has(name)) problems.push(`${name}: HIGH differs`);
      if (s.notDefault !== notDefault.has(name)) problems.push(`${name}: NOT_DEFAULT differs`);
    }
    if (version?.startsWith('OpenSSL 3.0.')) {
      for (const s of CIPHER_SUITES) {
        if ((s.availability === 'default') !== local.has(s.name)) problems.push(`${s.name}: availability ${s.availability}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('agrees on the fixture strings (listed, and usable at every security level)', () => {
    const listed = tally();
    const usable = tally();
    for (const { source, cipher } of fixtures) {
      const label = `${JSON.stringify(cipher)} (${source})`;
      const ev = evaluateCipherString(cipher);
      compare(listed, label, listing(cipher, false), ev.listed, ev.ok, local);
      const atDistroLevel = evaluateCipherString(cipher, { seclevel: DISTRO_SECLEVEL });
      compare(usable, `${label} -s`, listing(cipher, true), atDistroLevel.suites, atDistroLevel.ok, local);
      for (let level = 0; level <= 5; level++) {
        const withLevel = `${cipher}:@SECLEVEL=${level}`;
        const evl = evaluateCipherString(withLevel);
        compare(usable, `${JSON.stringify(withLevel)} -s`, listing(withLevel, true), evl.suites, evl.ok, local);
      }
    }
    report('fixtures, listed', listed);
    report('fixtures, usable (-s)', usable);
    expect(listed.mismatches).toEqual([]);
    expect(usable.mismatches).toEqual([]);
  });

  it(`agrees on ${GENERATED} seeded random strings`, () => {
    const rnd = seededRandom(SEED);
    const listed = tally();
    const usable = tally();
    let rejected = 0;
    for (let i = 0; i < GENERATED; i++) {
      const cipher = randomCipherString(rnd);
      const theirs = listing(cipher, false);
      if (theirs === 'rejected') rejected++;
      const ev = evaluateCipherString(cipher);
      compare(listed, JSON.stringify(cipher), theirs, ev.listed, ev.ok, local);
      const evs = evaluateCipherString(cipher, { seclevel: DISTRO_SECLEVEL });
      compare(usable, `${JSON.stringify(cipher)} -s`, listing(cipher, true), evs.suites, evs.ok, local);
    }
    report(`generated (seed ${SEED}, ${rejected} rejected by OpenSSL), listed`, listed);
    report('generated, usable (-s)', usable);
    expect(listed.mismatches).toEqual([]);
    expect(usable.mismatches).toEqual([]);
  });

  it.skipIf(!existsSync(corpusRoot))('agrees on the strings in the shared nginx and uwsgi corpus', () => {
    const strings = [
      ...(existsSync(join(corpusRoot, 'nginx')) ? nginxCipherStrings(join(corpusRoot, 'nginx')) : []),
      ...(existsSync(join(corpusRoot, 'uwsgi')) ? uwsgiCipherStrings(join(corpusRoot, 'uwsgi')) : []),
    ];
    const listed = tally();
    const usable = tally();
    for (const { source, cipher } of strings) {
      const ev = evaluateCipherString(cipher);
      compare(listed, `${JSON.stringify(cipher)} (${source})`, listing(cipher, false), ev.listed, ev.ok, local);
      const evs = evaluateCipherString(cipher, { seclevel: DISTRO_SECLEVEL });
      compare(usable, `${JSON.stringify(cipher)} -s (${source})`, listing(cipher, true), evs.suites, evs.ok, local);
    }
    report(`corpus (${strings.length} strings), listed`, listed);
    report('corpus, usable (-s)', usable);
    expect(listed.mismatches).toEqual([]);
    expect(usable.mismatches).toEqual([]);
  });
});

if (!existsSync(corpusRoot)) console.warn(`${corpusRoot} is absent: skipping the corpus part of the OpenSSL oracle`);
