// Where TLS ends for a Django app, as far as the repository shows it: a terminator it configures in front of the app
// (Caddy, Traefik, a Kubernetes Ingress, a compose service publishing 443), and what that terminator does about
// plain HTTP and HSTS; otherwise, what the repository shows about how the app is reached (a port published on
// loopback for a host proxy, an app server speaking plain HTTP, a PaaS). Django's redirect and HSTS rules are
// high or medium only when the edge is shown and lacks what they ask for (see docs/tls-edge.md).
import type { DeploymentModel } from './index';
import { posix } from 'node:path';
import type { ComposeFacts, EdgeEvidence, Peer } from './edge';
import { deploysProject, type SettingsModule } from './settings';
import { optionLoc, type Invocation } from './deploy/commands';
import type { DeployUnit } from './deploy/index';
import { runningServices } from './app-trust';
import type { Loc } from '../types';

export interface FrontTerminator {
  kind: 'caddy' | 'traefik' | 'nginx-proxy' | 'ingress-tls' | 'compose-443' | 'platform' | 'app-server';
  text: string;
  /** Where it connects to the app from (Caddy's upstreams; Traefik's compose service is another container). */
  peer?: Peer;
  /** Its place, short, for messages. */
  at?: string;
  /** true: redirects plain HTTP to HTTPS; false: the repository shows it does not; undefined: cannot tell. */
  redirects?: boolean;
  /** true: adds Strict-Transport-Security; false: the repository shows it does not; undefined: cannot tell. */
  hsts?: boolean;
  /** A platform's router: its name, and whether the app may run in a buildpack's environment the repository does not show. */
  router?: { name: string; buildpack: boolean; env: Map<string, unknown>; envOutside: Map<string, unknown> };
}

export interface AppEdge {
  /** TLS terminators that production files of the app's project configure. */
  fronts: FrontTerminator[];
  /** How the app is reached when no terminator is shown, in words with places (for messages), at most three. */
  hints: string[];
  /** Platform routers in front of the app (Heroku, Fly.io, Render): they proxy from another address with X-Forwarded-Proto. */
  routers: FrontTerminator[];
}

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\]):/;

const cache = new WeakMap<DeploymentModel, Map<string, AppEdge>>();

export function appEdge(model: DeploymentModel, s: SettingsModule): AppEdge {
  let byModule = cache.get(model);
  if (!byModule) cache.set(model, (byModule = new Map()));
  let hit = byModule.get(s.path);
  if (!hit) byModule.set(s.path, (hit = computeAppEdge(model, s)));
  return hit;
}

function computeAppEdge(model: DeploymentModel, s: SettingsModule): AppEdge {
  const projectOf = model.projectOf ?? (() => '');
  const inProject = (p: string | undefined) => p !== undefined && deploysProject(s.path, p, projectOf);
  const production = (p: string) => (model.roleOf?.(p).role ?? 'production') === 'production';
  const fronts: FrontTerminator[] = [];
  const facts = model.edgeFacts;
  // A file a compose file of the project mounts or builds from belongs to it wherever it sits (`./caddy/Caddyfile`
  // beside the project's `app/`).
  const mountedHere = (p: string) =>
    (facts?.composes ?? []).some((c) => inProject(c.path) && production(c.path) && c.services.some((x) => x.sources.some((src) => src === p || p.startsWith(`${src}/`))));
  const terminator = (e: EdgeEvidence): FrontTerminator | undefined => {
    if (!e.path || !(inProject(e.path) || mountedHere(e.path)) || !production(e.path)) return undefined;
    // A Caddyfile whose sites are all plain HTTP terminates nothing.
    if (e.kind === 'caddy' && e.weak) return undefined;
    if (e.kind !== 'caddy' && e.kind !== 'traefik' && e.kind !== 'ingress-tls') return undefined;
    return { kind: e.kind, text: e.text, redirects: e.redirects, hsts: e.hsts, ...(e.kind === 'caddy' && e.peer ? { peer: e.peer, at: e.at } : {}) };
  };
  for (const e of facts?.terminators ?? []) {
    const t = terminator(e);
    if (t) fronts.push(t);
  }
  const traefikFiles = fronts.filter((f) => f.kind === 'traefik');
  for (const c of facts?.composes ?? []) {
    if (!inProject(c.path) || !production(c.path)) continue;
    const traefik = c.services.find((x) => x.traefikTls || /(^|\/)traefik(:|$)/.test(x.image.split('@')[0]));
    if (traefik && !traefik.traefikTls && (plainTraefik(c, traefik, traefikFiles.length > 0) || plainTraefikBesideTls(facts!.composes, c, traefikFiles.length > 0))) {
      // This file's Traefik serves plain HTTP: no TLS in its configuration, labels or ports (an empty traefik.toml,
      // `80:80` only), or the TLS deployment is the override beside it (read on its own).
    } else if (traefik) {
      // Routers and middlewares may sit in labels of any service, entry points in Traefik's command or its files.
      const redirectFile = (facts?.traefikRedirectFiles ?? []).some((p) => (inProject(p) || mountedHere(p)) && production(p));
      const redirects = c.services.some((x) => x.traefikRedirects) || traefikFiles.some((f) => f.redirects) || redirectFile;
      const hsts = c.services.some((x) => x.traefikHsts) || traefikFiles.some((f) => f.hsts);
      fronts.push({ kind: 'traefik', text: `Traefik routes to the app over TLS (service \`${traefik.name}\` in ${c.path})`, redirects, hsts, peer: 'remote', at: `service \`${traefik.name}\` in ${c.path}` });
    }
    const proxy = nginxProxy(c);
    if (proxy) fronts.push(proxy.front);
    for (const x of c.services) {
      if (!x.publishes443 || x === traefik || x === proxy?.service) continue;
      const image = x.image.split('@')[0].split('/').pop()?.split(':')[0].toLowerCase() ?? '';
      // Caddy's and nginx's own configs are read where the repository has them (a Caddyfile, nginx servers).
      if (image.startsWith('caddy') && fronts.some((f) => f.kind === 'caddy')) continue;
      if ((image.startsWith('nginx') || image.startsWith('openresty')) && model.nginx.servers.length > 0) continue;
      fronts.push({ kind: 'compose-443', text: `service \`${x.name}\` publishes port 443 in ${c.path}, with a configuration the repository does not show` });
    }
  }
  // gunicorn given a certificate serves TLS to clients itself, and adds no header of its own.
  for (const u of model.deploy?.units ?? []) {
    if (!inProject(u.file) || u.role.role !== 'production') continue;
    for (const { inv } of u.invocations) {
      const tls = inv.server === 'gunicorn' && inv.web ? inv.gunicorn?.tls : undefined;
      if (!tls || tls.conditional) continue;
      fronts.push({ kind: 'app-server', text: `gunicorn serves TLS itself (\`${tls.code.length > 60 ? `${tls.code.slice(0, 57)}...` : tls.code}\` at ${tls.loc.path}:${tls.loc.line}) and adds no Strict-Transport-Security header`, hsts: false });
    }
  }
  // A platform manifest that makes the router redirect (fly.io's `force_https`): what it adds besides is not shown.
  for (const p of model.deploy?.platforms ?? []) {
    if (!p.redirects || !inProject(p.path) || !production(p.path)) continue;
    fronts.push({ kind: 'platform', text: `the platform's router redirects plain HTTP to HTTPS (\`force_https = true\` at ${p.redirects.path}:${p.redirects.line})`, redirects: true });
  }
  // Heroku's router terminates TLS and passes the app's responses as they are: it neither redirects plain HTTP nor
  // adds Strict-Transport-Security. An nginx the dyno runs in front of the app (`bin/start-nginx`) may do either.
  for (const p of model.deploy?.platforms ?? []) {
    if (p.router?.name !== "Heroku's router" || !inProject(p.path) || !production(p.path)) continue;
    const dynoNginx = facts?.buildpackNginx !== undefined;
    fronts.push({
      kind: 'platform',
      text: `Heroku's router terminates TLS (${p.path})${dynoNginx ? '' : ' and neither redirects plain HTTP to HTTPS nor adds a Strict-Transport-Security header'}`,
      ...(dynoNginx ? {} : { redirects: false, hsts: false }),
    });
  }
  return { fronts: dedupe(fronts), hints: fronts.length > 0 ? [] : reachHints(model, inProject, production), routers: platformRouters(model, inProject, production) };
}

/** The routers of the project's production platform manifests, and of a Procfile's web process (Heroku or Dokku). */
function platformRouters(model: DeploymentModel, inProject: (p: string) => boolean, production: (p: string) => boolean): FrontTerminator[] {
  const out: FrontTerminator[] = [];
  for (const p of model.deploy?.platforms ?? []) {
    if (!p.router || !inProject(p.path) || !production(p.path)) continue;
    out.push({ kind: 'platform', text: p.text, peer: 'remote', at: p.path, router: { ...p.router, env: p.env, envOutside: p.envOutside } });
  }
  const procfile = (model.deploy?.units ?? []).find((u) => u.via === 'procfile' && /(^|\/)Procfile$/.test(u.file) && inProject(u.file) && u.role.role === 'production' && u.invocations.some((i) => i.inv.web));
  if (procfile) out.push({ kind: 'platform', text: `a platform runs it from ${procfile.loc.path}:${procfile.loc.line} (${procfile.name}) and terminates TLS in its router`, peer: 'remote', at: procfile.file, router: { name: "the platform's router", buildpack: true, env: new Map(), envOutside: new Map() } });
  return out;
}

const NGINX_PROXY = /^(nginxproxy|jwilder)\/nginx-proxy$/;
const ACME_COMPANION = /^(nginxproxy\/acme-companion|jrcs\/letsencrypt-nginx-proxy-companion)$/;

/**
 * nginx-proxy (nginxproxy/nginx-proxy, jwilder/nginx-proxy) in front of services with VIRTUAL_HOST, with TLS where
 * acme-companion runs beside it or it publishes 443. Its generated config passes X-Forwarded-Proto, redirects plain
 * HTTP (HTTPS_METHOD=redirect) and adds `Strict-Transport-Security: max-age=31536000` (HSTS) unless a proxied
 * service sets those variables otherwise.
 */
function nginxProxy(c: ComposeFacts): { front: FrontTerminator; service: ComposeFacts['services'][number] } | undefined {
  const repo = (x: ComposeFacts['services'][number]) => x.image.split('@')[0].split(':')[0].toLowerCase().replace(/^docker\.io\//, '');
  const companion = c.services.some((x) => ACME_COMPANION.test(repo(x)));
  // Its image, or beside acme-companion a service named for it (built from a Dockerfile on top of the image).
  // Built from a Dockerfile on top of the image, its `image:` only names the result (`myapp_nginx_proxy`).
  const service = c.services.find((x) => NGINX_PROXY.test(repo(x))) ?? (companion ? c.services.find((x) => x.dockerGen === true || ((!x.image || x.built === true) && /nginx[-_]?proxy/i.test(x.name))) : undefined);
  const apps = c.services.filter((x) => x.virtualHost);
  if (!service || (apps.length === 0 && !companion)) return undefined;
  if (!service.publishes443 && !companion) return undefined;
  // VIRTUAL_HOST from an environment file: HTTPS_METHOD and HSTS may be there too.
  const method = (v: string | undefined) => (v ?? 'redirect').trim().toLowerCase();
  const shown = apps.length > 0;
  const redirects = !shown ? undefined : apps.every((x) => ['redirect', 'nohttp'].includes(method(x.proxyHttpsMethod))) ? true : apps.every((x) => method(x.proxyHttpsMethod) === 'noredirect') ? false : undefined;
  const hsts = !shown ? undefined : apps.every((x) => (x.proxyHsts ?? '').trim().toLowerCase() !== 'off') ? true : apps.every((x) => (x.proxyHsts ?? '').trim().toLowerCase() === 'off') ? false : undefined;
  const at = `service \`${service.name}\` in ${c.path}`;
  return { front: { kind: 'nginx-proxy', text: `nginx-proxy terminates TLS for the app (${at})`, redirects, hsts, peer: 'remote', at }, service };
}

/**
 * A compose file whose Traefik shows no TLS (no TLS router label, no TLS word in its command or TRAEFIK_* environment,
 * no Traefik file of the project) while another compose file of the folder adds TLS routers: the plain variant
 * (CVAT's docker-compose.yml beside docker-compose.https.yml).
 */
function plainTraefikBesideTls(composes: ComposeFacts[], c: ComposeFacts, traefikFiles: boolean): boolean {
  if (traefikFiles || c.services.some((x) => x.traefikTls || TLS_WORDS.some((w) => x.traefikStatic.includes(w)))) return false;
  const dir = posix.dirname(c.path);
  return composes.some((o) => o !== c && posix.dirname(o.path) === dir && o.services.some((x) => x.traefikTls));
}

const TLS_WORDS = ['tls', 'websecure', 'certresolver', ':443', 'certificates', 'acme'];

/** A Traefik service with no sign of TLS: none in any service's labels or its static configuration, no 443 published, no Traefik file. */
function plainTraefik(c: ComposeFacts, traefik: ComposeFacts['services'][number], traefikFiles: boolean): boolean {
  return !traefikFiles && !traefik.publishes443 && !c.services.some((x) => x.traefikTls || TLS_WORDS.some((w) => x.traefikStatic.includes(w)));
}

function dedupe(fronts: FrontTerminator[]): FrontTerminator[] {
  const seen = new Set<string>();
  return fronts.filter((f) => !seen.has(f.text) && seen.add(f.text) !== undefined);
}

/**
 * What production entry points of the project show about how the app is reached, strongest first: a port published
 * on loopback only (a proxy on the host), a platform manifest or Procfile (the platform's router), an app server
 * speaking plain HTTP (something in front terminates TLS).
 */
function reachHints(model: DeploymentModel, inProject: (p: string) => boolean, production: (p: string) => boolean): string[] {
  const loopback: string[] = [];
  const platform: string[] = [];
  const plain: string[] = [];
  for (const u of model.deploy?.units ?? []) {
    if (!inProject(u.file) || u.role.role !== 'production') continue;
    const ports = u.portsWritten ?? [];
    const loop = ports.filter((p) => LOOPBACK.test(p.value));
    if (loop.length > 0 && loop.length === ports.length) {
      loopback.push(`${u.name} is published on loopback only (\`${loop[0].value}\` at ${loop[0].loc.path}:${loop[0].loc.line}), for a proxy on the host`);
    }
    if (u.via === 'procfile' && u.invocations.some((i) => i.inv.web)) platform.push(`a platform runs it from ${u.loc.path}:${u.loc.line} (${u.name}) and terminates TLS in its router`);
    for (const { inv, loc } of u.invocations) {
      const bind = plainHttpBind(inv);
      const at = bind ? bindLoc(inv, loc, bind) : loc;
      if (bind) plain.push(`${inv.server} serves plain HTTP (\`${bind}\` at ${at.path}:${at.line}) for whatever is in front`);
    }
  }
  for (const p of model.deploy?.platforms ?? []) if (p.router && inProject(p.path) && production(p.path)) platform.push(p.text);
  return [...new Set([...loopback, ...platform, ...plain])].slice(0, 3);
}

/**
 * A production unit that publishes an app server speaking plain HTTP on a host port that is not loopback
 * (compose `ports: ["80:8080"]` with gunicorn bound to :8080): clients reach it without any proxy in front.
 */
export function publishedAppServer(model: DeploymentModel): string | undefined {
  for (const u of model.deploy?.units ?? []) {
    if (u.role.role !== 'production') continue;
    const open = (u.portsWritten ?? []).find((p) => !LOOPBACK.test(p.value));
    if (!open) continue;
    for (const { inv, loc } of u.invocations) {
      if (!inv.web) continue;
      const bind = plainHttpBind(inv);
      const at = bind ? bindLoc(inv, loc, bind) : loc;
      if (bind) return `${u.name} publishes \`${open.value}\` (${open.loc.path}:${open.loc.line}) for ${inv.server} on \`${bind}\` (${at.path}:${at.line}), so clients reach the app server directly`;
    }
  }
  return undefined;
}

/** A listen address reachable from other hosts: all interfaces or a non-loopback IP (not a UNIX socket or fd). */
export function reachableBind(addr: string): boolean {
  const a = addr.trim();
  if (a.startsWith('unix:') || a.startsWith('fd://') || a.startsWith('/')) return false;
  const host = a.startsWith('[') ? a.slice(1, a.indexOf(']')) : a.includes(':') ? a.slice(0, a.lastIndexOf(':')) : a;
  if (host === '' || host === '0.0.0.0' || host === '::') return true;
  if (host === 'localhost' || host.startsWith('127.') || host === '::1') return false;
  if (host.includes('$')) return false;
  return true;
}

/** The host port a compose service publishes for a container port, unless on loopback only (`127.0.0.1:8000:8000`). */
export function hostPublished(unit: DeployUnit, port: number): { text: string; host: number; loc?: Loc } | undefined {
  const published = unit.ports?.find((p) => p.target === port && p.published !== undefined);
  if (!published) return undefined;
  const written = unit.portsWritten?.find((w) => w.value.endsWith(`:${port}`) || w.value.endsWith(`:${port}/tcp`));
  if (written && /^(127\.|localhost:|\[::1\]:)/.test(written.value)) return undefined;
  return { text: written ? `\`${written.value}\`` : `port ${published.published}`, host: published.published!, ...(written ? { loc: written.loc } : {}) };
}

/** HTTP listen addresses of an app server: gunicorn or runserver binds, uWSGI `http`/`http-socket` (not its own protocol). */
export function httpBinds(inv: Invocation): string[] {
  if (inv.server === 'uwsgi') return inv.binds.filter((b) => /^(http|http-socket|http11-socket)=/.test(b)).map((b) => b.slice(b.indexOf('=') + 1));
  return inv.binds.filter((b) => !b.startsWith('unix:') && !b.includes('='));
}

/**
 * A production compose service of the module's project that publishes its app server's plain-HTTP port on the host
 * (`8000:8000` with gunicorn on 0.0.0.0:8000), directly or by running an image whose command starts it: clients
 * reach the app there without the proxy in front.
 */
export function publishedAppPort(model: DeploymentModel, s: SettingsModule): { text: string; loc: Loc; loopback: string } | undefined {
  const projectOf = model.projectOf ?? (() => '');
  return publishedAppPorts(model).find((p) => deploysProject(s.path, p.file, projectOf) && (p.named === undefined || p.named === s.path));
}

interface PublishedAppPort {
  file: string;
  /** The settings module its entry point names, when it names one. */
  named?: string;
  text: string;
  loc: Loc;
  loopback: string;
}

const publishedCache = new WeakMap<DeploymentModel, PublishedAppPort[]>();

/** Every production app server's plain-HTTP port a compose service publishes on the host, listed once per scan. */
function publishedAppPorts(model: DeploymentModel): PublishedAppPort[] {
  const hit = publishedCache.get(model);
  if (hit) return hit;
  const out: PublishedAppPort[] = [];
  const deploy = model.deploy;
  const namedBy = new Map((deploy?.apps ?? []).map((a) => [a.inv, a.settings]));
  for (const u of deploy?.units ?? []) {
    if (u.role.role !== 'production') continue;
    const services = u.via === 'compose' ? [u] : u.via === 'dockerfile' ? (runningServices(deploy!).get(u) ?? []) : [];
    if (services.length === 0) continue;
    for (const { inv, loc } of u.invocations) {
      if (!inv.web || inv.gunicorn?.tls) continue;
      for (const bind of httpBinds(inv)) {
        if (!reachableBind(bind)) continue;
        const port = Number(bind.slice(bind.lastIndexOf(':') + 1));
        if (!Number.isInteger(port) || port <= 0) continue;
        for (const c of services) {
          const open = hostPublished(c, port);
          if (!open) continue;
          const at = bindLoc(inv, loc, bind);
          const named = namedBy.get(inv);
          out.push({ file: u.file, ...(named !== undefined ? { named } : {}), text: `compose service ${c.service ?? c.name} publishes ${open.text} on the host for ${inv.server} on \`${bind}\` (${at.path}:${at.line})`, loc: open.loc ?? c.loc, loopback: `127.0.0.1:${open.host}:${port}` });
        }
      }
    }
  }
  publishedCache.set(model, out);
  return out;
}

/** The line of a uWSGI bind option (`http-socket = :8000`) or a gunicorn config's `bind`, else the invocation's. */
function bindLoc(inv: Invocation, at: Loc, bind: string): Loc {
  const own = inv.gunicorn?.binds.find((b) => b.addr === bind);
  if (own) return own.loc;
  const eq = bind.indexOf('=');
  return eq > 0 ? optionLoc(inv, at, bind.slice(0, eq), (v) => v === bind.slice(eq + 1)) : at;
}

/** The bind on which an app server speaks plain HTTP: uWSGI's http options, or gunicorn on a TCP address (without a certificate). */
function plainHttpBind(inv: Invocation): string | undefined {
  return inv.binds.find((b) => /^(http|http-socket|http11-socket)=/.test(b)) ?? (inv.server === 'gunicorn' && !inv.gunicorn?.tls ? inv.binds.find((b) => !b.startsWith('unix:')) : undefined);
}

/** " (evidence; evidence)" or a sentence saying the repository shows nothing, for messages. */
export function describeAppEdge(edge: AppEdge): string {
  if (edge.fronts.length > 0) return edge.fronts.map((f) => f.text).join('; ');
  if (edge.hints.length > 0) return `TLS ends in front of the app, somewhere the repository does not show: ${edge.hints.join('; ')}`;
  return 'the repository shows no TLS server or terminator of a production deployment in front of the app, so TLS ends somewhere it does not show (a platform, a load balancer, a proxy on the host)';
}
