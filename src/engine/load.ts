import * as fs from 'node:fs';
import * as path from 'node:path';

export type LoadResult = { ok: true; text: string } | { ok: false; reason: string; tooLarge?: boolean };
export type ReadResult = { ok: true; buf: Buffer } | { ok: false; reason: string; tooLarge?: boolean };

/** NUL bytes in the first 8 KiB mark a binary file, as git and grep decide. */
const SNIFF_BYTES = 8192;

const decoder = new TextDecoder('utf-8', { fatal: true });

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * The first folder between `root` and `rel` that is a symbolic link or not a folder, as a workspace path; undefined
 * when every one is a real folder. The walk never enters links; a path named by a config or an input must not either.
 */
export function linkInPath(root: string, rel: string): { path: string; reason: string } | undefined {
  const parts = rel.split('/').filter(Boolean);
  let cur = root;
  for (const part of parts.slice(0, -1)) {
    cur = path.join(cur, part);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(cur);
    } catch (e) {
      return { path: path.relative(root, cur), reason: `cannot read: ${errorCode(e)}` };
    }
    if (st.isSymbolicLink()) return { path: path.relative(root, cur), reason: 'symbolic link (never followed)' };
    if (!st.isDirectory()) return { path: path.relative(root, cur), reason: 'not a folder' };
  }
  return undefined;
}

/**
 * Reads a whole regular file, never more than `maxBytes`: the final name is opened O_NOFOLLOW|O_NONBLOCK (a FIFO
 * cannot block the open), the open file must be a regular file (not a device such as /dev/zero), its size is checked
 * before reading, and the read stops at the size found even if the file grows meanwhile.
 */
export function readRegularFile(file: string, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > maxBytes) return { ok: false, tooLarge: true, reason: `larger than ${maxBytes} bytes (max-file-bytes)` };
    const buf = Buffer.allocUnsafe(st.size);
    let filled = 0;
    while (filled < st.size) {
      const n = fs.readSync(fd, buf, filled, st.size - filled, null);
      if (n === 0) break;
      filled += n;
    }
    return { ok: true, buf: filled === st.size ? buf : buf.subarray(0, filled) };
  } catch (e) {
    // ELOOP: the final name is a symbolic link.
    const code = errorCode(e);
    return { ok: false, reason: code === 'ELOOP' ? 'symbolic link (never followed)' : `cannot read: ${code}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** UTF-8 text without a BOM, or why the bytes are not text. */
export function decodeText(buf: Buffer): LoadResult {
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

export interface LoadOptions {
  /** Check every folder of the path with lstat: for paths that did not come from the walk. */
  checkFolders?: boolean;
}

/**
 * Reads a workspace file as UTF-8 text; oversized, binary or non-UTF-8 content is refused with a reason, never
 * guessed. The size is checked on the open file, before anything is read.
 */
export function loadText(root: string, rel: string, maxBytes: number, options: LoadOptions = {}): LoadResult {
  if (options.checkFolders) {
    const bad = linkInPath(root, rel);
    if (bad) return { ok: false, reason: `${bad.path}: ${bad.reason}` };
  }
  const r = readRegularFile(path.join(root, rel), maxBytes);
  return r.ok ? decodeText(r.buf) : r;
}
