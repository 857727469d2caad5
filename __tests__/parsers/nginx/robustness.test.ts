// Hostile inputs must parse (or error) without throwing, without deep recursion and in linear time.
// Timings are printed, never asserted.

import { describe, expect, it } from 'vitest';
import {
  checkNginxDirectiveShapes, classifyNginxEntry, forEachNginxDirective, loadNginxConfig, looksLikeNginx, parseNginx,
  type NginxDirective,
} from '../../../src/parsers/nginx';

function timed<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  const r = f();
  console.log(`[nginx-parse] ${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return r;
}

function depth(directives: NginxDirective[]): number {
  let max = 0;
  const stack: [NginxDirective[], number][] = [[directives, 1]];
  while (stack.length) {
    const [list, d] = stack.pop() as [NginxDirective[], number];
    for (const x of list) {
      max = Math.max(max, d);
      if (x.block) stack.push([x.block, d + 1]);
    }
  }
  return max;
}

describe('robustness', () => {
  it('parses 20,000 nested blocks, closed and unclosed, and walks them without recursion', () => {
    const n = 20_000;
    const closed = timed('20,000 nested blocks', () => parseNginx('deep.conf', 'location / {\n'.repeat(n) + '}\n'.repeat(n)));
    expect(closed.errors).toEqual([]);
    expect(depth(closed.directives)).toBe(n);
    let count = 0;
    forEachNginxDirective(closed.directives, () => {
      count++;
    });
    expect(count).toBe(n);
    // every level is a location inside a location: the shape check walks all of them
    expect(checkNginxDirectiveShapes(closed.directives, 'server')).toEqual([]);
    const innermost = (() => {
      let d = closed.directives[0];
      while (d.block && d.block.length) d = d.block[0];
      return d;
    })();
    let up = 0;
    for (let p: NginxDirective | undefined = innermost; p; p = p.parent) up++;
    expect(up).toBe(n);

    const open = parseNginx('deep.conf', 'a {'.repeat(n));
    expect(open.errors.map((e) => e.message)).toEqual(['unexpected end of file, expecting "}"']);
    const stray = parseNginx('deep.conf', '}'.repeat(n));
    expect(stray.errors.length).toBeLessThanOrEqual(501);

    const files: Record<string, string> = { 'nginx.conf': `events {}\nhttp {\n${'server {\n'.repeat(n)}${'}\n'.repeat(n)}}\n` };
    const loaded = timed('20,000 nested blocks via loadNginxConfig', () =>
      loadNginxConfig({ root: '/nonexistent', entry: 'nginx.conf', readFile: (p) => files[p], listDir: () => undefined }),
    );
    expect(depth(loaded.directives)).toBe(n + 1);
    expect(classifyNginxEntry(loaded.directives)).toBe('main');
  });

  it('parses an 8 MB line of words and an 8 MB comment', () => {
    const words = `server_name ${'abcdefg '.repeat(1 << 20)};\n`;
    const r = timed('8 MB line of words', () => parseNginx('long.conf', words));
    expect(r.errors).toEqual([]);
    expect(r.directives[0].args).toHaveLength(1 << 20);
    expect(r.directives[0].args[(1 << 20) - 1].loc.column).toBe(13 + 8 * ((1 << 20) - 1));

    const comment = timed('8 MB comment line', () => parseNginx('long.conf', `#${'x'.repeat(8 << 20)}\nlisten 80;\n`));
    // nginx reads a comment through its 4096-byte buffer too, and says so
    expect(comment.errors.map((e) => e.message)).toEqual(['too long parameter "#xxxxxxxxx..." started']);
    expect(comment.directives.map((d) => d.name)).toEqual(['listen']);
  });

  it('parses a 1 MB word and a 1 MB quoted string as nginx would refuse them, keeping the text', () => {
    const r = timed('1 MB token', () => parseNginx('tok.conf', `add_header X ${'y'.repeat(1 << 20)};\nreturn 204;\n`));
    expect(r.errors.map((e) => e.message)).toEqual(['too long parameter "yyyyyyyyyy..." started']);
    expect(r.directives[0].args[1].value).toHaveLength(1 << 20);
    const q = parseNginx('tok.conf', `add_header X "${'y'.repeat(1 << 20)}`);
    expect(q.errors.map((e) => e.message)).toEqual([
      'too long parameter, probably missing terminating """ character',
      'unexpected end of file, expecting ";" or "}"',
    ]);
  });

  it('survives binary garbage, with a bounded error list', () => {
    let seed = 7;
    const bytes = Buffer.alloc(4 << 20);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = seed >> 16;
    }
    for (const enc of ['latin1', 'utf8'] as const) {
      const text = bytes.toString(enc);
      const r = timed(`4 MB binary (${enc})`, () => parseNginx('bin', text));
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.errors.length).toBeLessThanOrEqual(501);
      expect(looksLikeNginx(text)).toBe(false);
    }
  });

  it('parses realistic configs at 20 MB/s or more (printed, not asserted)', () => {
    const site = `
server {
    listen 443 ssl http2;
    server_name example.com www.example.com; # the main site
    ssl_certificate     /etc/letsencrypt/live/example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384;
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;
    add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:" always;
    location /static/ {
        alias /srv/app/static/;
        expires 30d;
    }
    location / {
        include uwsgi_params;
        uwsgi_param HTTPS $https if_not_empty;
        uwsgi_pass unix:/run/uwsgi/app.sock;
        proxy_set_header X-Forwarded-Proto $scheme;
        if ($request_method !~ ^(GET|HEAD|POST)$ ) { return 405; }
    }
}
`;
    const sized = (bytes: number) => `events {}\nhttp {\n${site.repeat(Math.ceil(bytes / site.length))}}\n`;
    const rate = (text: string, times: number) => {
      const t0 = performance.now();
      for (let k = 0; k < times; k++) expect(parseNginx('speed.conf', text).errors).toEqual([]);
      return (Buffer.byteLength(text) * times) / (1 << 20) / ((performance.now() - t0) / 1000);
    };
    const typical = sized(200 << 10);
    rate(typical, 20); // warm up the JIT
    const small = [rate(typical, 50), rate(typical, 50)];
    // one huge file: its result (~16 bytes of objects per byte of text) makes the garbage collector dominate
    const huge = sized(20 << 20);
    const large = [rate(huge, 1), rate(huge, 1)];
    const fmt = (xs: number[]) => `${xs.map((x) => x.toFixed(1)).join(', ')} MB/s`;
    console.log(`[nginx-parse] speed: 200 KB config x50: ${fmt(small)}; one 20 MB config: ${fmt(large)}`);
  });
});
