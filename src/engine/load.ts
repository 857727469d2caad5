import * as fs from 'node:fs';
import * as path from 'node:path';

export type LoadResult = { ok: true; text: string } | { ok: false; reason: string };

/** NUL bytes in the first 8 KiB mark a binary file, as git and grep decide. */
const SNIFF_BYTES = 8192;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a workspace file as UTF-8 text; binary or non-UTF-8 content is refused with a reason, never guessed. */
export function loadText(root: string, rel: string): LoadResult {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(path.join(root, rel));
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  if (buf.subarray(0, SNIFF_BYTES).includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return { ok: false, reason: 'not valid UTF-8 text' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}
