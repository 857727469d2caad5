import { describe, expect, it } from 'vitest';
import { isSettingsName, isWsgiName } from '../../src/engine/classify';
import { compileGlob } from '../../src/util/glob';

// The name checks replaced compiled config globs (a CLI start cost); they must answer as those globs do.
const WSGI = ['**/wsgi.py', '**/asgi.py'];
const SETTINGS = ['**/settings.py', '**/settings/*.py', '**/*_settings.py', '**/settings_*.py'];

const names = ['settings.py', 'wsgi.py', 'asgi.py', 'x.py', '.py', '_settings.py', 'settings_.py', 'settings_prod.py', 'prod_settings.py',
  'settings.pyc', 'settings.py.bak', 'mysettings.py', 'settingsx.py', 'settings', 'settings_prod.txt', 'wsgi.pyx', 'my_wsgi.py', '.settings.py',
  'settings_\n.py', 'a b.py', 'settings__.py', 'xsettings_y.py'];
const dirs = ['', 'settings/', 'app/settings/', 'app/settings/sub/', '.hidden/', 'a/.settings/', 'settings_x/', 'mysettings/', 'a/b/c/', 'settingsx/', 'wsgi.py/'];

describe('deployment file names without globs', () => {
  const globsMatch = (patterns: string[], p: string) => patterns.some((g) => compileGlob(g, 'config').test(p));
  for (const d of dirs)
    for (const n of names) {
      const p = d + n;
      it(`answers like the globs for ${JSON.stringify(p)}`, () => {
        expect(isWsgiName(p)).toBe(globsMatch(WSGI, p));
        expect(isSettingsName(p)).toBe(globsMatch(SETTINGS, p));
      });
    }

  it('selects what the globs select and rejects the rest', () => {
    expect(isSettingsName('proj/settings/production.py')).toBe(true);
    expect(isSettingsName('proj/local_settings.py')).toBe(true);
    expect(isSettingsName('proj/settings/production.txt')).toBe(false);
    expect(isSettingsName('proj/views.py')).toBe(false);
    expect(isWsgiName('proj/wsgi.py')).toBe(true);
    expect(isWsgiName('proj/wsgi_old.py')).toBe(false);
  });
});
