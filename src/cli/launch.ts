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

/** What runCli prints for these arguments when that is only the usage or the version, else undefined. */
function quickAnswer(argv: string[]): string | undefined {
  try {
    // The same order as runCli; arguments that do not parse are left to it, to report.
    const { values } = parseRaw(argv);
    if (values.help) return USAGE;
    if (values.version) return `${VERSION}\n`;
  } catch {
    // reported by the main bundle
  }
  return undefined;
}

const answer = quickAnswer(process.argv.slice(2));
if (answer === undefined) {
  loadBundle(path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.cjs'), BUNDLE_KEY);
} else {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.stdout.write(answer);
}
