import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../src/util/glob';

const PATHS = [
  'wsgi.py', 'proj/wsgi.py', 'proj/settings/base.py', 'proj/settings/prod.py', 'proj/settings/.hidden.py',
  '.https-guard.yml', 'node_modules/x/index.js', 'a/b/c/d.conf', 'conf.d/site.conf', 'conf.d/a.b.conf',
  'docs/README.md', 'x{y}.py', 'a,b.txt', 'tests/fixtures/nginx.conf', 'vendor/.git/config', '[x].txt',
];

// minimatch is the reference for the config style on ordinary patterns (it backtracks, so only in tests).
const CONFIG_PATTERNS = [
  '**', '**/wsgi.py', '**/*.py', 'proj/**', 'proj/**/*.py', 'proj/*/base.py', '*.{py,yml}', '**/{tests,docs}/**',
  'conf.d/*.conf', 'conf.d/?.b.conf', '[a-c]/**', '[!a]*', 'x{y}.py', '{a,b}.txt', 'a,b.txt', '**/.git/**',
  'proj/settings/{base,prod}.py', '{proj/**,docs/*}', 'a/**/d.conf', 'a/**/c/*', '\\[x\\].txt', '.*', '*',
];

describe('config globs agree with minimatch (dot: true) on ordinary patterns', () => {
  for (const pattern of CONFIG_PATTERNS) {
    it(pattern, () => {
      const g = compileGlob(pattern, 'config');
      for (const p of PATHS) expect([p, g.test(p)]).toEqual([p, minimatch(p, pattern, { dot: true })]);
    });
  }
});

describe('python globs (split_settings include) agree with minimatch without dot', () => {
  for (const pattern of ['proj/settings/*.py', 'proj/*/b*.py', 'proj/settings/[bp]*.py', 'proj/settings/.*.py', '*.py']) {
    it(pattern, () => {
      const g = compileGlob(pattern, 'python');
      for (const p of PATHS) expect([p, g.test(p)]).toEqual([p, minimatch(p, pattern)]);
    });
  }
  it('a star never crosses a folder and ** is a plain star', () => {
    expect(compileGlob('proj/**.py', 'python').test('proj/settings/base.py')).toBe(false);
    expect(compileGlob('proj/*.py', 'python').test('proj/settings/base.py')).toBe(false);
  });
});

describe('nginx segments (fnmatch)', () => {
  const cases: [string, string, boolean][] = [
    ['*.conf', 'site.conf', true], ['*.conf', 'site.confx', false], ['?ite.conf', 'site.conf', true],
    ['[a-s]*', 'site', true], ['[!s]*', 'site', false], ['[^s]*', 'site', false], ['[]]x', ']x', true],
    ['\\*', '*', true], ['\\*', 'a', false], ['[ab', '[ab', true], ['a.c', 'abc', false], ['*', '', true],
  ];
  for (const [pattern, name, want] of cases) it(`${pattern} ~ ${name}`, () => expect(compileGlob(pattern, 'segment').test(name)).toBe(want));
});

describe('hostile globs complete in linear time', () => {
  const long = 'a'.repeat(100_000);
  it('*a*a*a*a*a*a*b on a long name (every style)', () => {
    const pattern = `${'*a'.repeat(30)}*b`;
    for (const style of ['segment', 'python', 'config'] as const) expect(compileGlob(pattern, style).test(long)).toBe(false);
  });
  it('** chains on a deep path', () => {
    const deep = `${'a/'.repeat(20_000)}x`;
    expect(compileGlob(`${'**/'.repeat(40)}y`, 'config').test(deep)).toBe(false);
    expect(compileGlob(`${'**/a/'.repeat(40)}x`, 'config').test(deep)).toBe(true);
  });
  it('nested and unclosed braces and brackets, 10k characters each', () => {
    expect(compileGlob('{a,'.repeat(3000), 'config').test(long)).toBe(false);
    expect(compileGlob('['.repeat(10_000), 'segment').test('[['.repeat(10))).toBe(false);
    expect(compileGlob(`${'{a,aa}'.repeat(2000)}b`, 'config').test(long)).toBe(false);
    expect(compileGlob('{a,b}'.repeat(40), 'config').test('ab'.repeat(20))).toBe(true);
  });
}, 60_000);
