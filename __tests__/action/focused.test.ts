// The action's focused scan on pull requests and merge groups: only the deployments of the changed files are built,
// and everything it reports equals what the whole-workspace scan reports.
import { describe, expect, it } from 'vitest';
import { checkout, mergeGroupEvent, openPullRequestOn, runActionFromSource, tokenLeak, useFakeGitHub, type ActionRun, type Files } from '../github/harness';
// @ts-expect-error: a plain script, no declarations
import { settings } from '../../scripts/bench-threads.mjs';

const fake = useFakeGitHub();
const PROJECTS = 8;

/** A monorepo of linked deployments: settings, wsgi.py, a Procfile starting gunicorn and an nginx site per project. */
function monorepo(): Files {
  const files: Files = {};
  for (let i = 0; i < PROJECTS; i++) {
    files[`p${i}/manage.py`] = `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "p${i}.settings")\n`;
    files[`p${i}/p${i}/__init__.py`] = '';
    files[`p${i}/p${i}/settings.py`] = settings(i);
    files[`p${i}/p${i}/wsgi.py`] = `import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "p${i}.settings")\napplication = get_wsgi_application()\n`;
    files[`p${i}/Procfile`] = `web: DJANGO_SETTINGS_MODULE=p${i}.settings gunicorn p${i}.wsgi:application --bind 127.0.0.1:${8000 + i}\n`;
    files[`p${i}/nginx.conf`] = `server {\n    listen 443 ssl;\n    server_name p${i}.example.com;\n    ssl_certificate /etc/ssl/p${i}.pem;\n    ssl_certificate_key /etc/ssl/p${i}.key;\n    location / {\n        proxy_pass http://127.0.0.1:${8000 + i};\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n`;
  }
  return files;
}

/** The head: p3's settings turn the session cookie and the redirect off, p5's nginx speaks plain HTTP and old TLS. */
function change(base: Files): Files {
  return {
    'p3/p3/settings.py': (base['p3/p3/settings.py'] as string).replace('SESSION_COOKIE_SECURE = True', 'SESSION_COOKIE_SECURE = False').replace('SECURE_SSL_REDIRECT = True', 'SECURE_SSL_REDIRECT = False'),
    'p5/nginx.conf': (base['p5/nginx.conf'] as string).replace('    listen 443 ssl;\n', '    listen 443 ssl;\n    listen 80;\n    ssl_protocols TLSv1 TLSv1.2;\n'),
  };
}

/** What the run reported: check-run annotations, outputs, the comment without the lines on how much it scanned. */
function reported(r: ActionRun) {
  const runs = [...fake.checkRuns.values()];
  expect(runs).toHaveLength(1);
  const comments = [...fake.comments.values()].flat().map((c) => c.body);
  return {
    code: r.code,
    outputs: r.outputs,
    annotations: runs[0].annotations,
    conclusion: runs[0].conclusion,
    comment: comments.map((b) => b.split('\n').filter((l) => !/Scanned|not reported here|Reported|files? checked/.test(l)).join('\n')),
  };
}

const FOCUSED_NOTE = 'Scanned\\: the deployments of the changed files \\(2 projects\\)';

describe('the action scans only the deployments of the changed files', () => {
  it('on a pull request: focused, with the same annotations, comment, check run and outputs as the whole-workspace scan', async () => {
    const base = monorepo();
    const c = checkout(base, change(base));
    const focused = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequestOn(fake, c), fake, inputs: { 'sarif-file': '' } });
    const a = reported(focused);
    expect(focused.summary).toContain(FOCUSED_NOTE);
    expect(a.annotations.length).toBeGreaterThanOrEqual(3);
    expect(new Set(a.annotations.map((x) => (x as { path: string }).path))).toEqual(new Set(['p3/p3/settings.py', 'p5/nginx.conf']));
    expect(tokenLeak(focused)).toBeUndefined();

    fake.reset();
    const whole = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequestOn(fake, c), fake, inputs: { 'sarif-file': '', focused: 'false' } });
    expect(whole.summary).not.toContain('the deployments of the changed files');
    expect(reported(whole)).toEqual(a);
  }, 120_000);

  it('on a merge group too; HTTPS_GUARD_FOCUSED=0 turns it off', async () => {
    const base = monorepo();
    const c = checkout(base, change(base));
    fake.commits.add(c.head);
    const focused = await runActionFromSource({ workspace: c.dir, eventName: 'merge_group', event: mergeGroupEvent(c.base, c.head), sha: c.head, fake, inputs: { 'sarif-file': '' } });
    expect(focused.summary).toContain(FOCUSED_NOTE);
    const a = reported(focused);
    fake.reset();
    fake.commits.add(c.head);
    const whole = await runActionFromSource({ workspace: c.dir, eventName: 'merge_group', event: mergeGroupEvent(c.base, c.head), sha: c.head, fake, inputs: { 'sarif-file': '' }, env: { HTTPS_GUARD_FOCUSED: '0' } });
    expect(whole.summary).not.toContain('the deployments of the changed files');
    expect(reported(whole)).toEqual(a);
  }, 120_000);

  it('scans the whole workspace when a SARIF file is written (it lists every finding), and says why in the log', async () => {
    const base = monorepo();
    const c = checkout(base, change(base));
    const r = await runActionFromSource({ workspace: c.dir, eventName: 'pull_request', event: openPullRequestOn(fake, c), fake });
    expect(r.summary).not.toContain('the deployments of the changed files');
    expect(r.stdout).toContain('the SARIF file lists every finding of the workspace');
    // Every project's findings are in the SARIF file, not only the changed ones.
    const paths = new Set(r.sarif!.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri.split('/')[0]));
    expect(paths.size).toBeGreaterThan(2);
  }, 120_000);
});
