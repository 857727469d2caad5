// The action on pull requests: check run, sticky comment, job summary, SARIF, verdict; forks and read-only tokens.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github';
import { checkout, MERGE_SHA, OWNER, pullFiles, pullRequestEvent, REPO, removeTempDirs, runAction, shallowCopy, TOKEN, tokenLeak, workflowAnnotations, type Checkout } from './harness';
import { INSECURE_SESSION, NO_REDIRECT, settingsModule } from './settings';

const MARKER = '<!-- https-guard:summary -->';
const fake = new FakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO });

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});
beforeEach(() => fake.reset());
afterEach(() => {
  // Every request the action sent must be one GitHub would accept.
  expect(fake.problems).toEqual([]);
});

/** A pull request against the fake: its files listed from the checkout, its commits known. */
function openPullRequest(c: Checkout, number = 7) {
  const files = pullFiles(c);
  fake.pulls.set(number, files);
  fake.commits.add(c.head);
  return pullRequestEvent(c, { number, changedFiles: files.length });
}

const SPLIT_BASE = {
  'proj/settings/base.py': settingsModule(),
  'proj/settings/production.py': 'from .base import *  # noqa\n\nDEBUG = False\n',
  'proj/settings/__init__.py': '',
};

describe('a pull request with findings', () => {
  it('fails the step, posts one comment and a check run annotated on the exact lines of the head commit', async () => {
    // The PR changes only production.py; the finding needs base.py (sessions in use) to exist: context, not diff.
    const c = checkout(SPLIT_BASE, {
      'proj/settings/production.py': 'from .base import *  # noqa\n\nDEBUG = False\nSESSION_COOKIE_SECURE = False\nSECURE_SSL_REDIRECT = False\n',
    });
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });

    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::HTTPS Guard: 1 finding (1 high) at or above fail-on "high"');
    expect(r.outputs).toMatchObject({ findings: '2', high: '1', medium: '0', low: '1', info: '0', conclusion: 'failure', 'sarif-file': 'https-guard.sarif' });

    const [run] = [...fake.checkRuns.values()];
    expect(fake.checkRuns.size).toBe(1);
    expect(run).toMatchObject({ name: 'HTTPS Guard', head_sha: c.head, status: 'completed', conclusion: 'failure' });
    expect(run.head_sha).not.toBe(MERGE_SHA);
    expect(run.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ['proj/settings/production.py', 4, 'failure'],
      ['proj/settings/production.py', 5, 'notice'],
    ]);
    const [high] = run.annotations;
    expect(high.title).toContain('django/session-cookie-insecure');
    expect(high.message).toContain('Set SESSION_COOKIE_SECURE = True');
    expect(high.raw_details).toMatch(/^https:\/\/.+\/docs\/rules\/django\/session-cookie-insecure\.md$/);
    expect(run.output.title).toBe('2 findings (1 high, 1 low)');
    expect(fake.calls('checks/create')[0].body).toMatchObject({ status: 'in_progress' });
    expect(fake.calls('checks/update')).toHaveLength(1);

    const comments = fake.comments.get(7)!;
    expect(comments).toHaveLength(1);
    const body = comments[0].body;
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body).toContain('**2 findings**');
    expect(body).toContain(`[proj/settings/production\\.py\\:4](https://github.com/${OWNER}/${REPO}/blob/${c.head}/proj/settings/production.py#L4)`);
    expect(body).toContain('[django/session\\-cookie\\-insecure](https://');
    expect(body).toContain('filter\\-mode\\: file');

    expect(r.summary).toContain('## HTTPS Guard');
    expect(r.summary).toContain(`/blob/${c.head}/proj/settings/production.py#L5`);
    expect(r.sarif!.runs[0].results.map((x) => x.ruleId).sort()).toEqual(['django/session-cookie-insecure', 'django/ssl-redirect-off/low']);
    expect(tokenLeak(r)).toBeUndefined();
    // Every API call carried the token; nothing else is needed from the environment.
    expect(fake.requests.every((q) => q.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('edits the same comment on a re-run, found among 150 other comments, and never posts a second one', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule(INSECURE_SESSION) });
    const event = openPullRequest(c);
    for (let i = 0; i < 150; i++) fake.addComment(7, i === 120 ? `${MARKER} quoted by a person` : `comment ${i}`);
    const first = await runAction({ workspace: c.dir, eventName: 'pull_request', event, fake });
    expect(first.code).toBe(1);
    // An outsider's comment that starts with the marker is not ours: a bot comment is created once.
    expect(fake.calls('issues/create-comment')).toHaveLength(1);
    const ours = fake.comments.get(7)!.filter((x) => x.user.type === 'Bot');
    expect(ours).toHaveLength(1);

    // Synchronize: the head changes (medium finding added); the comment is found on page 2 and edited.
    const again = await runAction({ workspace: c.dir, eventName: 'pull_request', event: { ...event, action: 'synchronize' }, fake });
    expect(again.code).toBe(1);
    expect(fake.calls('issues/create-comment')).toHaveLength(1);
    expect(fake.calls('issues/update-comment')).toHaveLength(0); // same body: nothing to write
    const pages = fake.calls('issues/list-comments').map((q) => q.query.page ?? '1');
    expect(pages).toEqual(['1', '2', '1', '2']);

    const c2 = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule({ ...INSECURE_SESSION, ...NO_REDIRECT }) });
    fake.pulls.set(7, pullFiles(c2));
    fake.commits.add(c2.head);
    const third = await runAction({ workspace: c2.dir, eventName: 'pull_request', event: pullRequestEvent(c2, { action: 'synchronize' }), fake });
    expect(third.outputs.findings).toBe('2');
    expect(fake.calls('issues/create-comment')).toHaveLength(1);
    expect(fake.calls('issues/update-comment')).toHaveLength(1);
    expect(fake.calls('issues/update-comment')[0].params.comment_id).toBe(String(ours[0].id));
    expect(ours[0].body).toContain('**2 findings**');
    expect(fake.comments.get(7)!.filter((x) => x.body.startsWith(MARKER) && x.user.type === 'Bot')).toHaveLength(1);
  });
});

describe('a clean pull request', () => {
  it('passes with a successful check run and no comment', async () => {
    const c = checkout({ 'app/settings.py': settingsModule(INSECURE_SESSION) }, { 'app/settings.py': settingsModule() });
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ findings: '0', conclusion: 'success' });
    expect([...fake.checkRuns.values()][0]).toMatchObject({ conclusion: 'success', annotations: [] });
    expect(fake.calls('issues/create-comment')).toHaveLength(0);
    expect(fake.comments.get(7) ?? []).toEqual([]);
    expect(r.summary).toContain('No HTTPS hardening issues found.');
  });

  it('edits the comment of a pull request that had findings to say it is clean now', async () => {
    const dirty = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule(INSECURE_SESSION) });
    expect((await runAction({ workspace: dirty.dir, eventName: 'pull_request', event: openPullRequest(dirty), fake })).code).toBe(1);
    const fixed = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule({ 1: '# Fixed.' }) });
    const r = await runAction({ workspace: fixed.dir, eventName: 'pull_request', event: openPullRequest(fixed), fake });
    expect(r.code).toBe(0);
    const comments = fake.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('**0 findings**');
    expect(comments[0].body).toContain('No HTTPS hardening issues found.');
    expect(comments[0].body).toContain(fixed.head.slice(0, 7));
    expect(fake.calls('issues/update-comment')).toHaveLength(1);
  });
});

describe('a pull request from a fork with a read-only token', () => {
  it('warns instead of commenting, annotates with workflow commands, keeps summary and SARIF, fails on high', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule({ ...INSECURE_SESSION, ...NO_REDIRECT }) });
    const event = pullRequestEvent(c, { fork: true, changedFiles: 1 });
    fake.pulls.set(7, pullFiles(c));
    const denied = { status: 403, times: Infinity, message: 'Resource not accessible by integration' };
    fake.fail('checks/create', denied);
    fake.fail('issues/create-comment', denied);
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event, fake });

    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::HTTPS Guard: 1 finding (1 high) at or above fail-on "high"');
    expect(r.stdout).toMatch(/^::warning::HTTPS Guard: could not create the check run \(HTTP 403: Resource not accessible by integration/m);
    expect(r.stdout).toMatch(/^::warning::HTTPS Guard: could not post the pull request comment \(HTTP 403: Resource not accessible by integration.*read-only/m);
    expect(workflowAnnotations(r.stdout)).toEqual([
      { level: 'error', file: 'app/settings.py', line: 28 },
      { level: 'notice', file: 'app/settings.py', line: 25 },
    ]);
    expect(r.stdout).toMatch(/^::error title=HTTPS Guard%3A django\/session-cookie-insecure,file=app\/settings\.py,line=28,/m);
    expect(r.summary).toContain('GitHub shows only the first ten annotations of each level');
    expect(r.summary).toContain('app/settings\\.py\\:28');
    expect(r.summary).toContain('app/settings\\.py\\:25');
    expect(r.sarif!.runs[0].results).toHaveLength(2);
    expect(fake.calls('checks/create')).toHaveLength(1); // a 403 is not retried
    expect(fake.calls('issues/create-comment')).toHaveLength(1);
    expect(tokenLeak(r)).toBeUndefined();
  });
});

describe('pull_request_target', () => {
  it('reports on the pull request head even though the checkout is the base branch merge', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule(INSECURE_SESSION) });
    const r = await runAction({ workspace: shallowCopy(c).dir, eventName: 'pull_request_target', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    expect([...fake.checkRuns.values()][0].head_sha).toBe(c.head);
    expect(fake.comments.get(7)).toHaveLength(1);
  });
});

describe('text from the repository in the comment and the summary', () => {
  it('escapes a file name full of Markdown and HTML, and encodes it in the link', async () => {
    const evil = 'config/[x](y)|*_@octocat<b>`#1`.py';
    const c = checkout({ [evil]: settingsModule() }, { [evil]: settingsModule(INSECURE_SESSION) });
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    const [run] = [...fake.checkRuns.values()];
    expect(run.annotations.map((a) => a.path)).toEqual([evil]);
    const url = `https://github.com/${OWNER}/${REPO}/blob/${c.head}/config/%5Bx%5D%28y%29%7C%2A_%40octocat%3Cb%3E%60%231%60.py#L28`;
    for (const text of [fake.comments.get(7)![0].body, r.summary]) {
      const row = text.split('\n').find((l) => l.includes('octocat'))!;
      expect(row).toBe(
        // A joiner after @ (and after # before a digit) breaks the mention and the issue reference.
        `| [config/\\[x\\]\\(y\\)\\|\\*\\_@\u200doctocat&lt;b&gt;\\\`\\#\u200d1\\\`\\.py\\:28](${url}) | 🔴 high | ` +
          '[django/session\\-cookie\\-insecure](https://github.com/https-guard/https-guard/blob/main/docs/rules/django/session-cookie-insecure.md) | ' +
          'SESSION\\_COOKIE\\_SECURE is False\\: the session cookie is also sent over plain HTTP, where anyone on the network can steal the session\\. |',
      );
      // Four cells: every other | is escaped.
      expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6);
      expect(text).not.toMatch(/<b>|@octocat/);
    }
  });
});

describe('inputs and tokens', () => {
  it('comment: false and annotations: false turn those channels off', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule(INSECURE_SESSION) });
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: { comment: 'false', annotations: 'false' } });
    expect(r.code).toBe(1);
    expect(fake.requests.map((q) => q.operationId)).toEqual(['pulls/list-files']);
    expect(workflowAnnotations(r.stdout)).toEqual([]);
    expect(r.summary).toContain('app/settings\\.py\\:28');
  });

  it('without a token: no API call, changed files from git, workflow-command annotations', async () => {
    const c = checkout({ 'app/settings.py': settingsModule(), 'legacy/settings.py': settingsModule(INSECURE_SESSION) }, { 'app/settings.py': settingsModule(NO_REDIRECT) });
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: { 'github-token': '' } });
    expect(fake.requests).toEqual([]);
    expect(r.code).toBe(0);
    expect(workflowAnnotations(r.stdout)).toEqual([{ level: 'notice', file: 'app/settings.py', line: 25 }]);
    expect(r.stdout).toContain('::warning::HTTPS Guard: no github-token, so no pull request comment.');
    expect(r.summary).toContain('The changed files come from git diff in the checkout');
  });

  it('reuses a comment a repository member posted with a personal token', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule(INSECURE_SESSION) });
    fake.identity = { user: 'alice' };
    const mine = fake.addComment(7, `${MARKER}\nold report`, { login: 'alice', type: 'User' }, 'MEMBER');
    await runAction({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(fake.calls('issues/create-comment')).toHaveLength(0);
    expect(fake.comments.get(7)).toEqual([expect.objectContaining({ id: mine.id, body: expect.stringContaining('**1 finding**') })]);
  });
});

describe('GitHub Enterprise Server', () => {
  it('uses GITHUB_API_URL with its /api/v3 path and GITHUB_SERVER_URL for links', async () => {
    const ghes = await new FakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO, prefix: '/api/v3' }).start();
    try {
      const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule(INSECURE_SESSION) });
      ghes.pulls.set(7, pullFiles(c));
      const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c), fake: ghes, env: { GITHUB_SERVER_URL: 'https://ghe.example.com/' } });
      expect(ghes.problems).toEqual([]);
      expect(ghes.requests.length).toBeGreaterThan(3);
      expect(r.summary).toContain(`(https://ghe.example.com/${OWNER}/${REPO}/blob/${c.head}/app/settings.py#L28)`);
      expect(ghes.comments.get(7)).toHaveLength(1);
    } finally {
      await ghes.close();
    }
  });
});
