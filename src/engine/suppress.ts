import type { SourceText } from '../parsers/source';
import type { Finding, Suppression } from '../types';
import { editDistance } from '../util/edit-distance';

/**
 * Inline suppressions: `https-guard: ignore`, `https-guard: ignore[rule-a, rule-b]`, either optionally followed by
 * ` -- reason`, in a comment on the finding's line or in a comment alone on the line above. Everything here reads
 * hostile text, so it is one linear pass per file, with no regular expression over the content.
 */

export const MARKER = 'https-guard:';
const KEYWORD = 'ignore';
/** Between the ids (or the bare `ignore`) and the reason, as ESLint's `-- reason`. */
export const REASON_SEPARATOR = '--';
/** Longer ids and reasons are cut: they are echoed in messages and output. */
const MAX_ID = 200;
const MAX_REASON = 500;
/** A real suppression names a handful of rules; past this many the ids are not read. */
const MAX_IDS = 100;

export interface DirectiveId {
  id: string;
  /** 1-based column of the id in its line. */
  column: number;
  used: boolean;
}

export interface Directive {
  path: string;
  line: number;
  /** 1-based column of `https-guard:` and the column just past the directive (before the reason). */
  column: number;
  endColumn: number;
  /** undefined: a bare `ignore`, which silences every rule on the line. */
  ids?: DirectiveId[];
  reason?: string;
  /** The comment fills its line, so it also covers the next line. */
  ownLine: boolean;
  /** A bare `ignore` that silenced something. */
  used: boolean;
}

/** How comments are written in a file, from its name. */
export type CommentStyle = 'python' | 'nginx' | 'ini' | 'xml' | 'hash';

export function commentStyle(path: string): CommentStyle {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.py') || name.endsWith('.pyi')) return 'python';
  if (name.endsWith('.ini') || name.endsWith('.service') || name.endsWith('.socket')) return 'ini';
  if (name.endsWith('.xml')) return 'xml';
  if (name.endsWith('.conf') || name.endsWith('.nginx') || name.includes('nginx') || name.endsWith('.vhost') || name.endsWith('.site')) return 'nginx';
  // YAML (uwsgi, compose, Kubernetes), Dockerfiles, Procfiles, shell, Caddyfiles, TOML, env files.
  return 'hash';
}

interface Comment {
  /** Offset of the comment's text (after its opener) and of its end (exclusive). */
  start: number;
  end: number;
  ownLine: boolean;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 12 || c === 11;

/**
 * Every comment of the text that contains the marker. Python: `#` outside strings (triple-quoted ones span lines);
 * nginx: `#` outside quotes; ini: `;` or `#` opening a line (uwsgi and systemd read no inline comments);
 * XML: `<!-- … -->`; the rest: `#` at the start of a line or after a blank (YAML, Dockerfile, shell).
 * Python is read from the top (a string may span lines); the other formats only on the lines holding the marker.
 */
function commentsWithMarker(text: string, style: CommentStyle): Comment[] {
  const out: Comment[] = [];
  let marker = text.indexOf(MARKER);
  if (marker === -1) return out;
  const n = text.length;
  if (style !== 'python') {
    while (marker !== -1) {
      let start = marker;
      while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
      const end = lineEnd(text, marker);
      const c = lineComment(text, start, end, style);
      if (c && text.indexOf(MARKER, c.start) < c.end) out.push(c);
      // The next marker is looked for past this line, so a line is read once however many markers it holds.
      marker = end < n ? text.indexOf(MARKER, end) : -1;
    }
    return out;
  }
  // The marker past `from`, found again only once the scan has passed the last one found: linear overall.
  const hasMarker = (from: number, to: number) => {
    if (marker !== -1 && marker < from) marker = text.indexOf(MARKER, from);
    return marker !== -1 && marker < to;
  };
  let i = 0;
  let onlyBlank = true;
  let quote = 0;
  let triple = false;
  while (i < n && marker !== -1) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      i++;
      onlyBlank = true;
      // A one-line string does not survive its line (Python would have stopped on a syntax error).
      if (!triple) quote = 0;
      continue;
    }
    if (quote !== 0) {
      if (c === 92) {
        i += 2;
        continue;
      }
      if (c === quote) {
        if (!triple) quote = 0;
        else if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) {
          quote = 0;
          triple = false;
          i += 3;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c === 35) {
      const end = lineEnd(text, i);
      if (hasMarker(i + 1, end)) out.push({ start: i + 1, end, ownLine: onlyBlank });
      i = end;
      continue;
    }
    if (c === 34 || c === 39) {
      quote = c;
      onlyBlank = false;
      if (text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
        triple = true;
        i += 3;
        continue;
      }
      triple = false;
    }
    if (!isSpace(c)) onlyBlank = false;
    i++;
  }
  return out;
}

function lineEnd(text: string, from: number): number {
  let j = from;
  while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
  return j;
}

/** The comment of one line (`start`..`end`) in a format whose comments and quotes do not span lines. */
function lineComment(text: string, start: number, end: number, style: CommentStyle): Comment | undefined {
  let onlyBlank = true;
  let quote = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (style === 'xml') {
      if (c === 60 && text.startsWith('<!--', i)) {
        // Only the comment's first line carries a directive.
        const close = text.indexOf('-->', i + 4);
        const stop = close === -1 || close > end ? end : close;
        let k = stop === end ? end : close + 3;
        while (k < end && isSpace(text.charCodeAt(k))) k++;
        return { start: i + 4, end: stop, ownLine: onlyBlank && k >= end };
      }
    } else if (style === 'ini') {
      if (c === 59 || c === 35) return onlyBlank ? { start: i + 1, end, ownLine: true } : undefined;
    } else if (c === 35) {
      if (style === 'nginx' || i === start || isSpace(text.charCodeAt(i - 1))) return { start: i + 1, end, ownLine: onlyBlank };
    } else if ((c === 34 || c === 39) && style === 'nginx') {
      quote = c;
    }
    if (!isSpace(c)) onlyBlank = false;
  }
  return undefined;
}

const isIdChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

/**
 * Reads the directive in one comment's text (`from`..`to` of `text`), or undefined when the comment holds none.
 * `https-guard:` may follow other words (`# noqa  https-guard: ignore`); `ignore` must be a whole word; ids are
 * between brackets, comma-separated (an unclosed bracket ends at the reason or the comment's end); the reason
 * follows `--`.
 */
export function parseDirectiveText(text: string, from = 0, to = text.length): Omit<Directive, 'path' | 'line' | 'ownLine' | 'used'> & { offset: number; idOffsets: number[]; end: number } | undefined {
  let at = text.indexOf(MARKER, from);
  while (at !== -1 && at < to) {
    let i = at + MARKER.length;
    while (i < to && isSpace(text.charCodeAt(i))) i++;
    if (text.startsWith(KEYWORD, i) && (i + KEYWORD.length >= to || !isIdChar(text.charCodeAt(i + KEYWORD.length)))) {
      i += KEYWORD.length;
      let ids: { id: string; at: number }[] | undefined;
      if (text.charCodeAt(i) === 91 && i < to) {
        ids = [];
        i++;
        let start = i;
        for (;;) {
          const c = i < to ? text.charCodeAt(i) : -1;
          const atReason = c === 45 && text.startsWith(REASON_SEPARATOR, i) && i + 2 <= to;
          if (c === -1 || c === 93 || c === 44 || atReason) {
            let a = start;
            let b = i;
            while (a < b && isSpace(text.charCodeAt(a))) a++;
            while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
            if (b > a && ids.length < MAX_IDS) ids.push({ id: text.slice(a, Math.min(b, a + MAX_ID)), at: a });
            if (c === 44) {
              i++;
              start = i;
              continue;
            }
            if (c === 93) i++;
            break;
          }
          i++;
        }
      }
      const end = i;
      let reason: string | undefined;
      let j = i;
      while (j < to && isSpace(text.charCodeAt(j))) j++;
      if (text.startsWith(REASON_SEPARATOR, j) && j + 2 <= to) {
        const r = text.slice(j + 2, Math.min(to, j + 2 + MAX_REASON * 2)).trim();
        if (r) reason = r.slice(0, MAX_REASON);
      }
      return {
        offset: at,
        idOffsets: ids?.map((x) => x.at) ?? [],
        end,
        column: 0,
        endColumn: 0,
        ids: ids?.map((x) => ({ id: x.id, column: 0, used: false })),
        reason,
      };
    }
    at = text.indexOf(MARKER, at + MARKER.length);
  }
  return undefined;
}

/** Every directive of a file, with its place. */
export function findDirectives(src: SourceText, style: CommentStyle = commentStyle(src.path)): Directive[] {
  const out: Directive[] = [];
  for (const c of commentsWithMarker(src.text, style)) {
    const d = parseDirectiveText(src.text, c.start, c.end);
    if (!d) continue;
    const pos = src.position(d.offset);
    const lineStart = d.offset - pos.column + 1;
    out.push({
      path: src.path,
      line: pos.line,
      column: pos.column,
      endColumn: d.end - lineStart + 1,
      ids: d.ids?.map((x, k) => ({ ...x, column: d.idOffsets[k] - lineStart + 1 })),
      reason: d.reason,
      ownLine: c.ownLine,
      used: false,
    });
  }
  return out;
}

/** The directives of the files read, found once per file when a finding first asks about it. */
export class SuppressionIndex {
  private readonly byFile = new Map<string, Map<number, Directive[]>>();

  constructor(
    private readonly sources: ReadonlyMap<string, SourceText>,
    /** Files known to be nginx configuration whatever their name (`sites-available/default`). */
    private readonly nginxFiles: ReadonlySet<string> = new Set(),
  ) {}

  private lines(path: string): Map<number, Directive[]> {
    let m = this.byFile.get(path);
    if (m) return m;
    m = new Map();
    const src = this.sources.get(path);
    if (src) {
      for (const d of findDirectives(src, this.nginxFiles.has(path) ? 'nginx' : undefined)) {
        const list = m.get(d.line);
        if (list) list.push(d);
        else m.set(d.line, [d]);
      }
    }
    this.byFile.set(path, m);
    return m;
  }

  /**
   * The suppression covering a finding (its own line first, then a comment alone on the line above), marking every
   * directive that covers it as used. `explicitOnly`: a bare `ignore` does not count (for findings about
   * suppressions themselves, which a bare `ignore` on their own line would otherwise silence).
   */
  match(f: Pick<Finding, 'path' | 'line' | 'ruleId'>, explicitOnly = false): Suppression | undefined {
    const lines = this.lines(f.path);
    let first: Directive | undefined;
    const candidates = [...(lines.get(f.line) ?? []), ...(lines.get(f.line - 1) ?? []).filter((d) => d.ownLine)];
    for (const d of candidates) {
      let covers = false;
      if (d.ids === undefined) {
        if (!explicitOnly) covers = d.used = true;
      } else {
        for (const x of d.ids) {
          if (x.id === f.ruleId) covers = x.used = true;
        }
      }
      if (covers && !first) first = d;
    }
    return first ? { path: first.path, line: first.line, ...(first.reason !== undefined ? { reason: first.reason } : {}) } : undefined;
  }

  /** Every directive of every file read, in path and line order. */
  all(): Directive[] {
    const out: Directive[] = [];
    for (const path of [...this.sources.keys()].sort()) for (const list of this.lines(path).values()) out.push(...list);
    return out;
  }
}

/** The known id closest to an unknown one: the same name in another family, else the fewest edits (if close). */
export function nearestId(unknown: string, known: readonly string[]): string | undefined {
  // Edits are counted only for an id of a plausible length, so a hostile file cannot make this quadratic-heavy.
  if (unknown.length > 80) return undefined;
  const name = unknown.slice(unknown.lastIndexOf('/') + 1);
  const sameName = known.filter((k) => k.slice(k.lastIndexOf('/') + 1) === name);
  if (sameName.length > 0) return [...sameName].sort()[0];
  let best: string | undefined;
  let bestD = Infinity;
  const limit = Math.max(2, Math.floor(unknown.length / 3));
  for (const k of known) {
    if (Math.abs(k.length - unknown.length) > limit) continue;
    const d = editDistance(unknown.toLowerCase(), k.toLowerCase());
    if (d < bestD || (d === bestD && best !== undefined && k < best)) {
      best = k;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= limit ? best : undefined;
}
