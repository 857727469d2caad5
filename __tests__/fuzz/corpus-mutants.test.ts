import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { expectLocIn, lineLengths, SEED, SCALE } from './harness';

// Mutants of every real config in the shared corpus (../shared/corpus: nginx, uwsgi, Django settings and whole
// deployments), each scanned by the full engine in-process: byte flips, truncations, duplicated braces and
// quotes, deleted newlines, duplicated slices and stray CRs. Every scan must finish (each unit of the corpus has
// its own test time-out) without a throw, and every finding must point inside a scanned file.

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const present = fs.existsSync(CORPUS);
const ROUNDS = Math.max(1, Math.round(5 * SCALE));

/** mulberry32: a small seeded generator, so a seed replays the same mutants. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hash = (s: string) => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

const HOSTILE = ['{', '}', '"', "'", ';', '\\', '\n', '\r', '\0', '#', '$', '(', ')', '[', ']', ':', '=', '\u2028', '\uFFFD', 'é'];
export const MUTATIONS = ['byte flips', 'truncation', 'duplicated braces and quotes', 'deleted newlines', 'duplicated slice and stray CR'] as const;

/** One mutant of `text`; ASCII bytes are flipped within ASCII so the file stays UTF-8 and is still analysed. */
export function mutate(text: string, kind: (typeof MUTATIONS)[number], rand: () => number): string {
  const at = () => Math.floor(rand() * (text.length + 1));
  switch (kind) {
    case 'byte flips': {
      const chars = [...text];
      const flips = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < flips && chars.length > 0; k++) {
        const i = Math.floor(rand() * chars.length);
        const c = chars[i].charCodeAt(0);
        chars[i] = rand() < 0.5 && c < 128 ? String.fromCharCode(c ^ (1 << Math.floor(rand() * 7))) : HOSTILE[Math.floor(rand() * HOSTILE.length)];
      }
      return chars.join('');
    }
    case 'truncation':
      return text.slice(0, at());
    case 'duplicated braces and quotes': {
      let out = '';
      for (const c of text) out += '{}"\'()[]'.includes(c) && rand() < 0.3 ? c + c : c;
      return out;
    }
    case 'deleted newlines': {
      const p = rand();
      let out = '';
      for (const c of text) if (!(c === '\n' && rand() < p)) out += c;
      return out;
    }
    case 'duplicated slice and stray CR': {
      const a = at();
      const b = Math.min(text.length, a + Math.floor(rand() * 400));
      const s = text.slice(0, b) + text.slice(a, b) + text.slice(b);
      const cr = Math.floor(rand() * (s.length + 1));
      return `${s.slice(0, cr)}\r${s.slice(cr)}`;
    }
  }
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/** Each source folder of the corpus (a project, or one origin's nginx / uwsgi / Django files) is scanned as a workspace. */
const units = present
  ? ['django', 'nginx', 'projects', 'uwsgi'].flatMap((top) =>
      fs.existsSync(path.join(CORPUS, top)) ? fs.readdirSync(path.join(CORPUS, top)).filter((d) => fs.statSync(path.join(CORPUS, top, d)).isDirectory()).map((d) => `${top}/${d}`) : [],
    )
  : [];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-mutants-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('corpus mutants through the full scan', () => {
  it.runIf(!present)('needs the shared corpus', () => {
    // In CI the corpus must be there; elsewhere its absence is said, not hidden.
    expect(process.env.CI, `no corpus at ${CORPUS}: mutation tests skipped`).not.toBe('true');
    console.warn(`corpus mutation tests skipped: no corpus at ${CORPUS}`);
  });

  it.runIf(present)('the corpus has every kind of config', () => {
    expect(units.length).toBeGreaterThan(20);
  });

  for (const unit of units) {
    it(`${unit}: ${ROUNDS} rounds of mutants scan without a throw`, () => {
      const files = listFiles(path.join(CORPUS, unit)).filter((f) => f !== 'LICENSE');
      const originals = new Map(files.map((f) => [f, fs.readFileSync(path.join(CORPUS, unit, f), 'latin1')]));
      let scanned = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const root = path.join(tmp, `${unit.replace('/', '_')}-${round}`);
        const rand = rng(SEED ^ hash(unit) ^ Math.imul(round + 1, 0x9e3779b1));
        const mutants = new Map<string, string>();
        files.forEach((f, i) => {
          const text = Buffer.from(originals.get(f)!, 'latin1').toString('utf8');
          const kind = MUTATIONS[(round + i) % MUTATIONS.length];
          mutants.set(f, mutate(text, kind, rand));
        });
        for (const [f, text] of mutants) {
          fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
          fs.writeFileSync(path.join(root, f), text);
        }
        let scan: ReturnType<typeof analyse>;
        try {
          scan = analyse({ root });
        } catch (e) {
          throw new Error(`${unit} round ${round} (FUZZ_SEED=${SEED}): the scan threw on mutants left in ${root}: ${(e as Error).stack}`);
        }
        scanned += scan.model.sources.size;
        for (const f of scan.result.findings) {
          const text = scan.model.sources.get(f.path)?.text ?? mutants.get(f.path);
          expect(text, `${f.ruleId} names ${f.path}, not a workspace file`).toBeDefined();
          expectLocIn(f, text!, `${unit} round ${round} (FUZZ_SEED=${SEED}) ${f.ruleId} finding`, lineLengths(text!));
        }
        fs.rmSync(root, { recursive: true, force: true });
      }
      expect(scanned, 'the engine still reads some mutants as deployment files').toBeGreaterThan(0);
    }, 120_000);
  }
});
