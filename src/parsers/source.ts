import type { Loc } from '../types';

/** A file's text with an offset → line/column index (1-based, columns in UTF-16 units like editors and GitHub). */
export class SourceText {
  private readonly lineStarts: number[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
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
    return { line: lo + 1, column: o - this.lineStarts[lo] + 1 };
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
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }

  /** A location covering a whole line (for findings about a file as a whole, or where only a line is known). */
  lineLoc(line: number): Loc {
    const l = Math.max(1, Math.min(line, this.lineCount));
    return { path: this.path, line: l, column: 1, endLine: l, endColumn: this.lineText(l).length + 1 };
  }
}

export function fileLoc(path: string, line = 1, column = 1): Loc {
  return { path, line, column, endLine: line, endColumn: column };
}
