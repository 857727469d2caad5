import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/config';
import { analyse } from '../src/engine/scan';
import { RULES } from '../src/rules';

/**
 * The rule tester: every entry of __tests__/rules/<family>/<rule>/ is a workspace (a single file, or a folder).
 * A name ending in `_ok` must not fire the rule; any other must. Lines marked with an `expect-finding` comment
 * are exactly where it must fire. A folder may hold a .https-guard.json config.
 */
const FIXTURES = path.join(__dirname, 'rules');
const MARK = /expect-finding/;

function fixtureEntries(ruleId: string): string[] {
  const dir = path.join(FIXTURES, ruleId);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => !n.startsWith('.') && n !== 'README.md').sort();
}

function isOk(name: string): boolean {
  return /_ok(\.[^/]*)?$/.test(name);
}

function markedLines(root: string, single?: string): Set<string> {
  const out = new Set<string>();
  const files = single ? [single] : (fs.readdirSync(root, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/'));
  for (const rel of files) {
    const abs = path.join(root, rel);
    if (!fs.statSync(abs).isFile()) continue;
    fs.readFileSync(abs, 'utf8').split('\n').forEach((line, i) => {
      if (MARK.test(line)) out.add(`${rel}:${i + 1}`);
    });
  }
  return out;
}

function run(ruleId: string, entry: string) {
  const abs = path.join(FIXTURES, ruleId, entry);
  const isDir = fs.statSync(abs).isDirectory();
  const root = isDir ? abs : path.dirname(abs);
  const config = isDir ? loadConfigFile(root).config : {};
  const { result } = analyse({ root, paths: isDir ? undefined : [entry], config });
  const mine = result.findings.filter((f) => f.ruleId === ruleId);
  // One finding per cause: a face folded into another rule's finding is listed there as a related place.
  const folded = result.findings.flatMap((f) => (f.related ?? []).filter((r) => r.message?.startsWith(`${ruleId}: `)).map((r) => ({ ...r, into: f.ruleId })));
  return { result, mine, folded, marked: markedLines(root, isDir ? undefined : entry) };
}

describe('rule fixtures', () => {
  for (const rule of RULES) {
    const id = rule.meta.id;
    describe(id, () => {
      const entries = fixtureEntries(id);
      it('has fixtures that must fire and fixtures that must not', () => {
        expect(entries.filter((e) => !isOk(e)).length, `${id}: no must-fire fixture`).toBeGreaterThan(0);
        expect(entries.filter(isOk).length, `${id}: no must-not-fire (_ok) fixture`).toBeGreaterThan(0);
      });
      it('has a docs page', () => {
        expect(fs.existsSync(path.join(__dirname, '..', 'docs', 'rules', `${id}.md`)), `docs/rules/${id}.md`).toBe(true);
      });
      for (const entry of entries) {
        it(`${isOk(entry) ? 'does not fire' : 'fires'} on ${entry}`, () => {
          const { mine, folded, marked } = run(id, entry);
          const where = [...mine, ...folded].map((f) => `${f.path}:${f.line} ${f.message}`).join('\n');
          if (isOk(entry)) {
            expect([...mine, ...folded], `unexpected findings:\n${where}`).toEqual([]);
            return;
          }
          expect(mine.length + folded.length, `${id} did not fire on ${entry}`).toBeGreaterThan(0);
          for (const f of mine) {
            expect(f.hint.length, 'every finding carries a fix hint').toBeGreaterThan(10);
            expect(f.docsUrl).toMatch(new RegExp(`/docs/rules/${id}\\.md$`));
          }
          if (marked.size > 0) expect(new Set([...mine, ...folded].map((f) => `${f.path}:${f.line}`))).toEqual(marked);
        });
      }
    });
  }

  it('every fixture folder belongs to a registered rule', () => {
    const known = new Set(RULES.map((r) => r.meta.id));
    for (const family of fs.readdirSync(FIXTURES)) {
      const famDir = path.join(FIXTURES, family);
      if (!fs.statSync(famDir).isDirectory()) continue;
      for (const name of fs.readdirSync(famDir)) expect(known.has(`${family}/${name}`), `${family}/${name}`).toBe(true);
    }
  });
});
