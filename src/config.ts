import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
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
  roles: {},
};

export const CONFIG_FILES = ['.https-guard.json', '.https-guard.yml', '.https-guard.yaml'];

export class ConfigError extends Error {}

const FAIL_ON: readonly string[] = [...SEVERITIES, 'never'];

export function parseFailOn(value: string, where: string): FailOn {
  const v = value.trim().toLowerCase();
  if (!FAIL_ON.includes(v)) throw new ConfigError(`${where}: fail-on must be one of ${FAIL_ON.join(', ')}, got "${value}"`);
  return v as FailOn;
}

function parseVersion(value: unknown, where: string): string {
  const s = String(value).trim();
  if (!/^\d+(\.\d+){0,2}$/.test(s)) throw new ConfigError(`${where}: expected a version like 4.2 or 1.27.3, got "${s}"`);
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
      case 'rules': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where}: rules must be a mapping of rule id to severity or "off"`);
        const rules: Record<string, RuleSetting> = {};
        for (const [id, sev] of Object.entries(value as Record<string, unknown>)) {
          const s = String(sev).toLowerCase();
          if (s !== 'off' && !(SEVERITIES as readonly string[]).includes(s)) throw new ConfigError(`${where}: rules.${id} must be off, ${SEVERITIES.join(', ')}; got "${String(sev)}"`);
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
        throw new ConfigError(`${where}: unknown key "${key}"`);
    }
  }
  return out;
}

/** Reads the first config file found at the workspace root, if any. */
export function loadConfigFile(root: string): { file?: string; config: Partial<Config> } {
  for (const name of CONFIG_FILES) {
    const file = path.join(root, name);
    let text: string;
    try {
      if (!fs.lstatSync(file).isFile()) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    return { file: name, config: parseConfigText(text, name, name.endsWith('.json')) };
  }
  return { config: {} };
}

/** Reads a config file named explicitly (CLI --config, action input `config`): JSON by extension, else YAML. */
export function readConfigFile(file: string, label: string = file): Partial<Config> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${label}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfigText(text, label, file.endsWith('.json'));
}

function parseConfigText(text: string, name: string, json: boolean): Partial<Config> {
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new ConfigError(`${name}: ${(e as Error).message}`);
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
