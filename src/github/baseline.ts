import * as path from 'node:path';
import type { Config } from '../config';
import { BaselineError, MAX_BASELINE_BYTES, applyBaseline, decodeBaseline, describeBaseline, readBaselineFile, type Baseline } from '../engine/baseline';
import { linkInPath } from '../engine/load';
import { insideRoot } from '../engine/walk';
import { focusFilter } from '../engine/focus';
import type { ScanResult } from '../types';
import { describeError, statusOf, type GitHubClient } from './client';
import type { PullRequestTarget, Repo } from './event';
import { blobAt, hasCommit } from './git';

export interface ActionBaselineOptions {
  root: string;
  /** The `baseline` input: a path in the repository ('' for none). */
  input: string;
  config: Config;
  /** On a pull request: where its base commit is read from. */
  pullRequest?: { target: PullRequestTarget; repo: Repo; client?: GitHubClient; token: string };
  /** A focused scan's changed files: only their findings were looked for. */
  focus?: string[];
}

type Read = { baseline: Baseline } | { absent: string };

async function viaApi(client: GitHubClient, repo: Repo, ref: string, rel: string, label: string, token: string): Promise<Read> {
  let data: unknown;
  try {
    ({ data } = await client.rest.repos.getContent({ ...repo, path: rel, ref }));
  } catch (e) {
    if (statusOf(e) === 404) return { absent: label };
    throw new BaselineError(`${label}: the contents API failed (${describeError(e, token)})`);
  }
  const file = data as { type?: string; size?: number; content?: string };
  if (Array.isArray(data) || file.type !== 'file') throw new BaselineError(`${label}: cannot read: ${file.type === 'symlink' ? 'symbolic link (never followed)' : 'not a regular file'}`);
  if ((file.size ?? 0) > MAX_BASELINE_BYTES) throw new BaselineError(`${label}: larger than ${MAX_BASELINE_BYTES} bytes`);
  return { baseline: decodeBaseline(Buffer.from(file.content ?? '', 'base64'), label) };
}

/**
 * A pull request is judged by its base commit's baseline, as by its base commit's configuration: a baseline the
 * pull request edits could otherwise accept the very findings it adds. Git plumbing when the checkout has the
 * base commit, else the contents API at the base sha.
 */
async function readAtBase(o: NonNullable<ActionBaselineOptions['pullRequest']>, root: string, rel: string): Promise<Read> {
  const sha = o.target.baseSha;
  const label = `${rel} at the base commit ${sha.slice(0, 7)}`;
  if (hasCommit(root, sha)) {
    const got = blobAt(root, sha, rel, MAX_BASELINE_BYTES);
    if (got === undefined) throw new BaselineError(`${label}: git could not read the base commit`);
    if (got.kind === 'absent') return { absent: label };
    if (got.kind === 'refused') throw new BaselineError(`${label}: cannot read: ${got.reason}`);
    return { baseline: decodeBaseline(got.bytes, label) };
  }
  if (!o.client) throw new BaselineError(`${label}: the checkout does not have the base commit and there is no github-token to ask the API`);
  return viaApi(o.client, o.repo, sha, rel, label, o.token);
}

function readInWorkspace(root: string, rel: string): Baseline {
  const link = linkInPath(root, rel);
  if (link) throw new BaselineError(`${rel}: cannot read: ${link.path}: ${link.reason}`);
  return readBaselineFile(path.join(root, rel), rel);
}

/**
 * Drops the findings the `baseline` input accepts, from everything the run reports (annotations, comment, SARIF,
 * the verdict). Returns the result and a note on what the baseline did. A baseline that cannot be read or is
 * malformed fails the run (BaselineError): silently reporting everything, or nothing, would mislead.
 */
export async function applyActionBaseline(scanned: ScanResult, o: ActionBaselineOptions): Promise<{ result: ScanResult; notes: string[] }> {
  const input = o.input.trim();
  if (!input) return { result: scanned, notes: [] };
  const rel = insideRoot(o.root, path.resolve(o.root, input));
  if (rel === undefined || rel === '') throw new BaselineError(`input baseline must name a file in the repository, got "${input}"`);
  const read: Read = o.pullRequest ? await readAtBase(o.pullRequest, o.root, rel) : { baseline: readInWorkspace(o.root, rel) };
  if ('absent' in read) return { result: scanned, notes: [`Baseline: ${read.absent} does not exist; every finding is reported (a baseline added by this pull request takes effect once merged).`] };
  // A focused scan looked at the changed files only: entries elsewhere were not looked for, so they are not stale.
  const focus = o.focus ? focusFilter(o.focus) : undefined;
  const baseline = focus ? { ...read.baseline, findings: read.baseline.findings.filter((e) => focus(e.path)) } : read.baseline;
  const applied = applyBaseline(scanned.findings, baseline, (id) => o.config.rules[id] !== 'off');
  const label = o.pullRequest ? `${rel} of the base commit ${o.pullRequest.target.baseSha.slice(0, 7)}` : rel;
  return { result: { ...scanned, findings: applied.kept }, notes: [`Baseline: ${describeBaseline(applied, label)}.`] };
}
