import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { onlyParseError } from '../cli/helpers';
import { sarifErrors } from '../report/sarif-schema';

const REPO = path.resolve(import.meta.dirname, '../..');
// The committed bundle that action.yml runs (CI rebuilds it and fails if it differs from the commit).
const ENTRY = path.join(REPO, 'dist/index.js');
const ACTION = YAML.parse(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8'));
const TOKEN = 'ghs_Sup3rS3cretT0kenValue0123456789';
const BROKEN_SETTINGS = 'DEBUG = False\nSECURE_SSL_REDIRECT = (\n';

const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

/** Parses the GITHUB_OUTPUT file: `name<<DELIM\nvalue\nDELIM` blocks, as the runner reads them. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]] = m[3];
  return out;
}

/**
 * Runs dist/index.js as the runner does: every input from action.yml with its default (overridden by `inputs`),
 * as INPUT_<NAME> variables, in an environment that carries nothing from the one running the tests.
 */
function runAction(files: Record<string, string>, inputs: Record<string, string> = {}, extraEnv: Record<string, string> = {}): ActionRun {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-action-')));
  tmp.push(base);
  const workspace = path.join(base, 'workspace');
  fs.mkdirSync(workspace);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), text);
  }
  const summaryFile = path.join(base, 'summary.md');
  const outputFile = path.join(base, 'output.txt');
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');

  const env: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: outputFile, ...extraEnv };
  for (const [name, spec] of Object.entries(ACTION.inputs as Record<string, { default?: string }>)) {
    const value = name === 'github-token' ? TOKEN : (spec.default ?? '');
    env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? value;
  }
  const r = spawnSync(process.execPath, [ENTRY], { cwd: workspace, env, encoding: 'utf8' });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    workspace,
  };
}

function expectNoToken(r: ActionRun) {
  expect(r.stdout).not.toContain(TOKEN);
  expect(r.stderr).not.toContain(TOKEN);
  expect(r.summary).not.toContain(TOKEN);
  expect(JSON.stringify(r.outputs)).not.toContain(TOKEN);
}

const PIN_HIGH = onlyParseError('high');

describe('action.yml', () => {
  it('declares the node24 entry, branding and every input and output with a description', () => {
    expect(ACTION.name).toBe('HTTPS Guard');
    expect(ACTION.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(ACTION.branding).toEqual({ icon: 'shield', color: 'green' });
    expect(Object.fromEntries(Object.entries(ACTION.inputs as Record<string, { default: string }>).map(([k, v]) => [k, v.default]))).toEqual({
      'github-token': '${{ github.token }}',
      'fail-on': 'high',
      paths: '',
      'sarif-file': 'https-guard.sarif',
      comment: 'true',
      annotations: 'true',
      config: '',
      baseline: '',
      'django-version': '',
      'nginx-version': '',
      'filter-mode': 'file',
      id: '',
      focused: 'true',
    });
    expect(Object.keys(ACTION.outputs)).toEqual(['findings', 'high', 'medium', 'low', 'info', 'sarif-file', 'conclusion']);
    for (const spec of [...Object.values(ACTION.inputs), ...Object.values(ACTION.outputs)] as { description?: string }[]) {
      expect(spec.description).toMatch(/\w{3}/);
    }
  });
});

describe('the bundled action (dist/index.js)', () => {
  it('fails on a high finding: annotation, outputs, job summary, SARIF, exit 1', () => {
    const r = runAction({ '.https-guard.json': PIN_HIGH, 'app/settings.py': BROKEN_SETTINGS, 'app/wsgi.py': 'from django.core.wsgi import get_wsgi_application\n' });
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({ findings: '1', high: '1', medium: '0', low: '0', info: '0', 'sarif-file': 'https-guard.sarif', conclusion: 'failure' });
    expect(r.stdout).toMatch(/^::error title=HTTPS Guard%3A parse\/error,file=app\/settings\.py,line=\d+,endLine=\d+,col=\d+,endColumn=\d+::.+%0A.+$/m);
    expect(r.stdout).toContain('::error::HTTPS Guard: 1 finding (1 high) at or above fail-on "high"');
    expect(r.summary).toContain('## HTTPS Guard');
    expect(r.summary).toContain('**1 finding**');
    expect(r.summary).toContain('app/settings\\.py\\:');
    expect(r.summary).toContain('2 files checked, 0 skipped.');
    const sarif = JSON.parse(fs.readFileSync(path.join(r.workspace, 'https-guard.sarif'), 'utf8'));
    expect(sarifErrors(sarif)).toBe('');
    expect(sarif.runs[0].results).toHaveLength(1);
    expect(sarif.runs[0].tool.driver.rules.find((d: { id: string }) => d.id === 'parse/error').defaultConfiguration.level).toBe('error');
    expectNoToken(r);
  });

  it('passes below fail-on and maps medium to a warning', () => {
    const r = runAction({ '.https-guard.json': onlyParseError('medium'), 'app/settings.py': BROKEN_SETTINGS });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ findings: '1', medium: '1', conclusion: 'success' });
    expect(r.stdout).toMatch(/^::warning title=HTTPS Guard%3A parse\/error,file=app\/settings\.py,/m);
    expect(r.stdout).not.toMatch(/^::error/m);
    expectNoToken(r);
  });

  it('passes with fail-on never, writes the SARIF where asked and skips annotations when disabled', () => {
    const r = runAction({ '.https-guard.json': PIN_HIGH, 'app/settings.py': BROKEN_SETTINGS }, { 'fail-on': 'never', 'sarif-file': 'reports/guard.sarif', annotations: 'false' });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ findings: '1', high: '1', conclusion: 'success', 'sarif-file': 'reports/guard.sarif' });
    expect(fs.existsSync(path.join(r.workspace, 'reports/guard.sarif'))).toBe(true);
    expect(fs.existsSync(path.join(r.workspace, 'https-guard.sarif'))).toBe(false);
    expect(r.stdout).not.toMatch(/^::(error|warning|notice) /m);
  });

  it('reads the config input and version inputs', () => {
    const r = runAction(
      { 'ci/guard.yml': onlyParseError('low', { 'fail-on': 'low' }), 'app/settings.py': BROKEN_SETTINGS },
      { 'fail-on': '', config: 'ci/guard.yml', 'django-version': '4.2', 'nginx-version': '1.24' },
    );
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ low: '1', conclusion: 'failure' });
    expect(r.stdout).toMatch(/^::notice title=HTTPS Guard%3A parse\/error,/m);
  });

  it('scans only the given paths and globs', () => {
    const files = { '.https-guard.json': PIN_HIGH, 'a/settings.py': BROKEN_SETTINGS, 'b/settings.py': BROKEN_SETTINGS, 'c/prod_settings.py': BROKEN_SETTINGS };
    expect(runAction(files, { paths: 'a' }).outputs.findings).toBe('1');
    expect(runAction(files, { paths: 'a\nc/*.py' }).outputs.findings).toBe('2');
    expect(runAction(files, { paths: '**/settings.py, ./c' }).outputs.findings).toBe('3');
    const none = runAction(files, { paths: 'nothing/**' });
    expect(none.code).toBe(0);
    expect(none.outputs).toMatchObject({ findings: '0', conclusion: 'success' });
    expect(none.stdout).toContain('::warning::HTTPS Guard: paths entry "nothing/**" matches no file');
  });

  it('annotates at most 50 findings and says how many it left out', () => {
    const files: Record<string, string> = { '.https-guard.json': PIN_HIGH };
    for (let i = 0; i < 53; i++) files[`app${String(i).padStart(2, '0')}/settings.py`] = BROKEN_SETTINGS;
    const r = runAction(files, { 'fail-on': 'never' });
    expect(r.outputs.findings).toBe('53');
    expect(r.stdout.match(/^::error title=/gm)).toHaveLength(50);
    expect(r.stdout).toContain('HTTPS Guard: 3 more findings not annotated');
  });

  it.each([
    [{ 'fail-on': 'critical' }, 'fail-on must be one of high, medium, low, info, never, got "critical"'],
    [{ annotations: 'yes' }, 'input annotations must be true or false, got "yes"'],
    [{ paths: '../outside' }, 'paths entry "../outside" is outside the workspace'],
    [{ paths: 'missing' }, 'paths entry "missing" does not exist in the workspace'],
    [{ config: 'nope.yml' }, 'nope.yml: cannot read: ENOENT'],
    [{ 'django-version': 'five' }, 'django-version must be a version like 4.2'],
  ])('fails with a clear message on bad input %j', (inputs, message) => {
    const r = runAction({ 'app/settings.py': BROKEN_SETTINGS }, inputs);
    expect(r.code).toBe(1);
    const failure = r.stdout.split('\n').find((l) => l.startsWith('::error::'));
    expect(failure).toContain(message);
    expect(failure).toMatch(/^::error::HTTPS Guard: /);
    expect(r.outputs).toEqual({});
    expect(fs.existsSync(path.join(r.workspace, 'https-guard.sarif'))).toBe(false);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    expectNoToken(r);
  });

  it('keeps workflow commands in file names from reaching the runner and escapes them in the summary', () => {
    const evil = '::error::forged <b>@octocat</b>|x_settings.py';
    const r = runAction({ '.https-guard.json': PIN_HIGH, [evil]: BROKEN_SETTINGS }, { 'fail-on': 'never' });
    const lines = r.stdout.split('\n');
    const start = lines.findIndex((l) => l.startsWith('::stop-commands::'));
    const token = lines[start].slice('::stop-commands::'.length);
    const end = lines.indexOf(`::${token}::`);
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(end).toBeGreaterThan(start);
    // No line starts with the file name: the report shows it as ./path, inside the stop-commands block too.
    expect(lines.filter((l) => l.startsWith('::error::forged'))).toEqual([]);
    const shown = lines.findIndex((l) => l.startsWith('./::error::forged'));
    expect(shown).toBeGreaterThan(start);
    expect(shown).toBeLessThan(end);
    // In the annotation the name is a property value, escaped by @actions/core.
    expect(r.stdout).toContain('file=%3A%3Aerror%3A%3Aforged <b>@octocat</b>|x_settings.py');
    expect(r.summary).not.toContain('<b>');
    expect(r.summary).not.toContain('@octocat');
    expect(r.summary).toContain('&lt;b&gt;@\u200docto');
  });

  it('says clearly, without a stack, when the SARIF file cannot be written', () => {
    // A SARIF path that is a directory makes the SARIF channel fail after the scan.
    const files = { '.https-guard.json': onlyParseError('low'), 'app/settings.py': BROKEN_SETTINGS, 'out/.keep': '' };
    const quiet = runAction(files, { 'sarif-file': 'out' });
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toMatch(/^::error::HTTPS Guard: could not publish the report \(SARIF file: refusing to write "out": it exists and is not a regular file\)/m);
    expect(quiet.stdout).not.toMatch(/\n\s+at /);
    // The other channels still ran.
    expect(quiet.outputs.conclusion).toBe('success');
  });
});
