import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareProject,
  drift,
  falsePositiveClasses,
  figureLine,
  keyOf,
  listProjects,
  measure,
  moduleOf,
  normaliseAnchor,
  readLabels,
  totals,
  UPDATE_HELP,
  updateLabels,
  type LabelsFile,
  type ProjectLabels,
  type Report,
} from '../../scripts/precision-lib';

const repo = path.resolve(__dirname, '..', '..');
const corpus = path.resolve(repo, process.env.HTTPS_GUARD_CORPUS ?? '../shared/corpus');
const labelsPath = path.join(repo, 'precision', 'labels.json');

describe('precision labels against the corpus', () => {
  const present = fs.existsSync(path.join(corpus, 'projects'));
  const labels = readLabels(labelsPath);

  it('every label has a verdict and a reason, and no key is labelled twice', () => {
    for (const [name, p] of Object.entries(labels.projects)) {
      const seen = new Set<string>();
      for (const l of [...p.findings, ...p.fixed]) {
        expect(['tp', 'fp'], `${name}: ${l.rule} ${l.path}`).toContain(l.verdict);
        expect(l.reason.trim().length, `${name}: ${l.rule} ${l.path} has no reason`).toBeGreaterThan(10);
        if (l.verdict === 'fp') expect(l.class, `${name}: ${l.rule} ${l.path}: a false positive needs a class`).toMatch(/^[a-z-]+$/);
        expect(seen.has(keyOf(l)), `${name}: ${l.rule} ${l.path} «${l.anchor}» labelled twice`).toBe(false);
        seen.add(keyOf(l));
      }
      for (const m of p.missed) expect(m.reason.trim().length, `${name}: miss ${m.rule} ${m.path}`).toBeGreaterThan(10);
    }
  });

  it.skipIf(!present)('every high/medium finding on the corpus still matches its reviewed label', () => {
    const { projects } = measure(corpus, labels);
    expect(projects.map((p) => p.name)).toEqual(listProjects(corpus).map((p) => p.name));
    const d = drift(projects);
    const problems = [
      ...d.regressions.map((l) => `REGRESSION ${l}`),
      ...d.toLabel.map((l) => `NEEDS A LABEL ${l}`),
      ...d.toMove.map((l) => `IMPROVEMENT, move the label to fixed: ${l}`),
      ...d.toPromote.map((l) => `IMPROVEMENT, turn the miss into a label: ${l}`),
    ];
    expect(problems, `${problems.join('\n')}\n\n${UPDATE_HELP}`).toEqual([]);
    // The figure is then fully labelled; print it so a run shows where precision stands.
    const t = totals(projects);
    expect(t.tp + t.fp).toBe(t.counted);
    console.log(figureLine(projects));
  });
});

describe('precision bookkeeping', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-precision-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'settings.py'), 'from .base import *\n\nDEBUG   =   False\n');
  fs.writeFileSync(path.join(dir, 'site.conf'), 'server {\n    listen 80;\n}\n');

  const finding = (ruleId: string, p: string, line: number, severity = 'high', message = 'm') => ({ ruleId, severity, path: p, line, message });
  const report = (...findings: ReturnType<typeof finding>[]): Report => ({ findings, files: [] });
  const labels = (): ProjectLabels => ({
    findings: [
      { rule: 'django/hsts-off', path: 'settings.py', anchor: 'from .base import *', verdict: 'tp', reason: 'deployed module' },
      { rule: 'nginx/http-not-redirected', path: 'site.conf', anchor: 'server {', verdict: 'fp', reason: 'internal hop behind TLS', count: 2 },
    ],
    fixed: [],
    missed: [{ rule: 'django/session-cookie-insecure', path: 'settings.py', reason: 'not reported today' }],
  });

  it('keys a finding by its normalised line, not its number, and counts only high and medium', () => {
    const r = compareProject('p', dir, report(finding('django/hsts-off', 'settings.py', 1), finding('django/x', 'settings.py', 3, 'low'), finding('nginx/http-not-redirected', 'site.conf', 1), finding('nginx/http-not-redirected', 'site.conf', 1)), labels());
    expect([r.tp, r.fp, r.unlabelled.length, r.vanishedTp.length, r.vanishedFp.length]).toEqual([1, 2, 0, 0, 0]);
    expect(normaliseAnchor('  DEBUG   =\tFalse ')).toBe('DEBUG = False');
    expect(r.knownReal).toBe(2);
  });

  it('a true positive that disappears is a regression', () => {
    const r = compareProject('p', dir, report(finding('nginx/http-not-redirected', 'site.conf', 1), finding('nginx/http-not-redirected', 'site.conf', 1)), labels());
    expect(drift([r]).regressions).toHaveLength(1);
    expect(drift([r]).regressions[0]).toContain('django/hsts-off settings.py');
  });

  it('a new finding, or one more of a labelled key, needs a label', () => {
    const r = compareProject('p', dir, report(finding('django/hsts-off', 'settings.py', 1), finding('django/hsts-off', 'settings.py', 1), finding('django/new', 'settings.py', 3, 'medium'), finding('nginx/http-not-redirected', 'site.conf', 1), finding('nginx/http-not-redirected', 'site.conf', 1)), labels());
    expect(r.unlabelled.map((k) => `${k.rule} ${k.anchor}`).sort()).toEqual(['django/hsts-off from .base import *', 'django/new DEBUG = False']);
    expect(figureLine([r])).toBe('precision high+medium: 1/5 = 20.0% (labelled 3 of 5)');
  });

  it('the same line judged for two settings modules is two keys', () => {
    const a = finding('django/hsts-off', 'settings.py', 1, 'high', 'x (settings module a/ci.py).');
    const b = finding('django/hsts-off', 'settings.py', 1, 'high', 'x (settings module a/prod.py).');
    expect(moduleOf(a.message)).toBe('a/ci.py');
    expect(moduleOf('x (settings module a/ci.py judged by fallback: no entry point names one).')).toBe('a/ci.py');
    expect(moduleOf('no module here')).toBeUndefined();
    const own: ProjectLabels = { findings: [{ rule: 'django/hsts-off', path: 'settings.py', anchor: 'from .base import *', module: 'a/prod.py', verdict: 'tp', reason: 'the deployed module' }], fixed: [], missed: [] };
    const r = compareProject('p', dir, report(a, b), own);
    expect(r.tp).toBe(1);
    expect(r.unlabelled.map((k) => k.module)).toEqual(['a/ci.py']);
  });

  it('--update moves a vanished false positive to fixed and never writes a verdict for a new finding', () => {
    const file: LabelsFile = { projects: { p: labels() } };
    const r = compareProject('p', dir, report(finding('django/hsts-off', 'settings.py', 1), finding('nginx/http-not-redirected', 'site.conf', 1), finding('django/new', 'settings.py', 3)), file.projects.p);
    expect(drift([r]).toMove).toHaveLength(1);
    const next = updateLabels(file, [r]);
    expect(next.projects.p.findings.find((l) => l.rule === 'nginx/http-not-redirected')?.count).toBe(1);
    expect(next.projects.p.fixed).toEqual([{ rule: 'nginx/http-not-redirected', path: 'site.conf', anchor: 'server {', verdict: 'fp', reason: 'internal hop behind TLS' }]);
    expect(next.projects.p.findings.map((l) => l.rule)).toEqual(['django/hsts-off', 'nginx/http-not-redirected']);
    expect(file.projects.p.findings[1].count).toBe(2);
    // After the update the same scan is clean except for the new finding, which still needs a human verdict.
    const again = compareProject('p', dir, report(finding('django/hsts-off', 'settings.py', 1), finding('nginx/http-not-redirected', 'site.conf', 1), finding('django/new', 'settings.py', 3)), next.projects.p);
    const d = drift([again]);
    expect([d.regressions.length, d.toMove.length, d.toLabel.length]).toEqual([0, 0, 1]);
  });

  it('counts current false positives per class, leaving out the ones that vanished', () => {
    const own = labels();
    own.findings[1].class = 'internal-nginx-behind-tls';
    const r = compareProject('p', dir, report(finding('django/hsts-off', 'settings.py', 1), finding('nginx/http-not-redirected', 'site.conf', 1)), own);
    expect(falsePositiveClasses([r], { projects: { p: own } })).toEqual([['internal-nginx-behind-tls', 1]]);
  });

  it('a settings module that is the finding\'s own file does not change its key', () => {
    const r = compareProject('p', dir, report(finding('django/hsts-off', 'settings.py', 1, 'high', 'x (settings module settings.py judged by fallback).'), finding('nginx/http-not-redirected', 'site.conf', 1), finding('nginx/http-not-redirected', 'site.conf', 1)), labels());
    expect([r.tp, r.fp, r.unlabelled.length]).toEqual([1, 2, 0]);
  });

  it('a recorded miss that is now reported becomes a true-positive label on --update, with the reviewer\'s reason', () => {
    const file: LabelsFile = { projects: { p: labels() } };
    const found = [finding('django/hsts-off', 'settings.py', 1), finding('nginx/http-not-redirected', 'site.conf', 1), finding('nginx/http-not-redirected', 'site.conf', 1), finding('django/session-cookie-insecure', 'settings.py', 3)];
    const r = compareProject('p', dir, report(...found), file.projects.p);
    const d = drift([r]);
    expect([d.toPromote.length, d.toLabel.length]).toEqual([1, 0]);
    const next = updateLabels(file, [r]);
    expect(next.projects.p.missed).toEqual([]);
    expect(next.projects.p.findings[2]).toEqual({ rule: 'django/session-cookie-insecure', path: 'settings.py', anchor: 'DEBUG = False', verdict: 'tp', reason: 'not reported today' });
    const after = compareProject('p', dir, report(...found), next.projects.p);
    expect([after.tp, after.unlabelled.length, after.knownReal]).toEqual([2, 0, 2]);
  });

  it('a false positive recorded as fixed that fires again is flagged as such', () => {
    const own: ProjectLabels = { findings: [], fixed: [{ rule: 'nginx/http-not-redirected', path: 'site.conf', anchor: 'server {', verdict: 'fp', reason: 'internal hop' }], missed: [] };
    const r = compareProject('p', dir, report(finding('nginx/http-not-redirected', 'site.conf', 1)), own);
    expect(drift([r]).toLabel[0]).toContain('fixed fires again');
  });

  it('counts high/medium findings on non-production files once the JSON carries roles', () => {
    const rep: Report = { findings: [finding('django/hsts-off', 'settings.py', 1), finding('nginx/http-not-redirected', 'site.conf', 1, 'medium')], files: [{ path: 'settings.py', kind: 'django-settings', role: 'production' }, { path: 'site.conf', kind: 'nginx', role: 'test' }] };
    expect(compareProject('p', dir, rep, labels()).nonProduction).toBe(1);
    expect(compareProject('p', dir, report(finding('django/hsts-off', 'settings.py', 1)), labels()).nonProduction).toBeUndefined();
  });
});
