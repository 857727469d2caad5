import { nodeCrypto } from '../util/node-crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeChunksSync } from '../util/write-chunks';

/** A write refused because of where it would land; the message names the path and the reason. */
export class UnsafeWriteError extends Error {}

export interface SafeWriteOptions {
  /** The workspace: a scanned repository controls what is inside it (links included). */
  root: string;
  /**
   * The path is the workflow author's (an action input, a CLI argument), so it may point outside the workspace.
   * A path taken from the repository (its config file) must stay inside.
   */
  authorPath: boolean;
  /** How the path is named in messages (as the author wrote it); default: `file`. */
  label?: string;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Creates the folders of `rel` below `root` one at a time, refusing any component that is a symbolic link or not
 * a folder: a committed link `out -> /etc` must not carry the write out of the workspace.
 */
function ensureWorkspaceDirs(root: string, relDir: string, shown: string): void {
  let cur = root;
  for (const part of relDir.split(path.sep).filter(Boolean)) {
    cur = path.join(cur, part);
    let st = lstatOrUndefined(cur);
    if (st === undefined) {
      try {
        fs.mkdirSync(cur);
      } catch (e) {
        if (code(e) !== 'EEXIST') throw e;
      }
      st = fs.lstatSync(cur);
    }
    const where = path.relative(root, cur);
    if (st.isSymbolicLink()) throw new UnsafeWriteError(`refusing to write ${shown}: ${where} is a symbolic link in the workspace (never followed)`);
    if (!st.isDirectory()) throw new UnsafeWriteError(`refusing to write ${shown}: ${where} is not a folder`);
  }
}

/**
 * Writes a whole file without ever following a symbolic link: every folder below the workspace root is checked
 * with lstat, the data goes to a fresh name opened O_CREAT|O_EXCL|O_NOFOLLOW in the same folder, and a rename puts
 * it in place (a rename replaces a name, never the file a link or a hard link points to). Returns the absolute path.
 * `data` may come in chunks (a report written as it is made).
 */
export function safeWriteFile(file: string, data: string | Uint8Array | Iterable<string>, o: SafeWriteOptions): string {
  const root = path.resolve(o.root);
  const abs = path.resolve(root, file);
  const shown = JSON.stringify(o.label ?? file);
  const rel = path.relative(root, abs);
  const inside = rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
  if (rel === '') throw new UnsafeWriteError(`refusing to write ${shown}: it is the workspace folder`);
  if (!inside && !o.authorPath) throw new UnsafeWriteError(`refusing to write ${shown}: it is outside the workspace`);
  const dir = path.dirname(abs);
  if (inside) ensureWorkspaceDirs(root, path.dirname(rel), shown);
  else fs.mkdirSync(dir, { recursive: true });

  const existing = lstatOrUndefined(abs);
  if (existing?.isSymbolicLink()) throw new UnsafeWriteError(`refusing to write ${shown}: it is a symbolic link (never followed)`);
  if (existing && !existing.isFile()) throw new UnsafeWriteError(`refusing to write ${shown}: it exists and is not a regular file`);

  const tmp = path.join(dir, `.${path.basename(abs)}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`);
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
  const fd = fs.openSync(tmp, flags, 0o644);
  try {
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) fs.writeFileSync(fd, data);
      else writeChunksSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return abs;
}

/** One line for a failed write: our refusal as it is, a system error by its code and the path. */
export function describeWriteError(e: unknown, file: string): string {
  if (e instanceof UnsafeWriteError) return e.message;
  const c = code(e);
  return `cannot write ${JSON.stringify(file)}: ${c ?? (e as Error)?.message ?? String(e)}`;
}
