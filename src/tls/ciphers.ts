/**
 * Evaluates an OpenSSL cipher string (nginx `ssl_ciphers`, uwsgi `https=…,ciphers`) the way
 * OpenSSL 3.0 does (ssl/ssl_ciph.c: `ssl_create_cipher_list`, `ssl_cipher_process_rulestr`,
 * `ssl_cipher_apply_rule`, `ssl_cipher_strength_sort`; ssl/t1_lib.c: the security-level callback),
 * over the suite table in ./cipher-suites, which also holds the legacy suites (RC4, DES, EXPORT, …)
 * that Debian's OpenSSL no longer compiles in. The answer is therefore "what this string enables on
 * an OpenSSL that has all those suites"; restricted to the suites a given OpenSSL 3.0 has, it is
 * that OpenSSL's own answer (see __tests__/tls/openssl-oracle.test.ts).
 *
 * TLS 1.3 suites are configured separately (OpenSSL `Ciphersuites`, nginx
 * `ssl_conf_command Ciphersuites`) and are never affected by a cipher string; they are not reported.
 */
import {
  CIPHER_SUITES,
  type Authentication,
  type BulkCipher,
  type CipherProtocol,
  type CipherSuite,
  type KeyExchange,
  type MacAlgorithm,
} from './cipher-suites';

export {
  CIPHER_SUITES,
  type Authentication,
  type BulkCipher,
  type CipherProtocol,
  type CipherSuite,
  type KeyExchange,
  type MacAlgorithm,
  type StrengthClass,
  type SuiteAvailability,
} from './cipher-suites';

/** What `DEFAULT` expands to in OpenSSL ≥1.1.0 (`OSSL_default_cipher_list()`). */
export const OPENSSL_DEFAULT_CIPHER_LIST = 'ALL:!COMPLEMENTOFDEFAULT:!eNULL';

export interface CipherEvaluationOptions {
  /**
   * Security level in force before the string's own `@SECLEVEL=n` (which wins). Default 0: no
   * filtering, as in OpenSSL 1.0.x. Upstream OpenSSL ≥1.1.0 defaults to 1; Debian and Ubuntu
   * build it with 2 (`OPENSSL_TLS_SECURITY_LEVEL=2`).
   */
  seclevel?: number;
}

export interface CipherFlags {
  /** RC4 bulk cipher (RFC 7465 prohibits it). */
  rc4: boolean;
  /** Single DES, 56 bits or 40-bit export. */
  des: boolean;
  /** Triple DES (SWEET32). */
  tripleDes: boolean;
  /** No encryption (eNULL). */
  eNull: boolean;
  /** No authentication (aNULL: ADH-, AECDH-, EXP-ADH-). */
  aNull: boolean;
  /** 40-bit export-grade suites. */
  export: boolean;
  /** HMAC-MD5. */
  md5: boolean;
  /** RC2 (export only). */
  rc2: boolean;
  idea: boolean;
  seed: boolean;
  /**
   * Key exchange without forward secrecy: anything but DHE, ECDHE, DHE-PSK, ECDHE-PSK — the set
   * OpenSSL's security level 3 keeps. Covers kRSA, static DH/ECDH, PSK, RSA-PSK, SRP, GOST.
   */
  nonForwardSecret: boolean;
  /** Block cipher in CBC mode (DES, 3DES, RC2, IDEA, SEED, AES-CBC, CAMELLIA). */
  cbc: boolean;
  /** HMAC-SHA1. */
  sha1: boolean;
  /** Ephemeral finite-field DH (DHE, DHE-PSK): nginx only uses these with `ssl_dhparam` (since 1.11.0). */
  dhe: boolean;
  /** Pre-shared-key suites: OpenSSL negotiates them only with a PSK callback, which stock nginx does not install. */
  psk: boolean;
  srp: boolean;
}

export type CipherFlag = keyof CipherFlags;

export const CIPHER_FLAGS: readonly CipherFlag[] = [
  'rc4', 'des', 'tripleDes', 'eNull', 'aNull', 'export', 'md5', 'rc2', 'idea', 'seed',
  'nonForwardSecret', 'cbc', 'sha1', 'dhe', 'psk', 'srp',
];

export interface CipherEvaluation extends CipherFlags {
  input: string;
  /** False when OpenSSL rejects the string (nginx then refuses to start); `suites` is then empty. */
  ok: boolean;
  errors: string[];
  /** Names OpenSSL does not know; it skips them (and the rest of a `+` combination) silently. */
  unknownTokens: string[];
  /** Informational remarks (Suite B replacement, IANA names, …). */
  notes: string[];
  securityLevel: number;
  /** The list OpenSSL builds, in preference order, before the security level (`openssl ciphers -v`). */
  listed: CipherSuite[];
  /** `listed` minus what the security level forbids: what a handshake can actually use. */
  suites: CipherSuite[];
  /** Names of the suites in `suites` behind each flag. */
  flaggedSuites: Record<CipherFlag, string[]>;
}

// --- bit masks (same set semantics as OpenSSL's SSL_k*/SSL_a*/SSL_e*/SSL_m* masks) ---------------

const KX: Record<KeyExchange, number> = {
  RSA: 1 << 0, DHr: 1 << 1, DHd: 1 << 2, DHE: 1 << 3, ECDHr: 1 << 4, ECDHe: 1 << 5, ECDHE: 1 << 6,
  PSK: 1 << 7, RSAPSK: 1 << 8, ECDHEPSK: 1 << 9, DHEPSK: 1 << 10, SRP: 1 << 11, GOST: 1 << 12,
};
const AU_GOST01 = 1 << 7;
const AU: Record<Authentication, number> = {
  RSA: 1 << 0, DSS: 1 << 1, NULL: 1 << 2, DH: 1 << 3, ECDH: 1 << 4, ECDSA: 1 << 5, PSK: 1 << 6,
  GOST01: AU_GOST01, GOST12: (1 << 8) | AU_GOST01, SRP: 1 << 9, // GOST2012 suites also accept GOST2001 keys
};
const ENC: Record<BulkCipher, number> = {
  DES: 1 << 0, '3DES': 1 << 1, RC4: 1 << 2, RC2: 1 << 3, IDEA: 1 << 4, NULL: 1 << 5, AES128: 1 << 6,
  AES256: 1 << 7, CAMELLIA128: 1 << 8, CAMELLIA256: 1 << 9, GOST89: 1 << 10, SEED: 1 << 11,
  AES128GCM: 1 << 12, AES256GCM: 1 << 13, AES128CCM: 1 << 14, AES256CCM: 1 << 15, AES128CCM8: 1 << 16,
  AES256CCM8: 1 << 17, GOST8912: 1 << 18, CHACHA20POLY1305: 1 << 19, ARIA128GCM: 1 << 20, ARIA256GCM: 1 << 21,
};
const MAC: Record<MacAlgorithm, number> = {
  MD5: 1 << 0, SHA1: 1 << 1, GOST94: 1 << 2, GOST89MAC: 1 << 3, SHA256: 1 << 4, SHA384: 1 << 5,
  AEAD: 1 << 6, GOST12: 1 << 7, GOST89MAC12: 1 << 8,
};
const MIN_TLS: Record<CipherProtocol, number> = { SSLv3: 0x300, TLSv1: 0x301, 'TLSv1.2': 0x303 };

// algo_strength: OpenSSL 1.1+ strength and NOT_DEFAULT bits, plus 1.0.2's export bits for EXPORT suites.
const S_NONE = 1, S_EXP40 = 2, S_EXP56 = 4, S_LOW = 8, S_MEDIUM = 16, S_HIGH = 32, S_FIPS = 64;
const STRONG_MASK = 127;
const S_NOT_DEFAULT = 128;
const DEFAULT_MASK = S_NOT_DEFAULT;
const S_NOT_EXP = 256, S_EXPORT = 512;
const EXP_MASK = S_NOT_EXP | S_EXPORT;
const STRENGTH_CLASS = { HIGH: S_HIGH, MEDIUM: S_MEDIUM, LOW: S_LOW, EXP40: S_EXP40, NONE: S_NONE } as const;

const E_AES = ENC.AES128 | ENC.AES256 | ENC.AES128GCM | ENC.AES256GCM | ENC.AES128CCM | ENC.AES256CCM |
  ENC.AES128CCM8 | ENC.AES256CCM8;
const E_CBC = ENC.DES | ENC['3DES'] | ENC.RC2 | ENC.IDEA | ENC.SEED | ENC.AES128 | ENC.AES256 |
  ENC.CAMELLIA128 | ENC.CAMELLIA256;
const K_PSK = KX.PSK | KX.RSAPSK | KX.ECDHEPSK | KX.DHEPSK;
const K_FORWARD_SECRET = KX.DHE | KX.ECDHE | KX.DHEPSK | KX.ECDHEPSK;

interface Model {
  readonly suite: CipherSuite;
  readonly mkey: number;
  readonly auth: number;
  readonly enc: number;
  readonly mac: number;
  readonly minTls: number;
  readonly strength: number;
}

const MODELS: readonly Model[] = CIPHER_SUITES.map((suite) => ({
  suite,
  mkey: KX[suite.kx],
  auth: AU[suite.au],
  enc: ENC[suite.enc],
  mac: MAC[suite.mac],
  minTls: MIN_TLS[suite.protocol],
  strength: STRENGTH_CLASS[suite.strength] | (suite.fips ? S_FIPS : 0) |
    (suite.notDefault ? S_NOT_DEFAULT : 0) | (suite.export ? S_EXPORT : S_NOT_EXP),
}));
const N = MODELS.length;
// Rank of each suite's strength bits, strongest first, for the counting sort behind @STRENGTH.
const STRENGTH_VALUES = [...new Set(MODELS.map((m) => m.suite.strengthBits))].sort((a, b) => b - a);
const STRENGTH_RANKS = STRENGTH_VALUES.length;
const STRENGTH_RANK = Int32Array.from(MODELS, (m) => STRENGTH_VALUES.indexOf(m.suite.strengthBits));

/** A selector: the fields of an alias or cipher OpenSSL ANDs together for `A+B`. 0 = any. */
interface Pattern {
  cipher: number; // index into MODELS, -1 = not an explicit suite
  mkey: number;
  auth: number;
  enc: number;
  mac: number;
  minTls: number;
  strength: number;
}

type AliasDef = Partial<Omit<Pattern, 'cipher'>>;

// OpenSSL 3.0 `cipher_aliases[]`, plus the 1.0.2 aliases that only select legacy suites
// (kDH*, kECDH*, aDH, aECDH, DES, EXP/EXPORT*). DH and ECDH also take in static DH/ECDH as in 1.0.2;
// on suites OpenSSL 3.0 has, they mean kDHE and kECDHE exactly as there.
const ALIASES: Record<string, AliasDef> = {
  ALL: { enc: ~ENC.NULL }, // "ALL" doesn't include eNULL
  COMPLEMENTOFALL: { enc: ENC.NULL },
  COMPLEMENTOFDEFAULT: { strength: S_NOT_DEFAULT }, // does not include suites outside ALL
  kRSA: { mkey: KX.RSA },
  kEDH: { mkey: KX.DHE },
  kDHE: { mkey: KX.DHE },
  DH: { mkey: KX.DHE | KX.DHr | KX.DHd },
  kEECDH: { mkey: KX.ECDHE },
  kECDHE: { mkey: KX.ECDHE },
  ECDH: { mkey: KX.ECDHE | KX.ECDHr | KX.ECDHe },
  kDHr: { mkey: KX.DHr },
  kDHd: { mkey: KX.DHd },
  kDH: { mkey: KX.DHr | KX.DHd },
  kECDHr: { mkey: KX.ECDHr },
  kECDHe: { mkey: KX.ECDHe },
  kECDH: { mkey: KX.ECDHr | KX.ECDHe },
  kPSK: { mkey: KX.PSK },
  kRSAPSK: { mkey: KX.RSAPSK },
  kECDHEPSK: { mkey: KX.ECDHEPSK },
  kDHEPSK: { mkey: KX.DHEPSK },
  kSRP: { mkey: KX.SRP },
  kGOST: { mkey: KX.GOST },
  aRSA: { auth: AU.RSA },
  aDSS: { auth: AU.DSS },
  DSS: { auth: AU.DSS },
  aNULL: { auth: AU.NULL },
  aECDSA: { auth: AU.ECDSA },
  ECDSA: { auth: AU.ECDSA },
  aPSK: { auth: AU.PSK },
  aGOST01: { auth: AU.GOST01 },
  aGOST12: { auth: AU.GOST12 & ~AU_GOST01 },
  aGOST: { auth: AU.GOST12 },
  aSRP: { auth: AU.SRP },
  aDH: { auth: AU.DH },
  aECDH: { auth: AU.ECDH },
  EDH: { mkey: KX.DHE, auth: ~AU.NULL },
  DHE: { mkey: KX.DHE, auth: ~AU.NULL },
  EECDH: { mkey: KX.ECDHE, auth: ~AU.NULL },
  ECDHE: { mkey: KX.ECDHE, auth: ~AU.NULL },
  NULL: { enc: ENC.NULL },
  RSA: { mkey: KX.RSA, auth: AU.RSA },
  ADH: { mkey: KX.DHE, auth: AU.NULL },
  AECDH: { mkey: KX.ECDHE, auth: AU.NULL },
  PSK: { mkey: K_PSK },
  SRP: { mkey: KX.SRP },
  DES: { enc: ENC.DES },
  '3DES': { enc: ENC['3DES'] },
  RC4: { enc: ENC.RC4 },
  RC2: { enc: ENC.RC2 },
  IDEA: { enc: ENC.IDEA },
  SEED: { enc: ENC.SEED },
  eNULL: { enc: ENC.NULL },
  GOST: { enc: ENC.GOST89 | ENC.GOST8912 },
  AES128: { enc: ENC.AES128 | ENC.AES128GCM | ENC.AES128CCM | ENC.AES128CCM8 },
  AES256: { enc: ENC.AES256 | ENC.AES256GCM | ENC.AES256CCM | ENC.AES256CCM8 },
  AES: { enc: E_AES },
  AESGCM: { enc: ENC.AES128GCM | ENC.AES256GCM },
  AESCCM: { enc: ENC.AES128CCM | ENC.AES256CCM | ENC.AES128CCM8 | ENC.AES256CCM8 },
  AESCCM8: { enc: ENC.AES128CCM8 | ENC.AES256CCM8 },
  CAMELLIA128: { enc: ENC.CAMELLIA128 },
  CAMELLIA256: { enc: ENC.CAMELLIA256 },
  CAMELLIA: { enc: ENC.CAMELLIA128 | ENC.CAMELLIA256 },
  CHACHA20: { enc: ENC.CHACHA20POLY1305 },
  ARIA: { enc: ENC.ARIA128GCM | ENC.ARIA256GCM },
  ARIAGCM: { enc: ENC.ARIA128GCM | ENC.ARIA256GCM },
  ARIA128: { enc: ENC.ARIA128GCM },
  ARIA256: { enc: ENC.ARIA256GCM },
  MD5: { mac: MAC.MD5 },
  SHA1: { mac: MAC.SHA1 },
  SHA: { mac: MAC.SHA1 },
  GOST94: { mac: MAC.GOST94 },
  GOST89MAC: { mac: MAC.GOST89MAC | MAC.GOST89MAC12 },
  SHA256: { mac: MAC.SHA256 },
  SHA384: { mac: MAC.SHA384 },
  GOST12: { mac: MAC.GOST12 },
  SSLv3: { minTls: MIN_TLS.SSLv3 },
  TLSv1: { minTls: MIN_TLS.TLSv1 },
  'TLSv1.0': { minTls: MIN_TLS.TLSv1 },
  'TLSv1.2': { minTls: MIN_TLS['TLSv1.2'] },
  LOW: { strength: S_LOW },
  MEDIUM: { strength: S_MEDIUM },
  HIGH: { strength: S_HIGH },
  FIPS: { enc: ~ENC.NULL, strength: S_FIPS },
  EXP: { strength: S_EXPORT },
  EXPORT: { strength: S_EXPORT },
  EXPORT40: { strength: S_EXP40 },
  EXPORT56: { strength: S_EXP56 },
  // Old names of the DHE 3DES suites; OpenSSL gives them HIGH|FIPS, so they match through FIPS.
  'EDH-DSS-DES-CBC3-SHA': { mkey: KX.DHE, auth: AU.DSS, enc: ENC['3DES'], mac: MAC.SHA1, strength: S_HIGH | S_FIPS },
  'EDH-RSA-DES-CBC3-SHA': { mkey: KX.DHE, auth: AU.RSA, enc: ENC['3DES'], mac: MAC.SHA1, strength: S_HIGH | S_FIPS },
};

type Lookup = { kind: 'suite'; index: number } | { kind: 'alias'; def: AliasDef };

// OpenSSL looks up suite names before aliases.
const LOOKUP = new Map<string, Lookup>();
for (const [name, def] of Object.entries(ALIASES)) LOOKUP.set(name, { kind: 'alias', def });
MODELS.forEach((m, index) => LOOKUP.set(m.suite.name, { kind: 'suite', index }));
const STD_NAMES = new Set(CIPHER_SUITES.map((s) => s.stdName).filter((n) => n !== ''));

// --- the ordered list ------------------------------------------------------------------------------

const ADD = 1, KILL = 2, DEL = 3, ORD = 4, BUMP = 6;

class CipherList {
  order: Int32Array;
  len: number;
  readonly active: Uint8Array;
  private readonly dead = new Uint8Array(N);
  private readonly moved = new Int32Array(N);
  private readonly rest = new Int32Array(N);

  constructor(order: Int32Array) {
    this.order = Int32Array.from(order);
    this.len = order.length;
    this.active = new Uint8Array(N);
  }

  /** `ssl_cipher_apply_rule` for the rules reachable from a cipher string (and BUMP). */
  apply({ vector: match, indices }: Match, rule: number): void {
    const { order, active, moved, rest, dead } = this;
    // Fast path for long repetitive strings: skip rules that cannot change anything.
    if (rule === ADD || rule === KILL || rule === DEL) {
      let effective = false;
      for (let i = 0; i < indices.length && !effective; i++) {
        const idx = indices[i];
        effective = !dead[idx] && (rule === KILL || (rule === ADD ? !active[idx] : active[idx] === 1));
      }
      if (!effective) return;
    }
    let nm = 0;
    let nr = 0;
    for (let i = 0; i < this.len; i++) {
      const idx = order[i];
      const hit = match[idx] === 1;
      let move = false;
      if (hit) {
        if (rule === ADD) move = active[idx] === 0;
        else if (rule === KILL) move = true;
        else move = active[idx] === 1; // ORD, DEL, BUMP only touch active suites
      }
      if (move) moved[nm++] = idx;
      else rest[nr++] = idx;
    }
    if (nm === 0) return;
    if (rule === KILL) {
      // KILL unlinks the suite: nothing can bring it back.
      for (let i = 0; i < nm; i++) (active[moved[i]] = 0), (dead[moved[i]] = 1);
      order.set(rest.subarray(0, nr));
      this.len = nr;
      return;
    }
    if (rule === ADD) for (let i = 0; i < nm; i++) active[moved[i]] = 1;
    if (rule === DEL) for (let i = 0; i < nm; i++) active[moved[i]] = 0;
    if (rule === ADD || rule === ORD) {
      // Appended to the tail one by one, so they keep their relative order.
      order.set(rest.subarray(0, nr), 0);
      order.set(moved.subarray(0, nm), nr);
    } else {
      // DEL and BUMP walk from the tail and prepend, which also keeps the relative order.
      order.set(moved.subarray(0, nm), 0);
      order.set(rest.subarray(0, nr), nm);
    }
  }

  /** `ssl_cipher_strength_sort`: a stable move-to-tail by descending strength bits, active suites only. */
  strengthSort(): void {
    const { order, active, rest } = this;
    const counts = new Int32Array(STRENGTH_RANKS + 1);
    for (let i = 0; i < this.len; i++) counts[active[order[i]] ? STRENGTH_RANK[order[i]] + 1 : 0]++;
    // Counting sort: inactive suites first (bucket 0), then active ones by rank, all stable.
    for (let b = 1; b <= STRENGTH_RANKS; b++) counts[b] += counts[b - 1];
    const next = new Int32Array(STRENGTH_RANKS + 1);
    for (let b = 1; b <= STRENGTH_RANKS; b++) next[b] = counts[b - 1];
    for (let i = 0; i < this.len; i++) {
      const idx = order[i];
      rest[next[active[idx] ? STRENGTH_RANK[idx] + 1 : 0]++] = idx;
    }
    order.set(rest.subarray(0, this.len));
  }

  activeSuites(): CipherSuite[] {
    const out: CipherSuite[] = [];
    for (let i = 0; i < this.len; i++) if (this.active[this.order[i]]) out.push(MODELS[this.order[i]].suite);
    return out;
  }
}

function matchesPattern(m: Model, index: number, p: Pattern): boolean {
  if (p.cipher >= 0 && p.cipher !== index) return false;
  if (p.mkey && !(p.mkey & m.mkey)) return false;
  if (p.auth && !(p.auth & m.auth)) return false;
  if (p.enc && !(p.enc & m.enc)) return false;
  if (p.mac && !(p.mac & m.mac)) return false;
  if (p.minTls && p.minTls !== m.minTls) return false;
  if (p.strength & STRONG_MASK && !(p.strength & STRONG_MASK & m.strength)) return false;
  if (p.strength & DEFAULT_MASK && !(p.strength & DEFAULT_MASK & m.strength)) return false;
  if (p.strength & EXP_MASK && !(p.strength & EXP_MASK & m.strength)) return false;
  return true;
}

/** The suites a pattern selects, as a membership vector and as a list. */
interface Match {
  vector: Uint8Array;
  indices: Int32Array;
}

const matchCache = new Map<string, Match>();

function matchVector(p: Pattern): Match {
  const key = `${p.cipher},${p.mkey},${p.auth},${p.enc},${p.mac},${p.minTls},${p.strength}`;
  let m = matchCache.get(key);
  if (m === undefined) {
    const vector = new Uint8Array(N);
    const indices: number[] = [];
    for (let i = 0; i < N; i++) {
      if (matchesPattern(MODELS[i], i, p)) (vector[i] = 1), indices.push(i);
    }
    m = { vector, indices: Int32Array.from(indices) };
    if (matchCache.size >= 4096) matchCache.clear();
    matchCache.set(key, m);
  }
  return m;
}

const pattern = (d: AliasDef): Pattern => ({
  cipher: -1, mkey: d.mkey ?? 0, auth: d.auth ?? 0, enc: d.enc ?? 0, mac: d.mac ?? 0,
  minTls: d.minTls ?? 0, strength: d.strength ?? 0,
});

/** Match of every known word used alone, the common case in long strings. Built on first use, not at import. */
let wordMatch: Map<string, Match> | undefined;
function wordMatches(): Map<string, Match> {
  if (wordMatch) return wordMatch;
  wordMatch = new Map<string, Match>();
  for (const [word, entry] of LOOKUP) {
    const p = combine(pattern({}), entry);
    if (p) wordMatch.set(word, matchVector(p));
  }
  return wordMatch;
}

/** The list every cipher string starts from: all suites, ordered by preference, none active. */
let start: { order: Int32Array } | undefined;
const startList = (): { order: Int32Array } => (start ??= (() => {
  // Descending id: OpenSSL ≥1.1.0 sorts its table by id and `ssl3_get_cipher` walks it backwards.
  const ids = MODELS.map((_, i) => i).sort((a, b) => MODELS[b].suite.id - MODELS[a].suite.id);
  const list = new CipherList(Int32Array.from(ids));
  const rule = (d: AliasDef, r: number) => list.apply(matchVector(pattern(d)), r);
  // The preference preamble of ssl_create_cipher_list (OpenSSL 1.1.1/3.0), step by step.
  rule({ mkey: KX.ECDHE, auth: AU.ECDSA }, ADD);
  rule({ mkey: KX.ECDHE }, ADD);
  rule({ mkey: KX.ECDHE }, DEL);
  rule({ enc: ENC.AES128GCM | ENC.AES256GCM }, ADD);
  rule({ enc: ENC.CHACHA20POLY1305 }, ADD);
  rule({ enc: E_AES & ~(ENC.AES128GCM | ENC.AES256GCM) }, ADD);
  rule({}, ADD);
  rule({ mac: MAC.MD5 }, ORD);
  rule({ auth: AU.NULL }, ORD);
  rule({ mkey: KX.RSA }, ORD);
  rule({ mkey: KX.PSK }, ORD);
  rule({ enc: ENC.RC4 }, ORD);
  list.strengthSort();
  rule({ minTls: MIN_TLS['TLSv1.2'] }, BUMP);
  rule({ mac: MAC.AEAD }, BUMP);
  rule({ mkey: KX.DHE | KX.ECDHE }, BUMP);
  rule({ mkey: KX.DHE | KX.ECDHE, mac: MAC.AEAD }, BUMP);
  rule({}, DEL);
  return { order: list.order.slice(0, list.len) };
})());

// --- the rule-string parser --------------------------------------------------------------------------

const isSep = (c: number) => c === 0x3a || c === 0x20 || c === 0x3b || c === 0x2c; // : space ; ,
// [A-Za-z0-9] - . = and, since OpenSSL 3.0, _
const isWordChar = (c: number) =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
  c === 0x2d || c === 0x2e || c === 0x3d || c === 0x5f;

interface ParseState {
  list: CipherList;
  secLevel: number | undefined;
  errors: string[];
  unknown: Set<string>;
}

const MAX_REPORTED_UNKNOWN = 100;

function describeChar(s: string, at: number): string {
  const c = s.codePointAt(at);
  return c === undefined ? 'end of string' : c >= 0x21 && c < 0x7f ? `'${s[at]}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Port of `ssl_cipher_process_rulestr`; false = OpenSSL rejects the whole string. */
function processRuleString(s: string, st: ParseState): boolean {
  let retval = true;
  let l = 0;
  const n = s.length;
  while (l < n) {
    const ch = s.charCodeAt(l);
    let rule = ADD;
    if (ch === 0x2d) rule = DEL; // -
    else if (ch === 0x2b) rule = ORD; // +
    else if (ch === 0x21) rule = KILL; // !
    else if (ch === 0x40) rule = 0; // @ special
    if (rule !== ADD) l++;
    if (isSep(ch)) {
      l++;
      continue;
    }

    let p: Pattern = pattern({});
    let found = false;
    let word = '';
    let single: Match | undefined; // a lone known word: its match comes from a cache
    for (let part = 0; ; part++) {
      const start = l;
      while (l < n && isWordChar(s.charCodeAt(l))) l++;
      if (l === start) {
        st.errors.push(`invalid command: unexpected ${describeChar(s, l)} at offset ${l}`);
        return false;
      }
      word = s.slice(start, l);
      if (rule === 0) break;
      const multi = s.charCodeAt(l) === 0x2b;
      if (multi) l++;
      found = false;
      if (part === 0 && !multi) {
        single = wordMatches().get(word);
        if (single !== undefined) {
          found = true;
          break;
        }
      }
      const entry = LOOKUP.get(word);
      if (entry === undefined) {
        if (st.unknown.size < MAX_REPORTED_UNKNOWN) st.unknown.add(word.length > 80 ? `${word.slice(0, 80)}…` : word);
        break;
      }
      const next = combine(p, entry);
      if (next === undefined) break; // e.g. HIGH+MEDIUM: empty intersection, OpenSSL drops the token
      p = next;
      found = true;
      if (!multi) break;
    }

    if (rule === 0) {
      if (word === 'STRENGTH') st.list.strengthSort();
      else if (word.length === 10 && word.startsWith('SECLEVEL=') && word[9] >= '0' && word[9] <= '5') {
        st.secLevel = word.charCodeAt(9) - 0x30;
      } else {
        st.errors.push(`invalid command: @${word}`);
        retval = false;
      }
      while (l < n && !isSep(s.charCodeAt(l))) l++;
    } else if (found) {
      st.list.apply(single ?? matchVector(p), rule);
    } else {
      while (l < n && !isSep(s.charCodeAt(l))) l++;
    }
  }
  return retval;
}

/** ANDs one more alias or suite into a `+` combination, as ssl_cipher_process_rulestr does. */
function combine(p: Pattern, entry: Lookup): Pattern | undefined {
  let def: AliasDef;
  // OpenSSL resets cipher_id for every part of A+B: only a suite name in the last part pins one suite.
  let cipher = -1;
  if (entry.kind === 'suite') {
    const m = MODELS[entry.index];
    def = { mkey: m.mkey, auth: m.auth, enc: m.enc, mac: m.mac, strength: m.strength };
    cipher = entry.index; // a suite's protocol version does not become part of the pattern
  } else {
    def = entry.def;
  }
  const and = (a: number, b: number | undefined): number | undefined => (!b ? a : !a ? b : a & b || undefined);
  const mkey = and(p.mkey, def.mkey);
  const auth = and(p.auth, def.auth);
  const enc = and(p.enc, def.enc);
  const mac = and(p.mac, def.mac);
  if (mkey === undefined || auth === undefined || enc === undefined || mac === undefined) return undefined;
  let strength = p.strength;
  for (const mask of [STRONG_MASK, DEFAULT_MASK, EXP_MASK]) {
    const bits = (def.strength ?? 0) & mask;
    if (!bits) continue;
    if (strength & mask) {
      strength &= bits | ~mask;
      if (!(strength & mask)) return undefined;
    } else {
      strength |= bits;
    }
  }
  let minTls = p.minTls;
  if (entry.kind === 'alias' && def.minTls) {
    if (minTls && minTls !== def.minTls) return undefined;
    minTls = def.minTls;
  }
  return { cipher, mkey, auth, enc, mac, minTls, strength };
}

// --- security level --------------------------------------------------------------------------------

const LEVEL_BITS = [0, 80, 112, 128, 192, 256];

/** `ssl_security_default_callback` for SSL_SECOP_CIPHER_SUPPORTED (OpenSSL 1.1.0–3.x). */
function allowedAtLevel(s: CipherSuite, level: number): boolean {
  if (level <= 0) return true;
  const minBits = LEVEL_BITS[Math.min(level, 5)];
  if (s.strengthBits < minBits) return false;
  if (s.au === 'NULL') return false;
  if (s.mac === 'MD5') return false;
  if (minBits > 160 && s.mac === 'SHA1') return false;
  if (level >= 2 && s.enc === 'RC4') return false;
  if (level >= 3 && !(KX[s.kx] & K_FORWARD_SECRET)) return false;
  return true;
}

// --- flags -------------------------------------------------------------------------------------------

/** The flags that apply to one suite. */
export function cipherSuiteFlags(s: CipherSuite): CipherFlags {
  const enc = ENC[s.enc];
  const kx = KX[s.kx];
  return {
    rc4: s.enc === 'RC4',
    des: s.enc === 'DES',
    tripleDes: s.enc === '3DES',
    eNull: s.enc === 'NULL',
    aNull: s.au === 'NULL',
    export: s.export,
    md5: s.mac === 'MD5',
    rc2: s.enc === 'RC2',
    idea: s.enc === 'IDEA',
    seed: s.enc === 'SEED',
    nonForwardSecret: !(kx & K_FORWARD_SECRET),
    cbc: (enc & E_CBC) !== 0,
    sha1: s.mac === 'SHA1',
    dhe: s.kx === 'DHE' || s.kx === 'DHEPSK',
    psk: (kx & K_PSK) !== 0,
    srp: s.kx === 'SRP',
  };
}

const SUITE_FLAGS = new Map(CIPHER_SUITES.map((s) => [s, cipherSuiteFlags(s)]));

function emptyFlagged(): Record<CipherFlag, string[]> {
  return Object.fromEntries(CIPHER_FLAGS.map((f) => [f, [] as string[]])) as Record<CipherFlag, string[]>;
}

// --- entry point -------------------------------------------------------------------------------------

const SUITE_B: ReadonlyArray<readonly [string, string]> = [
  ['SUITEB128ONLY', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['SUITEB128C2', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB128', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB192', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
];

/**
 * Which TLS ≤1.2 suites `input` enables, in OpenSSL's preference order, and which weak kinds
 * are among them. Never throws on any string; throws RangeError on a bad `seclevel` option.
 */
export function evaluateCipherString(input: string, opts: CipherEvaluationOptions = {}): CipherEvaluation {
  const baseLevel = opts.seclevel ?? 0;
  if (!Number.isInteger(baseLevel) || baseLevel < 0 || baseLevel > 5) {
    throw new RangeError(`seclevel must be an integer 0..5, got ${String(opts.seclevel)}`);
  }
  const notes: string[] = [];
  const st: ParseState = { list: new CipherList(startList().order), secLevel: undefined, errors: [], unknown: new Set() };

  // OpenSSL reads a C string: everything after a NUL is invisible to it.
  let rule = input;
  const nul = rule.indexOf('\0');
  if (nul >= 0) {
    rule = rule.slice(0, nul);
    notes.push(`text after the NUL character at offset ${nul} is ignored`);
  }
  // check_suiteb_cipher_list: a Suite B prefix replaces the whole string.
  for (const [prefix, replacement] of SUITE_B) {
    if (rule.startsWith(prefix)) {
      notes.push(`Suite B mode (${prefix}): OpenSSL replaces the whole string with "${replacement}"`);
      rule = replacement;
      break;
    }
  }
  // Only a leading DEFAULT is special (plain prefix match, so "DEFAULTS" is DEFAULT then "S");
  // elsewhere DEFAULT is no alias and is skipped as unknown.
  let ok = true;
  if (rule.startsWith('DEFAULT')) {
    ok = processRuleString(OPENSSL_DEFAULT_CIPHER_LIST, st);
    rule = rule.slice(rule[7] === ':' ? 8 : 7);
  }
  if (ok && rule.length > 0) ok = processRuleString(rule, st);

  const unknownTokens = [...st.unknown];
  for (const t of unknownTokens) {
    if (STD_NAMES.has(t)) notes.push(`${t} is an IANA name; OpenSSL 3.0 only accepts OpenSSL names and skips it`);
  }
  const securityLevel = st.secLevel ?? baseLevel;
  const base = { input, unknownTokens, notes, securityLevel };

  let listed = ok ? st.list.activeSuites() : [];
  if (ok && listed.length === 0) {
    // SSL_CTX_set_cipher_list fails when no TLS ≤1.2 suite is left.
    st.errors.push('no cipher match');
    ok = false;
  }
  if (!ok) listed = [];
  const suites = listed.filter((s) => allowedAtLevel(s, securityLevel));

  const flaggedSuites = emptyFlagged();
  for (const s of suites) {
    const f = SUITE_FLAGS.get(s)!;
    for (const k of CIPHER_FLAGS) if (f[k]) flaggedSuites[k].push(s.name);
  }
  const flags = Object.fromEntries(CIPHER_FLAGS.map((k) => [k, flaggedSuites[k].length > 0])) as unknown as CipherFlags;
  return { ...base, ...flags, ok, errors: st.errors, listed, suites, flaggedSuites };
}

/** The suites of `suites` that OpenSSL allows at `level` (exported for rules that vary the level). */
export function filterBySecurityLevel(suites: readonly CipherSuite[], level: number): CipherSuite[] {
  return suites.filter((s) => allowedAtLevel(s, level));
}
