// Helpers every nginx rule group uses: where findings sit, reporting a shared directive once, version notes.
import { anchorDirective, firstLineOf, type NginxServer } from '../../model/nginx';
import { nginxReleaseOf, type NginxRelease } from '../../model/nginx-release';
import type { NginxConfig, NginxDirective, NginxIncludeProblem } from '../../parsers/nginx';
import type { Loc, RelatedLocation } from '../../types';
import type { Report, RuleContext } from '../types';

/** A directive's annotation place: its first line, in the workspace file that brought it in (never a stand-in). */
export function anchorLoc(ctx: RuleContext, d: NginxDirective): Loc {
  return firstLineOf(anchorDirective(d, ctx.model.nginx.packagedStandIns));
}

/** The server line, where findings about something missing in a server sit. */
export function serverLoc(ctx: RuleContext, server: NginxServer): Loc {
  return anchorDirective(server.block, ctx.model.nginx.packagedStandIns).nameLoc;
}

export function versionNote(ctx: RuleContext, server?: Pick<NginxServer, 'config'>): string {
  const pinned = server && imageRelease(ctx, server);
  if (pinned && pinned.compareAs !== pinned.version) return `nginx ${pinned.version}.x, the newest ${pinned.version} release, which the image \`${pinned.image}\` that ${pinned.at} puts this config in pulls; set nginx-version to change`;
  if (pinned) return `nginx ${pinned.version}, the release of the image \`${pinned.image}\` that ${pinned.at} puts this config in; set nginx-version to change`;
  return `assuming nginx ${ctx.config.nginxVersion}; set nginx-version to change`;
}

const releases = new WeakMap<NginxConfig, NginxRelease | null>();

/** The release pinned by the nginx image that deploys the server's config, unless nginx-version was given. */
function imageRelease(ctx: RuleContext, server: Pick<NginxServer, 'config'>): NginxRelease | undefined {
  if (ctx.config.nginxVersionGiven) return undefined;
  let r = releases.get(server.config);
  if (r === undefined) releases.set(server.config, (r = nginxReleaseOf(server.config, ctx.model.deploy?.mappings ?? []) ?? null));
  return r ?? undefined;
}

/** The nginx release whose defaults apply to a server: its image's pinned one, else the configured one. */
export function nginxVersionFor(ctx: RuleContext, server: Pick<NginxServer, 'config'>): string {
  return imageRelease(ctx, server)?.compareAs ?? ctx.config.nginxVersion;
}

/** A report function that keeps one finding per annotated place (a directive inherited by several servers). */
export function reportOnce(ctx: RuleContext): (r: Report) => void {
  const seen = new Set<string>();
  return (r) => {
    const place = `${r.loc.path}:${r.loc.line}:${r.loc.column}`;
    if (seen.has(place)) return;
    seen.add(place);
    ctx.report(r);
  };
}

export interface IdenticalGroup<T> {
  first: T;
  loc: Loc;
  /** The other places of the same directive in the same server (their anchors, each once). */
  others: Loc[];
}

/**
 * Identical directives (same name and arguments, e.g. one add_header repeated in every location) within one server
 * are one cause: grouped so that a rule reports the first with the count and the others as related places. Outside
 * any server (http level, snippets read alone) each file is its own group.
 */
export function groupIdentical<T extends { d: NginxDirective; server?: NginxServer }>(ctx: RuleContext, items: T[]): IdenticalGroup<T>[] {
  const groups = new Map<unknown, Map<string, IdenticalGroup<T>>>();
  const out: IdenticalGroup<T>[] = [];
  // The first written is the one reported, whatever order the caller walked the tree in.
  const ordered = items.map((item) => ({ item, at: anchorLoc(ctx, item.d) }));
  ordered.sort((a, b) => (a.at.path < b.at.path ? -1 : a.at.path > b.at.path ? 1 : a.at.line - b.at.line || a.at.column - b.at.column));
  for (const { item, at: loc } of ordered) {
    const scope = item.server?.block ?? item.d.file;
    let inScope = groups.get(scope);
    if (!inScope) groups.set(scope, (inScope = new Map()));
    const key = `${item.d.name}\0${item.d.args.map((a) => a.value).join('\0')}`;
    const g = inScope.get(key);
    if (!g) {
      const created = { first: item, loc, others: [] };
      inScope.set(key, created);
      out.push(created);
    } else if (!sameLine(g.loc, loc) && !g.others.some((o) => sameLine(o, loc))) g.others.push(loc);
  }
  return out;
}

const sameLine = (a: Loc, b: Loc) => a.path === b.path && a.line === b.line && a.column === b.column;

/** " The same directive is written 4 times in this server …": the count that a grouped finding stands for. */
export function repeatNote(g: IdenticalGroup<unknown>): string {
  if (g.others.length === 0) return '';
  const where = g.others.slice(0, 3).map((l) => `${l.path}:${l.line}`).join(', ');
  return ` The same directive is written ${g.others.length + 1} times in this server (also ${where}${g.others.length > 3 ? ', …' : ''}); this one finding stands for all of them.`;
}

export function repeatRelated(g: IdenticalGroup<unknown>): RelatedLocation[] {
  return g.others.map((l) => ({ path: l.path, line: l.line, column: l.column, message: 'the same directive' }));
}

/** Whether an include problem sits directly at `level`: within its lines, not inside one of its inner blocks. */
export function problemDirectlyAt(p: NginxIncludeProblem, level: NginxDirective): boolean {
  const within = (d: NginxDirective) => p.loc.path === d.file && p.loc.line >= d.loc.line && p.loc.line <= (d.closeLoc?.line ?? Number.MAX_SAFE_INTEGER);
  return within(level) && !(level.block ?? []).some((c) => c.block && within(c));
}

/**
 * Include problems written directly at `block` or at a level above it whose directives it inherits, up to and
 * including the first level for which `ownSet` is true (nginx drops the upper levels' set there).
 */
export function problemsOnTheWay(problems: NginxIncludeProblem[], block: NginxDirective, ownSet: (level: NginxDirective) => boolean): NginxIncludeProblem[] {
  const out: NginxIncludeProblem[] = [];
  if (problems.length === 0) return out;
  for (let l: NginxDirective | undefined = block; l; l = l.parent) {
    for (const p of problems) if (problemDirectlyAt(p, l)) out.push(p);
    if (ownSet(l)) break;
  }
  return out;
}

/** `certbot --nginx` that the deployment of this nginx file's project runs: it adds TLS (and maybe a redirect) later. */
export function certbotFor(ctx: RuleContext, file: string): { loc: Loc; redirect: boolean } | undefined {
  const project = ctx.model.projectOf?.(file) ?? '';
  return ctx.model.deploy?.certbotNginx.find((c) => (ctx.model.projectOf?.(c.loc.path) ?? '') === project);
}
