import * as posix from 'node:path/posix';
import { compareVersions } from '../config';
import {
  classifyNginxEntry, forEachNginxDirective, loadNginxConfig, parseNginx, resolveNginxInclude, workspaceAccess,
  type NginxConfig, type NginxDirective, type NginxIncludeProblem, type NginxParseResult,
} from '../parsers/nginx';
import { TEMPLATE_SUFFIX } from '../parsers/nginx/classify';
import { NGINX_INSTALL_PREFIXES } from '../parsers/nginx/includes';
import { SourceText } from '../parsers/source';
import type { Loc } from '../types';
import type { DeploymentModel, ModelInput } from './index';
import { mapsFile, type PathMapping } from './deploy';
import { pushTo } from '../util/multimap';
import { nodeCrypto } from '../util/node-crypto';

/**
 * The nginx side of the deployment: every config entry point with includes expanded, its servers with their
 * listeners, and lookups of effective directive values that follow nginx's own inheritance rules.
 */
export interface NginxModel {
  configs: NginxConfig[];
  servers: NginxServer[];
  /** Files nginx packages install that the workspace lacks, stood in by their packaged text (no finding anchors there). */
  packagedStandIns: Set<string>;
  /** Include problems other than syntax errors (missing, outside the workspace, loops…). */
  includeProblems: NginxIncludeProblem[];
  /** Each file's own parse, before include expansion, by path: finding fingerprints name places with it. */
  parses?: Map<string, NginxFileParse>;
  /** `ssl_certificate_key` directives whose file is a private key held in the workspace (its text is not kept). */
  committedKeys?: CommittedKey[];
}

/** A TLS private key nginx loads from a file the repository holds, with what its certificate says, when read. */
export interface CommittedKey {
  directive: NginxDirective;
  /** The key file, as a workspace path. */
  path: string;
  /** The certificate of the same block, when it is in the workspace and parses. */
  cert?: { path: string; selfSigned: boolean; names: string[] };
}

/** A file's parse as the scan made it, with what it took from the scan's word budget. */
export interface NginxFileParse {
  text: string;
  directives: NginxDirective[];
  /** Words and comments taken from the budget. */
  cost: number;
  /** The budget never ran out during this parse, so it read the whole file. */
  complete: boolean;
}

export interface NginxListen {
  directive?: NginxDirective;
  /** undefined for a unix socket. */
  port?: number;
  address?: string;
  unix?: string;
  ssl: boolean;
  quic: boolean;
  http2: boolean;
  defaultServer: boolean;
  /**
   * Set when `ssl` comes from another server's listen on the same address:port: nginx merges listen options per
   * address (ngx_http_add_addresses), so `listen 443;` beside another server's `listen 443 ssl;` is TLS too.
   */
  sslFrom?: NginxDirective;
  /**
   * The default server of this address:port (the one with `default_server`, else the first server that listens
   * there). A TLS handshake takes its protocol range from it: SNI switches the certificate, not the versions.
   */
  addressDefault?: NginxServer;
}

/** Directives whose values form a list that a level replaces wholesale as soon as it has one of its own. */
export const ARRAY_DIRECTIVES = new Set([
  'add_header', 'add_trailer', 'proxy_set_header', 'proxy_hide_header', 'uwsgi_param', 'uwsgi_hide_header', 'fastcgi_param',
  'scgi_param', 'grpc_set_header',
]);

/** Directives that hand the request to an application (as opposed to files or a fixed response). */
export const PASS_DIRECTIVES = ['proxy_pass', 'uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'grpc_pass'];

export class NginxServer {
  readonly listens: NginxListen[];
  /** Set when the server uses the legacy `ssl on;` (deprecated 1.15.0, rejected from 1.25.1). */
  readonly sslOn?: NginxDirective;

  constructor(
    readonly config: NginxConfig,
    readonly block: NginxDirective,
  ) {
    const own = children(block, 'listen');
    this.listens = own.length > 0 ? own.map(parseListen) : [{ port: 80, ssl: false, quic: false, http2: false, defaultServer: false }];
    const sslOn = effectiveDirective(block, 'ssl');
    if (sslOn && sslOn.args[0]?.value === 'on') this.sslOn = sslOn;
  }

  /** Accepts TLS connections (an `ssl` or `quic` listener, or `ssl on`). */
  get tls(): boolean {
    return this.sslOn !== undefined || this.listens.some((l) => l.ssl || l.quic);
  }

  /** Accepts plain HTTP (a TCP listener without `ssl`, unless `ssl on` makes every listener TLS). */
  get plain(): boolean {
    return this.sslOn === undefined && this.listens.some((l) => !l.ssl && !l.quic);
  }

  get names(): string[] {
    return children(this.block, 'server_name').flatMap((d) => d.args.map((a) => a.value));
  }

  private cachedLocations?: NginxDirective[];

  /** Every location and if block inside the server, nested ones included. */
  get locations(): NginxDirective[] {
    if (this.cachedLocations) return this.cachedLocations;
    const out: NginxDirective[] = [];
    forEachNginxDirective(this.block.block ?? [], (d) => {
      if (d.name === 'location' || d.name === 'if') out.push(d);
      return d.name === 'location' || d.name === 'if' || d.name === 'limit_except';
    });
    return (this.cachedLocations = out);
  }

  /** The places a request can end up: the server itself and each location (an `if` is not an end point). */
  get endpoints(): NginxDirective[] {
    return [this.block, ...this.locations.filter((l) => l.name === 'location')];
  }
}

const childIndex = new WeakMap<NginxDirective[], Map<string, NginxDirective[]>>();
const NONE: NginxDirective[] = [];
/** Blocks up to this size are searched in place: most locations hold a handful of lines, and an index per block cost more. */
const SCAN_CHILDREN = 8;
const scanLength = new WeakMap<NginxDirective[], number>();

/** Directives named `name` directly in a block (not in nested blocks). Indexed per large block: rules ask often. */
export function children(block: NginxDirective | undefined, name: string): NginxDirective[] {
  const list = block?.block;
  if (!list || list.length === 0) return NONE;
  // Answers stay those of the block as it was when first asked (as the index always did): a main config's http
  // block gets the site files' top-level lines appended after its servers were read.
  let seen = scanLength.get(list);
  if (seen === undefined && list.length <= SCAN_CHILDREN && !childIndex.has(list)) scanLength.set(list, (seen = list.length));
  if (seen !== undefined) {
    let out: NginxDirective[] | undefined;
    for (let k = 0; k < seen; k++) if (list[k].name === name) (out ??= []).push(list[k]);
    return out ?? NONE;
  }
  let index = childIndex.get(list);
  if (!index) {
    index = new Map();
    for (const d of list) {
      const at = index.get(d.name);
      if (at) at.push(d);
      else index.set(d.name, [d]);
    }
    childIndex.set(list, index);
  }
  return index.get(name) ?? NONE;
}

/** The block and its enclosing blocks up to http (a site file's top level sits in an implicit or enabling http). */
export function levels(block: NginxDirective): NginxDirective[] {
  const out: NginxDirective[] = [];
  for (let b: NginxDirective | undefined = block; b; b = b.parent) out.push(b);
  return out;
}

/** A scalar directive as nginx resolves it: the nearest level that sets it, last occurrence. */
export function effectiveDirective(block: NginxDirective, name: string): NginxDirective | undefined {
  for (const level of levels(block)) {
    const own = children(level, name);
    if (own.length > 0) return own[own.length - 1];
  }
  return undefined;
}

export interface EffectiveList {
  directives: NginxDirective[];
  /** The level whose set is in force (undefined when no level sets any). */
  level?: NginxDirective;
}

/**
 * An array directive as nginx resolves it: a level with any of its own replaces the inherited set. For add_header,
 * `add_header_inherit merge` (nginx 1.29.3+) appends the parent level's set instead; `off` drops it.
 */
const inheritByVersion = new Map<string, boolean>();
/** Whether `add_header_inherit` exists in a release (asked for every block by every header rule). */
function supportsAddHeaderInherit(nginxVersion: string): boolean {
  let yes = inheritByVersion.get(nginxVersion);
  if (yes === undefined) {
    yes = compareVersions(nginxVersion, '1.29.3') >= 0;
    if (inheritByVersion.size < 64) inheritByVersion.set(nginxVersion, yes);
  }
  return yes;
}

// One WeakMap per directive name (and per release for add_header, whose answer depends on add_header_inherit):
// a Map per block would cost more than the answers it holds.
const listCaches = new Map<string, WeakMap<NginxDirective, EffectiveList>>();
const addHeaderCaches = new Map<string, WeakMap<NginxDirective, EffectiveList>>();

export function effectiveList(block: NginxDirective, name: string, nginxVersion: string): EffectiveList {
  // Rules ask the same block again and again (every header rule, every end point); the tree does not change once
  // the model is built, and callers only read the answer.
  const caches = name === 'add_header' ? addHeaderCaches : listCaches;
  const key = name === 'add_header' ? nginxVersion : name;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new WeakMap()));
  const hit = cache.get(block);
  if (hit) return hit;
  const answer = computeEffectiveList(block, name, nginxVersion);
  cache.set(block, answer);
  return answer;
}

function computeEffectiveList(block: NginxDirective, name: string, nginxVersion: string): EffectiveList {
  const supportsInherit = name === 'add_header' && supportsAddHeaderInherit(nginxVersion);
  let out: NginxDirective[] = [];
  let level: NginxDirective | undefined;
  for (const l of levels(block)) {
    const own = children(l, name);
    const mode = supportsInherit ? effectiveDirective(l, 'add_header_inherit')?.args[0]?.value : undefined;
    if (own.length > 0 || mode === 'off') {
      level ??= l;
      // The parent level's set goes first; concat, not unshift(...): no spread of an input-sized list.
      out = own.concat(out);
      if (mode !== 'merge') break;
    }
  }
  return { directives: out, level };
}

/** Headers set by add_header in force at a block, by lower-cased name. */
export function effectiveHeaders(block: NginxDirective, nginxVersion: string): Map<string, NginxDirective[]> {
  const map = new Map<string, NginxDirective[]>();
  for (const d of effectiveList(block, 'add_header', nginxVersion).directives) {
    const name = d.args[0]?.value.toLowerCase();
    if (!name) continue;
    pushTo(map, name, d);
  }
  return map;
}

/** uwsgi_param / proxy_set_header / fastcgi_param in force, by name (upper-cased for params, lower for headers). */
export function effectiveParams(block: NginxDirective, name: 'uwsgi_param' | 'proxy_set_header' | 'fastcgi_param' | 'scgi_param' | 'grpc_set_header'): Map<string, NginxDirective> {
  const map = new Map<string, NginxDirective>();
  const key = (s: string) => (name === 'proxy_set_header' || name === 'grpc_set_header' ? s.toLowerCase() : s.toUpperCase());
  for (const d of effectiveList(block, name, '0').directives) {
    const k = d.args[0]?.value;
    if (k) map.set(key(k), d);
  }
  return map;
}

/** The directive that hands requests of this block to an application, if any (first of proxy/uwsgi/fastcgi…). */
export function passDirective(block: NginxDirective): NginxDirective | undefined {
  for (const name of PASS_DIRECTIVES) {
    const own = children(block, name);
    if (own.length > 0) return own[0];
  }
  return undefined;
}

export function parseListen(d: NginxDirective): NginxListen {
  const first = d.args[0]?.value ?? '';
  const flags = new Set(d.args.slice(1).map((a) => a.value.split('=')[0]));
  const l: NginxListen = {
    directive: d,
    ssl: flags.has('ssl'),
    quic: flags.has('quic'),
    http2: flags.has('http2'),
    defaultServer: flags.has('default_server') || flags.has('default'),
  };
  if (first.startsWith('unix:')) l.unix = first.slice(5);
  else {
    const m = /^(?:(\[[^\]]*\]|[^:]*):)?(\d+)$/.exec(first);
    if (m) {
      l.port = Number(m[2]);
      if (m[1] !== undefined) l.address = m[1];
    } else if (/^\d+$/.test(first)) l.port = Number(first);
    else {
      // An address without a port listens on 80.
      l.address = first;
      l.port = 80;
    }
  }
  return l;
}

/** The first directive of `d`'s include chain that is written in a workspace file (stand-ins have no lines to show). */
export function anchorDirective(d: NginxDirective, standIns: Set<string>): NginxDirective {
  let cur = d;
  while (standIns.has(cur.file) && cur.includedFrom) cur = cur.includedFrom;
  return cur;
}

export function firstLineOf(d: NginxDirective): Loc {
  if (d.loc.endLine === d.loc.line) return d.loc;
  // Up to the last argument that starts on the name's line, cut at its line break if it spans lines.
  const line = d.nameLoc.line;
  let endColumn = d.nameLoc.endColumn;
  for (const a of d.args) {
    const l = a.loc;
    if (l.line !== line) break;
    if (l.endLine === line) endColumn = Math.max(endColumn, l.endColumn);
    else {
      const lf = a.raw.indexOf('\n');
      const cr = a.raw.indexOf('\r');
      const cut = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      endColumn = Math.max(endColumn, l.column + (cut < 0 ? a.raw.length : cut));
      break;
    }
  }
  return { ...d.nameLoc, endColumn };
}

// nginx's packaged parameter files (conf/uwsgi_params upstream; Debian's proxy_params), used when a config includes
// them by name and the repository does not carry a copy: the deployed server has them.
const PACKAGED: Record<string, string> = {
  uwsgi_params: `uwsgi_param QUERY_STRING $query_string;
uwsgi_param REQUEST_METHOD $request_method;
uwsgi_param CONTENT_TYPE $content_type;
uwsgi_param CONTENT_LENGTH $content_length;
uwsgi_param REQUEST_URI $request_uri;
uwsgi_param PATH_INFO $document_uri;
uwsgi_param DOCUMENT_ROOT $document_root;
uwsgi_param SERVER_PROTOCOL $server_protocol;
uwsgi_param REQUEST_SCHEME $scheme;
uwsgi_param HTTPS $https if_not_empty;
uwsgi_param REMOTE_ADDR $remote_addr;
uwsgi_param REMOTE_PORT $remote_port;
uwsgi_param SERVER_PORT $server_port;
uwsgi_param SERVER_NAME $server_name;
`,
  proxy_params: `proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
`,
  fastcgi_params: `fastcgi_param QUERY_STRING $query_string;
fastcgi_param REQUEST_METHOD $request_method;
fastcgi_param CONTENT_TYPE $content_type;
fastcgi_param CONTENT_LENGTH $content_length;
fastcgi_param SCRIPT_NAME $fastcgi_script_name;
fastcgi_param REQUEST_URI $request_uri;
fastcgi_param DOCUMENT_URI $document_uri;
fastcgi_param DOCUMENT_ROOT $document_root;
fastcgi_param SERVER_PROTOCOL $server_protocol;
fastcgi_param REQUEST_SCHEME $scheme;
fastcgi_param HTTPS $https if_not_empty;
fastcgi_param GATEWAY_INTERFACE CGI/1.1;
fastcgi_param REMOTE_ADDR $remote_addr;
fastcgi_param REMOTE_PORT $remote_port;
fastcgi_param SERVER_ADDR $server_addr;
fastcgi_param SERVER_PORT $server_port;
fastcgi_param SERVER_NAME $server_name;
`,
  scgi_params: `scgi_param REQUEST_METHOD $request_method;
scgi_param REQUEST_URI $request_uri;
scgi_param QUERY_STRING $query_string;
scgi_param CONTENT_TYPE $content_type;
scgi_param DOCUMENT_URI $document_uri;
scgi_param DOCUMENT_ROOT $document_root;
scgi_param SCGI 1;
scgi_param SERVER_PROTOCOL $server_protocol;
scgi_param REQUEST_SCHEME $scheme;
scgi_param HTTPS $https if_not_empty;
scgi_param REMOTE_ADDR $remote_addr;
scgi_param REMOTE_PORT $remote_port;
scgi_param SERVER_PORT $server_port;
scgi_param SERVER_NAME $server_name;
`,
};

/** Directives that includes may bring in over a whole scan (each costs a copy in the expanded tree). */
export const NGINX_INCLUDE_BUDGET = 1_000_000;
/**
 * Words (directive names and arguments) and comments the nginx parser may create over a whole scan: about what
 * 7 MB of ordinary config holds (~15 bytes a word), so only unusually dense text reaches it.
 */
export const NGINX_WORD_BUDGET = 500_000;

/**
 * Builds every config: main files (with http {}) first, then site files no main file includes, then snippets that
 * nothing includes (read standalone, so their own directives are still checked).
 */
/**
 * Repositories that keep the server's file tree (`deploy/var/www/config/site.conf` for `/var/www/config/site.conf`):
 * an absolute path with a folder maps onto the one workspace file whose path ends with it.
 */
function mirroredPaths(paths: readonly string[]): (abs: string) => string | undefined {
  let byName: Map<string, string[]> | undefined;
  return (abs) => {
    const p = posix.normalize(abs);
    if (p.split('/').length < 3 || /[*?[]/.test(p)) return undefined;
    if (!byName) {
      byName = new Map();
      for (const f of paths) pushTo(byName, f.slice(f.lastIndexOf('/') + 1), f);
    }
    const hits = (byName.get(p.slice(p.lastIndexOf('/') + 1)) ?? []).filter((f) => `/${f}`.endsWith(p));
    return hits.length === 1 ? hits[0] : undefined;
  };
}

/**
 * The conf prefix a workspace nginx file has where the deployment puts it: the folder of a deployed `nginx.conf`,
 * else the install prefix it lands under (`/etc/nginx`). Undefined when nothing deploys it, or elsewhere.
 */
function deployedPrefixOf(model: DeploymentModel, rel: string): string | undefined {
  const deploy = model.deploy;
  if (!deploy) return undefined;
  const dests = [
    ...deploy.renders.filter((r) => r.source === rel).map((r) => r.dest),
    ...deploy.mappings.filter((m) => mapsFile(m, rel)).map((m) => (m.dir ? posix.join(m.deployed, m.workspace === '' ? rel : rel.slice(m.workspace.length + 1)) : m.deployed)),
  ];
  for (const d of dests) {
    if (posix.basename(d) === 'nginx.conf') return posix.dirname(d);
    const p = NGINX_INSTALL_PREFIXES.find((q) => d.startsWith(q));
    if (p) return p.slice(0, -1);
  }
  return undefined;
}

export function buildNginxModel(input: ModelInput, model: DeploymentModel): NginxModel {
  const out: NginxModel = { configs: [], servers: [], packagedStandIns: new Set(), includeProblems: [] };
  const files = input.files.filter((f) => f.kind === 'nginx');
  if (files.length === 0) return out;
  const safe = workspaceAccess(input.root, input.config.maxFileBytes);
  // Every entry looks for its conf prefix up the tree: list each folder once per scan.
  const listings = new Map<string, string[] | undefined>();
  const access = {
    readFile: safe.readFile,
    listDir: (rel: string) => {
      if (!listings.has(rel)) listings.set(rel, safe.listDir(rel));
      return listings.get(rel);
    },
  };
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const readFile = (rel: string) => {
    const own = texts.get(rel);
    if (own !== undefined) return own;
    const r = access.readFile(rel);
    if (typeof r === 'string') texts.set(rel, r);
    if (r !== undefined) return r;
    const base = rel.split('/').pop()!;
    if (base in PACKAGED && access.listDir(rel) === undefined) {
      out.packagedStandIns.add(rel);
      return PACKAGED[base];
    }
    return undefined;
  };
  // Each file is parsed once, whatever the number of entries that include it.
  const parsed = new Map<string, NginxParseResult>();
  out.parses = new Map();
  const wordBudget = { remaining: NGINX_WORD_BUDGET };
  const parse = (rel: string, text: string) => {
    let p = parsed.get(rel);
    if (!p) {
      const started = performance.now();
      const before = wordBudget.remaining;
      parsed.set(rel, (p = parseNginx(rel, text, { context: 'unknown', budget: wordBudget })));
      // The parse stops only once the budget is at 0: above it after the parse, the whole file was read.
      out.parses!.set(rel, { text, directives: p.directives, cost: before - wordBudget.remaining, complete: wordBudget.remaining > 0 });
      if (input.parseStats) {
        input.parseStats.nginxMs += performance.now() - started;
        // What was tokenized, so that a file cut short by the word budget does not inflate the rate.
        input.parseStats.nginxBytes += p.read;
      }
    }
    return p;
  };
  const mirror = mirroredPaths(input.allFiles ?? files.map((f) => f.path));
  let placedFiles: { deployed: string; workspace: string }[] | undefined;
  const deployedFiles = () =>
    (placedFiles ??= [
      ...(model.deploy?.renders ?? []).map((r) => ({ deployed: r.dest, workspace: r.source })),
      ...(model.deploy?.mappings ?? []).filter((m) => !m.dir && m.workspace !== '').map((m) => ({ deployed: m.deployed, workspace: m.workspace })),
    ]);
  const mapDeployedPath = (abs: string) => model.deploy?.mapDeployedPath(abs) ?? mirror(abs);
  // Directives brought in by includes, across every config of the scan: include fan-out cannot grow past it.
  const sharedBudget = { remaining: NGINX_INCLUDE_BUDGET };
  const kinds = new Map(files.map((f) => [f.path, classifyNginxEntry(parse(f.path, f.text).directives)]));
  const covered = new Set<string>();
  // Repositories keep sites in sites-available/ and leave sites-enabled/ (symlinks on the server) out: a main
  // config's `include …/sites-enabled/*` that matches nothing stands for the sites-available/ beside it.
  const enabledBy = new Map<string, NginxDirective>();
  const order: ('main' | 'site' | 'snippet')[] = ['main', 'site', 'snippet'];
  for (const kind of order) {
    for (const f of files) {
      if (kinds.get(f.path) !== kind || covered.has(f.path)) continue;
      const config = loadNginxConfig({ root: input.root, entry: f.path, readFile, listDir: access.listDir, parse, sharedBudget, mapDeployedPath, deployedPrefix: deployedPrefixOf(model, f.path), deployedFiles });
      if (kind === 'main') noteSitesEnabled(config, access.listDir, enabledBy);
      if (kind !== 'main') {
        // A site file or snippet is read inside http {}: its top level is the http level (of the main config
        // that enables it, else of an implicit http block), so lookups from its servers reach its top-level values.
        const http = (kind === 'site' && enabledBy.get(f.path.split('/').slice(0, -1).join('/'))) || implicitHttp(config);
        for (const d of config.directives) d.parent = http;
        if (http.block !== config.directives) for (const d of config.directives) http.block!.push(d);
      }
      out.configs.push(config);
      for (const rel of config.files) {
        covered.add(rel);
        const text = texts.get(rel);
        if (text !== undefined && !model.sources.has(rel)) model.sources.set(rel, new SourceText(rel, text));
      }
      collect(config, out, model);
    }
  }
  for (const rel of out.packagedStandIns) model.sources.delete(rel);
  markAlternatives(out.servers, model.deploy?.renders ?? [], model.deploy?.mappings ?? []);
  mergeListenOptions(out.servers);
  readDhParams(out, access, model);
  out.committedKeys = readCommittedKeys(out, access, mapDeployedPath);
  return out;
}

/**
 * The servers one nginx process runs together: those of one http block. Site files that no main config of the
 * workspace includes are deployed side by side (sites-enabled/, conf.d/): those of one folder count as one nginx,
 * unless they cannot be (see markAlternatives).
 */
export function instanceOf(server: NginxServer): unknown {
  const top = levels(server.block).at(-1)!;
  if (top.name === 'http' && top.block === server.config.directives) {
    if (alternatives.has(server.config) || isTemplateFile(server.config.entry)) return `file:${server.config.entry}`;
    return deployedTogether.get(server.config) ?? `folder:${server.config.entry.split('/').slice(0, -1).join('/')}`;
  }
  return top;
}

/**
 * A site file kept as a template (`ssl.tpl`, `site.conf.j2`, `nginx.template`): the script or tool that renders it
 * picks which templates become sites, and where (Weblate, openwisp and funkwhale keep a TLS and a plain variant, or
 * the container's and the host's nginx, side by side), so each is its own nginx.
 */
function isTemplateFile(path: string): boolean {
  return TEMPLATE_SUFFIX.test(path) || /\.template(\.conf)?$/i.test(path);
}

/** Site files that are alternatives to the others of their folder, each its own nginx. */
const alternatives = new WeakSet<object>();
const renderRivals = new WeakMap<object, { rivals: string[]; dest: string }>();

/** The other files a script renders to this server's file's destination, where it picks one of several. */
export function renderedRivals(server: NginxServer): { rivals: string[]; dest: string } | undefined {
  return renderRivals.get(server.config);
}
/** Site files of a folder that entry points copy or mount one by one: those one unit deploys are one nginx. */
const deployedTogether = new WeakMap<object, string>();
const NGINX_DEST = /^\/etc\/nginx\b|^\/usr\/local\/nginx\b|^\/usr\/local\/openresty\b|^\/opt\/bitnami\/nginx\b/;

/**
 * Site files of one folder that each make a server the `default_server` of one address cannot be loaded together
 * (`nginx -t`: "a duplicate default server"): they are alternatives a script picks from (Weblate's image copies
 * default.tpl or ssl.tpl), so every site file of that folder is its own nginx.
 */
function markAlternatives(servers: NginxServer[], renders: { source: string; dest: string }[], mappings: PathMapping[]): void {
  // A Dockerfile that copies one site file of a folder into nginx (lutris' `COPY config/nginx/lutris.conf
  // /etc/nginx/conf.d/`) builds an nginx of that file alone: its siblings (the host's lutris_prod.conf) are not
  // loaded with it. Files the same units deploy stay together; a folder mounted whole stays one nginx.
  const units = new Map<string, Set<string>>();
  const wholeFolders = new Set<string>();
  for (const m of mappings) {
    if (!NGINX_DEST.test(m.deployed)) continue;
    if (m.dir) wholeFolders.add(m.workspace);
    else (units.get(m.workspace) ?? units.set(m.workspace, new Set()).get(m.workspace)!).add(m.loc.path);
  }
  if (units.size > 0) {
    for (const server of servers) {
      const entry = server.config.entry;
      const dir = entry.split('/').slice(0, -1).join('/');
      if (wholeFolders.has(dir) || deployedTogether.has(server.config)) continue;
      const siblingPlaced = [...units.keys()].some((f) => f !== entry && f.split('/').slice(0, -1).join('/') === dir);
      const by = units.get(entry);
      if (!by && !siblingPlaced) continue;
      deployedTogether.set(server.config, by ? `deployed:${dir}:${[...by].sort().join('|')}` : `file:${entry}`);
    }
  }
  // Files a script writes to one destination (`envsubst < ssl.conf > default.conf` or else `< nginx.conf >`) are
  // alternatives too: only one of them is loaded (codalab).
  const byDest = new Map<string, Set<string>>();
  for (const r of renders) byDest.set(r.dest, (byDest.get(r.dest) ?? new Set()).add(r.source));
  const rivals = new Map<string, { rivals: string[]; dest: string }>();
  for (const [dest, sources] of byDest) if (sources.size > 1) for (const s of sources) rivals.set(s, { rivals: [...sources].filter((o) => o !== s), dest });
  if (rivals.size > 0) {
    for (const server of servers) {
      const r = rivals.get(server.config.entry);
      if (!r) continue;
      alternatives.add(server.config);
      renderRivals.set(server.config, r);
    }
  }
  const folders = new Map<string, { configs: Set<object>; defaults: Map<string, Set<string>>; named: Map<string, Set<string>>; clash: boolean }>();
  for (const server of servers) {
    const top = levels(server.block).at(-1)!;
    if (!(top.name === 'http' && top.block === server.config.directives)) continue;
    const dir = server.config.entry.split('/').slice(0, -1).join('/');
    let f = folders.get(dir);
    if (!f) folders.set(dir, (f = { configs: new Set(), defaults: new Map(), named: new Map(), clash: false }));
    const add = (map: Map<string, Set<string>>, key: string) => {
      let entries = map.get(key);
      if (!entries) map.set(key, (entries = new Set()));
      entries.add(server.config.entry);
      if (entries.size > 1) f!.clash = true;
    };
    // Two files that each define `upstream uwsgi` at their top level: `nginx -t` refuses a duplicate upstream
    // (QGIS Planet's prod.conf and prod-ssl.conf, which its entry script picks from).
    if (!f.configs.has(server.config)) {
      for (const d of server.config.directives) if (d.name === 'upstream' && d.block && d.args[0]) add(f.named, `upstream ${d.args[0].value}`);
    }
    f.configs.add(server.config);
    for (const l of server.listens) {
      const key = l.quic ? undefined : addressKey(l);
      if (key === undefined) continue;
      if (l.defaultServer) add(f.defaults, key);
      // Two files serving one public name on one address: nginx keeps the first ("conflicting server name …
      // ignored"), so a project keeps them as alternatives (healthsites' host and container nginx for staging).
      for (const name of server.names) if (PUBLIC_NAME.test(name)) add(f.named, `${key} ${name.toLowerCase()}`);
    }
  }
  for (const f of folders.values()) if (f.clash) for (const c of f.configs) alternatives.add(c);
}

/** The address:port nginx groups listeners by (`*` for every IPv4 address; localhost is 127.0.0.1). */
/** A host name a public site is served under (a dot, a letter in the last label; not a pattern or a variable). */
const PUBLIC_NAME = /^([a-z0-9-]+\.)+[a-z][a-z0-9-]*$/i;

function addressKey(l: NginxListen): string | undefined {
  if (l.unix !== undefined) return `unix:${l.unix}`;
  if (l.port === undefined) return undefined;
  const a = (l.address ?? '*').toLowerCase();
  const addr = a === '0.0.0.0' ? '*' : a === 'localhost' ? '127.0.0.1' : a;
  return `${addr}:${l.port}`;
}

/**
 * ngx_http_add_addresses: listen options of every server on one address:port are merged, and `ssl` set by any of
 * them makes the address TLS for all (a second server's plain `listen 443;` still speaks TLS). QUIC listens are
 * UDP sockets of their own.
 */
function mergeListenOptions(servers: NginxServer[]): void {
  const groups = new Map<unknown, Map<string, NginxListen[]>>();
  const serverOf = new Map<NginxListen, NginxServer>();
  for (const server of servers) {
    const inst = instanceOf(server);
    let byAddr = groups.get(inst);
    if (!byAddr) groups.set(inst, (byAddr = new Map()));
    for (const l of server.listens) {
      const key = l.quic ? undefined : addressKey(l);
      if (key === undefined) continue;
      serverOf.set(l, server);
      const list = byAddr.get(key);
      if (list) list.push(l);
      else byAddr.set(key, [l]);
    }
  }
  for (const byAddr of groups.values()) {
    for (const list of byAddr.values()) {
      const dflt = serverOf.get(list.find((l) => l.defaultServer) ?? list[0]);
      for (const l of list) l.addressDefault = dflt;
      const tls = list.find((l) => l.ssl);
      if (!tls) continue;
      for (const l of list) {
        if (l.ssl) continue;
        l.ssl = true;
        l.sslFrom = tls.directive;
      }
    }
  }
}

/**
 * The servers whose ssl_protocols decide the versions of handshakes that reach `s`: the default server of each of
 * its TLS addresses (OpenSSL picks the version with the default server's context before nginx's SNI callback
 * switches to `s`; a live-nginx test holds this). `s` itself for `ssl on` or an address nobody else shares.
 */
export function handshakeServers(s: NginxServer): NginxServer[] {
  const out = new Set<NginxServer>();
  for (const l of s.listens) if (l.ssl && !l.quic) out.add(l.addressDefault ?? s);
  if (out.size === 0) out.add(s);
  return [...out];
}

const decidersCache = new WeakMap<NginxModel, NginxServer[]>();

/**
 * The servers that decide the protocol range of some TLS address:port: the default server of each (see
 * handshakeServers; listen options are merged per address:port first, so one `ssl` makes the port TLS for every
 * server on it). An `ssl_reject_handshake on` catch-all decides too. QUIC listens are UDP sockets of their own.
 */
export function protocolDeciders(nginx: NginxModel): NginxServer[] {
  const hit = decidersCache.get(nginx);
  if (hit) return hit;
  const out = new Set<NginxServer>();
  for (const s of nginx.servers) {
    for (const l of s.listens) {
      if (l.quic || l.unix !== undefined || l.port === undefined) continue;
      if (l.ssl || s.sslOn) out.add(l.addressDefault ?? s);
    }
  }
  const list = [...out];
  decidersCache.set(nginx, list);
  return list;
}

/** `ssl_dhparam` files in the workspace, read (safely) so a rule can measure the prime. */
function readDhParams(out: NginxModel, access: ReturnType<typeof workspaceAccess>, model: DeploymentModel): void {
  for (const config of out.configs) {
    forEachNginxDirective(config.directives, (d) => {
      const arg = d.name === 'ssl_dhparam' ? d.args[0]?.value : undefined;
      if (!arg || arg.includes('$')) return;
      const target = resolveNginxInclude(arg, config.prefix);
      if ('outside' in target || model.sources.has(target.rel)) return;
      const text = access.readFile(target.rel);
      if (typeof text === 'string') model.sources.set(target.rel, new SourceText(target.rel, text));
    });
  }
}

const PRIVATE_KEY_PEM = /-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----/;

/**
 * `ssl_certificate_key` files that the workspace holds and that are PEM private keys. Paths are resolved as nginx
 * reads them (the conf prefix for relative ones) or through the deployment's mounts and copies; the reads are the
 * workspace's (no symlink followed out of it, size bounded) and no key text is kept.
 */
function readCommittedKeys(out: NginxModel, access: ReturnType<typeof workspaceAccess>, mapDeployedPath: (abs: string) => string | undefined): CommittedKey[] {
  const found: CommittedKey[] = [];
  const seen = new Set<NginxDirective>();
  const locate = (arg: string, prefix: string): string | undefined => {
    if (arg.includes('$') || /^(data|engine|store):/.test(arg)) return undefined;
    const mapped = arg.startsWith('/') ? mapDeployedPath(arg) : undefined;
    if (mapped !== undefined) return mapped;
    const target = resolveNginxInclude(arg, prefix);
    return 'rel' in target ? target.rel : undefined;
  };
  for (const config of out.configs) {
    forEachNginxDirective(config.directives, (d) => {
      if (d.name !== 'ssl_certificate_key' || seen.has(d)) return;
      seen.add(d);
      const rel = locate(d.args[0]?.value ?? '', config.prefix);
      if (rel === undefined) return;
      const text = access.readFile(rel);
      if (typeof text !== 'string' || !PRIVATE_KEY_PEM.test(text)) return;
      const key: CommittedKey = { directive: d, path: rel };
      // The certificate beside it says whether the key stands for a public name or a self-signed local one.
      const certDirective = d.parent?.block?.find((c) => c.name === 'ssl_certificate');
      const certRel = certDirective ? locate(certDirective.args[0]?.value ?? '', config.prefix) : undefined;
      const certText = certRel !== undefined ? access.readFile(certRel) : undefined;
      if (certRel !== undefined && typeof certText === 'string') {
        const cert = describeCertificate(certText);
        if (cert) key.cert = { path: certRel, ...cert };
      }
      found.push(key);
    });
  }
  return found;
}

/** Subject names and whether the certificate signed itself; undefined for text that is not a certificate. */
function describeCertificate(pem: string): { selfSigned: boolean; names: string[] } | undefined {
  try {
    const cert = new (nodeCrypto().X509Certificate)(pem);
    const names = (cert.subjectAltName ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n.startsWith('DNS:') || n.startsWith('IP Address:'))
      .map((n) => n.slice(n.indexOf(':') + 1));
    const cn = cert.subject.split('\n').find((l) => l.startsWith('CN='));
    if (cn) names.push(cn.slice(3));
    const selfSigned = cert.subject === cert.issuer && cert.verify(cert.publicKey);
    return { selfSigned, names: [...new Set(names)] };
  } catch {
    return undefined;
  }
}

/** The http block nginx would read a site file in, when no main config of the workspace includes it. */
function implicitHttp(config: NginxConfig): NginxDirective {
  const loc = { path: config.entry, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return {
    name: 'http', args: [], loc, nameLoc: loc, terminator: '{', file: config.entry, parent: undefined, block: config.directives,
    closeLoc: undefined, raw: undefined, includedFrom: undefined,
  };
}

function noteSitesEnabled(config: NginxConfig, listDir: (rel: string) => string[] | undefined, enabledBy: Map<string, NginxDirective>): void {
  const http = config.directives.find((d) => d.name === 'http' && d.block);
  if (!http) return;
  for (const p of config.problems) {
    const arg = p.kind === 'missing' ? missingIncludeArg(p.message) : undefined;
    const k = arg?.lastIndexOf('sites-enabled/*') ?? -1;
    if (arg === undefined || k < 0) continue;
    const enabled = resolveSitesDir(arg.slice(0, k + 'sites-enabled'.length), config.prefix);
    const available = enabled.replace(/sites-enabled$/, 'sites-available');
    if (listDir(available) !== undefined) enabledBy.set(available, http);
  }
}

/** The argument of an `include "…" matches no file` message, read without a regex (it is repository text). */
function missingIncludeArg(message: string): string | undefined {
  const head = 'include "';
  const tail = '" matches no file';
  const at = message.indexOf(head);
  const end = message.indexOf(tail, at + head.length);
  if (at < 0 || end < 0) return undefined;
  const arg = message.slice(at + head.length, end);
  return arg.includes('"') ? undefined : arg;
}

/** The workspace folder an include of `…/sites-enabled` names, relative to the conf prefix. */
function resolveSitesDir(arg: string, prefix: string): string {
  const tail = arg.replace(/^\/(etc\/nginx|usr\/local\/nginx\/conf|usr\/local\/etc\/nginx|opt\/nginx\/conf)\//, '');
  return tail.startsWith('/') ? tail.slice(1) : prefix ? `${prefix}/${tail}` : tail;
}

/** Real configs nest a handful of levels; deeper blocks are cut so rules can walk the tree without limits. */
export const MAX_NGINX_DEPTH = 64;

function limitDepth(config: NginxConfig, model: DeploymentModel): void {
  const stack: { list: NginxDirective[]; depth: number }[] = [{ list: config.directives, depth: 0 }];
  let reported = false;
  while (stack.length > 0) {
    const { list, depth } = stack.pop()!;
    for (const d of list) {
      if (!d.block || d.block.length === 0) continue;
      if (depth + 1 >= MAX_NGINX_DEPTH) {
        if (!reported) model.diagnostics.push({ loc: d.loc, message: `nginx: blocks nested deeper than ${MAX_NGINX_DEPTH} levels are not analysed` });
        reported = true;
        d.block = [];
      } else stack.push({ list: d.block, depth: depth + 1 });
    }
  }
}

function collect(config: NginxConfig, out: NginxModel, model: DeploymentModel): void {
  limitDepth(config, model);
  const seen = new Set(model.diagnostics.map((d) => `${d.loc.path}:${d.loc.line}:${d.message}`));
  for (const p of config.problems) {
    if (p.kind === 'parse' || p.kind === 'loop' || p.kind === 'too-deep' || p.kind === 'limit' || p.kind === 'unreadable') {
      // Two syntax errors at one place are one mistake (a directive without `;` at the end of the file also
      // leaves its block open): nginx -t reports the first.
      const key = p.kind === 'parse' ? `${p.loc.path}:${p.loc.line}:${p.loc.column}` : `${p.loc.path}:${p.loc.line}:${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      model.diagnostics.push({ loc: p.loc, message: `nginx: ${p.message}` });
    } else if (!(p.kind === 'missing' && p.packaged)) out.includeProblems.push(p);
  }
  forEachNginxDirective(config.directives, (d) => {
    if (d.name === 'server' && d.block && (!d.parent || d.parent.name === 'http')) out.servers.push(new NginxServer(config, d));
    // Servers live in http {} (or at the top of a site file); stream/mail servers are not HTTP.
    return d.name !== 'stream' && d.name !== 'mail' && d.name !== 'server';
  });
}
