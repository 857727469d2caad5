#!/usr/bin/env node
// The bin (dist/cli/index.js). It answers --version and --help itself and leaves everything else to the main
// bundle beside it (dist/cli/main.cjs), loaded through a code cache: neither pays for compiling the whole program.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version';
import { loadBundle } from './code-cache';
import { USAGE, parseRaw } from './options';

/** The main bundle's hash, written in by scripts/build-cli.mjs: it names the code cache (not hex: no cache). */
const BUNDLE_KEY = 'BUNDLE_KEY_UNSET';

/**
 * What to do with these arguments: print the usage or the version (what runCli would print), or load the main
 * bundle; `scan` when it will scan, the run whose compiled functions are worth caching.
 */
function plan(argv: string[]): { answer: string } | { scan: boolean } {
  try {
    // The same order as runCli; arguments that do not parse are left to it, to report.
    const { values } = parseRaw(argv);
    if (values.help) return { answer: USAGE };
    if (values.version) return { answer: `${VERSION}\n` };
    return { scan: !values['list-rules'] && values.explain === undefined };
  } catch {
    return { scan: false };
  }
}

const todo = plan(process.argv.slice(2));
if ('scan' in todo) {
  // A cache made by --list-rules or by a run that stopped on an error would hold too little for later scans.
  const scanned = () => todo.scan && (process.exitCode === 0 || process.exitCode === 1);
  loadBundle(path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.cjs'), BUNDLE_KEY, scanned);
} else {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.stdout.write(todo.answer);
}
