import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE, useColor } from '../../src/cli';
import { OPTIONS, UsageError } from '../../src/cli/options';
import { matchSelector, selectionSettings } from '../../src/cli/select';
import { RULES } from '../../src/rules';
import { BROKEN_SETTINGS, cli, exampleRepo, onlyParseError, workspace } from './helpers';

const IDS = RULES.map((r) => r.meta.id);
let repo: string;
const roots: string[] = [];
beforeAll(() => {
  repo = exampleRepo();
  // A file that cannot be parsed, so parse/error is among the findings.
  fs.writeFileSync(path.join(repo, 'mysite/mysite/settings/broken_settings.py'), BROKEN_SETTINGS);
  roots.push(repo);
});
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

type Json = { findings: { ruleId: string; severity: string; path: string }[] };
function json(argv: string[]): Json {
  const r = cli([...argv, '--format', 'json', '--fail-on', 'never'], { cwd: repo });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}
const ruleIds = (j: Json) => [...new Set(j.findings.map((f) => f.ruleId))].sort();

describe('help', () => {
  it('documents every option, and the exit status', () => {
    for (const o of OPTIONS) expect(USAGE).toContain(`--${o.name}`);
    expect(USAGE).toMatch(/Exit status: 0 .+, 1 .+, 2 usage, config or internal error/);
  });
});

describe('--select and --ignore', () => {
  it('match ids, families and globs', () => {
    expect(matchSelector('django/hsts-off')).toEqual(['django/hsts-off']);
    expect(matchSelector('wsgi/')).toEqual(IDS.filter((id) => id.startsWith('wsgi/')));
    expect(matchSelector('wsgi')).toEqual(matchSelector('wsgi/'));
    expect(matchSelector('nginx/hsts-*')).toEqual(IDS.filter((id) => /^nginx\/hsts-/.test(id)));
    expect(matchSelector('*/hsts-max-age-short')).toEqual(['django/hsts-max-age-short', 'nginx/hsts-max-age-short']);
    expect(matchSelector('ALL')).toEqual(IDS);
    expect(() => matchSelector('django/hsts-of')).toThrow(/"django\/hsts-of" matches no rule/);
    expect(() => matchSelector('apache/')).toThrow(/matches no rule/);
    // Malformed globs are the user's typo, never a crash.
    for (const bad of ['nginx/[', 'nginx/{a', 'nginx/**/[!', '*{']) expect(() => matchSelector(bad)).toThrow(UsageError);
  });

  it('narrow the rules that run; parse/error stays unless ignored by name', () => {
    const all = ruleIds(json([]));
    expect(all).toContain('parse/error');
    expect(all.some((id) => id.startsWith('django/'))).toBe(true);
    expect(all.some((id) => id.startsWith('nginx/'))).toBe(true);

    const django = ruleIds(json(['--select', 'django/']));
    expect(django).toEqual(all.filter((id) => id.startsWith('django/') || id === 'parse/error'));
    expect(ruleIds(json(['--select', 'django/,wsgi/', '--ignore', 'parse/error']))).toEqual(all.filter((id) => /^(django|wsgi)\//.test(id)));
    expect(ruleIds(json(['--select', 'nginx/hsts-*', '--select', 'django/hsts-max-age-short']))).toEqual(
      all.filter((id) => /^nginx\/hsts-/.test(id) || id === 'django/hsts-max-age-short' || id === 'parse/error'),
    );
    expect(ruleIds(json(['--ignore', 'nginx/,django/csrf-*']))).toEqual(all.filter((id) => !id.startsWith('nginx/') && !id.startsWith('django/csrf-')));
  });

  it('only narrow: a rule the configuration turns off stays off', () => {
    fs.writeFileSync(path.join(repo, 'off.yml'), 'rules:\n  django/hsts-max-age-short: "off"\n');
    const r = json(['--config', 'off.yml', '--select', 'django/hsts-max-age-short']);
    expect(ruleIds(r)).toEqual(['parse/error']);
    expect(selectionSettings(['django/hsts-off'], undefined)['django/hsts-off']).toBeUndefined();
  });

  it('exit 2 on a selector that names no rule', () => {
    const r = cli(['--select', 'django/no-such-rule'], { cwd: repo });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('"django/no-such-rule" matches no rule');
  });
});

describe('--list-rules and --explain', () => {
  it('lists every rule once with its severity and title, in text and json', () => {
    const text = cli(['--list-rules'], { cwd: repo });
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(IDS);
    const hstsOff = RULES.find((r) => r.meta.id === 'django/hsts-off')!.meta;
    expect(lines.find((l) => l.startsWith('django/hsts-off '))).toMatch(new RegExp(`^django/hsts-off +${hstsOff.severity} +${hstsOff.title.replace(/[()]/g, '.')}$`));
    const listed = JSON.parse(cli(['--list-rules', '--format', 'json', '--select', 'wsgi/'], { cwd: repo }).stdout);
    expect(listed.map((r: { id: string }) => r.id)).toEqual([...IDS.filter((id) => id.startsWith('wsgi/')), 'parse/error']);
    expect(listed[0]).toMatchObject({ enabled: true, docsUrl: expect.stringMatching(/^https:\/\/.+\/docs\/rules\/wsgi\/.+\.md$/) });
  });

  it('shows what the configuration says: an override, or off', () => {
    fs.writeFileSync(path.join(repo, 'sev.yml'), 'rules:\n  django/hsts-off: low\n  django/hsts-no-preload: "off"\n');
    const listed = JSON.parse(cli(['--list-rules', '--format', 'json', '--config', 'sev.yml'], { cwd: repo }).stdout);
    expect(listed.find((r: { id: string }) => r.id === 'django/hsts-off')).toMatchObject({ severity: 'low', enabled: true });
    expect(listed.find((r: { id: string }) => r.id === 'django/hsts-no-preload')).toMatchObject({ enabled: false });
    expect(cli(['--list-rules', '--format', 'sarif'], { cwd: repo }).code).toBe(2);
  });

  it('--explain prints the rule page; an unknown id exits 2 with a suggestion', () => {
    const page = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/rules/nginx/hsts-missing.md'), 'utf8');
    expect(cli(['--explain', 'nginx/hsts-missing'], { cwd: repo })).toEqual({ code: 0, stdout: page, stderr: '' });
    const bad = cli(['--explain', 'hsts-missing'], { cwd: repo });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean nginx/hsts-missing?');
    // Never a path: only a known id reaches the file system.
    expect(cli(['--explain', '../../package'], { cwd: repo }).code).toBe(2);
  });
});

describe('--min-severity, --quiet and --statistics', () => {
  it('--min-severity hides lower findings and the exit status follows what is shown', () => {
    const all = json([]);
    const low = json(['--min-severity', 'low']);
    expect(low.findings).toEqual(all.findings.filter((f) => f.severity !== 'info'));
    expect(all.findings.some((f) => f.severity === 'info')).toBe(true);
    expect(cli(['--fail-on', 'info'], { cwd: repo }).code).toBe(1);
    // A finding hidden by --min-severity does not fail the run.
    const pinned = workspace({ '.https-guard.json': onlyParseError('low'), 'app/settings.py': BROKEN_SETTINGS });
    roots.push(pinned);
    expect(cli(['--fail-on', 'low'], { cwd: pinned }).code).toBe(1);
    expect(cli(['--fail-on', 'low', '--min-severity', 'medium'], { cwd: pinned }).code).toBe(0);
    expect(cli(['--min-severity', 'severe'], { cwd: repo })).toMatchObject({ code: 2, stderr: expect.stringContaining('--min-severity must be one of high, medium, low, info') });
  });

  it('--quiet prints the findings only', () => {
    const r = cli(['--quiet', '--fail-on', 'never'], { cwd: repo });
    expect(r.stdout).not.toMatch(/\d+ findings? \(/);
    expect(r.stdout).toMatch(/^mysite\//m);
    const clean = workspace({ 'README.md': '' });
    roots.push(clean);
    expect(cli(['--quiet'], { cwd: clean })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--statistics counts findings per rule, most first, in text and json', () => {
    const all = json([]);
    const counts = new Map<string, number>();
    for (const f of all.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    const stats = JSON.parse(cli(['--statistics', '--format', 'json', '--fail-on', 'never'], { cwd: repo }).stdout);
    expect(stats.map((s: { ruleId: string; count: number }) => [s.ruleId, s.count]).sort()).toEqual([...counts.entries()].sort());
    expect(stats.map((s: { count: number }) => s.count)).toEqual([...stats.map((s: { count: number }) => s.count)].sort((a, b) => b - a));
    const text = cli(['--statistics', '--fail-on', 'never'], { cwd: repo }).stdout.trimEnd().split('\n');
    expect(text).toHaveLength(counts.size);
    expect(text[0]).toMatch(new RegExp(`^${stats[0].count}  ${stats[0].ruleId} `));
    expect(cli(['--statistics', '--format', 'junit'], { cwd: repo }).code).toBe(2);
  });
});

describe('--color', () => {
  it('follows --color, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(useColor('always', { NO_COLOR: '1' }, false, true)).toBe(true);
    expect(useColor('never', { FORCE_COLOR: '1' }, true, false)).toBe(false);
    expect(useColor('auto', { FORCE_COLOR: '1' }, false, false)).toBe(true);
    expect(useColor('auto', { FORCE_COLOR: '' }, false, false)).toBe(true);
    expect(useColor('auto', { FORCE_COLOR: '0' }, true, false)).toBe(false);
    expect(useColor('auto', { FORCE_COLOR: 'false' }, true, false)).toBe(false);
    expect(useColor('auto', { NO_COLOR: '1' }, true, false)).toBe(false);
    expect(useColor('auto', { NO_COLOR: '' }, true, false)).toBe(true);
    expect(useColor('auto', {}, false, false)).toBe(false);
    expect(useColor('auto', { FORCE_COLOR: '1' }, true, true)).toBe(false);
  });

  it('reaches the text and concise output, never the machine formats', () => {
    const esc = '\x1b[';
    expect(cli(['--color', 'always', '--fail-on', 'never'], { cwd: repo }).stdout).toContain(esc);
    expect(cli(['--format', 'concise', '--fail-on', 'never'], { cwd: repo, env: { FORCE_COLOR: '1' } }).stdout).toContain(esc);
    expect(cli(['--fail-on', 'never'], { cwd: repo, tty: true, env: { NO_COLOR: '1' } }).stdout).not.toContain(esc);
    for (const format of ['json', 'sarif', 'github', 'gitlab', 'junit']) {
      expect(cli(['--format', format, '--color', 'always', '--fail-on', 'never'], { cwd: repo }).stdout).not.toContain(esc);
    }
    expect(cli(['--color', 'sometimes'], { cwd: repo }).code).toBe(2);
  });
});

describe('every format on a real run', () => {
  it('reports the same findings in each', () => {
    const n = json([]).findings.length;
    expect(n).toBeGreaterThan(5);
    const out = (format: string) => cli(['--format', format, '--fail-on', 'never'], { cwd: repo }).stdout;
    expect(out('concise').trimEnd().split('\n')).toHaveLength(n + 1);
    expect(out('github').trimEnd().split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l))).toHaveLength(n);
    expect(JSON.parse(out('gitlab'))).toHaveLength(n);
    expect(out('junit').match(/<failure /g)).toHaveLength(n);
    expect(JSON.parse(out('sarif')).runs[0].results).toHaveLength(n);
    expect(out('text').split('\n').filter((l) => /^ {2}\d+:\d+ {2}/.test(l))).toHaveLength(n);
  });
});
