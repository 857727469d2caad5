import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachNginxDirective, loadNginxConfig, parseNginx, type NginxDirective, type NginxParseOptions } from '../../src/parsers/nginx';
import { classifyNginxEntry, looksLikeNginx, otherConfigFormat } from '../../src/parsers/nginx/classify';
import { scanLuaBlock } from '../../src/parsers/nginx/lua';
import { evaluateCipherString } from '../../src/tls/ciphers';
import { checkOutput, expectBounded, fuzz, grammar, lines, scaled } from './harness';

// Property tests of the nginx tokenizer and block model, include expansion, and OpenSSL cipher strings: on any
// input they never throw, every location stays inside the file it names, every error names a file and a line,
// and the output grows at most linearly with the input.

const NGINX_TOKENS = [
  'server', 'http', 'events', 'location', 'listen', 'include', 'add_header', 'ssl_ciphers', 'ssl_protocols', 'if',
  'map', 'rewrite', 'return', 'proxy_pass', 'uwsgi_pass', 'proxy_set_header', 'server_name', 'types', 'geo',
  'content_by_lua_block', 'access_by_lua_block', 'set', 'error_page', 'ssl_certificate', 'charset_map', 'upstream',
  'Strict-Transport-Security', '"max-age=31536000"', 'always', '443 ssl', '80', '[::]:443', 'http2', 'default_server',
  ' { ', ' }', '{', '}', ';', ' ;', '"', "'", '\\', '\\"', "\\'", '$', '${', '$host', '$http_x_forwarded_proto',
  '$request_uri', '${scheme}', '#', '# comment\n', '~', '~*', '^~', '=', '(', ')', '~ ^/(a|b)$', 'https://$host$request_uri',
  '301', 'off', 'on', '*.conf', 'conf.d/*.conf', '--[[', ']]', '"{"', "'}'", 'x'.repeat(300),
];
/** Every position of the directives and their words, nested ones included. */
function askedLocs(directives: NginxDirective[]): unknown[] {
  const out: unknown[] = [];
  forEachNginxDirective(directives, (d) => {
    out.push(d.loc, d.nameLoc, d.closeLoc);
    for (const a of d.args) out.push(a.loc);
  });
  return out;
}

const NGINX_TEXT = fc.oneof(grammar(NGINX_TOKENS, 60), lines(NGINX_TOKENS, 16, 10));
const CONTEXTS: NginxParseOptions['context'][] = [undefined, 'main', 'http', 'server', 'location', 'unknown'];

describe('nginx parser (fuzz)', () => {
  it('tokenizer and block model: no throw, locations inside the file, bounded output', () => {
    let runs = 0;
    runs += fuzz('parseNginx', fc.tuple(NGINX_TEXT, fc.constantFrom(...CONTEXTS)), ([text, context]) => {
      const path = 'conf/site.conf';
      const r = parseNginx(path, text, context ? { context } : {});
      for (const e of r.errors) expect(e.loc.path).toBe(path);
      const size = checkOutput(r, new Map([[path, text]]), 'parseNginx', new Set(['parent']));
      // Positions are computed when first asked (getters, which checkOutput does not walk): ask each one.
      checkOutput(askedLocs(r.directives), new Map([[path, text]]), 'parseNginx position');
      expectBounded(size, text.length, 40, 'parseNginx');
      classifyNginxEntry(r.directives);
      looksLikeNginx(text);
      otherConfigFormat(text);
    }, 20_000);
    runs += fuzz('scanLuaBlock', fc.tuple(grammar(['{', '}', '"', "'", '[[', ']]', '[==[', ']==]', '--', '\\', '\n', 'end', 'x'], 40), fc.nat(50)), ([text, from]) => {
      const r = scanLuaBlock(text, Math.min(from, text.length));
      checkOutput(r, new Map(), 'scanLuaBlock');
      for (const v of Object.values(r)) if (typeof v === 'number') expect(v >= -1 && v <= text.length, `${JSON.stringify(r)}`).toBe(true);
    }, 10_000);
    expect(runs).toBe(scaled(30_000));
  });

  it('includes: no throw on any file set, every location in the file it names', () => {
    const names = ['nginx.conf', 'conf.d/a.conf', 'conf.d/b.conf', 'sites-enabled/x', 'snippets/s.conf'];
    const includeTokens = [...NGINX_TOKENS, ...names.map((n) => `include ${n};\n`), 'include conf.d/*.conf;\n', 'include *;\n', 'include ../x;\n', 'include /etc/nginx/conf.d/*.conf;\n', 'include "sites-enabled/*";\n', 'include [;\n', 'include ;\n', 'http {\n', 'server {\n', '}\n'];
    const fileSet = fc.array(fc.tuple(fc.constantFrom(...names), grammar(includeTokens, 30)), { minLength: 1, maxLength: 5 });
    const runs = fuzz('loadNginxConfig', fileSet, (entries) => {
      const files = new Map(entries);
      const entry = entries[0][0];
      const listDir = (rel: string): string[] | undefined => {
        const pre = rel === '' ? '' : `${rel}/`;
        if (rel !== '' && ![...files.keys()].some((f) => f.startsWith(pre))) return undefined;
        const out = new Set<string>();
        for (const f of files.keys()) if (f.startsWith(pre)) out.add(f.slice(pre.length).includes('/') ? `${f.slice(pre.length).split('/')[0]}/` : f.slice(pre.length));
        return [...out];
      };
      const cfg = loadNginxConfig({ root: '/nonexistent', entry, prefix: '', readFile: (rel) => files.get(rel), listDir, maxDirectives: 20_000 });
      for (const p of cfg.problems) expect(p.loc.line).toBeGreaterThanOrEqual(1);
      for (const f of cfg.files) expect(files.has(f)).toBe(true);
      checkOutput(cfg, files, 'loadNginxConfig', new Set(['parent', 'includedFrom']));
      checkOutput(askedLocs(cfg.directives), files, 'loadNginxConfig position');
    }, 4_000);
    expect(runs).toBe(scaled(4_000));
  });
});

const CIPHER_TOKENS = [
  'ALL', 'DEFAULT', 'COMPLEMENTOFDEFAULT', 'COMPLEMENTOFALL', 'HIGH', 'MEDIUM', 'LOW', 'EXPORT', 'aNULL', 'eNULL', 'NULL',
  'RC4', 'MD5', 'SHA', 'SHA1', 'SHA256', 'AESGCM', 'AES', 'AES256', 'CHACHA20', '3DES', 'DES', 'kRSA', 'RSA', 'ECDHE',
  'EECDH', 'EDH', 'DHE', 'PSK', 'SRP', 'CAMELLIA', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305',
  'TLS_AES_128_GCM_SHA256', 'SUITEB128', '@STRENGTH', '@SECLEVEL=', '@SECLEVEL=0', '@SECLEVEL=5', '@SECLEVEL=99999999999',
  '!', '-', '+', ':', ',', ' ', ';', '"', "'", '0', '+++', '!!', '::',
];

describe('cipher strings (fuzz)', () => {
  it('evaluateCipherString: no throw, lists bounded by the suite table', () => {
    let most = 0;
    const runs = fuzz('evaluateCipherString', grammar(CIPHER_TOKENS, 30), (s) => {
      const r = evaluateCipherString(s);
      expect(r.suites.length).toBeLessThanOrEqual(r.listed.length);
      most = Math.max(most, r.listed.length);
      expect(r.listed.length).toBeLessThan(1000);
      expect(new Set(r.listed).size).toBe(r.listed.length);
      if (!r.ok) expect(r.suites).toEqual([]);
      expectBounded(r.errors.join('').length + r.unknownTokens.join('').length + r.notes.join('').length, s.length, 40, 'cipher messages');
    }, 3_000);
    expect(runs).toBe(scaled(3_000));
    expect(most).toBeGreaterThan(10);
  });
});
