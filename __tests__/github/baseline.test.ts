// The `baseline` input: on a pull request it is the base commit's, so a pull request cannot accept its own findings.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBaseline } from '../../src/engine/baseline';
import { analyse } from '../../src/engine/scan';
import { checkout, type Checkout, openPullRequestOn, runActionFromSource, useFakeGitHub } from './harness';
import { INSECURE_SESSION, settingsModule } from './settings';

const fake = useFakeGitHub();

const openPullRequest = (c: Checkout) => openPullRequestOn(fake, c);

/** The baseline of a workspace holding these files. */
function baselineOf(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-gh-baseline-')));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    return formatBaseline(analyse({ root }).result.findings, '0.1.0');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const INSECURE = settingsModule(INSECURE_SESSION);
const INPUTS = { baseline: '.https-guard-baseline.json', 'sarif-file': 'https-guard.sarif' };

describe('the baseline input', () => {
  it("accepts the base commit's findings after a pull request moves them", async () => {
    const accepted = baselineOf({ 'app/settings.py': INSECURE });
    expect(accepted).toContain('django/session-cookie-insecure');
    const moved = `# moved down\n\n${INSECURE}`;
    const c = checkout({ 'app/settings.py': INSECURE, '.https-guard-baseline.json': accepted }, { 'app/settings.py': moved });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: INPUTS });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ high: '0', conclusion: 'success' });
    expect(r.stdout).toMatch(/Baseline: 1 finding accepted by the baseline \.https-guard-baseline\.json of the base commit [0-9a-f]{7}/);
    expect(r.sarif?.runs[0].results).toEqual([]);
  });

  it('ignores a baseline the pull request adds or edits: its own new finding still fails', async () => {
    const c = checkout({ 'app/settings.py': settingsModule() }, { 'app/settings.py': INSECURE, '.https-guard-baseline.json': baselineOf({ 'app/settings.py': INSECURE }) });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: INPUTS });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ high: '1', conclusion: 'failure' });
    expect(r.stdout).toContain('does not exist; every finding is reported');
  });

  it('fails the run on a malformed base baseline, naming the file and line', async () => {
    const c = checkout({ 'app/settings.py': settingsModule(), '.https-guard-baseline.json': '{\n  "version": 1,\n  "findings": [\n    {"fingerprint": 1}\n  ]\n}\n' }, { 'app/settings.py': INSECURE });
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequest(c), fake, inputs: INPUTS });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::HTTPS Guard: \.https-guard-baseline\.json at the base commit [0-9a-f]{7}:4:5: findings\[0\]\.fingerprint/);
  });
});
