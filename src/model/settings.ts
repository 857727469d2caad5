import { pinnedDjangoVersion } from './django-version';
import { compileGlob } from '../util/glob';
import { compareVersions, type Config } from '../config';
import { SourceText } from '../parsers/source';
import type { Loc } from '../types';
import type { DeploymentModel, ModelInput } from './index';
import { roleFromPath, type RoleInfo } from './deploy/roles';
import { opaqueStatement, PythonEvaluator, type Binding, type EnvInput, type ModuleEval, type OpaqueImport, type Otherwise, type StandIn } from './python/evaluate';
import type { DeployModel, DeployUnit, SettingsRef } from './deploy';
import { concrete, isSequence, possibleValues, pyEquals, seqContains, show, truthy, type PyValue, type Tri, type Unknown } from './python/values';
import { chooseConfiguration } from './python/configurations';
import { pushTo } from '../util/multimap';
import { importTargets, surelyComplete } from './focus';

export const SECURITY_MIDDLEWARE = 'django.middleware.security.SecurityMiddleware';
/** django-secure's middleware, which Django 1.8 took in as SecurityMiddleware (same settings, same behaviour). */
export const DJANGO_SECURE_MIDDLEWARE = 'djangosecure.middleware.SecurityMiddleware';
export const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';
export const CSRF_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';
export const SESSIONS_APP = 'django.contrib.sessions';

/** What a rule learns about one setting after the import chain is merged. */
export type SettingValue =
  /** Not set anywhere (or removed with `del`, at `deleted`): Django's default applies. */
  | { state: 'unset'; deleted?: Loc; otherwise?: Otherwise }
  /**
   * Known; `assumed` when it rests on a visible default (env var default, branch taken by default). `otherwise`:
   * what a branch skipped only by an environment default sets instead (`if os.environ.get("PROD"): X = True`).
   */
  | { state: 'known'; value: PyValue; binding: Binding; assumed?: Unknown; otherwise?: Otherwise }
  /** Cannot be known statically. */
  | { state: 'unknown'; binding: Binding; why: string; source?: string; alternatives?: (PyValue | undefined)[]; opaque?: OpaqueImport };

/** One settings module judged as a deployable configuration, with its `from … import *` chain merged. */
/** Why a settings module is judged: an entry point names it, the config does, or the fallback picked it. */
export type SettingsSelection =
  | { how: 'entry-point'; evidence: string }
  | { how: 'config' }
  | { how: 'fallback'; why: string };

export class SettingsModule {
  constructor(
    readonly path: string,
    readonly source: SourceText,
    private readonly mod: ModuleEval,
    readonly djangoVersion: string,
    readonly selection: SettingsSelection = { how: 'fallback', why: 'no entry point names a settings module' },
  ) {}

  /** Environment variables the deployment sets that this module's values were computed with. */
  deploymentEnv: ReadonlyMap<string, string> = new Map();

  /** Where the repository pins the Django release judged (path:line), when django-version is not configured. */
  djangoVersionAt?: string;

  /** The release is pinned (requirements, django-version), not only bounded by the code (Python 2, MIDDLEWARE_CLASSES). */
  djangoVersionPinned = false;

  /** Every file whose assignments feed this module (the chain, then the module itself). */
  get files(): string[] {
    return [...new Set([...this.mod.starImports.map((s) => s.path), this.path])];
  }

  get opaqueImports(): OpaqueImport[] {
    return this.mod.opaqueImports;
  }

  /** `try: from local_settings import *` of modules the repository lacks, taken as absent (a deployment may add them). */
  get absentImports(): OpaqueImport[] {
    return this.mod.absent ?? [];
  }

  binding(name: string): Binding | undefined {
    return this.mod.names.get(name);
  }

  /** The effective value; an unknown one is remembered for django/setting-unresolved. */
  get(name: string): SettingValue {
    const v = this.resolve(name);
    if (v.state === 'unknown') this.undecided.add(name);
    return v;
  }

  /** The value, without counting it as one a rule could not decide (for evidence that only lowers a severity). */
  peek(name: string): SettingValue {
    return this.resolve(name);
  }

  private resolve(name: string): SettingValue {
    const b = this.mod.names.get(name);
    const deleted = this.mod.deleted?.get(name);
    const otherwise = this.mod.otherwise?.get(name);
    if (!b && deleted) return { state: 'unset', deleted, otherwise };
    if (!b) {
      const opaque = this.mod.opaqueImports[this.mod.opaqueImports.length - 1];
      if (!opaque) return { state: 'unset', otherwise };
      // Not set in the workspace, but a star import we cannot read may set it.
      const why = `not set in the workspace, and \`${opaqueStatement(opaque)}\` (${opaque.loc.path}:${opaque.loc.line}) may set it`;
      return { state: 'unknown', binding: { value: { t: 'unknown', why, loc: opaque.loc }, loc: opaque.loc, defLoc: opaque.loc }, why, opaque };
    }
    const v = b.value;
    if (v.t !== 'unknown') return { state: 'known', value: v, binding: b, otherwise };
    const c = concrete(v);
    if (c) return { state: 'known', value: c.value, binding: b, assumed: c.assumedFrom, otherwise };
    return { state: 'unknown', binding: b, why: v.why, source: v.source, alternatives: v.alternatives };
  }

  /**
   * The checked-in module is a development base that a file outside the repository completes in production: it
   * hard-codes `DEBUG = True` and star-imports a module the repository lacks under `except ImportError`
   * (`from .local_settings import *`). The import, when so.
   */
  /** Star imports of modules the repository lacks, judged on the template it ships for each. */
  get standIns(): StandIn[] {
    return this.mod.standIns ?? [];
  }

  /** Where the module sets SECRET_KEY = '' as written (not an environment default): Django cannot sign with it. */
  get emptySecretKey(): Loc | undefined {
    const b = this.mod.names.get('SECRET_KEY');
    return b && b.value.t === 'str' && b.value.v === '' ? b.loc : undefined;
  }

  get localOverride(): OpaqueImport | undefined {
    const absent = this.mod.absent ?? [];
    if (absent.length === 0) return undefined;
    const debug = this.mod.names.get('DEBUG')?.value;
    return debug?.t === 'bool' && debug.v ? absent[absent.length - 1] : undefined;
  }

  /** Whether Django 4.1+ (`is True`) or older (truthiness) semantics apply to the cookie checks. */
  get strictBooleans(): boolean {
    return compareVersions(this.djangoVersion, '4.1') >= 0;
  }

  /**
   * Tests a setting as Django's checks do. `strict` = `is True`; otherwise truthiness. An unset setting takes
   * `dflt`. Unknown values with alternatives answer only when every branch agrees.
   */
  /** Settings a rule asked about and could not decide, for django/setting-unresolved. */
  readonly undecided = new Set<string>();

  test(name: string, pred: (v: PyValue | undefined) => boolean | undefined): { answer: Tri; value: SettingValue } {
    const r = this.decide(name, pred);
    if (r.answer === 'unknown') this.undecided.add(name);
    return r;
  }

  private decide(name: string, pred: (v: PyValue | undefined) => boolean | undefined): { answer: Tri; value: SettingValue } {
    const value = this.resolve(name);
    if (value.state === 'unset') return { answer: toTri(pred(undefined)), value };
    if (value.state === 'known') return { answer: toTri(pred(value.value)), value };
    const alternatives = branches(value.binding.value);
    if (alternatives) {
      const answers = alternatives.map((a) => pred(a));
      if (answers.every((x) => x === true)) return { answer: 'yes', value };
      if (answers.every((x) => x === false)) return { answer: 'no', value };
    }
    return { answer: 'unknown', value };
  }

  isTrue(name: string, strict = true): { answer: Tri; value: SettingValue } {
    return this.test(name, (v) => (v === undefined ? false : strict ? v.t === 'bool' && v.v : truthy(v)));
  }

  /** Whether a list setting (MIDDLEWARE, INSTALLED_APPS) contains a string. */
  contains(name: string, item: string): { answer: Tri; value: SettingValue } {
    return this.test(name, (v) => {
      if (v === undefined) return false;
      // An item that cannot be known, or that is there only on some branches, might be the one we look for.
      return seqContains(v, { t: 'str', v: item, loc: v.loc });
    });
  }

  /** The middleware setting Django reads for this version (MIDDLEWARE_CLASSES before 1.10 style settings). */
  get middlewareName(): string {
    if (this.resolve('MIDDLEWARE').state === 'unset' && this.resolve('MIDDLEWARE_CLASSES').state !== 'unset' && compareVersions(this.djangoVersion, '2.0') < 0) return 'MIDDLEWARE_CLASSES';
    return 'MIDDLEWARE';
  }

  hasMiddleware(dotted: string): { answer: Tri; value: SettingValue } {
    const own = this.contains(this.middlewareName, dotted);
    if (dotted !== SECURITY_MIDDLEWARE || own.answer === 'yes') return own;
    const secure = this.contains(this.middlewareName, DJANGO_SECURE_MIDDLEWARE);
    return secure.answer === 'no' ? own : { ...own, answer: secure.answer };
  }

  /** Why this module runs on a Django without SecurityMiddleware (before 1.8), or undefined. */
  get beforeSecurityMiddleware(): string | undefined {
    if (compareVersions(this.djangoVersion, '1.8') < 0) return `Django ${this.djangoVersion}${this.djangoVersionAt ? ` (pinned at ${this.djangoVersionAt})` : ''}`;
    // South stops with an error on Django 1.7 and later, which brought migrations of its own. A release the
    // repository pins (1.7 or later, per the check above) says otherwise: the settings outlived South.
    if (!this.djangoVersionPinned && this.contains('INSTALLED_APPS', 'south').answer === 'yes') return "Django 1.6 or older ('south' is in INSTALLED_APPS, and South does not run on 1.7 or later)";
    return undefined;
  }

  /** Where to report a setting that is missing: the related setting in this module, else its star import, else line 1. */
  anchorForMissing(...related: string[]): Loc {
    for (const name of related) {
      const b = this.binding(name);
      if (b && b.defLoc.path === this.path) return firstLine(b.defLoc, this.source);
    }
    const ownStars = this.mod.starImports.filter((s) => s.loc.path === this.path);
    if (ownStars.length > 0) return firstLine(ownStars[ownStars.length - 1].loc, this.source);
    for (const name of related) {
      const b = this.binding(name);
      if (b) return b.defLoc;
    }
    return this.source.lineLoc(1);
  }

  /** Where to report a setting that is set: the statement that set it (first line), else anchorForMissing. */
  anchorFor(name: string, ...related: string[]): Loc {
    const b = this.binding(name);
    if (b) return firstLine(b.loc, b.loc.path === this.path ? this.source : undefined);
    // Removed with `del`: the finding belongs on the statement that removed it.
    const deleted = this.mod.deleted?.get(name);
    if (deleted) return firstLine(deleted, deleted.path === this.path ? this.source : undefined);
    return this.anchorForMissing(...related);
  }

  /**
   * The "judged on the default" notes of the settings a verdict rests on (their value, or an item of it, taken
   * from an environment default or a branch taken by default), each once; '' when none is assumed.
   */
  defaultNotes(...names: string[]): string {
    const notes = new Set<string>();
    for (const name of names) {
      const v = this.resolve(name);
      if (v.state !== 'known') continue;
      if (v.assumed) notes.add(assumptionNote(v));
      if (isSequence(v.value)) {
        for (const item of v.value.items) {
          const c = item.t === 'unknown' ? concrete(item) : undefined;
          if (c?.assumedFrom) notes.add(assumptionNote({ ...v, value: c.value, assumed: c.assumedFrom }));
        }
      }
    }
    return [...notes].join('');
  }

  /** " (in settings module x.py)" when a finding lands in another file of the chain. */
  where(loc: Loc): string {
    return loc.path === this.path ? '' : ` (settings module ${this.path})`;
  }
}

function toTri(b: boolean | undefined): Tri {
  return b === true ? 'yes' : b === false ? 'no' : 'unknown';
}

/** Trims a multi-line statement to its first line so annotations sit on the line that starts it. */
export function firstLine(loc: Loc, source?: SourceText): Loc {
  if (loc.endLine === loc.line) return loc;
  const end = source ? source.lineText(loc.line).length + 1 : loc.column + 1;
  return { ...loc, endLine: loc.line, endColumn: Math.max(end, loc.column + 1) };
}

/** A note for messages about values that rest on an assumption, e.g. an env var's default. */
export function assumptionNote(v: SettingValue): string {
  if (v.state !== 'known' || !v.assumed) return '';
  // A branch taken by default (or as the deployment decides) that binds a value read with its own default: both decide it.
  const inner: string[] = [];
  const seen = new Set([v.assumed.source]);
  for (let cur = v.assumed.assumed, i = 0; cur?.t === 'unknown' && cur.source && i < 4; cur = cur.assumed, i++) {
    if (seen.has(cur.source)) continue;
    seen.add(cur.source);
    inner.push(cur.deployed ? `\`${cur.source}\` as the deployment sets it (${cur.deployed})` : `the default in \`${cur.source}\``);
  }
  const more = inner.map((s) => ` and ${s}`).join('');
  if (v.assumed.deployed) return ` (\`${v.assumed.source ?? 'the environment'}\`, as the deployment sets it: ${v.assumed.deployed}${more})`;
  if (!v.assumed.source) return ` (judged on a default: ${v.assumed.why})`;
  return ` (judged on the default in \`${v.assumed.source}\`${more})`;
}

/** Renders a setting's value for messages. */
export function describe(name: string, v: SettingValue, dflt: string): string {
  if (v.state === 'unset' && v.deleted) return `${name} is removed by \`del ${name}\` (line ${v.deleted.line}), so Django's default applies (${dflt})`;
  if (v.state === 'unset') return `${name} is not set (Django's default is ${dflt})`;
  if (v.state === 'known') return `${name} is ${show(v.value)}${assumptionNote(v)}`;
  if (v.alternatives) {
    const alts = [...new Set(v.alternatives.map((a) => (a === undefined ? `unset (${dflt})` : show(concrete(a)?.value ?? a))))];
    return `${name} ${v.why} and is ${alts.join(' or ')} either way`;
  }
  return `${name} cannot be determined statically (${v.why})`;
}

export function equalsStr(v: PyValue | undefined, s: string): boolean {
  return v !== undefined && pyEquals(v, { t: 'str', v: s, loc: v.loc }) === true;
}

/** Names that mark a development or test configuration; production-like names win when present. */
const DEV_NAMES = /^(dev|devel|development|local|test|tests|testing|ci|debug|sandbox|example|sample|docker_dev)(_settings)?$/i;
const PROD_NAMES = /^(prod|production|live|deploy|deployment|release|prd|staging|stage)(_settings)?$/i;

/**
 * A module's project: the deepest folder above it that holds a manage.py, else its top-level folder (a monorepo
 * keeps one project per folder).
 */
/**
 * Whether a deployment file belongs to a settings module's deployment: same project, or a folder above the module
 * (a root Dockerfile or app.json deploying `sandbox/settings.py`).
 */
export function deploysProject(modulePath: string, file: string, projectOf: (p: string) => string): boolean {
  if (projectOf(file) === projectOf(modulePath)) return true;
  const i = file.lastIndexOf('/');
  return i < 0 || modulePath.startsWith(file.slice(0, i + 1));
}

export function projectRoots(input: Pick<ModelInput, 'allFiles' | 'pythonFiles'>): (path: string) => string {
  const manageDirs = new Set<string>();
  const files = input.allFiles ?? input.pythonFiles;
  for (const f of files) if (f === 'manage.py' || f.endsWith('/manage.py')) manageDirs.add(f.slice(0, -'manage.py'.length));
  // A repository without manage.py (it deploys only the package): the folder above each package's wsgi.py or
  // asgi.py is a project's root, as `startproject` lays it out.
  if (manageDirs.size === 0) {
    for (const f of files) {
      const m = /(^|\/)[^/]+\/(wsgi|asgi)\.py$/.exec(f);
      if (m) manageDirs.add(f.slice(0, m.index + m[1].length));
    }
  }
  return (path) => {
    for (let i = path.lastIndexOf('/'); i >= 0; i = path.lastIndexOf('/', i - 1)) {
      const dir = path.slice(0, i + 1);
      if (manageDirs.has(dir)) return dir;
      if (i === 0) break;
    }
    if (manageDirs.has('')) return '';
    // One Django project in the repository: deployment files beside its folder (`k8s/`, `deploy/`) deploy it.
    if (manageDirs.size === 1) return manageDirs.values().next().value as string;
    const slash = path.indexOf('/');
    return slash < 0 ? '' : path.slice(0, slash + 1);
  };
}

function stem(path: string): string {
  const parts = path.split('/');
  const file = parts[parts.length - 1].replace(/\.py$/, '');
  return file === '__init__' ? parts[parts.length - 2] ?? file : file;
}

/**
 * Interprets every settings module, then picks the ones to judge: the entry modules (not star-imported by another
 * settings module) that define INSTALLED_APPS or MIDDLEWARE. When entries with production-like names exist, only
 * those are judged; otherwise development/test-named entries are left out when others remain. The
 * `settings-modules` config globs override the choice.
 */
export function buildSettingsModel(input: ModelInput, model: DeploymentModel): SettingsModule[] {
  const focus = input.focus;
  if (focus) model.focus = { judgedElsewhere: new Set(), unsettled: new Set(), reach: new Set(), doubts: [], mentions: new Set() };
  const ev = sharedEvaluator(input, model);
  // Django's own defaults (a vendored or copied Django source tree) are not a project's settings.
  const candidates = input.files.filter((f) => f.kind === 'django-settings' && !f.path.endsWith('django/conf/global_settings.py')).map((f) => f.path);
  const evaluated = new Map<string, ModuleEval>();
  // Class-based settings (django-configurations): the module Django sees holds the chosen class's attributes.
  const classNotJudged = new Map<string, { reason: string; loc: Loc }>();
  const withClass = (p: string, m: ModuleEval | undefined): ModuleEval | undefined => {
    if (!m) return undefined;
    const c = chooseConfiguration(m.names, model.deploy?.configurationRefs ?? []);
    if (!c) return m;
    if ('notJudged' in c) {
      classNotJudged.set(p, { reason: c.notJudged, loc: c.loc });
      return m;
    }
    const opaque = [...m.opaqueImports, ...c.external.map((e) => ({ module: `${e.module} (a base class outside the workspace)`, loc: e.loc }))];
    return { ...m, names: c.names, opaqueImports: opaque, configuration: { className: c.className, evidence: c.evidence } };
  };
  const load = (p: string): ModuleEval | undefined => withClass(p, ev.evaluate(p));
  for (const p of candidates) {
    const m = load(p);
    if (m) evaluated.set(p, m);
  }
  const imported = new Set<string>();
  const importers = new Map<string, string[]>();
  for (const [p, m] of evaluated) {
    for (const s of m.starImports) {
      if (s.path === p) continue;
      imported.add(s.path);
      const list = importers.get(s.path);
      if (list) list.push(p);
      else importers.set(s.path, [p]);
    }
  }
  const config: Config = input.config;
  // A fragment that fails on its own import (`INSTALLED_APPS += [...]` first, run by another module's exec()) is none.
  const complete = (m: ModuleEval) => !m.unboundUpdate && (m.names.has('INSTALLED_APPS') || m.names.has('MIDDLEWARE') || m.names.has('MIDDLEWARE_CLASSES'));
  let chosen: string[];
  const selection = new Map<string, SettingsSelection>();
  const named = config.settingsModules.length > 0 ? undefined : namedByEntryPoints(model, load, evaluated, complete, input.focus);
  if (config.settingsModules.length > 0) {
    const globs = config.settingsModules.map((g) => compileGlob(g, 'config'));
    chosen = [...evaluated.keys()].filter((p) => globs.some((g) => g.test(p)));
    for (const p of chosen) selection.set(p, { how: 'config' });
  } else {
    chosen = [];
    // Entry points decide per project: in a monorepo, a project that no entry point covers still gets the fallback.
    const projectOf = projectRoots(input);
    const covered = new Set<string>();
    for (const c of named?.chosen ?? []) {
      covered.add(projectOf(c.path));
      // Judged by a full scan, not evaluated here: links to it are definite, and it is not one of this model's.
      if (focus && !focus.loaded(c.path)) {
        model.focus!.judgedElsewhere.add(c.path);
        continue;
      }
      chosen.push(c.path);
      selection.set(c.path, { how: 'entry-point', evidence: c.evidence });
    }
    // Projects not loaded that no entry point covers: a full scan picks their modules by the fallback.
    if (focus) for (const p of focus.elsewhere.keys()) if (!covered.has(projectOf(p))) model.focus!.unsettled.add(projectOf(p));
    const groups = new Map<string, [string, ModuleEval][]>();
    for (const [p, m] of evaluated) {
      const root = projectOf(p);
      if (covered.has(root) || (focus && !focus.loaded(p))) continue;
      const g = groups.get(root);
      if (g) g.push([p, m]);
      else groups.set(root, [[p, m]]);
    }
    const why = named?.why ?? (covered.size > 0 ? 'no entry point names a settings module of this project' : 'no entry point names a settings module');
    for (const group of groups.values()) {
      let entries = group.filter(([p, m]) => !imported.has(p) && complete(m)).map(([p]) => p);
      // Modules that star-import each other leave no entry: judge each of them. One that a module of another
      // project imports (pretix's deployment/docker/production_settings.py) is judged there.
      if (entries.length === 0) {
        const mine = new Set(group.map(([p]) => p));
        entries = group.filter(([p, m]) => complete(m) && (importers.get(p) ?? []).every((i) => mine.has(i))).map(([p]) => p);
      }
      // A module that only a build step names (`RUN DJANGO_SETTINGS_MODULE=app.settings.static … collectstatic`)
      // never serves a request: judged only when nothing else is left (pythondotorg).
      const buildOnly = (p: string) => {
        const refs = model.deploy?.settingsRefs.filter((r) => r.path === p) ?? [];
        return refs.length > 0 && refs.every((r) => r.build);
      };
      if (entries.some((p) => !buildOnly(p))) entries = entries.filter((p) => !buildOnly(p));
      const prod = entries.filter((p) => PROD_NAMES.test(stem(p)));
      const notDev = entries.filter((p) => !DEV_NAMES.test(stem(p)));
      for (const p of prod.length > 0 ? prod : notDev.length > 0 ? notDev : entries) {
        chosen.push(p);
        selection.set(p, { how: 'fallback', why });
        // Named only by development, test or CI entry points: it is theirs, not production's.
        const refs = model.deploy?.settingsRefs.filter((r) => r.path === p) ?? [];
        if (refs.length > 0 && refs.every((r) => r.role !== 'production')) {
          const r = refs[0];
          pushTo(model.deploy!.deployed, p, { role: r.role, source: 'entry-point', why: `only ${r.loc.path}:${r.loc.line} names it, ${r.unit ? r.unit.role.why : `a ${r.role} file`}` });
        }
      }
    }
  }
  for (const [p, m] of evaluated) {
    if (!imported.has(p) && !complete(m) && m.opaqueImports.length > 0) model.settingsNotJudged.push({ path: p, opaque: m.opaqueImports[0] });
  }
  const projectOf = projectRoots(input);
  // Never dropped silently: class-based modules whose class could not be chosen, unless another one was judged.
  if (![...evaluated.values()].some((m) => m.configuration)) {
    for (const [p, c] of classNotJudged) if (!imported.has(p) && !chosen.includes(p)) model.settingsNotJudged.push({ path: p, reason: c.reason, loc: c.loc });
    // A class-based module of a project not loaded would hide these (a full scan evaluates every module).
    if (focus && model.settingsNotJudged.some((s) => 'reason' in s) && [...focus.elsewhere.values()].some((t) => t.includes('Configuration'))) {
      model.focus!.doubts.push('a class-based settings module outside the loaded projects may decide which modules are reported as not judged');
    }
  }
  if (focus) importsReachingLoaded(input, model, ev, focus, projectOf);
  const release = djangoRelease(input);
  const modules = chosen.map((p) => {
    // The environment the deployments of this module set replaces the code's defaults: evaluate it with that.
    const environ = deploymentEnviron(model, p, projectOf);
    // An environment that sets none of the names the module read changes nothing: keep the shared evaluation.
    const read = environ ? ev.envNamesRead(p) : undefined;
    const matters = environ && (!read || [...read].some((n) => environ.lookup(n) !== undefined));
    const m = (matters ? withClass(p, environEvaluator(input, model, environ.lookup).evaluate(p)) : undefined) ?? evaluated.get(p)!;
    // Python 2 source runs on Django 1.11 at the newest (2.0 needs Python 3).
    const py2 = release.at || config.djangoVersionGiven ? undefined : model.diagnostics.find((d) => d.python2 && (d.loc.path === p || m.starImports.some((x) => x.path === d.loc.path)));
    // Only MIDDLEWARE_CLASSES (no MIDDLEWARE): written for Django before 2.0, which ignores it and runs no middleware.
    const legacy = release.at || config.djangoVersionGiven || py2 || m.names.has('MIDDLEWARE') ? undefined : m.names.get('MIDDLEWARE_CLASSES');
    const version =
      py2 && compareVersions(release.version, '1.11') > 0
        ? { version: '1.11', at: `${py2.loc.path}:${py2.loc.line} (Python 2 syntax, so Django 1.11 at the newest)` }
        : legacy && compareVersions(release.version, '1.11') > 0
          ? { version: '1.11', at: `${legacy.loc.path}:${legacy.loc.line} (MIDDLEWARE_CLASSES without MIDDLEWARE: written for Django before 2.0)` }
          : release;
    const s = new SettingsModule(p, m.source, m, version.version, selection.get(p));
    s.djangoVersionAt = version.at;
    s.djangoVersionPinned = version === release && (release.at !== undefined || config.djangoVersionGiven === true);
    if (environ && m !== evaluated.get(p)) s.deploymentEnv = environ.read;
    return s;
  });
  // Files of a judged module's chain take its role: a shared base.py is as production as the module using it.
  const deploy = model.deploy;
  if (deploy) {
    for (const s of modules) {
      // The production sibling must be a settings module of its own (complete, or named by an entry point), not a
      // fragment nothing imports (quiz-backend's settings_prod.py).
      const real = (f: string) => { const e = evaluated.get(f); return (e !== undefined && complete(e)) || deploy.settingsRefs.some((r) => r.path === f); };
      const dev = debugModuleBesideProduction(s, input.pythonFiles, real, deploy) ?? debugModuleRunOnlyInDevelopment(s, deploy);
      if (dev && deploy.roleOf(s.path).role === 'production' && deploy.roleOf(s.path).source !== 'config') deploy.inherit(s.path, dev);
    }
    for (const m of modules) {
      const info = deploy.roleOf(m.path);
      for (const f of m.files) if (f !== m.path) deploy.inherit(f, { ...info, why: `it is part of settings module ${m.path} (${info.role}: ${info.why})` });
    }
  }
  return modules;
}

const PRODUCTION_STEM = /(^|[_.-])(prod|production|live)([_.-]|$)/i;
const dirOf = (p: string) => p.slice(0, Math.max(0, p.lastIndexOf('/')));

/**
 * A judged module that itself writes `DEBUG = True` (no condition, no environment) while its package holds a module
 * named for production (`production.py`, `prod.py`, `production_example.py`) is the development module: Django's
 * deployment checklist turns DEBUG off, and the project keeps production elsewhere (onadata's docker.py).
 */
function debugModuleBesideProduction(s: SettingsModule, pythonFiles: string[], isModule: (path: string) => boolean, deploy: DeployModel): RoleInfo | undefined {
  const b = s.binding('DEBUG');
  if (!b || b.value.t !== 'bool' || !b.value.v || b.loc.path !== s.path || PRODUCTION_STEM.test(stem(s.path))) return undefined;
  const dir = dirOf(s.path);
  const sibling = pythonFiles.find((f) => f !== s.path && dirOf(f) === dir && PRODUCTION_STEM.test(stem(f)) && isModule(f));
  if (sibling) return { role: 'development', source: 'guess', why: `it sets DEBUG = True (${b.loc.path}:${b.loc.line}) while ${sibling} is named for production` };
  // …or one that a production entry point names and the repository does not hold (hackassistant's prod_wsgi.py).
  const missing = missingProductionModule(s, deploy);
  if (missing) return { role: 'development', source: 'guess', why: `it sets DEBUG = True (${b.loc.path}:${b.loc.line}) while ${missing.loc.path}:${missing.loc.line} runs ${missing.module}, named for production` };
  return undefined;
}

/**
 * A module named for production (`app.prod_settings`) that a production web entry point runs, in the package of a
 * judged module, but that the repository does not hold: production's own settings are kept elsewhere. Only an
 * entry point at least as strong as those naming the judged module counts.
 */
export function missingProductionModule(s: SettingsModule, deploy: DeployModel): SettingsRef | undefined {
  if (PRODUCTION_STEM.test(stem(s.path))) return undefined;
  const dir = dirOf(s.path);
  // Evidence at least as strong as what names this module: a compose environment that runs it outranks a wsgi.py
  // default naming the missing one (FIR's composeprod.py).
  let own = 0;
  for (const r of deploy.settingsRefs) if (r.path === s.path && r.role === 'production' && r.web !== 'no' && !r.build) own = Math.max(own, r.rank);
  return deploy.settingsRefs.find((r) => {
    if (r.path !== undefined || r.role !== 'production' || r.web === 'no' || r.build || r.rank < own) return false;
    const parts = r.module.split('.');
    const pkg = parts.slice(0, -1).join('/');
    return PRODUCTION_STEM.test(parts[parts.length - 1]) && pkg !== '' && (dir === pkg || dir.endsWith(`/${pkg}`));
  });
}

/**
 * A judged module that itself writes `DEBUG = True` and that only development app servers run (a compose file that
 * mounts the source tree starts gunicorn with the wsgi.py default) is that development setup's module, as its
 * nginx is: the repository shows no production deployment of it.
 */
function debugModuleRunOnlyInDevelopment(s: SettingsModule, deploy: NonNullable<DeploymentModel['deploy']>): RoleInfo | undefined {
  const b = s.binding('DEBUG');
  if (!b || b.value.t !== 'bool' || !b.value.v || b.loc.path !== s.path) return undefined;
  const runs = deploy.apps.filter((a) => a.settings === s.path);
  // An example (`sample_files/uwsgi.ini`) documents a production setup: only development units count.
  if (runs.length === 0 || runs.some((a) => a.unit.role.role !== 'development')) return undefined;
  if (deploy.settingsRefs.some((r) => r.path === s.path && r.unit?.role.role === 'production')) return undefined;
  const a = runs[0];
  return { role: 'development', source: 'guess', why: `it sets DEBUG = True (${b.loc.path}:${b.loc.line}) and only ${a.loc.path}:${a.loc.line} runs it, ${a.unit.role.why}` };
}

/**
 * The settings modules production web entry points name, strongest evidence first: a deployment's environment
 * (Dockerfile, compose, Procfile, systemd, supervisor, uwsgi, gunicorn) over wsgi.py/asgi.py over manage.py.
 * Modules named only by development, test or CI entry points, or only by a worker (celery), are not the web
 * app's. `why` says, for the fallback, why no named module could be used.
 */
function namedByEntryPoints(
  model: DeploymentModel,
  load: (path: string) => ModuleEval | undefined,
  evaluated: Map<string, ModuleEval>,
  complete: (m: ModuleEval) => boolean,
  focus?: ModelInput['focus'],
): { chosen: { path: string; evidence: string }[]; why?: string } {
  const deploy = model.deploy;
  if (!deploy || deploy.settingsRefs.length === 0) return { chosen: [] };
  const refs = deploy.settingsRefs.filter((r) => r.role === 'production' && r.web !== 'no');
  const usable: { path: string; evidence: string; rank: number; devServer: boolean }[] = [];
  const unusable: string[] = [];
  for (const r of refs) {
    const where = `${r.loc.path}:${r.loc.line}`;
    if (!r.path) {
      unusable.push(`${where} names ${r.module}, which is not in the workspace`);
      continue;
    }
    // wsgi.py/asgi.py/manage.py often default to the developer's module and leave production to the
    // environment: such a default is not evidence of what is deployed.
    const own = r.rank < 3 ? roleFromPath(r.path) : undefined;
    if (own && own.role !== 'production') {
      unusable.push(`${where} defaults to ${r.module}, a ${own.role} module (${own.why}), which the deployment's environment is expected to replace`);
      continue;
    }
    // Outside a focused scan's loaded projects: a module whose text surely makes it complete is not evaluated;
    // another is, exactly as a full scan would, but does not join this model's fallback groups.
    const away = focus !== undefined && !focus.loaded(r.path);
    const text = away ? focus.elsewhere.get(r.path) : undefined;
    if (!(text !== undefined && surelyComplete(text))) {
      const m = evaluated.get(r.path) ?? load(r.path);
      if (!m || !complete(m)) {
        unusable.push(`${where} names ${r.module} (${r.path}), which sets neither INSTALLED_APPS nor MIDDLEWARE here`);
        continue;
      }
      if (!away) evaluated.set(r.path, m);
    }
    usable.push({ path: r.path, evidence: `${where} names ${r.module}`, rank: r.rank, devServer: r.unit !== undefined && servesWithRunserverOnly(deploy, r.unit) });
  }
  if (usable.length === 0) {
    const why = unusable.length > 0 ? unusable.slice(0, 2).join('; ') : refs.length === 0 ? 'entry points name settings modules only for development, test, CI, workers or build steps' : undefined;
    return { chosen: [], why };
  }
  // An image that serves with Django's development server beside a real app server (a Procfile's gunicorn running
  // the wsgi.py default): the developer's image, whatever rank its ENV has (acceslibre).
  const served = (path: string) => deploy.apps.some((a) => a.settings === path && a.inv.server !== 'runserver' && a.unit.role.role === 'production');
  const serving = usable.filter((u) => !u.devServer);
  const pool = serving.some((u) => served(u.path)) ? serving : usable;
  const top = Math.max(...pool.map((u) => u.rank));
  const out = new Map<string, string>();
  for (const u of pool) if (u.rank === top && !out.has(u.path)) out.set(u.path, u.evidence);
  for (const [p, evidence] of out) pushTo(deploy.deployed, p, { role: 'production', source: 'entry-point', why: evidence });
  return { chosen: [...out].map(([path, evidence]) => ({ path, evidence })) };
}

/**
 * A unit whose app server is only `manage.py runserver`, and no production compose service runs its image with
 * another command.
 */
function servesWithRunserverOnly(deploy: NonNullable<DeploymentModel['deploy']>, unit: DeployUnit): boolean {
  const web = unit.invocations.filter((i) => i.inv.web);
  if (web.length === 0 || web.some((i) => i.inv.server !== 'runserver')) return false;
  return !deploy.units.some((c) => c.builds === unit && c.role.role === 'production' && c.invocations.some((i) => i.inv.web && i.inv.server !== 'runserver'));
}

/** One deployment's environment: values it sets, and names it passes from outside the repository. */
interface DeploymentEnv {
  set: Map<string, { value: string; loc: Loc }>;
  outside: Map<string, Loc>;
  /** An env_file outside the repository: any name not in `set` may come from it. */
  fileOutside?: Loc;
}

/**
 * The environments of the deployments that run a settings module: the entry points that name it (Dockerfile ENV,
 * compose environment/env_file, systemd Environment, supervisor, uwsgi `env`, gunicorn `-e`), else the production web
 * entry points of its project that name no module (they run the wsgi.py default); and platform manifests of the
 * project (app.json). Undefined when none of them sets anything.
 */
function deploymentEnviron(
  model: DeploymentModel,
  path: string,
  projectOf: (p: string) => string,
): { lookup: (name: string) => EnvInput | undefined; read: Map<string, string> } | undefined {
  const deploy = model.deploy;
  if (!deploy) return undefined;
  const unitEnv = (u: DeployUnit): DeploymentEnv => {
    const set = new Map(u.env);
    for (const { inv, loc } of u.invocations) for (const [k, v] of inv.env) set.set(k, { value: v, loc });
    return { set, outside: u.envOutside ?? new Map(), ...(u.envFileOutside ? { fileOutside: u.envFileOutside } : {}) };
  };
  const units = new Set<DeployUnit>();
  for (const r of deploy.settingsRefs) if (r.path === path && r.unit && r.role === 'production' && r.web !== 'no') units.add(r.unit);
  if (units.size === 0) {
    for (const u of deploy.units) {
      if (u.role.role !== 'production' || !deploysProject(path, u.file, projectOf) || !u.invocations.some((i) => i.inv.web)) continue;
      if (unitEnv(u).set.has('DJANGO_SETTINGS_MODULE')) continue;
      units.add(u);
    }
  }
  // An image that production compose services run is deployed as those services: their environment (the image's
  // ENV with theirs over it) is what runs, not the image's alone. A supervisor program runs in every container of
  // its image that starts the image's own command, with that container's environment (ephios' `DEBUG: "False"`).
  const services = (image: DeployUnit) => deploy.units.filter((c) => c.via === 'compose' && c.builds === image && c.runsImageCommand && c.role.role === 'production' && !c.optIn);
  const envs: DeploymentEnv[] = [...units].flatMap((u) => {
    const image = u.via === 'dockerfile' ? u : u.supervisedIn;
    const running = image ? services(image) : [];
    if (running.length === 0) return [unitEnv(u)];
    // Each service holds the image's ENV and its command's invocations, with its own environment over them.
    if (u === image) return running.map(unitEnv);
    return running.map((c) => {
      const own = unitEnv(u);
      const outer = unitEnv(c);
      const set = new Map(outer.set);
      // The program's own `environment=` wins over the container's; what it only inherited from the image, the service may override.
      for (const [k, v] of own.set) if (image!.env.get(k) !== v || !set.has(k)) set.set(k, v);
      return { set, outside: new Map([...outer.outside, ...own.outside]), ...(outer.fileOutside ? { fileOutside: outer.fileOutside } : {}) };
    });
  });
  for (const p of deploy.platforms) if (deploysProject(path, p.path, projectOf) && deploy.roleOf(p.path).role === 'production') envs.push({ set: p.env, outside: p.envOutside, ...(p.fileOutside ? { fileOutside: p.fileOutside } : {}) });
  if (!envs.some((e) => e.set.size > 0 || e.outside.size > 0 || e.fileOutside)) return undefined;
  const at = (loc: Loc) => `${loc.path}:${loc.line}`;
  const read = new Map<string, string>();
  const lookup = (name: string): EnvInput | undefined => {
    const out = envs.map((e) => e.outside.get(name)).find(Boolean);
    if (out) return { kind: 'outside', where: `${at(out)} passes ${name}` };
    // An env_file the repository does not hold may set what the unit itself does not.
    const file = envs.find((e) => e.fileOutside && !e.set.has(name))?.fileOutside;
    if (file) return { kind: 'outside', where: `${at(file)} reads an env_file that is not in the repository` };
    const given = envs.map((e) => e.set.get(name));
    const first = given.find(Boolean);
    if (!first) return undefined;
    const where = `${at(first.loc)} sets ${name}=${first.value.length > 40 ? `${first.value.slice(0, 37)}...` : first.value}`;
    if (given.every((g) => g && g.value === first.value)) {
      read.set(name, first.value);
      return { kind: 'value', value: first.value, where };
    }
    return { kind: 'varies', values: given.map((g) => g?.value), where };
  };
  return { lookup, read };
}

const ownTexts = new WeakMap<ModelInput, Map<string, string>>();

/** The configured Django release, else the one the repository's dependency files pin, else the default. */
function djangoRelease(input: ModelInput): { version: string; at?: string } {
  const config = input.config;
  if (config.djangoVersionGiven || !input.allFiles || !input.readText) return { version: config.djangoVersion };
  const pinned = pinnedDjangoVersion(input.allFiles, input.readText);
  return pinned ?? { version: config.djangoVersion };
}

/** The scan's own deployment files by path, built once per model input. */
function ownFiles(input: ModelInput): Map<string, string> {
  let own = ownTexts.get(input);
  if (!own) ownTexts.set(input, (own = new Map(input.files.map((f) => [f.path, f.text]))));
  return own;
}

const environEvaluators = new WeakMap<(name: string) => EnvInput | undefined, PythonEvaluator>();

/** An evaluator that reads the deployment's environment; it parses the chain again (a few modules at most). */
function environEvaluator(input: ModelInput, model: DeploymentModel, environ: (name: string) => EnvInput | undefined): PythonEvaluator {
  let ev = environEvaluators.get(environ);
  if (!ev) {
    const own = ownFiles(input);
    ev = new PythonEvaluator({
      readModule: (p) => own.get(p) ?? input.readModule(p),
      pythonFiles: input.pythonFiles,
      pythonTemplates: input.pythonTemplates,
      isDeploymentFile: (p) => own.has(p) || (input.focus?.elsewhere.has(p) ?? false),
      // Syntax errors and limits are reported once, by the shared evaluator.
      onParsed: () => undefined,
      environ,
      deployedModule: deployedModules(model),
    });
    environEvaluators.set(environ, ev);
  }
  return ev;
}

/**
 * Python files a Dockerfile or compose file copies one by one, by the dotted names their deployed paths give them:
 * the one workspace file for a name, or undefined when none or several are copied there.
 */
function deployedModules(model: DeploymentModel): (dotted: string) => string | undefined {
  let byName: Map<string, string[]> | undefined;
  return (dotted) => {
    if (!byName) {
      byName = new Map();
      // Files the deployment copies (COPY, a bind mount) or writes (`RUN cp`, a script's cp) where a module is imported.
      const placed = [...(model.deploy?.mappings ?? []).filter((m) => !m.dir).map((m) => ({ workspace: m.workspace, deployed: m.deployed })), ...(model.deploy?.renders ?? []).map((r) => ({ workspace: r.source, deployed: r.dest }))];
      for (const m of placed) {
        if (!m.workspace.endsWith('.py') || !m.deployed.endsWith('.py')) continue;
        const parts = m.deployed.replace(/^\//, '').replace(/\.py$/, '').split('/');
        if (parts[parts.length - 1] === '__init__') parts.pop();
        for (let i = Math.max(1, parts.length - 4); i < parts.length; i++) {
          const list = byName.get(parts.slice(i).join('.')) ?? [];
          if (!list.includes(m.workspace)) list.push(m.workspace);
          byName.set(parts.slice(i).join('.'), list);
        }
      }
    }
    const hits = byName.get(dotted);
    return hits?.length === 1 ? hits[0] : undefined;
  };
}

const evaluators = new WeakMap<DeploymentModel, PythonEvaluator>();

/** One evaluator per model, so each Python file is read and parsed once (settings and wsgi share it). */
export function sharedEvaluator(input: ModelInput, model: DeploymentModel): PythonEvaluator {
  let ev = evaluators.get(model);
  if (!ev) {
    const own = ownFiles(input);
    ev = new PythonEvaluator({
      readModule: (p) => own.get(p) ?? input.readModule(p),
      pythonFiles: input.pythonFiles,
      pythonTemplates: input.pythonTemplates,
      deployedModule: deployedModules(model),
      onLimit: (loc, message) => {
        model.diagnostics.push({ loc, message });
        // The evaluator's budgets are scan-wide: a full scan spends them on other modules too.
        model.focus?.doubts.push(`the Python evaluator reached a limit (${loc.path}:${loc.line})`);
      },
      // A focused scan's settings modules outside the loaded projects are deployment files all the same.
      isDeploymentFile: (p) => own.has(p) || (input.focus?.elsewhere.has(p) ?? false),
      // Selected files and the split-settings files they include; helper modules with errors are not read.
      onParsed: (path, source, errors) => {
        model.sources.set(path, source);
        if (errors.length === 0) return;
        const first = errors[0];
        const more = errors.length > 1 ? ` (${errors.length - 1} more syntax error${errors.length > 2 ? 's' : ''} in this file)` : '';
        const py2 = python2Construct(source.lineText(first.loc.line));
        if (py2) {
          model.diagnostics.push({ loc: first.loc, python2: true, message: `Python 2 syntax (\`${py2}\`): HTTPS Guard reads Python 3, so the rules ran on what could be parsed, and values near this line may be missing` });
          return;
        }
        model.diagnostics.push({ loc: first.loc, message: `Python syntax error: ${first.message}${more}; the rules ran on what could be parsed` });
      },
    });
    evaluators.set(model, ev);
  }
  return ev;
}

/**
 * The statement of a line when it is Python 2 only: `print x`, `exec code in ns`, `except E, e:`, `raise E, "msg"`.
 * Old settings modules (Django 1.x ran on Python 2) are valid for the Python they were written for.
 */
export function python2Construct(line: string): string | undefined {
  const hash = line.indexOf('#');
  const t = (hash >= 0 ? line.slice(0, hash) : line).trim();
  const word = (w: string) => t.startsWith(`${w} `) && !t.slice(w.length).trimStart().startsWith('(') && !t.slice(w.length).trimStart().startsWith('=');
  if (word('print') || (word('exec') && t.includes(' in '))) return t.slice(0, 60);
  if (t.startsWith('except ') && t.endsWith(':') && t.includes(',') && !t.includes('(')) return t.slice(0, 60);
  if (t.startsWith('raise ') && t.includes(',') && !t.includes('(')) return t.slice(0, 60);
  return undefined;
}

/** Settings whose values in modules not evaluated could change the loaded projects' nginx verdicts (focused.ts). */
export const FOCUS_WORDS = ['SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS'];

/**
 * A full scan evaluates every settings module; a focused one only those of the loaded projects. Where a module left
 * out imports (directly or through helpers outside the loaded projects) a file of a loaded project, its evaluation
 * could change what the loaded projects see (star imports, import cycles, syntax errors reported once): its project
 * goes to `reach`, to be loaded. Imports are read from lines (focus.ts), resolved as the evaluator resolves them.
 */
function importsReachingLoaded(input: ModelInput, model: DeploymentModel, ev: PythonEvaluator, focus: NonNullable<ModelInput['focus']>, projectOf: (p: string) => string): void {
  // The import graph over files outside the loaded projects, from the modules left out; then back from every file
  // that imports a loaded one (or whose imports cannot be read) to the modules left out.
  const importers = new Map<string, string[]>();
  const hits = new Set<string>();
  const seen = new Set<string>();
  const queue = [...new Set([...focus.elsewhere.keys(), ...model.focus!.judgedElsewhere])];
  for (const p of queue) seen.add(p);
  const mentions = model.focus!.mentions;
  while (queue.length > 0) {
    const p = queue.pop()!;
    const text = focus.elsewhere.get(p) ?? input.readModule(p);
    if (text === undefined) continue;
    for (const w of FOCUS_WORDS) if (text.includes(w)) mentions.add(w);
    const targets = importTargets(text);
    if (!targets) {
      hits.add(p);
      continue;
    }
    for (const t of targets) {
      const mods = t.names.length === 0 || t.names[0] === '*' ? [t.dotted] : [t.dotted, ...t.names.map((n) => (t.dotted ? `${t.dotted}.${n}` : n))];
      for (const d of mods) {
        const f = ev.resolveImport(p, t.level, d);
        if (f === undefined || f === p) continue;
        if (focus.loaded(f)) {
          hits.add(p);
          continue;
        }
        pushTo(importers, f, p);
        if (!seen.has(f)) {
          seen.add(f);
          queue.push(f);
        }
      }
    }
  }
  const reached = new Set(hits);
  const back = [...hits];
  while (back.length > 0) {
    for (const q of importers.get(back.pop()!) ?? []) {
      if (reached.has(q)) continue;
      reached.add(q);
      back.push(q);
    }
  }
  for (const p of focus.elsewhere.keys()) if (reached.has(p)) model.focus!.reach.add(projectOf(p));
}

/**
 * The values a setting may have on the branches the evaluation could not decide, following a default the code
 * falls back to (`if os.getenv("X", "1") == "1": MIDDLEWARE.append(…)` after undecidable edits): undefined when
 * one of them is not known.
 */
function branches(v: PyValue): (PyValue | undefined)[] | undefined {
  let cur: PyValue = v;
  for (let i = 0; i < 8 && cur.t === 'unknown'; i++) {
    const alts = cur.alternatives || !cur.assumed ? possibleValues(cur) : undefined;
    if (alts) return alts;
    if (!cur.assumed) return undefined;
    cur = cur.assumed;
  }
  return possibleValues(cur);
}
