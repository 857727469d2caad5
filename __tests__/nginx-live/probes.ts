// Request paths (and methods) that reach each part of a server block: a path per location, per `rewrite`
// pattern, and per `if ($request_method …)`. Regexes get a sample string from their own structure, checked
// with a JavaScript RegExp (PCRE and JS agree on the patterns configs use; one that does not compile is noted).

import type { NginxDirective } from '../../src/parsers/nginx';

export interface Probe {
  /** A request path that lands in the location (or triggers the rewrite). */
  path: string;
  /** The same location with a name that does not exist (undefined when no such path stays in the location). */
  missing?: string;
  /** A method other than GET that an `if ($request_method …)` in the location tests. */
  method?: string;
  acme: boolean;
}

export const MISSING_MARK = '__hg_missing__';

/** The same directory, a file name that does not exist (and that the stub backend answers with 404). */
export function missingVariant(p: string): string {
  return p.replace(/\/([^/]*)$/, `/${MISSING_MARK}$1`);
}

/**
 * One string the regex matches, built from its structure: the first alternative of each group, one repetition
 * for `+`, none for `*` and `?`, the first character of a class. Undefined for constructs it does not know.
 */
export function regexSample(pattern: string): string | undefined {
  let i = 0;
  const fail = (): never => {
    throw new Error('unsupported');
  };
  const klass = (): string => {
    // at '['
    i++;
    let negated = false;
    if (pattern[i] === '^') {
      negated = true;
      i++;
    }
    const chars: string[] = [];
    let first = true;
    while (i < pattern.length && (pattern[i] !== ']' || first)) {
      first = false;
      let c = pattern[i++];
      if (c === '\\') c = escapeChar(pattern[i++] ?? fail());
      if (pattern[i] === '-' && pattern[i + 1] !== ']' && i + 1 < pattern.length) {
        i += 2; // a range: its first character stands for it
      }
      chars.push(c);
    }
    if (pattern[i] !== ']') fail();
    i++;
    if (!negated) return chars[0] ?? fail();
    return ['x', 'a', '0', '_'].find((c) => !chars.includes(c)) ?? fail();
  };
  const escapeChar = (c: string): string => {
    if (c === 'd') return '1';
    if (c === 'w' || c === 'S' || c === 'W' || c === 'D') return c === 'W' ? '-' : c === 'D' ? 'x' : 'a';
    if (c === 's') return '-';
    if (/[bBAzZ]/.test(c)) return '';
    return c;
  };
  const alternatives = (): string => {
    const first = sequence();
    while (pattern[i] === '|') {
      i++;
      sequence();
    }
    return first;
  };
  const sequence = (): string => {
    let out = '';
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') {
      const c = pattern[i];
      let atom = '';
      if (c === '^' || c === '$') {
        i++;
        continue;
      } else if (c === '(') {
        i++;
        let look = false;
        if (pattern[i] === '?') {
          i++;
          if (pattern[i] === ':') i++;
          else if (pattern[i] === '=' || pattern[i] === '!' || (pattern[i] === '<' && /[=!]/.test(pattern[i + 1] ?? ''))) {
            // a lookaround matches no text; the sample is checked against the whole regex afterwards
            i += pattern[i] === '<' ? 2 : 1;
            look = true;
          }
          else if (pattern[i] === '<' || pattern[i] === 'P' || pattern[i] === "'") {
            const close = pattern[i] === "'" ? "'" : '>';
            if (pattern[i] === 'P') i++;
            const end = pattern.indexOf(close, i + 1);
            if (end < 0) fail();
            i = end + 1;
          } else if (/[imsx-]/.test(pattern[i] ?? '')) {
            // (?i) or (?i:…): flags, no text
            while (/[imsx-]/.test(pattern[i] ?? '')) i++;
            if (pattern[i] === ')') {
              i++;
              continue;
            }
            if (pattern[i] === ':') i++;
            else fail();
          } else fail();
        }
        atom = alternatives();
        if (pattern[i] !== ')') fail();
        i++;
        if (look) atom = '';
      } else if (c === '[') atom = klass();
      else if (c === '\\') {
        i++;
        atom = escapeChar(pattern[i++] ?? fail());
      } else if (c === '.') {
        i++;
        atom = 'a';
      } else if ('*+?{'.includes(c)) fail();
      else {
        i++;
        atom = c;
      }
      // quantifier
      const q = pattern[i];
      let times = 1;
      if (q === '*' || q === '?') {
        times = 0;
        i++;
      } else if (q === '+') i++;
      else if (q === '{') {
        const m = /^\{(\d+)(,\d*)?\}/.exec(pattern.slice(i));
        if (m) {
          times = Number(m[1]);
          i += m[0].length;
        }
      }
      if (pattern[i] === '?' || (pattern[i] === '+' && q !== undefined && '*+?}'.includes(q))) i++; // lazy/possessive
      out += atom.repeat(times);
    }
    return out;
  };
  try {
    const s = alternatives();
    return i === pattern.length ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Paths tried against a regex when the sample does not fit. */
const FALLBACKS = [
  '/hg-live.css', '/static/hg-live.css', '/media/hg-live.png', '/hg-live.js', '/hg-live.png', '/hg-live.html',
  '/api/hg-live', '/admin/hg-live', '/hg-live/',
];

/** A path the regex matches, made to look like a file under the document root where possible. */
export function pathFor(pattern: string, flags: string, notes: string[]): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags);
  } catch {
    notes.push(`regex "${pattern}" not probed (not a JavaScript regex)`);
    return undefined;
  }
  const s = regexSample(pattern);
  const tries: string[] = [];
  if (s !== undefined) {
    const base = s.startsWith('/') ? s : `/hg-live${s}`;
    if (base.endsWith('/')) tries.push(`${base}hg-live.css`);
    tries.push(base, `${base}hg-live`, `/${s}`, `/hg-live/${s}`);
  }
  tries.push(...FALLBACKS);
  // nginx folds `/./` and `/../` before matching locations: such a path would land elsewhere.
  const p = tries.find((t) => t.startsWith('/') && !/\s/.test(t) && !/\/\.\.?(\/|$)/.test(t) && re.test(t));
  if (!p) notes.push(`regex "${pattern}" not probed (no sample path matches)`);
  return p;
}

function locationPattern(loc: NginxDirective): { mod: string; pattern: string } {
  const a = loc.args.map((x) => x.value);
  if (a.length >= 2) return { mod: a[0], pattern: a[1] };
  // nginx also reads `location =/x`, `location ~*\.css` and `location ^~/x` as one word.
  const m = /^(=|~\*|~|\^~)(.+)$/.exec(a[0] ?? '');
  return m ? { mod: m[1], pattern: m[2] } : { mod: '', pattern: a[0] ?? '' };
}

function locationProbe(loc: NginxDirective, notes: string[]): Probe | undefined {
  const { mod, pattern } = locationPattern(loc);
  if (pattern.startsWith('@')) return undefined;
  const acme = pattern.includes('acme-challenge');
  if (mod === '=') return { path: pattern, acme };
  if (mod === '' || mod === '^~') {
    if (pattern === '/') return { path: '/', missing: missingVariant('/'), acme };
    const p = pattern.endsWith('/') ? `${pattern}hg-live.css` : `${pattern}/hg-live.css`;
    return { path: p, missing: missingVariant(p), acme };
  }
  const flags = mod === '~*' ? 'i' : '';
  const p = pathFor(pattern, flags, notes);
  if (!p) return undefined;
  const miss = missingVariant(p);
  return { path: p, missing: new RegExp(pattern, flags).test(miss) ? miss : undefined, acme };
}

/** A path a `rewrite` regex matches (a rewrite that matches everything is reached by `/` anyway). */
function rewriteProbe(d: NginxDirective, notes: string[]): Probe | undefined {
  const pattern = d.args[0]?.value;
  if (!pattern || pattern === '^' || pattern === '^/' || pattern === '^(.*)$' || pattern === '^/(.*)$') return undefined;
  const p = pathFor(pattern, '', notes);
  return p ? { path: p, acme: false } : undefined;
}

/** `if ($request_method = OPTIONS)` / `if ($request_method ~ ^(OPTIONS|HEAD)$)`: the method that enters it. */
function methodOf(d: NginxDirective): string | undefined {
  const words = d.args.map((a) => a.value).join(' ').replace(/^\(\s*/, '').replace(/\s*\)$/, '');
  const m = /^\$request_method\s*(=|~\*?)\s*(.+)$/.exec(words);
  if (!m) return undefined;
  const value = m[2].replace(/^"(.*)"$/, '$1');
  const method = m[1] === '=' ? value : regexSample(value);
  return method && /^[A-Z]+$/i.test(method) ? method.toUpperCase() : undefined;
}

/** Probes for one server block: its locations, rewrites and method conditions, at most 16. */
export function serverProbes(server: NginxDirective, notes: string[]): Probe[] {
  const out: Probe[] = [];
  const add = (p: Probe | undefined) => {
    if (p && !out.some((o) => o.path === p.path && o.method === p.method)) out.push(p);
  };
  const walk = (list: NginxDirective[], here: Probe | undefined) => {
    for (const d of list) {
      if (d.name === 'location' && d.block) {
        const p = locationProbe(d, notes);
        add(p);
        walk(d.block, p);
      } else if (d.name === 'rewrite') add(rewriteProbe(d, notes));
      else if (d.name === 'if' && d.block) {
        const method = methodOf(d);
        if (method && method !== 'GET') add({ path: here?.path ?? '/', method, acme: here?.acme ?? false });
        else if (!method && !/\$(scheme|https|server_port|host|http_host|server_name)\b/.test(d.args.map((a) => a.raw).join(' '))) {
          notes.push(`${d.file}:${d.loc.line}: if ${d.args.map((a) => a.raw).join(' ')} is only entered by requests the probes may not make`);
        }
        walk(d.block, here);
      } else if (d.name === 'limit_except' && d.block) walk(d.block, here);
    }
  };
  walk(server.block ?? [], undefined);
  return out.slice(0, 16);
}
