import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatText } from '../../src/report/text';
import type { ScanResult } from '../../src/types';
import { BROKEN_SETTINGS, cli, onlyParseError } from '../cli/helpers';
import { removeTempDirs, tempDir } from '../github/harness';

afterEach(() => removeTempDirs());

/** A line the runner would take as a workflow command: `::` or `##[` after leading blanks. */
const COMMAND = /^\s*(?:::|##\[)/;

const HOSTILE_DIRS = ['::error::x', ' ::warning title=t::y', '\t::notice::z', '%0A::error::w', 'a\n::error::v', '##[error]u', '::stop-commands::tok'];

describe('CLI text output never starts a line with a workflow command', () => {
  it('on a workspace whose folder and file names are workflow commands', () => {
    const root = tempDir('hg-cmd-');
    fs.writeFileSync(path.join(root, '.https-guard.json'), onlyParseError('high'));
    for (const d of HOSTILE_DIRS) {
      fs.mkdirSync(path.join(root, d));
      fs.writeFileSync(path.join(root, d, 'settings.py'), BROKEN_SETTINGS);
      fs.symlinkSync('/etc/hostname', path.join(root, `${d}-link.py`));
    }
    const r = cli([], { cwd: root });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => COMMAND.test(l))).toEqual([]);
    // Every hostile finding is still there, shown as ./path.
    expect(lines.filter((l) => l.includes('  parse/error  '))).toHaveLength(HOSTILE_DIRS.length);
    expect(lines).toContain('./::error::x/settings.py');
    expect(lines).toContain('a\\n::error::v/settings.py');
    expect(r.stdout).toContain('  ./::error::x-link.py (symbolic link (never followed))');
  });

  it('also when a message or reason starts a line of its own', () => {
    const result: ScanResult = {
      version: '0',
      findings: [{ ruleId: 'r', severity: 'high', path: '::error::p', line: 1, column: 1, endLine: 1, endColumn: 1, message: 'm\n::error::forged', hint: 'h\r\n##[error]x', docsUrl: '' }],
      files: [],
      skipped: [{ path: '  ::warning::s', reason: '\n::error::r' }],
    };
    const text = formatText(result);
    expect(text.split('\n').filter((l) => COMMAND.test(l))).toEqual([]);
    expect(text).toContain('./::error::p\n  1:1  high  r  m\\n::error::forged');
  });

  it('in error messages on stderr too', () => {
    const root = tempDir('hg-cmd-');
    const r = cli(['--config', 'x\n::error::forged.yml'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => COMMAND.test(l))).toEqual([]);
  });
});
