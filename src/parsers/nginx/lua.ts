// Brace matching for `*_by_lua_block { … }`: lua-nginx-module hands the block to its own Lua lexer
// (ngx_http_lua_conf_read_lua_token in src/ngx_http_lua_directive.c), which skips Lua strings, long
// brackets and comments and counts `{` `}` until the level drops to zero.

const LF = 10;

/** Length of a long-bracket opener `[`, `=`*, `[` at `i`, or 0. Returns the level (count of `=`) + 2. */
function longBracketOpen(text: string, i: number): number {
  if (text.charCodeAt(i) !== 91 /* [ */) return 0;
  let j = i + 1;
  while (text.charCodeAt(j) === 61 /* = */) j++;
  return text.charCodeAt(j) === 91 ? j - i + 1 : 0;
}

/** Index just after the long bracket closer matching an opener of `openLen` characters, or -1. */
function longBracketEnd(text: string, from: number, openLen: number): number {
  const close = ']' + '='.repeat(openLen - 2) + ']';
  const k = text.indexOf(close, from);
  return k === -1 ? -1 : k + close.length;
}

export interface LuaScan {
  /** Index of the `}` that closes the block, or -1 when the file ends first. */
  close: number;
  /** Where an unterminated string or long bracket started (for the error), else -1. */
  openAt: number;
}

/** Scans Lua source from `from` (just after the opening `{`) to the matching `}`. Linear, no recursion. */
export function scanLuaBlock(text: string, from: number): LuaScan {
  const n = text.length;
  let level = 1;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) {
      level++;
      i++;
    } else if (c === 125 /* } */) {
      if (--level === 0) return { close: i, openAt: -1 };
      i++;
    } else if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      const open = longBracketOpen(text, i + 2);
      if (open) {
        const end = longBracketEnd(text, i + 2 + open, open);
        if (end === -1) return { close: -1, openAt: i };
        i = end;
      } else {
        const nl = text.indexOf('\n', i);
        i = nl === -1 ? n : nl + 1;
      }
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === c) break;
        else if (d === LF) break; // an unfinished Lua string ends at the line end; keeps a typo local
        else i++;
      }
      if (i >= n) return { close: -1, openAt: start };
      i++;
    } else if (c === 91 /* [ */) {
      const open = longBracketOpen(text, i);
      if (open) {
        const end = longBracketEnd(text, i + open, open);
        if (end === -1) return { close: -1, openAt: i };
        i = end;
      } else i++;
    } else i++;
  }
  return { close: -1, openAt: -1 };
}
