// Which findings are reported: filter modes, pagination of the files API, its 3000-file cap, push and dispatch.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onlyParseError } from '../cli/helpers';
import { FakeGitHub, type PullFile } from './fake-github';
import { checkout, dispatchEvent, OWNER, pullFiles, pullRequestEvent, pushEvent, REPO, removeTempDirs, runAction, TOKEN, type ActionRun, type Checkout } from './harness';
import { BROKEN_SETTINGS, HSTS_SHORT, INSECURE_SESSION, NO_REDIRECT, settingsModule } from './settings';

const fake = new FakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO });

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});
beforeEach(() => fake.reset());
afterEach(() => expect(fake.problems).toEqual([]));

/** path:line of every reported finding, from the check run's annotations. */
function annotated(): string[] {
  const runs = [...fake.checkRuns.values()];
  expect(runs).toHaveLength(1);
  return runs[0].annotations.map((a) => `${a.path}:${a.start_line}`).sort();
}

function sarifCount(r: ActionRun): number {
  return r.sarif!.runs[0].results.length;
}

describe('filter-mode', () => {
  // app/settings.py: findings on 9 and 11 (far from the change), 25 (context of the hunk), 28 (the added line).
  // other/settings.py: changed on line 1 only, finding on 25. legacy/settings.py: unchanged, finding on 28.
  // old/ is renamed to moved/ unchanged (counts under its new name, no line added); dead/ is deleted.
  let c: Checkout;
  beforeAll(() => {
    c = checkout(
      {
        'app/settings.py': settingsModule({ ...HSTS_SHORT, ...NO_REDIRECT }),
        'other/settings.py': settingsModule(NO_REDIRECT),
        'legacy/settings.py': settingsModule(INSECURE_SESSION),
        'old/settings.py': settingsModule(INSECURE_SESSION),
        'dead/settings.py': settingsModule({ ...NO_REDIRECT, 1: '# Dead.' }),
      },
      {
        'app/settings.py': settingsModule({ ...HSTS_SHORT, ...NO_REDIRECT, ...INSECURE_SESSION }),
        'other/settings.py': settingsModule({ ...NO_REDIRECT, 1: '# Other settings.' }),
        'old/settings.py': null,
        'moved/settings.py': settingsModule(INSECURE_SESSION),
        'dead/settings.py': null,
      },
    );
  });

  const expected = {
    added: ['app/settings.py:28'],
    diff_context: ['app/settings.py:25', 'app/settings.py:28'],
    file: ['app/settings.py:11', 'app/settings.py:25', 'app/settings.py:28', 'app/settings.py:9', 'moved/settings.py:28', 'other/settings.py:25'],
    nofilter: ['app/settings.py:11', 'app/settings.py:25', 'app/settings.py:28', 'app/settings.py:9', 'legacy/settings.py:28', 'moved/settings.py:28', 'other/settings.py:25'],
  };

  it.each(Object.entries(expected))('%s, from the patches of the pull request files API', async (mode, locations) => {
    const files = pullFiles(c);
    expect(files.map((f) => [f.filename, f.status])).toEqual([
      ['app/settings.py', 'modified'],
      ['dead/settings.py', 'removed'],
      ['moved/settings.py', 'renamed'],
      ['other/settings.py', 'modified'],
    ]);
    fake.pulls.set(7, files);
    const event = pullRequestEvent(c, { changedFiles: files.length });
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event, fake, inputs: { 'filter-mode': mode, 'fail-on': 'never' } });
    expect(r.code).toBe(0);
    expect(annotated()).toEqual(locations);
    expect(r.outputs.findings).toBe(String(locations.length));
    expect(sarifCount(r)).toBe(7); // the SARIF file keeps every finding
    // nofilter needs no file list at all.
    expect(fake.calls('pulls/list-files')).toHaveLength(mode === 'nofilter' ? 0 : 1);
  });

  it.each([
    ['added', expected.added],
    ['diff_context', expected.diff_context],
  ])('%s, from git diff in the checkout on push', async (mode, locations) => {
    const r = await runAction({ workspace: c.dir, eventName: 'push', event: pushEvent(c.base, c.head), sha: c.head, fake, inputs: { 'filter-mode': mode, 'fail-on': 'never' } });
    expect(r.code).toBe(0);
    expect(annotated()).toEqual(locations);
    expect(fake.requests.map((q) => q.operationId)).toEqual(['checks/create', 'checks/update']);
  });

  it('judges a file without a patch (too large for the API) as a whole, and says so', async () => {
    fake.pulls.set(
      7,
      pullFiles(c).map((f) => (f.filename === 'app/settings.py' ? { ...f, patch: undefined } : f)),
    );
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c, { changedFiles: 4 }), fake, inputs: { 'filter-mode': 'added', 'fail-on': 'never' } });
    expect(annotated()).toEqual(['app/settings.py:11', 'app/settings.py:25', 'app/settings.py:28', 'app/settings.py:9']);
    expect(r.summary).toContain('No diff is available for app/settings\\.py');
  });

  it('rejects an unknown mode', async () => {
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c), fake, inputs: { 'filter-mode': 'changed' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::HTTPS Guard: input filter-mode must be one of added, diff_context, file, nofilter, got "changed"');
    expect(fake.requests).toEqual([]);
  });
});

/** `n` changed settings files, each with one parse/error finding on line 2, under long folder names. */
function manyBrokenFiles(n: number, folder = (i: number) => `service-${String(i).padStart(4, '0')}-${'x'.repeat(60)}`) {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`${folder(i)}/settings.py`] = BROKEN_SETTINGS;
  return files;
}

describe('pull requests with many files', () => {
  it('reads all pages of a 320-file pull request and cuts the comment under the size limit', async () => {
    const c = checkout({ '.https-guard.json': onlyParseError('high') }, manyBrokenFiles(320));
    const files = pullFiles(c);
    expect(files).toHaveLength(320);
    fake.pulls.set(7, files);
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c, { changedFiles: 320 }), fake });
    expect(r.code).toBe(1);
    expect(r.outputs.findings).toBe('320');
    const pages = fake.calls('pulls/list-files').map((q) => [q.query.per_page, q.query.page ?? '1']);
    expect(pages).toEqual([['100', '1'], ['100', '2'], ['100', '3'], ['100', '4']]);
    const body = fake.comments.get(7)![0].body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/…and \d+ more findings/);
    expect(annotated()).toHaveLength(320);
  });

  it('batches more than 50 annotations, 50 per update, completing the run with the last', async () => {
    const c = checkout({ '.https-guard.json': onlyParseError('medium') }, manyBrokenFiles(120, (i) => `svc${i}`));
    fake.pulls.set(7, pullFiles(c));
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c, { changedFiles: 120 }), fake });
    expect(r.code).toBe(0);
    const updates = fake.calls('checks/update');
    expect(updates.map((u) => u.body.output.annotations.length)).toEqual([50, 50, 20]);
    expect(updates.map((u) => u.body.conclusion)).toEqual([undefined, undefined, 'neutral']);
    expect(fake.calls('checks/create')[0].body.output).toBeUndefined();
    expect(annotated()).toHaveLength(120);
  });

  /** 3100 changed files: 3099 notes and, sorted last, one settings module GitHub's listing never reaches. */
  function hugePullRequest(): { c: Checkout; listed: PullFile[] } {
    const head: Record<string, string> = { 'zz/settings.py': settingsModule(INSECURE_SESSION) };
    for (let i = 0; i < 3099; i++) head[`notes/n${String(i).padStart(4, '0')}.txt`] = `${i}\n`;
    const c = checkout({ 'zz/settings.py': settingsModule() }, head);
    const listed: PullFile[] = Object.keys(head)
      .sort()
      .map((filename) => (filename.endsWith('.txt') ? { filename, status: 'added', additions: 1, patch: `@@ -0,0 +1 @@\n+${filename}` } : { filename, status: 'modified', additions: 1, deletions: 1, patch: '@@ -25,7 +25,7 @@' }) as PullFile);
    return { c, listed };
  }

  it('falls back to git diff when the API stops at 3000 files and the checkout has the history', async () => {
    const { c, listed } = hugePullRequest();
    fake.pulls.set(7, listed);
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(c, { changedFiles: 3100 }), fake });
    expect(fake.calls('pulls/list-files')).toHaveLength(30);
    expect(r.code).toBe(1);
    expect(annotated()).toEqual(['zz/settings.py:28']);
    expect(r.summary).toContain("changes 3100 files; GitHub's API lists only 3000, so the changed files come from git diff in the checkout");
  });

  it('reports every finding, and says why, when the API stops at 3000 files and there is no history', async () => {
    const { c, listed } = hugePullRequest();
    fake.pulls.set(7, listed);
    // The base commit is not in the checkout, as after actions/checkout with its default fetch-depth of 1.
    const shallow = { ...c, base: 'ab'.repeat(20) };
    const r = await runAction({ workspace: c.dir, eventName: 'pull_request', event: pullRequestEvent(shallow, { changedFiles: 3100 }), fake });
    expect(r.code).toBe(1);
    expect(annotated()).toEqual(['zz/settings.py:28']);
    expect(r.summary).toContain('the checkout has no history to diff \\(use actions/checkout with fetch\\-depth\\: 0\\), so every finding in the workspace is reported');
  });
});

describe('push and whole-repository events', () => {
  const base = { 'app/settings.py': settingsModule(), 'legacy/settings.py': settingsModule(INSECURE_SESSION) };
  const head = { 'app/settings.py': settingsModule(NO_REDIRECT) };

  it('push: reports the files changed between before and after, on the pushed commit, without a comment', async () => {
    const c = checkout(base, head);
    const r = await runAction({ workspace: c.dir, eventName: 'push', event: pushEvent(c.base, c.head), sha: c.head, fake });
    expect(r.code).toBe(0);
    expect(annotated()).toEqual(['app/settings.py:25']);
    expect([...fake.checkRuns.values()][0]).toMatchObject({ head_sha: c.head, conclusion: 'neutral' });
    expect(fake.requests.some((q) => q.operationId?.startsWith('issues/'))).toBe(false);
    expect(r.summary).toContain('this push changes');
  });

  it('push without history: asks the compare API', async () => {
    const c = checkout(base, head);
    fake.compares.set(`${c.base}...${c.head}`, pullFiles(c));
    const before = c.base;
    const r = await runAction({ workspace: c.dir, eventName: 'push', event: pushEvent(before, c.head), sha: c.head, fake, env: { GIT_DIR: '/nonexistent' } });
    expect(fake.calls('repos/compare-commits-with-basehead')).toHaveLength(1);
    expect(annotated()).toEqual(['app/settings.py:25']);
    expect(r.summary).toContain('from the compare API');
  });

  it('push of a new branch: the whole repository', async () => {
    const c = checkout(base, head);
    const r = await runAction({ workspace: c.dir, eventName: 'push', event: pushEvent('0'.repeat(40), c.head), sha: c.head, fake });
    expect(r.code).toBe(1);
    expect(annotated()).toEqual(['app/settings.py:25', 'legacy/settings.py:28']);
  });

  it('workflow_dispatch: the whole repository, checked at GITHUB_SHA, no file list, no comment', async () => {
    const c = checkout(base, head);
    const r = await runAction({ workspace: c.dir, eventName: 'workflow_dispatch', event: dispatchEvent(), sha: c.head, fake });
    expect(r.code).toBe(1);
    expect(annotated()).toEqual(['app/settings.py:25', 'legacy/settings.py:28']);
    expect(fake.requests.map((q) => q.operationId)).toEqual(['checks/create', 'checks/update']);
    expect([...fake.checkRuns.values()][0].head_sha).toBe(c.head);
  });
});
