// An nginx config reader that follows nginx's own tokenizer, ngx_conf_read_token() and ngx_conf_parse() in
// src/core/ngx_conf_file.c (checked against nginx 1.22), state for state: the same words, the same errors on
// the same lines. Unlike nginx it does not stop at the first error: it records it and carries on.

import { SourceText } from '../source';
import { checkNginxDirectiveShapes, type NginxContext } from './directives';
import { scanLuaBlock } from './lua';
import type { Loc } from '../../types';
import type { NginxArg, NginxComment, NginxDirective, NginxParseError } from './types';

export type { NginxArg, NginxComment, NginxDirective, NginxParseError } from './types';

export interface NginxParseOptions {
  /**
   * Where the file's top level sits ('main' for nginx.conf, 'http' for a site file included in http {}).
   * Default: 'main' when the file has a top-level http or events block, else 'unknown' (top level not judged).
   */
  context?: NginxContext;
  /**
   * Words and comments the parse may still create, shared by the files of a scan: dense text (`a;a;a;…`) costs a
   * few hundred bytes of model per input byte. Past it the rest of the file is not read and one error says so.
   */
  budget?: { remaining: number };
  /**
   * Structure only, for sniffing a file's format: names, words, terminators and blocks as usual, but no positions
   * (every loc is one shared placeholder), no comments, no errors and no shape checks.
   */
  structureOnly?: boolean;
}

export interface NginxParseResult {
  directives: NginxDirective[];
  errors: NginxParseError[];
  comments: NginxComment[];
  /** Characters of the text read: less than its length when the word budget stopped the parse. */
  read: number;
}

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const SQUOTE = 39;
const RPAREN = 41;
const SEMI = 59;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;

/** NGX_CONF_BUFFER: nginx reads the file through a 4096-byte buffer and a word must fit in it. */
const CONF_BUFFER = 4096;
/** A UTF-16 unit is at most 3 UTF-8 bytes, so a span shorter than this cannot reach CONF_BUFFER bytes. */
const SHORT_SPAN = Math.floor(CONF_BUFFER / 3);
const MAX_ERRORS = 500;
const INTERN_MAX_LENGTH = 40;
const INTERN_SLOTS = 4096;

const isSpace = (c: number) => c === SPACE || c === TAB || c === LF || c === CR;

const WORD_STOP = new Uint8Array(128);
for (const c of [SPACE, TAB, LF, CR, SEMI, LBRACE, BACKSLASH, DOLLAR]) WORD_STOP[c] = 1;

/** nginx's unescaping of every word, quoted or not (the copy loop at the end of ngx_conf_read_token). */
function unescape(s: string): string {
  if (s.indexOf('\\') === -1) return s;
  let out = '';
  let from = 0;
  for (let i = s.indexOf('\\'); i !== -1 && i < s.length - 1; i = s.indexOf('\\', i)) {
    const next = s.charCodeAt(i + 1);
    let rep: string | undefined;
    if (next === DQUOTE || next === SQUOTE || next === BACKSLASH) rep = s[i + 1];
    else if (next === 116 /* t */) rep = '\t';
    else if (next === 114 /* r */) rep = '\r';
    else if (next === 110 /* n */) rep = '\n';
    if (rep === undefined) {
      i += 2; // "\x" stays as is; the escaped char cannot start another escape
      continue;
    }
    out += s.slice(from, i) + rep;
    i += 2;
    from = i;
  }
  return out + s.slice(from);
}

function printable(c: number): string {
  return c < 32 || c === 127 ? `\\x${c.toString(16).padStart(2, '0')}` : String.fromCharCode(c);
}

/** UTF-8 length of one UTF-16 unit (a surrogate pair counts 2 + 2). */
const utf8Units = (c: number) => (c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3);

/**
 * One word. Its position is worked out when first asked (most arguments are never anchored to): a position object
 * per word was the largest share of what a parsed config keeps. Same answer as the parser's own cursor (both follow
 * SourceText.position). Four fields: every argument of every file stays in the model for the whole scan.
 */
class Word implements NginxArg {
  constructor(
    public value: string,
    /** The source text from the word's start: its end is `from + raw.length`. */
    public raw: string,
    private readonly from: number,
    /** The file's line index until the position is asked, then the position. */
    private at: SourceText | Loc,
  ) {}

  /** A word is quoted exactly when it starts with a quote: quotes open a word only at its start. */
  get quoted(): boolean {
    const c = this.raw.charCodeAt(0);
    return c === DQUOTE || c === SQUOTE;
  }

  get loc(): Loc {
    const at = this.at;
    return at instanceof SourceText ? (this.at = at.loc(this.from, this.from + this.raw.length)) : at;
  }
}

/**
 * A parsed directive. Its `loc` and `closeLoc`, which rules and baselines ask of most directives, are made as it is
 * read; the name's position, asked of few (a finding on a directive written over several lines, a server's name),
 * is worked out from offsets when first asked: it was a third of a parsed config's position objects.
 */
export class ParsedDirective implements NginxDirective {
  block: NginxDirective[] | undefined = undefined;
  closeLoc: Loc | undefined = undefined;
  raw: string | undefined = undefined;
  includedFrom: NginxDirective | undefined = undefined;

  constructor(
    public name: string,
    public args: NginxArg[],
    public loc: Loc,
    public terminator: ';' | '{' | null,
    public file: string,
    public parent: NginxDirective | undefined,
    /** Where the name ends (it starts where `loc` does). */
    private readonly nameEnd: number,
    /** The line index until the name's position is asked, then that position (for a structure-only read, the placeholder). */
    private at: SourceText | Loc,
  ) {}

  get nameLoc(): Loc {
    const at = this.at;
    if (!(at instanceof SourceText)) return at;
    const { path, line, column } = this.loc;
    const end = at.position(this.nameEnd);
    return (this.at = { path, line, column, endLine: end.line, endColumn: end.column });
  }

  /**
   * The same directive placed elsewhere by include expansion (block and raw as the original's, until reassigned),
   * sharing its positions, or what to work the name's out from.
   */
  copy(parent: NginxDirective | undefined, includedFrom: NginxDirective | undefined): ParsedDirective {
    const c = new ParsedDirective(this.name, this.args, this.loc, this.terminator, this.file, parent, this.nameEnd, this.at);
    c.block = this.block;
    c.closeLoc = this.closeLoc;
    c.raw = this.raw;
    c.includedFrom = includedFrom;
    return c;
  }
}

/**
 * Interning of short words: configs repeat the same ones (directive names, on/off, header names), and every word
 * stays in the model for the whole scan. A direct-mapped table keyed by a hash of the text: a hit costs no slice,
 * a collision only a second copy. Emptied after each file so it keeps no file's text alive.
 */
const internTable: string[] = new Array<string>(INTERN_SLOTS).fill('');

function internRange(text: string, from: number, to: number): string {
  const len = to - from;
  if (len > INTERN_MAX_LENGTH) return text.slice(from, to);
  let h = 0x811c9dc5 ^ len;
  for (let k = from; k < to; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
  const seen = internTable[slot];
  if (seen.length === len && text.startsWith(seen, from)) return seen;
  return (internTable[slot] = text.slice(from, to));
}

interface Frame {
  /** The block directive; undefined for a `{` that had no directive name (an error, kept for brace balance). */
  dir?: ParsedDirective;
  /** Where the block's children start in the pending list. */
  base: number;
  /** The nearest real block directive (the parent of the frame's children). */
  owner?: NginxDirective;
}

export function parseNginx(path: string, text: string, opts: NginxParseOptions = {}): NginxParseResult {
  const structureOnly = opts.structureOnly === true;
  // The line index is needed for positions only (a structure-only read builds it just for an error hint).
  let lineIndex: SourceText | undefined = structureOnly ? undefined : new SourceText(path, text);
  const src = { get: () => (lineIndex ??= new SourceText(path, text)) };
  const n = text.length;
  const errors: NginxParseError[] = [];
  const comments: NginxComment[] = [];
  // Directives of the open blocks, innermost last: a block's list is copied out at its exact size when it closes
  // (an array grown by push keeps spare room, and every block stays in the model for the whole scan).
  // Its length is kept apart: shrinking the array itself costs more than leaving stale entries past the end.
  const pending: NginxDirective[] = [];
  let pendingLength = 0;
  const stack: Frame[] = [{ base: 0 }];
  let frame = stack[0];
  const finish = (f: Frame) => {
    if (!f.dir) return;
    f.dir.block = pending.slice(f.base, pendingLength);
    pendingLength = f.base;
  };

  let lastErrorAt = -1;
  let lastErrorMessage = '';
  let capped = false;
  const error = (at: number, end: number, message: string, hint?: string) => {
    // one report per place: a quote followed by "}" would otherwise say 'unexpected "}"' twice
    if ((at === lastErrorAt && message === lastErrorMessage) || capped || structureOnly) return;
    lastErrorAt = at;
    lastErrorMessage = message;
    if (errors.length >= MAX_ERRORS) {
      capped = true;
      errors.push({ loc: loc(at, end), message: `more than ${MAX_ERRORS} errors, stopped reporting`, kind: 'syntax' });
      return;
    }
    const e: NginxParseError = { loc: loc(at, end), message, kind: 'syntax' };
    if (hint) e.hint = hint;
    errors.push(e);
  };

  // Byte offsets, needed only to mirror the 4096-byte word limit; computed lazily with a moving cursor.
  let cursorIdx = 0;
  let cursorBytes = 0;
  const bytePos = (idx: number): number => {
    while (cursorIdx < idx) cursorBytes += utf8Units(text.charCodeAt(cursorIdx++));
    while (cursorIdx > idx) cursorBytes -= utf8Units(text.charCodeAt(--cursorIdx));
    return cursorBytes;
  };
  let totalBytes = -1;

  // nginx's `start`: where the current span began. A span longer than the buffer fails when nginx refills the
  // buffer with `start` unchanged ("too long parameter"), unless the file ends first.
  let segStart = 0;
  let segQuote = 0;
  let segClose = -1;
  const checkSpan = (last: number) => {
    if (last - segStart <= SHORT_SPAN) return;
    const s = segStart;
    const bs = bytePos(s);
    if (bytePos(last) < bs + CONF_BUFFER) return;
    if (totalBytes < 0) {
      totalBytes = bytePos(n);
    }
    if (bs + CONF_BUFFER >= totalBytes) return;
    const inQuote = segQuote !== 0 && (segClose === -1 || bytePos(segClose) >= bs + CONF_BUFFER);
    error(
      s,
      Math.min(s + 1, n),
      inQuote
        ? `too long parameter, probably missing terminating "${String.fromCharCode(segQuote)}" character`
        : `too long parameter "${text.slice(s, s + 10)}..." started`,
      inQuote ? 'nginx reads a word in 4096-byte pieces; a quote that is not closed runs on' : 'nginx limits a word to 4096 bytes',
    );
  };
  const newSpan = (at: number) => {
    checkSpan(at);
    segStart = at;
    segQuote = 0;
  };

  // Line/column for an offset, as SourceText.position computes it, with a cursor over the current line so the
  // usual forward-moving lookups need no search (SourceText answers the rest).
  let curLine = 1;
  let curStart = 0;
  // Line starts come from SourceText, so a lone CR ends a line here as it does everywhere else.
  let nextStart = structureOnly ? n + 1 : src.get().lineStart(2) ?? n + 1;
  let posLine = 1;
  let posColumn = 1;
  const locate = (offset: number) => {
    const o = offset < 0 ? 0 : offset > n ? n : offset;
    if (o < curStart) {
      const p = lineIndex!.position(o);
      posLine = p.line;
      posColumn = p.column;
      return;
    }
    while (o >= nextStart) {
      curLine++;
      curStart = nextStart;
      nextStart = lineIndex!.lineStart(curLine + 1) ?? n + 1;
      if (o - curStart > 4096 && o >= nextStart) {
        // far ahead: jump instead of walking line by line
        const p = lineIndex!.position(o);
        curLine = p.line;
        curStart = lineIndex!.lineStart(curLine) ?? 0;
        nextStart = lineIndex!.lineStart(curLine + 1) ?? n + 1;
      }
    }
    posLine = curLine;
    posColumn = o - curStart + 1;
    // Between the CR and LF of a CRLF (a word that escaped the CR): the end of the line, as SourceText says.
    if (o > curStart && text.charCodeAt(o - 1) === CR && text.charCodeAt(o) === LF) posColumn--;
  };
  const noLoc: Loc = { path, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const loc = (from: number, to: number): Loc => {
    if (structureOnly) return noLoc;
    locate(to < from ? from : to);
    const endLine = posLine;
    const endColumn = posColumn;
    locate(from);
    return { path, line: posLine, column: posColumn, endLine, endColumn };
  };

  // The statement being read: its first word is the name (kept as fields, the directive has its own).
  let name: string | undefined;
  let nameEnd = 0;
  // Words after the name gather in one scratch list, copied out at the right size: an array grown by push keeps
  // room for 16 and every directive of every file is kept for the whole scan.
  const args: NginxArg[] = [];
  let argc = 0;
  let firstStart = 0;
  let lastEnd = 0;
  const budget = opts.budget;
  const positions: SourceText | Loc = structureOnly ? noLoc : (lineIndex as SourceText);
  const pushWord = (rawStart: number, rawEnd: number, quoted: boolean, contentEnd = quoted ? rawEnd - 1 : rawEnd) => {
    if (budget) budget.remaining--;
    const raw = internRange(text, rawStart, rawEnd);
    lastEnd = rawEnd;
    let value: string;
    if (tokEscapes) {
      const content = quoted ? text.slice(rawStart + 1, contentEnd) : raw;
      const u = unescape(content);
      value = u === raw ? raw : u.length > INTERN_MAX_LENGTH ? u : internRange(u, 0, u.length);
    } else value = quoted ? internRange(text, rawStart + 1, contentEnd) : raw;
    if (name === undefined) {
      firstStart = rawStart;
      nameEnd = rawEnd;
      name = value;
    } else args[argc++] = new Word(value, raw, rawStart, positions);
  };

  const makeDirective = (terminator: ';' | '{' | null, end: number): ParsedDirective => {
    const d = new ParsedDirective(name as string, argc === 0 ? [] : args.slice(0, argc), loc(firstStart, end), terminator, path, frame.owner, nameEnd, positions);
    name = undefined;
    argc = 0;
    pending[pendingLength++] = d;
    return d;
  };

  /** `;` after words: NGX_OK. */
  const endStatement = (at: number) => {
    newSpan(at);
    segStart = at + 1;
    makeDirective(';', at + 1);
  };

  /** `{` after words: NGX_CONF_BLOCK_START. Returns where to continue reading. */
  const startBlock = (at: number): number => {
    newSpan(at);
    segStart = at + 1;
    const d = makeDirective('{', at + 1);
    if (d.name.endsWith('_by_lua_block')) {
      d.block = [];
      // lua-nginx-module reads the block itself (ngx_http_lua_conf_lua_block_parse).
      const scan = scanLuaBlock(text, at + 1);
      if (scan.close === -1) {
        d.raw = text.slice(at + 1);
        error(
          n,
          n,
          'unexpected end of file, expecting terminating characters for lua code block',
          scan.openAt >= 0
            ? `a Lua string or long bracket opened at line ${src.get().position(scan.openAt).line} is not closed`
            : `the "${d.name}" block opened at line ${d.loc.endLine} is not closed`,
        );
        segStart = n;
        return n;
      }
      d.raw = text.slice(at + 1, scan.close);
      d.closeLoc = loc(scan.close, scan.close + 1);
      segStart = scan.close + 1;
      return scan.close + 1;
    }
    frame = { dir: d, base: pendingLength, owner: d };
    stack.push(frame);
    return at + 1;
  };

  /** A `}` with no words pending: NGX_CONF_BLOCK_DONE. */
  const closeBlock = (at: number) => {
    segStart = at + 1;
    if (stack.length === 1) {
      // ngx_conf_parse: a `}` at the top of a file (parse_file), even of an included one, is an error.
      error(at, at + 1, 'unexpected "}"', 'no block is open here: a "{" is missing above or this "}" is one too many');
      return;
    }
    const closed = stack.pop() as Frame;
    if (closed.dir) closed.dir.closeLoc = loc(at, at + 1);
    finish(closed);
    frame = stack[stack.length - 1];
  };

  // ngx_conf_read_token's state, same names where it helps.
  let lastSpace = true;
  let needSpace = false;
  let variable = false;
  let escaped = false;
  let quote = 0;
  let tokStart = 0;

  let tokEscapes = false;

  // Characters that change nothing in the state machine are skipped in bulk: in an unquoted word everything
  // but space, ";", "{", "\\" and "$"; in a quoted one everything but the quote, "\\" and "$".
  const skipPlain = (from: number): number => {
    let k = from;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c < 128 && WORD_STOP[c] === 1) break;
      k++;
    }
    return k;
  };
  const skipQuoted = (from: number, q: number): number => {
    let k = from;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === q || c === BACKSLASH || c === DOLLAR) break;
      k++;
    }
    return k;
  };

  let i = 0;
  let stoppedAt = -1;
  while (i < n) {
    const at = i;
    if (budget && budget.remaining <= 0) {
      stoppedAt = at;
      break;
    }
    const ch = text.charCodeAt(i++);

    if (escaped) {
      escaped = false;
      continue;
    }

    if (needSpace) {
      if (isSpace(ch)) {
        lastSpace = true;
        needSpace = false;
        continue;
      }
      if (ch === SEMI) {
        needSpace = false;
        lastSpace = true;
        endStatement(at);
        continue;
      }
      if (ch === LBRACE) {
        needSpace = false;
        lastSpace = true;
        i = startBlock(at);
        continue;
      }
      // A closing quote must be followed by space, ";", "{" or ")" (the ")" closes an if condition).
      if (ch !== RPAREN) {
        error(at, at + 1, `unexpected "${printable(ch)}"`, 'a quoted word must be followed by a space, ";" or "{"');
      }
      needSpace = false;
      lastSpace = true;
      // recovery: read the character as the start of the next word (nginx does so for ")")
    }

    if (lastSpace) {
      // every character read here starts a new span (nginx: start = b->pos - 1)
      if (at - segStart > SHORT_SPAN) checkSpan(at);
      segStart = at;
      segQuote = 0;
      if (isSpace(ch)) {
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        segStart = i - 1;
        continue;
      }
      switch (ch) {
        case SEMI:
        case LBRACE:
          if (name === undefined) {
            error(at, at + 1, `unexpected "${String.fromCharCode(ch)}"`, ch === SEMI ? 'an empty statement' : 'a block without a directive name');
            segStart = at + 1;
            if (ch === LBRACE) {
              frame = { base: pendingLength, owner: frame.owner };
              stack.push(frame);
            }
            continue;
          }
          if (ch === SEMI) endStatement(at);
          else i = startBlock(at);
          continue;
        case RBRACE:
          if (name !== undefined) {
            error(at, at + 1, 'unexpected "}"', 'the directive before it lacks its ";"');
            makeDirective(null, lastEnd);
          }
          closeBlock(at);
          continue;
        case HASH: {
          const nl = text.indexOf('\n', i);
          const end = nl === -1 ? n : nl;
          if (budget) budget.remaining--;
          if (!structureOnly) comments.push({ text: text.slice(at + 1, end > at + 1 && text.charCodeAt(end - 1) === CR ? end - 1 : end), loc: loc(at, end) });
          i = end; // the newline itself is read as whitespace, which ends the comment's span
          continue;
        }
        case BACKSLASH:
          escaped = true;
          tokEscapes = true;
          lastSpace = false;
          tokStart = at;
          continue;
        case DQUOTE:
        case SQUOTE:
          quote = ch;
          segStart = at + 1;
          segQuote = ch;
          segClose = -1;
          lastSpace = false;
          tokStart = at;
          tokEscapes = false;
          i = skipQuoted(i, ch);
          continue;
        case DOLLAR:
          variable = true;
          lastSpace = false;
          tokStart = at;
          tokEscapes = false;
          continue;
        default:
          lastSpace = false;
          tokStart = at;
          tokEscapes = false;
          i = skipPlain(i);
          continue;
      }
    }

    // Inside a word. "${" keeps the brace in the word (variable), it does not open a block.
    if (ch === LBRACE && variable) continue;
    variable = false;
    if (ch === BACKSLASH) {
      escaped = true;
      tokEscapes = true;
      continue;
    }
    if (ch === DOLLAR) {
      variable = true;
      continue;
    }
    if (quote !== 0) {
      if (ch === quote) {
        quote = 0;
        needSpace = true;
        segClose = at;
        pushWord(tokStart, at + 1, true);
      } else i = skipQuoted(i, quote);
      continue;
    }
    if (isSpace(ch) || ch === SEMI || ch === LBRACE) {
      lastSpace = true;
      pushWord(tokStart, at, false);
      if (ch === SEMI) endStatement(at);
      else if (ch === LBRACE) i = startBlock(at);
    } else i = skipPlain(i);
  }

  if (stoppedAt >= 0) {
    // Not nginx's wording: nginx has no such limit. The directives read so far are kept and checked.
    errors.push({
      loc: loc(stoppedAt, stoppedAt),
      message: 'the rest of this file was not read: the scan reached its budget of nginx words and comments',
      kind: 'syntax',
      hint: 'the file is unusually dense (many short directives per byte); split it or exclude it with `ignore`',
    });
  }
  // End of file (ngx_conf_read_token's NGX_CONF_FILE_DONE path, then ngx_conf_parse's parse_block check).
  if (stoppedAt < 0) checkSpan(n);
  if (stoppedAt < 0 && (name !== undefined || !lastSpace)) {
    let hint: string | undefined;
    if (!lastSpace && !needSpace) {
      if (quote !== 0) {
        const p = src.get().position(tokStart);
        hint = `the quote opened at line ${p.line}, column ${p.column} is not closed`;
      }
      pushWord(tokStart, n, quote !== 0, n);
    }
    error(n, n, 'unexpected end of file, expecting ";" or "}"', hint ?? 'the last directive lacks its ";"');
    makeDirective(null, lastEnd);
  }
  if (stoppedAt < 0 && stack.length > 1) {
    let open: ParsedDirective | undefined;
    for (let k = stack.length - 1; k > 0 && !open; k--) open = stack[k].dir;
    error(
      n,
      n,
      'unexpected end of file, expecting "}"',
      open ? `the "${open.name}" block opened at line ${open.loc.endLine} is not closed` : 'a "{" is not closed',
    );
  }

  // Blocks still open (the file ended first, or the budget stopped it) keep what they got.
  for (let k = stack.length - 1; k > 0; k--) finish(stack[k]);
  const top = pending.length === pendingLength ? pending : pending.slice(0, pendingLength);
  internTable.fill('');
  const read = stoppedAt < 0 ? n : stoppedAt;
  if (structureOnly) return { directives: top, errors, comments, read };
  const context =
    opts.context ?? (top.some((d) => d.block && (d.name === 'http' || d.name === 'events')) ? 'main' : 'unknown');
  // Within the same bound as the syntax errors (the notice that reporting stopped included).
  for (const e of checkNginxDirectiveShapes(top, context)) if (errors.length <= MAX_ERRORS) errors.push(e);
  errors.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);
  return { directives: top, errors, comments, read };
}
