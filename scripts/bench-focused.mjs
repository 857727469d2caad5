#!/usr/bin/env node
// node scripts/bench-focused.mjs [--projects N] [--runs R]: a monorepo of N linked deployments (Procfile + nginx +
// settings per project); times the CLI's partial run on one changed settings module and on one changed nginx config,
// focused (the default) and with HTTPS_GUARD_FOCUSED=0 (a full scan restricted afterwards), and checks that the two
// reports are byte-identical. Scan time is the sum of the phases HTTPS_GUARD_TIMING reports (no process start);
// medians of R runs, the two modes interleaved. With /usr/bin/time, also the CPU time (user + sys) of the whole
// process, start included: on a loaded machine it moves less than wall time. HTTPS_GUARD_BENCH_CLI picks a bundle
// built outside the repository.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './bench-threads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const cli = process.env.HTTPS_GUARD_BENCH_CLI ?? join(here, '..', 'dist', 'cli', 'index.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const PROJECTS = arg('projects', 400);
const RUNS = arg('runs', 1);
const root = mkdtempSync(join(tmpdir(), 'hg-focused-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  generate(root, PROJECTS, true);
  const mid = Math.floor(PROJECTS / 2);
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'cpu %U %S'] : [];
  const run = (changed, focused) => {
    const argv = [...time, process.execPath, cli, changed, '--root', root, '--format', 'json', '--fail-on', 'never', '--jobs', '1'];
    const child = spawnSync(argv[0], argv.slice(1), {
      cwd: root,
      env: { ...process.env, HTTPS_GUARD_TIMING: 'json', HTTPS_GUARD_DEBUG: '1', HTTPS_GUARD_FOCUSED: focused ? '1' : '0' },
      maxBuffer: 1 << 30,
    });
    if (child.status !== 0) throw new Error(String(child.stderr));
    const lines = child.stderr.toString().trim().split('\n');
    const t = JSON.parse(lines.find((l) => l.startsWith('{')));
    const scanMs = Object.values(t.phases).reduce((a, b) => a + b, 0);
    const cpu = lines.find((l) => l.startsWith('cpu '))?.split(' ');
    const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN;
    return { out: child.stdout.toString(), scanMs, cpuMs, debug: lines.filter((l) => l.includes('debug')).join(' ') };
  };
  console.log(`${PROJECTS} projects, median of ${RUNS} run(s), scan time in ms (phases, without process start)`);
  for (const changed of [`p${mid}/p${mid}/settings.py`, `p${mid}/nginx.conf`]) {
    const full = [];
    const focused = [];
    const fullCpu = [];
    const focusedCpu = [];
    let debug = '';
    for (let r = 0; r < RUNS; r++) {
      const a = run(changed, false);
      const b = run(changed, true);
      if (a.out !== b.out) throw new Error(`${changed}: focused and full reports differ`);
      full.push(a.scanMs);
      focused.push(b.scanMs);
      fullCpu.push(a.cpuMs);
      focusedCpu.push(b.cpuMs);
      debug = b.debug;
    }
    console.log(`changed ${changed}: full ${median(full).toFixed(0)} ms, focused ${median(focused).toFixed(0)} ms; CPU of the process: full ${median(fullCpu).toFixed(0)} ms, focused ${median(focusedCpu).toFixed(0)} ms; reports byte-identical (${debug})`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
