import { describe, expect, it } from 'vitest';
import { analyseFiles } from './helpers';
import { splitShell } from '../../src/model/deploy/shell';
import { interpret } from '../../src/model/deploy/commands';
import { roleFromPath } from '../../src/model/deploy/roles';
import { validateConfig } from '../../src/config';
import { ansibleTasks, caddyPublicSite, cloneDest } from '../../src/model/deploy';

const APPS = `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
`;
/** A complete settings module with secure cookies: judging it gives no cookie findings. */
const SECURE = `${APPS}SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
`;
/** A complete settings module with insecure cookies. */
const INSECURE = `${APPS}SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
`;

const judged = (r: ReturnType<typeof analyseFiles>) => r.model.settings.map((s) => s.path).sort();
const cookie = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.ruleId === 'django/session-cookie-insecure');

describe('shell words', () => {
  it('splits quotes, escapes, operators and expands only known variables', () => {
    const cmds = splitShell(`A=1 gunicorn "x.wsgi:app" -b '0.0.0.0:8000' --env S=\${SETTINGS:-p.prod} && echo $UNKNOWN \\\n done # c`, (n) => (n === 'X' ? 'y' : undefined));
    expect(cmds.map((c) => c.words)).toEqual([
      ['A=1', 'gunicorn', 'x.wsgi:app', '-b', '0.0.0.0:8000', '--env', 'S=p.prod'],
      ['echo', '$UNKNOWN', 'done'],
    ]);
  });

  it('expands a variable that an earlier command of the same text assigned', () => {
    const cmds = splitShell('PORT="${APP_PORT:-8000}"\nexport HOST=0.0.0.0\ngunicorn p.wsgi --bind $HOST:$PORT', () => undefined);
    expect(cmds.map((c) => c.words)).toEqual([['PORT=8000'], ['export', 'HOST=0.0.0.0'], ['gunicorn', 'p.wsgi', '--bind', '0.0.0.0:8000']]);
  });

  it('reads the command a wait-for script hands on', () => {
    const w = (t: string) => interpret(splitShell(t)[0].words)!;
    expect(w('/app/wait-for-it.sh db:5432 -t 30 -- gunicorn p.wsgi').server).toBe('gunicorn');
    expect(w('wait-for-postgres.sh db ./start.sh').script).toBe('./start.sh');
    expect(w('bash -x /app/docker/run_nginx.sh').script).toBe('/app/docker/run_nginx.sh');
  });

  it('stays linear on unclosed expansions and quotes', { timeout: 20_000 }, () => {
    const hostile = '${'.repeat(200_000) + '"' + "'".repeat(3);
    expect(splitShell(hostile).length).toBe(1);
  });

  it('reads app servers through wrappers and sh -c', () => {
    const g = interpret(splitShell(`exec newrelic-admin run-program gunicorn -c conf.py --bind=unix:/run/a.sock -e DJANGO_SETTINGS_MODULE=p.settings.prod p.wsgi`)[0].words)!;
    expect([g.server, g.app, g.configFiles, g.binds, g.env.get('DJANGO_SETTINGS_MODULE')]).toEqual(['gunicorn', 'p.wsgi', ['conf.py'], ['unix:/run/a.sock'], 'p.settings.prod']);
    const u = interpret(splitShell(`sh -c "python manage.py migrate; uwsgi --http :8000 --module p.wsgi --env DJANGO_SETTINGS_MODULE=p.s"`)[0].words)!;
    expect([u.server, u.app, u.binds, u.env.get('DJANGO_SETTINGS_MODULE')]).toEqual(['uwsgi', 'p.wsgi', ['http=:8000'], 'p.s']);
    const c = interpret(['celery', '-A', 'proj', 'worker'])!;
    expect([c.server, c.web]).toEqual(['celery', false]);
    const m = interpret(['python', 'manage.py', 'runserver', '0:8000', '--settings=p.dev'])!;
    expect([m.server, m.web, m.settingsArg]).toEqual(['runserver', true, 'p.dev']);
  });

  it('reads what ASGI servers listen on and whether they take the scheme from a header', () => {
    const read = (cmd: string) => interpret(splitShell(cmd)[0].words)!;
    const d = read('daphne -b 0.0.0.0 -p 8001 proj.asgi:application');
    expect([d.server, d.app, d.binds, d.asgi]).toEqual(['asgi-server', 'proj.asgi:application', ['0.0.0.0:8001'], { kind: 'daphne', ownTls: false, envFile: false, socket: false }]);
    expect(read('daphne --proxy-headers -e tcp:port=9000:interface=127.0.0.1 p.asgi:app').binds).toEqual(['127.0.0.1:9000']);
    // Options with a value before the application (logistic-crm's `--access-log FILE`).
    expect(read('daphne -b 127.0.0.1 -p 8000 --access-log /var/log/daphne/access.log -v 1 config.asgi:application').app).toBe('config.asgi:application');
    expect(read('uvicorn --loop uvloop --http h11 --lifespan off --header X-A:1 config.asgi:application').app).toBe('config.asgi:application');
    expect(read('daphne --proxy-headers p.asgi:app').asgi?.proxyHeaders).toBe(true);
    expect(read('daphne -u /run/d.sock p.asgi:app').binds).toEqual(['unix:/run/d.sock']);
    expect(read('daphne -e ssl:443:privateKey=k.pem:certKey=c.pem p.asgi:app').asgi?.ownTls).toBe(true);
    expect(read('daphne p.asgi:app').binds).toEqual(['localhost:8000']);
    const u = read('uvicorn p.asgi:app --no-proxy-headers --uds /run/u.sock');
    expect([u.binds, u.asgi?.proxyHeaders, u.asgi?.socket]).toEqual([['unix:/run/u.sock'], false, true]);
    expect(read('uvicorn p.asgi:app').binds).toEqual(['127.0.0.1:8000']);
    expect(read('uvicorn p.asgi:app --ssl-keyfile k --ssl-certfile c').asgi?.ownTls).toBe(true);
    expect(read('uvicorn p.asgi:app --env-file .env --forwarded-allow-ips=*').asgi?.envFile).toBe(true);
    expect(read('hypercorn -b 0.0.0.0:8000 p.asgi:app').binds).toEqual(['0.0.0.0:8000']);
  });
});

describe('roles from paths', () => {
  it.each([
    ['proj/tests/settings.py', 'test'],
    ['proj/test_settings.py', 'test'],
    ['proj/settings/settings_dev.py', 'development'],
    ['proj/settings/local.py', 'development'],
    ['docker-compose.ci.yml', 'ci'],
    ['.github/nginx/site.conf', 'ci'],
    ['tabbycat/settings/github.py', 'ci'],
    ['examples/nginx.conf', 'example'],
    ['proj/settings/production.example.py', 'example'],
    ['docs/deploy/nginx.conf', 'example'],
    ['{{cookiecutter.project_slug}}/config/settings.py', 'template'],
    ['proj/{% if x %}nginx{% endif %}.conf', 'template'],
    ['config/settings_old.py', 'example'],
    ['deploy/nginx.conf.bak', 'example'],
    ['deploy/old_nginx.conf', 'example'],
    ['backup/site.conf', 'example'],
    ['docker-compose.override.yml', 'development'],
    ['deploy/compose.override.yaml', 'development'],
    ['docker-compose.override.https.yml', 'development'],
    // A copy taken on a date (stringkeepeer's snapshots of a server's sites-enabled/).
    ['notes/etc/nginx/sites-enabled/201222/example.com', 'example'],
    ['deploy/2020-12-22/site.conf', 'example'],
    ['deploy/20201222/site.conf', 'example'],
    ['deploy/nginx.conf.20201222', 'example'],
  ])('%s is %s', (p, role) => {
    expect(roleFromPath(p)?.role).toBe(role);
  });

  it.each(['proj/settings/production.py', 'deploy/nginx/site.conf', 'proj/latest/settings.py', 'contest/settings.py', 'nginx/github.conf', 'generated/nginx-1.18.0_openssl-1.1.1k_old_guideline-5.7.conf', 'golden/settings.py', 'docker/https.override.yml', 'proj/settings_override.py', 'deploy/123456/site.conf', 'deploy/2020/site.conf', 'deploy/site-2020-12-22.conf', 'nginx/v20201322/site.conf', 'deploy/2020-1222/site.conf', 'deploy/30201222/site.conf', 'deploy/templates/nginx-docs.conf.j2', 'nginx/docs.myshop.org.conf'])('%s is not marked', (p) => {
    expect(roleFromPath(p)).toBeUndefined();
  });

  it('validates the roles override', () => {
    expect(validateConfig({ roles: { production: ['tests/deploy/**'], test: 'a/**, b/**' } }, 'cfg')).toEqual({ roles: { production: ['tests/deploy/**'], test: ['a/**', 'b/**'] } });
    expect(() => validateConfig({ roles: { staging: ['x'] } }, 'cfg')).toThrow(/roles\."staging" is not a role/);
    expect(() => validateConfig({ roles: ['x'] }, 'cfg')).toThrow(/roles must be a mapping/);
  });
});

describe('the deployed settings module', () => {
  const split = {
    'proj/__init__.py': '',
    'proj/settings/__init__.py': '',
    'proj/settings/web.py': INSECURE,
    'proj/settings/celery_worker.py': INSECURE,
    'proj/wsgi.py': `import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.web")\napplication = get_wsgi_application()\n`,
  };

  it("follows a uwsgi wsgi-file given as a plain server's absolute path to the workspace file it ends with", () => {
    const r = analyseFiles({
      ...split,
      'uwsgi.ini': '[uwsgi]\nchdir = /home/deploy/site\nwsgi-file = /home/deploy/site/proj/wsgi.py\nsocket = /run/site.sock\n',
      'deploy/site.service': '[Service]\nExecStart=/usr/bin/uwsgi --ini /etc/uwsgi/site.ini\n',
      'deploy/supervisor.conf': '[program:site]\ncommand = uwsgi --ini deploy/uwsgi.ini\n',
    });
    expect(r.model.deploy!.apps.map((a) => a.wsgi)).toContain('proj/wsgi.py');
    expect(r.model.settings.map((s) => s.path)).toEqual(['proj/settings/web.py']);
  });

  it('follows an image entry point on PATH into the supervisor programs it starts (Mayan EDMS)', () => {
    const r = analyseFiles({
      ...split,
      'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'docker/Dockerfile': 'FROM python:3.12\nCOPY docker/supervisor/app.conf /etc/supervisor/conf.d\nCOPY docker/entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["run"]\n',
      'docker/entrypoint.sh': '#!/bin/sh\nexport APP_SETTINGS=${APP_SETTINGS:-proj.settings.web}\nexec supervisord -n\n',
      'docker/supervisor/app.conf': '[program:web]\ncommand = /bin/bash -c "gunicorn proj.wsgi --bind 0.0.0.0:8000 --env DJANGO_SETTINGS_MODULE=${APP_SETTINGS}"\n',
      'docker/docker-compose.yml': 'services:\n  app:\n    build:\n      context: ..\n      dockerfile: ./docker/Dockerfile\n    ports: ["80:8000"]\n',
    });
    expect(r.model.settings.map((s) => [s.path, s.selection.how])).toEqual([['proj/settings/web.py', 'entry-point']]);
  });

  it('without entry points, judges every entry module (the fallback)', () => {
    const r = analyseFiles({ ...split, 'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n' });
    expect(judged(r)).toEqual(['proj/settings/celery_worker.py', 'proj/settings/web.py']);
    expect(r.model.settings.every((s) => s.selection.how === 'fallback')).toBe(true);
  });

  it('judges the module wsgi.py names, not the Celery worker settings', () => {
    const r = analyseFiles(split);
    expect(judged(r)).toEqual(['proj/settings/web.py']);
    expect(r.model.settings[0].selection).toEqual({ how: 'entry-point', evidence: 'proj/wsgi.py:3 names proj.settings.web' });
  });

  it('prefers a deployment environment over wsgi.py, and ignores what a development compose file names', () => {
    const r = analyseFiles({
      ...split,
      'proj/settings/beta.py': SECURE,
      'proj/settings/alpha.py': INSECURE,
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\nENV DJANGO_SETTINGS_MODULE=proj.settings.beta\nCMD ["gunicorn", "proj.wsgi:application", "-b", "0.0.0.0:8000"]\n',
      'docker-compose.dev.yml': 'services:\n  web:\n    build: .\n    environment:\n      - DJANGO_SETTINGS_MODULE=proj.settings.dev\n    command: python manage.py runserver 0:8000\n',
    });
    expect(judged(r)).toEqual(['proj/settings/beta.py']);
    expect(cookie(r)).toEqual([]);
  });

  it('does not judge on its own a module that the deployed module of another folder star-imports (pretix shape)', () => {
    const r = analyseFiles({
      'src/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretix.settings")\n',
      'src/pretix/__init__.py': '',
      'src/pretix/settings.py': INSECURE,
      'deployment/docker/production_settings.py': 'from pretix.settings import *\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n',
      Dockerfile:
        'FROM python:3.12\nCOPY src /pretix/src\nCOPY deployment/docker/production_settings.py /pretix/src/production_settings.py\n' +
        'WORKDIR /pretix/src\nENV DJANGO_SETTINGS_MODULE=production_settings\nCMD ["gunicorn", "pretix.wsgi", "-b", "0.0.0.0:8000"]\n',
    });
    expect(judged(r)).toEqual(['deployment/docker/production_settings.py']);
    expect(cookie(r)).toEqual([]);
  });

  it('does not judge a module that only a compose worker service names', () => {
    const r = analyseFiles({
      ...split,
      'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'compose.yml': `services:
  web:
    image: app
    command: gunicorn proj.wsgi --bind 0.0.0.0:8000
    environment:
      DJANGO_SETTINGS_MODULE: proj.settings.web
  worker:
    image: app
    command: celery -A proj worker
    environment:
      DJANGO_SETTINGS_MODULE: proj.settings.celery_worker
`,
    });
    expect(judged(r)).toEqual(['proj/settings/web.py']);
  });

  it('reads the settings module from uwsgi ini, yaml, json and xml, systemd, supervisor and Procfile', () => {
    const cases: Record<string, string>[] = [
      { 'uwsgi.ini': '[uwsgi]\nmodule = proj.wsgi\nenv = DJANGO_SETTINGS_MODULE=proj.settings.web\n' },
      { 'deploy/uwsgi.yml': 'uwsgi:\n  module: proj.wsgi\n  env: DJANGO_SETTINGS_MODULE=proj.settings.web\n' },
      { 'deploy/uwsgi.json': '{"uwsgi": {"module": "proj.wsgi", "env": ["DJANGO_SETTINGS_MODULE=proj.settings.web"]}}' },
      { 'deploy/uwsgi.xml': '<uwsgi><module>proj.wsgi</module><env>DJANGO_SETTINGS_MODULE=proj.settings.web</env></uwsgi>' },
      { 'deploy/app.service': '[Service]\nEnvironment="DJANGO_SETTINGS_MODULE=proj.settings.web"\nExecStart=/venv/bin/gunicorn proj.wsgi\n' },
      { 'deploy/supervisor/app.conf': '[program:web]\ncommand=gunicorn proj.wsgi\nenvironment=DJANGO_SETTINGS_MODULE="proj.settings.web",X=1\n' },
      { Procfile: 'web: gunicorn proj.wsgi --env DJANGO_SETTINGS_MODULE=proj.settings.web\nworker: celery -A proj worker\n' },
    ];
    for (const extra of cases) {
      const r = analyseFiles({ ...split, 'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n', ...extra });
      expect(judged(r), Object.keys(extra)[0]).toEqual(['proj/settings/web.py']);
    }
  });

  it('systemd units: continued lines, and an EnvironmentFile in the repository or outside it (djangomombasa)', () => {
    const wsgi = { 'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n' };
    // A backslash continues ExecStart= (and any setting) on the next line.
    const continued = analyseFiles({ ...split, ...wsgi, 'deploy/app.service': '[Service]\nExecStart=/venv/bin/gunicorn \\\n    --env DJANGO_SETTINGS_MODULE=proj.settings.web \\\n    --bind unix:/run/app.sock proj.wsgi\n' });
    expect(judged(continued)).toEqual(['proj/settings/web.py']);
    expect(continued.model.deploy!.units.flatMap((u) => u.invocations.flatMap((i) => i.inv.binds))).toContain('unix:/run/app.sock');
    // Variables of an EnvironmentFile the repository holds override Environment=.
    const unit = (file: string) => `[Service]\nEnvironment=DJANGO_SETTINGS_MODULE=proj.settings.other\nEnvironmentFile=${file}\nExecStart=/venv/bin/gunicorn proj.wsgi\n`;
    expect(judged(analyseFiles({ ...split, ...wsgi, 'deploy/app.env': 'DJANGO_SETTINGS_MODULE="proj.settings.web"\n', 'deploy/app.service': unit('-./app.env') }))).toEqual(['proj/settings/web.py']);
    // One written on the server may set any variable: a setting read from the environment is not judged on its default.
    const settings = `${APPS}import os\nSESSION_COOKIE_SECURE = os.environ.get("ENABLE_HTTPS", "false") == "true"\n`;
    const files = { 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n', 'proj/__init__.py': '', 'proj/settings.py': settings, ...wsgi };
    const outside = analyseFiles({ ...files, 'deploy/app.service': '[Service]\nEnvironmentFile=/etc/app/.env\nExecStart=/venv/bin/gunicorn proj.wsgi\n' });
    expect(cookie(outside).filter((f) => f.severity === 'high' || f.severity === 'medium').map((f) => f.message)).toEqual([]);
    const inside = analyseFiles({ ...files, 'deploy/app.service': '[Service]\nExecStart=/venv/bin/gunicorn proj.wsgi\n' });
    expect(cookie(inside).map((f) => f.severity)).toEqual(['high']);
  });

  it("a module a start script exports only after its app servers' lines is not theirs (planeks' test branch)", () => {
    const entrypoint = (order: 'test-last' | 'test-first') => {
      const prod = '  prod)\n    exec gunicorn config.wsgi --bind 0.0.0.0:8000\n    ;;\n';
      const test = '  test)\n    export DJANGO_SETTINGS_MODULE=config.settings.test\n    exec pytest\n    ;;\n';
      return `#!/bin/bash\ncase "$1" in\n${order === 'test-last' ? prod + test : test + prod}esac\n`;
    };
    const files = (order: 'test-last' | 'test-first') => ({
      'src/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")\n',
      'src/config/__init__.py': '',
      'src/config/wsgi.py': 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")\napplication = get_wsgi_application()\n',
      'src/config/settings/__init__.py': '',
      'src/config/settings/prod.py': INSECURE,
      'src/config/settings/test.py': INSECURE,
      'docker/entrypoint': entrypoint(order),
      Dockerfile: 'FROM python:3.12\nWORKDIR /opt/project/src\nCOPY src/ /opt/project/src/\nCOPY docker/entrypoint /entrypoint\nENTRYPOINT ["/entrypoint"]\n',
      'compose.prod.yml': 'services:\n  django:\n    build: .\n    command: prod\n',
    });
    expect(judged(analyseFiles(files('test-last')))).toEqual(['src/config/settings/prod.py']);
    // Exported before the server's line, it is the server's (the shell runs lines in order).
    expect(judged(analyseFiles(files('test-first')))).toEqual(['src/config/settings/test.py']);
  });

  it('follows the script a Dockerfile runs to the uwsgi config it starts (linkding shape)', () => {
    // Shape of sissbruecker/linkding@65813a7: CMD ./bootstrap.sh → uwsgi uwsgi.ini → env = …settings.prod.
    const r = analyseFiles({
      'bookmarks/__init__.py': '',
      'bookmarks/settings/__init__.py': 'try:\n    from .dev import *\nexcept ImportError:\n    from .prod import *\n',
      'bookmarks/settings/base.py': APPS,
      'bookmarks/settings/dev.py': 'from .base import *\nSESSION_COOKIE_SECURE = False\n',
      'bookmarks/settings/prod.py': 'from .base import *\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n',
      'bookmarks/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookmarks.settings")\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'docker/default.Dockerfile': 'FROM python:3.13 AS linkding\nWORKDIR /etc/linkding\nCOPY . .\nCMD ["./bootstrap.sh"]\n',
      'bootstrap.sh': '#!/usr/bin/env bash\nLD_SERVER_PORT="${LD_SERVER_PORT:-9090}"\npython manage.py migrate\nexec uwsgi --http $LD_SERVER_HOST:$LD_SERVER_PORT uwsgi.ini\n',
      'uwsgi.ini': '[uwsgi]\nmodule = bookmarks.wsgi:application\nenv = DJANGO_SETTINGS_MODULE=bookmarks.settings.prod\n',
    });
    expect(judged(r)).toEqual(['bookmarks/settings/prod.py']);
    expect(cookie(r)).toEqual([]);
  });

  it('follows ENV/ARG paths, wait-for wrappers and a start script that picks runserver or gunicorn (WebODM shape)', () => {
    // WORKDIR $WORKDIR from ENV, a compose entrypoint through bash -c and wait-for scripts to start.sh, which runs
    // runserver in one branch and gunicorn in the other; the TLS override passes the switch for the Secure cookies.
    const files = {
      'webodm/__init__.py': '',
      'webodm/settings.py': `import os\n${APPS}SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get('WO_SSL', 'NO') == 'YES'\n`,
      'webodm/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "webodm.settings")\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      Dockerfile: 'FROM ubuntu:22.04\nENV WORKDIR=/webodm\nARG TOOLS=/opt/tools\nWORKDIR $WORKDIR\nCOPY . ./\n',
      'start.sh': '#!/bin/bash\nPORT="${WO_PORT:-8000}"\nif [ "$1" = "--setup-devenv" ]; then\n  python manage.py runserver 0.0.0.0:$PORT\nelse\n  gunicorn webodm.wsgi --bind 0.0.0.0:$PORT\nfi\n',
      'docker-compose.yml': 'services:\n  webapp:\n    build: .\n    entrypoint: /bin/bash -c "chmod +x /webodm/*.sh && /bin/bash -c \\"/webodm/wait-for-postgres.sh db /webodm/wait-for-it.sh -t 0 broker:6379 -- /webodm/start.sh\\""\n    ports:\n      - "80:8000"\n',
      'docker-compose.ssl.yml': 'services:\n  webapp:\n    ports:\n      - "443:8000"\n    environment:\n      - WO_SSL\n',
    };
    const r = analyseFiles(files);
    const web = r.model.deploy!.units.find((u) => u.file === 'docker-compose.yml')!;
    expect(web.invocations.map((i) => [i.inv.server, i.inv.binds])).toEqual([['runserver', ['0.0.0.0:8000']], ['gunicorn', ['0.0.0.0:8000']]]);
    expect(web.role.role).toBe('production');
    expect(cookie(r)).toEqual([]);
    // Without the override, the cookies are judged on the code's default.
    const { 'docker-compose.ssl.yml': _, ...plain } = files;
    expect(cookie(analyseFiles(plain))).toHaveLength(1);
  });

  it('a wsgi.py default that names a development module is not evidence: the fallback judges production.py', () => {
    // Shape of wagtail/bakerydemo@8e2b625: wsgi.py defaults to settings.dev; Heroku sets settings.production.
    const r = analyseFiles({
      'bakerydemo/__init__.py': '',
      'bakerydemo/settings/__init__.py': '',
      'bakerydemo/settings/base.py': APPS,
      'bakerydemo/settings/dev.py': 'from .base import *\nSESSION_COOKIE_SECURE = False\n',
      'bakerydemo/settings/production.py': 'from .base import *\nSESSION_COOKIE_SECURE = False\n',
      'bakerydemo/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakerydemo.settings.dev")\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    });
    expect(judged(r)).toEqual(['bakerydemo/settings/production.py']);
    expect(r.model.settings[0].selection).toMatchObject({ how: 'fallback', why: expect.stringMatching(/defaults to bakerydemo.settings.dev, a development module/) });
    expect(cookie(r).map((f) => [f.path, f.severity])).toEqual([['bakerydemo/settings/production.py', 'high']]);
  });

  it('keeps the settings-modules override', () => {
    const r = analyseFiles(split, { settingsModules: ['proj/settings/celery_worker.py'] });
    expect(judged(r)).toEqual(['proj/settings/celery_worker.py']);
  });

  it('says in the message when entry points exist but the module was picked by the fallback', () => {
    const r = analyseFiles({
      'proj/settings.py': INSECURE,
      Procfile: 'web: gunicorn proj.wsgi\n',
    });
    const f = cookie(r);
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/judged by fallback: no entry point names a settings module/);
  });
});

describe('roles and severities', () => {
  it('caps findings in test, CI and development files to low and says why', () => {
    const r = analyseFiles({
      'app/settings.py': SECURE,
      'app/tests/settings.py': INSECURE,
      'app/settings_dev.py': INSECURE,
    }, { settingsModules: ['**/settings*.py'] });
    const byPath = new Map(cookie(r).map((f) => [f.path, f]));
    expect(byPath.get('app/tests/settings.py')?.severity).toBe('low');
    expect(byPath.get('app/tests/settings.py')?.message).toMatch(/^\[test file, guessed from its path: its folder `tests\/` marks it\] /);
    expect(byPath.get('app/settings_dev.py')?.severity).toBe('low');
    expect(byPath.has('app/settings.py')).toBe(false);
    const roles = Object.fromEntries(r.result.files.map((f) => [f.path, f.role]));
    expect(roles).toEqual({ 'app/settings.py': 'production', 'app/tests/settings.py': 'test', 'app/settings_dev.py': 'development' });
  });

  it('a Dockerfile only a development compose file builds is development, unless it starts a production server or a platform builds it', () => {
    // patchwork: tools/docker/Dockerfile names the dev settings; the only compose service building it runs runserver with the source mounted.
    const files = {
      'proj/__init__.py': '',
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': APPS,
      'proj/settings/site.py': `from .base import *\nSESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n`,
      'tools/docker/Dockerfile': 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE proj.settings.site\nCOPY tools/docker/entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'tools/docker/entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
      'docker-compose.yml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: ./tools/docker/Dockerfile\n    command: python3 manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n',
    };
    const r = analyseFiles(files);
    expect(cookie(r).map((f) => [f.path, f.severity])).toEqual([['proj/settings/site.py', 'low']]);
    expect(cookie(r)[0].message).toMatch(/tools\/docker\/Dockerfile is built only by docker-compose\.yml, a development setup/);
    // The image's own command runs gunicorn: it is what production runs, whatever the compose file does with it.
    const served = analyseFiles({ ...files, 'tools/docker/Dockerfile': files['tools/docker/Dockerfile'] + 'CMD ["gunicorn", "proj.wsgi", "-b", "0.0.0.0:8000"]\n' });
    expect(cookie(served).map((f) => f.severity)).toEqual(['high']);
    // A platform may build the same Dockerfile for production.
    expect(cookie(analyseFiles({ ...files, 'fly.toml': 'app = "x"\n' })).map((f) => f.severity)).toEqual(['high']);
    // So may Dokku (its nginx.conf.sigil or CHECKS file; bikeaction.org) and CapRover (captain-definition).
    for (const signal of ['nginx.conf.sigil', 'CHECKS', 'captain-definition']) {
      expect([signal, cookie(analyseFiles({ ...files, [signal]: 'x\n' })).map((f) => f.severity)]).toEqual([signal, ['high']]);
    }
  });

  it('a module that hard-codes DEBUG = True beside one named for production is the development module', () => {
    const files = {
      'proj/__init__.py': '',
      'proj/settings/__init__.py': '',
      'proj/settings/docker.py': `${APPS}DEBUG = True\n`,
      'proj/settings/production_example.py': SECURE,
      Dockerfile: 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.settings.docker\nCMD ["uwsgi", "--http", ":8000", "--module", "proj.wsgi"]\n',
    };
    const r = analyseFiles(files);
    expect(cookie(r).map((f) => f.severity)).toEqual(['low']);
    expect(cookie(r)[0].message).toMatch(/^\[development file, guessed: it sets DEBUG = True \(proj\/settings\/docker\.py:3\) while proj\/settings\/production_example\.py is named for production\]/);
    // No production module beside it: DEBUG alone does not make a deployed module development.
    const alone = analyseFiles(Object.fromEntries(Object.entries(files).filter(([k]) => !k.endsWith('production_example.py'))));
    expect(cookie(alone).map((f) => f.severity)).toEqual(['high']);
    // A production-named fragment nothing imports (no INSTALLED_APPS or MIDDLEWARE, no entry point) is not a module.
    const fragment = analyseFiles({ ...files, 'proj/settings/production_example.py': 'DEBUG = False\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n' });
    expect(cookie(fragment).map((f) => [f.path, f.severity])).toEqual([['proj/settings/docker.py', 'high']]);
    // DEBUG read from the environment, or set under a condition, is not the hard-coded sign.
    const env = analyseFiles({ ...files, 'proj/settings/docker.py': `import os\n${APPS}DEBUG = os.environ.get("DEBUG") == "1"\n` });
    expect(cookie(env).map((f) => f.severity)).toEqual(['high']);
  });

  it('a module that hard-codes DEBUG = True and that only a development setup runs is development', () => {
    // docker-django-wsgi-nginx: one compose file mounts the source and starts gunicorn with the wsgi.py default.
    const files = {
      'src/proj/__init__.py': '',
      'src/proj/settings.py': `${APPS}DEBUG = True\n`,
      'src/proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    working_dir: /code\n    command: gunicorn proj.wsgi:application --bind 0.0.0.0:8000\n    volumes:\n      - ./src:/code\n',
      Dockerfile: 'FROM python:3.12\nWORKDIR /code\nCOPY src /code\n',
    };
    const r = analyseFiles(files);
    expect(cookie(r).map((f) => f.severity)).toEqual(['low']);
    expect(cookie(r)[0].message).toMatch(/^\[development file, guessed: it sets DEBUG = True \(src\/proj\/settings\.py:3\) and only docker-compose\.yml:\d+ runs it/);
    // Without the hard-coded DEBUG the module may be what production runs too.
    expect(cookie(analyseFiles({ ...files, 'src/proj/settings.py': APPS })).map((f) => f.severity)).toEqual(['high']);
    // A production unit beside it runs the same module.
    const prod = analyseFiles({ ...files, 'docker-compose.prod.yml': 'services:\n  web:\n    build: .\n    working_dir: /code\n    command: gunicorn proj.wsgi:application --bind 0.0.0.0:8000\n' });
    expect(cookie(prod).map((f) => f.severity)).toEqual(['high']);
  });

  it('a module only a Dockerfile build step names (collectstatic) is not judged beside the others', () => {
    // pythondotorg: `RUN DJANGO_SETTINGS_MODULE=pydotorg.settings.static … manage.py collectstatic`.
    const files = {
      'proj/__init__.py': '',
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': APPS,
      'proj/settings/platform.py': `from .base import *\nSESSION_COOKIE_SECURE = True\n`,
      'proj/settings/static.py': `from .base import *\nDEBUG = False\n`,
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.local")\n',
      Dockerfile: 'FROM python:3.12\nWORKDIR /code\nCOPY . /code/\nRUN DJANGO_SETTINGS_MODULE=proj.settings.static python manage.py collectstatic --noinput\n',
    };
    expect(judged(analyseFiles(files))).toEqual(['proj/settings/platform.py']);
    // Without the build step both are judged (nothing says which one serves).
    expect(judged(analyseFiles({ ...files, Dockerfile: 'FROM python:3.12\nWORKDIR /code\nCOPY . /code/\n' }))).toEqual(['proj/settings/platform.py', 'proj/settings/static.py']);
    // The only module left is still judged.
    const alone = Object.fromEntries(Object.entries(files).filter(([k]) => !k.endsWith('platform.py')));
    expect(judged(analyseFiles(alone))).toEqual(['proj/settings/static.py']);
  });

  it("a compose file that obtains Let's Encrypt certificates is not development because one service mounts the source", () => {
    // QGIS Planet: the uwsgi service mounts ../qgis-app; nginx publishes 443 with certbot's /etc/letsencrypt.
    const site = 'server {\n  listen 443 ssl;\n  server_name planet.example.org;\n  ssl_certificate /etc/letsencrypt/live/x/fullchain.pem;\n  ssl_certificate_key /etc/letsencrypt/live/x/privkey.pem;\n  ssl_protocols TLSv1 TLSv1.2;\n  location / { proxy_pass http://web:8000; }\n}\n';
    const compose = (certbot: string) =>
      `services:\n  web:\n    build: .\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n    volumes:\n      - ./app:/srv/app\n  nginx:\n    image: nginx\n    ports: ["80:80", "443:443"]\n    volumes:\n      - ./nginx/site.conf:/etc/nginx/conf.d/default.conf:ro\n${certbot}`;
    const files = { 'app/__init__.py': '', 'app/settings.py': APPS, 'nginx/site.conf': site };
    const weak = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.ruleId === 'nginx/weak-ssl-protocols').map((f) => f.severity);
    const withCertbot = analyseFiles({ ...files, 'docker-compose.yml': compose('  certbot:\n    image: certbot/certbot\n    volumes:\n      - ./certbot:/etc/letsencrypt\n') });
    expect(weak(withCertbot)).toEqual(['high']);
    // Without it the source mount makes the whole file a development setup.
    expect(weak(analyseFiles({ ...files, 'docker-compose.yml': compose('') }))).toEqual(['low']);
  });

  it("a compose file whose nginx serves Let's Encrypt certificates from a mounted folder deploys a real site (carceropolis)", () => {
    // The certificates come from another compose file (docker-compose-letsencrypt.yml) into ./letsencrypt, which the
    // nginx service mounts; the app service mounts the source and defaults DEBUG to True.
    const site = (cert: string) =>
      `server {\n  listen 80;\n  server_name example.org;\n  location / { uwsgi_pass unix:/sockets/app.sock; include uwsgi_params; }\n}\nserver {\n  listen 443 ssl;\n  server_name example.org;\n  ssl_certificate ${cert};\n  ssl_certificate_key /letsencrypt/etc/live/example.org/privkey.pem;\n  ssl_protocols TLSv1.1 TLSv1.2;\n  location / { uwsgi_pass unix:/sockets/app.sock; include uwsgi_params; }\n}\n`;
    const compose = (certs: string) =>
      `services:\n  nginx:\n    image: nginx:1.13-alpine\n    ports: ["80:80", "443:443"]\n    volumes:\n      - ./deploy/nginx:/etc/nginx/conf.d\n${certs}  app:\n    build: .\n    command: uwsgi --ini deploy/uwsgi.ini\n    environment:\n      - DEBUG=\${DEBUG:-True}\n    volumes:\n      - .:/project\n`;
    const files = (cert: string, certs: string) => ({
      'app/__init__.py': '',
      'app/settings.py': APPS,
      'uwsgi.ini': '[uwsgi]\nmodule = app.wsgi\nsocket = /sockets/app.sock\n',
      'deploy/nginx/site.conf': site(cert),
      // Not `*.conf`: the packaged nginx.conf loads only conf.d/*.conf, so this sample is not deployed.
      'deploy/nginx/site.conf.prod_sample': site(cert),
      'docker-compose.yml': compose(certs),
    });
    const weak = (r: ReturnType<typeof analyseFiles>) =>
      r.result.findings.filter((f) => f.ruleId === 'nginx/weak-ssl-protocols').map((f) => `${f.path} ${f.severity}`);
    const live = '/letsencrypt/etc/live/example.org/fullchain.pem';
    const mounted = '      - ./letsencrypt:/letsencrypt:ro\n';
    expect(weak(analyseFiles(files(live, mounted)))).toEqual(['deploy/nginx/site.conf high', 'deploy/nginx/site.conf.prod_sample low']);
    // A certificate path no service mounts, or a certificate made on the spot, leaves the file a development setup.
    expect(weak(analyseFiles(files(live, '')))).toEqual(['deploy/nginx/site.conf low', 'deploy/nginx/site.conf.prod_sample low']);
    expect(weak(analyseFiles(files('/letsencrypt/selfsigned.pem', mounted)))).toEqual(['deploy/nginx/site.conf low', 'deploy/nginx/site.conf.prod_sample low']);
  });

  it('a Dockerfile copying a folder into conf.d deploys its *.conf files, whatever their names say (srpms)', () => {
    const files = (copy: string) => ({
      'nginx/Dockerfile': `FROM nginx:1.17-alpine\n${copy}\n`,
      'nginx/conf.d/local.conf': 'server {\n  listen 443 ssl;\n  server_name app.example.org;\n  location / { proxy_pass http://web:8000; }\n}\n',
      'nginx/conf.d/local.conf.sample': 'server {\n  listen 80;\n}\n',
      'docker-compose.prod.yml': 'services:\n  nginx:\n    build: ./nginx\n    ports: ["443:443"]\n',
    });
    const copied = analyseFiles(files('COPY ./conf.d /etc/nginx/conf.d')).model.roleOf!;
    expect(copied('nginx/conf.d/local.conf')).toMatchObject({ role: 'production', source: 'entry-point' });
    // Beside them, a file the packaged nginx.conf does not load keeps its path role.
    expect(copied('nginx/conf.d/local.conf.sample').role).not.toBe('production');
    expect(analyseFiles(files('COPY ./other /srv/other')).model.roleOf!('nginx/conf.d/local.conf').role).toBe('development');
  });

  it('a compose file whose Caddy serves a public domain deploys a real site, with its source-mounted gunicorn (vps_garment)', () => {
    const caddy = (site: string) => `${site} {\n  handle_path /static/* {\n    root * /code/staticfiles\n    file_server\n  }\n  handle {\n    reverse_proxy web:8000\n  }\n}\n`;
    const files = (site: string, command = 'gunicorn config.wsgi:application --bind 0.0.0.0:8000') => ({
      'app/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n',
      'app/config/__init__.py': '',
      'app/config/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'app/config/settings/__init__.py': '',
      'app/config/settings/production.py': `${INSECURE}SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n`,
      'Dockerfile': `FROM python:3.12\nWORKDIR /code\nCOPY app/ /code/\nCMD ${JSON.stringify(command.split(' '))}\n`,
      'caddy/Caddyfile': caddy(site),
      'docker-compose.yml':
        'services:\n  web:\n    build: .\n    volumes:\n      - "${HOST_APP_PATH:-./app}:/code:delegated"\n    environment:\n      - DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.production}\n' +
        '  caddy:\n    image: caddy:2\n    ports:\n      - "80:80"\n      - "443:443"\n    volumes:\n      - "${HOST_CADDYFILE_PATH:-./caddy/Caddyfile}:/etc/caddy/Caddyfile:ro"\n      - caddy_data:/data\nvolumes:\n  caddy_data:\n',
    });
    const severities = (r: ReturnType<typeof analyseFiles>, id: string) => r.result.findings.filter((f) => f.ruleId === id).map((f) => `${f.path} ${f.severity}`);
    const real = analyseFiles(files('garment.rfc-labs.com'));
    expect(severities(real, 'django/session-cookie-insecure')).toEqual(['app/config/settings/production.py high']);
    // The Caddyfile the compose file mounts is the terminator in front: it adds no HSTS and redirects.
    expect(severities(real, 'django/hsts-off')).toEqual(['app/config/settings/production.py high']);
    expect(real.result.findings.find((f) => f.ruleId === 'django/hsts-off')?.message).toContain('caddy/Caddyfile:7');
    expect(severities(real, 'django/ssl-redirect-off')).toEqual([]);
    const webRole = (r: ReturnType<typeof analyseFiles>) => r.model.deploy!.units.find((u) => u.service === 'web')!.role.role;
    expect(webRole(real)).toBe('production');
    // A local name gets no public certificate: the source mount keeps the file a development setup.
    expect(webRole(analyseFiles(files('app.localhost')))).toBe('development');
    // So does the development server, even beside a public site.
    expect(webRole(analyseFiles(files('garment.rfc-labs.com', 'python manage.py runserver 0.0.0.0:8000')))).toBe('development');
  });

  it('a compose file whose Traefik routers ask an ACME resolver deploys a real site', () => {
    const compose = (label: string) =>
      `services:\n  web:\n    build: .\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n    volumes:\n      - ./app:/srv/app\n    labels:\n      - traefik.http.routers.web.rule=Host(\`shop.acme.dev\`)\n${label}  traefik:\n    image: traefik:v2.10\n    ports: ["443:443"]\n`;
    const files = { 'app/__init__.py': '', 'app/settings.py': INSECURE, 'app/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n', Dockerfile: 'FROM python:3.12\nCOPY . /srv\n' };
    const role = (label: string) => analyseFiles({ ...files, 'docker-compose.yml': compose(label) }).model.deploy!.units.find((u) => u.service === 'web')!.role.role;
    expect(role('      - traefik.http.routers.web.tls.certresolver=letsencrypt\n')).toBe('production');
    expect(role('      - traefik.http.routers.web.tls=true\n')).toBe('development');
  });

  it('site addresses Caddy gets public certificates for, and Traefik routers that ask an ACME resolver', () => {
    expect(caddyPublicSite('example.org {\n}\n')).toBeUndefined();
    expect(caddyPublicSite('shop.example.org, www.shop.io {\n  reverse_proxy web:8000\n}\n')).toBe('www.shop.io');
    expect(caddyPublicSite('https://app.acme.dev {\n}\n')).toBe('https://app.acme.dev');
    for (const plain of ['http://app.acme.dev {\n}\n', ':80 {\n}\n', 'localhost {\n}\n', '{$DOMAIN} {\n}\n', '127.0.0.1 {\n}\n', 'app.acme.test {\n}\n']) {
      expect(caddyPublicSite(plain)).toBeUndefined();
    }
    expect(caddyPublicSite('{\n  auto_https off\n}\napp.acme.dev {\n}\n')).toBeUndefined();
    // Nested blocks are not sites.
    expect(caddyPublicSite(':8080 {\n  handle {\n    @x host app.acme.dev {\n    }\n  }\n}\n')).toBeUndefined();
  });

  it("a container's own Dockerfile decides which script an absolute command runs (tracle's two /start scripts)", () => {
    const dockerfile = (which: string, env = '') => `FROM python:3\nWORKDIR /app\nCOPY ./compose/${which}/start /start\nCOPY ./src/ .\n${env}`;
    const files = {
      'src/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
      'src/proj/__init__.py': '',
      'src/proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'src/proj/settings/__init__.py': '',
      'src/proj/settings/production.py': INSECURE,
      'compose/production/Dockerfile': dockerfile('production', 'ENV DJANGO_SETTINGS_MODULE proj.settings.production\n'),
      'compose/production/start': '#!/bin/bash\ngunicorn proj.wsgi:application --bind 0.0.0.0:8000\n',
      'compose/local/Dockerfile': dockerfile('local'),
      'compose/local/start': '#!/bin/bash\npython manage.py runserver 0.0.0.0:8000\n',
      'production.yml': 'services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/production/Dockerfile\n    command: /start\n',
      'local.yml': 'services:\n  django:\n    build:\n      context: .\n      dockerfile: ./compose/local/Dockerfile\n    command: /start\n',
    };
    const r = analyseFiles(files);
    const prod = r.model.deploy!.units.find((u) => u.file === 'production.yml')!;
    expect(prod.role.role).toBe('production');
    expect(prod.invocations.map((i) => i.inv.server)).toContain('gunicorn');
    expect(cookie(r).map((f) => f.severity)).toEqual(['high']);
  });

  it('a source mount does not make a compose file named for production a development setup', () => {
    // nas_fetus' docker-compose-deploy.yml, places-backend's docker-compose-prod.yml: `.:/usr/src/app` out of habit.
    const site = 'server {\n  listen 443 ssl;\n  server_name app.example.org;\n  ssl_protocols TLSv1 TLSv1.2;\n  location / { proxy_pass http://app:8000; }\n}\n';
    const compose = (debug = '') => `services:\n  app:\n    build: .\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000\n    volumes:\n      - ./app:/srv/app\n${debug}  proxy:\n    image: nginx\n    volumes:\n      - ./nginx/site.conf:/etc/nginx/conf.d/default.conf:ro\n`;
    const files = { 'app/__init__.py': '', 'app/settings.py': APPS, 'nginx/site.conf': site };
    const weak = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.ruleId === 'nginx/weak-ssl-protocols').map((f) => f.severity);
    expect(weak(analyseFiles({ ...files, 'docker-compose-deploy.yml': compose() }))).toEqual(['high']);
    expect(weak(analyseFiles({ ...files, 'compose.prod.yml': compose() }))).toEqual(['high']);
    // Any other name: the mount makes it development; so does DEBUG on, whatever the name.
    expect(weak(analyseFiles({ ...files, 'docker-compose.yml': compose() }))).toEqual(['low']);
    expect(weak(analyseFiles({ ...files, 'docker-compose-deploy.yml': compose('    environment:\n      DEBUG: "1"\n') }))).toEqual(['low']);
  });

  it('a Dockerfile COPY with a pattern deploys each file it matches (citizen-voice)', () => {
    const tpl = 'server {\n  listen 80;\n  server_name ${DOMAIN};\n  location / { return 301 https://$host$request_uri; }\n}\n';
    const files = {
      'container/nginx/Dockerfile': 'FROM nginx:1.27\nCOPY ./configs/* /etc/nginx/\n',
      'container/nginx/configs/default.conf.tpl': tpl,
      'container/nginx/configs/other.conf.tpl': tpl,
      'container/nginx/configs/sub/deep.conf': tpl,
      'container/nginx/conf.d/default.conf': 'server {\n  listen 80;\n  server_name app.example.org;\n  location / { proxy_pass http://app:8000; }\n}\n',
    };
    const r = analyseFiles(files);
    const deployed = r.model.deploy!.mappings.filter((m) => !m.dir).map((m) => `${m.workspace} -> ${m.deployed}`).sort();
    expect(deployed).toEqual([
      'container/nginx/configs/default.conf.tpl -> /etc/nginx/default.conf.tpl',
      'container/nginx/configs/other.conf.tpl -> /etc/nginx/other.conf.tpl',
    ]);
    // The copy nothing deploys beside them is an example, not a production server on port 80.
    const plain = r.result.findings.filter((f) => f.ruleId === 'nginx/http-not-redirected' && f.path === 'container/nginx/conf.d/default.conf');
    expect(plain.map((f) => f.severity)).toEqual(['low']);
  });

  it('the config override makes a test-looking path production again', () => {
    const r = analyseFiles({ 'deploy/tests/settings.py': INSECURE }, { roles: { production: ['deploy/**'] } });
    expect(cookie(r).map((f) => f.severity)).toEqual(['high']);
    expect(r.result.files[0].role).toBe('production');
  });

  const site = 'server {\n  listen 80;\n  server_name example.com;\n  location / { proxy_pass http://app:8000; }\n}\n';

  it('an nginx config mounted only by a CI compose file is ci', () => {
    const r = analyseFiles({
      'deploy/site.conf': site,
      'docker-compose.ci.yml': 'services:\n  nginx:\n    image: nginx\n    volumes:\n      - ./deploy/site.conf:/etc/nginx/conf.d/default.conf:ro\n',
    });
    const f = r.result.findings.filter((x) => x.ruleId === 'nginx/http-not-redirected');
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('low');
    expect(f[0].message).toMatch(/^\[ci file: docker-compose\.ci\.yml:\d+ mounts it \(a ci file\)\]/);
    expect(r.result.files.find((x) => x.path === 'deploy/site.conf')?.role).toBe('ci');
  });

  it('the same config mounted by a production compose file stays high', () => {
    const r = analyseFiles({
      'deploy/site.conf': site,
      'docker-compose.yml': 'services:\n  nginx:\n    image: nginx\n    volumes:\n      - ./deploy/site.conf:/etc/nginx/conf.d/default.conf:ro\n',
    });
    const f = r.result.findings.filter((x) => x.ruleId === 'nginx/http-not-redirected');
    expect(f.map((x) => x.severity)).toEqual(['high']);
    expect(f[0].message).not.toMatch(/role guessed/);
  });

  it('a config from a test folder stays a test file when the production compose file mounts it', () => {
    // As kiwitcms/Kiwi does: a TLS proxy for the test suite sits in docker-compose.yml beside the app.
    const files = {
      'etc/nginx.conf': site,
      'tests/nginx-proxy/nginx.conf': 'server {\n  listen 8443 ssl;\n  location / { proxy_pass https://web:8443; }\n}\n',
      'docker-compose.yml': 'services:\n  web:\n    image: app\n  proxy:\n    image: nginx\n    volumes:\n      - ./tests/nginx-proxy/nginx.conf:/etc/nginx/nginx.conf:Z\n',
    };
    const r = analyseFiles(files);
    expect(r.result.files.find((x) => x.path === 'tests/nginx-proxy/nginx.conf')?.role).toBe('test');
    // Not taken as the deployed nginx, so the other config is not guessed an example.
    expect(r.result.files.find((x) => x.path === 'etc/nginx.conf')?.role).toBe('production');
    expect(r.result.findings.filter((x) => x.path === 'tests/nginx-proxy/nginx.conf' && x.severity === 'high')).toEqual([]);
  });

  it('a compose file in a subfolder that mounts the repository (`../`) with manage.py below is a development setup', () => {
    // As archivematica's hack/docker-compose.yml: the source is edited live, manage.py sits in src/dashboard/src/.
    const files = {
      'src/dashboard/src/manage.py': '',
      'src/dashboard/src/settings/production.py': SECURE,
      'hack/etc/nginx/conf.d/site.conf': site,
      'hack/docker-compose.yml': 'services:\n  dashboard:\n    image: dashboard\n    volumes:\n      - "../:/src"\n  nginx:\n    image: nginx\n    volumes:\n      - ./etc/nginx/conf.d/site.conf:/etc/nginx/conf.d/default.conf:ro\n',
    };
    const r = analyseFiles(files);
    expect(r.result.files.find((x) => x.path === 'hack/etc/nginx/conf.d/site.conf')?.role).toBe('development');
    expect(r.result.findings.filter((x) => x.ruleId === 'nginx/http-not-redirected').map((x) => x.severity)).toEqual(['low']);
  });

  it('a compose file that bind-mounts the app package (wsgi.py, settings/) is a development setup (bakerydemo)', () => {
    const files = {
      'manage.py': '',
      'app/wsgi.py': '',
      'app/settings/dev.py': INSECURE,
      'Dockerfile': 'FROM python:3.12\nCOPY . /code\nCMD ["uwsgi", "--http", ":8000", "--module", "app.wsgi"]\n',
      'docker-compose.yml': 'services:\n  app:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: app.settings.dev\n    volumes:\n      - ./app:/code/app\n',
    };
    expect(cookie(analyseFiles(files)).map((f) => f.severity)).toEqual(['low']);
    // Without the mount the compose service is what runs: judged as production.
    const mounted = { ...files, 'docker-compose.yml': files['docker-compose.yml'].replace('    volumes:\n      - ./app:/code/app\n', '') };
    expect(cookie(analyseFiles(mounted)).map((f) => f.severity)).toEqual(['high']);
  });

  it('an unparsable deployment file is reported with file and line', () => {
    const r = analyseFiles({ 'deploy/uwsgi.xml': '<uwsgi><module>a</module>\n<env>\n</uwsgi>' });
    const e = r.result.findings.filter((f) => f.ruleId === 'parse/error' && f.path === 'deploy/uwsgi.xml');
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/uwsgi config could not be parsed/);
  });
});

describe('a compose service behind profiles (road_backend)', () => {
  it('does not make the compose file a development setup: it starts only when its profile is asked for', () => {
    const compose = (profiles: string, name = 'web-test') => `services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\n  ${name}:\n    build: .\n${profiles}    command: python manage.py runserver 0.0.0.0:8000\n  nginx:\n    build: ./nginx\n    ports: ["80:80", "443:443"]\n`;
    const files = { 'nginx/nginx.conf': 'events {}\nhttp { server { listen 443 ssl; ssl_certificate c.pem; ssl_certificate_key c.key; location / { proxy_pass http://web:8000; } } }\n', 'nginx/Dockerfile': 'FROM nginx:1.25\nCOPY nginx.conf /etc/nginx/nginx.conf\n', 'Dockerfile': 'FROM python:3.12\n' };
    expect(analyseFiles({ ...files, 'docker-compose.yml': compose('    profiles: [testing]\n') }).model.roleOf!('nginx/nginx.conf').role).toBe('production');
    // Without profiles, a development service makes the file a development setup, unless its name marks it as one.
    expect(analyseFiles({ ...files, 'docker-compose.yml': compose('', 'runner') }).model.roleOf!('nginx/nginx.conf').role).toBe('development');
    expect(analyseFiles({ ...files, 'docker-compose.yml': compose('') }).model.roleOf!('nginx/nginx.conf').role).toBe('production');
  });
});

describe('a local nginx (normandy)', () => {
  it('is development when it redirects to https://localhost, whatever compose file mounts it', () => {
    const conf = (target: string) => `events {}\nhttp {\n  server { listen 8000; return 301 ${target}$request_uri; }\n  server { listen 8443 ssl; ssl_certificate p.crt; ssl_certificate_key p.key; location / { proxy_pass http://app:8000; } }\n}\n`;
    const compose = 'services:\n  proxy:\n    image: nginx:1.25\n    ports: ["8443:8443"]\n    volumes:\n      - ./etc/nginx.conf:/etc/nginx/nginx.conf:ro\n';
    const local = analyseFiles({ 'etc/nginx.conf': conf('https://localhost:8443'), 'docker-compose.yml': compose });
    expect(local.model.roleOf!('etc/nginx.conf')).toMatchObject({ role: 'development', source: 'guess' });
    expect(local.result.findings.find((f) => f.ruleId === 'nginx/hsts-missing')?.severity).toBe('low');
    const publicSite = analyseFiles({ 'etc/nginx.conf': conf('https://shop.example.com'), 'docker-compose.yml': compose });
    expect(publicSite.model.roleOf!('etc/nginx.conf').role).toBe('production');
  });
});

describe('includes that Docker maps', () => {
  const files = {
    'nginx/default.conf': 'server {\n  listen 443 ssl;\n  server_name example.com;\n  include /etc/nginx/conf.d/locations;\n}\n',
    'nginx/locations': 'location / {\n  add_header Strict-Transport-Security "max-age=60" always;\n  proxy_pass http://app:8000;\n}\n',
  };
  const compose = 'services:\n  nginx:\n    image: nginx\n    volumes:\n      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf\n      - ./nginx/locations:/etc/nginx/conf.d/locations\n';

  it('resolves an absolute include to the file compose mounts there', () => {
    const r = analyseFiles({ ...files, 'docker-compose.yml': compose });
    expect(r.result.findings.filter((f) => f.ruleId === 'nginx/include-unresolved')).toEqual([]);
    expect(r.result.findings.some((f) => f.ruleId === 'nginx/hsts-max-age-short' && f.path === 'nginx/locations')).toBe(true);
  });

  it('resolves it through a Dockerfile COPY too', () => {
    const r = analyseFiles({ ...files, 'nginx/Dockerfile': 'FROM nginx\nCOPY default.conf /etc/nginx/conf.d/default.conf\nCOPY locations /etc/nginx/conf.d/\n' });
    expect(r.result.findings.filter((f) => f.ruleId === 'nginx/include-unresolved')).toEqual([]);
    expect(r.result.findings.some((f) => f.ruleId === 'nginx/hsts-max-age-short' && f.path === 'nginx/locations')).toBe(true);
  });

  it("takes a compose `${VAR:-default}` in a volume as its default (Label Studio's nginx template)", () => {
    const withVar = compose.replace('./nginx/locations:/etc/nginx/conf.d/locations', './nginx/${LOCATIONS_FILE:-locations}:/etc/nginx/conf.d/${LOCATIONS_FILE-locations}');
    const r = analyseFiles({ ...files, 'docker-compose.yml': withVar });
    expect(r.result.findings.filter((f) => f.ruleId === 'nginx/include-unresolved')).toEqual([]);
    expect(r.model.deploy?.mappings.map((m) => m.workspace)).toContain('nginx/locations');
  });

  it('maps an absolute include onto a folder that mirrors the server tree, when one file matches', () => {
    const site = 'server {\n  listen 443 ssl;\n  server_name example.com;\n  include /var/www/config/common.conf;\n  location / { proxy_pass http://app:8000; }\n}\n';
    const common = 'add_header Strict-Transport-Security "max-age=60" always;\n';
    const r = analyseFiles({ 'deploy/var/www/config/site.conf': site, 'deploy/var/www/config/common.conf': common });
    expect(r.result.findings.filter((f) => f.ruleId === 'nginx/include-unresolved')).toEqual([]);
    expect(r.result.findings.some((f) => f.ruleId === 'nginx/hsts-max-age-short' && f.path === 'deploy/var/www/config/common.conf')).toBe(true);
    // Two candidates: which one the server has is not known.
    const two = analyseFiles({ 'deploy/var/www/config/site.conf': site, 'deploy/var/www/config/common.conf': common, 'old/var/www/config/common.conf': common });
    expect(two.result.findings.some((f) => f.ruleId === 'nginx/include-unresolved')).toBe(true);
  });

  it('without the mapping the include stays unresolved', () => {
    const r = analyseFiles(files);
    expect(r.result.findings.some((f) => f.ruleId === 'nginx/include-unresolved')).toBe(true);
  });

  // GeoNode's nginx image: `WORKDIR /etc/nginx/`, `ADD nginx.conf.envsubst ./`, `ADD geonode.conf ./sites-enabled/`,
  // and the main config's relative `include sites-enabled/*.conf;`.
  const geonode = (dockerfile: string) => ({
    'docker/nginx/nginx.conf.envsubst': 'events {}\nhttp {\n  server {\n    listen 443 ssl;\n    server_name $HTTPS_HOST;\n    include sites-enabled/*.conf;\n  }\n}\n',
    'docker/nginx/geonode.conf': 'location / {\n  add_header Strict-Transport-Security "max-age=60" always;\n  proxy_pass http://django:8000;\n}\n',
    'docker/nginx/Dockerfile': dockerfile,
  });

  it('resolves a relative include against the deployed conf prefix, through files copied one by one', () => {
    const r = analyseFiles(geonode('FROM nginx:1.25\nWORKDIR /etc/nginx/\nADD nginx.conf.envsubst ./\nADD geonode.conf ./sites-enabled/\n'));
    expect(r.result.findings.filter((f) => f.ruleId === 'nginx/include-unresolved')).toEqual([]);
    expect(r.result.findings.some((f) => f.ruleId === 'nginx/hsts-max-age-short' && f.path === 'docker/nginx/geonode.conf')).toBe(true);
    expect(r.model.deploy!.mapDeployedPath('/etc/nginx/sites-enabled/*.conf')).toBe('docker/nginx/geonode.conf');
    expect(r.model.deploy!.mapDeployedPath('/etc/nginx/sites-enabled/*.inc')).toBeUndefined();
  });

  it('leaves it unresolved when nothing deploys the file into that folder', () => {
    const r = analyseFiles(geonode('FROM nginx:1.25\nWORKDIR /etc/nginx/\nADD nginx.conf.envsubst ./\nADD geonode.conf ./conf.d/\n'));
    expect(r.result.findings.some((f) => f.ruleId === 'nginx/include-unresolved')).toBe(true);
  });
});

describe('entry-point facts', () => {
  it('reads gunicorn.conf.py and the Dockerfile that copies it', () => {
    const r = analyseFiles({
      'proj/settings.py': SECURE,
      'deploy/gunicorn.conf.py': `bind = "unix:/run/app.sock"\nforwarded_allow_ips = "10.0.0.1"\nsecure_scheme_headers = {"X-FORWARDED-PROTO": "https"}\nraw_env = ["DJANGO_SETTINGS_MODULE=proj.settings"]\n`,
      'Dockerfile': 'FROM python:3\nWORKDIR /srv\nCOPY deploy/gunicorn.conf.py conf/\nCOPY proj ./proj\nCMD gunicorn -c /srv/conf/gunicorn.conf.py proj.wsgi\n',
    });
    const deploy = r.model.deploy!;
    expect(deploy.mapDeployedPath('/srv/conf/gunicorn.conf.py')).toBe('deploy/gunicorn.conf.py');
    expect(deploy.mapDeployedPath('/srv/proj/settings.py')).toBe('proj/settings.py');
    expect(deploy.mapDeployedPath('/etc/passwd')).toBeUndefined();
    const docker = deploy.units.find((u) => u.via === 'dockerfile')!;
    const inv = docker.invocations[0].inv;
    expect([inv.server, inv.app, inv.binds, inv.forwardedAllowIps, [...(inv.gunicorn?.secureSchemeHeaders?.value ?? [])], inv.env.get('DJANGO_SETTINGS_MODULE')]).toEqual([
      'gunicorn', 'proj.wsgi', ['unix:/run/app.sock'], '10.0.0.1', [['X-FORWARDED-PROTO', 'https']], 'proj.settings',
    ]);
    expect(r.model.settings[0].selection.how).toBe('entry-point');
    expect(r.model.roleOf!('deploy/gunicorn.conf.py')).toMatchObject({ role: 'production', source: 'entry-point' });
  });

  it('a compose file that is not YAML is reported with its line', () => {
    const r = analyseFiles({ 'proj/settings.py': SECURE, 'docker-compose.yml': 'services:\n  web:\n    image: [unclosed\n' });
    const e = r.result.findings.filter((f) => f.ruleId === 'parse/error' && f.path === 'docker-compose.yml');
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/compose file could not be parsed/);
    expect(e[0].line).toBeGreaterThan(1);
  });

  it('applies merge keys as Compose does: a service takes the command and environment of the defaults it merges', () => {
    const compose = 'x-app: &app\n  image: app\n  command: gunicorn proj.wsgi -b 0.0.0.0:8000\n  environment:\n    DJANGO_SETTINGS_MODULE: proj.settings.beta\nservices:\n  web:\n    <<: *app\n    ports: ["8000:8000"]\n';
    const files = {
      'proj/settings/__init__.py': '',
      'proj/settings/alpha.py': INSECURE,
      'proj/settings/beta.py': SECURE,
      'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.alpha")\n',
      'docker-compose.yml': compose,
    };
    const r = analyseFiles(files);
    expect(judged(r)).toEqual(['proj/settings/beta.py']);
    expect(cookie(r)).toEqual([]);
    // A key the service writes itself wins over the merged one.
    const own = analyseFiles({ ...files, 'docker-compose.yml': compose.replace('    ports:', '    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.alpha\n    ports:') });
    expect(judged(own)).toEqual(['proj/settings/alpha.py']);
    expect(cookie(own)).toHaveLength(1);
  });

  it('reads a compose file that reuses an anchor in every service, and still refuses an alias bomb', () => {
    // As getsentry/self-hosted writes it: shared defaults with a nested alias, merged into dozens of services.
    const services = Array.from({ length: 60 }, (_, i) => `  worker${i}:\n    <<: *defaults\n    command: run worker ${i}\n`).join('');
    const compose = `x-restart: &restart\n  restart: unless-stopped\nx-defaults: &defaults\n  <<: *restart\n  image: app\n  environment:\n    DJANGO_SETTINGS_MODULE: proj.settings\nservices:\n  web:\n    <<: *defaults\n    command: gunicorn proj.wsgi -b 0.0.0.0:8000\n${services}`;
    const r = analyseFiles({ 'proj/settings.py': SECURE, 'proj/wsgi.py': '', 'docker-compose.yml': compose });
    expect(r.result.findings.filter((f) => f.ruleId === 'parse/error')).toEqual([]);
    expect(r.model.settings[0].selection.how).not.toBe('default');

    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${Array(9).fill(i === 0 ? '*a' : `*b${i - 1}`).join(',')}]`).join('\n') + '\nservices: *b11\n';
    // Padding raises the alias allowance with the length, never to the bomb's 9^12 expansions.
    const padded = `${'# padding\n'.repeat(100_000)}${bomb}`;
    const e = analyseFiles({ 'proj/settings.py': SECURE, 'docker-compose.yml': padded }).result.findings.filter((f) => f.ruleId === 'parse/error' && f.path === 'docker-compose.yml');
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/alias/i);
    // A small bomb within the allowance (9^4 expansions) is read, and costs little.
    const small = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 3 }, (_, i) => `b${i}: &b${i} [${Array(9).fill(i === 0 ? '*a' : `*b${i - 1}`).join(',')}]`).join('\n') + '\nservices: *b2\n';
    expect(analyseFiles({ 'proj/settings.py': SECURE, 'docker-compose.yml': small }).result.findings.filter((f) => f.ruleId === 'parse/error')).toEqual([]);
  }, 20000);
});

describe('compose files by content', () => {
  const SVC = 'services:\n  django:\n    build: .\n    command: gunicorn proj.wsgi --bind 0.0.0.0:8000\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings\n';
  const units = (files: Record<string, string>) => analyseFiles({ 'proj/settings.py': SECURE, ...files }).model.deploy!.units.filter((u) => u.via === 'compose').map((u) => `${u.file} ${u.service}`);

  it("reads a YAML file with a services mapping of images or builds whatever its name (cookiecutter-django's production.yml)", () => {
    expect(units({ 'production.yml': SVC, 'docker/https.override.yml': 'services:\n  nginx:\n    volumes:\n      - ../nginx/https.conf:/etc/nginx/conf.d/default.conf\n' })).toEqual(['docker/https.override.yml nginx', 'production.yml django']);
  });

  it("leaves CI files, GitLab CI's list of services and other YAML alone", () => {
    expect(units({
      '.github/workflows/ci.yml': SVC,
      '.gitlab-ci.yml': 'services:\n  - postgres:16\ntest:\n  image: python:3.12\n',
      'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: app\n',
      'config/services.yml': 'services:\n  mailer:\n    host: smtp.example.com\n',
      'config/symfony.yaml': 'services:\n  App\\Mailer:\n    arguments: ["%mailer%"]\n',
    })).toEqual([]);
  });
});

describe('files of a Helm chart', () => {
  const SETTINGS_ONLY = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
  it("are what the chart's templates render, not the deployed files (aqueduct's files/settings.py)", () => {
    const r = analyseFiles({ 'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n', 'charts/app/files/settings.py': SETTINGS_ONLY });
    expect(r.model.roleOf!('charts/app/files/settings.py')).toMatchObject({ role: 'template', source: 'path' });
    expect(r.result.findings.find((f) => f.ruleId === 'django/session-cookie-insecure')?.severity).toBe('low');
  });

  it("leave the chart's templates/ manifests as they are: an Ingress there is part of the deployment", () => {
    const r = analyseFiles({ 'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n', 'charts/app/templates/ingress.yaml': 'kind: Ingress\nspec:\n  tls:\n    - secretName: app-tls\n', 'proj/settings.py': SETTINGS_ONLY });
    expect(r.model.roleOf!('charts/app/templates/ingress.yaml').role).toBe('production');
  });

  it('need the Chart.yaml that makes the folder a chart', () => {
    const r = analyseFiles({ 'charts/app/files/settings.py': SETTINGS_ONLY });
    expect(r.model.roleOf!('charts/app/files/settings.py').role).toBe('production');
  });
});

describe('a compose entry point that picks one of two nginx templates (modern-machinery)', () => {
  const script = (https: string, plain: string) => `#!/bin/sh
set -e
if [ -f "/etc/letsencrypt/live/$DOMAIN/fullchain.pem" ]; then
    TEMPLATE=${https}
else
    TEMPLATE=${plain}
fi
envsubst '\${DOMAIN}' < "$TEMPLATE" > /etc/nginx/conf.d/default.conf
exec "$@"
`;
  const site = (tls: boolean) => `upstream django { server web:8000; }
server {
    listen 80;
    server_name \${DOMAIN};
    ${tls ? 'location / { return 301 https://$host$request_uri; }' : 'location / { proxy_pass http://django; }'}
}
${tls ? `server {
    listen 443 ssl;
    server_name \${DOMAIN};
    ssl_certificate /etc/letsencrypt/live/\${DOMAIN}/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/\${DOMAIN}/privkey.pem;
    add_header Strict-Transport-Security "max-age=63072000" always;
    location / { proxy_pass http://django; }
}` : ''}
`;
  const files = (https = '/etc/nginx/templates/https.conf.template') => ({
    'docker-compose.yml': `services:
  web:
    build: .
    command: gunicorn app.wsgi --bind 0.0.0.0:8000
  nginx:
    image: nginx:1.27
    entrypoint: ["/entrypoint.sh"]
    command: ["nginx", "-g", "daemon off;"]
    ports: ["80:80", "443:443"]
    volumes:
      - ./nginx/entrypoint.sh:/entrypoint.sh:ro
      - ./nginx/templates:/etc/nginx/templates:ro
`,
    'nginx/entrypoint.sh': script(https, '/etc/nginx/templates/http-only.conf.template'),
    'nginx/templates/https.conf.template': site(true),
    'nginx/templates/http-only.conf.template': site(false),
  });
  const plain = (r: ReturnType<typeof analyseFiles>) => r.result.findings.find((f) => f.ruleId === 'nginx/http-not-redirected' && f.path.endsWith('http-only.conf.template'));

  it('reads the entry point beside the command, and each branch value of the variable it renders from', () => {
    const r = analyseFiles(files());
    const sources = r.model.deploy!.renders.filter((x) => x.dest === '/etc/nginx/conf.d/default.conf').map((x) => x.source).sort();
    expect(sources).toEqual(['nginx/templates/http-only.conf.template', 'nginx/templates/https.conf.template']);
  });

  it('the plain-HTTP fallback is low when the file picked otherwise has TLS, and says why', () => {
    const f = plain(analyseFiles(files()))!;
    expect(f.severity).toBe('low');
    expect(f.message).toContain('a script renders either this file or nginx/templates/https.conf.template, which has a TLS server, to /etc/nginx/conf.d/default.conf');
  });

  it('stays high when the script renders only the plain file', () => {
    expect(plain(analyseFiles(files('/etc/nginx/templates/http-only.conf.template')))!.severity).toBe('high');
  });
});

describe('the nginx image renders /etc/nginx/templates/*.template into conf.d (qfieldcloud)', () => {
  const plain = 'server {\n    listen 80;\n    server_name ${HOST};\n    location / { proxy_pass http://127.0.0.1:8000; }\n}\n';
  const tls = 'server {\n    listen 443 ssl;\n    server_name ${HOST};\n    ssl_certificate /c.pem;\n    ssl_certificate_key /k.pem;\n    add_header Strict-Transport-Security "max-age=63072000" always;\n    location / { proxy_pass http://app:8000; }\n}\n';
  const files = (dockerfile: string) => ({
    'docker-nginx/Dockerfile': dockerfile,
    'docker-nginx/templates/default.conf.template': tls,
    'docker-nginx/templates/default.conf.k8s.template': plain,
  });
  const copy = 'FROM nginx:stable\nCOPY templates/ /etc/nginx/templates/\n';

  it('a template that renders to conf.d/*.conf is deployed, one that renders to another name is not loaded', () => {
    const r = analyseFiles(files(copy));
    expect(r.model.deploy!.renders.map((x) => [x.source, x.dest])).toEqual([['docker-nginx/templates/default.conf.template', '/etc/nginx/conf.d/default.conf']]);
    expect(r.model.deploy!.roleOf('docker-nginx/templates/default.conf.template').role).toBe('production');
    const k8s = r.model.deploy!.roleOf('docker-nginx/templates/default.conf.k8s.template');
    expect(k8s.role).toBe('template');
    expect(k8s.why).toContain('renders to /etc/nginx/conf.d/default.conf.k8s, and the image\'s nginx.conf loads only conf.d/*.conf');
    const f = r.result.findings.find((x) => x.ruleId === 'nginx/http-not-redirected')!;
    expect(f.severity).toBe('low');
  });

  it('keeps the default where the image brings an nginx.conf of its own, or renders elsewhere', () => {
    const own = analyseFiles({ ...files(`${copy}COPY nginx.conf /etc/nginx/nginx.conf\n`), 'docker-nginx/nginx.conf': 'events {}\nhttp { include /etc/nginx/conf.d/*; }\n' });
    expect(own.model.deploy!.roleOf('docker-nginx/templates/default.conf.k8s.template').why).not.toContain('loads only conf.d/*.conf');
    const elsewhere = analyseFiles(files(`${copy}ENV NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx/sites\n`));
    expect(elsewhere.model.deploy!.roleOf('docker-nginx/templates/default.conf.k8s.template').why).not.toContain('loads only conf.d/*.conf');
  });
});

describe('the deployment files a scan read besides the checked ones', () => {
  it('lists entry points, platform manifests and app-server configs once, with their roles, and says so in the summary', () => {
    const r = analyseFiles({
      'app/settings.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = []\n',
      'app/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      Dockerfile: 'FROM python:3.12\nCOPY . /srv\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app.wsgi"]\n',
      'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
      'fly.toml': 'app = "x"\n[env]\n  DJANGO_SETTINGS_MODULE = "app.settings"\n',
      'docker-compose.dev.yml': 'services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n',
      'docs/notes.yml': 'title: not a deployment file\n',
    });
    const read = r.result.deploymentFiles!;
    expect(read.map((f) => f.path)).toEqual(['Dockerfile', 'docker-compose.dev.yml', 'fly.toml', 'gunicorn.conf.py']);
    expect(read.find((f) => f.path === 'docker-compose.dev.yml')!.role).toBe('development');
    expect(r.result.files.map((f) => f.path)).not.toContain('Dockerfile');
  });
});

describe('a compose command `bash -c` that runs a script before the server (hr-crm)', () => {
  const run = (cmd: string) => {
    const r = analyseFiles({
      'docker-compose.yml': `services:\n  web:\n    build: .\n    command: ${cmd}\n`,
      Dockerfile: 'FROM python:3.12\nCOPY . /app\nCMD python manage.py runserver 0.0.0.0:8000\n',
      'wait_for_pg.py': 'import time\n',
      'wait.sh': '#!/bin/sh\nexport DJANGO_SETTINGS_MODULE=app.settings\n',
    });
    return r.model.deploy!.units.find((x) => x.name.includes('web'))!;
  };
  it('finds the server after a Python or shell script, and still follows the shell script', () => {
    expect(run('bash -c "python wait_for_pg.py && python manage.py migrate && gunicorn -b 0.0.0.0:8000 app.wsgi"').invocations.map((i) => i.inv.server)).toContain('gunicorn');
    const u = run('sh -c "./wait.sh && gunicorn -b 0.0.0.0:8000 app.wsgi"');
    expect(u.invocations.map((i) => i.inv.server)).toContain('gunicorn');
    expect(u.env.get('DJANGO_SETTINGS_MODULE')?.value).toBe('app.settings');
  });
});

describe('supervisord expansions in a program (dsmr-reader)', () => {
  it('expands %(program_name)s and %(ENV_X)s, so nginx links to the socket', () => {
    const r = analyseFiles({
      'provisioning/supervisor/webinterface.conf': '[program:dsmr_webinterface]\nenvironment=APP_PORT="8123"\ncommand=/usr/bin/gunicorn --bind unix:/var/tmp/gunicorn--%(program_name)s.socket app.wsgi\n',
    });
    const u = r.model.deploy!.units.find((x) => x.via === 'supervisor')!;
    expect(u.invocations[0].inv.binds).toEqual(['unix:/var/tmp/gunicorn--dsmr_webinterface.socket']);
  });
});

describe('a production compose file whose image runs a mode-switch script (securethenews)', () => {
  const script = '#!/bin/bash\nstart() {\n    if [ "${DEPLOY_ENV}" == "dev" ]; then\n        ./manage.py runserver 0.0.0.0:8000\n    else\n        gunicorn shop.wsgi -b 0.0.0.0:8000\n    fi\n}\nstart\n';
  const files = {
    'manage.py': '',
    'shop/__init__.py': '',
    'shop/settings.py': INSECURE,
    'docker/start.sh': script,
    // Named by `build.dockerfile` only; copies the script into a folder of the base image, written without a slash.
    'docker/ProdDjangoDockerfile': 'FROM python:3.12\nCOPY docker/start.sh /usr/local/bin\nWORKDIR /app\nCOPY . /app\nCMD ["/usr/local/bin/start.sh"]\n',
    'prod-docker-compose.yaml': 'services:\n  django:\n    build:\n      context: .\n      dockerfile: docker/ProdDjangoDockerfile\n    environment:\n      DEPLOY_ENV: prod\n      DJANGO_SETTINGS_MODULE: shop.settings\n',
  };
  it('reads the Dockerfile and the script, and the service stays production', () => {
    const { model, result } = analyseFiles(files);
    const svc = model.deploy!.units.find((u) => u.service === 'django')!;
    expect(svc.invocations.map((i) => i.inv.server).sort()).toEqual(['gunicorn', 'runserver']);
    expect(svc.devSignal).toBeUndefined();
    expect(result.findings.filter((f) => f.ruleId === 'django/session-cookie-insecure').map((f) => f.severity)).toEqual(['high']);
  });
});

describe("a Dockerfile's exec form keeps the blanks inside its strings (taskmanager_pro)", () => {
  const servers = (cmd: string) =>
    analyseFiles({ Dockerfile: `FROM python:3.11\n${cmd}\n`, 'shop/settings.py': SECURE }).model.deploy!.units.flatMap((u) => u.invocations.map((i) => `${i.inv.server} ${i.inv.app} ${i.inv.binds.join(',')}`));
  it('reads `sh -c` with a command string', () => {
    expect(servers('CMD ["sh", "-c", "python manage.py migrate && gunicorn shop.wsgi:application --bind 0.0.0.0:8000"]')).toEqual(['gunicorn shop.wsgi:application 0.0.0.0:8000']);
    expect(servers('ENTRYPOINT [ "/bin/bash", "-c", \\\n   "exec gunicorn \\"shop.wsgi\\" -b 0.0.0.0:9000" ]')).toEqual(['gunicorn shop.wsgi 0.0.0.0:9000']);
  });
  it('takes what is not a JSON array of strings for the shell form, as Docker does', () => {
    expect(servers("CMD ['gunicorn', 'shop.wsgi']")).toEqual([]);
    expect(servers('CMD gunicorn shop.wsgi -b 0.0.0.0:8000')).toEqual(['gunicorn shop.wsgi 0.0.0.0:8000']);
  });
});

describe('a host unit runs a script by its absolute path in the checkout (kicker)', () => {
  const files = {
    'conf/supervisor.conf': '[program:shop]\ncommand = /opt/shop/conf/start.sh\n',
    'conf/start.sh': '#!/bin/bash\ncd /opt/shop\nexport DJANGO_SETTINGS_MODULE=shop.settings.prod\nexec gunicorn shop.wsgi --bind unix:/run/shop.sock\n',
    'shop/__init__.py': '',
    'shop/settings/__init__.py': '',
    'shop/settings/prod.py': SECURE,
    'shop/settings/dev.py': INSECURE,
  };
  it('follows the one workspace file that ends in the same folder and name', () => {
    const app = analyseFiles(files).model.deploy!.apps.find((a) => a.inv.server === 'gunicorn')!;
    expect(app.settings).toBe('shop/settings/prod.py');
    expect(app.inv.binds).toEqual(['unix:/run/shop.sock']);
    // systemd's ExecStart the same way.
    const { ['conf/supervisor.conf']: _, ...rest } = files;
    const viaSystemd = analyseFiles({ ...rest, 'conf/shop.service': '[Service]\nExecStart=/opt/shop/conf/start.sh\n' }).model.deploy!.apps;
    expect(viaSystemd.map((a) => a.settings)).toEqual(['shop/settings/prod.py']);
  });
  it('takes no file when two end the same way', () => {
    const apps = analyseFiles({ ...files, 'other/conf/start.sh': '#!/bin/sh\nexec gunicorn other.wsgi\n' }).model.deploy!.apps;
    expect(apps.filter((a) => a.inv.server === 'gunicorn')).toEqual([]);
  });
});

describe('certbot --nginx run by the deployment (galaxy-media-site)', () => {
  const vhost = 'server {\n    listen 80;\n    server_name {{ inventory_hostname }};\n    location / { proxy_pass http://127.0.0.1:8000; }\n}\n';
  const task = (flags: string) => `- name: install the certificate\n  command: >\n    certbot --nginx --noninteractive --agree-tos${flags}\n    -d {{ inventory_hostname }}\n  when: certbot_ssl\n`;
  const playbook = '- hosts: web\n  roles:\n    - role: geerlingguy.nginx\n    - { role: site, tags: site }\n';
  const finding = (files: Record<string, string>) => analyseFiles({ 'deploy/roles/site/templates/nginx.vhost.j2': vhost, 'deploy/prod.yml': playbook, ...files }).result.findings.find((f) => f.ruleId === 'nginx/http-not-redirected')!;

  it('with --redirect the plain server is low, naming the task', () => {
    const f = finding({ 'deploy/roles/site/tasks/main.yml': task(' --redirect') });
    expect(f.severity).toBe('low');
    expect(f.message).toContain('`certbot --nginx` runs at deploy/roles/site/tasks/main.yml:3');
    // Named as a plain list item, or by include_role, it runs as well.
    expect(finding({ 'deploy/prod.yml': '- hosts: web\n  roles:\n    - site\n', 'deploy/roles/site/tasks/main.yml': task(' --redirect') }).severity).toBe('low');
    expect(finding({ 'deploy/prod.yml': '- hosts: web\n  roles: [common, "site"]\n', 'deploy/roles/site/tasks/main.yml': task(' --redirect') }).severity).toBe('low');
    expect(finding({ 'deploy/prod.yml': '- hosts: web\n  tasks:\n    - include_role:\n        name: "site"\n', 'deploy/roles/site/tasks/main.yml': task(' --redirect') }).severity).toBe('low');
  });
  it("a role that no playbook or role names runs nothing (education-website's ssl role)", () => {
    const f = finding({ 'deploy/prod.yml': '- hosts: web\n  roles:\n    - website\n  vars:\n    site_name: x\n', 'deploy/roles/site/tasks/main.yml': task(' --redirect') });
    expect(f.severity).toBe('high');
  });
  it('without it medium, and high with no certbot', () => {
    expect(finding({ 'deploy/roles/site/tasks/main.yml': task('') }).severity).toBe('medium');
    expect(finding({ 'deploy/roles/site/tasks/main.yml': '- name: reload\n  service: name=nginx state=reloaded\n' }).severity).toBe('high');
    expect(finding({ 'deploy/setup.sh': '#!/bin/sh\n# certbot --nginx --redirect -d example.org\n' }).severity).toBe('high');
    // premium_academy: the script prints the step for the operator; it runs nothing.
    expect(finding({ 'deploy/setup.sh': '#!/bin/sh\necho "    2. Set up SSL with:  sudo certbot --nginx -d example.org"\n' }).severity).toBe('high');
    expect(finding({ 'deploy/setup.sh': '#!/bin/sh\nprintf "run certbot --nginx --redirect\\n"\n' }).severity).toBe('high');
    expect(finding({ 'deploy/setup.sh': '#!/bin/sh\nread -p "Now run certbot --nginx --redirect, then press enter" x\n' }).severity).toBe('high');
    expect(finding({ 'deploy/setup.sh': '#!/bin/sh\nset -e\nsudo certbot --nginx -d example.org && echo done\n' }).severity).toBe('medium');
  });
});

describe('the line of a volume whose target a command names first (pycont)', () => {
  it('is the volume line', () => {
    const compose = 'services:\n  proxy:\n    image: nginx:1\n    command: >\n      /bin/sh -c "envsubst\n      < /etc/nginx/conf.d/default.conf.tpl\n      > /etc/nginx/conf.d/default.conf"\n    volumes:\n      - ./nginx/default.prod.conf:/etc/nginx/conf.d/default.conf.tpl\n';
    const r = analyseFiles({ 'docker-compose.prod.yml': compose, 'nginx/default.prod.conf': 'server {\n  listen 80;\n}\n' });
    expect(r.model.roleOf!('nginx/default.prod.conf').why).toContain('docker-compose.prod.yml:9 mounts it');
  });
});

describe('a compose service named for tests beside the production ones (pycont)', () => {
  it('marks only itself as development', () => {
    const compose = (name: string) => `services:\n  api:\n    build: .\n    command: uwsgi --ini uwsgi.ini\n    environment:\n      DJANGO_DEBUG: 0\n  ${name}:\n    build: .\n    command: python manage.py test\n    environment:\n      DJANGO_DEBUG: 1\n`;
    const roles = (name: string) => {
      const units = analyseFiles({ 'docker-compose.prod.yml': compose(name), 'uwsgi.ini': '[uwsgi]\nmodule = app.wsgi\nhttp-socket = :8080\n' }).model.deploy!.units.filter((u) => u.via === 'compose');
      return Object.fromEntries(units.map((u) => [u.service, u.role.role]));
    };
    expect(roles('api-test')).toEqual({ api: 'production', 'api-test': 'development' });
    // Another name: its DEBUG still makes the whole file a development setup.
    expect(roles('worker')).toEqual({ api: 'development', worker: 'development' });
    // A file whose only app server is the development one is a development setup, whatever the service is named.
    const devOnly = analyseFiles({ 'docker-compose.yml': 'services:\n  web-dev:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n  nginx:\n    image: nginx\n    ports: ["80:80"]\n' }).model.deploy!.units.filter((u) => u.via === 'compose');
    expect(devOnly.map((u) => u.role.role)).toEqual(['development', 'development']);
  });
});

describe('the environment a Kubernetes workload gives the app', () => {
  const settings = 'import os\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\nDEBUG = False\nSESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "False") == "True"\n';
  const deployment = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          env:
            - name: SESSION_COOKIE_SECURE
              value: "False"
        - name: web
          image: registry.example.com/shop:1.4
${env}
---
apiVersion: v1
kind: Service
metadata:
  name: web
`;
  const cookie = (env: string) => analyseFiles({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n', 'proj/settings.py': settings, 'k8s/deployment.yaml': deployment(env) }).result.findings.find((f) => f.ruleId === 'django/session-cookie-insecure');
  it('reads the app container env (not a side container\'s)', () => {
    expect(cookie('          env:\n            - name: SESSION_COOKIE_SECURE\n              value: "True"')).toBeUndefined();
    expect(cookie('          env:\n            - name: SESSION_COOKIE_SECURE\n              value: "False"')?.severity).toBe('high');
  });
  it('a value from a Secret, or envFrom, leaves it to the cluster', () => {
    expect(cookie('          env:\n            - name: SESSION_COOKIE_SECURE\n              valueFrom:\n                secretKeyRef: { name: web, key: cookie }')?.severity ?? 'none').not.toBe('high');
    expect(cookie('          envFrom:\n            - configMapRef: { name: web }')?.severity ?? 'none').not.toBe('high');
  });
  it('without an env it judges the code default, as before', () => {
    expect(cookie('          ports: [{ containerPort: 8000 }]')?.severity).toBe('high');
  });
  it('from a folder beside the one Django project of the repository (donation-tracker: tracker_project/manage.py, k8s/)', () => {
    const files = (env: string, extra: Record<string, string> = {}) => ({ 'app/manage.py': '', 'app/proj/settings.py': settings, 'k8s/deployment.yaml': deployment(env), ...extra });
    const secure = '          env:\n            - name: SESSION_COOKIE_SECURE\n              value: "True"';
    const find = (r: ReturnType<typeof analyseFiles>) => r.result.findings.find((f) => f.ruleId === 'django/session-cookie-insecure');
    expect(find(analyseFiles(files(secure)))).toBeUndefined();
    // Two Django projects: a folder beside both belongs to neither by its place.
    expect(find(analyseFiles(files(secure, { 'other/manage.py': '' })))?.severity).toBe('high');
  });
});

describe('Dockerfile stages', () => {
  const settings = `import os
${APPS}DEBUG = os.environ.get("DEBUG", "False") == "True"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = True
`;
  const base = [
    'FROM python:3.11 AS appbase',
    'WORKDIR /app',
    'COPY . .',
    '# collectstatic runs with DEBUG on',
    'ENV DEBUG=True',
    'RUN python manage.py collectstatic --noinput',
    'ENTRYPOINT ["gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:8000"]',
    '',
    'FROM appbase AS development',
    'RUN pip install -r requirements-dev.txt',
    '',
  ].join('\n');
  const files = (dockerfile: string, extra: Record<string, string> = {}) => ({
    'proj/__init__.py': '',
    'proj/settings.py': settings,
    'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    Dockerfile: dockerfile,
    ...extra,
  });

  it('a stage built on another runs its command with its own environment; the base only builds (kerrokantasi)', () => {
    const r = analyseFiles(files(`${base}\nFROM appbase AS production\nENV DEBUG=False\n`));
    expect(cookie(r)).toEqual([]);
    const stages = r.model.deploy!.units.filter((u) => u.via === 'dockerfile');
    expect(stages.map((u) => [u.name, u.role.role, u.invocations.length])).toEqual([
      ['Dockerfile python:3.11 AS appbase', 'production', 0],
      ['Dockerfile appbase AS development', 'development', 1],
      ['Dockerfile appbase AS production', 'production', 1],
    ]);
    expect(stages[1].role.why).toBe('its stage name `development` (Dockerfile:9) marks it');
  });

  it('a compose build that targets the base stage runs it', () => {
    const targeted = analyseFiles(
      files(`${base}\nFROM appbase AS production\nENV DEBUG=False\n`, {
        'docker-compose.yml': 'services:\n  web:\n    build:\n      context: .\n      target: appbase\n    ports: ["8000:8000"]\n',
      }),
    );
    const appbase = targeted.model.deploy!.units.find((u) => u.name.endsWith('AS appbase'))!;
    expect(appbase.invocations.length).toBe(1);
    // Two deployments, DEBUG on in one and off in the other: the cookie flag is not judged on either alone.
    expect(cookie(targeted)).toEqual([]);
    expect(targeted.result.findings.find((f) => f.ruleId === 'django/setting-unresolved')?.message).toMatch(/SESSION_COOKIE_SECURE .*set differently/);
  });

  it('a stage that sets its own command drops the inherited one', () => {
    const r = analyseFiles(files(`${base}\nFROM appbase AS worker\nCMD ["celery", "-A", "proj", "worker"]\n`));
    const worker = r.model.deploy!.units.find((u) => u.name.endsWith('AS worker'))!;
    expect(worker.invocations.map((i) => i.loc.line)).toEqual([13]);
  });
});

describe("a platform manifest's environment reaches the Procfile's processes (role-play)", () => {
  const files = (manifest: Record<string, string>) => ({
    'role_play/__init__.py': '',
    'role_play/settings/__init__.py': '',
    'role_play/settings/base.py': `${APPS}SECRET_KEY = "x"\n`,
    'role_play/settings/production.py': 'from .base import *\nSECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n',
    'role_play/settings/development.py': 'from .base import *\nDEBUG = True\n',
    'role_play/asgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "role_play.settings")\n',
    Procfile: 'web: daphne role_play.asgi:application -b 0.0.0.0 -p $PORT\n',
    ...manifest,
  });
  const loop = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.ruleId === 'cross/ssl-redirect-loop');

  it("fly.toml's [env] names the module the web process runs: the redirect loop behind Fly's proxy is found", () => {
    const r = analyseFiles(files({ 'fly.toml': "app = 'role-play'\n\n[env]\nPORT = '8000'\nDJANGO_SETTINGS_MODULE = \"role_play.settings.production\"\n\n[http_service]\ninternal_port = 8000\nforce_https = true\n" }));
    expect(judged(r)).toEqual(['role_play/settings/production.py']);
    expect(loop(r).map((f) => [f.path, f.line, f.severity])).toEqual([['role_play/settings/production.py', 2, 'high']]);
    const web = r.model.deploy!.units.find((u) => u.name === 'Procfile web')!;
    expect(web.env.get('DJANGO_SETTINGS_MODULE')?.loc.line).toBe(5);
  });

  it("a Heroku app.json's env value does the same; one the dashboard sets is outside", () => {
    const set = analyseFiles(files({ 'app.json': '{\n  "name": "rp",\n  "env": {\n    "DJANGO_SETTINGS_MODULE": {"value": "role_play.settings.production"}\n  }\n}\n' }));
    expect(judged(set)).toEqual(['role_play/settings/production.py']);
    const outside = analyseFiles(files({ 'app.json': '{\n  "name": "rp",\n  "env": {\n    "DJANGO_SETTINGS_MODULE": {"required": true}\n  }\n}\n' }));
    expect(outside.model.deploy!.units.find((u) => u.name === 'Procfile web')!.envOutside?.has('DJANGO_SETTINGS_MODULE')).toBe(true);
  });
});

describe('uWSGI options are cited at their own line', () => {
  it('the settings module an `env =` line names, and a plain-HTTP bind', () => {
    const r = analyseFiles({
      'proj/__init__.py': '',
      'proj/settings/__init__.py': '',
      'proj/settings/production.py': `${APPS}SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n`,
      'proj/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
      'uwsgi.ini': '[uwsgi]\nchdir = /srv/app\nmodule = proj.wsgi:application\nmaster = true\nhttp-socket = :8000\nprocesses = 4\nenv = DJANGO_SETTINGS_MODULE=proj.settings.production\n',
    });
    const ref = r.model.deploy!.settingsRefs.find((x) => x.module === 'proj.settings.production' && x.loc.path === 'uwsgi.ini');
    expect(ref?.loc.line).toBe(7);
    const off = r.result.findings.find((f) => f.ruleId === 'django/hsts-off');
    expect(off?.message).toMatch(/`http-socket=:8000` at uwsgi\.ini:5/);
  });
});

describe('a module the image writes with `RUN cp` (folioblog)', () => {
  const files = (dockerfile: string) => ({
    'folioblog/__init__.py': '',
    'folioblog/settings/__init__.py': '',
    'folioblog/settings/base.py': `${APPS}SECRET_KEY = "x"\n`,
    'folioblog/settings/prod.py': 'from .base import *\nSECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n',
    'folioblog/settings/local.py.dist': '# NOT for production\nDEBUG = True\n',
    'folioblog/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "folioblog.settings.prod")\n',
    'docker/prod/local.py': 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n',
    'docker/prod/Dockerfile': dockerfile,
  });
  const header = (r: ReturnType<typeof analyseFiles>) => r.model.settings.find((s) => s.path === 'folioblog/settings/prod.py')!.get('SECURE_PROXY_SSL_HEADER');

  it('the copied file is the module `from .local import *` reads, not the template beside it', () => {
    const r = analyseFiles(files('FROM python:3.11\nRUN git clone --depth=1 --branch=${VERSION} https://github.com/x/folioblog.git /app\nWORKDIR /app\nRUN cp /app/docker/prod/local.py /app/folioblog/settings/local.py\nCMD ["gunicorn", "folioblog.wsgi", "-b", "0.0.0.0:8000"]\n'));
    expect(header(r).state).toBe('known');
    expect(r.model.deploy!.mappings.some((m) => m.deployed === '/app' && m.workspace === '' && m.loc.line === 2)).toBe(true);
  });

  it('without the copy the template stands in, as before', () => {
    const r = analyseFiles(files('FROM python:3.11\nRUN git clone https://github.com/x/folioblog.git /app\nWORKDIR /app\nCMD ["gunicorn", "folioblog.wsgi", "-b", "0.0.0.0:8000"]\n'));
    expect(header(r).state).toBe('unset');
  });

  it('reads the destination of `git clone`', () => {
    const words = (s: string) => splitShell(s)[0].words;
    expect(cloneDest(words('git clone --depth=1 --branch main https://github.com/a/b.git /app'))).toBe('/app');
    expect(cloneDest(words('git clone -b main -o up https://github.com/a/b.git /srv/b'))).toBe('/srv/b');
    expect(cloneDest(words('git clone https://github.com/a/b.git'))).toBeUndefined();
    expect(cloneDest(words('git log --oneline'))).toBeUndefined();
  });
});

describe("a bare command found on the image's own PATH (signalsift)", () => {
  it('`CMD ["run.sh"]` after `COPY ./scripts /scripts` and `ENV PATH="/scripts:$PATH"` runs scripts/run.sh', () => {
    const r = analyseFiles({
      'app/proj/__init__.py': '',
      'app/proj/settings.py': `${APPS}SECRET_KEY = "x"\n`,
      'app/proj/asgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'scripts/run.sh': '#!/bin/sh\nset -e\npython manage.py migrate\ndaphne -b 0.0.0.0 -p 9000 proj.asgi:application\n',
      Dockerfile: 'FROM python:3.11\nCOPY ./scripts /scripts\nCOPY ./app /app\nWORKDIR /app\nENV PATH="/scripts:/py/bin:$PATH"\nCMD ["run.sh"]\n',
    });
    const image = r.model.deploy!.units.find((u) => u.via === 'dockerfile')!;
    expect(image.invocations.map((i) => [i.inv.server, i.loc.path, i.loc.line])).toEqual([['asgi-server', 'scripts/run.sh', 4]]);
  });
});

describe('Ansible tasks that place files (bongo)', () => {
  const main = 'user www-data;\nevents {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n    include /etc/nginx/sites-enabled/*;\n}\n';
  const site = 'server {\n    listen 443 ssl;\n    server_name {{ site_url }};\n    ssl_certificate /etc/ssl/{{ app }}.crt;\n    ssl_certificate_key /etc/ssl/{{ app }}.key;\n    add_header Strict-Transport-Security "max-age=63072000" always;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n';
  const tasks = (link: string) => `---
- name: Site
  template:
    src: site.j2
    dest: /etc/nginx/sites-available/{{ application_name }}
- name: Global config
  ansible.builtin.template: src=nginx.conf.j2 dest=/etc/nginx/nginx.conf
${link}`;
  const files = (link: string) => ({
    'ansible/roles/web/tasks/setup_nginx.yml': tasks(link),
    'ansible/roles/web/templates/nginx.conf.j2': main,
    'ansible/roles/web/templates/site.j2': site,
  });
  const weak = (r: ReturnType<typeof analyseFiles>) => r.result.findings.filter((f) => f.ruleId === 'nginx/weak-ssl-protocols' || f.ruleId === 'nginx/ssl-protocols-implicit').map((f) => [f.ruleId, f.path, f.line, f.severity]);

  it('the global template is the main config and the linked site its server: the http-level protocols apply', () => {
    const r = analyseFiles(files('- name: Enable\n  command: ln -s /etc/nginx/sites-available/{{application_name}} /etc/nginx/sites-enabled/{{ application_name }} creates=/etc/nginx/sites-enabled/x\n'));
    expect(weak(r)).toEqual([['nginx/weak-ssl-protocols', 'ansible/roles/web/templates/nginx.conf.j2', 4, 'high']]);
  });

  it('a `file` task with state link does the same; without the tasks the http-level setting is low', () => {
    const linked = analyseFiles(files('- file:\n    src: /etc/nginx/sites-available/{{ application_name }}\n    dest: /etc/nginx/sites-enabled/{{ application_name }}\n    state: link\n'));
    expect(weak(linked)[0]).toEqual(['nginx/weak-ssl-protocols', 'ansible/roles/web/templates/nginx.conf.j2', 4, 'high']);
    // Without the tasks nothing says where either template goes: whether a TLS server inherits the setting is not known.
    const { 'ansible/roles/web/tasks/setup_nginx.yml': _tasks, ...templates } = files('');
    expect(weak(analyseFiles(templates))).toEqual([['nginx/weak-ssl-protocols', 'ansible/roles/web/templates/nginx.conf.j2', 4, 'low']]);
  });

  it('reads template, copy and link tasks; a destination folder from a variable is not placed', () => {
    const doc = [{ hosts: 'web', tasks: [
      { template: { src: 'a.j2', dest: '/etc/a.conf' } },
      { 'ansible.builtin.copy': 'src=b.conf dest=/etc/nginx/conf.d/b.conf' },
      { copy: { src: 'c.conf', dest: '{{ conf_dir }}/c.conf' } },
      { shell: 'ln -sf /etc/nginx/sites-available/x /etc/nginx/sites-enabled/x' },
    ] }];
    expect(ansibleTasks(doc)).toEqual([
      { kind: 'link', src: '/etc/nginx/sites-available/x', dest: '/etc/nginx/sites-enabled/x' },
      { kind: 'copy', src: 'b.conf', dest: '/etc/nginx/conf.d/b.conf' },
      { kind: 'template', src: 'a.j2', dest: '/etc/a.conf' },
    ]);
  });
});

describe("a lower-case `dockerfile`, which Docker's builder takes when there is no `Dockerfile` (checkin_system)", () => {
  it('is an entry point, also for the compose service that builds its folder', () => {
    const APPS = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
    const files = {
      'app/manage.py': '',
      'app/proj/settings.py': APPS,
      'app/proj/prod.py': `from .settings import *\nDEBUG = False\n`,
      'app/dockerfile': 'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=proj.prod\nCMD ["gunicorn", "proj.wsgi", "-b", "0.0.0.0:8000"]\n',
      'docker-compose.yml': 'services:\n  web:\n    build: ./app\n    ports: ["8000:8000"]\n',
    };
    const { model, result } = analyseFiles(files);
    expect(model.deploy!.units.some((u) => u.via === 'dockerfile' && u.file === 'app/dockerfile')).toBe(true);
    expect(model.deploy!.units.find((u) => u.via === 'compose')?.builds?.file).toBe('app/dockerfile');
    expect(result.findings.filter((f) => f.ruleId === 'django/session-cookie-insecure').map((f) => f.path)).toEqual(['app/proj/prod.py']);
  });
});

describe("a site an image renders from a copied template (`RUN envsubst < /tmp/x > /etc/nginx/sites-available/x.conf`, bytedeck)", () => {
  it("is what the main config's glob include reads", () => {
    const files = {
      'nginx/Dockerfile': 'FROM nginx:stable\nCOPY nginx.conf /etc/nginx/nginx.conf\nCOPY site.conf.template /tmp/site.conf.template\nRUN envsubst \'${DOMAIN}\' < /tmp/site.conf.template > /etc/nginx/sites-available/site.conf\n',
      'nginx/nginx.conf': 'events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.2;\n    include /etc/nginx/sites-available/*;\n}\n',
      'nginx/site.conf.template': 'server {\n    listen 443 ssl;\n    server_name ${DOMAIN};\n    ssl_certificate /c.pem;\n    ssl_certificate_key /k.pem;\n    add_header Strict-Transport-Security "max-age=63072000" always;\n    location / { return 200; }\n}\n',
    };
    const { model, result } = analyseFiles(files);
    expect(result.findings.filter((f) => f.ruleId === 'nginx/include-unresolved')).toEqual([]);
    const main = model.nginx.configs.find((c) => c.entry === 'nginx/nginx.conf')!;
    expect(main.files).toContain('nginx/site.conf.template');
    // The http level's protocols reach the rendered site's TLS server.
    expect(result.findings.some((f) => f.ruleId === 'nginx/weak-ssl-protocols' && f.path === 'nginx/nginx.conf')).toBe(true);
  });
});

describe('an entry point whose every service is a development setup (choirbackend)', () => {
  it('is listed with the development role, as its findings say', () => {
    const files = {
      'manage.py': '',
      'proj/settings.py': 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n',
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:15\n  web:\n    build: .\n    command: daphne -b 0.0.0.0 -p 8000 proj.asgi:application\n    volumes:\n      - .:/app\n',
      'docker-compose.prod.yml': 'services:\n  web:\n    build: .\n    command: daphne -b 0.0.0.0 -p 8000 proj.asgi:application\n',
    };
    const roles = Object.fromEntries((analyseFiles(files).result.deploymentFiles ?? []).map((f) => [f.path, f.role]));
    expect(roles['docker-compose.yml']).toBe('development');
    expect(roles['docker-compose.prod.yml']).toBe('production');
  });
});
