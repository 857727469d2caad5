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

describe('expressions over values known from environment defaults', () => {
  it('evaluates the cookie flag computed from a comprehension over a default list (False, judged on the default)', () => {
    const s = settings(`
import os
INSTALLED_APPS = []
ORIGINS = os.environ.get("ORIGINS", "http://localhost,http://127.0.0.1")
SESSION_COOKIE_SECURE = bool([o for o in ORIGINS.split(",") if o.startswith("https")])
CSRF_COOKIE_SECURE = any(o.strip().lower().startswith("https") for o in ORIGINS.split(","))
HOSTS = [h.replace("http://", "") for h in ORIGINS.split(",")]
JOINED = ";".join(HOSTS)
`);
    const v = s.get('SESSION_COOKIE_SECURE');
    expect(val(v)).toBe('False');
    expect(v.state === 'known' && v.assumed?.why).toBe('read from environment variable ORIGINS');
    expect(val(s.get('CSRF_COOKIE_SECURE'))).toBe('False');
    expect(val(s.get('HOSTS'))).toBe("['localhost', '127.0.0.1']");
    expect(val(s.get('JOINED'))).toBe("'localhost;127.0.0.1'");
  });

  it('computes builtins, conditional expressions, in, and/or on defaults, and the fallback of an unset variable', () => {
    const s = settings(`
import os
from distutils.util import strtobool
INSTALLED_APPS = []
MODE = os.environ.get("MODE", "prod")
A = True if MODE in ("prod", "staging") else False
B = int(os.getenv("HSTS", "3600")) * 2
C = str(os.getenv("N", 5)) + "s"
D = MODE == "prod" and "https" or "http"
E = strtobool(os.environ.get("E") or "False")
F = strtobool(os.environ.get("F", "yes"))
G = len(os.environ.get("G", "a,b,c").split(","))
H = list(filter(None, os.environ.get("H", "").split(",")))
I = "x" if os.environ.get("I") else "y"
`);
    expect(val(s.get('A'))).toBe('True');
    expect(val(s.get('B'))).toBe('7200');
    expect(val(s.get('C'))).toBe("'5s'");
    expect(val(s.get('D'))).toBe("'https'");
    const e = s.get('E');
    expect(val(e)).toBe('0'); // strtobool returns 1 or 0, not a bool
    expect(e.state === 'known' && e.assumed?.source).toBe('os.environ.get("E") or "False"');
    expect(val(s.get('F'))).toBe('1');
    expect(val(s.get('G'))).toBe('3');
    expect(val(s.get('H'))).toBe('[]');
    expect(s.get('I').state).toBe('unknown');
  });

  it('keeps comprehension items whose condition cannot be decided as may-be items, and stops at the iteration budget', () => {
    const s = settings(`
import os
INSTALLED_APPS = []
MIDDLEWARE = [m for m in ["django.middleware.security.SecurityMiddleware", "x.Y"] if m != "x.Y" or os.environ["Y"]]
FLAG = bool([m for m in ["a"] if os.environ["Z"]])
`);
    expect(s.hasMiddleware(SEC).answer).toBe('yes');
    expect(s.hasMiddleware('x.Y').answer).toBe('unknown');
    expect(s.get('FLAG').state).toBe('unknown');
  });

  it('bounds nested comprehensions over input-sized lists', { timeout: 60_000 }, () => {
    const big = Array.from({ length: 3000 }, (_, i) => `"h${i}"`).join(', ');
    const { model } = analyseFiles({ 'settings.py': `INSTALLED_APPS = []\nL = [${big}]\nX = [a for a in L for b in L for c in L if c == "none"]\nSECURE_SSL_REDIRECT = True\n` });
    const s = model.settings[0];
    expect(s.get('X').state).toBe('unknown');
    expect(val(s.get('SECURE_SSL_REDIRECT'))).toBe('True');
    expect(model.diagnostics.some((d) => /iteration budget|comprehensions were not evaluated/.test(d.message))).toBe(true);
  });
});

describe('settings libraries, with their signatures as they are', () => {
  it('reads django-environ casts and defaults positionally as django-environ does', () => {
    const s = settings(`
import environ
env = environ.Env(SECURE_SSL_REDIRECT=(bool, True), HSTS=(int, 60), PLAIN=bool)
INSTALLED_APPS = []
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", str, None)
A = env.list("A", str, ["x"])
B = env("B", bool, "on", True)
C = env.bool("C", "False")
D = env("SECURE_SSL_REDIRECT")
E = env.int("HSTS")
F = env.get_value("F", int, 7)
G = env.dict("G", dict, {})
H = env.str("H", "v")
`);
    expect(val(s.get('SECURE_PROXY_SSL_HEADER'))).toBe('None');
    expect(val(s.get('A'))).toBe("['x']");
    expect(val(s.get('B'))).toBe('True'); // parse_default=True casts "on" as django-environ does
    expect(val(s.get('C'))).toBe("'False'"); // returned as given: not cast
    expect(val(s.get('D'))).toBe('True');
    expect(val(s.get('E'))).toBe('60');
    expect(val(s.get('F'))).toBe('7');
    expect(val(s.get('G'))).toBe('{…}');
    expect(val(s.get('H'))).toBe("'v'");
  });

  it('casts python-decouple defaults, Csv() included', () => {
    const s = settings(`
from decouple import config, Csv
INSTALLED_APPS = []
A = config("A", default="off", cast=bool)
B = config("B", default="a.com, b.com,,", cast=Csv())
C = config("C", "1", bool)
D = config("D", default="maybe", cast=bool)
`);
    expect(val(s.get('A'))).toBe('False');
    expect(val(s.get('B'))).toBe("['a.com', 'b.com']");
    expect(val(s.get('C'))).toBe('True');
    expect(s.get('D').state).toBe('unknown'); // decouple raises on a string that is not a boolean
  });
});

describe('statements as Python runs them', () => {
  it('stops a try body at the import that raises and runs the handler that catches it', () => {
    const s = settings(`
INSTALLED_APPS = []
SESSION_COOKIE_SECURE = True
try:
    from .local_settings import *
    SESSION_COOKIE_SECURE = False
except ImportError:
    CSRF_COOKIE_SECURE = True
else:
    CSRF_COOKIE_SECURE = False
try:
    X = {"a": 1}["b"]
    SECURE_SSL_REDIRECT = False
except (KeyError, ValueError) as e:
    SECURE_SSL_REDIRECT = True
try:
    Y = {"a": 1}["b"]
    SECURE_HSTS_SECONDS = 0
except ImportError:
    SECURE_HSTS_SECONDS = 1
`);
    expect(val(s.get('SESSION_COOKIE_SECURE'))).toBe('True');
    expect(val(s.get('CSRF_COOKIE_SECURE'))).toBe('True');
    expect(val(s.get('SECURE_SSL_REDIRECT'))).toBe('True');
    // KeyError is not an ImportError: neither the rest of the body nor that handler runs.
    expect(s.get('SECURE_HSTS_SECONDS').state).toBe('unset');
  });

  it('honours __all__ in a star import', () => {
    const { model } = analyseFiles({
      'proj/__init__.py': '',
      'proj/base.py': '__all__ = ["INSTALLED_APPS", "_PRIVATE_BUT_LISTED"]\nINSTALLED_APPS = []\nSESSION_COOKIE_SECURE = True\n_PRIVATE_BUT_LISTED = 1\n',
      'proj/settings.py': 'from .base import *\nMIDDLEWARE = []\nX = _PRIVATE_BUT_LISTED\n',
    });
    const s = model.settings.find((m) => m.path === 'proj/settings.py')!;
    expect(s.get('SESSION_COOKIE_SECURE').state).toBe('unset');
    expect(val(s.get('X'))).toBe('1');
  });

  it('removes a setting with del, and reports at the del', () => {
    const { model, result } = analyseFiles({
      'settings.py': `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
SESSION_COOKIE_SECURE = True
del SESSION_COOKIE_SECURE
`,
    });
    expect(model.settings[0].get('SESSION_COOKIE_SECURE')).toMatchObject({ state: 'unset', deleted: { line: 4 } });
    const f = result.findings.find((x) => x.ruleId === 'django/session-cookie-insecure');
    expect(f?.line).toBe(4);
    expect(f?.message).toContain('del SESSION_COOKIE_SECURE');
  });

  it('keeps the judged-on-the-default note on what a star import binds on a branch decided by a default', () => {
    const { model } = analyseFiles({
      'proj/__init__.py': '',
      'proj/prod.py': 'SESSION_COOKIE_SECURE = False\n',
      'proj/settings.py': 'import os\nINSTALLED_APPS = []\nif os.environ.get("ENV", "prod") == "prod":\n    from .prod import *\n',
    });
    const v = model.settings[0].get('SESSION_COOKIE_SECURE');
    expect(val(v)).toBe('False');
    expect(v.state === 'known' && v.assumed?.source).toContain('os.environ.get("ENV", "prod")');
  });
});

describe('django/setting-unresolved hints fit the setting', () => {
  it('does not tell a list setting to use env.bool', () => {
    const { result } = analyseFiles({
      'settings.py': `import os
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = os.environ["MIDDLEWARE"].split(",")
SESSION_COOKIE_SECURE = os.environ["SESSION_COOKIE_SECURE"] == "1"
SECURE_HSTS_SECONDS = int(os.environ["HSTS"])
`,
    });
    const hints = new Map(result.findings.filter((f) => f.ruleId === 'django/setting-unresolved').map((f) => [f.message.split(' ')[0], f.hint]));
    expect(hints.get('MIDDLEWARE')).toMatch(/literal list/);
    expect(hints.get('MIDDLEWARE')).not.toMatch(/env\.bool/);
    expect(hints.get('SESSION_COOKIE_SECURE')).toMatch(/env\.bool\('SESSION_COOKIE_SECURE', default=True\)/);
  });
});

describe('every verdict on a value taken from an environment default says so', () => {
  const NOTE = /judged on (the )?(a )?default/;
  it('notes the default in each rule that uses such a value', () => {
    const { result } = analyseFiles({
      'settings.py': `import os
import environ
env = environ.Env()
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["${SEC}", "django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("ORIGINS", default=["http://shop.example.com"])
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS", "3600"))
SECURE_HSTS_PRELOAD = os.environ.get("PRELOAD", "1") == "1"
SESSION_COOKIE_SAMESITE = os.environ.get("SAMESITE", "None")
SECURE_PROXY_SSL_HEADER = env.tuple("PROXY_HEADER", str, ("X-Forwarded-Proto", "https"))
SECURE_REDIRECT_EXEMPT = [os.environ.get("EXEMPT", "^/health")]
`,
    });
    const by = (id: string) => result.findings.find((f) => f.ruleId === id);
    for (const id of ['csrf-trusted-origin-http', 'hsts-max-age-short', 'hsts-preload-unqualified', 'samesite-none-insecure', 'proxy-ssl-header-malformed', 'redirect-exempt-ineffective']) {
      const f = by(`django/${id}`);
      expect(f, id).toBeDefined();
      expect(f!.message, id).toMatch(NOTE);
    }
  });

  it('notes the default behind a middleware list', () => {
    const { result } = analyseFiles({ 'settings.py': 'import os\nINSTALLED_APPS = []\nMIDDLEWARE = os.environ.get("MW", "a.B,c.D").split(",")\n' });
    const f = result.findings.find((x) => x.ruleId === 'django/security-middleware-missing');
    expect(f?.message).toMatch(NOTE);
  });
});

describe('a project copy of strtobool', () => {
  it('is read as distutils.util.strtobool (1 or 0); any other function of that name stays unknown', () => {
    const s = settings(`import os
def strtobool(val):
    val = val.lower()
    if val in ("y", "yes", "t", "true", "on", "1"):
        return 1
    elif val in ("n", "no", "f", "false", "off", "0"):
        return 0
    else:
        raise ValueError("invalid truth value {!r}".format(val))

INSTALLED_APPS = []
SESSION_COOKIE_SECURE = bool(strtobool(os.environ.get("SESSION_COOKIE_SECURE") or "False"))
`);
    const v = s.get('SESSION_COOKIE_SECURE');
    expect(val(v)).toBe('False');
    expect(v.state === 'known' && v.assumed?.source).toBe('os.environ.get("SESSION_COOKIE_SECURE") or "False"');
    const t = settings('import os\ndef strtobool(v):\n    return v == "sure"\nINSTALLED_APPS = []\nX = strtobool(os.environ.get("X", "yes"))\n');
    expect(t.get('X').state).toBe('unknown');
  });
});
