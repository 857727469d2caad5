import { describe, expect, it } from 'vitest';
import { parsePython } from '../../../src/parsers/python/parse';
import { acceptedByCPython, agreement, listPythonFiles, PYTHON, pythonRoots, sample } from '../../../scripts/python-grammar-lib.mjs';

// A bounded, deterministic sample of Debian's Python (standard library and dist-packages): every file CPython's
// ast.parse accepts must parse without a syntax error. `npm run grammar` runs the same check over every file.
const SAMPLE = 1500;
const roots = pythonRoots();
const CI = process.env.CI === 'true';

if (!roots) {
  if (CI) {
    describe('Python grammar agrees with CPython', () => {
      it('has /usr/bin/python3 (mandatory in CI)', () => {
        throw new Error(`The CPython agreement test is mandatory in CI (CI=true) but ${PYTHON} is missing. Install Debian's python3.`);
      });
    });
  } else {
    describe.skip(`Python grammar agrees with CPython (skipped: ${PYTHON} is missing)`, () => {
      it('needs Debian python3', () => {});
    });
  }
} else {
  describe('Python grammar agrees with CPython', () => {
    it(`parses every file of a ${SAMPLE}-file sample of Debian's Python that CPython accepts`, () => {
      const files = sample(listPythonFiles(roots), SAMPLE);
      expect(files.length).toBeGreaterThan(SAMPLE / 2);
      const accepted = acceptedByCPython(files);
      expect(accepted.size, 'CPython accepts most of its own library').toBeGreaterThan(files.length / 2);
      const r = agreement(files, accepted, (text: string) => parsePython(text).errors);
      const report = r.disagree.map((d: { file: string; errors: { offset: number; message: string }[] }) => `${d.file}: ${d.errors[0].message} at offset ${d.errors[0].offset}`);
      expect(report).toEqual([]);
      expect(r.count).toBe(accepted.size);
    }, 600_000);
  });
}
