import { describe, expect, it } from 'vitest';
import { pinnedDjangoVersion, pinsIn, releaseOf } from '../../src/model/django-version';
import { analyseFiles } from './helpers';

const first = (text: string, file = 'requirements.txt') => pinsIn(file, text)[0]?.version;

describe('the Django release a repository pins', () => {
  it('reads requirement specifiers', () => {
    expect(first('Django==1.11.29')).toBe('1.11');
    expect(first('django>=1.8,<1.9')).toBe('1.8');
    expect(first('django >= 3.2, < 4.0 ; python_version > "3"')).toBe('3.2');
    // A range stands for the newest release a fresh install picks (myplaces: `Django>=1.6,<1.9` installs 1.8).
    expect(first('Django>=1.6,<1.9')).toBe('1.8');
    expect(first('Django>=2.2,<4')).toBe('3.2');
    expect(first('Django>=3.0,<3.2.5')).toBe('3.2');
    expect(first('Django>=3.0,<=4.1')).toBe('4.1');
    expect(first('Django>=4.0,<4.0.0')).toBe('4.0');
    expect(first('Django~=2.0')).toBe('2.2');
    expect(first('Django~=3.1.0')).toBe('3.1');
    expect(first('Django<2')).toBe('1.11');
    expect(pinsIn('requirements.txt', 'Django>=1.6,<1.9\n')[0].at).toBe('requirements.txt:1 (`>=1.6,<1.9`, the newest release it allows)');
    expect(first('django[bcrypt]~=3.2.0')).toBe('3.2');
    expect(first('Django==3.2.1 --hash=sha256:abc')).toBe('3.2');
    expect(first('Django==4.2.* \\')).toBe('4.2');
  });
  it('says nothing for an open lower bound, other packages, comments and classifiers', () => {
    expect(first('Django>=4.2')).toBeUndefined();
    expect(first('django-environ==0.4')).toBeUndefined();
    expect(first('djangorestframework==3.1')).toBeUndefined();
    expect(first('# Django==1.0')).toBeUndefined();
    expect(first("    'Framework :: Django :: 3.2',", 'setup.py')).toBeUndefined();
    expect(releaseOf('>=2')).toBeUndefined();
    expect(releaseOf('!=3.0')).toBeUndefined();
  });
  it('reads setup.py, Poetry and Pipfile forms', () => {
    expect(first('    install_requires=["Django>=1.8,<1.10", "pytz"],', 'setup.py')).toBe('1.9');
    expect(first('django = "^3.2"', 'pyproject.toml')).toBe('3.2');
    expect(first('django = "^2.0"', 'pyproject.toml')).toBe('2.2');
    expect(first('django = "~2.1"', 'pyproject.toml')).toBe('2.1');
    expect(first('django = {version = "==2.2.*", extras = ["argon2"]}', 'Pipfile')).toBe('2.2');
  });
  it('keeps the default where the files disagree, and reads only dependency files', () => {
    const files: Record<string, string> = {
      'requirements/base.txt': 'Django==3.2.18\n',
      'docs/requirements.txt': 'sphinx\n',
      'app/settings.py': 'X = "Django==1.4"\n',
      'other/requirements.txt': 'Django==4.2\n',
    };
    const read = (p: string) => files[p];
    expect(pinnedDjangoVersion(['requirements/base.txt', 'docs/requirements.txt', 'app/settings.py'], read)).toEqual({ version: '3.2', at: 'requirements/base.txt:1' });
    expect(pinnedDjangoVersion(Object.keys(files), read)).toBeUndefined();
  });
  it('reads requirement files with the extensions projects give frozen sets (micorr: production.freeze)', () => {
    const files: Record<string, string> = { 'requirements/production.freeze': 'Django==3.0.5\n', 'requirements/notes.md': 'Django==1.4\n' };
    const read = (p: string) => files[p];
    expect(pinnedDjangoVersion(Object.keys(files), read)).toEqual({ version: '3.0', at: 'requirements/production.freeze:1' });
    expect(pinnedDjangoVersion(['requirements-prod.pip'], () => 'Django==2.2.1\n')?.version).toBe('2.2');
  });
});

describe('a module written for Django before 2.0', () => {
  it('is judged as 1.11 when it sets only MIDDLEWARE_CLASSES and nothing pins a release (everyelection)', async () => {
    const { analyseFiles } = await import('./helpers');
    const settings = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE_CLASSES = (\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n)\n';
    const r = analyseFiles({ 'proj/settings.py': settings });
    const s = r.model.settings[0];
    expect(s.djangoVersion).toBe('1.11');
    expect(s.djangoVersionAt).toBe('proj/settings.py:2 (MIDDLEWARE_CLASSES without MIDDLEWARE: written for Django before 2.0)');
    expect(r.result.findings.filter((f) => f.severity === 'high').map((f) => f.ruleId).sort()).toEqual(['django/csrf-cookie-insecure', 'django/session-cookie-insecure']);
    // A pin or a MIDDLEWARE list keeps the release.
    expect(analyseFiles({ 'proj/settings.py': settings, 'requirements.txt': 'Django==3.2\n' }).model.settings[0].djangoVersion).toBe('3.2');
    expect(analyseFiles({ 'proj/settings.py': `${settings}MIDDLEWARE = []\n` }).model.settings[0].djangoVersion).toBe('6.0');
  });
});

describe("'south' in INSTALLED_APPS beside a pinned release (cubetoolkit)", () => {
  const settings = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.sessions", "south"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
  const missing = (files: Record<string, string>) => analyseFiles({ 'proj/settings.py': settings, ...files }).result.findings.find((f) => f.ruleId === 'django/security-middleware-missing');

  it('a pin of 1.7 or later wins: the message asks for Django\'s own SecurityMiddleware', () => {
    const f = missing({ 'requirements.txt': 'Django==4.2.7\n' });
    expect(f?.message).toMatch(/does not include django\.middleware\.security\.SecurityMiddleware/);
    expect(f?.message).not.toMatch(/South/);
  });

  it('without a pin, South still dates the project before 1.7, also where MIDDLEWARE_CLASSES only bounds it below 2.0', () => {
    expect(missing({})?.message).toMatch(/'south' is in INSTALLED_APPS/);
    const legacy = analyseFiles({ 'proj/settings.py': settings.replace('MIDDLEWARE =', 'MIDDLEWARE_CLASSES =') }).result.findings.find((f) => f.ruleId === 'django/security-middleware-missing');
    expect(legacy?.message).toMatch(/'south' is in INSTALLED_APPS/);
  });
});
