import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  detectNginxPrefix, expandNginxGlob, findNginxDirectives, loadNginxConfig, resolveNginxInclude, workspaceAccess,
  type LoadNginxOptions, type NginxDirective,
} from '../../../src/parsers/nginx';

/** A workspace in memory; records every path the loader asks to read. */
function memfs(files: Record<string, string>) {
  const reads: string[] = [];
  const dirs = new Map<string, Set<string>>();
  for (const f of Object.keys(files)) {
    const parts = f.split('/');
    for (let k = 0; k < parts.length; k++) {
      const dir = parts.slice(0, k).join('/');
      if (!dirs.has(dir)) dirs.set(dir, new Set());
      dirs.get(dir)?.add(k === parts.length - 1 ? parts[k] : `${parts[k]}/`);
    }
  }
  return {
    reads,
    readFile: (p: string) => {
      reads.push(p);
      return files[p];
    },
    listDir: (p: string) => (dirs.has(p) ? [...(dirs.get(p) as Set<string>)] : undefined),
  };
}

function load(files: Record<string, string>, entry: string, extra: Partial<LoadNginxOptions> = {}) {
  const fsys = memfs(files);
  const config = loadNginxConfig({ root: '/nonexistent', entry, readFile: fsys.readFile, listDir: fsys.listDir, ...extra });
  return { ...config, reads: fsys.reads };
}

function forEach(ds: NginxDirective[], f: (d: NginxDirective) => void) {
  const stack = [...ds];
  while (stack.length > 0) {
    const d = stack.pop() as NginxDirective;
    f(d);
    for (const c of d.block ?? []) stack.push(c);
  }
}

const names = (ds: NginxDirective[]) => ds.map((d) => [d.name, ...d.args.map((a) => a.value)].join(' '));
const problems = (c: { problems: { kind: string; level: string; loc: { path: string; line: number }; message: string }[] }) =>
  c.problems.map((p) => `${p.kind}/${p.level} ${p.loc.path}:${p.loc.line} ${p.message}`);

describe('include resolution', () => {
  const site = {
    'deploy/nginx/nginx.conf': 'events {}\nhttp {\n    include mime.types;\n    include sites-enabled/*.conf;\n}\n',
    'deploy/nginx/mime.types': 'types { text/html html; }\n',
    'deploy/nginx/sites-enabled/b.conf': 'server { listen 81; }\n',
    'deploy/nginx/sites-enabled/a.conf': 'server {\n    listen 443 ssl;\n    include snippets/ssl.conf;\n}\n',
    'deploy/nginx/sites-enabled/c.conf.disabled': 'server { listen 82; }\n',
    'deploy/nginx/sites-enabled/.hidden.conf': 'server { listen 83; }\n',
    'deploy/nginx/snippets/ssl.conf': 'ssl_protocols TLSv1.2 TLSv1.3;\n',
    // the same relative name next to the including file must NOT be used
    'deploy/nginx/sites-enabled/snippets/ssl.conf': 'ssl_protocols SSLv3;\n',
  };

  it('resolves relative paths against the conf prefix, not the including file, and expands in place', () => {
    const c = load(site, 'deploy/nginx/nginx.conf');
    expect(c.prefix).toBe('deploy/nginx');
    expect(c.kind).toBe('main');
    expect(problems(c)).toEqual([]);
    const http = c.directives[1];
    expect(names(http.block ?? [])).toEqual(['types', 'server', 'server']);
    const [a, b] = (http.block ?? []).slice(1);
    expect(names(a.block ?? [])).toEqual(['listen 443 ssl', 'ssl_protocols TLSv1.2 TLSv1.3']);
    expect(names(b.block ?? [])).toEqual(['listen 81']);
    expect(c.files).toEqual([
      'deploy/nginx/nginx.conf', 'deploy/nginx/mime.types', 'deploy/nginx/sites-enabled/a.conf',
      'deploy/nginx/snippets/ssl.conf', 'deploy/nginx/sites-enabled/b.conf',
    ]);
  });

  it('links included directives to the includer: parent, file, includedFrom chain', () => {
    const c = load(site, 'deploy/nginx/nginx.conf');
    const [proto] = findNginxDirectives(c.directives, 'ssl_protocols');
    expect(proto.file).toBe('deploy/nginx/snippets/ssl.conf');
    expect(proto.loc).toMatchObject({ path: 'deploy/nginx/snippets/ssl.conf', line: 1, column: 1 });
    expect(proto.parent?.name).toBe('server');
    expect(proto.parent?.parent?.name).toBe('http');
    expect(proto.includedFrom?.args[0].value).toBe('snippets/ssl.conf');
    expect(proto.includedFrom?.file).toBe('deploy/nginx/sites-enabled/a.conf');
    expect(proto.includedFrom?.includedFrom?.args[0].value).toBe('sites-enabled/*.conf');
    expect(proto.includedFrom?.includedFrom?.includedFrom).toBeUndefined();
    // directives of the entry itself carry no includedFrom, and no include directive is left in the tree
    expect(c.directives[1].includedFrom).toBeUndefined();
    expect(findNginxDirectives(c.directives, 'include')).toEqual([]);
  });

  it('expands globs sorted, skipping dot files, and reports a directory match', () => {
    const files = {
      'nginx.conf': 'events {}\nhttp { include conf.d/*.conf; include conf.d/[ab]?.conf; }\n',
      'conf.d/b.conf': 'b;', 'conf.d/a.conf': 'a;', 'conf.d/A.conf': 'A;', 'conf.d/c.conf': 'c;',
      'conf.d/.x.conf': 'hidden;', 'conf.d/ab.conf': 'ab;', 'conf.d/sub.conf/x': 'x;',
    };
    const c = load(files, 'nginx.conf');
    // ab.conf, matched again in the same block, is expanded once (nginx would repeat its directives).
    expect(names(c.directives[1].block ?? [])).toEqual(['A', 'a', 'ab', 'b', 'c']);
    expect(problems(c)).toEqual([
      'unreadable/error nginx.conf:2 include "conf.d/*.conf" matches the directory "conf.d/sub.conf", which nginx cannot read as a file',
    ]);
    expect(expandNginxGlob('x/*/y.conf', memfs({ 'x/1/y.conf': '', 'x/2/y.conf': '', 'x/2/z.conf': '' }).listDir).files).toEqual([
      'x/1/y.conf', 'x/2/y.conf',
    ]);
  });

  it('does not report a dated or backup copy kept beside the sites as an unreadable match (stringkeepeer)', () => {
    const files = {
      'nginx.conf': 'events {}\nhttp { include sites-enabled/*; }\n',
      'sites-enabled/site': 'server { listen 80; }',
      'sites-enabled/201222/site': 'server { listen 80; }',
      'sites-enabled/backup/site': 'server { listen 80; }',
      'sites-enabled/extra/site': 'server { listen 80; }',
    };
    expect(problems(load(files, 'nginx.conf'))).toEqual([
      'unreadable/error nginx.conf:2 include "sites-enabled/*" matches the directory "sites-enabled/extra", which nginx cannot read as a file',
    ]);
  });

  it('maps /etc/nginx/... and other install prefixes onto the detected prefix', () => {
    const files = {
      'etc/nginx/nginx.conf': 'events {}\nhttp { include /etc/nginx/conf.d/*.conf; include /usr/local/nginx/conf/x.conf; }\n',
      'etc/nginx/conf.d/app.conf': 'server { listen 80; }',
      'etc/nginx/x.conf': 'x;',
    };
    const c = load(files, 'etc/nginx/nginx.conf');
    expect(names(c.directives[1].block ?? [])).toEqual(['server', 'x']);
    expect(resolveNginxInclude('/etc/nginx/snippets/a.conf', 'deploy/nginx')).toEqual({ rel: 'deploy/nginx/snippets/a.conf' });
    expect(resolveNginxInclude('/usr/local/openresty/nginx/conf/a.conf', '')).toEqual({ rel: 'a.conf' });
    expect(resolveNginxInclude('snippets/../a.conf', 'n')).toEqual({ rel: 'n/a.conf' });
  });

  it('refuses paths outside the workspace without reading them', () => {
    const files = {
      'nginx.conf': 'events {}\nhttp {\ninclude /etc/passwd;\ninclude ../../../etc/shadow;\ninclude /etc/nginx/../../etc/hosts;\n}\n',
    };
    const c = load(files, 'nginx.conf');
    expect(problems(c)).toEqual([
      'outside/warning nginx.conf:3 include "/etc/passwd" is outside the workspace, not read',
      'outside/warning nginx.conf:4 include "../../../etc/shadow" is outside the workspace, not read',
      'outside/warning nginx.conf:5 include "/etc/nginx/../../etc/hosts" is outside the workspace, not read',
    ]);
    expect(c.reads).toEqual(['nginx.conf']);
  });

  it('reports a missing file as nginx does, a glob matching nothing as info, a packaged file as info', () => {
    const files = {
      'nginx.conf': 'events {}\nhttp {\ninclude snippets/missing.conf;\ninclude conf.d/*.conf;\ninclude /etc/nginx/uwsgi_params;\n}\n',
    };
    const c = load(files, 'nginx.conf');
    expect(problems(c)).toEqual([
      'missing/error nginx.conf:3 open() "snippets/missing.conf" failed (No such file or directory): "snippets/missing.conf" is not in the workspace',
      'missing/info nginx.conf:4 include "conf.d/*.conf" matches no file in the workspace (nginx accepts an empty match)',
      'missing/info nginx.conf:5 open() "/etc/nginx/uwsgi_params" failed (No such file or directory): "uwsgi_params" is not in the workspace; nginx packages install this file',
    ]);
    expect(c.problems[2].packaged).toBe(true);
  });

  it('names the cycle of an include loop and stops', () => {
    const files = {
      'nginx.conf': 'events {}\nhttp { include a.conf; }\n',
      'a.conf': 'a;\ninclude b.conf;\n',
      'b.conf': 'b;\ninclude a.conf;\ninclude b.conf;\n',
    };
    const c = load(files, 'nginx.conf');
    expect(names(c.directives[1].block ?? [])).toEqual(['a', 'b']);
    expect(problems(c)).toEqual([
      'loop/error b.conf:2 include cycle: a.conf → b.conf → a.conf',
      'loop/error b.conf:3 include cycle: b.conf → b.conf',
    ]);
  });

  it('bounds include depth', () => {
    const files: Record<string, string> = { 'nginx.conf': 'include f0.conf;\n' };
    for (let k = 0; k < 40; k++) files[`f${k}.conf`] = `d${k};\ninclude f${k + 1}.conf;\n`;
    const c = load(files, 'nginx.conf', { maxDepth: 32 });
    expect(c.directives).toHaveLength(32);
    expect(c.problems.map((p) => p.kind)).toEqual(['too-deep']);
    expect(c.problems[0].message).toMatch(/^includes nested more than 32 deep: nginx.conf → f0.conf → .* → f32.conf$/);
  });

  it('expands a file once per block however many includes reach it, and per block in each block', () => {
    // Before: 2^30 paths to l30.conf, stopped only by the directive cap.
    const files: Record<string, string> = { 'nginx.conf': 'include l0.conf;\n' };
    for (let k = 0; k < 30; k++) files[`l${k}.conf`] = `include l${k + 1}.conf;\ninclude l${k + 1}.conf;\n`;
    files['l30.conf'] = 'x;';
    const c = load(files, 'nginx.conf', { maxDirectives: 10_000 });
    expect(c.problems).toEqual([]);
    expect(names(c.directives)).toEqual(['x']);
    // The same snippet in two servers is two contexts: both get it.
    const two = load({ 'site.conf': 'server { include h.conf; }\nserver { include h.conf; include h.conf; }\n', 'h.conf': 'add_header X 1;' }, 'site.conf');
    expect(two.directives.map((s) => names(s.block ?? []))).toEqual([['add_header X 1'], ['add_header X 1']]);
  });

  it('fan-out: files that each include conf.d/*.conf are expanded once each, and each cycle is reported once', () => {
    const files: Record<string, string> = {};
    const n = 12;
    for (let k = 0; k < n; k++) files[`conf.d/f${k}.conf`] = `server { listen 80; }\ninclude conf.d/*.conf;\n`;
    const c = load(files, 'conf.d/f0.conf', { prefix: '' });
    // Before: every order of the 12 files (12! paths), one cycle message per path.
    expect(c.directives.filter((d) => d.name === 'server')).toHaveLength(n);
    expect(c.problems.every((p) => p.kind === 'loop')).toBe(true);
    expect(c.problems.length).toBeLessThanOrEqual(n);
    expect(new Set(c.problems.map((p) => `${p.loc.path}:${p.loc.line}`)).size).toBe(c.problems.length);
  });

  it('budget: past it includes stop, with one finding, and no directive already parsed is lost', () => {
    // Nested blocks are new contexts each time: this shape grows as n! and needs the budget.
    const files: Record<string, string> = {};
    const n = 9;
    for (let k = 0; k < n; k++) files[`conf.d/f${k}.conf`] = `location /f${k} {\n  include conf.d/*.conf;\n}\n`;
    files['site.conf'] = `server {\n  include conf.d/*.conf;\n  ssl_protocols SSLv3;\n}\nserver { listen 81; }\n`;
    const c = load(files, 'site.conf', { prefix: '', maxDirectives: 5_000 });
    const limits = c.problems.filter((p) => p.kind === 'limit');
    expect(limits).toHaveLength(1);
    expect(limits[0].message).toMatch(/were not expanded/);
    let count = 0;
    forEach(c.directives, () => count++);
    expect(count).toBeLessThan(5_000 + 100);
    // Directives after the include that hit the budget are all still there.
    expect(names(c.directives)).toEqual(['server', 'server']);
    expect(names(c.directives[1].block ?? [])).toEqual(['listen 81']);
    expect(names(c.directives[0].block ?? []).slice(-1)).toEqual(['ssl_protocols SSLv3']);
    // The shared budget of a scan stops a second config too.
    const budget = { remaining: 100 };
    load(files, 'site.conf', { prefix: '', sharedBudget: budget });
    const again = load(files, 'site.conf', { prefix: '', sharedBudget: budget });
    expect(again.problems.filter((p) => p.kind === 'limit')).toHaveLength(1);
    expect(names(again.directives[0].block ?? [])).toEqual(['ssl_protocols SSLv3']);
  });

  it('reports parse errors of included files at their own place, and context errors seen through the include', () => {
    const files = {
      'nginx.conf': 'events {}\nhttp {\ninclude site.conf;\n}\n',
      'site.conf': 'server;\nserver {\n  listen 80 "x"y;\n}\n',
    };
    const c = load(files, 'nginx.conf');
    expect(problems(c)).toEqual([
      'parse/error site.conf:3 unexpected "y"',
      'parse/error site.conf:1 directive "server" has no opening "{"',
    ]);
    expect(c.problems[0].error?.kind).toBe('syntax');
  });

  it('classifies the entry and reads a site file in an implicit http context', () => {
    const files = { 'sites-available/app': 'server { listen 80; }\nserver;\n', 'nginx.conf': 'events {}\n' };
    const c = load(files, 'sites-available/app');
    expect(c.kind).toBe('site');
    expect(c.context).toBe('http');
    expect(c.prefix).toBe('');
    expect(problems(c)).toEqual(['parse/error sites-available/app:2 directive "server" has no opening "{"']);
    expect(load({ 'x.conf': 'add_header X y;' }, 'x.conf').kind).toBe('snippet');
  });

  it('reports a missing or unreadable entry', () => {
    expect(problems(load({}, 'nope.conf'))).toEqual(['missing/error nope.conf:1 open() "nope.conf" failed (No such file or directory)']);
  });
});

describe('conf prefix detection', () => {
  const { listDir } = memfs({
    'etc/nginx/nginx.conf': '', 'etc/nginx/sites-available/x': '', 'ops/sites-enabled/y.conf': '', 'misc/z.conf': '',
  });
  it('is the directory of nginx.conf, found upwards, else the parent of a sites-*/conf.d folder', () => {
    expect(detectNginxPrefix('etc/nginx/nginx.conf', listDir)).toBe('etc/nginx');
    expect(detectNginxPrefix('etc/nginx/sites-available/x', listDir)).toBe('etc/nginx');
    expect(detectNginxPrefix('ops/sites-enabled/y.conf', listDir)).toBe('ops');
    expect(detectNginxPrefix('misc/z.conf', listDir)).toBe('misc');
  });
});

describe('workspaceAccess (real files)', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-inc-'));
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(root, 'conf.d'), { recursive: true });
  fs.mkdirSync(outside);
  const SECRET = 'TOP-SECRET-CONTENT';
  fs.writeFileSync(path.join(outside, 'secret.conf'), `add_header X ${SECRET};\n`);
  fs.mkdirSync(path.join(outside, 'dir'));
  fs.writeFileSync(path.join(outside, 'dir', 'y.conf'), `add_header Y ${SECRET};\n`);
  fs.writeFileSync(path.join(root, 'nginx.conf'), 'events {}\nhttp {\ninclude conf.d/*.conf;\ninclude linkdir/*.conf;\ninclude bin.conf;\n}\n');
  fs.writeFileSync(path.join(root, 'conf.d', 'a.conf'), 'server { listen 80; }\n');
  fs.writeFileSync(path.join(root, 'bin.conf'), Buffer.from([0x61, 0, 0x62]));
  fs.symlinkSync(path.join(outside, 'secret.conf'), path.join(root, 'conf.d', 'b.conf'));
  fs.symlinkSync(path.join(root, 'conf.d', 'a.conf'), path.join(root, 'conf.d', 'c.conf'));
  fs.symlinkSync(path.join(outside, 'dir'), path.join(root, 'linkdir'));
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('follows symlinks inside the workspace only and never returns content from outside', () => {
    const c = loadNginxConfig({ root, entry: 'nginx.conf' });
    expect(names(c.directives[1].block ?? [])).toEqual(['server', 'server']);
    expect(problems(c)).toEqual([
      'outside/warning nginx.conf:3 include "conf.d/*.conf" leads outside the workspace (a symlink leads outside the workspace), not read',
      'outside/warning nginx.conf:4 include "linkdir/*.conf": "linkdir" leads outside the workspace or cannot be listed, not read',
      'unreadable/error nginx.conf:5 cannot read "bin.conf" for include "bin.conf": binary file (contains NUL bytes)',
    ]);
    expect(JSON.stringify(c.problems)).not.toContain(SECRET);
    expect(c.files).toEqual(['nginx.conf', 'conf.d/a.conf', 'conf.d/c.conf']);
  });

  it('refuses relative escapes and lists directories with a trailing slash', () => {
    const access = workspaceAccess(root);
    expect(access.readFile('../outside/secret.conf')).toEqual({ problem: 'outside', reason: 'the path leaves the workspace' });
    expect(access.listDir('')?.sort()).toEqual(['bin.conf', 'conf.d/', 'linkdir/', 'nginx.conf']);
    expect(access.readFile('conf.d')).toBeUndefined();
    expect(access.readFile('nope')).toBeUndefined();
  });
});
