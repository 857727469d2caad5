import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { decodeText, linkInPath, readRegularFile } from './engine/load';
import { insideRoot } from './engine/walk';
import { SEVERITIES, type FailOn, type Severity } from './types';
import { ROLES, type Role, type RoleGlobs } from './model/deploy/roles';

export type RuleSetting = Severity | 'off';

export interface Config {
  failOn: FailOn;
  /** Django release the rules assume where behaviour changed between releases. */
  djangoVersion: string;
  /** nginx release the rules assume (default ssl_protocols, add_header_inherit). */
  nginxVersion: string;
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

export const CONFIG_FILES = ['.https-guard.json', '.https-guard.yml', '.https-guard.yaml'];

export class ConfigError extends Error {}

const FAIL_ON: readonly string[] = [...SEVERITIES, 'never'];

/** A value from a config file quoted in an error: escaped and clipped, so the file cannot fill or forge the message. */
function quote(value: unknown): string {
  const s = String(value);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

export function parseFailOn(value: string, where: string): FailOn {
  const v = value.trim().toLowerCase();
  if (!FAIL_ON.includes(v)) throw new ConfigError(`${where}: fail-on must be one of ${FAIL_ON.join(', ')}, got ${quote(value)}`);
  return v as FailOn;
}

function parseVersion(value: unknown, where: string): string {
  const s = String(value).trim();
  if (!/^\d+(\.\d+){0,2}$/.test(s)) throw new ConfigError(`${where}: expected a version like 4.2 or 1.27.3, got ${quote(s)}`);
  return s;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ConfigError(`${where}: expected a list of strings`);
}

/** Validates a raw object (from a config file, action inputs or CLI flags) into a partial Config. */
export function validateConfig(raw: Record<string, unknown>, where: string): Partial<Config> {
  const out: Partial<Config> = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'fail-on':
      case 'failOn':
        out.failOn = parseFailOn(String(value), where);
        break;
      case 'django-version':
      case 'djangoVersion':
        out.djangoVersion = parseVersion(value, where);
        break;
      case 'nginx-version':
      case 'nginxVersion':
        out.nginxVersion = parseVersion(value, where);
        break;
      case 'ignore':
        out.ignore = stringList(value, `${where}: ignore`);
        break;
      case 'settings-modules':
      case 'settingsModules':
        out.settingsModules = stringList(value, `${where}: settings-modules`);
        break;
      case 'max-file-bytes':
      case 'maxFileBytes': {
        const n = Number(value);
        if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${where}: max-file-bytes must be a positive integer`);
        out.maxFileBytes = n;
        break;
      }
      case 'max-total-bytes':
      case 'maxTotalBytes': {
        const n = Number(value);
        if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${where}: max-total-bytes must be a positive integer`);
        out.maxTotalBytes = n;
        break;
      }
      case 'rules': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where}: rules must be a mapping of rule id to severity or "off"`);
        const rules: Record<string, RuleSetting> = {};
        for (const [id, sev] of Object.entries(value as Record<string, unknown>)) {
          const s = String(sev).toLowerCase();
          if (s !== 'off' && !(SEVERITIES as readonly string[]).includes(s)) throw new ConfigError(`${where}: rules.${quote(id)} must be off, ${SEVERITIES.join(', ')}; got ${quote(sev)}`);
          rules[id] = s as RuleSetting;
        }
        out.rules = rules;
        break;
      }
      case 'roles': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where}: roles must be a mapping of role (${ROLES.join(', ')}) to a list of globs`);
        const roles: RoleGlobs = {};
        for (const [role, globs] of Object.entries(value as Record<string, unknown>)) {
          if (!(ROLES as readonly string[]).includes(role)) throw new ConfigError(`${where}: roles.${role} is not a role; use one of ${ROLES.join(', ')}`);
          roles[role as Role] = stringList(globs, `${where}: roles.${role}`);
        }
        out.roles = roles;
        break;
      }
      default:
        throw new ConfigError(`${where}: unknown key ${quote(key)}`);
    }
  }
  return out;
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
    if (bad) throw new ConfigError(`${label}: cannot read: ${bad.path} is a ${bad.reason.startsWith('symbolic') ? 'symbolic link in the workspace (never followed)' : bad.reason}`);
  }
  const r = readRegularFile(abs, MAX_CONFIG_BYTES);
  if (!r.ok) throw new ConfigError(`${label}: cannot read: ${r.tooLarge ? `larger than ${MAX_CONFIG_BYTES} bytes` : r.reason.replace(/^cannot read: /, '')}`);
  const text = decodeText(r.buf);
  if (!text.ok) throw new ConfigError(`${label}: cannot read: ${text.reason}`);
  return text.text;
}

/** Reads the first config file found at the workspace root, if any. One that exists but is not a plain file is an error, not skipped. */
export function loadConfigFile(root: string): { file?: string; config: Partial<Config> } {
  for (const name of CONFIG_FILES) {
    try {
      fs.lstatSync(path.join(root, name));
    } catch {
      continue;
    }
    return { file: name, config: parseConfigText(readConfigText(root, path.join(root, name), name), name, name.endsWith('.json')) };
  }
  return { config: {} };
}

/**
 * Reads a config file named explicitly (CLI --config, action input `config`, both the author's): JSON by extension,
 * else YAML. `file` is resolved against `root`; it may lie outside the workspace.
 */
export function readConfigFile(root: string, file: string, label: string = file): Partial<Config> {
  const abs = path.resolve(root, file);
  return parseConfigText(readConfigText(root, abs, label), label, abs.endsWith('.json'));
}

/** A parser's error without the text it quotes: where it is, never what is there. */
function syntaxError(e: unknown, json: boolean, text: string): string {
  if (json) {
    const at = /position (\d+)/.exec((e as Error).message);
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      return `invalid JSON at line ${line}, column ${Number(at[1]) - before.lastIndexOf('\n')}`;
    }
    return /end of JSON input/i.test((e as Error).message) ? 'invalid JSON: unexpected end of input' : 'invalid JSON';
  }
  const pos = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
  const code = (e as { code?: unknown }).code;
  return `invalid YAML${typeof code === 'string' ? ` (${code})` : ''}${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}`;
}

/** Parses and validates a config file's text (from disk, or from the base commit of a pull request). */
export function parseConfigText(text: string, name: string, json: boolean): Partial<Config> {
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : YAML.parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError(`${name}: ${syntaxError(e, json, text)}`);
  }
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${name}: expected a mapping at the top level`);
  return validateConfig(raw as Record<string, unknown>, name);
}

export function mergeConfig(...parts: Partial<Config>[]): Config {
  const out: Config = { ...DEFAULT_CONFIG, rules: {} };
  for (const p of parts) {
    for (const [k, v] of Object.entries(p)) {
      if (v === undefined) continue;
      if (k === 'rules') out.rules = { ...out.rules, ...(v as Record<string, RuleSetting>) };
      else (out as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
