import { describe, expect, it } from 'vitest';
import { escapeMarkdown, formatMarkdown } from '../../src/report/markdown';
import type { Severity } from '../../src/types';
import { finding, result } from './fixtures';

const ZWJ = '\u200d';
/** Characters that mean something in GFM somewhere; after escaping each must be backslash-escaped. */
const META = new Set('\\`*_{}[]()#+-.!|~:$'.split(''));

/**
 * Reads escaped text the way a Markdown parser would and reports the first thing that could still be markup:
 * an unescaped metacharacter, raw HTML, an entity we did not write, a line break, a live @mention.
 */
function firstLiveMarkup(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      if (!META.has(s[i + 1])) return `backslash before ${JSON.stringify(s[i + 1])} at ${i}`;
      i++;
      continue;
    }
    if (META.has(c)) return `unescaped ${c} at ${i}`;
    if (c === '<' || c === '>') return `raw ${c} at ${i}`;
    if (c === '&' && !/^&(amp|lt|gt);/.test(s.slice(i))) return `raw & at ${i}`;
    if (c === '@' && s[i + 1] !== ZWJ) return `live mention at ${i}`;
    if (/[\r\n\u2028\u2029\u0085\u0000-\u001f\u007f]/.test(c)) return `control ${c.charCodeAt(0)} at ${i}`;
  }
  return undefined;
}

/** Undoes escapeMarkdown: what a reader sees. */
function rendered(s: string): string {
  return s
    .replaceAll(ZWJ, '')
    .replace(/\\(.)/g, '$1')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

const NASTY = [
  '*bold* _em_ __strong__ ~~strike~~',
  '[click](https://evil.example/x) ![img](https://evil.example/i.png)',
  '<script>alert(1)</script><img src=x onerror=alert(1)>',
  '<!-- hidden --> <details open>',
  '@octocat and @github/security-team, mail me@example.com',
  'a | b || c \\| d',
  'line one\nline two\r\n| --- | --- |\n# Heading',
  '`code` ``double`` ```fence```',
  '\\*already escaped\\* trailing backslash\\',
  '#123 fixes #45, see GH-1',
  '1. list\n- item\n+ item\n> quote',
  '{{ template }} $x^2$ $$math$$ :shipit: :+1:',
  '&amp; &lt; &#60; &#x3c; &copy;',
  'https://example.com/path?x=1&y=2',
  'bidi \u202egnp.exe\u202c and zero-width \u200b',
  'emoji 🔴 and CJK 設定',
  '',
];

describe('escapeMarkdown', () => {
  it.each(NASTY)('leaves no live markup in %j and keeps the text readable', (raw) => {
    const escaped = escapeMarkdown(raw);
    expect(firstLiveMarkup(escaped)).toBeUndefined();
    const expected = raw.replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, ' ').replace(/[\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
    expect(rendered(escaped)).toBe(expected);
  });

  it('escapes the concrete cases exactly', () => {
    expect(escapeMarkdown('<script>')).toBe('&lt;script&gt;');
    expect(escapeMarkdown('@octocat')).toBe(`@${ZWJ}octocat`);
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('x\ny')).toBe('x y');
    expect(escapeMarkdown('`x`')).toBe('\\`x\\`');
    expect(escapeMarkdown('a & b')).toBe('a &amp; b');
    expect(escapeMarkdown('#12')).toBe(`\\#${ZWJ}12`);
    expect(escapeMarkdown('[a](b)')).toBe('\\[a\\]\\(b\\)');
  });

  it('survives random strings built from every dangerous character', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = [...'\\`*_{}[]()#+-.!|~:$<>&@ \n\r\tab1;=/"\'', '\u2028', '\u202e', '&amp;', '@x', '#1'];
    for (let n = 0; n < 2000; n++) {
      const raw = Array.from({ length: Math.floor(rand() * 30) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      const escaped = escapeMarkdown(raw);
      expect(firstLiveMarkup(escaped), JSON.stringify(raw)).toBeUndefined();
    }
  });
});

/** Splits a table row on unescaped pipes. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

describe('formatMarkdown', () => {
  it('has a heading, counts by severity and one table row per finding', () => {
    const md = formatMarkdown(
      result([finding({ severity: 'low', line: 9 }), finding({ severity: 'high', ruleId: 'django/hsts', message: 'HSTS off' })], {
        skipped: [{ path: 'x/link.conf', reason: 'symbolic link (never followed)' }],
      }),
    );
    expect(md.startsWith('## HTTPS Guard\n')).toBe(true);
    expect(md).toContain('**2 findings**: 🔴 1 high · 🟠 0 medium · 🟡 1 low · 🔵 0 info');
    expect(md).toContain('2 files checked, 1 skipped.');
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Location') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(2);
    // Worst first.
    expect(cells(rows[0])).toEqual([
      'app/settings\\.py\\:3',
      '🔴 high',
      '[django/hsts](https://github.com/https-guard/https-guard/blob/main/docs/rules/django/hsts.md)',
      'HSTS off',
    ]);
    expect(cells(rows[1])[1]).toBe('🟡 low');
    expect(md).toContain('x/link\\.conf: symbolic link \\(never followed\\)');
  });

  it('names the related places of a finding in its message cell, inert, the first three and a count', () => {
    const related = ['a.py', 'b/@octocat.conf', 'c|d.conf', 'e.conf'].map((p, i) => ({ path: p, line: i + 1 }));
    const md = formatMarkdown(result([finding({ message: 'no HSTS', related }), finding({ line: 9 })]));
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Location') && !l.startsWith('| ---'));
    const c = cells(rows[0]);
    expect(c).toHaveLength(4);
    const [message, also] = c[3].split('<br>');
    expect(message).toBe('no HSTS');
    expect(firstLiveMarkup(also)).toBeUndefined();
    expect(rendered(also)).toBe('Also: a.py:1, b/@octocat.conf:2, c|d.conf:3 (+1 more)');
    expect(cells(rows[1])[3]).toBe('SECURE\\_SSL\\_REDIRECT is False');
  });

  it('says so when there is nothing to report', () => {
    const md = formatMarkdown(result([]));
    expect(md).toContain('**0 findings**');
    expect(md).toContain('No HTTPS hardening issues found.');
    expect(md).not.toContain('| Location');
  });

  it('keeps the table intact and inert whatever the repository puts in paths and messages', () => {
    const evil = NASTY.map((s, i) => finding({ path: `dir/${s}/f${i}.py`, message: `value "${s}"` }));
    const md = formatMarkdown(result(evil));
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Location') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(evil.length);
    for (const row of rows) {
      const c = cells(row);
      expect(c).toHaveLength(4);
      expect(firstLiveMarkup(c[0])).toBeUndefined();
      expect(firstLiveMarkup(c[3])).toBeUndefined();
    }
    expect(md).not.toMatch(/<script|<img|<!--|@octocat|@github/);
  });

  it('never links a docs URL that is not a plain https URL', () => {
    const md = formatMarkdown(result([finding({ docsUrl: 'javascript:alert(1)' }), finding({ docsUrl: 'https://x.example/a)b' })]));
    expect(md).not.toContain('](');
  });

  it('cuts the table under the size limit and counts what it left out', () => {
    const severities: Severity[] = ['info', 'low', 'medium', 'high'];
    const many = Array.from({ length: 400 }, (_, i) =>
      finding({ severity: severities[i % 4], path: `app${i}/settings.py`, line: i + 1, endLine: i + 1, message: `message ${i} ${'x'.repeat(i % 50)}` }),
    );
    for (let limit = 400; limit <= 40_000; limit += 997) {
      const md = formatMarkdown(result(many), { limit });
      expect(md.length).toBeLessThanOrEqual(limit);
      const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Location') && !l.startsWith('| ---'));
      const more = /…and (\d+) more findings?/.exec(md);
      expect(rows.length + (more ? Number(more[1]) : 0)).toBe(400);
      // What survives the cut is the worst: no lower severity before a higher one.
      const sev = rows.map((r) => cells(r)[1].split(' ')[1] as Severity);
      expect(sev).toEqual([...sev].sort((a, b) => severities.indexOf(b) - severities.indexOf(a)));
    }
    expect(formatMarkdown(result(many)).length).toBeLessThanOrEqual(60_000);
  });

  it('cuts at every limit without a partial row or a clipped ending', () => {
    const r = result(Array.from({ length: 6 }, (_, i) => finding({ path: `p${i}/settings.py`, message: `m${i}` })));
    const full = formatMarkdown(r, { limit: 1e9 });
    expect(formatMarkdown(r, { limit: full.length })).toBe(full);
    for (let limit = 250; limit < full.length; limit++) {
      const md = formatMarkdown(r, { limit });
      expect(md.length).toBeLessThanOrEqual(limit);
      expect(md.endsWith('\n'), `limit ${limit}`).toBe(true);
      expect(md).toMatch(/…and \d+ more findings?/);
      for (const line of md.split('\n').filter((l) => l.startsWith('|'))) expect(line.endsWith(' |')).toBe(true);
    }
  });

  it('shortens one huge message instead of letting it fill the report', () => {
    const md = formatMarkdown(result([finding({ message: 'y'.repeat(100_000) })]));
    expect(md.length).toBeLessThan(2_000);
    expect(md).toContain('…');
  });
});
