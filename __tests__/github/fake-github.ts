/**
 * A loopback fake of the GitHub REST API for end-to-end tests of the action.
 *
 * Every request is checked against GitHub's published OpenAPI description (@octokit/openapi): the method and
 * path must match a documented operation, path and query parameters must fit their schemas, and a JSON body
 * must validate against the operation's requestBody schema (ajv). A request GitHub would reject is answered the
 * way GitHub would (400/404/422) AND recorded in `problems`, which every test expects to stay empty. A few rules
 * GitHub enforces but the description does not state (comment length, annotation columns, known commits) are
 * checked too. The operations the action uses are served from in-memory state with realistic bodies, Link
 * headers for pagination and ids; `fail()` injects faults (5xx, 403, rate limits) for the next N calls.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SPEC_FILE = path.resolve(import.meta.dirname, '../../node_modules/@octokit/openapi/generated/api.github.com.json');

type Json = Record<string, any>;

interface Param {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
  'x-multi-segment'?: boolean;
}

interface Operation {
  method: string;
  template: string;
  operationId: string;
  regex: RegExp;
  pathParams: string[];
  params: Param[];
  body?: { required: boolean; schema?: Json };
}

// ---------------------------------------------------------------------------------------------------------------
// The description, loaded once per test file and shared by every fake in it.

let spec: Json | undefined;
let operations: Operation[] | undefined;
const validators = new Map<string, ValidateFunction>();
const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
addFormats(ajv);

function loadSpec(): Json {
  spec ??= JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8')) as Json;
  return spec;
}

function resolveRef<T>(node: T | { $ref: string }): T {
  const ref = (node as { $ref?: string }).$ref;
  if (!ref) return node as T;
  let cur: any = loadSpec();
  for (const part of ref.replace(/^#\//, '').split('/')) cur = cur[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return resolveRef(cur);
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function buildOperations(): Operation[] {
  const out: Operation[] = [];
  for (const [template, item] of Object.entries(loadSpec().paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => resolveRef<Param>(p as Param));
      const multi = new Set(params.filter((p) => p['x-multi-segment']).map((p) => p.name));
      const pathParams: string[] = [];
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
        pathParams.push(name);
        return multi.has(name) ? '(.+)' : '([^/]+)';
      });
      const rb = op.requestBody ? resolveRef<Json>(op.requestBody) : undefined;
      out.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        regex: new RegExp(`^${source}$`),
        pathParams,
        params,
        body: rb ? { required: !!rb.required, schema: rb.content?.['application/json']?.schema } : undefined,
      });
    }
  }
  // A literal segment beats a parameter: /issues/comments/{id} before /issues/{issue_number}/...
  return out.sort((a, b) => a.pathParams.length - b.pathParams.length || b.template.length - a.template.length);
}

function matchOperation(method: string, pathname: string): { op: Operation; values: Record<string, string> } | undefined {
  operations ??= buildOperations();
  for (const op of operations) {
    if (op.method !== method) continue;
    const m = op.regex.exec(pathname);
    if (!m) continue;
    const values: Record<string, string> = {};
    op.pathParams.forEach((name, i) => (values[name] = decodeURIComponent(m[i + 1])));
    return { op, values };
  }
  return undefined;
}

/** The schema with the components it references (transitively), so ajv resolves `#/components/...` inside it. */
function standalone(schema: Json): Json {
  const components: Json = {};
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/')) {
        const [, , kind, name] = v.split('/');
        components[kind] ??= {};
        if (!components[kind][name]) {
          components[kind][name] = resolveRefRaw(v);
          visit(components[kind][name]);
        }
      } else {
        visit(v);
      }
    }
  };
  visit(schema);
  return { ...schema, components };
}

function resolveRefRaw(ref: string): Json {
  let cur: any = loadSpec();
  for (const part of ref.replace(/^#\//, '').split('/')) cur = cur[part];
  return cur;
}

function bodyValidator(op: Operation): ValidateFunction | undefined {
  if (!op.body?.schema) return undefined;
  let v = validators.get(op.operationId);
  if (!v) {
    v = ajv.compile(standalone(op.body.schema));
    validators.set(op.operationId, v);
  }
  return v;
}

/** Path and query values arrive as strings: check them against the parameter's schema type, enum and bounds. */
function paramProblem(p: Param, raw: string): string | undefined {
  const s = p.schema ? resolveRef<Json>(p.schema) : {};
  if (s.type === 'integer' && !/^-?\d+$/.test(raw)) return `${p.in} parameter ${p.name} must be an integer, got ${JSON.stringify(raw)}`;
  if (s.type === 'boolean' && !/^(true|false)$/.test(raw)) return `${p.in} parameter ${p.name} must be a boolean, got ${JSON.stringify(raw)}`;
  if (Array.isArray(s.enum) && !s.enum.map(String).includes(raw)) return `${p.in} parameter ${p.name} must be one of ${s.enum.join(', ')}`;
  if (s.type === 'integer' && typeof s.maximum === 'number' && Number(raw) > s.maximum) return `${p.in} parameter ${p.name} exceeds ${s.maximum}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// State and recording.

export interface RecordedRequest {
  method: string;
  /** Path without the API prefix and query, e.g. /repos/o/r/check-runs. */
  path: string;
  operationId?: string;
  template?: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: any;
  /** Status the fake answered. */
  status: number;
  authorization?: string;
  at: number;
}

export interface Fault {
  status: number;
  /** How many of the next calls fail; Infinity = every call. */
  times: number;
  message?: string;
  headers?: Record<string, string>;
}

export interface PullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions?: number;
  deletions?: number;
  changes?: number;
  patch?: string;
  previous_filename?: string;
}

export interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  author_association: string;
  created_at: string;
  updated_at: string;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
  annotations: Json[];
}

/** GitHub's listing of a pull request's files stops here, however many there are. */
export const PULL_FILES_CAP = 3000;
const COMMENT_MAX = 65_536;
const BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export interface FakeOptions {
  owner?: string;
  repo?: string;
  /** The token the action must send; anything else gets a 401 (and a problem). */
  token: string;
  /** Served under this path, as GHES serves /api/v3. */
  prefix?: string;
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  readonly prefix: string;
  url = '';
  requests: RecordedRequest[] = [];
  problems: string[] = [];
  /** Commits check runs may point at; empty = any sha. */
  commits = new Set<string>();
  pulls = new Map<number, PullFile[]>();
  comments = new Map<number, IssueComment[]>();
  checkRuns = new Map<number, CheckRun>();
  compares = new Map<string, PullFile[]>();
  /** Files of a commit for GET /contents: `${ref}:${path}` → a file's text or a link's target. */
  contents = new Map<string, { type: 'file'; text: string } | { type: 'symlink'; target: string }>();
  /** Who the token is: a PAT's user answers GET /user; an installation token gets 403 there and its bot from GraphQL. */
  identity: { user?: string; viewer?: string } = { viewer: 'github-actions[bot]' };
  /** GraphQL queries received (POST /graphql is outside the REST description). */
  graphql: string[] = [];
  private faults = new Map<string, Fault[]>();
  private nextId = 1000;
  private server?: http.Server;

  constructor(options: FakeOptions) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'shop';
    this.token = options.token;
    this.prefix = options.prefix ?? '';
    loadSpec();
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.prefix}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Forgets all state, faults and recordings; keeps the server. */
  reset(): void {
    this.requests = [];
    this.problems = [];
    this.commits.clear();
    this.pulls.clear();
    this.comments.clear();
    this.checkRuns.clear();
    this.compares.clear();
    this.contents.clear();
    this.identity = { viewer: 'github-actions[bot]' };
    this.graphql = [];
    this.faults.clear();
  }

  /** The next `times` calls of the operation (by operationId, e.g. 'checks/create') fail with `status`. */
  fail(operationId: string, fault: Fault): void {
    const list = this.faults.get(operationId) ?? [];
    list.push({ ...fault });
    this.faults.set(operationId, list);
  }

  addComment(issue: number, body: string, user = { login: 'someone', type: 'User' }, association = 'CONTRIBUTOR'): IssueComment {
    const now = new Date().toISOString();
    const c = { id: this.nextId++, body, user, author_association: association, created_at: now, updated_at: now };
    this.comments.set(issue, [...(this.comments.get(issue) ?? []), c]);
    return c;
  }

  calls(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  // -------------------------------------------------------------------------------------------------------------

  private problem(message: string): void {
    this.problems.push(message);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      method,
      path: url.pathname.startsWith(this.prefix) ? url.pathname.slice(this.prefix.length) : url.pathname,
      params: {},
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    this.requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': `FAKE:${this.requests.length}`, ...headers });
      res.end(text);
    };
    const error = (status: number, message: string, headers: Record<string, string> = {}) =>
      reply(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status) }, headers);

    try {
      if (method === 'POST' && url.pathname === `${this.prefix.replace(/\/v3$/, '')}/graphql`) return this.serveGraphql(raw, record, reply);
      const outcome = this.validate(method, url, raw, record);
      if (outcome) return error(outcome.status, outcome.message);
      const fault = this.takeFault(record.operationId!);
      if (fault) return error(fault.status, fault.message ?? `fake fault ${fault.status}`, fault.headers);
      const served = this.serve(record, url);
      if (!served) {
        this.problem(`${method} ${record.template}: documented, but the fake does not serve it`);
        return error(501, 'not served by the fake');
      }
      reply(served.status, served.body, served.headers);
    } catch (e) {
      this.problem(`fake crashed on ${method} ${url.pathname}: ${(e as Error).stack}`);
      error(500, 'fake crashed');
    }
  }

  /** Undefined when GitHub would accept the request; otherwise the answer it would give (and a recorded problem). */
  private validate(method: string, url: URL, raw: string, record: RecordedRequest): { status: number; message: string } | undefined {
    const reject = (status: number, message: string) => {
      this.problem(`${method} ${url.pathname}${url.search}: ${message}`);
      return { status, message };
    };
    if (!url.pathname.startsWith(this.prefix)) return reject(404, `not under the API prefix ${this.prefix}`);
    const match = matchOperation(method, record.path);
    if (!match) return reject(400, 'no such operation in the GitHub REST description');
    const { op, values } = match;
    record.operationId = op.operationId;
    record.template = op.template;
    record.params = values;
    if (record.authorization !== `token ${this.token}` && record.authorization !== `Bearer ${this.token}`) return reject(401, 'Bad credentials');
    for (const p of op.params.filter((x) => x.in === 'path')) {
      const v = values[p.name];
      if (v === undefined || v === '') return reject(400, `missing path parameter ${p.name}`);
      const bad = paramProblem(p, v);
      if (bad) return reject(400, bad);
    }
    if (values.owner !== undefined && (values.owner !== this.owner || values.repo !== this.repo)) return reject(404, `unknown repository ${values.owner}/${values.repo}`);
    const queryParams = new Map(op.params.filter((x) => x.in === 'query').map((p) => [p.name, p]));
    for (const [name, v] of url.searchParams) {
      const p = queryParams.get(name);
      if (!p) return reject(400, `unknown query parameter ${name}`);
      const bad = paramProblem(p, v);
      if (bad) return reject(422, bad);
    }
    if (raw !== '') {
      if (!op.body) return reject(400, 'a body on an operation that takes none');
      try {
        record.body = JSON.parse(raw);
      } catch {
        return reject(400, 'Problems parsing JSON');
      }
    }
    if (op.body?.required && record.body === undefined) return reject(422, 'the request body is required');
    const validate = bodyValidator(op);
    if (validate && record.body !== undefined && !validate(record.body)) {
      return reject(422, `Invalid request: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
    }
    return this.githubRules(op.operationId, record.body, reject);
  }

  /** Rules GitHub enforces that the OpenAPI description does not express. */
  private githubRules(operationId: string, body: Json | undefined, reject: (s: number, m: string) => { status: number; message: string }) {
    if ((operationId === 'issues/create-comment' || operationId === 'issues/update-comment') && body!.body.length > COMMENT_MAX) {
      return reject(422, `Body is too long (maximum is ${COMMENT_MAX} characters)`);
    }
    if (operationId === 'checks/create' && this.commits.size && !this.commits.has(body!.head_sha)) return reject(422, `No commit found for SHA: ${body!.head_sha}`);
    for (const a of (body?.output?.annotations ?? []) as Json[]) {
      if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) return reject(422, 'annotation columns need start_line == end_line');
      if (a.end_line < a.start_line || a.start_line < 1) return reject(422, `bad annotation lines ${a.start_line}-${a.end_line}`);
      if (a.title !== undefined && a.title.length > 255) return reject(422, 'annotation title over 255 characters');
      if (Buffer.byteLength(a.message) > 64 * 1024) return reject(422, 'annotation message over 64 KB');
    }
    return undefined;
  }

  private takeFault(operationId: string): Fault | undefined {
    const list = this.faults.get(operationId);
    const fault = list?.[0];
    if (!fault) return undefined;
    if (--fault.times <= 0) list!.shift();
    return fault;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Responses.

  private api(p: string): string {
    return `${this.url}${p}`;
  }

  private html(p: string): string {
    return `https://github.com/${this.owner}/${this.repo}${p}`;
  }

  /** GitHub's page/per_page pagination: at most 100 per page, Link header with next/last/first/prev. */
  private page<T>(items: T[], url: URL, record: RecordedRequest): { status: number; body: T[]; headers: Record<string, string> } {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const u = new URL(this.api(record.path));
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(n));
      return `<${u}>; rel="${rel}"`;
    };
    const rels = [];
    if (page > 1) rels.push(link(page - 1, 'prev'));
    if (page < last) rels.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) rels.push(link(1, 'first'));
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers: rels.length ? { link: rels.join(', ') } : {} };
  }

  private diffEntry(f: PullFile, sha: string) {
    const changes = f.changes ?? (f.additions ?? 0) + (f.deletions ?? 0);
    return {
      sha: f.status === 'removed' ? null : 'bbcd538c8e72b8c175046e27cc8f907076331401',
      filename: f.filename,
      status: f.status,
      additions: f.additions ?? 0,
      deletions: f.deletions ?? 0,
      changes,
      blob_url: this.html(`/blob/${sha}/${encodeURI(f.filename)}`),
      raw_url: this.html(`/raw/${sha}/${encodeURI(f.filename)}`),
      contents_url: this.api(`/repos/${this.owner}/${this.repo}/contents/${encodeURI(f.filename)}?ref=${sha}`),
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
    };
  }

  private commentJson(issue: number, c: IssueComment) {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: this.api(`/repos/${this.owner}/${this.repo}/issues/comments/${c.id}`),
      html_url: this.html(`/pull/${issue}#issuecomment-${c.id}`),
      issue_url: this.api(`/repos/${this.owner}/${this.repo}/issues/${issue}`),
      body: c.body,
      user: { ...c.user, id: 1 },
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: c.author_association,
    };
  }

  private checkRunJson(r: CheckRun) {
    return {
      id: r.id,
      node_id: `CR_${r.id}`,
      head_sha: r.head_sha,
      external_id: '',
      url: this.api(`/repos/${this.owner}/${this.repo}/check-runs/${r.id}`),
      html_url: this.html(`/runs/${r.id}`),
      details_url: this.html(`/runs/${r.id}`),
      status: r.status,
      conclusion: r.conclusion,
      started_at: new Date().toISOString(),
      completed_at: r.status === 'completed' ? new Date().toISOString() : null,
      output: { ...r.output, annotations_count: r.annotations.length, annotations_url: this.api(`/repos/${this.owner}/${this.repo}/check-runs/${r.id}/annotations`) },
      name: r.name,
      check_suite: { id: 1 },
      app: null,
      pull_requests: [],
    };
  }

  private serve(record: RecordedRequest, url: URL): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
    const p = record.params;
    const body = record.body as Json;
    switch (record.operationId) {
      case 'pulls/list-files': {
        const files = this.pulls.get(Number(p.pull_number));
        if (!files) return { status: 404, body: { message: 'Not Found' } };
        const listed = files.slice(0, PULL_FILES_CAP).map((f) => this.diffEntry(f, 'head'));
        return this.page(listed, url, record);
      }
      case 'issues/list-comments': {
        const issue = Number(p.issue_number);
        return this.page((this.comments.get(issue) ?? []).map((c) => this.commentJson(issue, c)), url, record);
      }
      case 'issues/create-comment': {
        const issue = Number(p.issue_number);
        const c = this.addComment(issue, body.body, BOT, 'NONE');
        return { status: 201, body: this.commentJson(issue, c) };
      }
      case 'issues/update-comment': {
        for (const [issue, list] of this.comments) {
          const c = list.find((x) => x.id === Number(p.comment_id));
          if (!c) continue;
          if (c.user.type !== 'Bot' && c.author_association === 'CONTRIBUTOR') this.problem(`edited a comment by outsider ${c.user.login}`);
          c.body = body.body;
          c.updated_at = new Date().toISOString();
          return { status: 200, body: this.commentJson(issue, c) };
        }
        this.problem(`update of unknown comment ${p.comment_id}`);
        return { status: 404, body: { message: 'Not Found' } };
      }
      case 'checks/create': {
        const r: CheckRun = { id: this.nextId++, name: body.name, head_sha: body.head_sha, status: body.conclusion ? 'completed' : (body.status ?? 'queued'), conclusion: body.conclusion ?? null, output: {}, annotations: [] };
        this.applyCheckUpdate(r, body);
        this.checkRuns.set(r.id, r);
        return { status: 201, body: this.checkRunJson(r) };
      }
      case 'checks/update': {
        const r = this.checkRuns.get(Number(p.check_run_id));
        if (!r) {
          this.problem(`update of unknown check run ${p.check_run_id}`);
          return { status: 404, body: { message: 'Not Found' } };
        }
        this.applyCheckUpdate(r, body);
        return { status: 200, body: this.checkRunJson(r) };
      }
      case 'repos/compare-commits-with-basehead': {
        const files = this.compares.get(p.basehead);
        if (!files) return { status: 404, body: { message: 'Not Found' } };
        const [base, head] = p.basehead.split('...');
        return {
          status: 200,
          body: {
            url: this.api(record.path),
            html_url: this.html(`/compare/${p.basehead}`),
            status: 'ahead',
            ahead_by: 1,
            behind_by: 0,
            total_commits: 1,
            base_commit: { sha: base },
            merge_base_commit: { sha: base },
            commits: [{ sha: head }],
            files: files.slice(0, 300).map((f) => this.diffEntry(f, head)),
          },
        };
      }
      case 'users/get-authenticated': {
        if (!this.identity.user) return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user', status: '403' } };
        return { status: 200, body: { login: this.identity.user, id: 7, type: 'User' } };
      }
      case 'repos/get-content': {
        const ref = url.searchParams.get('ref') ?? 'main';
        const entry = this.contents.get(`${ref}:${p.path}`);
        if (!entry) return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content', status: '404' } };
        const common = { name: p.path.split('/').pop(), path: p.path, sha: 'bbcd538c8e72b8c175046e27cc8f907076331401', url: this.api(record.path), git_url: null, html_url: null, download_url: null, _links: { self: this.api(record.path), git: null, html: null } };
        if (entry.type === 'symlink') return { status: 200, body: { ...common, type: 'symlink', target: entry.target, size: entry.target.length } };
        const content = Buffer.from(entry.text).toString('base64');
        return { status: 200, body: { ...common, type: 'file', encoding: 'base64', size: Buffer.byteLength(entry.text), content } };
      }
      default:
        return undefined;
    }
  }

  /** Only `{ viewer { login } }`: what an installation token may ask about itself. */
  private serveGraphql(raw: string, record: RecordedRequest, reply: (status: number, body: unknown) => void): void {
    record.operationId = 'graphql';
    if (record.authorization !== `token ${this.token}` && record.authorization !== `Bearer ${this.token}`) return reply(401, { message: 'Bad credentials' });
    const query = String(JSON.parse(raw || '{}').query ?? '');
    this.graphql.push(query);
    if (!/viewer\s*\{\s*login\s*\}/.test(query)) {
      this.problem(`unexpected GraphQL query ${query}`);
      return reply(200, { errors: [{ message: 'not served by the fake' }] });
    }
    const login = this.identity.user ?? this.identity.viewer;
    if (!login) return reply(200, { data: null, errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] });
    reply(200, { data: { viewer: { login } } });
  }

  private applyCheckUpdate(r: CheckRun, body: Json): void {
    if (body.status) r.status = body.status;
    if (body.conclusion) {
      r.conclusion = body.conclusion;
      r.status = 'completed';
    }
    if (body.output) {
      const { annotations, ...rest } = body.output;
      r.output = { ...r.output, ...rest };
      // GitHub appends the annotations of every update to the run's list.
      if (annotations) r.annotations.push(...annotations);
    }
  }
}
