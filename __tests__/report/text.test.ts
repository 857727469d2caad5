import { describe, expect, it } from 'vitest';
import { formatConcise, formatText, sanitizeForTerminal } from '../../src/report/text';
import { docsUrlFor } from '../../src/version';
import { finding, result } from './fixtures';

describe('text report', () => {
  const r = result(
    [
      finding({ path: 'a/settings.py', line: 3, column: 5, severity: 'high', message: 'first' }),
      finding({ path: 'a/settings.py', line: 7, column: 1, severity: 'low', message: 'second' }),
      finding({ path: 'b/nginx.conf', line: 1, column: 2, severity: 'info', message: 'third', hint: 'do this' }),
    ],
    { skipped: [{ path: 'c/link.py', reason: 'symbolic link (never followed)' }] },
  );

  it('prints a header per file, then line:col severity rule message, hint and docs lines, and a summary', () => {
    const lines = formatText(r).split('\n');
    expect(lines.slice(0, 9)).toEqual([
      'a/settings.py',
      '  3:5  high  parse/error  first',
      '    hint: Set SECURE_SSL_REDIRECT = True.',
      `    docs: ${docsUrlFor('parse/error')}`,
      '  7:1  low  parse/error  second',
      '    hint: Set SECURE_SSL_REDIRECT = True.',
      `    docs: ${docsUrlFor('parse/error')}`,
      '',
      'b/nginx.conf',
    ]);
    expect(lines[9]).toBe('  1:2  info  parse/error  third');
    expect(lines[10]).toBe('    hint: do this');
    expect(lines).toContain('  c/link.py (symbolic link (never followed))');
    expect(lines.at(-2)).toBe('3 findings (1 high, 0 medium, 1 low, 1 info); 2 files checked, 1 skipped');
    expect(lines.at(-1)).toBe('');
  });

  it('leaves out the docs line of a finding without a docs URL, and everything but the findings when quiet', () => {
    expect(formatText(result([finding({ docsUrl: '' })]))).not.toContain('docs:');
    const quiet = formatText(r, { quiet: true });
    expect(quiet).not.toContain('Skipped');
    expect(quiet).not.toContain('3 findings');
    expect(quiet.split('\n').filter((l) => /^ {2}\d+:\d+ /.test(l))).toHaveLength(3);
    expect(formatText(result([]), { quiet: true })).toBe('');
  });

  it('prints one line per finding in the concise format', () => {
    expect(formatConcise(r).split('\n')).toEqual([
      'a/settings.py:3:5: high parse/error first',
      'a/settings.py:7:1: low parse/error second',
      'b/nginx.conf:1:2: info parse/error third',
      '3 findings (1 high, 0 medium, 1 low, 1 info); 2 files checked, 1 skipped',
      '',
    ]);
    expect(formatConcise(r, { quiet: true }).split('\n')).toHaveLength(4);
    const evil = formatConcise(result([finding({ path: '::error::x\n.py', message: 'a\nb\x1b[2J' })]));
    expect(evil.split('\n')[0]).toBe('./::error::x\\n.py:3:1: medium parse/error a\\nb\\x1b[2J');
  });

  it('lists related places under the hint, the first five, and counts the rest', () => {
    const related = Array.from({ length: 7 }, (_, i) => ({ path: `s${i}.py`, line: i + 1, ...(i === 0 ? { column: 3, message: 'django/hsts-off: off\x1b[2J' } : {}) }));
    const lines = formatText(result([finding({ related })])).split('\n');
    expect(lines[3]).toBe('    see also s0.py:1:3: django/hsts-off: off\\x1b[2J');
    expect(lines[4]).toBe('    see also s1.py:2');
    expect(lines.filter((l) => l.startsWith('    see also'))).toHaveLength(5);
    expect(lines[8]).toBe('    … and 2 more places (see --format json)');
    expect(formatText(result([finding()]))).not.toContain('see also');
  });

  it('uses colour only when asked', () => {
    expect(formatText(r)).not.toContain('\x1b[');
    expect(formatText(r, { color: true })).toContain('\x1b[31m');
  });

  it('lists only the first skipped files and counts the rest', () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ path: `s${i}.py`, reason: 'not a regular file' }));
    const text = formatText(result([], { skipped: many }));
    expect(text).toContain('  s9.py (not a regular file)');
    expect(text).not.toContain('s10.py');
    expect(text).toContain('… and 4 more');
    expect(text.trimEnd().split('\n').at(-1)).toBe('0 findings (0 high, 0 medium, 0 low, 0 info); 2 files checked, 14 skipped');
  });

  it('cannot be steered by control characters in paths or messages', () => {
    const evil = finding({ path: 'x\n::error::forged\x1b[2J.py', message: 'value "\x1b]8;;http://x\x07" \u202e' });
    const text = formatText(result([evil]));
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\u202e');
    expect(text.split('\n').slice(0, 2)).toEqual(['x\\n::error::forged\\x1b[2J.py', '  3:1  medium  parse/error  value "\\x1b]8;;http://x\\x07" \\u202e']);
    expect(sanitizeForTerminal('tab\there')).toBe('tab\\there');
  });
});
