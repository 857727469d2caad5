import { TEMPLATE_SUFFIX } from './classify';
import { parseNginx } from './parse';

/**
 * nginx configs kept as templates (Ansible/Salt Jinja `site.conf.j2`, Helm/Go `{{ .Values.x }}`, Chef/Puppet ERB):
 * what they hold is not nginx until rendered. A template whose structure depends on its variables (`{% if %}`,
 * `{{ range }}`, `<% if %>`) cannot be judged: which directives it renders is decided at deploy time. One with
 * values only (`server_name {{ domain }};`) has a fixed structure: each value becomes a variable-like word of the
 * same length, whose value is unknown, and the rest is judged as written. envsubst templates (the official nginx
 * image renders /etc/nginx/templates/*.template) use `${VAR}`, which nginx itself reads as a variable: only one
 * that stands where a directive starts (`${EVENTS_BLOCK}` on a line of its own) makes the structure a variable.
 */
export type NginxTemplate = { kind: 'control' } | { kind: 'values'; text: string };

// `%{name}`: the placeholders of installers that render with Python's str.replace or Template (Modoboa's
// `access_log /var/log/nginx/%{hostname}-access.log;`).
const MARKS = ['{{', '{%', '{#', '<%', '%{'];
const PERCENT_NAME = /^[A-Za-z_][\w.-]{0,127}$/;
/** `{% for x in xs %}`, `{%- endfor -%}`, `{% set x = … %}`: tags that leave the structure fixed. */
const JINJA_LOOP = /^[-+]?\s*(?:for|endfor|set)\b/;
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
  const chars: string[] = [];
  let at = 0;
  const n = text.length;
  // Where each mark next occurs, searched again only once passed: linear in the text however many marks it has.
  const next = MARKS.map(() => -2);
  while (at < n) {
    const open = nextMark(text, at, next);
    if (open < 0) break;
    const two = text.slice(open, open + 2);
    if (two === '%{') {
      // Only `%{name}` in a file named as a template; a placeholder that starts a line stands for directives.
      const end = text.indexOf('}', open + 2);
      if (!named || end < 0 || !PERCENT_NAME.test(text.slice(open + 2, end))) {
        chars.push(text.slice(at, open + 2));
        at = open + 2;
        continue;
      }
      if (startsLine(text, open)) return { kind: 'control' };
      chars.push(text.slice(at, open), word(text.slice(open, end + 1)));
      at = end + 1;
      continue;
    }
    const close = two === '{{' ? '}}' : two === '{%' ? '%}' : two === '{#' ? '#}' : '%>';
    const end = text.indexOf(close, open + 2);
    if (end < 0) return { kind: 'control' };
    const inner = text.slice(open + 2, end);
    // A Jinja loop repeats a fixed body (upstream servers, names): judged once, the loop tags blanked. Any other tag
    // (`if`, `include`, `macro`…) decides the structure at deploy time.
    const loop = two === '{%' && JINJA_LOOP.test(inner);
    if ((two === '{%' && !loop) || (two === '{{' && GO_CONTROL.test(inner)) || (two === '<%' && !inner.startsWith('=') && !inner.startsWith('#'))) return { kind: 'control' };
    chars.push(text.slice(at, open));
    const span = text.slice(open, end + 2);
    // A comment becomes blanks; a value a word `$…` of the same length (line breaks kept, positions unchanged).
    chars.push(loop || two === '{#' || (two === '<%' && inner.startsWith('#')) ? blank(span) : word(span));
    at = end + 2;
  }
  chars.push(text.slice(at));
  return { kind: 'values', text: chars.join('') };
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

function blank(span: string): string {
  let out = '';
  for (let i = 0; i < span.length; i++) {
    const c = span.charCodeAt(i);
    out += c === 10 || c === 13 ? span[i] : ' ';
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
