import * as fs from 'node:fs';
import * as path from 'node:path';

export type LoadResult = { ok: true; text: string } | { ok: false; reason: string; tooLarge?: boolean };

/** NUL bytes in the first 8 KiB mark a binary file, as git and grep decide. */
const SNIFF_BYTES = 8192;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a workspace file as UTF-8 text; oversized, binary or non-UTF-8 content is refused with a reason, never
 * guessed. The size is checked on the open file, before anything is read.
 */
export function loadText(root: string, rel: string, maxBytes: number): LoadResult {
  let buf: Buffer;
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: a file swapped for a link after the walk is still never followed.
    fd = fs.openSync(path.join(root, rel), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) return { ok: false, tooLarge: true, reason: `larger than ${maxBytes} bytes (max-file-bytes)` };
    buf = fs.readFileSync(fd);
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
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
