import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { parseJson, parseToml, parseYaml, tomlSpots, type RawNode } from '../../src/config-parse';
import { CONFIG_KEYS, ConfigError, loadConfigFile, mergeConfig, parseConfigSource, validateConfig, type Config } from '../../src/config';
import { ROLES } from '../../src/model/deploy/roles';
import { RULES } from '../../src/rules';
import { BROKEN_SETTINGS, cli, workspace } from '../cli/helpers';

const DOCS = path.resolve(import.meta.dirname, '../../docs');
const schema = JSON.parse(fs.readFileSync(path.join(DOCS, 'config.schema.json'), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
// `examples` is an annotation ajv's strict mode knows; nothing else is allowed to slip in unnoticed.
const schemaValid = ajv.compile(schema);

function fenced(markdown: string, lang: string): string[] {
  const out: string[] = [];
  const re = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm');
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) out.push(m[1]);
  return out;
}

function accepts(raw: Record<string, unknown>): boolean {
  try {
    validateConfig(raw, 'test');
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}

describe('docs/config.md', () => {
  const md = fs.readFileSync(path.join(DOCS, 'config.md'), 'utf8');
  const expected: Config = {
    failOn: 'medium',
    djangoVersion: '4.2',
    djangoVersionGiven: true,
    nginxVersion: '1.26.3',
    nginxVersionGiven: true,
    rules: { 'django/hsts-no-preload': 'off', 'nginx/hsts-max-age-short': 'info', 'parse/error': 'high' },
    ignore: ['legacy/**', 'vendor/{old,unused}'],
    settingsModules: ['mysite/settings/production.py'],
    maxFileBytes: 1048576,
    maxTotalBytes: 33554432,
    roles: {
      production: ['deploy/tests-cluster/**'],
      development: ['docker/dev/**'],
      test: ['qa/**'],
      ci: ['.ci/**'],
      example: ['docs/samples/**'],
      template: ['templates/*.conf.j2'],
    },
  };

  it.each([
    ['yaml', '.https-guard.yml'],
    ['toml', 'pyproject.toml'],
    ['json', '.https-guard.json'],
  ])('the complete %s example parses into the expected configuration', (lang, name) => {
    const blocks = fenced(md, lang);
    expect(blocks).toHaveLength(1);
    expect(mergeConfig(parseConfigSource(blocks[0], name, name) ?? {})).toEqual(expected);
  });

  it('the YAML example uses every key and every role, and the schema accepts it', () => {
    const tree = parseYaml(fenced(md, 'yaml')[0]);
    expect(tree?.kind).toBe('map');
    const keys = tree?.kind === 'map' ? tree.entries.map((e) => e.key) : [];
    // $schema sits in the yaml-language-server comment in YAML; the JSON example carries it as a key.
    expect(new Set([...keys, '$schema'])).toEqual(new Set(CONFIG_KEYS));
    expect(Object.keys(expected.roles).sort()).toEqual([...ROLES].sort());
    const json = JSON.parse(fenced(md, 'json')[0]);
    expect(Object.keys(json).sort()).toEqual([...CONFIG_KEYS].sort());
    expect(schemaValid(json)).toBe(true);
  });
});

describe('docs/config.schema.json and validateConfig agree', () => {
  it('lists exactly the keys validateConfig accepts', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...CONFIG_KEYS].sort());
    expect(Object.keys(schema.properties.roles.properties).sort()).toEqual([...ROLES].sort());
  });

  it('every key of the schema, with each of its examples, is accepted by both', () => {
    for (const [key, prop] of Object.entries(schema.properties as Record<string, { examples?: unknown[] }>)) {
      expect(prop.examples?.length, key).toBeGreaterThan(0);
      for (const example of prop.examples ?? []) {
        expect(accepts({ [key]: example }), `${key}: ${JSON.stringify(example)}`).toBe(true);
        expect(schemaValid({ [key]: example }), `${key}: ${JSON.stringify(example)}`).toBe(true);
      }
    }
  });

  it('refuses, in both, keys outside the table: other spellings, typos, nesting', () => {
    const candidates = CONFIG_KEYS.flatMap((k) => [k.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), k.replace(/-/g, '_'), `${k}s`, k.toUpperCase()]).filter(
      (k) => !CONFIG_KEYS.includes(k),
    );
    for (const key of [...candidates, 'color', 'select', 'extends', '__proto__', 'constructor', 'toString']) {
      expect(accepts({ [key]: 'x' }), key).toBe(false);
      expect(schemaValid(JSON.parse(`{${JSON.stringify(key)}: "x"}`)), key).toBe(false);
    }
  });

  it('every rule id fits the schema pattern for rule ids, and an unknown id is refused', () => {
    for (const r of RULES) {
      expect(schemaValid({ rules: { [r.meta.id]: 'off' } }), r.meta.id).toBe(true);
      expect(accepts({ rules: { [r.meta.id]: 'low' } }), r.meta.id).toBe(true);
    }
    expect(accepts({ rules: { 'django/no-such-rule': 'off' } })).toBe(false);
  });

  it('agrees on which versions the rules know', () => {
    for (let major = 0; major <= 10; major++) {
      for (let minor = 0; minor <= 40; minor++) {
        for (const v of [`${major}.${minor}`, `${major}.${minor}.7`]) {
          expect(accepts({ 'django-version': v }), `django ${v}`).toBe(schemaValid({ 'django-version': v }));
          expect(accepts({ 'nginx-version': v }), `nginx ${v}`).toBe(schemaValid({ 'nginx-version': v }));
        }
      }
    }
    expect(accepts({ 'django-version': '9.9' })).toBe(false);
    expect(accepts({ 'django-version': '1.0' })).toBe(false);
    expect(accepts({ 'django-version': '5.2' })).toBe(true);
    expect(accepts({ 'nginx-version': '1.27.3' })).toBe(true);
    expect(accepts({ 'nginx-version': '2.0' })).toBe(false);
  });

  it('agrees on globs that can never match', () => {
    for (const glob of ['/srv/**', './app/**', 'a/../b', '..', '']) {
      expect(accepts({ ignore: [glob] }), glob).toBe(false);
      expect(schemaValid({ ignore: [glob] }), glob).toBe(false);
    }
    for (const glob of ['legacy/**', '.ci/**', 'a/{b,c}/*.py', 'x/[ab].conf']) {
      expect(accepts({ ignore: [glob] }), glob).toBe(true);
      expect(schemaValid({ ignore: [glob] }), glob).toBe(true);
    }
  });
});

/** A bad configuration file, the CLI's exit status and the exact place it names. */
const BAD: [string, string, string, RegExp][] = [
  ['.https-guard.yml', 'fail-on: high\ncolour: true\n', '2:1', /unknown key "colour"/],
  ['.https-guard.yml', 'failOn: low\n', '1:1', /unknown key "failOn"; did you mean "fail-on"\?/],
  ['.https-guard.yml', 'fail-on: hihg\n', '1:10', /did you mean "high"\?/],
  ['.https-guard.yml', 'rules:\n  django/hsts-off: off\n  nginx/hsts-mising: low\n', '3:3', /unknown rule id "nginx\/hsts-mising"; did you mean "nginx\/hsts-missing"\?/],
  ['.https-guard.yml', 'rules:\n  django/hsts-off: loud\n', '2:20', /rules\.django\/hsts-off must be one of off, high/],
  ['.https-guard.yml', 'django-version: 9.9\n', '1:17', /"9\.9" is not a Django release the rules know/],
  ['.https-guard.yml', 'nginx-version: "1.0.x"\n', '1:16', /nginx-version must be a version/],
  ['.https-guard.yml', 'ignore:\n  - ok/**\n  - /etc/**\n', '3:5', /bad glob "\/etc\/\*\*": globs are relative/],
  ['.https-guard.yml', 'roles:\n  staging: [x]\n', '2:3', /is not a role/],
  ['.https-guard.yml', 'roles:\n  test: ["qa/[x"]\n', '2:10', /roles\.test: bad glob "qa\/\[x"/],
  ['.https-guard.yml', 'max-file-bytes: 5MB\n', '1:17', /max-file-bytes must be a positive whole number of bytes, got the string "5MB"/],
  ['.https-guard.yml', 'fail-on: [high]\n', '1:10', /fail-on must be a string, got a list/],
  ['.https-guard.yml', 'ignore: {a: 1}\n', '1:9', /ignore must be a list of globs, got a mapping/],
  ['.https-guard.yml', 'fail-on: high\nfail-on: low\n', '2:1', /invalid YAML \(DUPLICATE_KEY\)/],
  ['.https-guard.yml', 'rules: [\n', '2:1', /invalid YAML/],
  ['.https-guard.json', '{\n  "rules": {\n    "django/hsts-off": true\n  }\n}\n', '3:24', /got the boolean "true"/],
  ['.https-guard.json', '{\n  "settings-modules": ["a.py", 3]\n}\n', '2:32', /settings-modules\[1\] must be a glob string, got the number "3"/],
  ['.https-guard.json', '{\n  "ignore": [],\n  "ignore": []\n}\n', '3:3', /invalid JSON: duplicate key/],
  ['.https-guard.json', '{\n  "fail-on": "high",\n}\n', '3:1', /invalid JSON: expected a key in double quotes/],
  ['.https-guard.json', '{"max-total-bytes": 1.5}', '1:21', /max-total-bytes must be a positive whole number/],
  ['pyproject.toml', '[project]\nname = "x"\n\n[tool.https-guard]\nfail-on = "medium"\ndjango-version = "1.0"\n', '6:18', /"1\.0" is not a Django release/],
  ['pyproject.toml', '[tool.https-guard]\nignore = [\n  "ok/**",\n  "../up",\n]\n', '4:3', /bad glob "\.\.\/up"/],
  ['pyproject.toml', '[tool.https-guard.rules]\n"django/hsts-off" = "off"\n"djnago/hsts-off" = "off"\n', '3:1', /did you mean "django\/hsts-off"\?/],
  ['pyproject.toml', '[tool.https-guard]\nroles = { production = ["a/**"], staging = ["b"] }\n', '2:34', /roles\."staging" is not a role/],
  ['pyproject.toml', 'tool.https-guard.nginx-version = "1.99"\n', '1:34', /"1\.99" is not an nginx release/],
  ['pyproject.toml', '[tool.https-guard]\nmax-file-bytes = "big"\n', '2:18', /got the string "big"/],
  ['pyproject.toml', '[tool.https-guard]\nfail-on = "low"\nfail-on = "high"\n', '3:1', /invalid TOML/],
];

describe('a bad configuration exits 2 naming file:line:col', () => {
  it.each(BAD)('%s %j → %s', (name, text, at, message) => {
    const cwd = workspace({ '.git/HEAD': '', [name]: text, 'app/settings.py': 'DEBUG = False\n' });
    const r = cli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const prefix = `https-guard: config error: ${name}:${at}: `;
    expect(r.stderr.startsWith(prefix), r.stderr).toBe(true);
    expect(r.stderr.slice(prefix.length)).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names the file relative to the current directory when run from a subfolder', () => {
    const cwd = workspace({ '.git/HEAD': '', '.https-guard.yml': 'fail-on: high\nbogus: 1\n', 'app/settings.py': 'DEBUG = False\n' });
    const r = cli([], { cwd: path.join(cwd, 'app') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^https-guard: config error: \.\.\/\.https-guard\.yml:2:1: unknown key "bogus"/);
  });

  it('escapes and clips what it quotes from the file', () => {
    const key = `\u001b]8;;https://evil.example\u0007click\u001b[2J${'x'.repeat(500)}`;
    const cwd = workspace({ '.git/HEAD': '', '.https-guard.json': JSON.stringify({ rules: { [key]: 'off' } }) });
    const r = cli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(r.stderr.length).toBeLessThan(300);
    expect(r.stderr).toContain('\\u001b');
  });
});

describe('discovery', () => {
  const settings = 'DEBUG = False\n';

  it('skips a pyproject.toml without [tool.https-guard] and keeps searching up to the root', () => {
    const root = workspace({ '.git/HEAD': '', '.https-guard.yml': 'fail-on: never\n', 'app/pyproject.toml': '[tool.ruff]\nline-length = 100\n', 'app/settings.py': settings });
    expect(loadConfigFile(root, path.join(root, 'app'))).toEqual({ file: '.https-guard.yml', config: { failOn: 'never' } });
  });

  it('reads [tool.https-guard] of a pyproject.toml, nearest folder first, never above the root', () => {
    const root = workspace({
      '.https-guard.yml': 'fail-on: never\n',
      'app/pyproject.toml': '[tool.https-guard]\nfail-on = "low"\n',
      'app/deep/x.py': settings,
    });
    expect(loadConfigFile(root, path.join(root, 'app/deep'))).toEqual({ file: 'app/pyproject.toml', config: { failOn: 'low' } });
    expect(loadConfigFile(path.join(root, 'app/deep'))).toEqual({ config: {} });
  });

  it('prefers the dedicated files to pyproject.toml in one folder', () => {
    const root = workspace({ 'pyproject.toml': '[tool.https-guard]\nfail-on = "low"\n', '.https-guard.json': '{"fail-on": "info"}' });
    expect(loadConfigFile(root).config).toEqual({ failOn: 'info' });
  });

  it('the CLI finds the configuration from the scanned path, and flags override it', () => {
    const root = workspace({
      '.git/HEAD': '',
      '.https-guard.yml': 'fail-on: never\n',
      'svc/pyproject.toml': '[tool.https-guard]\nfail-on = "info"\ndjango-version = "3.2"\n',
      'svc/settings.py': BROKEN_SETTINGS,
    });
    const list = (argv: string[]) => cli(['--list-rules', '--format', 'json', ...argv], { cwd: root });
    expect(list([]).code).toBe(0);
    // From the repository root, the root's file; from svc/ (its own root: it has a config), svc's pyproject.
    const viaRoot = cli(['--format', 'json'], { cwd: root });
    expect(viaRoot.code).toBe(0);
    const viaSvc = cli(['svc', '--format', 'json'], { cwd: root });
    expect(viaSvc.code).toBe(1);
    expect(JSON.parse(viaSvc.stdout).findings.length).toBeGreaterThan(0);
    const flagged = cli(['svc', '--format', 'json', '--fail-on', 'never'], { cwd: root });
    expect(flagged.code).toBe(0);
    // --root keeps the repository root; the search still starts at the path and stops at the root.
    const rooted = cli(['svc', '--root', '.', '--format', 'json'], { cwd: root });
    expect(rooted.code).toBe(1);
    expect(JSON.parse(rooted.stdout).findings.every((f: { path: string }) => f.path.startsWith('svc/'))).toBe(true);
  });

  it('--config wins over discovery and a named pyproject.toml must configure us', () => {
    const root = workspace({ '.git/HEAD': '', '.https-guard.yml': 'bogus: 1\n', 'other.toml': 'fail-on = "never"\n', 'pyproject.toml': '[tool.ruff]\n' });
    expect(cli(['--config', 'other.toml', '--list-rules'], { cwd: root }).code).toBe(0);
    const r = cli(['--config', 'pyproject.toml', '--list-rules'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('https-guard: config error: pyproject.toml: has no [tool.https-guard] table\n');
  });
});

describe('the readers keep positions and stay bounded', () => {
  it('TOML: dotted keys, inline tables, multi-line arrays and strings', () => {
    const text = ['[tool.other]', 'doc = """', 'x = 1', '"""', '[tool.https-guard]', 'a.b = 1  # c', 'm = { k = "v", "q.r" = [1,', '  2] }', "lit = 'x#y'", 'arr = [', '  "p",', '  "q",', ']', 'when = 1979-05-27 07:32:00Z'].join('\n');
    const spots = tomlSpots(text);
    const at = (...p: string[]) => spots.get(p.join('\0'));
    expect(at('tool', 'https-guard')?.key).toEqual({ line: 5, col: 2 });
    expect(at('tool', 'other', 'doc')?.value).toEqual({ line: 2, col: 7 });
    expect(spots.has('x')).toBe(false);
    expect(at('tool', 'https-guard', 'a', 'b')).toEqual({ key: { line: 6, col: 1 }, value: { line: 6, col: 7 }, source: '1' });
    expect(at('tool', 'https-guard', 'm', 'k')?.value).toEqual({ line: 7, col: 11 });
    expect(at('tool', 'https-guard', 'm', 'q.r', '1')?.value).toEqual({ line: 8, col: 3 });
    expect(at('tool', 'https-guard', 'lit')?.source).toBe("'x#y'");
    expect(at('tool', 'https-guard', 'arr', '1')?.value).toEqual({ line: 12, col: 3 });
    expect(at('tool', 'https-guard', 'when')?.source).toBe('1979-05-27 07:32:00Z');
  });

  it('JSON: deep nesting and huge documents fail cleanly', () => {
    expect(() => parseJson('['.repeat(100000))).toThrow(/nested too deeply/);
    expect(() => parseJson(`[${'1,'.repeat(50000)}1]`)).toThrow(/too many values/);
    expect(parseJson('{"a": [1, {"b": null}]}')).toMatchObject({ kind: 'map', entries: [{ key: 'a', keyPos: { line: 1, col: 2 } }] });
  });

  it('YAML: an alias bomb is refused, not expanded', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) lines.push(`${'b'.repeat(i + 1)}: &${'c'.repeat(i + 1)} [${Array(10).fill(i === 0 ? '*a' : `*${'c'.repeat(i)}`).join(', ')}]`);
    expect(() => parseYaml(lines.join('\n'))).toThrow(/too many values/);
  });

  it('every key and value of the complete examples has a position, in all three formats', () => {
    const md = fs.readFileSync(path.join(DOCS, 'config.md'), 'utf8');
    const missing: string[] = [];
    const visit = (n: RawNode, at: string) => {
      if (!n.pos) missing.push(at);
      if (n.kind === 'map') {
        for (const e of n.entries) {
          if (!e.keyPos) missing.push(`${at}.${e.key} (key)`);
          visit(e.value, `${at}.${e.key}`);
        }
      }
      if (n.kind === 'list') n.items.forEach((item, k) => visit(item, `${at}[${k}]`));
    };
    const trees = [parseYaml(fenced(md, 'yaml')[0]), parseToml(fenced(md, 'toml')[0], ['tool', 'https-guard']), parseJson(fenced(md, 'json')[0])];
    for (const tree of trees) {
      expect(tree).toBeDefined();
      visit(tree!, '');
    }
    // The TOML table itself is a header, so it has a position too; nothing is unplaced.
    expect(missing).toEqual([]);
  });

  it('a __proto__ key is an unknown key, not a prototype', () => {
    expect(() => parseConfigSource('{"__proto__": {"fail-on": "never"}}', 'c.json', 'c.json')).toThrow(/c\.json:1:2: unknown key "__proto__"/);
  });
});

describe('rule ids on the command line', () => {
  it('--select with a misspelt id suggests the nearest one', () => {
    const root = workspace({ '.git/HEAD': '' });
    const r = cli(['--select', 'nginx/hsts-mising', '--list-rules'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"nginx/hsts-mising" matches no rule; did you mean "nginx/hsts-missing"?');
  });
});

describe('the action uses the same configuration', () => {
  it('reads pyproject.toml [tool.https-guard] at the workspace root, with the inputs on top', async () => {
    const { resolveConfig } = await import('../../src/main');
    const root = workspace({ 'pyproject.toml': '[tool.https-guard]\nfail-on = "low"\ndjango-version = "4.2"\n' });
    const inputs = { config: '', failOn: undefined, djangoVersion: '5.2', nginxVersion: '' } as unknown as Parameters<typeof resolveConfig>[1];
    expect(resolveConfig(root, inputs)).toMatchObject({ failOn: 'low', djangoVersion: '5.2' });
  });

  it('a bad configuration fails the run with an annotation on its line', async () => {
    const { run } = await import('../../src/main');
    const root = workspace({ '.https-guard.yml': 'fail-on: high\nrules:\n  django/hsts-of: off\n' });
    const saved = { ...process.env };
    const out: string[] = [];
    const write = process.stdout.write;
    process.env.GITHUB_WORKSPACE = root;
    for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_EVENT')) delete process.env[k];
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await run();
    } finally {
      process.stdout.write = write;
      process.env = saved;
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    const line = out.join('').split('\n').find((l) => l.startsWith('::error'));
    expect(line).toMatch(/^::error title=HTTPS Guard configuration,file=\.https-guard\.yml,line=3,col=3::HTTPS Guard: \.https-guard\.yml:3:3: rules: unknown rule id "django\/hsts-of"; did you mean "django\/hsts-off"\?/);
  });
});
