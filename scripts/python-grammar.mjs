#!/usr/bin/env node
// npm run grammar [-- --limit N --show K]: measures the Python parser against CPython. Every `.py` file of Debian's
// Python (the standard library of /usr/bin/python3 and /usr/lib/python3/dist-packages) that CPython's ast.parse
// accepts must parse without a syntax error. Prints the agreement count, the files that disagree and the
// parser's rate in MB/s. The parser is bundled with ncc first, as the shipped action bundles it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { acceptedByCPython, agreement, listPythonFiles, PYTHON, pythonRoots, sample } from './python-grammar-lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const LIMIT = arg('limit', Infinity);
const SHOW = arg('show', 20);

const roots = pythonRoots();
if (!roots) {
  console.error(`${PYTHON} is missing: install Debian's python3 (and python3-django) to measure the grammar.`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'https-guard-grammar-'));
try {
  const entry = join(here, '..', 'src', 'parsers', 'python', 'parse.ts');
  const ncc = spawnSync(join(here, '..', 'node_modules', '.bin', 'ncc'), ['build', entry, '-o', join(work, 'out'), '-q'], { stdio: 'inherit' });
  if (ncc.status !== 0) process.exit(ncc.status ?? 1);
  const { parsePython } = await import(pathToFileURL(join(work, 'out', 'index.js')).href);

  const all = listPythonFiles(roots);
  const files = Number.isFinite(LIMIT) ? sample(all, LIMIT) : all;
  let t = performance.now();
  const accepted = acceptedByCPython(files);
  const cpythonMs = performance.now() - t;
  console.log(`${files.length} .py files under ${roots.join(', ')}; CPython accepts ${accepted.size} (UTF-8, ast.parse, ${(cpythonMs / 1000).toFixed(1)} s)`);

  // A first pass warms the JIT; the second is timed.
  const parse = (text) => parsePython(text).errors;
  agreement(files, accepted, parse);
  const r = agreement(files, accepted, parse);
  const mb = r.bytes / 1e6;
  console.log(`agreement: ${r.count - r.disagree.length} / ${r.count} files parse without a syntax error (${r.disagree.length} disagree)`);
  console.log(`parser: ${mb.toFixed(1)} MB in ${(r.ms / 1000).toFixed(2)} s = ${(mb / (r.ms / 1000)).toFixed(1)} MB/s (warm)`);
  for (const d of r.disagree.slice(0, SHOW)) console.log(`  ${d.file}: ${d.errors[0].message} at offset ${d.errors[0].offset}`);
  if (r.disagree.length > SHOW) console.log(`  … and ${r.disagree.length - SHOW} more`);
  process.exitCode = r.disagree.length === 0 ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
