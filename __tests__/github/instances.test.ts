// Several HTTPS Guard steps on one pull request (a matrix, two paths): the id input keeps their reports apart.
import { describe, expect, it } from 'vitest';
import { CHECK_NAME } from '../../src/github/check-run';
import { COMMENT_MARKER } from '../../src/github/comment';
import { checkNameFor, commentMarkerFor, MAX_ID_LENGTH, parseInstanceId } from '../../src/github/instance';
import { checkout, type Checkout, openPullRequestOn, runActionFromSource, useFakeGitHub } from './harness';
import { INSECURE_SESSION, NO_REDIRECT, settingsModule } from './settings';

const fake = useFakeGitHub();

const openPullRequest = (c: Checkout) => openPullRequestOn(fake, c);

/** A step of the matrix: one service folder, its own id. */
function step(c: Checkout, id: string, paths: string) {
  return runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: { id, paths } });
}

const ours = () => (fake.comments.get(7) ?? []).filter((x) => x.user.type === 'Bot');
const commentOf = (id: string) => ours().filter((x) => x.body.split('\n')[0] === commentMarkerFor(id));
const runsNamed = (name: string) => [...fake.checkRuns.values()].filter((r) => r.name === name);

const BASE = { 'api/settings.py': settingsModule(), 'web/settings.py': settingsModule() };

describe('two steps with different ids on one pull request', () => {
  it('keep two comments and two check runs, and a re-run edits only its own', async () => {
    const c = checkout(BASE, { 'api/settings.py': settingsModule(INSECURE_SESSION), 'web/settings.py': settingsModule(NO_REDIRECT) });
    const api = await step(c, 'api', 'api');
    const web = await step(c, 'web', 'web');
    expect([api.code, web.code]).toEqual([1, 0]);

    expect(ours()).toHaveLength(2);
    const [apiComment] = commentOf('api');
    const [webComment] = commentOf('web');
    expect(apiComment.body.split('\n').slice(0, 2)).toEqual(['<!-- https-guard:summary:api -->', '## HTTPS Guard \\(api\\)']);
    expect(webComment.body.split('\n')[0]).toBe('<!-- https-guard:summary:web -->');
    expect(apiComment.body).toContain('api/settings\\.py\\:28');
    expect(apiComment.body).not.toContain('web/settings');
    expect(webComment.body).toContain('web/settings\\.py\\:25');

    expect(runsNamed('HTTPS Guard (api)')).toEqual([expect.objectContaining({ head_sha: c.head, conclusion: 'failure' })]);
    expect(runsNamed('HTTPS Guard (web)')).toEqual([expect.objectContaining({ head_sha: c.head, conclusion: 'neutral' })]);
    expect(runsNamed(CHECK_NAME)).toEqual([]);
    expect(api.summary.split('\n')[0]).toBe('## HTTPS Guard \\(api\\)');
    expect(web.summary.split('\n')[0]).toBe('## HTTPS Guard \\(web\\)');

    // The api service is fixed; its step runs again and turns its own comment clean; web's stays as it was.
    const webBody = webComment.body;
    const fixed = checkout(BASE, { 'api/settings.py': settingsModule({ 1: '# Fixed.' }), 'web/settings.py': settingsModule(NO_REDIRECT) });
    const again = await step(fixed, 'api', 'api');
    expect(again.code).toBe(0);
    expect(fake.calls('issues/create-comment')).toHaveLength(2);
    expect(fake.calls('issues/update-comment').map((q) => q.params.comment_id)).toEqual([String(apiComment.id)]);
    expect(commentOf('api')[0].body).toContain('No HTTPS hardening issues found.');
    expect(commentOf('web')[0].body).toBe(webBody);
    expect(runsNamed('HTTPS Guard (api)').map((r) => [r.head_sha, r.conclusion])).toEqual([
      [c.head, 'failure'],
      [fixed.head, 'success'],
    ]);

    // web's own re-run on the new head edits web's comment, not api's.
    await step(fixed, 'web', 'web');
    expect(fake.calls('issues/update-comment').map((q) => q.params.comment_id)).toEqual([String(apiComment.id), String(webComment.id)]);
    expect(ours()).toHaveLength(2);
  });

  it('the default id is today\'s step: marker and check name unchanged, and it never adopts an id\'s comment', async () => {
    const c = checkout(BASE, { 'api/settings.py': settingsModule(INSECURE_SESSION) });
    await step(c, 'api', 'api');
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    expect(ours()).toHaveLength(2);
    const [plain] = commentOf('');
    expect(plain.body.split('\n').slice(0, 2)).toEqual(['<!-- https-guard:summary -->', '## HTTPS Guard']);
    expect(runsNamed('HTTPS Guard')).toHaveLength(1);
    expect(r.summary.split('\n')[0]).toBe('## HTTPS Guard');
    // And an id step does not adopt the default comment: a re-run of each edits nothing else.
    await step(c, 'api', 'api');
    await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(fake.calls('issues/create-comment')).toHaveLength(2);
    expect(fake.calls('issues/update-comment')).toHaveLength(0);
  });

  it('an id that is a prefix of another keeps its own comment', async () => {
    const c = checkout(BASE, { 'api/settings.py': settingsModule(INSECURE_SESSION) });
    await step(c, 'api-v2', 'api');
    await step(c, 'api', 'api');
    expect(fake.calls('issues/create-comment')).toHaveLength(2);
    expect([commentOf('api').length, commentOf('api-v2').length]).toEqual([1, 1]);
  });
});

describe('a hostile or malformed id', () => {
  it.each([
    ['x --><img src=x onerror=alert(1)>', 'input id may hold only letters, digits, ".", "_" and "-" (e.g. "api" or "nginx-edge"); character 2 is U+0020'],
    ['api/web', 'character 4 is U+002F'],
    ['ok😀', 'character 3 is U+1F600'],
    ['a'.repeat(MAX_ID_LENGTH + 1), `input id must be at most ${MAX_ID_LENGTH} characters, got ${MAX_ID_LENGTH + 1}`],
  ])('%j fails the step with a clear error before any API call', async (id, message) => {
    const c = checkout(BASE, { 'api/settings.py': settingsModule(INSECURE_SESSION) });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: { id } });
    expect(r.code).toBe(1);
    const failure = r.stdout.split('\n').find((l) => l.startsWith('::error::'));
    expect(failure).toMatch(/^::error::HTTPS Guard: input id /);
    expect(failure).toContain(message);
    expect(failure).not.toContain('<img');
    expect(fake.requests).toEqual([]);
    expect(r.summary).toBe('');
  });
});

describe('parseInstanceId', () => {
  it('takes plain names, trims blanks, refuses the rest', () => {
    expect(parseInstanceId('')).toEqual({ id: '' });
    expect(parseInstanceId('  \n')).toEqual({ id: '' });
    expect(parseInstanceId(' api.v2_x-1 ')).toEqual({ id: 'api.v2_x-1' });
    expect(parseInstanceId('a'.repeat(MAX_ID_LENGTH))).toEqual({ id: 'a'.repeat(MAX_ID_LENGTH) });
    for (const bad of ['a--><b', 'ä', 'a\nb', '${{ x }}', 'a:b', '(x)']) expect(parseInstanceId(bad)).toHaveProperty('error');
  });

  it('names: the default ones unchanged, an id inside the marker and the check name', () => {
    expect(commentMarkerFor('')).toBe(COMMENT_MARKER);
    expect(COMMENT_MARKER).toBe('<!-- https-guard:summary -->');
    expect(commentMarkerFor('X')).toBe('<!-- https-guard:summary:X -->');
    expect([checkNameFor(''), checkNameFor('X')]).toEqual(['HTTPS Guard', 'HTTPS Guard (X)']);
  });
});
