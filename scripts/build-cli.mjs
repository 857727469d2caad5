// Builds the CLI into a folder (default dist/cli): `npm run build` and the package test use it.
//   index.js   the bin: answers --version and --help, else loads main.cjs (src/cli/launch.ts)
//   main.cjs   the whole CLI (src/cli/main.ts), minified, as a CommonJS file so that the bin can compile it with a
//              V8 code cache (vm.Script takes scripts, not ES modules)
// ncc writes ES modules for this package; its output has one import line and `import.meta.url`, which this
// script turns into their CommonJS equivalents, and refuses anything else it does not expect.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import ts from 'typescript';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ncc = path.join(repo, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

function build(entry, dir, extra = []) {
  const r = spawnSync(process.execPath, [ncc, 'build', path.join(repo, entry), '-o', dir, '-m', '-t', '-q', ...extra], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`ncc build ${entry} failed (${r.status ?? r.signal})`);
}

/** ncc's ES module output of src/cli/main.ts as a CommonJS module with the same meaning. */
export function toCommonJs(esm) {
  const IMPORT = /^import\{createRequire as ([A-Za-z_$][\w$]*)\}from"module";/;
  const m = IMPORT.exec(esm);
  if (!m) throw new Error('main bundle: expected ncc\'s createRequire import first');
  let body = esm.slice(m[0].length);
  if (body.includes('__hgMetaUrl')) throw new Error('main bundle: already uses __hgMetaUrl');
  body = body.replaceAll('import.meta.url', '__hgMetaUrl');
  if (/\bimport\s*\.\s*meta\b|\bimport\s*\(/.test(body)) throw new Error('main bundle: import.meta or import() left over');
  // ES modules are strict; the createRequire binding is kept under ncc's name.
  const cjs = `"use strict";const{createRequire:${m[1]}}=require("module"),__hgMetaUrl=require("url").pathToFileURL(__filename).href;${body}`;
  return cjs;
}

/**
 * The same program in ASCII only: every other character becomes a \u escape. The bin then reads the bundle as
 * latin1 into a one-byte string, several times cheaper than decoding UTF-8 into a two-byte one. Escapes mean the
 * same as the characters in strings, templates, regular expressions, comments and identifiers, with these
 * exceptions, which are refused: a character after a backslash, U+2028/U+2029 (line ends outside strings), and a
 * tagged template (its tag may read the raw text).
 */
export function toAscii(code) {
  if (!/[^\x00-\x7f]/.test(code)) return code;
  const file = ts.createSourceFile('main.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && /[^\x00-\x7f]/.test(code.slice(node.template.pos, node.template.end))) {
      throw new Error(`main bundle: non-ASCII text in a tagged template at ${node.template.pos}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return code.replace(/[^\x00-\x7f]/g, (ch, at) => {
    if (ch === '\u2028' || ch === '\u2029') throw new Error(`main bundle: raw line separator at ${at}`);
    let slashes = 0;
    while (code[at - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 1) throw new Error(`main bundle: escaped non-ASCII character at ${at}`);
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function buildCli(out = path.resolve(process.argv[2] ?? path.join(repo, 'dist', 'cli'))) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-build-cli-'));
  try {
    build('src/cli/main.ts', tmp, ['--license', 'licenses.txt']);
    const bundle = toAscii(toCommonJs(fs.readFileSync(path.join(tmp, 'index.js'), 'utf8')));
    build('src/cli/launch.ts', out);
    // The bin names its code cache after the main bundle's hash.
    const bin = path.join(out, 'index.js');
    const launcher = fs.readFileSync(bin, 'utf8');
    if (launcher.split('BUNDLE_KEY_UNSET').length !== 2) throw new Error('launcher: expected BUNDLE_KEY_UNSET once');
    const key = createHash('sha256').update(bundle).digest('hex').slice(0, 32);
    fs.writeFileSync(bin, launcher.replace('BUNDLE_KEY_UNSET', key));
    // A leftover import or export statement, or a bad escape, is a syntax error in a script.
    new vm.Script(`(function (exports, require, module, __filename, __dirname) {${bundle}\n})`, { filename: 'main.cjs' });
    fs.writeFileSync(path.join(out, 'main.cjs'), bundle);
    fs.copyFileSync(path.join(tmp, 'licenses.txt'), path.join(out, 'licenses.txt'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildCli();
