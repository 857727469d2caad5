import * as fs from 'node:fs';

/** Chunks are gathered up to about this many characters per write: a few system calls, and little held at once. */
const BATCH_CHARS = 64 * 1024;

type WriteFn = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/**
 * Writes the chunks to a file descriptor in order, synchronously, as they are made. A pipe may be non-blocking
 * (Node makes stdout's so once process.stdout exists, and a parent may too): EAGAIN means wait a moment and try
 * again. Returns false when the reader went away (EPIPE, `https-guard | head`): the rest is not written.
 */
export function writeChunksSync(fd: number, chunks: Iterable<string>, write: WriteFn = fs.writeSync): boolean {
  let pending = '';
  const flush = (): boolean => {
    const buf = Buffer.from(pending, 'utf8');
    pending = '';
    let off = 0;
    while (off < buf.length) {
      try {
        off += write(fd, buf, off, buf.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException)?.code;
        if (code === 'EAGAIN') pause(1);
        else if (code === 'EPIPE') return false;
        else throw e;
      }
    }
    return true;
  };
  for (const c of chunks) {
    pending += c;
    if (pending.length >= BATCH_CHARS && !flush()) return false;
  }
  return pending.length === 0 || flush();
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
