import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { run } from '../../src/main';

// The action's run() in process (the dist bundle is rebuilt at release), with the runner's files and inputs.
const ACTION = YAML.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../action.yml'), 'utf8'));

const SETTINGS = `INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_COOKIE_SECURE = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LANGUAGE_COOKIE_SECURE = True
`;

const saved = { ...process.env };
const dirs: string[] = [];
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function runAction(settings: string) {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-action-sup-')));
  dirs.push(base);
  const workspace = path.join(base, 'ws');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'settings.py'), settings);
  const output = path.join(base, 'output.txt');
  const summary = path.join(base, 'summary.md');
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  const env: Record<string, string> = { PATH: saved.PATH ?? '', GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
  for (const [name, spec] of Object.entries(ACTION.inputs as Record<string, { default?: string }>)) env[`INPUT_${name.toUpperCase()}`] = name === 'github-token' ? '' : (spec.default ?? '');
  process.env = env;
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  process.exitCode = undefined;
  await run();
  const code = process.exitCode;
  const outputs: Record<string, string> = {};
  for (const m of fs.readFileSync(output, 'utf8').matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
  const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'https-guard.sarif'), 'utf8'));
  return { code, outputs, sarif };
}

describe('the action and inline suppressions', () => {
  it('a suppressed high neither fails the check nor counts in the outputs; the SARIF file keeps it, marked', async () => {
    const quiet = await runAction(`${SETTINGS}SESSION_COOKIE_SECURE = False  # https-guard: ignore[django/session-cookie-insecure] -- set by the CDN\n`);
    expect(quiet.code ?? 0).toBe(0);
    expect(quiet.outputs).toMatchObject({ findings: '0', high: '0', conclusion: 'success' });
    expect(quiet.sarif.runs[0].results.map((r: { ruleId: string; suppressions?: unknown }) => [r.ruleId, r.suppressions])).toEqual([
      ['django/session-cookie-insecure', [{ kind: 'inSource', justification: 'set by the CDN' }]],
    ]);

    const loud = await runAction(`${SETTINGS}SESSION_COOKIE_SECURE = False\n`);
    expect(loud.code).toBe(1);
    expect(loud.outputs).toMatchObject({ findings: '1', high: '1', conclusion: 'failure' });
    expect(loud.sarif.runs[0].results[0].suppressions).toBeUndefined();
  });
});
