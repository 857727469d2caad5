// Unified-diff hunks, as the pull-request files API gives them (`patch`) and as `git diff -U3` prints them.

/** New-side line numbers of one file's diff (1-based). */
export interface ChangedLines {
  /** Lines the change added or modified (`+`). */
  added: Set<number>;
  /** Every new-side line shown in a hunk: added lines and the context around them. */
  inHunks: Set<number>;
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Reads the hunks of one file. Hunk bodies are consumed by their line counts, not by their look: an added line
 * whose text starts with `++ ` or `@@` is still an added line.
 */
export function parseHunks(lines: readonly string[], start = 0): { changed: ChangedLines; next: number } {
  const changed: ChangedLines = { added: new Set(), inHunks: new Set() };
  let i = start;
  while (i < lines.length) {
    const header = HUNK_HEADER.exec(lines[i]);
    if (!header) break;
    let oldLeft = header[1] === undefined ? 1 : Number(header[1]);
    let newLeft = header[3] === undefined ? 1 : Number(header[3]);
    let newLine = Number(header[2]);
    i++;
    while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
      const line = lines[i++];
      const tag = line[0];
      if (tag === '\\') continue; // "\ No newline at end of file"
      if (tag === '+') {
        changed.added.add(newLine);
        changed.inHunks.add(newLine++);
        newLeft--;
      } else if (tag === '-') {
        oldLeft--;
      } else {
        // Context (' '), or an empty line where a tool stripped the context line's leading space.
        changed.inHunks.add(newLine++);
        newLeft--;
        oldLeft--;
      }
    }
    while (i < lines.length && lines[i].startsWith('\\')) i++;
  }
  return { changed, next: i };
}

/** The `patch` field of GET /pulls/{n}/files or /compare: hunks only, no file headers. */
export function parsePatch(patch: string): ChangedLines {
  return parseHunks(patch.split(/\r?\n/)).changed;
}

/**
 * `git diff` output for many files, keyed by new path. A file without hunks (binary, mode change, pure rename)
 * gets no entry: callers tell "no lines changed" from "no patch" with the name-status list.
 */
export function parseGitPatch(text: string): Map<string, ChangedLines> {
  const out = new Map<string, ChangedLines>();
  const lines = text.split('\n');
  let path: string | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith('diff --git ')) {
      path = undefined;
      i++;
    } else if (line.startsWith('+++ ')) {
      // Git ends the name with a tab when it holds a space (for GNU patch); a real tab would have been quoted.
      const target = line.slice(4).replace(/\t$/, '');
      path = target === '/dev/null' ? undefined : stripPrefix(unquoteGitPath(target), 'b/');
      i++;
    } else if (line.startsWith('@@ ') && path !== undefined) {
      const { changed, next } = parseHunks(lines, i);
      out.set(path, changed);
      i = next;
    } else {
      i++;
    }
  }
  return out;
}

function stripPrefix(s: string, prefix: string): string {
  return s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Git quotes a path with `"` and C escapes (octal bytes for UTF-8) when it holds `"`, `\` or control characters. */
export function unquoteGitPath(s: string): string {
  if (!(s.length >= 2 && s.startsWith('"') && s.endsWith('"'))) return s;
  // Work on UTF-8 bytes: `\` is ASCII and never part of a multi-byte character.
  const raw = Buffer.from(s.slice(1, -1), 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x5c) {
      bytes.push(raw[i]);
      continue;
    }
    const octal = /^[0-7]{3}/.exec(raw.subarray(i + 1, i + 4).toString('latin1'));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      const next = String.fromCharCode(raw[++i]);
      bytes.push(C_ESCAPES[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
