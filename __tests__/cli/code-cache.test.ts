import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cacheDir, cachePath, pruneCache } from '../../src/cli/code-cache';
// @ts-expect-error: a build script without types
import { toAscii, toCommonJs } from '../../scripts/build-cli.mjs';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-cc-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const HOME = process.env.HOME;
afterEach(() => {
  process.env.HOME = HOME;
});

const posix = process.platform !== 'win32';

describe('the code cache folder', () => {
  it('is $XDG_CACHE_HOME/https-guard when that is absolute, created private', () => {
    const xdg = path.join(tmp, 'xdg1');
    expect(cacheDir({ XDG_CACHE_HOME: xdg })).toBe(path.join(xdg, 'https-guard'));
    if (posix) expect(fs.statSync(path.join(xdg, 'https-guard')).mode & 0o777).toBe(0o700);
  });

  it('ignores a relative $XDG_CACHE_HOME (it would be relative to the scanned folder) and uses ~/.cache', () => {
    process.env.HOME = path.join(tmp, 'home1');
    expect(cacheDir({ XDG_CACHE_HOME: 'cache' })).toBe(path.join(tmp, 'home1', '.cache', 'https-guard'));
  });

  it.skipIf(!posix)('refuses a folder others can write to, or a link, and falls back', () => {
    process.env.HOME = path.join(tmp, 'home2');
    const open = path.join(tmp, 'xdg2', 'https-guard');
    fs.mkdirSync(open, { recursive: true });
    fs.chmodSync(open, 0o777);
    expect(cacheDir({ XDG_CACHE_HOME: path.join(tmp, 'xdg2') })).toBe(path.join(tmp, 'home2', '.cache', 'https-guard'));
    fs.mkdirSync(path.join(tmp, 'xdg3'));
    fs.symlinkSync(path.join(tmp, 'home2', '.cache', 'https-guard'), path.join(tmp, 'xdg3', 'https-guard'));
    expect(cacheDir({ XDG_CACHE_HOME: path.join(tmp, 'xdg3') })).toBe(path.join(tmp, 'home2', '.cache', 'https-guard'));
  });

  it('names the file after the bundle, its size, Node and the flags, and needs a real key', () => {
    const env = { XDG_CACHE_HOME: path.join(tmp, 'xdg4') };
    const a = cachePath('0123456789abcdef0123456789abcdef', 10, env)!;
    expect(path.dirname(a)).toBe(path.join(tmp, 'xdg4', 'https-guard'));
    expect(path.basename(a)).toContain(process.version);
    expect(cachePath('0123456789abcdef0123456789abcdef', 11, env)).not.toBe(a);
    expect(cachePath('0123456789abcdef0123456789abcdef', 10, { ...env, NODE_OPTIONS: '--cpu-prof' })).not.toBe(a);
    expect(cachePath('BUNDLE_KEY_UNSET', 10, env)).toBeUndefined();
    expect(cachePath('../../x', 10, env)).toBeUndefined();
  });
});

describe('pruning the code cache', () => {
  const key = '0123456789abcdef0123456789abcdef';
  const other = 'fedcba9876543210fedcba9876543210';
  const day = 24 * 3600 * 1000;

  it('removes its own files of other builds a week old and unfinished ones an hour old, nothing else', () => {
    const dir = path.join(tmp, 'prune1');
    fs.mkdirSync(dir);
    const now = Date.now();
    const files = {
      current: `cli-${key}-10-v20.20.2-x64-0a1b2c3d.cache`,
      otherOld: `cli-${other}-10-v20.20.2-x64-0a1b2c3d.cache`,
      otherNodeOld: `cli-${key}-10-v18.19.0-arm64-0a1b2c3d.cache`,
      otherRecent: `cli-${other}-11-v20.20.2-x64-0a1b2c3d.cache`,
      tmpOld: `cli-${other}-10-v20.20.2-x64-0a1b2c3d.cache.123.k2.tmp`,
      tmpRecent: `cli-${key}-10-v20.20.2-x64-0a1b2c3d.cache.456.k3.tmp`,
      foreign: 'notes.txt',
    };
    for (const f of Object.values(files)) fs.writeFileSync(path.join(dir, f), 'x');
    const age = (f: string, ms: number) => fs.utimesSync(path.join(dir, f), (now - ms) / 1000, (now - ms) / 1000);
    age(files.current, 30 * day);
    age(files.otherOld, 8 * day);
    age(files.otherNodeOld, 8 * day);
    age(files.otherRecent, 6 * day);
    age(files.tmpOld, 2 * 3600 * 1000);
    age(files.tmpRecent, 10 * 60 * 1000);
    age(files.foreign, 365 * day);
    pruneCache(dir, files.current, now);
    expect(fs.readdirSync(dir).sort()).toEqual([files.current, files.otherRecent, files.tmpRecent, files.foreign].sort());
  });

  it.skipIf(!posix)('never removes through a link or a folder with a cache name', () => {
    const dir = path.join(tmp, 'prune2');
    const target = path.join(tmp, 'prune2-target');
    fs.mkdirSync(dir);
    fs.writeFileSync(target, 'keep me');
    const link = `cli-${other}-10-v20.20.2-x64-0a1b2c3d.cache`;
    const sub = `cli-${other}-12-v20.20.2-x64-0a1b2c3d.cache`;
    fs.symlinkSync(target, path.join(dir, link));
    fs.mkdirSync(path.join(dir, sub));
    const old = (Date.now() - 30 * day) / 1000;
    fs.lutimesSync(path.join(dir, link), old, old);
    fs.utimesSync(path.join(dir, sub), old, old);
    pruneCache(dir, 'none', Date.now());
    expect(fs.readdirSync(dir).sort()).toEqual([link, sub].sort());
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
    pruneCache(path.join(tmp, 'no-such-folder'), 'none', Date.now());
  });
});

describe('the main bundle as CommonJS (scripts/build-cli.mjs)', () => {
  const run = (code: string) => {
    const mod = { exports: {} as Record<string, unknown> };
    const file = path.join(tmp, 'main.cjs');
    new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`).runInThisContext()(mod.exports, createRequire(file), mod, file, tmp);
    return mod.exports;
  };

  it('turns ncc\'s import line and import.meta.url into their CommonJS forms, strict', () => {
    const cjs = toCommonJs('import{createRequire as e}from"module";module.exports.url=import.meta.url;module.exports.path=e(import.meta.url)("node:path").sep;module.exports.strict=function(){return this}();');
    expect(run(cjs)).toEqual({ url: `file://${path.join(tmp, 'main.cjs')}`, path: path.sep, strict: undefined });
  });

  it('refuses what it does not expect', () => {
    expect(() => toCommonJs('import x from"y";')).toThrow(/createRequire/);
    expect(() => toCommonJs('import{createRequire as e}from"module";import("x")')).toThrow(/import\(\)/);
  });

  it('escapes every non-ASCII character without changing strings, templates or regular expressions', () => {
    const code = 'module.exports={s:"a…b→",t:`x—${1}é`,r:/[…]/.test("…"),u:/\\u{1F600}/u.test("😀"),c:"😀".length} // ⚠';
    const ascii = toAscii(code);
    expect(ascii).toMatch(/^[\x00-\x7f]*$/);
    expect(run(ascii)).toEqual(run(code));
  });

  it('refuses escapes that would change the meaning', () => {
    expect(() => toAscii('String.raw`…`')).toThrow(/tagged template/);
    expect(() => toAscii('"\\…"')).toThrow(/after a backslash|escaped/);
    expect(() => toAscii('// a\u2028b')).toThrow(/line separator/);
  });
});
