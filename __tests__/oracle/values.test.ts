// Value oracle: every security setting our evaluator computes, against the value Django holds after importing the
// same module. See README.md beside this file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, probeOracle } from './django-oracle';
import {
  canonEqual,
  COMPARED_SETTINGS,
  canonOurs,
  compareModule,
  DOCUMENTED_VALUE_DIFFERENCES,
  discoverValueWorkspaces,
  ourModules,
  planJobs,
  runJobs,
  showCanon,
  type OurModule,
  type SettingComparison,
  type ValueRun,
} from './values-oracle';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sharedRoot = path.resolve(repoRoot, '..', 'shared');
const shared = fs.existsSync(sharedRoot) ? sharedRoot : undefined;
const CI = process.env.CI === 'true';

/** Settings compared (both sides known) on cases and fixtures when last raised; the corpus is counted apart. */
const MIN_COMPARED_SETTINGS = 3300;

describe('value oracle helpers', () => {
  const loc = { path: 'x.py', line: 1, column: 1, endLine: 1, endColumn: 2 };
  it('keeps Python types apart: True is not 1, a list is not a tuple', () => {
    expect(canonEqual({ t: 'int', v: 1 }, { t: 'bool', v: true })).toBe(false);
    expect(canonEqual({ t: 'bool', v: true }, { t: 'bool', v: true })).toBe(true);
    expect(canonEqual({ t: 'int', v: 3600 }, { t: 'num', v: 3600 })).toBe(true);
    expect(canonEqual({ t: 'list', items: [{ t: 'str', v: 'a' }] }, { t: 'tuple', items: [{ t: 'str', v: 'a' }] })).toBe(false);
    expect(canonEqual({ t: 'set', items: [{ t: 'str', v: 'a' }, { t: 'str', v: 'b' }] }, { t: 'set', items: [{ t: 'str', v: 'b' }, { t: 'str', v: 'a' }] })).toBe(true);
  });
  it('takes an unknown value at its default, and a value with an unknown part as not comparable', () => {
    expect(canonOurs({ t: 'unknown', why: 'env', loc, assumed: { t: 'bool', v: false, loc } })).toEqual({ t: 'bool', v: false });
    expect(canonOurs({ t: 'list', loc, items: [{ t: 'str', v: 'a', loc }, { t: 'unknown', why: 'x', loc }] })).toBeUndefined();
  });
});

const probe = probeOracle();

if (!probe.ok && CI) {
  describe('value oracle', () => {
    it('has /usr/bin/python3 with Django (mandatory in CI)', () => {
      throw new Error(`The value oracle is mandatory in CI (CI=true) but unavailable: ${probe.reason}. Install Debian's python3-django for ${PYTHON}.`);
    });
  });
} else if (!probe.ok) {
  console.warn(`[values] Skipping the value oracle: ${probe.reason}. (Mandatory when CI=true.)`);
  describe.skip('value oracle (needs /usr/bin/python3 with Django)', () => {
    it('skipped', () => {});
  });
} else {
  if (!shared) console.warn(`[values] ${sharedRoot} is absent: the corpus is not compared.`);
  const workspaces = discoverValueWorkspaces(repoRoot, shared);
  const engineErrors: string[] = [];
  const notJudged: string[] = [];
  const modules: OurModule[] = [];
  for (const ws of workspaces) {
    const r = ourModules(ws);
    if (r.error) engineErrors.push(`${ws.label}: ${r.error}`);
    for (const s of r.skipped) notJudged.push(`${ws.label} :: ${s}`);
    modules.push(...r.modules);
  }
  const runs = new Map<number, ValueRun>();
  const comparisons = new Map<number, SettingComparison[]>();
  let tmpBase: string | undefined;
  let elapsedMs = 0;
  const key = (m: OurModule) => `${m.workspace.label} :: ${m.module}`;
  const documented = (m: OurModule, setting: string) => DOCUMENTED_VALUE_DIFFERENCES.find((d) => d.label === m.workspace.label && d.module === m.module && d.setting === setting);

  describe(`value oracle (Django ${probe.djangoVersion})`, () => {
    beforeAll(async () => {
      const started = Date.now();
      tmpBase = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-values-')));
      const jobs = planJobs(modules, probe, tmpBase);
      const results = await runJobs(jobs, tmpBase, Math.max(1, Math.min(2, os.availableParallelism())));
      for (const [id, r] of results) runs.set(id, r);
      modules.forEach((m, i) => {
        const r = runs.get(i);
        if (r?.ok) comparisons.set(i, compareModule(m.values, r));
      });
      elapsedMs = Date.now() - started;
    }, 300_000);

    afterAll(() => {
      if (tmpBase) fs.rmSync(tmpBase, { recursive: true, force: true });
    });

    it('judges every workspace without an engine error', () => {
      expect(engineErrors).toEqual([]);
    });

    modules.forEach((m, i) => {
      it(key(m), (ctx) => {
        const r = runs.get(i);
        if (!r?.ok) ctx.skip(`not importable by Django: ${r?.reason ?? 'no result'}`);
        const wrong = comparisons.get(i)!.filter((c) => c.verdict === 'disagreed' && !documented(m, c.setting));
        if (wrong.length > 0) {
          expect.fail(
            `our values disagree with Django's for ${key(m)}:\n${wrong.map((c) => `  ${c.setting}: Django ${showCanon(c.django)}, ours ${c.ours ? showCanon(c.ours) : '?'} (${c.note})`).join('\n')}`,
          );
        }
      });
    });

    it('summary: agreement figures; every documented difference still occurs', () => {
      const all = [...comparisons.entries()];
      const tally = (pick: (m: OurModule) => boolean) => {
        const cs = all.filter(([i]) => pick(modules[i])).flatMap(([, c]) => c);
        return {
          compared: cs.filter((c) => c.verdict !== 'not-comparable').length,
          agreed: cs.filter((c) => c.verdict === 'agreed').length,
          disagreed: cs.filter((c) => c.verdict === 'disagreed').length,
          unknown: cs.filter((c) => c.verdict === 'not-comparable').length,
        };
      };
      const local = tally((m) => m.workspace.origin !== 'corpus');
      const corpus = tally((m) => m.workspace.origin === 'corpus');
      const failed = modules.map((m, i) => [m, runs.get(i)] as const).filter(([, r]) => !r?.ok);
      const line = (name: string, t: ReturnType<typeof tally>) =>
        `  ${name.padEnd(18)} settings compared ${t.compared}, agreed ${t.agreed}, disagreed ${t.disagreed}, not comparable (ours unknown) ${t.unknown}`;
      const lines = [
        `Value oracle (Django ${probe.djangoVersion}): ${workspaces.length} workspaces, ${modules.length} settings modules, ${comparisons.size} imported, ${COMPARED_SETTINGS.length} settings each, ${(elapsedMs / 1000).toFixed(1)} s`,
        line('cases + fixtures', local),
        line('corpus', corpus),
        `  not importable by Django (not compared): ${failed.length}`,
        ...failed.map(([m, r]) => `    - ${key(m)}: ${r?.reason ?? 'no result'}`),
        `  classified as settings but not judged by the engine: ${notJudged.length}`,
        ...notJudged.map((n) => `    - ${n}`),
        '  disagreements:',
        ...all.flatMap(([i, cs]) =>
          cs.filter((c) => c.verdict === 'disagreed').map((c) => `    ${documented(modules[i], c.setting) ? 'documented' : 'DIFF      '} ${key(modules[i])} ${c.setting}: Django ${showCanon(c.django)}, ours ${c.ours ? showCanon(c.ours) : '?'}`),
        ),
        '  not comparable, by reason (first 40):',
        ...notComparableReasons(all.flatMap(([i, cs]) => cs.filter((c) => c.verdict === 'not-comparable').map((c) => `${c.setting}: ${c.note}`))),
      ];
      console.log(lines.join('\n'));
      expect(local.compared, `at least ${MIN_COMPARED_SETTINGS} case/fixture settings must be compared`).toBeGreaterThanOrEqual(MIN_COMPARED_SETTINGS);
      if (shared) expect(corpus.compared, 'the corpus must yield compared settings').toBeGreaterThan(0);
      for (const d of DOCUMENTED_VALUE_DIFFERENCES) {
        const i = modules.findIndex((m) => m.workspace.label === d.label && m.module === d.module);
        const c = comparisons.get(i)?.find((x) => x.setting === d.setting);
        expect(c?.verdict, `documented difference ${d.label} :: ${d.module} ${d.setting} must still be compared and differ`).toBe('disagreed');
      }
    });
  });
}

function notComparableReasons(list: string[]): string[] {
  const counts = new Map<string, number>();
  for (const r of list) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([r, n]) => `    ${String(n).padStart(4)} × ${r.slice(0, 160)}`);
}
