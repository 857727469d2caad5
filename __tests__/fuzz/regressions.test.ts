import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namedWith, valueAfterBlanks } from '../../src/model/deploy';
import { targetOf } from '../../src/model/scheme';
import { parseNginx } from '../../src/parsers/nginx';
import { SourceText } from '../../src/parsers/source';
import { checkPattern } from '../../src/util/regex';
import { fuzz } from './harness';

// One test per fix the fuzzers and the regex review led to. The rewritten regexes are compared with the old ones
// on random inputs (same answers), and run on inputs that made the old ones quadratic.

const short = (chars: string[]) => fc.array(fc.constantFrom(...chars), { maxLength: 14 }).map((a) => a.join(''));

describe('regressions found by fuzzing', () => {
  it('a word escaping the CR of a CRLF keeps its columns inside the line', () => {
    const r = parseNginx('a.conf', '\\\r\n\n');
    expect(r.directives[0]?.nameLoc ?? r.errors[0].loc).toMatchObject({ line: 1, endLine: 1, endColumn: 2 });
    const src = new SourceText('a', 'ab\r\ncd');
    expect(src.position(3)).toEqual({ line: 1, column: 3 });
    expect(src.position(2)).toEqual({ line: 1, column: 3 });
    expect(src.position(4)).toEqual({ line: 2, column: 1 });
    // Far into a long file the tokenizer jumps lines; the same offset gets the same place.
    const long = `${'x;\r\n'.repeat(3000)}\\\r\n;`;
    const last = parseNginx('b.conf', long).directives.at(-1)!;
    expect(last.nameLoc).toMatchObject({ line: 3001, column: 1, endLine: 3001, endColumn: 2 });
  });
});

describe('regexes rewritten in linear form keep their answers', () => {
  it('file names: supervisor, uwsgi and gunicorn configs', () => {
    const old = {
      supervisor: /(^|\/)[^/]*supervisor[^/]*\.(conf|ini)$|(^|\/)supervisord?\/[^/]*\.(conf|ini)$/i,
      uwsgi: /(^|\/)[^/]*uwsgi[^/]*\.(ya?ml|json|xml)$/i,
      gunicorn: /(^|\/)[^/]*gunicorn[^/]*\.(py|conf|ini)$/i,
    };
    const now = {
      supervisor: (f: string) => namedWith(f, /supervisor/i, /\.(conf|ini)$/i) || /(^|\/)supervisord?\/[^/]*\.(conf|ini)$/i.test(f),
      uwsgi: (f: string) => namedWith(f, /uwsgi/i, /\.(ya?ml|json|xml)$/i),
      gunicorn: (f: string) => namedWith(f, /gunicorn/i, /\.(py|conf|ini)$/i),
    };
    const parts = ['supervisor', 'supervisord/', 'SUPERVISOR', 'uwsgi', 'gunicorn', '.conf', '.ini', '.yaml', '.yml', '.json', '.xml', '.py', '/', 'a', '.', 'İ'];
    fuzz('file-name tests', short(parts), (f) => {
      for (const k of ['supervisor', 'uwsgi', 'gunicorn'] as const) expect(now[k](f), `${k} ${f}`).toBe(old[k].test(f));
    }, 5_000);
    expect(now.supervisor('deploy/app-supervisor.conf')).toBe(true);
    expect(now.uwsgi(`${'uwsgi'.repeat(100_000)}u`)).toBe(false);
    expect(now.gunicorn(`r${'GUNICORN'.repeat(100_000)}/GUNICORN.PY`)).toBe(true);
  });

  it('Procfile and systemd lines', () => {
    const oldProc = /^([\w-]+)\s*:\s*(.+)$/;
    const oldUnit = /^\s*(ExecStart|Environment|WorkingDirectory)\s*=\s*(.*)$/;
    fuzz('line values', short(['web', ':', ' ', '\t', 'x', '\u2028', '\n', '\r', 'ExecStart', '=', '\u00a0', '-']), (line) => {
      const p = /^([\w-]+)\s*:/.exec(line);
      const procNow = p ? valueAfterBlanks(line.slice(p[0].length), false) : undefined;
      expect(procNow, JSON.stringify(line)).toBe(oldProc.exec(line)?.[2]);
      const u = /^\s*(ExecStart|Environment|WorkingDirectory)\s*=/.exec(line);
      const unitNow = u ? valueAfterBlanks(line.slice(u[0].length), true) : undefined;
      expect(unitNow, JSON.stringify(line)).toBe(oldUnit.exec(line)?.[2]);
    }, 5_000);
    expect(valueAfterBlanks(`${'\t'.repeat(200_000)}\u2028`, false)).toBeUndefined();
  });

  it('trailing slashes of a pass target', () => {
    const d = (value: string) => ({ name: 'proxy_pass', args: [{ value }] }) as unknown as Parameters<typeof targetOf>[0];
    fuzz('targetOf', short(['/', 'a', ':', ' ', '//']), (v) => {
      expect(targetOf(d(v))).toBe(`proxy_pass ${v}`.replace(/\/+$/, ''));
    }, 3_000);
    expect(targetOf(d(`http://a${'/'.repeat(500_000)}x`)).length).toBe(500_020);
  });

  it('a quantifier after a dropped lookaround', () => {
    const old = /^(?:[*+?]|\{\d*,?\d*\})[?+]?/;
    const now = /^(?:[*+?]|\{\d*(?:,\d*)?\})[?+]?/;
    fuzz('quantifier', short(['{', '}', ',', '1', '0', '*', '+', '?', 'a']), (s) => {
      expect(now.exec(s)?.[0]).toBe(old.exec(s)?.[0]);
    }, 3_000);
    // The lookahead and its quantifier are dropped: what is left decides where it can.
    expect(checkPattern('(?=a){2,3}b', 'pcre').test('xyz')).toBe('no-match');
    expect(['match', 'unknown']).toContain(checkPattern(`(?=a){${'1'.repeat(100_000)}b`, 'pcre').test('ab'));
  });
});
