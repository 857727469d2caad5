// The Django release a repository pins, read from its dependency files, for when the configuration does not say
// (django-version). Rules whose verdict changes between releases (MIDDLEWARE_CLASSES before 2.0, check --deploy's
// exactly-True cookies since 4.1, the leftmost proxy header value since 4.1) then judge the release the project runs,
// not the newest one. Plain string scanning: these files are repository text.

export interface PinnedVersion {
  /** major.minor, e.g. "1.11". */
  version: string;
  /** Where, as path:line. */
  at: string;
}

const PLAIN = new Set(['requirements.txt', 'requirements.in', 'constraints.txt', 'setup.py', 'setup.cfg', 'pyproject.toml', 'Pipfile']);

/** pip requirement files: `.txt`, `.in`, and the names some projects give frozen sets (`production.freeze`, `base.pip`). */
const REQUIREMENT_EXT = /\.(txt|in|pip|freeze|lock)$/;

/** Dependency files by name: requirements*.txt/.in anywhere, files under a requirements/ folder, setup.py, pyproject.toml, Pipfile. */
export function isDependencyFile(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1];
  if (PLAIN.has(base)) return true;
  if (REQUIREMENT_EXT.test(base) && (base.startsWith('requirements') || base.startsWith('constraints'))) return true;
  return parts.length > 1 && (parts[parts.length - 2] === 'requirements' || parts[parts.length - 2] === 'reqs') && REQUIREMENT_EXT.test(base);
}

const NAME_END = new Set(['', ' ', '\t', '=', '<', '>', '~', '!', ';', '[', '^', '"', "'", ',', '(']);

/** "1.11.29" → "1.11"; undefined when it does not start with digits.digits. */
function majorMinor(v: string): string | undefined {
  const parts = v.trim().split('.');
  if (parts.length < 2 || !/^\d{1,3}$/.test(parts[0]) || !/^\d{1,3}/.test(parts[1])) return undefined;
  return `${Number(parts[0])}.${Number(/^\d{1,3}/.exec(parts[1])![0])}`;
}

/** Django's feature releases, oldest first. */
const RELEASES = [
  '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11',
  '2.0', '2.1', '2.2', '3.0', '3.1', '3.2', '4.0', '4.1', '4.2', '5.0', '5.1', '5.2', '6.0',
];

function cmp(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The newest feature release that `ok` accepts, if any. */
function newest(ok: (r: string) => boolean): string | undefined {
  for (let i = RELEASES.length - 1; i >= 0; i--) if (ok(RELEASES[i])) return RELEASES[i];
  return undefined;
}

/**
 * The release a specifier list stands for, as a fresh `pip install` picks it: `==X` gives X; an upper bound (`<B`,
 * `<=B`, `~=X.Y`, Poetry's `^X`) the newest feature release it allows (`>=1.6,<1.9` installs 1.8), never below a
 * lower bound; Poetry's `~X` and a bare `X` give X. An open `>=A` says nothing about the release run.
 * `range` is set when the answer comes from a range.
 */
export function releaseOf(spec: string): { version: string; range: boolean } | undefined {
  let lower: string | undefined;
  let below: ((r: string) => boolean) | undefined;
  const within = (f: (r: string) => boolean) => {
    const prev = below;
    below = prev ? (r) => prev(r) && f(r) : f;
  };
  for (const raw of spec.split(',')) {
    const s = raw.trim();
    if (!s) continue;
    const exact = ['===', '=='].find((op) => s.startsWith(op));
    if (exact) {
      const v = majorMinor(s.slice(exact.length).replace(/\.\*$/, ''));
      return v ? { version: v, range: false } : undefined;
    }
    if (s.startsWith('~=') || s.startsWith('^')) {
      const body = s.slice(s.startsWith('^') ? 1 : 2);
      const v = majorMinor(body);
      if (!v) return undefined;
      lower = v;
      const major = v.split('.')[0];
      // `~=3.2.0` and `~=3.2.*` stay within 3.2; `~=2.0` and `^2.0` within 2.x.
      const patch = s.startsWith('~=') && body.split('.').length > 2;
      within(patch ? (r) => r === v : (r) => r.split('.')[0] === major);
    } else if (s.startsWith('~')) {
      const v = majorMinor(s.slice(1));
      return v ? { version: v, range: false } : undefined;
    } else if (s.startsWith('>=')) lower = majorMinor(s.slice(2));
    else if (s.startsWith('<=')) {
      const b = majorMinor(s.slice(2));
      if (b) within((r) => cmp(r, b) <= 0);
    } else if (s.startsWith('<')) {
      const raw = s.slice(1).trim();
      const b = majorMinor(raw.includes('.') ? raw : `${raw}.0`);
      // `<3.2.5` still allows 3.2; `<3.2` and `<3.2.0` do not.
      const patchAbove = raw.split('.').length > 2 && !/^0*$/.test(raw.split('.')[2]);
      if (b) within(patchAbove ? (r) => cmp(r, b) <= 0 : (r) => cmp(r, b) < 0);
    } else if (/^\d/.test(s)) {
      const v = majorMinor(s);
      return v ? { version: v, range: false } : undefined;
    }
  }
  if (!below) return undefined;
  const top = newest(below);
  if (!top) return lower ? { version: lower, range: true } : undefined;
  return { version: lower && cmp(top, lower) < 0 ? lower : top, range: true };
}

/** The specifier after a `django` name at `at` in `line` (lower-cased), or undefined when it is another package. */
function specAfter(line: string, at: number): string | undefined {
  if (at > 0 && !NAME_END.has(line[at - 1]) && line[at - 1] !== '{') return undefined;
  if (!NAME_END.has(line[at + 6] ?? '')) return undefined;
  let rest = line.slice(at + 6);
  if (rest.startsWith('[')) rest = rest.slice(rest.indexOf(']') + 1);
  rest = rest.trimStart();
  // Poetry / Pipfile: django = "^3.2", or django = {version = "~=3.2", …}.
  if (rest.startsWith('=') && !rest.startsWith('==')) {
    rest = rest.slice(1).trimStart();
    if (rest.startsWith('{')) {
      const v = rest.indexOf('version');
      if (v < 0) return undefined;
      rest = rest.slice(v + 7).trimStart();
      if (!rest.startsWith('=')) return undefined;
      rest = rest.slice(1).trimStart();
    }
    if (rest.startsWith('"') || rest.startsWith("'")) rest = rest.slice(1);
  }
  let end = rest.length;
  for (const stop of [';', '"', "'", '#', '}', ')']) {
    const i = rest.indexOf(stop);
    if (i >= 0 && i < end) end = i;
  }
  // Specifiers may have blanks between them (`django >= 3.2, < 4.0`).
  return rest.slice(0, end).split(' ').join('').split('\t').join('');
}

/** Every Django pin in one dependency file. */
export function pinsIn(path: string, text: string): PinnedVersion[] {
  const out: PinnedVersion[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && i < 20000; i++) {
    const line = lines[i].toLowerCase();
    const hash = line.indexOf('#');
    const code = (hash >= 0 ? line.slice(0, hash) : line).trim();
    for (let at = code.indexOf('django'); at >= 0; at = code.indexOf('django', at + 6)) {
      const spec = specAfter(code, at);
      const release = spec === undefined ? undefined : releaseOf(spec);
      if (release) {
        out.push({ version: release.version, at: release.range ? `${path}:${i + 1} (\`${spec}\`, the newest release it allows)` : `${path}:${i + 1}` });
        break;
      }
    }
  }
  return out;
}

/**
 * The one Django release the repository's dependency files agree on, or undefined when there is none or they
 * disagree (several projects, or a stale file: the configured default is kept then).
 */
export function pinnedDjangoVersion(files: string[], readText: (p: string) => string | undefined): PinnedVersion | undefined {
  const pins: PinnedVersion[] = [];
  for (const p of files) {
    if (!isDependencyFile(p)) continue;
    const text = readText(p);
    if (text !== undefined) pins.push(...pinsIn(p, text));
  }
  if (pins.length === 0) return undefined;
  return pins.every((p) => p.version === pins[0].version) ? pins[0] : undefined;
}
