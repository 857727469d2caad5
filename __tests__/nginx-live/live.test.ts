// The redirect and HSTS rules against a real nginx: every case here and every fixture of those rules is run by
// nginx on loopback ports, probed over HTTP and HTTPS, and the rule's verdict must match what the server did.
// Mandatory in CI (CI=true); skipped elsewhere when nginx or openssl is missing. See README.md.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NGINX_BIN, OPENSSL_BIN, nginxVersion, pool, runs, setupShared, teardownShared, type Shared } from './harness';
import { explain, isOk, label, runEntry, type Entry, type EntryResult } from './run';
import { RULE_IDS, type LiveRuleId } from './truth';
import { RULES } from '../../src/rules';

const HERE = __dirname;
const CASES = path.join(HERE, 'cases');
const FIXTURES = path.join(HERE, '..', 'rules');
const inCI = process.env.CI === 'true';
const haveNginx = runs(NGINX_BIN, ['-v']);
const haveOpenssl = runs(OPENSSL_BIN, ['version']);
const enabled = haveNginx && haveOpenssl;
/** Fixtures run at once: each is one nginx process plus a handful of requests. */
const CONCURRENCY = 3;

if (!enabled && !inCI) {
  console.warn(
    `[nginx-live] skipped: ${!haveNginx ? `no nginx at ${NGINX_BIN} (set HTTPS_GUARD_NGINX)` : ''}${!haveNginx && !haveOpenssl ? '; ' : ''}${!haveOpenssl ? `no ${OPENSSL_BIN} (set HTTPS_GUARD_OPENSSL)` : ''}`,
  );
}

function entriesIn(dir: string, rule: LiveRuleId, source: Entry['source']): Entry[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => !n.startsWith('.') && n !== 'README.md')
    .sort()
    .map((name) => {
      const abs = path.join(dir, name);
      return { rule, source, name, abs, isDir: fs.statSync(abs).isDirectory() };
    });
}

const entries: Entry[] = RULE_IDS.flatMap((rule) => [
  ...entriesIn(path.join(CASES, rule.replace(/^nginx\//, '')), rule, 'case'),
  ...entriesIn(path.join(FIXTURES, rule), rule, 'fixture'),
]);

describe('nginx live: redirect and HSTS rules against a running server', () => {
  it('has nginx and openssl in CI', () => {
    if (inCI) expect({ nginx: haveNginx, openssl: haveOpenssl }).toEqual({ nginx: true, openssl: true });
  });

  describe.skipIf(!enabled)(`nginx ${enabled ? nginxVersion() : ''}`, () => {
    let shared: Shared | undefined;
    const results = new Map<Entry, EntryResult>();

    beforeAll(async () => {
      shared = await setupShared();
      const s = shared;
      const out = await pool(entries, CONCURRENCY, async (e) => {
        try {
          return await runEntry(e, s);
        } catch (err) {
          const r: EntryResult = { entry: e, status: 'failed', reason: `harness error: ${(err as Error).stack ?? err}`, observations: [], notes: [], ms: 0 };
          return r;
        }
      });
      for (const r of out) results.set(r.entry, r);
    }, 240_000);

    afterAll(async () => {
      await teardownShared(shared);
      if (results.size > 0) console.log(summary([...results.values()]));
      // HTTPS_GUARD_LIVE_VERBOSE=1: every entry with the responses it got.
      if (process.env.HTTPS_GUARD_LIVE_VERBOSE) for (const r of results.values()) console.log(explain(r, 200));
    });

    for (const e of entries) {
      it(label(e), () => {
        const r = results.get(e);
        expect(r, 'not run (setup failed)').toBeDefined();
        const res = r as EntryResult;
        expect(res.status, explain(res)).not.toBe('failed');
        if (res.status !== 'ran') return;
        const truth = res.truth!;
        if (e.source === 'case') {
          // A case is only useful if the server really behaves as its name says.
          expect(truth.fires, `case ${e.name}: the server ${truth.fires ? 'shows' : 'does not show'} the problem\n${explain(res)}`).toBe(!isOk(e.name));
        }
        if (!res.verdict?.registered) return; // reported by the rule coverage test below
        expect(ruleSays(res), `rule and server disagree\n${explain(res)}`).toBe(truth.fires);
        if (e.rule === 'nginx/hsts-max-age-short' && truth.fires) {
          expect(res.verdict.severity, `severity for the max-age seen\n${explain(res)}`).toBe(truth.severity);
        }
      });
    }

    it('ran every rule at least once and compared it with its verdict', () => {
      const registered = new Set(RULES.map((r) => r.meta.id));
      for (const rule of RULE_IDS) {
        const ran = [...results.values()].filter((r) => r.entry.rule === rule && r.status === 'ran');
        expect(ran.length, `${rule}: no fixture or case ran`).toBeGreaterThan(0);
        expect(registered.has(rule), `${rule} is not registered in src/rules: its verdict cannot be compared with the server`).toBe(true);
      }
    });
  });
});

/**
 * The rule's verdict as the server can check it. A 2xx over TLS without the header is what both hsts-missing and
 * hsts-dropped-in-location describe, and responses cannot say which level lost it: those two are compared as one.
 */
function ruleSays(r: EntryResult): boolean {
  const v = r.verdicts!;
  if (r.entry.rule === 'nginx/hsts-missing' || r.entry.rule === 'nginx/hsts-dropped-in-location') {
    return v['nginx/hsts-missing'].fires || v['nginx/hsts-dropped-in-location'].fires;
  }
  return r.verdict!.fires;
}

function summary(list: EntryResult[]): string {
  const ran = list.filter((r) => r.status === 'ran');
  const compared = ran.filter((r) => r.verdict?.registered);
  const agreed = compared.filter((r) => ruleSays(r) === r.truth!.fires && (r.entry.rule !== 'nginx/hsts-max-age-short' || !r.truth!.fires || r.verdict!.severity === r.truth!.severity));
  const casesWrong = ran.filter((r) => r.entry.source === 'case' && r.truth!.fires === isOk(r.entry.name));
  const lines = [
    `[nginx-live] ${list.length} entries (${list.filter((r) => r.entry.source === 'case').length} cases, ${list.filter((r) => r.entry.source === 'fixture').length} fixtures): ` +
      `${ran.length} run, ${compared.length} compared with the rule, ${agreed.length} agreed, ` +
      `${list.filter((r) => r.status === 'skipped').length} skipped, ${list.filter((r) => r.status === 'failed').length} failed` +
      `${casesWrong.length ? `, ${casesWrong.length} cases contradicted by the server` : ''}; ${Math.round(list.reduce((a, r) => a + r.ms, 0) / 1000)} s of fixture time`,
  ];
  for (const rule of RULE_IDS) {
    const mine = list.filter((r) => r.entry.rule === rule);
    const n = (s: EntryResult['status']) => mine.filter((r) => r.status === s).length;
    lines.push(`  ${rule}: ${n('ran')} run, ${n('skipped')} skipped, ${n('failed')} failed${RULES.some((r) => r.meta.id === rule) ? '' : ' (rule not registered)'}`);
  }
  for (const r of list.filter((x) => x.status === 'skipped')) lines.push(`  skipped ${label(r.entry)}: ${r.reason}`);
  for (const r of list.filter((x) => x.status === 'failed')) lines.push(`  FAILED ${label(r.entry)}: ${r.reason?.split('\n')[0]}`);
  for (const r of compared.filter((x) => !agreed.includes(x))) {
    lines.push(`  DISAGREE ${label(r.entry)}: rule ${ruleSays(r) ? 'fires' : 'silent'}${r.verdict!.severity ? ` [${r.verdict!.severity}]` : ''}, server ${r.truth!.fires ? 'fires' : 'silent'}${r.truth!.severity ? ` [${r.truth!.severity}]` : ''}`);
  }
  return lines.join('\n');
}
