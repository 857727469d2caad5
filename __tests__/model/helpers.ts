import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyse } from '../../src/engine/scan';
import type { Config } from '../../src/config';

/** Writes a throwaway workspace ({relative path: text}) and analyses it. */
export function analyseFiles(files: Record<string, string>, config: Partial<Config> = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-ws-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  try {
    return { root, ...analyse({ root, config }) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
