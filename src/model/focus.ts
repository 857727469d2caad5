// Text-only reading of settings modules a focused scan does not evaluate (engine/focused.ts). Each answer is one
// that evaluation would give for certain, or "not sure", in which case the caller evaluates or loads the project.
// Both scanners are linear in the text and never backtrack.

const COMPLETE_NAMES = ['INSTALLED_APPS', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES'];
const MAX_DEPTH = 100;

/** Whether the UTF-16 unit is [A-Za-z0-9_]. */
function wordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether `word` occurs in the text as a whole word anywhere (strings and comments included). */
function hasWord(text: string, word: string, atLineStart = false): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = i === 0 ? 10 : text.charCodeAt(i - 1);
    if (atLineStart ? before !== 10 && before !== 13 : wordCode(before)) continue;
    if (i + word.length < text.length && wordCode(text.charCodeAt(i + word.length))) continue;
    return true;
  }
  return false;
}

/** Characters after which nothing changes: not a quote, comment, backslash, bracket or line end. */
const BORING = /[^"'#\\()[\]{}\n\r]+/y;
const NL = 10;
const CR = 13;

/**
 * True when interpreting this settings module surely binds INSTALLED_APPS, MIDDLEWARE or MIDDLEWARE_CLASSES (what
 * makes a module complete in settings.ts): a plain `NAME = …` statement at column 0, outside any string, bracket or
 * continued line and not after a line ending in `:`, in a file with no `del` (which could remove it) and no class
 * at column 0 (class-based settings replace the module's names), with well-formed strings and brackets before it.
 * The scan stops there. False means not sure, never "not complete".
 */
export function surelyComplete(text: string): boolean {
  if (hasWord(text, 'del') || hasWord(text, 'class', true)) return false;
  let depth = 0;
  let continued = false;
  // The last character of code (not comment) seen: a column-0 line after a `:` would be a missing block.
  let last = 0;
  let lineStart = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (!lineStart) {
      // Runs of characters that change no state are skipped by one linear character-class match.
      BORING.lastIndex = i;
      if (BORING.test(text)) {
        const end = BORING.lastIndex;
        let k = end - 1;
        while (k >= i && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || text.charCodeAt(k) === 12)) k--;
        if (k >= i) last = text.charCodeAt(k);
        i = end;
        if (i >= n) break;
      }
    }
    const c = text.charCodeAt(i);
    const atStart = lineStart;
    lineStart = false;
    if (c === NL || c === CR) {
      continued = false;
      lineStart = true;
      continue;
    }
    if (atStart && depth === 0 && !continued && last !== 58 && (c === 73 || c === 77)) {
      for (const name of COMPLETE_NAMES) {
        if (!text.startsWith(name, i) || (i + name.length < n && wordCode(text.charCodeAt(i + name.length)))) continue;
        let j = i + name.length;
        while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
        // Statements after it cannot unbind it (no `del`, no class), and a syntax error after it leaves it parsed.
        if (text.charCodeAt(j) === 61 && text.charCodeAt(j + 1) !== 61) return true;
      }
    }
    if (c === 32 || c === 9 || c === 12) continue;
    if (c === 92) {
      // A backslash before the line end continues the line: the next one does not start a statement.
      const d = text.charCodeAt(i + 1);
      if (d === NL || d === CR) {
        i += d === CR && text.charCodeAt(i + 2) === NL ? 2 : 1;
        continued = true;
        lineStart = true;
      }
      last = c;
      continue;
    }
    if (c === 35) {
      while (i + 1 < n && text.charCodeAt(i + 1) !== NL && text.charCodeAt(i + 1) !== CR) i++;
      continue;
    }
    last = c;
    if (c === 34 || c === 39) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      let j = i + (triple ? 3 : 1);
      for (;;) {
        if (j >= n) return false;
        const d = text.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === c && (!triple || (text.charCodeAt(j + 1) === c && text.charCodeAt(j + 2) === c))) break;
        else if (!triple && (d === NL || d === CR)) return false;
        else j++;
      }
      i = j + (triple ? 2 : 0);
      continue;
    }
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > MAX_DEPTH) return false;
    } else if (c === 41 || c === 93 || c === 125) {
      if (--depth < 0) return false;
    }
  }
  return false;
}

/** One import statement as written: `from <level dots><dotted> import <names>` or `import <dotted>`. */
export interface ImportTarget {
  level: number;
  dotted: string;
  /** Names after `from … import`; '*' for a star import; empty for `import a.b`. */
  names: string[];
}

/**
 * The import statements of a Python text, or undefined when they cannot all be read from lines alone (an import
 * after `;` or `:` on a line, a continued line, split-settings `include(`). Lines inside strings may add targets
 * that are not real: a superset is what the caller needs.
 */
export function importTargets(text: string): ImportTarget[] | undefined {
  if (text.includes('include(')) return undefined;
  const out: ImportTarget[] = [];
  // Only the lines that hold `import` are split out, through the closing bracket of a `from x import (` list.
  const lines: string[] = [];
  let done = 0;
  for (let at = text.indexOf('import'); at >= 0; at = text.indexOf('import', Math.max(at + 6, done))) {
    let start = at;
    while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
    let end = at;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    const code = text.slice(start, end).split('#')[0];
    if (code.includes('(') && !code.includes(')')) {
      const close = text.indexOf(')', end);
      end = close < 0 ? text.length : close + 1;
      while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    }
    for (const l of text.slice(start, end).split(/\r\n?|\n/)) lines.push(l);
    lines.push('');
    done = end;
  }
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const at = line.indexOf('import');
    if (at < 0) continue;
    const t = line.trimStart();
    const isFrom = t.startsWith('from ') || t.startsWith('from\t');
    const isImport = t.startsWith('import ') || t.startsWith('import\t');
    if (!isFrom && !isImport) {
      // `import` as a word elsewhere than at the start of a statement: not sure unless it is a comment.
      let word = false;
      for (let i = at; i >= 0; i = line.indexOf('import', i + 1)) {
        if (!wordCode(line.charCodeAt(i - 1)) && !wordCode(line.charCodeAt(i + 6))) word = true;
      }
      if (word && !t.startsWith('#')) return undefined;
      continue;
    }
    let stmt = line.split('#')[0];
    if (stmt.includes(';') || stmt.trimEnd().endsWith('\\')) return undefined;
    if (isFrom && stmt.includes('(') && !stmt.includes(')')) {
      // `from x import (a,\n b)`: the names run to the closing bracket.
      while (k + 1 < lines.length && !stmt.includes(')')) stmt += ` ${lines[++k].split('#')[0]}`;
      if (!stmt.includes(')')) return undefined;
    }
    const words = stmt.replace(/[(),]/g, ' , ').trim().split(/\s+/);
    if (isImport) {
      const list = words.slice(1).join(' ').split(',');
      for (const part of list) {
        const dotted = part.trim().split(/\s+/)[0];
        if (dotted) out.push({ level: 0, dotted, names: [] });
      }
      continue;
    }
    const mod = words[1] ?? '';
    if (words[2] !== 'import') return undefined;
    let level = 0;
    while (mod[level] === '.') level++;
    const names = words
      .slice(3)
      .join(' ')
      .split(',')
      .map((p) => p.trim().split(/\s+/)[0])
      .filter((x) => x);
    out.push({ level, dotted: mod.slice(level), names });
  }
  return out;
}
