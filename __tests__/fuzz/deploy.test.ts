import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeConfig } from '../../src/config';
import { buildDeployModel } from '../../src/model/deploy';
import { interpret } from '../../src/model/deploy/commands';
import { readGunicornConfig } from '../../src/model/deploy/gunicorn';
import { splitShell } from '../../src/model/deploy/shell';
import { buildEdgeFacts, caddyFacts } from '../../src/model/edge';
import { SourceText } from '../../src/parsers/source';
import { checkOutput, expectBounded, fuzz, grammar, lines, scaled } from './harness';
import { PY_TEXT } from './grammars';

// Property tests of the entry-point readers: shell command lines (Dockerfile CMD, compose command, Procfile,
// systemd ExecStart, scripts), gunicorn and uwsgi argv, uwsgi ini/yaml/json/xml, Dockerfile, compose, supervisor,
// gunicorn config, platform files and TLS terminators (Caddy, Traefik, Ingress). Never a throw, every location
// in the file it names, output bounded by the input.

const SHELL_TOKENS = [
  'gunicorn', 'uwsgi', 'uvicorn', 'daphne', 'python', 'python3', 'manage.py', 'runserver', '0.0.0.0:8000', 'celery',
  'exec', 'env', 'sh', '-c', 'bash', 'su-exec', 'gosu', 'app', '--bind', '-b', ':8000', 'unix:/tmp/s.sock', '--workers',
  '--forwarded-allow-ips', '*', '"*"', '--config', '-c', 'gunicorn.conf.py', '--ini', 'uwsgi.ini', '--yaml', '--json',
  '--xml', '--http-socket', '--socket', '-s', '--module', '-w', 'proj.wsgi:application', 'proj.wsgi', '--env',
  'DJANGO_SETTINGS_MODULE=proj.settings', '--settings', 'proj.settings.prod', '--chdir', '/app', '--wsgi-file',
  '--reload', '--proxy-headers', '--pythonpath', 'X=1', '$PORT', '${PORT}', '${PORT:-8000}', '${X:?err}', '$(id -u)',
  '`date`', "'", '"', '\\', '\\"', ';', '&&', '||', '|', '&', '(', ')', '\n', '#', '=', '--', './start.sh', 'bin/run.sh',
  'GUNICORN_CMD_ARGS="--bind 0:80"', '-e', 'FORWARDED_ALLOW_IPS=*', 'python -m gunicorn', '--http', '--https',
];
const SHELL_TEXT = grammar(SHELL_TOKENS, 40);


const INI_TOKENS = ['[uwsgi]', '[other]', '[', ']', 'ini = ', 'include = ', 'inherit = ', 'socket = ', 'http-socket = ', ':8000', 'module = ', 'proj.wsgi:application', '%(x)', '%(', '%d', '%n', 'x = ', 'env = ', 'HTTPS=on', 'UWSGI_SCHEME=https', '$(ENV)', '@(file)', 'if-env = X', 'endif =', 'if-exists = f', 'for = a b', 'endfor =', 'route-if = ', 'addvar:HTTPS=on', ';', '#', '=', ' ', '\n', 'uwsgi.ini', 'b.ini', 'uwsgi.yaml', ':other', 'master = true', 'https = :443,cert,key', 'ssl-enable-tlsv1 = 1'];
const YAML_TOKENS = ['uwsgi:', 'other:', '  ', '- ', 'socket: ', ':8000', 'ini: ', 'yaml: ', 'b.ini', '#', '"', "'", '{', '}', '[', ']', '&a', '*a', '<<: *a', '---', '...', '|', '>', 'env: HTTPS=on', '\n', ': ', 'module: proj.wsgi', '%(x)'];
const JSON_TOKENS = ['{', '}', '[', ']', '"uwsgi"', '"socket"', '":8000"', ':', ',', '"ini"', '"b.ini"', 'true', 'null', '1', '"', '\\', '\\u00', '\n', ' '];
const XML_TOKENS = ['<uwsgi>', '</uwsgi>', '<uwsgi id="other">', '<socket>', '</socket>', ':8000', '<ini>', '</ini>', 'b.ini', '<![CDATA[', ']]>', '<!--', '-->', '&amp;', '&#x0;', '&lt;', '<', '>', '/>', '"', '=', '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY a "aaaa">]>', '&a;', '\n'];
const DOCKER_TOKENS = ['FROM python:3.12 AS base', 'FROM base', 'RUN ', 'CMD ', 'ENTRYPOINT ', 'ENV ', 'ARG ', 'COPY ', 'ADD ', 'WORKDIR ', 'EXPOSE 8000', 'USER app', 'LABEL a=b', 'HEALTHCHECK ', 'SHELL ["/bin/sh","-c"]', 'ONBUILD ', '--from=base', '--chown=a:b', '. /app', 'nginx.conf /etc/nginx/conf.d/default.conf', 'uwsgi.ini /app/', '["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]', '["uwsgi", "--ini", "uwsgi.ini"]', '[', ']', '"', ',', 'DJANGO_SETTINGS_MODULE=proj.settings', 'DJANGO_SETTINGS_MODULE proj.settings', '$X', '${X:-y}', '\\', '\\\n', '# escape=`', '`', '<<EOF', 'EOF', '#', '\n', ...SHELL_TOKENS.slice(0, 30)];
const COMPOSE_TOKENS = ['services:', 'version: "3"', '  web:', '  nginx:', '    image: nginx:1.25', '    image: ', '    build: .', '    build:', '      context: .', '      dockerfile: Dockerfile', '    command: ', '    entrypoint: ', '    environment:', '      - DJANGO_SETTINGS_MODULE=proj.settings', '      - SECRET', '      DEBUG: "1"', '    env_file: .env', '    ports:', '      - "80:80"', '      - 127.0.0.1:8000:8000', '      - target: 443', '        published: 443', '    volumes:', '      - ./nginx.conf:/etc/nginx/nginx.conf:ro', '      - .:/app', '    working_dir: /app', '    labels:', '      - traefik.http.routers.x.tls=true', '&x', '*x', '<<: *x', '- ', ': ', '{', '}', '[', ']', '"', "'", '\n', '  ', '#', '!!binary', '!!python/object', '? ', '|', ...SHELL_TOKENS.slice(0, 20)];
const UNIT_TOKENS = ['[Unit]', '[Service]', '[program:web]', '[supervisord]', 'ExecStart=', 'ExecStart=-', 'ExecStart=@', 'Environment=', 'Environment="A=1" B=2', 'WorkingDirectory=/app', 'command=', 'environment=', 'DJANGO_SETTINGS_MODULE="proj.settings"', 'directory=/app', 'web: ', 'worker: ', 'release: ', ' \u2028', '%(ENV_X)s', '\\', '\n', ...SHELL_TOKENS.slice(0, 40)];
const CADDY_TOKENS = ['example.com {', 'http://example.com {', ':80 {', '}', '{', 'reverse_proxy web:8000', 'reverse_proxy', 'auto_https off', 'auto_https disable_redirects', 'header Strict-Transport-Security "max-age=31536000"', 'header {', 'tls internal', '#', '"', '\n', '  ', 'redir https://{host}{uri}'];
const TRAEFIK_TOKENS = ['entryPoints:', '  web:', '    address: ":80"', '    http:', '      redirections:', '        entryPoint:', '          to: websecure', '          scheme: https', 'certResolver: le', 'tls: {}', 'stsSeconds: 31536000', 'kind: Ingress', 'tls:', '  - hosts:', 'spec:', '\n', '  ', '#', ':', '='];
const PLATFORM_TOKENS = ['{', '}', '"env"', ':', '{"value": "1"}', '"DJANGO_SETTINGS_MODULE"', '"proj.settings"', '{"required": true}', '{"generator": "secret"}', ',', '"', '[', ']', 'null', '\n', '[env]', 'PORT = "8080"', '[http_service]', 'force_https = true', 'services:', '- type: web', 'envVars:'];

const FILES: [string, fc.Arbitrary<string>][] = [
  ['Dockerfile', lines(DOCKER_TOKENS, 14, 6)],
  ['web/Dockerfile.prod', lines(DOCKER_TOKENS, 10, 6)],
  ['docker-compose.yml', lines(COMPOSE_TOKENS, 20, 4)],
  ['compose.override.yaml', lines(COMPOSE_TOKENS, 10, 4)],
  ['Procfile', lines(UNIT_TOKENS, 6, 6)],
  ['deploy/app.service', lines(UNIT_TOKENS, 10, 5)],
  ['deploy/supervisord.conf', lines(UNIT_TOKENS, 10, 5)],
  ['uwsgi.ini', lines(INI_TOKENS, 12, 5)],
  ['b.ini', lines(INI_TOKENS, 8, 5)],
  ['uwsgi.yaml', lines(YAML_TOKENS, 10, 6)],
  ['uwsgi.json', grammar(JSON_TOKENS, 40)],
  ['uwsgi.xml', lines(XML_TOKENS, 8, 6)],
  ['gunicorn.conf.py', PY_TEXT],
  ['start.sh', lines(SHELL_TOKENS, 10, 8)],
  ['proj/wsgi.py', PY_TEXT],
  ['manage.py', PY_TEXT],
  ['app.json', grammar(PLATFORM_TOKENS, 30)],
  ['fly.toml', lines(PLATFORM_TOKENS, 8, 4)],
  ['Caddyfile', lines(CADDY_TOKENS, 10, 4)],
  ['traefik/traefik.yml', lines(TRAEFIK_TOKENS, 10, 4)],
  ['k8s/ingress.yaml', lines(TRAEFIK_TOKENS, 10, 4)],
];

/** A workspace of 1–6 deployment files, each made of its own format's tokens. */
const WORKSPACE = fc
  .subarray(FILES.map((_, i) => i), { minLength: 1, maxLength: 6 })
  .chain((idx) => fc.tuple(...idx.map((i) => FILES[i][1].map((t) => [FILES[i][0], t] as [string, string]))));

/** As the engine hands them over: classified kinds keep their text, other deployment files get LF line ends. */
const engineText = (p: string, t: string) => (/\.(py|ini)$/.test(p) ? t : t.replace(/\r\n?/g, '\n'));

describe('entry-point readers (fuzz)', () => {
  it('shell splitter and command interpretation (gunicorn, uwsgi, asgi, manage.py argv)', () => {
    const env = (name: string) => (name === 'PORT' ? '8000' : name === 'LONG' ? 'x'.repeat(100) : undefined);
    const runs = fuzz('splitShell/interpret', SHELL_TEXT, (text) => {
      const cmds = splitShell(text, env);
      let size = 0;
      for (const c of cmds) {
        expect(c.offset >= 0 && c.offset <= text.length, `offset ${c.offset}`).toBe(true);
        size += c.words.join(' ').length;
        const inv = interpret(c.words, env);
        if (inv) size += checkOutput(inv, new Map(), 'interpret');
      }
      expectBounded(size, text.length, 60, 'splitShell');
    }, 35_000);
    expect(runs).toBe(scaled(35_000));
  });

  it('gunicorn config files', () => {
    const runs = fuzz('readGunicornConfig', PY_TEXT, (text) => {
      const path = 'gunicorn.conf.py';
      const r = readGunicornConfig(new SourceText(path, text));
      expectBounded(checkOutput(r, new Map([[path, text]]), 'readGunicornConfig'), text.length, 40, 'readGunicornConfig');
    }, 3_000);
    expect(runs).toBe(scaled(3_000));
  });

  it('Caddyfiles', () => {
    const runs = fuzz('caddyFacts', lines(CADDY_TOKENS, 14, 5), (text) => void caddyFacts(text), 15_000);
    expect(runs).toBe(scaled(15_000));
  });

  it('whole entry-point model: Dockerfile, compose, Procfile, systemd, supervisor, uwsgi, gunicorn, platforms, edges', () => {
    let units = 0;
    const runs = fuzz('buildDeployModel', WORKSPACE, (entries) => {
      const files = new Map(entries.map(([p, t]) => [p, engineText(p, t)]));
      const paths = [...files.keys()];
      const wsgi = paths.filter((p) => p.endsWith('wsgi.py')).map((p) => ({ path: p, text: files.get(p)! }));
      const model = buildDeployModel({ files: paths, readText: (p) => files.get(p), roles: {}, wsgi });
      units += model.units.length;
      for (const p of [...model.problems, ...model.uwsgiIncludeProblems]) {
        expect(files.has(p.loc.path), `problem in ${p.loc.path}`).toBe(true);
        expect(p.loc.line).toBeGreaterThanOrEqual(1);
      }
      for (const p of paths) model.roleOf(p);
      const inputLength = entries.reduce((n, [, t]) => n + t.length, 0);
      expectBounded(checkOutput(model, files, 'buildDeployModel'), inputLength, 80, 'buildDeployModel');
      const edge = buildEdgeFacts({
        root: '/nonexistent', files: [{ path: 'x/settings.py', kind: 'django-settings', text: '' }], config: mergeConfig({}),
        readModule: () => undefined, pythonFiles: [], allFiles: paths, readText: (p) => files.get(p),
      });
      checkOutput(edge, files, 'buildEdgeFacts');
    }, 4_000);
    expect(runs).toBe(scaled(4_000));
    // The generator reaches the readers: many workspaces start something.
    expect(units).toBeGreaterThan(scaled(1_000));
  });
});
