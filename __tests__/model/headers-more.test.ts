import { describe, expect, it } from 'vitest';
import { effectiveHsts, hasAlways, headersMoreHsts, headerValue, isHstsDirective } from '../../src/model/request';
import { parseNginx } from '../../src/parsers/nginx';
import type { NginxDirective } from '../../src/parsers/nginx/types';

/** The block of the location (or server) whose first argument is `name`, in a one-server config. */
function blockAt(conf: string, name: string): NginxDirective {
  const { directives } = parseNginx('site.conf', conf);
  const server = directives.find((d) => d.name === 'server')!;
  if (name === 'server') return server;
  const found = (function find(list: NginxDirective[]): NginxDirective | undefined {
    for (const d of list) {
      if (d.block && d.args.map((a) => a.value).join(' ') === name) return d;
      const inner = d.block && find(d.block);
      if (inner) return inner;
    }
    return undefined;
  })(server.block ?? []);
  if (!found) throw new Error(`no block ${name}`);
  return found;
}

const STS = "more_set_headers 'Strict-Transport-Security: max-age=63072000; includeSubDomains';";

describe('headers-more Strict-Transport-Security', () => {
  it('is read from more_set_headers, name case-insensitive, options skipped', () => {
    const d = parseNginx('a.conf', "more_set_headers -t 'text/html' 'X-A: 1' 'strict-transport-security:  max-age=300 ';").directives[0];
    expect(isHstsDirective(d)).toBe(true);
    expect(headerValue(d)).toBe('max-age=300');
    expect(hasAlways(d)).toBe(true);
    const limited = parseNginx('a.conf', "more_set_headers -s '200 301' 'Strict-Transport-Security: max-age=1';").directives[0];
    expect(hasAlways(limited)).toBe(false);
    expect(isHstsDirective(parseNginx('a.conf', "more_set_headers 'X-Frame-Options: DENY';").directives[0])).toBe(false);
  });

  it('is kept in a location that has add_header of its own (unlike add_header)', () => {
    const conf = `server { ${STS} add_header X-Server 1; location / { add_header Cache-Control no-store; } }`;
    const loc = blockAt(conf, '/');
    expect(headersMoreHsts(loc)?.name).toBe('more_set_headers');
    expect(effectiveHsts(loc, '1.24.0').map((d) => d.name)).toEqual(['more_set_headers']);
  });

  it('runs enclosing levels first: a clear below removes it, a set below restores it', () => {
    const conf = `server { ${STS}
      location /a { more_clear_headers 'Strict-Transport-Security'; }
      location /b { more_clear_headers 'Strict-*'; location /b/c { ${STS} } }
      location /d { more_set_headers 'Strict-Transport-Security:'; }
      location /e { more_clear_headers -s 404 'Strict-Transport-Security'; }
      location /f { more_clear_headers 'X-*'; }
    }`;
    expect(headersMoreHsts(blockAt(conf, '/a'))).toBeUndefined();
    expect(headersMoreHsts(blockAt(conf, '/b'))).toBeUndefined();
    expect(headersMoreHsts(blockAt(conf, '/b/c'))).toBeDefined();
    expect(headersMoreHsts(blockAt(conf, '/d'))).toBeUndefined();
    // A clear limited to some statuses leaves the header on the others.
    expect(headersMoreHsts(blockAt(conf, '/e'))).toBeDefined();
    expect(headersMoreHsts(blockAt(conf, '/f'))).toBeDefined();
  });

  it('follows the order written when a level both sets and clears', () => {
    expect(headersMoreHsts(blockAt(`server { more_clear_headers 'Strict-Transport-Security'; ${STS} }`, 'server'))).toBeDefined();
    expect(headersMoreHsts(blockAt(`server { ${STS} more_clear_headers 'Strict-Transport-Security'; }`, 'server'))).toBeUndefined();
  });
});
