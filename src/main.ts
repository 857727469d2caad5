import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { minimatch } from 'minimatch';
import { ConfigError, loadConfigFile, mergeConfig, readConfigFile, validateConfig, type Config } from './config';
import { scan } from './engine/scan';
import { insideRoot, walk } from './engine/walk';
import { countBySeverity, describeCounts, failureReason } from './report/common';
import { formatMarkdown } from './report/markdown';
import { formatSarif } from './report/sarif';
import { formatText } from './report/text';
import { SEVERITIES, severityRank, type Finding, type ScanResult, type Severity } from './types';
import { VERSION } from './version';

export class InputError extends Error {}

export interface ActionInputs {
  /** Kept for the pull-request integration; never logged. */
  githubToken: string;
  failOn?: string;
  /** Globs or folders relative to the workspace; empty = the whole workspace. */
  paths: string[];
  sarifFile: string;
  comment: boolean;
  annotations: boolean;
  config: string;
  djangoVersion: string;
  nginxVersion: string;
}

function booleanInput(name: string): boolean {
  const value = core.getInput(name);
  if (value === '') return true;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(`input ${name} must be true or false, got "${value}"`);
}

export function readInputs(): ActionInputs {
  return {
    githubToken: core.getInput('github-token'),
    failOn: core.getInput('fail-on') || undefined,
    paths: core
      .getInput('paths')
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean),
    sarifFile: core.getInput('sarif-file'),
    comment: booleanInput('comment'),
    annotations: booleanInput('annotations'),
    config: core.getInput('config'),
    djangoVersion: core.getInput('django-version'),
    nginxVersion: core.getInput('nginx-version'),
  };
}

/** The config file (`config` input, else discovery at the root), then the inputs on top. */
export function resolveConfig(root: string, inputs: ActionInputs): Config {
  const fromFile = inputs.config ? readConfigFile(path.resolve(root, inputs.config), inputs.config) : loadConfigFile(root).config;
  const raw: Record<string, unknown> = {};
  if (inputs.failOn) raw['fail-on'] = inputs.failOn;
  if (inputs.djangoVersion) raw['django-version'] = inputs.djangoVersion;
  if (inputs.nginxVersion) raw['nginx-version'] = inputs.nginxVersion;
  return mergeConfig(fromFile, validateConfig(raw, 'action inputs'));
}

/**
 * Turns the `paths` input into workspace-relative paths for the engine: folders and files as they are, globs
 * expanded against the workspace's files. Undefined means the whole workspace; an empty list means nothing matched.
 */
export function resolveScanPaths(root: string, patterns: string[], ignore: string[]): string[] | undefined {
  if (patterns.length === 0) return undefined;
  const out = new Set<string>();
  let files: string[] | undefined;
  for (const raw of patterns) {
    const pattern = raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    if (/[*?[\]{}]/.test(pattern)) {
      files ??= walk(root, [''], ignore).entries.map((e) => e.path);
      const matched = files.filter((f) => minimatch(f, pattern, { dot: true }) || minimatch(f, `${pattern.replace(/\/+$/, '')}/**`, { dot: true }));
      if (matched.length === 0) core.warning(`HTTPS Guard: paths entry "${raw}" matches no file`);
      for (const f of matched) out.add(f);
      continue;
    }
    const rel = insideRoot(root, pattern);
    if (rel === undefined) throw new InputError(`paths entry "${raw}" is outside the workspace`);
    if (!fs.existsSync(path.join(root, rel))) throw new InputError(`paths entry "${raw}" does not exist in the workspace`);
    out.add(rel);
  }
  return [...out];
}

export interface PublishContext {
  root: string;
  inputs: ActionInputs;
  config: Config;
}

/**
 * Where a result goes. The pull-request integration (sticky comment, check run, changed-files filter) plugs in
 * here as more channels; nothing else in run() needs to change.
 */
export interface Channel {
  name: string;
  publish(result: ScanResult, ctx: PublishContext): void | Promise<void>;
}

const ANNOTATION_LIMIT = 50;

function annotate(f: Finding): void {
  const props: core.AnnotationProperties = { title: `HTTPS Guard: ${f.ruleId}`, file: f.path, startLine: f.line, endLine: f.endLine };
  // GitHub accepts columns only on single-line annotations.
  if (f.endLine === f.line) Object.assign(props, { startColumn: f.column, endColumn: f.endColumn });
  const message = `${f.message}\n${f.hint}`;
  const level: Record<Severity, (m: string, p: core.AnnotationProperties) => void> = { high: core.error, medium: core.warning, low: core.notice, info: core.notice };
  level[f.severity](message, props);
}

export const annotationsChannel: Channel = {
  name: 'annotations',
  publish(result, ctx) {
    if (!ctx.inputs.annotations) return;
    // GitHub shows only a few annotations per step: send the worst first and say how many were left out.
    const ordered = [...result.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    ordered.slice(0, ANNOTATION_LIMIT).forEach(annotate);
    if (ordered.length > ANNOTATION_LIMIT) core.info(`HTTPS Guard: ${ordered.length - ANNOTATION_LIMIT} more findings not annotated; see the job summary or the SARIF file.`);
  },
};

/** The job summary holds 1 MiB; at most 3 bytes per character keeps the report under it. */
const SUMMARY_LIMIT = 300_000;

export const summaryChannel: Channel = {
  name: 'job summary',
  async publish(result) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
      core.info('HTTPS Guard: GITHUB_STEP_SUMMARY is not set; no job summary written.');
      return;
    }
    await core.summary.addRaw(formatMarkdown(result, { limit: SUMMARY_LIMIT }), true).write();
  },
};

export const sarifChannel: Channel = {
  name: 'SARIF file',
  publish(result, ctx) {
    if (!ctx.inputs.sarifFile) return;
    const file = path.resolve(ctx.root, ctx.inputs.sarifFile);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, formatSarif(result, { severityOverrides: ctx.config.rules }));
  },
};

export const outputsChannel: Channel = {
  name: 'outputs',
  publish(result, ctx) {
    const counts = countBySeverity(result.findings);
    core.setOutput('findings', result.findings.length);
    for (const s of SEVERITIES) core.setOutput(s, counts[s]);
    const sarif = ctx.inputs.sarifFile ? (insideRoot(ctx.root, ctx.inputs.sarifFile) ?? path.resolve(ctx.root, ctx.inputs.sarifFile)) : '';
    core.setOutput('sarif-file', sarif);
    core.setOutput('conclusion', failureReason(result.findings, ctx.config.failOn) ? 'failure' : 'success');
  },
};

export const DEFAULT_CHANNELS: Channel[] = [annotationsChannel, summaryChannel, sarifChannel, outputsChannel];

/** Every channel runs even when one fails; the failures are reported together. */
export async function publish(result: ScanResult, ctx: PublishContext, channels: Channel[] = DEFAULT_CHANNELS): Promise<void> {
  const failures: string[] = [];
  for (const channel of channels) {
    try {
      await channel.publish(result, ctx);
    } catch (e) {
      failures.push(`${channel.name}: ${(e as Error).message}`);
    }
  }
  if (failures.length) throw new Error(`could not publish the report (${failures.join('; ')})`);
}

/**
 * The text report goes to the log between stop-commands markers: a file name such as `::error::x` must not be
 * taken by the runner as a workflow command.
 */
function logReport(result: ScanResult): void {
  const token = randomUUID();
  core.startGroup('HTTPS Guard report');
  core.info(`::stop-commands::${token}`);
  core.info(formatText(result).trimEnd());
  core.info(`::${token}::`);
  core.endGroup();
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const root = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
    const config = resolveConfig(root, inputs);
    const paths = resolveScanPaths(root, inputs.paths, config.ignore);
    const result: ScanResult =
      paths !== undefined && paths.length === 0 ? { version: VERSION, findings: [], files: [], skipped: [] } : scan({ root, paths, config });
    logReport(result);
    await publish(result, { root, inputs, config });
    const reason = failureReason(result.findings, config.failOn);
    if (reason) core.setFailed(reason);
    else core.info(`HTTPS Guard: ${describeCounts(countBySeverity(result.findings))}; none at or above fail-on "${config.failOn}".`);
  } catch (e) {
    if (e instanceof InputError || e instanceof ConfigError) {
      core.setFailed(`HTTPS Guard: ${e.message}`);
    } else {
      core.setFailed(`HTTPS Guard: internal error: ${(e as Error)?.message ?? String(e)}`);
      if (process.env.HTTPS_GUARD_DEBUG === '1' && (e as Error)?.stack) core.info((e as Error).stack!);
    }
  }
}
