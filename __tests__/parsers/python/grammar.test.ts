import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePython } from '../../../src/parsers/python/parse';
import { PYTHON } from '../../../scripts/python-grammar-lib.mjs';

// Constructs CPython accepts that the upstream lezer grammar rejected (each seen in real files).
const ACCEPTED: Record<string, string> = {
  'bare yield': 'def gen():\n    yield\n',
  'bare yield in parentheses': 'g = type((lambda: (yield))())\n',
  'bare yield assigned': 'def gen():\n    x = yield\n    return x\n',
  'parenthesized with items': 'with (open("a") as f, open("b") as g):\n    pass\n',
  'parenthesized with items, trailing comma': 'with (\n    open("a") as f,\n    open("b"),\n):\n    pass\n',
  'async with in parentheses': 'async def f():\n    async with (a() as x, b() as y):\n        pass\n',
  'with target tuple': 'with helper(a, b) as (x, y):\n    pass\n',
  'with target attribute': 'with lock() as self.held:\n    pass\n',
  'parenthesized expression as with item': 'with (yield_lock()):\n    pass\n',
  'with tuple of managers': 'with (a, b):\n    pass\n',
  'star target in a comprehension': 'firsts = [x for x, *_ in pairs]\n',
  'star target in a generator': 'r = "".join(f(*p) for c, *p in codes)\n',
  'number with a trailing dot': 'x = 24.*3600.\ny = 1.\nz = 1.e5\nw = 1..real\n',
  'empty class pattern': 'match n:\n    case ast.BinOp():\n        pass\n    case []:\n        pass\n    case {}:\n        pass\n',
  'dotted key in a mapping pattern': 'match m:\n    case {Color.RED: x}:\n        pass\n',
  'form feed on a line of its own': 'import os\n\n\f\n# section\nX = 1\n',
  'form feed before an indented block': 'def f():\n    return 1\n\f\ndef g():\n    return 2\n',
};

// Constructs CPython rejects: they must still be reported.
const REJECTED: Record<string, string> = {
  'missing closing bracket': 'MIDDLEWARE = [\n    "a",\nSESSION_COOKIE_SECURE = True\n',
  'with item missing its target': 'with open("a") as:\n    pass\n',
  'unclosed with parentheses': 'with (open("a") as f:\n    pass\n',
  'star target alone in a comprehension': 'x = [y for * in z]\n',
  'unterminated string': 'X = "abc\n',
  'yield from with nothing': 'def g():\n    yield from\n',
  'bare except with a target': 'try:\n    pass\nexcept as e:\n    pass\n',
};

function cpythonAccepts(source: string): boolean | undefined {
  if (!existsSync(PYTHON)) return undefined;
  const r = spawnSync(PYTHON, ['-I', '-S', '-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: source, encoding: 'utf8' });
  return r.status === 0;
}

describe('Python grammar: constructs CPython accepts', () => {
  for (const [name, source] of Object.entries(ACCEPTED)) {
    it(`parses ${name}`, () => {
      expect(parsePython(source).errors).toEqual([]);
      const truth = cpythonAccepts(source);
      if (truth !== undefined) expect(truth, 'CPython accepts the snippet').toBe(true);
    });
  }
});

describe('Python grammar: constructs CPython rejects', () => {
  for (const [name, source] of Object.entries(REJECTED)) {
    it(`reports ${name}`, () => {
      expect(parsePython(source).errors.length).toBeGreaterThan(0);
      const truth = cpythonAccepts(source);
      if (truth !== undefined) expect(truth, 'CPython rejects the snippet').toBe(false);
    });
  }
});

describe('Python grammar: generated parser', () => {
  it('is what @lezer/generator makes of python.grammar', async () => {
    const { buildParserFile } = await import('@lezer/generator');
    const dir = join(__dirname, '..', '..', '..', 'src', 'parsers', 'python', 'grammar');
    const built = buildParserFile(readFileSync(join(dir, 'python.grammar'), 'utf8'), { fileName: 'python.grammar', moduleStyle: 'es' });
    expect(readFileSync(join(dir, 'parser.js'), 'utf8'), 'run npm run grammar:generate').toBe(built.parser);
    expect(readFileSync(join(dir, 'parser.terms.js'), 'utf8'), 'run npm run grammar:generate').toBe(built.terms);
  }, 300_000);
});

// A long file where the grammar's ambiguity handling prunes the wrong branch and splits `class Name(Base):` and its
// indented body into top-level pieces; the error is re-checked on whole statements, which parse.
const RFC5280 = '/usr/lib/python3/dist-packages/pyasn1_modules/rfc5280.py';
describe.skipIf(!existsSync(RFC5280))('Python grammar: errors confirmed on whole statements', () => {
  it(`parses ${RFC5280} without an error`, () => {
    expect(parsePython(readFileSync(RFC5280, 'utf8')).errors).toEqual([]);
  });
});
