// What the gunicorn rules share: each gunicorn invocation the deployment model found, with the settings that
// decide whether it believes a forwarded scheme (gunicorn/http/message.py: secure_scheme_headers are honoured
// when the peer is in forwarded_allow_ips, when that list holds '*', and always on a UNIX socket).

import type { Invocation } from '../../model/deploy/commands';
import type { GunicornFacts } from '../../model/deploy/gunicorn';
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
}

export function gunicornRuns(ctx: RuleContext): GunicornRun[] {
  const out: GunicornRun[] = [];
  for (const u of ctx.model.deploy?.units ?? []) {
    for (const { inv, loc } of u.invocations) {
      if (inv.server !== 'gunicorn' || !inv.gunicorn) continue;
      out.push({ inv, loc, facts: inv.gunicorn, portEnv: u.env.has('PORT') || inv.env.has('PORT'), via: u.via });
    }
  }
  return out;
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

/** A listen address reachable from other hosts: all interfaces or a non-loopback IP (not a UNIX socket or fd). */
export function reachableBind(addr: string): boolean {
  const a = addr.trim();
  if (a.startsWith('unix:') || a.startsWith('fd://') || a.startsWith('/')) return false;
  const host = a.startsWith('[') ? a.slice(1, a.indexOf(']')) : a.includes(':') ? a.slice(0, a.lastIndexOf(':')) : a;
  if (host === '' || host === '0.0.0.0' || host === '::') return true;
  if (host === 'localhost' || host.startsWith('127.') || host === '::1') return false;
  if (host.includes('$')) return false;
  return true;
}
