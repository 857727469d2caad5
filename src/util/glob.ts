import { RE2JS } from 're2js';

/**
 * Globs from the repository (nginx include, django-split-settings include(), .https-guard ignore and
 * settings-modules, the `paths` input) compiled to RE2: matching is linear in the path, whatever the pattern.
 *
 * - 'segment': fnmatch(3) for one path segment as glob(3) uses it (nginx include): `*`, `?`, `[…]`/`[!…]`,
 *   backslash escapes; the caller handles the leading-dot rule.
 * - 'python': glob.glob over a whole relative path (split_settings): `*`, `?`, `[…]` within a segment, no `**`,
 *   a leading `.` in a segment only by a literal `.`.
 * - 'config': minimatch-style, as our config documents: `**` as a whole segment spans any number of segments,
 *   `{a,b}` alternatives (nestable), `*`, `?`, `[…]`, dot files matched too.
 */
export type GlobStyle = 'segment' | 'python' | 'config';

export interface Glob {
  test(path: string): boolean;
}

const META = /[\\.+*?()|[\]{}^$]/g;
const quote = (s: string) => s.replace(META, '\\$&');

/** A `[…]` class at `i`: its RE2 text and the index after it, or undefined when it does not close. */
function charClass(p: string, i: number, style: GlobStyle, closeAfter: Int32Array): { re: string; next: number } | undefined {
  let j = i + 1;
  const neg = p[j] === '!' || (p[j] === '^' && style !== 'python');
  if (neg) j++;
  const bodyStart = j;
  if (p[j] === ']') j++;
  j = j < p.length ? closeAfter[j] : -1;
  if (j < 0) return undefined;
  let body = '';
  for (let k = bodyStart; k < j; k++) {
    const c = p[k];
    if (c === '\\' && k + 1 < j && style !== 'python') body += `\\x{${p.charCodeAt(++k).toString(16)}}`;
    else if (c === '-' && k > bodyStart && k + 1 < j) body += '-';
    else body += `\\x{${c.charCodeAt(0).toString(16)}}`;
  }
  // A negated class never matches the separator.
  return { re: neg ? `[^/${body}]` : `(?:[${body}])`, next: j + 1 };
}

/** Indices of `{`, `,` and `}` that form alternatives (a pair with a comma at its own level), found in one pass. */
function braceStructure(p: string): Set<number> {
  const out = new Set<number>();
  const stack: { open: number; commas: number[] }[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '{') stack.push({ open: i, commas: [] });
    else if (c === ',' && stack.length > 0) stack[stack.length - 1].commas.push(i);
    else if (c === '}' && stack.length > 0) {
      const top = stack.pop() as { open: number; commas: number[] };
      if (top.commas.length === 0) continue;
      out.add(top.open);
      out.add(i);
      for (const k of top.commas) out.add(k);
    }
  }
  return out;
}

function segmentSource(p: string, style: GlobStyle): string {
  const any = style === 'segment' ? '(?s:.)' : '[^/]';
  const braces = style === 'config' ? braceStructure(p) : new Set<number>();
  // The first `]` at or after each index, found right to left: unclosed `[`s cost no rescan.
  const closeAfter = new Int32Array(p.length + 1).fill(-1);
  for (let k = p.length - 1; k >= 0; k--) closeAfter[k] = p[k] === ']' ? k : closeAfter[k + 1];
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (braces.has(i)) re += c === '{' ? '(?:' : c === ',' ? '|' : ')';
    else if (style === 'config' && c === '*' && p[i + 1] === '*' && bounded(p, i - 1, braces, true) && bounded(p, i + 2, braces, false)) {
      // `**` alone between separators spans zero or more whole segments.
      if (p[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '(?s:.*)';
        i++;
      }
    } else if (c === '*') re += `${any}*`;
    else if (c === '?') re += any;
    else if (c === '[') {
      const cls = charClass(p, i, style, closeAfter);
      if (!cls) re += '\\[';
      else {
        re += cls.re;
        i = cls.next - 1;
      }
    } else if (c === '\\' && i + 1 < p.length && style !== 'python') re += quote(p[++i]);
    else re += quote(c);
  }
  return re;
}

/** Compiles a glob; a pattern RE2 cannot take (e.g. too large) matches nothing. */
export function compileGlob(pattern: string, style: GlobStyle): Glob {
  let source: string;
  let dotSegments: boolean[] = [];
  if (style === 'segment') source = segmentSource(pattern, style);
  else if (style === 'python') {
    const segs = pattern.split('/');
    // glob.glob: a magic segment matches a hidden name only when it starts with a literal dot.
    dotSegments = segs.map((seg) => seg.startsWith('.') || !/[*?[]/.test(seg));
    source = segs.map((seg) => segmentSource(seg, style)).join('/');
  } else source = segmentSource(pattern, style);
  try {
    const re = RE2JS.compile(`^(?:${source})$`);
    if (dotSegments.length === 0) return { test: (s) => re.test(s) };
    return {
      test: (s) => {
        if (!re.test(s)) return false;
        const names = s.split('/');
        return names.every((n, k) => dotSegments[k] !== false || !n.startsWith('.'));
      },
    };
  } catch {
    return { test: () => false };
  }
}

/** Whether index `k` is a segment boundary: the pattern's edge, a `/`, or a brace alternative's edge. */
function bounded(p: string, k: number, braces: Set<number>, before: boolean): boolean {
  if (k < 0 || k >= p.length) return true;
  if (p[k] === '/') return true;
  return braces.has(k) && (before ? p[k] !== '}' : p[k] !== '{');
}
