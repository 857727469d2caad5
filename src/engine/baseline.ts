import { nodeCrypto } from '../util/node-crypto';
import YAML from 'yaml';
import { parseNginx, type NginxDirective } from '../parsers/nginx';
import { NGINX_WORD_BUDGET, type NginxFileParse } from '../model/nginx';
import { SourceText } from '../parsers/source';
import type { FileKind, Finding } from '../types';
import { decodeText, readRegularFile } from './load';

/**
 * Finding fingerprints and baselines. A fingerprint names a finding by what it is about, never by where it is:
 * the rule, the file, the structural place (settings name, nginx block path, ini section and key), the text of
 * its line(s) with whitespace normalised, and its rank among findings equal in all of these. Moving lines,
 * inserting unrelated ones or re-indenting keeps it; changing the offending value makes a new one. Line numbers
 * and messages (which quote line numbers and other files) are left out.
 */

export const BASELINE_VERSION = 1;
/** A baseline holds a line per finding: 4 MiB is tens of thousands of them. */
export const MAX_BASELINE_BYTES = 4 * 1024 * 1024;
/** Spans longer than this are fingerprinted by their first line only: an edit deep inside is not the finding. */
const MAX_SPAN_LINES = 5;
const MAX_ANCHOR = 300;
const MAX_TEXT = 2000;

export interface FingerprintSource {
  text: string;
  kind?: FileKind;
  /** The scan's line index of the text, when it has one. */
  source?: SourceText;
  /** The scan's own parse of this nginx file, used instead of parsing it again when it is of the same text. */
  nginx?: NginxFileParse;
}

/** Whitespace is not meaning: runs become one space, and go entirely next to punctuation (`a = 1` ≡ `a=1`). */
export function normalizeText(s: string): string {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < s.length && out.length < MAX_TEXT; i++) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v') {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace && isWord(out[out.length - 1]) && isWord(c)) out += ' ';
    pendingSpace = false;
    out += c;
  }
  return out;
}

function isWord(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_$]/u.test(c);
}

function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** How a finding's structural place is named, per kind of file; computed once per file. */
type Anchors = (line: number) => string;

function kindOf(path: string, kind: FileKind | undefined): 'nginx' | 'python' | 'ini' | 'other' {
  if (kind === 'nginx') return 'nginx';
  if (kind === 'django-settings' || kind === 'wsgi' || path.endsWith('.py')) return 'python';
  if (/\.ini$/i.test(path) || (kind === 'uwsgi' && !/\.(ya?ml|json|xml)$/i.test(path))) return 'ini';
  return 'other';
}

export function anchorsFor(path: string, source: FingerprintSource, budget: { remaining: number } = { remaining: NGINX_WORD_BUDGET }): Anchors {
  switch (kindOf(path, source.kind)) {
    case 'nginx':
      return nginxAnchors(path, source, budget);
    case 'python':
      return pythonAnchors(source.text);
    case 'ini':
      return iniAnchors(source.text);
    default:
      return () => '';
  }
}

// nginx: the block path from the file's top (`http>server[listen 80]>location /`) and the directive's name.

function nginxLabel(d: NginxDirective): string {
  if (d.name === 'server' && d.block) {
    const listen = d.block.filter((c) => c.name === 'listen').map((c) => c.args.map((a) => a.value).join(' '));
    const names = d.block.filter((c) => c.name === 'server_name').flatMap((c) => c.args.map((a) => a.value));
    const parts = [listen.length ? `listen ${listen.join(',')}` : '', names.length ? `server_name ${names.join(' ')}` : ''].filter(Boolean);
    return `server[${parts.join(';')}]`;
  }
  return [d.name, ...d.args.map((a) => a.value)].join(' ');
}

/**
 * `budget` is shared by the scan's files, as the model's parse is: a dense file cannot cost more here than there.
 * The scan's parse of the file is what parsing it here would give when it read the whole file and the budget left
 * here exceeds its cost (its words, the same whoever parses): then it is taken, and its cost counted here.
 */
function nginxAnchors(path: string, source: FingerprintSource, budget: { remaining: number }): Anchors {
  let top: NginxDirective[];
  const own = source.nginx;
  if (own && own.complete && own.text === source.text && budget.remaining > own.cost) {
    top = own.directives;
    budget.remaining -= own.cost;
  } else {
    try {
      top = parseNginx(path, source.text, { budget }).directives;
    } catch {
      return () => '';
    }
  }
  const spans = new Map<NginxDirective[], Spans | null>();
  return (line) => {
    const trail: string[] = [];
    let list: NginxDirective[] | undefined = top;
    while (list) {
      let index = spans.get(list);
      if (index === undefined) spans.set(list, (index = spansOf(list)));
      const hit: NginxDirective | undefined = index ? firstCovering(list, index, line) : list.find((d) => d.loc.line <= line && line <= endOf(d));
      if (!hit) break;
      trail.push(nginxLabel(hit));
      // The header line of a block is the block itself; its body's lines go one level down.
      list = hit.block && line > hit.loc.endLine ? hit.block : undefined;
    }
    return trail.join('>').slice(0, MAX_ANCHOR);
  };
}

/** The lines a directive covers: to its closing brace when it has one. */
function endOf(d: NginxDirective): number {
  return d.closeLoc?.endLine ?? d.loc.endLine;
}

interface Spans {
  starts: Int32Array;
  ends: Int32Array;
}

/** A block's first and last lines, when both only grow along it (directives in file order); else null. */
function spansOf(list: NginxDirective[]): Spans | null {
  const starts = new Int32Array(list.length);
  const ends = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    starts[i] = list[i].loc.line;
    ends[i] = endOf(list[i]);
    if (i > 0 && (starts[i] < starts[i - 1] || ends[i] < ends[i - 1])) return null;
  }
  return { starts, ends };
}

/**
 * The first directive of the list covering `line`, by binary search: with both bounds growing, those before the
 * first that ends at or after the line all end before it, and if that one starts after it so do all later ones.
 */
function firstCovering(list: NginxDirective[], s: Spans, line: number): NginxDirective | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.ends[mid] < line) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && s.starts[lo] <= line ? list[lo] : undefined;
}

// Python: the enclosing `class`/`def` headers and the statement's target (`SESSION_COOKIE_SECURE`, `os.environ['HTTPS']`).

interface Statement {
  line: number;
  indent: number;
  head: string;
}

/** Logical lines: a linear scan tracking strings, comments, brackets and backslash continuations. */
function pythonStatements(text: string): { statements: Statement[]; lineToStatement: number[] } {
  const lines = linesOf(text);
  const statements: Statement[] = [];
  const lineToStatement: number[] = new Array(lines.length + 1).fill(-1);
  let depth = 0;
  let quote = '';
  let continued = false;
  for (let li = 0; li < lines.length; li++) {
    const s = lines[li];
    let i = 0;
    if (depth === 0 && quote === '' && !continued) {
      while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\f')) i++;
      if (i < s.length && s[i] !== '#') statements.push({ line: li + 1, indent: i, head: s.slice(i, i + 200) });
    }
    lineToStatement[li + 1] = statements.length - 1;
    continued = false;
    for (; i < s.length; i++) {
      const c = s[i];
      if (quote) {
        if (c === '\\') i++;
        else if (s.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = '';
        }
        continue;
      }
      if (c === '#') break;
      if (c === '"' || c === "'") quote = s.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      if (quote.length === 3) i += 2;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      else if (c === '\\' && i === s.length - 1) continued = true;
    }
    // An unterminated one-quote string ends with its line (Python would not parse it; the scan moves on).
    if (quote.length === 1) quote = '';
  }
  return { statements, lineToStatement };
}

const TARGET = /^[A-Za-z_][\w.]*(?:\[[^\]\n]{0,100}\])?/;
const HEADER = /^(?:async\s+)?(class|def)\s+([A-Za-z_]\w*)/;

function pythonAnchors(text: string): Anchors {
  const { statements, lineToStatement } = pythonStatements(text);
  // Each statement's enclosing one: the nearest before it that is indented less (a stack of open indents), so a
  // lookup climbs the nesting instead of walking back over every statement of a long class body.
  const enclosing = new Int32Array(statements.length);
  const open: number[] = [];
  for (let i = 0; i < statements.length; i++) {
    while (open.length > 0 && statements[open[open.length - 1]].indent >= statements[i].indent) open.pop();
    enclosing[i] = open.length > 0 ? open[open.length - 1] : -1;
    open.push(i);
  }
  return (line) => {
    const at = lineToStatement[line] ?? -1;
    if (at < 0) return '';
    const trail: string[] = [];
    for (let k = statements[at].indent > 0 ? enclosing[at] : -1; k >= 0; k = statements[k].indent > 0 ? enclosing[k] : -1) {
      const h = HEADER.exec(statements[k].head);
      if (h) trail.unshift(`${h[1]} ${h[2]}`);
    }
    const own = statements[at].head;
    const h = HEADER.exec(own);
    trail.push(h ? `${h[1]} ${h[2]}` : (TARGET.exec(own)?.[0] ?? '').replace(/\s+/g, ''));
    return trail.join('>').slice(0, MAX_ANCHOR);
  };
}

// ini (uwsgi): `[section]>key`.

function iniAnchors(text: string): Anchors {
  const lines = linesOf(text);
  const section: string[] = [];
  let current = '';
  for (const raw of lines) {
    const s = raw.trim();
    if (s.startsWith('[') && s.endsWith(']')) current = s.slice(1, -1).trim();
    section.push(current);
  }
  return (line) => {
    const s = (lines[line - 1] ?? '').trim();
    const eq = s.search(/[=:]/);
    const key = eq > 0 && !/^[#;]/.test(s) ? s.slice(0, eq).trim() : '';
    return `[${section[line - 1] ?? ''}]${key ? `>${key}` : ''}`.slice(0, MAX_ANCHOR);
  };
}

function spanText(source: SourceText, f: Finding): string {
  const first = Math.max(1, f.line);
  const last = Math.min(f.endLine > first && f.endLine - first < MAX_SPAN_LINES ? f.endLine : first, source.lineCount);
  const lines: string[] = [];
  for (let n = first; n <= last; n++) lines.push(source.lineText(n));
  return normalizeText(lines.join('\n'));
}

/** The parts of a fingerprint before the occurrence rank, readable (for tests and debugging). */
export function fingerprintKey(f: Finding, anchor: string, text: string): string {
  return [f.ruleId, f.path, anchor, text].join('\0');
}

/**
 * Sets `fingerprint` on every finding. `sources` gives the text (and kind) of the files findings point into; a
 * finding in a file not given (a file that could not be read) is named by its rule and path alone.
 */
export function assignFingerprints(findings: Finding[], sources: (path: string) => FingerprintSource | undefined): void {
  const perFile = new Map<string, { source: SourceText; anchors: Anchors } | null>();
  const budget = { remaining: NGINX_WORD_BUDGET };
  const keyed = findings.map((f) => {
    let file = perFile.get(f.path);
    if (file === undefined) {
      const src = sources(f.path);
      file = src ? { source: src.source?.text === src.text ? src.source : new SourceText(f.path, src.text), anchors: anchorsFor(f.path, src, budget) } : null;
      perFile.set(f.path, file);
    }
    const key = file ? fingerprintKey(f, file.anchors(Math.max(1, f.line)), spanText(file.source, f)) : fingerprintKey(f, '', '');
    return { f, key };
  });
  // The rank among equal keys follows the order in the file, so it survives moves that keep that order.
  const order = keyed.slice().sort((a, b) => a.f.line - b.f.line || a.f.column - b.f.column);
  const seen = new Map<string, number>();
  for (const k of order) {
    const n = seen.get(k.key) ?? 0;
    seen.set(k.key, n + 1);
    k.f.fingerprint = nodeCrypto().createHash('sha256').update(`${k.key}\0${n}`).digest('hex').slice(0, 32);
  }
}

// Baseline files.

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  path: string;
}

export interface Baseline {
  version: number;
  tool: string;
  toolVersion: string;
  findings: BaselineEntry[];
}

export class BaselineError extends Error {}

/** The baseline of a set of findings, sorted so that the same findings always give the same file. */
export function formatBaseline(findings: readonly Finding[], toolVersion: string): string {
  const entries = findings
    .filter((f) => f.fingerprint)
    .map((f) => ({ fingerprint: f.fingerprint!, ruleId: f.ruleId, path: f.path }))
    .sort((a, b) => cmp(a.path, b.path) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
  const unique = entries.filter((e, i) => i === 0 || e.fingerprint !== entries[i - 1].fingerprint);
  const body = unique.map((e) => `    ${JSON.stringify(e)}`).join(',\n');
  return `{\n  "version": ${BASELINE_VERSION},\n  "tool": "https-guard",\n  "toolVersion": ${JSON.stringify(toolVersion)},\n  "findings": [${unique.length ? `\n${body}\n  ` : ''}]\n}\n`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 1-based line and column of an offset. */
function lineCol(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `${line}:${offset - start + 1}`;
}

/** Where JSON.parse failed: its offset when it says one, else where the YAML parser (a JSON superset) stops. */
function jsonErrorAt(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (m) return lineCol(text, Number(m[1]));
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  const pos = doc.errors[0]?.linePos?.[0];
  return pos ? `${pos.line}:${pos.col}` : '1:1';
}

/** Offsets where each element of the top-level object's `findings` array starts (for file:line in errors). */
function elementOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  let inFindings = false;
  let lastKey = '';
  let keyStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 1) lastKey = text.slice(keyStart + 1, i);
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      keyStart = i;
      if (depth === 2 && inFindings) out.push(i);
    } else if (c === '{' || c === '[') {
      if (depth === 1 && c === '[') inFindings = lastKey === 'findings';
      if (depth === 2 && inFindings) out.push(i);
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 1) inFindings = false;
    } else if (depth === 2 && inFindings && !/[\s,]/.test(c)) {
      out.push(i);
      // Skip the rest of a bare value (number, true, null) so it counts once.
      while (i + 1 < text.length && !/[\s,\]}]/.test(text[i + 1])) i++;
    }
  }
  return out;
}

const FINGERPRINT = /^[0-9a-f]{32}$/;
const ENTRY_KEYS = new Set(['fingerprint', 'ruleId', 'path']);
const TOP_KEYS = new Set(['version', 'tool', 'toolVersion', 'findings']);

/** Parses and checks a baseline; errors name the file and line (`label:line:column`). */
export function parseBaseline(text: string, label: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${label}:${jsonErrorAt(text, e as Error)}: not valid JSON`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new BaselineError(`${label}:1:1: a baseline is a JSON object`);
  const obj = data as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!TOP_KEYS.has(k)) throw new BaselineError(`${label}:1:1: unknown key ${JSON.stringify(k).slice(0, 80)}`);
  if (obj.version !== BASELINE_VERSION) throw new BaselineError(`${label}:1:1: version must be ${BASELINE_VERSION} (this release reads baselines of version ${BASELINE_VERSION})`);
  if (obj.tool !== undefined && obj.tool !== 'https-guard') throw new BaselineError(`${label}:1:1: tool must be "https-guard"`);
  if (obj.toolVersion !== undefined && typeof obj.toolVersion !== 'string') throw new BaselineError(`${label}:1:1: toolVersion must be a string`);
  if (!Array.isArray(obj.findings)) throw new BaselineError(`${label}:1:1: findings must be an array`);
  const offsets = elementOffsets(text);
  const findings: BaselineEntry[] = obj.findings.map((raw, i) => {
    const at = `${label}:${offsets[i] !== undefined ? lineCol(text, offsets[i]) : '1:1'}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BaselineError(`${at}: findings[${i}] must be an object`);
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!ENTRY_KEYS.has(k)) throw new BaselineError(`${at}: findings[${i}] has an unknown key ${JSON.stringify(k).slice(0, 80)}`);
    if (typeof e.fingerprint !== 'string' || !FINGERPRINT.test(e.fingerprint)) throw new BaselineError(`${at}: findings[${i}].fingerprint must be 32 lower-case hex digits`);
    if (typeof e.ruleId !== 'string' || typeof e.path !== 'string') throw new BaselineError(`${at}: findings[${i}] needs ruleId and path strings`);
    return { fingerprint: e.fingerprint, ruleId: e.ruleId, path: e.path };
  });
  return { version: BASELINE_VERSION, tool: 'https-guard', toolVersion: typeof obj.toolVersion === 'string' ? obj.toolVersion : '', findings };
}

/** Bytes of a baseline (from disk or a commit) to a checked Baseline. */
export function decodeBaseline(bytes: Buffer, label: string): Baseline {
  if (bytes.length > MAX_BASELINE_BYTES) throw new BaselineError(`${label}: larger than ${MAX_BASELINE_BYTES} bytes`);
  const text = decodeText(bytes);
  if (!text.ok) throw new BaselineError(`${label}: cannot read: ${text.reason}`);
  return parseBaseline(text.text.replace(/^\uFEFF/, ''), label);
}

/** Reads a baseline from disk: a regular file only (never through a symbolic link), size-bounded. */
export function readBaselineFile(file: string, label: string): Baseline {
  const read = readRegularFile(file, MAX_BASELINE_BYTES);
  if (!read.ok) throw new BaselineError(`${label}: cannot read: ${read.reason}`);
  return decodeBaseline(read.buf, label);
}

export interface BaselineOutcome<F extends Finding> {
  kept: F[];
  /** Findings the baseline accepted. */
  baselined: number;
  /** Baseline entries no current finding matches (fixed, changed, or in a rule not run). */
  stale: number;
}

/**
 * Drops the findings the baseline holds. Entries of rules switched off (`ruleEnabled` false) are not counted
 * stale: they were not looked for.
 */
export function applyBaseline<F extends Finding>(findings: readonly F[], baseline: Baseline, ruleEnabled: (id: string) => boolean = () => true): BaselineOutcome<F> {
  const known = new Set(baseline.findings.map((e) => e.fingerprint));
  const matched = new Set<string>();
  const kept: F[] = [];
  for (const f of findings) {
    if (f.fingerprint && known.has(f.fingerprint)) matched.add(f.fingerprint);
    else kept.push(f);
  }
  const stale = baseline.findings.filter((e) => !matched.has(e.fingerprint) && ruleEnabled(e.ruleId)).length;
  return { kept, baselined: findings.length - kept.length, stale };
}

export function describeBaseline(o: { baselined: number; stale: number }, label: string): string {
  const stale = o.stale ? `; ${o.stale} baseline ${o.stale === 1 ? 'entry' : 'entries'} no longer ${o.stale === 1 ? 'matches' : 'match'} (fixed or changed: write the baseline again to drop ${o.stale === 1 ? 'it' : 'them'})` : '';
  return `${o.baselined} finding${o.baselined === 1 ? '' : 's'} accepted by the baseline ${label}${stale}`;
}
