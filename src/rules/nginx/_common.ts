// Helpers every nginx rule group uses: where findings sit, reporting a shared directive once, version notes.
import { anchorDirective, firstLineOf, type NginxServer } from '../../model/nginx';
import type { NginxDirective } from '../../parsers/nginx';
import type { Loc } from '../../types';
import type { Report, RuleContext } from '../types';

/** A directive's annotation place: its first line, in the workspace file that brought it in (never a stand-in). */
export function anchorLoc(ctx: RuleContext, d: NginxDirective): Loc {
  return firstLineOf(anchorDirective(d, ctx.model.nginx.packagedStandIns));
}

/** The server line, where findings about something missing in a server sit. */
export function serverLoc(ctx: RuleContext, server: NginxServer): Loc {
  return anchorDirective(server.block, ctx.model.nginx.packagedStandIns).nameLoc;
}

export function versionNote(ctx: RuleContext): string {
  return `assuming nginx ${ctx.config.nginxVersion}; set nginx-version to change`;
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
