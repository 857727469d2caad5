// Hunks, git output and the filter modes, without spawning the action.
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../src/github/changes';
import { parseGitPatch, parsePatch, unquoteGitPath } from '../../src/github/diff';
import { filterFindings } from '../../src/github/filter';
import { parseNameStatus } from '../../src/github/git';
import { finding } from '../report/fixtures';
import { checkout, git, removeTempDirs } from './harness';

afterAll(removeTempDirs);

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe('parsePatch (the files API `patch` field)', () => {
  it('numbers added and context lines on the new side, across hunks', () => {
    const patch = ['@@ -1,4 +1,5 @@', ' a', '-b', '+B', '+B2', ' c', ' d', '@@ -20,3 +21,2 @@ def f():', ' x', '-y', ' z'].join('\n');
    const lines = parsePatch(patch);
    expect(sorted(lines.added)).toEqual([2, 3]);
    expect(sorted(lines.inHunks)).toEqual([1, 2, 3, 4, 5, 21, 22]);
  });

  it('reads hunk bodies by count: added text that looks like a header is still a line', () => {
    const patch = ['@@ -0,0 +1,3 @@', '+++ not a header', '+@@ -1 +1 @@ neither', '+\\ nor this', '\\ No newline at end of file'].join('\n');
    expect(sorted(parsePatch(patch).added)).toEqual([1, 2, 3]);
  });

  it('handles one-line hunks without counts, deletions only, and context lines stripped of their space', () => {
    expect(sorted(parsePatch('@@ -3 +3 @@\n-old\n+new').added)).toEqual([3]);
    const deletion = parsePatch('@@ -5,3 +5,2 @@\n keep\n-gone\n');
    expect(sorted(deletion.added)).toEqual([]);
    expect(sorted(deletion.inHunks)).toEqual([5, 6]);
  });
});

describe('git output', () => {
  it('parses a real git diff: quoted names, names with spaces, renames, binary and deleted files', () => {
    const c = checkout(
      { 'gone.py': 'x\n', 'old name.py': 'a\nb\nc\nd\ne\nf\n', 'bin.dat': 'A' },
      { 'gone.py': null, 'old name.py': null, 'new name.py': 'a\nb\nc\nd\ne\nF\n', 'q"t\\u.py': '1\n2\n', 'é|*_@<b>.py': 'z\n', 'bin.dat': '\0\x01\x02' },
    );
    const range = `${c.base}...${c.head}`;
    const names = parseNameStatus(git(c.dir, 'diff', '--name-status', '-z', '-M', range));
    expect(names.map((n) => n.path).sort()).toEqual(['bin.dat', 'new name.py', 'q"t\\u.py', 'é|*_@<b>.py']);
    expect(names.find((n) => n.path === 'new name.py')!.status).toMatch(/^R\d+$/);
    const lines = parseGitPatch(git(c.dir, 'diff', '-U3', '-M', '--src-prefix=a/', '--dst-prefix=b/', range));
    expect([...lines.keys()].sort()).toEqual(['new name.py', 'q"t\\u.py', 'é|*_@<b>.py']);
    expect(sorted(lines.get('new name.py')!.added)).toEqual([6]);
    expect(sorted(lines.get('new name.py')!.inHunks)).toEqual([3, 4, 5, 6]);
    expect(sorted(lines.get('q"t\\u.py')!.added)).toEqual([1, 2]);
  });

  it('unquotes C-style git paths with octal UTF-8 bytes', () => {
    expect(unquoteGitPath('"b/caf\\303\\251 \\"x\\"\\\\\\t.py"')).toBe('b/café "x"\\\t.py');
    expect(unquoteGitPath('b/plain.py')).toBe('b/plain.py');
  });
});

describe('filterFindings', () => {
  const changes: ChangeSet = {
    scope: 'files',
    notes: [],
    files: new Map([
      ['a.py', { added: new Set([10]), inHunks: new Set([7, 8, 9, 10, 11, 12, 13]) }],
      ['big.py', undefined],
    ]),
  };
  const f = [
    finding({ path: 'a.py', line: 10, endLine: 10 }),
    finding({ path: 'a.py', line: 8, endLine: 8 }),
    finding({ path: 'a.py', line: 2, endLine: 11 }), // spans an added line
    finding({ path: 'a.py', line: 30, endLine: 30 }),
    finding({ path: 'big.py', line: 1, endLine: 1 }),
    finding({ path: 'other.py', line: 1, endLine: 1 }),
  ];
  const where = (mode: Parameters<typeof filterFindings>[2]) => filterFindings(f, changes, mode).reported.map((x) => `${x.path}:${x.line}`);

  it('applies the four modes', () => {
    expect(where('added')).toEqual(['a.py:10', 'a.py:2', 'big.py:1']);
    expect(where('diff_context')).toEqual(['a.py:10', 'a.py:8', 'a.py:2', 'big.py:1']);
    expect(where('file')).toEqual(['a.py:10', 'a.py:8', 'a.py:2', 'a.py:30', 'big.py:1']);
    expect(where('nofilter')).toHaveLength(6);
  });

  it('says when a file without a diff is judged whole', () => {
    expect(filterFindings(f, changes, 'added').notes).toEqual([expect.stringContaining('No diff is available for big.py')]);
    expect(filterFindings(f, changes, 'file').notes).toEqual([]);
  });

  it('reports everything when the changes are the whole repository', () => {
    expect(filterFindings(f, { scope: 'repository', notes: [] }, 'added').reported).toHaveLength(6);
  });
});
