import { describe, expect, it } from 'vitest';
import { analyseFiles } from './helpers';
import { show } from '../../src/model/python/values';
import { blankTemplateTags, computedPathGlob } from '../../src/model/python/evaluate';
import type { SettingValue } from '../../src/model/settings';

const val = (v: SettingValue) => (v.state === 'known' ? show(v.value) : v.state);

describe('effective settings', () => {
  it('merges a from .base import * chain, later assignments win, list mutations followed', () => {
    const { model } = analyseFiles({
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': `
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
INSTALLED_APPS = ["django.contrib.sessions"]
SESSION_COOKIE_SECURE = False
HSTS = 60 * 60 * 24 * 365
`,
      'proj/settings/production.py': `
from .base import *
SESSION_COOKIE_SECURE = True
MIDDLEWARE += ["x.Y"]
MIDDLEWARE.insert(0, "first.M")
MIDDLEWARE.remove("x.Y")
SECURE_HSTS_SECONDS = HSTS
`,
    });
    expect(model.settings.map((s) => s.path)).toEqual(['proj/settings/production.py']);
    const s = model.settings[0];
    expect(val(s.get('SESSION_COOKIE_SECURE'))).toBe('True');
    expect(val(s.get('MIDDLEWARE'))).toBe("['first.M', 'django.middleware.security.SecurityMiddleware']");
    expect(val(s.get('SECURE_HSTS_SECONDS'))).toBe('31536000');
    expect(s.binding('SESSION_COOKIE_SECURE')?.loc.path).toBe('proj/settings/production.py');
    expect(s.binding('HSTS')?.loc.path).toBe('proj/settings/base.py');
    expect(s.files).toEqual(['proj/settings/base.py', 'proj/settings/production.py']);
  });

  it("a split-settings include whose path the environment picks runs each file it may name but development ones (saucerbot, neuro-parser)", () => {
    const files = (init: string, prod: string, staging?: string) => ({
      'proj/settings/__init__.py': init,
      'proj/settings/base.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nSESSION_COOKIE_SECURE = False\n',
      'proj/settings/environments/development.py': 'DEBUG = True\nSESSION_COOKIE_SECURE = True\n',
      'proj/settings/environments/production.py': prod,
      ...(staging !== undefined ? { 'proj/settings/environments/staging.py': staging } : {}),
    });
    const fString = "import os\nfrom split_settings.tools import include\nENV = os.environ.get('DJANGO_ENV')\ninclude('base.py', f'environments/{ENV}.py')\n";
    const listed = "from decouple import config\nfrom split_settings.tools import include, optional\nENV = config('DJANGO_ENV')\nbase = [\n    'base.py',\n    'environments/{0}.py'.format(ENV),\n    optional('environments/local.py'),\n]\ninclude(*base)\n";
    const cookie = (f: Record<string, string>) => {
      const s = analyseFiles(f).model.settings.find((m) => m.path === 'proj/settings/__init__.py')!;
      return val(s.get('SESSION_COOKIE_SECURE'));
    };
    // production.py leaves base's False; development.py, which sets True, is not a candidate.
    expect(cookie(files(fString, 'DEBUG = False\n'))).toBe('False');
    expect(cookie(files(listed, 'DEBUG = False\n'))).toBe('False');
    expect(cookie(files(fString, 'SESSION_COOKIE_SECURE = True\n'))).toBe('True');
    // Candidates that disagree leave it unknown.
    expect(cookie(files(fString, 'SESSION_COOKIE_SECURE = True\n', 'DEBUG = False\n'))).toBe('unknown');
  });

  it('reads the computed include paths it can, and no others', () => {
    expect(computedPathGlob("f'environments/{ENV}.py'")).toBe('environments/*.py');
    expect(computedPathGlob("'environments/{0}.py'.format(ENV)")).toBe('environments/*.py');
    expect(computedPathGlob("'env/%s.py' % ENV")).toBe('env/*.py');
    expect(computedPathGlob("'env/' + ENV + '.py'")).toBe('env/*.py');
    for (const no of ["f'{BASE}/{ENV}.py'", "f'/etc/app/{ENV}.py'", "f'../{ENV}.py'", "f'env/{ENV}.json'", "os.environ['SETTINGS_FILE']", "'env/{0}.py'.format(a, b)"]) expect([no, computedPathGlob(no)]).toEqual([no, undefined]);
  });

  it('an attribute of a value it does not model is unknown, not a value that settles an `if` (ifrc-go-api)', () => {
    const head = 'import os\nfrom urllib.parse import urlparse\nINSTALLED_APPS = ["django.contrib.sessions"]\nAPI = os.environ["API_FQDN"]\n';
    const cookie = (cond: string) => val(analyseFiles({ 'proj/settings.py': `${head}if ${cond}:\n    SESSION_COOKIE_SECURE = True\n` }).model.settings[0].get('SESSION_COOKIE_SECURE'));
    expect(cookie('urlparse(API).scheme == "https"')).toBe('unknown');
    expect(cookie('urlparse(API).scheme')).toBe('unknown');
    expect(cookie('API.scheme != "http"')).toBe('unknown');
    // Methods of known values are still called.
    expect(cookie('"HTTPS".lower() == "https"')).toBe('True');
    expect(cookie('"https".upper() == "https"')).toBe('unset');
  });

  it('reads `from . import *` as the package itself, not a module named import', () => {
    const { model } = analyseFiles({
      'proj/settings/__init__.py': 'from .base import *\n',
      'proj/settings/base.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = []\nSESSION_COOKIE_SECURE = True\n',
      'proj/settings/production.py': 'from . import *  # NOQA\nCSRF_COOKIE_SECURE = True\n',
    }, { settingsModules: ['proj/settings/production.py'] });
    const s = model.settings.find((m) => m.path === 'proj/settings/production.py')!;
    expect(val(s.get('SESSION_COOKIE_SECURE'))).toBe('True');
    expect(s.files).toEqual(['proj/settings/base.py', 'proj/settings/__init__.py', 'proj/settings/production.py']);
  });

  it('keeps what a branch skipped only by an environment default would set (cookie findings then medium)', () => {
    const settings = (extra: string) => `import os
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
${extra}`;
    const { model, result } = analyseFiles({
      'proj/settings.py': settings(`if os.environ.get("PRODUCTION", ""):\n    SESSION_COOKIE_SECURE = True\nif os.environ.get("LOCAL", ""):\n    CSRF_COOKIE_SECURE = False\n`),
    });
    const s = model.settings[0];
    const v = s.get('SESSION_COOKIE_SECURE');
    expect(v.state).toBe('unset');
    expect(v.state === 'unset' && v.otherwise?.when).toBe('`os.environ.get("PRODUCTION", "")` (proj/settings.py:4) holds');
    const bySev = Object.fromEntries(result.findings.filter((f) => f.ruleId.endsWith('cookie-insecure')).map((f) => [f.ruleId, f.severity]));
    // Secured on the skipped branch: medium. Made insecure there: still judged on the default, high.
    expect(bySev).toEqual({ 'django/session-cookie-insecure': 'medium', 'django/csrf-cookie-insecure': 'high' });
    // Bound again after the branch: the note goes.
    const rebound = analyseFiles({ 'proj/settings.py': settings(`if os.environ.get("PRODUCTION", ""):\n    SESSION_COOKIE_SECURE = True\nSESSION_COOKIE_SECURE = False\n`) });
    expect(rebound.result.findings.find((f) => f.ruleId === 'django/session-cookie-insecure')?.severity).toBe('high');
  });

  it('reads include(*files) with optional() items, and files the environment adds to the list', () => {
    const { model, result } = analyseFiles({
      'proj/settings/__init__.py': `import os
from split_settings.tools import optional, include
files = ['core.py', optional('local.py')]
if os.environ.get('CI', '') == 'true':
    files.append('ci.py')
if os.environ.get('DJANGO_SECRET_KEY', ''):
    files.append('heroku.py')
if os.environ.get('LOCAL_DEV', ''):
    files.append('dev.py')
include(*files)
`,
      'proj/settings/core.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n',
      'proj/settings/heroku.py': 'from os import environ\nif "X" in environ:\n    SESSION_COOKIE_SECURE = True\n',
      'proj/settings/ci.py': 'DEBUG = False\n',
      'proj/settings/dev.py': 'SESSION_COOKIE_SECURE = False\n',
      'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    });
    const s = model.settings.find((m) => m.path === 'proj/settings/__init__.py')!;
    expect(s.files).toContain('proj/settings/core.py');
    const f = result.findings.find((x) => x.ruleId === 'django/session-cookie-insecure')!;
    expect(f.severity).toBe('medium');
    expect(f.message).toContain("`os.environ.get('DJANGO_SECRET_KEY', '')` (proj/settings/__init__.py:6) holds (adding `heroku.py` to `include(*files)`");
    expect(f.message).toContain('which may set it to True');
  });

  it('treats environment reads as unknown and judges on a visible default', () => {
    const { model } = analyseFiles({
      'settings.py': `
import os
import environ
from decouple import config
env = environ.Env(DEBUG=(bool, False))
INSTALLED_APPS = []
A = os.environ.get("A", "x")
B = os.environ["B"]
C = env.bool("C", default=True)
D = config("D", default="False", cast=bool)
E = env("DEBUG")
F = env.bool("F", default="False")
G = os.getenv("G", "True").lower() == "true"
H = os.environ.get("H")
`,
    });
    const s = model.settings[0];
    const a = s.get('A');
    expect(a.state).toBe('known');
    expect(a.state === 'known' && a.assumed?.why).toBe('read from environment variable A');
    expect(s.get('B').state).toBe('unknown');
    expect(val(s.get('C'))).toBe('True');
    expect(val(s.get('D'))).toBe('False'); // decouple casts its default
    expect(val(s.get('E'))).toBe('False'); // django-environ scheme default
    expect(val(s.get('F'))).toBe("'False'"); // django-environ returns defaults uncast
    expect(val(s.get('G'))).toBe('True');
    expect(s.get('H').state).toBe('unknown');
  });

  it('follows if-branches decided by literal values or env defaults, and merges undecidable ones', () => {
    const { model } = analyseFiles({
      'settings.py': `
import os, sys
DEBUG = os.environ.get("DEBUG", "0") == "1"
INSTALLED_APPS = []
if DEBUG:
    SESSION_COOKIE_SECURE = False
else:
    SESSION_COOKIE_SECURE = True
if "test" in sys.argv:
    CSRF_COOKIE_SECURE = False
else:
    CSRF_COOKIE_SECURE = False
if "runserver" in sys.argv:
    X = 1
else:
    X = 2
`,
    });
    const s = model.settings[0];
    const sc = s.get('SESSION_COOKIE_SECURE');
    expect(val(sc)).toBe('True');
    expect(sc.state === 'known' && sc.assumed).toBeTruthy();
    expect(s.isTrue('CSRF_COOKIE_SECURE').answer).toBe('no');
    expect(s.get('X').state).toBe('unknown');
  });

  it('runs the except branch of an optional import that is not in the workspace', () => {
    const { model } = analyseFiles({
      'app/settings.py': `
INSTALLED_APPS = []
try:
    from .local_settings import *
except ImportError:
    SESSION_COOKIE_SECURE = True
`,
    });
    const s = model.settings[0];
    expect(val(s.get('SESSION_COOKIE_SECURE'))).toBe('True');
    expect(s.opaqueImports).toEqual([]);
  });

  it('marks missing names as unknown after a star import from outside the workspace', () => {
    const { model } = analyseFiles({ 'settings.py': 'from somewhere_else import *\nINSTALLED_APPS = []\n' });
    const v = model.settings[0].get('SESSION_COOKIE_SECURE');
    expect(v.state).toBe('unknown');
    expect(v.state === 'unknown' && v.opaque?.module).toBe('somewhere_else');
  });

  it('resolves absolute imports inside the workspace and survives import cycles', () => {
    const { model } = analyseFiles({
      'src/proj/settings/base.py': 'from proj.settings.prod import *\nSECURE_SSL_REDIRECT = True\nMIDDLEWARE = []\n',
      'src/proj/settings/prod.py': 'from proj.settings.base import *\nSECURE_HSTS_SECONDS = 3600\n',
    });
    const all = model.settings.map((s) => s.path);
    expect(all.length).toBeGreaterThan(0);
  });

  it('does not crash on deep nesting or huge lines and reports the syntax error', () => {
    const deep = `X = ${'('.repeat(50_000)}1${')'.repeat(50_000)}\nINSTALLED_APPS = []\nSESSION_COOKIE_SECURE = True\n`;
    const { model } = analyseFiles({ 'settings.py': deep });
    expect(model.diagnostics[0].message).toMatch(/too many nested brackets/);
    expect(val(model.settings[0].get('SESSION_COOKIE_SECURE'))).toBe('True');
    const long = (n: number) => `INSTALLED_APPS = []\nX = "${'a'.repeat(n)}"\nSESSION_COOKIE_SECURE = True\n`;
    const r2 = analyseFiles({ 'settings.py': long(4_000_000) });
    expect(val(r2.model.settings[0].get('SESSION_COOKIE_SECURE'))).toBe('True');
    // Over the size cap: skipped with a reason and reported, never dropped silently.
    const big = analyseFiles({ 'settings.py': long(8_000_000) });
    expect(big.result.skipped).toEqual([{ path: 'settings.py', reason: expect.stringMatching(/larger than/) }]);
    expect(big.model.diagnostics[0].loc.path).toBe('settings.py');
    const nots = `INSTALLED_APPS = []\nX = ${'not '.repeat(20_000)}True\nSESSION_COOKIE_SECURE = True\n`;
    const r3 = analyseFiles({ 'settings.py': nots });
    expect(val(r3.model.settings[0].get('SESSION_COOKIE_SECURE'))).toBe('True');
  });

  it('follows django-split-settings include(): components share one namespace, in order, optional ones may be absent', () => {
    const { model } = analyseFiles({
      'server/settings/__init__.py': `
from split_settings.tools import include, optional

include(
    "components/base.py",
    "components/*_security.py",
    optional("environments/local.py"),
)
`,
      'server/settings/components/base.py': `
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SESSION_COOKIE_SECURE = False
`,
      'server/settings/components/cookie_security.py': 'SESSION_COOKIE_SECURE = True\nMIDDLEWARE += ["x.Y"]\n',
    });
    expect(model.settings.map((m) => m.path)).toEqual(['server/settings/__init__.py']);
    const s = model.settings[0];
    expect(val(s.get('SESSION_COOKIE_SECURE'))).toBe('True');
    expect(s.binding('SESSION_COOKIE_SECURE')?.loc.path).toBe('server/settings/components/cookie_security.py');
    expect(val(s.get('MIDDLEWARE'))).toBe("['django.middleware.security.SecurityMiddleware', 'x.Y']");
    expect(s.opaqueImports).toEqual([]);
  });

  it('follows include(*files) over a list the module builds (Tabbycat shape)', () => {
    const { model } = analyseFiles({
      'app/settings/__init__.py': 'import os\nfrom split_settings.tools import include\nfiles = ["core.py"]\nif os.environ.get("ON_DOCKER", ""):\n    files.append("docker.py")\nelse:\n    files.append("heroku.py")\ninclude(*files)\n',
      'app/settings/core.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nSESSION_COOKIE_SECURE = False\n',
      'app/settings/heroku.py': 'SESSION_COOKIE_SECURE = True\n',
      'app/settings/docker.py': 'DEBUG = True\n',
    }, { settingsModules: ['app/settings/__init__.py'] });
    const s = model.settings[0];
    expect(s.binding('SESSION_COOKIE_SECURE')?.loc.path).toBe('app/settings/heroku.py');
    expect(s.opaqueImports).toEqual([]);
  });

  it('takes the default branch of a test whose left side short-circuits on the environment default (Tabbycat)', () => {
    // `os.environ.get("X", "") and bool(os.environ["X"])`: unset, the get gives "" and the lookup without a default never runs.
    const init = 'import os\nfrom split_settings.tools import include\nfiles = ["core.py"]\nif os.environ.get("GITHUB_CI", "") and bool(os.environ["GITHUB_CI"]):\n    files.append("github.py")\nelif os.environ.get("IN_DOCKER", "") and bool(int(os.environ["IN_DOCKER"])):\n    files.append("docker.py")\nelse:\n    files.append("heroku.py")\ninclude(*files)\n';
    const { model } = analyseFiles({
      'app/settings/__init__.py': init,
      'app/settings/core.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nSESSION_COOKIE_SECURE = False\n',
      'app/settings/heroku.py': 'SESSION_COOKIE_SECURE = True\n',
      'app/settings/docker.py': 'DEBUG = True\n',
      'app/settings/github.py': 'DEBUG = True\n',
    }, { settingsModules: ['app/settings/__init__.py'] });
    const s = model.settings[0];
    expect(s.binding('SESSION_COOKIE_SECURE')?.loc.path).toBe('app/settings/heroku.py');
    // The value still says it comes from the environment: a deployment that sets the variable takes the right side.
    const v = analyseFiles({ 'settings.py': 'import os\nA = os.environ.get("X", "") and bool(os.environ["X"])\nB = os.environ.get("Y", "1") or os.environ["Z"]\nC = os.environ.get("W", "1") and os.environ["Z"]\nINSTALLED_APPS = []\n' }).model.settings[0];
    expect(val(v.peek('A'))).toBe("''");
    const a = v.peek('A');
    expect(a.state === 'known' && a.assumed !== undefined).toBe(true);
    expect(val(v.peek('B'))).toBe("'1'");
    expect(v.peek('C').state).toBe('unknown');
  });

  it('split-settings fan-out: each file runs once per namespace (as __included_files__ does), not once per path', () => {
    const files: Record<string, string> = {
      'proj/settings/__init__.py': 'from split_settings.tools import include\nAPPS = []\ninclude("components/*.py")\n',
    };
    const n = 9;
    // Before: every component re-included every other one on every path (n! runs; 8 files took 16 s).
    for (let k = 0; k < n; k++) files[`proj/settings/components/c${k}.py`] = `from split_settings.tools import include\nAPPS += ["c${k}"]\ninclude("*.py")\n`;
    const { model } = analyseFiles({ ...files, 'proj/settings/__init__.py': files['proj/settings/__init__.py'] + 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = []\n' });
    const s = model.settings.find((m) => m.path === 'proj/settings/__init__.py')!;
    const apps = s.get('APPS');
    expect(apps.state).toBe('known');
    expect(apps.state === 'known' && apps.value.t === 'list' ? apps.value.items.length : -1).toBe(n);
  }, 30_000);

  it('split-settings budget: past it, what the skipped files may set is unknown, with a finding', () => {
    const files: Record<string, string> = {};
    const n = 60;
    // Each component is a settings module of its own: n roots x n files runs, over the budget.
    for (let k = 0; k < n; k++) {
      files[`proj/settings/c${k}.py`] = `from split_settings.tools import include\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = []\nSESSION_COOKIE_SECURE = True\ninclude("*.py")\n`;
    }
    const { model, result } = analyseFiles(files);
    expect(model.diagnostics.filter((d) => /not interpreted/.test(d.message))).toHaveLength(1);
    expect(result.findings.some((f) => f.ruleId === 'parse/error' && /split-settings include .* not interpreted/.test(f.message))).toBe(true);
    const states = new Set(model.settings.map((m) => m.get('SESSION_COOKIE_SECURE').state));
    expect(states.has('unknown')).toBe(true);
  }, 60_000);
});

describe('getattr on a configuration object loaded at run time (NetBox)', () => {
  const settings = `from netbox.settings_utils import load_configuration
configuration = load_configuration()
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
SESSION_COOKIE_SECURE = getattr(configuration, 'SESSION_COOKIE_SECURE', False)
`;
  const session = (files: Record<string, string>) => analyseFiles(files).result.findings.filter((f) => f.message.includes('SESSION_COOKIE_SECURE')).map((f) => `${f.ruleId} ${f.severity}`);

  it('judges the default when no workspace file sets the name', () => {
    expect(session({ 'netbox/netbox/settings.py': settings, 'configuration/configuration.py': 'ALLOWED_HOSTS = ["*"]\n' })).toEqual(['django/session-cookie-insecure high']);
  });

  it('does not assume the default when a configuration fragment sets it', () => {
    const files = { 'netbox/netbox/settings.py': settings, 'configuration/extra.py': 'ALLOWED_HOSTS = ["*"]\nSESSION_COOKIE_SECURE = True\n' };
    expect(session(files)).toEqual(['django/setting-unresolved info']);
    expect(analyseFiles(files).result.findings.find((f) => f.ruleId === 'django/setting-unresolved')?.message).toContain('configuration/extra.py sets SESSION_COOKIE_SECURE');
  });

  it('ignores settings modules of other projects, and test or example files, that set it', () => {
    expect(session({
      'netbox/netbox/settings.py': settings,
      'other/settings.py': 'INSTALLED_APPS = []\nSESSION_COOKIE_SECURE = True\n',
      'other/prod.py': 'from .settings import *\nSESSION_COOKIE_SECURE = True\n',
      'tests/configuration.py': 'SESSION_COOKIE_SECURE = True\n',
      'netbox/netbox/configuration_example.py': 'SESSION_COOKIE_SECURE = True\n',
    })).toEqual(['django/session-cookie-insecure high']);
  });
});

describe('an environment default that names the developer machine is not assumed (OpenCiviWiki)', () => {
  const settings = (dflt: string) => `import os
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
DJANGO_HOST = os.getenv("DJANGO_HOST", "${dflt}")
if DJANGO_HOST != "${dflt}":
    SESSION_COOKIE_SECURE = True
`;
  const session = (files: Record<string, string>) => analyseFiles(files).result.findings.filter((f) => f.message.includes('SESSION_COOKIE_SECURE')).map((f) => `${f.ruleId} ${f.severity}`);

  it('judges both branches when the default is localhost, a loopback URL or "local"', () => {
    for (const dflt of ['LOCALHOST', 'http://127.0.0.1:8000', 'local']) {
      expect(session({ 'proj/settings.py': settings(dflt) })).toEqual(['django/setting-unresolved info']);
    }
  });

  it('keeps other defaults, and what the deployment sets', () => {
    // Judged on the default, which skips the branch that secures the cookie: medium (the environment decides).
    expect(session({ 'proj/settings.py': settings('example.com') })).toEqual(['django/session-cookie-insecure medium']);
    const deployed = { 'proj/settings.py': settings('LOCALHOST'), 'Dockerfile': 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings DJANGO_HOST=LOCALHOST\nCMD ["gunicorn", "proj.wsgi"]\n', 'proj/wsgi.py': '' };
    expect(session(deployed)).toEqual(['django/session-cookie-insecure high']);
  });
});

describe('functions that hand globals() on (peeringdb)', () => {
  const helpers = `import os
def set_from_env(name, default=None):
    return _set(name, globals(), default)
def try_include(filename):
    with open(filename) as f:
        exec(compile(f.read(), filename, "exec"), globals())
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
`;
  const rules = (text: string) => analyseFiles({ 'proj/settings.py': text }).result.findings.filter((f) => /COOKIE_SECURE/.test(f.message)).map((f) => `${f.ruleId} ${f.severity}`).sort();

  it('takes a name set from the environment by such a helper as unknown, not as unset', () => {
    expect(rules(`${helpers}set_from_env("SESSION_COOKIE_SECURE")\nCSRF_COOKIE_SECURE = True\n`)).toEqual(['django/setting-unresolved info']);
  });

  it('takes a file exec\'d into the module as able to set what the module leaves unset', () => {
    const judged = analyseFiles({ 'proj/settings.py': `${helpers}try_include("prod.py")\nSESSION_COOKIE_SECURE = True\n` }).result.findings;
    expect(judged.filter((f) => f.ruleId === 'django/csrf-cookie-insecure')).toEqual([]);
    expect(judged.find((f) => f.ruleId === 'django/setting-unresolved')?.message).toMatch(/`try_include\("prod.py"\)` runs code that cannot be read statically/);
    // Without the helpers, the same module is judged.
    expect(rules(`INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]\nSESSION_COOKIE_SECURE = True\n`)).toEqual(['django/csrf-cookie-insecure high']);
  });
});

describe('a settings module with only MIDDLEWARE_CLASSES (Django before 1.10)', () => {
  const text = 'INSTALLED_APPS = []\nMIDDLEWARE_CLASSES = ("django.middleware.security.SecurityMiddleware",)\n';
  const found = (djangoVersion?: string) => analyseFiles({ 'proj/settings.py': text }, djangoVersion ? { djangoVersion } : {}).result.findings.filter((f) => f.ruleId === 'django/security-middleware-missing');

  it('is a low finding naming MIDDLEWARE_CLASSES when judged with a newer Django, and none on the Django it was written for', () => {
    expect(found('6.0').map((f) => f.severity)).toEqual(['low']);
    expect(found('6.0')[0].message).toMatch(/MIDDLEWARE_CLASSES includes it, but Django ignores MIDDLEWARE_CLASSES since 2\.0/);
    expect(found('1.9')).toEqual([]);
    // With no release given or pinned, such a module is judged as 1.11, the release it was written for.
    expect(found()).toEqual([]);
  });
});

describe('where a missing setting is reported', () => {
  it('stays on the list where this file first defines it when a later `X = (...) + X` extends it (micromasters)', () => {
    const text = [
      'INSTALLED_APPS = ["django.contrib.sessions"]',
      'MIDDLEWARE = (',
      '    "django.contrib.sessions.middleware.SessionMiddleware",',
      ')',
      'DEBUG = False',
      'if DEBUG:',
      '    MIDDLEWARE = ("debug_toolbar.middleware.DebugToolbarMiddleware",) + MIDDLEWARE',
      '',
    ].join('\n');
    const at = (t: string) => analyseFiles({ 'proj/settings.py': t }).result.findings.filter((f) => f.ruleId === 'django/session-cookie-insecure').map((f) => f.line);
    expect(at(text)).toEqual([2]);
    // A new definition (not reading the old value) is where the list now comes from.
    expect(at(text.replace(') + MIDDLEWARE', ')').replace('DEBUG = False\nif DEBUG:\n    ', ''))).toEqual([5]);
  });
});

describe('django/ssl-redirect-off hint (healthchecks)', () => {
  it('does not say SECURE_PROXY_SSL_HEADER is set when only the environment may set it', () => {
    const settings = (proxy: string) => `import os
INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
${proxy}
`;
    const hint = (proxy: string) => analyseFiles({ 'proj/settings.py': settings(proxy) }).result.findings.find((f) => f.ruleId === 'django/ssl-redirect-off')?.hint;
    expect(hint('if "SECURE_PROXY_SSL_HEADER" in os.environ:\n    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")')).toContain('once SECURE_PROXY_SSL_HEADER is known to be set');
    expect(hint('SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")')).toContain('SECURE_PROXY_SSL_HEADER is set, so Django');
  });
});

describe('settings overlays read by what they import (universitas)', () => {
  const base = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = []\nSECRET_KEY = "x"\nSESSION_COOKIE_SECURE = False\n';
  it('takes a module that star-imports a settings module, and one that star-imports that, in turn', () => {
    const { result, model } = analyseFiles({
      'proj/base.py': base,
      'proj/production.py': 'from .base import *  # noqa\nDEBUG = False\nSESSION_COOKIE_SECURE = True\n',
      'proj/production_eu.py': 'from proj.production import *\nTIME_ZONE = "Europe/Oslo"\n',
      'proj/helpers.py': 'from os import *\n',
    });
    expect(result.files.filter((f) => f.kind === 'django-settings').map((f) => f.path).sort()).toEqual(['proj/base.py', 'proj/production.py', 'proj/production_eu.py']);
    expect(model.settings.map((s) => s.path)).toEqual(['proj/production_eu.py']);
    expect(val(model.settings[0].get('SESSION_COOKIE_SECURE'))).toBe('True');
  });

  it('names the import targets a module may mean', async () => {
    const { starImportTargets } = await import('../../src/engine/scan');
    expect(starImportTargets('a/b/prod.py', 'from .base import *\nfrom ..common import *\nfrom . import *\n')).toEqual(['a/b/base.py', 'a/b/base/__init__.py', 'a/common.py', 'a/common/__init__.py', 'a/b/__init__.py']);
    expect(starImportTargets('a/prod.py', 'from proj.base import *\n')).toEqual(['a/proj/base.py', 'a/proj/base/__init__.py', 'proj/base.py', 'proj/base/__init__.py']);
    expect(starImportTargets('a/prod.py', 'from ... import *\nimport os\n')).toEqual([]);
  });
});

describe('a development base completed by a local module outside the repository (by-mark.ru)', () => {
  const settings = (debug: string) => `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
DEBUG = ${debug}
try:
    from proj.local_settings import *
except ImportError:
    pass
`;
  const cookie = (debug: string) => analyseFiles({ 'proj/settings.py': settings(debug) }).result.findings.find((f) => f.ruleId === 'django/session-cookie-insecure')!;
  it('makes the missing cookie flag medium and names the import', () => {
    const f = cookie('True');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('this module hard-codes DEBUG = True and imports `proj.local_settings` (proj/settings.py:5) when it exists');
  });
  it('stays high when the module itself turns DEBUG off', () => {
    expect(cookie('False').severity).toBe('high');
  });
});

describe("a module that cannot serve as written: SECRET_KEY = '' (wsn_server)", () => {
  const cookie = (key: string) =>
    analyseFiles({ 'proj/settings.py': `import os\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\nSECRET_KEY = ${key}\n` }).result.findings.find((f) => f.ruleId === 'django/session-cookie-insecure')!;
  it('makes the missing cookie flag medium: what runs is completed elsewhere', () => {
    const f = cookie("''");
    expect(f.severity).toBe('medium');
    expect(f.message).toContain("this module sets SECRET_KEY = '' (proj/settings.py:4), with which Django raises ImproperlyConfigured");
  });
  it('stays high with a key, or one read from the environment with an empty default', () => {
    expect(cookie('"k3y"').severity).toBe('high');
    expect(cookie('os.environ.get("SECRET_KEY", "")').severity).toBe('high');
  });
});

describe('a module the repository lacks, with the template it ships for it (pinry)', () => {
  const base = (imp: string) => `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
${imp}
`;
  const TEMPLATE = 'DEBUG = False\nSECRET_KEY = "secret_key_place_holder"\nALLOWED_HOSTS = ["*"]\n';
  const cookie = (files: Record<string, string>) => analyseFiles(files).result.findings.find((f) => f.ruleId === 'django/session-cookie-insecure');

  it('judges the template in place of the missing module, at medium at most, and says so', () => {
    const f = cookie({ 'proj/settings/docker.py': base('from .local_settings import *'), 'proj/settings/local_settings.example.py': TEMPLATE })!;
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('judged with proj/settings/local_settings.example.py standing in for `from .local_settings import *` at proj/settings/docker.py:3');
  });

  it('reads what the template sets', () => {
    expect(cookie({ 'proj/settings.py': base('from local_settings import *'), 'proj/local_settings_sample.py': `${TEMPLATE}SESSION_COOKIE_SECURE = True\n` })).toBeUndefined();
  });

  it('the `except ImportError` form takes the template as present too', () => {
    const f = cookie({ 'proj/settings.py': base('DEBUG = True\ntry:\n    from proj.local_settings import *\nexcept ImportError:\n    pass'), 'proj/local_settings.dist.py': TEMPLATE })!;
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('standing in for `from proj.local_settings import *`');
  });

  it('a template that leaves DEBUG on stays medium: the deployed copy turns it off and keeps the rest (EveryElection)', () => {
    expect(cookie({ 'proj/settings.py': base('from .local_settings import *'), 'proj/local_settings_example.py': 'DEBUG = True\n' })!.severity).toBe('medium');
  });

  it('without a template nothing changes: every setting may come from the missing module', () => {
    expect(cookie({ 'proj/settings/docker.py': base('from .local_settings import *') })).toBeUndefined();
  });

  it('a template kept under a name Python cannot import (`local.py.default`, copied into place by the image)', () => {
    const f = cookie({ 'proj/settings/prod.py': base('from .local import *'), 'proj/settings/local.py.default': TEMPLATE })!;
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('judged with proj/settings/local.py.default standing in for `from .local import *`');
    expect(cookie({ 'proj/settings.py': base('from local_settings import *'), 'proj/local_settings.py.example': `${TEMPLATE}SESSION_COOKIE_SECURE = True\n` })).toBeUndefined();
    // Debian's packaged copy (wims-lti's `config.py_dpkg_dist`).
    expect(cookie({ 'proj/settings.py': base('from proj.config import *'), 'proj/config.py_dpkg_dist': TEMPLATE })!.severity).toBe('medium');
    // Any other suffix is not a template of the module.
    expect(cookie({ 'proj/settings/prod.py': base('from .local import *'), 'proj/settings/local.py.orig': TEMPLATE })).toBeUndefined();
  });

  it("a template a fabfile renders from another folder, with Django template tags (personal-apis' local_settings.template)", () => {
    const tpl = "ALLOWED_HOSTS = ['{{ domain_name }}']\ntry:\n    from {{ package_name }}.secure_settings import *\nexcept ImportError:\n    pass\nSESSION_COOKIE_SECURE = True\n";
    const files = { 'proj/proj/settings.py': base('DEBUG = True\ntry:\n    from proj.local_settings import *\nexcept ImportError:\n    pass'), 'config_templates/local_settings.template': tpl };
    expect(cookie(files)).toBeUndefined();
    expect(cookie({ ...files, 'config_templates/local_settings.template': tpl.replace('SESSION_COOKIE_SECURE = True\n', '') })!.message).toContain('judged with config_templates/local_settings.template standing in for');
    // Two templates of that name elsewhere: which one is deployed is not known.
    expect(cookie({ ...files, 'other/local_settings.template': TEMPLATE })!.message).not.toContain('standing in');
  });

  it('an Ansible template (`local_settings.py.j2`) is rendered into place as written: not capped (channel2)', () => {
    const f = cookie({ 'proj/settings.py': base('from proj.local_settings import *'), 'deploy/templates/local_settings.py.j2': "DEBUG = False\nALLOWED_HOSTS = ['{{ fqdn }}']\n" })!;
    expect(f.severity).toBe('high');
    expect(f.message).toContain('judged with deploy/templates/local_settings.py.j2, which the deployment renders into place for `from proj.local_settings import *`');
  });
});

describe('blankTemplateTags', () => {
  it('keeps positions: tags become a name or spaces of the same length, newlines kept', () => {
    const text = "X = '{{ a }}'\n{% if b %}\nY = {{ c }}\n{# note\nmore #}\nZ = {'k': {1}}\n";
    const out = blankTemplateTags(text);
    expect(out.length).toBe(text.length);
    expect(out.split('\n').length).toBe(text.split('\n').length);
    expect(out).toBe("X = '_______'\n          \nY = _______\n       \n       \nZ = {'k': {1}}\n");
    expect(blankTemplateTags('A = "{{ unclosed"\n')).toBe('A = "{{ unclosed"\n');
  });
});

describe('a production module that an entry point names and the repository does not hold (hackassistant)', () => {
  const APPS = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
  const wsgi = (mod: string) => `import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${mod}")\napplication = get_wsgi_application()\n`;
  const files = (prod = 'app.prod_settings') => ({
    'app/settings.py': `import os\n${APPS}DEBUG = os.environ.get("PROD_MODE", "false") == "false"\n`,
    'app/docker_settings.py': 'from app.settings import *\nDEBUG = True\n',
    'app/wsgi.py': wsgi('app.settings'),
    'app/docker_wsgi.py': wsgi('app.docker_settings'),
    'app/prod_wsgi.py': wsgi(prod),
  });
  const cookies = (x: Record<string, string>) =>
    analyseFiles(x).result.findings.filter((f) => f.ruleId === 'django/session-cookie-insecure').map((f) => `${f.path} ${f.severity}`).sort();

  it('makes the DEBUG = True module beside it development (and the base it star-imports), saying why', () => {
    expect(cookies(files())).toEqual(['app/docker_settings.py low', 'app/settings.py low']);
    const f = analyseFiles(files()).result.findings.find((x) => x.ruleId === 'django/session-cookie-insecure' && x.path === 'app/docker_settings.py')!;
    expect(f.message).toContain('while app/prod_wsgi.py:3 runs app.prod_settings, named for production');
  });

  it('caps the other judged modules at medium, naming the missing module', () => {
    const x = { ...files(), 'app/docker_settings.py': 'from app.settings import *\nDEBUG = False\n' };
    expect(cookies(x)).toEqual(['app/docker_settings.py medium', 'app/settings.py medium']);
    const f = analyseFiles(x).result.findings.find((y) => y.ruleId === 'django/session-cookie-insecure' && y.path === 'app/settings.py')!;
    expect(f.message).toContain('production runs app.prod_settings, which app/prod_wsgi.py:3 names and the repository does not hold');
  });

  it('a stronger entry point naming the judged module outranks a wsgi.py default naming the missing one (FIR)', () => {
    const x = { 'app/settings.py': `${APPS}DEBUG = False\n`, 'app/wsgi.py': wsgi('app.prod_settings'), 'docker-compose.yml': 'services:\n  web:\n    image: python:3.12\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n    environment:\n      DJANGO_SETTINGS_MODULE: app.settings\n' };
    expect(cookies(x)).toEqual(['app/settings.py high']);
  });

  it('a missing module not named for production changes nothing', () => {
    expect(cookies(files('app.other_settings'))).toEqual(['app/docker_settings.py high', 'app/settings.py high']);
  });
});

describe('imports of a module a Dockerfile copies into the package (crypt-server)', () => {
  const files = (copy: boolean) => ({
    'fvserver/wsgi.py': 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "fvserver.settings")\napplication = get_wsgi_application()\n',
    'docker/settings.py': 'from fvserver.settings_import import *\nDEBUG = False\n',
    'docker/settings_import.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n',
    Dockerfile: `FROM python:3.12\nENV APP_DIR /home/docker/crypt\nCOPY / $APP_DIR\nCOPY docker/settings.py $APP_DIR/fvserver/\n${copy ? 'COPY docker/settings_import.py $APP_DIR/fvserver/\n' : ''}CMD ["gunicorn", "fvserver.wsgi"]\n`,
  });
  const judged = (x: Record<string, string>) => analyseFiles(x).model.settings.map((s) => `${s.path} ${s.opaqueImports.length}`);

  it('finds the copied module under the name its deployed path gives it', () => {
    expect(judged(files(true))).toEqual(['docker/settings.py 0']);
  });

  it('without the copy the import stays outside the workspace', () => {
    expect(judged(files(false))).not.toContain('docker/settings.py 0');
  });
});

describe('a namespace updated at run time (supernova)', () => {
  const settings = (call: string) => `import json
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
with open("/etc/app/settings.json") as file:
    ${call}(json.load(file))
`;
  const cookie = (text: string) => analyseFiles({ 'proj/settings.py': text }).result.findings.filter((f) => f.message.includes('SESSION_COOKIE_SECURE')).map((f) => `${f.ruleId} ${f.severity}`);

  it('takes `locals().update(…)` at module level like `globals().update(…)`: a name not set may come from it', () => {
    expect(cookie(settings('locals().update'))).toEqual(['django/setting-unresolved info']);
    expect(cookie(settings('globals().update'))).toEqual(['django/setting-unresolved info']);
  });

  it("another object's update changes nothing", () => {
    expect(cookie(settings('CONFIG.update'))).toEqual(['django/session-cookie-insecure high']);
  });
});

describe('split-settings include(*files) with one computed path (wemake-django-template, quranbot-admin)', () => {
  const init = `from os import environ
from split_settings.tools import include, optional
environ.setdefault('DJANGO_ENV', 'development')
_ENV = environ['DJANGO_ENV']
_base_settings = (
    'components/common.py',
    'environments/{0}.py'.format(_ENV),
    optional('environments/local.py'),
)
include(*_base_settings)
`;
  const files = (procfile: string) => ({
    'server/settings/__init__.py': init,
    'server/settings/components/__init__.py': '',
    'server/settings/components/common.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]\nDEBUG = False\n',
    'server/settings/environments/__init__.py': '',
    'server/settings/environments/development.py': 'DEBUG = True\n',
    'server/settings/environments/production.py': 'SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n',
    'server/wsgi.py': 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "server.settings")\napplication = get_wsgi_application()\n',
    Procfile: procfile,
  });
  const serious = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.severity === 'high' || f.severity === 'medium');

  it('runs the known files and, for the computed one, each file it may name but development ones; the fragment is not judged alone', () => {
    const r = analyseFiles(files('web: gunicorn server.wsgi\n'));
    expect(serious(r)).toEqual([]);
    expect(r.model.settings.map((s) => s.path)).toEqual(['server/settings/__init__.py']);
    expect(r.model.settings[0].files).toContain('server/settings/environments/production.py');
    expect(r.model.settings[0].files).not.toContain('server/settings/environments/development.py');
    // A path it cannot read as a pattern stays computed: what it may set is unknown.
    const opaque = analyseFiles({ ...files('web: gunicorn server.wsgi\n'), 'server/settings/__init__.py': init.replace("'environments/{0}.py'.format(_ENV)", "environ['SETTINGS_FILE']") });
    const why = opaque.result.findings.find((f) => f.ruleId === 'django/setting-unresolved' && f.message.includes("include(environ['SETTINGS_FILE'])"));
    expect(why?.message).toContain('whose path is computed at run time');
  });

  it('reads the file the deployment picks (DJANGO_ENV=production), with str.format', () => {
    const r = analyseFiles(files('web: DJANGO_ENV=production gunicorn server.wsgi\n'));
    expect(serious(r)).toEqual([]);
    const s = r.model.settings[0];
    expect(s.files).toContain('server/settings/environments/production.py');
    expect(s.isTrue('SESSION_COOKIE_SECURE').answer).toBe('yes');
  });
});

describe('a module that serves no request as written (beerdegu: an image ENV for collectstatic)', () => {
  const base = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
  const files = (hosts: string) => ({
    'core/settings/base.py': base,
    'core/settings/static.py': `from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = ${hosts}\n`,
    Dockerfile: 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\nENV DJANGO_SETTINGS_MODULE core.settings.static\nRUN python manage.py collectstatic --noinput\n',
  });
  const cookie = (hosts: string) => analyseFiles(files(hosts)).result.findings.find((f) => f.ruleId === 'django/session-cookie-insecure')!;

  it('its findings are low, saying why (ALLOWED_HOSTS = [] with DEBUG off answers every request with 400)', () => {
    const f = cookie('[]');
    expect(f.severity).toBe('low');
    expect(f.message).toContain('this module sets ALLOWED_HOSTS = [] (core/settings/static.py:4) with DEBUG off, so Django answers every request with 400 Bad Request');
  });

  it('stays high with a host, or a list the environment fills', () => {
    expect(cookie('["example.com"]').severity).toBe('high');
    expect(cookie('[]\nimport os\nALLOWED_HOSTS.append(os.environ["HOST"])').severity).toBe('high');
    // safemarketplace: filled from the environment, whose default leaves it empty.
    expect(cookie("[]\nimport os\nALLOWED_HOSTS.extend(filter(None, os.environ.get('ALLOWED_HOSTS', '').split(',')))").severity).toBe('high');
    // channel2: a module the repository lacks, imported last, may set it.
    expect(cookie('[]\nfrom proj.localsettings import *')?.message ?? '').not.toContain('serves no requests');
    expect(cookie('[]\ntry:\n    from proj.localsettings import *\nexcept ImportError:\n    pass').severity).toBe('high');
  });
});

describe('what an opaque statement may have bound (kerrokantasi)', () => {
  const files = {
    'proj/__init__.py': '',
    'proj/base.py': 'SECRET_KEY = "x"\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n',
    'proj/settings.py': 'from proj import base\nsettings = {k: getattr(base, k) for k in dir(base) if k.isupper()}\nglobals().update(settings)\n',
    'proj/deploy_settings.py': `from proj.settings import *
if 'MIDDLEWARE' in locals():
    MIDDLEWARE.insert(0, 'whitenoise.middleware.WhiteNoiseMiddleware')
else:
    MIDDLEWARE = ['whitenoise.middleware.WhiteNoiseMiddleware']
`,
  };
  const middleware = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.ruleId === 'django/security-middleware-missing');

  it('a branch that leaves a name to `globals().update(...)` leaves it unknown, not unset', () => {
    const r = analyseFiles(files);
    expect(middleware(r)).toEqual([]);
    const s = r.model.settings.find((m) => m.path === 'proj/deploy_settings.py')!;
    expect(s.hasMiddleware('django.middleware.security.SecurityMiddleware').answer).toBe('unknown');
  });

  it('without the opaque statement the same branches decide: SecurityMiddleware is missing in both', () => {
    const r = analyseFiles({ ...files, 'proj/settings.py': 'SECRET_KEY = "x"\n' });
    expect(middleware(r).map((f) => [f.path, f.line, f.severity])).toEqual([['proj/deploy_settings.py', 5, 'medium']]);
  });
});

describe('a fragment another module exec()s is not a settings module of its own (hauki)', () => {
  const settings = `import os
SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
local_settings_path = os.path.join(os.path.dirname(__file__), "local_settings.py")
if os.path.exists(local_settings_path):
    with open(local_settings_path) as fp:
        exec(compile(fp.read(), local_settings_path, "exec"), globals(), locals())
`;
  it('`INSTALLED_APPS += [...]` on a name nothing binds: the file fails on its own import, so it is not judged', () => {
    const r = analyseFiles({
      'proj/__init__.py': '',
      'proj/settings.py': settings,
      'deploy/apm/local_settings.py': "INSTALLED_APPS += [  # noqa: F821\n    'elasticapm.contrib.django',\n]\n",
    });
    expect(r.model.settings.map((s) => s.path)).toEqual(['proj/settings.py']);
    expect(r.result.findings.filter((f) => f.path === 'deploy/apm/local_settings.py' && f.severity !== 'info')).toEqual([]);
  });

  it('the same lines after a star import of the settings make a settings module that is judged', () => {
    const r = analyseFiles({
      'proj/__init__.py': '',
      'proj/settings.py': settings,
      'proj/local_settings.py': "from proj.settings import *\nINSTALLED_APPS += ['elasticapm.contrib.django']\nMIDDLEWARE = []\n",
    });
    expect(r.model.settings.map((s) => s.path)).toEqual(['proj/local_settings.py']);
  });
});

describe("a project's env helper given a converter (MetaDeploy)", () => {
  const settings = (calls: string) => `from os import environ
SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
CSRF_COOKIE_SECURE = True

def boolish(v):
    return v in (True, "True", "true", "1", 1)

def env(name, default=None, type_=str):
    try:
        val = environ[name]
    except KeyError:
        val = default
    return type_(val)

${calls}
`;
  const run = (calls: string) => analyseFiles({ 'proj/settings.py': settings(calls) }).result.findings;

  it('a converter it cannot read leaves the value unknown, never the default turned into a string', () => {
    const f = run('SESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE", default=False, type_=boolish)\nSECURE_PROXY_SSL_HEADER = env("SECURE_PROXY_SSL_HEADER", default="HTTP_X_FORWARDED_PROTO:https", type_=(lambda v: tuple(v.split(":", 1))))');
    expect(f.filter((x) => x.ruleId === 'django/proxy-ssl-header-malformed')).toEqual([]);
    expect(f.filter((x) => x.ruleId === 'django/session-cookie-insecure')).toEqual([]);
    expect(f.filter((x) => x.ruleId === 'django/setting-unresolved').map((x) => x.message.split(' ')[0]).sort()).toEqual(['SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE']);
  });

  it('int is read, and a helper without a converter stays a plain lookup', () => {
    const f = run('SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS", default=0, type_=int)\nSESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE", default="")');
    expect(f.find((x) => x.ruleId === 'django/hsts-off')?.message).toMatch(/SECURE_HSTS_SECONDS is 0/);
    expect(f.filter((x) => x.ruleId === 'django/session-cookie-insecure').map((x) => x.severity)).toEqual(['high']);
  });
});

describe("an image serving with runserver beside a platform's gunicorn (acceslibre)", () => {
  const APPS = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
  const files = {
    'manage.py': '',
    'core/settings.py': APPS,
    'core/settings_dev.py': 'from core.settings import *\nDEBUG = True\n',
    'core/settings_prod.py': 'from core.settings import *\nDEBUG = False\n',
    'core/wsgi.py': 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings_prod")\napplication = get_wsgi_application()\n',
    Dockerfile: 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=core.settings_dev\nCMD ["python", "manage.py", "runserver", "0.0.0.0:7000"]\n',
    Procfile: 'web: gunicorn core.wsgi --log-file -\n',
  };
  const judged = (f: Record<string, string>) => [...new Set(analyseFiles(f).result.findings.filter((x) => x.ruleId === 'django/session-cookie-insecure').map((x) => `${x.path} ${x.severity}`))];

  it("judges the module the platform's gunicorn runs (the wsgi.py default), not the development image's", () => {
    expect(judged(files)).toEqual(['core/settings_prod.py high']);
  });

  it("keeps the image's module where nothing else serves the app, or where the image runs a real app server", () => {
    const { Procfile: _, ...alone } = files;
    expect(judged(alone)).toEqual(['core/settings_dev.py low']);
    expect(judged({ ...files, Dockerfile: files.Dockerfile.replace('["python", "manage.py", "runserver", "0.0.0.0:7000"]', '["gunicorn", "core.wsgi", "-b", "0.0.0.0:7000"]') })).toContain('core/settings_dev.py low');
  });
});

describe("fly.toml's [env] for the image it builds (radscheduler)", () => {
  const APPS = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
  const files = {
    'manage.py': '',
    'config/settings/base.py': APPS,
    'config/settings/local.py': 'from .base import *\nDEBUG = True\n',
    'config/settings/production.py': 'import os\nfrom .base import *\nSESSION_COOKIE_SECURE = os.environ.get("COOKIE_SECURE", "1") == "1"\n',
    'config/wsgi.py': 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")\napplication = get_wsgi_application()\n',
    'compose/production/django/Dockerfile': 'FROM python:3.12\nCMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"]\n',
    'fly.toml': 'app = "x"\n[build]\ndockerfile = "compose/production/django/Dockerfile"\n\n[env]\nDJANGO_SETTINGS_MODULE = "config.settings.production"\nCOOKIE_SECURE = "0"\n',
  };
  const cookies = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === 'django/session-cookie-insecure');

  it('names the settings module and sets the variables the image runs with', () => {
    const f = cookies(files);
    expect(f.map((x) => `${x.path} ${x.severity}`)).toEqual(['config/settings/production.py high']);
    expect(f[0].message).toContain('fly.toml');
    // Without the [build] line, fly builds the Dockerfile beside fly.toml, which is not this one.
    const none = cookies({ ...files, 'fly.toml': files['fly.toml'].replace('dockerfile = "compose/production/django/Dockerfile"\n', '') });
    expect(none.map((x) => x.path)).not.toContain('config/settings/production.py');
  });
});
