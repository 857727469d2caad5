// A pull request cannot switch its own check off: the base commit's configuration decides, and a weakening is shown.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github';
import { checkout, git, OWNER, pullFiles, pullRequestEvent, REPO, removeTempDirs, runActionFromSource, shallowCopy, tempDir, TOKEN, type Checkout } from './harness';
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
afterEach(() => expect(fake.problems).toEqual([]));

function openPullRequest(c: Checkout) {
  const files = pullFiles(c);
  fake.pulls.set(7, files);
  fake.commits.add(c.head);
  return pullRequestEvent(c, { changedFiles: files.length });
}

const INSECURE = settingsModule(INSECURE_SESSION);

describe('the configuration of a pull request', () => {
  it('is the base commit\'s: a pull request that adds ignore: ["**"] still fails, and the change is reported with what it hides', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': INSECURE, '.https-guard.yml': 'ignore: ["**"]\nfail-on: never\n' });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request_target', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ high: '1', conclusion: 'failure' });
    const body = fake.comments.get(7)![0].body;
    for (const text of [r.summary, body]) {
      expect(text).toContain('This pull request changes the HTTPS Guard configuration \\(\\.https\\-guard\\.yml\\)');
      expect(text).toContain('ignores "\\*\\*"');
      expect(text).toContain('1 finding would not be reported');
      expect(text).toContain('app/settings\\.py\\:28 django/session\\-cookie\\-insecure \\(high\\)');
      expect(text).toContain('1 deployment file would no longer be checked');
    }
    expect(r.stdout).toMatch(/^::warning::HTTPS Guard: This pull request changes the HTTPS Guard configuration/m);
    // git had the base commit: no API call for it.
    expect(fake.calls('repos/get-content')).toHaveLength(0);
  });

  it('uses the base configuration that turns a rule off, and reports a pull request that turns another off', async () => {
    const base = { 'app/settings.py': settingsModule(NO_REDIRECT), '.https-guard.json': JSON.stringify({ rules: { 'django/ssl-redirect-off': 'off' } }) };
    const c = checkout(base, { 'app/settings.py': settingsModule({ ...NO_REDIRECT, ...INSECURE_SESSION }), '.https-guard.json': JSON.stringify({ rules: { 'django/ssl-redirect-off': 'off', 'django/session-cookie-insecure': 'low' } }) });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ findings: '1', high: '1', medium: '0' });
    expect(r.summary).toContain('lowers django/session\\-cookie\\-insecure high → low');
    expect(r.summary).toContain('1 finding would no longer fail the check');
    expect(r.summary).not.toContain('turns off');
  });

  it('says nothing about a pull request that leaves the configuration alone', async () => {
    const cfg = { '.https-guard.yml': 'rules:\n  django/ssl-redirect-off: high\n' };
    const c = checkout({ ...cfg, 'app/settings.py': settingsModule() }, { 'app/settings.py': settingsModule(NO_REDIRECT) });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    expect(r.summary).toContain('Configuration\\: \\.https\\-guard\\.yml of the base commit');
    expect(r.summary).not.toContain('changes the HTTPS Guard configuration');
  });

  it('reads the base configuration through the contents API when the checkout is shallow', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': INSECURE, '.https-guard.yml': 'rules:\n  django/session-cookie-insecure: "off"\n' });
    const shallow = shallowCopy(c);
    fake.contents.set(`${c.base}:.https-guard.yml`, { type: 'file', text: 'fail-on: high\n' });
    const r = await runActionFromSource({ workspace: shallow.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    expect(fake.calls('repos/get-content').map((q) => [q.params.path, q.query.ref])).toEqual([['.https-guard.json', c.base], ['.https-guard.yml', c.base]]);
    expect(r.summary).toContain('turns off django/session\\-cookie\\-insecure');
  });

  it('uses defaults, loudly, when the base configuration is a symbolic link', async () => {
    const c = checkout({ 'app/settings.py': settingsModule(), 'real.yml': 'fail-on: never\n' }, { 'app/settings.py': INSECURE });
    const shallow = shallowCopy(c);
    fake.contents.set(`${c.base}:.https-guard.json`, { type: 'symlink', target: 'real.yml' });
    const r = await runActionFromSource({ workspace: shallow.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    expect(r.summary).toContain('symbolic link \\(never followed\\)');
    expect(r.summary).toContain('default settings are used');
  });

  it('refuses a base configuration committed as a symbolic link (git)', async () => {
    const dir = tempDir('hg-link-');
    git(dir, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(dir, 'lax.yml'), 'fail-on: never\n');
    fs.symlinkSync('lax.yml', path.join(dir, '.https-guard.yml'));
    fs.writeFileSync(path.join(dir, 'settings.py'), settingsModule());
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    const baseSha = git(dir, 'rev-parse', 'HEAD').trim();
    fs.writeFileSync(path.join(dir, 'settings.py'), INSECURE);
    git(dir, 'commit', '-q', '-am', 'head');
    const c = { dir, base: baseSha, head: git(dir, 'rev-parse', 'HEAD').trim() };
    const r = await runActionFromSource({ workspace: dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(r.code).toBe(1);
    expect(r.summary).toContain('\\.https\\-guard\\.yml at the base commit\\: cannot read\\: symbolic link');
  });

  it('reads the config input inside the workspace at the base commit too', async () => {
    const c = checkout({ 'app/settings.py': settingsModule(), 'ci/guard.yml': 'fail-on: high\n' }, { 'app/settings.py': INSECURE, 'ci/guard.yml': 'rules:\n  django/session-cookie-insecure: "off"\n' });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: { config: 'ci/guard.yml' } });
    expect(r.code).toBe(1);
    expect(r.summary).toContain('turns off django/session\\-cookie\\-insecure');
    expect(r.summary).toContain('Configuration\\: ci/guard\\.yml of the base commit');
  });
});

describe('a scan that checks nothing', () => {
  it('says so in the log, the job summary and the comment', async () => {
    const c = checkout({ 'README.md': '# docs\n' }, { 'README.md': '# more docs\n' });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: { 'filter-mode': 'nofilter' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^::warning::HTTPS Guard: No deployment file was checked/m);
    expect(r.summary).toContain('No deployment file was checked');
    expect(r.summary).not.toContain('No HTTPS hardening issues found');
  });
});

describe('the sticky comment', () => {
  it('is never adopted from another bot or a member: only the token\'s own identity', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': INSECURE });
    const other = fake.addComment(7, `${MARKER}\nfake all clear`, { login: 'evil-app[bot]', type: 'Bot' }, 'NONE');
    const member = fake.addComment(7, `${MARKER}\nmember copy`, { login: 'alice', type: 'User' }, 'MEMBER');
    await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(fake.calls('issues/update-comment')).toHaveLength(0);
    const list = fake.comments.get(7)!;
    expect(list.find((x) => x.id === other.id)!.body).toBe(`${MARKER}\nfake all clear`);
    expect(list.find((x) => x.id === member.id)!.body).toBe(`${MARKER}\nmember copy`);
    expect(list.filter((x) => x.user.login === 'github-actions[bot]')).toHaveLength(1);
    // GET /user is refused for an installation token; GraphQL's viewer names the bot.
    expect(fake.calls('users/get-authenticated').map((q) => q.status)).toEqual([403]);
    expect(fake.graphql).toHaveLength(1);
  });

  it('adopts the comment of the personal token\'s user, and of a GitHub App\'s bot', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': INSECURE });
    fake.identity = { user: 'alice' };
    const mine = fake.addComment(7, `${MARKER}\nold`, { login: 'alice', type: 'User' }, 'MEMBER');
    await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(fake.comments.get(7)).toEqual([expect.objectContaining({ id: mine.id, body: expect.stringContaining('**1 finding**') })]);

    fake.reset();
    fake.identity = { viewer: 'acme-guard[bot]' };
    const app = fake.addComment(7, `${MARKER}\nold`, { login: 'acme-guard[bot]', type: 'Bot' }, 'NONE');
    fake.addComment(7, `${MARKER}\nold`, { login: 'github-actions[bot]', type: 'Bot' }, 'NONE');
    await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake });
    expect(fake.calls('issues/update-comment').map((q) => Number(q.params.comment_id))).toEqual([app.id]);
  });
});
