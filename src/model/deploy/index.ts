// Entry points: what the repository's own deployment files say is started, with which environment, from which
// files copied or mounted where. Read statically (Dockerfile, compose, Procfile, systemd, supervisor, uwsgi,
// gunicorn, shell scripts they run, wsgi.py/asgi.py/manage.py); nothing is executed.

import { pushTo } from '../../util/multimap';
import * as posix from 'node:path/posix';
import { DockerfileParser } from 'dockerfile-ast';
import { compileGlob } from '../../util/glob';
import { parseRepoYaml } from '../../util/yaml';
import { parsePythonOnce } from '../../parsers/python/scan-cache';
import { SourceText } from '../../parsers/source';
import type { Loc } from '../../types';
import { findEnvironWrites } from '../python/environ-writes';
import { applyUwsgiOption, interpret, optionLoc, type Invocation } from './commands';
import { compileRoleGlobs, roleFromPath, testFolder, type Role, type RoleGlobs, type RoleInfo } from './roles';
import { assignment, splitShell } from './shell';
import { readGunicornConfig, type GunicornFacts } from './gunicorn';
import { canonicalName as canonicalUwsgi, readUwsgiOptions, type UwsgiIncludeProblem, type UwsgiOption, type UwsgiReader } from './uwsgi';

export type EntryVia = 'dockerfile' | 'compose' | 'procfile' | 'systemd' | 'supervisor' | 'uwsgi' | 'gunicorn' | 'script';

/** One thing the repository starts: a Dockerfile stage, a compose service, a Procfile line, a unit, a program. */
export interface DeployUnit {
  via: EntryVia;
  file: string;
  loc: Loc;
  name: string;
  role: RoleInfo;
  env: Map<string, { value: string; loc: Loc }>;
  invocations: { inv: Invocation; loc: Loc }[];
  /** Deployed working directory (Dockerfile WORKDIR, compose working_dir, systemd WorkingDirectory, chdir). */
  workdir?: string;
  /** A compose service's name, and the ports it publishes (host port → container port). */
  service?: string;
  /** Other names other containers reach it by: `container_name`, `hostname`. */
  aliases?: string[];
  ports?: { published?: number; target: number }[];
  /** Compose `ports` as written (`127.0.0.1:8000:8000`), for where the app is reached. */
  portsWritten?: { value: string; loc: Loc }[];
  /** Variables the deployment passes from outside the repository (compose `- VAR`, `VAR: ${VAR}`), by name. */
  envOutside?: Map<string, Loc>;
  /** A compose `env_file` that is not in the repository: any variable the unit does not set may come from it. */
  envFileOutside?: Loc;
  /** A compose service written without `image` or `build`: an override of the same service in another compose file. */
  composeOverride?: boolean;
  /** A compose service with `profiles:`: started only when one of them is asked for. */
  optIn?: boolean;
  /** devSignal comes from a script read whole, which may choose between modes (`--setup-devenv` runs runserver). */
  devSignalInScript?: boolean;
  /** devSignal is a source tree mounted into the container, and nothing else marked the service. */
  devSignalIsMount?: boolean;
  /** What marks it a development setup (a reloader, runserver, DEBUG on, the source tree mounted), with its place. */
  devSignal?: string;
  /** A compose service's `image` when it builds nothing from the workspace. */
  image?: string;
  /** A Dockerfile stage's `FROM` image, with build arguments expanded (an earlier stage's name stands for its image). */
  baseImage?: string;
  /** Its command runs Django or a Python app server or worker (manage.py, gunicorn, uwsgi, celery…). */
  runsPython?: boolean;
  /** Shell variables a script assigns more than one value (in branches): every value, for the files it may render. */
  shellAlternatives?: Map<string, string[]>;
  /** A supervisor program's image: the Dockerfile whose entry point starts supervisord (its environment is inherited). */
  supervisedIn?: DeployUnit;
  /** A compose service's Dockerfile: the image it builds, or the repository's own image it names. */
  builds?: DeployUnit;
  /** A compose service that runs its image's own entry point and command (no `command`/`entrypoint` of its own). */
  runsImageCommand?: boolean;
}

/** An app server an entry point starts (gunicorn, uwsgi, runserver, an ASGI server), with what it serves. */
export interface AppServerRef {
  unit: DeployUnit;
  inv: Invocation;
  loc: Loc;
  /** The WSGI/ASGI module (or uwsgi wsgi-file) it loads, as a workspace path. */
  wsgi?: string;
  /** The settings module it runs with, as a workspace path, and what says so. */
  settings?: string;
  settingsEvidence?: string;
  /** The dotted module named, when it is not in the workspace. */
  settingsMissing?: string;
  /** Where the missing module is named, when it is the WSGI module's default rather than the entry point's own. */
  settingsMissingDefault?: Loc;
}

/**
 * A platform manifest (Heroku `app.json`, DigitalOcean `.do/*.yaml`, `render.yaml`, `fly.toml`): the platform
 * terminates TLS in its router. `app.json` `env` entries are read: a `value` is set, `required` (the default) or a
 * `generator` is set from outside the repository.
 */
export interface PlatformFile {
  path: string;
  text: string;
  env: Map<string, { value: string; loc: Loc }>;
  envOutside: Map<string, Loc>;
  /** Where the manifest makes the platform redirect plain HTTP to HTTPS (fly.io's `force_https = true`). */
  redirects?: Loc;
  /**
   * The router that terminates TLS and proxies to the app from another address with X-Forwarded-Proto. `buildpack`:
   * the app may run from a buildpack, whose environment the repository does not show (Heroku's Python buildpack
   * exports FORWARDED_ALLOW_IPS='*'). None for a Kubernetes workload, which only gives the app its environment.
   */
  router?: { name: string; buildpack: boolean };
  /** `envFrom` a ConfigMap or Secret: any variable the manifest does not set may come from it. */
  fileOutside?: Loc;
}

/** A workspace file or folder and where a Dockerfile COPY or a compose volume puts it. */
export interface PathMapping {
  deployed: string;
  workspace: string;
  dir: boolean;
  loc: Loc;
  role: Role;
  /** The image the file lands in: the Dockerfile stage's `FROM`, or a compose service's image (its build's last `FROM`). */
  image?: string;
}

/** The mapping deploys this workspace file (itself, or a folder above it). */
export function mapsFile(m: PathMapping, file: string): boolean {
  return m.workspace === file || (m.dir && (m.workspace === '' || file.startsWith(`${m.workspace}/`)));
}

/** A settings module an entry point names. `rank`: 3 deployment env, 2 wsgi.py/asgi.py, 1 manage.py. */
export interface SettingsRef {
  module: string;
  loc: Loc;
  rank: 1 | 2 | 3;
  role: Role;
  /** Serves HTTP (an app server), 'no' for a worker (celery), 'unknown' when the command is not known. */
  web: 'yes' | 'no' | 'unknown';
  /** The workspace file it resolves to, when it does. */
  path?: string;
  /** Workspace folders to look for the module in, first first. */
  hints: string[];
  /** The entry point whose environment or command names it (rank 3). */
  unit?: DeployUnit;
  /** Named by a build step (a Dockerfile RUN of a management command), not by what runs the app. */
  build?: boolean;
}

export interface DeployModel {
  units: DeployUnit[];
  mappings: PathMapping[];
  /** Workspace files a script renders or copies to a deployed path (`envsubst < a.conf > /etc/nginx/conf.d/default.conf`). */
  renders: { source: string; dest: string; loc: Loc }[];
  /** `certbot --nginx` run by a script, playbook or image: it edits the nginx config it finds (TLS, maybe a redirect). */
  certbotNginx: { loc: Loc; redirect: boolean }[];
  settingsRefs: SettingsRef[];
  /** App servers the entry points start (see links.ts: nginx upstreams are matched to their binds). */
  apps: AppServerRef[];
  platforms: PlatformFile[];
  /** DJANGO_CONFIGURATION values (django-configurations' class name) the entry points set. */
  configurationRefs: { name: string; loc: Loc; rank: 1 | 2 | 3; role: Role }[];
  /** Files an entry point names or copies explicitly, with the role of what deploys them. */
  deployed: Map<string, RoleInfo[]>;
  problems: { loc: Loc; message: string }[];
  /** uwsgi includes that were not read (missing, or outside the workspace): the config was checked without them. */
  uwsgiIncludeProblems: UwsgiIncludeProblem[];
  sources: Map<string, SourceText>;
  /** A deployed absolute path (or pattern) → the workspace path a COPY or volume puts there. */
  mapDeployedPath(abs: string): string | undefined;
  roleOf(path: string): RoleInfo;
  /** Sets a role from outside (a settings chain inherits its module's role). */
  inherit(path: string, info: RoleInfo): void;
}

export interface DeployInput {
  files: string[];
  readText(rel: string): string | undefined;
  roles: RoleGlobs;
  /** Workspace wsgi.py/asgi.py files with their text. */
  wsgi: { path: string; text: string }[];
}

// Docker's builder also takes a lower-case `dockerfile` when the context has no `Dockerfile`.
/** Folders that exist in every base image: a file copied to one of them, without a trailing slash, lands inside. */
const IMAGE_DIRS = new Set(['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/sbin', '/etc', '/tmp', '/opt', '/srv', '/root', '/etc/nginx', '/etc/nginx/conf.d', '/docker-entrypoint.d', '/docker-entrypoint-initdb.d']);
const IS_DOCKERFILE = /(^|\/)(Dockerfile|Containerfile)([.-][^/]*)?$|\.[Dd]ockerfile$|(^|\/)dockerfile$/;
const IS_COMPOSE = /(^|\/)(docker-)?compose([.-][^/]*)?\.ya?ml$/i;
/** Other YAML files may be compose files too (cookiecutter-django's `production.yml`, `https.override.yml`), except CI's. */
export const MAYBE_COMPOSE = (f: string): boolean => /\.ya?ml$/i.test(f) && !/(^|\/)(\.github|\.circleci|\.gitlab)\/|(^|\/)\.gitlab-ci\.ya?ml$|(^|\/)\.?(travis|appveyor|bitbucket-pipelines|azure-pipelines|codecov|mkdocs|pre-commit-config|readthedocs)\.ya?ml$/i.test(f);

/**
 * A top-level `services:` mapping whose entries set compose keys (`image:`, `build:`, or an override's `volumes:`,
 * `ports:`…; GitLab CI's top-level `services:` is a list). Read from the text: cheap, and only such files are parsed.
 */
export function looksLikeCompose(text: string | undefined): boolean {
  if (text === undefined) return false;
  const at = text.search(/^services:[ \t]*(#.*)?$/m);
  if (at < 0) return false;
  const after = text.slice(at).split('\n', 40).slice(1).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return after !== undefined && /^[ \t]+[^\s-][^:]*:/.test(after) && /^[ \t]+(image|build|volumes|ports|environment|env_file|command|entrypoint|depends_on):/m.test(text);
}
const IS_PROCFILE = /(^|\/)Procfile([.-][^/]*)?$/;
const IS_SYSTEMD = /\.service$/;
type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
/**
 * The exec form of an instruction (`CMD ["sh", "-c", "a && b"]`) as Docker reads it: a JSON array of strings once
 * line continuations are joined; anything else is the shell form (undefined). dockerfile-ast's own JSON strings
 * drop the blanks inside each string.
 */
function execForm(ins: { getArgumentsRange(): Range | null }, lines: string[]): string[] | undefined {
  const r = ins.getArgumentsRange();
  if (!r || r.end.line - r.start.line > 1000) return undefined;
  const parts: string[] = [];
  for (let l = r.start.line; l <= r.end.line; l++) {
    const line = lines[l] ?? '';
    parts.push(line.slice(l === r.start.line ? r.start.character : 0, l === r.end.line ? r.end.character : line.length));
  }
  const raw = parts.join('\n').replace(/\\[ \t]*\r?\n/g, '').trim();
  if (!raw.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}
/** A YAML line that names a role: `- ssl`, `- role: ssl`, `- { role: ssl, tags: x }`, `name: "ssl"` (include_role). */
function namesRole(line: string, name: string): boolean {
  // `roles: [common, ssl]`
  const flow = /^roles\s*:\s*\[([^\]]*)\]/.exec(line.trim());
  if (flow) return flow[1].split(',').some((x) => x.trim().replace(/^(['"])(.*)\1$/, '$2') === name);
  let v = line.trim().replace(/^-\s*/, '').replace(/^\{\s*/, '').replace(/^(role|name)\s*:\s*/, '');
  const hash = v.indexOf(' #');
  if (hash >= 0) v = v.slice(0, hash);
  v = v.split(/[,}]/)[0].trim();
  if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
  return v === name;
}
/** A systemd `ListenStream=` value as an app server's bind (systemd.socket(5)): a path, a port, or an address and port. */
export function systemdListenAddress(v: string): string | undefined {
  if (v.startsWith('/')) return `unix:${v}`;
  if (/^\d{1,5}$/.test(v)) return `0.0.0.0:${v}`;
  if (/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/.test(v)) return v;
  return undefined;
}
const IS_SUPERVISOR = (f: string) => namedWith(f, /supervisor/i, /\.(conf|ini)$/i) || /(^|\/)supervisord?\/[^/]*\.(conf|ini)$/i.test(f);
/** A supervisord program file of another name (cyborgbackup's `tools/config/cyborgbackup.conf`): a `[program:x]` section with a command. */
function supervisorByText(text: string | undefined): boolean {
  if (text === undefined || !text.includes('[program:')) return false;
  let program = false;
  let command = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[program:') && line.endsWith(']') && line.length > 10) program = true;
    else if (line.startsWith('command') && line.slice(7).trimStart().startsWith('=')) command = true;
    if (program && command) return true;
  }
  return false;
}
const IS_UWSGI_OTHER = (f: string) => namedWith(f, /uwsgi/i, /\.(ya?ml|json|xml)$/i);
const IS_GUNICORN = (f: string) => namedWith(f, /gunicorn/i, /\.(py|conf|ini)$/i);

/**
 * The file name has `name` before its extension `ext`: what `(^|\/)[^/]*name[^/]*\.(ext)$` says, in linear time
 * (that regex is quadratic on a long name repeating `name`).
 */
export function namedWith(f: string, name: RegExp, ext: RegExp): boolean {
  const base = f.slice(f.lastIndexOf('/') + 1);
  const m = ext.exec(base);
  return m !== null && name.test(base.slice(0, m.index));
}

/**
 * What `\s*(.+)$` (or `(.*)$` when `empty` is allowed) captures of `rest`, in linear time: the regex is quadratic
 * on a line of blanks that ends in a line separator.
 */
export function valueAfterBlanks(rest: string, empty: boolean): string | undefined {
  let v = rest.trimStart();
  if (v === '' && !empty) v = rest.slice(-1);
  if ((v === '' && !empty) || /[\n\r\u2028\u2029]/.test(v)) return undefined;
  return v;
}
const IS_MANAGE = /(^|\/)manage\.py$/;

/**
 * A DJANGO_SETTINGS_MODULE a unit's script sets only after every line that starts one of its app servers is not
 * theirs: planeks' entrypoint runs gunicorn in its `prod)` branch and exports the test module in its later `test)`
 * branch, before pytest.
 */
function exportedAfterServers(u: DeployUnit): boolean {
  const exported = u.env.get('DJANGO_SETTINGS_MODULE');
  const webAt = u.invocations.filter((i) => i.inv.web).map((i) => i.loc);
  return exported !== undefined && SCRIPT_EXPORTS.has(exported) && webAt.length > 0 && webAt.every((l) => l.path === exported.loc.path && l.line < exported.loc.line);
}

/** Variables an `export` line of a script read whole sets (their line is the export's own). */
const SCRIPT_EXPORTS = new WeakSet<object>();
/** Lines a systemd setting may continue over with trailing backslashes. */
const MAX_CONTINUED_LINES = 1000;
/**
 * A compose service named for tests or development (`api-test`, `web_dev`): beside a production app server of its
 * file, its DEBUG or reloader is its own, not the file's (pycont's `pycont-api-test` beside the `pycont-api` it tests).
 */
const ownSetup = (u: DeployUnit) => u.service !== undefined && /(^|[-_.])(test|tests|testing|dev|devel|develop|development|debug|local|ci|e2e)([-_.]|$)/i.test(u.service);

/** gunicorn, uWSGI or an ASGI server started without a reloader. */
const productionServer = (inv: Invocation) => (inv.server === 'gunicorn' || inv.server === 'uwsgi' || inv.server === 'asgi-server') && !inv.text.includes('--reload');
/** Programs and options that reload code on change: a development server. */
const RELOADERS = new Set(['runserver', 'runserver_plus', '--reload', 'nodemon', 'watchmedo', '--py-autoreload', 'watchfiles']);
const TRUTHY_ENV = new Set(['1', 'true', 'yes', 'on']);

/** Bounds against hostile trees: scripts followed per command, and units per file. */
const MAX_SCRIPT_DEPTH = 3;
const MAX_UNITS_PER_FILE = 500;

export function buildDeployModel(input: DeployInput): DeployModel {
  const fileSet = new Set(input.files);
  const dirSet = new Set<string>(['']);
  for (const f of input.files) for (let d = posix.dirname(f); d !== '.' && !dirSet.has(d); d = posix.dirname(d)) dirSet.add(d);
  const configRole = compileRoleGlobs(input.roles);
  const units: DeployUnit[] = [];
  const mappings: PathMapping[] = [];
  const renders: DeployModel['renders'] = [];
  const settingsRefs: SettingsRef[] = [];
  const apps: AppServerRef[] = [];
  const configurationRefs: DeployModel['configurationRefs'] = [];
  const deployed = new Map<string, RoleInfo[]>();
  const inherited = new Map<string, RoleInfo>();
  const problems: { loc: Loc; message: string }[] = [];
  const sources = new Map<string, SourceText>();
  const texts = new Map<string, string | undefined>();
  const read = (rel: string): string | undefined => {
    if (!fileSet.has(rel)) return undefined;
    if (!texts.has(rel)) {
      const t = input.readText(rel);
      texts.set(rel, t);
      if (t !== undefined) sources.set(rel, new SourceText(rel, t));
    }
    return texts.get(rel);
  };
  const fileRole = (p: string): RoleInfo =>
    configRole(p) ?? roleFromPath(p) ?? helmChartFile(p) ?? renderedBeside(p) ?? { role: 'production', source: 'default', why: 'nothing in its path marks it otherwise' };
  /**
   * A template whose rendered file sits beside it under the name without the template suffix
   * (`site.nginx.conf.template` and `site.nginx.conf`): the rendered file is the one deployed and judged.
   */
  const renderedBeside = (p: string): RoleInfo | undefined => {
    const m = RENDERED_SUFFIX.exec(p);
    const rendered = m ? p.slice(0, m.index) : undefined;
    return rendered && !rendered.endsWith('/') && fileSet.has(rendered) ? { role: 'template', source: 'path', why: `\`${posix.basename(rendered)}\` beside it is what it renders to` } : undefined;
  };
  /**
   * A file in a Helm chart's `files/` folder is what the chart's templates read and render, not the deployed file as
   * it stands (aqueduct's ConfigMap builds settings.py from `files/settings.py` and appends TLS settings). The
   * `templates/` manifests are the deployment itself (an Ingress with `tls:` stays a terminator).
   */
  const helmChartFile = (p: string): RoleInfo | undefined => {
    const parts = p.split('/');
    for (let k = parts.length - 2; k >= 1; k--) {
      if (parts[k] !== 'files') continue;
      const chart = parts.slice(0, k).join('/');
      if (fileSet.has(`${chart}/Chart.yaml`)) return { role: 'template', source: 'path', why: `it sits in the Helm chart \`${chart}/\`, whose templates render it` };
    }
    return undefined;
  };
  const src = (p: string) => sources.get(p) ?? new SourceText(p, '');
  const lineLoc = (p: string, line: number) => src(p).lineLoc(line);
  const exists = (rel: string) => fileSet.has(rel) || dirSet.has(rel);
  const note = (path: string, info: RoleInfo) => {
    const list = deployed.get(path) ?? [];
    if (list.length < 16) list.push(info);
    deployed.set(path, list);
  };
  /** A file a unit copies or mounts: deployed, unless a test folder holds it (see testFolder). */
  const placed = (path: string, info: RoleInfo) => {
    if (info.role !== 'production' || testFolder(path) === undefined) note(path, info);
  };
  // Roles given by a unit, kept so that a compose file found to be a development setup can re-mark them.
  const givenBy = new Map<DeployUnit, RoleInfo[]>();
  const by = (u: DeployUnit, loc: Loc, what: string): RoleInfo => {
    const info: RoleInfo = {
      role: u.role.role,
      source: 'entry-point',
      why: `${loc.path}:${loc.line} ${what} it${u.role.source === 'default' ? '' : ` (${/^[aeiou]/.test(u.role.role) ? 'an' : 'a'} ${u.role.role} file)`}`,
    };
    const list = givenBy.get(u);
    if (list) list.push(info);
    else givenBy.set(u, [info]);
    return info;
  };
  /** A path relative to a base folder, where the folder's first ancestor that has it wins (build contexts vary). */
  const locate = (baseDir: string, rel: string): string | undefined => {
    if (rel.startsWith('/') || rel.includes('$') || rel.includes('\0')) return undefined;
    for (let d = baseDir; ; d = d === '' ? '' : posix.dirname(d) === '.' ? '' : posix.dirname(d)) {
      const p = posix.normalize(d === '' ? rel : `${d}/${rel}`).replace(/\/$/, '');
      const clean = p === '.' ? '' : p;
      if (!clean.startsWith('..') && exists(clean)) return clean;
      if (d === '') return undefined;
    }
  };
  const under = new Map<string, string[]>();
  const filesUnder = (dir: string): string[] => {
    let list = under.get(dir);
    if (!list) under.set(dir, (list = input.files.filter((f) => f.startsWith(`${dir}/`))));
    return list;
  };
  /**
   * A folder mounted or copied into an nginx directory deploys its files. nginx's packaged nginx.conf (Debian's and
   * the official image's) loads only `conf.d/*.conf`: another file beside them is deployed only if one includes it,
   * so one named as a sample or template keeps that role.
   */
  const placeNginxFolder = (rel: string, to: string, info: RoleInfo) => {
    if (!NGINX_PREFIX.test(to)) return;
    const confD = /^\/etc\/nginx\/conf\.d\/?$/.test(to);
    for (const file of filesUnder(rel)) {
      const loaded = file.endsWith('.conf') && posix.dirname(file) === rel;
      if (!confD || loaded || roleFromPath(file) === undefined) placed(file, info);
    }
  };
  /** Workspace files a COPY source with a pattern in its last segment matches (Docker matches per segment). */
  const copyGlob = (base: string, src: string): string[] => {
    const cut = src.lastIndexOf('/');
    const head = cut < 0 ? '' : src.slice(0, cut);
    if (/[*?[]/.test(head)) return [];
    const folder = head === '' ? base : locate(base, head);
    if (folder === undefined) return [];
    const glob = compileGlob(src.slice(cut + 1), 'segment');
    const prefix = folder === '' ? '' : `${folder}/`;
    return (folder === '' ? input.files : filesUnder(folder))
      .filter((f) => !f.slice(prefix.length).includes('/') && glob.test(f.slice(prefix.length)))
      .slice(0, MAX_UNITS_PER_FILE * 8);
  };
  /** A folder holding the project's source: a manage.py, wsgi.py, asgi.py or settings module in it or below it. */
  const SOURCE_FILES = new Set(['manage.py', 'wsgi.py', 'asgi.py', 'settings.py']);
  const holdsSource = (rel: string): boolean =>
    (rel === '' ? input.files : filesUnder(rel)).some((p) => SOURCE_FILES.has(p.slice(p.lastIndexOf('/') + 1)) || p.includes('/settings/') || p.startsWith('settings/'));
  const pwdPath = (dir: string, raw: string): string => raw.replace(/^\$\{?PWD\}?\/?/, '').replace(/^\.\//, '') || '.';

  const uwsgiIncludeProblems: UwsgiIncludeProblem[] = [];
  const uwsgiReader: UwsgiReader = {
    read,
    source: src,
    problems,
    includeProblems: uwsgiIncludeProblems,
    loops: new Set(),
    cache: new Map(),
    resolve(from, raw) {
      if (raw.includes('\0')) return { outside: `uwsgi include "${raw.slice(0, 200)}" is not a usable path, not read` };
      if (raw.startsWith('/')) {
        const m = mapDeployedPath(raw);
        return m !== undefined && fileSet.has(m) ? { rel: m } : { outside: `uwsgi include "${raw.slice(0, 200)}" is outside the workspace, not read` };
      }
      const dir = posix.dirname(from) === '.' ? '' : posix.dirname(from);
      const joined = posix.normalize(dir === '' ? raw : `${dir}/${raw}`);
      if (joined.startsWith('..')) return { outside: `uwsgi include "${raw.slice(0, 200)}" leads outside the workspace, not read` };
      const rel = locate(dir, raw.replace(/^\.\//, ''));
      return rel !== undefined && fileSet.has(rel) ? { rel } : undefined;
    },
  };
  /** Command-line values (which override the config file) and the FORWARDED_ALLOW_IPS default of the environment. */
  const gunicornFacts = (u: DeployUnit, inv: Invocation, at: Loc) => {
    const g: GunicornFacts = inv.gunicorn ?? { binds: [] };
    inv.gunicorn = g;
    if (inv.cmdForwardedAllowIps !== undefined) {
      g.forwardedAllowIps = { ips: ipList(inv.cmdForwardedAllowIps), loc: at, code: `--forwarded-allow-ips ${inv.cmdForwardedAllowIps}`, from: 'command line', conditional: false };
    }
    if (inv.cmdBinds && inv.cmdBinds.length > 0) g.binds = inv.cmdBinds.map((addr) => ({ addr, loc: at }));
    if (inv.cmdTls) g.tls = { loc: at, code: inv.cmdTls, conditional: false };
    // GUNICORN_CMD_ARGS: read after the config file, before the command line (gunicorn's documented order).
    const extra = inv.env.has('GUNICORN_CMD_ARGS') ? { value: inv.env.get('GUNICORN_CMD_ARGS')!, loc: at } : u.env.get('GUNICORN_CMD_ARGS');
    const sub = extra ? interpret(['gunicorn', ...(splitShell(extra.value)[0]?.words ?? [])]) : undefined;
    const fromArgs = extra && allowIpsFromCmdArgs(extra);
    if (fromArgs && inv.cmdForwardedAllowIps === undefined) g.forwardedAllowIps = fromArgs;
    if (extra && sub?.cmdBinds && !inv.cmdBinds) g.binds = sub.cmdBinds.map((addr) => ({ addr, loc: extra.loc }));
    if (extra && sub?.cmdTls && !g.tls) g.tls = { loc: extra.loc, code: `GUNICORN_CMD_ARGS ${sub.cmdTls}`, conditional: false };
    if (!g.forwardedAllowIps) {
      const envValue = inv.env.get('FORWARDED_ALLOW_IPS');
      const unitEnv = u.env.get('FORWARDED_ALLOW_IPS');
      if (envValue !== undefined) g.forwardedAllowIps = allowIpsFromEnv({ value: envValue, loc: at });
      else if (unitEnv) g.forwardedAllowIps = allowIpsFromEnv(unitEnv);
    }
  };
  /** Every option of a uwsgi invocation with its place: the command line's own, then each config file it loads. */
  const uwsgiInvocationOptions = (u: DeployUnit, inv: Invocation, at: Loc, files: string[]): UwsgiOption[] => {
    const placeholders = new Map<string, string>();
    // uWSGI reads UWSGI_<OPTION> environment variables as options (one value each), e.g. UWSGI_SSL_ENABLE_TLSV1=1.
    const fromEnv: UwsgiOption[] = [...u.env]
      .filter(([k]) => /^UWSGI_[A-Z0-9_]+$/.test(k) && k !== 'UWSGI_SCHEME')
      .map(([k, v]) => ({ name: canonicalUwsgi(k.slice(6)), value: v.value, loc: v.loc, opaque: /[$@]\(/.test(v.value), conditional: false, from: 'environment' as const }));
    const out: UwsgiOption[] = [...fromEnv, ...(inv.uwsgiArgs ?? []).map(([name, value]) => ({ name: canonicalUwsgi(name), value, loc: at, opaque: /[$@]\(/.test(value), conditional: false, from: 'command line' as const }))];
    for (const o of out) if (!placeholders.has(o.name)) placeholders.set(o.name, o.value);
    // UWSGI_INI=/app/uwsgi.ini (as images built for uWSGI set it) loads that file like --ini.
    const envFiles = fromEnv.filter((o) => ['ini', 'yaml', 'yml', 'json', 'xml'].includes(o.name) && !o.opaque).flatMap((o) => {
      const [file, section] = o.value.includes(':') && !o.value.startsWith(':') ? [o.value.slice(0, o.value.lastIndexOf(':')), o.value.slice(o.value.lastIndexOf(':'))] : [o.value, ''];
      const rel = file.startsWith('/') ? mapDeployedPath(file) : locate(posix.dirname(u.file) === '.' ? '' : posix.dirname(u.file), file);
      if (rel === undefined || !fileSet.has(rel)) return [];
      note(rel, by(u, o.loc, 'starts uWSGI with'));
      return [rel + section];
    });
    for (const f of [...envFiles, ...files]) out.push(...readUwsgiOptions(f, uwsgiReader, placeholders));
    return out;
  };

  const newUnit = (via: EntryVia, file: string, line: number, name: string): DeployUnit => {
    const u: DeployUnit = { via, file, loc: lineLoc(file, line), name, role: fileRole(file), env: new Map(), invocations: [] };
    units.push(u);
    return u;
  };

  /** Interprets a command line of a unit, following the scripts it runs (read from the workspace). */
  const runCommand = (u: DeployUnit, text: string, loc: Loc, baseDir: string, depth = 0, words?: string[], whole = false): void => {
    const lookup = (n: string) => u.env.get(n)?.value;
    const commands = words ? [{ words, offset: 0 }] : splitShell(text, lookup);
    for (const cmd of commands.slice(0, 2000)) {
      const w = cmd.words;
      // In a script read whole, the command's own line; elsewhere the line that holds the command.
      const own = () => (whole ? src(loc.path).lineLoc(src(loc.path).loc(cmd.offset, cmd.offset).line) : loc);
      if (w[0] === 'export' || w[0] === 'declare') {
        const at = own();
        for (const a of w.slice(1).map(assignment)) {
          if (!a) continue;
          const entry = { value: a[1], loc: at };
          u.env.set(a[0], entry);
          if (whole) SCRIPT_EXPORTS.add(entry);
        }
        continue;
      }
      let k = 0;
      while (k < w.length && ['then', 'else', 'do', 'if', 'elif', '!', '{', 'while', 'until'].includes(w[k])) k++;
      if (k === w.length) continue;
      const r = renderOf(w.slice(k));
      if (r) {
        // `TEMPLATE=a.conf` in one branch and `TEMPLATE=b.conf` in another: the script renders either.
        const sources = [r.source];
        for (const [name, values] of u.shellAlternatives ?? []) {
          const current = u.env.get(name)?.value;
          if (current && r.source.includes(current)) for (const v of values) if (v !== current) sources.push(r.source.replace(current, v));
        }
        for (const source of sources) {
          // A relative source is read from the working directory (`/` when the image sets none).
          const rel = source.startsWith('/') ? mapDeployedPath(source) : (mapDeployedPath(posix.join(u.workdir ?? '/', source)) ?? locate(baseDir, source.replace(/^\.\//, '')));
          if (rel && exists(rel) && renders.length < MAX_UNITS_PER_FILE * 8) {
            renders.push({ source: rel, dest: posix.normalize(r.dest), loc });
            placed(rel, by(u, loc, 'renders'));
          }
        }
        continue;
      }
      // `bash -c "python wait_for_pg.py && ./init.sh && gunicorn …"`: every command of the string, scripts followed.
      const words = w.slice(k);
      const dashC = ['sh', 'bash', 'ash', 'dash'].includes(posix.basename(words[0])) && words[1] === '-c' ? words[2] : undefined;
      if (dashC !== undefined && depth < MAX_SCRIPT_DEPTH) {
        runCommand(u, dashC, loc, baseDir, depth + 1);
        continue;
      }
      const inv = interpret(words, lookup);
      if (!inv) {
        // Bare `NAME=value` lines set shell variables that later lines read.
        for (const a of w.slice(k).map(assignment)) {
          if (!a) continue;
          const prev = u.env.get(a[0])?.value;
          if (prev !== undefined && prev !== a[1]) {
            const alts = (u.shellAlternatives ??= new Map());
            const list = alts.get(a[0]) ?? [prev];
            if (!list.includes(a[1]) && list.length < 16) list.push(a[1]);
            alts.set(a[0], list);
          }
          u.env.set(a[0], { value: a[1], loc });
        }
        continue;
      }
      const at = own();
      if (inv.server === 'script' && inv.script && depth < MAX_SCRIPT_DEPTH) {
        const script = mapOrLocate(u, baseDir, inv.script);
        if (script && /(\.sh|\.bash|^[^.]*)$/.test(posix.basename(script))) {
          const body = read(script);
          if (body !== undefined) {
            note(script, by(u, at, 'runs'));
            runCommand(u, body, lineLoc(script, 1), posix.dirname(script) === '.' ? '' : posix.dirname(script), depth + 1, undefined, true);
          }
        }
        continue;
      }
      // A reloader or the development server: the whole setup is for development.
      if (!u.devSignal) {
        const dev = w.slice(k).find((x) => RELOADERS.has(posix.basename(x)));
        if (dev) {
          u.devSignal = `${at.path}:${at.line} runs \`${dev}\``;
          if (whole) u.devSignalInScript = true;
        }
      }
      if (inv.server === 'other') continue;
      u.invocations.push({ inv, loc: at });
      const uwsgiFiles: string[] = [];
      for (const cf of inv.configFiles) {
        const rel = mapOrLocate(u, baseDir, cf.replace(/:[\w-]+$/, '').replace(/^python:/, ''));
        if (rel) {
          note(rel, by(u, at, 'starts a server with'));
          readServerConfig(u, rel, inv);
          if (inv.server === 'uwsgi') uwsgiFiles.push(rel + (/:[\w-]+$/.exec(cf)?.[0] ?? ''));
        }
      }
      // Without -c, gunicorn (20.0+) loads ./gunicorn.conf.py from its working directory.
      if (inv.server === 'gunicorn' && inv.configFiles.length === 0) {
        const inWork = u.workdir ? mapDeployedPath(posix.join(u.workdir, 'gunicorn.conf.py')) : undefined;
        const here = posix.join(baseDir, 'gunicorn.conf.py');
        const rel = inWork && fileSet.has(inWork) ? inWork : fileSet.has(here) ? here : undefined;
        if (rel && read(rel) !== undefined) {
          note(rel, by(u, at, 'starts gunicorn in its folder, which loads'));
          gunicornPy(rel, inv, false);
        }
      }
      if (inv.server === 'gunicorn') gunicornFacts(u, inv, at);
      if (inv.server === 'uwsgi') {
        inv.uwsgiOptions = uwsgiInvocationOptions(u, inv, at, uwsgiFiles);
        for (const o of inv.uwsgiOptions) if (o.loc !== at && o.loc.path !== u.file) applyUwsgiOption(inv, o.name, o.value);
      }
    }
  };

  const mapOrLocate = (u: DeployUnit, baseDir: string, p: string): string | undefined => {
    if (p.startsWith('/')) {
      const mapped = mapDeployedPath(p, [u.file, u.builds?.file]);
      // On a host (systemd, supervisor) the checkout sits at a path the repository does not say: `/opt/app/conf/start.sh`
      // is the one workspace file that ends in `conf/start.sh`.
      return mapped ?? (u.via === 'systemd' || u.via === 'supervisor' ? bySuffix(p) : undefined);
    }
    const inWork = u.workdir ? mapDeployedPath(posix.join(u.workdir, p)) : undefined;
    if (inWork && exists(inWork)) return inWork;
    // A bare name runs from PATH: `ENTRYPOINT ["entrypoint.sh"]` after `COPY entrypoint.sh /usr/local/bin/`.
    if (!p.includes('/')) {
      // The image's own PATH first (`ENV PATH="/scripts:$PATH"` after `COPY ./scripts /scripts`), then the usual dirs.
      const own = (u.env.get('PATH')?.value ?? '').split(':').filter((d) => d.startsWith('/') && !d.includes('$')).slice(0, 16);
      for (const dir of [...own, ...PATH_DIRS]) {
        const onPath = mapDeployedPath(`${dir}/${p}`);
        if (onPath && exists(onPath)) return onPath;
      }
    }
    return locate(baseDir, p.replace(/^\.\//, ''));
  };

  /** `NAME=value` lines of an environment file (compose `env_file`, systemd `EnvironmentFile`), quotes removed. */
  const envFileVars = (rel: string): [string, { value: string; loc: Loc }][] => {
    const out: [string, { value: string; loc: Loc }][] = [];
    const s = src(rel);
    for (let l = 1; l <= s.lineCount; l++) {
      const a = assignment(s.lineText(l).trim().replace(/^export\s+/, ''));
      if (a) out.push([a[0], { value: a[1].replace(/^(["'])(.*)\1$/, '$2'), loc: lineLoc(rel, l) }]);
    }
    return out;
  };

  /** uwsgi ini/yaml/json/xml, gunicorn conf (Python), supervisor conf named on a command line. */
  const readServerConfig = (u: DeployUnit, rel: string, inv: Invocation): void => {
    const text = read(rel);
    if (text === undefined) return;
    if (inv.server === 'uwsgi') return; // read with its includes once every config file is known (runCommand)
    if (inv.server === 'gunicorn') gunicornPy(rel, inv); // gunicorn loads any -c file as Python (with a warning for other extensions)
    else if (/supervisor/.test(rel)) supervisor(rel, text, u);
  };

  /** A gunicorn config file (Python, read from its syntax tree) into the invocation; the command line wins. */
  const gunicornPy = (rel: string, inv: Invocation, named = true) => {
    const c = readGunicornConfig(src(rel));
    // gunicorn execs the file as Python: one it is told to load (-c), or a .py config, that does not parse stops it.
    if (c.syntaxError && (named || rel.endsWith('.py'))) problems.push({ loc: lineLoc(rel, c.syntaxError.loc.line), message: `gunicorn config could not be parsed as Python: ${c.syntaxError.message}` });
    const g: GunicornFacts = inv.gunicorn ?? { binds: [] };
    inv.gunicorn = g;
    const cmdBinds = inv.binds.length > 0;
    if (c.bind?.value && !cmdBinds) {
      inv.binds.push(...c.bind.value);
      g.binds = c.bind.value.map((addr) => ({ addr, loc: c.bind!.loc }));
    }
    if (c.wsgiApp?.value) inv.app ??= c.wsgiApp.value;
    if (c.chdir?.value) inv.chdir ??= c.chdir.value;
    for (const a of (c.rawEnv?.value ?? []).map(assignment)) if (a && !inv.env.has(a[0])) inv.env.set(a[0], a[1]);
    if (c.forwardedAllowIps && inv.forwardedAllowIps === undefined) {
      inv.forwardedAllowIps = c.forwardedAllowIps.value?.join(',');
      g.forwardedAllowIps = { ips: c.forwardedAllowIps.value, loc: c.forwardedAllowIps.loc, code: c.forwardedAllowIps.code, from: 'config file', conditional: c.forwardedAllowIps.conditional };
    }
    if (c.secureSchemeHeaders) {
      g.secureSchemeHeaders = c.secureSchemeHeaders;
    }
    const cert = c.certfile ?? c.keyfile;
    if (cert && !g.tls) g.tls = { loc: cert.loc, code: cert.code, conditional: cert.conditional };
  };

  const supervisor = (rel: string, text: string, parent?: DeployUnit) => {
    let u: DeployUnit | undefined;
    let program = '';
    const s = src(rel);
    let pending = '';
    let pendingLine = 0;
    // supervisord's own expansions: `%(program_name)s`, `%(group_name)s` (the program's by default), `%(ENV_X)s`.
    const expand = (v: string) =>
      v.replace(/%\((program_name|group_name|ENV_[A-Za-z_][A-Za-z0-9_]*)\)s/g, (all, name: string) => (name.startsWith('ENV_') ? (u?.env.get(name.slice(4))?.value ?? all) : program));
    const flush = () => {
      if (!u || !pending) return;
      const m = /^(command|environment|directory)\s*=\s*(.*)$/s.exec(expand(pending));
      pending = '';
      if (!m) return;
      const loc = lineLoc(rel, pendingLine);
      if (m[1] === 'command') runCommand(u, m[2], loc, posix.dirname(rel) === '.' ? '' : posix.dirname(rel));
      else if (m[1] === 'directory') u.workdir = m[2].trim();
      else for (const part of m[2].split(',')) {
        const a = assignment(part.trim());
        if (a) u.env.set(a[0], { value: a[1].replace(/^"(.*)"$/, '$1'), loc });
      }
    };
    for (let line = 1; line <= s.lineCount && units.length < 100_000; line++) {
      const t = s.lineText(line);
      const sect = /^\s*\[program:([^\]]*)\]/.exec(t);
      if (sect) {
        flush();
        u = newUnit('supervisor', rel, line, `supervisor program ${sect[1]}`);
        program = sect[1].trim();
        if (parent) for (const [k, v] of parent.env) u.env.set(k, v);
        if (parent?.via === 'dockerfile') u.supervisedIn = parent;
        continue;
      }
      if (/^\s*\[/.test(t)) {
        flush();
        u = undefined;
        continue;
      }
      if (/^\s+\S/.test(t) && pending) pending += ` ${t.trim()}`;
      else if (/^\s*[;#]/.test(t) || t.trim() === '') continue;
      else {
        flush();
        pending = t.trim();
        pendingLine = line;
      }
    }
    flush();
  };

  /**
   * The workspace file a path inside a container or server comes from. `own` names the files whose copies and
   * mounts build the container asking (its compose file and Dockerfile): theirs win over another image's
   * (tracle's production and local Dockerfiles both copy a script to /start).
   */
  function mapDeployedPath(abs: string, own?: readonly (string | undefined)[]): string | undefined {
    const p = posix.normalize(abs).replace(/\/$/, '');
    let best: PathMapping | undefined;
    let bestOwn: PathMapping | undefined;
    for (const m of mappings) {
      if (p === m.deployed || (m.dir && (m.deployed === '' || p.startsWith(`${m.deployed}/`)))) {
        if (!best || m.deployed.length > best.deployed.length) best = m;
        if (own?.includes(m.loc.path) && (!bestOwn || m.deployed.length > bestOwn.deployed.length)) bestOwn = m;
      }
    }
    if (bestOwn) best = bestOwn;
    if (!best) return filesPlacedAt(p);
    const tail = p.slice(best.deployed.length).replace(/^\//, '');
    if (!best.dir) return p === best.deployed ? best.workspace : undefined;
    return best.workspace === '' ? tail : tail === '' ? best.workspace : `${best.workspace}/${tail}`;
  }

  /**
   * A pattern over a folder that files are copied into one by one (`ADD geonode.conf ./sites-enabled/`, then
   * `include sites-enabled/*.conf`): the one matching file, or a pattern over the one workspace folder they all
   * come from under their own names.
   */
  function filesPlacedAt(p: string): string | undefined {
    const base = posix.basename(p);
    if (!/[*?[]/.test(base) || /[*?[]/.test(posix.dirname(p))) return undefined;
    const glob = compileGlob(base, 'segment');
    const hits = mappings.filter((m) => !m.dir && posix.dirname(m.deployed) === posix.dirname(p) && glob.test(posix.basename(m.deployed)));
    if (hits.length === 1) return hits[0].workspace;
    const dirs = new Set(hits.map((m) => posix.dirname(m.workspace)));
    if (hits.length > 1 && dirs.size === 1 && hits.every((m) => posix.basename(m.workspace) === posix.basename(m.deployed))) {
      const dir = [...dirs][0];
      return dir === '.' ? base : `${dir}/${base}`;
    }
    return undefined;
  }

  let byBase: Map<string, string[]> | undefined;
  /**
   * A deployed absolute path that no mapping covers (a checkout on a plain server, `/srv/shop/shop/wsgi.py`): the
   * one workspace file ending with its longest tail of two or more segments.
   */
  function bySuffix(abs: string): string | undefined {
    if (!byBase) {
      byBase = new Map();
      for (const f of input.files) {
        const b = posix.basename(f);
        const list = byBase.get(b);
        if (list) list.push(f);
        else byBase.set(b, [f]);
      }
    }
    const parts = abs.split('/').filter(Boolean);
    const same = byBase.get(parts[parts.length - 1] ?? '') ?? [];
    for (let n = Math.min(parts.length, 16); n >= 2; n--) {
      const tail = parts.slice(-n).join('/');
      const hits = same.filter((f) => f === tail || f.endsWith(`/${tail}`));
      if (hits.length === 1) return hits[0];
      if (hits.length > 1) return undefined;
    }
    return undefined;
  }

  /** Settings modules that Dockerfile build steps (RUN) name for a management command. */
  const buildRefs: { module: string; loc: Loc; unit: DeployUnit }[] = [];
  // --- Dockerfiles (first: compose services build them) ---
  const dockerUnits = new Map<string, DeployUnit>();
  // Dockerfile stages: by `AS` name, those a later stage is built `FROM`, those still running the base's command,
  // and those a compose `build.target` names.
  const stageByAlias = new Map<string, DeployUnit>();
  const stageBases = new Set<DeployUnit>();
  const inheritedRun = new Set<DeployUnit>();
  const targetedStages = new Set<string>();
  const serviceTarget = new Map<string, string>();
  const dockerfiles = input.files.filter((f) => IS_DOCKERFILE.test(f));
  const composeFiles = input.files.filter((f) => IS_COMPOSE.test(f) || (MAYBE_COMPOSE(f) && looksLikeCompose(read(f))));
  // A compose service that builds a Dockerfile names its context: COPY sources are relative to it.
  const contexts = new Map<string, string>();
  const serviceDockerfile = new Map<string, string>();
  const composeDocs = new Map<string, unknown>();
  for (const f of composeFiles) {
    const text = read(f);
    if (text === undefined) continue;
    let doc: unknown;
    try {
      doc = parseRepoYaml(text);
    } catch (e) {
      const pos = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
      problems.push({ loc: lineLoc(f, pos), message: `compose file could not be parsed: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    composeDocs.set(f, doc);
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    for (const [name, svc] of Object.entries(asMap(asMap(doc).services))) {
      const build = asMap(svc).build;
      const ctxRaw = typeof build === 'string' ? build : typeof asMap(build).context === 'string' ? (asMap(build).context as string) : undefined;
      if (ctxRaw === undefined) continue;
      const ctx = locate(dir, pwdPath(dir, ctxRaw)) ?? (pwdPath(dir, ctxRaw) === '.' ? dir : undefined);
      const dfRaw = typeof asMap(build).dockerfile === 'string' ? pwdPath(dir, asMap(build).dockerfile as string) : 'Dockerfile';
      const df = ctx !== undefined ? locate(ctx, dfRaw) ?? locate(dir, dfRaw) ?? (dfRaw === 'Dockerfile' ? locate(ctx, 'dockerfile') : undefined) : undefined;
      if (df && ctx !== undefined) {
        // `dockerfile: docker/ProdDjangoDockerfile`: a build file whatever its name.
        if (!dockerfiles.includes(df)) dockerfiles.push(df);
        contexts.set(df, ctx);
        serviceDockerfile.set(`${f}\0${name}`, df);
        const target = asMap(build).target;
        if (typeof target === 'string' && /^[\w.-]+$/.test(target)) {
          targetedStages.add(`${df}\0${target.toLowerCase()}`);
          serviceTarget.set(`${f}\0${name}`, target.toLowerCase());
        }
      }
    }
  }
  for (const f of dockerfiles) {
    const text = read(f);
    if (text === undefined) continue;
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    const ctx = contexts.get(f);
    let u: DeployUnit | undefined;
    let count = 0;
    const buildArgs = new Map<string, string>();
    const lines = text.split('\n');
    for (const ins of DockerfileParser.parse(text).getInstructions()) {
      const kw = ins.getKeyword();
      const line = ins.getRange().start.line + 1;
      const loc = lineLoc(f, line);
      if (kw === 'FROM' || !u) {
        if (++count > MAX_UNITS_PER_FILE) break;
        const stage = kw === 'FROM' ? ins.getArguments().map((a) => a.getValue()).join(' ') : '';
        const prev = u;
        u = newUnit('dockerfile', f, line, `${f} ${stage}`.trim());
        // `FROM base AS x` where base is an earlier stage keeps its environment and workdir.
        const from = kw === 'FROM' ? ins.getArguments().map((a) => a.getValue()).find((a) => !a.startsWith('--')) : undefined;
        if (from) u.baseImage = from.includes('$') ? from.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (m, n: string) => buildArgs.get(n) ?? m) : from;
        if (prev && kw === 'FROM' && /^[\w.-]+$/.test(from ?? '')) {
          const baseName = ` as ${from!.toLowerCase()}`;
          const base = units.find((x) => x.file === f && x.name.toLowerCase().endsWith(baseName));
          if (base) {
            for (const [k, v] of base.env) u.env.set(k, v);
            u.workdir = base.workdir;
            u.baseImage = base.baseImage;
            // The stage runs the base's CMD and ENTRYPOINT until it sets its own.
            u.invocations.push(...base.invocations);
            inheritedRun.add(u);
            stageBases.add(base);
          }
        }
        if (kw === 'FROM') {
          const alias = stageAlias(ins.getArguments().map((a) => a.getValue()));
          if (alias) stageByAlias.set(`${f}\0${alias}`, u);
          // `FROM appbase AS development`: the stage's name marks its role where the file's path does not.
          const marked = alias && (u.role.source === 'default' || u.role.source === 'guess') ? roleFromPath(alias) : undefined;
          if (marked && marked.role !== 'template' && marked.role !== 'example') u.role = { role: marked.role, source: 'path', why: `its stage name \`${alias}\` (${f}:${line}) marks it` };
          continue;
        }
      }
      // `WORKDIR $APP_HOME`, `COPY . ${APP_HOME}`: ENV and ARG defaults set earlier in the stage.
      const unit = u;
      const expand = (w: string) => (w.includes('$') ? w.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (m, n: string) => unit.env.get(n)?.value ?? buildArgs.get(n) ?? m) : w);
      const args = ins.getArguments().map((a) => expand(a.getValue()));
      if (kw === 'ARG') {
        for (const a of args) {
          const eq = a.indexOf('=');
          if (eq > 0) buildArgs.set(a.slice(0, eq), a.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2'));
        }
      } else if (kw === 'ENV') {
        const props = (ins as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties();
        for (const p of props) u.env.set(p.getName(), { value: p.getValue() ?? '', loc });
      } else if (kw === 'WORKDIR' && args[0]) {
        u.workdir = args[0].startsWith('/') ? posix.normalize(args[0]) : posix.join(u.workdir ?? '/', args[0]);
      } else if (kw === 'COPY' || kw === 'ADD') {
        const flags = (ins as unknown as { getFlags(): { getName(): string }[] }).getFlags?.() ?? [];
        if (flags.some((fl) => fl.getName() === 'from')) continue;
        const json = execForm(ins, lines);
        const parts = json ? json.map(expand) : args.filter((a) => !a.startsWith('--'));
        if (parts.length < 2) continue;
        const dest0 = parts[parts.length - 1];
        const dest = dest0.startsWith('/') ? dest0 : posix.join(u.workdir ?? '/', dest0);
        const srcs = parts.slice(0, -1);
        for (const s of srcs) {
          if (/^[a-z]+:\/\//.test(s)) continue;
          if (/[*?[]/.test(s)) {
            // `COPY ./configs/* /etc/nginx/`: each file the last segment matches lands in the destination folder.
            for (const rel of copyGlob(ctx ?? dir, s.replace(/^\.\//, ''))) {
              mappings.push({ deployed: posix.join(dest, posix.basename(rel)), workspace: rel, dir: false, loc, role: u.role.role, image: u.baseImage });
              placed(rel, by(u, loc, 'copies'));
            }
            continue;
          }
          const rel = locate(ctx ?? dir, s.replace(/^\.\//, '')) ?? (s === '.' || s === './' ? ctx ?? dir : undefined);
          if (rel === undefined) continue;
          const isDir = !fileSet.has(rel);
          // Into a folder every base image has (`COPY start.sh /usr/local/bin`), as into one written with a slash.
          const intoDir = dest0.endsWith('/') || srcs.length > 1 || IMAGE_DIRS.has(posix.normalize(dest));
          const target = !isDir && intoDir ? posix.join(dest, posix.basename(rel)) : posix.normalize(dest);
          mappings.push({ deployed: target.replace(/\/$/, ''), workspace: rel, dir: isDir, loc, role: u.role.role, image: u.baseImage });
          if (!isDir) placed(rel, by(u, loc, 'copies'));
          // The image renders /etc/nginx/templates/ into conf.d: roles come from what each renders to (below).
          else if (!/^\/etc\/nginx\/templates\b/.test(dest)) placeNginxFolder(rel, dest, by(u, loc, 'copies'));
        }
      } else if (kw === 'RUN') {
        // A build step that runs Django with a module of its own (`RUN DJANGO_SETTINGS_MODULE=x.static manage.py
        // collectstatic`): that module is the build's, not what serves requests (pythondotorg).
        const unitRef = u;
        for (const cmd of splitShell(args.join(' '), (n) => unitRef.env.get(n)?.value).slice(0, 64)) {
          // `RUN git clone --depth=1 https://…/project.git /app`: the repository's own tree lands there.
          const clone = cloneDest(cmd.words);
          if (clone && clone.startsWith('/') && mappings.length < MAX_UNITS_PER_FILE * 64) {
            mappings.push({ deployed: posix.normalize(clone).replace(/\/$/, ''), workspace: '', dir: true, loc, role: unitRef.role.role, image: unitRef.baseImage });
            continue;
          }
          // `RUN cp /app/docker/prod/local.py /app/proj/settings/local.py`: the image holds that file there (folioblog).
          const r = renderOf(cmd.words);
          const rel = r ? (r.source.startsWith('/') ? mapDeployedPath(r.source) : mapDeployedPath(posix.join(unitRef.workdir ?? '/', r.source))) : undefined;
          if (r && rel && exists(rel) && renders.length < MAX_UNITS_PER_FILE * 8) {
            renders.push({ source: rel, dest: posix.normalize(r.dest), loc });
            placed(rel, by(unitRef, loc, 'copies'));
            continue;
          }
          const inv = interpret(cmd.words);
          const module = inv && !inv.web ? inv.settingsArg ?? inv.env.get('DJANGO_SETTINGS_MODULE') : undefined;
          if (module && buildRefs.length < MAX_UNITS_PER_FILE * 8) buildRefs.push({ module, loc, unit: unitRef });
        }
      } else if (kw === 'CMD' || kw === 'ENTRYPOINT') {
        const json = execForm(ins, lines);
        const unitRef = u;
        if (inheritedRun.delete(u)) u.invocations.length = 0;
        // An ENTRYPOINT script usually ends with `exec "$@"` on the CMD: both are read.
        if (json) runCommand(unitRef, '', loc, ctx ?? dir, 0, json);
        else runCommand(unitRef, args.join(' '), loc, ctx ?? dir);
      }
    }
  }
  // A stage that later stages build on runs only when a build targets it: its command runs in those stages, with
  // their environment (kerrokantasi's `appbase` sets DEBUG=True for collectstatic; `production` on it sets False).
  for (const b of stageBases) {
    const alias = b.name.toLowerCase().split(' as ')[1]?.trim();
    if (alias && (targetedStages.has(`${b.file}\0${alias}`) || PRODUCTION_STAGE.test(alias))) continue;
    b.invocations.length = 0;
  }
  for (const u of units) {
    if (u.via !== 'dockerfile') continue;
    dockerUnits.set(u.file, u);
    // Services that run the image take its environment: not a module its script exports only past its servers.
    if (exportedAfterServers(u)) u.env.delete('DJANGO_SETTINGS_MODULE');
  }

  /**
   * The one Dockerfile of the repository that an image-only compose service runs, by the image's name: a folder of the
   * Dockerfile's path named like it (`kobotoolbox/kpi:2.0` → `kpi/Dockerfile`, `taigaio/taiga-back` →
   * `taiga-back/docker/Dockerfile`). None when no Dockerfile, or more than one, matches.
   */
  const dockerfileOfImage = (image: string): string | undefined => {
    const ref = image.split('@')[0];
    const repo = ref.slice(ref.lastIndexOf('/') + 1).split(':')[0].toLowerCase();
    if (!repo) return undefined;
    const hits = dockerfiles.filter((d) => d.toLowerCase().split('/').slice(0, -1).includes(repo));
    if (hits.length > 0) return hits.length === 1 ? hits[0] : undefined;
    // An image named like the project's own Django package (`ghcr.io/ephios-dev/ephios` for `src/ephios/settings.py`),
    // built by the one Dockerfile above that package.
    const pkgs = djangoPackageDirs().filter((p) => posix.basename(p).toLowerCase() === repo);
    const above = dockerfiles.filter((d) => {
      const dir = posix.dirname(d) === '.' ? '' : posix.dirname(d);
      return pkgs.some((p) => dir === '' || p.startsWith(`${dir}/`));
    });
    return above.length === 1 ? above[0] : undefined;
  };
  let packageDirs: string[] | undefined;
  /** Folders holding a settings module or a wsgi/asgi entry point: the project's Django packages. */
  const djangoPackageDirs = (): string[] =>
    (packageDirs ??= [
      ...new Set(
        input.files
          .filter((f) => /(^|\/)(settings|wsgi|asgi)\.py$/.test(f) || /(^|\/)settings\/[^/]+\.py$/.test(f))
          .map((f) => posix.dirname(f.replace(/\/settings\/[^/]+\.py$/, '/settings.py'))),
      ),
    ]);
  // --- compose services ---
  const PYTHON_APP_WORDS = ['manage.py', 'django-admin', 'gunicorn', 'uwsgi', 'celery', 'daphne', 'uvicorn', 'hypercorn'];
  for (const [f, doc] of composeDocs) {
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    const services = asMap(asMap(doc).services);
    let count = 0;
    for (const [name, raw] of Object.entries(services)) {
      if (++count > MAX_UNITS_PER_FILE) break;
      const svc = asMap(raw);
      const line = lineOfKey(src(f), name);
      const u = newUnit('compose', f, line, `compose service ${name}`);
      u.service = name;
      const aliases = [svc.container_name, svc.hostname].filter((a): a is string => typeof a === 'string' && a !== name && !a.includes('$'));
      if (aliases.length > 0) u.aliases = aliases;
      if (svc.image === undefined && svc.build === undefined) u.composeOverride = true;
      if (asList(svc.profiles).length > 0) u.optIn = true;
      u.ports = composePorts(svc.ports);
      const loc = lineLoc(f, line);
      const df = serviceDockerfile.get(`${f}\0${name}`) ?? (svc.build === undefined && typeof svc.image === 'string' ? dockerfileOfImage(svc.image) : undefined);
      const target = serviceTarget.get(`${f}\0${name}`);
      const built = df ? (target !== undefined ? stageByAlias.get(`${df}\0${target}`) : undefined) ?? dockerUnits.get(df) : undefined;
      if (built) {
        for (const [k, v] of built.env) u.env.set(k, v);
        u.workdir = built.workdir;
        u.builds = built;
      }
      for (const ef of asList(svc.env_file)) {
        const p = typeof ef === 'string' ? ef : typeof asMap(ef).path === 'string' ? (asMap(ef).path as string) : undefined;
        const rel = p ? locate(dir, pwdPath(dir, p)) : undefined;
        const text = rel ? read(rel) : undefined;
        if (p && !rel) u.envFileOutside ??= lineLoc(f, lineOfText(src(f), p, line));
        if (!rel || text === undefined) continue;
        for (const [k, v] of envFileVars(rel)) u.env.set(k, v);
      }
      const envRaw = svc.environment;
      const setEnv = (k: string, raw: string | undefined, at: Loc) => {
        const v = raw === undefined ? undefined : composeValue(raw);
        if (v === undefined) {
          (u.envOutside ??= new Map()).set(k, at);
          u.env.delete(k);
        } else {
          u.env.set(k, { value: v, loc: at });
          u.envOutside?.delete(k);
        }
      };
      if (Array.isArray(envRaw)) {
        for (const e of envRaw) {
          if (typeof e !== 'string') continue;
          const a = assignment(e);
          const at = lineLoc(f, lineOfText(src(f), e, line));
          if (a) setEnv(a[0], a[1], at);
          // `- NAME` passes the variable from the shell that runs compose.
          else if (/^[A-Za-z_]\w*$/.test(e.trim())) setEnv(e.trim(), undefined, at);
        }
      } else for (const [k, v] of Object.entries(asMap(envRaw))) {
        if (v === null || typeof v !== 'object') setEnv(k, v === null ? undefined : String(v), lineLoc(f, lineOfKey(src(f), k, line)));
      }
      if (typeof svc.working_dir === 'string') u.workdir = svc.working_dir;
      for (const p of asList(svc.ports).slice(0, 64)) {
        const value = typeof p === 'string' || typeof p === 'number' ? String(p) : typeof asMap(p).published === 'string' || typeof asMap(p).published === 'number' ? `${typeof asMap(p).host_ip === 'string' ? `${asMap(p).host_ip as string}:` : ''}${String(asMap(p).published)}:${String(asMap(p).target)}` : undefined;
        if (value) {
          // The whole mapping as written (`8000:8000`) before its last part alone, which a command line may hold too.
          const whole = lineOfText(src(f), value, line, 0);
          (u.portsWritten ??= []).push({ value, loc: lineLoc(f, whole || lineOfText(src(f), value.split(':').pop()!, line)) });
        }
      }
      for (const v of asList(svc.volumes)) {
        let from: string | undefined;
        let to: string | undefined;
        if (typeof v === 'string') {
          const parts = withDefaults(v).split(':');
          if (parts.length >= 2) [from, to] = parts;
        } else {
          from = asMap(v).source as string | undefined;
          to = asMap(v).target as string | undefined;
        }
        if (typeof from !== 'string' || typeof to !== 'string') continue;
        // `./deploy/nginx/${NGINX_FILE:-default.conf}:/etc/nginx/templates/…`: compose takes the default when unset.
        from = withDefaults(from);
        to = withDefaults(to);
        if (!/^(\.|\$\{?PWD\b|[\w-]+\/)/.test(from)) continue;
        // `..` from a compose file in a subfolder (archivematica's hack/) mounts the repository root.
        const up = posix.normalize(`${dir || '.'}/${pwdPath(dir, from)}`);
        const rel = locate(dir, pwdPath(dir, from)) ?? (pwdPath(dir, from) === '.' ? dir : up === '.' ? '' : undefined);
        if (rel === undefined) continue;
        // The volume's own line: a command of the service may name the same target first (pycont's envsubst).
        const at = lineLoc(f, (typeof v === 'string' ? lineOfText(src(f), v, line, 0) : 0) || lineOfText(src(f), to, line));
        const isDir = !fileSet.has(rel);
        mappings.push({ deployed: posix.normalize(to).replace(/\/$/, ''), workspace: rel, dir: isDir, loc: at, role: u.role.role, image: svc.build === undefined && typeof svc.image === 'string' ? svc.image : built?.baseImage });
        // The source tree mounted into the app container is a development setup (edits apply live), unless the
        // compose file is named for production (`docker-compose-deploy.yml`, `compose.prod.yml`), where such a mount
        // is a deployment habit (nas_fetus); a reloader or DEBUG on still marks it.
        if (isDir && !u.devSignal && !/^\/etc\//.test(to) && holdsSource(rel) && !PRODUCTION_COMPOSE.test(posix.basename(f))) {
          u.devSignal = `${at.path}:${at.line} mounts the source tree (\`${from}\`) into the container`;
          u.devSignalIsMount = true;
        }
        if (!isDir) placed(rel, by(u, at, 'mounts'));
        else placeNginxFolder(rel, to, by(u, at, 'mounts'));
      }
      // Both run: the entry point (a script that renders configs, then `exec "$@"`) and the command it is given.
      const cmds = [svc.entrypoint, svc.command].filter((c) => Array.isArray(c) || typeof c === 'string') as (string | unknown[])[];
      if (!built && svc.build === undefined && typeof svc.image === 'string') u.image = svc.image;
      const words = cmds.map((cmd) => (Array.isArray(cmd) ? cmd.map(String).join(' ') : cmd)).join(' ');
      if (PYTHON_APP_WORDS.some((w) => words.includes(w))) u.runsPython = true;
      // A relative script runs from the image's working directory, which holds its build context: look there first.
      const context = typeof svc.build === 'string' ? svc.build : typeof asMap(svc.build).context === 'string' ? (asMap(svc.build).context as string) : undefined;
      const base = (context !== undefined ? locate(dir, pwdPath(dir, context)) : undefined) ?? dir;
      for (const cmd of cmds) {
        if (Array.isArray(cmd)) runCommand(u, '', loc, base, 0, cmd.map(String));
        else runCommand(u, cmd, loc, base);
      }
      if (cmds.length === 0 && built) {
        u.runsImageCommand = true;
        u.invocations.push(...built.invocations);
        if (!u.devSignal && built.devSignal) {
          u.devSignal = built.devSignal;
          // The image's script may be a mode switch (below), for the service as for the image.
          u.devSignalInScript = built.devSignalInScript;
        }
      }
    }
  }

  // A start script that runs the development server in one branch and gunicorn/uWSGI in another is a mode switch
  // (WebODM's start.sh), not a development setup.
  for (const u of units) {
    if (u.devSignalInScript && u.invocations.some((i) => productionServer(i.inv))) {
      u.devSignal = undefined;
      u.devSignalInScript = undefined;
    }
  }

  // An nginx config that a service of the file mounts and that serves a certificate from certbot's `live/` folder,
  // which the file mounts too (carceropolis' `./letsencrypt:/letsencrypt`, filled by another compose file): the
  // certificates of a real site, which no developer's machine holds.
  const servesIssuedCertificate = (f: string): string | undefined => {
    const targets = composeVolumeTargets(composeDocs.get(f));
    for (const m of mappings) {
      if (m.loc.path !== f || m.dir || !/^\/etc\/caddy\//.test(m.deployed)) continue;
      const site = caddyPublicSite(input.readText(m.workspace));
      if (site) return `${m.loc.path}:${m.loc.line} mounts ${m.workspace}, where Caddy serves \`${site}\` with certificates from a public CA`;
    }
    for (const m of mappings) {
      if (m.loc.path !== f || !NGINX_PREFIX.test(m.deployed)) continue;
      for (const file of (m.dir ? filesUnder(m.workspace) : [m.workspace]).slice(0, 64)) {
        const cert = issuedCertificate(input.readText(file));
        if (cert && targets.some((t) => cert.startsWith(t.endsWith('/') ? t : `${t}/`))) return `${m.loc.path}:${m.loc.line} mounts ${file}, which serves ${cert} from a mounted folder`;
      }
    }
    return undefined;
  };

  // A compose file with a development service (a reloader, runserver, DEBUG on, the source tree mounted) is a
  // development setup as a whole: what its services mount or build is not what production runs.
  for (const f of composeDocs.keys()) {
    const mine = units.filter((u) => u.file === f);
    for (const u of mine) {
      if (u.devSignal) continue;
      for (const [k, v] of u.env) if (/^(\w+_)?DEBUG$/.test(k) && TRUTHY_ENV.has(v.value.trim().toLowerCase())) u.devSignal = `${v.loc.path}:${v.loc.line} sets ${k}=${v.value}`;
    }
    // A service behind `profiles:` starts only when asked (`--profile testing`): its setup is its own, not the file's.
    // So is every service of a file that obtains Let's Encrypt certificates (a certbot service, /etc/letsencrypt
    // mounted): no CA issues them for a developer's machine, so the file deploys a real site, and a development
    // service in it (QGIS Planet's `devweb`, a source mount) marks only itself.
    const issued = letsEncrypt(composeDocs.get(f)) ?? servesIssuedCertificate(f);
    // A service named for tests or development beside a production app server of the file (not a dev-only file).
    const aside = (u: DeployUnit) => ownSetup(u) && mine.some((o) => o !== u && !ownSetup(o) && !o.devSignal && o.invocations.some((i) => productionServer(i.inv)));
    for (const u of mine) {
      // In a file that deploys a real site, a source tree mounted into an app server that is not the development
      // one is a deployment habit (a checkout on the server, updated by `git pull`), as in a production-named file.
      if (issued && u.devSignalIsMount && !u.optIn && u.invocations.some((i) => productionServer(i.inv))) {
        u.devSignal = undefined;
        continue;
      }
      if (!(u.optIn || issued || aside(u)) || !u.devSignal || u.role.role !== 'production') continue;
      const why = u.optIn
        ? `${f} service \`${u.service}\` runs only with its profile and is a development setup (${u.devSignal})`
        : !issued
        ? `${f} service \`${u.service}\`, named for tests or development, is a development setup (${u.devSignal})`
        : `${f} service \`${u.service}\` is a development setup (${u.devSignal}), beside services that deploy a site with Let's Encrypt certificates (${issued})`;
      u.role = { role: 'development', source: 'entry-point', why };
      for (const info of givenBy.get(u) ?? []) {
        info.role = 'development';
        info.why += `, ${why}`;
      }
    }
    const signal = issued ? undefined : mine.find((u) => u.devSignal && !u.optIn && !aside(u))?.devSignal;
    if (!signal || mine.find((u) => !u.optIn)?.role.role !== 'production') continue;
    const why = `a development setup (${signal})`;
    for (const u of mine) {
      u.role = { role: 'development', source: 'entry-point', why: `${f} is ${why}` };
      for (const info of givenBy.get(u) ?? []) {
        info.role = 'development';
        info.why += `, ${why}`;
      }
    }
    for (const m of mappings) if (m.loc.path === f) m.role = 'development';
  }

  // A Dockerfile that only development compose services build, and that starts no production app server of its own,
  // belongs to that development setup: the settings module its ENV names is a development one (patchwork's
  // tools/docker/Dockerfile, lutris' Dockerfile beside Dockerfile.prod). A platform manifest or a heroku.yml may
  // build it for production without naming it, so their presence keeps it production.
  const builders = new Map<string, DeployUnit[]>();
  for (const u of units) {
    if (u.via !== 'compose' || u.service === undefined) continue;
    const df = serviceDockerfile.get(`${u.file}\0${u.service}`);
    if (df) builders.set(df, [...(builders.get(df) ?? []), u]);
  }
  // Dokku (its `nginx.conf.sigil`, `CHECKS`, `DOKKU_SCALE`) and CapRover (`captain-definition`) build it too.
  const platformBuild = input.files.some((f) => /(^|\/)(heroku\.yml|app\.json|render\.yaml|fly\.toml|railway\.(json|toml)|app\.yaml|nginx\.conf\.sigil|CHECKS|DOKKU_SCALE|captain-definition)$|(^|\/)\.do\//.test(f));
  for (const [df, users] of builders) {
    if (platformBuild || users.some((b) => b.role.role !== 'development')) continue;
    const stages = units.filter((u) => u.file === df && u.via === 'dockerfile');
    if (stages.some((s) => s.role.source !== 'default' || s.invocations.some((i) => productionServer(i.inv)))) continue;
    const why = `${df} is built only by ${users[0].file}, ${users[0].role.why.replace(/^\S+ is /, '')}`;
    for (const s of stages) {
      s.role = { role: 'development', source: 'entry-point', why };
      for (const info of givenBy.get(s) ?? []) {
        info.role = 'development';
        info.why += `, ${why}`;
      }
    }
    for (const m of mappings) if (m.loc.path === df) m.role = 'development';
  }

  // Compose files of a folder are used together (`-f docker-compose.yml -f docker-compose.ssl.yml`): a production
  // override of a service adds its environment to that service in the other files. Whether a deployment combines
  // them is not known, so what the override sets is not assumed either way (WebODM's WO_SSL turns on TLS and the
  // Secure cookies together).
  for (const o of units) {
    if (o.via !== 'compose' || !o.composeOverride || o.role.role !== 'production' || (o.env.size === 0 && !o.envOutside?.size)) continue;
    for (const u of units) {
      if (u === o || u.via !== 'compose' || u.composeOverride || u.service !== o.service || posix.dirname(u.file) !== posix.dirname(o.file)) continue;
      const outside = (u.envOutside ??= new Map());
      for (const [k, v] of o.env) if (u.env.get(k)?.value !== v.value) outside.set(k, v.loc);
      for (const [k, at] of o.envOutside ?? []) outside.set(k, at);
      for (const k of outside.keys()) u.env.delete(k);
    }
  }

  /** The environment fly.toml `[env]` or a Heroku app.json `env` in a folder gives the processes started there. */
  const manifestEnvs = new Map<string, { set: Map<string, { value: string; loc: Loc }>; outside: Map<string, Loc> }>();
  const manifestEnv = (dir: string) => {
    let e = manifestEnvs.get(dir);
    if (e) return e;
    e = { set: new Map(), outside: new Map() };
    const at = (name: string) => (dir ? `${dir}/${name}` : name);
    if (fileSet.has(at('fly.toml')) && read(at('fly.toml')) !== undefined) for (const [k, v] of flyManifest(src(at('fly.toml'))).env) e.set.set(k, v);
    const app = fileSet.has(at('app.json')) ? herokuAppEnv(at('app.json'), read(at('app.json')), src) : undefined;
    if (app) {
      for (const [k, v] of app.set) if (!e.set.has(k)) e.set.set(k, v);
      for (const [k, l] of app.outside) if (!e.set.has(k)) e.outside.set(k, l);
    }
    manifestEnvs.set(dir, e);
    return e;
  };

  /** The addresses of the `.socket` unit that activates a service (`x.socket` for `x.service`, or `Service=`). */
  let socketUnits: Map<string, { file: string; listen: { addr: string; loc: Loc }[] }[]> | undefined;
  const activatingSocket = (service: string): { addr: string; loc: Loc }[] | undefined => {
    if (!socketUnits) {
      socketUnits = new Map();
      for (const f of input.files) {
        if (!f.endsWith('.socket')) continue;
        const text = read(f);
        if (text === undefined) continue;
        let target = posix.basename(f).replace(/\.socket$/, '.service');
        const listen: { addr: string; loc: Loc }[] = [];
        const s = src(f);
        for (let line = 1; line <= s.lineCount; line++) {
          const m = /^\s*(ListenStream|Service)\s*=\s*(\S+)\s*$/.exec(s.lineText(line));
          if (!m) continue;
          if (m[1] === 'Service') target = m[2];
          else {
            const addr = systemdListenAddress(m[2]);
            if (addr !== undefined) listen.push({ addr, loc: lineLoc(f, line) });
          }
        }
        if (listen.length === 0) continue;
        const list = socketUnits.get(target) ?? [];
        list.push({ file: f, listen });
        socketUnits.set(target, list);
      }
    }
    const found = socketUnits.get(posix.basename(service)) ?? [];
    // The socket beside the service, else the only one of that name.
    const near = found.filter((x) => posix.dirname(x.file) === posix.dirname(service));
    const pick = near.length === 1 ? near[0] : found.length === 1 ? found[0] : undefined;
    return pick?.listen;
  };

  // --- Procfile, systemd, supervisor, uwsgi and gunicorn files ---
  for (const f of input.files) {
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    // The processes a platform manifest starts (fly.toml `[processes]`, render.yaml `startCommand`), with its env.
    const platform = PLATFORM_MANIFEST.test(f) ? read(f) : undefined;
    if (platform !== undefined) {
      const manifest = f.endsWith('fly.toml') ? flyManifest(src(f)) : renderManifest(platform, src(f));
      for (const proc of manifest.processes.slice(0, MAX_UNITS_PER_FILE)) {
        const u = newUnit('procfile', f, proc.line, `${posix.basename(f)} process ${proc.name}`);
        for (const [k, v] of proc.env) u.env.set(k, v);
        runCommand(u, proc.command, lineLoc(f, proc.line), dir);
      }
      continue;
    }
    if (IS_PROCFILE.test(f) && !f.endsWith('.sh')) {
      const text = read(f);
      if (text === undefined) continue;
      const s = src(f);
      for (let line = 1; line <= s.lineCount && line <= MAX_UNITS_PER_FILE; line++) {
        const lineText = s.lineText(line);
        const head = /^([\w-]+)\s*:/.exec(lineText);
        const cmd = head ? valueAfterBlanks(lineText.slice(head[0].length), false) : undefined;
        if (!head || cmd === undefined) continue;
        const u = newUnit('procfile', f, line, `Procfile ${head[1]}`);
        // Fly.io's `[env]` and Heroku's app.json `env` beside it reach every process the Procfile starts.
        for (const [k, v] of manifestEnv(dir).set) u.env.set(k, v);
        for (const [k, at] of manifestEnv(dir).outside) (u.envOutside ??= new Map()).set(k, at);
        runCommand(u, cmd, lineLoc(f, line), dir);
      }
    } else if (IS_SYSTEMD.test(f)) {
      const text = read(f);
      if (text === undefined) continue;
      const s = src(f);
      const u = newUnit('systemd', f, 1, `systemd unit ${posix.basename(f)}`);
      const execs: [string, number][] = [];
      // Variables from EnvironmentFile= override those of Environment= (systemd.exec(5)), wherever they are written.
      const fromFiles: [string, { value: string; loc: Loc }][] = [];
      for (let line = 1; line <= s.lineCount; line++) {
        const start = line;
        let lineText = s.lineText(line);
        // systemd joins a line that ends in a backslash with the next (`ExecStart=…/gunicorn \` then `--bind …`).
        for (let k = 0; lineText.endsWith('\\') && line < s.lineCount && k < MAX_CONTINUED_LINES; k++) lineText = `${lineText.slice(0, -1)} ${s.lineText(++line)}`;
        const head = /^\s*(ExecStart|Environment|EnvironmentFile|WorkingDirectory)\s*=/.exec(lineText);
        const value = head ? valueAfterBlanks(lineText.slice(head[0].length), true) : undefined;
        if (!head || value === undefined) continue;
        const m = [head[0], head[1], value];
        if (m[1] === 'ExecStart') execs.push([m[2].replace(/^[-@+!:]+/, ''), start]);
        else if (m[1] === 'WorkingDirectory') u.workdir = m[2].trim().replace(/^-/, '');
        else if (m[1] === 'EnvironmentFile') {
          // Variables from a file the repository holds are read; one it does not hold (`/etc/app/.env`, written on
          // the server) may set any variable the unit does not.
          const p = m[2].trim().replace(/^-/, '');
          const rel = p.startsWith('/') ? mapDeployedPath(p) : locate(dir, p);
          const text = rel ? read(rel) : undefined;
          if (!rel || text === undefined) {
            u.envFileOutside ??= lineLoc(f, start);
            continue;
          }
          fromFiles.push(...envFileVars(rel));
        } else for (const w of splitShell(m[2])[0]?.words ?? []) {
          const a = assignment(w);
          if (a) u.env.set(a[0], { value: a[1], loc: lineLoc(f, start) });
        }
      }
      for (const [k, v] of fromFiles) u.env.set(k, v);
      for (const [cmd, line] of execs) runCommand(u, cmd, lineLoc(f, line), dir);
      // Socket activation: gunicorn takes the sockets systemd passes (LISTEN_FDS) and ignores its own binds.
      const listen = activatingSocket(f);
      if (listen) {
        for (const { inv } of u.invocations) {
          if (inv.server !== 'gunicorn' || !inv.web) continue;
          inv.binds = listen.map((l) => l.addr);
          (inv.gunicorn ??= { binds: [] }).binds = listen;
        }
      }
    } else if (IS_SUPERVISOR(f) || (/\.(conf|ini)$/i.test(f) && supervisorByText(read(f)))) {
      // A program file an image copies runs under the supervisord its entry point starts: it inherits that
      // environment (Mayan's entrypoint exports MAYAN_SETTINGS_MODULE, which the gunicorn program's --env reads).
      const image = mappings.find((m) => mapsFile(m, f) && dockerUnits.has(m.loc.path));
      if (read(f) !== undefined && !units.some((x) => x.file === f)) supervisor(f, read(f)!, image && dockerUnits.get(image.loc.path));
    } else if (f.endsWith('.ini') || IS_UWSGI_OTHER(f)) {
      const text = read(f);
      if (text === undefined || !/\buwsgi\b/.test(text)) continue;
      const opts = readUwsgiOptions(f, uwsgiReader);
      if (opts.length === 0) continue;
      const u = newUnit('uwsgi', f, 1, `uwsgi config ${f}`);
      const inv: Invocation = { server: 'uwsgi', web: true, env: new Map(), configFiles: [f], binds: [], text: `uwsgi --ini ${f}`, uwsgiOptions: opts };
      for (const o of opts) applyUwsgiOption(inv, o.name, o.value);
      u.invocations.push({ inv, loc: u.loc });
    } else if (IS_GUNICORN(f)) {
      const text = read(f);
      if (text === undefined) continue;
      const u = newUnit('gunicorn', f, 1, `gunicorn config ${f}`);
      const inv: Invocation = { server: 'gunicorn', web: true, env: new Map(), configFiles: [f], binds: [], text: `gunicorn -c ${f}` };
      gunicornPy(f, inv, false);
      u.invocations.push({ inv, loc: u.loc });
    }
  }

  // fly.toml without `[processes]` runs the image's own command with its `[env]`, which overrides the image's ENV:
  // the Dockerfile `[build] dockerfile` names, else the one beside it.
  for (const f of input.files) {
    if (posix.basename(f) !== 'fly.toml' || read(f) === undefined) continue;
    const fly = flyManifest(src(f));
    if (fly.processes.length > 0 || fly.buildpack || fly.env.size === 0) continue;
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    const image = posix.normalize(posix.join(dir, fly.dockerfile ?? 'Dockerfile'));
    for (const u of units) {
      if (u.via !== 'dockerfile' || u.file !== image) continue;
      for (const [k, v] of fly.env) {
        u.env.set(k, v);
        u.envOutside?.delete(k);
      }
    }
  }

  // --- settings modules the entry points name ---
  for (const u of units) {
    const workHint = u.workdir ? mapDeployedPath(u.workdir) : undefined;
    const hints = [workHint, posix.dirname(u.file) === '.' ? '' : posix.dirname(u.file)].filter((x): x is string => x !== undefined);
    const web: SettingsRef['web'] = u.invocations.length === 0 ? 'unknown' : u.invocations.some((i) => i.inv.web) ? 'yes' : u.invocations.every((i) => i.inv.server === 'celery') ? 'no' : 'unknown';
    const named = new Map<string, Loc>();
    // A module a script exports only after the lines that start its app servers is not theirs: planeks' entrypoint
    // runs gunicorn in its `prod)` branch and exports the test module in the later `test)` branch before pytest.
    const env = exportedAfterServers(u) ? undefined : u.env.get('DJANGO_SETTINGS_MODULE');
    if (env) named.set(env.value, env.loc);
    const conf = u.env.get('DJANGO_CONFIGURATION');
    if (conf) configurationRefs.push({ name: conf.value, loc: conf.loc, rank: 3, role: u.role.role });
    for (const { inv, loc } of u.invocations) {
      const c = inv.env.get('DJANGO_CONFIGURATION');
      if (c) configurationRefs.push({ name: c, loc, rank: 3, role: u.role.role });
      const v = inv.settingsArg ?? inv.env.get('DJANGO_SETTINGS_MODULE');
      if (v) named.set(v, inv.settingsArg ? loc : optionLoc(inv, loc, 'env', (x) => x.startsWith('DJANGO_SETTINGS_MODULE=')));
      if (inv.chdir) {
        const c = inv.chdir.startsWith('/') ? mapDeployedPath(inv.chdir) : locate(hints[hints.length - 1] ?? '', inv.chdir);
        if (c !== undefined) hints.unshift(c);
      }
      let wsgi: string | undefined;
      if (inv.app) {
        // The WSGI module an app server loads is deployed by it.
        const mod = inv.app.split(':')[0];
        const p = resolveModule(mod, hints, fileSet);
        if (p) note(p, by(u, loc, 'serves'));
        wsgi = p;
      } else if (inv.wsgiFile) wsgi = mapOrLocate(u, hints[0] ?? '', inv.wsgiFile) ?? (inv.wsgiFile.startsWith('/') ? bySuffix(inv.wsgiFile) : undefined);
      if (inv.web) {
        const own = inv.settingsArg ?? inv.env.get('DJANGO_SETTINGS_MODULE');
        const named = own ?? env?.value;
        const app: AppServerRef = { unit: u, inv, loc, wsgi };
        if (named && /^[A-Za-z_][\w.]*$/.test(named)) {
          app.settings = resolveModule(named, hints, fileSet, mapDeployedPath, u.workdir);
          if (app.settings) app.settingsEvidence = `${own ? `${loc.path}:${loc.line}` : `${env!.loc.path}:${env!.loc.line}`} names ${named}`;
          else app.settingsMissing = named;
        }
        if (apps.length < MAX_UNITS_PER_FILE * 8) apps.push(app);
      }
    }
    for (const [module, loc] of named) {
      if (!/^[A-Za-z_][\w.]*$/.test(module)) continue;
      const path = resolveModule(module, hints, fileSet, mapDeployedPath, u.workdir);
      settingsRefs.push({ module, loc, rank: 3, role: u.role.role, web, path, hints, unit: u });
    }
  }
  for (const b of buildRefs) {
    if (!/^[A-Za-z_][\w.]*$/.test(b.module)) continue;
    const workHint = b.unit.workdir ? mapDeployedPath(b.unit.workdir) : undefined;
    const hints = [workHint, posix.dirname(b.unit.file) === '.' ? '' : posix.dirname(b.unit.file)].filter((x): x is string => x !== undefined);
    settingsRefs.push({ module: b.module, loc: b.loc, rank: 3, role: b.unit.role.role, web: 'no', build: true, path: resolveModule(b.module, hints, fileSet, mapDeployedPath, b.unit.workdir), hints, unit: b.unit });
  }
  for (const w of input.wsgi) addPythonRef(w.path, w.text, 2);
  for (const f of input.files) if (IS_MANAGE.test(f)) {
    const text = read(f);
    if (text !== undefined) addPythonRef(f, text, 1);
  }
  function addPythonRef(path: string, text: string, rank: 1 | 2) {
    const parsed = parsePythonOnce(text);
    if (!parsed.tree) return;
    const s = new SourceText(path, text);
    const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
    for (const w of findEnvironWrites(parsed.tree, s)) {
      if (w.target === 'process' && w.key === 'DJANGO_CONFIGURATION' && w.value && (!w.functionName || w.functionName === 'main')) {
        configurationRefs.push({ name: w.value, loc: w.loc, rank, role: fileRole(path).role });
      }
      if (w.target !== 'process' || w.key !== 'DJANGO_SETTINGS_MODULE' || !w.value || w.functionName && w.functionName !== 'main') continue;
      const hints = [dir, posix.dirname(dir) === '.' ? '' : posix.dirname(dir)];
      const role = fileRole(path);
      settingsRefs.push({ module: w.value, loc: w.loc, rank, role: role.role, web: rank === 2 ? 'yes' : 'unknown', path: resolveModule(w.value, hints, fileSet), hints });
    }
  }

  // An app server whose environment names no settings module runs with its WSGI module's default.
  for (const a of apps) {
    if (a.settings || a.settingsMissing || !a.wsgi) continue;
    const ref = settingsRefs.find((r) => r.rank === 2 && r.loc.path === a.wsgi);
    if (!ref) continue;
    if (ref.path) {
      a.settings = ref.path;
      a.settingsEvidence = `${ref.loc.path}:${ref.loc.line} defaults to ${ref.module}`;
    } else {
      a.settingsMissing = ref.module;
      a.settingsMissingDefault = ref.loc;
    }
  }

  // The nginx image renders /etc/nginx/templates/*.template into /etc/nginx/conf.d/ without the suffix (envsubst),
  // and its nginx.conf loads conf.d/*.conf only: `default.conf.k8s.template` is copied but not loaded there.
  const ownNginxConf = mappings.some((m) => !m.dir && m.deployed === '/etc/nginx/nginx.conf');
  const customOutput = units.some((u) => u.env.has('NGINX_ENVSUBST_OUTPUT_DIR') || u.env.has('NGINX_ENVSUBST_TEMPLATE_SUFFIX'));
  if (!customOutput) {
    for (const m of mappings) {
      const files = m.dir ? (m.deployed === '/etc/nginx/templates' ? filesUnder(m.workspace).filter((f) => posix.dirname(f) === m.workspace) : []) : posix.dirname(m.deployed) === '/etc/nginx/templates' ? [m.workspace] : [];
      for (const f of files) {
        const name = posix.basename(m.dir ? f : m.deployed);
        if (!name.endsWith('.template')) continue;
        const out = `/etc/nginx/conf.d/${name.slice(0, -'.template'.length)}`;
        const how = `${m.loc.path}:${m.loc.line} copies it to /etc/nginx/templates/, which the nginx image renders to ${out}`;
        if (out.endsWith('.conf')) {
          if (renders.length < MAX_UNITS_PER_FILE * 8) renders.push({ source: f, dest: out, loc: m.loc });
          placed(f, { role: m.role ?? 'production', source: 'entry-point', why: how });
        } else if (!ownNginxConf) note(f, { role: 'template', source: 'entry-point', why: `${how}, and the image's nginx.conf loads only conf.d/*.conf` });
      }
    }
  }

  // --- platform manifests ---
  const platforms: PlatformFile[] = [];
  for (const f of input.files) {
    const name = posix.basename(f);
    const isDo = /(^|\/)\.do\/[^/]+\.ya?ml$/.test(f);
    if (name !== 'app.json' && name !== 'render.yaml' && name !== 'fly.toml' && name !== 'heroku.yml' && !isDo) continue;
    const text = read(f);
    if (text === undefined) continue;
    const p: PlatformFile = { path: f, text: '', env: new Map(), envOutside: new Map(), router: { name: "the platform's router", buildpack: true } };
    if (name === 'heroku.yml') {
      // Heroku's container stack: it builds the image and runs its command (or `run:`), without a buildpack.
      if (!/^build\s*:/m.test(text)) continue;
      p.text = `Heroku runs the image (${f}) and terminates TLS in its router`;
      p.router = { name: "Heroku's router", buildpack: false };
      platforms.push(p);
      continue;
    }
    if (name === 'app.json') {
      const app = herokuAppEnv(f, text, src);
      if (!app) continue;
      p.text = `Heroku runs it (${f}) and terminates TLS in its router`;
      p.router = { name: "Heroku's router", buildpack: app.buildpack };
      p.env = app.set;
      p.envOutside = app.outside;
    } else p.text = `a platform runs it (${f}) and terminates TLS in its router`;
    if (name === 'fly.toml') {
      const s = src(f);
      const fly = flyManifest(s);
      p.router = { name: "Fly.io's proxy", buildpack: fly.buildpack };
      for (const [k, v] of fly.env) p.env.set(k, v);
      for (let l = 1; l <= s.lineCount; l++) {
        if (/^\s*force_https\s*=\s*true\s*(#.*)?$/.test(s.lineText(l))) {
          p.redirects = lineLoc(f, l);
          break;
        }
      }
    }
    if (name === 'render.yaml') {
      // Render's native runtimes build without a Dockerfile, in an environment the repository does not show.
      const render = renderManifest(text, src(f));
      p.router = { name: "Render's load balancer", buildpack: !render.docker };
      for (const proc of render.processes) for (const [k, v] of proc.env) p.env.set(k, v);
    }
    platforms.push(p);
  }

  // Ansible tasks place files: `template`/`copy` with `src` and an absolute `dest`, and `ln -s` (a `file` task with
  // `state: link`, or a command) links them where nginx includes them (bongo's role templates nginx.conf.j2 to
  // /etc/nginx/nginx.conf and links its site into sites-enabled).
  const links: { from: string; to: string; loc: Loc; role: Role }[] = [];
  for (const f of input.files) {
    if (mappings.length >= MAX_UNITS_PER_FILE * 64 || !/\.ya?ml$/i.test(f)) continue;
    const text = read(f);
    if (text === undefined || !text.includes('dest') || !/\b(template|copy|ln|file)\b/.test(text)) continue;
    let doc: unknown;
    try {
      doc = parseRepoYaml(text);
    } catch {
      continue;
    }
    const role = fileRole(f).role;
    const dir = posix.dirname(f) === '.' ? '' : posix.dirname(f);
    const roleDir = /(^|\/)roles\/[^/]+\/(tasks|handlers)$/.test(dir) ? posix.dirname(dir) : undefined;
    for (const t of ansibleTasks(doc)) {
      const at = lineLoc(f, lineOfText(src(f), t.src ?? t.dest, 1));
      if (t.kind === 'link') {
        links.push({ from: t.src!, to: t.dest, loc: at, role });
        continue;
      }
      const sub = t.kind === 'template' ? 'templates' : 'files';
      const rel = [roleDir && `${roleDir}/${sub}`, `${dir}/${sub}`, dir]
        .filter((d): d is string => d !== undefined)
        .map((d) => posix.normalize(d === '' ? t.src! : `${d}/${t.src}`))
        .find((p) => fileSet.has(p));
      if (rel) mappings.push({ deployed: posix.normalize(t.dest), workspace: rel, dir: false, loc: at, role });
    }
  }
  for (const l of links) {
    const rel = mapDeployedPath(l.from);
    if (rel && fileSet.has(rel)) mappings.push({ deployed: posix.normalize(l.to), workspace: rel, dir: false, loc: l.loc, role: l.role });
  }

  /** A role named by a YAML file outside its own folder: a roles list item, `role: x`, or `name: x` of include_role. */
  const roleNamed = (name: string, roleDir: string): boolean => {
    let seen = 0;
    for (const y of input.files) {
      if (!/\.ya?ml$/.test(y) || y.startsWith(`${roleDir}/`)) continue;
      if (++seen > 2000) return true;
      const t = read(y);
      if (t === undefined || !t.includes(name)) continue;
      for (const line of t.split('\n')) if (line.includes(name) && namesRole(line, name)) return true;
    }
    return false;
  };
  // certbot's nginx installer rewrites the server that serves the certificate's name after the files are in place.
  const certbotNginx: DeployModel['certbotNginx'] = [];
  for (const f of input.files) {
    if (certbotNginx.length >= 64 || !CERTBOT_CARRIER.test(f) || fileRole(f).role !== 'production') continue;
    const text = read(f);
    if (text === undefined || !text.includes('certbot')) continue;
    // An Ansible role's task runs only where a playbook or another role names the role (`roles: [ssl]`,
    // `include_role: name: ssl`); one that nothing names edits nothing.
    const role = /(^|\/)roles\/([\w.-]+)\/(tasks|handlers)\//.exec(f);
    if (role && !roleNamed(role[2], f.slice(0, role.index + role[1].length + 6 + role[2].length))) continue;
    const s = src(f);
    for (let l = 1; l <= s.lineCount; l++) {
      // A commented-out line (`# certbot --nginx …`, `{# … #}`) runs nothing.
      const own = s.lineText(l).trimStart();
      if (!own.includes('certbot') || own.startsWith('#') || own.startsWith('{#')) continue;
      // A line that prints the command (`echo "then run: sudo certbot --nginx …"`) tells the operator; it runs nothing.
      if (printsOnly(own.slice(0, own.indexOf('certbot')))) continue;
      // A playbook folds a command over lines: the certbot line and the few after it.
      const around = [0, 1, 2, 3].map((k) => (l + k <= s.lineCount ? s.lineText(l + k) : '')).join(' ');
      const words = around.split(/\s+/);
      if (!words.includes('--nginx') && !/(^|\s)(-i|--installer)\s+nginx(\s|$)/.test(around)) continue;
      certbotNginx.push({ loc: lineLoc(f, l), redirect: words.includes('--redirect') });
      break;
    }
  }

  // Kubernetes workloads: the environment their app containers run with (`env`, `valueFrom`, `envFrom`).
  for (const f of input.files) {
    if (platforms.length >= 4096 || !/\.ya?ml$/.test(f)) continue;
    const text = read(f);
    if (text === undefined || !text.includes('containers:') || !WORKLOAD_KIND.test(text)) continue;
    const w = workloadEnv(text, src(f));
    if (w) platforms.push({ path: f, text: `a Kubernetes workload runs it (${f})`, ...w });
  }

  // An entry point whose every unit the model made development (a compose file with the source tree mounted) is
  // development itself, as its units' findings say.
  let unitRoles: Map<string, RoleInfo> | undefined;
  const ownRole = (path: string): RoleInfo | undefined => {
    if (!unitRoles) {
      const byFile = new Map<string, DeployUnit[]>();
      for (const u of units) pushTo(byFile, u.file, u);
      unitRoles = new Map();
      for (const [f, us] of byFile) if (us.every((u) => u.role.role === 'development' && u.role.source === 'entry-point')) unitRoles.set(f, us[0].role);
    }
    return unitRoles.get(path);
  };
  const roleOf = (path: string): RoleInfo => {
    const c = configRole(path);
    if (c) return c;
    const inh = inherited.get(path);
    if (inh) return inh;
    const ev = deployed.get(path);
    if (ev && ev.length > 0) return ev.find((e) => e.role === 'production') ?? ev[0];
    const own = fileRole(path);
    return own.source === 'default' ? (ownRole(path) ?? own) : own;
  };
  return {
    units,
    mappings,
    renders,
    certbotNginx,
    settingsRefs,
    apps,
    platforms,
    configurationRefs,
    deployed,
    problems: dedupeProblems(problems),
    uwsgiIncludeProblems: dedupeProblems(uwsgiIncludeProblems),
    sources,
    mapDeployedPath,
    roleOf,
    inherit(path, info) {
      const cur = inherited.get(path);
      if (!cur || (cur.role !== 'production' && info.role === 'production')) inherited.set(path, info);
    },
  };
}

/**
 * A command that writes a workspace file's text to a deployed path: `envsubst [vars] < src > dest`, `cat src > dest`,
 * `cp`/`install src dest` (absolute destinations only: that is where a server reads its configuration).
 */
function renderOf(words: string[]): { source: string; dest: string } | undefined {
  const prog = words[0]?.slice(words[0].lastIndexOf('/') + 1);
  const gt = words.indexOf('>');
  if ((prog === 'envsubst' || prog === 'cat') && gt > 0 && words[gt + 1]?.startsWith('/')) {
    const lt = words.indexOf('<');
    const source = lt > 0 && lt < gt ? words[lt + 1] : prog === 'cat' && gt === 2 ? words[1] : undefined;
    return source ? { source, dest: words[gt + 1] } : undefined;
  }
  if ((prog === 'cp' || prog === 'install') && gt === -1) {
    const args = words.slice(1).filter((a) => !a.startsWith('-'));
    if (args.length === 2 && args[1].startsWith('/') && !args[1].endsWith('/')) return { source: args[0], dest: args[1] };
  }
  return undefined;
}

/**
 * The file-placing tasks of an Ansible playbook or task file: `template`/`copy` (src, dest) and links (`file` with
 * `state: link`, `ln -s` in a `command`/`shell`). Absolute destinations only, with a literal folder; a
 * `{{ variable }}` may stand in the file name (`/etc/nginx/sites-available/{{ app }}`). Bounded walk.
 */
export function ansibleTasks(doc: unknown): { kind: 'template' | 'copy' | 'link'; src?: string; dest: string }[] {
  const out: { kind: 'template' | 'copy' | 'link'; src?: string; dest: string }[] = [];
  const literalDir = (d: string) => d.startsWith('/') && !posix.dirname(d).includes('{{') && !posix.dirname(d).includes('$');
  const args = (raw: unknown): Record<string, string> => {
    const v = typeof raw === 'string' ? jinjaWords(raw) : raw;
    if (typeof v === 'string') {
      // `template: src=site.j2 dest=/etc/nginx/sites-available/site`
      const o: Record<string, string> = {};
      for (const w of v.split(/\s+/)) {
        const eq = w.indexOf('=');
        if (eq > 0) o[w.slice(0, eq)] = w.slice(eq + 1).replace(/^["']|["']$/g, '');
      }
      return o;
    }
    const o: Record<string, string> = {};
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') o[k] = jinjaWords(x);
    return o;
  };
  const stack: { v: unknown; depth: number }[] = [{ v: doc, depth: 0 }];
  let seen = 0;
  while (stack.length > 0 && seen++ < 20000 && out.length < 512) {
    const { v, depth } = stack.pop()!;
    if (depth > 8 || !v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push({ v: x, depth: depth + 1 });
      continue;
    }
    for (const [key, value] of Object.entries(v)) {
      const name = key.startsWith('ansible.builtin.') ? key.slice('ansible.builtin.'.length) : key;
      if (name === 'template' || name === 'copy') {
        const a = args(value);
        if (a.src && a.dest && !a.src.includes('{{') && literalDir(a.dest)) out.push({ kind: name, src: a.src, dest: a.dest });
      } else if (name === 'file') {
        const a = args(value);
        const dest = a.dest ?? a.path;
        if (a.state === 'link' && a.src && dest && literalDir(dest) && a.src.startsWith('/')) out.push({ kind: 'link', src: a.src, dest });
      } else if ((name === 'command' || name === 'shell') && typeof value === 'string') {
        const w = jinjaWords(value).split(/\s+/).filter(Boolean);
        const ln = w.indexOf('ln');
        if (ln >= 0 && w[ln + 1]?.startsWith('-') && w[ln + 1].includes('s')) {
          const [from, to] = w.slice(ln + 2).filter((x) => !x.startsWith('-'));
          if (from?.startsWith('/') && to && literalDir(to)) out.push({ kind: 'link', src: from, dest: to });
        }
      } else if (typeof value === 'object') stack.push({ v: value, depth: depth + 1 });
    }
  }
  return out;
}

/** `{{ app_name }}` → `{{app_name}}`: one word, written the same in every task. Linear. */
function jinjaWords(s: string): string {
  if (!s.includes('{{')) return s;
  let out = '';
  let at = 0;
  for (let open = s.indexOf('{{'); open >= 0; open = s.indexOf('{{', at)) {
    const close = s.indexOf('}}', open + 2);
    if (close < 0) break;
    out += `${s.slice(at, open)}{{${s.slice(open + 2, close).trim().split(/\s+/).join('')}}}`;
    at = close + 2;
  }
  return out + s.slice(at);
}

/** Options of `git clone` that take a value as the next word. */
const CLONE_VALUE_OPTIONS = new Set(['-b', '--branch', '--depth', '-o', '--origin', '-c', '--config', '--reference', '--separate-git-dir', '-j', '--jobs', '--filter', '-u', '--upload-pack', '--shallow-since', '--shallow-exclude', '--template']);

/** The destination of `git clone [options] <url> <dest>`, as written; undefined without one. */
export function cloneDest(words: string[]): string | undefined {
  const git = words.findIndex((w, i) => posix.basename(w) === 'git' && words[i + 1] === 'clone');
  if (git < 0) return undefined;
  const positional: string[] = [];
  for (let i = git + 2; i < words.length; i++) {
    const w = words[i];
    if (['&&', '||', ';', '|'].includes(w)) break;
    if (w.startsWith('-')) {
      if (CLONE_VALUE_OPTIONS.has(w)) i++;
      continue;
    }
    positional.push(w);
  }
  return positional.length === 2 ? positional[1] : undefined;
}

/** `a, b,c` → its addresses. */
export const ipList = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);

/** gunicorn's forwarded_allow_ips from a GUNICORN_CMD_ARGS value that passes `--forwarded-allow-ips`. */
export function allowIpsFromCmdArgs(extra: { value: string; loc: Loc }): GunicornFacts['forwardedAllowIps'] | undefined {
  const sub = interpret(['gunicorn', ...(splitShell(extra.value)[0]?.words ?? [])]);
  if (sub?.cmdForwardedAllowIps === undefined) return undefined;
  return { ips: ipList(sub.cmdForwardedAllowIps), loc: extra.loc, code: `GUNICORN_CMD_ARGS=${extra.value.slice(0, 120)}`, from: 'GUNICORN_CMD_ARGS', conditional: false };
}

/** gunicorn's forwarded_allow_ips default from the FORWARDED_ALLOW_IPS environment variable. */
export function allowIpsFromEnv(env: { value: string; loc: Loc }): NonNullable<GunicornFacts['forwardedAllowIps']> {
  return { ips: ipList(env.value), loc: env.loc, code: `FORWARDED_ALLOW_IPS=${env.value}`, from: 'environment', conditional: false };
}

const PLATFORM_MANIFEST = /(^|\/)(fly\.toml|render\.yaml)$/;
const WORKLOAD_KIND = /^kind:[ \t]*(Deployment|StatefulSet|DaemonSet|Pod|Job|CronJob)[ \t]*$/m;
/** Images that are not the Django app: their environment says nothing about its settings. */
const SIDE_IMAGES = /(^|\/)(nginx|openresty|redis|postgres|postgis|mysql|mariadb|memcached|rabbitmq|traefik|caddy|busybox|alpine|certbot)([:@]|$)/;

/** The environment of a Kubernetes manifest's app containers, each document parsed alone (Helm templates are skipped). */
function workloadEnv(text: string, s: SourceText): { env: Map<string, { value: string; loc: Loc }>; envOutside: Map<string, Loc>; fileOutside?: Loc } | undefined {
  const env = new Map<string, { value: string; loc: Loc }>();
  const envOutside = new Map<string, Loc>();
  let fileOutside: Loc | undefined;
  let found = false;
  const lines = text.split('\n');
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && lines[i].trimEnd() !== '---') continue;
    const doc = lines.slice(start, i).join('\n');
    const first = start + 1;
    start = i + 1;
    if (!doc.includes('containers:') || doc.includes('{{')) continue;
    let data: unknown;
    try {
      data = parseRepoYaml(doc);
    } catch {
      continue;
    }
    const d = asMap(data);
    if (typeof d.kind !== 'string' || !/^(Deployment|StatefulSet|DaemonSet|Pod|Job|CronJob)$/.test(d.kind)) continue;
    const spec = asMap(d.spec);
    const pod = d.kind === 'Pod' ? spec : d.kind === 'CronJob' ? asMap(asMap(asMap(asMap(spec.jobTemplate).spec).template).spec) : asMap(asMap(spec.template).spec);
    const at = (needle: string) => s.lineLoc(lineOfText(s, needle, first));
    for (const raw of asList(pod.containers).slice(0, 64)) {
      const c = asMap(raw);
      if (typeof c.image === 'string' && SIDE_IMAGES.test(c.image.split('@')[0])) continue;
      found = true;
      for (const e of asList(c.env).slice(0, 512)) {
        const v = asMap(e);
        if (typeof v.name !== 'string') continue;
        if (v.value !== undefined && v.valueFrom === undefined) env.set(v.name, { value: String(v.value), loc: at(v.name) });
        else envOutside.set(v.name, at(v.name));
      }
      if (asList(c.envFrom).length > 0) fileOutside ??= at('envFrom');
    }
  }
  return found ? { env, envOutside, ...(fileOutside ? { fileOutside } : {}) } : undefined;
}
/** Whether a line's words before a command only show it: `echo`, `printf`, Python's `print(`, a `read -p` prompt. */
function printsOnly(before: string): boolean {
  for (const w of before.split(/[\s;&|()]+/)) if (w === 'echo' || w === 'printf' || w === 'print' || w === 'read') return true;
  return false;
}

/** Files that may run certbot: scripts, playbooks and their templates, Makefiles, Dockerfiles, fabfiles. */
const CERTBOT_CARRIER = /(\.(sh|bash|ya?ml|j2)|(^|\/)(Makefile|Dockerfile[^/]*|fabfile\.py|Procfile))$/;

interface PlatformProcess {
  name: string;
  command: string;
  line: number;
  env: Map<string, { value: string; loc: Loc }>;
}

/** A TOML string value on one line: "basic" (with escapes) or 'literal'. */
function tomlString(raw: string): string | undefined {
  const t = raw.trim();
  if (t.startsWith("'")) {
    const end = t.indexOf("'", 1);
    return end > 0 && !t.startsWith("'''") ? t.slice(1, end) : undefined;
  }
  if (!t.startsWith('"') || t.startsWith('"""')) return undefined;
  let out = '';
  for (let i = 1; i < t.length; i++) {
    const c = t[i];
    if (c === '"') return out;
    if (c === '\\') {
      const n = t[++i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : (n ?? '');
    } else out += c;
  }
  return undefined;
}

/** fly.toml: `[processes]` commands (they replace the image's CMD) and `[env]`, which every process gets. */
export function flyManifest(s: SourceText): { processes: PlatformProcess[]; env: Map<string, { value: string; loc: Loc }>; buildpack: boolean; dockerfile?: string } {
  const env = new Map<string, { value: string; loc: Loc }>();
  const found: { name: string; command: string; line: number }[] = [];
  let table = '';
  let buildpack = false;
  let dockerfile: string | undefined;
  for (let l = 1; l <= s.lineCount; l++) {
    const text = s.lineText(l).trim();
    if (text.startsWith('[')) {
      const inner = text.slice(text.startsWith('[[') ? 2 : 1);
      table = (inner.includes(']') ? inner.slice(0, inner.indexOf(']')) : inner).trim();
      continue;
    }
    const eq = text.indexOf('=');
    if (eq <= 0 || text.startsWith('#')) continue;
    const key = text.slice(0, eq).trim().replace(/^["']|["']$/g, '');
    if (table === 'build' && /^(builder|buildpacks)$/.test(key)) buildpack = true;
    const value = tomlString(text.slice(eq + 1));
    if (value === undefined) continue;
    if (table === 'env') env.set(key, { value, loc: s.lineLoc(l) });
    else if (table === 'processes') found.push({ name: key, command: value, line: l });
    else if (table === 'build' && key === 'dockerfile') dockerfile = value;
  }
  return { processes: found.map((p) => ({ ...p, env })), env, buildpack, ...(dockerfile !== undefined ? { dockerfile } : {}) };
}

/** render.yaml: each service's `startCommand` with its `envVars` (values; the rest are set on the dashboard). */
export function renderManifest(text: string, s: SourceText): { processes: PlatformProcess[]; docker: boolean } {
  let doc: unknown;
  try {
    doc = parseRepoYaml(text);
  } catch {
    return { processes: [], docker: false };
  }
  const processes: PlatformProcess[] = [];
  let docker = false;
  for (const raw of asList(asMap(doc).services).slice(0, 256)) {
    const svc = asMap(raw);
    // Render's Docker runtime runs the image with the manifest's environment; its native ones build without one.
    if (svc.env === 'docker' || svc.runtime === 'docker') docker = true;
    if (typeof svc.startCommand !== 'string' || (svc.type !== undefined && svc.type !== 'web')) continue;
    const first = svc.startCommand.split('\n')[0];
    const line = lineOfText(s, first.trim() || 'startCommand', 1);
    const env = new Map<string, { value: string; loc: Loc }>();
    for (const v of asList(svc.envVars)) {
      const e = asMap(v);
      if (typeof e.key === 'string' && (typeof e.value === 'string' || typeof e.value === 'number' || typeof e.value === 'boolean')) {
        env.set(e.key, { value: String(e.value), loc: s.lineLoc(lineOfText(s, e.key, 1)) });
      }
    }
    processes.push({ name: typeof svc.name === 'string' ? svc.name : 'web', command: svc.startCommand, line, env });
  }
  return { processes, docker };
}

/** Compose `ports`: "8000", "8001:8000", "127.0.0.1:8001:8000/tcp", or the long form; ranges are left out. */
function composePorts(raw: unknown): { published?: number; target: number }[] {
  const out: { published?: number; target: number }[] = [];
  for (const p of asList(raw).slice(0, 256)) {
    if (typeof p === 'number') out.push({ target: p });
    else if (typeof p === 'string') {
      const parts = p.split('/')[0].split(':');
      const target = Number(parts[parts.length - 1]);
      const published = parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined;
      if (Number.isInteger(target)) out.push({ target, published: Number.isInteger(published) ? published : undefined });
    } else {
      const o = asMap(p);
      const target = Number(o.target);
      const published = o.published === undefined ? undefined : Number(o.published);
      if (Number.isInteger(target)) out.push({ target, published: Number.isInteger(published) ? published : undefined });
    }
  }
  return out;
}

/** `a.b.c` → a workspace file: in the hinted folders first, else the shortest path that ends with it. */
export function resolveModule(dotted: string, hints: string[], files: Set<string>, mapDeployed?: (abs: string) => string | undefined, workdir?: string): string | undefined {
  const index = moduleIndex(files);
  const rel = dotted.replace(/\./g, '/');
  const tries = (base: string) => [base === '' ? `${rel}.py` : `${base}/${rel}.py`, base === '' ? `${rel}/__init__.py` : `${base}/${rel}/__init__.py`];
  if (mapDeployed && workdir) {
    for (const t of [`${posix.join(workdir, rel)}.py`, posix.join(workdir, rel, '__init__.py')]) {
      const m = mapDeployed(t);
      if (m && files.has(m)) return m;
    }
  }
  for (const h of hints) for (const t of tries(h)) if (files.has(t)) return t;
  let best: string | undefined;
  const last = rel.slice(rel.lastIndexOf('/') + 1);
  for (const f of index.get(last) ?? []) {
    const stem = f.endsWith('/__init__.py') ? f.slice(0, -12) : f.slice(0, -3);
    if ((stem === rel || stem.endsWith(`/${rel}`)) && (!best || f.length < best.length)) best = f;
  }
  return best;
}

const moduleIndexes = new WeakMap<Set<string>, Map<string, string[]>>();

/** Python files by module name (the file stem, or the package folder for __init__.py), built once per file set. */
function moduleIndex(files: Set<string>): Map<string, string[]> {
  let index = moduleIndexes.get(files);
  if (index) return index;
  index = new Map();
  for (const f of files) {
    if (!f.endsWith('.py')) continue;
    const stem = f.endsWith('/__init__.py') || f === '__init__.py' ? posix.dirname(f) : f.slice(0, -3);
    const name = posix.basename(stem);
    const list = index.get(name);
    if (list) list.push(f);
    else index.set(name, [f]);
  }
  moduleIndexes.set(files, index);
  return index;
}

/**
 * A compose environment value: `${VAR:-default}` is its default (what runs unless the operator sets it); `${VAR}`,
 * `$VAR` and anything else interpolated come from outside the repository (undefined).
 */
/** The PATH of the usual base images, in order. */
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Compose interpolation of `${VAR:-default}` and `${VAR-default}` with their defaults; other references are kept. */
/** A compose file named for production: `docker-compose-deploy.yml`, `compose.prod.yaml`, `docker-compose.production.yml`. */
const PRODUCTION_COMPOSE = /(^|[_.-])(prod|production|deploy|deployment|live|release)([_.-]|$)/i;

/** What in a compose file obtains Let's Encrypt certificates (a certbot/acme service, /etc/letsencrypt mounted). */
const RENDERED_SUFFIX = /\.(template|tpl|tmpl|j2|jinja2?|erb|in)$/i;
const NGINX_PREFIX = /^\/etc\/nginx\b|^\/usr\/local\/nginx\b|^\/usr\/local\/openresty\b/;

/** The first `ssl_certificate …/live/NAME/fullchain.pem` (or cert.pem) path of an nginx text: certbot's layout. */
export function issuedCertificate(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  for (let at = text.indexOf('ssl_certificate'); at >= 0; at = text.indexOf('ssl_certificate', at + 1)) {
    // A directive starts after a line end, `{`, `}` or `;` (blanks between): stepping back over blanks stays linear.
    let k = at - 1;
    while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
    if (k >= 0 && !'\n\r{};'.includes(text[k])) continue;
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const words = text.slice(at, Math.min(end, at + 4096)).split(/[\s;]+/);
    if (words[0] !== 'ssl_certificate' || words[1] === undefined) continue;
    const file = words[1].replace(/^["']|["']$/g, '');
    const parts = file.split('/');
    const live = parts.lastIndexOf('live');
    if (live >= 0 && parts.length === live + 3 && parts[live + 1] !== '' && /^(fullchain|cert)\.pem$/.test(parts[live + 2])) return file;
  }
  return undefined;
}

/** The container paths every service of a compose file mounts volumes at. */
function composeVolumeTargets(doc: unknown): string[] {
  const out: string[] = [];
  for (const raw of Object.values(asMap(asMap(doc).services))) {
    for (const v of asList(asMap(raw).volumes)) {
      const target = typeof v === 'string' ? withDefaults(v).split(':')[1] : asMap(v).target;
      if (typeof target === 'string' && target.startsWith('/')) out.push(posix.normalize(target));
    }
  }
  return out;
}

/**
 * The first site address of a Caddyfile that Caddy gets a certificate for from a public CA (automatic HTTPS): a
 * domain name written out, not `localhost`, an IP address, a port, `http://…` or an `{$ENV}` placeholder.
 */
export function caddyPublicSite(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let depth = 0;
  let autoHttpsOff = false;
  let site: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.length > 4096 ? '' : raw.trim();
    if (line.startsWith('#')) continue;
    if (/^auto_https\s+off\b/.test(line)) autoHttpsOff = true;
    if (depth === 0 && line.endsWith('{') && line !== '{' && site === undefined) {
      for (const a of line.slice(0, -1).split(/[\s,]+/)) {
        const host = a.toLowerCase().replace(/^https:\/\//, '').replace(/:443$/, '');
        if (publicDomain(host)) {
          site = a;
          break;
        }
      }
    }
    for (const ch of line) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
    if (depth < 0) depth = 0;
  }
  return autoHttpsOff ? undefined : site;
}

const LOCAL_TLDS = new Set(['localhost', 'local', 'test', 'example', 'internal', 'lan', 'invalid', 'home', 'docker']);

/** `app.example.org`, `*.example.org`: labels of letters, digits and `-`, a top-level name of letters not kept local. */
function publicDomain(host: string): boolean {
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  if (labels.length < 2 || labels.some((l) => l === '' || !/^[a-z0-9-]+$/.test(l))) return false;
  const tld = labels[labels.length - 1];
  return /^[a-z]{2,}$/.test(tld) && !LOCAL_TLDS.has(tld) && labels[labels.length - 2] !== 'example';
}

function letsEncrypt(doc: unknown): string | undefined {
  for (const [name, raw] of Object.entries(asMap(asMap(doc).services))) {
    const svc = asMap(raw);
    const image = typeof svc.image === 'string' ? svc.image.toLowerCase() : '';
    if (/(^|\/)(certbot|acme-companion|letsencrypt-nginx-proxy-companion|acme\.sh)(:|$)/.test(image)) return `service \`${name}\` runs ${svc.image as string}`;
    // Traefik with an ACME certificate resolver (on its command line, or a router's label asking for one).
    const words = [...asList(svc.command), ...asList(svc.labels), ...Object.entries(asMap(svc.labels)).map(([k, v]) => `${k}=${String(v)}`)]
      .filter((w): w is string => typeof w === 'string')
      .flatMap((w) => w.split(/\s+/));
    const acme = words.find((w) => /^--certificatesresolvers\.[\w-]+\.acme\./i.test(w) || /\.tls\.certresolver=\S/i.test(w));
    if (acme) return `service \`${name}\` asks Traefik for certificates from an ACME CA (\`${acme}\`)`;
    for (const v of asList(svc.volumes)) {
      const target = typeof v === 'string' ? v.split(':')[1] : typeof asMap(v).target === 'string' ? (asMap(v).target as string) : undefined;
      if (target !== undefined && /^\/etc\/letsencrypt(\/|$)/.test(target)) return `service \`${name}\` mounts ${target}`;
    }
  }
  return undefined;
}

/** `${VAR:-default}` and `${VAR-default}` as compose reads them with VAR unset. */
export function withDefaults(raw: string): string {
  return raw.includes('${') ? raw.replace(/\$\{[A-Za-z_]\w*:?-([^${}]*)\}/g, '$1') : raw;
}

function composeValue(raw: string): string | undefined {
  if (!raw.includes('$')) return raw;
  const m = /^\$\{[A-Za-z_]\w*:?-([^${}]*)\}$/.exec(raw.trim());
  return m ? m[1] : undefined;
}

function asMap(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** How far below a service's line its keys are looked for (a bound: compose files can be long). */
const KEY_SEARCH_LINES = 400;

function lineOfKey(s: SourceText, key: string, from = 1): number {
  for (let l = from; l <= Math.min(s.lineCount, from + KEY_SEARCH_LINES); l++) {
    const t = s.lineText(l).trimStart();
    if (t.startsWith(`${key}:`) || t.startsWith(`"${key}":`) || t.startsWith(`'${key}':`) || t.startsWith(`- ${key}=`)) return l;
  }
  return from;
}

function lineOfText(s: SourceText, text: string, from = 1, otherwise = from): number {
  for (let l = from; l <= Math.min(s.lineCount, from + KEY_SEARCH_LINES); l++) if (s.lineText(l).includes(text)) return l;
  return otherwise;
}

/** One problem per place and message (a file read by several entry points reports once). */
function dedupeProblems<T extends { loc: Loc; message: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.loc.path}:${p.loc.line}:${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Stage names that say the stage is what gets deployed, even when another stage builds on it. */
const PRODUCTION_STAGE = /^(prod|production|release|live|deploy|final|runtime|app|web|server)([-_.]|$)/;

/** The `AS name` of a `FROM` line, lower-cased. */
function stageAlias(args: string[]): string | undefined {
  const k = args.findIndex((a) => a.toLowerCase() === 'as');
  const alias = k >= 0 ? args[k + 1] : undefined;
  return alias && /^[\w.-]+$/.test(alias) ? alias.toLowerCase() : undefined;
}

/** A Heroku app.json (not any file of that common name): its `env` values, those set outside, and its stack. */
function herokuAppEnv(f: string, text: string | undefined, src: (p: string) => SourceText): { set: Map<string, { value: string; loc: Loc }>; outside: Map<string, Loc>; buildpack: boolean } | undefined {
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = asMap(doc);
  if (!('env' in m || 'formation' in m || 'buildpacks' in m || 'stack' in m)) return undefined;
  const set = new Map<string, { value: string; loc: Loc }>();
  const outside = new Map<string, Loc>();
  for (const [k, v] of Object.entries(asMap(m.env))) {
    const at = src(f).lineLoc(lineOfText(src(f), `"${k}"`, 1));
    if (typeof v === 'string') set.set(k, { value: v, loc: at });
    else if (typeof asMap(v).value === 'string' && asMap(v).generator === undefined) set.set(k, { value: asMap(v).value as string, loc: at });
    else if (asMap(v).generator !== undefined || asMap(v).required !== false) outside.set(k, at);
  }
  return { set, outside, buildpack: m.stack !== 'container' };
}
