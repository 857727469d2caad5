// A small POSIX-shell word splitter for command lines found in deployment files (Dockerfile CMD, compose
// `command`, Procfile, systemd ExecStart, entrypoint scripts). It never executes anything: `$(…)` and backticks
// stay as text, and only `$NAME` / `${NAME}` / `${NAME:-default}` are expanded from variables the files set.
// One pass over the input, so work is linear in its length.

/** One simple command: its words, and the 0-based offset of its first character in the input. */
export interface ShellCommand {
  words: string[];
  offset: number;
}

/** Separators that end a simple command. */
const OPERATORS = new Set([';', '&', '|', '\n', '(', ')']);

export type Lookup = (name: string) => string | undefined;

/**
 * Splits `text` into simple commands. Variables are looked up in the assignments of earlier commands (`NAME=value`,
 * `export NAME=value`), then with `outer`; an unknown one stays as written (`$NAME`), so a reader can still see it
 * was not resolved.
 */
export function splitShell(text: string, outer: Lookup = () => undefined): ShellCommand[] {
  const out: ShellCommand[] = [];
  // `PORT="${APP_PORT:-8000}"` on one line is what `$PORT` means on the next ones.
  const vars = new Map<string, string>();
  const env: Lookup = (name) => vars.get(name) ?? outer(name);
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let start = -1;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) {
      out.push({ words, offset: Math.max(0, start) });
      const own = words[0] === 'export' ? words.slice(1) : words;
      const set = own.map(assignment);
      if (own.length > 0 && set.every(Boolean)) for (const a of set) vars.set(a![0], a![1]);
    }
    words = [];
    start = -1;
  };
  const n = text.length;
  // Without this, each unclosed `${` would scan to the end again.
  const lastClose = text.lastIndexOf('}');
  let i = 0;
  const expand = (): void => {
    // text[i] === '$'
    const next = text[i + 1];
    if (next === '{') {
      const close = i + 2 <= lastClose ? text.indexOf('}', i + 2) : -1;
      if (close === -1) {
        word += '$';
        i++;
        return;
      }
      const body = text.slice(i + 2, close);
      i = close + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(:?[-=?+])?/.exec(body);
      if (!m) {
        word += `\${${body}}`;
        return;
      }
      const value = env(m[1]);
      const op = m[2];
      const rest = body.slice(m[0].length);
      if (op === ':-' || op === '-' || op === ':=' || op === '=') word += value !== undefined && (value !== '' || !op.startsWith(':')) ? value : rest;
      else if (op === ':+' || op === '+') word += value ? rest : '';
      else word += value ?? `\${${body}}`;
      return;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 65));
    if (m) {
      const value = env(m[0]);
      word += value ?? `$${m[0]}`;
      i += 1 + m[0].length;
      return;
    }
    word += '$';
    i++;
  };
  while (i < n) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (!inWord && c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (OPERATORS.has(c)) {
      endCommand();
      i++;
      continue;
    }
    if (start === -1) start = i;
    inWord = true;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n && '$`"\\\n'.includes(text[i + 1])) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          i += 2;
        } else if (text[i] === '$') expand();
        else word += text[i++];
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 < n) word += text[i + 1];
      i += 2;
    } else if (c === '$') expand();
    else {
      word += c;
      i++;
    }
  }
  endCommand();
  return out;
}

/** `NAME=value` as a shell assignment word. */
export function assignment(word: string): [string, string] | undefined {
  const eq = word.indexOf('=');
  if (eq <= 0) return undefined;
  const name = word.slice(0, eq);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? [name, word.slice(eq + 1)] : undefined;
}
