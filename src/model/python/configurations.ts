import type { SyntaxNode } from '@lezer/common';
import type { Loc } from '../../types';
import { concrete, isSequence, unknown, type ClassInfo, type PyValue } from './values';

/**
 * Class-based settings. django-configurations (`class Prod(Base)` with `Configuration` at the root, values.*Value
 * read from DJANGO_<NAME>, the class chosen by DJANGO_CONFIGURATION) and the `Cls.load_settings(__name__)` pattern
 * (a class whose upper-case attributes are copied into the module). A class body is interpreted like a module with
 * the module's names visible; attributes are merged along the MRO (C3, as Python does for simple chains). Nothing
 * is executed; a property's value is unknown.
 */

/** What the interpreter lends to this module (FileContext). */
export interface ClassHost {
  block(parent: SyntaxNode, scope: ClassScope, depth: number): void;
  expr(n: SyntaxNode, scope: ClassScope, depth: number): PyValue;
  text(n: SyntaxNode): string;
  loc(n: SyntaxNode): Loc;
}

/** The part of the evaluator's Scope used here. */
export interface ClassScope {
  names: Map<string, { value: PyValue; loc: Loc; defLoc: Loc }>;
  fork(): ClassScope;
}

const CONFIGURATION_BASE = /(^|\.)configurations(\.base)?\.Configuration$/;
const VALUE_CALL = /(^|\.)configurations\.values\.(\w+)$/;
/** Marks a values.*Value read, whose variable name (DJANGO_<attribute>) is known only when it is assigned. */
export const CONFIG_VALUE_WHY = 'read from the environment by django-configurations';

/** `class Name(bases): body` → a class value, or undefined when the statement is incomplete. */
export function classDefinition(host: ClassHost, n: SyntaxNode, scope: ClassScope, depth: number): PyValue | undefined {
  const nameNode = n.getChild('VariableName');
  const body = n.getChild('Body');
  if (!nameNode || !body) return undefined;
  const name = host.text(nameNode);
  const loc = host.loc(nameNode);
  const bases: ClassInfo[] = [];
  const external: string[] = [];
  let configuration = false;
  const argList = n.getChild('ArgList');
  for (let c = argList?.firstChild ?? null; c; c = c.nextSibling) {
    if (['(', ')', ','].includes(c.name) || c.type.isError || c.name === 'Comment') continue;
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
      c = c.nextSibling.nextSibling ?? c.nextSibling; // metaclass=… and other keywords
      continue;
    }
    if (c.name === '*' || c.name === '**') {
      external.push(host.text(c.nextSibling ?? c));
      c = c.nextSibling ?? c;
      continue;
    }
    const v = host.expr(c, scope, 1);
    if (v.t === 'module' && v.cls) {
      bases.push(v.cls);
      configuration ||= v.cls.configuration;
    } else if (v.t === 'ref' && CONFIGURATION_BASE.test(v.path)) configuration = true;
    else if (!(v.t === 'ref' && v.path === 'builtins.object') && host.text(c) !== 'object') external.push(host.text(c));
  }
  // The body sees the module's names; what it binds is the class's own.
  const inner = scope.fork();
  host.block(body, inner, depth + 1);
  const own = new Map<string, { value: PyValue; loc: Loc; defLoc: Loc }>();
  for (const [k, b] of inner.names) if (scope.names.get(k) !== b) own.set(k, b);
  const info: ClassInfo = { name, own, mro: [], configuration, external, loc };
  info.mro = linearize(info, bases);
  const names = new Map<string, PyValue>();
  for (const [k, b] of mergedBindings(info)) names.set(k, b.value);
  return { t: 'module', path: `<class ${name}>`, names, loc, cls: info };
}

/** C3 linearization; when it fails (an inconsistent hierarchy Python would reject), depth-first order. */
function linearize(self: ClassInfo, bases: ClassInfo[]): ClassInfo[] {
  const seqs = [...bases.map((b) => [...b.mro]), [...bases]].filter((s) => s.length > 0);
  const out: ClassInfo[] = [self];
  for (let guard = 0; guard < 1000; guard++) {
    const live = seqs.filter((s) => s.length > 0);
    if (live.length === 0) return out;
    const head = live.map((s) => s[0]).find((h) => !live.some((s) => s.indexOf(h) > 0));
    if (!head) break;
    out.push(head);
    for (const s of live) if (s[0] === head) s.shift();
  }
  const seen = new Set<ClassInfo>([self]);
  const dfs: ClassInfo[] = [self];
  for (const b of bases) for (const c of b.mro) if (!seen.has(c)) (seen.add(c), dfs.push(c));
  return dfs;
}

/** Attribute bindings as instances see them: the first class of the MRO that defines a name wins. */
export function mergedBindings(info: ClassInfo): Map<string, { value: PyValue; loc: Loc; defLoc: Loc }> {
  const out = new Map<string, { value: PyValue; loc: Loc; defLoc: Loc }>();
  for (let i = info.mro.length - 1; i >= 0; i--) for (const [k, b] of info.mro[i].own) out.set(k, b);
  return out;
}

/** Settings a class exports: upper-case, not `_`-prefixed; values.*Value reads get their variable name. */
export function exportedSettings(info: ClassInfo): Map<string, { value: PyValue; loc: Loc; defLoc: Loc }> {
  const out = new Map<string, { value: PyValue; loc: Loc; defLoc: Loc }>();
  for (const [k, b] of mergedBindings(info)) {
    if (k.startsWith('_') || k !== k.toUpperCase() || !/[A-Z]/.test(k)) continue;
    let value = b.value;
    if (value.t === 'unknown' && value.why === CONFIG_VALUE_WHY && info.configuration) {
      value = { ...value, why: `read from environment variable DJANGO_${k} (django-configurations)` };
    } else if (value.t === 'unknown' && /^function /.test(value.why)) {
      value = unknown(`computed by the property or method ${info.name}.${k}, which is not evaluated`, value.loc, { source: `${info.name}.${k}` });
    }
    out.set(k, { ...b, value });
  }
  return out;
}

/**
 * `values.BooleanValue(True)` and friends: with an empty environment the default applies, converted as the value
 * class does (ListValue → list, TupleValue → tuple). A required or secret value has no default.
 */
export function configurationValue(path: string, positional: PyValue[], kw: Map<string, PyValue>, loc: Loc, src: string): PyValue | undefined {
  const m = VALUE_CALL.exec(path);
  if (!m) return undefined;
  const kind = m[2];
  const flag = (k: string) => {
    const v = kw.get(k);
    return v ? concrete(v)?.value : undefined;
  };
  const environ = flag('environ');
  const required = flag('environ_required');
  const envName = flag('environ_name');
  let def: PyValue | undefined = positional[0] ?? kw.get('default');
  if (kind === 'SecretValue' || (required?.t === 'bool' && required.v)) {
    return unknown(envName?.t === 'str' ? `read from environment variable ${envName.v}` : CONFIG_VALUE_WHY, loc, { source: src });
  }
  const c = def ? concrete(def)?.value : undefined;
  if (kind === 'ListValue' || kind === 'TupleValue' || kind === 'SetValue') {
    const t = kind === 'ListValue' ? 'list' : kind === 'TupleValue' ? 'tuple' : 'set';
    if (!def || c?.t === 'none') def = { t, items: [], loc };
    else if (c && isSequence(c)) def = { t, items: c.items, loc };
    else def = undefined;
  } else if (kind === 'BooleanValue') {
    if (!c || c.t !== 'bool') def = undefined; // django-configurations refuses a non-bool default
  } else if (!def) def = { t: 'none', loc };
  if (environ?.t === 'bool' && !environ.v) return def ?? unknown(`\`${src}\` cannot be evaluated statically`, loc, { source: src });
  const named = envName?.t === 'str' ? envName.v : undefined;
  const why = named ? `read from environment variable ${named}` : CONFIG_VALUE_WHY;
  return unknown(why, loc, { source: src, assumed: def ?? unknown(why, loc) });
}

/** The module Django would see once django-configurations installed the chosen class, or why none can be chosen. */
export type ConfigurationOutcome =
  | { names: Map<string, { value: PyValue; loc: Loc; defLoc: Loc }>; className: string; evidence: string; external: { module: string; loc: Loc }[] }
  | { notJudged: string; loc: Loc };

const PROD_CLASS = /^(prod|production|live|deploy|deployment|release|prd)$/i;
const DEV_CLASS = /^(dev|devel|development|local|test|testing|tests|ci|continuousintegration|build|docs|debug)$/i;

/**
 * Picks the configuration class of a module: the one DJANGO_CONFIGURATION names in a production entry point
 * (wsgi.py, manage.py, Dockerfile, compose…), else a single production-named class. Undefined when the module
 * defines no django-configurations class.
 */
export function chooseConfiguration(
  moduleNames: Map<string, { value: PyValue; loc: Loc; defLoc: Loc }>,
  refs: readonly { name: string; loc: Loc; rank: number; role: string }[],
): ConfigurationOutcome | undefined {
  const classes = new Map<string, ClassInfo>();
  for (const [k, b] of moduleNames) if (b.value.t === 'module' && b.value.cls?.configuration) classes.set(k, b.value.cls);
  if (classes.size === 0) return undefined;
  const prodRefs = refs.filter((r) => r.role === 'production').sort((a, b) => b.rank - a.rank);
  let chosen: { name: string; evidence: string } | undefined;
  const prodNamed = [...classes.keys()].some((k) => PROD_CLASS.test(k));
  for (const r of prodRefs) {
    // A development class named where a production one exists is a default the deployment replaces
    // (`os.environ.setdefault("DJANGO_CONFIGURATION", "Development")` in wsgi.py), as for DJANGO_SETTINGS_MODULE.
    if (prodNamed && DEV_CLASS.test(r.name)) continue;
    if (classes.has(r.name)) {
      chosen = { name: r.name, evidence: `DJANGO_CONFIGURATION = ${r.name} (${r.loc.path}:${r.loc.line})` };
      break;
    }
  }
  const list = [...classes.keys()].join(', ');
  if (!chosen) {
    const prod = [...classes.keys()].filter((k) => PROD_CLASS.test(k));
    if (prod.length === 1) chosen = { name: prod[0], evidence: `no entry point sets DJANGO_CONFIGURATION to one of its classes (${list}); judged on the production-named class ${prod[0]}` };
  }
  if (!chosen) {
    const seen = prodRefs.map((r) => r.name);
    const first = classes.values().next().value!;
    return {
      notJudged: `it holds class-based settings (django-configurations: ${list}), and ${seen.length > 0 ? `DJANGO_CONFIGURATION names ${[...new Set(seen)].join(', ')}, which is not one of them` : 'no production entry point sets DJANGO_CONFIGURATION'}, so which class is deployed is not known`,
      loc: first.loc,
    };
  }
  const cls = classes.get(chosen.name)!;
  const names = new Map(moduleNames);
  for (const [k, b] of exportedSettings(cls)) names.set(k, b);
  const external = cls.mro.flatMap((c) => c.external.map((e) => ({ module: e, loc: c.loc })));
  return { names, className: chosen.name, evidence: chosen.evidence, external };
}
