import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigSyntaxError, fromPlain, parseJson, parseToml, parseYaml, type ConfigFormat, type Pos, type RawNode } from './config-parse';
import { decodeText, linkInPath, readRegularFile } from './engine/load';
import { insideRoot } from './engine/walk';
import { ROLES, type Role, type RoleGlobs } from './model/deploy/roles';
import { RULES } from './rules';
import { SEVERITIES, type FailOn, type Severity } from './types';
import { editDistance } from './util/edit-distance';

export type { ConfigFormat, Pos, RawNode } from './config-parse';

export type RuleSetting = Severity | 'off';

export interface Config {
  failOn: FailOn;
  /** Django release the rules assume where behaviour changed between releases. */
  djangoVersion: string;
  /** django-version was given (config file or action input): the repository's own pins are not looked at. */
  djangoVersionGiven?: boolean;
  /** nginx release the rules assume (default ssl_protocols, add_header_inherit). */
  nginxVersion: string;
  /** nginx-version was given: an nginx image's pinned release is not looked at. */
  nginxVersionGiven?: boolean;
  /** Per-rule severity override or 'off'. */
  rules: Record<string, RuleSetting>;
  /** Globs (relative to the workspace) never scanned. */
  ignore: string[];
  /** Globs of settings modules to judge; empty = every settings module that no other one star-imports. */
  settingsModules: string[];
  /** Files larger than this are skipped with a reason. */
  maxFileBytes: number;
  /** Deployment files loaded by one scan, in all (nginx may take an eighth); past it, files are skipped with a finding. */
  maxTotalBytes: number;
  /** Globs per role (production, development, test, ci, example, template): override what entry points and paths say. */
  roles: RoleGlobs;
}

export const DEFAULT_CONFIG: Config = {
  failOn: 'high',
  djangoVersion: '6.0',
  nginxVersion: '1.28',
  rules: {},
  ignore: [],
  settingsModules: [],
  maxFileBytes: 5 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  roles: {},
};

/** Looked for in each folder in this order; pyproject.toml counts only when it has a [tool.https-guard] table. */
export const CONFIG_FILES = ['.https-guard.json', '.https-guard.yml', '.https-guard.yaml', 'pyproject.toml'];

export const PYPROJECT = 'pyproject.toml';
/** Where a pyproject.toml keeps our settings, as ruff keeps its own under [tool.ruff]. */
export const PYPROJECT_TABLE = ['tool', 'https-guard'];

/** A config problem; when it comes from a file, `file`, `line` and `column` say where (also at the message's start). */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

const FAIL_ON: readonly string[] = [...SEVERITIES, 'never'];

/** A value from a config file quoted in an error: escaped and clipped, so the file cannot fill or forge the message. */
export function quote(value: unknown): string {
  const s = String(value);
  const clipped = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  // JSON escapes quotes, backslashes and C0 controls; the rest of what could steer a terminal is escaped too.
  return JSON.stringify(clipped).replace(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The releases the rules know. Django: 1.8 (the first with the SECURE_* settings) to the 6.x series, releases being
 * X.0, X.1 and X.2 from 2.0 on. nginx: the 1.x line up to 1.31 (the rules model behaviour changes up to 1.29.3).
 */
export const DJANGO_RANGE = { oldest: '1.8', newestMajor: 6 } as const;
export const NGINX_RANGE = { oldest: '1.0', newestMinor: 31 } as const;

function djangoKnown(major: number, minor: number): boolean {
  if (major === 1) return minor >= 8 && minor <= 11;
  return major >= 2 && major <= DJANGO_RANGE.newestMajor && minor <= 2;
}

function nginxKnown(major: number, minor: number): boolean {
  return major === 1 && minor <= NGINX_RANGE.newestMinor;
}

/** The nearest of `known` to `word` when near enough to be a typo (also camelCase or snake_case for kebab-case). */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const kebab = word
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  const exact = known.find((k) => k === kebab);
  if (exact) return exact;
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = Math.min(editDistance(word.toLowerCase(), k), editDistance(kebab, k));
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

const didYouMean = (word: string, known: readonly string[]) => {
  const n = nearest(word, known);
  return n ? `; did you mean ${JSON.stringify(n)}?` : '';
};

/** Why a path glob from the configuration can never match what the walk sees, if it cannot. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'an empty glob matches nothing';
  if (glob.length > 1000) return 'a glob longer than 1000 characters';
  if (glob.startsWith('/') || /^[A-Za-z]:[\\/]/.test(glob)) return 'globs are relative to the repository root; drop the leading /';
  const segments = glob.split('/');
  if (segments.some((s) => s === '..')) return 'a ".." segment never matches: paths are relative to the repository root and stay inside it';
  if (segments[0] === '.' && segments.length > 1) return 'paths are matched without a leading "./"; drop it';
  if (glob.includes('\\') && !/\\[*?[\]{}\\!,]/.test(glob)) return 'use / between folders, not \\';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') i++;
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!' || glob[j] === '^') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']' && glob[j] !== '/') j++;
      if (glob[j] !== ']') return `"[" at column ${i + 1} of the glob is never closed`;
      i = j;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return `"}" at column ${i + 1} of the glob closes nothing`;
      depth--;
    }
  }
  if (depth > 0) return 'a "{" of the glob is never closed';
  return undefined;
}

export function parseFailOn(value: string, where: string): FailOn {
  const v = value.trim().toLowerCase();
  if (!FAIL_ON.includes(v)) throw new ConfigError(`${where}: fail-on must be one of ${FAIL_ON.join(', ')}, got ${quote(value)}`);
  return v as FailOn;
}

/** The ids of the rules, read lazily: rule modules import this one. */
function ruleIds(): string[] {
  return RULES.map((r) => r.meta.id);
}

/** Reports problems at a node's position (or its parent's, when the format gave none). */
class Checker {
  constructor(readonly where: string) {}

  fail(pos: Pos | undefined, message: string): never {
    if (pos) throw new ConfigError(`${this.where}:${pos.line}:${pos.col}: ${message}`, this.where, pos.line, pos.col);
    throw new ConfigError(`${this.where}: ${message}`, this.where);
  }
}

const describe = (n: RawNode): string => {
  if (n.kind === 'map') return 'a mapping';
  if (n.kind === 'list') return 'a list';
  if (n.kind === 'other') return n.what;
  if (n.value === null) return 'no value';
  if (typeof n.value === 'string') return `the string ${quote(n.value)}`;
  return `the ${typeof n.value === 'number' ? 'number' : 'boolean'} ${quote(n.source ?? n.value)}`;
};

function text(c: Checker, key: string, n: RawNode, pos: Pos | undefined): string {
  if (n.kind === 'scalar' && typeof n.value === 'string') return n.value;
  return c.fail(n.pos ?? pos, `${key} must be a string, got ${describe(n)}`);
}

function versionOf(c: Checker, key: string, n: RawNode, pos: Pos | undefined, product: 'Django' | 'nginx'): string {
  // A number keeps its digits as written: `4.10` is not 4.1.
  if (!(n.kind === 'scalar' && (typeof n.value === 'string' || typeof n.value === 'number'))) c.fail(n.pos ?? pos, `${key} must be a version string like ${product === 'Django' ? '"4.2"' : '"1.26.3"'}, got ${describe(n)}`);
  const raw = typeof n.value === 'number' ? (n.source ?? String(n.value)) : String(n.value);
  const s = raw.trim();
  const m = s.length <= 20 ? /^(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?$/.exec(s) : null;
  if (!m) c.fail(n.pos ?? pos, `${key} must be a version like ${product === 'Django' ? '4.2 or 4.2.7' : '1.26 or 1.26.3'}, got ${quote(raw)}`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const known = product === 'Django' ? djangoKnown(major, minor) : nginxKnown(major, minor);
  if (!known) {
    const range = product === 'Django' ? `Django ${DJANGO_RANGE.oldest} to ${DJANGO_RANGE.newestMajor}.2 (1.8 to 1.11, then X.0, X.1, X.2)` : `nginx ${NGINX_RANGE.oldest} to 1.${NGINX_RANGE.newestMinor}`;
    c.fail(n.pos ?? pos, `${key} ${quote(s)} is not ${product === 'nginx' ? 'an' : 'a'} ${product} release the rules know; they know ${range}`);
  }
  return s;
}

function positiveInteger(c: Checker, key: string, n: RawNode, pos: Pos | undefined): number {
  if (n.kind === 'scalar' && typeof n.value === 'number' && Number.isSafeInteger(n.value) && n.value > 0) return n.value;
  return c.fail(n.pos ?? pos, `${key} must be a positive whole number of bytes, got ${describe(n)}`);
}

/** A list of globs: a list of strings, or one string of comma- or newline-separated globs (as action inputs are). */
function globList(c: Checker, key: string, n: RawNode, pos: Pos | undefined): string[] {
  if (n.kind === 'scalar' && n.value === null) return [];
  let items: { glob: string; pos?: Pos }[];
  if (n.kind === 'scalar' && typeof n.value === 'string') {
    items = n.value
      .split(/[\n,]/)
      .map((g) => g.trim())
      .filter(Boolean)
      .map((glob) => ({ glob, pos: n.pos ?? pos }));
  } else if (n.kind === 'list') {
    items = n.items.map((item, k) => {
      if (item.kind === 'scalar' && typeof item.value === 'string') return { glob: item.value, pos: item.pos ?? n.pos ?? pos };
      return c.fail(item.pos ?? n.pos ?? pos, `${key}[${k}] must be a glob string, got ${describe(item)}`);
    });
  } else return c.fail(n.pos ?? pos, `${key} must be a list of globs, got ${describe(n)}`);
  for (const { glob, pos: at } of items) {
    const problem = globProblem(glob);
    if (problem) c.fail(at, `${key}: bad glob ${quote(glob)}: ${problem}`);
  }
  return items.map((i) => i.glob);
}

function mapping(c: Checker, key: string, n: RawNode, pos: Pos | undefined, what: string) {
  if (n.kind === 'scalar' && n.value === null) return [];
  if (n.kind !== 'map') return c.fail(n.pos ?? pos, `${key} must be a mapping of ${what}, got ${describe(n)}`);
  return n.entries;
}

type KeyHandler = (c: Checker, key: string, n: RawNode, pos: Pos | undefined, out: Partial<Config>) => void;

/** Every key a configuration may hold: validation, the schema test and the docs test are driven by this table. */
const KEYS: Record<string, KeyHandler> = {
  // Editors find the JSON Schema through it; it changes nothing.
  $schema: (c, key, n, pos) => {
    text(c, key, n, pos);
  },
  'fail-on': (c, key, n, pos, out) => {
    const v = text(c, key, n, pos).trim().toLowerCase();
    if (!FAIL_ON.includes(v)) c.fail(n.pos ?? pos, `${key} must be one of ${FAIL_ON.join(', ')}, got ${quote((n as { value: unknown }).value)}${didYouMean(v, FAIL_ON)}`);
    out.failOn = v as FailOn;
  },
  'django-version': (c, key, n, pos, out) => {
    out.djangoVersion = versionOf(c, key, n, pos, 'Django');
  },
  'nginx-version': (c, key, n, pos, out) => {
    out.nginxVersion = versionOf(c, key, n, pos, 'nginx');
  },
  rules: (c, key, n, pos, out) => {
    const ids = ruleIds();
    const allowed = ['off', ...SEVERITIES];
    const rules: Record<string, RuleSetting> = {};
    for (const e of mapping(c, key, n, pos, 'rule id to severity or "off"')) {
      if (!ids.includes(e.key)) c.fail(e.keyPos ?? n.pos ?? pos, `${key}: unknown rule id ${quote(e.key)}${didYouMean(e.key, ids)} (see https-guard --list-rules)`);
      const v = e.value;
      const s = v.kind === 'scalar' && typeof v.value === 'string' ? v.value.trim().toLowerCase() : undefined;
      if (s === undefined || !allowed.includes(s)) {
        c.fail(v.pos ?? e.keyPos ?? pos, `${key}.${e.key} must be one of ${allowed.join(', ')}, got ${describe(v)}${s ? didYouMean(s, allowed) : ''}`);
      }
      rules[e.key] = s as RuleSetting;
    }
    out.rules = rules;
  },
  ignore: (c, key, n, pos, out) => {
    out.ignore = globList(c, key, n, pos);
  },
  'settings-modules': (c, key, n, pos, out) => {
    out.settingsModules = globList(c, key, n, pos);
  },
  'max-file-bytes': (c, key, n, pos, out) => {
    out.maxFileBytes = positiveInteger(c, key, n, pos);
  },
  'max-total-bytes': (c, key, n, pos, out) => {
    out.maxTotalBytes = positiveInteger(c, key, n, pos);
  },
  roles: (c, key, n, pos, out) => {
    const roles: RoleGlobs = {};
    for (const e of mapping(c, key, n, pos, `role (${ROLES.join(', ')}) to a list of globs`)) {
      if (!(ROLES as readonly string[]).includes(e.key)) c.fail(e.keyPos ?? n.pos ?? pos, `${key}.${quote(e.key)} is not a role; use one of ${ROLES.join(', ')}${didYouMean(e.key, ROLES)}`);
      roles[e.key as Role] = globList(c, `${key}.${e.key}`, e.value, e.keyPos ?? pos);
    }
    out.roles = roles;
  },
};

/** The keys a configuration may hold (the schema in docs/config.schema.json lists exactly these). */
export const CONFIG_KEYS: readonly string[] = Object.keys(KEYS);

/** Validates a tree read from a file (with positions) or plain data into a partial Config. */
export function validateNode(node: RawNode, where: string): Partial<Config> {
  const c: Checker = new Checker(where);
  if (node.kind === 'scalar' && node.value === null) return {};
  if (node.kind !== 'map') return c.fail(node.pos, `expected a mapping of settings at the top level, got ${describe(node)}`);
  const out: Partial<Config> = {};
  const seen = new Set<string>();
  for (const e of node.entries) {
    const handler = Object.prototype.hasOwnProperty.call(KEYS, e.key) ? KEYS[e.key] : undefined;
    if (!handler) c.fail(e.keyPos ?? node.pos, `unknown key ${quote(e.key)}${didYouMean(e.key, CONFIG_KEYS)}`);
    if (seen.has(e.key)) c.fail(e.keyPos ?? node.pos, `${e.key} is given twice`);
    seen.add(e.key);
    handler(c, e.key, e.value, e.keyPos ?? node.pos, out);
  }
  return out;
}

/**
 * Validates a raw object (action inputs, CLI flags, tests) into a partial Config. Keys are the kebab-case ones of
 * the files; the camelCase spellings earlier versions also took are refused with the kebab-case key suggested.
 */
export function validateConfig(raw: Record<string, unknown>, where: string): Partial<Config> {
  return validateNode(fromPlain(raw), where);
}

/** A config file is a few hundred bytes; anything past this is refused before it is read. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * Reads a config file the way the walk reads files: inside the workspace no folder of the path and not the file
 * itself may be a symbolic link; anywhere, the file must be regular (no FIFO, no /dev/zero) and at most
 * MAX_CONFIG_BYTES, checked on the open file. A file that cannot be loaded is named with the reason only: nothing
 * of its content is echoed.
 */
function readConfigText(root: string, abs: string, label: string): string {
  const rel = insideRoot(root, abs);
  if (rel !== undefined) {
    const bad = linkInPath(root, rel);
    if (bad) throw new ConfigError(`${label}: cannot read: ${bad.path} is a ${bad.reason.startsWith('symbolic') ? 'symbolic link in the workspace (never followed)' : bad.reason}`, label);
  }
  const r = readRegularFile(abs, MAX_CONFIG_BYTES);
  if (!r.ok) throw new ConfigError(`${label}: cannot read: ${r.tooLarge ? `larger than ${MAX_CONFIG_BYTES} bytes` : r.reason.replace(/^cannot read: /, '')}`, label);
  const text = decodeText(r.buf);
  if (!text.ok) throw new ConfigError(`${label}: cannot read: ${text.reason}`, label);
  return text.text;
}

/** A file's format by its name: .json, .toml, else YAML. */
export function configFormat(name: string): ConfigFormat {
  const lower = name.toLowerCase();
  return lower.endsWith('.json') ? 'json' : lower.endsWith('.toml') ? 'toml' : 'yaml';
}

const isPyproject = (name: string) => path.basename(name) === PYPROJECT;

/**
 * Parses a config file's text into a tree with positions. For TOML, a pyproject.toml's [tool.https-guard] table
 * (undefined when it has none), any other .toml file's top level, as ruff reads pyproject.toml and ruff.toml.
 */
export function readConfigTree(text: string, label: string, name: string): RawNode | undefined {
  const format = configFormat(name);
  try {
    if (format === 'json') return parseJson(text);
    if (format === 'toml') return parseToml(text, isPyproject(name) ? PYPROJECT_TABLE : []);
    return parseYaml(text) ?? { kind: 'scalar', value: null };
  } catch (e) {
    if (!(e instanceof ConfigSyntaxError)) throw e;
    const pos = e.pos;
    throw new ConfigError(pos ? `${label}:${pos.line}:${pos.col}: ${e.message}` : `${label}: ${e.message}`, label, pos?.line, pos?.col);
  }
}

/**
 * Parses and validates a config file's text (from disk, or from the base commit of a pull request). `name` is the
 * file's name (its format); undefined for a pyproject.toml without a [tool.https-guard] table, which is no config.
 */
export function parseConfigSource(text: string, label: string, name: string): Partial<Config> | undefined {
  const tree = readConfigTree(text, label, name);
  return tree === undefined ? undefined : validateNode(tree, label);
}

/** Parses and validates a config file's text; `format` true means JSON and false YAML, as before TOML was read. */
export function parseConfigText(text: string, name: string, format: boolean | ConfigFormat): Partial<Config> {
  const f = format === true ? 'json' : format === false ? 'yaml' : format;
  const asName = f === 'json' ? 'config.json' : f === 'toml' ? (isPyproject(name) ? PYPROJECT : 'config.toml') : 'config.yml';
  return parseConfigSource(text, name, asName) ?? {};
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Whether a pyproject.toml configures us. One that is not a plain file, cannot be read, or does not mention
 * https-guard is another tool's file and skipped; one that mentions it but does not parse counts, so that reading
 * it reports the syntax error rather than ignoring the configuration.
 */
function pyprojectConfigures(file: string): boolean {
  const st = lstatOrUndefined(file);
  if (!st?.isFile()) return false;
  const r = readRegularFile(file, MAX_CONFIG_BYTES);
  if (!r.ok) return r.tooLarge === true;
  const t = decodeText(r.buf);
  if (!t.ok || !t.text.includes('https-guard')) return false;
  try {
    return parseToml(t.text, PYPROJECT_TABLE) !== undefined;
  } catch {
    return true;
  }
}

/** The config file in `dir`, first of CONFIG_FILES; one that exists but is not a plain file counts (and fails on reading). */
export function configFileIn(dir: string): string | undefined {
  for (const name of CONFIG_FILES) {
    const abs = path.join(dir, name);
    if (name === PYPROJECT ? pyprojectConfigures(abs) : lstatOrUndefined(abs) !== undefined) return name;
  }
  return undefined;
}

/**
 * Finds and reads the configuration as ruff and ESLint do: the nearest folder from `from` (default: the root)
 * upward, not past the root, holding a config file. Its root-relative path is `file`; `label` names it in errors.
 */
export function loadConfigFile(root: string, from?: string, label: (rel: string, abs: string) => string = (rel) => rel): { file?: string; config: Partial<Config> } {
  let dir = from !== undefined && insideRoot(root, path.resolve(from)) !== undefined ? path.resolve(from) : root;
  for (;;) {
    const name = configFileIn(dir);
    if (name !== undefined) {
      const abs = path.join(dir, name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      const shown = label(rel, abs);
      const config = parseConfigSource(readConfigText(root, abs, shown), shown, name);
      if (config !== undefined) return { file: rel, config };
    }
    if (path.resolve(dir) === path.resolve(root)) return { config: {} };
    const up = path.dirname(dir);
    if (up === dir) return { config: {} };
    dir = up;
  }
}

/**
 * Reads a config file named explicitly (CLI --config, action input `config`, both the author's): JSON, TOML or
 * YAML by extension. `file` is resolved against `root`; it may lie outside the workspace. A pyproject.toml named so
 * must have a [tool.https-guard] table.
 */
export function readConfigFile(root: string, file: string, label: string = file): Partial<Config> {
  const abs = path.resolve(root, file);
  const config = parseConfigSource(readConfigText(root, abs, label), label, abs);
  if (config === undefined) throw new ConfigError(`${label}: has no [tool.https-guard] table`, label);
  return config;
}

export function mergeConfig(...parts: Partial<Config>[]): Config {
  const out: Config = { ...DEFAULT_CONFIG, rules: {}, djangoVersionGiven: false, nginxVersionGiven: false };
  for (const p of parts) {
    for (const [k, v] of Object.entries(p)) {
      if (v === undefined) continue;
      if (k === 'rules') out.rules = { ...out.rules, ...(v as Record<string, RuleSetting>) };
      else (out as unknown as Record<string, unknown>)[k] = v;
      // A config merged before says itself whether the version was given; a partial one gives it by naming it.
      if (k === 'djangoVersion' && p.djangoVersionGiven === undefined) out.djangoVersionGiven = true;
      if (k === 'nginxVersion' && p.nginxVersionGiven === undefined) out.nginxVersionGiven = true;
    }
  }
  return out;
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  // Rules ask per directive with the same few versions: remember the answers.
  const key = `${a}\0${b}`;
  let r = versionOrder.get(key);
  if (r === undefined) {
    if (versionOrder.size > 1024) versionOrder.clear();
    versionOrder.set(key, (r = compareUncached(a, b)));
  }
  return r;
}

const versionOrder = new Map<string, number>();

function compareUncached(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
