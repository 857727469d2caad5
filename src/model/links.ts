// Links: nginx server or location → pass directive → upstream (`upstream` block, host:port, unix socket, compose
// service name, a variable nginx-vars can evaluate) → app server the entry points start (gunicorn `bind`, uwsgi
// `socket`/`http-socket`/`http`, runserver and ASGI servers) → its WSGI module → its settings module. Rules ask
// which judged settings modules sit behind a location instead of assuming every nginx fronts every Django app.
// Where a link cannot be followed the answer is the stated fallback (every judged settings module) with the reason.
import type { DeploymentModel } from './index';
import type { AppServerRef } from './deploy';
import { children, passDirective, type NginxServer } from './nginx';
import { valuesAt } from './request';
import type { SettingsModule } from './settings';
import type { NginxDirective } from '../parsers/nginx/types';
import { forEachNginxDirective } from '../parsers/nginx/walk';
import { pushTo } from '../util/multimap';

export interface AppsBehind {
  /** Judged settings modules whose app receives the requests (all of them under the fallback). */
  settings: SettingsModule[];
  /** The chain as followed, one step per entry, for messages ("`uwsgi_pass app` at nginx/site.conf:12", …). */
  via: string[];
  /** Set when a link could not be followed: why, in words. The settings are then every judged module. */
  fallback?: string;
  /** With the fallback: the settings module the app behind runs, when it is in the workspace but not judged. */
  unjudged?: string;
  /** In a focused scan: modules a full scan judges behind it that this model did not evaluate (model.focus). */
  elsewhere?: string[];
  /** The app servers the pass reaches, when the links found them (also where their settings were not followed). */
  servers?: AppServerRef[];
}

/** An address nginx hands requests to, or an app server listens on. */
type Addr = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

interface Index {
  byPort: Map<number, AppServerRef[]>;
  byUnix: Map<string, AppServerRef[]>;
  bySocketName: Map<string, AppServerRef[]>;
  /** Compose services by name, with the app servers they run, the ports they publish and the image they run. */
  services: Map<string, { apps: AppServerRef[]; ports: { published?: number; target: number }[]; image?: string }>;
  /** Images that compose services run Django or a Python app server with (`manage.py`, gunicorn, celery…). */
  pythonImages: Set<string>;
  /** Host port → container port of every compose service that publishes it. */
  published: Map<number, { service: string; target: number }[]>;
  apps: number;
  /** App servers whose address is not known ($PORT, no bind given to uwsgi): they may listen anywhere. */
  unplaced: number;
  settingsByPath: Map<string, SettingsModule>;
}

const MAX_UPSTREAM_SERVERS = 64;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0', '*', '']);

/** A bind as gunicorn, uwsgi (`socket=…`) or runserver write it; undefined for what cannot be placed ($PORT, fd://). */
export function parseBind(raw: string): Addr | undefined {
  let v = raw.trim();
  const eq = /^(http|http-socket|https|socket|uwsgi-socket|http11-socket|shared-socket)=/.exec(v);
  if (eq) v = v.slice(eq[0].length);
  // uwsgi `https = :443,cert,key`
  if (eq?.[1] === 'https') v = v.split(',')[0];
  if (v.startsWith('tcp://')) v = v.slice(6);
  // gunicorn takes `unix:///tmp/app.sock` as `unix:/tmp/app.sock`.
  if (v.startsWith('unix:') && !v.includes('$')) return { kind: 'unix', path: v.slice(5).replace(/^\/+/, '/') };
  if (v === '' || v.includes('$') || v.includes('://')) return undefined;
  if (v.startsWith('/') || v.startsWith('./') || v.endsWith('.sock')) return { kind: 'unix', path: v };
  const colon = v.lastIndexOf(':');
  if (colon < 0) return /^\d+$/.test(v) ? { kind: 'tcp', host: '', port: Number(v) } : undefined;
  const port = v.slice(colon + 1);
  if (!/^\d{1,5}$/.test(port)) return undefined;
  return { kind: 'tcp', host: v.slice(0, colon).toLowerCase(), port: Number(port) };
}

/** Where a pass directive sends requests: an upstream name, an address, or undefined when it cannot be read. */
export function parsePassTarget(pass: NginxDirective, value: string): { upstream?: string; addr?: Addr } | undefined {
  let v = value.trim();
  let defaultPort: number | undefined;
  const scheme = /^([a-z]+):\/\//i.exec(v);
  if (scheme && scheme[1].toLowerCase() !== 'unix') {
    const s = scheme[1].toLowerCase();
    defaultPort = s === 'http' ? 80 : s === 'https' ? 443 : undefined;
    v = v.slice(scheme[0].length);
  }
  if (v.startsWith('unix:')) {
    // proxy_pass http://unix:/run/app.sock:/uri — the socket path ends at the next colon.
    const rest = v.slice(5);
    const end = pass.name === 'proxy_pass' ? rest.indexOf(':') : -1;
    // `unix:///run/app.sock` names the same file as `unix:/run/app.sock`.
    return { addr: { kind: 'unix', path: (end < 0 ? rest : rest.slice(0, end)).replace(/^\/+/, '/') } };
  }
  // Host and port end at the URI (proxy_pass) or the end.
  const slash = v.indexOf('/');
  const hostPort = slash < 0 ? v : v.slice(0, slash);
  // A template placeholder alone (`{{ domain }}`, read as `$__domain___`) can only name an upstream block.
  if (/^\$__\w+$/.test(hostPort)) return { upstream: hostPort.toLowerCase() };
  if (hostPort === '' || hostPort.includes('$')) return undefined;
  const bracket = hostPort.startsWith('[') ? hostPort.indexOf(']') : -1;
  const colon = hostPort.lastIndexOf(':');
  if (colon > bracket && colon >= 0) {
    const port = hostPort.slice(colon + 1);
    if (!/^\d{1,5}$/.test(port)) return undefined;
    return { upstream: hostPort.slice(0, colon).toLowerCase(), addr: { kind: 'tcp', host: hostPort.slice(0, colon).toLowerCase(), port: Number(port) } };
  }
  // No port: an upstream block of that name, else (proxy_pass only) the scheme's port.
  const host = hostPort.toLowerCase();
  return { upstream: host, addr: defaultPort ? { kind: 'tcp', host, port: defaultPort } : undefined };
}

const indexes = new WeakMap<DeploymentModel, Index>();

/** The app servers of the deployment, indexed once by the addresses they bind (linear in entry points). */
function index(model: DeploymentModel): Index {
  let idx = indexes.get(model);
  if (idx) return idx;
  idx = { byPort: new Map(), byUnix: new Map(), bySocketName: new Map(), services: new Map(), pythonImages: new Set(), published: new Map(), apps: 0, unplaced: 0, settingsByPath: new Map() };
  for (const s of model.settings) idx.settingsByPath.set(s.path, s);
  const deploy = model.deploy;
  for (const u of deploy?.units ?? []) {
    if (u.service === undefined) continue;
    const svc = { apps: [] as AppServerRef[], ports: u.ports ?? [], image: u.image };
    idx.services.set(u.service.toLowerCase(), svc);
    // Compose's network also resolves a container_name or hostname to the same container.
    for (const a of u.aliases ?? []) if (!idx.services.has(a.toLowerCase())) idx.services.set(a.toLowerCase(), svc);
    if (u.image && u.runsPython) idx.pythonImages.add(u.image);
    for (const p of svc.ports) if (p.published !== undefined) pushTo(idx.published, p.published, { service: u.service.toLowerCase(), target: p.target });
  }
  for (const a of deploy?.apps ?? []) {
    idx.apps++;
    if (a.unit.service !== undefined) idx.services.get(a.unit.service.toLowerCase())?.apps.push(a);
    // gunicorn binds 127.0.0.1:8000 when told nothing.
    const binds = a.inv.binds.length > 0 ? a.inv.binds : a.inv.server === 'gunicorn' ? ['127.0.0.1:8000'] : [];
    if (binds.length === 0) idx.unplaced++;
    for (const b of binds) {
      const addr = parseBind(b);
      if (!addr) {
        idx.unplaced++;
        continue;
      }
      if (addr.kind === 'unix') {
        pushTo(idx.byUnix, addr.path, a);
        pushTo(idx.bySocketName, addr.path.slice(addr.path.lastIndexOf('/') + 1), a);
      } else pushTo(idx.byPort, addr.port, a);
    }
  }
  indexes.set(model, idx);
  return idx;
}

/** The `upstream name { server …; }` addresses visible to a server (its config's http level), per config. */
const upstreamCache = new WeakMap<object, Map<string, NginxDirective>>();

function upstreamsOf(server: NginxServer): Map<string, NginxDirective> {
  const key = server.config;
  let hit = upstreamCache.get(key);
  if (hit) return hit;
  hit = new Map();
  const found = hit;
  forEachNginxDirective(server.config.directives, (d) => {
    if (d.name === 'upstream' && d.block && d.args[0]) {
      found.set(d.args[0].value.toLowerCase(), d);
      return false;
    }
    return d.name !== 'server' && d.name !== 'stream' && d.name !== 'mail';
  });
  upstreamCache.set(key, hit);
  return hit;
}

const where = (d: { file: string; loc: { line: number } }) => `${d.file}:${d.loc.line}`;
const text = (d: NginxDirective) => `${d.name} ${d.args.map((a) => a.raw).join(' ')}`.trim();

function describeApp(a: AppServerRef): string {
  return `${a.inv.server} started by ${a.unit.name} (${a.loc.path}:${a.loc.line})`;
}

/** App servers that listen where `addr` points, and how they were found. */
function appsAt(idx: Index, addr: Addr): { apps: AppServerRef[]; how: string } | undefined {
  if (addr.kind === 'unix') {
    const exact = idx.byUnix.get(addr.path);
    if (exact) return { apps: exact, how: `socket ${addr.path}` };
    // Volumes often mount the socket folder at another path in each container: the file name still matches.
    const name = addr.path.slice(addr.path.lastIndexOf('/') + 1);
    const same = idx.bySocketName.get(name);
    return same ? { apps: same, how: `socket file name ${name}` } : undefined;
  }
  const svc = idx.services.get(addr.host);
  if (svc) {
    // A compose service name: that service's app servers on that port.
    const apps = svc.apps.filter((a) => portsOf(a).includes(addr.port));
    if (apps.length > 0) return { apps, how: `compose service ${addr.host} port ${addr.port}` };
    // A service that only names an image starts nothing the workspace shows: the app server a Dockerfile starts on
    // that port is the one its image runs.
    const fromImage = svc.apps.length === 0 ? (idx.byPort.get(addr.port) ?? []).filter((a) => a.unit.service === undefined) : [];
    return fromImage.length > 0 ? { apps: fromImage, how: `compose service ${addr.host} port ${addr.port}, where a Dockerfile's app server listens` } : undefined;
  }
  if (LOOPBACK.has(addr.host)) {
    // The host's own port: a compose service that publishes it, else an app server bound there.
    const pub = idx.published.get(addr.port) ?? [];
    const viaCompose = pub.flatMap((p) => (idx.services.get(p.service)?.apps ?? []).filter((a) => portsOf(a).includes(p.target)));
    if (viaCompose.length > 0) return { apps: viaCompose, how: `port ${addr.port} published by compose service ${pub[0].service}` };
  }
  const byPort = idx.byPort.get(addr.port);
  return byPort ? { apps: byPort, how: `port ${addr.port}` } : undefined;
}

/** A development or CI app server on the same address (`runserver 0.0.0.0:8000`) does not count beside a production one. */
function production(found: { apps: AppServerRef[]; how: string } | undefined): { apps: AppServerRef[]; how: string } | undefined {
  if (!found) return found;
  const prod = found.apps.filter((a) => a.unit.role.role === 'production');
  return prod.length > 0 && prod.length < found.apps.length ? { ...found, apps: prod } : found;
}

/**
 * A port of a compose service that starts no app server, where none can listen: every app server's address is known
 * and none is that port. A service the compose file does not define, a service that runs an app server on another
 * port (a wrong port is still that app's), or an app server on an unknown address leaves the fallback.
 */
function notAnApp(idx: Index, addr: Addr): addr is Extract<Addr, { kind: 'tcp' }> {
  if (addr.kind !== 'tcp' || idx.unplaced > 0 || idx.apps === 0 || idx.byPort.has(addr.port)) return false;
  if (idx.services.get(addr.host)?.apps.length === 0) return true;
  // The host's own port (feelriyadh's Node front end on 127.0.0.1:3000 beside gunicorn on a socket): no compose
  // service that runs an app server publishes it either.
  // Port 8000 is the default of gunicorn, runserver, uvicorn and daphne: the app run differently from the repository's
  // units (greatideas' nginx on 127.0.0.1:8000 beside gunicorn on a socket), not another program.
  if (addr.port === 8000) return false;
  return LOOPBACK.has(addr.host) && !idx.services.has(addr.host) && (idx.published.get(addr.port) ?? []).every((p) => idx.services.get(p.service)?.apps.length === 0);
}

/** Internal name suffixes: a cluster's, a LAN's or a container network's, never a public site. */
const INTERNAL_SUFFIX = /\.(local|internal|lan|localhost|localdomain|svc|home|intranet|corp)$/;

/**
 * `proxy_pass https://www.example.org`: a public host name over TLS that no compose service or app server of the
 * repository answers to (checkin_system's placeholder front end proxies to a search engine).
 */
function publicSite(idx: Index, addr: Extract<Addr, { kind: 'tcp' }>, value: string): boolean {
  if (!/^https:\/\//i.test(value.trim()) || idx.services.has(addr.host) || LOOPBACK.has(addr.host)) return false;
  const labels = addr.host.split('.');
  return labels.length >= 2 && /^[a-z]{2,12}$/.test(labels[labels.length - 1]) && !INTERNAL_SUFFIX.test(addr.host) && !labels.includes('svc');
}

/**
 * A compose service that runs an image of its own (it builds nothing from the workspace and starts no app server the
 * repository shows), while other services run Django from another image (`python manage.py migrate`, celery…): a
 * front end or a store beside the Django API (Plane's Node front ends and MinIO).
 */
function otherImage(idx: Index, addr: Addr): boolean {
  if (addr.kind !== 'tcp' || idx.pythonImages.size === 0) return false;
  const svc = idx.services.get(addr.host);
  return svc !== undefined && svc.apps.length === 0 && svc.image !== undefined && !idx.pythonImages.has(svc.image);
}

function otherImageWhy(idx: Index, addr: Extract<Addr, { kind: 'tcp' }>): string {
  const image = idx.services.get(addr.host)?.image;
  return `${addr.host}:${addr.port}: compose service ${addr.host} runs ${image}, not the image the Django services run (${[...idx.pythonImages].slice(0, 2).join(', ')})`;
}

function portsOf(a: AppServerRef): number[] {
  const binds = a.inv.binds.length > 0 ? a.inv.binds : a.inv.server === 'gunicorn' ? ['127.0.0.1:8000'] : [];
  return binds.flatMap((b) => {
    const addr = parseBind(b);
    return addr?.kind === 'tcp' ? [addr.port] : [];
  });
}

const cache = new WeakMap<DeploymentModel, Map<NginxDirective, AppsBehind>>();

/**
 * The judged settings modules whose app receives what `block` (a server, location or `if`) passes on, with the
 * chain followed. Without a pass directive in the block: none. Cached per block; the app-server index is built
 * once per model, so the cost grows with the number of sites.
 */
export function appsBehind(model: DeploymentModel, server: NginxServer, block: NginxDirective, pass = passDirective(block)): AppsBehind {
  let byBlock = cache.get(model);
  if (!byBlock) cache.set(model, (byBlock = new Map()));
  const key = pass ?? block;
  let hit = byBlock.get(key);
  if (!hit) byBlock.set(key, (hit = pass ? follow(model, server, block, pass) : { settings: [], via: [] }));
  return hit;
}

const sets = new WeakMap<AppsBehind, Set<SettingsModule>>();

/** Whether the app behind runs with settings module `s` (a set per answer: rules ask for every module). */
export function runs(apps: AppsBehind, s: SettingsModule): boolean {
  let set = sets.get(apps);
  if (!set) sets.set(apps, (set = new Set(apps.settings)));
  return set.has(s);
}

function fallback(model: DeploymentModel, via: string[], why: string): AppsBehind {
  return { settings: model.settings, via, fallback: why };
}

function follow(model: DeploymentModel, server: NginxServer, block: NginxDirective, pass: NginxDirective): AppsBehind {
  const idx = index(model);
  const via = [`\`${text(pass)}\` at ${where(pass)}`];
  if (model.settings.length === 0) return { settings: [], via };
  const raw = pass.args[0]?.value ?? '';
  if (idx.apps === 0) {
    const direct = raw.includes('$') ? undefined : parsePassTarget(pass, raw)?.addr;
    if (direct?.kind === 'tcp' && otherImage(idx, direct)) return { settings: [], via: [...via, otherImageWhy(idx, direct)] };
    return fallback(model, via, 'no entry point in the workspace starts an app server to link it to');
  }
  // A target in a variable: the values `set` or `map` give it (either scheme: the upstream rarely depends on it).
  let values = raw.includes('$') ? valuesAt(block, 'https', server, raw) : [raw];
  // A template placeholder (`{{ domain }}`, read as `$__domain___`) naming an upstream written with the same
  // placeholder: both render to the same name, so that upstream is the target.
  if ((!values || values.length === 0) && raw.includes('$')) {
    const named = parsePassTarget(pass, raw)?.upstream;
    if (named?.startsWith('$__') && upstreamsOf(server).has(named)) values = [raw];
  }
  if (!values || values.length === 0 || values.length > 8) return fallback(model, via, `its target \`${raw}\` is a variable whose value is not known here`);
  const apps = new Set<AppServerRef>();
  for (const value of values) {
    const target = parsePassTarget(pass, value);
    if (!target) return fallback(model, via, `its target \`${value}\` cannot be read`);
    const addrs: Addr[] = [];
    const up = target.upstream ? upstreamsOf(server).get(target.upstream) : undefined;
    if (up) {
      via.push(`\`upstream ${up.args[0].raw}\` at ${where(up)}`);
      const members = children(up, 'server');
      // Work per pass stays bounded however large a (hostile) upstream block is.
      if (members.length > MAX_UPSTREAM_SERVERS) return fallback(model, via, `the upstream lists more than ${MAX_UPSTREAM_SERVERS} servers`);
      for (const s of members) {
        const t = parsePassTarget(pass, (pass.name === 'proxy_pass' && !s.args[0]?.value.startsWith('unix:') ? 'http://' : '') + (s.args[0]?.value ?? ''));
        // An upstream server without a port listens on 80.
        const a = t?.addr ?? (t?.upstream ? { kind: 'tcp' as const, host: t.upstream, port: 80 } : undefined);
        if (!a) return fallback(model, via, `\`${text(s)}\` at ${where(s)} cannot be read`);
        addrs.push(a);
      }
    } else if (target.addr) addrs.push(target.addr);
    else return fallback(model, via, `no \`upstream ${target.upstream}\` block is in the same config`);
    for (const a of addrs) {
      const found = production(appsAt(idx, a));
      const shown = a.kind === 'unix' ? `unix:${a.path}` : `${a.host}:${a.port}`;
      if (!found && notAnApp(idx, a)) {
        // Another program of the compose file (a front end, object storage, a websocket server): no Django here.
        via.push(idx.services.has(a.host) ? `${shown}: compose service ${a.host} runs no app server on that port, and every app server the entry points start listens elsewhere` : `${shown}: every app server the entry points start listens elsewhere`);
        continue;
      }
      if (!found && a.kind === 'tcp' && publicSite(idx, a, value)) {
        via.push(`${shown}: a site on the internet (an https:// host name), not an app server of the repository`);
        continue;
      }
      if (!found && a.kind === 'tcp' && otherImage(idx, a)) {
        via.push(otherImageWhy(idx, a));
        continue;
      }
      if (!found) return fallback(model, via, `no app server the entry points start listens on ${shown}`);
      via.push(`${shown} (${found.how}): ${[...new Set(found.apps.map(describeApp))].slice(0, 2).join(', ')}`);
      for (const app of found.apps) apps.add(app);
    }
  }
  const settings = new Set<SettingsModule>();
  const elsewhere: string[] = [];
  const servers = [...apps];
  for (const app of apps) {
    if (!app.settings) {
      const at = app.settingsMissingDefault;
      const why = !app.settingsMissing
        ? 'names no settings module (environment, command line or WSGI module default)'
        : at
          ? `runs the default of its WSGI module, ${app.settingsMissing} (${at.path}:${at.line}), which is not in the workspace`
          : `names ${app.settingsMissing}, which is not in the workspace`;
      return { ...fallback(model, via, `${describeApp(app)} ${why}`), servers };
    }
    const s = idx.settingsByPath.get(app.settings);
    if (!s && model.focus?.judgedElsewhere.has(app.settings)) {
      elsewhere.push(app.settings);
      via.push(`${app.settings} (${app.settingsEvidence ?? 'named by its entry point'})`);
      continue;
    }
    if (!s) return { ...fallback(model, via, `${describeApp(app)} runs ${app.settings}, which is not a judged settings module`), unjudged: app.settings, servers };
    settings.add(s);
    via.push(`${app.settings} (${app.settingsEvidence ?? 'named by its entry point'})`);
  }
  return { settings: [...settings], via: [...new Set(via)], ...(elsewhere.length > 0 ? { elsewhere } : {}), servers };
}

/**
 * " (which app is behind it is not known …: reason)" when the links fell back, for messages; "" otherwise, and ""
 * in a workspace whose entry points start no app server (every message would carry it).
 */
export function fallbackNote(model: DeploymentModel, apps: AppsBehind): string {
  if (!apps.fallback || (model.deploy?.apps.length ?? 0) === 0) return '';
  return ` (which app is behind it is not known, so every judged settings module counts: ${apps.fallback})`;
}
