// The value oracle: imports each settings module with real Django (Debian's python3-django under /usr/bin/python3,
// `django.conf.Settings`, exactly what `django.conf.settings` wraps) and compares, setting by setting, the value
// Django holds with the value our evaluator computes. This executes fixture and corpus code — in tests only, in a
// temporary copy, with an empty environment and sockets disabled; the product never does.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyse } from '../../src/engine/scan';
import { concrete, type PyValue } from '../../src/model/python/values';
import type { SettingValue } from '../../src/model/settings';
import { copyWorkspace, entriesOf, importPlan, PYTHON, type OracleProbe, type Workspace } from './django-oracle';

/** Every setting a django/* rule (or a rule that reads Django settings) looks at. */
export const COMPARED_SETTINGS: readonly string[] = [
  'DEBUG',
  'ALLOWED_HOSTS',
  'INSTALLED_APPS',
  'MIDDLEWARE',
  'MIDDLEWARE_CLASSES',
  'SECURE_SSL_REDIRECT',
  'SECURE_SSL_HOST',
  'SECURE_REDIRECT_EXEMPT',
  'SECURE_PROXY_SSL_HEADER',
  'SECURE_HSTS_SECONDS',
  'SECURE_HSTS_INCLUDE_SUBDOMAINS',
  'SECURE_HSTS_PRELOAD',
  'SESSION_COOKIE_SECURE',
  'CSRF_COOKIE_SECURE',
  'LANGUAGE_COOKIE_SECURE',
  'SESSION_COOKIE_SAMESITE',
  'CSRF_COOKIE_SAMESITE',
  'LANGUAGE_COOKIE_SAMESITE',
  'SESSION_COOKIE_HTTPONLY',
  'CSRF_COOKIE_HTTPONLY',
  'CSRF_USE_SESSIONS',
  'CSRF_TRUSTED_ORIGINS',
  'SESSION_EXPIRE_AT_BROWSER_CLOSE',
  'SESSION_COOKIE_AGE',
];

/**
 * The oracle runs in the world the evaluator assumes: every third-party package a module imports is installed
 * (the evaluator takes `import x` of a package outside the workspace as succeeding, so `try: import debug_toolbar
 * / except ImportError / else:` runs its `else`). A package that is not installed next to the oracle is an inert
 * stub: any attribute or call gives another stub, and any use of one as a value (truth, comparison, string,
 * iteration, arithmetic) raises, so a stub can be stored but never decide anything. A compared setting that holds
 * one is not comparable; a module that uses one as a value is not importable, with the reason. Never stubbed: a
 * name that is a folder or module in one of the job's import roots, which Python resolves there, and the
 * libraries that compute settings (split-settings, django-environ, decouple, django-configurations), whose stub
 * would silently compute nothing.
 */

/** Seconds one module may take to import before it is abandoned (SIGALRM in the interpreter). */
export const IMPORT_TIMEOUT_S = 15;
/** Modules per interpreter process. */
const BATCH_SIZE = 40;

/** A Python value as the interpreter reports it (see DRIVER). */
export type Canon =
  | { t: 'none' }
  | { t: 'bool'; v: boolean }
  | { t: 'int' | 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'list' | 'tuple' | 'set'; items: Canon[] }
  | { t: 'dict'; entries: [Canon, Canon][] }
  | { t: 'absent' }
  | { t: 'other'; type: string; repr: string }
  /** A value from a package that is not installed next to the oracle (see the stub note above DRIVER). */
  | { t: 'stub'; repr: string };

/** Our value in the same form; `num` matches Python's int and float alike (the evaluator keeps one number type). */
export type Ours = Exclude<Canon, { t: 'int' | 'float' }> | { t: 'num'; v: number };

export interface ValueJob {
  id: number;
  workspace: Workspace;
  module: string;
  /** Import roots (absolute, inside the temporary copy) with the dotted name to import from each, tried in order. */
  plans?: [string, string][];
  /** Folder and module names in the import roots: such imports are never stubbed (they fail as in Python). */
  local?: string[];
  /** What the deployment sets in the environment and our values were computed with: Django imports with it too. */
  env?: Record<string, string>;
  planError?: string;
}

export interface ValueRun {
  id: number;
  ok: boolean;
  reason?: string;
  values?: Record<string, Canon>;
  defaults?: Record<string, Canon>;
}

/**
 * The interpreter side. Reads jobs (JSON) on stdin, imports each module through django.conf.Settings, and writes
 * one JSON line per job. Between jobs: the environment, cwd and sys.path are restored and the job's own modules
 * dropped from sys.modules, so modules of the same name in two workspaces do not meet.
 */
export const DRIVER = String.raw`
import contextlib, importlib, io, json, os, signal, socket, sys, warnings
NAMES = json.loads(sys.argv[1])
TMP = sys.argv[2]
TIMEOUT = int(sys.argv[3])
warnings.simplefilter("ignore")
_out = sys.stdout
def _no_network(*a, **k):
    raise OSError("network access is disabled by the value oracle")
socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
socket.getaddrinfo = _no_network
socket.create_connection = _no_network
socket.gethostbyname = _no_network
socket.gethostbyname_ex = _no_network
socket.gethostbyaddr = _no_network
class _Timeout(BaseException):
    pass
def _alarm(signum, frame):
    raise _Timeout()
signal.signal(signal.SIGALRM, _alarm)
class _StubUsed(Exception):
    pass
class _Stub:
    def __init__(self, name):
        object.__setattr__(self, "_stub_name", name)
    def __getattr__(self, a):
        if a.startswith("__") and a.endswith("__"):
            raise AttributeError(a)
        return _Stub(self._stub_name + "." + a)
    def __call__(self, *a, **k):
        return _Stub(self._stub_name + "()")
    def __repr__(self):
        return "<stub %s>" % self._stub_name
    def _used(self, *a, **k):
        raise _StubUsed("a value from the stubbed package %s was used: %s" % (self._stub_name.split(".")[0], self._stub_name))
    __bool__ = __str__ = __iter__ = __len__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _used
    __add__ = __radd__ = __contains__ = __getitem__ = __int__ = __float__ = __index__ = __fspath__ = _used
import importlib.abc, importlib.machinery, types
class _StubModule(types.ModuleType):
    def __getattr__(self, a):
        if a.startswith("__") and a.endswith("__"):
            raise AttributeError(a)
        return _Stub(self.__name__ + "." + a)
class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        # Only imports made by the workspace's code: the standard library probes optional modules too.
        f = sys._getframe(1)
        while f is not None and f.f_code.co_filename.startswith("<frozen"):
            f = f.f_back
        if f is None or not f.f_code.co_filename.startswith(TMP):
            return None
        top = name.split(".")[0]
        if top in LOCAL or top in NEVER_STUB:
            return None
        for f in sys.meta_path:
            if f is self:
                continue
            try:
                if f.find_spec(name, path, target) is not None:
                    return None
            except Exception:
                pass
        return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        m = _StubModule(spec.name)
        m.__path__ = []
        return m
    def exec_module(self, module):
        pass
sys.meta_path.append(_StubFinder())
from django.conf import Settings, global_settings
def ser(v, d=0):
    if isinstance(v, _Stub):
        return {"t": "stub", "repr": repr(v)}
    if d > 8:
        return {"t": "other", "type": type(v).__name__, "repr": "..."}
    if v is None:
        return {"t": "none"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": v} if abs(v) < 2**53 else {"t": "other", "type": "int", "repr": repr(v)}
    if isinstance(v, float):
        return {"t": "float", "v": v} if v == v and abs(v) != float("inf") else {"t": "other", "type": "float", "repr": repr(v)}
    if isinstance(v, str):
        return {"t": "str", "v": str(v)}
    if isinstance(v, (list, tuple, set, frozenset)):
        t = "list" if isinstance(v, list) else "tuple" if isinstance(v, tuple) else "set"
        return {"t": t, "items": [ser(x, d + 1) for x in list(v)[:500]]}
    if isinstance(v, dict):
        return {"t": "dict", "entries": [[ser(k, d + 1), ser(x, d + 1)] for k, x in list(v.items())[:500]]}
    return {"t": "other", "type": type(v).__name__, "repr": repr(v)[:200]}
BASE_ENV = dict(os.environ)
BASE_PATH = list(sys.path)
defaults = {n: ser(getattr(global_settings, n)) if hasattr(global_settings, n) else {"t": "absent"} for n in NAMES}
def ours(m):
    f = getattr(m, "__file__", None)
    if f:
        return f.startswith(TMP)
    return any(str(p).startswith(TMP) for p in (getattr(m, "__path__", None) or []))
LOCAL = set()
# Libraries that compute settings (the evaluator models them): a stub would silently compute nothing.
NEVER_STUB = {"split_settings", "environ", "decouple", "configurations"}
def load(root, dotted, env):
    os.environ.update(env)
    sys.path[:] = [root] + BASE_PATH
    os.chdir(root)
    importlib.invalidate_caches()
    before = set(sys.modules)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return Settings(dotted)
    finally:
        os.environ.clear()
        os.environ.update(BASE_ENV)
        for name in set(sys.modules) - before:
            m = sys.modules.get(name)
            if m is None or ours(m):
                sys.modules.pop(name, None)
for job in json.load(sys.stdin):
    res = {"id": job["id"]}
    LOCAL = set(job["local"])
    try:
        signal.alarm(TIMEOUT)
        # The import root of a real project is not written down: shallowest first, deeper ones on an ImportError.
        errors = []
        for root, dotted in job["plans"]:
            try:
                s = load(root, dotted, job["env"])
                break
            except ImportError as e:
                errors.append("%s (as %s)" % (("%s: %s" % (type(e).__name__, e)).splitlines()[0], dotted))
        else:
            raise ImportError("; ".join(errors))
        signal.alarm(0)
        res["ok"] = True
        res["values"] = {n: ser(getattr(s, n)) if hasattr(s, n) else {"t": "absent"} for n in NAMES}
        res["defaults"] = defaults
    except _Timeout:
        res["ok"] = False
        res["reason"] = "timed out after %d s" % TIMEOUT
    except BaseException as e:
        signal.alarm(0)
        res["ok"] = False
        res["reason"] = ("%s: %s" % (type(e).__name__, e)).splitlines()[0][:300] if str(e) else type(e).__name__
    finally:
        signal.alarm(0)
    _out.write(json.dumps(res) + "\n")
    _out.flush()
`;

// ---------------------------------------------------------------------------------------------------------

/** Cases, rule fixtures, and every project of the corpus (django/ and projects/). */
export function discoverValueWorkspaces(repoRoot: string, sharedRoot: string | undefined): Workspace[] {
  const out: Workspace[] = [];
  out.push(...entriesOf(path.join(repoRoot, '__tests__', 'oracle', 'cases'), repoRoot, 'case'));
  const fixtures = path.join(repoRoot, '__tests__', 'rules', 'django');
  if (fs.existsSync(fixtures)) {
    for (const rule of fs.readdirSync(fixtures, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (rule.isDirectory()) out.push(...entriesOf(path.join(fixtures, rule.name), repoRoot, 'fixture'));
    }
  }
  if (sharedRoot) {
    for (const group of ['django', 'projects']) {
      const dir = path.join(sharedRoot, 'corpus', group);
      if (!fs.existsSync(dir)) continue;
      for (const proj of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (proj.isDirectory()) out.push({ label: `corpus/${group}/${proj.name}`, origin: 'corpus', root: path.join(dir, proj.name) });
      }
    }
  }
  return out;
}

export interface OurModule {
  workspace: Workspace;
  module: string;
  values: Record<string, SettingValue>;
  env: Record<string, string>;
}

/** Every file our engine classifies as Django settings, each judged alone, with the value of each compared setting. */
export function ourModules(ws: Workspace): { modules: OurModule[]; error?: string; skipped: string[] } {
  try {
    const first = analyse({ root: ws.root, paths: ws.paths, config: { djangoVersion: '3.2' } });
    const all = first.result.files.filter((f) => f.kind === 'django-settings').map((f) => f.path);
    // Glob metacharacters in a path would make it a pattern: such files are listed, not compared.
    const plain = all.filter((p) => !/[*?[\]{}\\!]/.test(p));
    const skipped = all.filter((p) => !plain.includes(p));
    if (plain.length === 0) return { modules: [], skipped };
    const { model } = analyse({ root: ws.root, paths: ws.paths, config: { djangoVersion: '3.2', settingsModules: plain } });
    const modules = model.settings.map((s) => ({ workspace: ws, module: s.path, values: Object.fromEntries(COMPARED_SETTINGS.map((n) => [n, s.get(n)])), env: Object.fromEntries(s.deploymentEnv) }));
    const judged = new Set(modules.map((m) => m.module));
    for (const p of plain) if (!judged.has(p)) skipped.push(p);
    return { modules, skipped };
  } catch (e) {
    return { modules: [], skipped: [], error: (e as Error).stack ?? String(e) };
  }
}

/** Our value in canonical form, or undefined when it (or a part of it) is not known, even by its default. */
export function canonOurs(v: PyValue, depth = 0): Ours | undefined {
  if (depth > 8) return undefined;
  const c = v.t === 'unknown' ? concrete(v)?.value : v;
  if (!c) return undefined;
  switch (c.t) {
    case 'none':
      return { t: 'none' };
    case 'bool':
      return { t: 'bool', v: c.v };
    case 'num':
      return { t: 'num', v: c.v };
    case 'str':
      return { t: 'str', v: c.v };
    case 'list':
    case 'tuple':
    case 'set': {
      const items: Ours[] = [];
      for (const i of c.items) {
        const x = canonOurs(i, depth + 1);
        if (!x) return undefined;
        items.push(x);
      }
      return { t: c.t, items: items as Canon[] };
    }
    case 'dict': {
      const entries: [Canon, Canon][] = [];
      for (const [k, x] of c.entries) {
        const ck = canonOurs(k, depth + 1);
        const cx = canonOurs(x, depth + 1);
        if (!ck || !cx) return undefined;
        entries.push([ck as Canon, cx as Canon]);
      }
      return { t: 'dict', entries };
    }
    default:
      return undefined;
  }
}

/** Python equality with the type kept: True is not 1 here (Django's `is True` checks and `strtobool` care). */
export function canonEqual(django: Canon, ours: Ours | Canon): boolean {
  if (ours.t === 'num') return (django.t === 'int' || django.t === 'float') && django.v === ours.v;
  if (django.t !== ours.t) return false;
  switch (django.t) {
    case 'none':
    case 'absent':
      return true;
    case 'bool':
    case 'int':
    case 'float':
    case 'str':
      return django.v === (ours as { v: unknown }).v;
    case 'list':
    case 'tuple': {
      const b = (ours as { items: Canon[] }).items;
      return django.items.length === b.length && django.items.every((x, i) => canonEqual(x, b[i]));
    }
    case 'set': {
      const b = [...(ours as { items: Canon[] }).items];
      if (django.items.length !== b.length) return false;
      for (const x of django.items) {
        const i = b.findIndex((y) => canonEqual(x, y));
        if (i < 0) return false;
        b.splice(i, 1);
      }
      return true;
    }
    case 'dict': {
      const b = (ours as { entries: [Canon, Canon][] }).entries;
      return django.entries.length === b.length && django.entries.every(([k, x]) => b.some(([k2, x2]) => canonEqual(k, k2) && canonEqual(x, x2)));
    }
    case 'other':
    case 'stub':
      return false;
  }
}

function hasStub(v: Canon, depth = 0): boolean {
  if (depth > 10) return false;
  if (v.t === 'stub') return true;
  if (v.t === 'list' || v.t === 'tuple' || v.t === 'set') return v.items.some((x) => hasStub(x, depth + 1));
  if (v.t === 'dict') return v.entries.some(([k, x]) => hasStub(k, depth + 1) || hasStub(x, depth + 1));
  return false;
}

export function showCanon(v: Canon | Ours, depth = 0): string {
  if (depth > 3) return '…';
  switch (v.t) {
    case 'none':
      return 'None';
    case 'absent':
      return '(not defined)';
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'int':
    case 'float':
    case 'num':
      return String(v.v);
    case 'str':
      return JSON.stringify(v.v);
    case 'list':
    case 'tuple':
    case 'set': {
      const inner = v.items.slice(0, 6).map((x) => showCanon(x, depth + 1)).join(', ') + (v.items.length > 6 ? ', …' : '');
      return v.t === 'list' ? `[${inner}]` : v.t === 'set' ? `{${inner}}` : `(${inner}${v.items.length === 1 ? ',' : ''})`;
    }
    case 'dict':
      return `{${v.entries.length} entries}`;
    case 'other':
      return `<${v.type} ${v.repr}>`;
    case 'stub':
      return v.repr;
  }
}

export type Verdict = 'agreed' | 'disagreed' | 'not-comparable';

export interface SettingComparison {
  setting: string;
  verdict: Verdict;
  django: Canon;
  ours?: Ours | Canon;
  /** Why ours is not comparable, or what our value rests on. */
  note: string;
}

/** Compares one module's values. Unset on our side means Django's default, which the interpreter reports too. */
export function compareModule(ours: Record<string, SettingValue>, run: ValueRun): SettingComparison[] {
  const out: SettingComparison[] = [];
  for (const name of COMPARED_SETTINGS) {
    const django = run.values![name];
    const v = ours[name];
    if (hasStub(django)) {
      out.push({ setting: name, verdict: 'not-comparable', django, note: 'Django\'s value comes from a package that is not installed next to the oracle (a stub)' });
      continue;
    }
    if (v.state === 'unset') {
      const dflt = run.defaults![name];
      out.push({ setting: name, verdict: canonEqual(django, dflt) ? 'agreed' : 'disagreed', django, ours: dflt, note: 'unset: Django\'s default' });
      continue;
    }
    if (v.state === 'unknown') {
      out.push({ setting: name, verdict: 'not-comparable', django, note: v.why });
      continue;
    }
    const c = canonOurs(v.value);
    if (!c) {
      out.push({ setting: name, verdict: 'not-comparable', django, note: 'a part of the value is unknown' });
      continue;
    }
    out.push({ setting: name, verdict: canonEqual(django, c) ? 'agreed' : 'disagreed', django, ours: c, note: v.assumed ? `on a default: ${v.assumed.source ?? v.assumed.why}` : 'known' });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Running the interpreter
// ---------------------------------------------------------------------------------------------------------

/** Copies each workspace once to `tmpBase` and plans the import of every module. */
export function planJobs(modules: OurModule[], probe: OracleProbe, tmpBase: string): ValueJob[] {
  const copies = new Map<Workspace, string>();
  // Top-level names importable from any of a job's roots: Python would find them there, so they are not stubbed.
  const localNames = (roots: string[]) => [...new Set(roots.flatMap((r) => fs.readdirSync(r).map((n) => n.replace(/\.py$/, ''))))];
  return modules.map((m, id) => {
    let copy = copies.get(m.workspace);
    if (!copy) {
      copy = path.join(tmpBase, `ws-${copies.size}`);
      copyWorkspace(m.workspace, copy);
      copies.set(m.workspace, copy);
    }
    const plan = importPlan(m.module, probe.shadowed);
    if ('error' in plan) return { id, workspace: m.workspace, module: m.module, planError: plan.error };
    const root = path.join(copy, plan.rootDir);
    if (plan.renameTo) {
      // Copied, not renamed: other modules of the workspace may import it under its own name.
      fs.copyFileSync(path.join(copy, m.module), path.join(root, plan.renameTo));
      return { id, workspace: m.workspace, module: m.module, plans: [[root, plan.dotted]], local: localNames([root]), env: m.env };
    }
    const dir = path.posix.dirname(m.module);
    const rel = path.posix.relative(plan.rootDir, dir === '.' ? '' : dir);
    let d = root;
    for (const seg of rel ? rel.split('/') : []) {
      d = path.join(d, seg);
      const init = path.join(d, '__init__.py');
      if (!fs.existsSync(init)) fs.writeFileSync(init, '');
    }
    // Deeper roots too (a src/ layout, a project folder holding manage.py), each package name still importable.
    const plans: [string, string][] = [[root, plan.dotted]];
    const parts = plan.dotted.split('.');
    for (let k = 1; k < parts.length; k++) {
      if (probe.shadowed.has(parts[k])) continue;
      plans.push([path.join(root, ...parts.slice(0, k)), parts.slice(k).join('.')]);
    }
    return { id, workspace: m.workspace, module: m.module, plans, local: localNames(plans.map(([r]) => r)), env: m.env };
  });
}

function runBatch(jobs: ValueJob[], tmpBase: string): Promise<{ runs: ValueRun[]; stderr: string }> {
  const payload = JSON.stringify(jobs.map((j) => ({ id: j.id, plans: j.plans, local: j.local, env: j.env ?? {} })));
  // No shell; only PATH in the environment (no DJANGO_SETTINGS_MODULE, no secrets); the import root is set per job.
  const child = spawn(PYTHON, ['-B', '-c', DRIVER, JSON.stringify(COMPARED_SETTINGS), tmpBase, String(IMPORT_TIMEOUT_S)], {
    cwd: tmpBase,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONPATH: tmpBase, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 100_000) stderr += d;
  });
  child.stdin.on('error', () => {});
  child.stdin.end(payload);
  // A module that blocks in C code is not interrupted by SIGALRM: the whole batch has a ceiling too.
  const ceiling = setTimeout(() => child.kill('SIGKILL'), (IMPORT_TIMEOUT_S + 5) * 1000 * Math.max(1, jobs.length));
  return new Promise((resolve) => {
    child.on('close', () => {
      clearTimeout(ceiling);
      const runs: ValueRun[] = [];
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          runs.push(JSON.parse(line) as ValueRun);
        } catch {
          /* a torn last line */
        }
      }
      resolve({ runs, stderr });
    });
  });
}

/**
 * Runs every job, `parallel` interpreters at a time. A process that dies mid-batch loses only the job it was on:
 * that job is reported with the reason and the rest run again in a new process.
 */
export async function runJobs(jobs: ValueJob[], tmpBase: string, parallel: number): Promise<Map<number, ValueRun>> {
  const results = new Map<number, ValueRun>();
  for (const j of jobs) if (j.planError) results.set(j.id, { id: j.id, ok: false, reason: j.planError });
  const todo = jobs.filter((j) => !j.planError);
  const batches: ValueJob[][] = [];
  for (let i = 0; i < todo.length; i += BATCH_SIZE) batches.push(todo.slice(i, i + BATCH_SIZE));
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      let rest = batch;
      while (rest.length > 0) {
        const { runs, stderr } = await runBatch(rest, tmpBase);
        for (const r of runs) results.set(r.id, r);
        const left = rest.filter((j) => !results.has(j.id));
        if (left.length === rest.length || (left.length > 0 && runs.length < rest.length)) {
          const lastLine = stderr.trim().split('\n').pop() ?? '';
          results.set(left[0].id, { id: left[0].id, ok: false, reason: `the interpreter stopped on this module${lastLine ? `: ${lastLine.slice(0, 200)}` : ''}` });
        }
        rest = rest.filter((j) => !results.has(j.id));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------------------
// Documented differences
// ---------------------------------------------------------------------------------------------------------

export interface ValueDifference {
  /** Workspace label and module path (workspace-relative). */
  label: string;
  module: string;
  setting: string;
  why: string;
}

/** Each one is listed in README.md, and the summary test asserts it still occurs (a stale entry fails). */
export const DOCUMENTED_VALUE_DIFFERENCES: readonly ValueDifference[] = [];
