import * as TOML from 'smol-toml';
import YAML, { isAlias, isMap, isScalar, isSeq, LineCounter, type Node as YamlNode } from 'yaml';

/**
 * Config files (JSON, YAML, TOML) read into one tree that keeps where every key and value stands, so that an error
 * names the file, line and column of the offending text. All three readers are bounded: nesting depth and node count
 * are capped, nothing recurses on the file's say-so past them.
 */

/** 1-based line and column. */
export interface Pos {
  line: number;
  col: number;
}

export type RawNode =
  | { kind: 'map'; pos?: Pos; entries: RawEntry[] }
  | { kind: 'list'; pos?: Pos; items: RawNode[] }
  | { kind: 'scalar'; pos?: Pos; value: string | number | boolean | null; /** The value's text in the file (a number's digits as written). */ source?: string }
  | { kind: 'other'; pos?: Pos; what: string };

export interface RawEntry {
  key: string;
  keyPos?: Pos;
  value: RawNode;
}

export type ConfigFormat = 'json' | 'yaml' | 'toml';

/** A file that cannot be parsed: the reason (never the text) and where. */
export class ConfigSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos?: Pos,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 32;
const MAX_NODES = 20000;

/** Offsets to 1-based line/column, by binary search over line starts. */
function lineIndex(text: string): (offset: number) => Pos {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  };
}

/** Plain JavaScript data (action inputs, tests, a parsed TOML table) as a tree without positions. */
export function fromPlain(value: unknown, depth = 0): RawNode {
  if (depth > MAX_DEPTH) return { kind: 'other', what: 'too deeply nested' };
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value };
  if (typeof value === 'bigint') return { kind: 'scalar', value: Number(value), source: value.toString() };
  if (Array.isArray(value)) return { kind: 'list', items: value.map((v) => fromPlain(v, depth + 1)) };
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (typeof value === 'object' && !(value instanceof Date) && (proto === Object.prototype || proto === null)) {
    return { kind: 'map', entries: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: fromPlain(v, depth + 1) })) };
  }
  if (value instanceof Date) return { kind: 'other', what: 'a date' };
  return { kind: 'other', what: typeof value === 'object' ? 'an object' : typeof value };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON: a small recursive-descent reader (RFC 8259), because JSON.parse gives no positions and keeps the last of
// two equal keys silently.

export function parseJson(text: string): RawNode {
  const at = lineIndex(text);
  let i = 0;
  let nodes = 0;
  const fail = (msg: string, offset = i): never => {
    throw new ConfigSyntaxError(`invalid JSON: ${msg}`, at(Math.min(offset, text.length)));
  };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const string = (): string => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in a string');
      i += c === 0x5c ? 2 : 1;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('bad escape in a string', start);
    }
  };
  const value = (depth: number): RawNode => {
    if (++nodes > MAX_NODES) fail('too many values');
    if (depth > MAX_DEPTH) fail('nested too deeply');
    ws();
    const pos = at(i);
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: RawEntry[] = [];
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'map', pos, entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key in double quotes');
        const keyPos = at(i);
        const keyStart = i;
        const key = string();
        if (seen.has(key)) fail('duplicate key', keyStart);
        seen.add(key);
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        entries.push({ key, keyPos, value: value(depth + 1) });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'map', pos, entries };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: RawNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'list', pos, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'list', pos, items };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      const start = i;
      const s = string();
      return { kind: 'scalar', pos, value: s, source: text.slice(start, i) };
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { kind: 'scalar', pos, value: v, source: word };
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return { kind: 'scalar', pos, value: Number(m[0]), source: m[0] };
    }
    return fail(i >= text.length ? 'unexpected end of input' : 'unexpected character');
  };
  const root = value(0);
  ws();
  if (i < text.length) fail('unexpected text after the value');
  return root;
}

// ---------------------------------------------------------------------------------------------------------------
// YAML: the yaml package's document tree (with a LineCounter) walked into ours.

export function parseYaml(text: string): RawNode | undefined {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const p = lineCounter.linePos(err.pos[0]);
    throw new ConfigSyntaxError(`invalid YAML (${err.code})`, { line: p.line, col: p.col });
  }
  if (doc.contents === null) return undefined;
  const posOf = (n: { range?: [number, number, number] | null } | null | undefined): Pos | undefined => {
    if (!n?.range) return undefined;
    const p = lineCounter.linePos(n.range[0]);
    return { line: p.line, col: p.col };
  };
  let nodes = 0;
  const walk = (node: unknown, depth: number): RawNode => {
    const pos = posOf(node as YamlNode);
    // Aliases are expanded by walking their target: the count bounds a billion-laughs document.
    if (++nodes > MAX_NODES) throw new ConfigSyntaxError('invalid YAML: too many values (aliases expand to more than the limit)', pos);
    if (depth > MAX_DEPTH) throw new ConfigSyntaxError('invalid YAML: nested too deeply', pos);
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new ConfigSyntaxError('invalid YAML: unresolved alias', pos);
      return { ...walk(target, depth + 1), pos };
    }
    if (isMap(node)) {
      const entries: RawEntry[] = [];
      for (const pair of node.items) {
        const k = pair.key;
        const keyPos = posOf(k as YamlNode) ?? pos;
        if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number' && typeof k.value !== 'boolean')) {
          throw new ConfigSyntaxError('keys must be plain strings', keyPos);
        }
        entries.push({ key: String(k.value), keyPos, value: pair.value === null ? { kind: 'scalar', pos: keyPos, value: null } : walk(pair.value, depth + 1) });
      }
      return { kind: 'map', pos, entries };
    }
    if (isSeq(node)) return { kind: 'list', pos, items: node.items.map((n) => walk(n, depth + 1)) };
    if (isScalar(node)) {
      const v = node.value;
      const src = (node as { source?: unknown }).source;
      const source = typeof src === 'string' ? src : undefined;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { kind: 'scalar', pos, value: v, source };
      if (typeof v === 'bigint') return { kind: 'scalar', pos, value: Number(v), source: source ?? v.toString() };
      return { kind: 'other', pos, what: typeof v };
    }
    return { kind: 'other', pos, what: 'an unsupported YAML node' };
  };
  return walk(doc.contents, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// TOML: smol-toml parses and validates; a lenient scanner then finds where each key and value stands, since the
// parser keeps no positions. The scanner runs only on text the parser accepted.

export interface TomlSpot {
  key: Pos;
  value: Pos;
  source: string;
}

/** Where every key path of a valid TOML document stands ('\0'-joined path; array items by index). */
export function tomlSpots(text: string): Map<string, TomlSpot> {
  const at = lineIndex(text);
  const spots = new Map<string, TomlSpot>();
  const arrayTables = new Map<string, number>();
  let i = 0;
  let table: string[] = [];
  const n = text.length;
  const isWs = (c: string | undefined) => c === ' ' || c === '\t';
  const skipWs = () => {
    while (isWs(text[i])) i++;
  };
  const skipLine = () => {
    while (i < n && text[i] !== '\n') i++;
  };
  // Whitespace, newlines and comments (inside arrays and between statements).
  const skipBlank = () => {
    for (;;) {
      while (i < n && (isWs(text[i]) || text[i] === '\n' || text[i] === '\r')) i++;
      if (text[i] === '#') skipLine();
      else return;
    }
  };
  const basicString = (): string => {
    const start = i;
    i++;
    while (i < n && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    i++;
    const raw = text.slice(start, i);
    try {
      return JSON.parse(raw.replace(/\\U([0-9a-fA-F]{8})/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))) as string;
    } catch {
      return raw.slice(1, -1);
    }
  };
  const literalString = (): string => {
    const start = ++i;
    while (i < n && text[i] !== "'" && text[i] !== '\n') i++;
    return text.slice(start, i++);
  };
  const keyPart = (): string => {
    if (text[i] === '"') return basicString();
    if (text[i] === "'") return literalString();
    const start = i;
    while (i < n && /[A-Za-z0-9_-]/.test(text[i])) i++;
    if (i === start) i++;
    return text.slice(start, i);
  };
  const dottedKey = (): string[] => {
    const parts = [keyPart()];
    for (;;) {
      skipWs();
      if (text[i] !== '.') return parts;
      i++;
      skipWs();
      parts.push(keyPart());
    }
  };
  const record = (path: string[], keyAt: number, valueAt: number, end: number) => {
    const id = path.join('\0');
    if (!spots.has(id)) spots.set(id, { key: at(keyAt), value: at(valueAt), source: text.slice(valueAt, end) });
  };
  const value = (path: string[], keyAt: number, depth: number): void => {
    const start = i;
    if (depth > MAX_DEPTH) return;
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      const q = text.slice(i, i + 3);
      i += 3;
      for (;;) {
        const j = text.indexOf(q, i);
        if (j < 0) {
          i = n;
          break;
        }
        if (q === '"""' && text[j - 1] === '\\') {
          i = j + 1;
          continue;
        }
        i = j + 3;
        while (text[i] === q[0]) i++;
        break;
      }
    } else if (text[i] === '"') basicString();
    else if (text[i] === "'") literalString();
    else if (text[i] === '[') {
      i++;
      for (let k = 0; ; k++) {
        skipBlank();
        if (i >= n || text[i] === ']') break;
        const before = i;
        value([...path, String(k)], i, depth + 1);
        skipBlank();
        if (text[i] === ',') i++;
        if (i === before) i++;
      }
      i++;
    } else if (text[i] === '{') {
      i++;
      for (;;) {
        skipWs();
        if (i >= n || text[i] === '}' || text[i] === '\n') break;
        const before = i;
        const keyAt = i;
        const key = dottedKey();
        skipWs();
        if (text[i] === '=') i++;
        skipWs();
        value([...path, ...key], keyAt, depth + 1);
        skipWs();
        if (text[i] === ',') i++;
        if (i === before) i++;
      }
      i++;
    } else {
      while (i < n && !/[,\]}\n\r#]/.test(text[i]) && !(isWs(text[i]) && !/^[ \t]?\d/.test(text.slice(i, i + 2)))) i++;
      // A bare value runs to a delimiter; a date and time separated by one space stays one value.
      while (i > start && isWs(text[i - 1])) i--;
    }
    record(path, keyAt, start, i);
  };
  while (i < n) {
    skipBlank();
    if (i >= n) break;
    const lineStart = i;
    if (text[i] === '[') {
      const arrayTable = text[i + 1] === '[';
      i += arrayTable ? 2 : 1;
      skipWs();
      const keyAt = i;
      const key = dottedKey();
      if (arrayTable) {
        const id = key.join('\0');
        const k = arrayTables.get(id) ?? 0;
        arrayTables.set(id, k + 1);
        table = [...key, String(k)];
      } else table = key;
      record(table, keyAt, lineStart, lineStart);
      skipLine();
      continue;
    }
    const keyAt = i;
    const key = dottedKey();
    skipWs();
    if (text[i] !== '=') {
      skipLine();
      continue;
    }
    i++;
    skipWs();
    value([...table, ...key], keyAt, 0);
    skipWs();
    if (text[i] === '#') skipLine();
    if (i === lineStart) i++;
  }
  return spots;
}

/**
 * A TOML document's table at `prefix` (pyproject's tool.https-guard) as our tree, positions from the scanner;
 * undefined when the document has no such table.
 */
export function parseToml(text: string, prefix: string[]): RawNode | undefined {
  let data: unknown;
  try {
    data = parseTomlText(text);
  } catch (e) {
    const err = e as { line?: unknown; column?: unknown; message?: unknown };
    // smol-toml's message quotes the document after its first line: keep only the reason.
    const reason = String(err.message ?? '')
      .split('\n')[0]
      .replace(/^Invalid TOML document: /, '');
    const pos = typeof err.line === 'number' && typeof err.column === 'number' ? { line: err.line, col: err.column } : undefined;
    throw new ConfigSyntaxError(`invalid TOML: ${reason.slice(0, 120)}`, pos);
  }
  let table: unknown = data;
  for (const k of prefix) {
    if (table === null || typeof table !== 'object' || Array.isArray(table) || !Object.prototype.hasOwnProperty.call(table, k)) return undefined;
    table = (table as Record<string, unknown>)[k];
  }
  const spots = tomlSpots(text);
  const place = (node: RawNode, path: string[]): RawNode => {
    const spot = spots.get(path.join('\0'));
    if (node.kind === 'map') {
      return { ...node, pos: spot?.value, entries: node.entries.map((e) => ({ ...e, keyPos: spots.get([...path, e.key].join('\0'))?.key, value: place(e.value, [...path, e.key]) })) };
    }
    if (node.kind === 'list') return { ...node, pos: spot?.value, items: node.items.map((item, k) => place(item, [...path, String(k)])) };
    if (node.kind === 'scalar') return { ...node, pos: spot?.value, source: spot?.source ?? node.source };
    return { ...node, pos: spot?.value };
  };
  return place(fromPlain(table), prefix);
}

function parseTomlText(text: string): unknown {
  return TOML.parse(text);
}
