// What the gunicorn rules share: each gunicorn invocation the deployment model found, with the settings that
// decide whether it believes a forwarded scheme (gunicorn/http/message.py: secure_scheme_headers are honoured
// when the peer is in forwarded_allow_ips, when that list holds '*', and always on a UNIX socket).

import { runningServices } from '../../model/app-trust';
import type { Invocation } from '../../model/deploy/commands';
import type { GunicornFacts } from '../../model/deploy/gunicorn';
import { allowIpsFromCmdArgs, allowIpsFromEnv, type DeployUnit } from '../../model/deploy/index';
import type { Loc } from '../../types';
import type { RuleContext } from '../types';

/** gunicorn's default secure_scheme_headers (config.py SecureSchemeHeader, unchanged from 19.x to 23.x). */
export const DEFAULT_SCHEME_HEADERS = new Map([
  ['X-FORWARDED-PROTOCOL', 'ssl'],
  ['X-FORWARDED-PROTO', 'https'],
  ['X-FORWARDED-SSL', 'on'],
]);

export interface GunicornRun {
  inv: Invocation;
  loc: Loc;
  facts: GunicornFacts;
  /** The unit's environment sets PORT (gunicorn then binds 0.0.0.0:$PORT when no bind is given). */
  portEnv: boolean;
  via: string;
  /** The unit it runs in: a compose service that starts an image's command, when that service decides the facts. */
  unit: DeployUnit;
}

export function gunicornRuns(ctx: RuleContext): GunicornRun[] {
  const out: GunicornRun[] = [];
  const deploy = ctx.model.deploy;
  for (const u of deploy?.units ?? []) {
    for (const { inv, loc } of u.invocations) {
      if (inv.server !== 'gunicorn' || !inv.gunicorn) continue;
      const run: GunicornRun = { inv, loc, facts: inv.gunicorn, portEnv: u.env.has('PORT') || inv.env.has('PORT'), via: u.via, unit: u };
      // An image's command runs in each production compose service that starts it, with that service's environment.
      const image = u.via === 'dockerfile' ? u : u.supervisedIn;
      const services = image && deploy ? (runningServices(deploy).get(image) ?? []) : [];
      const own = services.map((s) => inService(run, s)).filter((r): r is GunicornRun => r !== undefined);
      out.push(...(own.length > 0 ? own : [run]));
    }
  }
  return out;
}

/**
 * The run as a compose service starts it, when the service's environment sets what gunicorn reads from it
 * (GUNICORN_CMD_ARGS over a config file, FORWARDED_ALLOW_IPS as the default); undefined when it changes nothing.
 */
function inService(run: GunicornRun, service: DeployUnit): GunicornRun | undefined {
  const current = run.facts.forwardedAllowIps;
  if (current?.from === 'command line' || run.inv.env.has('GUNICORN_CMD_ARGS') || run.inv.env.has('FORWARDED_ALLOW_IPS')) return undefined;
  const portEnv = run.portEnv || service.env.has('PORT');
  const base = { ...run, via: 'compose', unit: service, portEnv };
  const extra = service.env.get('GUNICORN_CMD_ARGS');
  const fromArgs = extra && allowIpsFromCmdArgs(extra);
  if (fromArgs) return { ...base, facts: { ...run.facts, forwardedAllowIps: fromArgs } };
  const env = service.env.get('FORWARDED_ALLOW_IPS');
  if (!env || (current && current.from !== 'environment')) return portEnv !== run.portEnv ? base : undefined;
  return { ...base, facts: { ...run.facts, forwardedAllowIps: allowIpsFromEnv(env) } };
}

/** The headers gunicorn compares (upper case as it upper-cases request headers), or undefined when unknown. */
export function schemeHeaders(f: GunicornFacts): Map<string, string> | undefined {
  if (!f.secureSchemeHeaders) return DEFAULT_SCHEME_HEADERS;
  return f.secureSchemeHeaders.value;
}

/** '*' (any peer), or a network that covers every address (gunicorn 22+ reads networks). */
export function trustsAnyPeer(ips: string[]): string | undefined {
  return ips.find((ip) => ip === '*' || ip === '0.0.0.0/0' || ip === '::/0');
}

