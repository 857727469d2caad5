import type { SyntaxNode, Tree } from '@lezer/common';
import * as posix from 'node:path/posix';
import { compileGlob } from '../../util/glob';
import { roleFromPath } from '../deploy/roles';
import type { ParsedPython } from '../../parsers/python/parse';
import { parsePythonOnce } from '../../parsers/python/scan-cache';
import { SourceText } from '../../parsers/source';
import type { Loc } from '../../types';
import { classDefinition, configurationValue, exportedSettings } from './configurations';
import { at, concrete, isSequence, MAX_ALTERNATIVES, MAX_ITEMS, MAX_STRING, maybeItem, pyEquals, seqContains, show, truthy, unknown, type PyValue, type Unknown } from './values';

/** A name bound at module level: its value and the statement that last set or changed it. */
export interface Binding {
  value: PyValue;
  /** The statement that last assigned or modified the name. */
  loc: Loc;
  /** The statement that first assigned it with `=` (where a missing list item is best reported). */
  defLoc: Loc;
}

export interface OpaqueImport {
  module: string;
  loc: Loc;
  /** The statement, when it is not `from <module> import *` (a computed split-settings include, globals().update, locals().update). */
  statement?: string;
}

/** A star import of a module the repository lacks, read from the template it ships for it (`local_settings.example.py`). */
export interface StandIn {
  module: string;
  template: string;
  loc: Loc;
}

/** How messages name an opaque import: `from x import *`, or the statement that stands for one. */
export function opaqueStatement(o: OpaqueImport): string {
  return o.statement ?? `from ${o.module} import *`;
}

/** The module-level namespace of one Python file after interpreting it statically. */
export interface ModuleEval {
  path: string;
  source: SourceText;
  names: Map<string, Binding>;
  /** Workspace modules merged in with `from x import *`, in order. */
  starImports: { path: string; loc: Loc }[];
  /** `from x import *` of modules that are not in the workspace: any missing name may come from them. */
  opaqueImports: OpaqueImport[];
  /** Names removed with `del` at the end of the module, and where. */
  deleted?: Map<string, Loc>;
  /** Names a branch skipped only because an environment default decided its condition would have set. */
  otherwise?: Map<string, Otherwise>;
  /** `try: from local_settings import *` / `except ImportError: pass` of modules outside the workspace: taken as absent. */
  absent?: OpaqueImport[];
  /** Star imports of modules the repository lacks, read from the template it ships for each. */
  standIns?: StandIn[];
  /** The syntax tree, for rules that look for code patterns rather than values. */
  tree?: Tree;
  /** Class-based settings: the django-configurations class whose attributes were merged in, and why it. */
  configuration?: { className: string; evidence: string };
  /**
   * `INSTALLED_APPS += [...]` on a name that nothing before it binds or may bind: importing the file raises
   * NameError, so it is a fragment another module runs with `exec()` or an include, not a settings module.
   */
  unboundUpdate?: Loc;
}

/** What a branch would bind that was skipped only because an environment lookup was assumed to take its default. */
export interface Otherwise {
  value: PyValue;
  /** When it applies, for messages: "`os.environ.get('PROD')` (settings.py:12) holds". */
  when: string;
  loc: Loc;
  /** For a list of split-settings files: when each file was added to it. */
  itemWhen?: Map<string, string>;
}

export interface EvaluatorHost {
  readModule(path: string): string | undefined;
  pythonFiles: string[];
  /** Templates named `<module>.py.<word>` (`local.py.example`): stand-ins for a missing module, like `local.example.py`. */
  pythonTemplates?: string[];
  /** Called when a bound on the work was reached, with what was not interpreted. */
  onLimit?(loc: Loc, message: string): void;
  /** Called once per file read, with its syntax errors. */
  onParsed(path: string, source: SourceText, errors: { loc: Loc; message: string }[]): void;
  /**
   * A deployment file (settings module, wsgi/asgi) is interpreted on what could be parsed and its syntax errors
   * are reported; any other module with a syntax error is not interpreted: what is imported from it is unknown.
   */
  isDeploymentFile?(path: string): boolean;
  /**
   * What the deployment's environment gives a variable the code reads (compose, Dockerfile ENV, app.json, systemd,
   * uwsgi `env`): it replaces the code's default. Undefined: the deployment says nothing about it.
   */
  environ?(name: string): EnvInput | undefined;
  /**
   * The workspace file a deployment copies to where an absolute import finds it (`COPY docker/settings_import.py
   * $APP_DIR/fvserver/` for `fvserver.settings_import`), for a module the workspace does not hold under that name.
   */
  deployedModule?(dotted: string): string | undefined;
}

/** A variable as the deployments of one settings module set it. */
export type EnvInput =
  /** Every deployment sets this value. */
  | { kind: 'value'; value: string; where: string }
  /** A deployment sets it from outside the repository (app.json `required`, compose `${VAR}`, a generator). */
  | { kind: 'outside'; where: string }
  /** Deployments disagree: each sets one of these, or (undefined) leaves the code's default. */
  | { kind: 'varies'; values: (string | undefined)[]; where: string };

const MAX_EXPR_DEPTH = 120;
const MAX_BLOCK_DEPTH = 60;
const MAX_IMPORT_DEPTH = 40;
/** split-settings files run per evaluator (each run costs its statements): bounds include fan-out over many roots. */
export const MAX_INCLUDE_RUNS = 2_000;
/** Comprehension steps allowed before the per-byte allowance. */
const ITERATION_BASE = 100_000;
/** Longest dotted module name resolved against the workspace. */
const MAX_MODULE_DEPTH = 8;

const ENV_GETTERS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault', 'os.environ.pop']);
const DECOUPLE_FACTORIES = new Set(['decouple.AutoConfig', 'decouple.Config', 'decouple.RepositoryEnv']);
const ENVIRON_FACTORIES = new Set(['environ.Env', 'environ.FileAwareEnv']);
/** django-environ reader methods and the cast each implies. */
const ENVIRON_METHODS: Record<string, string | undefined> = {
  bool: 'bool', int: 'int', float: 'float', str: 'str', list: 'list', tuple: 'tuple', dict: 'dict', json: 'json',
  url: 'url', db: 'url', db_url: 'url', cache: 'url', cache_url: 'url', email: 'url', email_url: 'url',
  search_url: 'url', path: 'str', bytes: 'str', get_value: undefined,
};

/** environs methods read here (marshmallow's Boolean, like the 'bool' cast, takes y/yes/t/true/on/1 and their negatives). */
const ENVIRONS_METHODS = new Set(['bool', 'int', 'float', 'str']);
/** django-environ methods whose second positional parameter is the cast, not the default. */
const ENVIRON_CAST_FIRST = new Set(['list', 'tuple', 'dict', 'get_value']);
/** django-environ's Env.BOOLEAN_TRUE_STRINGS; anything else that is not a non-zero integer is False. */
const ENVIRON_TRUE_STRINGS = new Set(['true', 'on', 'ok', 'y', 'yes', '1']);
/** Builtins the evaluator computes (others are unknown calls). */
/** Keyword names of a converter passed to a project's env helper. */
const CONVERTER_KEYWORDS = new Set(['type', 'type_', 'cast', 'convert', 'converter', 'parse', 'parser', 'coerce', 'conv']);
const BUILTINS = new Set(['bool', 'int', 'str', 'float', 'list', 'tuple', 'set', 'dict', 'getattr', 'len', 'any', 'all', 'filter']);
const TRUE_STRINGS = new Set(['y', 'yes', 't', 'true', 'on', '1']);
const FALSE_STRINGS = new Set(['n', 'no', 'f', 'false', 'off', '0', '']);

class Scope {
  names: Map<string, Binding>;
  opaque: OpaqueImport[];
  starImports: { path: string; loc: Loc }[];
  /** Set while interpreting a branch taken only by assumption (an env default decided its condition). */
  assumption?: { why: string; source: string; loc: Loc; deployed?: string };
  importFailed = false;
  /** What a statement raised for certain while inside a `try:` body (the rest of the body is not run). */
  raised?: 'ImportError' | 'KeyError';
  inTry = 0;
  /** Names removed by `del`, with the statement, until they are bound again. */
  deleted = new Map<string, Loc>();
  /** Names a branch skipped by an environment default would have bound, until they are bound again. */
  otherwise = new Map<string, Otherwise>();
  /** Star imports outside the workspace taken as absent because an `except ImportError` catches them. */
  absent: OpaqueImport[] = [];
  standIns: StandIn[] = [];
  /** django-split-settings' `__included_files__`: a file included into this namespace is never run again. */
  included: Set<string>;
  /** Shared by the forks of one module: `X += …` on a name nothing binds or may bind (a NameError on import). */
  facts: { unboundUpdate?: Loc } = {};

  constructor(names = new Map<string, Binding>(), opaque: OpaqueImport[] = [], starImports: { path: string; loc: Loc }[] = []) {
    this.names = names;
    this.opaque = opaque;
    this.starImports = starImports;
    this.included = new Set();
  }

  fork(): Scope {
    const s = new Scope(new Map(this.names), [...this.opaque], [...this.starImports]);
    s.assumption = this.assumption;
    s.included = new Set(this.included);
    s.deleted = new Map(this.deleted);
    s.otherwise = new Map(this.otherwise);
    s.absent = [...this.absent];
    s.standIns = [...this.standIns];
    s.inTry = this.inTry;
    s.facts = this.facts;
    return s;
  }
}

const fileIndexes = new WeakMap<readonly string[], { files: ReadonlySet<string>; bySuffix: ReadonlyMap<string, string[]> }>();

/** The workspace's Python files by dotted suffix, built once per file list: a scan makes one evaluator per deployment environment. */
function fileIndex(pythonFiles: readonly string[]): { files: ReadonlySet<string>; bySuffix: ReadonlyMap<string, string[]> } {
  let index = fileIndexes.get(pythonFiles);
  if (index) return index;
  const bySuffix = new Map<string, string[]>();
  for (const f of pythonFiles) {
    const parts = f.replace(/\.py$/, '').split('/');
    if (parts[parts.length - 1] === '__init__') parts.pop();
    for (let i = Math.max(0, parts.length - MAX_MODULE_DEPTH); i < parts.length; i++) {
      const key = parts.slice(i).join('.');
      const list = bySuffix.get(key);
      if (list) list.push(f);
      else bySuffix.set(key, [f]);
    }
  }
  index = { files: new Set(pythonFiles), bySuffix };
  fileIndexes.set(pythonFiles, index);
  return index;
}

export class PythonEvaluator {
  private readonly cache = new Map<string, ModuleEval>();
  private readonly parses = new Map<string, ParsedPython>();
  private readonly inProgress = new Map<string, Scope>();
  private readonly files: ReadonlySet<string>;
  private readonly templates: ReadonlySet<string>;
  private readonly templatesByStem = new Map<string, string[]>();
  /** Dotted module suffix ('settings.base', 'base') → files that could be that module. */
  private readonly bySuffix: ReadonlyMap<string, string[]>;
  private importDepth = 0;
  /** Python text read so far: the iteration budget of comprehensions grows with it. */
  private bytesRead = 0;
  private iterations = 0;
  private iterationLimitReported = false;

  constructor(private readonly host: EvaluatorHost) {
    ({ files: this.files, bySuffix: this.bySuffix } = fileIndex(host.pythonFiles));
    this.templates = new Set(host.pythonTemplates);
    for (const t of this.templates) {
      const stem = renderedStem(t);
      if (stem === undefined) continue;
      const list = this.templatesByStem.get(stem);
      if (list) list.push(t);
      else this.templatesByStem.set(stem, [t]);
    }
  }

  environ(name: string): EnvInput | undefined {
    this.readers[this.readers.length - 1]?.names.add(name);
    return this.host.environ?.(name);
  }

  /** Environment names each evaluated module read, its imports and includes counted; `any` when that is not known. */
  private readonly envReads = new Map<string, { names: Set<string>; any: boolean }>();
  private readonly readers: { names: Set<string>; any: boolean }[] = [];

  private mergeReads(from: { names: Set<string>; any: boolean } | undefined): void {
    const top = this.readers[this.readers.length - 1];
    if (!top) return;
    if (!from) top.any = true;
    else {
      top.any ||= from.any;
      for (const n of from.names) top.names.add(n);
    }
  }

  /**
   * The environment names the evaluation of `path` asked for, through every module it ran; undefined when not
   * known (not evaluated here, or a circular import saw it half-run). A deployment environment that sets none of
   * them gives the same evaluation.
   */
  envNamesRead(path: string): ReadonlySet<string> | undefined {
    const r = this.envReads.get(path);
    return r && !r.any ? r.names : undefined;
  }

  /** Upper-case names assigned at the top level of workspace modules → the first files that do (built on first use). */
  private topLevelNames?: Map<string, string[]>;

  /**
   * A workspace module other than `except` that assigns `name` at its top level: a configuration object a loader
   * builds at run time from such files may carry it. Only configuration fragments count: not a test, example or
   * development file by its path, and not a settings module (one that sets INSTALLED_APPS, MIDDLEWARE or
   * ROOT_URLCONF, or star-imports another). One pass over the Python text, on first use.
   */
  assignedAtTopLevel(name: string, except: string): string | undefined {
    if (!this.topLevelNames) {
      const names = new Map<string, string[]>();
      for (const f of this.host.pythonFiles) {
        if (roleFromPath(f)) continue;
        const text = this.host.readModule(f);
        const assigned = text === undefined ? [] : topLevelAssignments(text);
        // A settings module of its own (another project's, Django's global_settings) is not a configuration fragment.
        if (assigned.some((n) => SETTINGS_MODULE_NAMES.has(n)) || (text !== undefined && starImport(text))) continue;
        for (const n of assigned) {
          const list = names.get(n);
          if (!list) names.set(n, [f]);
          else if (list.length < 2 && list[list.length - 1] !== f) list.push(f);
        }
      }
      this.topLevelNames = names;
    }
    return this.topLevelNames.get(name)?.find((f) => f !== except);
  }

  /** Interprets a workspace module (cached); undefined when it cannot be read, or is a helper that cannot be parsed. */
  evaluate(path: string): ModuleEval | undefined {
    const cached = this.cache.get(path);
    if (cached) {
      this.mergeReads(this.envReads.get(path));
      return cached;
    }
    const partial = this.inProgress.get(path);
    if (partial) {
      this.mergeReads(undefined);
      return this.toModule(path, partial, new SourceText(path, ''));
    }
    const text = this.host.readModule(path);
    if (text === undefined) return undefined;
    this.bytesRead += text.length;
    const source = new SourceText(path, text);
    // Identical files (an empty __init__.py, a dev.py copied across projects) share one parse: trees hold offsets only.
    let parsed = this.parses.get(text);
    if (!parsed) this.parses.set(text, (parsed = parsePythonOnce(text)));
    // Python would not import a helper module with a syntax error: its names are unknown, not half-read.
    if (parsed.errors.length > 0 && this.host.isDeploymentFile && !this.host.isDeploymentFile(path)) {
      this.unparseable.add(path);
      this.reported.add(path);
      this.host.onParsed(path, source, []);
      return undefined;
    }
    if (!this.reported.has(path)) {
      this.reported.add(path);
      this.host.onParsed(path, source, parsed.errors.map((e) => ({ loc: source.loc(e.offset, e.offset), message: e.message })));
    }
    const scope = new Scope();
    this.inProgress.set(path, scope);
    this.importDepth++;
    const reads = { names: new Set<string>(), any: false };
    this.readers.push(reads);
    try {
      if (parsed.tree && this.importDepth <= MAX_IMPORT_DEPTH) {
        const ctx = new FileContext(this, path, source);
        ctx.block(parsed.tree.topNode, scope, 0);
      }
    } finally {
      this.importDepth--;
      this.inProgress.delete(path);
      this.readers.pop();
    }
    this.envReads.set(path, reads);
    this.mergeReads(reads);
    const mod = { ...this.toModule(path, scope, source), tree: parsed.tree };
    this.cache.set(path, mod);
    return mod;
  }

  private readonly reported = new Set<string>();
  /** Helper modules not interpreted because they have a syntax error. */
  readonly unparseable = new Set<string>();
  private readonly including = new Set<string>();
  private includeRuns = 0;
  private includeLimitReported = false;

  /**
   * django-split-settings' `include('components/*.py', optional('local.py'))`: each file runs in the includer's
   * namespace, in order, so later files see and change what earlier ones set. Patterns are relative to the
   * including file; globs match workspace files, sorted as split_settings does.
   */
  includeInto(fromPath: string, patterns: { pattern: string; optional: boolean; loc: Loc }[], scope: Scope, depth: number): void {
    const dir = fromPath.split('/').slice(0, -1).join('/');
    for (const { pattern, optional, loc } of patterns) {
      const full = posix.normalize(dir ? `${dir}/${pattern}` : pattern);
      const glob = /[*?[]/.test(pattern) ? compileGlob(full, 'python') : undefined;
      const matches = glob ? [...this.files].filter((f) => glob.test(f)).sort() : this.files.has(full) ? [full] : [];
      if (matches.length === 0 && !optional) scope.opaque.push({ module: pattern, loc });
      for (const path of matches) {
        if (scope.included.has(path) || this.including.has(path) || this.importDepth > MAX_IMPORT_DEPTH) continue;
        scope.included.add(path);
        if (++this.includeRuns > MAX_INCLUDE_RUNS) {
          this.includeBudgetReached(path, scope, loc);
          continue;
        }
        const text = this.host.readModule(path);
        if (text === undefined) continue;
        this.bytesRead += text.length;
        const source = new SourceText(path, text);
        let parsed = this.parses.get(text);
        if (!parsed) this.parses.set(text, (parsed = parsePythonOnce(text)));
        if (!this.reported.has(path)) {
          this.reported.add(path);
          this.host.onParsed(path, source, parsed.errors.map((e) => ({ loc: source.loc(e.offset, e.offset), message: e.message })));
        }
        scope.starImports.push({ path, loc });
        if (!parsed.tree) continue;
        this.including.add(path);
        this.importDepth++;
        try {
          new FileContext(this, path, source).block(parsed.tree.topNode, scope, depth + 1);
        } finally {
          this.importDepth--;
          this.including.delete(path);
        }
      }
    }
  }

  /**
   * The workspace files a computed include path may name, relative to the including file: those its pattern matches
   * (`environments/*.py`), not development, local or test ones, at most eight; none when no production-like file is left.
   */
  includeCandidates(fromPath: string, pattern: string): string[] {
    const dir = fromPath.split('/').slice(0, -1).join('/');
    const full = posix.normalize(dir ? `${dir}/${pattern}` : pattern);
    const star = full.indexOf('*');
    const [head, tail] = [full.slice(0, star), full.slice(star + 1)];
    const out: string[] = [];
    for (const f of this.files) {
      if (!f.startsWith(head) || !f.endsWith(tail) || f.length < head.length + tail.length + 1) continue;
      const part = f.slice(head.length, f.length - tail.length);
      // Named for development, tests, CI or an example (`development.py`, `local.py`), as file roles are.
      if (part.includes('/') || roleFromPath(`${part}.py`) !== undefined) continue;
      out.push(f.slice(dir ? dir.length + 1 : 0));
    }
    return out.length > 0 && out.length <= 8 ? out.sort() : [];
  }

  /**
   * Counts one comprehension step against a budget tied to the input (a base plus 16 steps per byte read), so
   * nested comprehensions over input-sized lists cannot run away; false when the budget is spent.
   */
  step(loc: Loc): boolean {
    if (++this.iterations <= ITERATION_BASE + 16 * this.bytesRead) return true;
    if (!this.iterationLimitReported) {
      this.iterationLimitReported = true;
      this.host.onLimit?.(loc, `comprehensions were not evaluated past ${this.iterations - 1} steps in this scan; their values are unknown`);
    }
    return false;
  }

  /** A file not run for the budget: whatever it might set is unknown, never silently what it was before. */
  private includeBudgetReached(path: string, scope: Scope, loc: Loc): void {
    const why = `may be changed by files included at ${loc.path}:${loc.line} that were not interpreted (more than ${MAX_INCLUDE_RUNS} split-settings includes in this scan)`;
    for (const [name, b] of scope.names) {
      if (b.value.t === 'unknown' && b.value.why === why) continue;
      scope.names.set(name, { ...b, value: unknown(why, loc) });
    }
    scope.opaque.push({ module: path, loc });
    if (!this.includeLimitReported) {
      this.includeLimitReported = true;
      this.host.onLimit?.(loc, `split-settings include of "${path}" and later ones were not interpreted: more than ${MAX_INCLUDE_RUNS} included files were run in this scan; the settings they may change are unknown`);
    }
  }

  private toModule(path: string, scope: Scope, source: SourceText): ModuleEval {
    return { path, source, names: scope.names, starImports: scope.starImports, opaqueImports: scope.opaque, deleted: scope.deleted, otherwise: scope.otherwise, absent: scope.absent, ...(scope.standIns.length > 0 ? { standIns: scope.standIns } : {}), ...(scope.facts.unboundUpdate ? { unboundUpdate: scope.facts.unboundUpdate } : {}) };
  }

  /**
   * The template the repository ships for a module it lacks, beside where the module would be
   * (`local_settings.example.py`, `settings_local_sample.py`…): deployments copy it into place and edit it.
   */
  templateFor(fromPath: string, level: number, dotted: string): string | undefined {
    const parts = dotted ? dotted.split('.') : [];
    if (parts.length === 0 || parts.length > MAX_MODULE_DEPTH) return undefined;
    const dir = fromPath.split('/').slice(0, -1);
    if (level - 1 > dir.length) return undefined;
    // A relative import names one place; an absolute one may start at any folder above the importer (nearest first).
    const bases = level > 0 ? [dir.slice(0, dir.length - (level - 1))] : dir.map((_, k) => dir.slice(0, dir.length - k)).concat([[]]);
    for (const base of bases) {
      const stem = [...base, ...parts].join('/');
      for (const word of TEMPLATE_WORDS) {
        for (const c of [`${stem}.${word}.py`, `${stem}_${word}.py`]) if (this.files.has(c)) return c;
        if (this.templates.has(`${stem}.py.${word}`)) return `${stem}.py.${word}`;
      }
      for (const suffix of PACKAGE_SUFFIXES) if (this.templates.has(`${stem}.py${suffix}`)) return `${stem}.py${suffix}`;
    }
    // Rendered from elsewhere (a fabfile's `config_templates/local_settings.template`): the one template of that name.
    const elsewhere = this.templatesByStem.get(parts[parts.length - 1]);
    return elsewhere?.length === 1 ? elsewhere[0] : undefined;
  }

  /** Finds the workspace file for an import, or undefined when the module lives outside the workspace. */
  resolveImport(fromPath: string, level: number, dotted: string): string | undefined {
    const parts = dotted ? dotted.split('.') : [];
    if (level > 0) {
      const dir = fromPath.split('/').slice(0, -1);
      const base = dir.slice(0, Math.max(0, dir.length - (level - 1)));
      if (level - 1 > dir.length) return undefined;
      const stem = [...base, ...parts].join('/');
      for (const c of [`${stem}.py`, `${stem}/__init__.py`]) if (this.files.has(c.replace(/^\//, ''))) return c.replace(/^\//, '');
      // Not in the repository at that place: a file the deployment copies there (`RUN cp docker/prod/local.py …`).
      const absolute = [...base, ...parts].filter(Boolean).join('.');
      return absolute ? this.host.deployedModule?.(absolute) : undefined;
    }
    if (parts.length === 0 || parts.length > MAX_MODULE_DEPTH) return undefined;
    let best: string | undefined;
    let bestScore = -1;
    const fromDir = fromPath.split('/').slice(0, -1);
    for (const f of this.bySuffix.get(dotted) ?? []) {
      const fd = f.split('/');
      let score = 0;
      while (score < fd.length && score < fromDir.length && fd[score] === fromDir[score]) score++;
      // Prefer the module closest to the importer; then the shorter (more likely import root) path.
      if (score > bestScore || (score === bestScore && best !== undefined && f.length < best.length)) {
        best = f;
        bestScore = score;
      }
    }
    return best ?? this.host.deployedModule?.(dotted);
  }
}

/** Words that mark a Python file as the template of a module of the same name. */
const TEMPLATE_WORDS = ['example', 'sample', 'template', 'dist', 'default', 'tmpl', 'skel'];
/** After `.py` or alone: what a fabfile or an Ansible role renders (`local_settings.py.j2`, `local_settings.template`). */
const RENDER_WORDS = [...TEMPLATE_WORDS, 'j2', 'jinja2', 'tpl'];

/** What Debian packaging calls a shipped config that dpkg installs or keeps beside the live one (`config.py_dpkg_dist`). */
const PACKAGE_SUFFIXES = ['.dpkg-dist', '_dpkg_dist'];

/** `local_settings.py.example`, `config.py_dpkg_dist`: a module's template kept under a name Python cannot import. */
/** A Jinja template of a module (`local_settings.py.j2`): rendered into place as written, not copied and edited. */
export function isRenderedTemplateName(path: string): boolean {
  return /\.(j2|jinja2|tpl)$/.test(path);
}

export function isModuleTemplateName(path: string): boolean {
  return renderedStem(path) !== undefined;
}

/**
 * The module name a template renders to: `local_settings` for `local_settings.py.example`, `.py.j2`,
 * `config.py_dpkg_dist` or a bare `local_settings.template` (a name Python could import, before the word).
 */
function renderedStem(path: string): string | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const i = base.lastIndexOf('.py');
  if (i > 0) {
    const rest = base.slice(i + 3);
    if (PACKAGE_SUFFIXES.includes(rest) || (rest.startsWith('.') && RENDER_WORDS.includes(rest.slice(1)))) return base.slice(0, i);
  }
  const dot = base.lastIndexOf('.');
  return dot > 0 && RENDER_WORDS.includes(base.slice(dot + 1)) && /^[A-Za-z_]\w*$/.test(base.slice(0, dot)) ? base.slice(0, dot) : undefined;
}

/**
 * Jinja or Django template tags in a module template, blanked at the same length so that it parses as Python and
 * positions stay: `{{ x }}` becomes an unknown name (`_______`), `{% … %}` and `{# … #}` spaces (newlines kept).
 */
export function blankTemplateTags(text: string): string {
  if (!text.includes('{{') && !text.includes('{%') && !text.includes('{#')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0 || open + 1 >= text.length) break;
    const kind = text[open + 1];
    const close = kind === '{' ? '}}' : kind === '%' ? '%}' : kind === '#' ? '#}' : undefined;
    const end = close ? text.indexOf(close, open + 2) : -1;
    if (!close || end < 0) {
      out += text.slice(i, open + 1);
      i = open + 1;
      continue;
    }
    const span = text.slice(open, end + 2);
    out += text.slice(i, open) + span.replace(/[^\n]/g, kind === '{' ? '_' : ' ');
    i = end + 2;
  }
  return out + text.slice(i);
}

/** Interprets the statements of one file. */
class FileContext {
  constructor(
    private readonly ev: PythonEvaluator,
    private readonly path: string,
    private readonly src: SourceText,
  ) {}

  loc(n: SyntaxNode): Loc {
    return this.src.loc(n.from, n.to);
  }

  text(n: SyntaxNode): string {
    return this.src.text.slice(n.from, n.to);
  }

  private brief(n: SyntaxNode): string {
    const t = this.text(n).replace(/\s+/g, ' ');
    return t.length > 80 ? `${t.slice(0, 77)}...` : t;
  }

  // ---- statements -------------------------------------------------------------------------------------------

  block(parent: SyntaxNode, scope: Scope, depth: number): void {
    if (depth > MAX_BLOCK_DEPTH) return;
    for (let n = parent.firstChild; n; n = n.nextSibling) {
      this.statement(n, scope, depth);
      // Inside `try:`, what follows a statement that raised is not run.
      if (scope.inTry > 0 && scope.raised) return;
    }
  }

  private statement(n: SyntaxNode, scope: Scope, depth: number): void {
    switch (n.name) {
      case 'AssignStatement':
        return this.assign(n, scope);
      case 'UpdateStatement':
        return this.update(n, scope);
      case 'ExpressionStatement':
        return this.expressionStatement(n, scope, depth);
      case 'ImportStatement':
        return this.importStatement(n, scope);
      case 'IfStatement':
        return this.ifStatement(n, scope, depth);
      case 'TryStatement':
        return this.tryStatement(n, scope, depth);
      case 'WithStatement': {
        const body = n.getChild('Body');
        if (body) this.block(body, scope, depth + 1);
        return;
      }
      case 'ForStatement':
      case 'WhileStatement':
        return this.loop(n, scope, depth);
      case 'FunctionDefinition':
      case 'ClassDefinition': {
        const name = n.getChild('VariableName');
        if (!name) return;
        const fn = this.text(name);
        const body = n.getChild('Body');
        // A project's own env helper (`def env_bool(name, default)` reading os.environ): read as an env lookup.
        if (n.name === 'FunctionDefinition' && /env/i.test(fn) && body && /\b(environ|getenv)\b/.test(this.text(body))) {
          const cast = /bool/i.test(fn) ? 'bool' : /int/i.test(fn) ? 'int' : /list/i.test(fn) ? 'list' : 'str';
          this.bind(scope, fn, { t: 'ref', path: `envhelper.${cast}`, loc: this.loc(name) }, this.loc(n), true);
          return;
        }
        // A project's copy of distutils.util.strtobool (removed in Python 3.12): the same table, returning 1 or 0.
        if (n.name === 'FunctionDefinition' && fn === 'strtobool' && body && isStrtoboolCopy(this.text(body))) {
          this.bind(scope, fn, { t: 'ref', path: 'strtobool', loc: this.loc(name) }, this.loc(n), true);
          return;
        }
        // A function that hands `globals()` on (peeringdb's `set_from_env`, `try_include` exec'ing a file into the
        // module): calling it may set module names at run time.
        if (n.name === 'FunctionDefinition' && body && /\bglobals\s*\(\s*\)/.test(this.text(body))) {
          this.bind(scope, fn, { t: 'ref', path: GLOBALS_WRITER, loc: this.loc(name) }, this.loc(n), true);
          return;
        }
        // A class is interpreted (class-based settings); its attributes are read through it.
        const cls = n.name === 'ClassDefinition' ? classDefinition(this, n, scope, depth) : undefined;
        this.bind(scope, fn, cls ?? unknown(`${n.name === 'ClassDefinition' ? 'class' : 'function'} ${fn}`, this.loc(name)), this.loc(n), false);
        return;
      }
      case 'DecoratedStatement': {
        const inner = n.lastChild;
        if (inner) this.statement(inner, scope, depth);
        return;
      }
      case 'DeleteStatement':
        for (let c = n.firstChild; c; c = c.nextSibling) {
          if (c.name !== 'VariableName') continue;
          const name = this.text(c);
          if (scope.assumption && scope.names.has(name)) {
            // Removed only on a branch taken by assumption: unset on the assumed branch, with the note.
            const a = scope.assumption;
            const b = scope.names.get(name)!;
            scope.names.set(name, { value: unknown(a.why, this.loc(n), { source: a.source, alternatives: [undefined] }), loc: this.loc(n), defLoc: b.defLoc });
            continue;
          }
          scope.names.delete(name);
          scope.deleted.set(name, this.loc(n));
        }
        return;
      case 'StatementGroup':
        return this.block(n, scope, depth);
      default:
        return;
    }
  }

  /** Whether an expression reads the variable `name` (iterative: nesting depth is the input's). */
  private reads(node: SyntaxNode, name: string): boolean {
    const c = node.cursor();
    do {
      if (c.name === 'VariableName' && c.to - c.from === name.length && this.src.text.slice(c.from, c.to) === name) return true;
    } while (c.next() && c.from < node.to);
    return false;
  }

  private bind(scope: Scope, name: string, value: PyValue, stmtLoc: Loc, isDefinition: boolean): void {
    let v = name === 'DEBUG' ? debugOffInDeployment(value) : localDefaultNotAssumed(value);
    if (scope.assumption) {
      const a = scope.assumption;
      v = unknown(a.why, value.loc, { source: a.source, assumed: value, deployed: a.deployed });
    }
    const prev = scope.names.get(name);
    scope.names.set(name, { value: v, loc: stmtLoc, defLoc: isDefinition || !prev ? stmtLoc : prev.defLoc });
    scope.deleted.delete(name);
    scope.otherwise.delete(name);
  }

  private assign(n: SyntaxNode, scope: Scope): void {
    // Children: target (AssignOp target)* AssignOp value; annotated: target TypeDef AssignOp value.
    const kids: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) kids.push(c);
    const ops = kids.filter((k) => k.name === 'AssignOp');
    if (ops.length === 0) return; // bare annotation `X: int`
    const valueNode = kids[kids.length - 1];
    const value = this.expr(valueNode, scope, 0);
    const stmtLoc = this.loc(n);
    const targets: SyntaxNode[][] = [[]];
    for (const k of kids.slice(0, -1)) {
      if (k.name === 'AssignOp') targets.push([]);
      else if (k.name !== 'TypeDef') targets[targets.length - 1].push(k);
    }
    targets.pop();
    for (const group of targets) this.assignTargets(group, value, scope, stmtLoc, valueNode);
  }

  private assignTargets(group: SyntaxNode[], value: PyValue, scope: Scope, stmtLoc: Loc, valueNode?: SyntaxNode): void {
    const names = group.filter((g) => g.name !== ',');
    if (names.length === 1 && names[0].name === 'VariableName') {
      const name = this.text(names[0]);
      // `X = (...) + X` extends X, like `X += …`: where this file first defined X stays its place (anchors for
      // missing items); a definition in an imported file does not move them out of this one.
      const prev = scope.names.get(name);
      const extends_ = prev !== undefined && prev.defLoc.path === stmtLoc.path && valueNode !== undefined && this.reads(valueNode, name);
      this.bind(scope, name, value, stmtLoc, !extends_);
      return;
    }
    if (names.length === 1 && (names[0].name === 'TupleExpression' || names[0].name === 'ArrayExpression' || names[0].name === 'ParenthesizedExpression')) {
      const inner: SyntaxNode[] = [];
      for (let c = names[0].firstChild; c; c = c.nextSibling) if (!['(', ')', '[', ']', ','].includes(c.name)) inner.push(c);
      this.unpack(inner, value, scope, stmtLoc);
      return;
    }
    if (names.length > 1) {
      this.unpack(names, value, scope, stmtLoc);
      return;
    }
    if (names.length === 1 && names[0].name === 'MemberExpression') this.subscriptAssign(names[0], value, scope, stmtLoc);
  }

  private unpack(targets: SyntaxNode[], value: PyValue, scope: Scope, stmtLoc: Loc): void {
    const c = concrete(value)?.value;
    const items = c && isSequence(c) && c.items.length === targets.length ? c.items : undefined;
    targets.forEach((t, i) => {
      if (t.name !== 'VariableName') return;
      this.bind(scope, this.text(t), items ? items[i] : unknown('unpacked from a value that is not a literal sequence', this.loc(t)), stmtLoc, true);
    });
  }

  /** `D["k"] = v` on a dict bound at module level. */
  private subscriptAssign(target: SyntaxNode, value: PyValue, scope: Scope, stmtLoc: Loc): void {
    const obj = target.firstChild;
    if (!obj || obj.name !== 'VariableName' || !target.getChild('[')) return;
    const name = this.text(obj);
    const prev = scope.names.get(name);
    if (!prev) return;
    const keyNode = obj.nextSibling?.nextSibling;
    const key = keyNode ? this.expr(keyNode, scope, 0) : undefined;
    const dict = concrete(prev.value)?.value;
    if (dict?.t === 'dict' && key && key.t !== 'unknown') {
      const entries = dict.entries.filter(([k]) => pyEquals(k, key) !== true);
      entries.push([key, value]);
      this.bind(scope, name, { ...dict, entries }, stmtLoc, false);
    }
  }

  private update(n: SyntaxNode, scope: Scope): void {
    const target = n.firstChild;
    const op = n.getChild('UpdateOp');
    const valueNode = n.lastChild;
    if (!target || !op || !valueNode || target.name !== 'VariableName') return;
    const name = this.text(target);
    const prev = scope.names.get(name);
    const left = prev ? prev.value : this.missingName(name, scope, this.loc(target));
    if (!prev && scope.opaque.length === 0 && scope.inTry === 0) scope.facts.unboundUpdate ??= this.loc(n);
    const right = this.expr(valueNode, scope, 0);
    const result = this.binary(this.text(op).slice(0, -1), left, right, this.loc(n), this.brief(n));
    this.bind(scope, name, result, this.loc(n), false);
  }

  private expressionStatement(n: SyntaxNode, scope: Scope, depth = 0): void {
    const call = n.firstChild;
    if (!call || call.name !== 'CallExpression') return;
    const callee = call.firstChild;
    if (callee && (callee.name === 'VariableName' || callee.name === 'MemberExpression')) {
      const fn = this.expr(callee, scope, 0);
      if (fn.t === 'ref' && fn.path === GLOBALS_WRITER) {
        // `set_from_env("NAME")`: that name comes from the run; anything else such a call may set is not known.
        const first = call.getChild('ArgList')?.firstChild?.nextSibling;
        const named = first && (first.name === 'String' || first.name === 'ContinuedString') ? this.expr(first, scope, 0) : undefined;
        if (named?.t === 'str' && /^[A-Z][A-Z0-9_]*$/.test(named.v)) this.bind(scope, named.v, unknown(`set at run time by \`${this.brief(n)}\``, this.loc(n), { source: this.brief(n) }), this.loc(n), false);
        else scope.opaque.push({ module: `${this.text(callee)}(...)`, loc: this.loc(n), statement: this.brief(n) });
        return;
      }
      if (fn.t === 'ref' && /(^|\.)split_settings\.tools\.include$/.test(fn.path)) {
        // In argument order: a path computed at run time may override whatever was set before it.
        const patterns = this.includePatterns(call, scope);
        for (const p of patterns) {
          if (p.computed) {
            if (!this.candidateInclude(p.computed, p.loc, scope, depth)) this.computedInclude(p.computed, p.loc, scope);
          }
          else this.ev.includeInto(this.path, [p], scope, depth);
        }
        this.includeOtherwise(call, scope, depth, patterns);
        return;
      }
    }
    if (!callee || callee.name !== 'MemberExpression') return;
    const obj = callee.firstChild;
    const method = callee.getChild('PropertyName');
    if (!obj || !method) return;
    const m = this.text(method);
    // At module level `locals()` is the module's namespace too (supernova's `locals().update(json.load(file))`): any
    // name not set may come from it.
    const ns = obj.name === 'CallExpression' ? /^(globals|locals)\s*\(\s*\)$/.exec(this.text(obj)) : null;
    if (ns && m === 'update') {
      scope.opaque.push({ module: `${ns[1]}().update(...)`, loc: this.loc(n), statement: this.brief(n) });
      return;
    }
    if (obj.name !== 'VariableName') return;
    const name = this.text(obj);
    const prev = scope.names.get(name);
    if (!prev) return;
    // `Settings.load_settings(__name__)`: a class copies its upper-case attributes into this module.
    if (prev.value.t === 'module' && prev.value.cls && /^\(\s*__name__\s*\)$/.test(this.text(call.getChild('ArgList') ?? call))) {
      for (const [k, b] of exportedSettings(prev.value.cls)) scope.names.set(k, b);
      return;
    }
    const args = this.args(call.getChild('ArgList'), scope);
    const updated = this.mutate(prev.value, m, args.positional, this.loc(n), this.brief(n));
    if (updated) this.bind(scope, name, updated, this.loc(n), false);
  }

  /** The file patterns of a split_settings include(): plain strings, and optional('…') for files that may be absent. */
  private includePatterns(call: SyntaxNode, scope: Scope): { pattern: string; optional: boolean; loc: Loc; computed?: string }[] {
    const out: { pattern: string; optional: boolean; loc: Loc; computed?: string }[] = [];
    for (let a = call.getChild('ArgList')?.firstChild ?? null; a; a = a.nextSibling) {
      if (a.name === '*' && a.nextSibling) {
        // include(*files): a list built in the module (`files.append('heroku.py')` on the branch taken by default).
        a = a.nextSibling;
        const v = this.expr(a, scope, 0);
        const files = includeList(v);
        if (files) for (const f of files) out.push({ ...f, loc: this.loc(a) });
        else {
          // A list whose items are known but one (`'environments/{0}.py'.format(_ENV)`): the known files run in
          // order, and only the computed one is unknown (wemake-django-template's settings).
          const c = concrete(v)?.value ?? v;
          const items = isSequence(c) && c.items.length <= 64 ? c.items : undefined;
          if (!items) out.push({ pattern: '', optional: false, loc: this.loc(a), computed: `*${this.brief(a)}` });
          else {
            for (const i of items) {
              if (i.t === 'str') out.push({ pattern: i.v, optional: false, loc: this.loc(a) });
              else if (i.t === 'unknown' && i.optionalInclude !== undefined) out.push({ pattern: i.optionalInclude, optional: true, loc: this.loc(a) });
              // A path the deployment's environment decides (`DJANGO_ENV=production` where the app runs).
              else if (i.t === 'unknown' && i.deployed && concrete(i)?.value.t === 'str') out.push({ pattern: (concrete(i)!.value as { v: string }).v, optional: false, loc: i.loc ?? this.loc(a) });
              else out.push({ pattern: '', optional: false, loc: i.loc ?? this.loc(a), computed: this.textAt(i.loc) ?? `*${this.brief(a)}` });
            }
          }
        }
        continue;
      }
      if (a.name === 'CallExpression') {
        const fn = a.firstChild ? this.expr(a.firstChild, scope, 0) : undefined;
        const inner = a.getChild('ArgList')?.firstChild?.nextSibling;
        const v = inner ? this.expr(inner, scope, 0) : undefined;
        if (fn?.t === 'ref' && /(^|\.)split_settings\.tools\.optional$/.test(fn.path)) {
          if (v?.t === 'str') out.push({ pattern: v.v, optional: true, loc: this.loc(a) });
          else out.push({ pattern: '', optional: true, loc: this.loc(a), computed: this.brief(inner ?? a) });
        } else out.push({ pattern: '', optional: false, loc: this.loc(a), computed: this.brief(a) });
      } else if (!['(', ')', ',', 'Comment'].includes(a.name) && !a.type.isError) {
        const v = this.expr(a, scope, 0);
        if (v.t === 'str') out.push({ pattern: v.v, optional: false, loc: this.loc(a) });
        else out.push({ pattern: '', optional: false, loc: this.loc(a), computed: this.brief(a) });
      }
    }
    return out;
  }

  /**
   * A split-settings include whose path is computed (`os.environ.get('X_SETTINGS_FILE', '/etc/app/s.py')`): the
   * file cannot be known, so everything set so far may be overridden (unknown, with that reason) and anything not
   * set may be set there (an opaque import). Never dropped silently.
   */
  /** The source text at a location of this file (one line at most), for an item whose expression is elsewhere. */
  private textAt(loc: Loc | undefined): string | undefined {
    if (!loc || loc.path !== this.path || loc.endLine !== loc.line) return undefined;
    const start = this.src.lineStart(loc.line);
    return start === undefined ? undefined : this.src.text.slice(start + loc.column - 1, start + loc.endColumn - 1);
  }

  private candidateInclude(src: string, loc: Loc, scope: Scope, depth: number): boolean {
    const glob = computedPathGlob(src);
    const candidates = glob ? this.ev.includeCandidates(this.path, glob) : [];
    if (candidates.length === 0) return false;
    // Each file the environment may name (`environments/production.py`, `staging.py`), development ones aside: a
    // setting is known where they agree, and unknown with each value where they differ.
    const forks = candidates.map((c) => {
      const s = scope.fork();
      this.ev.includeInto(this.path, [{ pattern: c, optional: false, loc }], s, depth);
      return s;
    });
    this.merge(scope, forks, `depends on which file \`include(${src})\` names (${loc.path}:${loc.line}): ${candidates.join(', ')}`, `include(${src})`);
    for (const f of forks) for (const o of f.opaque) if (!scope.opaque.includes(o)) scope.opaque.push(o);
    for (const f of forks) for (const p of f.included) scope.included.add(p);
    return true;
  }

  private computedInclude(src: string, loc: Loc, scope: Scope): void {
    const why = `may be overridden by the file included with \`include(${src})\` (${loc.path}:${loc.line}), whose path is computed at run time`;
    for (const [name, b] of scope.names) {
      if (b.value.t === 'ref' || b.value.t === 'module') continue;
      scope.names.set(name, { ...b, value: unknown(why, loc, { source: `include(${src})` }), loc });
    }
    scope.deleted.clear();
    scope.opaque.push({ module: src, loc, statement: `include(${src})` });
  }

  /** The new value of a list/dict after a mutating method call, or undefined when the call does not mutate. */
  private mutate(target: PyValue, method: string, args: PyValue[], loc: Loc, src: string): PyValue | undefined {
    if (!['append', 'insert', 'extend', 'remove', 'update', 'pop', 'clear', 'add', 'discard', 'setdefault'].includes(method)) return undefined;
    if (target.t === 'unknown') {
      if (target.assumed) {
        const inner = this.mutate(target.assumed, method, args, loc, src);
        return inner ? { ...target, assumed: inner } : undefined;
      }
      if (target.alternatives) {
        return { ...target, alternatives: target.alternatives.map((a) => (a ? this.mutate(a, method, args, loc, src) ?? a : a)) };
      }
      return target;
    }
    if (target.t === 'list' || target.t === 'set') {
      const items = [...target.items];
      switch (method) {
        case 'append':
        case 'add':
          if (args[0]) items.push(args[0]);
          break;
        case 'insert': {
          const at = args[0] && concrete(args[0])?.value;
          if (!args[1]) break;
          // A computed index: the item is in the list all the same, at a place the rules do not need.
          const idx = at?.t === 'num' && Number.isInteger(at.v) ? at.v : items.length;
          const i = idx < 0 ? Math.max(0, items.length + idx) : Math.min(idx, items.length);
          items.splice(i, 0, args[1]);
          break;
        }
        case 'extend': {
          const more = args[0] && concrete(args[0])?.value;
          // Unknown extra items: the known ones stay known.
          if (!more || !isSequence(more)) items.push(unknown(`items added by ${src}`, loc, { source: src }));
          else for (const x of more.items) items.push(x);
          break;
        }
        case 'remove':
        case 'discard': {
          const i = args[0] ? items.findIndex((x) => pyEquals(x, args[0]) === true) : -1;
          if (i >= 0) items.splice(i, 1);
          break;
        }
        case 'clear':
          items.length = 0;
          break;
        default:
          return unknown(`changed by ${src}`, loc, { source: src });
      }
      if (items.length > MAX_ITEMS) return unknown(`too large to evaluate after ${src}`, loc, { source: src });
      return { ...target, items };
    }
    if (target.t === 'dict') return unknown(`changed by ${src}`, loc, { source: src });
    return undefined;
  }

  private importStatement(n: SyntaxNode, scope: Scope): void {
    const stmtLoc = this.loc(n);
    const isFrom = n.firstChild?.name === 'from';
    if (!isFrom) {
      // import a.b.c [as x], d
      let dotted: string[] = [];
      let alias: string | undefined;
      const flush = () => {
        if (dotted.length === 0) return;
        const full = dotted.join('.');
        const resolved = this.ev.resolveImport(this.path, 0, full);
        const mod = resolved ? this.ev.evaluate(resolved) : undefined;
        const value: PyValue = alias && mod ? { t: 'module', path: mod.path, names: new Map([...mod.names].map(([k, b]) => [k, b.value])), loc: stmtLoc } : { t: 'ref', path: alias ? full : dotted[0], loc: stmtLoc };
        this.bind(scope, alias ?? dotted[0], value, stmtLoc, true);
        dotted = [];
        alias = undefined;
      };
      let afterAs = false;
      for (let c = n.firstChild?.nextSibling ?? null; c; c = c.nextSibling) {
        if (c.name === 'VariableName') {
          if (afterAs) {
            alias = this.text(c);
            afterAs = false;
          } else dotted.push(this.text(c));
        } else if (c.name === 'as') afterAs = true;
        else if (c.name === ',') flush();
      }
      flush();
      return;
    }
    // from [.]*a.b import (x as y, z) | *
    let level = 0;
    const modParts: string[] = [];
    let c = n.firstChild?.nextSibling ?? null;
    for (; c && c.name !== 'import'; c = c.nextSibling) {
      if (c.name === '.') level++;
      else if (c.name === 'Ellipsis' || this.text(c) === '...') level += 3;
      else if (c.name === 'VariableName') modParts.push(this.text(c));
    }
    // `from .a.b` tokenises the dots between names as '.', so only leading dots count as the level.
    const raw = this.text(n);
    const m = /^from\s+(\.*)\s*([\w.]*)/.exec(raw);
    if (m) {
      level = m[1].length;
      modParts.length = 0;
      // `from . import *`: the word after the dots is the keyword, not a module name.
      if (m[2] && m[2] !== 'import') for (const part of m[2].split('.')) modParts.push(part);
    }
    const dotted = modParts.join('.');
    const label = `${'.'.repeat(level)}${dotted}`;
    const resolved = this.ev.resolveImport(this.path, level, dotted);
    const names: { name: string; alias?: string; node: SyntaxNode }[] = [];
    let star = false;
    for (c = c?.nextSibling ?? null; c; c = c.nextSibling) {
      if (c.name === '*') star = true;
      else if (c.name === 'VariableName') {
        if (c.prevSibling?.name === 'as') names[names.length - 1].alias = this.text(c);
        else names.push({ name: this.text(c), node: c });
      }
    }
    if (star) {
      let mod = resolved ? this.ev.evaluate(resolved) : undefined;
      // A module the repository lacks but ships a template for: the template is what deployments start from.
      const template = !mod && resolved === undefined ? this.ev.templateFor(this.path, level, dotted) : undefined;
      if (template && template !== this.path) {
        mod = this.ev.evaluate(template);
        if (mod) scope.standIns.push({ module: label, template, loc: stmtLoc });
      }
      if (!mod) {
        if (resolved === undefined) {
          scope.importFailed = true;
          scope.raised ??= 'ImportError';
        }
        // A module we cannot read may bind again what was deleted.
        scope.deleted.clear();
        scope.opaque.push({ module: label, loc: stmtLoc });
        return;
      }
      // Python binds the names in __all__ when the module defines it as a list of strings, else the public ones.
      const all = mod.names.get('__all__')?.value;
      const listed = all && all.t !== 'unknown' && isSequence(all) && all.items.every((i) => i.t === 'str') ? new Set(all.items.map((i) => (i as { v: string }).v)) : undefined;
      for (const [k, b] of mod.names) {
        if (listed ? !listed.has(k) : k.startsWith('_')) continue;
        if (scope.assumption) {
          // A star import on a branch taken by assumption: what it binds carries the note.
          const a = scope.assumption;
          scope.names.set(k, { ...b, value: unknown(a.why, b.value.loc, { source: a.source, assumed: b.value }) });
        } else scope.names.set(k, b);
        scope.deleted.delete(k);
        scope.otherwise.delete(k);
      }
      for (const [k, l] of mod.deleted ?? []) if (!scope.names.has(k) && (listed ? listed.has(k) : !k.startsWith('_'))) scope.deleted.set(k, l);
      for (const [k, o] of mod.otherwise ?? []) if (listed ? listed.has(k) : !k.startsWith('_')) scope.otherwise.set(k, o);
      // Loops, not push(...): a spread of an input-sized array overflows the stack.
      for (const o of mod.opaqueImports) scope.opaque.push(o);
      for (const o of mod.absent ?? []) scope.absent.push(o);
      for (const o of mod.standIns ?? []) scope.standIns.push(o);
      for (const s of mod.starImports) scope.starImports.push(s);
      scope.starImports.push({ path: mod.path, loc: stmtLoc });
      return;
    }
    const mod = resolved ? this.ev.evaluate(resolved) : undefined;
    if (!resolved && level > 0) {
      scope.importFailed = true;
      scope.raised ??= 'ImportError';
    }
    for (const { name, alias, node } of names) {
      let value: PyValue;
      const sub = this.ev.resolveImport(this.path, level, dotted ? `${dotted}.${name}` : name);
      const subMod = sub ? this.ev.evaluate(sub) : undefined;
      if (mod && mod.names.has(name)) value = at(mod.names.get(name)!.value, mod.names.get(name)!.value.loc);
      else if (subMod) value = { t: 'module', path: subMod.path, names: new Map([...subMod.names].map(([k, b]) => [k, b.value])), loc: this.loc(node) };
      else if (mod) value = unknown(`${name} is not defined in ${mod.path}`, this.loc(node));
      else if (resolved && this.ev.unparseable.has(resolved)) value = unknown(`${resolved} has a syntax error, so Python cannot import ${name} from it`, this.loc(node));
      else value = { t: 'ref', path: dotted ? `${dotted}.${name}` : name, loc: this.loc(node) };
      const b = mod?.names.get(name);
      if (b && !scope.assumption) scope.names.set(alias ?? name, b);
      else this.bind(scope, alias ?? name, value, stmtLoc, true);
    }
  }

  private ifStatement(n: SyntaxNode, scope: Scope, depth: number): void {
    // Children: if cond Body (elif cond Body)* (else Body)?
    const branches: { cond?: SyntaxNode; body: SyntaxNode }[] = [];
    let pendingCond: SyntaxNode | undefined;
    let sawElse = false;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'if' || c.name === 'elif') continue;
      if (c.name === 'else') {
        sawElse = true;
        continue;
      }
      if (c.name === 'Body') {
        branches.push({ cond: sawElse ? undefined : pendingCond, body: c });
        pendingCond = undefined;
      } else if (!c.type.isError && c.name !== 'Comment') pendingCond = c;
    }
    if (!sawElse) branches.push({ body: undefined as unknown as SyntaxNode });
    // Decide statically where possible (literals, or env defaults: then the branch is taken with a note).
    const outcomes: PyValue[] = [];
    // Branches passed over only because an environment default decided their condition: what they would bind is
    // kept beside the result (a setting secured only when a variable is set is not simply "not set").
    const skipped: { body: SyntaxNode; cond: SyntaxNode }[] = [];
    for (const b of branches) {
      if (!b.cond) {
        this.runBranch(b.body, scope, depth, outcomes);
        break;
      }
      const v = this.expr(b.cond, scope, 0);
      const t = truthy(v);
      if (t === true) {
        this.runBranch(b.body, scope, depth, outcomes);
        break;
      }
      if (t === false) {
        outcomes.push(v);
        continue;
      }
      const c = concrete(v);
      const ct = c ? truthy(c.value) : undefined;
      if (ct === undefined) return this.undecidable(branches.slice(branches.indexOf(b)), scope, depth, this.brief(b.cond), this.loc(b.cond));
      outcomes.push(v);
      if (ct) {
        this.runBranch(b.body, scope, depth, outcomes);
        break;
      }
      if (v.t === 'unknown' && !v.deployed) skipped.push({ body: b.body, cond: b.cond });
    }
    for (const k of skipped) {
      // Earlier skipped branches count as taken, so appends to one list add up (`files.append('heroku.py')`).
      const alt = scope.fork();
      const stood = new Set<Binding>();
      for (const [name, o] of scope.otherwise) {
        const b = { value: o.value, loc: o.loc, defLoc: alt.names.get(name)?.defLoc ?? o.loc };
        alt.names.set(name, b);
        stood.add(b);
      }
      this.block(k.body, alt, depth + 1);
      const loc = this.loc(k.cond);
      const when = `\`${this.brief(k.cond)}\` (${loc.path}:${loc.line}) holds`;
      for (const [name, b] of alt.names) {
        if (b === scope.names.get(name) || stood.has(b)) continue;
        const prev = scope.otherwise.get(name);
        const files = includeList(b.value);
        let itemWhen: Map<string, string> | undefined;
        if (files) {
          const before = new Set((includeList(prev?.value ?? scope.names.get(name)?.value ?? b.value) ?? []).map((f) => f.pattern));
          itemWhen = new Map(prev?.itemWhen);
          for (const f of files) if (!before.has(f.pattern) && !itemWhen.has(f.pattern)) itemWhen.set(f.pattern, when);
        }
        scope.otherwise.set(name, { value: b.value, when, loc, itemWhen });
      }
    }
  }

  /**
   * `include(*files)` where the environment may add files to the list (a skipped `files.append('heroku.py')`):
   * what each added file would set is kept beside the result, as for a skipped branch.
   */
  private includeOtherwise(call: SyntaxNode, scope: Scope, depth: number, done: { pattern: string }[]): void {
    for (let a = call.getChild('ArgList')?.firstChild ?? null; a; a = a.nextSibling) {
      if (a.name !== '*' || a.nextSibling?.name !== 'VariableName') continue;
      const o = scope.otherwise.get(this.text(a.nextSibling));
      const files = o && includeList(o.value);
      if (!files) continue;
      const loc = this.loc(a.nextSibling);
      for (const f of files) {
        if (done.some((d) => d.pattern === f.pattern)) continue;
        const alt = scope.fork();
        this.ev.includeInto(this.path, [{ ...f, optional: true, loc }], alt, depth);
        const when = `${o.itemWhen?.get(f.pattern) ?? o.when} (adding \`${f.pattern}\` to \`include(*${this.text(a.nextSibling)})\` at ${loc.path}:${loc.line})`;
        for (const [name, b] of alt.names) {
          if (b !== scope.names.get(name) && !scope.otherwise.has(name)) scope.otherwise.set(name, { value: b.value, when, loc });
        }
      }
    }
  }

  /** Runs a branch; if reaching it depended on assumed values, what it binds is marked as assumed. */
  private runBranch(body: SyntaxNode | undefined, scope: Scope, depth: number, decided: PyValue[]): void {
    if (!body) return;
    const assumed = decided.find((d) => d.t === 'unknown') as Unknown | undefined;
    if (!assumed) return this.block(body, scope, depth + 1);
    const saved = scope.assumption;
    const why = assumed.deployed ? `set because the deployment decides \`${assumed.source ?? 'a condition'}\` (${assumed.deployed})` : `set only because ${assumed.source ?? 'a condition'} is assumed to take its default`;
    scope.assumption = saved ?? { why, source: assumed.source ?? 'condition', loc: assumed.loc, deployed: assumed.deployed };
    this.block(body, scope, depth + 1);
    scope.assumption = saved;
  }

  /** Runs every remaining branch on a copy of the scope and merges: names that differ become unknown alternatives. */
  private undecidable(branches: { cond?: SyntaxNode; body: SyntaxNode }[], scope: Scope, depth: number, cond: string, condLoc: Loc): void {
    const results: Scope[] = branches.map((b) => {
      const s = scope.fork();
      if (b.body) this.block(b.body, s, depth + 1);
      return s;
    });
    this.merge(scope, results, `depends on \`${cond}\` (line ${condLoc.line})`, cond);
  }

  private merge(scope: Scope, results: Scope[], why: string, source: string): void {
    const names = new Set<string>();
    for (const r of results) for (const k of r.names.keys()) names.add(k);
    for (const name of names) {
      const bs = results.map((r) => r.names.get(name));
      if (bs.every((b) => b === bs[0])) {
        if (bs[0]) scope.names.set(name, bs[0]);
        continue;
      }
      const last = bs.find((b) => b && b !== scope.names.get(name)) ?? bs.find(Boolean)!;
      // A branch that leaves the name unbound after an opaque import or statement (`globals().update(...)`) leaves it
      // to that: unknown there, not unset (kerrokantasi's `if 'MIDDLEWARE' in locals(): … else: MIDDLEWARE = [...]`).
      scope.names.set(name, {
        value: mergeValues(bs.map((b, i) => b?.value ?? (results[i].opaque.length > 0 ? this.missingName(name, results[i], last.value.loc) : undefined)), why, source, last.value.loc),
        loc: last.loc,
        defLoc: last.defLoc,
      });
    }
    // A star import of a module outside the workspace under an undecidable condition is taken as optional and
    // absent (the `if exists(local_settings.py)` pattern), so it does not make every setting unknown.
    for (const r of results) for (const s of r.starImports) if (!scope.starImports.includes(s)) scope.starImports.push(s);
  }

  /**
   * `try:` runs its body until a statement that raises for certain: an import of a module that is not in the
   * workspace (relative, or a star import: taken as absent, the `local_settings` pattern) or a subscript of a known
   * dict with a missing key. The first `except` whose type catches it runs (ImportError/ModuleNotFoundError,
   * KeyError/LookupError, Exception, BaseException or bare); else `else:` runs. `finally:` always runs.
   */
  private tryStatement(n: SyntaxNode, scope: Scope, depth: number): void {
    const bodies: { kind: string; body: SyntaxNode; types: string }[] = [];
    let kind = 'try';
    let typesFrom = -1;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (['try', 'except', 'else', 'finally'].includes(c.name)) {
        kind = c.name;
        typesFrom = c.to;
      } else if (c.name === 'Body') {
        bodies.push({ kind, body: c, types: kind === 'except' ? this.src.text.slice(typesFrom, c.from) : '' });
      }
    }
    const tryBody = bodies.find((b) => b.kind === 'try');
    const saved = { failed: scope.importFailed, raised: scope.raised };
    const opaqueBefore = scope.opaque.length;
    scope.importFailed = false;
    scope.raised = undefined;
    scope.inTry++;
    try {
      if (tryBody) this.block(tryBody.body, scope, depth + 1);
    } finally {
      scope.inTry--;
    }
    const raised = scope.raised;
    scope.importFailed = saved.failed;
    scope.raised = saved.raised;
    const handler = raised ? bodies.find((b) => b.kind === 'except' && catches(b.types, raised)) : undefined;
    if (handler) {
      // The import is not in the workspace, so the handler runs (the `local_settings` pattern).
      for (let k = opaqueBefore; k < scope.opaque.length; k++) scope.absent.push(scope.opaque[k]);
      scope.opaque.length = opaqueBefore;
      this.block(handler.body, scope, depth + 1);
    } else if (!raised) {
      const elseBody = bodies.find((b) => b.kind === 'else');
      if (elseBody) this.block(elseBody.body, scope, depth + 1);
    } else if (scope.inTry > 0) scope.raised ??= raised; // not caught here: an enclosing try sees it
    const fin = bodies.find((b) => b.kind === 'finally');
    if (fin) this.block(fin.body, scope, depth + 1);
  }


  private loop(n: SyntaxNode, scope: Scope, depth: number): void {
    const body = n.getChild('Body');
    if (!body) return;
    const once = scope.fork();
    // The loop variable's values are not tracked.
    const target = n.getChild('VariableName');
    if (n.name === 'ForStatement' && target) once.names.set(this.text(target), { value: unknown('loop variable', this.loc(target)), loc: this.loc(target), defLoc: this.loc(target) });
    this.block(body, once, depth + 1);
    const head = this.brief(n).split(':')[0];
    this.merge(scope, [scope.fork(), once], `changed in a loop (\`${head}\`, line ${this.loc(n).line})`, head);
  }

  // ---- expressions ------------------------------------------------------------------------------------------

  private missingName(name: string, scope: Scope, loc: Loc): PyValue {
    if (scope.opaque.length > 0) {
      const o = scope.opaque[scope.opaque.length - 1];
      return unknown(`may come from \`${opaqueStatement(o)}\` (${o.loc.path}:${o.loc.line}), which is not in the workspace`, loc, { source: name });
    }
    return unknown(`${name} is not defined`, loc, { source: name });
  }

  expr(n: SyntaxNode, scope: Scope, depth: number): PyValue {
    const loc = this.loc(n);
    if (depth > MAX_EXPR_DEPTH) return unknown('expression nested too deeply to evaluate', loc);
    switch (n.name) {
      case 'Number':
        return this.number(n, loc);
      case 'String':
      case 'ContinuedString':
      case 'FormatString':
        return this.string(n, loc);
      case 'Boolean':
        return { t: 'bool', v: this.text(n) === 'True', loc };
      case 'None':
        return { t: 'none', loc };
      case 'VariableName': {
        const name = this.text(n);
        const b = scope.names.get(name);
        if (b) return b.value;
        if (BUILTINS.has(name)) return { t: 'ref', path: `builtins.${name}`, loc };
        return this.missingName(name, scope, loc);
      }
      case 'ParenthesizedExpression': {
        const inner = n.firstChild?.nextSibling;
        return inner && inner.name !== ')' ? this.expr(inner, scope, depth + 1) : unknown('empty parentheses', loc);
      }
      case 'ArrayExpression':
      case 'TupleExpression':
      case 'SetExpression':
        return this.sequence(n, scope, depth, n.name === 'ArrayExpression' ? 'list' : n.name === 'SetExpression' ? 'set' : 'tuple');
      case 'DictionaryExpression':
        return this.dict(n, scope, depth);
      case 'UnaryExpression': {
        const op = n.firstChild;
        const arg = n.lastChild;
        if (!op || !arg || op.from === arg.from) return unknown('incomplete expression', loc);
        const v = this.expr(arg, scope, depth + 1);
        return this.lift([v], loc, this.brief(n), ([x]) => {
          const o = this.text(op);
          if (o === 'not') {
            const t = truthy(x);
            return t === undefined ? undefined : { t: 'bool', v: !t, loc };
          }
          if (x.t === 'num' || x.t === 'bool') {
            const num = x.t === 'num' ? x.v : x.v ? 1 : 0;
            if (o === '-') return { t: 'num', v: -num, loc };
            if (o === '+') return { t: 'num', v: num, loc };
          }
          return undefined;
        });
      }
      case 'BinaryExpression':
        return this.binaryExpression(n, scope, depth);
      case 'ConditionalExpression': {
        // a if cond else b
        const kids: SyntaxNode[] = [];
        for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'if' && c.name !== 'else') kids.push(c);
        if (kids.length !== 3) return unknown('incomplete expression', loc);
        const cond = this.expr(kids[1], scope, depth + 1);
        const t = truthy(cond);
        if (t !== undefined) return this.expr(t ? kids[0] : kids[2], scope, depth + 1);
        const a = this.expr(kids[0], scope, depth + 1);
        const b = this.expr(kids[2], scope, depth + 1);
        const c = concrete(cond);
        const ct = c ? truthy(c.value) : undefined;
        const src = this.brief(n);
        if (ct !== undefined) {
          const chosen = ct ? a : b;
          return unknown((cond as Unknown).why, loc, { source: (cond as Unknown).source ?? src, assumed: chosen });
        }
        return unknown(`depends on \`${this.brief(kids[1])}\``, loc, { source: src, alternatives: [a, b] });
      }
      case 'CallExpression':
        return this.call(n, scope, depth);
      case 'MemberExpression':
        return this.member(n, scope, depth);
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'ComprehensionExpression':
      case 'DictionaryComprehensionExpression': {
        const kids: SyntaxNode[] = [];
        for (let c = n.firstChild; c; c = c.nextSibling) if (!['(', ')', '[', ']', '{', '}', 'Comment'].includes(c.name) && !c.type.isError) kids.push(c);
        const kind = n.name === 'SetComprehensionExpression' ? 'set' : n.name === 'DictionaryComprehensionExpression' ? 'dict' : 'list';
        return this.comprehension(kids, kind, scope, depth, loc, this.brief(n));
      }
      default:
        return unknown(`\`${this.brief(n)}\` cannot be evaluated statically`, loc, { source: this.brief(n) });
    }
  }

  /**
   * A comprehension over values that are known, or known from an environment default (then the result is judged
   * on that default, with its note). Items whose `if` cannot be decided are "may be" items; an iterable that cannot
   * be known gives an unknown. Every step counts against the evaluator's iteration budget.
   */
  private comprehension(kids: SyntaxNode[], kind: 'list' | 'set' | 'dict', scope: Scope, depth: number, loc: Loc, src: string): PyValue {
    const firstFor = kids.findIndex((k) => k.name === 'for');
    if (firstFor < 1) return unknown(`\`${src}\` cannot be evaluated statically`, loc, { source: src });
    const elt = kids.slice(0, firstFor).filter((k) => k.name !== ':' && k.name !== 'async');
    if (kind === 'dict' ? elt.length !== 2 : elt.length !== 1) return unknown(`\`${src}\` cannot be evaluated statically`, loc, { source: src });
    type Clause = { kind: 'for'; targets: SyntaxNode[]; iter: SyntaxNode } | { kind: 'if'; cond: SyntaxNode };
    const clauses: Clause[] = [];
    for (let i = firstFor; i < kids.length; ) {
      const k = kids[i];
      if (k.name === 'for') {
        const inAt = kids.findIndex((x, j) => j > i && x.name === 'in');
        if (inAt < 0 || !kids[inAt + 1]) return unknown(`\`${src}\` cannot be evaluated statically`, loc, { source: src });
        clauses.push({ kind: 'for', targets: kids.slice(i + 1, inAt).filter((t) => t.name !== ','), iter: kids[inAt + 1] });
        i = inAt + 2;
      } else if (k.name === 'if' && kids[i + 1]) {
        clauses.push({ kind: 'if', cond: kids[i + 1] });
        i += 2;
      } else if (k.name === 'async') i++;
      else return unknown(`\`${src}\` cannot be evaluated statically`, loc, { source: src });
    }
    let assumedFrom: Unknown | undefined;
    let failed: PyValue | undefined;
    const items: PyValue[] = [];
    const entries: Array<[PyValue, PyValue]> = [];
    const saved = new Map<string, Binding | undefined>();
    const setVar = (name: string, value: PyValue) => {
      if (!saved.has(name)) saved.set(name, scope.names.get(name));
      scope.names.set(name, { value, loc: value.loc, defLoc: value.loc });
    };
    // Concrete value behind v, remembering an environment default it rests on; undefined when unknowable.
    const known = (v: PyValue): PyValue | undefined => {
      if (v.t !== 'unknown') return v;
      const c = concrete(v);
      if (!c) return undefined;
      assumedFrom ??= v;
      return c.value;
    };
    const run = (ci: number, maybe: string | undefined): void => {
      if (failed) return;
      if (ci === clauses.length) {
        if (kind === 'dict') {
          const k = this.expr(elt[0], scope, depth + 1);
          const v = this.expr(elt[1], scope, depth + 1);
          if (maybe !== undefined || k.t === 'unknown') {
            failed = unknown(`\`${src}\` cannot be evaluated statically`, loc, { source: src });
            return;
          }
          entries.push([k, v]);
        } else {
          const v = this.expr(elt[0], scope, depth + 1);
          items.push(maybe === undefined ? v : maybeItem(v, `only if \`${maybe}\``));
          if (items.length > MAX_ITEMS) failed = unknown('comprehension too large to evaluate', loc, { source: src });
        }
        return;
      }
      const c = clauses[ci];
      if (c.kind === 'if') {
        const cond = this.expr(c.cond, scope, depth + 1);
        const kc = known(cond);
        const t = kc ? truthy(kc) : undefined;
        if (t === false) return;
        return run(ci + 1, t === true ? maybe : maybe ?? this.brief(c.cond));
      }
      const it = this.expr(c.iter, scope, depth + 1);
      const seq = known(it);
      const elems = seq && isSequence(seq) ? seq.items : seq?.t === 'str' ? [...seq.v].map((ch) => ({ t: 'str' as const, v: ch, loc: seq.loc })) : seq?.t === 'dict' ? seq.entries.map(([k]) => k) : undefined;
      if (!elems || elems.some((e) => e.t === 'unknown' && !concrete(e) && !possibleAbsent(e))) {
        failed = unknown(`iterates over \`${this.brief(c.iter)}\`, which cannot be known statically`, loc, { source: src });
        return;
      }
      for (const e of elems) {
        if (failed) return;
        if (!this.ev.step(loc)) {
          failed = unknown('comprehension not evaluated: iteration budget of this scan spent', loc, { source: src });
          return;
        }
        // An item present only on some branches: what it yields is present only then too.
        const absentToo = e.t === 'unknown' && possibleAbsent(e);
        const ev = absentToo ? (e as Unknown).alternatives!.find((a) => a !== undefined)! : e;
        if (c.targets.length === 1 && c.targets[0].name === 'VariableName') setVar(this.text(c.targets[0]), ev);
        else {
          const parts = c.targets.length === 1 && ['TupleExpression', 'ParenthesizedExpression', 'ArrayExpression'].includes(c.targets[0].name) ? this.children(c.targets[0]) : c.targets;
          const ce = known(ev);
          const vals = ce && isSequence(ce) && ce.items.length === parts.length ? ce.items : undefined;
          parts.forEach((t, i) => {
            if (t.name === 'VariableName') setVar(this.text(t), vals ? vals[i] : unknown('unpacked from a value that is not a literal sequence', this.loc(t)));
          });
        }
        run(ci + 1, absentToo ? maybe ?? `${show(ev)} is present` : maybe);
      }
    };
    try {
      run(0, undefined);
    } finally {
      for (const [name, b] of saved) {
        if (b) scope.names.set(name, b);
        else scope.names.delete(name);
      }
    }
    if (failed) return failed;
    const result: PyValue = kind === 'dict' ? { t: 'dict', entries, loc } : { t: kind, items, loc };
    return assumedFrom ? unknown(assumedFrom.why, loc, { source: assumedFrom.source ?? src, assumed: result }) : result;
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (!['(', ')', '[', ']', ',', 'Comment'].includes(c.name) && !c.type.isError) out.push(c);
    return out;
  }

  /** Applies f to the concrete values behind the operands; unknowns stay unknown, keeping their assumption. */
  private lift(vals: PyValue[], loc: Loc, src: string, f: (xs: PyValue[]) => PyValue | undefined): PyValue {
    const firstUnknown = vals.find((v) => v.t === 'unknown') as Unknown | undefined;
    if (!firstUnknown) return f(vals) ?? unknown(`\`${src}\` cannot be evaluated statically`, loc, { source: src });
    const cs = vals.map(concrete);
    if (cs.some((c) => c === undefined)) {
      const u = vals.find((v, i) => v.t === 'unknown' && !cs[i]) as Unknown;
      const alts = u.alternatives;
      if (alts && alts.every((a) => a !== undefined) && vals.filter((v) => v.t === 'unknown').length === 1) {
        return unknown(u.why, loc, { source: u.source ?? src, alternatives: alts.map((a) => this.lift(vals.map((v) => (v === u ? a : v)), loc, src, f)) });
      }
      return unknown(u.why, loc, { source: u.source ?? src });
    }
    const r = f(cs.map((c) => c!.value));
    return unknown(firstUnknown.why, loc, { source: firstUnknown.source ?? src, assumed: r ?? unknown(`\`${src}\` cannot be evaluated statically`, loc), deployed: firstUnknown.deployed });
  }

  private number(n: SyntaxNode, loc: Loc): PyValue {
    const raw = this.text(n).replace(/_/g, '');
    let v: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(raw)) v = parseInt(raw.slice(2), 16);
    else if (/^0[oO][0-7]+$/.test(raw)) v = parseInt(raw.slice(2), 8);
    else if (/^0[bB][01]+$/.test(raw)) v = parseInt(raw.slice(2), 2);
    else if (/^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(raw)) v = Number(raw);
    else return unknown(`number ${raw} cannot be evaluated`, loc);
    return { t: 'num', v, loc };
  }

  private string(n: SyntaxNode, loc: Loc): PyValue {
    const parts: SyntaxNode[] = [];
    if (n.name === 'ContinuedString') for (let c = n.firstChild; c; c = c.nextSibling) parts.push(c);
    else parts.push(n);
    let out = '';
    for (const p of parts) {
      if (p.name === 'FormatString' && p.getChild('FormatReplacement')) return unknown('formatted string (f-string)', loc, { source: this.brief(n) });
      const decoded = decodeStringLiteral(this.text(p));
      if (decoded === undefined) return unknown('string literal cannot be decoded', loc);
      out += decoded;
    }
    return { t: 'str', v: out, loc };
  }

  private sequence(n: SyntaxNode, scope: Scope, depth: number, t: 'list' | 'tuple' | 'set'): PyValue {
    const loc = this.loc(n);
    const items: PyValue[] = [];
    let spread = false;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (['(', ')', '[', ']', '{', '}', ','].includes(c.name) || c.name === 'Comment') continue;
      if (c.name === '*') {
        spread = true;
        continue;
      }
      if (c.type.isError) continue;
      const v = this.expr(c, scope, depth + 1);
      if (spread) {
        spread = false;
        const cv = concrete(v);
        if (v.t !== 'unknown' && isSequence(v)) for (const x of v.items) items.push(x);
        else if (v.t === 'unknown' && cv && isSequence(cv.value)) return unknown(v.why, loc, { source: v.source, assumed: { t, items: [...items, ...cv.value.items], loc } });
        else items.push(unknown(`items of \`*${this.brief(c)}\``, this.loc(c), { source: `*${this.brief(c)}` }));
      } else items.push(v);
      if (items.length > MAX_ITEMS) return unknown('sequence too large to evaluate', loc, { source: this.brief(n) });
    }
    return { t, items, loc };
  }

  private dict(n: SyntaxNode, scope: Scope, depth: number): PyValue {
    const loc = this.loc(n);
    const vals: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (['{', '}', ',', ':', 'Comment'].includes(c.name) || c.type.isError) continue;
      if (c.name === '**') return unknown('dictionary with `**` unpacking', loc, { source: this.brief(n) });
      if (c.name === 'for') return unknown('dictionary comprehension', loc, { source: this.brief(n) });
      vals.push(c);
    }
    const entries: Array<[PyValue, PyValue]> = [];
    for (let i = 0; i + 1 < vals.length; i += 2) entries.push([this.expr(vals[i], scope, depth + 1), this.expr(vals[i + 1], scope, depth + 1)]);
    return { t: 'dict', entries, loc };
  }

  private binaryExpression(n: SyntaxNode, scope: Scope, depth: number): PyValue {
    const loc = this.loc(n);
    const left = n.firstChild;
    const right = n.lastChild;
    if (!left || !right || left.from === right.from) return unknown('incomplete expression', loc);
    let op = '';
    for (let c = left.nextSibling; c && c.from < right.from; c = c.nextSibling) op += (op ? ' ' : '') + this.text(c);
    const src = this.brief(n);
    if (op === 'and' || op === 'or') {
      const a = this.expr(left, scope, depth + 1);
      const t = truthy(a);
      if (t !== undefined) return (op === 'and') === t ? this.expr(right, scope, depth + 1) : a;
      const b = this.expr(right, scope, depth + 1);
      // `os.environ.get("X") or "False"`: the code's own fallback for an unset variable is its visible default.
      if (op === 'or' && a.t === 'unknown' && !a.assumed && !a.alternatives && a.unset && truthy(a.unset) === false) return unknown(a.why, loc, { source: src, assumed: b });
      // `os.environ.get("CI", "") and bool(os.environ["CI"])`: where the left side's default short-circuits, the
      // right side is never evaluated on that path, so the default result does not depend on it (Tabbycat).
      const ca = a.t === 'unknown' ? concrete(a) : undefined;
      if (ca && a.t === 'unknown' && truthy(ca.value) === (op === 'or')) return unknown(a.why, loc, { source: src, assumed: ca.value, deployed: a.deployed });
      return this.lift([a, b], loc, src, ([x, y]) => {
        const tx = truthy(x);
        if (tx === undefined) return undefined;
        return (op === 'and') === tx ? y : x;
      });
    }
    const a = this.expr(left, scope, depth + 1);
    const b = this.expr(right, scope, depth + 1);
    return this.binary(op, a, b, loc, src);
  }

  private binary(op: string, a: PyValue, b: PyValue, loc: Loc, src: string): PyValue {
    // list + <unknown>: the known items stay known, the rest is one unknown item.
    if (op === '+') {
      const opaque = (v: PyValue) => v.t === 'unknown' && !v.assumed && !v.alternatives;
      if ((a.t === 'list' || a.t === 'tuple') && opaque(b)) return { t: a.t, items: [...a.items, b], loc };
      if ((b.t === 'list' || b.t === 'tuple') && opaque(a)) return { t: b.t, items: [a, ...b.items], loc };
    }
    return this.lift([a, b], loc, src, ([x, y]) => bounded(binaryOp(op, x, y, loc)));
  }

  private member(n: SyntaxNode, scope: Scope, depth: number): PyValue {
    const loc = this.loc(n);
    const obj = n.firstChild;
    if (!obj) return unknown('incomplete expression', loc);
    const base = this.expr(obj, scope, depth + 1);
    const prop = n.getChild('PropertyName');
    if (prop) {
      const name = this.text(prop);
      if (base.t === 'ref') return { t: 'ref', path: `${base.path}.${name}`, loc, schemes: base.schemes };
      if (base.t === 'module') {
        const v = base.names.get(name);
        const ext = base.cls?.mro.find((c) => c.external.length > 0)?.external[0];
        return v ?? unknown(ext ? `${name} may come from ${ext}, a base class outside the workspace` : `${name} is not defined in ${base.path}`, loc);
      }
      // A bound method of a value (`"x".lower`, `env("X").split`): kept as a ref with the receiver for call().
      const callee = n.parent?.name === 'CallExpression' ? n.parent.firstChild : null;
      const called = callee !== null && callee.from === n.from && callee.to === n.to;
      if (called) return { t: 'ref', path: `<value>.${name}`, loc, schemes: new Map([['<self>', base]]) };
      // A data attribute (`urlparse(URL).scheme`): not modelled, so not known; a ref would compare unequal to any
      // string and test true, and settle an `if` on it.
      return unknown(`depends on \`${this.brief(n)}\``, loc, { source: this.brief(n) });
    }
    // Subscript: obj[key]
    const keyNode = n.getChild('[')?.nextSibling;
    if (!keyNode || keyNode.name === ']') return unknown('incomplete subscript', loc);
    if (keyNode.nextSibling && keyNode.nextSibling.name === ':') return unknown('slice cannot be evaluated statically', loc, { source: this.brief(n) });
    const key = this.expr(keyNode, scope, depth + 1);
    if (base.t === 'ref' && base.path === 'os.environ') return this.envLookup(key, undefined, loc, this.brief(n));
    // A known dict without the key raises KeyError (what a `try:` around it catches).
    if (scope.inTry > 0 && base.t === 'dict' && key.t !== 'unknown' && !base.entries.some(([k]) => k.t === 'unknown') && base.entries.every(([k]) => pyEquals(k, key) === false)) {
      scope.raised ??= 'KeyError';
    }
    return this.lift([base, key], loc, this.brief(n), ([b, k]) => {
      if (isSequence(b) && k.t === 'num' && Number.isInteger(k.v)) return b.items[k.v < 0 ? b.items.length + k.v : k.v];
      if (b.t === 'dict') return b.entries.find(([kk]) => pyEquals(kk, k) === true)?.[1];
      if (b.t === 'str' && k.t === 'num' && Number.isInteger(k.v)) {
        const ch = b.v.at(k.v);
        return ch === undefined ? undefined : { t: 'str', v: ch, loc };
      }
      return undefined;
    });
  }

  private args(list: SyntaxNode | null, scope: Scope): { positional: PyValue[]; kw: Map<string, PyValue>; opaque: boolean } {
    const positional: PyValue[] = [];
    const kw = new Map<string, PyValue>();
    let opaque = false;
    if (!list) return { positional, kw, opaque };
    let pendingName: string | undefined;
    let star = false;
    let lastArg: SyntaxNode | undefined;
    for (let c = list.firstChild; c; c = c.nextSibling) {
      if (['(', ')', ','].includes(c.name) || c.type.isError || c.name === 'Comment') continue;
      if (c.name === '*' || c.name === '**') {
        star = true;
        opaque = true;
        continue;
      }
      if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
        pendingName = this.text(c);
        continue;
      }
      if (c.name === 'AssignOp') continue;
      if (c.name === 'for') {
        // `f(x for x in xs)`: a generator argument, evaluated as the list it yields.
        const kids: SyntaxNode[] = lastArg ? [lastArg] : [];
        for (let k: SyntaxNode | null = c; k && k.name !== ')'; k = k.nextSibling) if (k.name !== 'Comment' && !k.type.isError) kids.push(k);
        if (lastArg && pendingName === undefined && positional.length > 0 && !star) {
          positional[positional.length - 1] = this.comprehension(kids, 'list', scope, 1, this.loc(list), this.text(list));
        } else opaque = true;
        break;
      }
      lastArg = c;
      const v = this.expr(c, scope, 1);
      if (star) star = false;
      else if (pendingName !== undefined) {
        kw.set(pendingName, v);
        pendingName = undefined;
      } else positional.push(v);
    }
    return { positional, kw, opaque };
  }

  private call(n: SyntaxNode, scope: Scope, depth: number): PyValue {
    const loc = this.loc(n);
    const src = this.brief(n);
    const calleeNode = n.firstChild;
    if (!calleeNode) return unknown('incomplete call', loc);
    const callee = this.expr(calleeNode, scope, depth + 1);
    const { positional, kw } = this.args(n.getChild('ArgList'), scope);
    if (callee.t !== 'ref') return unknown(`result of \`${src}\``, loc, { source: src });
    const path = callee.path;
    const last = path.split('.').pop()!;

    if (/(^|\.)split_settings\.tools\.optional$/.test(path) && positional[0]?.t === 'str') {
      return unknown(`an optional split-settings include`, loc, { source: src, optionalInclude: positional[0].v });
    }
    if (ENV_GETTERS.has(path)) {
      const def = positional[1] ?? kw.get('default');
      // os.environ.get/os.getenv without a default give None when the variable is unset (pop would raise).
      const unset: PyValue | undefined = !def && path !== 'os.environ.pop' ? { t: 'none', loc } : undefined;
      return this.envLookup(positional[0], def, loc, src, { unset });
    }
    if (path.startsWith('envhelper.')) {
      const def = positional[1] ?? kw.get('default') ?? [...kw.entries()].find(([k]) => /default/i.test(k))?.[1];
      // A converter passed in (`env("X", default=False, type_=boolish)`, MetaDeploy): the helper returns what it
      // makes of the value, default included. Only int, float and str are known; anything else is not read.
      const conv = [...kw.entries()].find(([k]) => CONVERTER_KEYWORDS.has(k.toLowerCase()))?.[1] ?? (positional[2]?.t === 'ref' || positional[2]?.t === 'unknown' ? positional[2] : undefined);
      if (conv) {
        const known = conv.t === 'ref' && ['builtins.int', 'builtins.float', 'builtins.str'].includes(conv.path) ? conv.path.slice('builtins.'.length) : undefined;
        if (!known) return unknown("the helper converts the value (default included) with the function passed to it", loc, { source: src });
        return this.envLookup(positional[0], def, loc, src, { cast: known === 'float' ? 'int' : known, castDefault: true });
      }
      return this.envLookup(positional[0], def, loc, src, { cast: path.slice('envhelper.'.length), castDefault: true });
    }
    if (DECOUPLE_FACTORIES.has(path) || ENVIRON_FACTORIES.has(path)) {
      const schemes = new Map<string, PyValue>();
      for (const [k, v] of kw) schemes.set(k, v);
      return { t: 'ref', path: ENVIRON_FACTORIES.has(path) ? 'environ.Env()' : 'decouple.config', loc, schemes };
    }
    if (path === 'environs.Env') return { t: 'ref', path: 'environs.Env()', loc };
    if (path === 'environs.Env()' || path.startsWith('environs.Env().')) {
      // environs: env(name, default), env.bool(name, default), … with the default returned as given.
      const method = path === 'environs.Env()' ? 'str' : path.slice('environs.Env().'.length);
      const cast = ENVIRONS_METHODS.has(method) ? method : undefined;
      if (!cast) return unknown(`result of \`${src}\``, loc, { source: src });
      const def = positional[1] ?? kw.get('default');
      return this.envLookup(positional[0], def, loc, src, { cast, castDefault: false });
    }
    if (path === 'decouple.Csv') return { t: 'ref', path: 'decouple.Csv()', loc };
    if (path === 'decouple.config') {
      // config(option, default=undefined, cast=undefined): the default goes through the cast too.
      const def = positional[1] ?? kw.get('default');
      const cast = castName(positional[2] ?? kw.get('cast'));
      return this.envLookup(positional[0], def, loc, src, { cast: cast === 'bool' ? 'decouple-bool' : cast, castDefault: true });
    }
    if (path === 'environ.Env()' || path.startsWith('environ.Env().')) {
      const method = path === 'environ.Env()' ? undefined : path.slice('environ.Env().'.length);
      if (method !== undefined && !(method in ENVIRON_METHODS)) return unknown(`result of \`${src}\``, loc, { source: src });
      const varName = positional[0];
      // Signatures as in django-environ: env(var, cast, default), list/tuple/dict/get_value(var, cast, default),
      // the others (var, default): so env.tuple('X', str, None) has the default None.
      const castFirst = method === undefined || ENVIRON_CAST_FIRST.has(method);
      let def = castFirst ? kw.get('default') ?? positional[2] : positional[1] ?? kw.get('default');
      let cast = castFirst ? (method && method !== 'get_value' ? ENVIRON_METHODS[method] : castName(kw.get('cast') ?? positional[1])) : ENVIRON_METHODS[method!];
      const scheme = varName?.t === 'str' ? callee.schemes?.get(varName.v) : undefined;
      if (scheme) {
        const sc = concrete(scheme)?.value;
        if (sc && sc.t === 'tuple') {
          cast ??= castName(sc.items[0]);
          def ??= sc.items[1];
        } else cast ??= castName(scheme);
      }
      // django-environ returns a default as given, without casting it (unless parse_default=True; url() always).
      const parseDefault = kw.get('parse_default') ?? (castFirst && method === undefined ? positional[3] : undefined);
      const parse = (parseDefault !== undefined && truthy(parseDefault) === true) || cast === 'url';
      return this.envLookup(varName, def, loc, src, { cast: cast === 'bool' ? 'environ-bool' : cast, castDefault: parse });
    }
    if (path.startsWith('builtins.') || last === 'strtobool') {
      const fn = path.startsWith('builtins.') ? path.slice(9) : 'strtobool';
      if (fn !== 'getattr' && fn !== 'strtobool') return this.builtin(fn, positional, kw, loc, src);
      if (fn === 'getattr') {
        const [obj, name, def] = positional;
        if (obj?.t === 'module' && name?.t === 'str') return obj.names.get(name.v) ?? def ?? unknown(`${name.v} is not defined in ${obj.path}`, loc);
        // An object loaded at run time (NetBox's configuration modules): where a workspace file sets the name, the
        // default is not what runs.
        const attr = name?.t === 'str' && /^[A-Z][A-Z0-9_]*$/.test(name.v) ? name.v : undefined;
        const setBy = def && attr ? this.ev.assignedAtTopLevel(attr, this.path) : undefined;
        if (setBy) return unknown(`read with \`${src}\` from an object loaded at run time, and ${setBy} sets ${attr}`, loc, { source: src });
        if (def) return unknown(`read with \`${src}\``, loc, { source: src, assumed: def });
        return unknown(`result of \`${src}\``, loc, { source: src });
      }
      const arg = positional[0];
      if (!arg) return unknown(`result of \`${src}\``, loc, { source: src });
      return this.lift([arg], loc, src, ([x]) => applyCast('strtobool', x, loc));
    }
    const configured = configurationValue(path, positional, kw, loc, src);
    if (configured) return configured;
    if (path.startsWith('<value>.')) {
      const self = callee.schemes?.get('<self>');
      if (!self) return unknown(`result of \`${src}\``, loc, { source: src });
      return this.lift([self, ...positional], loc, src, ([s, ...a]) => bounded(valueMethod(s, last, a, loc)));
    }
    return unknown(`result of \`${src}\``, loc, { source: src });
  }

  /** Python builtins on concrete values (or env defaults, with their note); undefined results stay unknown. */
  private builtin(fn: string, args: PyValue[], kw: Map<string, PyValue>, loc: Loc, src: string): PyValue {
    if (args.length === 0 && kw.size === 0) {
      if (fn === 'bool') return { t: 'bool', v: false, loc };
      if (fn === 'str') return { t: 'str', v: '', loc };
      if (fn === 'int' || fn === 'float') return { t: 'num', v: 0, loc };
      if (fn === 'list' || fn === 'tuple' || fn === 'set') return { t: fn, items: [], loc };
      if (fn === 'dict') return { t: 'dict', entries: [], loc };
    }
    if (kw.size > 0 || args.length === 0) return unknown(`result of \`${src}\``, loc, { source: src });
    return this.lift(args, loc, src, (xs) => bounded(builtinCall(fn, xs, loc)));
  }

  /** A read of an environment variable: unknown, with the visible default (if any) as the assumed value. */
  private envLookup(key: PyValue | undefined, def: PyValue | undefined, loc: Loc, src: string, opts: { cast?: string; castDefault?: boolean; unset?: PyValue } = {}): PyValue {
    const name = key && key.t === 'str' ? key.v : undefined;
    const why = name ? `read from environment variable ${name}` : `read from the environment (\`${src}\`)`;
    let assumed: PyValue | undefined = def;
    if (def && opts.cast && opts.castDefault) {
      const c = concrete(def)?.value;
      assumed = c ? applyCast(opts.cast, c, loc) : undefined;
    }
    // What the deployment sets replaces the default; the environment is a string the library casts.
    const given = name ? this.ev.environ(name) : undefined;
    if (given) {
      const cast = (v: string) => applyCast(opts.cast ?? 'str', { t: 'str', v, loc }, loc) ?? unknown(`${why} (\`${v}\` from the deployment cannot be cast)`, loc);
      if (given.kind === 'value') return unknown(why, loc, { source: src, assumed: cast(given.value), deployed: given.where });
      if (given.kind === 'outside') return unknown(`${why}, which the deployment sets from outside the repository (${given.where})`, loc, { source: src });
      const fallback = assumed ?? unknown(why, loc);
      return unknown(`${why}, which the deployments set differently (${given.where})`, loc, { source: src, alternatives: given.values.map((v) => (v === undefined ? fallback : cast(v))) });
    }
    if (!def) return unknown(why, loc, { source: src, unset: opts.unset });
    return unknown(why, loc, { source: src, assumed: assumed ?? unknown(why, loc) });
  }
}

/** The files of a list given to split_settings' `include(*files)`: plain names and `optional(…)` ones. */
function includeList(v: PyValue): { pattern: string; optional: boolean }[] | undefined {
  const c = concrete(v)?.value ?? v;
  if (!isSequence(c) || c.items.length > 64) return undefined;
  const out: { pattern: string; optional: boolean }[] = [];
  for (const i of c.items) {
    if (i.t === 'str') out.push({ pattern: i.v, optional: false });
    else if (i.t === 'unknown' && i.optionalInclude !== undefined) out.push({ pattern: i.optionalInclude, optional: true });
    else return undefined;
  }
  return out;
}

/**
 * `DEBUG = env.bool("DJANGO_DEBUG", True)`: a truthy default read from the environment is the developer's, not
 * production's (Django's deployment checklist requires DEBUG off). It is not assumed: DEBUG is either that default
 * or False, so what depends on it (`if not DEBUG:`) is judged on both, and a rule fires only when both agree.
 * A value the deployment sets is kept.
 */
function debugOffInDeployment(v: PyValue): PyValue {
  if (v.t !== 'unknown' || v.deployed || !v.assumed || !v.why.includes('environment')) return v;
  const c = concrete(v);
  if (!c || truthy(c.value) !== true) return v;
  const off: PyValue = { t: 'bool', v: false, loc: v.loc };
  return unknown(`${v.why} with a development default; a deployment runs with DEBUG off`, v.loc, { source: v.source, alternatives: [c.value, off] });
}

/**
 * `HOST = os.getenv("DJANGO_HOST", "localhost")`: a default that names the developer's machine (localhost, a loopback
 * address or URL, `local`, `dev`) is not what a deployment runs with. Like DEBUG's, it is not assumed: the value is
 * that default or another, so what depends on it (`if HOST != "localhost":` setting the secure cookies) is judged on
 * both. A value the deployment sets is kept.
 */
function localDefaultNotAssumed(v: PyValue): PyValue {
  if (v.t !== 'unknown' || v.deployed || !v.assumed || !v.why.includes('environment')) return v;
  const c = concrete(v);
  if (!c || c.value.t !== 'str' || !namesLocalMachine(c.value.v)) return v;
  return unknown(`${v.why} with a development default (\`${c.value.v}\`); a deployment sets its own`, v.loc, { source: v.source, alternatives: [c.value, unknown(`${v.why}, as a deployment sets it`, v.loc)] });
}

/** The ref a function that hands `globals()` on is bound to. */
const GLOBALS_WRITER = '<globals-writer>';

const LOCAL_WORDS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', 'local', 'dev', 'development']);

function namesLocalMachine(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (LOCAL_WORDS.has(v)) return true;
  // A URL or host:port on the local machine: http://localhost:8000, 127.0.0.1:8000.
  const host = v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split('/')[0].replace(/:\d+$/, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** A function body that is distutils' strtobool: its true and false words, `return 1` / `return 0`. */
function isStrtoboolCopy(body: string): boolean {
  const words = ['"yes"', '"true"', '"on"', '"no"', '"false"', '"off"'];
  const text = body.replace(/'/g, '"');
  return words.every((w) => text.includes(w)) && text.includes('return 1') && text.includes('return 0');
}

/** Whether an `except` clause's types (`ImportError`, `(KeyError, ValueError) as e`, bare) catch what was raised. */
function catches(types: string, raised: 'ImportError' | 'KeyError'): boolean {
  const words = types.split(/[\s(),:]+/).filter(Boolean);
  const as = words.indexOf('as');
  const names = (as >= 0 ? words.slice(0, as) : words).filter((w) => w !== '*').map((w) => w.split('.').pop()!);
  if (names.length === 0) return true;
  const ok = raised === 'ImportError' ? ['ImportError', 'ModuleNotFoundError'] : ['KeyError', 'LookupError'];
  return names.some((x) => ok.includes(x) || x === 'Exception' || x === 'BaseException');
}

/** A "may be" list item: present on some branches, absent on others. */
function possibleAbsent(v: PyValue): boolean {
  return v.t === 'unknown' && !v.assumed && v.alternatives?.length === 2 && v.alternatives[1] === undefined && v.alternatives[0] !== undefined;
}

/**
 * The value of a name after branches that cannot be decided. Lists of the same kind on every branch stay one list:
 * items on every branch are certain, the others "may be" items, so the known members stay known and later
 * mutations cost one list, not one per branch. Otherwise an unknown whose alternatives are flattened, deduplicated
 * and bounded (MAX_ALTERNATIVES): a run of sequential undecidable ifs would otherwise double them each time.
 */
export function mergeValues(values: (PyValue | undefined)[], why: string, source: string, loc: Loc): PyValue {
  const flat: (PyValue | undefined)[] = [];
  for (const v of values) {
    if (v && v.t === 'unknown' && !v.assumed && v.alternatives) for (const a of v.alternatives) flat.push(a);
    else flat.push(v);
  }
  const alts: (PyValue | undefined)[] = [];
  for (const v of flat) {
    if (alts.some((a) => a === v || (a !== undefined && v !== undefined && a.t === v.t && a.t !== 'unknown' && pyEquals(a, v) === true))) continue;
    alts.push(v);
  }
  const first = alts[0];
  if (first && isSequence(first) && alts.every((a) => a !== undefined && a.t === first.t)) {
    return mergeLists(alts as Extract<PyValue, { t: 'list' | 'tuple' | 'set' }>[], why, loc);
  }
  if (alts.length > MAX_ALTERNATIVES) return unknown(why, loc, { source });
  return unknown(why, loc, { source, alternatives: alts });
}

/** Identity of an item for merging: literal values by value, anything else by object identity. */
function itemKey(v: PyValue, ids: Map<PyValue, number>): string {
  switch (v.t) {
    case 'str':
      return `s${v.v}`;
    case 'num':
      return `n${v.v}`;
    case 'bool':
      return `n${v.v ? 1 : 0}`;
    case 'none':
      return 'none';
    default: {
      let id = ids.get(v);
      if (id === undefined) ids.set(v, (id = ids.size));
      return `#${id}`;
    }
  }
}

function mergeLists(lists: Extract<PyValue, { t: 'list' | 'tuple' | 'set' }>[], why: string, loc: Loc): PyValue {
  const ids = new Map<PyValue, number>();
  const counts = new Map<string, number>();
  for (const l of lists) {
    const seen = new Set<string>();
    for (const i of l.items) {
      const k = itemKey(i, ids);
      if (seen.has(k)) continue;
      seen.add(k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const items: PyValue[] = [];
  const placed = new Set<string>();
  for (const l of lists) {
    for (const i of l.items) {
      const k = itemKey(i, ids);
      if (placed.has(k)) continue;
      placed.add(k);
      items.push(counts.get(k) === lists.length ? i : maybeItem(i, `only on some branches: ${why}`));
    }
  }
  return { t: lists[0].t, items, loc };
}

/** A binary operator on concrete values; undefined when Python's result cannot be computed here. */
function binaryOp(op: string, x: PyValue, y: PyValue, loc: Loc): PyValue | undefined {
  const num = (v: PyValue) => (v.t === 'num' ? v.v : v.t === 'bool' ? (v.v ? 1 : 0) : undefined);
  const nx = num(x);
  const ny = num(y);
  switch (op) {
    case '==':
    case '!=': {
      const e = pyEquals(x, y);
      return e === undefined ? undefined : { t: 'bool', v: op === '==' ? e : !e, loc };
    }
    case 'is':
    case 'is not': {
      const same = x.t === 'none' && y.t === 'none' ? true : x.t === 'bool' && y.t === 'bool' ? x.v === y.v : x.t === 'none' || y.t === 'none' ? false : undefined;
      return same === undefined ? undefined : { t: 'bool', v: op === 'is' ? same : !same, loc };
    }
    case 'in':
    case 'not in': {
      let found: boolean | undefined;
      if (y.t === 'str' && x.t === 'str') found = y.v.includes(x.v);
      else if (isSequence(y)) found = seqContains(y, x);
      else if (y.t === 'dict') found = y.entries.some(([k]) => pyEquals(k, x) === true) ? true : undefined;
      return found === undefined ? undefined : { t: 'bool', v: op === 'in' ? found : !found, loc };
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (nx === undefined || ny === undefined) return undefined;
      const r = op === '<' ? nx < ny : op === '>' ? nx > ny : op === '<=' ? nx <= ny : nx >= ny;
      return { t: 'bool', v: r, loc };
    }
    case '+':
      if (nx !== undefined && ny !== undefined) return { t: 'num', v: nx + ny, loc };
      if (x.t === 'str' && y.t === 'str') return { t: 'str', v: x.v + y.v, loc };
      if ((x.t === 'list' && y.t === 'list') || (x.t === 'tuple' && y.t === 'tuple')) return { t: x.t, items: [...x.items, ...y.items], loc };
      if (x.t === 'list' && isSequence(y)) return { t: 'list', items: [...x.items, ...y.items], loc }; // list += tuple
      return undefined;
    case '|':
      if (x.t === 'set' && y.t === 'set') return { t: 'set', items: [...x.items, ...y.items], loc };
      return nx !== undefined && ny !== undefined ? { t: 'num', v: nx | ny, loc } : undefined;
    case '-':
      return nx !== undefined && ny !== undefined ? { t: 'num', v: nx - ny, loc } : undefined;
    case '*':
      if (nx !== undefined && ny !== undefined) return { t: 'num', v: nx * ny, loc };
      if (x.t === 'str' && ny !== undefined && ny < 10_000) return { t: 'str', v: x.v.repeat(Math.max(0, ny)), loc };
      return undefined;
    case '//':
      return nx !== undefined && ny ? { t: 'num', v: Math.floor(nx / ny), loc } : undefined;
    case '/':
      return nx !== undefined && ny ? { t: 'num', v: nx / ny, loc } : undefined;
    case '%':
      return nx !== undefined && ny ? { t: 'num', v: ((nx % ny) + ny) % ny, loc } : undefined;
    case '**':
      return nx !== undefined && ny !== undefined && ny >= 0 && ny < 64 ? { t: 'num', v: nx ** ny, loc } : undefined;
    default:
      return undefined;
  }
}

/** Results too large to keep are unknown: `X = X + X` repeated would double a string or list on every line. */
function bounded(v: PyValue | undefined): PyValue | undefined {
  if (!v) return v;
  if (v.t === 'str' && v.v.length > MAX_STRING) return undefined;
  if (isSequence(v) && v.items.length > MAX_ITEMS) return undefined;
  return v;
}

function castName(v: PyValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.t === 'ref') return v.path.replace(/^builtins\./, '').split('.').pop();
  return undefined;
}

/** Casts as the settings libraries do: decouple/strtobool turn "False" into False, Python's bool() does not. */
function applyCast(cast: string, x: PyValue, loc: Loc): PyValue | undefined {
  switch (cast) {
    case 'bool':
    case 'decouple-bool':
      if (x.t === 'str') {
        const s = x.v.trim().toLowerCase();
        if (TRUE_STRINGS.has(s)) return { t: 'bool', v: true, loc };
        if (FALSE_STRINGS.has(s)) return { t: 'bool', v: false, loc };
        // decouple raises on anything else; a project's env helper usually compares with "true".
        return cast === 'bool' ? { t: 'bool', v: false, loc } : undefined;
      }
      return applyCast('truthy', x, loc);
    case 'strtobool': {
      // distutils.util.strtobool returns 1 or 0, and raises on anything else (the empty string too).
      if (x.t !== 'str') return undefined;
      const s = x.v.toLowerCase();
      if (TRUE_STRINGS.has(s)) return { t: 'num', v: 1, loc };
      if (s !== '' && FALSE_STRINGS.has(s)) return { t: 'num', v: 0, loc };
      return undefined;
    }
    case 'environ-bool':
      // django-environ: int(value) != 0, else value.lower().strip() in BOOLEAN_TRUE_STRINGS.
      if (x.t === 'str') {
        if (/^\s*[-+]?\d+\s*$/.test(x.v)) return { t: 'bool', v: parseInt(x.v, 10) !== 0, loc };
        return { t: 'bool', v: ENVIRON_TRUE_STRINGS.has(x.v.toLowerCase().trim()), loc };
      }
      return x.t === 'bool' ? x : undefined;
    case 'truthy': {
      const t = truthy(x);
      return t === undefined ? undefined : { t: 'bool', v: t, loc };
    }
    case 'int':
    case 'float': {
      if (x.t === 'num') return { t: 'num', v: cast === 'int' ? Math.trunc(x.v) : x.v, loc };
      if (x.t === 'bool') return { t: 'num', v: x.v ? 1 : 0, loc };
      if (x.t === 'str' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(x.v)) return { t: 'num', v: cast === 'int' ? parseInt(x.v, 10) : Number(x.v), loc };
      return undefined;
    }
    case 'str':
      if (x.t === 'str') return x;
      if (x.t === 'num') return { t: 'str', v: String(x.v), loc };
      if (x.t === 'bool') return { t: 'str', v: x.v ? 'True' : 'False', loc };
      if (x.t === 'none') return { t: 'str', v: 'None', loc };
      return undefined;
    case 'list':
    case 'tuple':
      if (isSequence(x)) return { t: cast, items: x.items, loc };
      if (x.t === 'str') return { t: cast, items: x.v ? x.v.split(',').map((p) => ({ t: 'str' as const, v: p.trim(), loc })) : [], loc };
      return undefined;
    case 'Csv()':
      // decouple's Csv(): shlex splitting on ',' (empty fields vanish), each item stripped.
      if (x.t === 'str') return { t: 'list', items: x.v.split(',').map((p) => p.trim()).filter(Boolean).map((p) => ({ t: 'str' as const, v: p, loc })), loc };
      return undefined;
    default:
      return x;
  }
}

/** Methods of concrete str, list and dict values, as Python computes them; undefined when not computed here. */
function valueMethod(self: PyValue, method: string, args: PyValue[], loc: Loc): PyValue | undefined {
  if (self.t === 'dict') {
    if (method === 'get' && args[0]) return self.entries.find(([k]) => pyEquals(k, args[0]) === true)?.[1] ?? args[1] ?? { t: 'none', loc };
    return undefined;
  }
  if (isSequence(self)) {
    if (method === 'index' || method === 'count') {
      const eq = self.items.map((i) => (args[0] ? pyEquals(i, args[0]) : undefined));
      if (eq.some((e) => e === undefined)) return undefined;
      if (method === 'count') return { t: 'num', v: eq.filter(Boolean).length, loc };
      return eq.indexOf(true) < 0 ? undefined : { t: 'num', v: eq.indexOf(true), loc };
    }
    return undefined;
  }
  if (self.t !== 'str') return undefined;
  const s = self.v;
  const str = (v: string): PyValue => ({ t: 'str', v, loc });
  const a0 = args[0];
  const chars = a0 === undefined || a0.t === 'none' ? undefined : a0.t === 'str' ? a0.v : null;
  switch (method) {
    case 'lower':
    case 'casefold':
      return str(s.toLowerCase());
    case 'upper':
      return str(s.toUpperCase());
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      if (chars === null) return undefined;
      const set = chars ?? ' \t\n\r\x0b\x0c';
      let from = 0;
      let to = s.length;
      if (method !== 'rstrip') while (from < to && set.includes(s[from])) from++;
      if (method !== 'lstrip') while (to > from && set.includes(s[to - 1])) to--;
      return str(s.slice(from, to));
    }
    case 'startswith':
    case 'endswith': {
      const opts = a0?.t === 'str' ? [a0.v] : a0 && a0.t === 'tuple' && a0.items.every((i) => i.t === 'str') ? a0.items.map((i) => (i as { v: string }).v) : undefined;
      if (!opts || args.length > 1) return undefined;
      return { t: 'bool', v: opts.some((o) => (method === 'startswith' ? s.startsWith(o) : s.endsWith(o))), loc };
    }
    case 'split': {
      if (chars === null || chars === '' || args.length > 1) return undefined;
      const parts = chars === undefined ? s.split(/[ \t\n\r\x0b\x0c]+/).filter(Boolean) : s.split(chars);
      return { t: 'list', items: parts.map(str), loc };
    }
    case 'replace': {
      const [from, to] = args;
      if (from?.t !== 'str' || to?.t !== 'str' || args.length > 2) return undefined;
      return str(s.split(from.v).join(to.v));
    }
    case 'join': {
      if (!a0 || !isSequence(a0) || !a0.items.every((i) => i.t === 'str')) return undefined;
      return str(a0.items.map((i) => (i as { v: string }).v).join(s));
    }
    case 'isdigit':
      return { t: 'bool', v: /^[0-9]+$/.test(s), loc };
    case 'format':
      return formatString(s, args, loc);
    default:
      return undefined;
  }
}

/** `'environments/{0}.py'.format(env)`: `{}`, `{N}` and `{{`/`}}` with str, number and bool arguments; else undefined. */
function formatString(s: string, args: PyValue[], loc: Loc): PyValue | undefined {
  const text = (v: PyValue | undefined): string | undefined =>
    v?.t === 'str' ? v.v : v?.t === 'num' ? String(v.v) : v?.t === 'bool' ? (v.v ? 'True' : 'False') : undefined;
  let out = '';
  let next = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ((c === '{' || c === '}') && s[i + 1] === c) {
      out += c;
      i++;
    } else if (c === '{') {
      const end = s.indexOf('}', i);
      const field = end < 0 ? undefined : s.slice(i + 1, end);
      if (field === undefined || !/^\d*$/.test(field)) return undefined;
      const v = text(args[field === '' ? next++ : Number(field)]);
      if (v === undefined) return undefined;
      out += v;
      i = end;
    } else if (c === '}') return undefined;
    else out += c;
  }
  return { t: 'str', v: out, loc };
}

/** The builtins the evaluator computes, on concrete values. */
function builtinCall(fn: string, xs: PyValue[], loc: Loc): PyValue | undefined {
  const [x] = xs;
  const iterItems = (v: PyValue): PyValue[] | undefined =>
    isSequence(v) ? v.items : v.t === 'str' ? [...v.v].map((ch) => ({ t: 'str' as const, v: ch, loc })) : v.t === 'dict' ? v.entries.map(([k]) => k) : undefined;
  switch (fn) {
    case 'bool':
      // Python's bool() is plain truthiness: bool("False") is True.
      return applyCast('truthy', x, loc);
    case 'int': {
      if (xs.length > 1) return undefined;
      if (x.t === 'num') return { t: 'num', v: Math.trunc(x.v), loc };
      if (x.t === 'bool') return { t: 'num', v: x.v ? 1 : 0, loc };
      if (x.t === 'str' && /^\s*[-+]?\d+(_\d+)*\s*$/.test(x.v)) return { t: 'num', v: parseInt(x.v.replace(/_/g, ''), 10), loc };
      return undefined;
    }
    case 'float':
      return applyCast('float', x, loc);
    case 'str':
      return xs.length === 1 && x.t !== 'list' && x.t !== 'tuple' && x.t !== 'set' && x.t !== 'dict' ? applyCast('str', x, loc) : undefined;
    case 'len': {
      const items = iterItems(x);
      if (!items || items.some((i) => i.t === 'unknown')) return undefined;
      return { t: 'num', v: items.length, loc };
    }
    case 'list':
    case 'tuple':
    case 'set': {
      const items = iterItems(x);
      return items ? { t: fn, items, loc } : undefined;
    }
    case 'any':
    case 'all': {
      const items = iterItems(x);
      if (!items) return undefined;
      const ts = items.map(truthy);
      if (fn === 'any') return ts.some((t) => t === true) ? { t: 'bool', v: true, loc } : ts.every((t) => t === false) ? { t: 'bool', v: false, loc } : undefined;
      return ts.some((t) => t === false) ? { t: 'bool', v: false, loc } : ts.every((t) => t === true) ? { t: 'bool', v: true, loc } : undefined;
    }
    case 'filter': {
      // filter(None, xs): the truthy items (an iterator in Python; kept as a list).
      const items = xs[1] && x.t === 'none' ? iterItems(xs[1]) : undefined;
      if (!items) return undefined;
      const ts = items.map(truthy);
      if (ts.some((t) => t === undefined)) return undefined;
      return { t: 'list', items: items.filter((_, i) => ts[i]), loc };
    }
    default:
      return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

/** Decodes one Python string literal (any prefix and quote style); undefined when malformed. */
export function decodeStringLiteral(raw: string): string | undefined {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(raw);
  if (!m) return undefined;
  const prefix = m[1].toLowerCase();
  const q = m[2];
  if (!raw.endsWith(q) || raw.length < m[0].length + q.length) return undefined;
  const body = raw.slice(m[0].length, raw.length - q.length);
  if (prefix.includes('r')) return body;
  // Runs between escapes are copied as slices: a string built a character at a time is a deep rope that the
  // model keeps for the whole scan.
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const next = body.indexOf('\\', i);
    if (next === -1) {
      out += body.slice(i);
      break;
    }
    if (next > i) out += body.slice(i, next);
    i = next;
    const d = body[++i];
    if (d === undefined) break;
    if (d in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[d];
    else if (d === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (d === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += `\\${d}`;
  }
  return out;
}

export { show };

/** Upper-case names assigned at column 0 (`NAME = …`, `NAME: type = …`), by a scan of the text's line starts. */
function topLevelAssignments(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    let j = i;
    const first = text.charCodeAt(j);
    if (first >= 65 && first <= 90) {
      for (let c = first; (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; c = text.charCodeAt(++j));
      const end = j;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === ':') {
        // An annotation: the assignment's `=` follows on the same line.
        while (j < text.length && text[j] !== '=' && text[j] !== '\n') j++;
      }
      if (text[j] === '=' && text[j + 1] !== '=') out.push(text.slice(i, end));
    }
    const nl = text.indexOf('\n', j);
    if (nl < 0) break;
    i = nl + 1;
  }
  return out;
}

const SETTINGS_MODULE_NAMES = new Set(['INSTALLED_APPS', 'MIDDLEWARE', 'ROOT_URLCONF']);

/** A `from x import *` at the start of a line. */
function starImport(text: string): boolean {
  for (let i = text.indexOf('from '); i >= 0; i = text.indexOf('from ', i + 5)) {
    if (i > 0 && text[i - 1] !== '\n') continue;
    const nl = text.indexOf('\n', i);
    const line = text.slice(i, nl < 0 ? text.length : nl);
    const hash = line.indexOf('#');
    if ((hash < 0 ? line : line.slice(0, hash)).trimEnd().endsWith('import *')) return true;
  }
  return false;
}

/**
 * A computed include path with one interpolated part, as a pattern with `*` there: `f'environments/{ENV}.py'`,
 * `'environments/{0}.py'.format(ENV)`, `'environments/%s.py' % ENV`, `'environments/' + ENV + '.py'`.
 */
export function computedPathGlob(src: string): string | undefined {
  const forms = [
    /^[fF](['"])([^'"{}*?[\]\\]*)\{[^{}'"]+\}([^'"{}*?[\]\\]*)\1$/,
    /^(['"])([^'"{}*?[\]\\]*)\{\w*\}([^'"{}*?[\]\\]*)\1\s*\.format\(\s*[\w.]+\s*\)$/,
    /^(['"])([^'"%*?[\]\\]*)%s([^'"%*?[\]\\]*)\1\s*%\s*[\w.]+$/,
    /^(['"])([^'"*?[\]\\]*)\1\s*\+\s*[\w.]+\s*\+\s*(['"])([^'"*?[\]\\]*)\3$/,
  ];
  for (const [i, re] of forms.entries()) {
    const m = re.exec(src.trim());
    if (!m) continue;
    const [prefix, suffix] = i === 3 ? [m[2], m[4]] : [m[2], m[3]];
    return suffix.endsWith('.py') && !prefix.startsWith('/') && !prefix.includes('..') ? `${prefix}*${suffix}` : undefined;
  }
  return undefined;
}
