/**
 * TLS 1.2-and-below cipher suites known to OpenSSL's cipher-string engine.
 *
 * Standard: the OpenSSL 1.1.1/3.0 `ssl3_ciphers[]` table (ssl/s3_lib.c) — names, key exchange,
 * authentication, bulk cipher, MAC, minimum protocol, strength class, NOT_DEFAULT/FIPS flags and
 * strength bits as OpenSSL 3.0 uses them — plus the legacy suites OpenSSL 1.0.2 still had
 * (EXPORT, single DES, static DH/ECDH), because servers built against old or custom OpenSSL still
 * offer them. Rows marked 'default' are exactly what Debian 12's OpenSSL 3.0.19 compiles in
 * (checked against `openssl ciphers -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'`).
 *
 * Legacy rows follow 3.x conventions so that one algorithm can evaluate them: 3DES is MEDIUM with
 * 112 strength bits (it was HIGH/168 before 1.0.2i), and every RC4, 3DES, DES, EXPORT, IDEA, SEED
 * and CAMELLIA suite is NOT_DEFAULT. Kerberos, Fortezza, SSLv2 and the never-enabled EXP1024
 * suites are left out. TLS 1.3 suites are configured separately (`Ciphersuites`), never by a
 * cipher string, so they are not here either.
 */

/** Lowest protocol version that can negotiate the suite (OpenSSL's `min_tls`). */
export type CipherProtocol = 'SSLv3' | 'TLSv1' | 'TLSv1.2';

/** Key exchange. DHr/DHd/ECDHr/ECDHe are the static (non-ephemeral) kinds from 1.0.2. */
export type KeyExchange =
  | 'RSA' | 'DHE' | 'ECDHE' | 'DHr' | 'DHd' | 'ECDHr' | 'ECDHe'
  | 'PSK' | 'RSAPSK' | 'DHEPSK' | 'ECDHEPSK' | 'SRP' | 'GOST';

/** Server authentication; 'NULL' is anonymous (aNULL: ADH-, AECDH-). */
export type Authentication = 'RSA' | 'DSS' | 'ECDSA' | 'NULL' | 'DH' | 'ECDH' | 'PSK' | 'SRP' | 'GOST01' | 'GOST12';

/** Bulk encryption; 'NULL' is no encryption (eNULL). Names without a mode suffix are CBC (RC4, GOST: stream). */
export type BulkCipher =
  | 'NULL' | 'DES' | '3DES' | 'RC4' | 'RC2' | 'IDEA' | 'SEED'
  | 'AES128' | 'AES256' | 'AES128GCM' | 'AES256GCM' | 'AES128CCM' | 'AES256CCM' | 'AES128CCM8' | 'AES256CCM8'
  | 'CAMELLIA128' | 'CAMELLIA256' | 'ARIA128GCM' | 'ARIA256GCM' | 'CHACHA20POLY1305' | 'GOST89' | 'GOST8912';

export type MacAlgorithm = 'MD5' | 'SHA1' | 'SHA256' | 'SHA384' | 'AEAD' | 'GOST94' | 'GOST89MAC' | 'GOST12' | 'GOST89MAC12';

/** OpenSSL's strength class (HIGH/MEDIUM/LOW aliases); EXP40 = 40-bit export, NONE = eNULL. */
export type StrengthClass = 'HIGH' | 'MEDIUM' | 'LOW' | 'EXP40' | 'NONE';

/**
 * Where the suite exists:
 * - 'default': compiled into OpenSSL 3.0 default builds;
 * - 'weak': only with `enable-weak-ssl-ciphers` (1.1.0+; RC4 in 3.x also needs the legacy provider),
 *   in default builds of 1.0.2 and older;
 * - 'legacy-provider': compiled in, but 3.x only offers it when the legacy provider is loaded;
 * - 'engine': GOST, needs the GOST engine;
 * - 'removed': OpenSSL 1.0.2 and older only.
 */
export type SuiteAvailability = 'default' | 'weak' | 'legacy-provider' | 'engine' | 'removed';

export interface CipherSuite {
  /** OpenSSL name, as used in cipher strings. */
  readonly name: string;
  /** IANA name ('' when IANA has none); OpenSSL 3.0 does not accept it in cipher strings. */
  readonly stdName: string;
  /** The two-byte TLS cipher suite id. */
  readonly id: number;
  readonly protocol: CipherProtocol;
  /** Highest protocol: IDEA is not allowed in TLS 1.2 (RFC 5246). */
  readonly maxProtocol: 'TLSv1.1' | 'TLSv1.2';
  readonly kx: KeyExchange;
  readonly au: Authentication;
  readonly enc: BulkCipher;
  readonly mac: MacAlgorithm;
  /** Key bits of the bulk cipher (`Enc=AES(256)` in `openssl ciphers -v`). */
  readonly bits: number;
  /** Effective security bits OpenSSL sorts and filters by (3DES: 112). */
  readonly strengthBits: number;
  readonly strength: StrengthClass;
  readonly export: boolean;
  /** Excluded from DEFAULT (member of COMPLEMENTOFDEFAULT). */
  readonly notDefault: boolean;
  /** Member of the FIPS alias. */
  readonly fips: boolean;
  readonly availability: SuiteAvailability;
}

// Flags column: N = NOT_DEFAULT, F = FIPS, X = export, T = max TLSv1.1.
type Row = readonly [
  name: string, id: number, protocol: CipherProtocol, kx: KeyExchange, au: Authentication, enc: BulkCipher,
  mac: MacAlgorithm, strength: StrengthClass, strengthBits: number, bits: number, flags: '' | 'N' | 'F' | 'NF' | 'NX' | 'NT',
  availability: SuiteAvailability, stdName: string,
];

// Sorted by id: OpenSSL ≥1.1.0 sorts its table by id at load time and walks it backwards to
// build the initial list, so the id order decides ties in every later ordering step.
const ROWS: readonly Row[] = [
  ['NULL-MD5',                       0x0001, 'SSLv3',   'RSA',      'RSA',    'NULL',             'MD5',         'NONE',   0,   0,   '',   'default',         'TLS_RSA_WITH_NULL_MD5'],
  ['NULL-SHA',                       0x0002, 'SSLv3',   'RSA',      'RSA',    'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'default',         'TLS_RSA_WITH_NULL_SHA'],
  ['EXP-RC4-MD5',                    0x0003, 'SSLv3',   'RSA',      'RSA',    'RC4',              'MD5',         'EXP40',  40,  128, 'NX', 'removed',         'TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
  ['RC4-MD5',                        0x0004, 'SSLv3',   'RSA',      'RSA',    'RC4',              'MD5',         'MEDIUM', 128, 128, 'N',  'weak',            'TLS_RSA_WITH_RC4_128_MD5'],
  ['RC4-SHA',                        0x0005, 'SSLv3',   'RSA',      'RSA',    'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'weak',            'TLS_RSA_WITH_RC4_128_SHA'],
  ['EXP-RC2-CBC-MD5',                0x0006, 'SSLv3',   'RSA',      'RSA',    'RC2',              'MD5',         'EXP40',  40,  128, 'NX', 'removed',         'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5'],
  ['IDEA-CBC-SHA',                   0x0007, 'SSLv3',   'RSA',      'RSA',    'IDEA',             'SHA1',        'MEDIUM', 128, 128, 'NT', 'legacy-provider', 'TLS_RSA_WITH_IDEA_CBC_SHA'],
  ['EXP-DES-CBC-SHA',                0x0008, 'SSLv3',   'RSA',      'RSA',    'DES',              'SHA1',        'EXP40',  40,  56,  'NX', 'removed',         'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  ['DES-CBC-SHA',                    0x0009, 'SSLv3',   'RSA',      'RSA',    'DES',              'SHA1',        'LOW',    56,  56,  'N',  'removed',         'TLS_RSA_WITH_DES_CBC_SHA'],
  ['DES-CBC3-SHA',                   0x000a, 'SSLv3',   'RSA',      'RSA',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  ['DH-DSS-DES-CBC-SHA',             0x000c, 'SSLv3',   'DHd',      'DH',     'DES',              'SHA1',        'LOW',    56,  56,  'N',  'removed',         'TLS_DH_DSS_WITH_DES_CBC_SHA'],
  ['DH-DSS-DES-CBC3-SHA',            0x000d, 'SSLv3',   'DHd',      'DH',     '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'removed',         'TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA'],
  ['DH-RSA-DES-CBC-SHA',             0x000f, 'SSLv3',   'DHr',      'DH',     'DES',              'SHA1',        'LOW',    56,  56,  'N',  'removed',         'TLS_DH_RSA_WITH_DES_CBC_SHA'],
  ['DH-RSA-DES-CBC3-SHA',            0x0010, 'SSLv3',   'DHr',      'DH',     '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'removed',         'TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA'],
  ['EXP-EDH-DSS-DES-CBC-SHA',        0x0011, 'SSLv3',   'DHE',      'DSS',    'DES',              'SHA1',        'EXP40',  40,  56,  'NX', 'removed',         'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  ['EDH-DSS-DES-CBC-SHA',            0x0012, 'SSLv3',   'DHE',      'DSS',    'DES',              'SHA1',        'LOW',    56,  56,  'N',  'removed',         'TLS_DHE_DSS_WITH_DES_CBC_SHA'],
  ['DHE-DSS-DES-CBC3-SHA',           0x0013, 'SSLv3',   'DHE',      'DSS',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA'],
  ['EXP-EDH-RSA-DES-CBC-SHA',        0x0014, 'SSLv3',   'DHE',      'RSA',    'DES',              'SHA1',        'EXP40',  40,  56,  'NX', 'removed',         'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  ['EDH-RSA-DES-CBC-SHA',            0x0015, 'SSLv3',   'DHE',      'RSA',    'DES',              'SHA1',        'LOW',    56,  56,  'N',  'removed',         'TLS_DHE_RSA_WITH_DES_CBC_SHA'],
  ['DHE-RSA-DES-CBC3-SHA',           0x0016, 'SSLv3',   'DHE',      'RSA',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  ['EXP-ADH-RC4-MD5',                0x0017, 'SSLv3',   'DHE',      'NULL',   'RC4',              'MD5',         'EXP40',  40,  128, 'NX', 'removed',         'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5'],
  ['ADH-RC4-MD5',                    0x0018, 'SSLv3',   'DHE',      'NULL',   'RC4',              'MD5',         'MEDIUM', 128, 128, 'N',  'weak',            'TLS_DH_anon_WITH_RC4_128_MD5'],
  ['EXP-ADH-DES-CBC-SHA',            0x0019, 'SSLv3',   'DHE',      'NULL',   'DES',              'SHA1',        'EXP40',  40,  128, 'NX', 'removed',         'TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA'],
  ['ADH-DES-CBC-SHA',                0x001a, 'SSLv3',   'DHE',      'NULL',   'DES',              'SHA1',        'LOW',    56,  56,  'N',  'removed',         'TLS_DH_anon_WITH_DES_CBC_SHA'],
  ['ADH-DES-CBC3-SHA',               0x001b, 'SSLv3',   'DHE',      'NULL',   '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA'],
  ['PSK-NULL-SHA',                   0x002c, 'SSLv3',   'PSK',      'PSK',    'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'default',         'TLS_PSK_WITH_NULL_SHA'],
  ['DHE-PSK-NULL-SHA',               0x002d, 'SSLv3',   'DHEPSK',   'PSK',    'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'default',         'TLS_DHE_PSK_WITH_NULL_SHA'],
  ['RSA-PSK-NULL-SHA',               0x002e, 'SSLv3',   'RSAPSK',   'RSA',    'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'default',         'TLS_RSA_PSK_WITH_NULL_SHA'],
  ['AES128-SHA',                     0x002f, 'SSLv3',   'RSA',      'RSA',    'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'default',         'TLS_RSA_WITH_AES_128_CBC_SHA'],
  ['DH-DSS-AES128-SHA',              0x0030, 'SSLv3',   'DHd',      'DH',     'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'removed',         'TLS_DH_DSS_WITH_AES_128_CBC_SHA'],
  ['DH-RSA-AES128-SHA',              0x0031, 'SSLv3',   'DHr',      'DH',     'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'removed',         'TLS_DH_RSA_WITH_AES_128_CBC_SHA'],
  ['DHE-DSS-AES128-SHA',             0x0032, 'SSLv3',   'DHE',      'DSS',    'AES128',           'SHA1',        'HIGH',   128, 128, 'NF', 'default',         'TLS_DHE_DSS_WITH_AES_128_CBC_SHA'],
  ['DHE-RSA-AES128-SHA',             0x0033, 'SSLv3',   'DHE',      'RSA',    'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'default',         'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  ['ADH-AES128-SHA',                 0x0034, 'SSLv3',   'DHE',      'NULL',   'AES128',           'SHA1',        'HIGH',   128, 128, 'NF', 'default',         'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
  ['AES256-SHA',                     0x0035, 'SSLv3',   'RSA',      'RSA',    'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'default',         'TLS_RSA_WITH_AES_256_CBC_SHA'],
  ['DH-DSS-AES256-SHA',              0x0036, 'SSLv3',   'DHd',      'DH',     'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'removed',         'TLS_DH_DSS_WITH_AES_256_CBC_SHA'],
  ['DH-RSA-AES256-SHA',              0x0037, 'SSLv3',   'DHr',      'DH',     'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'removed',         'TLS_DH_RSA_WITH_AES_256_CBC_SHA'],
  ['DHE-DSS-AES256-SHA',             0x0038, 'SSLv3',   'DHE',      'DSS',    'AES256',           'SHA1',        'HIGH',   256, 256, 'NF', 'default',         'TLS_DHE_DSS_WITH_AES_256_CBC_SHA'],
  ['DHE-RSA-AES256-SHA',             0x0039, 'SSLv3',   'DHE',      'RSA',    'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'default',         'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  ['ADH-AES256-SHA',                 0x003a, 'SSLv3',   'DHE',      'NULL',   'AES256',           'SHA1',        'HIGH',   256, 256, 'NF', 'default',         'TLS_DH_anon_WITH_AES_256_CBC_SHA'],
  ['NULL-SHA256',                    0x003b, 'TLSv1.2', 'RSA',      'RSA',    'NULL',             'SHA256',      'NONE',   0,   0,   'F',  'default',         'TLS_RSA_WITH_NULL_SHA256'],
  ['AES128-SHA256',                  0x003c, 'TLSv1.2', 'RSA',      'RSA',    'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'default',         'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  ['AES256-SHA256',                  0x003d, 'TLSv1.2', 'RSA',      'RSA',    'AES256',           'SHA256',      'HIGH',   256, 256, 'F',  'default',         'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  ['DH-DSS-AES128-SHA256',           0x003e, 'TLSv1.2', 'DHd',      'DH',     'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'removed',         'TLS_DH_DSS_WITH_AES_128_CBC_SHA256'],
  ['DH-RSA-AES128-SHA256',           0x003f, 'TLSv1.2', 'DHr',      'DH',     'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'removed',         'TLS_DH_RSA_WITH_AES_128_CBC_SHA256'],
  ['DHE-DSS-AES128-SHA256',          0x0040, 'TLSv1.2', 'DHE',      'DSS',    'AES128',           'SHA256',      'HIGH',   128, 128, 'NF', 'default',         'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256'],
  ['CAMELLIA128-SHA',                0x0041, 'SSLv3',   'RSA',      'RSA',    'CAMELLIA128',      'SHA1',        'HIGH',   128, 128, 'N',  'default',         'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  ['DH-DSS-CAMELLIA128-SHA',         0x0042, 'SSLv3',   'DHd',      'DH',     'CAMELLIA128',      'SHA1',        'HIGH',   128, 128, 'N',  'removed',         'TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA'],
  ['DH-RSA-CAMELLIA128-SHA',         0x0043, 'SSLv3',   'DHr',      'DH',     'CAMELLIA128',      'SHA1',        'HIGH',   128, 128, 'N',  'removed',         'TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  ['DHE-DSS-CAMELLIA128-SHA',        0x0044, 'SSLv3',   'DHE',      'DSS',    'CAMELLIA128',      'SHA1',        'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA'],
  ['DHE-RSA-CAMELLIA128-SHA',        0x0045, 'SSLv3',   'DHE',      'RSA',    'CAMELLIA128',      'SHA1',        'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  ['ADH-CAMELLIA128-SHA',            0x0046, 'SSLv3',   'DHE',      'NULL',   'CAMELLIA128',      'SHA1',        'HIGH',   128, 128, 'N',  'default',         'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA'],
  ['DHE-RSA-AES128-SHA256',          0x0067, 'TLSv1.2', 'DHE',      'RSA',    'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'default',         'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
  ['DH-DSS-AES256-SHA256',           0x0068, 'TLSv1.2', 'DHd',      'DH',     'AES256',           'SHA256',      'HIGH',   256, 256, 'F',  'removed',         'TLS_DH_DSS_WITH_AES_256_CBC_SHA256'],
  ['DH-RSA-AES256-SHA256',           0x0069, 'TLSv1.2', 'DHr',      'DH',     'AES256',           'SHA256',      'HIGH',   256, 256, 'F',  'removed',         'TLS_DH_RSA_WITH_AES_256_CBC_SHA256'],
  ['DHE-DSS-AES256-SHA256',          0x006a, 'TLSv1.2', 'DHE',      'DSS',    'AES256',           'SHA256',      'HIGH',   256, 256, 'NF', 'default',         'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256'],
  ['DHE-RSA-AES256-SHA256',          0x006b, 'TLSv1.2', 'DHE',      'RSA',    'AES256',           'SHA256',      'HIGH',   256, 256, 'F',  'default',         'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'],
  ['ADH-AES128-SHA256',              0x006c, 'TLSv1.2', 'DHE',      'NULL',   'AES128',           'SHA256',      'HIGH',   128, 128, 'NF', 'default',         'TLS_DH_anon_WITH_AES_128_CBC_SHA256'],
  ['ADH-AES256-SHA256',              0x006d, 'TLSv1.2', 'DHE',      'NULL',   'AES256',           'SHA256',      'HIGH',   256, 256, 'NF', 'default',         'TLS_DH_anon_WITH_AES_256_CBC_SHA256'],
  ['GOST2001-GOST89-GOST89',         0x0081, 'TLSv1',   'GOST',     'GOST01', 'GOST89',           'GOST89MAC',   'HIGH',   256, 256, '',   'engine',          'TLS_GOSTR341001_WITH_28147_CNT_IMIT'],
  ['GOST2001-NULL-GOST94',           0x0083, 'TLSv1',   'GOST',     'GOST01', 'NULL',             'GOST94',      'NONE',   0,   0,   '',   'engine',          'TLS_GOSTR341001_WITH_NULL_GOSTR3411'],
  ['CAMELLIA256-SHA',                0x0084, 'SSLv3',   'RSA',      'RSA',    'CAMELLIA256',      'SHA1',        'HIGH',   256, 256, 'N',  'default',         'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  ['DH-DSS-CAMELLIA256-SHA',         0x0085, 'SSLv3',   'DHd',      'DH',     'CAMELLIA256',      'SHA1',        'HIGH',   256, 256, 'N',  'removed',         'TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA'],
  ['DH-RSA-CAMELLIA256-SHA',         0x0086, 'SSLv3',   'DHr',      'DH',     'CAMELLIA256',      'SHA1',        'HIGH',   256, 256, 'N',  'removed',         'TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  ['DHE-DSS-CAMELLIA256-SHA',        0x0087, 'SSLv3',   'DHE',      'DSS',    'CAMELLIA256',      'SHA1',        'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA'],
  ['DHE-RSA-CAMELLIA256-SHA',        0x0088, 'SSLv3',   'DHE',      'RSA',    'CAMELLIA256',      'SHA1',        'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  ['ADH-CAMELLIA256-SHA',            0x0089, 'SSLv3',   'DHE',      'NULL',   'CAMELLIA256',      'SHA1',        'HIGH',   256, 256, 'N',  'default',         'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA'],
  ['PSK-RC4-SHA',                    0x008a, 'SSLv3',   'PSK',      'PSK',    'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'weak',            'TLS_PSK_WITH_RC4_128_SHA'],
  ['PSK-3DES-EDE-CBC-SHA',           0x008b, 'SSLv3',   'PSK',      'PSK',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_PSK_WITH_3DES_EDE_CBC_SHA'],
  ['PSK-AES128-CBC-SHA',             0x008c, 'SSLv3',   'PSK',      'PSK',    'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'default',         'TLS_PSK_WITH_AES_128_CBC_SHA'],
  ['PSK-AES256-CBC-SHA',             0x008d, 'SSLv3',   'PSK',      'PSK',    'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'default',         'TLS_PSK_WITH_AES_256_CBC_SHA'],
  ['DHE-PSK-RC4-SHA',                0x008e, 'SSLv3',   'DHEPSK',   'PSK',    'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'weak',            'TLS_DHE_PSK_WITH_RC4_128_SHA'],
  ['DHE-PSK-3DES-EDE-CBC-SHA',       0x008f, 'SSLv3',   'DHEPSK',   'PSK',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA'],
  ['DHE-PSK-AES128-CBC-SHA',         0x0090, 'SSLv3',   'DHEPSK',   'PSK',    'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'default',         'TLS_DHE_PSK_WITH_AES_128_CBC_SHA'],
  ['DHE-PSK-AES256-CBC-SHA',         0x0091, 'SSLv3',   'DHEPSK',   'PSK',    'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'default',         'TLS_DHE_PSK_WITH_AES_256_CBC_SHA'],
  ['RSA-PSK-RC4-SHA',                0x0092, 'SSLv3',   'RSAPSK',   'RSA',    'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'weak',            'TLS_RSA_PSK_WITH_RC4_128_SHA'],
  ['RSA-PSK-3DES-EDE-CBC-SHA',       0x0093, 'SSLv3',   'RSAPSK',   'RSA',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA'],
  ['RSA-PSK-AES128-CBC-SHA',         0x0094, 'SSLv3',   'RSAPSK',   'RSA',    'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'default',         'TLS_RSA_PSK_WITH_AES_128_CBC_SHA'],
  ['RSA-PSK-AES256-CBC-SHA',         0x0095, 'SSLv3',   'RSAPSK',   'RSA',    'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'default',         'TLS_RSA_PSK_WITH_AES_256_CBC_SHA'],
  ['SEED-SHA',                       0x0096, 'SSLv3',   'RSA',      'RSA',    'SEED',             'SHA1',        'MEDIUM', 128, 128, 'N',  'legacy-provider', 'TLS_RSA_WITH_SEED_CBC_SHA'],
  ['DH-DSS-SEED-SHA',                0x0097, 'SSLv3',   'DHd',      'DH',     'SEED',             'SHA1',        'MEDIUM', 128, 128, 'N',  'removed',         'TLS_DH_DSS_WITH_SEED_CBC_SHA'],
  ['DH-RSA-SEED-SHA',                0x0098, 'SSLv3',   'DHr',      'DH',     'SEED',             'SHA1',        'MEDIUM', 128, 128, 'N',  'removed',         'TLS_DH_RSA_WITH_SEED_CBC_SHA'],
  ['DHE-DSS-SEED-SHA',               0x0099, 'SSLv3',   'DHE',      'DSS',    'SEED',             'SHA1',        'MEDIUM', 128, 128, 'N',  'legacy-provider', 'TLS_DHE_DSS_WITH_SEED_CBC_SHA'],
  ['DHE-RSA-SEED-SHA',               0x009a, 'SSLv3',   'DHE',      'RSA',    'SEED',             'SHA1',        'MEDIUM', 128, 128, 'N',  'legacy-provider', 'TLS_DHE_RSA_WITH_SEED_CBC_SHA'],
  ['ADH-SEED-SHA',                   0x009b, 'SSLv3',   'DHE',      'NULL',   'SEED',             'SHA1',        'MEDIUM', 128, 128, 'N',  'legacy-provider', 'TLS_DH_anon_WITH_SEED_CBC_SHA'],
  ['AES128-GCM-SHA256',              0x009c, 'TLSv1.2', 'RSA',      'RSA',    'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'default',         'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  ['AES256-GCM-SHA384',              0x009d, 'TLSv1.2', 'RSA',      'RSA',    'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'default',         'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  ['DHE-RSA-AES128-GCM-SHA256',      0x009e, 'TLSv1.2', 'DHE',      'RSA',    'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'default',         'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  ['DHE-RSA-AES256-GCM-SHA384',      0x009f, 'TLSv1.2', 'DHE',      'RSA',    'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'default',         'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  ['DH-RSA-AES128-GCM-SHA256',       0x00a0, 'TLSv1.2', 'DHr',      'DH',     'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'removed',         'TLS_DH_RSA_WITH_AES_128_GCM_SHA256'],
  ['DH-RSA-AES256-GCM-SHA384',       0x00a1, 'TLSv1.2', 'DHr',      'DH',     'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'removed',         'TLS_DH_RSA_WITH_AES_256_GCM_SHA384'],
  ['DHE-DSS-AES128-GCM-SHA256',      0x00a2, 'TLSv1.2', 'DHE',      'DSS',    'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'NF', 'default',         'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256'],
  ['DHE-DSS-AES256-GCM-SHA384',      0x00a3, 'TLSv1.2', 'DHE',      'DSS',    'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'NF', 'default',         'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384'],
  ['DH-DSS-AES128-GCM-SHA256',       0x00a4, 'TLSv1.2', 'DHd',      'DH',     'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'removed',         'TLS_DH_DSS_WITH_AES_128_GCM_SHA256'],
  ['DH-DSS-AES256-GCM-SHA384',       0x00a5, 'TLSv1.2', 'DHd',      'DH',     'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'removed',         'TLS_DH_DSS_WITH_AES_256_GCM_SHA384'],
  ['ADH-AES128-GCM-SHA256',          0x00a6, 'TLSv1.2', 'DHE',      'NULL',   'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'NF', 'default',         'TLS_DH_anon_WITH_AES_128_GCM_SHA256'],
  ['ADH-AES256-GCM-SHA384',          0x00a7, 'TLSv1.2', 'DHE',      'NULL',   'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'NF', 'default',         'TLS_DH_anon_WITH_AES_256_GCM_SHA384'],
  ['PSK-AES128-GCM-SHA256',          0x00a8, 'TLSv1.2', 'PSK',      'PSK',    'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'default',         'TLS_PSK_WITH_AES_128_GCM_SHA256'],
  ['PSK-AES256-GCM-SHA384',          0x00a9, 'TLSv1.2', 'PSK',      'PSK',    'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'default',         'TLS_PSK_WITH_AES_256_GCM_SHA384'],
  ['DHE-PSK-AES128-GCM-SHA256',      0x00aa, 'TLSv1.2', 'DHEPSK',   'PSK',    'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'default',         'TLS_DHE_PSK_WITH_AES_128_GCM_SHA256'],
  ['DHE-PSK-AES256-GCM-SHA384',      0x00ab, 'TLSv1.2', 'DHEPSK',   'PSK',    'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'default',         'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384'],
  ['RSA-PSK-AES128-GCM-SHA256',      0x00ac, 'TLSv1.2', 'RSAPSK',   'RSA',    'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'default',         'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256'],
  ['RSA-PSK-AES256-GCM-SHA384',      0x00ad, 'TLSv1.2', 'RSAPSK',   'RSA',    'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'default',         'TLS_RSA_PSK_WITH_AES_256_GCM_SHA384'],
  ['PSK-AES128-CBC-SHA256',          0x00ae, 'TLSv1',   'PSK',      'PSK',    'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'default',         'TLS_PSK_WITH_AES_128_CBC_SHA256'],
  ['PSK-AES256-CBC-SHA384',          0x00af, 'TLSv1',   'PSK',      'PSK',    'AES256',           'SHA384',      'HIGH',   256, 256, 'F',  'default',         'TLS_PSK_WITH_AES_256_CBC_SHA384'],
  ['PSK-NULL-SHA256',                0x00b0, 'TLSv1',   'PSK',      'PSK',    'NULL',             'SHA256',      'NONE',   0,   0,   'F',  'default',         'TLS_PSK_WITH_NULL_SHA256'],
  ['PSK-NULL-SHA384',                0x00b1, 'TLSv1',   'PSK',      'PSK',    'NULL',             'SHA384',      'NONE',   0,   0,   'F',  'default',         'TLS_PSK_WITH_NULL_SHA384'],
  ['DHE-PSK-AES128-CBC-SHA256',      0x00b2, 'TLSv1',   'DHEPSK',   'PSK',    'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'default',         'TLS_DHE_PSK_WITH_AES_128_CBC_SHA256'],
  ['DHE-PSK-AES256-CBC-SHA384',      0x00b3, 'TLSv1',   'DHEPSK',   'PSK',    'AES256',           'SHA384',      'HIGH',   256, 256, 'F',  'default',         'TLS_DHE_PSK_WITH_AES_256_CBC_SHA384'],
  ['DHE-PSK-NULL-SHA256',            0x00b4, 'TLSv1',   'DHEPSK',   'PSK',    'NULL',             'SHA256',      'NONE',   0,   0,   'F',  'default',         'TLS_DHE_PSK_WITH_NULL_SHA256'],
  ['DHE-PSK-NULL-SHA384',            0x00b5, 'TLSv1',   'DHEPSK',   'PSK',    'NULL',             'SHA384',      'NONE',   0,   0,   'F',  'default',         'TLS_DHE_PSK_WITH_NULL_SHA384'],
  ['RSA-PSK-AES128-CBC-SHA256',      0x00b6, 'TLSv1',   'RSAPSK',   'RSA',    'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'default',         'TLS_RSA_PSK_WITH_AES_128_CBC_SHA256'],
  ['RSA-PSK-AES256-CBC-SHA384',      0x00b7, 'TLSv1',   'RSAPSK',   'RSA',    'AES256',           'SHA384',      'HIGH',   256, 256, 'F',  'default',         'TLS_RSA_PSK_WITH_AES_256_CBC_SHA384'],
  ['RSA-PSK-NULL-SHA256',            0x00b8, 'TLSv1',   'RSAPSK',   'RSA',    'NULL',             'SHA256',      'NONE',   0,   0,   'F',  'default',         'TLS_RSA_PSK_WITH_NULL_SHA256'],
  ['RSA-PSK-NULL-SHA384',            0x00b9, 'TLSv1',   'RSAPSK',   'RSA',    'NULL',             'SHA384',      'NONE',   0,   0,   'F',  'default',         'TLS_RSA_PSK_WITH_NULL_SHA384'],
  ['CAMELLIA128-SHA256',             0x00ba, 'TLSv1.2', 'RSA',      'RSA',    'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  ['DHE-DSS-CAMELLIA128-SHA256',     0x00bd, 'TLSv1.2', 'DHE',      'DSS',    'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256'],
  ['DHE-RSA-CAMELLIA128-SHA256',     0x00be, 'TLSv1.2', 'DHE',      'RSA',    'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  ['ADH-CAMELLIA128-SHA256',         0x00bf, 'TLSv1.2', 'DHE',      'NULL',   'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256'],
  ['CAMELLIA256-SHA256',             0x00c0, 'TLSv1.2', 'RSA',      'RSA',    'CAMELLIA256',      'SHA256',      'HIGH',   256, 256, 'N',  'default',         'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  ['DHE-DSS-CAMELLIA256-SHA256',     0x00c3, 'TLSv1.2', 'DHE',      'DSS',    'CAMELLIA256',      'SHA256',      'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256'],
  ['DHE-RSA-CAMELLIA256-SHA256',     0x00c4, 'TLSv1.2', 'DHE',      'RSA',    'CAMELLIA256',      'SHA256',      'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  ['ADH-CAMELLIA256-SHA256',         0x00c5, 'TLSv1.2', 'DHE',      'NULL',   'CAMELLIA256',      'SHA256',      'HIGH',   256, 256, 'N',  'default',         'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256'],
  ['ECDH-ECDSA-NULL-SHA',            0xc001, 'TLSv1',   'ECDHe',    'ECDH',   'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'removed',         'TLS_ECDH_ECDSA_WITH_NULL_SHA'],
  ['ECDH-ECDSA-RC4-SHA',             0xc002, 'TLSv1',   'ECDHe',    'ECDH',   'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'removed',         'TLS_ECDH_ECDSA_WITH_RC4_128_SHA'],
  ['ECDH-ECDSA-DES-CBC3-SHA',        0xc003, 'TLSv1',   'ECDHe',    'ECDH',   '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'removed',         'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  ['ECDH-ECDSA-AES128-SHA',          0xc004, 'TLSv1',   'ECDHe',    'ECDH',   'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'removed',         'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA'],
  ['ECDH-ECDSA-AES256-SHA',          0xc005, 'TLSv1',   'ECDHe',    'ECDH',   'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'removed',         'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA'],
  ['ECDHE-ECDSA-NULL-SHA',           0xc006, 'TLSv1',   'ECDHE',    'ECDSA',  'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'default',         'TLS_ECDHE_ECDSA_WITH_NULL_SHA'],
  ['ECDHE-ECDSA-RC4-SHA',            0xc007, 'TLSv1',   'ECDHE',    'ECDSA',  'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'weak',            'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'],
  ['ECDHE-ECDSA-DES-CBC3-SHA',       0xc008, 'TLSv1',   'ECDHE',    'ECDSA',  '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  ['ECDHE-ECDSA-AES128-SHA',         0xc009, 'TLSv1',   'ECDHE',    'ECDSA',  'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  ['ECDHE-ECDSA-AES256-SHA',         0xc00a, 'TLSv1',   'ECDHE',    'ECDSA',  'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  ['ECDH-RSA-NULL-SHA',              0xc00b, 'TLSv1',   'ECDHr',    'ECDH',   'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'removed',         'TLS_ECDH_RSA_WITH_NULL_SHA'],
  ['ECDH-RSA-RC4-SHA',               0xc00c, 'TLSv1',   'ECDHr',    'ECDH',   'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'removed',         'TLS_ECDH_RSA_WITH_RC4_128_SHA'],
  ['ECDH-RSA-DES-CBC3-SHA',          0xc00d, 'TLSv1',   'ECDHr',    'ECDH',   '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'removed',         'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'],
  ['ECDH-RSA-AES128-SHA',            0xc00e, 'TLSv1',   'ECDHr',    'ECDH',   'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'removed',         'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'],
  ['ECDH-RSA-AES256-SHA',            0xc00f, 'TLSv1',   'ECDHr',    'ECDH',   'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'removed',         'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA'],
  ['ECDHE-RSA-NULL-SHA',             0xc010, 'TLSv1',   'ECDHE',    'RSA',    'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'default',         'TLS_ECDHE_RSA_WITH_NULL_SHA'],
  ['ECDHE-RSA-RC4-SHA',              0xc011, 'TLSv1',   'ECDHE',    'RSA',    'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'weak',            'TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  ['ECDHE-RSA-DES-CBC3-SHA',         0xc012, 'TLSv1',   'ECDHE',    'RSA',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  ['ECDHE-RSA-AES128-SHA',           0xc013, 'TLSv1',   'ECDHE',    'RSA',    'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'default',         'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  ['ECDHE-RSA-AES256-SHA',           0xc014, 'TLSv1',   'ECDHE',    'RSA',    'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'default',         'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  ['AECDH-NULL-SHA',                 0xc015, 'TLSv1',   'ECDHE',    'NULL',   'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'default',         'TLS_ECDH_anon_WITH_NULL_SHA'],
  ['AECDH-RC4-SHA',                  0xc016, 'TLSv1',   'ECDHE',    'NULL',   'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'weak',            'TLS_ECDH_anon_WITH_RC4_128_SHA'],
  ['AECDH-DES-CBC3-SHA',             0xc017, 'TLSv1',   'ECDHE',    'NULL',   '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA'],
  ['AECDH-AES128-SHA',               0xc018, 'TLSv1',   'ECDHE',    'NULL',   'AES128',           'SHA1',        'HIGH',   128, 128, 'NF', 'default',         'TLS_ECDH_anon_WITH_AES_128_CBC_SHA'],
  ['AECDH-AES256-SHA',               0xc019, 'TLSv1',   'ECDHE',    'NULL',   'AES256',           'SHA1',        'HIGH',   256, 256, 'NF', 'default',         'TLS_ECDH_anon_WITH_AES_256_CBC_SHA'],
  ['SRP-3DES-EDE-CBC-SHA',           0xc01a, 'SSLv3',   'SRP',      'SRP',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'N',  'weak',            'TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA'],
  ['SRP-RSA-3DES-EDE-CBC-SHA',       0xc01b, 'SSLv3',   'SRP',      'RSA',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'N',  'weak',            'TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA'],
  ['SRP-DSS-3DES-EDE-CBC-SHA',       0xc01c, 'SSLv3',   'SRP',      'DSS',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'N',  'weak',            'TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA'],
  ['SRP-AES-128-CBC-SHA',            0xc01d, 'SSLv3',   'SRP',      'SRP',    'AES128',           'SHA1',        'HIGH',   128, 128, '',   'default',         'TLS_SRP_SHA_WITH_AES_128_CBC_SHA'],
  ['SRP-RSA-AES-128-CBC-SHA',        0xc01e, 'SSLv3',   'SRP',      'RSA',    'AES128',           'SHA1',        'HIGH',   128, 128, '',   'default',         'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA'],
  ['SRP-DSS-AES-128-CBC-SHA',        0xc01f, 'SSLv3',   'SRP',      'DSS',    'AES128',           'SHA1',        'HIGH',   128, 128, 'N',  'default',         'TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA'],
  ['SRP-AES-256-CBC-SHA',            0xc020, 'SSLv3',   'SRP',      'SRP',    'AES256',           'SHA1',        'HIGH',   256, 256, '',   'default',         'TLS_SRP_SHA_WITH_AES_256_CBC_SHA'],
  ['SRP-RSA-AES-256-CBC-SHA',        0xc021, 'SSLv3',   'SRP',      'RSA',    'AES256',           'SHA1',        'HIGH',   256, 256, '',   'default',         'TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA'],
  ['SRP-DSS-AES-256-CBC-SHA',        0xc022, 'SSLv3',   'SRP',      'DSS',    'AES256',           'SHA1',        'HIGH',   256, 256, 'N',  'default',         'TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA'],
  ['ECDHE-ECDSA-AES128-SHA256',      0xc023, 'TLSv1.2', 'ECDHE',    'ECDSA',  'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  ['ECDHE-ECDSA-AES256-SHA384',      0xc024, 'TLSv1.2', 'ECDHE',    'ECDSA',  'AES256',           'SHA384',      'HIGH',   256, 256, 'F',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  ['ECDH-ECDSA-AES128-SHA256',       0xc025, 'TLSv1.2', 'ECDHe',    'ECDH',   'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'removed',         'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256'],
  ['ECDH-ECDSA-AES256-SHA384',       0xc026, 'TLSv1.2', 'ECDHe',    'ECDH',   'AES256',           'SHA384',      'HIGH',   256, 256, 'F',  'removed',         'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384'],
  ['ECDHE-RSA-AES128-SHA256',        0xc027, 'TLSv1.2', 'ECDHE',    'RSA',    'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'default',         'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  ['ECDHE-RSA-AES256-SHA384',        0xc028, 'TLSv1.2', 'ECDHE',    'RSA',    'AES256',           'SHA384',      'HIGH',   256, 256, 'F',  'default',         'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  ['ECDH-RSA-AES128-SHA256',         0xc029, 'TLSv1.2', 'ECDHr',    'ECDH',   'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'removed',         'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256'],
  ['ECDH-RSA-AES256-SHA384',         0xc02a, 'TLSv1.2', 'ECDHr',    'ECDH',   'AES256',           'SHA384',      'HIGH',   256, 256, 'F',  'removed',         'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384'],
  ['ECDHE-ECDSA-AES128-GCM-SHA256',  0xc02b, 'TLSv1.2', 'ECDHE',    'ECDSA',  'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  ['ECDHE-ECDSA-AES256-GCM-SHA384',  0xc02c, 'TLSv1.2', 'ECDHE',    'ECDSA',  'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  ['ECDH-ECDSA-AES128-GCM-SHA256',   0xc02d, 'TLSv1.2', 'ECDHe',    'ECDH',   'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'removed',         'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256'],
  ['ECDH-ECDSA-AES256-GCM-SHA384',   0xc02e, 'TLSv1.2', 'ECDHe',    'ECDH',   'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'removed',         'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384'],
  ['ECDHE-RSA-AES128-GCM-SHA256',    0xc02f, 'TLSv1.2', 'ECDHE',    'RSA',    'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'default',         'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  ['ECDHE-RSA-AES256-GCM-SHA384',    0xc030, 'TLSv1.2', 'ECDHE',    'RSA',    'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'default',         'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  ['ECDH-RSA-AES128-GCM-SHA256',     0xc031, 'TLSv1.2', 'ECDHr',    'ECDH',   'AES128GCM',        'AEAD',        'HIGH',   128, 128, 'F',  'removed',         'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256'],
  ['ECDH-RSA-AES256-GCM-SHA384',     0xc032, 'TLSv1.2', 'ECDHr',    'ECDH',   'AES256GCM',        'AEAD',        'HIGH',   256, 256, 'F',  'removed',         'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384'],
  ['ECDHE-PSK-RC4-SHA',              0xc033, 'TLSv1',   'ECDHEPSK', 'PSK',    'RC4',              'SHA1',        'MEDIUM', 128, 128, 'N',  'weak',            'TLS_ECDHE_PSK_WITH_RC4_128_SHA'],
  ['ECDHE-PSK-3DES-EDE-CBC-SHA',     0xc034, 'TLSv1',   'ECDHEPSK', 'PSK',    '3DES',             'SHA1',        'MEDIUM', 112, 168, 'NF', 'weak',            'TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA'],
  ['ECDHE-PSK-AES128-CBC-SHA',       0xc035, 'TLSv1',   'ECDHEPSK', 'PSK',    'AES128',           'SHA1',        'HIGH',   128, 128, 'F',  'default',         'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA'],
  ['ECDHE-PSK-AES256-CBC-SHA',       0xc036, 'TLSv1',   'ECDHEPSK', 'PSK',    'AES256',           'SHA1',        'HIGH',   256, 256, 'F',  'default',         'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA'],
  ['ECDHE-PSK-AES128-CBC-SHA256',    0xc037, 'TLSv1',   'ECDHEPSK', 'PSK',    'AES128',           'SHA256',      'HIGH',   128, 128, 'F',  'default',         'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256'],
  ['ECDHE-PSK-AES256-CBC-SHA384',    0xc038, 'TLSv1',   'ECDHEPSK', 'PSK',    'AES256',           'SHA384',      'HIGH',   256, 256, 'F',  'default',         'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384'],
  ['ECDHE-PSK-NULL-SHA',             0xc039, 'TLSv1',   'ECDHEPSK', 'PSK',    'NULL',             'SHA1',        'NONE',   0,   0,   'F',  'default',         'TLS_ECDHE_PSK_WITH_NULL_SHA'],
  ['ECDHE-PSK-NULL-SHA256',          0xc03a, 'TLSv1',   'ECDHEPSK', 'PSK',    'NULL',             'SHA256',      'NONE',   0,   0,   'F',  'default',         'TLS_ECDHE_PSK_WITH_NULL_SHA256'],
  ['ECDHE-PSK-NULL-SHA384',          0xc03b, 'TLSv1',   'ECDHEPSK', 'PSK',    'NULL',             'SHA384',      'NONE',   0,   0,   'F',  'default',         'TLS_ECDHE_PSK_WITH_NULL_SHA384'],
  ['ARIA128-GCM-SHA256',             0xc050, 'TLSv1.2', 'RSA',      'RSA',    'ARIA128GCM',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_RSA_WITH_ARIA_128_GCM_SHA256'],
  ['ARIA256-GCM-SHA384',             0xc051, 'TLSv1.2', 'RSA',      'RSA',    'ARIA256GCM',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_RSA_WITH_ARIA_256_GCM_SHA384'],
  ['DHE-RSA-ARIA128-GCM-SHA256',     0xc052, 'TLSv1.2', 'DHE',      'RSA',    'ARIA128GCM',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256'],
  ['DHE-RSA-ARIA256-GCM-SHA384',     0xc053, 'TLSv1.2', 'DHE',      'RSA',    'ARIA256GCM',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384'],
  ['DHE-DSS-ARIA128-GCM-SHA256',     0xc056, 'TLSv1.2', 'DHE',      'DSS',    'ARIA128GCM',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256'],
  ['DHE-DSS-ARIA256-GCM-SHA384',     0xc057, 'TLSv1.2', 'DHE',      'DSS',    'ARIA256GCM',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384'],
  ['ECDHE-ECDSA-ARIA128-GCM-SHA256', 0xc05c, 'TLSv1.2', 'ECDHE',    'ECDSA',  'ARIA128GCM',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256'],
  ['ECDHE-ECDSA-ARIA256-GCM-SHA384', 0xc05d, 'TLSv1.2', 'ECDHE',    'ECDSA',  'ARIA256GCM',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384'],
  ['ECDHE-ARIA128-GCM-SHA256',       0xc060, 'TLSv1.2', 'ECDHE',    'RSA',    'ARIA128GCM',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256'],
  ['ECDHE-ARIA256-GCM-SHA384',       0xc061, 'TLSv1.2', 'ECDHE',    'RSA',    'ARIA256GCM',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384'],
  ['PSK-ARIA128-GCM-SHA256',         0xc06a, 'TLSv1.2', 'PSK',      'PSK',    'ARIA128GCM',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_PSK_WITH_ARIA_128_GCM_SHA256'],
  ['PSK-ARIA256-GCM-SHA384',         0xc06b, 'TLSv1.2', 'PSK',      'PSK',    'ARIA256GCM',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_PSK_WITH_ARIA_256_GCM_SHA384'],
  ['DHE-PSK-ARIA128-GCM-SHA256',     0xc06c, 'TLSv1.2', 'DHEPSK',   'PSK',    'ARIA128GCM',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256'],
  ['DHE-PSK-ARIA256-GCM-SHA384',     0xc06d, 'TLSv1.2', 'DHEPSK',   'PSK',    'ARIA256GCM',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384'],
  ['RSA-PSK-ARIA128-GCM-SHA256',     0xc06e, 'TLSv1.2', 'RSAPSK',   'RSA',    'ARIA128GCM',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256'],
  ['RSA-PSK-ARIA256-GCM-SHA384',     0xc06f, 'TLSv1.2', 'RSAPSK',   'RSA',    'ARIA256GCM',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384'],
  ['ECDHE-ECDSA-CAMELLIA128-SHA256', 0xc072, 'TLSv1.2', 'ECDHE',    'ECDSA',  'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256'],
  ['ECDHE-ECDSA-CAMELLIA256-SHA384', 0xc073, 'TLSv1.2', 'ECDHE',    'ECDSA',  'CAMELLIA256',      'SHA384',      'HIGH',   256, 256, 'N',  'default',         'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384'],
  ['ECDHE-RSA-CAMELLIA128-SHA256',   0xc076, 'TLSv1.2', 'ECDHE',    'RSA',    'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  ['ECDHE-RSA-CAMELLIA256-SHA384',   0xc077, 'TLSv1.2', 'ECDHE',    'RSA',    'CAMELLIA256',      'SHA384',      'HIGH',   256, 256, 'N',  'default',         'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384'],
  ['PSK-CAMELLIA128-SHA256',         0xc094, 'TLSv1',   'PSK',      'PSK',    'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  ['PSK-CAMELLIA256-SHA384',         0xc095, 'TLSv1',   'PSK',      'PSK',    'CAMELLIA256',      'SHA384',      'HIGH',   256, 256, 'N',  'default',         'TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  ['DHE-PSK-CAMELLIA128-SHA256',     0xc096, 'TLSv1',   'DHEPSK',   'PSK',    'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  ['DHE-PSK-CAMELLIA256-SHA384',     0xc097, 'TLSv1',   'DHEPSK',   'PSK',    'CAMELLIA256',      'SHA384',      'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  ['RSA-PSK-CAMELLIA128-SHA256',     0xc098, 'TLSv1',   'RSAPSK',   'RSA',    'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  ['RSA-PSK-CAMELLIA256-SHA384',     0xc099, 'TLSv1',   'RSAPSK',   'RSA',    'CAMELLIA256',      'SHA384',      'HIGH',   256, 256, 'N',  'default',         'TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  ['ECDHE-PSK-CAMELLIA128-SHA256',   0xc09a, 'TLSv1',   'ECDHEPSK', 'PSK',    'CAMELLIA128',      'SHA256',      'HIGH',   128, 128, 'N',  'default',         'TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  ['ECDHE-PSK-CAMELLIA256-SHA384',   0xc09b, 'TLSv1',   'ECDHEPSK', 'PSK',    'CAMELLIA256',      'SHA384',      'HIGH',   256, 256, 'N',  'default',         'TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  ['AES128-CCM',                     0xc09c, 'TLSv1.2', 'RSA',      'RSA',    'AES128CCM',        'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_RSA_WITH_AES_128_CCM'],
  ['AES256-CCM',                     0xc09d, 'TLSv1.2', 'RSA',      'RSA',    'AES256CCM',        'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_RSA_WITH_AES_256_CCM'],
  ['DHE-RSA-AES128-CCM',             0xc09e, 'TLSv1.2', 'DHE',      'RSA',    'AES128CCM',        'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_RSA_WITH_AES_128_CCM'],
  ['DHE-RSA-AES256-CCM',             0xc09f, 'TLSv1.2', 'DHE',      'RSA',    'AES256CCM',        'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_RSA_WITH_AES_256_CCM'],
  ['AES128-CCM8',                    0xc0a0, 'TLSv1.2', 'RSA',      'RSA',    'AES128CCM8',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_RSA_WITH_AES_128_CCM_8'],
  ['AES256-CCM8',                    0xc0a1, 'TLSv1.2', 'RSA',      'RSA',    'AES256CCM8',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_RSA_WITH_AES_256_CCM_8'],
  ['DHE-RSA-AES128-CCM8',            0xc0a2, 'TLSv1.2', 'DHE',      'RSA',    'AES128CCM8',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_RSA_WITH_AES_128_CCM_8'],
  ['DHE-RSA-AES256-CCM8',            0xc0a3, 'TLSv1.2', 'DHE',      'RSA',    'AES256CCM8',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_RSA_WITH_AES_256_CCM_8'],
  ['PSK-AES128-CCM',                 0xc0a4, 'TLSv1.2', 'PSK',      'PSK',    'AES128CCM',        'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_PSK_WITH_AES_128_CCM'],
  ['PSK-AES256-CCM',                 0xc0a5, 'TLSv1.2', 'PSK',      'PSK',    'AES256CCM',        'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_PSK_WITH_AES_256_CCM'],
  ['DHE-PSK-AES128-CCM',             0xc0a6, 'TLSv1.2', 'DHEPSK',   'PSK',    'AES128CCM',        'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_DHE_PSK_WITH_AES_128_CCM'],
  ['DHE-PSK-AES256-CCM',             0xc0a7, 'TLSv1.2', 'DHEPSK',   'PSK',    'AES256CCM',        'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_DHE_PSK_WITH_AES_256_CCM'],
  ['PSK-AES128-CCM8',                0xc0a8, 'TLSv1.2', 'PSK',      'PSK',    'AES128CCM8',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_PSK_WITH_AES_128_CCM_8'],
  ['PSK-AES256-CCM8',                0xc0a9, 'TLSv1.2', 'PSK',      'PSK',    'AES256CCM8',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_PSK_WITH_AES_256_CCM_8'],
  ['DHE-PSK-AES128-CCM8',            0xc0aa, 'TLSv1.2', 'DHEPSK',   'PSK',    'AES128CCM8',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_PSK_DHE_WITH_AES_128_CCM_8'],
  ['DHE-PSK-AES256-CCM8',            0xc0ab, 'TLSv1.2', 'DHEPSK',   'PSK',    'AES256CCM8',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_PSK_DHE_WITH_AES_256_CCM_8'],
  ['ECDHE-ECDSA-AES128-CCM',         0xc0ac, 'TLSv1.2', 'ECDHE',    'ECDSA',  'AES128CCM',        'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'],
  ['ECDHE-ECDSA-AES256-CCM',         0xc0ad, 'TLSv1.2', 'ECDHE',    'ECDSA',  'AES256CCM',        'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_256_CCM'],
  ['ECDHE-ECDSA-AES128-CCM8',        0xc0ae, 'TLSv1.2', 'ECDHE',    'ECDSA',  'AES128CCM8',       'AEAD',        'HIGH',   128, 128, 'N',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'],
  ['ECDHE-ECDSA-AES256-CCM8',        0xc0af, 'TLSv1.2', 'ECDHE',    'ECDSA',  'AES256CCM8',       'AEAD',        'HIGH',   256, 256, 'N',  'default',         'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8'],
  ['ECDHE-RSA-CHACHA20-POLY1305',    0xcca8, 'TLSv1.2', 'ECDHE',    'RSA',    'CHACHA20POLY1305', 'AEAD',        'HIGH',   256, 256, '',   'default',         'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  ['ECDHE-ECDSA-CHACHA20-POLY1305',  0xcca9, 'TLSv1.2', 'ECDHE',    'ECDSA',  'CHACHA20POLY1305', 'AEAD',        'HIGH',   256, 256, '',   'default',         'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  ['DHE-RSA-CHACHA20-POLY1305',      0xccaa, 'TLSv1.2', 'DHE',      'RSA',    'CHACHA20POLY1305', 'AEAD',        'HIGH',   256, 256, '',   'default',         'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  ['PSK-CHACHA20-POLY1305',          0xccab, 'TLSv1.2', 'PSK',      'PSK',    'CHACHA20POLY1305', 'AEAD',        'HIGH',   256, 256, '',   'default',         'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  ['ECDHE-PSK-CHACHA20-POLY1305',    0xccac, 'TLSv1.2', 'ECDHEPSK', 'PSK',    'CHACHA20POLY1305', 'AEAD',        'HIGH',   256, 256, '',   'default',         'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  ['DHE-PSK-CHACHA20-POLY1305',      0xccad, 'TLSv1.2', 'DHEPSK',   'PSK',    'CHACHA20POLY1305', 'AEAD',        'HIGH',   256, 256, '',   'default',         'TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  ['RSA-PSK-CHACHA20-POLY1305',      0xccae, 'TLSv1.2', 'RSAPSK',   'RSA',    'CHACHA20POLY1305', 'AEAD',        'HIGH',   256, 256, '',   'default',         'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  ['GOST2012-GOST8912-GOST8912',     0xff85, 'TLSv1',   'GOST',     'GOST12', 'GOST8912',         'GOST89MAC12', 'HIGH',   256, 256, '',   'engine',          ''],
  ['GOST2012-NULL-GOST12',           0xff87, 'TLSv1',   'GOST',     'GOST12', 'NULL',             'GOST12',      'NONE',   0,   0,   '',   'engine',          ''],
];

export const CIPHER_SUITES: readonly CipherSuite[] = Object.freeze(
  ROWS.map(([name, id, protocol, kx, au, enc, mac, strength, strengthBits, bits, flags, availability, stdName]) =>
    Object.freeze({
      name,
      stdName,
      id,
      protocol,
      maxProtocol: flags.includes('T') ? ('TLSv1.1' as const) : ('TLSv1.2' as const),
      kx,
      au,
      enc,
      mac,
      bits,
      strengthBits,
      strength,
      export: flags.includes('X'),
      notDefault: flags.includes('N'),
      fips: flags.includes('F'),
      availability,
    }),
  ),
);
