// Truth from the real stack: every case in cases/ runs as Debian nginx + uwsgi or gunicorn + Django 3.2 on loopback.
// (a) what the stack did must equal the case's recorded observations (case.json), so a change in the truth is seen;
// (b) HTTPS Guard's scan of the case folder must agree with those observations, row by row of ROWS (probes.ts).
// Mandatory when CI=true; elsewhere the live part is skipped with a message when a binary is missing, and part (b)
// still runs on the recorded observations. HTTPS_GUARD_STACK_RECORD=1 writes the observations into case.json.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { RULES } from '../../src/rules';
import {
  GUNICORN_BIN, NGINX_BIN, OPENSSL_BIN, PYTHON, START_TIMEOUT_MS, UWSGI_BIN, chownTree, complaint, loadCase, portPool, prepareCase, runs,
  setupShared, startApp, startNginx, teardownShared, waitReady, writeNginxMain, type Case, type Prepared, type Running, type Shared,
} from './harness';
import { ROWS, observe, type Observed, type Row } from './probes';
import { pool } from '../nginx-live/harness';

const CASES = path.join(__dirname, 'cases');
const inCI = process.env.CI === 'true';
const record = process.env.HTTPS_GUARD_STACK_RECORD === '1';
/** Listen keys (at most 3 in a case) plus the app server's port. */
const PORTS_PER_CASE = 4;
/** App servers starting at once: each is a Python process importing Django, and CI has 2 cores. */
const APP_STARTS_AT_ONCE = 4;

const cases: Case[] = fs
  .readdirSync(CASES)
  .filter((n) => fs.existsSync(path.join(CASES, n, 'case.json')))
  .sort()
  .map((n) => loadCase(path.join(CASES, n)));

const binaries: [string, boolean][] = [
  [NGINX_BIN, runs(NGINX_BIN, ['-v'])],
  [OPENSSL_BIN, runs(OPENSSL_BIN, ['version'])],
  [`${PYTHON} with Django`, runs(PYTHON, ['-c', 'import django'])],
  [UWSGI_BIN, runs(UWSGI_BIN, ['--plugins', 'python3', '--version'])],
  [GUNICORN_BIN, runs(GUNICORN_BIN, ['--version'])],
];
const missing = binaries.filter(([, ok]) => !ok).map(([b]) => b);
const live = missing.length === 0;
if (!live && !inCI) console.warn(`[stack] live stack skipped, missing: ${missing.join(', ')} (part (b) still runs on case.json)`);

interface Outcome {
  observed?: Observed;
  error?: string;
}

describe('the real stack: nginx + uwsgi/gunicorn + Django on loopback', () => {
  it('has every binary in CI', () => {
    if (inCI) expect(missing, 'CI=true: .ci/run installs nginx, openssl, python3-django, uwsgi-plugin-python3, gunicorn').toEqual([]);
  });

  it('has at least 16 cases, each row of the mapping seen both ways', () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
    for (const row of ROWS) {
      const seen = cases.map((c) => c.spec.observed).filter((o): o is Observed => !!o && (!row.applies || row.applies(o)));
      const values = seen.map((o) => row.truth(o));
      expect(values.filter(Boolean).length, `${row.id}: no case shows it`).toBeGreaterThan(0);
      expect(values.filter((v) => !v).length, `${row.id}: every case shows it`).toBeGreaterThan(0);
    }
  });

  describe.skipIf(!live)('(a) the stack does what case.json recorded', () => {
    let shared: Shared | undefined;
    const running: Running[] = [];
    const outcomes = new Map<string, Outcome>();
    let seconds = 0;

    beforeAll(async () => {
      const t0 = Date.now();
      shared = setupShared();
      const s = shared;
      const prepared: Prepared[] = [];
      const takePort = await portPool(cases.length * PORTS_PER_CASE);
      for (const c of cases) {
        try {
          prepared.push(prepareCase(c, s, path.join(s.dir, 'cases'), takePort));
        } catch (e) {
          outcomes.set(c.name, { error: `could not prepare: ${(e as Error).message}` });
        }
      }
      const main = writeNginxMain(s.dir, prepared.map((p) => p.site));
      chownTree(s.dir);
      try {
        // App servers start in parallel (a few at a time), each bounded; one that does not come up is that case's error, with its log.
        const apps = await pool(
          prepared,
          APP_STARTS_AT_ONCE,
          async (p) => {
            const app = startApp(p);
            running.push(app);
            const ok = await waitReady(app, [p.appSocket ? { path: p.appSocket } : { port: p.appPort as number }]);
            if (!ok) outcomes.set(p.case.name, { error: `${p.case.app.server} did not start within ${START_TIMEOUT_MS} ms:\n${app.log()}` });
            return ok;
          },
        );
        const up = prepared.filter((_, i) => apps[i]);
        const nginx = startNginx(s.dir, main.conf, main.errorLog);
        running.push(nginx);
        const ports = up.flatMap((p) => [...p.ports.values()].map((x) => ({ port: x.port })));
        if (!(await waitReady(nginx, ports))) {
          const why = `nginx did not start within ${START_TIMEOUT_MS} ms: ${complaint(nginx.log())}`;
          for (const p of up) outcomes.set(p.case.name, { error: why });
          return;
        }
        await Promise.all(
          up.map(async (p) => {
            try {
              const observed = await observe(p, main.accessLog);
              // A refused connection is a server that is not there, not something the case does.
              if (JSON.stringify(observed).includes('ECONNREFUSED')) throw new Error(`a server refused connections:\n${JSON.stringify(observed, null, 1)}`);
              outcomes.set(p.case.name, { observed });
            } catch (e) {
              outcomes.set(p.case.name, { error: `probe failed: ${(e as Error).stack}` });
            }
          }),
        );
        // A server that died while the probes ran makes every answer after it meaningless.
        const dead = [nginx, ...running].filter((r) => r.child.exitCode !== null || r.child.signalCode !== null);
        if (dead.length) {
          const why = `a server exited during the probes:\n${dead.map((r) => complaint(r.log())).join('\n')}`;
          for (const p of up) outcomes.set(p.case.name, { error: why });
        }
      } finally {
        await Promise.all(running.map((r) => r.stop()));
        seconds = (Date.now() - t0) / 1000;
      }
    }, 120_000);

    afterAll(async () => {
      await Promise.all(running.map((r) => r.stop()));
      teardownShared(shared);
      console.log(`[stack] ${cases.length} cases, ${outcomes.size} outcomes, ${[...outcomes.values()].filter((o) => o.error).length} errors; stack up and probed in ${seconds.toFixed(1)} s`);
    });

    for (const c of cases) {
      it(`${c.name}: ${c.spec.description}`, () => {
        const o = outcomes.get(c.name);
        expect(o, 'not run (setup failed)').toBeDefined();
        expect(o?.error, `${c.name}: the stack failed`).toBeUndefined();
        const observed = o?.observed as Observed;
        if (record) {
          fs.writeFileSync(path.join(c.dir, 'case.json'), `${JSON.stringify({ ...c.spec, observed }, null, 2)}\n`);
          return;
        }
        expect(observed, `${c.name}: the stack's observations differ from case.json (HTTPS_GUARD_STACK_RECORD=1 rewrites it)`).toEqual(c.spec.observed);
      });
    }
  });

  describe('(b) HTTPS Guard agrees with what the stack did', () => {
    const registered = new Set(RULES.map((r) => r.meta.id));
    for (const c of cases) {
      it(`${c.name}`, () => {
        const observed = c.spec.observed;
        expect(observed, `${c.name}/case.json has no observations: run the stack with HTTPS_GUARD_STACK_RECORD=1`).toBeDefined();
        const { result } = analyse({ root: c.dir });
        const fired = new Set(result.findings.map((f) => f.ruleId));
        const problems: string[] = [];
        for (const row of ROWS) {
          const missingRules = unregistered(row, registered);
          if (missingRules.length) {
            problems.push(`${row.id}: rule ${missingRules.join(', ')} not registered`);
            continue;
          }
          const o = observed as Observed;
          if (row.applies && !row.applies(o)) continue;
          const truth = row.truth(o);
          const ours = [...rulesOf(row, registered), ...(row.folded ?? []).filter((f) => f.when(o)).map((f) => f.rule)].filter((r) => fired.has(r));
          if (truth !== ours.length > 0) {
            problems.push(
              `${row.id}: the stack ${truth ? 'shows' : 'does not show'} "${row.observed}", but ${ours.length ? `${ours.join(', ')} fired` : `none of ${rulesOf(row, registered).join(', ')} fired`}`,
            );
          }
        }
        const findings = result.findings.map((f) => `  ${f.path}:${f.line} [${f.ruleId} ${f.severity}] ${f.message}`).join('\n');
        expect(problems, `${c.name}: ${c.spec.description}\nfindings:\n${findings}\nobserved: ${JSON.stringify(observed, null, 1)}`).toEqual([]);
      });
    }
  });
});

function rulesOf(row: Row, registered: Set<string>): string[] {
  const family = [...registered].filter((id) => row.families?.some((f) => id.startsWith(f)));
  return [...row.rules, ...family];
}

function unregistered(row: Row, registered: Set<string>): string[] {
  const out = row.rules.filter((r) => !registered.has(r));
  for (const f of row.families ?? []) if (![...registered].some((id) => id.startsWith(f))) out.push(`${f}* (none)`);
  return out;
}
