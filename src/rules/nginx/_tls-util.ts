// Shared helpers of the nginx TLS rules (RULES.md 18–27): which TLS servers a directive governs, nginx's TLS
// defaults by release, cipher-string verdicts, and reading dhparam files.

import { compareVersions } from '../../config';
import { handshakeServers, protocolDeciders as modelDeciders, type NginxServer } from '../../model/nginx';

export { handshakeServers };
import { forEachNginxDirective, resolveNginxInclude, type NginxConfig, type NginxDirective, type NginxIncludeProblem } from '../../parsers/nginx';
import { cipherSuiteFlags, evaluateCipherString, type CipherEvaluation, type CipherFlag, type CipherSuite } from '../../tls/ciphers';
import type { Loc } from '../../types';
import type { RuleContext } from '../types';
import { nginxVersionFor, reportOnce } from './_common';

/** nginx's built-in `ssl_ciphers` (ngx_http_ssl_module.c, since 1.0.5). */
export const NGINX_DEFAULT_CIPHERS = 'HIGH:!aNULL:!MD5';

/** Mozilla intermediate (guideline 5.8/6.0): ECDHE with AEAD only. */
export const MOZILLA_INTERMEDIATE_CIPHERS =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';

export { anchorLoc as anchorOf, nginxVersionFor, serverLoc, versionNote } from './_common';

/** The nginx release in force (for `server`: its image's pinned one, if any) is `version` or later. */
export function atLeast(ctx: RuleContext, version: string, server?: Pick<NginxServer, 'config'>): boolean {
  return compareVersions(server ? nginxVersionFor(ctx, server) : ctx.config.nginxVersion, version) >= 0;
}

// --- where a directive applies ------------------------------------------------------------------------

/** Directives in these blocks are not HTTP (stream/mail have their own TLS settings), or not nginx syntax. */
const NOT_HTTP = new Set(['stream', 'mail']);

export interface Found {
  d: NginxDirective;
  config: NginxConfig;
}

/** Every directive with one of `names` in the analysed configs, outside stream {} and mail {} unless `everywhere`. */
export function findDirectives(ctx: RuleContext, names: readonly string[], everywhere = false): Found[] {
  return names.flatMap((n) => (directiveIndex(ctx, asked(n)).get(n) ?? []).filter((f) => everywhere || !f.notHttp));
}

/** The names the TLS rules ask for: the index holds only these, not an entry for every directive of the scan. */
const asked = (name: string): boolean => name === 'ssl' || name === 'add_header' || name.startsWith('ssl_') || name.includes('_ssl_');

const indexes = new WeakMap<object, Map<string, (Found & { notHttp: boolean })[]>>();
const fullIndexes = new WeakMap<object, Map<string, (Found & { notHttp: boolean })[]>>();

/** Simple directives of every config by name, built once per scan (each TLS rule asks for a few names). */
function directiveIndex(ctx: RuleContext, narrow: boolean): Map<string, (Found & { notHttp: boolean })[]> {
  const cache = narrow ? indexes : fullIndexes;
  let index = cache.get(ctx.model);
  if (index) return index;
  index = new Map();
  for (const config of ctx.model.nginx.configs) {
    const notHttpBlocks = new Set<NginxDirective>();
    forEachNginxDirective(config.directives, (d, parent) => {
      const notHttp = parent !== undefined && notHttpBlocks.has(parent);
      if (d.block && (notHttp || NOT_HTTP.has(d.name))) notHttpBlocks.add(d);
      if (d.terminator !== ';' || (narrow && !asked(d.name))) return;
      const entry = { d, config, notHttp };
      const at = index!.get(d.name);
      if (at) at.push(entry);
      else index!.set(d.name, [entry]);
    });
  }
  cache.set(ctx.model, index);
  return index;
}

/** A stable identity for a directive (the same file can be read into several configs). */
export function keyOf(d: NginxDirective): string {
  return `${d.file}:${d.loc.line}:${d.loc.column}`;
}


/** "TLS server `example.com`", or "This TLS server" when it has no name. */
export function serverLabel(s: NginxServer): string {
  const name = s.names.find((n) => n && n !== '_');
  return name ? `TLS server \`${name}\`` : 'This TLS server';
}

/** Reports each anchor once, however many servers inherit the directive. */
export function once(ctx: RuleContext): (loc: Loc, report: Omit<Parameters<RuleContext['report']>[0], 'loc'>) => void {
  const report = reportOnce(ctx);
  return (loc, r) => report({ loc, ...r });
}

/**
 * A server that completes TLS handshakes over TCP: an `ssl` listener (or `ssl on`) and no `ssl_reject_handshake on`.
 * QUIC is TLS 1.3 only, so ssl_protocols and ssl_ciphers do not apply to it.
 */
export function servesTls(s: NginxServer): boolean {
  if (s.sslOn === undefined && !s.listens.some((l) => l.ssl)) return false;
  return inForce(s, 'ssl_reject_handshake')?.args[0]?.value !== 'on';
}

/** The protocols a handshake with `s` can use, per default server that governs it (the directive, or nginx's default). */
export function handshakeProtocols(s: NginxServer, nginxVersion: string): { server: NginxServer; directive?: NginxDirective; protocols: string[] }[] {
  return handshakeServers(s).map((d) => {
    const directive = inForce(d, 'ssl_protocols');
    return { server: d, directive, protocols: directive ? protocolsOf(directive) : defaultProtocols(nginxVersion) };
  });
}

const tlsServerCache = new WeakMap<object, NginxServer[]>();

export function tlsServers(ctx: RuleContext): NginxServer[] {
  let servers = tlsServerCache.get(ctx.model);
  if (!servers) tlsServerCache.set(ctx.model, (servers = ctx.model.nginx.servers.filter(servesTls)));
  return servers;
}

/**
 * The directives named `name` in force at a level, nginx-style: the nearest level that has any. Levels are server
 * blocks and http blocks; the model reads a site file or snippet inside an http block (the main config's that
 * enables it, else an implicit one), so its top-level directives are http-level ones. Only a main file's own top
 * level has no block (undefined).
 */
export function listInForceAt(level: NginxDirective | undefined, config: NginxConfig, name: string): NginxDirective[] {
  for (let at = level; ; at = at.parent) {
    const own = simpleChildren(at ? (at.block ?? []) : config.directives, name);
    if (own.length > 0 || !at) return own;
  }
}

const NONE: NginxDirective[] = [];
const childIndex = new WeakMap<NginxDirective[], Map<string, NginxDirective[]>>();

/** The `name;` directives among a block's children, indexed once per block: an http level may hold thousands of servers. */
function simpleChildren(block: NginxDirective[], name: string): NginxDirective[] {
  let index = childIndex.get(block);
  if (!index) {
    index = new Map();
    for (const d of block) {
      if (d.terminator !== ';') continue;
      const list = index.get(d.name);
      if (list) list.push(d);
      else index.set(d.name, [d]);
    }
    childIndex.set(block, index);
  }
  return index.get(name) ?? NONE;
}

/**
 * A standalone use in a main config's http {} that holds includes but no server in view: its servers come from
 * files that could not be read, matched nothing or were skipped (templates), so whether a TLS server inherits the
 * directive is not known (kobo-docker keeps Debian's old `ssl_protocols TLSv1 …` line above plain-HTTP sites).
 */
export function serversUnseen(ctx: RuleContext, u: Use): boolean {
  const level = u.d.parent;
  if (!u.standalone || level?.name !== 'http' || isImplicitHttp(level, u.config)) return false;
  return ctx.model.nginx.includeProblems.some((p) => p.kind !== 'parse' && inside(p.loc, level));
}

/** An http block the model made up for a site file or snippet that no main config includes. */
export function isImplicitHttp(level: NginxDirective | undefined, config: NginxConfig): boolean {
  return level?.name === 'http' && level.block === config.directives;
}

/** A scalar directive in force at a level (the last one of the nearest level that has any). */
export function inForceAt(level: NginxDirective | undefined, config: NginxConfig, name: string): NginxDirective | undefined {
  const list = listInForceAt(level, config, name);
  return list[list.length - 1];
}

/** The `name` directive in force for a server (its own, else its http level's). */
export function inForce(s: NginxServer, name: string): NginxDirective | undefined {
  return inForceAt(s.block, s.config, name);
}

/** The value in force where `d` is written (for a directive judged on its own). */
export function effectiveAt(d: NginxDirective, config: NginxConfig, name: string): NginxDirective | undefined {
  return inForceAt(d.parent, config, name);
}

export interface Use {
  d: NginxDirective;
  config: NginxConfig;
  /** TLS servers for which `d` is the value in force. */
  servers: NginxServer[];
  /**
   * No TLS server in view sits at d's level (an http {} with only plain servers, a snippet nothing includes, a
   * site file without TLS servers): the directive is judged on its own, since whatever includes it in production
   * inherits it.
   */
  standalone: boolean;
}

/**
 * Each `name` directive at http/server level (or the top of a file) with the TLS servers it governs. A directive
 * that every TLS server at its level overrides, or one in a server that does not serve TLS, governs nothing.
 */
const useCache = new WeakMap<object, Map<string, Use[]>>();

export function uses(ctx: RuleContext, name: string): Use[] {
  // Several TLS rules ask about the same directive: answer once per scan.
  let byName = useCache.get(ctx.model);
  if (!byName) useCache.set(ctx.model, (byName = new Map()));
  let list = byName.get(name);
  if (!list) byName.set(name, (list = computeUses(ctx, name)));
  return list;
}

function computeUses(ctx: RuleContext, name: string): Use[] {
  const servers = tlsServers(ctx);
  // One lookup per server, then grouped: large configs have thousands of servers and directives.
  const byKey = new Map<string, Set<NginxServer>>();
  // A level with servers in view, TLS or not, is judged by them: TLS settings in an http {} whose servers all
  // listen in plain HTTP serve nothing.
  const parents = new Set<NginxDirective | undefined>(ctx.model.nginx.servers.map((s) => s.block.parent));
  for (const s of servers) {
    // The protocol range comes from the default server of each address the server listens on.
    const governing = name === 'ssl_protocols' ? handshakeServers(s) : [s];
    for (const g of governing) {
      const e = inForce(g, name);
      if (!e) continue;
      const k = keyOf(e);
      const set = byKey.get(k);
      if (set) set.add(s);
      else byKey.set(k, new Set([s]));
    }
  }
  const out: Use[] = [];
  for (const { d, config } of findDirectives(ctx, [name])) {
    const level = d.parent;
    if (level && level.name !== 'http' && level.name !== 'server') continue;
    const governed = [...(byKey.get(keyOf(d)) ?? [])];
    const standalone =
      governed.length === 0 &&
      level?.name !== 'server' &&
      !(level !== undefined ? parents.has(level) : ctx.model.nginx.servers.some((s) => s.block.parent === undefined && s.config === config));
    out.push({ d, config, servers: governed, standalone });
  }
  return out;
}

/** The default servers of the TLS addresses (see the model's protocolDeciders). */
export function protocolDeciders(ctx: RuleContext): NginxServer[] {
  return modelDeciders(ctx.model.nginx);
}

// --- include files that could not be read -------------------------------------------------------------

const before = (a: { line: number; column: number }, b: { line: number; column: number }) =>
  a.line < b.line || (a.line === b.line && a.column <= b.column);

/** Whether `loc` lies inside the block directive `b` (from its name to its closing brace). */
function inside(loc: Loc, b: NginxDirective): boolean {
  if (loc.path !== b.file || !before(b.loc, loc)) return false;
  if (!b.closeLoc) return true;
  return before(loc, { line: b.closeLoc.endLine, column: b.closeLoc.endColumn });
}

/**
 * Includes written directly at a level (see listInForceAt) that could not be read: the settings a rule looks for
 * may be in them (certbot's /etc/letsencrypt/options-ssl-nginx.conf sets ssl_protocols, ssl_ciphers and
 * ssl_session_tickets). `nginx/include-unresolved` reports them.
 */
const unreadCache = new WeakMap<object, Map<object, NginxIncludeProblem[]>>();

export function unreadIncludesAt(ctx: RuleContext, level: NginxDirective | undefined, config: NginxConfig): NginxIncludeProblem[] {
  // Asked for every server and its http level: computed once per level (an http block may hold thousands).
  let byLevel = unreadCache.get(ctx.model);
  if (!byLevel) unreadCache.set(ctx.model, (byLevel = new Map()));
  const key: object = level ?? config;
  let hit = byLevel.get(key);
  if (!hit) byLevel.set(key, (hit = computeUnreadIncludes(ctx, level, config)));
  return hit;
}

function computeUnreadIncludes(ctx: RuleContext, level: NginxDirective | undefined, config: NginxConfig): NginxIncludeProblem[] {
  const kids = level ? (level.block ?? []) : config.directives;
  const files = new Set(kids.map((d) => d.file));
  files.add(level ? level.file : config.entry);
  const blocks = kids.filter((d) => d.block);
  const out: NginxIncludeProblem[] = [];
  for (const c of ctx.model.nginx.configs) {
    for (const p of c.problems) {
      if (p.level === 'info' || !(p.kind === 'missing' || p.kind === 'outside' || p.kind === 'unreadable')) continue;
      if (!files.has(p.loc.path)) continue;
      // An implicit http block has no braces in any file: its whole file is inside it.
      if (level && !isImplicitHttp(level, config) && p.loc.path === level.file && !inside(p.loc, level)) continue;
      if (blocks.some((b) => inside(p.loc, b))) continue;
      out.push(p);
    }
  }
  return out;
}

/** Whether an include that could not be read sits at a level or, for a server, at its http level. */
export function unreadIncludeAround(ctx: RuleContext, level: NginxDirective | undefined, config: NginxConfig): boolean {
  if (unreadIncludesAt(ctx, level, config).length > 0) return true;
  return level?.name === 'server' && unreadIncludesAt(ctx, level.parent, config).length > 0;
}

export function serverHasUnreadInclude(ctx: RuleContext, s: NginxServer): boolean {
  return unreadIncludeAround(ctx, s.block, s.config);
}

// --- protocols ----------------------------------------------------------------------------------------

export const PROTOCOL_NAMES = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export const WEAK_PROTOCOLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

/** nginx's default ssl_protocols (NGX_SSL_DEFAULT_PROTOCOLS; FACTS §4.1). */
export function defaultProtocols(version: string): string[] {
  if (compareVersions(version, '1.9.1') < 0) return ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'];
  if (compareVersions(version, '1.23.4') < 0) return ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
  if (compareVersions(version, '1.27.3') < 0) return ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
  return ['TLSv1.2', 'TLSv1.3'];
}

/** The protocols a `*_protocols` directive lists, spelled as nginx documents them (nginx matches case-insensitively). */
export function protocolsOf(d: NginxDirective): string[] {
  const out: string[] = [];
  for (const a of d.args) {
    const name = PROTOCOL_NAMES.find((p) => p.toLowerCase() === a.value.toLowerCase());
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

/** Protocols in force for a TLS scope: the directive's list, or nginx's default when there is none. */
export function protocolsIn(d: NginxDirective | undefined, ctx: RuleContext): string[] {
  return d ? protocolsOf(d) : defaultProtocols(ctx.config.nginxVersion);
}

/** Only TLS 1.3: ssl_ciphers (TLS ≤ 1.2 suites), ssl_dhparam and friends do nothing. */
export function tls13Only(protocols: string[]): boolean {
  return protocols.length > 0 && protocols.every((p) => p === 'TLSv1.3');
}

export function listWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

// --- ciphers ------------------------------------------------------------------------------------------

const cache = new Map<string, CipherEvaluation>();

/** The configured string as OpenSSL 3.0 reads it, judged without a security level (the configuration, not a build). */
export function evaluate(cipherString: string): CipherEvaluation {
  let e = cache.get(cipherString);
  if (!e) {
    e = evaluateCipherString(cipherString, { seclevel: 0 });
    cache.set(cipherString, e);
  }
  return e;
}

/** Suites nginx can negotiate: PSK and SRP need callbacks stock nginx never installs. */
export function negotiable(e: CipherEvaluation): CipherSuite[] {
  return e.suites.filter((s) => {
    const f = cipherSuiteFlags(s);
    return !f.psk && !f.srp;
  });
}

const AVAILABILITY_RANK: Record<CipherSuite['availability'], number> = { default: 0, 'legacy-provider': 1, weak: 2, engine: 3, removed: 4 };

/** Up to `n` suite names, those a current OpenSSL actually has first. */
export function examples(suites: CipherSuite[], n = 3): string {
  const picked = [...suites].sort((a, b) => AVAILABILITY_RANK[a.availability] - AVAILABILITY_RANK[b.availability]).slice(0, n);
  return picked.map((s) => s.name).join(', ') + (suites.length > n ? ', …' : '');
}

export const WEAK_FLAGS: readonly CipherFlag[] = ['eNull', 'aNull', 'export', 'des', 'rc4', 'tripleDes', 'md5'];

export const WEAK_LABELS: Record<string, { label: string; why: string }> = {
  eNull: { label: 'NULL-encryption (eNULL)', why: 'NULL suites send the traffic unencrypted' },
  aNull: { label: 'anonymous (aNULL: ADH/AECDH)', why: 'anonymous suites authenticate no server, so anyone in the path can impersonate it' },
  export: { label: 'EXPORT-grade', why: 'EXPORT suites use 40/56-bit keys (FREAK, Logjam)' },
  des: { label: 'single-DES', why: 'DES keys (56 bits) are brute-forced in hours' },
  rc4: { label: 'RC4', why: 'RC4 is prohibited by RFC 7465 (biased keystream, plaintext recovery)' },
  tripleDes: { label: '3DES', why: '3DES has a 64-bit block (SWEET32, CVE-2016-2183)' },
  md5: { label: 'MD5-MAC', why: 'MD5 is broken as a hash' },
};

/** Negotiable suites per weak kind, in the order of WEAK_FLAGS; empty kinds left out. */
export function weakSuites(e: CipherEvaluation): { flag: CipherFlag; suites: CipherSuite[] }[] {
  const suites = negotiable(e);
  const out: { flag: CipherFlag; suites: CipherSuite[] }[] = [];
  for (const flag of WEAK_FLAGS) {
    const hit = suites.filter((s) => cipherSuiteFlags(s)[flag]);
    if (hit.length > 0) out.push({ flag, suites: hit });
  }
  return out;
}

/** Forward-secret AEAD: what Mozilla's intermediate profile keeps (ECDHE/DHE with GCM or ChaCha20-Poly1305). */
export function modernSuite(s: CipherSuite): boolean {
  const f = cipherSuiteFlags(s);
  return !f.nonForwardSecret && s.mac === 'AEAD' && !WEAK_FLAGS.some((w) => f[w]);
}

/** A cipher list with only forward-secret AEAD suites (at least one). */
export function modernList(e: CipherEvaluation): boolean {
  const suites = negotiable(e);
  return e.ok && suites.length > 0 && suites.every(modernSuite);
}

export function unknownNote(e: CipherEvaluation): string {
  if (e.unknownTokens.length === 0) return '';
  const iana = e.unknownTokens.some((t) => t.startsWith('TLS_'));
  return ` (OpenSSL skips the unknown name${e.unknownTokens.length > 1 ? 's' : ''} ${e.unknownTokens.slice(0, 3).join(', ')}${e.unknownTokens.length > 3 ? ', …' : ''}${iana ? '; OpenSSL cipher strings take OpenSSL names such as ECDHE-RSA-AES128-GCM-SHA256, not IANA TLS_… names' : ''})`;
}

/** The single string argument of a cipher directive, if it has exactly one. */
export function cipherArg(d: NginxDirective): string | undefined {
  return d.args.length === 1 ? d.args[0].value : undefined;
}

/**
 * Whether the string asks for DHE itself (a DHE-/EDH- suite or the DHE, EDH, kDHE, kEDH or DH alias, added rather
 * than removed or moved), as opposed to getting DHE suites along with HIGH or ALL: only then is a missing
 * ssl_dhparam a surprise.
 */
export function namesDhe(cipherString: string): boolean {
  return cipherString
    .split(/[:,;\s]+/)
    .filter((t) => t && !/^[!+-]/.test(t))
    .some((t) => t.split('+').some((w) => /^(k?EDH|k?DHE|DH|DHE-.+|EDH-.+)$/i.test(w)));
}

// --- dhparam files ------------------------------------------------------------------------------------

/**
 * Bit length of the prime in a PEM "DH PARAMETERS" (PKCS#3: SEQUENCE { INTEGER p, INTEGER g }) or "X9.42 DH
 * PARAMETERS" (SEQUENCE { INTEGER p, INTEGER g, INTEGER q, … }) block; undefined when there is none or it is
 * malformed.
 */
export function dhParamBits(pem: string): number | undefined {
  const m = /-----BEGIN (?:X9\.42 )?DH PARAMETERS-----([^-]*)-----END (?:X9\.42 )?DH PARAMETERS-----/.exec(pem);
  if (!m) return undefined;
  const b64 = m[1].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  const der = Buffer.from(b64, 'base64');
  let i = 0;
  const readLen = (): number | undefined => {
    const first = der[i++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const n = first & 0x7f;
    if (n === 0 || n > 4) return undefined;
    let len = 0;
    for (let k = 0; k < n; k++) {
      const b = der[i++];
      if (b === undefined) return undefined;
      len = len * 256 + b;
    }
    return len;
  };
  if (der[i++] !== 0x30) return undefined;
  const seqLen = readLen();
  if (seqLen === undefined || i + seqLen > der.length) return undefined;
  if (der[i++] !== 0x02) return undefined;
  const intLen = readLen();
  if (intLen === undefined || intLen === 0 || i + intLen > der.length) return undefined;
  let start = i;
  const end = i + intLen;
  while (start < end && der[start] === 0) start++; // DER pads a positive INTEGER with a leading zero byte
  if (start === end) return 0;
  return (end - start - 1) * 8 + (32 - Math.clz32(der[start]));
}

export type DhParamFile =
  | { state: 'bits'; rel: string; bits: number }
  | { state: 'unreadable'; rel?: string; why: string };

/**
 * The prime size of an `ssl_dhparam` file. nginx takes a relative path from the conf prefix
 * (ngx_conf_full_name(…, 1)); an absolute /etc/nginx/… path maps onto the workspace like an include.
 * The model reads workspace ssl_dhparam files into `ctx.model.sources`; rules never touch the disk.
 */
export function dhParamFile(ctx: RuleContext, d: NginxDirective, config: NginxConfig): DhParamFile {
  const arg = d.args[0]?.value;
  if (!arg) return { state: 'unreadable', why: 'no path' };
  if (arg.includes('$')) return { state: 'unreadable', why: 'a variable path' };
  const target = resolveNginxInclude(arg, config.prefix);
  if ('outside' in target) return { state: 'unreadable', why: 'outside the workspace' };
  const text = ctx.model.sources.get(target.rel)?.text;
  if (text === undefined) return { state: 'unreadable', rel: target.rel, why: 'not read' };
  const bits = dhParamBits(text);
  if (bits === undefined) return { state: 'unreadable', rel: target.rel, why: 'no DH PARAMETERS block' };
  return { state: 'bits', rel: target.rel, bits };
}

