// Differential test: the options our uwsgi reader sees, against what uWSGI itself reads (`--show-config` prints
// the configuration it loaded, placeholders resolved and includes expanded). A `--chdir` into a missing folder
// stops uWSGI right after it printed the configuration, before it binds any socket.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceText } from '../../src/parsers/source';
import { readUwsgiOptions, type UwsgiReader } from '../../src/model/deploy/uwsgi';

const RULES = path.join(__dirname, '..', 'rules', 'uwsgi');
const CASES = [
  'env-https-no-effect/env_https.ini',
  'env-https-no-effect/uwsgi_scheme.yml',
  'env-https-no-effect/uwsgi_scheme.json',
  'env-https-no-effect/addvar.ini',
  'env-https-no-effect/included/uwsgi.ini',
  'env-https-no-effect/other_section_ok/uwsgi.ini',
  'legacy-tls-enabled/tlsv1.ini',
  'legacy-tls-enabled/placeholder.ini',
  'legacy-tls-enabled/uwsgi_bare_flag.yaml',
  'legacy-tls-enabled/disabled_ok.ini',
  'scheme-forced/uwsgi_http.yml',
  'scheme-forced/trailing_comment_ok.ini',
  'scheme-forced/nginx_plain/uwsgi.ini',
  'include-unresolved/found_ok/uwsgi.ini',
];

const uwsgiPresent = spawnSync('uwsgi', ['--version'], { encoding: 'utf8' }).status === 0;
const MISSING_DIR = '/nonexistent-https-guard-show-config';

function uwsgiSays(file: string): string[] {
  const dir = path.dirname(file);
  const flag = /\.ya?ml$/.test(file) ? '--yaml' : /\.json$/.test(file) ? '--json' : /\.xml$/.test(file) ? '--xml' : '--ini';
  const r = spawnSync('uwsgi', [flag, path.basename(file), '--show-config', '--chdir', MISSING_DIR], { cwd: dir, encoding: 'utf8', timeout: 15_000 });
  const out = `${r.stdout}\n${r.stderr}`.split('\n');
  const start = out.indexOf('[uwsgi]');
  const end = out.indexOf(';end of configuration');
  if (start === -1 || end === -1) throw new Error(`uwsgi printed no configuration for ${file}:\n${out.join('\n').slice(0, 2000)}`);
  return out
    .slice(start + 2, end) // the first line is the option that loaded the file itself
    .filter((l) => l !== 'show-config = true' && l !== `chdir = ${MISSING_DIR}`)
    .map((l) => l.split(`${dir}/`).join(''));
}

function oursSays(file: string): string[] {
  const dir = path.dirname(file);
  const reader: UwsgiReader = {
    read: (rel) => (fs.existsSync(path.join(dir, rel)) ? fs.readFileSync(path.join(dir, rel), 'utf8') : undefined),
    resolve: (_from, raw) => (fs.existsSync(path.join(dir, raw)) ? { rel: raw } : undefined),
    source: (rel) => new SourceText(rel, fs.readFileSync(path.join(dir, rel), 'utf8')),
    problems: [],
    includeProblems: [],
  };
  return readUwsgiOptions(path.basename(file), reader).map((o) => `${o.name} = ${o.value}`);
}

describe.skipIf(!uwsgiPresent && process.env.CI !== 'true')('uwsgi reader against uwsgi --show-config', () => {
  for (const c of CASES) {
    it(`reads ${c} as uWSGI does`, () => {
      const file = path.join(RULES, c);
      expect(oursSays(file)).toEqual(uwsgiSays(file));
    });
  }
});
