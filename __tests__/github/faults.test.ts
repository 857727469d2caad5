// When GitHub is unkind: 5xx, Retry-After, secondary rate limits, a comment endpoint that never recovers.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github';
import { checkout, OWNER, pullFiles, pullRequestEvent, REPO, removeTempDirs, runAction, TOKEN, tokenLeak, workflowAnnotations, type Checkout } from './harness';
import { INSECURE_SESSION, settingsModule } from './settings';

const fake = new FakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO });
let c: Checkout;

beforeAll(async () => {
  await fake.start();
  c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule(INSECURE_SESSION) });
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});
beforeEach(() => {
  fake.reset();
  fake.pulls.set(7, pullFiles(c));
  fake.commits.add(c.head);
});
afterEach(() => expect(fake.problems).toEqual([]));

/** One "second" of backoff lasts this long here, so waits are measurable but short. */
const SECOND_MS = 40;

function run(env: Record<string, string> = {}) {
  return runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c), fake, env: { HTTPS_GUARD_TEST_SECOND_MS: String(SECOND_MS), ...env } });
}

/** Everything a successful run leaves behind: the verdict, one check run, one comment. */
function expectComplete(r: Awaited<ReturnType<typeof run>>) {
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('::error::HTTPS Guard: 1 finding (1 high) at or above fail-on "high"');
  expect([...fake.checkRuns.values()].map((x) => [x.conclusion, x.annotations.length])).toEqual([['failure', 1]]);
  expect(fake.comments.get(7)).toHaveLength(1);
  expect(r.stdout).not.toMatch(/^::warning::/m);
}

function gaps(operationId: string): number[] {
  const at = fake.calls(operationId).map((q) => q.at);
  return at.slice(1).map((t, i) => t - at[i]);
}

describe('transient server errors', () => {
  it('retries 502s on the file list with backoff and carries on', async () => {
    fake.fail('pulls/list-files', { status: 502, times: 2, message: 'Server Error' });
    const r = await run();
    expectComplete(r);
    expect(fake.calls('pulls/list-files').map((q) => q.status)).toEqual([502, 502, 200]);
    // plugin-retry waits 1, then 4 "seconds".
    const [first, second] = gaps('pulls/list-files');
    expect(first).toBeGreaterThanOrEqual(SECOND_MS);
    expect(second).toBeGreaterThanOrEqual(4 * SECOND_MS);
  });

  it('honours Retry-After on a 503', async () => {
    fake.fail('checks/create', { status: 503, times: 1, headers: { 'retry-after': '5' }, message: 'Service Unavailable' });
    const r = await run();
    expectComplete(r);
    expect(fake.calls('checks/create').map((q) => q.status)).toEqual([503, 201]);
    expect(gaps('checks/create')[0]).toBeGreaterThanOrEqual(5 * SECOND_MS);
    expect(fake.checkRuns.size).toBe(1);
  });

  it('does not wait for a Retry-After beyond its limit: the check run falls back to workflow commands', async () => {
    fake.fail('checks/create', { status: 503, times: Infinity, headers: { 'retry-after': '3600' } });
    const r = await run();
    expect(r.code).toBe(1);
    expect(fake.calls('checks/create')).toHaveLength(1);
    expect(r.stdout).toMatch(/^::warning::HTTPS Guard: could not create the check run \(HTTP 503: .*not waiting that long/m);
    expect(workflowAnnotations(r.stdout)).toEqual([{ level: 'error', file: 'app/settings.py', line: 28 }]);
    expect(r.summary).toContain('The check run could not be created');
    expect(fake.comments.get(7)).toHaveLength(1);
  });

  it('retries a failed comment creation only after looking again for the comment', async () => {
    fake.fail('issues/create-comment', { status: 503, times: 2 });
    const r = await run();
    expectComplete(r);
    expect(fake.calls('issues/create-comment').map((q) => q.status)).toEqual([503, 503, 201]);
    expect(fake.requests.filter((q) => q.operationId?.startsWith('issues/')).map((q) => q.operationId)).toEqual([
      'issues/list-comments',
      'issues/create-comment',
      'issues/list-comments',
      'issues/create-comment',
      'issues/list-comments',
      'issues/create-comment',
    ]);
  });

  it('retries a secondary rate limit (403 with Retry-After) through the throttling plugin', async () => {
    fake.fail('issues/list-comments', { status: 403, times: 1, headers: { 'retry-after': '3' }, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' });
    const r = await run();
    expect(fake.calls('issues/list-comments').map((q) => q.status)).toEqual([403, 200]);
    expect(gaps('issues/list-comments')[0]).toBeGreaterThanOrEqual(3 * SECOND_MS);
    expect(r.stdout).toMatch(/^::warning::GitHub secondary rate limit on GET .*: retrying in 3 s\./m);
    expect(fake.comments.get(7)).toHaveLength(1);
  });
});

describe('a check run that cannot be completed', () => {
  it('annotates with workflow commands after the retries, and still tries to close the run', async () => {
    fake.fail('checks/update', { status: 500, times: Infinity });
    const r = await run();
    expect(r.code).toBe(1);
    expect(fake.calls('checks/create')).toHaveLength(1);
    // The batch (1 + 3 retries), then one more attempt to complete the run (1 + 3 retries).
    expect(fake.calls('checks/update').map((q) => q.body.conclusion)).toEqual([...Array(8).fill('failure')]);
    expect(r.stdout).toMatch(/^::warning::HTTPS Guard: could not complete the check run \(HTTP 500/m);
    expect(workflowAnnotations(r.stdout)).toEqual([{ level: 'error', file: 'app/settings.py', line: 28 }]);
    expect(r.summary).toContain('The check run could not be completed');
  });
});

describe('a comment endpoint that never recovers', () => {
  it('warns, and the verdict, check run, summary and SARIF are intact', async () => {
    fake.fail('issues/create-comment', { status: 500, times: Infinity, message: 'Internal Server Error' });
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::HTTPS Guard: 1 finding (1 high) at or above fail-on "high"');
    expect(r.stdout).toMatch(/^::warning::HTTPS Guard: could not post the pull request comment \(HTTP 500: Internal Server Error\b/m);
    expect(r.stdout).not.toContain('internal error');
    // 1 try + 3 retries, each after looking for the comment again.
    expect(fake.calls('issues/create-comment')).toHaveLength(4);
    expect(fake.comments.get(7) ?? []).toEqual([]);
    expect([...fake.checkRuns.values()][0].annotations).toHaveLength(1);
    expect(r.summary).toContain('app/settings\\.py\\:28');
    expect(r.sarif!.runs[0].results).toHaveLength(1);
    expect(r.outputs).toMatchObject({ findings: '1', conclusion: 'failure' });
    expect(tokenLeak(r)).toBeUndefined();
  });
});
