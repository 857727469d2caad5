// Class-based settings: django-configurations classes and the load_settings(__name__) pattern.
import { describe, expect, it } from 'vitest';
import { analyseFiles } from './helpers';
import { concrete, show } from '../../src/model/python/values';
import type { SettingValue } from '../../src/model/settings';

const val = (v: SettingValue) => (v.state === 'known' ? show(v.value) : v.state === 'unknown' ? `unknown: ${v.why}` : v.state);
const apps = `INSTALLED_APPS = ["django.contrib.sessions"]\n    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n`;

describe('django-configurations', () => {
  it('judges the class DJANGO_CONFIGURATION names in a Dockerfile, with values.*Value defaults', () => {
    const { model } = analyseFiles({
      Dockerfile: 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings DJANGO_CONFIGURATION=Staging\nCMD ["gunicorn", "proj.wsgi"]\n',
      'proj/__init__.py': '',
      'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\nfrom configurations.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'proj/settings.py': `from configurations import Configuration, values

class Base(Configuration):
    ${apps}    ALLOWED_HOSTS = values.ListValue(("a.example",))
    CSRF_TRUSTED_ORIGINS = values.TupleValue()
    SECRET_KEY = values.SecretValue()
    SECURE_HSTS_SECONDS = values.IntegerValue(3600, environ=False)
    SESSION_COOKIE_SECURE = values.BooleanValue(True)
    SECURE_SSL_REDIRECT = values.BooleanValue("yes")

class Staging(Base):
    SESSION_COOKIE_SECURE = values.BooleanValue(False, environ_name="COOKIE_SECURE")

class Production(Base):
    pass
`,
    });
    expect(model.settings.map((s) => s.path)).toEqual(['proj/settings.py']);
    const s = model.settings[0];
    const b = s.get('SESSION_COOKIE_SECURE');
    expect(val(b)).toBe('False');
    expect(b.state === 'known' && b.assumed?.why).toBe('read from environment variable COOKIE_SECURE');
    expect(val(s.get('ALLOWED_HOSTS'))).toBe("['a.example']");
    expect(val(s.get('CSRF_TRUSTED_ORIGINS'))).toBe('()');
    expect(val(s.get('SECRET_KEY'))).toBe('unknown: read from environment variable DJANGO_SECRET_KEY (django-configurations)');
    expect(val(s.get('SECURE_HSTS_SECONDS'))).toBe('3600');
    // BooleanValue refuses a non-bool default: nothing is assumed.
    expect(s.get('SECURE_SSL_REDIRECT').state).toBe('unknown');
    expect(s.binding('SESSION_COOKIE_SECURE')?.loc.line).toBe(14);
  });

  it('falls back to a single production-named class, and otherwise reports the module as not judged', () => {
    const cls = (names: string[]) =>
      `from configurations import Configuration\nclass Base(Configuration):\n    ${apps}${names.map((n) => `class ${n}(Base):\n    DEBUG = False\n`).join('')}`;
    const prod = analyseFiles({ 'settings.py': cls(['Dev', 'Production']) }).model;
    expect(prod.settings.map((s) => s.path)).toEqual(['settings.py']);
    const none = analyseFiles({ 'settings.py': cls(['Dev', 'Staging']) }).model;
    expect(none.settings).toEqual([]);
    expect(none.settingsNotJudged).toEqual([expect.objectContaining({ path: 'settings.py', reason: expect.stringMatching(/Base, Dev, Staging.*DJANGO_CONFIGURATION/) })]);
  });

  it('merges attributes along the C3 MRO; a base outside the workspace makes a missing setting unknown', () => {
    const { model } = analyseFiles({
      'settings.py': `from configurations import Configuration
from third_party import SecureMixin

class A(Configuration):
    ${apps}    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 1

class B(A):
    SECURE_HSTS_SECONDS = 2

class C(A):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 3

class Prod(B, C, SecureMixin):
    MIDDLEWARE = A.MIDDLEWARE + ["x.Y"]
`,
    });
    const s = model.settings[0];
    // MRO: Prod, B, C, A: B's seconds, C's redirect (A comes after C).
    expect(val(s.get('SECURE_HSTS_SECONDS'))).toBe('2');
    expect(val(s.get('SECURE_SSL_REDIRECT'))).toBe('True');
    expect(val(s.get('MIDDLEWARE'))).toBe("['django.middleware.security.SecurityMiddleware', 'x.Y']");
    const missing = s.get('SESSION_COOKIE_SECURE');
    expect(missing.state).toBe('unknown');
  });
});

describe('load_settings(__name__)', () => {
  it("copies a class's upper-case attributes into the module; a property is unknown", () => {
    const { model } = analyseFiles({
      'settings.py': `class Settings:
    @classmethod
    def load_settings(cls, name):
        pass

class Base(Settings):
    ${apps}    SESSION_COOKIE_SECURE = True
    _HIDDEN = 1

    @property
    def CSRF_COOKIE_SECURE(self):
        return True

Base.load_settings(__name__)
`,
    });
    const s = model.settings[0];
    expect(val(s.get('SESSION_COOKIE_SECURE'))).toBe('True');
    expect(s.get('_HIDDEN').state).toBe('unset');
    const p = s.get('CSRF_COOKIE_SECURE');
    expect(p.state === 'unknown' && p.why).toMatch(/property or method Base\.CSRF_COOKIE_SECURE/);
    expect(concrete(s.binding('SESSION_COOKIE_SECURE')!.value)?.value.t).toBe('bool');
  });
});
