import { describe, expect, it } from 'vitest';
import { analyseFiles } from './helpers';
import { show } from '../../src/model/python/values';
import type { SettingValue } from '../../src/model/settings';

const val = (v: SettingValue) => (v.state === 'known' ? show(v.value) : v.state);
const settings = (text: string, extra: Record<string, string> = {}) => analyseFiles({ 'settings.py': text, ...extra }).model.settings[0];
const SEC = 'django.middleware.security.SecurityMiddleware';

describe('lists keep what is known about them', () => {
  it('answers yes when every branch holds the item, no when none does, unknown when only some do', () => {
    const s = settings(`
import os
INSTALLED_APPS = []
MIDDLEWARE = ["a.A"]
MIDDLEWARE.insert(int(os.environ["POS"]), "${SEC}")
if os.environ.get("TOOLBAR"):
    MIDDLEWARE.append("toolbar.M")
for p in os.environ["PLUGINS"].split(","):
    MIDDLEWARE.extend(load(p))
MIDDLEWARE += os.environ["EXTRA"].split(",")
`);
    expect(s.hasMiddleware(SEC).answer).toBe('yes');
    expect(s.hasMiddleware('a.A').answer).toBe('yes');
    // Added only on one branch, and unknown items may be anything.
    expect(s.hasMiddleware('toolbar.M').answer).toBe('unknown');
    expect(s.hasMiddleware('other.M').answer).toBe('unknown');
  });

  it('answers no when no branch adds the item and every item is known', () => {
    const s = settings(`
import os
INSTALLED_APPS = []
MIDDLEWARE = ["a.A"]
if os.environ.get("TOOLBAR"):
    MIDDLEWARE.append("toolbar.M")
if os.environ.get("W"):
    MIDDLEWARE.insert(0, "w.M")
elif os.environ.get("V"):
    MIDDLEWARE.remove("a.A")
`);
    expect(s.hasMiddleware(SEC).answer).toBe('no');
    expect(s.hasMiddleware('a.A').answer).toBe('unknown');
    expect(s.hasMiddleware('w.M').answer).toBe('unknown');
  });

  it('keeps the members of a list added to with a comprehension it cannot evaluate', () => {
    const s = settings(`
import os
INSTALLED_APPS = []
MIDDLEWARE = ["${SEC}"] + [m for m in os.environ["MW"].split(",") if m]
`);
    expect(s.hasMiddleware(SEC).answer).toBe('yes');
  });

  it('stays linear on a run of undecidable ifs that change the same list and number', { timeout: 60_000 }, () => {
    const lines = ['import os', 'INSTALLED_APPS = []', `MIDDLEWARE = ["${SEC}"]`, 'N = 0'];
    for (let i = 0; i < 60; i++) lines.push(`if os.environ.get("X${i}"):\n    MIDDLEWARE.append("m${i}.M")\n    N += 1`);
    const s = settings(lines.join('\n') + '\n');
    expect(s.hasMiddleware(SEC).answer).toBe('yes');
    expect(s.hasMiddleware('m7.M').answer).toBe('unknown');
    expect(s.get('N').state).toBe('unknown');
  });

  it('gives up on strings and lists that double on every line instead of exhausting memory', { timeout: 60_000 }, () => {
    const lines = ['INSTALLED_APPS = []', 'X = "ab"', 'L = [1]'];
    for (let i = 0; i < 64; i++) lines.push('X = X + X', 'L = L + L', 'L.extend(L)');
    const s = settings(lines.join('\n') + '\n');
    expect(s.get('X').state).toBe('unknown');
    expect(s.get('L').state).toBe('unknown');
  });
});
