import { RE2JS } from 're2js';

/**
 * Regular expressions written in scanned files (nginx PCRE, Python `re`) run in RE2 (re2js): matching time is
 * linear in the input, never backtracking. Features RE2 lacks are approximated soundly: a pattern with them is
 * replaced by a looser one (matches a superset) and a stricter one (a subset); when the looser one fails the
 * answer is "no-match", when the stricter one matches it is "match", otherwise "unknown", with the reason.
 */
export type Dialect = 'pcre' | 'python';
export type Verdict = 'match' | 'no-match' | 'unknown';

export interface PatternCheck {
  /** Whether the pattern matches somewhere in the input (re.search / pcre_exec). */
  test(input: string): Verdict;
  /** Why a verdict can be "unknown" (set when the pattern uses a feature RE2 lacks or cannot be compiled). */
  unsupported?: string;
}

// Compiled programs cost time proportional to their size for every input character; a counted repeat can make
// a short pattern large (`[a-z]{1000}`), so the program may grow only with the pattern's own length.
const MAX_INST_PER_CHAR = 10;
const MAX_INST_BASE = 200;
const MAX_INST = 50_000;
const NEVER = '[^\\x00-\\x{10FFFF}]';

interface Translation {
  exact?: string;
  over?: string;
  under?: string;
  reason?: string;
}

const LOOKAROUND = /^\(\?(?:=|!|<=|<!)/;

/** One pass over the pattern: RE2 syntax for the exact pattern and, when needed, the two approximations. */
export function translate(src: string, dialect: Dialect): Translation {
  let over = '';
  let under = '';
  let reason: string | undefined;
  let underOk = true;
  // Group stack: for each open group, whether it is a lookaround being dropped.
  const stack: boolean[] = [];
  let dropDepth = 0;
  const emit = (o: string, u: string = o) => {
    if (dropDepth > 0) return;
    over += o;
    under += u;
  };
  const why = (r: string) => (reason ??= r);
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return { reason: 'a trailing backslash' };
      if (dialect === 'python' && n === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        emit(`\\x{${src.slice(i + 2, i + 6)}}`);
        i += 5;
        continue;
      }
      if (!inClass && /[1-9]/.test(n)) {
        let j = i + 1;
        while (j < src.length && j < i + 3 && /[0-9]/.test(src[j])) j++;
        why('a backreference');
        emit('(?s:.*)', NEVER);
        i = j - 1;
        continue;
      }
      if (!inClass && (n === 'k' || n === 'g') && dialect === 'pcre') {
        const close = { '<': '>', "'": "'", '{': '}' }[src[i + 2] ?? ''];
        const end = close ? findWithin(src, close, i + 3) : -1;
        if (end < 0 && n === 'k') return { reason: 'an invalid \\k' };
        why('a backreference');
        emit('(?s:.*)', NEVER);
        i = end >= 0 ? end : i + 1 + (/^[0-9]/.test(src[i + 2] ?? '') ? 1 : 0);
        continue;
      }
      if (n === 'Z' && !inClass) {
        // Python: end of string. PCRE: end of string or before a final newline.
        emit(dialect === 'python' ? '\\z' : '(?:\\n?\\z)');
        i++;
        continue;
      }
      if (dialect === 'pcre' && /[vVhHRXGKNCE]/.test(n)) return { reason: `\\${n}, which RE2 does not have` };
      if (dialect === 'python' && /[GKRXhHNE]/.test(n)) return { reason: `\\${n}, which RE2 does not have` };
      emit(c + n);
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = findWithin(src, ':]', i + 2);
        if (end > 0 && /^\^?[a-z]+$/.test(src.slice(i + 2, end))) {
          emit(src.slice(i, end + 2));
          i = end + 1;
          continue;
        }
        emit('\\[');
        continue;
      }
      if (c === ']' && !classStart(src, i)) inClass = false;
      emit(c === '[' ? '\\[' : c);
      continue;
    }
    if (c === '[') {
      inClass = true;
      emit(c);
      continue;
    }
    if (c === '(') {
      const rest = src.slice(i, i + 4);
      if (LOOKAROUND.test(rest)) {
        why('a lookaround');
        if (dropDepth === 0) {
          over += '(?:)';
          under += NEVER;
        }
        stack.push(true);
        dropDepth++;
        i += rest.startsWith('(?<') ? 3 : 2;
        continue;
      }
      if (rest.startsWith('(?>')) {
        why('an atomic group');
        underOk = false;
        stack.push(false);
        emit('(?:');
        i += 2;
        continue;
      }
      if (rest.startsWith('(?#')) {
        const end = findWithin(src, ')', i, 4096);
        if (end < 0) return { reason: 'an unterminated comment' };
        i = end;
        continue;
      }
      if (/^\(\?P=/.test(rest)) {
        const end = findWithin(src, ')', i);
        if (end < 0) return { reason: 'an invalid (?P=' };
        why('a backreference');
        emit('(?s:.*)', NEVER);
        i = end;
        continue;
      }
      if (/^\(\?(?:R|[0-9+-]|&|P>|\(|C)/.test(rest) || rest.startsWith('(*')) return { reason: 'recursion, a conditional or a verb, which RE2 does not have' };
      stack.push(false);
      emit(c);
      continue;
    }
    if (c === ')') {
      const dropped = stack.pop();
      if (dropped === undefined) return { reason: 'an unbalanced parenthesis' };
      if (dropped) {
        dropDepth--;
        // A quantifier on a lookaround repeats an assertion: drop it too.
        const q = /^(?:[*+?]|\{\d*(?:,\d*)?\})[?+]?/.exec(src.slice(i + 1, i + 16));
        if (q) i += q[0].length;
        continue;
      }
      emit(c);
      continue;
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && src[i + 1] === '+' && dialect === 'pcre') {
      why('a possessive quantifier');
      underOk = false;
      emit(c);
      i++;
      continue;
    }
    if (c === '{' && src[i + 1] === ',') {
      const m = /^\{,(\d+)\}/.exec(src.slice(i, i + 12));
      if (m) {
        if (dialect === 'pcre') return { reason: '{,n}, which PCRE releases read differently' };
        emit(`{0,${m[1]}}`);
        i += m[0].length - 1;
        continue;
      }
    }
    emit(c);
  }
  if (stack.length > 0) return { reason: 'an unbalanced parenthesis' };
  if (reason === undefined) return { exact: over };
  return { over, under: underOk ? under : undefined, reason };
}

/** indexOf over a short window, so a pattern full of unterminated openers costs linear time, not quadratic. */
function findWithin(src: string, needle: string, from: number, window = 64): number {
  const end = src.slice(from, from + window).indexOf(needle);
  return end < 0 ? -1 : from + end;
}

/** `]` right after `[` or `[^` is a literal in PCRE, Python and RE2. */
function classStart(src: string, i: number): boolean {
  return src[i - 1] === '[' || (src[i - 1] === '^' && src[i - 2] === '[' && src[i - 3] !== '\\');
}

type Compiled = { re: RE2JS } | { error: string };

function compile(pattern: string, caseless: boolean, budget: number): Compiled {
  try {
    const re = RE2JS.compile(pattern, caseless ? RE2JS.CASE_INSENSITIVE : 0);
    const insts = (re.re2() as unknown as { prog?: { inst?: unknown[] } }).prog?.inst?.length ?? 0;
    if (insts > budget) return { error: 'a program too large to evaluate (counted repeats)' };
    return { re };
  } catch (e) {
    const m = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '').slice(0, 80) : 'an error';
    return { error: `syntax RE2 cannot read (${m})` };
  }
}

const cache = new Map<string, PatternCheck>();
const CACHE_MAX = 2048;

/** A linear-time check for a pattern from a scanned file. Never throws. */
export function checkPattern(source: string, dialect: Dialect, caseless = false): PatternCheck {
  const key = `${dialect}\0${caseless ? 'i' : ''}\0${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const made = build(source, dialect, caseless);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, made);
  return made;
}

function build(source: string, dialect: Dialect, caseless: boolean): PatternCheck {
  const budget = Math.min(MAX_INST, MAX_INST_BASE + MAX_INST_PER_CHAR * source.length);
  const t = translate(source, dialect);
  if (t.exact !== undefined) {
    const c = compile(t.exact, caseless, budget);
    if ('error' in c) return { test: () => 'unknown', unsupported: c.error };
    return { test: (s) => (c.re.test(s) ? 'match' : 'no-match') };
  }
  const reason = `${t.reason}, which the linear-time engine does not evaluate`;
  const over = t.over !== undefined ? compile(t.over, caseless, budget) : undefined;
  const under = t.under !== undefined ? compile(t.under, caseless, budget) : undefined;
  return {
    unsupported: reason,
    test(s) {
      if (over && 're' in over && !over.re.test(s)) return 'no-match';
      if (under && 're' in under && under.re.test(s)) return 'match';
      return 'unknown';
    },
  };
}

/** Whether the pattern matches every one of `inputs`: true, false, or undefined when that cannot be known. */
export function matchesAll(check: PatternCheck, inputs: readonly string[]): boolean | undefined {
  let unknown = false;
  for (const s of inputs) {
    const v = check.test(s);
    if (v === 'no-match') return false;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? undefined : true;
}
