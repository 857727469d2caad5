import fc from 'fast-check';
import { lineStarts } from '../../src/parsers/source';

// Shared by the fuzz tests: the seed (fixed by default, FUZZ_SEED=<n> or FUZZ_SEED=random to vary it), a run
// multiplier (FUZZ_SCALE), grammar-aware string building, and the invariants every parser output must keep.

const raw = process.env.FUZZ_SEED;
export const SEED = raw === undefined || raw === '' ? 20261206 : raw === 'random' ? (Math.random() * 2 ** 31) | 0 : Number(raw) | 0;
export const SCALE = Math.max(0.01, Number(process.env.FUZZ_SCALE ?? '1') || 1);

/** A run count as FUZZ_SCALE makes it. */
export const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));

/** Runs a property with the shared seed; on failure the message says how to replay it. */
export function fuzz<T>(name: string, arb: fc.Arbitrary<T>, check: (input: T) => void, numRuns: number): number {
  const runs = scaled(numRuns);
  const result = fc.check(fc.property(arb, (input) => { check(input); }), { seed: SEED, numRuns: runs, endOnFailure: false });
  if (result.failed) {
    const shown = JSON.stringify(result.counterexample?.[0])?.slice(0, 2000);
    throw new Error(
      `${name}: failed after ${result.numRuns} runs (seed ${SEED}, path ${result.counterexamplePath}).\n` +
        `Replay: FUZZ_SEED=${SEED} npx vitest run __tests__/fuzz\nInput: ${shown}\n${String(result.errorInstance instanceof Error ? result.errorInstance.stack : result.errorInstance)}`,
    );
  }
  return runs;
}

/** Any UTF-16 unit, lone surrogates and controls included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const junk = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: anyUnit, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\uFEFF', '\u2028', '\u2029', '\u00A0', '\uD800', '\uDC00', '😀', 'é', '\x7f') },
);
const blanks = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\r', '\n\n', '\\\n');

/** Text made of a format's tokens, blanks and random units, so that most inputs are near-valid. */
export function grammar(tokens: readonly string[], maxTokens = 40): fc.Arbitrary<string> {
  const tok = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    { weight: 3, arbitrary: blanks },
    { weight: 2, arbitrary: junk },
  );
  return fc.array(tok, { maxLength: maxTokens }).map((parts) => parts.join(''));
}

/** Lines of a format: each a sequence of tokens, joined by one of the line endings. */
export function lines(tokens: readonly string[], maxLines = 12, perLine = 8): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(grammar(tokens, perLine), { maxLength: maxLines }), fc.constantFrom('\n', '\r\n', '\r'))
    .map(([ls, eol]) => ls.join(eol));
}

export interface LocLike {
  path?: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** Line lengths of a text as SourceText counts them (LF, CRLF and lone CR end a line). */
export function lineLengths(text: string): number[] {
  const starts = lineStarts(text);
  return starts.map((s, i) => {
    let end = i + 1 < starts.length ? starts[i + 1] : text.length;
    if (end > s && text.charCodeAt(end - 1) === 10) end--;
    if (end > s && text.charCodeAt(end - 1) === 13) end--;
    return end - s;
  });
}

/** A location inside `text`: line ≥ 1 and within the file, columns within their line (end column one past it). */
export function expectLocIn(loc: LocLike, text: string, what: string, lengths = lineLengths(text)): void {
  const fail = (why: string) => {
    throw new Error(`${what}: ${why} in ${JSON.stringify(loc)} (file has ${lengths.length} lines)`);
  };
  if (!Number.isInteger(loc.line) || loc.line < 1) fail('line < 1');
  if (loc.line > lengths.length) fail('line past the end');
  if (loc.column !== undefined && (!Number.isInteger(loc.column) || loc.column < 1 || loc.column > lengths[loc.line - 1] + 1)) fail('column outside its line');
  if (loc.endLine !== undefined) {
    if (loc.endLine < loc.line || loc.endLine > lengths.length) fail('end line outside the file or before the start');
    if (loc.endColumn !== undefined && (loc.endColumn < 1 || loc.endColumn > lengths[loc.endLine - 1] + 1)) fail('end column outside its line');
    if (loc.endLine === loc.line && loc.endColumn !== undefined && loc.column !== undefined && loc.endColumn < loc.column) fail('end before start');
  }
}

const isLoc = (v: unknown): v is LocLike & { path: string } =>
  typeof v === 'object' && v !== null && typeof (v as LocLike).line === 'number' && typeof (v as LocLike).path === 'string';

/**
 * Walks a parser's output (cycles followed once) and checks every location in it against the file it names, and
 * returns the output's size (objects, array slots and string units) for the size bound.
 */
export function checkOutput(out: unknown, texts: ReadonlyMap<string, string>, what: string, skip: ReadonlySet<string> = new Set()): number {
  const seen = new Set<object>();
  const lengths = new Map<string, number[]>();
  let size = 0;
  const visit = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      size += v.length;
      return;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    size++;
    if (isLoc(v)) {
      const text = texts.get(v.path);
      if (text === undefined) throw new Error(`${what}: ${key} names a file that was not given: ${JSON.stringify(v.path)}`);
      let l = lengths.get(v.path);
      if (!l) lengths.set(v.path, (l = lineLengths(text)));
      expectLocIn(v, text, `${what} ${key}`, l);
    }
    if (v instanceof Map) {
      for (const [k, x] of v) (visit(k, key), visit(x, key));
      return;
    }
    if (v instanceof Set) {
      for (const x of v) visit(x, key);
      return;
    }
    if (Array.isArray(v)) {
      size += v.length;
      for (const x of v) visit(x, key);
      return;
    }
    for (const [k, x] of Object.entries(v)) if (!skip.has(k)) visit(x, k);
  };
  visit(out, 'output');
  return size;
}

/** Output size may grow with the input, never faster than `factor` units per input unit. */
export function expectBounded(size: number, inputLength: number, factor: number, what: string): void {
  const bound = factor * (inputLength + 64);
  if (size > bound) throw new Error(`${what}: output size ${size} exceeds ${bound} for ${inputLength} input units`);
}
