// The fake is only as good as its refusals: it must reject what GitHub's REST description rejects.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github';

const TOKEN = 'test-token';
const fake = new FakeGitHub({ token: TOKEN });

beforeAll(async () => {
  await fake.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function call(method: string, path: string, body?: unknown, token = TOKEN) {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any, link: res.headers.get('link') };
}

const annotation = { path: 'a.py', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'm' };

describe('requests GitHub would reject are refused and recorded', () => {
  it.each([
    ['an undocumented route', 'GET', '/repos/acme/shop/pulls/7/filez', undefined, 400, /no such operation/],
    ['a wrong method', 'DELETE', '/repos/acme/shop/check-runs', undefined, 400, /no such operation/],
    ['a non-integer path parameter', 'PATCH', '/repos/acme/shop/check-runs/abc', { status: 'queued' }, 400, /check_run_id must be an integer/],
    ['an unknown query parameter', 'GET', '/repos/acme/shop/pulls/7/files?perpage=100', undefined, 400, /unknown query parameter perpage/],
    ['a missing required field', 'POST', '/repos/acme/shop/check-runs', { name: 'x' }, 422, /must have required property 'head_sha'/],
    ['a wrong type', 'POST', '/repos/acme/shop/check-runs', { name: 'x', head_sha: 1 }, 422, /head_sha must be string/],
    ['a value outside an enum', 'POST', '/repos/acme/shop/check-runs', { name: 'x', head_sha: 'a', conclusion: 'ok' }, 422, /must be equal to one of the allowed values/],
    ['51 annotations in one request', 'POST', '/repos/acme/shop/check-runs', { name: 'x', head_sha: 'a', output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) } }, 422, /must NOT have more than 50 items/],
    ['an annotation without its level', 'PATCH', '/repos/acme/shop/check-runs/1', { output: { summary: 's', annotations: [{ ...annotation, annotation_level: undefined }] } }, 422, /annotation_level/],
    ['completed without a conclusion', 'PATCH', '/repos/acme/shop/check-runs/1', { status: 'completed' }, 422, /conclusion/],
    ['a comment without a body', 'POST', '/repos/acme/shop/issues/7/comments', { text: 'hi' }, 422, /must have required property 'body'/],
    ['a comment over 65,536 characters', 'POST', '/repos/acme/shop/issues/7/comments', { body: 'x'.repeat(65_537) }, 422, /Body is too long/],
    ['columns on a multi-line annotation', 'PATCH', '/repos/acme/shop/check-runs/1', { output: { summary: 's', annotations: [{ ...annotation, end_line: 2, start_column: 1, end_column: 2 }] } }, 422, /columns/],
    ['another repository', 'GET', '/repos/evil/shop/pulls/7/files', undefined, 404, /unknown repository/],
  ])('%s', async (_name, method, path, body, status, problem) => {
    const r = await call(method, path, body);
    expect(r.status).toBe(status);
    expect(fake.problems).toHaveLength(1);
    expect(fake.problems[0]).toMatch(problem);
  });

  it('a wrong token', async () => {
    expect((await call('GET', '/repos/acme/shop/issues/7/comments', undefined, 'nope')).status).toBe(401);
    expect(fake.problems).toEqual([expect.stringMatching(/Bad credentials/)]);
  });
});

describe('valid requests are served like GitHub', () => {
  it('creates and updates a check run, appending annotations', async () => {
    const created = await call('POST', '/repos/acme/shop/check-runs', { name: 'HTTPS Guard', head_sha: 'abc', status: 'in_progress' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await call('PATCH', `/repos/acme/shop/check-runs/${id}`, { output: { title: 't', summary: 's', annotations: [annotation] } });
    const done = await call('PATCH', `/repos/acme/shop/check-runs/${id}`, { status: 'completed', conclusion: 'success', output: { title: 't', summary: 's', annotations: [annotation] } });
    expect(done.body).toMatchObject({ status: 'completed', conclusion: 'success', output: { annotations_count: 2 } });
    expect(fake.problems).toEqual([]);
  });

  it('paginates with Link headers and caps a pull request listing at 3000 files', async () => {
    fake.pulls.set(7, Array.from({ length: 3100 }, (_, i) => ({ filename: `f${i}`, status: 'added' as const })));
    const first = await call('GET', '/repos/acme/shop/pulls/7/files?per_page=100');
    expect(first.body).toHaveLength(100);
    expect(first.link).toBe(`<${fake.url}/repos/acme/shop/pulls/7/files?per_page=100&page=2>; rel="next", <${fake.url}/repos/acme/shop/pulls/7/files?per_page=100&page=30>; rel="last"`);
    const last = await call('GET', '/repos/acme/shop/pulls/7/files?per_page=100&page=30');
    expect(last.body.at(-1).filename).toBe('f2999');
    expect(last.link).not.toContain('rel="next"');
    expect(fake.problems).toEqual([]);
  });

  it('injects faults after validation, for the given number of calls', async () => {
    fake.fail('issues/list-comments', { status: 502, times: 2, headers: { 'retry-after': '1' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/repos/acme/shop/issues/7/comments')).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect(fake.problems).toEqual([]);
  });
});
