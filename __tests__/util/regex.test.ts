import { describe, expect, it } from 'vitest';
import { checkPattern, matchesAll, translate } from '../../src/util/regex';

const URIS = ['/', '/index.html', '/a/b/c.php', '/.well-known/acme-challenge/token'];

describe('RE2 verdicts agree with V8 on patterns both engines read', () => {
  const pcre = ['^', '.*', '^/(.*)$', '\\.php$', '^/static/', '/\\.ht', '(?i)INDEX', '^/[a-z]+/b/', '[[:alpha:]]', '^/(?P<p>.+)$', '(?<p>a)', '\\Z', 'c\\.php\\Z'];
  for (const p of pcre) {
    it(p, () => {
      const v8 = new RegExp(p.replace(/\(\?P</g, '(?<').replace(/\\Z/g, '$').replace('[[:alpha:]]', '[A-Za-z]').replace('(?i)', ''), p.startsWith('(?i)') ? 'i' : '');
      const check = checkPattern(p, 'pcre');
      expect(check.unsupported).toBeUndefined();
      for (const u of URIS) expect([u, check.test(u)]).toEqual([u, v8.test(u) ? 'match' : 'no-match']);
    });
  }
  it('caseless (~*) matches regardless of case', () => {
    expect(checkPattern('^/INDEX', 'pcre', true).test('/index.html')).toBe('match');
    expect(checkPattern('^/INDEX', 'pcre', false).test('/index.html')).toBe('no-match');
  });
  it('Python {,n} means {0,n}; Python \\Z is the end of the string', () => {
    expect(checkPattern('^a{,2}$', 'python').test('aa')).toBe('match');
    expect(checkPattern('^a{,2}$', 'python').test('aaa')).toBe('no-match');
    expect(checkPattern('^x\\Z', 'python').test('x')).toBe('match');
    expect(checkPattern('(?#comment)^x', 'python').test('x')).toBe('match');
  });
});

describe('features RE2 lacks give a sound verdict or "unknown", with the reason', () => {
  it('a lookahead that the looser pattern already rules out is "no-match"', () => {
    const c = checkPattern('/\\.(?!well-known/)', 'pcre');
    expect(c.unsupported).toMatch(/lookaround/);
    expect(c.test('/index')).toBe('no-match');
    expect(c.test('/.git')).toBe('unknown');
    expect(matchesAll(c, URIS)).toBe(false);
  });
  it('a lookaround that must be decided is "unknown"', () => {
    const c = checkPattern('^(?!/admin)', 'pcre');
    expect(c.test('/')).toBe('unknown');
    expect(matchesAll(c, URIS)).toBeUndefined();
    expect(checkPattern('(?<=a)b', 'python').test('ab')).toBe('unknown');
  });
  it('a branch without the feature can still decide "match"', () => {
    const c = checkPattern('^/|(a)\\1', 'pcre');
    expect(c.unsupported).toMatch(/backreference/);
    expect(c.test('/x')).toBe('match');
    expect(c.test('aa')).toBe('unknown');
    expect(c.test('b')).toBe('no-match');
  });
  for (const [p, why] of [
    ['(a)\\1', /backreference/], ['(?P<n>a)(?P=n)', /backreference/], ['(?<n>a)\\k<n>', /backreference/], ['a++', /possessive/],
    ['(?>a)', /atomic/], ['(?R)', /recursion/], ['(?(1)a|b)', /conditional/], ['\\Ga', /\\G/], ['a{,2}', /\{,n\}/], ['(*UTF)a', /verb/],
    ['a{2000}', /syntax/], ['[', /syntax/], ['(a', /unbalanced/],
  ] as const) {
    it(`${p} → unknown (${why})`, () => {
      const c = checkPattern(p, 'pcre');
      expect(c.unsupported).toMatch(why);
      expect(['unknown', 'no-match']).toContain(c.test('aaa'));
      expect(c.test('aaa')).not.toBe('match');
    });
  }
  it('the looser and stricter patterns bracket the original', () => {
    const t = translate('^x(?=y)(a)\\1', 'pcre');
    expect(t.exact).toBeUndefined();
    expect(t.over).toBe('^x(?:)(a)(?s:.*)');
    expect(t.under).toMatch(/^\^x\[\^/);
  });
});

describe('hostile patterns complete in linear time', () => {
  const long = `${'a'.repeat(100_000)}!`;
  it('(a+)+$, (a|aa)*b and (.*)*… on long inputs', () => {
    expect(checkPattern('(a+)+$', 'pcre').test(long)).toBe('no-match');
    expect(checkPattern('(a|aa)*b', 'python').test(long)).toBe('no-match');
    expect(checkPattern(`^${'(/.*)*'.repeat(30)}x$`, 'pcre').test('/.well-known/acme-challenge/token'.repeat(100))).toBe('no-match');
  });
  it('10k-character patterns compile or are refused without hanging', () => {
    const alt = `(?:${Array.from({ length: 2000 }, (_, i) => `w${i}`).join('|')})+$`;
    expect(alt.length).toBeGreaterThan(10_000);
    expect(checkPattern(alt, 'pcre').test('w1w2w3')).toBe('match');
    expect(checkPattern('('.repeat(10_000), 'pcre').test('a')).toBe('unknown');
    expect(checkPattern('[[:'.repeat(4000), 'pcre').test('a')).toBe('unknown');
    expect(checkPattern('\\k<'.repeat(4000), 'pcre').test('a')).toBe('unknown');
    expect(checkPattern('(?=a'.repeat(3000), 'pcre').test('a')).toBe('unknown');
  });
  it('counted repeats cannot make a short pattern expensive', () => {
    const c = checkPattern('[a-z0-9]{1000}'.repeat(10), 'pcre');
    expect(c.unsupported).toMatch(/too large/);
    expect(c.test('a'.repeat(10_000))).toBe('unknown');
  });
}, 60_000);
