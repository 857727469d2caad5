#!/usr/bin/env node
// npm run precision [-- --update] [-- --corpus DIR]: scans the real-project corpus with the engine built from src/
// (not dist/, which may be stale), matches every high/medium finding to precision/labels.json and prints a table per
// project; the overall figure is the last line. --update moves false positives that no longer fire to `fixed`, turns
// a recorded miss that is now reported into a true-positive label, and lists new unlabelled findings; it never
// invents a verdict.
//
// src/ is TypeScript run by vitest elsewhere; here each file is transpiled on its own (tsconfig has isolatedModules)
// to CommonJS, which resolves the extensionless imports, into a content-addressed cache under node_modules/.cache.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const update = args.includes('--update');
const corpusArg = args.indexOf('--corpus');
const corpus = resolve(repo, corpusArg === -1 ? process.env.HTTPS_GUARD_CORPUS ?? '../shared/corpus' : args[corpusArg + 1]);
const labelsFile = join(repo, 'precision', 'labels.json');

if (!existsSync(join(corpus, 'projects')) && !existsSync(join(corpus, 'django'))) {
  console.log(`No corpus at ${corpus} (expected projects/, django/, nginx/, uwsgi/): nothing to measure.`);
  console.log('Pass --corpus DIR or set HTTPS_GUARD_CORPUS to measure precision.');
  process.exit(0);
}

const lib = await buildLib();
const labels = lib.readLabels(labelsFile);
const t0 = performance.now();
const { projects } = lib.measure(corpus, labels);
const ms = performance.now() - t0;

const d = lib.drift(projects);
console.log(`HTTPS Guard precision on ${corpus} (${projects.length} projects, scanned in ${(ms / 1000).toFixed(1)} s)\n`);
console.log(lib.formatTable(projects));
const t = lib.totals(projects);
console.log(`\nrecall-ish: ${t.found} of ${t.knownReal} known real weaknesses reported at any severity (${t.found - t.tp} of them at low/info or as a related place of another finding; ${t.missed} recorded as missed)`);
const classes = lib.falsePositiveClasses(projects, labels);
if (classes.length) console.log(`false positives by class: ${classes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
if (t.nonProduction !== undefined) console.log(`high/medium findings on non-production files: ${t.nonProduction}`);
for (const [title, list] of [
  ['Regressions (labelled true, no longer reported)', d.regressions],
  ['New findings without a label', d.toLabel],
  ['False positives gone (improvements)', d.toMove],
  ['Recorded misses now reported (improvements)', d.toPromote],
]) {
  if (list.length) console.log(`\n${title}:\n${list.map((l) => `  - ${l}`).join('\n')}`);
}
if (update) {
  const next = lib.updateLabels(labels, projects);
  writeFileSync(labelsFile, lib.formatLabels(next));
  console.log(`\n--update: moved ${d.toMove.length} vanished false positive label(s) to fixed and ${d.toPromote.length} reported miss(es) to true-positive labels in ${relative(repo, labelsFile)}.`);
  if (d.toLabel.length) console.log('Label the new findings above by hand (verdict and a reason read from the project).');
} else if (d.regressions.length || d.toLabel.length || d.toMove.length || d.toPromote.length) {
  console.log(`\n${lib.UPDATE_HELP}`);
}
console.log(lib.figureLine(projects));

async function buildLib() {
  const { default: ts } = await import('typescript');
  const sources = [...listTs('src'), 'scripts/precision-lib.ts'];
  // The transpile step below is part of the output: a change to this script makes a new cache.
  const hash = createHash('sha256').update(ts.version).update(readFileSync(new URL(import.meta.url)));
  for (const f of sources) hash.update(f).update('\0').update(readFileSync(join(repo, f))).update('\0');
  const cacheRoot = join(repo, 'node_modules', '.cache', 'https-guard-precision');
  const out = join(cacheRoot, hash.digest('hex').slice(0, 16));
  if (!existsSync(join(out, 'package.json'))) {
    rmSync(cacheRoot, { recursive: true, force: true });
    const tmp = `${out}.tmp${process.pid}`;
    for (const f of sources) {
      const { outputText } = ts.transpileModule(readFileSync(join(repo, f), 'utf8'), {
        fileName: f.replace(/\.js$/, '.ts'),
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      const dest = join(tmp, f.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(dest), { recursive: true });
      // CommonJS has no import.meta: the module's own URL is its file's.
      writeFileSync(dest, outputText.replaceAll('import.meta.url', "require('node:url').pathToFileURL(__filename).href"));
    }
    // The repo is "type": "module"; the transpiled tree is CommonJS. Written last: it marks the cache complete.
    writeFileSync(join(tmp, 'package.json'), '{ "type": "commonjs" }\n');
    renameSync(tmp, out);
  }
  return createRequire(join(out, 'index.js'))('./scripts/precision-lib.js');
}

function listTs(dir) {
  const out = [];
  for (const e of readdirSync(join(repo, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...listTs(rel));
    else if (e.isFile() && (e.name.endsWith('.js') || (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')))) out.push(rel);
  }
  return out.sort();
}
