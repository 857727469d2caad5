// Turns a fixture's nginx config into one that a real nginx can run unprivileged in a throwaway prefix, on
// loopback ports, with a generated certificate and a stub backend. Every change is a textual edit at the exact
// place the parser gives for a directive or argument (never a regex over the file), so the rest of the config —
// add_header, return, rewrite, if, location nesting, includes — reaches nginx byte for byte.

import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  forEachNginxDirective, parseNginx, resolveNginxInclude, type NginxConfig, type NginxDirective,
} from '../../src/parsers/nginx';
import type { Loc } from '../../src/types';
import { serverProbes, type Probe } from './probes';

export interface RewriteEnv {
  /** The fixture copied here (workspace-relative paths of the model map below it). */
  ws: string;
  /** nginx's -p prefix: pid, logs, temp paths and the document root live here. */
  prefix: string;
  cert: string;
  key: string;
  backendPort: number;
  /** Loopback port for a listen key of the fixture ('80', '443', 'unix:/run/x.sock'). */
  portFor(key: string): number;
}

export interface LiveListen {
  port: number;
  /** The fixture's listen this port stands for ('80', '443', 'unix:…'). */
  key: string;
  /** Written with `ssl`, or in a server with `ssl on`. */
  ssl: boolean;
}

export interface LiveServer {
  /** Set in the block as $hg_live_server, and logged with every request: which block answered. */
  id: number;
  /** Any TLS listener (an `ssl` listen, or `ssl on`). */
  tls: boolean;
  /** Host names to send (wildcards made concrete; regex names and `_` are left out). */
  hosts: string[];
  listens: LiveListen[];
  probes: Probe[];
  /** An add_header (or more_set_headers) Strict-Transport-Security with a value is written inside the block (or what it includes). */
  writesHsts: boolean;
  /** The block itself (not http level) has an `ssl_certificate`. */
  loadsCert: boolean;
}

export interface Rewritten {
  /** The file to pass to nginx -c. */
  conf: string;
  servers: LiveServer[];
  /** Literal keys of `map $host …` / `map $http_host …`: hosts the config answers differently, sent to every port. */
  mapHosts: string[];
  /** Every loopback port nginx will listen on, with whether the config makes it TLS. */
  ports: Map<number, { key: string; ssl: boolean }>;
  /** Files the probes expect under the document root. */
  files: string[];
  /** nginx's access log, one line per request: `server id|location id|port|method|host|uri|status`. */
  accessLog: string;
  /**
   * Location blocks by the id their `set $hg_live_loc` logs (0 = server level): whether the block itself says
   * `add_header Strict-Transport-Security ""`, the documented way to switch the header off on purpose.
   */
  locations: Map<number, { optOut: boolean; where: string }>;
  notes: string[];
}

/** The document root every `root`/`alias` is pointed at; also nginx's default root (html under the prefix). */
export const docRoot = (prefix: string) => path.join(prefix, 'html');

const TEMP_PATHS = ['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'];
const CACHE_PATHS = new Set(['proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path']);
const PASSES = new Set(['proxy_pass', 'uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'grpc_pass']);

const HEADERS_MORE_MODULE = process.env.HTTPS_GUARD_NGINX_HEADERS_MORE ?? '/usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so';

/** Main-context directives that would touch the system (pid, user, modules) or that we set ourselves. */
const MAIN_DROPPED = new Set([
  'user', 'pid', 'daemon', 'master_process', 'worker_processes', 'lock_file', 'working_directory', 'load_module',
  'ssl_engine', 'google_perftools_profiles', 'worker_cpu_affinity', 'worker_priority',
]);

/**
 * Directives removed wherever they are: files the fixture does not carry (OCSP, client CA, CRL, DH params, ticket
 * keys), HTTP/2 and HTTP/3 switches from releases after 1.22 that change no header or redirect, and rate limits,
 * which would turn the probes' quick succession of requests into 503s.
 */
const DROPPED = new Set([
  'ssl_stapling', 'ssl_stapling_file', 'ssl_stapling_responder', 'ssl_stapling_verify', 'ssl_ocsp', 'ssl_ocsp_cache',
  'ssl_ocsp_responder', 'ssl_trusted_certificate', 'ssl_client_certificate', 'ssl_verify_client', 'ssl_verify_depth',
  'ssl_crl', 'ssl_dhparam', 'ssl_session_ticket_key', 'ssl_password_file', 'http2', 'http3', 'http3_hq',
  'http3_max_concurrent_streams', 'http3_stream_buffer_size', 'quic_retry', 'quic_gso', 'quic_host_key',
  'quic_active_connection_id_limit', 'quic_bpf', 'limit_req', 'limit_conn',
]);
/** proxy_ssl_certificate, uwsgi_ssl_trusted_certificate …: client-side TLS files for upstreams we replace. */
const UPSTREAM_TLS_FILE = /^(proxy|uwsgi|grpc)_ssl_(certificate|certificate_key|trusted_certificate|crl|password_file)$/;

interface Edit {
  start: number;
  end: number;
  text: string;
  seq: number;
}

class Files {
  private texts = new Map<string, { text: string; starts: number[] }>();
  private edits = new Map<string, Map<string, Edit>>();
  private seq = 0;

  constructor(private readonly ws: string) {}

  has(file: string): boolean {
    return this.load(file) !== undefined;
  }

  private load(file: string) {
    let t = this.texts.get(file);
    if (t) return t;
    const abs = path.join(this.ws, file);
    let text: string;
    try {
      if (!fs.statSync(abs).isFile()) return undefined;
      text = fs.readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the parser's offsets are after the BOM
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    t = { text, starts };
    this.texts.set(file, t);
    return t;
  }

  offset(file: string, line: number, column: number): number {
    const t = this.load(file);
    if (!t) throw new Error(`${file} is not in the copied fixture`);
    return t.starts[line - 1] + column - 1;
  }

  /** One edit per place: a file included twice yields the same directive twice. */
  add(file: string, start: number, end: number, text: string): void {
    if (!this.has(file)) return;
    let m = this.edits.get(file);
    if (!m) this.edits.set(file, (m = new Map()));
    const k = `${start}:${end}:${start === end ? text : ''}`;
    if (!m.has(k)) m.set(k, { start, end, text, seq: this.seq++ });
  }

  write(): void {
    for (const [file, m] of this.edits) {
      const { text } = this.load(file)!;
      const list = [...m.values()].sort((a, b) => a.start - b.start || a.end - b.end || a.seq - b.seq);
      let out = '';
      let at = 0;
      let lastEnd = 0;
      for (const e of list) {
        if (e.start < at) {
          // Inside a block already replaced as a whole (stream {} removed): nothing left to edit.
          if (e.end <= lastEnd) continue;
          throw new Error(`overlapping edits in ${file} at offset ${e.start}`);
        }
        out += text.slice(at, e.start) + e.text;
        at = e.end;
        lastEnd = Math.max(lastEnd, e.end);
      }
      fs.writeFileSync(path.join(this.ws, file), out + text.slice(at));
    }
  }
}

/** A word nginx reads back as `s`. */
export function word(s: string): string {
  return /^[A-Za-z0-9_./:@=*+,%-]+$/.test(s) ? s : JSON.stringify(s);
}

function startOf(files: Files, d: { loc: Loc }): number {
  return files.offset(d.loc.path, d.loc.line, d.loc.column);
}
function endOf(files: Files, loc: Loc): number {
  return files.offset(loc.path, loc.endLine, loc.endColumn);
}

function replaceArgs(files: Files, d: NginxDirective, args: string[]): void {
  if (d.args.length === 0) return;
  const first = d.args[0].loc;
  const last = d.args[d.args.length - 1].loc;
  files.add(d.file, startOf(files, { loc: first }), endOf(files, last), args.map(word).join(' '));
}

/** Replaces a whole directive (a block with its body). `text` must not hold a comment: the line may go on. */
function replaceDirective(files: Files, d: NginxDirective, text: string): void {
  const end = d.block && d.closeLoc ? endOf(files, d.closeLoc) : endOf(files, d.loc);
  files.add(d.file, startOf(files, d), end, text);
}

/** Text inserted just after a block's `{`. */
function insertAfterOpen(files: Files, block: NginxDirective, text: string): void {
  const at = endOf(files, block.loc);
  files.add(block.file, at, at, text);
}

export interface ListenInfo {
  /**
   * What the listen binds, as a key: the port for a wildcard address ('80'), `loopback:<port>` for 127.x/[::1]/
   * localhost, `<address>:<port>` for another address, `unix:<path>`. Each key gets its own loopback port, so
   * servers on different addresses of one port stay apart as they are in nginx.
   */
  key: string;
  ipv6: boolean;
  ssl: boolean;
  quic: boolean;
  defaultServer: boolean;
}

/** Keys whose listener no client on the network reaches (a local front end proxies to it). */
export const isInternalKey = (key: string) => key.startsWith('loopback:') || key.startsWith('unix:');

function addressKey(address: string | undefined, port: string): string {
  const a = (address ?? '').toLowerCase();
  if (a === '' || a === '*' || a === '0.0.0.0' || a === '[::]' || a === '[::0]') return port;
  if (/^127\.\d+\.\d+\.\d+$/.test(a) || a === '[::1]' || a === 'localhost') return `loopback:${port}`;
  return `${a}:${port}`;
}

/** What a `listen` says, read from its words (port 80 when only an address is given, as nginx does). */
export function readListen(d: NginxDirective): ListenInfo {
  const first = d.args[0]?.value ?? '';
  const flags = new Set(d.args.slice(1).map((a) => a.value.split('=')[0]));
  let key: string;
  let ipv6 = false;
  if (first.startsWith('unix:')) key = first;
  else {
    const v6 = /^(\[[^\]]*\])(?::(\d+))?$/.exec(first);
    const v4 = /^(?:(.*):)?(\d+)$/.exec(first);
    if (v6) {
      ipv6 = true;
      key = addressKey(v6[1], v6[2] ?? '80');
    } else if (v4) key = addressKey(v4[1], v4[2]);
    else key = addressKey(first, '80');
  }
  return {
    key,
    ipv6,
    ssl: flags.has('ssl'),
    quic: flags.has('quic'),
    defaultServer: flags.has('default_server') || flags.has('default'),
  };
}

function directChildren(block: NginxDirective, name: string): NginxDirective[] {
  return (block.block ?? []).filter((d) => d.name === name);
}

function setAnywhereAbove(block: NginxDirective, name: string): boolean {
  for (let b: NginxDirective | undefined = block; b; b = b.parent) if (directChildren(b, name).length > 0) return true;
  return false;
}

/** Collects the listen keys of the servers in the configs that will be loaded, in nginx's reading order. */
export function listenKeys(configs: NginxConfig[]): string[] {
  const keys: string[] = [];
  for (const s of httpServers(configs)) {
    const ls = directChildren(s, 'listen').map(readListen);
    if (ls.length === 0) ls.push({ key: '80', ipv6: false, ssl: false, quic: false, defaultServer: false });
    for (const l of ls) if (!keys.includes(l.key)) keys.push(l.key);
  }
  return keys;
}

/** The configs nginx will load: the main config (if any) and every site file. */
export function loadedConfigs(configs: NginxConfig[]): { main?: NginxConfig; sites: NginxConfig[] } {
  const mains = configs.filter((c) => c.kind === 'main');
  if (mains.length > 1) throw new SkipFixture(`${mains.length} main nginx configs (${mains.map((m) => m.entry).join(', ')}); one nginx per fixture`);
  return { main: mains[0], sites: configs.filter((c) => c.kind === 'site') };
}

function httpServers(configs: NginxConfig[]): NginxDirective[] {
  const { main, sites } = loadedConfigs(configs);
  const out: NginxDirective[] = [];
  for (const c of [...(main ? [main] : []), ...sites]) {
    forEachNginxDirective(c.directives, (d, parent) => {
      if (d.name === 'server' && d.block && (parent === undefined || parent.name === 'http')) out.push(d);
      return d.name !== 'server' && d.name !== 'stream' && d.name !== 'mail' && d.name !== 'upstream';
    });
  }
  return out;
}

export class SkipFixture extends Error {}

/** A Host value for a server_name (or `map … hostnames` key): wildcards made concrete; regexes and `_` give none. */
function concreteHost(name: string): string | undefined {
  let n = name.toLowerCase();
  if (n === '' || n === '_' || n.startsWith('~') || n.includes('$')) return undefined;
  if (n.startsWith('*.')) n = `hg-live.${n.slice(2)}`;
  else if (n.startsWith('.')) n = n.slice(1);
  if (n.endsWith('.*')) n = `${n.slice(0, -2)}.com`;
  return /^[a-z0-9][a-z0-9._-]*$/.test(n) ? n : undefined;
}

/** Concrete Host values for a server's names; nginx picks the server by Host (and by SNI for the certificate). */
function hostsOf(server: NginxDirective): string[] {
  const out: string[] = [];
  for (const d of directChildren(server, 'server_name')) {
    for (const a of d.args) {
      const n = concreteHost(a.value);
      if (n && !out.includes(n)) out.push(n);
    }
  }
  return out;
}

const MAP_PARAMS = new Set(['default', 'hostnames', 'include', 'volatile']);

/** Keys of maps on the request's host: a value (an HSTS max-age, a redirect target) may differ for them. */
function mapHostsOf(configs: NginxConfig[]): string[] {
  const out: string[] = [];
  for (const c of configs) {
    forEachNginxDirective(c.directives, (d) => {
      if (d.name === 'map' && d.block && /^\$(host|http_host)$/.test(d.args[0]?.value ?? '')) {
        for (const e of d.block) {
          const n = MAP_PARAMS.has(e.name) ? undefined : concreteHost(e.name);
          if (n && !out.includes(n)) out.push(n);
        }
      }
      return d.name !== 'map';
    });
  }
  return out.slice(0, 8);
}

const isHsts = (d: NginxDirective) => d.name === 'add_header' && d.args[0]?.value.toLowerCase() === 'strict-transport-security';

/** `add_header Strict-Transport-Security "";` directly in the block: switched off here on purpose. */
function switchesHstsOff(block: NginxDirective): boolean {
  return directChildren(block, 'add_header').some((d) => isHsts(d) && (d.args[1]?.value ?? '') === '');
}

function unixSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 40);
}

/**
 * Rewrites the copied fixture in place and writes the nginx.conf to run. `configs` are the model's configs of
 * the original fixture (same workspace-relative paths as the copy).
 */
export function rewriteFixture(configs: NginxConfig[], env: RewriteEnv): Rewritten {
  const files = new Files(env.ws);
  const notes: string[] = [];
  const { main, sites } = loadedConfigs(configs);
  if (!main && sites.length === 0) throw new SkipFixture('no main config and no site file with server {} blocks');
  const loaded = [...(main ? [main] : []), ...sites];
  const logs = path.join(env.prefix, 'logs');
  const tmp = path.join(env.prefix, 'tmp');
  const www = docRoot(env.prefix);
  const errorLog = path.join(logs, 'error.log');
  const accessLog = path.join(logs, 'hg-live.log');
  const backend = `http://127.0.0.1:${env.backendPort}`;

  const servers: LiveServer[] = [];
  const locations = new Map<number, { optOut: boolean; where: string }>([[0, { optOut: false, where: 'server level' }]]);
  const locationIds = new Map<string, number>();
  const ports = new Map<number, { key: string; ssl: boolean }>();
  const defaultTaken = new Set<number>();
  // A file included twice brings the same server twice; nginx would reject the duplicate listen anyway.
  const serversSeen = new Set<string>();

  const handleServer = (s: NginxDirective) => {
    const listens = directChildren(s, 'listen');
    const sslOn = (() => {
      for (let b: NginxDirective | undefined = s; b; b = b.parent) {
        const own = directChildren(b, 'ssl');
        if (own.length > 0) return own[own.length - 1].args[0]?.value === 'on';
      }
      return false;
    })();
    const infos = listens.map(readListen);
    const live: LiveListen[] = [];
    // One listen per port and server: IPv4/wildcard listens first, so `listen [::]:80` does not hide `listen 80 default_server`.
    const order = infos.map((_, i) => i).sort((a, b) => Number(infos[a].ipv6) - Number(infos[b].ipv6) || a - b);
    const chosen = new Map<string, number>();
    for (const i of order) {
      const l = infos[i];
      if (l.quic && infos.some((o) => o.key === l.key && !o.quic)) continue; // HTTP/3 beside TCP on the same port
      if (!chosen.has(l.key)) chosen.set(l.key, i);
    }
    infos.forEach((l, i) => {
      const d = listens[i];
      if (chosen.get(l.key) !== i) {
        replaceDirective(files, d, '');
        return;
      }
      const port = env.portFor(l.key);
      // HTTP/3 is always TLS: a quic-only listen becomes a TLS listen on TCP.
      const ssl = l.ssl || l.quic;
      const args = [`127.0.0.1:${port}`];
      if (ssl) args.push('ssl');
      if (l.defaultServer && !defaultTaken.has(port)) {
        args.push('default_server');
        defaultTaken.add(port);
      }
      replaceArgs(files, d, args);
      live.push({ port, key: l.key, ssl: ssl || sslOn });
    });
    if (listens.length === 0) {
      // nginx's default listen when run as root (as deployed): *:80.
      const port = env.portFor('80');
      insertAfterOpen(files, s, `\n    listen 127.0.0.1:${port}; # hg-live: no listen in the fixture (default *:80)\n`);
      live.push({ port, key: '80', ssl: sslOn });
    }
    // `if ($server_port = 8080)`: the condition must see the port this server now listens on.
    const byNumber = new Map<string, number>();
    infos.forEach((l, i) => {
      const n = /(\d+)$/.exec(l.key)?.[1];
      if (n && chosen.get(l.key) === i && !byNumber.has(n)) byNumber.set(n, env.portFor(l.key));
    });
    if (listens.length === 0) byNumber.set('80', env.portFor('80'));
    forEachNginxDirective(s.block ?? [], (d) => {
      if (d.name === 'if' && d.args.some((a) => a.value.includes('$server_port'))) {
        for (const a of d.args) {
          const m = /^(\d+)(\)?)$/.exec(a.value);
          const to = m ? byNumber.get(m[1]) : undefined;
          if (m && to !== undefined) files.add(d.file, startOf(files, { loc: a.loc }), endOf(files, a.loc), `${to}${m[2]}`);
        }
      } else if (d.name !== 'if' && d.args.some((a) => a.value.includes('$server_port'))) {
        notes.push(`${d.file}:${d.loc.line}: ${d.name} reads $server_port, which now holds a loopback port`);
      }
      return d.name === 'location' || d.name === 'if' || d.name === 'limit_except';
    });
    const id = servers.length + 1;
    // First in the block, so it runs before any server-level return or rewrite.
    insertAfterOpen(files, s, `\n    set $hg_live_server ${id}; set $hg_live_loc 0; # hg-live: which block answered, for the access log\n`);
    // Each location says which it is too (a location in a snippet included twice keeps one id: one edit per place).
    forEachNginxDirective(s.block ?? [], (d) => {
      if (d.name === 'location' && d.block) {
        const k = `${d.file}:${d.loc.line}:${d.loc.column}`;
        let lid = locationIds.get(k);
        if (lid === undefined) {
          lid = locationIds.size + 1;
          locationIds.set(k, lid);
          locations.set(lid, { optOut: switchesHstsOff(d), where: `${d.file}:${d.loc.line} location ${d.args.map((a) => a.value).join(' ')}` });
        }
        insertAfterOpen(files, d, ` set $hg_live_loc ${lid}; `);
      }
      return d.name === 'location' || d.name === 'if' || d.name === 'limit_except';
    });
    for (const l of live) {
      const prev = ports.get(l.port);
      ports.set(l.port, { key: l.key, ssl: (prev?.ssl ?? false) || l.ssl });
    }
    if (live.some((l) => l.ssl)) {
      const add: string[] = [];
      if (!setAnywhereAbove(s, 'ssl_certificate')) add.push(`ssl_certificate ${word(env.cert)};`);
      if (!setAnywhereAbove(s, 'ssl_certificate_key')) add.push(`ssl_certificate_key ${word(env.key)};`);
      if (add.length) insertAfterOpen(files, s, `\n    ${add.join(' ')} # hg-live: none in the fixture\n`);
    }
    let writesHsts = false;
    forEachNginxDirective(s.block ?? [], (d) => {
      if (isHsts(d) && (d.args[1]?.value ?? '') !== '') writesHsts = true;
      // headers-more: `more_set_headers 'Strict-Transport-Security: …'` with a value.
      if (d.name === 'more_set_headers' && d.args.some((a) => /^strict-transport-security\s*:\s*\S/i.test(a.value))) writesHsts = true;
    });
    const loadsCert = (s.block ?? []).some((d) => d.name === 'ssl_certificate');
    servers.push({ id, tls: live.some((l) => l.ssl), hosts: hostsOf(s), listens: live, probes: serverProbes(s, notes), writesHsts, loadsCert });
  };

  /** Cert, key and the like: one per block (an RSA + ECDSA pair would load our one certificate twice). */
  const certSeen = new Set<string>();
  // The model also hangs an enabled site's directives into the main config's http {}: each place is handled once.
  const visited = new Set<string>();

  for (const c of loaded) {
    forEachNginxDirective(c.directives, (d, parent) => {
      const dk = `${d.file}:${d.loc.line}:${d.loc.column}`;
      if (visited.has(dk)) return false;
      visited.add(dk);
      const where = parent ?? d.parent;
      const atMain = c.kind === 'main' && where === undefined;
      if (d.name === 'stream' || d.name === 'mail') {
        replaceDirective(files, d, '');
        return false;
      }
      if (atMain && MAIN_DROPPED.has(d.name)) {
        replaceDirective(files, d, '');
        return false;
      }
      if (d.name === 'server' && d.block && (where === undefined || where.name === 'http')) {
        if (!serversSeen.has(dk)) handleServer(d);
        serversSeen.add(dk);
        return true;
      }
      if (d.name === 'server' && where?.name === 'upstream') {
        replaceArgs(files, d, [`127.0.0.1:${env.backendPort}`]);
        return false;
      }
      if (DROPPED.has(d.name) || UPSTREAM_TLS_FILE.test(d.name)) {
        replaceDirective(files, d, '');
        return false;
      }
      if (d.name === 'ssl_certificate' || d.name === 'ssl_certificate_key') {
        const k = `${where ? `${where.file}:${where.loc.line}:${where.loc.column}` : 'top'}:${d.name}`;
        if (certSeen.has(k)) replaceDirective(files, d, '');
        else replaceArgs(files, d, [d.name === 'ssl_certificate' ? env.cert : env.key]);
        certSeen.add(k);
        return false;
      }
      if (PASSES.has(d.name)) {
        let uri = '';
        const m = d.name === 'proxy_pass' ? /^[a-z]+:\/\/[^/]+(\/.*)?$/i.exec(d.args[0]?.value ?? '') : null;
        if (m?.[1] && !m[1].includes('$') && !(d.args[0]?.value ?? '').includes('unix:')) uri = m[1];
        // Every application is the stub backend, spoken to over HTTP (uwsgi_pass and the others included).
        replaceDirective(files, d, `proxy_pass ${word(backend + uri)};`);
        return false;
      }
      if (d.name === 'root' || d.name === 'alias') {
        replaceArgs(files, d, [d.name === 'alias' && (d.args[0]?.value ?? '').endsWith('/') ? `${www}/` : www]);
        return false;
      }
      if (TEMP_PATHS.includes(d.name)) {
        replaceArgs(files, d, [path.join(tmp, d.name)]);
        return false;
      }
      if (CACHE_PATHS.has(d.name) && d.args.length > 0) {
        const first = d.args[0];
        files.add(d.file, startOf(files, { loc: first.loc }), endOf(files, first.loc), word(path.join(env.prefix, 'cache', unixSafe(first.value))));
        return false;
      }
      if (d.name === 'access_log') {
        // Every level logs to the one file in our format (a level with its own access_log replaces the parent's).
        replaceArgs(files, d, [accessLog, 'hg_live']);
        return false;
      }
      if (d.name === 'error_log') {
        replaceArgs(files, d, [errorLog]);
        return false;
      }
      return true;
    });
  }

  // Includes, per file as written (the expanded tree no longer has them): nginx follows them in the copy.
  const prefixOf = new Map<string, string>();
  for (const c of loaded) for (const f of c.files) if (!prefixOf.has(f)) prefixOf.set(f, c.prefix);
  for (const [file, confPrefix] of prefixOf) {
    if (!files.has(file)) continue;
    const text = fs.readFileSync(path.join(env.ws, file), 'utf8').replace(/^\ufeff/, '');
    forEachNginxDirective(parseNginx(file, text, { context: 'unknown' }).directives, (d) => {
      if (d.name !== 'include' || d.terminator !== ';' || d.args.length !== 1) return true;
      const arg = d.args[0].value;
      const target = resolveNginxInclude(arg, confPrefix);
      if ('outside' in target) {
        replaceDirective(files, d, '');
        notes.push(`include ${arg} dropped: outside the fixture`);
        return false;
      }
      const abs = path.join(env.ws, target.rel);
      if (/[*?[]/.test(arg)) replaceArgs(files, d, [abs]);
      else if (fs.existsSync(abs) && fs.statSync(abs).isFile()) replaceArgs(files, d, [abs]);
      else {
        replaceDirective(files, d, '');
        notes.push(`include ${arg} dropped: not in the fixture`);
      }
      return false;
    });
  }

  // The compiled-in access log and temp paths are under /var: set every one the http level leaves unset.
  const tempLines = (present: (name: string) => boolean) =>
    `    log_format hg_live '$hg_live_server|$hg_live_loc|$server_port|$request_method|$host|$request_uri|$status';\n` +
    TEMP_PATHS.filter((n) => !present(n)).map((n) => `    ${n} ${word(path.join(tmp, n))};\n`).join('') +
    (present('access_log') ? '' : `    access_log ${word(accessLog)} hg_live;\n`);
  // headers-more (more_set_headers) is a dynamic module: Debian's libnginx-mod-http-headers-more-filter.
  let usesHeadersMore = false;
  for (const c of loaded) forEachNginxDirective(c.directives, (d) => {
    if (d.name === 'more_set_headers' || d.name === 'more_clear_headers') usesHeadersMore = true;
  });
  if (usesHeadersMore && !fs.existsSync(HEADERS_MORE_MODULE)) {
    const why = `uses headers-more, and ${HEADERS_MORE_MODULE} is not installed (Debian: libnginx-mod-http-headers-more-filter)`;
    if (process.env.CI === 'true') throw new Error(why);
    throw new SkipFixture(why);
  }
  const globals =
    (usesHeadersMore ? `load_module ${word(HEADERS_MORE_MODULE)};\n` : '') +
    `pid ${word(path.join(env.prefix, 'nginx.pid'))};\nerror_log ${word(errorLog)};\nworker_processes 1;\n`;
  const siteIncludes = (list: NginxConfig[]) => list.map((s) => `    include ${word(path.join(env.ws, s.entry))};\n`).join('');

  let conf: string;
  if (main) {
    // nginx refuses to start without events {}; a config generator's output (Mozilla's) may leave it out.
    const events = main.directives.some((d) => d.name === 'events' && d.block) ? '' : 'events {}\n';
    if (events) notes.push(`${main.entry} has no events {}: added`);
    files.add(main.entry, 0, 0, `# hg-live: harness settings\n${globals}${events}`);
    const http = main.directives.find((d) => d.name === 'http' && d.block);
    if (!http || !http.closeLoc) throw new SkipFixture(`${main.entry} has no complete http {} block`);
    insertAfterOpen(files, http, `\n${tempLines((n) => directChildren(http, n).length > 0)}`);
    // Site files the main config does not include itself (sites-available/ without sites-enabled/ in the repository).
    const extra = sites.filter((s) => !main.files.includes(s.entry));
    if (extra.length) {
      const at = startOf(files, { loc: http.closeLoc });
      files.add(http.file, at, at, `    # hg-live: site files the repository leaves to sites-enabled/\n${siteIncludes(extra)}`);
      for (const s of extra) if (s.directives[0]?.parent?.file === s.entry) notes.push(`${s.entry} included into ${main.entry}'s http {} (the model reads it on its own)`);
    }
    conf = path.join(env.ws, main.entry);
  } else {
    const dir = path.join(env.ws, sites[0].prefix);
    fs.mkdirSync(dir, { recursive: true });
    conf = path.join(dir, '__hg_live_nginx.conf');
    fs.writeFileSync(conf, `${globals}events {}\nhttp {\n${tempLines(() => false)}${siteIncludes(sites)}}\n`);
  }
  files.write();

  // The document root: an index, the nested path the plain probes use, and each location's probe file (under
  // its own path for `root`, and under its last segment for `alias`).
  const docFiles = new Set(['/index.html', '/some/nested/path']);
  for (const s of servers) {
    for (const p of s.probes) {
      if (p.path.endsWith('/')) docFiles.add(`${p.path}index.html`);
      else {
        docFiles.add(p.path);
        docFiles.add(`/${path.posix.basename(p.path)}`);
      }
    }
  }
  return { conf, servers, mapHosts: mapHostsOf(loaded), ports, files: [...docFiles], accessLog, locations, notes };
}
