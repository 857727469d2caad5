// `include` as nginx does it (ngx_conf_include in src/core/ngx_conf_file.c): a relative path is taken from
// the conf prefix, the directory of the main nginx.conf (ngx_conf_full_name(…, 1)), never from the including
// file; a name with * ? [ is a glob(3) pattern whose matches are read in sorted order and which may match
// nothing; any other missing file is an error. Here paths map onto the workspace and never leave it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import type { Loc } from '../../types';
import { compileGlob, type Glob } from '../../util/glob';
import { keptAsideFolder } from '../../util/kept-aside';
import { fileLoc } from '../source';
import { classifyNginxEntry, nginxEntryContext, type NginxEntryKind } from './classify';
import { checkNginxDirectiveShapes, type NginxContext } from './directives';
import { ParsedDirective, parseNginx, type NginxParseResult } from './parse';
import type { NginxComment, NginxDirective, NginxParseError } from './types';

/** What the caller's safe reader returns: the text, undefined when there is no such file, or a refusal. */
export type NginxReadResult = string | undefined | { problem: 'outside' | 'unreadable'; reason: string };

export interface NginxWorkspaceAccess {
  /** Reads a workspace-relative file. Must refuse anything that resolves outside the workspace. */
  readFile(rel: string): NginxReadResult;
  /** Names in a workspace-relative directory ('' is the root); directories end with '/'. */
  listDir(rel: string): string[] | undefined;
}

export type NginxIncludeProblemKind = 'missing' | 'outside' | 'loop' | 'too-deep' | 'unreadable' | 'parse' | 'limit';

export interface NginxIncludeProblem {
  kind: NginxIncludeProblemKind;
  /** 'info' for what nginx accepts silently (a glob matching nothing) or a file nginx packages ship. */
  level: 'error' | 'warning' | 'info';
  /** The include directive; for 'parse', the error's own place in the file that has it. */
  loc: Loc;
  message: string;
  /** 'missing' only: a file the nginx packages install (mime.types, uwsgi_params …), absent from the repo. */
  packaged?: boolean;
  /** 'parse' only: the parser's error. */
  error?: NginxParseError;
  /** The include's argument as written, where one file could not be read. */
  arg?: string;
}

export interface LoadNginxOptions extends Partial<NginxWorkspaceAccess> {
  /** Workspace root on disk; reads default to a safe reader confined to it. */
  root: string;
  /** Workspace-relative path of the file to start from. */
  entry: string;
  /** Workspace-relative conf prefix (nginx's conf_prefix); detected when absent. */
  prefix?: string;
  /** Context of the entry's top level; from classifyNginxEntry when absent. */
  context?: NginxContext;
  /** Include nesting limit (default 32). */
  maxDepth?: number;
  /**
   * Budget of directives brought in by includes (default 500,000), against include fan-out. Past it, includes are
   * no longer expanded (one 'limit' problem says so); directives of files already being read are all kept.
   */
  maxDirectives?: number;
  /** A budget shared by every config of a scan; each included directive takes one unit from it too. */
  sharedBudget?: { remaining: number };
  /**
   * Where a container puts workspace files (Dockerfile COPY, compose volumes): an absolute include path → the
   * workspace path (or pattern) deployed there, or undefined to resolve it as usual.
   */
  mapDeployedPath?: (abs: string) => string | undefined;
  /**
   * The entry's conf prefix where it is deployed (`/etc/nginx` for a file a Dockerfile puts at /etc/nginx/nginx.conf),
   * when known: a relative include that finds nothing beside the workspace file is looked up there.
   */
  deployedPrefix?: string;
  /**
   * Single files the deployment writes to a deployed path (a Dockerfile's `RUN envsubst < /tmp/x > /etc/nginx/…`,
   * a COPY of one file): an absolute glob include that matches nothing in the workspace matches these.
   */
  deployedFiles?: () => { deployed: string; workspace: string }[];
  /** Parses a file read as `text`; lets a caller that loads many entries parse each file once. */
  parse?: (rel: string, text: string) => NginxParseResult;
}

export interface NginxConfig {
  entry: string;
  prefix: string;
  kind: NginxEntryKind;
  context: NginxContext;
  /** The entry's directives with every include replaced, in place, by the directives it brought in. */
  directives: NginxDirective[];
  problems: NginxIncludeProblem[];
  /** Workspace-relative files read, the entry first. */
  files: string[];
  comments: Map<string, NginxComment[]>;
}

/** Where distro and source builds keep nginx.conf; an absolute include under one maps onto the conf prefix. */
export const NGINX_INSTALL_PREFIXES = [
  '/etc/nginx/',
  '/usr/local/nginx/conf/',
  '/usr/local/etc/nginx/',
  '/opt/nginx/conf/',
  '/usr/local/openresty/nginx/conf/',
  '/etc/openresty/',
  '/opt/homebrew/etc/nginx/',
  '/usr/share/nginx/conf/',
];

/** Installed by Debian's nginx-common and the nginx.org packages next to nginx.conf. */
const PACKAGED_FILES = new Set([
  'mime.types', 'fastcgi_params', 'fastcgi.conf', 'uwsgi_params', 'scgi_params', 'proxy_params', 'koi-utf', 'koi-win',
  'win-utf', 'snippets/fastcgi-php.conf', 'snippets/snakeoil.conf',
]);

const CONF_SUBDIRS = new Set(['sites-available', 'sites-enabled', 'conf.d', 'snippets', 'vhosts', 'vhosts.d', 'servers']);

const norm = (p: string): string => {
  const n = posix.normalize(p);
  return n === '.' ? '' : n.replace(/\/$/, '');
};
const parentDir = (p: string): string => norm(posix.dirname(p));
const escapes = (rel: string): boolean => rel === '..' || rel.startsWith('../') || posix.isAbsolute(rel);

/** nginx's conf_prefix for a workspace file: the directory of the nginx.conf it belongs to. */
export function detectNginxPrefix(entry: string, listDir: NginxWorkspaceAccess['listDir']): string {
  const dir = parentDir(entry);
  if (posix.basename(entry) === 'nginx.conf') return dir;
  for (let d = dir; ; d = parentDir(d)) {
    if (listDir(d)?.includes('nginx.conf')) return d;
    if (d === '') break;
  }
  const parts = dir === '' ? [] : dir.split('/');
  for (let k = parts.length - 1; k >= 0; k--) if (CONF_SUBDIRS.has(parts[k])) return parts.slice(0, k).join('/');
  return dir;
}

export type IncludeTarget = { rel: string } | { outside: string };

/** Maps an include argument onto a workspace-relative path (a pattern stays a pattern). */
export function resolveNginxInclude(arg: string, prefix: string): IncludeTarget {
  let rest = arg;
  if (arg.startsWith('/')) {
    const p = NGINX_INSTALL_PREFIXES.find((q) => arg.startsWith(q));
    if (!p) return { outside: `include "${arg}" is outside the workspace, not read` };
    rest = arg.slice(p.length);
  }
  if (rest.includes('\0')) return { outside: `include "${arg}" is not a usable path, not read` };
  const rel = norm(posix.join(prefix, rest));
  if (escapes(rel)) return { outside: `include "${arg}" is outside the workspace, not read` };
  return { rel };
}

const hasGlob = (s: string) => /[*?[]/.test(s);

/** fnmatch(3) for one path segment as glob(3) uses it (the leading-dot rule is the caller's). */
function segmentGlob(seg: string): Glob {
  return compileGlob(seg, 'segment');
}

/**
 * Expands a workspace-relative pattern; sorted like glob(3) in the C locale (byte order). `unlisted` names
 * directories that exist but could not be listed (the reader refused them, e.g. a symlink leading outside).
 */
export function expandNginxGlob(
  pattern: string,
  listDir: NginxWorkspaceAccess['listDir'],
): { files: string[]; dirs: string[]; unlisted: string[] } {
  const segs = pattern.split('/');
  let current: string[] = [''];
  const files: string[] = [];
  const dirs: string[] = [];
  const unlisted: string[] = [];
  segs.forEach((seg, k) => {
    const last = k === segs.length - 1;
    const next: string[] = [];
    for (const base of current) {
      if (!hasGlob(seg)) {
        const p = base === '' ? seg : `${base}/${seg}`;
        if (last) (listDir(p) !== undefined ? dirs : files).push(p);
        else next.push(p);
        continue;
      }
      const entries = listDir(base);
      if (entries === undefined) {
        if (base !== '' && listDir(parentDir(base))?.includes(`${posix.basename(base)}/`)) unlisted.push(base);
        continue;
      }
      const re = segmentGlob(seg);
      for (const entry of entries) {
        const isDir = entry.endsWith('/');
        const name = isDir ? entry.slice(0, -1) : entry;
        if (name.startsWith('.') && !seg.startsWith('.')) continue;
        if (!re.test(name)) continue;
        const p = base === '' ? name : `${base}/${name}`;
        if (last) (isDir ? dirs : files).push(p);
        else if (isDir) next.push(p);
      }
    }
    current = next;
  });
  const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { files: files.sort(byBytes), dirs: dirs.sort(byBytes), unlisted };
}

interface ParsedFile {
  directives: NginxDirective[];
}

/**
 * A directive of a parsed file placed in a config: every field written in one literal, in one order, so all
 * directives share one shape (rules read them millions of times) and none needs a separate property store.
 */
function copyDirective(d: NginxDirective, parent: NginxDirective | undefined, includedFrom: NginxDirective | undefined): NginxDirective {
  // A parsed directive's copy asks the original for its positions (not worked out until a rule anchors to it).
  if (d instanceof ParsedDirective) return d.copy(parent, includedFrom || undefined);
  return {
    name: d.name, args: d.args, loc: d.loc, nameLoc: d.nameLoc, terminator: d.terminator, file: d.file, parent, block: d.block,
    closeLoc: d.closeLoc, raw: d.raw, includedFrom: includedFrom || undefined,
  };
}

interface Job {
  src: NginxDirective[];
  i: number;
  target: NginxDirective[];
  parent?: NginxDirective;
  includedFrom?: NginxDirective;
  /** Files on the include stack, the entry first. */
  chain: string[];
  /** An included file not read yet: read when the walk reaches it, so files are read in nginx's order. */
  pending?: { rel: string; arg: string; at: NginxDirective };
  /** Set on the job that fills this copied block directive's own list (not on include jobs that add to it). */
  owner?: NginxDirective;
}

export function loadNginxConfig(opts: LoadNginxOptions): NginxConfig {
  const safe = opts.readFile && opts.listDir ? undefined : workspaceAccess(opts.root);
  const readFile = opts.readFile ?? (safe as NginxWorkspaceAccess).readFile;
  const listDir = opts.listDir ?? (safe as NginxWorkspaceAccess).listDir;
  const maxDepth = opts.maxDepth ?? 32;
  const maxDirectives = opts.maxDirectives ?? 500_000;
  const entry = norm(opts.entry);
  const prefix = opts.prefix !== undefined ? norm(opts.prefix) : detectNginxPrefix(entry, listDir);

  const problems: NginxIncludeProblem[] = [];
  const seenProblems = new Set<string>();
  const problem = (p: NginxIncludeProblem) => {
    // A loop or a too deep chain is reported once per include directive: the chain differs on every path to it.
    const once = p.kind === 'loop' || p.kind === 'too-deep' || p.kind === 'limit';
    const key = `${p.kind}\0${p.loc.path}:${p.loc.line}:${p.loc.column}\0${once ? '' : p.message}`;
    if (seenProblems.has(key)) return;
    seenProblems.add(key);
    problems.push(p);
  };
  const files: string[] = [];
  const comments = new Map<string, NginxComment[]>();
  const cache = new Map<string, ParsedFile | { problem: 'missing' | 'outside' | 'unreadable'; reason: string }>();
  const parseErrors = new Set<string>();
  const errorKey = (e: NginxParseError) => `${e.loc.path}:${e.loc.line}:${e.loc.column}\0${e.message}`;

  const load = (rel: string) => {
    const hit = cache.get(rel);
    if (hit) return hit;
    const r = readFile(rel);
    let v: ParsedFile | { problem: 'missing' | 'outside' | 'unreadable'; reason: string };
    if (r === undefined) {
      v = listDir(rel) !== undefined ? { problem: 'unreadable', reason: 'is a directory' } : { problem: 'missing', reason: 'no such file' };
    } else if (typeof r !== 'string') v = r;
    else {
      // Parsed once, whatever the number of includes; the context-dependent checks run on the expanded tree.
      const parsed = opts.parse ? opts.parse(rel, r) : parseNginx(rel, r, { context: 'unknown' });
      files.push(rel);
      comments.set(rel, parsed.comments);
      for (const e of parsed.errors) {
        parseErrors.add(errorKey(e));
        problem({ kind: 'parse', level: 'error', loc: e.loc, message: e.message, error: e });
      }
      v = { directives: parsed.directives };
    }
    cache.set(rel, v);
    return v;
  };

  const out: NginxDirective[] = [];
  if (escapes(entry)) {
    problem({ kind: 'outside', level: 'warning', loc: fileLoc(entry), message: `"${opts.entry}" is outside the workspace, not read` });
    return { entry, prefix, kind: 'snippet', context: opts.context ?? 'unknown', directives: out, problems, files, comments };
  }
  const first = load(entry);
  if (!('directives' in first)) {
    problem({
      kind: first.problem,
      level: 'error',
      loc: fileLoc(entry),
      message: first.problem === 'missing' ? `open() "${entry}" failed (No such file or directory)` : `cannot read "${entry}": ${first.reason}`,
    });
    return { entry, prefix, kind: 'snippet', context: opts.context ?? 'unknown', directives: out, problems, files, comments };
  }
  // The entry's kind decides the context its top level is checked in (the shape pass below).
  const kind = classifyNginxEntry(first.directives);
  const context = opts.context ?? nginxEntryContext(kind);

  const reportUnloaded = (
    loaded: { problem: 'missing' | 'outside' | 'unreadable'; reason: string },
    rel: string,
    arg: string,
    at: NginxDirective,
  ) => {
    if (loaded.problem === 'missing') {
      const packaged = PACKAGED_FILES.has(prefix === '' ? rel : rel.startsWith(`${prefix}/`) ? rel.slice(prefix.length + 1) : rel);
      problem({
        kind: 'missing',
        level: packaged ? 'info' : 'error',
        loc: at.loc,
        message: `open() "${arg}" failed (No such file or directory): "${rel}" is not in the workspace${packaged ? '; nginx packages install this file' : ''}`,
        arg,
        ...(packaged ? { packaged } : {}),
      });
    } else if (loaded.problem === 'outside') {
      problem({ kind: 'outside', level: 'warning', loc: at.loc, message: `include "${arg}" leads outside the workspace (${loaded.reason}), not read`, arg });
    } else {
      problem({ kind: 'unreadable', level: 'error', loc: at.loc, message: `cannot read "${rel}" for include "${arg}": ${loaded.reason}`, arg });
    }
  };

  let included = 0;
  let budgetHit = false;
  const shared = opts.sharedBudget;
  const overBudget = () => included >= maxDirectives || (shared !== undefined && shared.remaining <= 0);
  // Files already expanded into a block (the includer's block directive; TOP for the entry's top level). Each file
  // is expanded at most once per block: fan-out (every file including conf.d/*.conf) stays linear.
  const TOP = {};
  const expandedIn = new WeakMap<object, Set<string>>();
  const stack: Job[] = [{ src: first.directives, i: 0, target: out, chain: [entry] }];
  while (stack.length > 0) {
    const job = stack[stack.length - 1];
    if (job.pending) {
      const { rel, arg, at } = job.pending;
      job.pending = undefined;
      const loaded = load(rel);
      if (!('directives' in loaded)) {
        reportUnloaded(loaded, rel, arg, at);
        stack.pop();
        continue;
      }
      job.src = loaded.directives;
    }
    if (job.i >= job.src.length) {
      stack.pop();
      // The block is complete (its includes ran above this job): keep it at its size, not push's spare room.
      if (job.owner && job.owner.block === job.target) job.owner.block = job.target.slice();
      continue;
    }
    const d = job.src[job.i++];
    if (job.includedFrom) {
      included++;
      if (shared) shared.remaining--;
    }
    if (d.name === 'include' && d.terminator === ';' && d.args.length === 1) {
      if (overBudget()) {
        // The cap stops includes only: what is already parsed is still checked.
        if (!budgetHit) {
          budgetHit = true;
          problem({
            kind: 'limit',
            level: 'error',
            loc: d.loc,
            message: `include "${d.args[0].value}" and every later include of this configuration were not expanded: includes brought in more than ${included >= maxDirectives ? maxDirectives : 'the scan-wide budget of'} directives`,
          });
        }
        continue;
      }
      const inc = copyDirective(d, job.parent, job.includedFrom);
      const jobs = includeJobs(d, inc, job);
      for (let k = jobs.length - 1; k >= 0; k--) stack.push(jobs[k]);
      continue;
    }
    const copy = copyDirective(d, job.parent, job.includedFrom);
    job.target.push(copy);
    if (d.block) {
      copy.block = [];
      if (d.block.length > 0) {
        stack.push({ src: d.block, i: 0, target: copy.block, parent: copy, includedFrom: job.includedFrom, chain: job.chain, owner: copy });
      }
    }
  }

  /** Workspace files the deployment writes where an absolute glob (its last segment only) points. */
  function deployedMatches(arg: string): string[] {
    const dir = posix.dirname(arg);
    if (!opts.deployedFiles || hasGlob(dir)) return [];
    const re = segmentGlob(posix.basename(arg));
    const out = opts.deployedFiles().filter((f) => posix.dirname(f.deployed) === dir && re.test(posix.basename(f.deployed)) && !escapes(f.workspace)).map((f) => f.workspace);
    return [...new Set(out)].sort();
  }

  function includeJobs(d: NginxDirective, inc: NginxDirective, job: Job): Job[] {
    const arg = d.args[0].value;
    let mapped = arg.startsWith('/') ? opts.mapDeployedPath?.(arg) : undefined;
    // A relative include resolves against the deployed conf prefix: where the workspace has nothing at the path,
    // what the deployment puts there (`ADD geonode.conf ./sites-enabled/` under WORKDIR /etc/nginx/).
    if (!arg.startsWith('/') && opts.deployedPrefix && opts.mapDeployedPath) {
      const own = resolveNginxInclude(arg, prefix);
      const found = 'rel' in own && (hasGlob(arg) ? expandNginxGlob(own.rel, listDir).files.length > 0 : listDir(parentDir(own.rel))?.includes(posix.basename(own.rel)) === true);
      if (!found) mapped = opts.mapDeployedPath(posix.join(opts.deployedPrefix, arg));
    }
    const target: IncludeTarget = mapped !== undefined && !escapes(mapped) ? { rel: mapped } : resolveNginxInclude(arg, prefix);
    if ('outside' in target) {
      problem({ kind: 'outside', level: 'warning', loc: d.loc, message: target.outside, arg });
      return [];
    }
    let candidates: string[];
    if (hasGlob(arg)) {
      const { files: matched, dirs, unlisted } = expandNginxGlob(target.rel, listDir);
      for (const dir of dirs) {
        // A dated or backup copy the repository keeps beside the sites (`sites-enabled/201222/`) is not on the server.
        if (keptAsideFolder(posix.basename(dir))) continue;
        problem({ kind: 'unreadable', level: 'error', loc: d.loc, message: `include "${arg}" matches the directory "${dir}", which nginx cannot read as a file` });
      }
      for (const dir of unlisted) {
        problem({ kind: 'outside', level: 'warning', loc: d.loc, message: `include "${arg}": "${dir}" leads outside the workspace or cannot be listed, not read` });
      }
      const placed = matched.length === 0 && dirs.length === 0 && arg.startsWith('/') ? deployedMatches(arg) : [];
      if (matched.length === 0 && dirs.length === 0 && unlisted.length === 0 && placed.length === 0) {
        problem({ kind: 'missing', level: 'info', loc: d.loc, message: `include "${arg}" matches no file in the workspace (nginx accepts an empty match)` });
      }
      candidates = matched.length > 0 ? matched : placed;
    } else candidates = [target.rel];

    const jobs: Job[] = [];
    const context = job.parent ?? TOP;
    let done = expandedIn.get(context);
    if (!done) expandedIn.set(context, (done = new Set()));
    for (const rel of candidates) {
      if (job.chain.includes(rel)) {
        const cycle = job.chain.slice(job.chain.indexOf(rel)).concat(rel).join(' → ');
        problem({ kind: 'loop', level: 'error', loc: d.loc, message: `include cycle: ${cycle}` });
        continue;
      }
      if (job.chain.length > maxDepth) {
        problem({ kind: 'too-deep', level: 'error', loc: d.loc, message: `includes nested more than ${maxDepth} deep: ${job.chain.concat(rel).join(' → ')}` });
        continue;
      }
      if (done.has(rel)) continue;
      done.add(rel);
      jobs.push({
        src: [], i: 0, target: job.target, parent: job.parent, includedFrom: inc, chain: job.chain.concat(rel),
        pending: { rel, arg, at: d },
      });
    }
    return jobs;
  }

  // Shape checks that need the includer's context (a file's top level is 'unknown' when parsed alone).
  for (const e of checkNginxDirectiveShapes(out, context)) {
    if (parseErrors.has(errorKey(e))) continue;
    parseErrors.add(errorKey(e));
    problem({ kind: 'parse', level: 'error', loc: e.loc, message: e.message, error: e });
  }
  return { entry, prefix, kind, context, directives: out, problems, files, comments };
}

const within = (root: string, p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * A reader confined to `root`: paths are resolved with realpath and refused when they (or a symlink on the way)
 * lead outside; only regular UTF-8 text files up to `maxBytes` are returned. Content outside is never read.
 */
export function workspaceAccess(root: string, maxBytes = 5 * 1024 * 1024): NginxWorkspaceAccess {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    realRoot = path.resolve(root);
  }
  const locate = (rel: string): string | { problem: 'outside'; reason: string } | undefined => {
    if (rel.includes('\0')) return undefined;
    const abs = path.resolve(realRoot, rel);
    if (!within(realRoot, abs)) return { problem: 'outside', reason: 'the path leaves the workspace' };
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      return undefined;
    }
    if (!within(realRoot, real)) return { problem: 'outside', reason: 'a symlink leads outside the workspace' };
    return real;
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    readFile(rel) {
      const real = locate(rel);
      if (typeof real !== 'string') return real;
      let st: fs.Stats;
      try {
        st = fs.statSync(real);
      } catch {
        return undefined;
      }
      if (st.isDirectory()) return undefined;
      if (!st.isFile()) return { problem: 'unreadable', reason: 'not a regular file' };
      if (st.size > maxBytes) return { problem: 'unreadable', reason: `larger than ${maxBytes} bytes` };
      let buf: Buffer;
      try {
        buf = fs.readFileSync(real);
      } catch (e) {
        return { problem: 'unreadable', reason: (e as NodeJS.ErrnoException).code ?? 'read failed' };
      }
      if (buf.subarray(0, 8192).includes(0)) return { problem: 'unreadable', reason: 'binary file (contains NUL bytes)' };
      try {
        const text = decoder.decode(buf);
        return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      } catch {
        return { problem: 'unreadable', reason: 'not valid UTF-8' };
      }
    },
    listDir(rel) {
      const real = locate(rel);
      if (typeof real !== 'string') return undefined;
      try {
        return fs.readdirSync(real, { withFileTypes: true }).map((e) => {
          let dir = e.isDirectory();
          if (e.isSymbolicLink()) {
            try {
              dir = fs.statSync(path.join(real, e.name)).isDirectory();
            } catch {
              dir = false;
            }
          }
          return dir ? `${e.name}/` : e.name;
        });
      } catch {
        return undefined;
      }
    },
  };
}
