// What the action reads from the runner: event name, payload, repository and URLs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changeName, commitOf, configBaseOf, readGitHubRun } from '../../src/github/event';
import { blobUrl } from '../../src/github/links';
import { removeTempDirs, tempDir } from './harness';

afterAll(removeTempDirs);

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function env(eventName: string, payload: unknown, more: Record<string, string> = {}) {
  const file = path.join(tempDir('hg-event-'), 'event.json');
  fs.writeFileSync(file, JSON.stringify(payload));
  return { GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: file, GITHUB_SHA: 'c'.repeat(40), ...more };
}

const pr = (headRepo: unknown) => ({ pull_request: { number: 3, changed_files: 12, head: { sha: B, repo: headRepo }, base: { sha: A, repo: { full_name: 'acme/shop' } } } });

describe('readGitHubRun', () => {
  it('is undefined outside Actions', () => {
    expect(readGitHubRun({})).toBeUndefined();
    expect(readGitHubRun({ GITHUB_REPOSITORY: 'acme/shop' })).toBeUndefined();
  });

  it('reads a pull request: head and base, file count, fork or not', () => {
    const run = readGitHubRun(env('pull_request', pr({ full_name: 'acme/shop' })))!;
    expect(run).toMatchObject({ eventName: 'pull_request', repo: { owner: 'acme', repo: 'shop' }, apiUrl: 'https://api.github.com', serverUrl: 'https://github.com' });
    expect(run.target).toEqual({ kind: 'pull_request', number: 3, headSha: B, baseSha: A, changedFiles: 12, fork: false });
    expect(commitOf(run.target)).toBe(B);
    expect(readGitHubRun(env('pull_request_target', pr({ full_name: 'mallory/shop' })))!.target).toMatchObject({ fork: true });
    // A deleted fork leaves head.repo null.
    expect(readGitHubRun(env('pull_request', pr(null)))!.target).toMatchObject({ fork: true });
  });

  it('reads a push; a new branch (before all zeros) and a deleted one are whole-repository runs', () => {
    expect(readGitHubRun(env('push', { before: A, after: B }))!.target).toEqual({ kind: 'push', before: A, after: B });
    expect(readGitHubRun(env('push', { before: '0'.repeat(40), after: B }))!.target).toEqual({ kind: 'push', before: undefined, after: B });
    expect(readGitHubRun(env('push', { before: A, after: '0'.repeat(40) }))!.target).toEqual({ kind: 'repository', sha: 'c'.repeat(40) });
  });

  it('reads a merge group: base and head of the queued commit; without a base, the whole repository at the head', () => {
    const target = readGitHubRun(env('merge_group', { merge_group: { base_sha: A, head_sha: B.toUpperCase(), base_ref: 'refs/heads/main' } }))!.target;
    expect(target).toEqual({ kind: 'merge_group', baseSha: A, headSha: B });
    expect([commitOf(target), configBaseOf(target), changeName(target)]).toEqual([B, A, 'merge group']);
    expect(readGitHubRun(env('merge_group', { merge_group: { head_sha: B } }))!.target).toEqual({ kind: 'repository', sha: B });
    expect(readGitHubRun(env('merge_group', { merge_group: { base_sha: '0'.repeat(40), head_sha: B } }))!.target).toEqual({ kind: 'repository', sha: B });
    expect(readGitHubRun(env('merge_group', { merge_group: { base_sha: A, head_sha: 'main' } }))!.target).toEqual({ kind: 'repository', sha: 'c'.repeat(40) });
    // Pushes keep the workspace's configuration; only reviewed changes are judged by their base's.
    expect(configBaseOf({ kind: 'push', before: A, after: B })).toBeUndefined();
  });

  it('treats other events, and payloads it cannot read, as the whole repository at GITHUB_SHA', () => {
    expect(readGitHubRun(env('schedule', {}))!.target).toEqual({ kind: 'repository', sha: 'c'.repeat(40) });
    expect(readGitHubRun(env('pull_request', { pull_request: { number: 'x' } }))!.target).toEqual({ kind: 'repository', sha: 'c'.repeat(40) });
    expect(readGitHubRun({ ...env('push', {}), GITHUB_EVENT_PATH: '/nonexistent.json' })!.target.kind).toBe('repository');
  });

  it('takes API and server URLs from the environment, without a trailing slash', () => {
    const run = readGitHubRun(env('schedule', {}, { GITHUB_API_URL: 'https://ghe.example.com/api/v3/', GITHUB_SERVER_URL: 'https://ghe.example.com/' }))!;
    expect([run.apiUrl, run.serverUrl]).toEqual(['https://ghe.example.com/api/v3', 'https://ghe.example.com']);
  });
});

describe('blobUrl', () => {
  it('percent-encodes every path segment, parentheses included', () => {
    expect(blobUrl('https://github.com', { owner: 'acme', repo: 'shop' }, B, 'a b/[x](y)|*_@o<b>#%.py', 0)).toBe(
      `https://github.com/acme/shop/blob/${B}/a%20b/%5Bx%5D%28y%29%7C%2A_%40o%3Cb%3E%23%25.py#L1`,
    );
  });
});
