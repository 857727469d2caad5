import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { compileGlob } from './util/glob';
import { ConfigError, loadConfigFile, mergeConfig, readConfigFile, validateConfig, type Config } from './config';
import { describeWriteError, safeWriteFile } from './engine/safe-write';
import { scan } from './engine/scan';
import { analyseFocused } from './engine/focused';
import { insideRoot, walk } from './engine/walk';
import { FILTER_MODES, resolveChanges, type ChangeSet, type FilterMode } from './github/changes';
import { CHECK_TEXT_LIMIT, MAX_CHECK_ANNOTATIONS, checkConclusion, publishCheckRun } from './github/check-run';
import { createClient, describeError, scrub, scrubResult, statusOf, type GitHubClient } from './github/client';
import { COMMENT_LIMIT, upsertComment } from './github/comment';
import { applyActionBaseline } from './github/baseline';
import { BaselineError } from './engine/baseline';
import { baseConfigNames, hiddenFindings, readBaseConfig, weakenings } from './github/base-config';
import { changeName, commitOf, configBaseOf, readGitHubRun, type GitHubRun } from './github/event';
import { checkNameFor, commentMarkerFor, parseInstanceId } from './github/instance';
import { filterFindings } from './github/filter';
import { blobUrl } from './github/links';
import { countBySeverity, describeCounts, failureReason, plural } from './report/common';
import { formatMarkdown, type Alert } from './report/markdown';
import { AUTOMATION_CATEGORY, formatSarif } from './report/sarif';
import { formatText, sanitizeForTerminal } from './report/text';
import { SEVERITIES, severityRank, type Finding, type ScanResult, type Severity } from './types';
import { VERSION } from './version';

export class InputError extends Error {}
/** A channel could not deliver the report: said as it is, not as an internal error. */
export class PublishError extends Error {}

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
  /** Baseline file in the repository ('' for none); on a pull request read from its base commit. */
  baseline: string;
  djangoVersion: string;
  nginxVersion: string;
  /** Which findings are reported on a pull request or push: reviewdog's added, diff_context, file, nofilter. */
  filterMode: FilterMode;
  /** Tells several steps on one commit apart (comment marker, check run name); empty for a single step. */
  id: string;
  /** false: never a focused scan (engine/focused.ts) of a pull request's or merge group's changed files. */
  focused: boolean;
}

function booleanInput(name: string): boolean {
  const value = core.getInput(name);
  if (value === '') return true;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(`input ${name} must be true or false, got "${value}"`);
}

function filterModeInput(): FilterMode {
  const value = core.getInput('filter-mode').trim() || 'file';
  if (!(FILTER_MODES as readonly string[]).includes(value)) throw new InputError(`input filter-mode must be one of ${FILTER_MODES.join(', ')}, got "${value}"`);
  return value as FilterMode;
}

function idInput(): string {
  const parsed = parseInstanceId(core.getInput('id'));
  if ('error' in parsed) throw new InputError(parsed.error);
  return parsed.id;
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
    baseline: core.getInput('baseline'),
    djangoVersion: core.getInput('django-version'),
    nginxVersion: core.getInput('nginx-version'),
    filterMode: filterModeInput(),
    id: idInput(),
    focused: booleanInput('focused'),
  };
}

function inputsConfig(inputs: ActionInputs): Partial<Config> {
  const raw: Record<string, unknown> = {};
  if (inputs.failOn) raw['fail-on'] = inputs.failOn;
  if (inputs.djangoVersion) raw['django-version'] = inputs.djangoVersion;
  if (inputs.nginxVersion) raw['nginx-version'] = inputs.nginxVersion;
  return validateConfig(raw, 'action inputs');
}

/** The config file in the workspace (`config` input, else discovery at the root), then the inputs on top. */
export function resolveConfig(root: string, inputs: ActionInputs): Config {
  const fromFile = inputs.config ? readConfigFile(root, inputs.config, inputs.config) : loadConfigFile(root).config;
  return mergeConfig(fromFile, inputsConfig(inputs));
}

/** The configuration a run uses, and on a pull request the one its own files ask for when that differs. */
export interface RunConfig {
  config: Config;
  /** The workspace's configuration on a pull request that changes it (reported, never used for the verdict). */
  proposed?: { file: string; config: Config; by: string };
  notes: string[];
  warnings: string[];
}

/**
 * On a pull request the base commit's configuration decides, as code owners files do: the pull request cannot
 * switch its own check off. The `config` input (the workflow author's) still names the file; a path inside the
 * workspace is read at the base commit too, one outside it (not the repository's) from disk.
 */
export async function chooseConfig(root: string, inputs: ActionInputs, gh: GitHubSession | undefined): Promise<RunConfig> {
  const target = gh?.run.target;
  const baseSha = target && configBaseOf(target);
  const rel = inputs.config ? insideRoot(root, inputs.config) : undefined;
  if (!target || !baseSha || (inputs.config && rel === undefined)) return { config: resolveConfig(root, inputs), notes: [], warnings: [] };
  const what = changeName(target);
  const fromInputs = inputsConfig(inputs);
  const notes: string[] = [];
  const warnings: string[] = [];
  const base = await readBaseConfig({ root, baseSha, names: baseConfigNames(rel), repo: gh!.run.repo, client: gh!.client, token: gh!.token });
  let config: Config;
  const short = baseSha.slice(0, 7);
  if ('error' in base) {
    config = mergeConfig(fromInputs);
    warnings.push(`The base commit's configuration could not be read (${base.error}): default settings are used, not the ${what}'s own configuration.`);
  } else if (base.found) {
    config = mergeConfig(base.config, fromInputs);
    notes.push(`Configuration: ${base.file} of the base commit ${short}, as for code owners; a change to it in this ${what} takes effect once merged.`);
  } else {
    config = mergeConfig(fromInputs);
    notes.push(`Configuration: defaults; the base commit ${short} has no ${rel ?? 'HTTPS Guard configuration file'}.`);
  }
  // What the pull request's own files ask for: reported when it differs, never used.
  let proposed: RunConfig['proposed'];
  try {
    const file = rel ?? loadConfigFile(root).file;
    const own = resolveConfig(root, inputs);
    if (JSON.stringify(own) !== JSON.stringify(config)) proposed = { file: file ?? 'its removed configuration file', config: own, by: what };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    notes.push(`This ${what}'s configuration cannot be read (${e.message}); the check uses the base commit's.`);
  }
  return { config, proposed, notes, warnings };
}

/** Bounds for listing what a pull request's configuration would hide. */
const HIDDEN_LISTED = 20;

function findingRef(f: Finding): string {
  return `${f.path}:${f.line} ${f.ruleId} (${f.severity})`;
}

/**
 * Scans again with the pull request's configuration and lists what it would stop reporting or stop failing on:
 * a weakened configuration is visible in review, with its cost.
 */
function configChangeAlert(root: string, inputs: ActionInputs, used: Config, proposed: NonNullable<RunConfig['proposed']>, scanned: ScanResult): Alert {
  const lines: string[] = [];
  const weak = weakenings(used, proposed.config);
  lines.push(weak.length ? `It ${weak.join('; ')}.` : 'It does not turn anything off.');
  const paths = resolveScanPaths(root, inputs.paths, proposed.config.ignore);
  const withProposed: ScanResult = paths !== undefined && paths.length === 0 ? { version: VERSION, findings: [], files: [], skipped: [] } : scan({ root, paths, config: proposed.config });
  const hidden = hiddenFindings(scanned, used, withProposed, proposed.config);
  if (withProposed.files.length < scanned.files.length) lines.push(`With it, ${plural(scanned.files.length - withProposed.files.length, 'deployment file')} would no longer be checked.`);
  const list = (what: string, fs: Finding[]) => {
    if (fs.length === 0) return;
    lines.push(`With it, ${plural(fs.length, 'finding')} ${what}:`);
    for (const f of fs.slice(0, HIDDEN_LISTED)) lines.push(`• ${findingRef(f)}`);
    if (fs.length > HIDDEN_LISTED) lines.push(`…and ${fs.length - HIDDEN_LISTED} more.`);
  };
  list('would not be reported', hidden.gone);
  list(`would no longer fail the check`, hidden.passing);
  if (hidden.gone.length === 0 && hidden.passing.length === 0) lines.push('With it, no finding of this scan would be hidden.');
  lines.push("This check uses the base commit's configuration; the change takes effect once merged.");
  return { title: `This ${proposed.by} changes the HTTPS Guard configuration (${proposed.file})`, lines };
}

/** Drops trailing slashes without a regex (a run of slashes must not cost quadratic time). */
function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
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
      const globs = [compileGlob(pattern, 'config'), compileGlob(`${trimTrailingSlashes(pattern)}/**`, 'config')];
      const matched = files.filter((f) => globs.some((g) => g.test(f)));
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

/** The GitHub side of a run inside Actions; absent when run elsewhere. */
export interface GitHubSession {
  run: GitHubRun;
  /** Undefined without a token: nothing is posted, workflow commands annotate. */
  client?: GitHubClient;
  /** Only to scrub it from anything printed. */
  token: string;
  /** The commit the findings belong to: the pull request's head, the pushed commit, or GITHUB_SHA. */
  commit?: string;
  secondMs: number;
}

export interface PublishContext {
  root: string;
  inputs: ActionInputs;
  config: Config;
  /** Everything the scan found, before filter-mode: the SARIF file keeps it all. */
  scanned: ScanResult;
  /** Plain-text remarks for the summaries (what is reported, fallbacks taken); channels may add to them. */
  notes: string[];
  /** Shown first, as warnings, in the job summary, the comment and the check run. */
  alerts?: Alert[];
  github?: GitHubSession;
}

/**
 * Where a result goes: the result holds the REPORTED findings (after filter-mode). Every channel runs even when
 * another fails; the GitHub channels turn API failures into warnings, so they never hide the verdict.
 */
export interface Channel {
  name: string;
  publish(result: ScanResult, ctx: PublishContext): void | Promise<void>;
}

function warn(message: string, token: string): void {
  core.warning(scrub(message, token));
}

/** GitHub shows ten annotations of each level per step (fifty per job): the worst go first; more only fill the log. */
const ANNOTATION_LIMIT = 50;

function annotate(f: Finding): void {
  const props: core.AnnotationProperties = { title: `HTTPS Guard: ${f.ruleId}`, file: f.path, startLine: f.line, endLine: f.endLine };
  // GitHub accepts columns only on single-line annotations.
  if (f.endLine === f.line) Object.assign(props, { startColumn: f.column, endColumn: f.endColumn });
  const message = `${f.message}\n${f.hint}`;
  const level: Record<Severity, (m: string, p: core.AnnotationProperties) => void> = { high: core.error, medium: core.warning, low: core.notice, info: core.notice };
  level[f.severity](message, props);
}

function annotateWithWorkflowCommands(findings: readonly Finding[]): void {
  const ordered = [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  ordered.slice(0, ANNOTATION_LIMIT).forEach(annotate);
  if (ordered.length > ANNOTATION_LIMIT) core.info(`HTTPS Guard: ${ordered.length - ANNOTATION_LIMIT} more findings not annotated; see the job summary or the SARIF file.`);
}

function markdown(result: ScanResult, ctx: PublishContext, limit: number, marker?: string): string {
  const gh = ctx.github;
  const commit = gh?.commit;
  const locationUrl = gh && commit ? (f: Finding) => blobUrl(gh.run.serverUrl, gh.run.repo, commit, f.path, f.line) : undefined;
  return formatMarkdown(result, { limit, marker, title: checkNameFor(ctx.inputs.id), notes: ctx.notes, alerts: ctx.alerts, locationUrl });
}

/** A check run on the commit when the token allows it; workflow-command annotations otherwise. */
export const annotationsChannel: Channel = {
  name: 'annotations',
  async publish(result, ctx) {
    if (!ctx.inputs.annotations) return;
    const gh = ctx.github;
    if (gh?.client && gh.commit) {
      if (result.findings.length > MAX_CHECK_ANNOTATIONS) ctx.notes.push(`The check run annotates the ${MAX_CHECK_ANNOTATIONS} worst findings; the table lists the others.`);
      const report = {
        headSha: gh.commit,
        name: checkNameFor(ctx.inputs.id),
        conclusion: checkConclusion(result.findings, ctx.config.failOn),
        title: result.findings.length ? describeCounts(countBySeverity(result.findings)) : 'No findings',
        summary: markdown(result, ctx, CHECK_TEXT_LIMIT),
        findings: result.findings,
      };
      try {
        const run = await publishCheckRun(gh.client, gh.run.repo, report);
        core.info(`HTTPS Guard: check run "${report.title}" (${report.conclusion}) with ${plural(run.annotated, 'annotation')}${run.url ? `: ${run.url}` : ''}`);
        return;
      } catch (e) {
        const why = describeError(e, gh.token);
        const created = typeof (e as { annotated?: unknown }).annotated === 'number';
        const denied = !created && [403, 404].includes(statusOf(e));
        warn(`HTTPS Guard: could not ${created ? 'complete' : 'create'} the check run (${why}); annotating with workflow commands instead.`, gh.token);
        const cause = denied ? 'The token cannot create check runs' : `The check run could not be ${created ? 'completed' : 'created'}`;
        ctx.notes.push(`${cause} (${why}), so findings are annotated with workflow commands: GitHub shows only the first ten annotations of each level (error, warning, notice) per step. This table lists every finding.`);
      }
    }
    annotateWithWorkflowCommands(result.findings);
  },
};

/** One comment per pull request, found by its hidden marker and edited in place. */
export const commentChannel: Channel = {
  name: 'pull request comment',
  async publish(result, ctx) {
    const gh = ctx.github;
    if (!ctx.inputs.comment || gh?.run.target.kind !== 'pull_request') return;
    if (!gh.client) {
      warn('HTTPS Guard: no github-token, so no pull request comment.', '');
      return;
    }
    const marker = commentMarkerFor(ctx.inputs.id);
    const body = markdown(result, ctx, COMMENT_LIMIT, marker);
    try {
      const r = await upsertComment(gh.client, gh.run.repo, gh.run.target.number, body, result.findings.length === 0, gh.secondMs, marker);
      core.info(`HTTPS Guard: pull request comment ${r.outcome}${r.url ? `: ${r.url}` : ''}`);
    } catch (e) {
      const readOnly = statusOf(e) === 403 ? ' The token is read-only here (a pull request from a fork, or permissions without pull-requests: write); the job summary, annotations and SARIF file still carry every finding.' : '';
      warn(`HTTPS Guard: could not post the pull request comment (${describeError(e, gh.token)}).${readOnly}`, gh.token);
    }
  },
};

/** The job summary holds 1 MiB; at most 3 bytes per character keeps the report under it. */
const SUMMARY_LIMIT = 300_000;

export const summaryChannel: Channel = {
  name: 'job summary',
  async publish(result, ctx) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
      core.info('HTTPS Guard: GITHUB_STEP_SUMMARY is not set; no job summary written.');
      return;
    }
    await core.summary.addRaw(markdown(result, ctx, SUMMARY_LIMIT), true).write();
  },
};

/**
 * Every finding of the scan, not only the reported ones: code scanning compares a pull request's analysis with
 * its base branch's and shows only what the pull request changes, so a filtered file would show the unreported
 * alerts as fixed.
 */
export const sarifChannel: Channel = {
  name: 'SARIF file',
  publish(_result, ctx) {
    if (!ctx.inputs.sarifFile) return;
    // The input is the workflow author's, so it may leave the workspace; links inside the workspace are refused.
    try {
      safeWriteFile(ctx.inputs.sarifFile, formatSarif(ctx.scanned, { severityOverrides: ctx.config.rules, root: ctx.root, ...(ctx.inputs.id ? { automationId: `${AUTOMATION_CATEGORY}/${ctx.inputs.id}/` } : {}) }), { root: ctx.root, authorPath: true });
    } catch (e) {
      throw new Error(describeWriteError(e, ctx.inputs.sarifFile));
    }
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

// Order matters: a check-run fallback adds a note the comment and the job summary show.
export const DEFAULT_CHANNELS: Channel[] = [annotationsChannel, commentChannel, summaryChannel, sarifChannel, outputsChannel];

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
  if (failures.length) throw new PublishError(`could not publish the report (${failures.join('; ')})`);
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

/** Tests shrink the second of every API wait (backoff, Retry-After, write pacing); never set in a workflow. */
function secondMs(): number {
  const value = Number(process.env.HTTPS_GUARD_TEST_SECOND_MS);
  return Number.isFinite(value) && value > 0 ? value : 1000;
}

function openGitHub(token: string): GitHubSession | undefined {
  const run = readGitHubRun(process.env);
  if (!run) return undefined;
  const second = secondMs();
  const client = token
    ? createClient({ token, baseUrl: run.apiUrl, secondMs: second, warn: (m) => core.warning(scrub(m, token)), debug: (m) => core.debug(scrub(m, token)) })
    : undefined;
  return { run, client, token, commit: commitOf(run.target), secondMs: second };
}

function scopeNote(gh: GitHubSession | undefined, changes: ChangeSet, mode: FilterMode): string | undefined {
  if (!gh) return undefined;
  if (changes.scope === 'repository') return 'Reported: every finding in the workspace.';
  const what = `this ${changeName(gh.run.target)}`;
  if (mode === 'added') return `Reported: findings on lines ${what} adds or modifies (filter-mode: added).`;
  if (mode === 'diff_context') return `Reported: findings on the lines of ${what}'s diff hunks, context lines included (filter-mode: diff_context).`;
  return `Reported: findings in the ${plural(changes.files.size, 'file')} ${what} changes (filter-mode: file).`;
}

/** The changed files of the event, or the whole repository when they are unknown or not needed. */
async function eventChanges(inputs: ActionInputs, root: string, gh: GitHubSession | undefined): Promise<ChangeSet> {
  return gh
    ? await resolveChanges(gh.run.target, inputs.filterMode, { root, repo: gh.run.repo, client: gh.client, token: gh.token, warn: (m) => warn(m, gh.token) })
    : { scope: 'repository', notes: [] };
}

/**
 * The changed files a focused scan may stand in for the full one with: on a pull request or merge group whose
 * changed files are known, when every output is about those files only. Otherwise why not (undefined when there is
 * nothing to say). The SARIF file keeps every finding of the workspace, and the configuration-change alert compares
 * two whole scans, so either needs the full scan.
 */
export function focusedPlan(
  inputs: ActionInputs,
  gh: GitHubSession | undefined,
  changes: ChangeSet,
  paths: string[] | undefined,
  proposed: boolean,
): { changed: string[] } | { why?: string } {
  const kind = gh?.run.target.kind;
  if (!inputs.focused || process.env.HTTPS_GUARD_FOCUSED === '0') return {};
  if (kind !== 'pull_request' && kind !== 'merge_group') return {};
  if (changes.scope !== 'files' || inputs.filterMode === 'nofilter') return {};
  if (changes.files.size === 0) return {};
  if (paths !== undefined) return { why: 'the paths input chooses what is scanned' };
  if (inputs.sarifFile) return { why: "the SARIF file lists every finding of the workspace (set sarif-file to '' for a focused scan)" };
  if (proposed) return { why: 'this change edits the configuration, which is compared on the whole workspace' };
  return { changed: [...changes.files.keys()].sort() };
}

/** What run() reports: the scan's findings narrowed to the changes of the event, with notes on how. */
function reportedFindings(scanned: ScanResult, inputs: ActionInputs, changes: ChangeSet, gh: GitHubSession | undefined, focused: boolean) {
  const filtered = filterFindings(scanned.findings, changes, inputs.filterMode);
  const hidden = scanned.findings.length - filtered.reported.length;
  const notes = [scopeNote(gh, changes, inputs.filterMode), ...changes.notes, ...filtered.notes];
  if (hidden > 0) {
    const where = focused ? 'on other lines of the changed files' : 'elsewhere in the workspace';
    notes.push(`${plural(hidden, 'finding')} ${where} ${hidden === 1 ? 'is' : 'are'} not reported here${inputs.sarifFile ? '; the SARIF file lists every finding' : ''}.`);
  }
  if (gh?.commit) notes.push(`Results for commit ${gh.commit.slice(0, 7)}.`);
  return { result: { ...scanned, findings: filtered.reported }, notes: notes.filter((n): n is string => n !== undefined) };
}

/** A scan that checked no deployment file says so everywhere: a green check must mean something was checked. */
function nothingCheckedAlert(scanned: ScanResult, checked = scanned.files.length): Alert | undefined {
  if (checked > 0) return undefined;
  return {
    title: 'No deployment file was checked',
    lines: [
      `HTTPS Guard found no Django settings module, wsgi.py/asgi.py or nginx config to check${scanned.skipped.length ? ` (${plural(scanned.skipped.length, 'file')} skipped)` : ''}. Check the paths input and the ignore list of the configuration.`,
    ],
  };
}

/** On a pull request, where the baseline is read from (its base commit). */
function baselinePullRequest(gh: GitHubSession | undefined): Parameters<typeof applyActionBaseline>[1]['pullRequest'] {
  const target = gh?.run.target;
  return target?.kind === 'pull_request' ? { target, repo: gh!.run.repo, client: gh!.client, token: gh!.token } : undefined;
}

export async function run(): Promise<void> {
  const token = core.getInput('github-token');
  try {
    const inputs = readInputs();
    const root = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
    const github = openGitHub(inputs.githubToken);
    const chosen = await chooseConfig(root, inputs, github);
    const config = chosen.config;
    const paths = resolveScanPaths(root, inputs.paths, config.ignore);
    const changes = await eventChanges(inputs, root, github);
    const plan = focusedPlan(inputs, github, changes, paths, chosen.proposed !== undefined);
    const focusNotes: string[] = [];
    let raw: ScanResult;
    let checked: number | undefined;
    let focus: string[] | undefined;
    if ('changed' in plan) {
      // Only the deployments of the changed files are built; the findings on those files equal the full scan's.
      const f = analyseFocused({ root, changed: plan.changed, config, walkChanged: false });
      raw = f.result;
      checked = f.checked;
      focus = plan.changed;
      if (f.fullScan) core.info(`HTTPS Guard: the whole workspace was scanned: ${sanitizeForTerminal(f.fullScan)}.`);
      else focusNotes.push(`Scanned: the deployments of the changed files (${plural(f.projects?.length ?? 0, 'project')}); findings elsewhere in the workspace were not looked for.`);
    } else {
      if (plan.why) core.info(`HTTPS Guard: the whole workspace is scanned: ${sanitizeForTerminal(plan.why)}.`);
      raw = paths !== undefined && paths.length === 0 ? { version: VERSION, findings: [], files: [], skipped: [] } : scan({ root, paths, config });
    }
    const fullScan: ScanResult = scrubResult(raw, token);
    const baselined = await applyActionBaseline(fullScan, { root, input: inputs.baseline, config, pullRequest: baselinePullRequest(github), ...(focus ? { focus } : {}) });
    const scanned = baselined.result;
    const alerts: Alert[] = chosen.warnings.map((w) => ({ title: 'Configuration', lines: [w] }));
    if (chosen.proposed) alerts.push(configChangeAlert(root, inputs, config, chosen.proposed, scanned));
    const nothing = nothingCheckedAlert(scanned, checked);
    if (nothing) alerts.unshift(nothing);
    const { result, notes } = reportedFindings(scanned, inputs, changes, github, focus !== undefined);
    notes.unshift(...chosen.notes, ...baselined.notes);
    notes.push(...focusNotes);
    logReport(result);
    for (const a of alerts) core.warning(sanitizeForTerminal(`HTTPS Guard: ${a.title}. ${a.lines.join(' ')}`));
    for (const note of notes) core.info(`HTTPS Guard: ${sanitizeForTerminal(note)}`);
    await publish(result, { root, inputs, config, scanned, notes, alerts, github });
    const reason = failureReason(result.findings, config.failOn);
    if (reason) core.setFailed(reason);
    else core.info(`HTTPS Guard: ${describeCounts(countBySeverity(result.findings))}; none at or above fail-on "${config.failOn}".`);
  } catch (e) {
    if (e instanceof ConfigError && e.file !== undefined && e.line !== undefined && !path.isAbsolute(e.file) && !e.file.startsWith('..')) {
      // An annotation on the configuration's own line, as for a finding; the run fails all the same.
      core.error(scrub(`HTTPS Guard: ${e.message}`, token), { title: 'HTTPS Guard configuration', file: e.file, startLine: e.line, startColumn: e.column });
      process.exitCode = core.ExitCode.Failure;
    } else if (e instanceof InputError || e instanceof ConfigError || e instanceof PublishError || e instanceof BaselineError) {
      core.setFailed(scrub(`HTTPS Guard: ${e.message}`, token));
    } else {
      core.setFailed(scrub(`HTTPS Guard: internal error: ${(e as Error)?.message ?? String(e)}`, token));
      if (process.env.HTTPS_GUARD_DEBUG === '1' && (e as Error)?.stack) core.info(scrub((e as Error).stack!, token));
    }
  }
}
