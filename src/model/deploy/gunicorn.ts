// A gunicorn config file is Python (`-c gunicorn.conf.py`, whatever its extension). Only literal module-level
// assignments are read, from the syntax tree: nothing is imported or run. A value computed at run time
// (`os.environ.get(…)`) is recorded as unknown, so rules can stay silent instead of guessing.

import type { SyntaxNode } from '@lezer/common';
import { parsePythonOnce } from '../../parsers/python/scan-cache';
import type { SourceText } from '../../parsers/source';
import type { Loc } from '../../types';
import { decodeStringLiteral } from '../python/evaluate';

export interface GunicornSetting<T> {
  /** undefined when the value is not a literal. */
  value: T | undefined;
  loc: Loc;
  /** The assignment as written (one line, shortened), for messages. */
  code: string;
  /** Inside an if/for/try/with/def: may not be in force. */
  conditional: boolean;
}

export interface GunicornConfig {
  bind?: GunicornSetting<string[]>;
  forwardedAllowIps?: GunicornSetting<string[]>;
  secureSchemeHeaders?: GunicornSetting<Map<string, string>>;
  wsgiApp?: GunicornSetting<string>;
  chdir?: GunicornSetting<string>;
  rawEnv?: GunicornSetting<string[]>;
  /** `certfile`/`keyfile`: gunicorn serves TLS itself (its `is_ssl`), whatever the value's form. */
  certfile?: GunicornSetting<string>;
  keyfile?: GunicornSetting<string>;
  /** The first syntax error: gunicorn cannot load such a file and stops at start-up. */
  syntaxError?: { loc: Loc; message: string };
}

const NAMES: Record<string, Exclude<keyof GunicornConfig, 'syntaxError'>> = {
  bind: 'bind',
  forwarded_allow_ips: 'forwardedAllowIps',
  secure_scheme_headers: 'secureSchemeHeaders',
  wsgi_app: 'wsgiApp',
  chdir: 'chdir',
  raw_env: 'rawEnv',
  certfile: 'certfile',
  keyfile: 'keyfile',
};

export function readGunicornConfig(src: SourceText): GunicornConfig {
  const out: GunicornConfig = {};
  const parsed = parsePythonOnce(src.text);
  const err = parsed.errors[0];
  if (err) out.syntaxError = { loc: src.loc(err.offset, err.offset), message: err.message };
  if (!parsed.tree) return out;
  const text = (n: SyntaxNode) => src.text.slice(n.from, n.to);
  const str = (n: SyntaxNode | null | undefined): string | undefined => (n?.name === 'String' ? decodeStringLiteral(text(n)) : undefined);
  const strings = (n: SyntaxNode | null | undefined): string[] | undefined => {
    if (!n) return undefined;
    const one = str(n);
    if (one !== undefined) return [one];
    if (n.name !== 'ArrayExpression' && n.name !== 'TupleExpression' && n.name !== 'ParenthesizedExpression') return undefined;
    const items: string[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === '[' || c.name === ']' || c.name === '(' || c.name === ')' || c.name === ',') continue;
      const s = str(c);
      if (s === undefined) return undefined;
      items.push(s);
    }
    return items;
  };
  const dict = (n: SyntaxNode | null | undefined): Map<string, string> | undefined => {
    if (n?.name !== 'DictionaryExpression') return undefined;
    const m = new Map<string, string>();
    const parts: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (!['{', '}', ':', ','].includes(c.name)) parts.push(c);
    if (parts.length % 2 !== 0) return undefined;
    for (let i = 0; i < parts.length; i += 2) {
      const k = str(parts[i]);
      const v = str(parts[i + 1]);
      if (k === undefined || v === undefined) return undefined;
      m.set(k, v);
    }
    return m;
  };
  // Statements only (module level and the bodies of compound statements), never inside expressions: linear in
  // the file, and an assignment cannot hide behind any number of others.
  const stack: SyntaxNode[] = [parsed.tree.topNode];
  while (stack.length > 0) {
    const container = stack.pop()!;
    const kids: SyntaxNode[] = [];
    for (let c = container.firstChild; c; c = c.nextSibling) kids.push(c);
    for (let k = kids.length - 1; k >= 0; k--) if (kids[k].name === 'Body' || kids[k].name.endsWith('Statement') || kids[k].name === 'DecoratedStatement' || kids[k].name.endsWith('Definition')) if (kids[k].name !== 'AssignStatement') stack.push(kids[k]);
    for (const n of kids) {
      if (n.name !== 'AssignStatement') continue;
      const target = n.firstChild;
      if (target?.name !== 'VariableName') continue;
      const key = NAMES[text(target)];
      if (!key) continue;
      const valueNode = n.lastChild;
      let conditional = false;
      for (let p = n.parent; p && p.name !== 'Script'; p = p.parent) if (p.name !== 'Body') conditional = true;
      const base = { loc: src.loc(n.from, n.from + Math.min(n.to - n.from, text(n).split('\n')[0].length)), code: text(n).replace(/\s+/g, ' ').slice(0, 160), conditional };
      // A later assignment wins, as Python runs the file; a conditional one does not replace a plain one.
      if (out[key] && conditional && !out[key]!.conditional) continue;
      if (key === 'secureSchemeHeaders') out.secureSchemeHeaders = { ...base, value: dict(valueNode) };
      else if (key === 'bind' || key === 'rawEnv') out[key] = { ...base, value: strings(valueNode) };
      else if (key === 'forwardedAllowIps') {
        const v = strings(valueNode);
        out.forwardedAllowIps = { ...base, value: v?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) };
      } else out[key] = { ...base, value: str(valueNode) };
    }
  }
  return out;
}

/** What decides whether gunicorn believes a forwarded scheme, with where each value was set. */
export interface GunicornFacts {
  /** forwarded_allow_ips in force: command line over config file over the FORWARDED_ALLOW_IPS environment. */
  forwardedAllowIps?: { ips: string[] | undefined; loc: Loc; code: string; from: 'command line' | 'GUNICORN_CMD_ARGS' | 'config file' | 'environment'; conditional: boolean };
  secureSchemeHeaders?: GunicornSetting<Map<string, string>>;
  /** Addresses it listens on (command line -b over config bind); empty: gunicorn's default 127.0.0.1:8000. */
  binds: { addr: string; loc: Loc }[];
  /**
   * It serves TLS itself (`--certfile`/`--keyfile`, or `certfile`/`keyfile` in its config file): wsgi.url_scheme is
   * https for every request (gunicorn/http/message.py, `cfg.is_ssl`), and a plain-HTTP client cannot talk to it.
   */
  tls?: { loc: Loc; code: string; conditional: boolean };
}
