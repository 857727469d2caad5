import { describe, expect, it } from 'vitest';
import { analyseFiles } from './helpers';

// A settings module whose security settings come from the environment, with insecure code defaults.
const SETTINGS = `import os
import environ
env = environ.Env()
SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = os.environ.get("CSRF_COOKIE_SECURE", "False") == "True"
SECURE_HSTS_SECONDS = 3600
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
`;

function findings(files: Record<string, string>) {
  const { result } = analyseFiles({ 'proj/settings.py': SETTINGS, ...files });
  return result.findings;
}

const rule = (fs: ReturnType<typeof findings>, id: string) => fs.filter((f) => f.ruleId === id);

describe('values the deployment sets are what runs', () => {
  it('judges the code default when no deployment sets the variable', () => {
    const fs = findings({ Procfile: 'web: gunicorn proj.wsgi\n' });
    expect(rule(fs, 'django/session-cookie-insecure')).toHaveLength(1);
    expect(rule(fs, 'django/session-cookie-insecure')[0].message).toContain('judged on the default');
    expect(rule(fs, 'django/csrf-cookie-insecure')).toHaveLength(1);
  });

  it.each([
    ['compose environment (map)', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n      SESSION_COOKIE_SECURE: "True"\n      CSRF_COOKIE_SECURE: "True"\n' }],
    ['compose env_file', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    env_file: prod.env\n', 'prod.env': 'DJANGO_SETTINGS_MODULE=proj.settings\nSESSION_COOKIE_SECURE=True\nCSRF_COOKIE_SECURE=True\n' }],
    ['Dockerfile ENV', { Dockerfile: 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings SESSION_COOKIE_SECURE=True CSRF_COOKIE_SECURE=True\nCMD ["gunicorn", "proj.wsgi"]\n' }],
    ['systemd Environment', { 'deploy/app.service': '[Service]\nEnvironment=DJANGO_SETTINGS_MODULE=proj.settings SESSION_COOKIE_SECURE=True CSRF_COOKIE_SECURE=True\nExecStart=/srv/venv/bin/gunicorn proj.wsgi\n' }],
    ['uwsgi env', { 'uwsgi.ini': '[uwsgi]\nmodule = proj.wsgi\nenv = DJANGO_SETTINGS_MODULE=proj.settings\nenv = SESSION_COOKIE_SECURE=True\nenv = CSRF_COOKIE_SECURE=True\n' }],
    ['app.json values', { 'app.json': '{"env": {"SESSION_COOKIE_SECURE": "True", "CSRF_COOKIE_SECURE": {"value": "True"}}}', Procfile: 'web: gunicorn proj.wsgi\n' }],
  ])('takes the value from %s', (_how, files) => {
    const fs = findings(files);
    expect(rule(fs, 'django/session-cookie-insecure')).toEqual([]);
    expect(rule(fs, 'django/csrf-cookie-insecure')).toEqual([]);
  });

  it('reads environs (`env = Env()`, env.bool(name, default)) as it reads django-environ', () => {
    const environs = SETTINGS.replace('import environ\nenv = environ.Env()', 'from environs import Env\nenv = Env()\nenv.read_env()').replace('env.bool("SESSION_COOKIE_SECURE", default=False)', 'env.bool("SESSION_COOKIE_SECURE", False)');
    const run = (files: Record<string, string>) => analyseFiles({ 'proj/settings.py': environs, ...files }).result.findings;
    const defaults = rule(run({ Procfile: 'web: gunicorn proj.wsgi\n' }), 'django/session-cookie-insecure');
    expect(defaults.map((f) => f.message)).toEqual([expect.stringContaining('judged on the default in `env.bool("SESSION_COOKIE_SECURE", False)`')]);
    const set = run({ Dockerfile: 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings SESSION_COOKIE_SECURE=yes\nCMD ["gunicorn", "proj.wsgi"]\n' });
    expect(rule(set, 'django/session-cookie-insecure')).toEqual([]);
  });

  it('judges a value the deployment sets, and says where it came from', () => {
    const fs = findings({ 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      - DJANGO_SETTINGS_MODULE=proj.settings\n      - SESSION_COOKIE_SECURE=False\n' });
    const [f] = rule(fs, 'django/session-cookie-insecure');
    expect(f.severity).toBe('high');
    expect(f.message).toContain('as the deployment sets it: docker-compose.yml:7 sets SESSION_COOKIE_SECURE=False');
  });

  it.each([
    ['app.json required', { 'app.json': '{"env": {"SESSION_COOKIE_SECURE": {"required": true}, "CSRF_COOKIE_SECURE": {"description": "set it"}}}', Procfile: 'web: gunicorn proj.wsgi\n' }, 'app.json:'],
    ['app.json generator', { 'app.json': '{"env": {"SESSION_COOKIE_SECURE": {"generator": "secret"}, "CSRF_COOKIE_SECURE": {"generator": "secret"}}}', Procfile: 'web: gunicorn proj.wsgi\n' }, 'app.json:'],
    ['compose ${VAR}', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      SESSION_COOKIE_SECURE: ${SESSION_COOKIE_SECURE}\n      CSRF_COOKIE_SECURE: ${CSRF_COOKIE_SECURE}\n' }, 'docker-compose.yml:6'],
    ['compose - VAR', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      - SESSION_COOKIE_SECURE\n      - CSRF_COOKIE_SECURE\n' }, 'docker-compose.yml:6'],
  ])('a variable set from outside the repository (%s) makes the setting unknown, not a high on the default', (_how, files, where) => {
    const fs = findings(files);
    expect(rule(fs, 'django/session-cookie-insecure')).toEqual([]);
    const unresolved = rule(fs, 'django/setting-unresolved').find((f) => f.message.startsWith('SESSION_COOKIE_SECURE'));
    expect(unresolved?.severity).toBe('info');
    expect(unresolved?.message).toContain('from outside the repository');
    expect(unresolved?.message).toContain(where);
  });

  it('a compose default (${VAR:-value}) is the value that runs unless the operator sets it', () => {
    const fs = findings({ 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      SESSION_COOKIE_SECURE: ${SESSION_COOKIE_SECURE:-True}\n      CSRF_COOKIE_SECURE: ${CSRF_COOKIE_SECURE:-False}\n' });
    expect(rule(fs, 'django/session-cookie-insecure')).toEqual([]);
    expect(rule(fs, 'django/csrf-cookie-insecure')).toHaveLength(1);
  });

  it('is per deployment: each module is judged with the environment of what runs it', () => {
    const { result } = analyseFiles({
      'proj/settings/__init__.py': '',
      'proj/settings/web.py': SETTINGS,
      'proj/settings/admin.py': SETTINGS,
      'docker-compose.yml':
        'services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.web\n      SESSION_COOKIE_SECURE: "True"\n      CSRF_COOKIE_SECURE: "True"\n' +
        '  admin:\n    build: .\n    command: gunicorn proj.wsgi -b :9000\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.admin\n',
    });
    const paths = result.findings.filter((f) => f.ruleId === 'django/session-cookie-insecure').map((f) => f.path);
    expect(paths).toEqual(['proj/settings/admin.py']);
  });

  it('deployments that disagree: a rule fires only when every deployment gives the weakness', () => {
    const compose = (a: string, b: string) =>
      `services:\n  a:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      SESSION_COOKIE_SECURE: "${a}"\n  b:\n    build: .\n    command: gunicorn proj.wsgi -b :9000\n    environment:\n      SESSION_COOKIE_SECURE: "${b}"\n`;
    expect(rule(findings({ 'docker-compose.yml': compose('True', 'False') }), 'django/session-cookie-insecure')).toEqual([]);
    expect(rule(findings({ 'docker-compose.yml': compose('False', 'no') }), 'django/session-cookie-insecure')).toHaveLength(1);
  });
});

describe('development defaults are not production values', () => {
  const DEBUG_SETTINGS = (debug: string) => `import environ
import os
env = environ.Env()
SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
${debug}
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 3600
`;

  it.each([
    ['env.bool with a True default', 'DEBUG = env.bool("DJANGO_DEBUG", True)'],
    ['os.environ.get compared with "1"', 'DEBUG = os.environ.get("DEBUG", "1") == "1"'],
  ])('%s: what `if not DEBUG:` sets is not judged on the development default', (_how, debug) => {
    const { result } = analyseFiles({ 'proj/settings.py': DEBUG_SETTINGS(debug) });
    const ids = result.findings.filter((f) => f.severity === 'high' || f.severity === 'medium').map((f) => f.ruleId);
    expect(ids).not.toContain('django/session-cookie-insecure');
    expect(ids).not.toContain('django/hsts-off');
    // No branch sets it: the weakness holds whatever DEBUG is.
    expect(ids).toContain('django/csrf-cookie-insecure');
  });

  it('a literal DEBUG = True is still judged as written', () => {
    const { result } = analyseFiles({ 'proj/settings.py': DEBUG_SETTINGS('DEBUG = True') });
    expect(result.findings.map((f) => f.ruleId)).toContain('django/session-cookie-insecure');
  });

  it('a DEBUG the production deployment sets is used', () => {
    const { result } = analyseFiles({
      'proj/settings.py': DEBUG_SETTINGS('DEBUG = env.bool("DJANGO_DEBUG", True)'),
      Dockerfile: 'FROM python:3.12\nENV DJANGO_DEBUG=True\nCMD ["gunicorn", "proj.wsgi"]\n',
    });
    expect(result.findings.map((f) => f.ruleId)).toContain('django/session-cookie-insecure');
  });
});

// A deployment environment is applied by evaluating the module again only when it sets a name the module read;
// the names are collected through imports, so a read in a base module (evaluated first for another module) counts.
describe('which environment names a settings chain read', () => {
  const BASE = SETTINGS.replace(/^SESSION_COOKIE_SECURE.*$/m, '');
  const PROD = 'from .base import *\nSESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)\n';
  const compose = (env: string) => ({
    'docker-compose.yml': `services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.production\n${env}`,
  });

  it('a name read in the imported base module is applied', () => {
    const { result } = analyseFiles({ 'proj/settings/__init__.py': '', 'proj/settings/base.py': SETTINGS, 'proj/settings/a.py': 'from .base import *\n', 'proj/settings/production.py': 'from .base import *\n', ...compose('      SESSION_COOKIE_SECURE: "True"\n      CSRF_COOKIE_SECURE: "True"\n') });
    expect(rule(result.findings, 'django/csrf-cookie-insecure')).toEqual([]);
    expect(rule(result.findings, 'django/session-cookie-insecure')).toEqual([]);
  });

  it('an environment that sets only names nobody read leaves the code defaults judged', () => {
    const { result } = analyseFiles({ 'proj/settings/__init__.py': '', 'proj/settings/base.py': BASE, 'proj/settings/production.py': PROD, ...compose('      UNRELATED: "1"\n') });
    expect(rule(result.findings, 'django/csrf-cookie-insecure')).toHaveLength(1);
    expect(rule(result.findings, 'django/session-cookie-insecure')).toHaveLength(1);
  });

  it('modules that import each other still see the deployment environment', () => {
    const { result } = analyseFiles({
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': `${BASE}from .production import *\n`,
      'proj/settings/production.py': PROD,
      ...compose('      SESSION_COOKIE_SECURE: "True"\n      CSRF_COOKIE_SECURE: "True"\n'),
    });
    expect(rule(result.findings, 'django/session-cookie-insecure')).toEqual([]);
  });
});

describe('an env_file the repository does not hold', () => {
  const settings = `import os
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
if os.environ.get("PUBLIC_REQUEST_SCHEME", "") == "https":
    SESSION_COOKIE_SECURE = True
`;
  const compose = (envFile: string) => `services:\n  web:\n    build: .\n    env_file:\n      - ${envFile}\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n`;
  const session = (files: Record<string, string>) => analyseFiles(files).result.findings.filter((f) => f.message.includes('SESSION_COOKIE_SECURE')).map((f) => `${f.ruleId} ${f.severity}`);

  it('may set what the compose file does not, so a default is not assumed (kobo-docker)', () => {
    const files = { 'proj/settings.py': settings, 'proj/wsgi.py': '', 'docker-compose.yml': compose('../kobo-env/envfile.txt') };
    expect(session(files)).toEqual(['django/setting-unresolved info']);
    expect(analyseFiles(files).result.findings.find((f) => f.ruleId === 'django/setting-unresolved')?.message).toMatch(/env_file that is not in the repository|depends on/);
  });

  it('is read when the repository holds it', () => {
    const files = { 'proj/settings.py': settings, 'proj/wsgi.py': '', 'docker-compose.yml': compose('./app.env'), 'app.env': 'PUBLIC_REQUEST_SCHEME=http\n' };
    expect(session(files)).toEqual(['django/session-cookie-insecure high']);
  });
});

describe('an image-only compose service runs the Dockerfile its image is named after', () => {
  it('takes the environment the compose file gives that image (kobo-docker runs kobotoolbox/kpi, built from kpi/)', () => {
    const settings = `import os\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\nif os.environ.get("PUBLIC_REQUEST_SCHEME", "") == "https":\n    SESSION_COOKIE_SECURE = True\n`;
    const files: Record<string, string> = {
      'kpi/kobo/settings.py': settings,
      'kpi/kobo/wsgi.py': '',
      'kpi/Dockerfile': 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=kobo.settings\nCMD ["gunicorn", "kobo.wsgi"]\n',
      'kobo-docker/docker-compose.yml': 'services:\n  kpi:\n    image: kobotoolbox/kpi:2.024\n    environment:\n      PUBLIC_REQUEST_SCHEME: https\n',
    };
    const session = (x: Record<string, string>) => analyseFiles(x).result.findings.filter((f) => f.message.includes('SESSION_COOKIE_SECURE')).map((f) => `${f.ruleId} ${f.severity}`);
    // The compose service runs the image: its environment (https) is what runs, not the Dockerfile's alone.
    expect(session(files)).toEqual([]);
    // Another image name: the compose service is not known to run it, and the Dockerfile sets no
    // PUBLIC_REQUEST_SCHEME: judged on the code default, which skips the branch that secures the cookie (medium).
    expect(session({ ...files, 'kobo-docker/docker-compose.yml': files['kobo-docker/docker-compose.yml'].replace('kobotoolbox/kpi', 'kobotoolbox/enketo') })).toEqual(['django/session-cookie-insecure medium']);
  });

  // ephios: `image: ghcr.io/ephios-dev/ephios`, the root Dockerfile above src/ephios/, whose entry point starts
  // supervisord; the gunicorn program inherits the container's environment, which the compose service sets.
  const ephios = (image: string, supervised = true): Record<string, string> => ({
    'src/ephios/settings.py': 'import os\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\nDEBUG = os.environ["DEBUG"] == "True"\nif not DEBUG:\n    SESSION_COOKIE_SECURE = True\n',
    'src/ephios/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "ephios.settings")\n',
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "ephios.settings")\n',
    Dockerfile: supervised
      ? 'FROM python:3.12\nWORKDIR /app/src\nCOPY deployment/supervisord.conf /etc/supervisord.conf\nCMD ["supervisord", "-n", "-c", "/etc/supervisord.conf"]\n'
      : 'FROM python:3.12\nWORKDIR /app/src\nCMD ["gunicorn", "ephios.wsgi"]\n',
    ...(supervised ? { 'deployment/supervisord.conf': '[supervisord]\nnodaemon=true\n\n[program:gunicorn]\ncommand=gunicorn ephios.wsgi --bind 0.0.0.0:80\n' } : {}),
    'deployment/compose/docker-compose.yaml': `services:\n  app:\n    image: ${image}\n    environment:\n      DEBUG: "False"\n`,
  });
  const session = (x: Record<string, string>) => analyseFiles(x).result.findings.filter((f) => f.message.includes('SESSION_COOKIE_SECURE')).map((f) => `${f.ruleId} ${f.severity}`);

  it('an image named like the Django package runs the one Dockerfile above that package (ephios)', () => {
    expect(session(ephios('ghcr.io/ephios-dev/ephios:latest', false))).toEqual([]);
    // Another name: nothing sets DEBUG for the module, which cannot be decided.
    expect(session(ephios('ghcr.io/someone/other:latest', false))).toEqual(['django/setting-unresolved info']);
  });

  it('a supervisor program in that image runs with the environment the compose service gives the container', () => {
    expect(session(ephios('ghcr.io/ephios-dev/ephios:latest'))).toEqual([]);
    expect(session(ephios('ghcr.io/someone/other:latest'))).toEqual(['django/setting-unresolved info']);
  });
});

describe('a value read with a default on a branch taken by default', () => {
  it('names both defaults it rests on (premium_academy)', () => {
    const settings = `import os
DEBUG = os.getenv("DEBUG", "False").lower() == "true"
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
if not DEBUG:
    SECURE_SSL_REDIRECT = os.getenv("SECURE_SSL_REDIRECT", "False") == "True"
`;
    const fs = analyseFiles({ 'proj/settings.py': settings, Procfile: 'web: gunicorn proj.wsgi\n' }).result.findings;
    const [f] = rule(fs, 'django/ssl-redirect-off');
    expect(f.message).toContain('judged on the default in `os.getenv("DEBUG", "False")` and the default in `os.getenv("SECURE_SSL_REDIRECT", "False")`');
  });
});

describe('a value read with a default on a branch the deployment decides', () => {
  it('names the deployment and the default it rests on (ephios)', () => {
    const settings = `import environ
env = environ.Env()
DEBUG = env.bool("DEBUG")
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
if not DEBUG:
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600 * 24)
`;
    const compose = 'services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n      DEBUG: "False"\n';
    const fs = analyseFiles({ 'proj/settings.py': settings, 'docker-compose.yml': compose }).result.findings;
    const [f] = rule(fs, 'django/hsts-max-age-short');
    expect(f.message).toContain('as the deployment sets it: docker-compose.yml:7 sets DEBUG=False and the default in `env.int("SECURE_HSTS_SECONDS", default=3600 * 24)`');
  });
});
