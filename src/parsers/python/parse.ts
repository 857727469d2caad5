import { parser } from './grammar/parser.js';
import type { Tree } from '@lezer/common';

/** CPython refuses more than 200 nested brackets ("too many nested parentheses"); so do we, before the parser. */
export const MAX_BRACKET_DEPTH = 200;

export interface PythonSyntaxError {
  offset: number;
  message: string;
}

export interface ParsedPython {
  text: string;
  tree: Tree | undefined;
  errors: PythonSyntaxError[];
}

/**
 * Blanks brackets nested deeper than CPython allows, so the parser (whose tree building recurses) never sees them.
 * Strings and comments are skipped so that brackets inside them do not count. Works on char codes and indexOf:
 * it runs over every byte of every Python file.
 */
export function limitNesting(text: string): { text: string; firstOffset?: number } {
  let depth = 0;
  let overflow = 0;
  let firstOffset: number | undefined;
  let chars: string[] | undefined;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      // A comment ends at LF or a lone CR, as Python reads lines.
      i = lineEnd(text, i + 1);
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const len = triple ? 3 : 1;
      let j = i + len;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92 /* \ */) j += 2;
        else if (d === c && (!triple || (text.charCodeAt(j + 1) === c && text.charCodeAt(j + 2) === c))) break;
        else if (!triple && (d === 10 || d === 13)) break;
        else j++;
      }
      i = j + (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13 ? len - 1 : 0);
      continue;
    }
    if (c === 40 || c === 91 || c === 123 /* ( [ { */) {
      if (depth >= MAX_BRACKET_DEPTH) {
        chars ??= text.split('');
        chars[i] = ' ';
        firstOffset ??= i;
        overflow++;
      } else depth++;
    } else if (c === 41 || c === 93 || c === 125 /* ) ] } */) {
      if (overflow > 0) {
        chars ??= text.split('');
        chars[i] = ' ';
        overflow--;
      } else if (depth > 0) depth--;
    }
  }
  return { text: chars ? chars.join('') : text, firstOffset };
}

/** The offset of the next LF or CR at or after `from`, or the text's length. */
function lineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (lf === -1) return cr === -1 ? text.length : cr;
  return cr === -1 || lf < cr ? lf : cr;
}

function describeAt(text: string, offset: number): string {
  const rest = text.slice(offset, offset + 200);
  const m = /^[ \t]*(\S{1,20})/.exec(rest);
  if (!m) return offset >= text.length ? 'unexpected end of file' : 'unexpected end of line';
  return `unexpected ${JSON.stringify(m[1])}`;
}

/** True when a string token ends with its opening quote, not escaped by a backslash. */
function terminated(token: string): boolean {
  const m = /^[rRbBuUfF]{0,2}('''|"""|'|")/.exec(token);
  if (!m) return true;
  const q = m[1];
  if (token.length < m[0].length + q.length || !token.endsWith(q)) return false;
  let backslashes = 0;
  for (let i = token.length - q.length - 1; i >= m[0].length && token[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/**
 * The grammar occasionally reports an error between two valid top-level statements of a long file (its
 * ambiguity handling prunes the wrong branch). An error counts only if the top-level statements around it,
 * parsed on their own, still fail.
 */
function confirmed(text: string, tree: Tree, offset: number, windows: Map<string, boolean>): boolean {
  let from = 0;
  let to = text.length;
  // The window is whole statements: it starts and ends at nodes that begin a line, since a wrong branch can split a
  // statement into top-level pieces (`class` alone, then its name as an expression and its indented body).
  const errorLineEnd = lineEnd(text, offset);
  const startsLine = (pos: number) => pos === 0 || text[pos - 1] === '\n' || text[pos - 1] === '\r';
  for (let n = tree.topNode.firstChild; n; n = n.nextSibling) {
    if (n.type.isError || !startsLine(n.from)) continue;
    if (n.from <= offset) from = n.from;
    else if (n.from > errorLineEnd) {
      to = n.to;
      break;
    }
  }
  if (from === 0 && to === text.length) return true;
  const key = `${from}:${to}`;
  let result = windows.get(key);
  if (result === undefined) {
    result = false;
    const cursor = parser.parse(text.slice(from, to)).cursor();
    do if (cursor.type.isError) result = true;
    while (!result && cursor.next());
    windows.set(key, result);
  }
  return result;
}

const MAX_CONFIRMATIONS = 20;

/** Time spent in parsePython and the text it parsed, for HTTPS_GUARD_TIMING and the bench. */
export const pythonParseStats = { ms: 0, bytes: 0 };

/** Results parsed ahead, on worker threads, by text: see withPreparsed. */
let preparsed: ReadonlyMap<string, ParsedPython> | undefined;

/** Runs `fn` with parse results made elsewhere (worker threads); parsePython returns them for the same text. */
export function withPreparsed<T>(map: ReadonlyMap<string, ParsedPython> | undefined, fn: () => T): T {
  const before = preparsed;
  preparsed = map;
  try {
    return fn();
  } finally {
    preparsed = before;
  }
}

/** Parses Python 3 with an error-tolerant grammar; never throws and never evaluates anything. */
export function parsePython(original: string): ParsedPython {
  const ready = preparsed?.get(original);
  // A copy of the error list: callers own what they get, as with a fresh parse (the tree is immutable).
  if (ready) return { text: ready.text, tree: ready.tree, errors: ready.errors.slice() };
  const started = performance.now();
  try {
    return parseUntimed(original);
  } finally {
    pythonParseStats.ms += performance.now() - started;
    pythonParseStats.bytes += original.length;
  }
}

function parseUntimed(original: string): ParsedPython {
  const { text, firstOffset } = limitNesting(original);
  const errors: PythonSyntaxError[] = [];
  if (firstOffset !== undefined) {
    errors.push({ offset: firstOffset, message: `too many nested brackets (more than ${MAX_BRACKET_DEPTH}); Python rejects this file` });
  }
  let tree: Tree | undefined;
  try {
    tree = parser.parse(text);
    const cursor = tree.cursor();
    do {
      if (cursor.type.isError) {
        const last = errors[errors.length - 1];
        if (!last || last.offset !== cursor.from) errors.push({ offset: cursor.from, message: `invalid syntax: ${describeAt(text, cursor.from)}` });
      } else if (cursor.name === 'String' && !terminated(text.slice(cursor.from, cursor.to))) {
        // The grammar accepts an unterminated one-line string as a token; CPython does not.
        errors.push({ offset: cursor.from, message: 'unterminated string literal' });
      }
    } while (cursor.next());
  } catch (e) {
    tree = undefined;
    errors.push({ offset: 0, message: `the Python parser gave up on this file: ${(e as Error).message}` });
  }
  errors.sort((a, b) => a.offset - b.offset);
  if (!tree) return { text, tree, errors };
  // Re-check grammar errors up to the first real one; beyond it, the count is what matters, not each position.
  const kept: PythonSyntaxError[] = [];
  const windows = new Map<string, boolean>();
  let checked = 0;
  for (const e of errors) {
    if (!e.message.startsWith('invalid syntax') || kept.length > 0 || checked >= MAX_CONFIRMATIONS) {
      kept.push(e);
      continue;
    }
    checked++;
    if (confirmed(text, tree, e.offset, windows)) kept.push(e);
  }
  return { text, tree, errors: kept };
}
