// What uWSGI and gunicorn really report as wsgi.url_scheme, against the verdicts of the uwsgi and gunicorn rules on
// their own fixtures. Each server runs on 127.0.0.x with a kernel-chosen port, bounded in time, and is always
// stopped. Without the binaries the suite is skipped, except in CI (CI=true), where that is a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { SourceText } from '../../src/parsers/source';
import { readUwsgiOptions, type UwsgiReader } from '../../src/model/deploy/uwsgi';

const RULES = path.join(__dirname, '..', 'rules');
const CI = process.env.CI === 'true';
const GUNICORN = fs.existsSync('/usr/bin/gunicorn') ? '/usr/bin/gunicorn' : 'gunicorn';
const runs = (bin: string, args: string[]) => spawnSync(bin, args, { encoding: 'utf8', timeout: 10_000 }).status === 0;
const haveUwsgi = runs('uwsgi', ['--plugin', 'python3', '--version']);
const haveGunicorn = runs(GUNICORN, ['--version']);
const START_MS = 15_000;

const APP = `def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [environ['wsgi.url_scheme'].encode()]
`;

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-appserver-'));
  fs.writeFileSync(path.join(dir, 'app.py'), APP);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts a server, waits for `listening` in its output, and returns the address; the caller must stop() it. */
async function start(bin: string, args: string[], listening: RegExp, env: Record<string, string> = {}): Promise<{ addr: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const hard = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      child.kill('SIGTERM');
    });
  try {
    const addr = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${bin} did not start within ${START_MS} ms:\n${out.slice(-2000)}`)), START_MS);
      const onData = (b: Buffer) => {
        out += b.toString();
        const m = listening.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${bin} exited (${code}) before listening:\n${out.slice(-2000)}`));
      });
    });
    return { addr, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A plain-HTTP GET with the given headers from `from` (a loopback address), with retries while workers boot. */
async function scheme(addr: string, headers: Record<string, string> = {}, from = '127.0.0.1'): Promise<string> {
  const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const req = http.get({ host, port, path: '/', headers, localAddress: from, timeout: 5_000 }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(body));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
      });
    } catch (e) {
      if (attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function fires(ruleId: string, fixture: string): boolean {
  const abs = path.join(RULES, ruleId, fixture);
  const isDir = fs.statSync(abs).isDirectory();
  const { result } = analyse({ root: isDir ? abs : path.dirname(abs), paths: isDir ? undefined : [fixture] });
  return result.findings.some((f) => f.ruleId === ruleId);
}

/** The fixture's env / route options as uWSGI would read them (listeners and the app are the test's own). */
function uwsgiArgs(file: string): string[] {
  const d = path.dirname(file);
  const reader: UwsgiReader = {
    read: (rel) => (fs.existsSync(path.join(d, rel)) ? fs.readFileSync(path.join(d, rel), 'utf8') : undefined),
    resolve: (_f, raw) => (fs.existsSync(path.join(d, raw)) ? { rel: raw } : undefined),
    source: (rel) => new SourceText(rel, fs.readFileSync(path.join(d, rel), 'utf8')),
    problems: [],
    includeProblems: [],
  };
  return readUwsgiOptions(path.basename(file), reader)
    .filter((o) => (o.name === 'env' || o.name === 'route-run') && !o.conditional)
    .flatMap((o) => [`--${o.name}`, o.value]);
}

describe.skipIf(!haveUwsgi && !CI)('uWSGI: wsgi.url_scheme of a plain-HTTP request', () => {
  it('uwsgi and its python3 plugin are installed', () => expect(haveUwsgi).toBe(true));

  // Where the rule fires, the claim is checked: `env`/`addvar` leave the scheme at http, setscheme:https makes it
  // https on plain HTTP. Where it does not fire, the opposite holds.
  const cases: [string, string, (scheme: string, fired: boolean) => void][] = [
    ['uwsgi/env-https-no-effect', 'env_https.ini', (s, f) => expect([f, s]).toEqual([true, 'http'])],
    ['uwsgi/env-https-no-effect', 'uwsgi_scheme.yml', (s, f) => expect([f, s]).toEqual([true, 'http'])],
    ['uwsgi/env-https-no-effect', 'uwsgi_scheme.json', (s, f) => expect([f, s]).toEqual([true, 'http'])],
    ['uwsgi/env-https-no-effect', 'addvar.ini', (s, f) => expect([f, s]).toEqual([true, 'http'])],
    ['uwsgi/env-https-no-effect', 'setscheme_ok.ini', (s, f) => expect([f, s]).toEqual([false, 'https'])],
    ['uwsgi/scheme-forced', 'uwsgi_http.yml', (s, f) => expect([f, s]).toEqual([true, 'https'])],
    ['uwsgi/scheme-forced', 'trailing_comment_ok.ini', (s, f) => expect([f, s === 'https']).toEqual([false, false])],
    ['uwsgi/scheme-forced', 'conditional_ok/uwsgi.ini', (s, f) => expect([f, s]).toEqual([false, 'http'])],
  ];
  for (const [rule, fixture, check] of cases) {
    it(`${rule} on ${fixture} agrees with uWSGI`, async () => {
      const file = path.join(RULES, rule, fixture);
      const server = await start(
        'uwsgi',
        ['--plugin', 'python3', '--http-socket', '127.0.0.1:0', '--wsgi-file', path.join(dir, 'app.py'), ...uwsgiArgs(file)],
        /bound to TCP address (127\.0\.0\.1:\d+)/,
      );
      try {
        check(await scheme(server.addr), fires(rule, fixture));
      } finally {
        await server.stop();
      }
    }, 60_000);
  }
});

describe.skipIf(!haveGunicorn && !CI)('gunicorn: wsgi.url_scheme with X-Forwarded-Proto: https', () => {
  it('gunicorn is installed', () => expect(haveGunicorn).toBe(true));

  // The fixture's config file as gunicorn reads it; -b on the command line overrides its bind.
  const cases: [string, string, string, (scheme: string, fired: boolean) => void][] = [
    // Spoofable: a peer that is not the proxy (127.0.0.3) is believed with '*'.
    ['gunicorn/forwarded-proto-spoofable', 'nginx_no_header', 'gunicorn.conf.py', (s, f) => expect([f, s]).toEqual([true, 'https'])],
    ['gunicorn/forwarded-proto-spoofable', 'listed_proxy_ok', 'gunicorn.conf.py', (s, f) => expect([f, s]).toEqual([false, 'http'])],
    // Never matches: a mixed-case key leaves the scheme at http even from a trusted peer ('*').
    ['gunicorn/secure-scheme-headers-unmatched', 'lower_case', 'gunicorn.conf.py', (s, f) => expect([f, s]).toEqual([true, 'http'])],
  ];
  for (const [rule, fixture, conf, check] of cases) {
    it(`${rule} on ${fixture} agrees with gunicorn`, async () => {
      const server = await start(
        GUNICORN,
        ['-c', path.join(RULES, rule, fixture, conf), '-b', '127.0.0.2:0', '--chdir', dir, '-w', '1', 'app:application'],
        /Listening at: http:\/\/(127\.0\.0\.2:\d+)/,
      );
      try {
        check(await scheme(server.addr, { 'X-Forwarded-Proto': 'https' }, '127.0.0.3'), fires(rule, fixture));
      } finally {
        await server.stop();
      }
    }, 60_000);
  }

  it('GUNICORN_CMD_ARGS from a compose file: the value the model reads makes gunicorn believe any peer', async () => {
    const root = path.join(RULES, 'gunicorn/forwarded-proto-spoofable/cmd_args_env');
    const { model } = analyse({ root });
    const value = model.deploy!.units.find((u) => u.env.has('GUNICORN_CMD_ARGS'))!.env.get('GUNICORN_CMD_ARGS')!.value;
    // Its bind is replaced by a loopback one on the command line (which wins over GUNICORN_CMD_ARGS).
    const server = await start(GUNICORN, ['-b', '127.0.0.2:0', '--chdir', dir, '-w', '1', 'app:application'], /Listening at: http:\/\/(127\.0\.0\.2:\d+)/, { GUNICORN_CMD_ARGS: value.replace(/--bind \S+/, '') });
    try {
      expect([fires('gunicorn/forwarded-proto-spoofable', 'cmd_args_env'), await scheme(server.addr, { 'X-Forwarded-Proto': 'https' }, '127.0.0.3')]).toEqual([true, 'https']);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('an upper-case key from the default trusted peer (127.0.0.1) is believed', async () => {
    const server = await start(
      GUNICORN,
      ['-c', path.join(RULES, 'gunicorn/secure-scheme-headers-unmatched/upper_ok/gunicorn.conf.py'), '-b', '127.0.0.1:0', '--chdir', dir, '-w', '1', 'app:application'],
      /Listening at: http:\/\/(127\.0\.0\.1:\d+)/,
    );
    try {
      expect([fires('gunicorn/secure-scheme-headers-unmatched', 'upper_ok'), await scheme(server.addr, { 'X-Forwarded-Proto': 'https' })]).toEqual([false, 'https']);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

const PY = '/usr/bin/python3';
const haveDaphne = runs(PY, ['-c', 'import daphne.cli']);
const haveUvicorn = runs(PY, ['-c', 'import uvicorn']);

const ASGI_APP = `async def application(scope, receive, send):
    if scope['type'] != 'http':
        return
    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/plain')]})
    await send({'type': 'http.response.body', 'body': scope['scheme'].encode()})
`;

/**
 * The fixture's ASGI server command (compose `command:` or systemd `ExecStart=`) and the FORWARDED_ALLOW_IPS its
 * compose file sets, with the listen options and the app replaced by the test's own.
 */
function asgiCommand(fixture: string): { kind: string; args: string[]; env: Record<string, string>; headers: Record<string, string> } {
  const root = path.join(RULES, 'cross/django-sees-http', fixture);
  const compose = path.join(root, 'docker-compose.yml');
  const text = fs.existsSync(compose) ? fs.readFileSync(compose, 'utf8') : fs.readFileSync(path.join(root, 'deploy/app.service'), 'utf8');
  const line = /(?:command: |ExecStart=)(.*)/.exec(text)![1].split(/\s+/);
  const kind = path.basename(line[0]);
  const args: string[] = [];
  for (let i = 1; i < line.length; i++) {
    if (['-b', '--bind', '--host', '-p', '--port'].includes(line[i])) i++;
    else if (!/^[\w.]+:\w+$/.test(line[i])) args.push(line[i]);
  }
  const allow = /FORWARDED_ALLOW_IPS: "?([^"\n]*)"?/.exec(text);
  // What the fixture's nginx sends with an HTTPS request.
  const nginx = fs.readFileSync(path.join(root, 'nginx.conf'), 'utf8');
  const headers: Record<string, string> = { 'X-Forwarded-Proto': 'https' };
  if (nginx.includes('X-Forwarded-For $proxy_add_x_forwarded_for')) headers['X-Forwarded-For'] = '203.0.113.7';
  return { kind, args, env: allow && !allow[1].includes('$') ? { FORWARDED_ALLOW_IPS: allow[1] } : {}, headers };
}

describe.skipIf(!(haveDaphne && haveUvicorn) && !CI)("daphne and uvicorn: the ASGI scope's scheme with X-Forwarded-Proto: https", () => {
  it('daphne and uvicorn are installed for /usr/bin/python3', () => expect([haveDaphne, haveUvicorn]).toEqual([true, true]));

  beforeAll(() => fs.writeFileSync(path.join(dir, 'asgi_app.py'), ASGI_APP));

  // Where cross/django-sees-http fires, the server sets http for an HTTPS request nginx forwards with the headers
  // the fixture's nginx sets; where it does not, https. nginx in another container is peer 127.0.0.3, nginx on the
  // same machine 127.0.0.1 (the servers' default trust).
  const cases: [string, string][] = [
    ['daphne_no_proxy_headers', '127.0.0.1'],
    ['daphne_proxy_headers_ok', '127.0.0.3'],
    // daphne reads X-Forwarded-Proto only on a request that carries X-Forwarded-For too.
    ['daphne_proxy_headers_no_forwarded_for', '127.0.0.3'],
    ['uvicorn_other_container', '127.0.0.3'],
    ['uvicorn_forwarded_allow_all_ok', '127.0.0.3'],
    ['uvicorn_loopback_ok', '127.0.0.1'],
    ['uvicorn_no_proxy_headers', '127.0.0.1'],
  ];
  for (const [fixture, from] of cases) {
    it(`cross/django-sees-http on ${fixture} agrees with the server`, async () => {
      const { kind, args, env, headers } = asgiCommand(fixture);
      const server =
        kind === 'daphne'
          ? await start(PY, ['-m', 'daphne', ...args, '-b', '127.0.0.2', '-p', '0', 'asgi_app:application'], /Listening on TCP address (127\.0\.0\.2:\d+)/, env)
          : await start(PY, ['-m', 'uvicorn', ...args, '--host', '127.0.0.2', '--port', '0', 'asgi_app:application'], /running on http:\/\/(127\.0\.0\.2:\d+)/, env);
      try {
        const seen = await scheme(server.addr, headers, from);
        expect([fires('cross/django-sees-http', fixture), seen]).toEqual(seen === 'http' ? [true, 'http'] : [false, 'https']);
      } finally {
        await server.stop();
      }
    }, 60_000);
  }
});
