import type { Loc } from '../types';

/** A file's text with an offset → line/column index (1-based, columns in UTF-16 units like editors and GitHub). */
export class SourceText {
  private readonly lineStarts: number[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lineStarts = lineStarts(text);
  }

  /** Offset where a 1-based line starts; undefined past the last line. */
  lineStart(line: number): number | undefined {
    return this.lineStarts[line - 1];
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // An offset between the CR and the LF of a CRLF (a word that swallowed the CR) is the end of the line, so
    // that a column never points past the line's text.
    const mid = o > 0 && this.text.charCodeAt(o - 1) === 13 && this.text.charCodeAt(o) === 10;
    return { line: lo + 1, column: o - this.lineStarts[lo] + (mid ? 0 : 1) };
  }

  loc(from: number, to: number): Loc {
    const a = this.position(from);
    const b = this.position(Math.max(from, to));
    return { path: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    let end = this.lineStarts[line] ?? this.text.length;
    // Drop the terminator: LF, CRLF or a lone CR.
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** A location covering a whole line (for findings about a file as a whole, or where only a line is known). */
  lineLoc(line: number): Loc {
    const l = Math.max(1, Math.min(line, this.lineCount));
    return { path: this.path, line: l, column: 1, endLine: l, endColumn: this.lineText(l).length + 1 };
  }
}

/**
 * Where each line starts. A line ends at LF, CRLF or a lone CR, as Python, editors and SARIF count lines, so a file
 * saved with old Mac line endings gets the line numbers its reader sees. Linear in the text.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') === -1) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

export function fileLoc(path: string, line = 1, column = 1): Loc {
  return { path, line, column, endLine: line, endColumn: column };
}
