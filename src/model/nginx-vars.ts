import { checkPattern } from '../util/regex';
// What nginx's variables hold for a request of a given scheme, far enough to decide an `if` in the rewrite phase:
// nginx's own variables, `set` chains in the order the rewrite module runs them, and `map` blocks. A value is a
// small set of strings, "any" (the client chooses it: Host, URI, other headers) or unknown (nothing here says).
import type { NginxDirective } from '../parsers/nginx/types';
import { forEachNginxDirective } from '../parsers/nginx/walk';
import { children, levels, type NginxServer } from './nginx';
import { pushTo } from '../util/multimap';

export type Scheme = 'http' | 'https';

export type Val = { kind: 'set'; values: string[] } | { kind: 'any' } | { kind: 'unknown' };

/** Variables set so far in the rewrite phase, by lower-cased name (nginx variable names ignore case). */
export type Env = Map<string, Val>;

/** A condition for one scheme: holds for every request, none, some and not others, or cannot be told. */
export type Truth = 'true' | 'false' | 'mixed' | 'unknown';

const ANY: Val = { kind: 'any' };
const UNKNOWN: Val = { kind: 'unknown' };
const MAX_VALUES = 64;
const MAX_DEPTH = 8;
/** Steps one server's evaluation for one scheme may take (lookups, copied variables); then everything is unknown. */
export const VAR_BUDGET = 500_000;

const set = (...values: string[]): Val => ({ kind: 'set', values: [...new Set(values)] });

/**
 * The one place nginx regular expressions (PCRE) are run on values, in the linear-time engine: undefined when
 * the pattern uses a feature it cannot settle (src/util/regex.ts).
 */
export function nginxRegexTest(pattern: string, caseless: boolean, input: string): boolean | undefined {
  const r = checkPattern(pattern, 'pcre', caseless).test(input);
  return r === 'unknown' ? undefined : r === 'match';
}

/** Variables whose value the client picks (request line, headers, cookies, arguments, its address). */
const CLIENT = new Set([
  'host', 'http_host', 'request_uri', 'uri', 'document_uri', 'args', 'query_string', 'is_args', 'request',
  'request_method', 'remote_addr', 'binary_remote_addr', 'remote_port', 'request_filename', 'request_body',
  'content_type', 'content_length', 'server_protocol', 'realpath_root', 'request_id',
]);

function builtin(name: string, scheme: Scheme, server: NginxServer): Val {
  switch (name) {
    case 'scheme':
      return set(scheme);
    case 'https':
      return set(scheme === 'https' ? 'on' : '');
    case 'ssl_protocol':
    case 'ssl_cipher':
    case 'ssl_session_id':
    case 'ssl_server_name':
      return scheme === 'https' ? UNKNOWN : set('');
    case 'server_port': {
      const ls = server.listens.filter((l) => (scheme === 'https' ? l.ssl || l.quic : !l.ssl && !l.quic) && l.port !== undefined);
      return ls.length > 0 ? set(...ls.map((l) => String(l.port))) : UNKNOWN;
    }
    case 'server_name': {
      const first = server.names[0];
      return first !== undefined && !first.includes('*') && !first.startsWith('~') ? set(first) : UNKNOWN;
    }
    // Set by a TLS-terminating proxy in front (then it names the client's scheme); absent when nginx is the edge.
    // Either way an honest plain-HTTP client's request has "" or "http" there.
    case 'http_x_forwarded_proto':
    case 'http_x_forwarded_scheme':
      return set('', scheme);
    case 'http_x_forwarded_ssl':
      return set('', scheme === 'https' ? 'on' : 'off');
  }
  if (CLIENT.has(name) || name.startsWith('http_') || name.startsWith('arg_') || name.startsWith('cookie_') || name.startsWith('sent_http_')) return ANY;
  return UNKNOWN;
}

/** Splits a value into literal text and variable references (`$name`, `${name}`); `$1`… are regex captures. */
export function splitVars(value: string): ({ text: string } | { name: string })[] {
  const out: ({ text: string } | { name: string })[] = [];
  let lit = '';
  let i = 0;
  const word = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
  while (i < value.length) {
    const c = value[i];
    if (c !== '$') {
      lit += c;
      i++;
      continue;
    }
    let name = '';
    if (value[i + 1] === '{') {
      const close = value.indexOf('}', i + 2);
      if (close < 0) {
        lit += value.slice(i);
        break;
      }
      name = value.slice(i + 2, close);
      i = close + 1;
    } else {
      let j = i + 1;
      while (j < value.length && word(value[j])) j++;
      name = value.slice(i + 1, j);
      i = j;
    }
    if (name === '') {
      lit += '$';
      continue;
    }
    if (lit) out.push({ text: lit });
    lit = '';
    out.push({ name: name.toLowerCase() });
  }
  if (lit) out.push({ text: lit });
  return out;
}

/** The evaluation of one server's variables for one scheme. */
export class VarEvaluator {
  private readonly maps = new Map<string, NginxDirective[]>();
  /** Variables some `set` in the server assigns: before that runs, nginx reads them as "". */
  private readonly assigned = new Set<string>();
  /** Work done so far: a hostile config (maps referring to maps, thousands of `set`s and `if`s) stays bounded. */
  private work = 0;

  /** Counts `n` steps; false once the budget is spent (the caller then answers unknown). */
  charge(n: number): boolean {
    this.work += n;
    return this.work <= VAR_BUDGET;
  }

  constructor(
    readonly server: NginxServer,
    readonly scheme: Scheme,
  ) {
    // `map` lives at http level: the blocks above the server (a site file's top level is its http level).
    for (const level of levels(server.block).slice(1)) {
      for (const m of children(level, 'map')) {
        const v = m.args[1]?.value;
        if (!v || !m.block) continue;
        const key = varName(v);
        pushTo(this.maps, key, m);
      }
    }
    forEachNginxDirective(server.block.block ?? [], (d) => {
      if (d.name === 'set' && d.args[0]) this.assigned.add(varName(d.args[0].value));
    });
  }

  variable(name: string, env: Env, depth = 0): Val {
    if (!this.charge(1)) return UNKNOWN;
    const own = env.get(name);
    if (own) return own;
    if (/^\d+$/.test(name)) return UNKNOWN;
    const maps = this.maps.get(name);
    if (maps) return maps.length === 1 && depth < MAX_DEPTH ? this.mapValue(maps[0], env, depth + 1) : UNKNOWN;
    if (this.assigned.has(name)) return set('');
    return builtin(name, this.scheme, this.server);
  }

  /** A value with variables interpolated. */
  value(text: string, env: Env, depth = 0): Val {
    let acc: string[] = [''];
    let any = false;
    for (const part of splitVars(text)) {
      if ('text' in part) {
        acc = acc.map((a) => a + part.text);
        continue;
      }
      const v = this.variable(part.name, env, depth);
      if (v.kind === 'unknown') return UNKNOWN;
      if (v.kind === 'any') {
        any = true;
        continue;
      }
      const next: string[] = [];
      for (const a of acc) for (const b of v.values) next.push(a + b);
      if (next.length > MAX_VALUES) return UNKNOWN;
      acc = next;
    }
    return any ? ANY : set(...acc);
  }

  /** ngx_http_map: exact keys first, then regular expressions in order, then the default. */
  private mapValue(map: NginxDirective, env: Env, depth: number): Val {
    const entries: { key: string; value: string }[] = [];
    let dflt = '';
    for (const e of map.block ?? []) {
      if (e.name === 'include' || e.name === 'hostnames') return UNKNOWN;
      if (e.name === 'volatile') continue;
      if (e.name === 'default') dflt = e.args[0]?.value ?? '';
      else entries.push({ key: e.name === '\\' ? (e.args[0]?.value ?? '') : e.name, value: e.args[e.name === '\\' ? 1 : 0]?.value ?? '' });
    }
    const results = (values: string[]): Val => {
      const out: Val[] = values.map((v) => this.value(v, env, depth));
      return union(out);
    };
    const input = this.value(map.args[0]?.value ?? '', env, depth);
    if (input.kind === 'unknown') return UNKNOWN;
    if (input.kind === 'any') return results([...entries.map((e) => e.value), dflt]);
    const picked: string[] = [];
    for (const v of input.values) {
      const exact = entries.find((e) => !e.key.startsWith('~') && e.key === v);
      if (exact) {
        picked.push(exact.value);
        continue;
      }
      let hit: string | undefined;
      for (const e of entries) {
        if (!e.key.startsWith('~')) continue;
        const caseless = e.key.startsWith('~*');
        const t = nginxRegexTest(e.key.slice(caseless ? 2 : 1), caseless, v);
        if (t === undefined) return UNKNOWN;
        if (t) {
          // A value that uses the match's captures is not followed.
          if (/\$\d/.test(e.value)) return UNKNOWN;
          hit = e.value;
          break;
        }
      }
      picked.push(hit ?? dflt);
    }
    return results(picked);
  }

  /** An `if (…)` condition with the variables set so far. */
  condition(d: NginxDirective, env: Env): Truth {
    if (!this.charge(1)) return 'unknown';
    const w = conditionWords(d);
    if (w.length === 0) return 'unknown';
    // -f, -d, -e, -x test files: not known here.
    if (w[0].startsWith('-') || w[0].startsWith('!-')) return 'unknown';
    const lhs = this.value(w[0], env);
    let test: (v: string) => boolean | undefined;
    if (w.length === 1) test = (v) => v !== '' && v !== '0';
    else if (w.length === 3 || (w.length === 2 && (w[1] === '=' || w[1] === '!='))) {
      const op = w[1];
      const rhs = this.value(w[2] ?? '', env);
      if (op === '=' || op === '!=') {
        if (rhs.kind !== 'set' || rhs.values.length !== 1) return lhs.kind === 'unknown' || rhs.kind === 'unknown' ? 'unknown' : 'mixed';
        const r = rhs.values[0];
        test = op === '=' ? (v) => v === r : (v) => v !== r;
      } else if (/^!?~\*?$/.test(op)) {
        const pattern = w[2] ?? '';
        const neg = op.startsWith('!');
        const caseless = op.endsWith('*');
        test = (v) => {
          const t = nginxRegexTest(pattern, caseless, v);
          return t === undefined ? undefined : t !== neg;
        };
      } else return 'unknown';
    } else return 'unknown';
    if (lhs.kind === 'unknown') return 'unknown';
    // The client can send anything: some requests pass and others do not.
    if (lhs.kind === 'any') return 'mixed';
    const answers = lhs.values.map(test);
    if (answers.some((a) => a === undefined)) return 'unknown';
    if (answers.every((a) => a === true)) return 'true';
    if (answers.every((a) => a === false)) return 'false';
    return 'mixed';
  }
}

/** `$name` or `${name}` as the lower-cased name. */
export function varName(arg: string): string {
  let n = arg.startsWith('$') ? arg.slice(1) : arg;
  if (n.startsWith('{') && n.endsWith('}')) n = n.slice(1, -1);
  return n.toLowerCase();
}

/** The words of an `if (…)` condition without the parentheses. */
export function conditionWords(d: NginxDirective): string[] {
  const words = d.args.map((a) => ({ v: a.value, q: a.quoted }));
  if (words.length > 0 && !words[0].q) words[0] = { ...words[0], v: words[0].v.replace(/^\(/, '') };
  const last = words.length - 1;
  if (last >= 0 && !words[last].q) words[last] = { ...words[last], v: words[last].v.replace(/\)$/, '') };
  return words.filter((w) => w.q || w.v !== '').map((w) => w.v);
}

export function union(vals: Val[]): Val {
  if (vals.some((v) => v.kind === 'unknown')) return UNKNOWN;
  if (vals.some((v) => v.kind === 'any')) return ANY;
  const all = new Set<string>();
  for (const v of vals) if (v.kind === 'set') for (const x of v.values) all.add(x);
  return all.size > MAX_VALUES ? UNKNOWN : { kind: 'set', values: [...all] };
}

/** After an `if` that may or may not run: each variable holds what it held before or what the block set. */
export function mergeEnv(before: Env, after: Env): Env {
  const out: Env = new Map(before);
  for (const [k, v] of after) {
    if (before.get(k) === v) continue;
    const old = before.get(k);
    out.set(k, old ? union([old, v]) : v.kind === 'set' && !v.values.includes('') ? union([v, set('')]) : union([v]));
  }
  return out;
}
