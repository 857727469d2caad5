// The Django oracle: runs Django's own `check --deploy` (Debian's python3-django 3.2.25 under /usr/bin/python3)
// on the settings modules our engine judges, and compares its security.* ids with our django/* findings.
// This executes fixture and corpus code — acceptable in tests, never in the product, which is static.
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyse } from '../../src/engine/scan';
import type { Finding } from '../../src/types';

/** Debian's interpreter, which has python3-django; the `python3` first on PATH (pyenv) has no Django. */
export const PYTHON = '/usr/bin/python3';
export const WRAPPER_MODULE = '_oracle_settings';
const RUN_TIMEOUT_MS = 30_000;
/** Long (≥ 50 chars) with many distinct characters and no `django-insecure-` prefix, so W009 stays quiet. */
const FALLBACK_SECRET_KEY = 'oracle-Jx7#Qm2vR9!pL4zT8wK1@cN6hY3bF0sD5gA^uE2iO7rW9tZ4yX1nM8kV6';
const MARKER = 'https-guard-oracle:';

// ---------------------------------------------------------------------------------------------------------
// The mapping (see README.md beside this file)
// ---------------------------------------------------------------------------------------------------------

/** Django check ids that have a counterpart among our rules. Every other id is ignored. */
export const ID_TO_RULE: Readonly<Record<string, string>> = {
  'security.W001': 'django/security-middleware-missing',
  'security.W004': 'django/hsts-off',
  'security.W005': 'django/hsts-no-subdomains',
  'security.W021': 'django/hsts-no-preload',
  'security.W008': 'django/ssl-redirect-off',
  'security.W010': 'django/session-cookie-insecure',
  'security.W011': 'django/session-cookie-insecure',
  'security.W012': 'django/session-cookie-insecure',
  'security.W016': 'django/csrf-cookie-insecure',
};

export const COMPARED_RULES: readonly string[] = [...new Set(Object.values(ID_TO_RULE))].sort();
export const UNRESOLVED_RULE = 'django/setting-unresolved';

/** The settings each compared rule (and the Django check behind it) reads. */
export const RULE_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  'django/security-middleware-missing': ['MIDDLEWARE'],
  'django/hsts-off': ['MIDDLEWARE', 'SECURE_HSTS_SECONDS'],
  'django/hsts-no-subdomains': ['MIDDLEWARE', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS'],
  'django/hsts-no-preload': ['MIDDLEWARE', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_PRELOAD'],
  'django/ssl-redirect-off': ['MIDDLEWARE', 'SECURE_SSL_REDIRECT'],
  'django/session-cookie-insecure': ['MIDDLEWARE', 'INSTALLED_APPS', 'SESSION_COOKIE_SECURE'],
  'django/csrf-cookie-insecure': ['MIDDLEWARE', 'CSRF_USE_SESSIONS', 'CSRF_COOKIE_SECURE'],
};
const KNOWN_SETTINGS = new Set(Object.values(RULE_SETTINGS).flat());

/** Our rules that also read nginx (a redirect or HSTS header there satisfies them); Django only sees settings. */
export const NGINX_AWARE_RULES: ReadonlySet<string> = new Set(['django/hsts-off', 'django/ssl-redirect-off']);

export type AllowanceKind = 'hsts-off-without-middleware' | 'setting-unresolved' | 'nginx-aware' | 'hsts-seconds-not-positive' | 'session-middleware-replaced' | 'session-middleware-drop-in';

/** Each documented difference, with the case that demonstrates it (Django's side is asserted by the summary). */
export const DOCUMENTED_DIFFERENCES: readonly { kind: AllowanceKind; label: string; text: string; djangoMustReport: string[]; djangoMustNotReport: string[] }[] = [
  {
    kind: 'hsts-off-without-middleware',
    label: '__tests__/oracle/cases/no_security_middleware.py',
    text: 'without SecurityMiddleware Django reports W001 and skips W004; ours may still report django/hsts-off',
    djangoMustReport: ['security.W001'],
    djangoMustNotReport: ['security.W004'],
  },
  {
    kind: 'setting-unresolved',
    label: '__tests__/oracle/cases/env_cookie_secure.py',
    text: 'a setting our engine cannot resolve statically (django/setting-unresolved names it): rules reading it may disagree',
    djangoMustReport: ['security.W012'],
    djangoMustNotReport: [],
  },
  {
    kind: 'nginx-aware',
    label: '__tests__/oracle/cases/nginx_terminates',
    text: 'django/hsts-off and django/ssl-redirect-off stay quiet when nginx, Caddy or Traefik in the workspace sends HSTS / redirects; Django cannot know',
    djangoMustReport: ['security.W004', 'security.W008'],
    djangoMustNotReport: [],
  },
  {
    kind: 'hsts-seconds-not-positive',
    label: '__tests__/oracle/cases/hsts_seconds_string_zero.py',
    text: 'SECURE_HSTS_SECONDS = "0" (a string) or a negative number passes W004 (truthiness) although the header then disables HSTS (max-age=0) or is invalid and ignored (max-age=-1); ours reports django/hsts-off',
    djangoMustReport: [],
    djangoMustNotReport: ['security.W004'],
  },
  {
    kind: 'session-middleware-replaced',
    label: '__tests__/oracle/cases/session_middleware_replaced.py',
    text: "a session middleware of the project's own replaces Django's: Django reports W010 for the sessions app, ours does not judge SESSION_COOKIE_SECURE (that middleware decides the cookie's Secure flag)",
    djangoMustReport: ['security.W010'],
    djangoMustNotReport: [],
  },
  {
    kind: 'session-middleware-drop-in',
    label: '__tests__/oracle/cases/session_middleware_drop_in.py',
    text: "django-qsessions or django-user-sessions replace Django's sessions app and middleware with subclasses that read SESSION_COOKIE_SECURE: Django's W010-W012 look for its own names only and report nothing; ours reports django/session-cookie-insecure",
    djangoMustReport: [],
    djangoMustNotReport: ['security.W010', 'security.W011', 'security.W012'],
  },
];

// ---------------------------------------------------------------------------------------------------------
// The oracle interpreter
// ---------------------------------------------------------------------------------------------------------

export interface OracleProbe {
  ok: boolean;
  djangoVersion?: string;
  reason?: string;
  /** Top-level module names a workspace package must not take (stdlib, Django and its dependencies). */
  shadowed: Set<string>;
}

export function probeOracle(): OracleProbe {
  const shadowed = new Set(['django', 'asgiref', 'sqlparse', 'pytz']);
  if (!fs.existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} does not exist`, shadowed };
  const script = 'import sys, json, django; print(json.dumps({"v": django.get_version(), "std": sorted(getattr(sys, "stdlib_module_names", ()))}))';
  const r = spawnSync(PYTHON, ['-B', '-c', script], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (r.error) return { ok: false, reason: `${PYTHON}: ${r.error.message}`, shadowed };
  if (r.status !== 0) return { ok: false, reason: `${PYTHON} -c "import django" failed: ${lastErrorLine(r.stderr) ?? `exit ${r.status}`}`, shadowed };
  try {
    const parsed = JSON.parse(r.stdout) as { v: string; std: string[] };
    for (const name of parsed.std) shadowed.add(name);
    return { ok: true, djangoVersion: parsed.v, shadowed };
  } catch {
    return { ok: false, reason: `unexpected output from ${PYTHON}: ${r.stdout.slice(0, 200)}`, shadowed };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Workspaces and what our engine judges in them
// ---------------------------------------------------------------------------------------------------------

export interface Workspace {
  /** Shown in test names: repo-relative for fixtures and cases, `corpus/django/<project>` for the corpus. */
  label: string;
  origin: 'case' | 'fixture' | 'corpus';
  root: string;
  /** Workspace-relative paths to scan; undefined = the whole root. */
  paths?: string[];
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', '.pytest_cache']);

/** Each `.py` file is a one-file workspace, each directory a mini workspace (the rule-fixture convention). */
export function entriesOf(dir: string, repoRoot: string, origin: Workspace['origin']): Workspace[] {
  if (!fs.existsSync(dir)) return [];
  const out: Workspace[] = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (SKIP_DIRS.has(ent.name)) continue;
    const abs = path.join(dir, ent.name);
    const label = toPosix(path.relative(repoRoot, abs));
    if (ent.isDirectory()) out.push({ label, origin, root: abs });
    else if (ent.isFile() && ent.name.endsWith('.py')) out.push({ label, origin, root: dir, paths: [ent.name] });
  }
  return out;
}

export function discoverWorkspaces(repoRoot: string, sharedRoot: string | undefined): Workspace[] {
  const out: Workspace[] = [];
  out.push(...entriesOf(path.join(repoRoot, '__tests__', 'oracle', 'cases'), repoRoot, 'case'));
  const fixtures = path.join(repoRoot, '__tests__', 'rules', 'django');
  if (fs.existsSync(fixtures)) {
    for (const rule of fs.readdirSync(fixtures, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (rule.isDirectory()) out.push(...entriesOf(path.join(fixtures, rule.name), repoRoot, 'fixture'));
    }
  }
  if (sharedRoot) {
    const corpus = path.join(sharedRoot, 'corpus', 'django');
    if (fs.existsSync(corpus)) {
      for (const proj of fs.readdirSync(corpus, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (proj.isDirectory()) out.push({ label: `corpus/django/${proj.name}`, origin: 'corpus', root: path.join(corpus, proj.name) });
      }
    }
  }
  return out;
}

/**
 * One comparison: a judged settings module with our findings for it alone (per-module), or — when our findings
 * cannot be attributed to one module — every judged module of the workspace, compared as unions.
 */
export interface Unit {
  workspace: Workspace;
  modules: string[];
  /** How our findings were attributed to the module(s). */
  mode: 'single' | 'per-module' | 'union';
  /** True when the engine judged no settings module and the harness picked entry modules itself (see planUnits). */
  fallback: boolean;
  ourRules: string[];
  /** Setting names our engine reported as unresolved for these modules. */
  unresolved: string[];
  /** The workspace holds nginx configuration or a TLS terminator's (NGINX_AWARE_RULES may legitimately stay quiet). */
  hasNginx: boolean;
  engineError?: string;
}

const ORACLE_CONFIG = { djangoVersion: '3.2' } as const;

function relevant(findings: Finding[]): { rules: string[]; unresolved: string[] } {
  const rules = new Set<string>();
  const unresolved = new Set<string>();
  for (const f of findings) {
    if (COMPARED_RULES.includes(f.ruleId)) rules.add(f.ruleId);
    if (f.ruleId === UNRESOLVED_RULE) {
      const names = (f.message.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\bMIDDLEWARE\b/g) ?? []).filter((n) => KNOWN_SETTINGS.has(n));
      for (const n of names) unresolved.add(n);
    }
  }
  return { rules: [...rules].sort(), unresolved: [...unresolved].sort() };
}

function workspaceHasNginx(ws: Workspace, kinds: { path: string; kind: string }[]): boolean {
  if (kinds.some((f) => f.kind === 'nginx')) return true;
  const files = (ws.paths ?? listFiles(ws.root)).filter((p) => !p.endsWith('.py'));
  // A TLS terminator the rules also read (a Caddyfile, Traefik in compose) may redirect or send HSTS in front.
  if (files.some((p) => /(^|\/)caddyfile/i.test(p))) return true;
  if (files.some((p) => /(^|\/)(docker-)?compose[^/]*\.ya?ml$/i.test(p) && /traefik/i.test(fs.readFileSync(path.join(ws.root, p), 'utf8')))) return true;
  // Until the nginx classifier lands, recognise nginx configuration by its text.
  return files.some((p) => {
    try {
      const st = fs.statSync(path.join(ws.root, p));
      if (!st.isFile() || st.size > 1024 * 1024) return false;
      return /^\s*(server|http|location\b[^{]*)\s*\{/m.test(fs.readFileSync(path.join(ws.root, p), 'utf8'));
    } catch {
      return false;
    }
  });
}

export interface Plan {
  units: Unit[];
  /** Files classified as Django settings in a workspace where the engine judged no module (nothing compared). */
  unjudged: string[];
}

/**
 * Runs our engine on the workspace and decides what to compare. `pickEntries` is for a placeholder engine only
 * (no settings module judged anywhere): the harness then picks entry modules itself, and the summary fails.
 */
export function planUnits(ws: Workspace, pickEntries = false): Plan {
  const base = { workspace: ws, fallback: false, ourRules: [], unresolved: [], hasNginx: false };
  let first: ReturnType<typeof analyse>;
  try {
    first = analyse({ root: ws.root, paths: ws.paths, config: { ...ORACLE_CONFIG } });
  } catch (e) {
    return { units: [{ ...base, modules: [], mode: 'union', engineError: (e as Error).stack ?? String(e) }], unjudged: [] };
  }
  const hasNginx = workspaceHasNginx(ws, first.result.files);
  const settingsFiles = first.result.files.filter((f) => f.kind === 'django-settings').map((f) => f.path);
  let modules = first.model.settings.map((s) => s.path);
  let fallback = false;
  if (modules.length === 0 && pickEntries) {
    modules = fallbackEntryModules(ws, settingsFiles);
    fallback = modules.length > 0;
  }
  if (modules.length === 0) return { units: [], unjudged: settingsFiles };
  if (modules.length === 1) {
    return { units: [{ ...base, modules, mode: 'single', fallback, hasNginx, ...split(relevant(first.result.findings)) }], unjudged: [] };
  }
  // Several judged modules: judge each alone through the settings-modules option, so findings are attributable.
  const perModule: Unit[] = [];
  for (const m of modules) {
    try {
      const one = analyse({ root: ws.root, paths: ws.paths, config: { ...ORACLE_CONFIG, settingsModules: [m] } });
      if (one.model.settings.length !== 1 || one.model.settings[0].path !== m) break;
      perModule.push({ ...base, modules: [m], mode: 'per-module', fallback, hasNginx, ...split(relevant(one.result.findings)) });
    } catch {
      break;
    }
  }
  if (perModule.length === modules.length) return { units: perModule, unjudged: [] };
  return { units: [{ ...base, modules, mode: 'union', fallback, hasNginx, ...split(relevant(first.result.findings)) }], unjudged: [] };
}

function split(r: { rules: string[]; unresolved: string[] }): { ourRules: string[]; unresolved: string[] } {
  return { ourRules: r.rules, unresolved: r.unresolved };
}

/**
 * Used only while the engine judges no settings module (the settings model is still a placeholder): every file
 * classified as Django settings that no other one star-imports. Units found this way fail the summary test.
 */
export function fallbackEntryModules(ws: Workspace, settingsFiles: string[]): string[] {
  const imported = new Set<string>();
  for (const file of settingsFiles) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(ws.root, file), 'utf8');
    } catch {
      continue;
    }
    const dir = path.posix.dirname(file);
    for (const m of text.matchAll(/^\s*from\s+(\.*)([\w.]*)\s+import\s+\*/gm)) {
      const dots = m[1].length;
      const name = m[2];
      let target: string;
      if (dots > 0) {
        let d = dir;
        for (let i = 1; i < dots; i++) d = path.posix.dirname(d);
        target = path.posix.join(d === '.' ? '' : d, ...name.split('.').filter(Boolean));
      } else {
        target = name.split('.').join('/');
      }
      imported.add(`${target}.py`);
      imported.add(`${target}/__init__.py`);
      // An absolute import may be rooted below the workspace root (e.g. corpus/<project>/<src>/pkg/…).
      for (const f of settingsFiles) if (!target.startsWith('.') && (f.endsWith(`/${target}.py`) || f.endsWith(`/${target}/__init__.py`))) imported.add(f);
    }
  }
  return settingsFiles.filter((f) => !imported.has(f)).sort();
}

// ---------------------------------------------------------------------------------------------------------
// Running Django on one module
// ---------------------------------------------------------------------------------------------------------

export interface DjangoRun {
  module: string;
  status: 'ran' | 'not-importable';
  /** Every `(tag.Xnnn)` id printed, sorted and unique. */
  ids: string[];
  reason?: string;
  droppedApps: string[];
  secretKeyFallback: boolean;
  dotted?: string;
  /** What Django saw for the settings the compared rules read (module value or Django's default). */
  values: Record<string, SeenValue>;
  output: string;
}

export interface SeenValue {
  repr: string;
  type: string;
  from: 'module' | 'default';
}

export interface ImportPlan {
  /** Workspace-relative directory put on PYTHONPATH (and used as cwd). */
  rootDir: string;
  dotted: string;
  /** A one-file module whose own name cannot be imported is copied under this name instead. */
  renameTo?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Turns a module path into an importable dotted name. Normally the workspace root is the import root; when
 * the top-level package would shadow the stdlib or Django itself (e.g. the corpus copy of `django/conf/…`),
 * a deeper directory is used.
 */
export function importPlan(modulePath: string, shadowed: Set<string>): ImportPlan | { error: string } {
  const parts = modulePath.split('/');
  const file = parts.pop()!;
  if (!file.endsWith('.py')) return { error: `not a .py file: ${modulePath}` };
  const name = file.slice(0, -3);
  const dottedParts = name === '__init__' ? parts : [...parts, name];
  if (dottedParts.length === 0) return { error: 'a workspace-root __init__.py is not a module' };
  for (let k = 0; k < dottedParts.length; k++) {
    const comps = dottedParts.slice(k);
    if (comps.length === 1 && name !== '__init__') {
      // A plain module at the import root: import it under a safe name when its own cannot be imported.
      const ok = IDENT.test(name) && !shadowed.has(name);
      return ok ? { rootDir: parts.join('/'), dotted: name } : { rootDir: parts.join('/'), dotted: 'oracle_case', renameTo: 'oracle_case.py' };
    }
    if (comps.some((c) => c === '' || c.includes('.')) || !IDENT.test(comps[0]) || shadowed.has(comps[0])) continue;
    return { rootDir: dottedParts.slice(0, k).join('/'), dotted: comps.join('.') };
  }
  return { error: `no importable dotted name for ${modulePath}` };
}

export function wrapperSource(dotted: string): string {
  return `# Written by HTTPS Guard's Django oracle harness (__tests__/oracle): \`from ${dotted} import *\` plus
# only what Django needs to import settings at all.
import importlib as _importlib
import importlib.util as _importlib_util
import sys as _sys

_module = _importlib.import_module(${JSON.stringify(dotted)})
_public = getattr(_module, "__all__", None)
if _public is None:
    _public = [_n for _n in vars(_module) if not _n.startswith("_")]
globals().update({_n: getattr(_module, _n) for _n in _public})

# Django 3.2 refuses to start without SECRET_KEY; long and varied so that W009 stays quiet.
if not globals().get("SECRET_KEY"):
    SECRET_KEY = ${JSON.stringify(FALLBACK_SECRET_KEY)}
    print(${JSON.stringify(`${MARKER} secret-key-fallback`)}, file=_sys.stderr)


# django.setup() imports every INSTALLED_APPS entry. Apps whose top-level package is not installed next to the
# oracle are dropped: the security checks only test for "django.contrib.sessions" in this list.
def _findable(_app):
    try:
        return _importlib_util.find_spec(str(_app).split(".")[0]) is not None
    except (ImportError, ValueError):
        return False


if "INSTALLED_APPS" in globals():
    _apps = list(INSTALLED_APPS)
    _dropped = [_a for _a in _apps if not _findable(_a)]
    if _dropped:
        print(${JSON.stringify(`${MARKER} dropped-apps `)} + " ".join(str(_a) for _a in _dropped), file=_sys.stderr)
        INSTALLED_APPS = [_a for _a in _apps if _findable(_a)]

# For the harness's diff output: what Django sees for the settings the compared rules read.
import json as _json
from django.conf import global_settings as _global_settings

_seen = {}
for _n in ${JSON.stringify([...KNOWN_SETTINGS].sort()).replace(/"/g, "'")}:
    _from = "module" if _n in globals() else "default"
    _v = globals()[_n] if _from == "module" else getattr(_global_settings, _n, None)
    _seen[_n] = {"repr": repr(_v)[:300], "type": type(_v).__name__, "from": _from}
print(${JSON.stringify(`${MARKER} values `)} + _json.dumps(_seen), file=_sys.stderr)
`;
}

export function copyWorkspace(ws: Workspace, dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  if (ws.paths) {
    for (const p of ws.paths) {
      const src = path.join(ws.root, p);
      const dst = path.join(dest, p);
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.cpSync(src, dst, { recursive: true, filter: copyFilter });
    }
  } else {
    fs.cpSync(ws.root, dest, { recursive: true, filter: copyFilter });
  }
}

function copyFilter(src: string): boolean {
  if (SKIP_DIRS.has(path.basename(src))) return false;
  return !fs.lstatSync(src).isSymbolicLink();
}

/** Copies the workspace to `tmpDir`, writes the wrapper and runs `check --deploy` on it. */
export async function runDjango(ws: Workspace, modulePath: string, probe: OracleProbe, tmpDir: string): Promise<DjangoRun> {
  const base = { module: modulePath, ids: [], droppedApps: [], secretKeyFallback: false, values: {} };
  const plan = importPlan(modulePath, probe.shadowed);
  if ('error' in plan) return { ...base, status: 'not-importable', reason: plan.error, output: '' };
  const wsCopy = path.join(tmpDir, 'ws');
  copyWorkspace(ws, wsCopy);
  const importRoot = path.join(wsCopy, plan.rootDir);
  const modDir = path.posix.dirname(modulePath);
  if (plan.renameTo) {
    fs.renameSync(path.join(wsCopy, modulePath), path.join(importRoot, plan.renameTo));
  } else {
    // Every directory between the import root and the module becomes a package.
    const rel = path.posix.relative(plan.rootDir, modDir === '.' ? '' : modDir);
    let d = importRoot;
    for (const seg of rel ? rel.split('/') : []) {
      d = path.join(d, seg);
      const init = path.join(d, '__init__.py');
      if (!fs.existsSync(init)) fs.writeFileSync(init, '');
    }
  }
  fs.writeFileSync(path.join(importRoot, `${WRAPPER_MODULE}.py`), wrapperSource(plan.dotted));

  const args = ['-B', '-m', 'django', 'check', '--deploy', '--tag', 'security', '--settings', WRAPPER_MODULE];
  // No shell; the environment holds PATH and PYTHONPATH only (no DJANGO_SETTINGS_MODULE, no secrets).
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONPATH: importRoot };
  const { stdout, stderr, code, timedOut } = await new Promise<{ stdout: string; stderr: string; code: number | null; timedOut: boolean }>((resolve) => {
    execFile(PYTHON, args, { cwd: importRoot, env, timeout: RUN_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' }, (error, out, err) => {
      const e = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string }) | null;
      resolve({ stdout: out ?? '', stderr: err ?? '', code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, timedOut: Boolean(e?.killed) });
    });
  });
  const output = `${stdout}${stderr}`;
  const droppedApps = (/https-guard-oracle: dropped-apps (.*)/.exec(output)?.[1] ?? '').split(' ').filter(Boolean);
  const secretKeyFallback = output.includes(`${MARKER} secret-key-fallback`);
  let values: Record<string, SeenValue> = {};
  const valuesLine = /https-guard-oracle: values (.*)/.exec(output)?.[1];
  if (valuesLine) {
    try {
      values = JSON.parse(valuesLine) as Record<string, SeenValue>;
    } catch {
      values = {};
    }
  }
  const common = { module: modulePath, droppedApps, secretKeyFallback, dotted: plan.dotted, values, output };
  if (timedOut) return { ...common, ids: [], status: 'not-importable', reason: `timed out after ${RUN_TIMEOUT_MS / 1000} s` };
  if (!/System check identified/.test(output)) {
    return { ...common, ids: [], status: 'not-importable', reason: lastErrorLine(stderr) ?? `exit ${code} with no check output` };
  }
  return { ...common, ids: parseCheckIds(output), status: 'ran' };
}

export function parseCheckIds(output: string): string[] {
  const ids = new Set<string>();
  for (const m of output.matchAll(/\(([a-z_][a-z0-9_]*\.[EWCI]\d{3})\)/g)) ids.add(m[1]);
  return [...ids].sort();
}

export function lastErrorLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith(MARKER));
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^[A-Za-z_][\w.]*(Error|Exception|Configured|Exit|Interrupt)\b/.test(lines[i])) return lines[i];
  }
  return lines.at(-1);
}

/** Runs `fn` over `items` with at most `size` in flight; results keep the input order. */
export async function mapPool<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------------------

export interface Difference {
  rule: string;
  /** `django-only`: Django reports the mapped id, we stay quiet; `ours-only`: the reverse. */
  direction: 'django-only' | 'ours-only';
  ids: string[];
  allowance?: { kind: AllowanceKind; detail: string };
}

export interface Comparison {
  djangoIds: string[];
  ignoredIds: string[];
  expected: string[];
  ours: string[];
  differences: Difference[];
  verdict: 'agreed' | 'allowed' | 'disagreed';
}

export function compare(unit: Unit, djangoIds: string[], seen: Record<string, SeenValue> = {}): Comparison {
  const mapped = djangoIds.filter((id) => id in ID_TO_RULE);
  const ignoredIds = djangoIds.filter((id) => !(id in ID_TO_RULE));
  const expected = [...new Set(mapped.map((id) => ID_TO_RULE[id]))].sort();
  const ours = unit.ourRules;
  const differences: Difference[] = [];
  for (const rule of COMPARED_RULES) {
    const inDjango = expected.includes(rule);
    const inOurs = ours.includes(rule);
    if (inDjango === inOurs) continue;
    const ids = mapped.filter((id) => ID_TO_RULE[id] === rule);
    const d: Difference = { rule, direction: inDjango ? 'django-only' : 'ours-only', ids };
    const unresolved = RULE_SETTINGS[rule].filter((s) => unit.unresolved.includes(s));
    if (rule === 'django/hsts-off' && !inDjango && djangoIds.includes('security.W001')) {
      d.allowance = { kind: 'hsts-off-without-middleware', detail: 'Django reports W001 instead of W004 when SecurityMiddleware is absent' };
    } else if (unresolved.length > 0) {
      d.allowance = { kind: 'setting-unresolved', detail: `our engine could not resolve ${unresolved.join(', ')}` };
    } else if (rule === 'django/hsts-off' && !inDjango && disablesHsts(seen.SECURE_HSTS_SECONDS)) {
      d.allowance = { kind: 'hsts-seconds-not-positive', detail: `Django sees SECURE_HSTS_SECONDS = ${seen.SECURE_HSTS_SECONDS!.repr}: truthy for W004, but the header it yields disables HSTS` };
    } else if (rule === 'django/session-cookie-insecure' && inDjango && replacesSessionMiddleware(seen.MIDDLEWARE)) {
      d.allowance = { kind: 'session-middleware-replaced', detail: `Django sees MIDDLEWARE = ${seen.MIDDLEWARE!.repr}` };
    } else if (rule === 'django/session-cookie-insecure' && !inDjango && usesSessionDropIn(seen.MIDDLEWARE)) {
      d.allowance = { kind: 'session-middleware-drop-in', detail: `Django sees MIDDLEWARE = ${seen.MIDDLEWARE!.repr}` };
    } else if (NGINX_AWARE_RULES.has(rule) && inDjango && unit.hasNginx) {
      d.allowance = { kind: 'nginx-aware', detail: 'the workspace has nginx configuration, which this rule also reads' };
    }
    differences.push(d);
  }
  const verdict = differences.length === 0 ? 'agreed' : differences.every((d) => d.allowance) ? 'allowed' : 'disagreed';
  return { djangoIds, ignoredIds, expected, ours, differences, verdict };
}

/** MIDDLEWARE as Django sees it holds a *SessionMiddleware other than Django's, and not Django's. */
function replacesSessionMiddleware(v: SeenValue | undefined): boolean {
  if (!v) return false;
  const names = [...v.repr.matchAll(/'([\w.]+)'/g)].map((m) => m[1]);
  return !names.includes('django.contrib.sessions.middleware.SessionMiddleware') && names.some((n) => n.endsWith('SessionMiddleware'));
}

function usesSessionDropIn(v: SeenValue | undefined): boolean {
  return v !== undefined && /'(qsessions|user_sessions)\.middleware\.SessionMiddleware'/.test(v.repr);
}

/** A value W004 accepts (truthy) although the header it yields disables HSTS: "0" as a string, or a negative number. */
function disablesHsts(v: SeenValue | undefined): boolean {
  if (!v || (v.type !== 'str' && v.type !== 'int')) return false;
  const m = /^'(.*)'$|^"(.*)"$/.exec(v.repr);
  const text = (v.type === 'int' ? v.repr : m?.[1] ?? m?.[2] ?? '').trim();
  return text !== '' && Number(text) <= 0;
}

export function describeComparison(unit: Unit, c: Comparison, runs: DjangoRun[]): string {
  const lines = [
    `${unit.workspace.label} :: ${unit.modules.join(', ')} (our findings attributed: ${unit.mode}${unit.fallback ? ', entry modules picked by the harness: the engine judged none' : ''})`,
    `  Django ${runs.map((r) => r.dotted).join(', ')} ids: ${c.djangoIds.join(', ') || '(none)'}${c.ignoredIds.length ? `  [no counterpart, ignored: ${c.ignoredIds.join(', ')}]` : ''}`,
    `  expected (mapped from Django): ${c.expected.join(', ') || '(none)'}`,
    `  ours:                          ${c.ours.join(', ') || '(none)'}${unit.unresolved.length ? `  [unresolved: ${unit.unresolved.join(', ')}]` : ''}`,
  ];
  for (const d of c.differences) {
    const what = d.direction === 'django-only' ? `missing: Django reports ${d.ids.join('/')}, we do not report ${d.rule}` : `extra: we report ${d.rule}, Django reports no ${Object.keys(ID_TO_RULE).filter((id) => ID_TO_RULE[id] === d.rule).join('/')}`;
    lines.push(`  ${d.allowance ? 'allowed' : 'DIFF   '} ${what}${d.allowance ? ` (${d.allowance.kind}: ${d.allowance.detail})` : ''}`);
  }
  const names = [...new Set(c.differences.flatMap((d) => RULE_SETTINGS[d.rule]))].sort();
  for (const r of runs) {
    const shown = names.filter((n) => r.values[n]).map((n) => `${n}=${r.values[n].repr}${r.values[n].from === 'default' ? ' (default)' : ''}`);
    if (shown.length) lines.push(`  Django saw in ${r.module}: ${shown.join(', ')}`);
  }
  const dropped = [...new Set(runs.flatMap((r) => r.droppedApps))];
  if (dropped.length) lines.push(`  (INSTALLED_APPS not installed next to the oracle, dropped for the run: ${dropped.join(' ')})`);
  if (runs.some((r) => r.secretKeyFallback)) lines.push('  (SECRET_KEY was missing or empty: the wrapper supplied one)');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export function listFiles(root: string): string[] {
  const out: string[] = [];
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    for (const ent of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (SKIP_DIRS.has(ent.name)) continue;
      const p = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) stack.push(p);
      else if (ent.isFile()) out.push(p);
    }
  }
  return out;
}
