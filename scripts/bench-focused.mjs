#!/usr/bin/env node
// node scripts/bench-focused.mjs [--projects N]: a monorepo of N linked deployments (Procfile + nginx + settings per
// project); times the CLI's partial run on one changed settings module, focused and with HTTPS_GUARD_FOCUSED=0 (a
// full scan restricted afterwards), and checks the two reports are byte-identical.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './bench-threads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const cli = process.env.HTTPS_GUARD_BENCH_CLI ?? join(here, '..', 'dist', 'cli', 'index.js');
const i = process.argv.indexOf('--projects');
const PROJECTS = i === -1 ? 400 : Number(process.argv[i + 1]);
const root = mkdtempSync(join(tmpdir(), 'hg-focused-'));
try {
  generate(root, PROJECTS, true);
  const changed = `p${Math.floor(PROJECTS / 2)}/p${Math.floor(PROJECTS / 2)}/settings.py`;
  const run = (focused) => {
    const child = spawnSync(process.execPath, [cli, changed, '--root', root, '--format', 'json', '--fail-on', 'never', '--jobs', '1'], {
      cwd: root,
      env: { ...process.env, HTTPS_GUARD_TIMING: 'json', HTTPS_GUARD_DEBUG: '1', HTTPS_GUARD_FOCUSED: focused ? '1' : '0' },
      maxBuffer: 1 << 30,
    });
    if (child.status !== 0) throw new Error(String(child.stderr));
    const lines = child.stderr.toString().trim().split('\n');
    const t = JSON.parse(lines.find((l) => l.startsWith('{')));
    const scanMs = Object.values(t.phases).reduce((a, b) => a + b, 0);
    return { out: child.stdout.toString(), scanMs, debug: lines.filter((l) => l.includes('debug')).join(' ') };
  };
  const full = run(false);
  const focused = run(true);
  if (full.out !== focused.out) throw new Error('focused and full reports differ');
  console.log(`${PROJECTS} projects, changed ${changed}; reports byte-identical`);
  console.log(`full scan: ${full.scanMs.toFixed(0)} ms of scan time`);
  console.log(`focused:   ${focused.scanMs.toFixed(0)} ms of scan time (${focused.debug})`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
