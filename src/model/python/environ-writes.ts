import type { SyntaxNode, Tree } from '@lezer/common';
import type { SourceText } from '../../parsers/source';
import type { Loc } from '../../types';
import { decodeStringLiteral } from './evaluate';

/** A write of a key into an environment mapping, found by walking the syntax tree (never by running the code). */
export interface EnvironWrite {
  /** `process`: os.environ / os.putenv (the process environment); `request`: a WSGI `environ` parameter. */
  target: 'process' | 'request';
  key: string;
  /** How: `environ[k] = v`, `environ.setdefault(k, v)` (no effect when the key is already there), update, putenv. */
  method: 'assign' | 'setdefault' | 'update' | 'putenv';
  /** The literal value written, when it is a plain string. */
  value?: string;
  /** Inside an `if`, a loop, a `match` or a conditional expression below its function (or module). */
  conditional: boolean;
  /** The function it is in, if any. */
  functionName?: string;
  loc: Loc;
  code: string;
  /**
   * Request headers (`HTTP_*` keys of the request environ) the write depends on: read by its value, directly or
   * through a local name assigned earlier in the function, or by the tests of the `if`s around it.
   */
  headers: string[];
}

const CONDITIONAL = new Set(['IfStatement', 'ConditionalExpression', 'WhileStatement', 'ForStatement', 'MatchStatement']);

function literal(src: SourceText, n: SyntaxNode | null | undefined): string | undefined {
  if (!n || (n.name !== 'String' && n.name !== 'ContinuedString')) return undefined;
  if (n.name === 'ContinuedString') {
    let out = '';
    for (let c = n.firstChild; c; c = c.nextSibling) {
      const d = literal(src, c);
      if (d === undefined) return undefined;
      out += d;
    }
    return out;
  }
  return decodeStringLiteral(src.text.slice(n.from, n.to));
}

/** Statements that leave the function or the loop: a block ending with one is a guard clause. */
const EXITS = new Set(['ReturnStatement', 'RaiseStatement', 'ContinueStatement', 'BreakStatement']);

/** Whether an earlier statement of the same block is an `if` with a branch that leaves (return/raise/continue). */
function guardedBefore(stmt: SyntaxNode): boolean {
  for (let s = stmt.prevSibling; s; s = s.prevSibling) {
    if (s.name !== 'IfStatement') continue;
    for (let b = s.firstChild; b; b = b.nextSibling) {
      if (b.name !== 'Body') continue;
      for (let c = b.firstChild; c; c = c.nextSibling) if (EXITS.has(c.name)) return true;
    }
  }
  return false;
}

function params(fn: SyntaxNode, src: SourceText): Set<string> {
  const out = new Set<string>();
  const list = fn.getChild('ParamList');
  for (let c = list?.firstChild ?? null; c; c = c.nextSibling) {
    if (c.name === 'VariableName' && c.prevSibling?.name !== 'AssignOp') out.add(src.text.slice(c.from, c.to));
  }
  return out;
}

/** Names bound to os.environ at module level (`from os import environ [as e]`). */
function processEnvironAliases(tree: Tree, src: SourceText): Set<string> {
  const out = new Set<string>();
  for (let n = tree.topNode.firstChild; n; n = n.nextSibling) {
    if (n.name !== 'ImportStatement') continue;
    const m = /^from\s+os\s+import\s+\(?([^)]*)\)?/.exec(src.text.slice(n.from, n.to));
    if (!m) continue;
    for (const part of m[1].split(',')) {
      // Split on whitespace runs: `\s+as\s+` re-scanned each run of blanks (quadratic on a long one).
      const words = part.trim().split(/\s+/);
      const alias = words.length === 3 && words[1] === 'as' ? words[2] : words.length === 1 ? words[0] : undefined;
      if (words[0] === 'environ' && alias) out.add(alias);
    }
  }
  return out;
}

export function findEnvironWrites(tree: Tree, src: SourceText): EnvironWrite[] {
  const out: EnvironWrite[] = [];
  const aliases = processEnvironAliases(tree, src);
  const text = (n: SyntaxNode) => src.text.slice(n.from, n.to);

  const context = (n: SyntaxNode) => {
    let conditional = false;
    for (let p = n.parent, at: SyntaxNode = n; p; at = p, p = p.parent) {
      // A guard clause before it in the same block (`if not secure: return`) makes it conditional too.
      if (!conditional && p.name === 'Body' && guardedBefore(at)) conditional = true;
      if (p.name === 'FunctionDefinition' || p.name === 'LambdaExpression') {
        const name = p.getChild('VariableName');
        return { conditional, fn: p, functionName: name ? text(name) : '<lambda>' };
      }
      if (p.name === 'ClassDefinition') return { conditional, fn: undefined, functionName: undefined };
      if (CONDITIONAL.has(p.name)) conditional = true;
    }
    return { conditional, fn: undefined, functionName: undefined };
  };

  const targetOf = (obj: SyntaxNode, at: SyntaxNode): 'process' | 'request' | undefined => {
    const t = text(obj).replace(/\s+/g, '');
    if (t === 'os.environ') return 'process';
    if (obj.name !== 'VariableName') return undefined;
    const ctx = context(at);
    if (ctx.fn && params(ctx.fn, src).has(t)) return 'request';
    if (aliases.has(t)) return 'process';
    return undefined;
  };

  const push = (target: 'process' | 'request', method: EnvironWrite['method'], key: string, valueNode: SyntaxNode | null | undefined, stmt: SyntaxNode) => {
    const ctx = context(stmt);
    const headers = target === 'request' && ctx.fn ? headersRead(ctx.fn, stmt, valueNode, src) : [];
    out.push({
      target,
      method,
      key,
      value: literal(src, valueNode),
      conditional: ctx.conditional,
      functionName: ctx.functionName,
      loc: src.loc(stmt.from, stmt.to),
      code: text(stmt).replace(/\s+/g, ' ').slice(0, 120),
      headers,
    });
  };

  const cursor = tree.cursor();
  do {
    const n = cursor.node;
    if (n.name === 'AssignStatement') {
      const target = n.firstChild;
      const op = target?.nextSibling;
      if (target?.name === 'MemberExpression' && op?.name === 'AssignOp' && target.getChild('[')) {
        const obj = target.firstChild!;
        const key = literal(src, target.getChild('[')?.nextSibling);
        const who = key !== undefined ? targetOf(obj, n) : undefined;
        if (who && key !== undefined) push(who, 'assign', key, n.lastChild, n);
      }
    } else if (n.name === 'CallExpression') {
      const callee = n.firstChild;
      const args = n.getChild('ArgList');
      if (!callee || !args) continue;
      const argNodes: SyntaxNode[] = [];
      for (let c = args.firstChild; c; c = c.nextSibling) if (!['(', ')', ','].includes(c.name)) argNodes.push(c);
      const calleeText = text(callee).replace(/\s+/g, '');
      if (calleeText === 'os.putenv') {
        const key = literal(src, argNodes[0]);
        if (key !== undefined) push('process', 'putenv', key, argNodes[1], n);
        continue;
      }
      if (callee.name !== 'MemberExpression') continue;
      const method = callee.getChild('PropertyName');
      const obj = callee.firstChild;
      if (!method || !obj) continue;
      const m = text(method);
      if (m !== 'setdefault' && m !== 'update' && m !== '__setitem__') continue;
      const who = targetOf(obj, n);
      if (!who) continue;
      if (m === 'setdefault' || m === '__setitem__') {
        const key = literal(src, argNodes[0]);
        if (key !== undefined) push(who, m === 'setdefault' ? 'setdefault' : 'assign', key, argNodes[1], n);
      } else {
        // update({...}) or update(KEY=value)
        for (let i = 0; i < argNodes.length; i++) {
          const a = argNodes[i];
          if (a.name === 'DictionaryExpression') {
            const kids: SyntaxNode[] = [];
            for (let c = a.firstChild; c; c = c.nextSibling) if (!['{', '}', ',', ':'].includes(c.name)) kids.push(c);
            for (let j = 0; j + 1 < kids.length; j += 2) {
              const key = literal(src, kids[j]);
              if (key !== undefined) push(who, 'update', key, kids[j + 1], n);
            }
          } else if (a.name === 'VariableName' && argNodes[i + 1]?.name === 'AssignOp') {
            push(who, 'update', text(a), argNodes[i + 2], n);
            i += 2;
          }
        }
      }
    }
  } while (cursor.next());
  return out;
}

/** `env.get('HTTP_X', …)` or `env['HTTP_X']` on a parameter of `fn`: the key read. */
function environRead(n: SyntaxNode, names: Set<string>, src: SourceText): string | undefined {
  if (n.name === 'CallExpression') {
    const callee = n.firstChild;
    const method = callee?.name === 'MemberExpression' ? callee.getChild('PropertyName') : null;
    if (!method || src.text.slice(method.from, method.to) !== 'get') return undefined;
    const obj = callee!.firstChild;
    if (obj?.name !== 'VariableName' || !names.has(src.text.slice(obj.from, obj.to))) return undefined;
    const args = n.getChild('ArgList');
    const first = args?.firstChild?.nextSibling;
    return first ? literal(src, first) : undefined;
  }
  if (n.name === 'MemberExpression' && n.getChild('[')) {
    const obj = n.firstChild;
    if (obj?.name !== 'VariableName' || !names.has(src.text.slice(obj.from, obj.to))) return undefined;
    return literal(src, n.getChild('[')?.nextSibling);
  }
  return undefined;
}

/**
 * The request headers a write inside `fn` depends on. Looks at the value and the enclosing `if` tests; a local
 * name there stands for what its assignments earlier in the function read (one step, no deeper flow).
 */
function headersRead(fn: SyntaxNode, stmt: SyntaxNode, value: SyntaxNode | null | undefined, src: SourceText): string[] {
  const envNames = params(fn, src);
  const out = new Set<string>();
  const locals = new Set<string>();
  const scan = (root: SyntaxNode, followLocals: boolean) => {
    const c = root.cursor();
    const end = root.to;
    do {
      const n = c.node;
      if (n.from >= end && n !== root) break;
      const key = environRead(n, envNames, src);
      if (key !== undefined && key.startsWith('HTTP_')) out.add(key);
      else if (followLocals && n.name === 'VariableName') locals.add(src.text.slice(n.from, n.to));
    } while (c.next() && c.from < end);
  };
  if (value) scan(value, true);
  for (let p = stmt.parent; p && p !== fn; p = p.parent) {
    if (p.name !== 'IfStatement') continue;
    // The tests before the write (an elif body runs only after the earlier tests failed: they count too).
    for (let k = p.firstChild; k && k.from < stmt.from; k = k.nextSibling) if (k.name !== 'Body') scan(k, true);
  }
  if (locals.size === 0) return [...out];
  // Assignments to those names in the function before the write.
  const c = fn.cursor();
  do {
    const n = c.node;
    if (n.from >= stmt.from) break;
    if (n.name !== 'AssignStatement') continue;
    const target = n.firstChild;
    if (target?.name !== 'VariableName' || !locals.has(src.text.slice(target.from, target.to))) continue;
    if (n.lastChild && n.lastChild !== target) scan(n.lastChild, false);
  } while (c.next());
  return [...out];
}
