// uWSGI configuration as uWSGI reads it (core/ini.c, core/yaml.c, core/json.c, core/xmlconf.c), with the file
// and line of every option: sections, repeated keys (kept in order), `%(name)` placeholders (first definition wins),
// `ini = other.ini:section` / `include` / `inherit` chains, and `if-*` blocks (options inside are conditional).
// `$(ENV)` and `@(file)` values are opaque: nothing is run or read outside the workspace.

import * as posix from 'node:path/posix';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SourceText } from '../../parsers/source';
import type { Loc } from '../../types';

export interface UwsgiOption {
  /** Canonical name: lower case, `_` as `-`, short flags expanded. */
  name: string;
  value: string;
  loc: Loc;
  /** The value holds `$(…)`, `@(…)` or a placeholder nothing defines: what uWSGI reads there is unknown. */
  opaque: boolean;
  /** Inside an `if-env`/`if-exists`/… block, or a `for` loop: not always in force. */
  conditional: boolean;
  /** Given on a command line (`--name value`) or as a `UWSGI_<NAME>` variable, not in a config file. */
  from?: 'command line' | 'environment';
}

export interface UwsgiIncludeProblem {
  kind: 'missing' | 'outside';
  loc: Loc;
  message: string;
}

export interface UwsgiReader {
  /** Text of a workspace file, or undefined (absent, unreadable, not listed). */
  read(rel: string): string | undefined;
  /** Where an included path is in the workspace; `outside` for paths that leave it (never read). */
  resolve(fromFile: string, raw: string): { rel: string } | { outside: string } | undefined;
  source(rel: string): SourceText;
  /** Parse errors, include loops and too deep chains: uWSGI refuses (or crashes on) such configs. */
  problems: { loc: Loc; message: string }[];
  includeProblems: UwsgiIncludeProblem[];
  /** Include cycles already reported (each file of a cycle is also read on its own): one finding per cycle. */
  loops?: Set<string>;
  /** Parsed sections by `path:section`, shared by every read of the scan (a file is parsed once). */
  cache?: Map<string, RawEntry[]>;
}

/** Options that load another configuration file where they stand. */
const LOADERS = new Set(['ini', 'yaml', 'yml', 'json', 'js', 'xml', 'include', 'inherit', 'config']);
/** Opt-logic blocks (core/uwsgi.c uwsgi_opt_logic): what follows until endif/endfor depends on the host. */
const BLOCK_OPEN = /^(if-|ifenv$|ifexists$|ifdir$|ifplugin$|for$|for-)/;
const BLOCK_CLOSE = new Set(['endif', 'end-if', 'endfor', 'end-for']);
const SHORT: Record<string, string> = { w: 'module', s: 'socket', M: 'master', p: 'processes', T: 'enable-threads', S: 'set' };
const MAX_DEPTH = 16;
const MAX_OPTIONS = 20_000;
/** Entries visited per read, includes counted each time they are loaded (a file can load a big one many times). */
const MAX_WORK = 200_000;

export function canonicalName(raw: string): string {
  return SHORT[raw] ?? raw.trim().toLowerCase().replace(/_/g, '-');
}

/** `false`, `off`, `no` and `0` turn a flag option off (uWSGI checked: `show-config = off` shows nothing). */
export function flagOn(value: string): boolean {
  return !/^(false|off|no|0)$/i.test(value.trim());
}

export interface RawEntry {
  key: string;
  value: string;
  line: number;
}

/** A config file's entries for one section (uWSGI's default section is `uwsgi`). */
function rawEntries(path: string, text: string, section: string, fail: (msg: string, line: number) => void): RawEntry[] {
  if (/\.(ya?ml)$/i.test(path)) return yamlEntries(text, section, fail);
  if (/\.(json|js)$/i.test(path)) return jsonEntries(text, section, fail);
  if (/\.xml$/i.test(path)) return xmlEntries(text, section, fail);
  return iniEntries(text, section);
}

/** core/ini.c: `[section]` headers, comments only where a line starts with `;` or `#`, a bare key means true. */
function iniEntries(text: string, section: string): RawEntry[] {
  const out: RawEntry[] = [];
  let inSection = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.startsWith('[')) {
      const end = t.indexOf(']');
      inSection = end > 0 && t.slice(1, end).trim() === section;
      continue;
    }
    if (!inSection || t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const eq = t.indexOf('=');
    if (eq === 0) continue;
    out.push(eq > 0 ? { key: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim(), line: i + 1 } : { key: t, value: 'true', line: i + 1 });
  }
  return out;
}

/** core/yaml.c's own parser: flat `key: value` lines under `section:`, `#` starts a comment anywhere. */
function yamlEntries(text: string, section: string, fail: (msg: string, line: number) => void): RawEntry[] {
  const out: RawEntry[] = [];
  const lines = text.split('\n');
  let inSection = false;
  let list: { key: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const raw = (hash === -1 ? lines[i] : lines[i].slice(0, hash)).trimEnd();
    if (raw.trim() === '' || raw.trim() === '---') continue;
    const indented = /^[ \t]/.test(raw);
    const t = raw.trim();
    if (!indented) {
      inSection = t === `${section}:`;
      list = undefined;
      continue;
    }
    if (!inSection) continue;
    if (t.startsWith('- ') && list) {
      out.push({ key: list.key, value: unquote(t.slice(2).trim()), line: i + 1 });
      continue;
    }
    const colon = t.indexOf(':');
    if (colon <= 0) {
      fail(`expected "key: value" in the ${section} section`, i + 1);
      continue;
    }
    const key = t.slice(0, colon).trim();
    const value = t.slice(colon + 1).trim();
    if (value === '') list = { key };
    else {
      list = undefined;
      out.push({ key, value: unquote(value), line: i + 1 });
    }
  }
  return out;
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1) : v;
}

/** Lines of values found in order: each search starts where the previous one ended (linear in the text). */
function lineFinder(text: string): (needle: string) => number {
  let cursor = 0;
  let lastOffset = 0;
  let lastLine = 1;
  return (needle) => {
    const at = text.indexOf(needle, cursor);
    if (at === -1) return lastLine;
    cursor = at + needle.length;
    // Count only the newlines since the previous hit.
    let line = lastLine;
    for (let k = text.indexOf('\n', lastOffset); k !== -1 && k < at; k = text.indexOf('\n', k + 1)) line++;
    lastOffset = at;
    lastLine = line;
    return line;
  };
}

function scalars(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  // uWSGI's JSON reader stores true as "1" (checked with --show-config); false as "0", which flags read as off.
  return list.filter((x) => x !== null && typeof x !== 'object').map((x) => (x === true ? '1' : x === false ? '0' : String(x)));
}

function jsonEntries(text: string, section: string, fail: (msg: string, line: number) => void): RawEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1;
    fail((e as Error).message.split('\n')[0], line);
    return [];
  }
  const sect = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>)[section] : undefined;
  if (sect === null || typeof sect !== 'object' || Array.isArray(sect)) return [];
  const find = lineFinder(text);
  const out: RawEntry[] = [];
  for (const [key, v] of Object.entries(sect as Record<string, unknown>)) {
    const keyLine = find(JSON.stringify(key));
    for (const value of scalars(v)) out.push({ key, value, line: Array.isArray(v) ? find(JSON.stringify(value).slice(1, -1)) : keyLine });
  }
  return out;
}

function xmlEntries(text: string, section: string, fail: (msg: string, line: number) => void): RawEntry[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    fail(valid.err.msg, valid.err.line);
    return [];
  }
  let doc: unknown;
  try {
    doc = new XMLParser({ ignoreAttributes: true, processEntities: false, parseTagValue: false }).parse(text);
  } catch (e) {
    fail((e as Error).message.split('\n')[0], 1);
    return [];
  }
  const root = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)[section] : undefined;
  const first = Array.isArray(root) ? root[0] : root;
  if (first === null || typeof first !== 'object') return [];
  const find = lineFinder(text);
  const out: RawEntry[] = [];
  for (const [key, v] of Object.entries(first as Record<string, unknown>)) {
    for (const value of scalars(v)) out.push({ key, value: value.trim(), line: find(`<${key}`) });
  }
  return out;
}

/**
 * The options uWSGI reads from `entry` (a workspace path, optionally `path:section`), in order, includes expanded.
 * `placeholders` carries what earlier options defined (a command line's, or an including file's).
 */
export function readUwsgiOptions(entry: string, reader: UwsgiReader, placeholders = new Map<string, string>()): UwsgiOption[] {
  const out: UwsgiOption[] = [];
  const stack: string[] = [];
  let work = 0;
  let cut = false;
  const load = (path: string, section: string, at: Loc | undefined, conditional: boolean): void => {
    const key = `${path}:${section}`;
    if (stack.includes(key)) {
      const cycle = stack.slice(stack.indexOf(key));
      const id = [...cycle].sort().join('\0');
      if (reader.loops?.has(id)) return;
      reader.loops?.add(id);
      const chain = [...stack, key].map((k) => k.replace(/:uwsgi$/, '')).join(' -> ');
      reader.problems.push({ loc: at ?? reader.source(path).lineLoc(1), message: `uwsgi config includes itself (${chain}): uWSGI loops on it until it crashes` });
      return;
    }
    if (stack.length >= MAX_DEPTH) {
      reader.problems.push({ loc: at ?? reader.source(path).lineLoc(1), message: `uwsgi config includes are nested deeper than ${MAX_DEPTH} levels; the rest is not analysed` });
      return;
    }
    const text = reader.read(path);
    if (text === undefined) return;
    const src = reader.source(path);
    const fail = (msg: string, line: number) => reader.problems.push({ loc: src.lineLoc(Math.max(1, line)), message: `uwsgi config could not be parsed: ${msg}` });
    let entries = reader.cache?.get(key);
    if (!entries) {
      entries = rawEntries(path, text, section, fail);
      reader.cache?.set(key, entries);
    }
    stack.push(key);
    let depth = 0;
    for (const e of entries) {
      if (out.length >= MAX_OPTIONS || ++work > MAX_WORK) {
        if (!cut) reader.problems.push({ loc: at ?? src.lineLoc(1), message: `uwsgi config: more than ${MAX_OPTIONS} options (or ${MAX_WORK} read through includes); the rest is not analysed` });
        cut = true;
        break;
      }
      const name = canonicalName(e.key);
      if (BLOCK_CLOSE.has(name)) {
        depth = Math.max(0, depth - 1);
        continue;
      }
      const { value, opaque } = expand(e.value, placeholders, path);
      const loc = src.lineLoc(e.line);
      if (BLOCK_OPEN.test(name)) {
        depth++;
        continue;
      }
      if (name === 'set' || name === 'set-ph' || name === 'set-placeholder') {
        const eq = value.indexOf('=');
        if (eq > 0 && !placeholders.has(value.slice(0, eq))) placeholders.set(value.slice(0, eq), value.slice(eq + 1));
      } else if (!placeholders.has(e.key)) placeholders.set(e.key, value);
      const cond = conditional || depth > 0;
      out.push({ name, value, loc, opaque, conditional: cond });
      if (LOADERS.has(name) && !opaque) {
        const colon = value.lastIndexOf(':');
        const [file, sect] = colon > 0 && !/^[a-z]+:\/\//.test(value) ? [value.slice(0, colon), value.slice(colon + 1)] : colon === 0 ? ['', value.slice(1)] : [value, 'uwsgi'];
        if (file === '') load(path, sect || 'uwsgi', loc, cond);
        else if (/^[a-z]+:\/\//.test(file) || file === '-') reader.includeProblems.push({ kind: 'outside', loc, message: `uwsgi ${name} "${value}" is not a workspace file, not read` });
        else {
          const target = reader.resolve(path, file);
          if (!target) reader.includeProblems.push({ kind: 'missing', loc, message: `uwsgi ${name} "${value}" is not in the workspace` });
          else if ('outside' in target) reader.includeProblems.push({ kind: 'outside', loc, message: target.outside });
          else load(target.rel, sect || 'uwsgi', loc, cond);
        }
      }
    }
    stack.pop();
  };
  const colon = entry.lastIndexOf(':');
  const [path, section] = colon > 0 && !reader.read(entry) ? [entry.slice(0, colon), entry.slice(colon + 1)] : [entry, 'uwsgi'];
  load(path, section, undefined, false);
  return out;
}

/** Placeholders, `%d`-style magic and what stays unknown. One pass, linear in the value. */
function expand(raw: string, placeholders: Map<string, string>, file: string): { value: string; opaque: boolean } {
  let opaque = false;
  let out = '';
  // The next ')' at or after a position, remembered: many unclosed `$(` must not rescan the rest each time.
  let close = -2;
  const closeAfter = (from: number) => {
    if (close === -1 || close >= from) return close;
    close = raw.indexOf(')', from);
    return close;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    const next = raw[i + 1];
    if ((c === '$' || c === '@') && next === '(') {
      const end = closeAfter(i + 2);
      if (end !== -1) {
        opaque = true;
        out += raw.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (c === '%' && next === '(') {
      const end = closeAfter(i + 2);
      if (end !== -1) {
        const name = raw.slice(i + 2, end).trim();
        const v = placeholders.get(name);
        if (v === undefined) opaque = true;
        out += v ?? raw.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (c === '%' && next !== undefined) {
      // Magic variables of the file being read (uwsgi-docs Configuration.rst).
      const dir = posix.dirname(file);
      const base = posix.basename(file);
      const magic: Record<string, string> = { d: dir === '.' ? '' : `${dir}/`, p: file, s: base, n: base.replace(/\.[^.]*$/, ''), e: posix.extname(base).slice(1), '%': '%' };
      if (next in magic) {
        out += magic[next];
        i++;
        continue;
      }
    }
    out += c;
  }
  return { value: out, opaque };
}
