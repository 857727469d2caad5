// The nginx release an image pins for a config it runs (`FROM nginx:1.19-alpine`, compose `image: nginx:1.21`):
// nginx's built-in defaults (ssl_protocols, session ticket rotation) depend on it.
import type { NginxConfig } from '../parsers/nginx';
import { mapsFile, type PathMapping } from './deploy';

export interface NginxRelease {
  /** major.minor[.patch] */
  version: string;
  /** For comparisons: a `major.minor` tag pulls that series' newest patch, so it is at least any release of the series. */
  compareAs: string;
  image: string;
  /** The Dockerfile COPY or compose volume that puts the config in that image, as path:line. */
  at: string;
}

/** Images whose tag is the nginx release (OpenResty's first three numbers are its nginx core's). */
const NGINX_IMAGES = new Set(['nginx', 'nginx-unprivileged', 'openresty']);

/** The tag of an nginx image reference ('' without one); undefined for another image. */
function nginxTag(image: string): string | undefined {
  const ref = image.split('@')[0];
  const [name, tag = ''] = ref.slice(ref.lastIndexOf('/') + 1).split(':');
  return NGINX_IMAGES.has(name.toLowerCase()) ? tag : undefined;
}

/** The release (major.minor, with the patch level when the tag has one) of the nginx an image reference runs; undefined for another image or a moving tag (`latest`, `alpine`). */
export function pinnedNginx(image: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?(?:[.-]|$)/.exec(nginxTag(image) ?? '');
  return m ? [m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number).join('.') : undefined;
}

/**
 * The release pinned by the nginx images that production entry points put this config's files in, when they all
 * agree; undefined when none pins one or they differ (the configured release then applies).
 */
export function nginxReleaseOf(config: NginxConfig, mappings: readonly PathMapping[]): NginxRelease | undefined {
  let found: NginxRelease | undefined;
  for (const m of mappings) {
    if (m.role !== 'production' || !m.image || !config.files.some((f) => mapsFile(m, f))) continue;
    if (nginxTag(m.image) === undefined) continue;
    const version = pinnedNginx(m.image);
    if (!version || (found && found.version !== version)) return undefined;
    found ??= { version, compareAs: version.split('.').length === 2 ? `${version}.9999` : version, image: m.image, at: `${m.loc.path}:${m.loc.line}` };
  }
  return found;
}
