// What the uwsgi rules share: every option of every uwsgi invocation the deployment model found (a config file
// read alone, or a command line with the files it loads), each place once.

import type { Invocation } from '../../model/deploy/commands';
import type { UwsgiOption } from '../../model/deploy/uwsgi';
import type { Loc } from '../../types';
import type { Report, RuleContext } from '../types';

export interface UwsgiRun {
  inv: Invocation;
  /** Where the server is started (a command line), or the config file's first line. */
  loc: Loc;
  options: UwsgiOption[];
}

export function uwsgiRuns(ctx: RuleContext): UwsgiRun[] {
  const out: UwsgiRun[] = [];
  for (const u of ctx.model.deploy?.units ?? []) {
    for (const { inv, loc } of u.invocations) if (inv.server === 'uwsgi' && inv.uwsgiOptions) out.push({ inv, loc, options: inv.uwsgiOptions });
  }
  return out;
}

/** Options with one of `names`, each (place, name, value) once, with the run that reads it. */
export function optionsNamed(ctx: RuleContext, names: readonly string[]): { o: UwsgiOption; run: UwsgiRun }[] {
  const set = new Set(names);
  const seen = new Set<string>();
  const out: { o: UwsgiOption; run: UwsgiRun }[] = [];
  for (const run of uwsgiRuns(ctx)) {
    for (const o of run.options) {
      if (!set.has(o.name)) continue;
      const k = `${o.loc.path}:${o.loc.line}:${o.name}=${o.value}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ o, run });
    }
  }
  return out;
}

/** One finding per annotated place. */
export function reportOnce(ctx: RuleContext): (r: Report) => void {
  const seen = new Set<string>();
  return (r) => {
    const k = `${r.loc.path}:${r.loc.line}`;
    if (seen.has(k)) return;
    seen.add(k);
    ctx.report(r);
  };
}

/** The option as written: `name = value` in a config file, `--name value` on a command line, UWSGI_NAME=value. */
export function optionText(o: UwsgiOption): string {
  const v = o.value.length > 120 ? `${o.value.slice(0, 117)}…` : o.value;
  if (o.from === 'command line') return v === 'true' ? `--${o.name}` : `--${o.name} ${v}`;
  if (o.from === 'environment') return `UWSGI_${o.name.toUpperCase().replace(/-/g, '_')}=${v}`;
  return `${o.name} = ${v}`;
}

/** Options that open a TLS listener (core/socket.c, plugins/http): a TLS flag elsewhere has nothing to act on. */
export const TLS_LISTENERS = ['https', 'https2', 'https-socket', 'ssl-socket', 'sni', 'sni-regexp', 'sni-dir'];
/** Options that accept plain HTTP from clients (the HTTP router and HTTP sockets). */
export const PLAIN_HTTP_LISTENERS = ['http', 'http-socket', 'http11-socket'];
