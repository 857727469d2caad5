import type { Loc } from '../../types';

/** One word of a directive, as nginx's ngx_conf_read_token cuts it. */
export interface NginxArg {
  /** The word after nginx's unescaping (\" \' \\ \n \r \t; any other backslash is kept). */
  value: string;
  /** The source text, quotes included. */
  raw: string;
  quoted: boolean;
  loc: Loc;
}

export interface NginxDirective {
  name: string;
  args: NginxArg[];
  /** From the name to the `;` or `{` that ends the directive (to its last word when a syntax error cut it short). */
  loc: Loc;
  nameLoc: Loc;
  /** What ended the directive; null when a syntax error did (end of file, a stray `}`). */
  terminator: ';' | '{' | null;
  /** Children of a `{ … }` block; empty for a raw Lua block. */
  block?: NginxDirective[];
  /** The closing `}`; absent when the file ended first. */
  closeLoc?: Loc;
  /** The enclosing block directive (after include expansion: the includer's block). */
  parent?: NginxDirective;
  /** Workspace-relative path of the file the directive is written in. */
  file: string;
  /** `*_by_lua_block` content between the braces, kept as text. */
  raw?: string;
  /** Set on every directive that came from an included file: the innermost `include` that brought it in. */
  includedFrom?: NginxDirective;
}

export interface NginxParseError {
  loc: Loc;
  /** nginx's own wording where nginx has one (ngx_conf_file.c), without its " in file:line" suffix. */
  message: string;
  /** 'syntax': the tokenizer or block structure; 'directive': needs the directive's name and context. */
  kind: 'syntax' | 'directive';
  hint?: string;
}

export interface NginxComment {
  /** The comment text after `#`. */
  text: string;
  loc: Loc;
}
