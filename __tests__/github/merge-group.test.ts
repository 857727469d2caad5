// Merge queues: a merge_group run judges the group's diff by the base commit's configuration, on the group's head.
import { describe, expect, it } from 'vitest';
import { type ActionRun, checkout, mergeGroupEvent, pullFiles, pushEvent, runActionFromSource, shallowCopy, tokenLeak, useFakeGitHub, workflowAnnotations } from './harness';
import { INSECURE_SESSION, NO_REDIRECT, settingsModule } from './settings';

const fake = useFakeGitHub();

/** path:line of every reported finding, from the one check run's annotations. */
function annotated(): string[] {
  const runs = [...fake.checkRuns.values()];
  expect(runs).toHaveLength(1);
  return runs[0].annotations.map((a) => `${a.path}:${a.start_line}`).sort();
}

// legacy/ has a high finding the group does not touch; the group changes app/ (a medium finding on line 25).
const BASE = { 'app/settings.py': settingsModule(), 'legacy/settings.py': settingsModule(INSECURE_SESSION) };
const HEAD = { 'app/settings.py': settingsModule(NO_REDIRECT) };

function noComment(r: ActionRun): void {
  expect(fake.requests.some((q) => q.operationId?.startsWith('issues/'))).toBe(false);
  expect(r.stdout).not.toContain('pull request comment');
}

describe('merge_group', () => {
  it('with history: reports the files git diff base..head lists, on the group head, without a comment or an API diff', async () => {
    const c = checkout(BASE, HEAD);
    fake.commits.add(c.head);
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'merge_group', event: mergeGroupEvent(c.base, c.head), sha: c.head, fake });
    expect(r.code).toBe(0);
    expect(annotated()).toEqual(['app/settings.py:25']);
    expect([...fake.checkRuns.values()][0]).toMatchObject({ name: 'HTTPS Guard', head_sha: c.head, conclusion: 'neutral' });
    expect(fake.calls('repos/compare-commits-with-basehead')).toHaveLength(0);
    // The base commit's configuration came from git: no contents API call either.
    expect(fake.calls('repos/get-content')).toHaveLength(0);
    noComment(r);
    expect(r.summary).toContain('Reported\\: findings in the 1 file this merge group changes');
    expect(r.summary).toContain(`Results for commit ${c.head.slice(0, 7)}`);
    expect(r.sarif!.runs[0].results).toHaveLength(2);
    expect(tokenLeak(r)).toBeUndefined();
  });

  it('filter-mode added narrows to the lines the group adds', async () => {
    // The group adds line 28 (high); line 25's finding is in the base already and only context of the hunk.
    const c = checkout({ 'app/settings.py': settingsModule(NO_REDIRECT) }, { 'app/settings.py': settingsModule({ ...NO_REDIRECT, ...INSECURE_SESSION }) });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'merge_group', event: mergeGroupEvent(c.base, c.head), sha: c.head, fake, inputs: { 'filter-mode': 'added' } });
    expect(r.code).toBe(1);
    expect(annotated()).toEqual(['app/settings.py:28']);
  });

  it('shallow checkout: the changed files come from the compare API with the token', async () => {
    const c = checkout(BASE, HEAD);
    fake.compares.set(`${c.base}...${c.head}`, pullFiles(c));
    const shallow = shallowCopy(c);
    const r = await runActionFromSource({ workspace: shallow.dir, eventName: 'merge_group', event: mergeGroupEvent(c.base, c.head), sha: c.head, fake });
    expect(r.code).toBe(0);
    expect(fake.calls('repos/compare-commits-with-basehead').map((q) => q.params.basehead)).toEqual([`${c.base}...${c.head}`]);
    expect(annotated()).toEqual(['app/settings.py:25']);
    expect([...fake.checkRuns.values()][0].head_sha).toBe(c.head);
    expect(r.summary).toContain('The changed files come from the compare API');
    // The base commit is not in the checkout: its configuration is asked of the contents API at base_sha.
    const refs = fake.calls('repos/get-content').map((q) => q.query.ref);
    expect(refs.length).toBeGreaterThan(0);
    expect(new Set(refs)).toEqual(new Set([c.base]));
    noComment(r);
  });

  it('shallow checkout and a failing compare API: every finding, and the summary says why', async () => {
    const c = checkout(BASE, HEAD);
    fake.fail('repos/compare-commits-with-basehead', { status: 404, times: 1, message: 'Not Found' });
    const r = await runActionFromSource({ workspace: shallowCopy(c).dir, eventName: 'merge_group', event: mergeGroupEvent(c.base, c.head), sha: c.head, fake });
    expect(r.code).toBe(1);
    expect(annotated()).toEqual(['app/settings.py:25', 'legacy/settings.py:28']);
    expect(r.stdout).toMatch(/^::warning::HTTPS Guard: could not compare/m);
    expect(r.summary).toContain('the compare API failed');
  });

  it('without a token and without history: scans everything, says so, calls no API', async () => {
    const c = checkout(BASE, HEAD);
    const r = await runActionFromSource({ workspace: shallowCopy(c).dir, eventName: 'merge_group', event: mergeGroupEvent(c.base, c.head), sha: c.head, fake, inputs: { 'github-token': '' } });
    expect(fake.requests).toEqual([]);
    expect(r.code).toBe(1);
    expect(workflowAnnotations(r.stdout).map((a) => `${a.file}:${a.line}`).sort()).toEqual(['app/settings.py:25', 'legacy/settings.py:28']);
    expect(r.summary).toContain('Reported\\: every finding in the workspace\\.');
    expect(r.summary).toContain(
      "The merge group's changes are unknown \\(no history in the checkout and no github\\-token for the compare API; use actions/checkout with fetch\\-depth\\: 0\\), so every finding in the workspace is reported\\.",
    );
    // Nor can the base configuration be read: defaults, with a warning, never the group's own file.
    expect(r.summary).toContain("The base commit's configuration could not be read");
    expect(r.stdout).not.toContain('pull request comment');
  });

  it("uses the base commit's configuration: a queued change that ignores everything still fails, and is shown", async () => {
    const c = checkout({ ...BASE, '.https-guard.yml': 'fail-on: high\n' }, { 'app/settings.py': settingsModule(INSECURE_SESSION), '.https-guard.yml': 'ignore: ["**"]\nfail-on: never\n' });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'merge_group', event: mergeGroupEvent(c.base, c.head), sha: c.head, fake });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ high: '1', conclusion: 'failure' });
    expect(annotated()).toEqual(['app/settings.py:28']);
    expect(r.summary).toContain('This merge group changes the HTTPS Guard configuration \\(\\.https\\-guard\\.yml\\)');
    expect(r.summary).toContain(`Configuration\\: \\.https\\-guard\\.yml of the base commit ${c.base.slice(0, 7)}, as for code owners; a change to it in this merge group takes effect once merged\\.`);
    noComment(r);
  });

  it('push takes the same path and keeps its own words', async () => {
    const c = checkout(BASE, HEAD);
    const r = await runActionFromSource({ workspace: shallowCopy(c).dir, eventName: 'push', event: pushEvent(c.base, c.head), sha: c.head, fake, inputs: { 'github-token': '' } });
    expect(r.code).toBe(1);
    expect(r.summary).toContain('The pushed changes are unknown \\(no history in the checkout; use actions/checkout with fetch\\-depth\\: 0\\)');
    const withHistory = await runActionFromSource({ workspace: c.dir, eventName: 'push', event: pushEvent(c.base, c.head), sha: c.head, fake });
    expect(withHistory.code).toBe(0);
    expect(annotated()).toEqual(['app/settings.py:25']);
    expect(withHistory.summary).toContain('this push changes');
  });

  it('a payload without base_sha: the whole repository at the group head', async () => {
    const c = checkout(BASE, HEAD);
    const event = mergeGroupEvent(c.base, c.head);
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'merge_group', event: { ...event, merge_group: { ...event.merge_group, base_sha: null } }, sha: c.head, fake });
    expect(r.code).toBe(1);
    expect(annotated()).toEqual(['app/settings.py:25', 'legacy/settings.py:28']);
    expect([...fake.checkRuns.values()][0].head_sha).toBe(c.head);
  });
});
