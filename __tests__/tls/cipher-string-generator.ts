import { CIPHER_SUITES } from '../../src/tls/ciphers';

/** mulberry32: small, seedable, good enough to spread test inputs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Aliases OpenSSL 3.0 knows, legacy ones it does not (EXPORT, DES, kDH…), and plain unknown words.
const ALIASES = [
  'ALL', 'COMPLEMENTOFALL', 'COMPLEMENTOFDEFAULT', 'HIGH', 'MEDIUM', 'LOW', 'FIPS', 'EXPORT', 'EXP',
  'eNULL', 'NULL', 'aNULL', 'kRSA', 'RSA', 'aRSA', 'kEDH', 'kDHE', 'EDH', 'DHE', 'DH', 'ADH', 'kEECDH',
  'kECDHE', 'EECDH', 'ECDHE', 'ECDH', 'AECDH', 'aECDSA', 'ECDSA', 'aDSS', 'DSS', 'PSK', 'kPSK', 'aPSK',
  'kRSAPSK', 'kDHEPSK', 'kECDHEPSK', 'SRP', 'kSRP', 'aSRP', 'AES', 'AES128', 'AES256', 'AESGCM', 'AESCCM',
  'AESCCM8', 'CHACHA20', 'ARIA', 'ARIAGCM', 'ARIA128', 'ARIA256', 'CAMELLIA', 'CAMELLIA128', 'CAMELLIA256',
  '3DES', 'DES', 'RC4', 'RC2', 'IDEA', 'SEED', 'MD5', 'SHA1', 'SHA', 'SHA256', 'SHA384', 'TLSv1.2', 'TLSv1',
  'TLSv1.0', 'SSLv3', 'kGOST', 'aGOST', 'GOST', 'kDH', 'kECDH', 'aECDH', 'SSLv2', 'DEFAULT', 'KRB5', 'high',
];
const BROAD = ['ALL', 'HIGH', 'ALL:COMPLEMENTOFALL', 'MEDIUM:HIGH', 'kRSA', 'ECDHE', 'AES', 'SHA1', 'TLSv1.2', 'PSK', 'aNULL'];
const PREFIXES = ['', '', '', '!', '-', '+'];
const SEPARATORS = [':', ':', ':', ':', ' ', ',', ';', '::'];

/** A random but reproducible cipher string built from aliases, suite names, prefixes and `+`. */
export function randomCipherString(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const word = (): string => (rnd() < 0.25 ? pick(CIPHER_SUITES).name : pick(ALIASES));
  const parts: string[] = [];
  // Start broad most of the time, as real strings do, so that most lists are not empty.
  if (rnd() < 0.12) parts.push('DEFAULT');
  else if (rnd() < 0.6) parts.push(pick(BROAD));
  const count = 1 + Math.floor(rnd() * 7);
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.06) parts.push('@STRENGTH');
    else if (r < 0.09) parts.push(`@SECLEVEL=${Math.floor(rnd() * 6)}`);
    else {
      const n = rnd() < 0.25 ? 2 + Math.floor(rnd() * 2) : 1;
      parts.push(pick(PREFIXES) + Array.from({ length: n }, word).join('+'));
    }
  }
  let s = parts[0];
  for (let i = 1; i < parts.length; i++) s += pick(SEPARATORS) + parts[i];
  return s;
}
