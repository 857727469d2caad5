// Where TLS terminates for an nginx config tree: in that nginx (a TLS listener), in front of it (a terminator the
// repository shows, or signs in nginx that it sits behind one), or unknown. Rules that judge plain-HTTP servers ask
// here instead of assuming every nginx is the public edge.
import * as posix from 'node:path/posix';
import { loadText } from '../engine/load';
import type { NginxDirective } from '../parsers/nginx/types';
import { forEachNginxDirective } from '../parsers/nginx/walk';
import type { DeploymentModel, ModelInput } from './index';
import { effectiveDirective, instanceOf, type NginxServer } from './nginx';
import { parseRepoYaml } from '../util/yaml';
import { looksLikeCompose, MAYBE_COMPOSE, withDefaults } from './deploy';

export type EdgeEvidenceKind =
  | 'nginx-tls'
  | 'caddy'
  | 'traefik'
  | 'ingress-tls'
  | 'platform-router'
  | 'compose-443'
  | 'compose-port'
  | 'private-only'
  | 'real-ip'
  | 'forwarded-trust'
  | 'internal-name'
  | 'internal-port';

export interface EdgeEvidence {
  kind: EdgeEvidenceKind;
  /** What was seen, in words, with its place. */
  text: string;
  /** A catch-all name (`_`, none): often an internal container, but also a bare public default server. */
  weak?: boolean;
  /** The file that shows a terminator outside nginx (for its role and project). */
  path?: string;
  /** Whether that terminator redirects plain HTTP to HTTPS: true, false, or undefined when the repository cannot say. */
  redirects?: boolean;
  /** Whether it adds a Strict-Transport-Security header: true, false, or undefined when the repository cannot say. */
  hsts?: boolean;
  /** Where it connects to the app from, as the app server sees it: the same machine, another one, or not known. */
  peer?: Peer;
  /** Its place, short, for messages (`caddy/Caddyfile:17`). */
  at?: string;
}

export type Peer = 'local' | 'remote' | 'unknown';

export interface TlsEdge {
  /** 'nginx': this nginx has a TLS listener; 'front': a terminator sits in front; 'unknown': neither is shown. */
  where: 'nginx' | 'front' | 'unknown';
  evidence: EdgeEvidence[];
}

/** Terminators the repository shows outside nginx, and the compose files that may run an nginx. */
export interface EdgeFacts {
  terminators: EdgeEvidence[];
  composes: ComposeFacts[];
  /** A Procfile line that starts the nginx buildpack's `bin/start-nginx` (path:line). */
  buildpackNginx?: string;
  /** Traefik configuration files that redirect plain HTTP but show no TLS of their own (entry points only). */
  traefikRedirectFiles?: string[];
}

export interface ComposeService {
  name: string;
  image: string;
  /** Workspace paths of bind-mounted sources and the build context. */
  sources: string[];
  publishes443: boolean;
  /** Host ports its `ports:` publish ('' for an ephemeral one; the raw text where not a plain number); none without `ports:`. */
  hostPorts: string[];
  traefikTls: boolean;
  /** Traefik labels or command line of this service configure an HTTPS redirect / an HSTS header. */
  traefikRedirects: boolean;
  traefikHsts: boolean;
  /** Command line and TRAEFIK_* environment, lower-cased: Traefik's static configuration if the service runs it. */
  traefikStatic: string;
  /** Has `traefik.*` labels: a Traefik somewhere routes to it. */
  traefikLabels: boolean;
  /** Neither an image nor a build: a compose override of a service another compose file of the folder defines. */
  override: boolean;
  /** Built from a Dockerfile: its `image:`, if any, only names what is built. */
  built?: boolean;
  /** nginx-proxy's per-container variables on this service: VIRTUAL_HOST, and HSTS / HTTPS_METHOD as written. */
  virtualHost: boolean;
  proxyHsts?: string;
  proxyHttpsMethod?: string;
  /** Mounts the Docker socket at /tmp/docker.sock, where nginx-proxy's docker-gen reads the containers. */
  dockerGen?: boolean;
}

export interface ComposeFacts {
  path: string;
  services: ComposeService[];
}

const EMPTY: EdgeFacts = { terminators: [], composes: [] };

function base(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

const isCaddyfile = (p: string) => /^caddyfile/i.test(base(p)) || /\.caddy(file)?$/i.test(base(p));
const isCompose = (p: string) => /^(docker-)?compose[\w.-]*\.ya?ml$/i.test(base(p));
const isYaml = (p: string) => /\.ya?ml$/i.test(p);
/** A manifest a script renders (`ingress.yml.template`, `ingress.yaml.j2`): read for an Ingress as written. */
const isYamlTemplate = (p: string) => /\.ya?ml\.(template|tmpl|tpl|j2|in)$/i.test(p);
const isTraefikConfig = (p: string) => /^traefik[\w.-]*\.(ya?ml|toml)$/i.test(base(p)) || (/\.(ya?ml|toml)$/i.test(p) && p.split('/').slice(0, -1).includes('traefik'));

/** Reads the few files outside nginx that can show a TLS terminator (symlinks are never followed, sizes capped). */
export function buildEdgeFacts(input: ModelInput): EdgeFacts {
  const paths = input.allFiles;
  // nginx rules ask where TLS ends for a server; Django's redirect and HSTS rules ask it for the app.
  if (!paths || !input.files.some((f) => f.kind === 'nginx' || f.kind === 'django-settings')) return EMPTY;
  const out: EdgeFacts = { terminators: [], composes: [] };
  // The same safe reader as the deployment files; YAML and Caddyfile parsers want LF line ends.
  const read = (rel: string) => {
    if (input.readText) return input.readText(rel);
    const r = loadText(input.root, rel, input.config.maxFileBytes);
    return r.ok ? r.text.replace(/\r\n?/g, '\n') : undefined;
  };
  for (const rel of paths) {
    if (/^Procfile/.test(base(rel)) && !out.buildpackNginx) {
      const text = read(rel);
      const line = text === undefined ? -1 : findLine(text, (l) => /^[\w-]+\s*:.*\bbin\/start-nginx/.test(l));
      if (line >= 0) out.buildpackNginx = `${rel}:${line + 1}`;
    } else if (isCaddyfile(rel)) {
      const text = read(rel);
      // `reverse_proxy` (Caddy 2) or `proxy FROM TO` (Caddy 1).
      const line = text === undefined ? -1 : findLine(text, (l) => /^\s*(reverse_proxy\b|proxy\s+\S+\s+\S)/.test(l));
      if (line >= 0) {
        const c = caddyFacts(text!);
        const how = c.plainOnly ? 'serves only plain HTTP' : c.redirects ? 'with automatic HTTPS, which redirects plain HTTP' : 'with HTTPS redirects turned off';
        const directive = /^\s*reverse_proxy\b/.test(text!.split('\n')[line]) ? 'reverse_proxy' : 'proxy';
        out.terminators.push({ kind: 'caddy', text: `Caddy proxies to the app ${how} (\`${directive}\` at ${rel}:${line + 1})`, path: rel, redirects: c.plainOnly ? false : c.redirects, hsts: c.hsts, peer: c.peer, at: `${rel}:${line + 1}`, ...(c.plainOnly ? { weak: true } : {}) });
      }
    } else if (isCompose(rel)) {
      const text = read(rel);
      const c = text === undefined ? undefined : composeFacts(rel, text);
      if (c) out.composes.push(c);
    } else if (isTraefikConfig(rel)) {
      const text = read(rel);
      const line = text === undefined ? -1 : findLine(text, (l) => /\b(certResolver|certificates|tls)\b\s*[:=]/i.test(l));
      if (line >= 0) {
        const lower = text!.toLowerCase();
        out.terminators.push({ kind: 'traefik', text: `Traefik terminates TLS (${rel}:${line + 1})`, path: rel, redirects: traefikRedirects(lower), hsts: lower.includes('stsseconds') });
      } else if (text !== undefined && traefikRedirects(text.toLowerCase())) {
        // Static configuration with the entry points only (`[entryPoints.web.http.redirections]`): the Traefik that
        // compose labels route over TLS redirects plain HTTP.
        (out.traefikRedirectFiles ??= []).push(rel);
      }
    } else if (isYaml(rel) || isYamlTemplate(rel)) {
      const text = read(rel);
      // A compose file by its content (cookiecutter-django's `production.yml`), as the deployment model reads it.
      if (isYaml(rel) && MAYBE_COMPOSE(rel) && looksLikeCompose(text)) {
        const c = composeFacts(rel, text!);
        if (c) out.composes.push(c);
        continue;
      }
      if (text === undefined || !text.includes('Ingress')) continue;
      const line = ingressTlsLine(text);
      // Whether it redirects or adds HSTS is up to the ingress controller, which the manifest does not show.
      if (line >= 0) out.terminators.push({ kind: 'ingress-tls', text: `a Kubernetes Ingress terminates TLS (\`tls:\` at ${rel}:${line + 1})`, path: rel });
    }
  }
  overrides(out.composes);
  dropUnusedTraefikFiles(out);
  dropUnusedCaddyfiles(out);
  return out;
}

/**
 * A Caddyfile where the compose files run another TLS edge (Traefik, or a service publishing 443) and none runs
 * Caddy or mounts or builds from the file (gfbio's Caddy 1 `compose/production/caddy/Caddyfile` left behind when
 * cookiecutter-django moved to Traefik): not in front of anything. Without another edge it may be a host's Caddy.
 */
function dropUnusedCaddyfiles(out: EdgeFacts): void {
  const services = out.composes.flatMap((c) => c.services);
  if (services.length === 0 || services.some((x) => /caddy/i.test(x.name) || /caddy/i.test(x.image))) return;
  if (!services.some((x) => /traefik/i.test(x.name) || /traefik/i.test(x.image) || x.traefikLabels || x.publishes443)) return;
  const used = (p: string) => services.some((x) => x.sources.some((src) => src !== '' && src !== '.' && (src === p || p.startsWith(`${src}/`))));
  out.terminators = out.terminators.filter((t) => t.kind !== 'caddy' || !t.path || used(t.path));
}

/**
 * A Traefik file where compose files run the deployment but none runs Traefik, routes with its labels or mounts the
 * file (cookiecutter-django's `compose/production/traefik/traefik.yml` left behind once a project replaced the
 * Traefik service with its own nginx): not a terminator in front of anything.
 */
function dropUnusedTraefikFiles(out: EdgeFacts): void {
  if (out.composes.length === 0) return;
  const services = out.composes.flatMap((c) => c.services);
  if (services.some((x) => /traefik/i.test(x.name) || /traefik/i.test(x.image) || x.traefikLabels)) return;
  const used = (p: string) => services.some((x) => x.sources.some((src) => src !== '' && src !== '.' && (src === p || p.startsWith(`${src}/`))));
  out.terminators = out.terminators.filter((t) => t.kind !== 'traefik' || !t.path || used(t.path));
  if (out.traefikRedirectFiles) out.traefikRedirectFiles = out.traefikRedirectFiles.filter(used);
}

/**
 * Compose files of one folder are used together (`-f docker-compose.yml -f docker-compose.https.yml`): a service an
 * override file names without an image runs the image of the same service in another file. Where that is Traefik,
 * the override's command and TRAEFIK_* environment configure it (CVAT: HTTPS redirect by environment variables).
 */
function overrides(composes: ComposeFacts[]): void {
  for (const c of composes) {
    for (const s of c.services) {
      if (!s.override || !s.traefikStatic) continue;
      const dir = posix.dirname(c.path);
      const image = composes.find((o) => o !== c && posix.dirname(o.path) === dir && o.services.some((x) => x.name === s.name && x.image))?.services.find((x) => x.name === s.name)?.image;
      if (!image || !imageName(image).startsWith('traefik')) continue;
      s.traefikRedirects ||= traefikRedirects(s.traefikStatic);
      s.traefikHsts ||= s.traefikStatic.includes('stsseconds');
    }
  }
}

/**
 * What a Caddyfile says about HTTPS. Caddy serves every site address over HTTPS and redirects plain HTTP to it,
 * unless `auto_https off` / `auto_https disable_redirects`, or every site address is `http://…` or `:80`. It adds
 * no Strict-Transport-Security header unless a `header` directive does. Read line by line, braces counted.
 */
export function caddyFacts(text: string): { redirects: boolean; hsts: boolean; plainOnly: boolean; peer: Peer } {
  let depth = 0;
  let redirects = true;
  let hsts = false;
  const sites: string[] = [];
  const upstreams: string[] = [];
  // Caddy 1's `proxy` sends X-Forwarded-Proto only when told (`transparent`): where the app is, is left unknown.
  let caddy1 = false;
  let proxyBlock = -1;
  for (const raw of text.split('\n')) {
    const line = raw.length > 4096 ? '' : raw.trim();
    if (line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    if (words[0] === 'reverse_proxy') {
      upstreams.push(...words.slice(1).filter((w) => w !== '{' && !w.startsWith('@') && !w.startsWith('/')));
      if (line.endsWith('{')) proxyBlock = depth + 1;
    } else if (words[0] === 'to' && proxyBlock >= 0 && depth >= proxyBlock) upstreams.push(...words.slice(1));
    else if (words[0] === 'proxy' && words.length >= 3) caddy1 = true;
    if (words[0] === 'auto_https' && (words[1] === 'off' || words[1] === 'disable_redirects')) redirects = false;
    if (line.toLowerCase().includes('strict-transport-security')) hsts = true;
    if (depth === 0 && line.endsWith('{') && line !== '{') {
      for (const a of line.slice(0, -1).split(/[\s,]+/)) if (a) sites.push(a.toLowerCase());
    }
    for (const ch of line) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
    if (depth < 0) depth = 0;
    if (depth < proxyBlock) proxyBlock = -1;
  }
  const plain = (a: string) => a.startsWith('http://') || a === ':80' || a.endsWith(':80');
  return { redirects, hsts, plainOnly: sites.length > 0 && sites.every(plain), peer: caddy1 ? 'unknown' : upstreamPeer(upstreams) };
}

/**
 * Where a proxy's upstreams are, as the app server sees the proxy: `localhost:8000`, `127.0.0.1:8000` or a unix
 * socket is the same machine; a name (`web:8000`, a compose service) or another address is another one; a
 * placeholder (`{$APP}`) is not known.
 */
export function upstreamPeer(upstreams: string[]): Peer {
  if (upstreams.length === 0) return 'unknown';
  const one = (u: string): Peer => {
    const host = u.replace(/^(h2c|https?):\/\//i, '');
    if (host.includes('{') || host.includes('$')) return 'unknown';
    if (/^unix\//i.test(host) || /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i.test(host) || /^:\d+$/.test(host)) return 'local';
    return 'remote';
  };
  const peers = upstreams.map(one);
  return peers.every((p) => p === peers[0]) ? peers[0] : 'unknown';
}

/**
 * A Traefik config (lowercased) that redirects plain HTTP: an entry point redirection or a redirectScheme middleware;
 * in Traefik 1.x the `headers.SSLRedirect` frontend label or an `[entryPoints.http.redirect]` section.
 */
function traefikRedirects(lower: string): boolean {
  if (lower.includes('redirections') || lower.includes('redirectscheme') || lower.includes('.redirect]')) return true;
  const compact = lower.replace(/[\s"']/g, '');
  return compact.includes('sslredirect=true') || compact.includes('sslredirect:true');
}

/** Index of the first line that passes `test` (lines are short; the tests use no nested quantifiers). */
function findLine(text: string, test: (line: string) => boolean): number {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].length <= 4096 && test(lines[i])) return i;
  return -1;
}

/** A `kind: Ingress` document with an indented `tls:` key (spec.tls); Helm templates are read as text. */
function ingressTlsLine(text: string): number {
  let inIngress = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trimEnd();
    if (l === '---') inIngress = false;
    else if (/^kind:\s*Ingress$/.test(l)) inIngress = true;
    else if (inIngress && /^\s+tls:/.test(l)) return i;
  }
  // `tls:` may come before `kind:` in a document: look again per document.
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i].trimEnd() === '---') {
      const doc = lines.slice(start, i);
      if (doc.some((l) => /^kind:\s*Ingress\s*$/.test(l))) {
        const at = doc.findIndex((l) => /^\s+tls:/.test(l));
        if (at >= 0) return start + at;
      }
      start = i + 1;
    }
  }
  return -1;
}

function composeFacts(rel: string, text: string): ComposeFacts | undefined {
  let doc: unknown;
  try {
    doc = parseRepoYaml(text);
  } catch {
    return undefined;
  }
  const services = (doc as { services?: unknown })?.services;
  if (!services || typeof services !== 'object') return undefined;
  const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  const out: ComposeFacts = { path: rel, services: [] };
  for (const [name, raw] of Object.entries(services as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue;
    const s = raw as Record<string, unknown>;
    const image = typeof s.image === 'string' ? s.image : '';
    const sources: string[] = [];
    const local = (p: string) => {
      if (!p.startsWith('.') && !p.startsWith('/') && p.includes(':')) return;
      if (p.startsWith('/') || p.startsWith('~') || p.includes('$')) return;
      const joined = posix.normalize(posix.join(dir, p));
      if (!joined.startsWith('..')) sources.push(joined === '.' ? '' : joined.replace(/\/$/, ''));
    };
    let dockerGen = false;
    for (const v of Array.isArray(s.volumes) ? s.volumes : []) {
      const target = typeof v === 'string' ? v.split(':')[1] : v && typeof v === 'object' ? (v as { target?: unknown }).target : undefined;
      if (target === '/tmp/docker.sock') dockerGen = true;
      if (typeof v === 'string') {
        // `${CADDYFILE:-./caddy/Caddyfile}:/etc/caddy/Caddyfile`: compose takes the default when the variable is unset.
        const src = withDefaults(v).split(':')[0];
        if (src.startsWith('.') || src.startsWith('/')) local(src);
      } else if (v && typeof v === 'object' && typeof (v as { source?: unknown }).source === 'string') local((v as { source: string }).source);
    }
    const build = s.build;
    if (typeof build === 'string') local(build);
    else if (build && typeof build === 'object' && typeof (build as { context?: unknown }).context === 'string') local((build as { context: string }).context);
    let publishes443 = false;
    const hostPorts: string[] = [];
    for (const p of Array.isArray(s.ports) ? s.ports : []) {
      if (typeof p === 'string' || typeof p === 'number') {
        const parts = String(p).split('/')[0].split(':');
        if (parts.some((x) => x === '443')) publishes443 = true;
        // [ip:]host:container, or container alone (an ephemeral host port).
        hostPorts.push(parts.length >= 2 ? parts[parts.length - 2] : '');
      } else if (p && typeof p === 'object') {
        const o = p as { published?: unknown; target?: unknown };
        if (String(o.published) === '443' || String(o.target) === '443') publishes443 = true;
        hostPorts.push(o.published === undefined ? '' : String(o.published));
      }
    }
    const labels = s.labels;
    const labelText = Array.isArray(labels) ? labels.map(String) : labels && typeof labels === 'object' ? Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`) : [];
    const traefikTls = labelText.some((l) => l.startsWith('traefik.') && (l.includes('.tls') || l.includes('websecure')));
    // Traefik's own service configures entry points on its command line; routers and middlewares in labels.
    const cmd = Array.isArray(s.command) ? s.command.map(String).join(' ') : typeof s.command === 'string' ? s.command : '';
    // Its static configuration may also come from TRAEFIK_* environment variables (TRAEFIK_ENTRYPOINTS_WEB_HTTP_REDIRECTIONS_…).
    const env = Array.isArray(s.environment) ? s.environment.map(String) : s.environment && typeof s.environment === 'object' ? Object.entries(s.environment).map(([k, v]) => `${k}=${String(v)}`) : [];
    const traefikStatic = [cmd, ...env.filter((e) => e.toUpperCase().startsWith('TRAEFIK_'))].join('\n').toLowerCase();
    const traefikText = [...labelText.filter((l) => l.startsWith('traefik.')), ...(imageName(image).startsWith('traefik') ? [traefikStatic] : [])].join('\n').toLowerCase();
    // Routers only on TLS (every `traefik.http.routers.<r>` has `tls`) and no port of its own: plain HTTP never reaches
    // this service, so there is nothing to redirect.
    const routers = new Map<string, boolean>();
    for (const l of labelText) {
      const m = l.toLowerCase().split('=')[0].split('.');
      if (m[0] !== 'traefik' || m[1] !== 'http' || m[2] !== 'routers' || !m[3]) continue;
      routers.set(m[3], (routers.get(m[3]) ?? false) || m[4] === 'tls');
    }
    const tlsOnly = routers.size > 0 && [...routers.values()].every(Boolean) && !(Array.isArray(s.ports) && s.ports.length > 0);
    const envValue = (k: string) => env.find((e) => e.startsWith(`${k}=`))?.slice(k.length + 1);
    out.services.push({
      name,
      image,
      sources,
      publishes443,
      hostPorts,
      traefikTls,
      traefikRedirects: tlsOnly || traefikRedirects(traefikText),
      traefikHsts: traefikText.includes('stsseconds'),
      traefikStatic,
      traefikLabels: labelText.some((l) => l.startsWith('traefik.')),
      override: !image && !build,
      ...(build ? { built: true } : {}),
      virtualHost: env.some((e) => e.startsWith('VIRTUAL_HOST=') || e === 'VIRTUAL_HOST'),
      proxyHsts: envValue('HSTS'),
      proxyHttpsMethod: envValue('HTTPS_METHOD'),
      ...(dockerGen ? { dockerGen } : {}),
    });
  }
  return out;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const INTERNAL_NAMES = new Set([...LOOPBACK_NAMES, '_', '']);
const STANDARD_PORTS = new Set([80, 443]);
const FORWARDED_VARS = ['$http_x_forwarded_proto', '$http_x_forwarded_ssl', '$http_x_forwarded_scheme', '$http_x_forwarded_port', '$http_forwarded'];

/** The last path segment of an image reference, without tag or digest. */
function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.split(':')[0].toLowerCase();
}

function isNginxImage(image: string): boolean {
  const n = imageName(image);
  return n.startsWith('nginx') || n.startsWith('openresty');
}

function where(d: NginxDirective): string {
  return `${d.file}:${d.loc.line}`;
}

function text(d: NginxDirective): string {
  return `${d.name} ${d.args.map((a) => a.raw).join(' ')}`.trim();
}

/** The servers of one nginx: the same http block, or site files read without a main config in one folder. */
export interface EdgeOptions {
  /** Leave out the nginx's own reading of X-Forwarded-* headers (for the rules that judge that reading). */
  ignoreForwarded?: boolean;
  /** Decide on strong signs only (rules about spoofing, where a wrong "in front" hides a real hole). */
  strongOnly?: boolean;
}

const cache = new WeakMap<DeploymentModel, Map<string, TlsEdge>>();

/** Where TLS ends for requests that reach this plain-HTTP (or TLS) server. */
export function tlsEdge(model: DeploymentModel, server: NginxServer, opts: EdgeOptions = {}): TlsEdge {
  let byServer = cache.get(model);
  if (!byServer) cache.set(model, (byServer = new Map()));
  const key = `${where(server.block)}:${server.block.loc.column}:${server.config.entry}:${opts.ignoreForwarded ? 1 : 0}${opts.strongOnly ? 1 : 0}`;
  let hit = byServer.get(key);
  if (!hit) byServer.set(key, (hit = computeEdge(model, server, opts)));
  return hit;
}

function tlsListener(s: NginxServer): NginxDirective | undefined {
  if (effectiveDirective(s.block, 'ssl_reject_handshake')?.args[0]?.value === 'on') return undefined;
  if (s.sslOn) return s.sslOn;
  return s.listens.find((l) => l.ssl || l.quic)?.directive;
}

interface TreeFacts {
  tls?: EdgeEvidence;
  realIp?: EdgeEvidence;
  forwarded?: EdgeEvidence;
  /** Compose and Traefik evidence tied to this nginx. */
  beside: EdgeEvidence[];
  /** A compose file that runs it publishes it on host port 80 or 443: clients reach it there, whatever it listens on. */
  publicPort?: string;
}

const treeCache = new WeakMap<DeploymentModel, Map<unknown, TreeFacts>>();

/** What one nginx shows, computed once per tree: rules ask for every server, and large configs have thousands. */
function treeFacts(model: DeploymentModel, server: NginxServer): TreeFacts {
  let byTree = treeCache.get(model);
  if (!byTree) {
    byTree = new Map();
    treeCache.set(model, byTree);
    const groups = new Map<unknown, NginxServer[]>();
    for (const s of model.nginx.servers) {
      const k = instanceOf(s);
      const g = groups.get(k);
      if (g) g.push(s);
      else groups.set(k, [s]);
    }
    for (const [k, tree] of groups) byTree.set(k, computeTree(model, tree, serverlessBeside(model, k)));
  }
  return byTree.get(instanceOf(server)) ?? computeTree(model, [server]);
}

/**
 * Site files without a server of their own in the folder of a folder-wide nginx (coursys' `default.conf` holds the
 * http-level `set_real_ip_from` that its scripts append the server files to): read with that nginx's servers.
 */
function serverlessBeside(model: DeploymentModel, key: unknown): NginxDirective[][] {
  // `folder:<dir>`, or `deployed:<dir>:<units>` for files the same entry points copy one by one.
  if (typeof key !== 'string' || !(key.startsWith('folder:') || key.startsWith('deployed:'))) return [];
  const dir = key.startsWith('folder:') ? key.slice('folder:'.length) : key.split(':')[1];
  const withServers = new Set(model.nginx.servers.map((s) => s.config));
  return model.nginx.configs
    .filter((c) => !withServers.has(c) && c.entry.split('/').slice(0, -1).join('/') === dir && !c.directives.some((d) => d.name === 'http' || d.name === 'events'))
    .map((c) => c.directives);
}

function computeTree(model: DeploymentModel, tree: NginxServer[], beside: NginxDirective[][] = []): TreeFacts {
  const out: TreeFacts = { beside: [] };
  for (const s of tree) {
    const l = tlsListener(s);
    if (l) {
      out.tls = { kind: 'nginx-tls', text: `this nginx has a TLS listener (\`${text(l)}\` at ${where(l)})` };
      return out;
    }
  }
  // In this nginx: real_ip trust, reading a proxy's X-Forwarded-* headers.
  const seen = new Set<NginxDirective>();
  let realIp: NginxDirective | undefined;
  let forwarded: NginxDirective | undefined;
  const roots = new Set<NginxDirective[]>();
  for (const s of tree) {
    let top: NginxDirective = s.block;
    while (top.parent) top = top.parent;
    roots.add(top.block ?? [s.block]);
    roots.add(s.config.directives);
  }
  for (const list of beside) roots.add(list);
  const reads = (v: string) => FORWARDED_VARS.some((f) => v.toLowerCase().includes(f));
  for (const list of roots) {
    forEachNginxDirective(list, (d) => {
      if (seen.has(d)) return false;
      seen.add(d);
      if (!realIp && (d.name === 'set_real_ip_from' || d.name === 'real_ip_header')) realIp = d;
      // proxy_set_header names the header in its first word: only its value reads one.
      if (!forwarded && (d.name === 'proxy_set_header' ? reads(d.args[1]?.value ?? '') : d.args.some((a) => reads(a.value)))) forwarded = d;
      return d.name !== 'stream' && d.name !== 'mail';
    });
  }
  if (realIp) out.realIp = { kind: 'real-ip', text: `it takes client addresses from a proxy in front (\`${text(realIp)}\` at ${where(realIp)})` };
  if (forwarded) out.forwarded = { kind: 'forwarded-trust', text: `it reads the scheme a proxy in front forwards (\`${text(forwarded)}\` at ${where(forwarded)})` };
  // The repository: a terminator beside it in a compose file that runs it.
  const facts = model.edgeFacts ?? EMPTY;
  const files = new Set([...new Set(tree.map((s) => s.config))].flatMap((c) => c.files));
  // Heroku's nginx buildpack reads config/nginx.conf.erb and runs nginx in the dyno, behind the platform's router.
  if (facts.buildpackNginx && [...files].some((f) => /(^|\/)config\/nginx\.conf\.erb$/.test(f))) {
    out.beside.push({ kind: 'platform-router', text: `the nginx buildpack runs it (${facts.buildpackNginx} starts bin/start-nginx), behind the platform's router, which terminates TLS and sets X-Forwarded-Proto` });
  }
  const published: { compose: string; service: string; ports: string[] }[] = [];
  for (const c of facts.composes) {
    const dir = c.path.includes('/') ? posix.dirname(c.path) : '';
    const covers = (src: string, f: string) => f === src || f.startsWith(`${src}/`);
    const nginx = c.services.find(
      (s) =>
        s.sources.some((src) => src !== '' && [...files].some((f) => covers(src, f))) ||
        (isNginxImage(s.image) && [...files].some((f) => dir === '' || covers(dir, f))),
    );
    if (!nginx) continue;
    // The folder an nginx-proxy image is built from (a leftover nginx.conf, vhost.d includes): nginx-proxy generates
    // the servers clients reach, with TLS where acme-companion runs beside it (statistikajednodusecz, waggylabs).
    const proxy = nginxProxyService(c, nginx);
    if (proxy) {
      out.beside.push({ kind: 'compose-443', text: proxy });
      continue;
    }
    if (nginx.hostPorts.length > 0) published.push({ compose: c.path, service: nginx.name, ports: nginx.hostPorts });
    const front = c.services.find((s) => s !== nginx && s.publishes443);
    if (front) out.beside.push({ kind: 'compose-443', text: `service \`${front.name}\` publishes port 443 in ${c.path}, beside the nginx service \`${nginx.name}\`` });
    const traefik = c.services.find((s) => s.traefikTls || imageName(s.image).startsWith('traefik'));
    if (traefik && traefik !== front) out.beside.push({ kind: 'traefik', text: `Traefik routes to it over TLS (service \`${traefik.name}\` in ${c.path})` });
  }
  // Published by every compose file that runs it only on other host ports (`8010:80`): browsers typing the host
  // name reach ports 80 and 443, where something else listens, a proxy on the host.
  const other = (p: string) => p === '' || (/^\d+$/.test(p) && p !== '80' && p !== '443');
  const standard = published.find((x) => x.ports.some((p) => p === '80' || p === '443'));
  if (standard) out.publicPort = `${standard.compose} publishes the nginx service \`${standard.service}\` on host port ${standard.ports.find((p) => p === '80' || p === '443')}`;
  if (published.length > 0 && published.every((x) => x.ports.every(other))) {
    const x = published[0];
    out.beside.push({ kind: 'compose-port', text: `${x.compose} publishes the nginx service \`${x.service}\` only on host port${x.ports.length > 1 ? 's' : ''} ${x.ports.map((p) => p || '(ephemeral)').join(', ')}, not 80 or 443: a proxy on the host is in front` });
  }
  return out;
}

function computeEdge(model: DeploymentModel, server: NginxServer, opts: EdgeOptions): TlsEdge {
  // A server that admits only private networks is a hop behind a proxy or load balancer, even beside a TLS server.
  const closed = privateOnly(server);
  if (closed) return { where: 'front', evidence: [{ kind: 'private-only', text: `it admits only private network addresses (${closed}): clients reach a proxy or load balancer in front of it` }] };
  const tree = treeFacts(model, server);
  if (tree.tls) return { where: 'nginx', evidence: [tree.tls] };
  const evidence: EdgeEvidence[] = [];
  if (tree.realIp) evidence.push(tree.realIp);
  if (tree.forwarded && !opts.ignoreForwarded) evidence.push(tree.forwarded);
  // The server itself: only internal names, only non-standard ports.
  // Published on the host's port 80 or 443 by the compose file that runs it, a catch-all name or a container port
  // such as 8000 says nothing about a proxy in front (recipick's `80:8000`).
  const names = server.names;
  if (names.every((n) => INTERNAL_NAMES.has(n.toLowerCase()))) {
    const shown = names.length === 0 ? 'no `server_name`' : `\`server_name ${names.join(' ') || '""'}\``;
    const weak = !names.some((n) => LOOPBACK_NAMES.has(n.toLowerCase()));
    // A catch-all beside servers with public names in the same nginx is that nginx's default server for its port
    // (stringkeepeer's `listen [::]:80;` in conf.d beside its sites): public too.
    const publicSibling = weak && model.nginx.servers.some((o) => o !== server && instanceOf(o) === instanceOf(server) && o.names.some((n) => !INTERNAL_NAMES.has(n.toLowerCase())));
    if (!tree.publicPort) {
      if (!(weak && opts.strongOnly) && !publicSibling) evidence.push({ kind: 'internal-name', text: `the server has ${shown}, no public host name`, weak });
    } else if (!weak) {
      // Published on host port 80 or 443, nginx answers every Host with its default server whatever its name (noq's
      // `server_name localhost` on `80:8000`): a loopback name says "behind a proxy" only beside another nginx of
      // the repository that terminates TLS (pkdb's host nginx in front of its container nginx).
      // A host's site file that nothing in the repository deploys is guessed an example beside the container's: it still counts.
      const live = (f: string) => {
        const r = model.roleOf?.(f);
        return !r || r.role === 'production' || (r.role === 'example' && r.source === 'guess');
      };
      const host = model.nginx.servers.find((o) => o.tls && instanceOf(o) !== instanceOf(server) && live(o.block.file));
      if (host) evidence.push({ kind: 'internal-name', text: `the server has ${shown}, no public host name, and another nginx of the repository terminates TLS (${host.block.file}:${host.block.loc.line})`, weak });
    }
  }
  const ports = server.listens.filter((l) => !l.ssl && !l.quic && l.unix === undefined && l.port !== undefined);
  if (!tree.publicPort && ports.length > 0 && ports.every((l) => !STANDARD_PORTS.has(l.port!))) {
    const l = ports[0];
    evidence.push({ kind: 'internal-port', text: `it listens on internal port ${l.port}${l.directive ? ` (\`${text(l.directive)}\` at ${where(l.directive)})` : ''}` });
  }
  evidence.push(...tree.beside, ...(model.edgeFacts ?? EMPTY).terminators);
  return { where: evidence.length > 0 ? 'front' : 'unknown', evidence };
}

/** The access list of a block (allow/deny in order) is private-only: private allows, then `deny all`. */
function privateList(list: NginxDirective[]): boolean {
  for (const d of list) {
    const a = d.args[0]?.value ?? '';
    if (d.name === 'deny') {
      if (a === 'all') return true;
    } else if (!isPrivateAddress(a)) return false;
  }
  return false;
}

function accessList(block: NginxDirective): NginxDirective[] {
  return (block.block ?? []).filter((d) => d.name === 'allow' || d.name === 'deny');
}

/**
 * `allow 10.129.0.0/16; deny all;` in force for the whole server (its own list, else its http level's; a location
 * with a list of its own replaces it, so each such list must be private-only too): where, as text; else undefined.
 */
function privateOnly(server: NginxServer): string | undefined {
  let level: NginxDirective | undefined = server.block;
  let list = accessList(level);
  while (list.length === 0 && level.parent) {
    level = level.parent;
    list = accessList(level);
  }
  if (!privateList(list)) return undefined;
  for (const loc of server.locations) {
    const own = accessList(loc);
    if (own.length > 0 && !privateList(own)) return undefined;
  }
  const first = list[0];
  const deny = list.find((d) => d.name === 'deny')!;
  return `\`${text(first)}\` … \`${text(deny)}\` at ${where(deny)}`;
}

/** Loopback, RFC 1918, link-local and unique-local addresses and networks, and `unix:`. */
export function isPrivateAddress(a: string): boolean {
  if (a === 'unix:') return true;
  const [addr, bits] = a.split('/');
  const prefix = bits === undefined ? undefined : Number(bits);
  if (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= 128)) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) {
    const [o1, o2] = [Number(v4[1]), Number(v4[2])];
    const p = prefix ?? 32;
    return (o1 === 10 && p >= 8) || (o1 === 127 && p >= 8) || (o1 === 172 && o2 >= 16 && o2 <= 31 && p >= 12) || (o1 === 192 && o2 === 168 && p >= 16) || (o1 === 169 && o2 === 254 && p >= 16);
  }
  const v6 = addr.toLowerCase();
  if (v6 === '::1') return prefix === undefined || prefix === 128;
  const p = prefix ?? 128;
  return (/^f[cd][0-9a-f]{0,2}:/.test(v6) && p >= 7) || (/^fe[89ab][0-9a-f]?:/.test(v6) && p >= 10);
}

/** A platform router in front that sets X-Forwarded-Proto itself, so the header nginx passes on is the router's. */
export function routerInFront(model: DeploymentModel, server: NginxServer): EdgeEvidence | undefined {
  return tlsEdge(model, server).evidence.find((e) => e.kind === 'platform-router');
}

/** "TLS ends in front of this nginx: …" for a message. */
export function describeEdge(edge: TlsEdge, max = 2): string {
  const shown = edge.evidence.slice(0, max).map((e) => e.text);
  const more = edge.evidence.length > max ? ` (and ${edge.evidence.length - max} more sign${edge.evidence.length - max > 1 ? 's' : ''})` : '';
  if (edge.where === 'nginx') return `TLS ends in this nginx: ${shown.join('; ')}`;
  if (edge.where === 'front') return `TLS ends in front of this nginx: ${shown.join('; ')}${more}`;
  return 'where TLS ends is unknown (no TLS listener in this nginx and no terminator in front shown in the repository), so this nginx is judged as the public edge';
}

const NGINX_PROXY_IMAGE = /^(nginxproxy|jwilder)\/nginx-proxy$/;
const ACME_COMPANION_IMAGE = /^(nginxproxy\/acme-companion|jrcs\/letsencrypt-nginx-proxy-companion)$/;

/**
 * A compose service that is nginx-proxy terminating TLS: its image, or a service that mounts the Docker socket for
 * docker-gen or is named for it, with acme-companion beside it or port 443 published. Says so, or undefined.
 */
function nginxProxyService(c: ComposeFacts, s: ComposeService): string | undefined {
  const repo = (x: ComposeService) => imageName(x.image);
  const companion = c.services.find((x) => ACME_COMPANION_IMAGE.test(repo(x)));
  const isProxy = NGINX_PROXY_IMAGE.test(repo(s)) || s.dockerGen === true || ((!s.image || s.image.includes('$') || s.built === true) && /nginx[-_]?proxy/i.test(s.name));
  if (!isProxy || !(companion || s.publishes443)) return undefined;
  return `it sits in the configuration of nginx-proxy (service \`${s.name}\` in ${c.path}), whose generated servers terminate TLS${companion ? ` with certificates from \`${companion.name}\`` : ' on port 443'} and redirect plain HTTP`;
}
