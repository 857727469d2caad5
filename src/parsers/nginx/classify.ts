import * as posix from 'node:path/posix';
import type { FileClassifier } from '../../engine/classify';
import { BLOCK_DIRECTIVES, SIMPLE_DIRECTIVES, type NginxContext } from './directives';
import { parseNginx } from './parse';
import type { NginxDirective } from './types';
import { forEachNginxDirective } from './walk';

/**
 * 'main': has http {} (or events/stream/mail) at the top, nginx.conf-like; 'site': server {} at the top, meant
 * to be included inside http {}; 'snippet': anything else, analysed where it is included.
 */
export type NginxEntryKind = 'main' | 'site' | 'snippet';

export function classifyNginxEntry(directives: NginxDirective[]): NginxEntryKind {
  let site = false;
  for (const d of directives) {
    if (!d.block) continue;
    if (d.name === 'http' || d.name === 'events' || d.name === 'stream' || d.name === 'mail') return 'main';
    if (d.name === 'server') site = true;
  }
  return site ? 'site' : 'snippet';
}

/** The context a file's top level is read in when it is the entry point. */
export function nginxEntryContext(kind: NginxEntryKind): NginxContext {
  return kind === 'main' ? 'main' : kind === 'site' ? 'http' : 'unknown';
}

const SITE_DIRS = new Set(['sites-available', 'sites-enabled', 'conf.d', 'vhosts.d', 'vhosts', 'servers']);
const NGINX_DIRS = new Set(['nginx', 'openresty']);
const NOT_CONFIG = /\.(md|rst|txt|html?|json|ya?ml|toml|ini|py|sh|js|ts|lua|pem|crt|key|csr|log|gz|zip|png|jpe?g|svg)$/i;

function byPath(p: string): 'yes' | 'maybe' | 'no' {
  const parts = p.split('/');
  const base = parts[parts.length - 1];
  const dirs = parts.slice(0, -1);
  if (base === 'nginx.conf' || base.endsWith('.nginx') || base.endsWith('.nginxconf')) return 'yes';
  if (NOT_CONFIG.test(base)) return 'no';
  const conf = base.endsWith('.conf') || base.endsWith('.conf.template');
  if (conf && dirs.some((d) => NGINX_DIRS.has(d))) return 'yes';
  if (conf || base.endsWith('.vhost')) return 'maybe';
  if (dirs.some((d) => SITE_DIRS.has(d) || NGINX_DIRS.has(d))) return 'maybe';
  return 'no';
}

const STRONG_BLOCKS = new Set(['http', 'server', 'location', 'upstream', 'events', 'types']);
const SNIFF_CHARS = 1 << 20;

/** Parses the text with the real parser and looks for nginx structure, not for a regex-looking line. */
export function looksLikeNginx(text: string): boolean {
  const { directives } = parseNginx('sniff', text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text, {
    context: 'unknown',
  });
  let known = 0;
  let strong = false;
  forEachNginxDirective(directives, (d) => {
    if (d.raw !== undefined) return false;
    if (d.terminator === '{' && STRONG_BLOCKS.has(d.name)) strong = true;
    else if (d.terminator === ';' && (SIMPLE_DIRECTIVES.has(d.name) || BLOCK_DIRECTIVES.has(d.name)) && d.args.length > 0) known++;
    return !strong;
  });
  return strong || known >= 3;
}

/** For src/engine/classify.ts: nginx configs by name, then by a parse of the text. Not wired in yet. */
export const nginxClassifier: FileClassifier = {
  kind: 'nginx',
  byPath: (p) => byPath(posix.normalize(p)),
  byContent: (_p, text) => looksLikeNginx(text),
};
