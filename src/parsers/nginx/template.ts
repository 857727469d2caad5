import { TEMPLATE_SUFFIX } from './classify';
import { parseNginx } from './parse';

/**
 * nginx configs kept as templates (Ansible/Salt Jinja `site.conf.j2`, Helm/Go `{{ .Values.x }}`, Chef/Puppet ERB):
 * what they hold is not nginx until rendered. Jinja and Go `if` parts are read both ways and loops once (see
 * NginxTemplate); other structure tags (`{% include %}`, `{{ template }}`, `<% if %>`) cannot be judged: which
 * directives they render is decided at deploy time. One with
 * values only (`server_name {{ domain }};`) has a fixed structure: each value becomes a variable-like word of the
 * same length, whose value is unknown, and the rest is judged as written. envsubst templates (the official nginx
 * image renders /etc/nginx/templates/*.template) use `${VAR}`, which nginx itself reads as a variable: only one
 * that stands where a directive starts (`${EVENTS_BLOCK}` on a line of its own) makes the structure a variable.
 */
export type NginxTemplate =
  | { kind: 'control' }
  | { kind: 'values'; text: string }
  /**
   * Jinja `{% if %}` decides which lines render: the two readings (every condition true, every condition false,
   * `not x`, `is not` and `!=` read as the opposite of `x`, `is`, `==`), each with the other lines blanked so
   * positions are those of the template. A finding both readings give holds whichever way the tags go.
   */
  | { kind: 'branches'; texts: [string, string]; tagLines: number[] };

// `%{name}`: the placeholders of installers that render with Python's str.replace or Template (Modoboa's
// `access_log /var/log/nginx/%{hostname}-access.log;`).
const MARKS = ['{{', '{%', '{#', '<%', '%{'];
const PERCENT_NAME = /^[A-Za-z_][\w.-]{0,127}$/;
/** Go template actions that change the structure. */
const GO_CONTROL = /^-?\s*(?:if|else|end|range|with|define|template|block|break|continue)\b/;

function hasMark(s: string): boolean {
  return MARKS.some((m) => s.includes(m));
}

/** undefined when the file is plain nginx (Lua code may hold `{{` in a table and still parse). */
export function nginxTemplate(path: string, text: string): NginxTemplate | undefined {
  const named = TEMPLATE_SUFFIX.test(path) || hasMark(path);
  if (!hasMark(text)) return ENVSUBST_PATH.test(path) && placeholderStatement(text) && !parses(path, text) ? { kind: 'control' } : undefined;
  // A file named as a template is one; otherwise marks in a config that parses are Lua or strings (`{{` in a table).
  if (!named && parses(path, text)) return undefined;
  const first = render(text, named, true);
  if (first.kind !== 'branches') return first;
  const second = render(text, named, false);
  if (second.kind !== 'branches') return second;
  // A reading nginx would reject is not what the template renders (an `{% if %}` inside a word, unbalanced braces).
  if (!parses(path, first.text) || !parses(path, second.text)) return { kind: 'control' };
  return { kind: 'branches', texts: [first.text, second.text], tagLines: first.tagLines };
}

type Rendered = { kind: 'control' } | { kind: 'values'; text: string } | { kind: 'branches'; text: string; tagLines: number[] };

/** An open `{% if %}` or `{% for %}` (or Go's `{{ if }}`, `{{ range }}`): whether its current part renders in this reading. */
interface Frame {
  tag: 'if' | 'for';
  on: boolean;
  /** An earlier part of the `if` rendered: the later `elif`/`else` parts do not. */
  done: boolean;
  /** Go: closed by `{{ end }}`, whatever opened it. */
  go?: boolean;
  /**
   * Go: an `if` chain that is the body of a `range` renders every part, each in some iteration (Dokku's sigil picks
   * the http or the https server per port mapping).
   */
  every?: boolean;
  /** Which part of an every-part chain renders now (0 for the first). */
  part?: number;
  /** The every-part chain this one sits in. */
  outer?: Frame;
}

/** One reading of the template: `truth` is the value of every condition as written (its negations the opposite). */
function render(text: string, named: boolean, truth: boolean): Rendered {
  const chars: string[] = [];
  const frames: Frame[] = [];
  // The innermost open every-part chain (its values are numbered by part).
  let curEvery: Frame | undefined;
  const tagLines: number[] = [];
  // Frames whose current part does not render: text renders only while there are none (no walk of the stack).
  let off = 0;
  const setOn = (f: Frame, on: boolean) => {
    if (f.on !== on) off += on ? -1 : 1;
    f.on = on;
  };
  // Lines counted once, forward, however many tags there are.
  // The next line break is kept, not searched again: tags on one long line would make that quadratic.
  let line = 1;
  let nextBreak = text.indexOf('\n');
  const lineAt = (i: number) => {
    while (nextBreak >= 0 && nextBreak < i) {
      line++;
      nextBreak = text.indexOf('\n', nextBreak + 1);
    }
    return line;
  };
  let at = 0;
  const n = text.length;
  // Where each mark next occurs, searched again only once passed: linear in the text however many marks it has.
  const next = MARKS.map(() => -2);
  // What renders as nothing (tags, comments, branches not taken) is cut, and its length added as blanks at the end
  // of its line: `www.{% endif %}{{ d }}` stays one word, and every line keeps its length and number.
  const cut = text.includes('\0') ? blank : gap;
  const emit = (s: string) => chars.push(off === 0 ? s : cut(s));
  while (at < n) {
    const open = nextMark(text, at, next);
    if (open < 0) break;
    const two = text.slice(open, open + 2);
    if (two === '%{') {
      // Only `%{name}` in a file named as a template; a placeholder that starts a line stands for directives.
      const end = text.indexOf('}', open + 2);
      if (!named || end < 0 || !PERCENT_NAME.test(text.slice(open + 2, end))) {
        emit(text.slice(at, open + 2));
        at = open + 2;
        continue;
      }
      if (startsLine(text, open)) return { kind: 'control' };
      emit(text.slice(at, open));
      chars.push(off === 0 ? word(text.slice(open, end + 1)) : cut(text.slice(open, end + 1)));
      at = end + 1;
      continue;
    }
    const close = two === '{{' ? '}}' : two === '{%' ? '%}' : two === '{#' ? '#}' : '%>';
    const end = text.indexOf(close, open + 2);
    if (end < 0) return { kind: 'control' };
    const inner = text.slice(open + 2, end);
    emit(text.slice(at, open));
    const span = text.slice(open, end + 2);
    at = end + 2;
    if (two === '{%') {
      // A loop repeats a fixed body (upstream servers, names): judged once, its tags blanked. `if` parts are read
      // both ways (see NginxTemplate). Any other tag (`include`, `macro`, `block`…) decides the structure unseen.
      const tag = jinjaTag(inner);
      if (tag === undefined) return { kind: 'control' };
      const top = frames[frames.length - 1];
      if (tag.name === 'for') frames.push({ tag: 'for', on: true, done: false });
      else if (tag.name === 'if') {
        const f: Frame = { tag: 'if', on: true, done: false };
        frames.push(f);
        setOn(f, holds(tag.arg, truth));
        tagLines.push(lineAt(open));
      } else if (tag.name === 'elif' || tag.name === 'else') {
        if (!top || top.go) return { kind: 'control' };
        if (top.tag === 'for') {
          if (tag.name === 'elif') return { kind: 'control' };
          // `{% for %}…{% else %}`: rendered only for an empty sequence; the loop's body is the reading judged.
          setOn(top, false);
        } else {
          top.done ||= top.on;
          setOn(top, !top.done && (tag.name === 'else' || holds(tag.arg, truth)));
        }
      } else if (tag.name === 'endif' || tag.name === 'endfor') {
        if (!top || top.go || top.tag !== tag.name.slice(3)) return { kind: 'control' };
        setOn(top, true);
        frames.pop();
      }
      chars.push(cut(span));
      continue;
    }
    if (two === '{{' && (GO_CONTROL.test(inner) || GO_ASSIGN.test(inner) || GO_COMMENT.test(inner))) {
      const tag = goTag(inner);
      if (tag === undefined) return { kind: 'control' };
      const top = frames[frames.length - 1];
      if (tag.name === 'range') frames.push({ tag: 'for', on: true, done: false, go: true });
      else if (tag.name === 'if') {
        const f: Frame = { tag: 'if', on: true, done: false, go: true, every: top?.tag === 'for' && top.go === true };
        frames.push(f);
        if (f.every) {
          f.outer = curEvery;
          curEvery = f;
        }
        setOn(f, f.every || holds(tag.arg, truth));
        tagLines.push(lineAt(open));
      } else if (tag.name === 'else') {
        if (!top || !top.go) return { kind: 'control' };
        if (top.tag === 'for') setOn(top, false);
        else if (top.every) {
          top.part = (top.part ?? 0) + 1;
          setOn(top, true);
        }
        else {
          top.done ||= top.on;
          setOn(top, !top.done && (tag.arg === '' || holds(tag.arg, truth)));
        }
      } else if (tag.name === 'end') {
        if (!top || !top.go) return { kind: 'control' };
        setOn(top, true);
        if (top === curEvery) curEvery = top.outer;
        frames.pop();
      }
      chars.push(cut(span));
      continue;
    }
    if (two === '<%' && !inner.startsWith('=') && !inner.startsWith('#')) return { kind: 'control' };
    // A comment becomes blanks; a value a word `$…` of the same length (line breaks kept, positions unchanged).
    // In a part of an every-part chain, a value is that iteration's: its word ends in the part's number, so that
    // `listen {{ $port }};` and `listen {{ $port }} ssl;` of two parts are not one address whose options merge.
    const every = curEvery;
    const w = off > 0 || two === '{#' || (two === '<%' && inner.startsWith('#')) ? cut(span) : word(span);
    chars.push(every && w.startsWith('$') && w.length > 2 ? `${w.slice(0, -1)}${String.fromCharCode(48 + (every.part ?? 0) % 10)}` : w);
  }
  if (frames.length > 0) return { kind: 'control' };
  emit(text.slice(at));
  const out = closeGaps(chars.join(''));
  return tagLines.length > 0 ? { kind: 'branches', text: out, tagLines } : { kind: 'values', text: out };
}

/** Go's `{{ $x := … }}` / `{{ $x = … }}`: an assignment, which renders nothing. */
const GO_ASSIGN = /^-?\s*\$\w*\s*:?=/;
const GO_COMMENT = /^-?\s*\/\*/;

/**
 * The Go actions a reading can follow: `if`/`with` (a part), `else`/`else if` (the next part), `range` (a loop, its
 * body judged once), `end`, and assignments and comments (nothing). `define`, `template`, `block`, `break` and
 * `continue` decide the structure unseen.
 */
function goTag(inner: string): { name: 'if' | 'else' | 'range' | 'end' | 'none'; arg: string } | undefined {
  let t = inner.trim();
  if (t.startsWith('-')) t = t.slice(1);
  if (t.endsWith('-')) t = t.slice(0, -1);
  t = t.trim();
  if (GO_ASSIGN.test(t) || t.startsWith('/*')) return { name: 'none', arg: '' };
  const sp = t.search(/\s/);
  const head = sp < 0 ? t : t.slice(0, sp);
  const arg = sp < 0 ? '' : t.slice(sp).trim();
  if (head === 'if' || head === 'with') return { name: 'if', arg };
  if (head === 'range') return { name: 'range', arg };
  if (head === 'end') return { name: 'end', arg };
  if (head === 'else') {
    const sub = arg.startsWith('if ') || arg.startsWith('with ') ? arg.slice(arg.indexOf(' ') + 1).trim() : arg === '' ? '' : undefined;
    return sub === undefined ? undefined : { name: 'else', arg: sub };
  }
  return undefined;
}

/** The tags a reading can follow: `for`/`endfor`, `set x = …`, `if`/`elif`/`else`/`endif` (with `-`/`+` trims). */
function jinjaTag(inner: string): { name: 'for' | 'endfor' | 'set' | 'if' | 'elif' | 'else' | 'endif'; arg: string } | undefined {
  let s = inner.trim();
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s.endsWith('-') || s.endsWith('+')) s = s.slice(0, -1);
  s = s.trim();
  const sp = s.search(/\s/);
  const name = sp < 0 ? s : s.slice(0, sp);
  const arg = sp < 0 ? '' : s.slice(sp).trim();
  switch (name) {
    case 'for':
    case 'endfor':
    case 'if':
    case 'elif':
    case 'else':
    case 'endif':
      return { name, arg };
    case 'set':
      // `{% set x %}…{% endset %}` captures a block: not a plain assignment.
      return arg.includes('=') ? { name, arg } : undefined;
    default:
      return undefined;
  }
}

/** A condition's value in a reading: the written form is `truth`, its negation (`not x`, `x is not y`, `!=`) not. */
function holds(cond: string, truth: boolean): boolean {
  const c = cond.split(/\s+/).join(' ');
  const negated = c.startsWith('not ') || c.includes(' is not ') || c.includes('!=');
  return negated ? !truth : truth;
}

const ENVSUBST_PATH = /(^|\/)templates\/|\.template(\.|$)/i;

function parses(path: string, text: string): boolean {
  return parseNginx(path, text, { context: 'unknown' }).errors.length === 0;
}

/** A line whose first word is `${…}`: a placeholder for whole directives (no nginx statement starts with `$`). */
function placeholderStatement(text: string): boolean {
  for (let i = text.indexOf('${'); i >= 0; i = text.indexOf('${', i + 2)) if (startsLine(text, i)) return true;
  return false;
}

/** Whether only blanks stand before index `i` on its line. */
function startsLine(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  return j < 0 || text[j] === '\n';
}

function nextMark(text: string, from: number, next: number[]): number {
  let best = -1;
  for (let k = 0; k < MARKS.length; k++) {
    if (next[k] !== -1 && next[k] < from) next[k] = text.indexOf(MARKS[k], from);
    const i = next[k];
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

/** Like blank(), with NUL marks that closeGaps() moves to the end of the line. */
function gap(span: string): string {
  return fill(span, '\0');
}

function closeGaps(text: string): string {
  if (!text.includes('\0')) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!line.includes('\0')) return line;
      const kept = line.split('\0').join('');
      const cr = kept.endsWith('\r');
      const body = cr ? kept.slice(0, -1) : kept;
      return body + ' '.repeat(line.length - kept.length) + (cr ? '\r' : '');
    })
    .join('\n');
}

function blank(span: string): string {
  return fill(span, ' ');
}

/** Every character of `span` but its line breaks replaced by `ch`: lines and their count are kept. */
function fill(span: string, ch: string): string {
  let out = '';
  for (let i = 0; i < span.length; i++) {
    const c = span.charCodeAt(i);
    out += c === 10 || c === 13 ? span[i] : ch;
  }
  return out;
}

/** `{{ domain }}` → `$__domain___`: letters, digits and `_` kept, anything else `_`, so nginx reads one variable. */
function word(span: string): string {
  let out = '$';
  for (let i = 1; i < span.length; i++) {
    const c = span.charCodeAt(i);
    const keep = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    out += c === 10 || c === 13 ? span[i] : keep ? span[i] : '_';
  }
  return out;
}
