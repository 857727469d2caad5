import { CONFIG_FILES, MAX_CONFIG_BYTES, parseConfigSource, type Config, type RuleSetting } from '../config';
import { decodeText } from '../engine/load';
import { RULES } from '../rules';
import { SEVERITIES, reachesFailOn, severityRank, type Finding, type ScanResult, type Severity } from '../types';
import { describeError, statusOf, type GitHubClient } from './client';
import type { Repo } from './event';
import { blobAt, hasCommit } from './git';

/** Where the configuration of a pull request's base commit came from. */
export type BaseConfig =
  | { found: true; file: string; config: Partial<Config>; via: 'git' | 'api' }
  | { found: false; via: 'git' | 'api' }
  | { error: string };

export interface BaseConfigOptions {
  root: string;
  baseSha: string;
  /** Workspace-relative candidates, first found wins: the `config` input's path, else the discovery names. */
  names: string[];
  repo: Repo;
  client?: GitHubClient;
  token: string;
}

type Fetched = { kind: 'file'; bytes: Buffer } | { kind: 'absent' } | { kind: 'refused'; reason: string };

/** The contents API at the base commit: the fallback when the checkout lacks it (actions/checkout fetches one commit). */
async function fetchViaApi(client: GitHubClient, repo: Repo, ref: string, file: string): Promise<Fetched> {
  try {
    const { data } = await client.rest.repos.getContent({ ...repo, path: file, ref });
    if (Array.isArray(data)) return { kind: 'refused', reason: 'a folder' };
    if (data.type === 'symlink') return { kind: 'refused', reason: 'symbolic link (never followed)' };
    if (data.type !== 'file') return { kind: 'refused', reason: 'not a regular file' };
    if (data.size > MAX_CONFIG_BYTES) return { kind: 'refused', reason: `larger than ${MAX_CONFIG_BYTES} bytes` };
    const content = (data as { content?: string }).content ?? '';
    return { kind: 'file', bytes: Buffer.from(content, 'base64') };
  } catch (e) {
    if (statusOf(e) === 404) return { kind: 'absent' };
    throw e;
  }
}

/**
 * The configuration a pull request is judged by: its base commit's, as code owners files are. The pull request's
 * own `.https-guard.yml` could otherwise turn the required check green by ignoring everything. Read from the
 * checkout with git plumbing when it has the base commit, else from the REST contents API at the base sha.
 */
export async function readBaseConfig(o: BaseConfigOptions): Promise<BaseConfig> {
  const useGit = hasCommit(o.root, o.baseSha);
  if (!useGit && !o.client) return { error: 'the checkout does not have the base commit and there is no github-token to ask the API' };
  const via = useGit ? 'git' : 'api';
  for (const name of o.names) {
    let got: Fetched | undefined;
    try {
      got = useGit ? blobAt(o.root, o.baseSha, name, MAX_CONFIG_BYTES) : await fetchViaApi(o.client!, o.repo, o.baseSha, name);
    } catch (e) {
      return { error: `the contents API failed (${describeError(e, o.token)})` };
    }
    if (got === undefined) return { error: 'git could not read the base commit' };
    if (got.kind === 'absent') continue;
    const label = `${name} at the base commit`;
    if (got.kind === 'refused') return { error: `${label}: cannot read: ${got.reason}` };
    const text = decodeText(got.bytes);
    if (!text.ok) return { error: `${label}: cannot read: ${text.reason}` };
    let config: Partial<Config> | undefined;
    try {
      config = parseConfigSource(text.text, label, name);
    } catch (e) {
      return { error: (e as Error).message };
    }
    // A pyproject.toml without [tool.https-guard] is another tool's file: keep looking.
    if (config !== undefined) return { found: true, file: name, config, via };
  }
  return { found: false, via };
}

export function baseConfigNames(configInput: string | undefined): string[] {
  return configInput ? [configInput] : CONFIG_FILES;
}

function defaultSeverity(ruleId: string): Severity | undefined {
  return RULES.find((r) => r.meta.id === ruleId)?.meta.severity;
}

function effective(setting: RuleSetting | undefined, ruleId: string): RuleSetting | undefined {
  return setting ?? defaultSeverity(ruleId);
}

const rank = (s: RuleSetting | undefined) => (s === undefined ? 0 : s === 'off' ? -1 : severityRank(s));
const failRank = (f: Config['failOn']) => (f === 'never' ? 99 : SEVERITIES.length - SEVERITIES.indexOf(f));

/** What the pull request's configuration weakens compared with the base's, one line each. */
export function weakenings(base: Config, head: Config): string[] {
  const out: string[] = [];
  const added = head.ignore.filter((g) => !base.ignore.includes(g));
  if (added.length) out.push(`ignores ${added.map((g) => JSON.stringify(g)).join(', ')}`);
  const ids = new Set([...Object.keys(base.rules), ...Object.keys(head.rules)]);
  const off: string[] = [];
  const lowered: string[] = [];
  for (const id of [...ids].sort()) {
    const b = effective(base.rules[id], id);
    const h = effective(head.rules[id], id);
    if (h === 'off' && b !== 'off') off.push(id);
    else if (h !== 'off' && b !== 'off' && rank(h) < rank(b)) lowered.push(`${id} ${b} → ${h}`);
  }
  if (off.length) out.push(`turns off ${off.join(', ')}`);
  if (lowered.length) out.push(`lowers ${lowered.join(', ')}`);
  if (failRank(head.failOn) > failRank(base.failOn)) out.push(`raises fail-on from ${base.failOn} to ${head.failOn}`);
  if (head.maxFileBytes < base.maxFileBytes) out.push(`lowers max-file-bytes from ${base.maxFileBytes} to ${head.maxFileBytes}`);
  if (JSON.stringify(head.settingsModules) !== JSON.stringify(base.settingsModules)) out.push('changes settings-modules');
  if (head.djangoVersion !== base.djangoVersion || head.nginxVersion !== base.nginxVersion) out.push('changes the assumed Django or nginx release');
  return out;
}

const key = (f: Finding) => `${f.ruleId}\0${f.path}\0${f.line}\0${f.column}\0${f.message}`;

export interface HiddenFindings {
  /** Findings of the base configuration's scan that the pull request's configuration would not report at all. */
  gone: Finding[];
  /** Findings that would fail the check under the base configuration but not under the pull request's. */
  passing: Finding[];
}

/** Compares the same workspace scanned with the base's and with the pull request's configuration. */
export function hiddenFindings(withBase: ScanResult, baseConfig: Config, withHead: ScanResult, headConfig: Config): HiddenFindings {
  const head = new Map(withHead.findings.map((f) => [key(f), f]));
  const gone: Finding[] = [];
  const passing: Finding[] = [];
  for (const f of withBase.findings) {
    const h = head.get(key(f));
    if (!h) gone.push(f);
    else if (reachesFailOn(f.severity, baseConfig.failOn) && !reachesFailOn(h.severity, headConfig.failOn)) passing.push(f);
  }
  return { gone, passing };
}
