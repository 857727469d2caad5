import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, type Diagnostics } from 'recheck';
import { describe, expect, it } from 'vitest';
import { collectRegexes, type SourceRegex } from './collect-regexes';

// Every regex in src/ is checked for super-linear backtracking by recheck, and run on long adversarial inputs
// built from its own characters and literals. A regex recheck does not call safe needs a reviewed entry.

const ROOT = path.resolve(__dirname, '../..');
const REVIEW: { reviewed: { file: string; source: string; verdict: string; reason: string; maxInput?: number }[] } = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'regex-review.json'), 'utf8'),
);
const ADVERSARIAL_LENGTH = 50_000;

const all = collectRegexes(path.join(ROOT, 'src'));
const reviewOf = (r: SourceRegex) => REVIEW.reviewed.find((x) => x.file === r.file && x.source === r.source);

/** Representative characters for the classes and escapes a pattern uses, and its literal characters. */
export function alphabet(source: string): string[] {
  const chars = new Set<string>(['a', ' ', '\t', '\n', '/', '0', '-', '\u2028']);
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const e = source[++i];
      if (e === 's' || e === 'S') chars.add(' ').add('\t');
      else if (e === 'd' || e === 'D') chars.add('9');
      else if (e === 'w' || e === 'W' || e === 'b') chars.add('Z').add('_');
      else if (e === 'n') chars.add('\n');
      else if (e === 'r') chars.add('\r');
      else if (e === 't') chars.add('\t');
      else if (e !== undefined && !/[ux0-9pPk]/.test(e)) chars.add(e);
    } else if (!'()[]{}|^$*+?'.includes(c)) chars.add(c);
    else if ('{}[]()'.includes(c)) chars.add(c);
  }
  return [...chars];
}

/** Long inputs that make a backtracking regex show super-linear cost: runs of each character, cycles, repeated literals. */
export function adversarialInputs(r: SourceRegex, diag: Diagnostics | undefined, length: number): string[] {
  const src = r.source ?? '';
  const chars = alphabet(src);
  const out: string[] = [];
  for (const c of chars) out.push(c.repeat(length) + '\u0000', c.repeat(length) + '\n!');
  const cycle = chars.join('');
  out.push(cycle.repeat(Math.ceil(length / cycle.length)) + '\u0000');
  const words = new Set(src.replace(/\\./g, ' ').match(/[A-Za-z_-]{2,}/g) ?? []);
  for (const w of [...words].slice(0, 12)) out.push(`${w} `.repeat(Math.ceil(length / (w.length + 1))) + '\u0000', w.repeat(Math.ceil(length / w.length)) + '\n');
  if (diag?.status === 'vulnerable') {
    const a = diag.attack;
    const unit = a.pumps.map((p) => p.pump).join('') || 'a';
    const prefix = a.pumps.map((p) => p.prefix).join('');
    out.push(prefix + unit.repeat(Math.ceil(length / unit.length)) + a.suffix);
  }
  return out;
}

describe('regular expressions in src/', () => {
  it('are all found (literals and RegExp constructions)', () => {
    // The TypeScript parser finds them, so a regex in a comment or a string never counts and none is missed.
    expect(all.length).toBeGreaterThan(300);
    expect(all.some((r) => r.file === 'src/engine/scan.ts' && r.source === '\\r\\n?' && r.flags === 'g')).toBe(true);
    // A RegExp built at run time cannot be checked statically: none may exist without a reviewed entry.
    const dynamic = all.filter((r) => r.source === undefined);
    expect(dynamic.map((r) => `${r.file}:${r.line} ${r.expr}`)).toEqual([]);
  });

  it('the collector sees literals, constructors and skips comments and strings', async () => {
    const { collectRegexesIn } = await import('./collect-regexes');
    const found = collectRegexesIn('x.ts', "// /(a+)+$/\nconst s = '/b+/';\nconst a = /c+d/gi;\nconst b = new RegExp('e*f', 'm');\nconst c = RegExp(s);\n");
    expect(found.map((r) => [r.line, r.source, r.flags, r.expr])).toEqual([
      [3, 'c+d', 'gi', undefined],
      [4, 'e*f', 'm', undefined],
      [5, undefined, '', 'RegExp(s)'],
    ]);
  });

  it('recheck finds no super-linear backtracking (or the regex is reviewed), and adversarial inputs complete', async () => {
    const unique = new Map<string, SourceRegex>();
    for (const r of all) if (r.source !== undefined && !unique.has(`${r.flags}/${r.source}`)) unique.set(`${r.flags}/${r.source}`, r);
    // One at a time: recheck's time-out starts with each check, so a loaded machine does not turn slow checks into
    // time-outs. A reviewed regex is not checked again (its entry says what recheck gave and why it is safe).
    const results: { r: SourceRegex; d?: Diagnostics }[] = [];
    for (const r of unique.values()) results.push({ r, d: reviewOf(r) ? undefined : await check(r.source!, r.flags, { timeout: 30_000 }) });
    const unreviewed: string[] = [];
    for (const { r, d } of results) {
      if (!d || d.status === 'safe') continue;
      const sites = all.filter((x) => x.source === r.source && x.flags === r.flags);
      for (const s of sites) {
        if (reviewOf(s)) continue;
        const why = d.status === 'vulnerable' ? `${d.complexity.summary}, attack ${d.attack.pattern}` : d.status === 'unknown' ? d.error.kind : '';
        unreviewed.push(`${s.file}:${s.line} /${s.source}/${s.flags}: ${d.status} (${why})`);
      }
    }
    expect(unreviewed).toEqual([]);

    let runs = 0;
    for (const { r, d } of results) {
      const review = reviewOf(r);
      for (const input of adversarialInputs(r, d, review?.maxInput ?? ADVERSARIAL_LENGTH)) {
        const re = new RegExp(r.source!, r.flags);
        re.exec(input);
        re.lastIndex = 0;
        re.test(input.slice(1));
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(unique.size * 10);
  }, 300_000);

  it('every reviewed entry still names a regex in src/', () => {
    const stale = REVIEW.reviewed.filter((x) => !all.some((r) => r.file === x.file && r.source === x.source));
    expect(stale).toEqual([]);
    for (const x of REVIEW.reviewed) expect(x.reason.length, x.source).toBeGreaterThan(40);
  });
});
