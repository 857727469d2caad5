import type { Loc } from '../../types';

/**
 * Static values of Python expressions. Nothing is ever executed: what cannot be known statically is `unknown`,
 * with the reason and, where the code shows one (an environment default, a branch taken by default), the value
 * assumed in its place.
 */
export type PyValue =
  | { t: 'none'; loc: Loc }
  | { t: 'bool'; v: boolean; loc: Loc }
  | { t: 'num'; v: number; loc: Loc }
  | { t: 'str'; v: string; loc: Loc }
  | { t: 'list' | 'tuple' | 'set'; items: PyValue[]; loc: Loc }
  | { t: 'dict'; entries: Array<[PyValue, PyValue]>; loc: Loc }
  | Unknown
  /** A dotted reference to an imported module or object (`os.environ`, `environ.Env`), for call dispatch. */
  | { t: 'ref'; path: string; loc: Loc; schemes?: Map<string, PyValue> }
  /** A module of the workspace bound by `import x` / `from . import x`; or a class (`cls`, see configurations.ts). */
  | { t: 'module'; path: string; names: Map<string, PyValue>; loc: Loc; cls?: ClassInfo };

/** A class statement: its own attributes, its MRO (itself first), and whether django-configurations' Configuration is a base. */
export interface ClassInfo {
  name: string;
  own: Map<string, { value: PyValue; loc: Loc; defLoc: Loc }>;
  mro: ClassInfo[];
  configuration: boolean;
  /** Bases outside the workspace (other than object and Configuration): they may define attributes too. */
  external: string[];
  loc: Loc;
}

export interface Unknown {
  t: 'unknown';
  /** Why the value cannot be known: "read from environment variable DJANGO_DEBUG". */
  why: string;
  /** The code that produced it, for messages: `env.bool("SECURE", default=False)`. */
  source?: string;
  /** The value the code falls back to, when it shows one. */
  assumed?: PyValue;
  /** What an environment lookup without a default gives when the variable is unset (None for os.environ.get). */
  unset?: PyValue;
  /** Values it takes on the branches of an undecidable `if` (undefined: not set on that branch). */
  alternatives?: (PyValue | undefined)[];
  /** `assumed` is not a code default but the value a deployment sets: where ("docker-compose.yml:12 sets DEBUG=0"). */
  deployed?: string;
  /** split_settings' `optional('local.py')`: an include pattern whose file may be absent. */
  optionalInclude?: string;
  loc: Loc;
}

export type Tri = 'yes' | 'no' | 'unknown';

export function unknown(why: string, loc: Loc, extra: Partial<Unknown> = {}): Unknown {
  return { t: 'unknown', why, loc, ...extra };
}

/** Re-anchors a value at another location (a name read gets the location of its definition, not its use). */
export function at<T extends PyValue>(v: T, loc: Loc): T {
  return { ...v, loc };
}

/** Concrete (non-unknown) values: what an unknown falls back to, or undefined. */
export function concrete(v: PyValue): { value: PyValue; assumedFrom?: Unknown } | undefined {
  let cur: PyValue = v;
  let first: Unknown | undefined;
  for (let i = 0; i < 50 && cur.t === 'unknown'; i++) {
    first ??= cur;
    if (!cur.assumed) return undefined;
    cur = cur.assumed;
  }
  if (cur.t === 'unknown') return undefined;
  return { value: cur, assumedFrom: first };
}

export function truthy(v: PyValue): boolean | undefined {
  switch (v.t) {
    case 'none':
      return false;
    case 'bool':
      return v.v;
    case 'num':
      return v.v !== 0;
    case 'str':
      return v.v.length > 0;
    case 'list':
    case 'tuple':
    case 'set':
      // Items present only on some branches may all be absent.
      if (v.items.length === 0) return false;
      return v.items.some((i) => !(i.t === 'unknown' && !i.assumed && i.alternatives?.includes(undefined))) ? true : undefined;
    case 'dict':
      return v.entries.length > 0;
    case 'ref':
    case 'module':
      return true;
    case 'unknown':
      return undefined;
  }
}

/** Structural equality of concrete values (Python ==, with True == 1 as in Python). */
export function pyEquals(a: PyValue, b: PyValue): boolean | undefined {
  if (a.t === 'unknown' || b.t === 'unknown') return undefined;
  const num = (x: PyValue) => (x.t === 'num' ? x.v : x.t === 'bool' ? (x.v ? 1 : 0) : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined || nb !== undefined) return na === nb;
  // Python: [1] != (1,), and values of different types are unequal.
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'none':
      return true;
    case 'str':
      return a.v === (b as typeof a).v;
    case 'list':
    case 'tuple':
    case 'set': {
      const bi = (b as typeof a).items;
      if (a.items.length !== bi.length) return false;
      for (let i = 0; i < bi.length; i++) {
        const e = pyEquals(a.items[i], bi[i]);
        if (e !== true) return e;
      }
      return true;
    }
    case 'dict':
      return undefined;
    case 'ref':
      return a.path === (b as typeof a).path;
    case 'module':
      return a.path === (b as typeof a).path;
    default:
      return undefined;
  }
}

/** Python-ish rendering for messages: `True`, `'same-origin'`, `['a', 'b']`. */
export function show(v: PyValue, depth = 0): string {
  if (depth > 3) return '…';
  switch (v.t) {
    case 'none':
      return 'None';
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'num':
      return String(v.v);
    case 'str':
      return `'${v.v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    case 'list':
    case 'tuple':
    case 'set': {
      const inner = v.items.slice(0, 6).map((i) => show(i, depth + 1)).join(', ') + (v.items.length > 6 ? ', …' : '');
      if (v.t === 'list') return `[${inner}]`;
      if (v.t === 'set') return `{${inner}}`;
      return v.items.length === 1 ? `(${inner},)` : `(${inner})`;
    }
    case 'dict':
      return '{…}';
    case 'ref':
      return v.path;
    case 'module':
      return `<module ${v.path}>`;
    case 'unknown':
      return v.source ?? '<unknown>';
  }
}

/** Branch values kept for one unknown; beyond this the value is unknown without them (sequential ifs would double). */
export const MAX_ALTERNATIVES = 16;
/** Longest string and sequence a computation may build; longer results are unknown (`X = X + X` doubling). */
export const MAX_STRING = 1 << 20;
export const MAX_ITEMS = 100_000;

/**
 * Every value an unknown may take, flattened through nested alternatives (undefined: unset on that branch);
 * undefined when some branch cannot be known. An assumed (env default) value counts as that value.
 */
export function possibleValues(v: PyValue, depth = 0): (PyValue | undefined)[] | undefined {
  if (v.t !== 'unknown') return [v];
  if (depth > 8) return undefined;
  const c = concrete(v);
  if (c) return [c.value];
  if (!v.alternatives) return undefined;
  const out: (PyValue | undefined)[] = [];
  for (const a of v.alternatives) {
    if (a === undefined) {
      out.push(undefined);
      continue;
    }
    const inner = possibleValues(a, depth + 1);
    if (!inner) return undefined;
    for (const x of inner) out.push(x);
  }
  return out;
}

/** An item a list holds only on some branches: `[item, undefined]` alternatives, marked so rules can tell. */
export function maybeItem(item: PyValue, why: string): Unknown {
  return unknown(why, item.loc, { source: `${show(item)} (${why})`, alternatives: [item, undefined] });
}

/**
 * Whether a sequence holds a value: yes when an item certainly is it, no when no item can be it, else unknown.
 * Items that hold only on some branches count as "may be" unless every branch has the value.
 */
export function seqContains(seq: PyValue, x: PyValue): boolean | undefined {
  if (!isSequence(seq)) return undefined;
  let open = false;
  for (const i of seq.items) {
    const vals = possibleValues(i);
    if (!vals) {
      open = true;
      continue;
    }
    const eq = vals.map((v) => (v === undefined ? false : pyEquals(v, x)));
    if (eq.every((e) => e === true)) return true;
    if (eq.some((e) => e !== false)) open = true;
  }
  return open ? undefined : false;
}

export function isSequence(v: PyValue): v is Extract<PyValue, { t: 'list' | 'tuple' | 'set' }> {
  return v.t === 'list' || v.t === 'tuple' || v.t === 'set';
}
