// Lone CR (old Mac) and CRLF line endings give the same line numbers as LF, in every kind of file we parse.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config';
import { scan } from '../../src/engine/scan';
import { SourceText, lineStarts } from '../../src/parsers/source';
import { removeTempDirs, tempDir } from '../github/harness';

afterAll(() => removeTempDirs());

const FIXTURES = path.join(import.meta.dirname, '../rules');

/** Every rule fixture: a single file or a folder, as a map of relative path → text. */
function fixtures(): { name: string; files: Record<string, string> }[] {
  const out: { name: string; files: Record<string, string> }[] = [];
  for (const family of fs.readdirSync(FIXTURES)) {
    const famDir = path.join(FIXTURES, family);
    if (!fs.statSync(famDir).isDirectory()) continue;
    for (const rule of fs.readdirSync(famDir)) {
      const ruleDir = path.join(famDir, rule);
      if (!fs.statSync(ruleDir).isDirectory()) continue;
      for (const entry of fs.readdirSync(ruleDir)) {
        if (entry === 'README.md') continue;
        const abs = path.join(ruleDir, entry);
        const files: Record<string, string> = {};
        if (fs.statSync(abs).isDirectory()) {
          for (const rel of fs.readdirSync(abs, { recursive: true }) as string[]) {
            if (fs.statSync(path.join(abs, rel)).isFile()) files[rel.split(path.sep).join('/')] = fs.readFileSync(path.join(abs, rel), 'utf8');
          }
        } else files[entry] = fs.readFileSync(abs, 'utf8');
        out.push({ name: `${family}/${rule}/${entry}`, files });
      }
    }
  }
  return out;
}

/** nginx ends a comment only at LF (so must we); comments are dropped so that all three endings mean the same file. */
function normalise(rel: string, text: string): string {
  const lf = text.replace(/\r\n?/g, '\n');
  return rel.endsWith('.py') || rel.endsWith('.json') || rel.endsWith('.yml') ? lf : lf.split('\n').map((l) => l.replace(/(^|\s)#.*$/, '$1')).join('\n');
}

function scanWith(files: Record<string, string>, eol: string): string[] {
  const root = tempDir('hg-eol-');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    const body = normalise(rel, text);
    fs.writeFileSync(path.join(root, rel), rel.startsWith('.https-guard') ? body : body.replace(/\n/g, eol));
  }
  const r = scan({ root, config: loadConfigFile(root).config });
  return r.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`);
}

describe('line numbers with CR and CRLF line endings', () => {
  it('SourceText counts LF, CRLF and a lone CR as one line end each', () => {
    expect(lineStarts('a\nb\r\nc\rd')).toEqual([0, 2, 5, 7]);
    const src = new SourceText('f', 'a\rbb\r\ncc\n');
    expect(src.position(2)).toEqual({ line: 2, column: 1 });
    expect(src.position(6)).toEqual({ line: 3, column: 1 });
    expect([1, 2, 3, 4].map((l) => src.lineText(l))).toEqual(['a', 'bb', 'cc', '']);
  });

  const all = fixtures();
  const kinds = { python: 0, nginx: 0 };
  it.each(all.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const lf = scanWith(f.files, '\n');
    expect(scanWith(f.files, '\r\n')).toEqual(lf);
    expect(scanWith(f.files, '\r')).toEqual(lf);
    for (const line of lf) {
      if (/\.py:/.test(line)) kinds.python++;
      else kinds.nginx++;
    }
  });

  it('compared findings of every kind (the comparison is not empty)', () => {
    expect(kinds.python).toBeGreaterThan(50);
    expect(kinds.nginx).toBeGreaterThan(50);
    // Findings past line 1, so a parser that put everything on line 1 would be caught.
    expect(all.length).toBeGreaterThan(100);
  });
});
