import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTargets, surelyComplete } from '../../src/model/focus';
import { PythonEvaluator } from '../../src/model/python/evaluate';
// @ts-expect-error: a plain script, no declarations
import { settings } from '../../scripts/bench-threads.mjs';

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus');

/** Whether the evaluator, as settings selection runs it, binds what makes a module complete. */
function complete(text: string): boolean {
  const ev = new PythonEvaluator({ readModule: (p) => (p === 'm/settings.py' ? text : undefined), pythonFiles: ['m/settings.py'], onParsed: () => undefined, isDeploymentFile: () => true });
  const m = ev.evaluate('m/settings.py');
  return !!m && (m.names.has('INSTALLED_APPS') || m.names.has('MIDDLEWARE') || m.names.has('MIDDLEWARE_CLASSES'));
}

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) out.push(...pyFiles(p));
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

describe('reading settings modules a focused scan does not evaluate', () => {
  it('surelyComplete says yes only where evaluation binds INSTALLED_APPS or MIDDLEWARE', () => {
    const cases: [string, boolean][] = [
      ['INSTALLED_APPS = ["a"]\n', true],
      ['MIDDLEWARE=[]\n', true],
      ['if X:\n    INSTALLED_APPS = []\n', false],
      ['"""\nINSTALLED_APPS = []\n"""\n', false],
      ['x = (\nINSTALLED_APPS == 1)\n', false],
      ['INSTALLED_APPS == []\n', false],
      ['INSTALLED_APPS = []\ndel INSTALLED_APPS\n', false],
      ['class Base(Configuration):\n    INSTALLED_APPS = []\nINSTALLED_APPS = []\n', false],
      ['x = 1 \\\nINSTALLED_APPS = []\n', false],
      ['s = "unterminated\nINSTALLED_APPS = []\n', false],
      ['if x:\nINSTALLED_APPS = []\n', false],
      ['# INSTALLED_APPS = []\n', false],
      ['INSTALLED_APPS_EXTRA = []\n', false],
      ['x = """a\\"""" + \'\'\nMIDDLEWARE = [\n  "m",\n]\n', true],
      ['MIDDLEWARE = [\r\n]\r\n', true],
      // Syntax errors in or after the statement leave it bound (the scan stops at it).
      ['INSTALLED_APPS = [\n"a",\n', true],
      ['INSTALLED_APPS = ["a"]\nfoo(\n', true],
      ['INSTALLED_APPS = = 1\n', true],
      ['INSTALLED_APPS = "a\n', true],
      ['INSTALLED_APPS = ["a"]\n"""\n', true],
    ];
    for (const [text, want] of cases) {
      expect(surelyComplete(text), JSON.stringify(text)).toBe(want);
      if (want) expect(complete(text), JSON.stringify(text)).toBe(true);
    }
    expect(surelyComplete(settings(3))).toBe(true);
  });

  const files = fs.existsSync(CORPUS) ? pyFiles(CORPUS) : [];
  it.skipIf(files.length === 0)('on every Python file of the corpus, a yes is one evaluation agrees with', () => {
    let yes = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      if (!surelyComplete(text)) continue;
      yes++;
      expect(complete(text), f).toBe(true);
    }
    expect(yes).toBeGreaterThan(10);
  });

  it('importTargets reads import lines, or says it cannot', () => {
    expect(importTargets('import os, a.b as c\nfrom .base import *\nfrom .. import x\nfrom p.q import (r as s,\n  t)  # c\n')).toEqual([
      { level: 0, dotted: 'os', names: [] },
      { level: 0, dotted: 'a.b', names: [] },
      { level: 1, dotted: 'base', names: ['*'] },
      { level: 2, dotted: '', names: ['x'] },
      { level: 0, dotted: 'p.q', names: ['r', 't'] },
    ]);
    expect(importTargets('try: import local\nexcept ImportError: pass\n')).toBeUndefined();
    expect(importTargets('import a; import b\n')).toBeUndefined();
    expect(importTargets('include("components/*.py")\n')).toBeUndefined();
    expect(importTargets('x = import_string("a")\n# we import nothing\n')).toEqual([]);
  });
});
