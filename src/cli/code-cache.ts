import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * Loads the CLI's main bundle (a CommonJS file) with a V8 code cache kept in the user's cache folder, so a run
 * skips compiling the 1.3 MB bundle and the functions an earlier run compiled. Node 20 has no compile cache of its
 * own (module.enableCompileCache came in 22.1), and a cache written at the end of a run, as here, also holds the
 * functions that run compiled. The cache is an optimisation only: any problem with it (no home, read-only folder,
 * foreign or bad file) means compiling from source, silently. It is never looked for near the scanned files.
 */

/** Larger cache files are neither read nor written. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/** Cache files of other builds, Node versions or flags are removed once this old (a new build writes a new file). */
const STALE_CACHE_MS = 7 * 24 * 3600 * 1000;
/** Files a writer left half-made (killed between write and rename). */
const STALE_TMP_MS = 3600 * 1000;
const CACHE_NAME = /^cli-[0-9a-f]{16,64}-\d+-v[\d.]+-[\w]+-[0-9a-f]{8}\.cache(\.\d+\.[0-9a-z]+\.tmp)?$/;

type Env = Record<string, string | undefined>;

/**
 * `key` names this build of the bundle (its hash, computed by the build: hashing it here would cost more than
 * the cache saves on a small scan); without one nothing is cached. A missing or rejected cache is written at exit
 * when `save()` then says the run is worth it.
 */
export function loadBundle(file: string, key: string, save: () => boolean = () => true, env: Env = process.env): void {
  // Node's cache still helps what Node compiles itself (the parse worker's bundle); absent before 22.1.
  try {
    (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  } catch {
    // only speed is lost
  }
  const bytes = fs.readFileSync(file);
  // The build escapes every non-ASCII character: latin1 then makes a one-byte string, much faster than UTF-8.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cacheFile = env.NODE_DISABLE_COMPILE_CACHE ? undefined : cachePath(key, bytes.length, env);
  const cachedData = cacheFile === undefined ? undefined : readOwnFile(cacheFile);
  // The wrapper Node puts around a CommonJS module, on the first line so that stack positions stay right.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    // Made at exit, so that it holds the functions this run compiled too.
    process.once('exit', () => {
      if (save()) writeCache(cacheFile, script);
    });
  }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} };
  wrapper.call(mod.exports, mod.exports, nodeModule.createRequire(file), mod, file, path.dirname(file));
}

/** The cache file for this bundle and this Node (V8 rejects another version's data, so each gets its own). */
export function cachePath(key: string, size: number, env: Env): string | undefined {
  if (!/^[0-9a-f]{16,64}$/.test(key)) return undefined;
  const dir = cacheDir(env);
  if (dir === undefined) return undefined;
  // V8 also rejects data made under other flags: runs with and without, say, --cpu-prof keep one file each.
  const flags = fnv1a(`${process.execArgv.join('\0')}\0${env.NODE_OPTIONS ?? ''}`);
  return path.join(dir, `cli-${key}-${size}-${process.version}-${process.arch}-${flags}.cache`);
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** $XDG_CACHE_HOME/https-guard, else ~/.cache/https-guard, else a per-user folder in the temp folder. */
export function cacheDir(env: Env): string | undefined {
  const uid = process.getuid?.();
  const xdg = env.XDG_CACHE_HOME;
  let home: string | undefined;
  try {
    home = os.homedir();
  } catch {
    home = undefined;
  }
  const candidates = [
    xdg && path.isAbsolute(xdg) ? path.join(xdg, 'https-guard') : undefined,
    home && path.isAbsolute(home) ? path.join(home, '.cache', 'https-guard') : undefined,
    uid !== undefined ? path.join(os.tmpdir(), `https-guard-${uid}`) : undefined,
  ];
  for (const dir of candidates) if (dir !== undefined && ownPrivateDir(dir, uid)) return dir;
  return undefined;
}

/**
 * Creates the folder if needed; accepts it only when it is a real folder (not a link) of this user that others
 * cannot write to, because a cache file there is code this process runs.
 */
function ownPrivateDir(dir: string, uid: number | undefined): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    return st.isDirectory() && (uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0));
  } catch {
    return false;
  }
}

function readOwnFile(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const st = fs.fstatSync(fd);
    const uid = process.getuid?.();
    if (!st.isFile() || st.size === 0 || st.size > MAX_CACHE_BYTES || (uid !== undefined && st.uid !== uid)) return undefined;
    const data = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < data.length) {
      const n = fs.readSync(fd, data, at, data.length - at, at);
      if (n === 0) return undefined;
      at += n;
    }
    return data;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Written under a fresh name, then renamed: concurrent runs never see half a file. */
function writeCache(file: string, script: vm.Script): void {
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    const data = script.createCachedData();
    if (data.length === 0 || data.length > MAX_CACHE_BYTES) return;
    fs.writeFileSync(tmp, data, { flag: 'wx', mode: 0o600 });
    fs.renameSync(tmp, file);
    pruneCache(path.dirname(file), path.basename(file), Date.now());
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do
    }
  }
}

/**
 * Removes this cache's own files that no run of this build writes any more: those of other builds, Node versions
 * or flags once a week old, and unfinished ones once an hour old. Only regular files of this user whose names the
 * cache itself makes; unlink never follows a link.
 */
export function pruneCache(dir: string, keep: string, now: number): void {
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = CACHE_NAME.exec(name);
    if (!m || name === keep) continue;
    try {
      const st = fs.lstatSync(path.join(dir, name));
      if (!st.isFile() || (uid !== undefined && st.uid !== uid)) continue;
      if (now - st.mtimeMs > (m[1] ? STALE_TMP_MS : STALE_CACHE_MS)) fs.unlinkSync(path.join(dir, name));
    } catch {
      // another run removed it, or the folder is read-only: only disk space is lost
    }
  }
}
