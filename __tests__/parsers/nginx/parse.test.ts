import { describe, expect, it } from 'vitest';
import { SourceText } from '../../../src/parsers/source';
import { findNginxDirectives, parseNginx, type NginxDirective } from '../../../src/parsers/nginx';

const parse = (text: string, context?: Parameters<typeof parseNginx>[2]) => parseNginx('t.conf', text, context);
const values = (d: NginxDirective) => d.args.map((a) => a.value);
const errs = (text: string, opts?: Parameters<typeof parseNginx>[2]) =>
  parse(text, opts).errors.map((e) => `${e.loc.line}:${e.loc.column} ${e.message}`);
/** Name and words of every directive, nested blocks flattened in document order. */
const flat = (text: string) => {
  const out: string[] = [];
  const stack = [...parse(text).directives].reverse();
  while (stack.length) {
    const d = stack.pop() as NginxDirective;
    out.push([d.name, ...values(d)].join(' '));
    if (d.block) stack.push(...[...d.block].reverse());
  }
  return out;
};

describe('words (ngx_conf_read_token)', () => {
  it('splits on space, tab, CR and LF and ends directives at ;', () => {
    expect(flat('a  b\tc\r\n d;e;')).toEqual(['a b c d', 'e']);
  });

  it('unescapes \\" \\\' \\\\ \\n \\r \\t in every word and keeps other backslashes', () => {
    const [d] = parse(String.raw`x "a\"b" 'c\'d' "e\\f" "g\nh\ti\rj" "k\xl" m\"n o\;p q\ r;`).directives;
    expect(values(d)).toEqual(['a"b', "c'd", 'e\\f', 'g\nh\ti\rj', 'k\\xl', 'm"n', 'o\\;p', 'q\\ r']);
    expect(d.args.map((a) => a.quoted)).toEqual([true, true, true, true, true, false, false, false]);
    expect(d.args[0].raw).toBe(String.raw`"a\"b"`);
  });

  it('keeps ; { } # inside quotes and a quote inside a word literal', () => {
    const [d] = parse(`add_header CSP "default-src 'self'; a { b } #c" it's a"b;`).directives;
    expect(values(d)).toEqual(['CSP', "default-src 'self'; a { b } #c", "it's", 'a"b']);
  });

  it('reads "${" as part of a variable, not as a block', () => {
    expect(flat('set $a ${host}x;\nreturn 301 https://${host}$request_uri;\nset $b "${a}";\nset $c ${;')).toEqual([
      'set $a ${host}x', 'return 301 https://${host}$request_uri', 'set $b ${a}', 'set $c ${',
    ]);
    // a "{" after anything but "$" opens a block, even right after a variable's closing brace
    const [d] = parse('location ${x}{ }').directives;
    expect(values(d)).toEqual(['${x}']);
    expect(d.block).toEqual([]);
  });

  it('starts a comment only at the start of a word', () => {
    const r = parse('server_name a#b # real comment\n c;# after\n#end');
    expect(values(r.directives[0])).toEqual(['a#b', 'c']);
    expect(r.comments.map((c) => c.text)).toEqual([' real comment', ' after', 'end']);
    expect(r.comments[0].loc).toMatchObject({ line: 1, column: 17 });
  });

  it('accepts ")" right after a closing quote (if conditions)', () => {
    expect(flat('if ($a = "x") { return 403; }\nif ($a = "y")) { }')).toEqual([
      'if ($a = x )', 'return 403', 'if ($a = y ))',
    ]);
  });

  it('allows quoted directive names and empty quoted words', () => {
    expect(flat(`"add_header" X "";\n'return' 204;`)).toEqual(['add_header X ', 'return 204']);
  });

  it('treats map, types, geo, split_clients entries as directives with any name', () => {
    const text = [
      'map $uri $x { default 0; "~^/a{2}$" 1; ~*\\.php$ 2; include m.map; hostnames; }',
      'types { text/html html htm; application/json json; }',
      'geo $g { 10.0.0.0/8 1; default 0; }',
      'split_clients "${remote_addr}" $v { 50% a; * b; }',
    ].join('\n');
    expect(flat(text)).toEqual([
      'map $uri $x', 'default 0', '~^/a{2}$ 1', '~*\\.php$ 2', 'include m.map', 'hostnames',
      'types', 'text/html html htm', 'application/json json',
      'geo $g', '10.0.0.0/8 1', 'default 0',
      'split_clients ${remote_addr} $v', '50% a', '* b',
    ]);
    expect(parse(text).errors).toEqual([]);
  });
});

describe('locations', () => {
  const text = 'server {\n    listen 443 ssl;\n    add_header  X-A "a b"  always;\n}\n';
  const r = parse(text);
  const server = r.directives[0];
  const [listen, header] = server.block ?? [];

  it('gives each directive its span from name to terminator, and the block its closing brace', () => {
    expect(server.loc).toEqual({ path: 't.conf', line: 1, column: 1, endLine: 1, endColumn: 9 });
    expect(server.closeLoc).toEqual({ path: 't.conf', line: 4, column: 1, endLine: 4, endColumn: 2 });
    expect(listen.loc).toEqual({ path: 't.conf', line: 2, column: 5, endLine: 2, endColumn: 20 });
    expect(listen.nameLoc).toEqual({ path: 't.conf', line: 2, column: 5, endLine: 2, endColumn: 11 });
    expect(listen.terminator).toBe(';');
    expect(server.terminator).toBe('{');
  });

  it('gives each word its own span, quotes included', () => {
    expect(header.args.map((a) => [a.raw, a.loc.line, a.loc.column, a.loc.endColumn])).toEqual([
      ['X-A', 3, 17, 20],
      ['"a b"', 3, 21, 26],
      ['always', 3, 28, 34],
    ]);
  });

  it('links parents and files', () => {
    expect(listen.parent).toBe(server);
    expect(server.parent).toBeUndefined();
    expect(listen.file).toBe('t.conf');
  });

  it('spans a quoted word over lines, counts columns in UTF-16 units and ignores CR for lines', () => {
    const [d] = parse('a "x\ny" \u00e9\u{1F600} z;\r\nb c;').directives;
    expect(d.args[0].loc).toMatchObject({ line: 1, column: 3, endLine: 2, endColumn: 3 });
    expect(d.args[1].loc).toMatchObject({ line: 2, column: 4, endLine: 2, endColumn: 7 });
    expect(d.args[2].loc).toMatchObject({ line: 2, column: 8 });
    const b = parse('a "x\ny" \u00e9\u{1F600} z;\r\nb c;').directives[1];
    expect(b.args[0].loc).toMatchObject({ line: 3, column: 3 });
  });
});

describe('locations agree with SourceText everywhere', () => {
  it('maps every word back to its exact text, across CRLF, long lines and multi-line quotes', () => {
    const text = [
      'a b;\r\n',
      `long ${'w '.repeat(3000)};\n`,
      '\n\n\n',
      'q "multi\nline\r\nquote" \u00e9\u{1F600} z;\n',
      ...Array.from({ length: 200 }, (_, k) => `k${k} ${'v'.repeat(k % 7)} "x";\n`),
      `tail ${'y'.repeat(5000)} end;\n`,
      'back "ward\n\n\n" jump;',
    ].join('');
    const src = new SourceText('t.conf', text);
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
    const offset = (line: number, column: number) => starts[line - 1] + column - 1;
    const r = parse(text);
    let checked = 0;
    for (const d of r.directives) {
      for (const a of [...d.args, { raw: d.name, loc: d.nameLoc }]) {
        const from = offset(a.loc.line, a.loc.column);
        const to = offset(a.loc.endLine, a.loc.endColumn);
        expect(text.slice(from, to)).toBe(a.raw);
        expect(a.loc).toEqual(src.loc(from, to));
        checked++;
      }
      const from = offset(d.loc.line, d.loc.column);
      expect(d.loc).toEqual(src.loc(from, offset(d.loc.endLine, d.loc.endColumn)));
      expect(text[offset(d.loc.endLine, d.loc.endColumn) - 1]).toBe(';');
    }
    expect(checked).toBeGreaterThan(3000);
  });
});

describe('Lua blocks', () => {
  it('keeps the block as raw text, skipping braces in Lua strings, comments and long brackets', () => {
    const text = [
      'location / {',
      '  content_by_lua_block {',
      '    local t = { a = "}", b = \'{\', c = "\\"}" }',
      '    -- } comment',
      '    --[==[ } ]] } ]==]',
      '    local s = [[ } ]]',
      '  }',
      '  return 204;',
      '}',
    ].join('\n');
    const r = parse(text);
    expect(r.errors).toEqual([]);
    const lua = r.directives[0].block?.[0] as NginxDirective;
    expect(lua.name).toBe('content_by_lua_block');
    expect(lua.raw).toContain('local s = [[ } ]]');
    expect(lua.raw?.startsWith('\n    local t')).toBe(true);
    expect(lua.block).toEqual([]);
    expect(lua.closeLoc).toMatchObject({ line: 7, column: 3 });
    expect(r.directives[0].block?.[1].name).toBe('return');
  });

  it('reads the words before the brace as usual (set_by_lua_block $var {)', () => {
    const [d] = parse('set_by_lua_block $res { return 1 + 1 }').directives;
    expect(values(d)).toEqual(['$res']);
    expect(d.raw).toBe(' return 1 + 1 ');
  });

  it('reports a Lua block that never closes', () => {
    expect(errs('content_by_lua_block {\n ngx.say("x")\n')).toEqual([
      '3:1 unexpected end of file, expecting terminating characters for lua code block',
    ]);
  });
});

describe('errors, with nginx wording and line, and recovery', () => {
  it('a word right after a closing quote', () => {
    const r = parse('add_header X "a"b;\nreturn 204;');
    expect(r.errors.map((e) => `${e.loc.line}:${e.loc.column} ${e.message}`)).toEqual(['1:17 unexpected "b"']);
    expect(flat('add_header X "a"b;\nreturn 204;')).toEqual(['add_header X a b', 'return 204']);
  });

  it('a missing ";" at the end of the file', () => {
    expect(errs('events {}\nworker_processes 1')).toEqual(['2:19 unexpected end of file, expecting ";" or "}"']);
    expect(errs('worker_processes 1\n\n')).toEqual(['3:1 unexpected end of file, expecting ";" or "}"']);
    expect(flat('worker_processes 1')).toEqual(['worker_processes 1']);
  });

  it('an unterminated quote, with a hint naming where it opened', () => {
    const r = parse('a "abc;\nb;\n');
    expect(r.errors.map((e) => e.message)).toEqual(['unexpected end of file, expecting ";" or "}"']);
    expect(r.errors[0].loc.line).toBe(3);
    expect(r.errors[0].hint).toMatch(/line 1, column 3/);
    expect(values(r.directives[0])).toEqual(['abc;\nb;\n']);
  });

  it('a stray "}" at the top, and later directives still parsed', () => {
    expect(errs('a;\n}\nb;')).toEqual(['2:1 unexpected "}"']);
    expect(flat('a;\n}\nb;')).toEqual(['a', 'b']);
  });

  it('a block that is never closed', () => {
    const r = parse('http {\n  server {\n    listen 80;\n');
    expect(r.errors.map((e) => `${e.loc.line} ${e.message}`)).toEqual(['4 unexpected end of file, expecting "}"']);
    expect(r.errors[0].hint).toMatch(/"server" block opened at line 2/);
    expect(flat('http {\n  server {\n    listen 80;\n')).toEqual(['http', 'server', 'listen 80']);
  });

  it('";" or "{" with no directive before them', () => {
    expect(errs('a;;\n')).toEqual(['1:3 unexpected ";"']);
    expect(errs('server { }\n;')).toEqual(['2:1 unexpected ";"']);
    // a nameless block keeps the braces balanced: its content joins the enclosing block
    expect(errs('server {\n { listen 80; }\n}')).toEqual(['2:2 unexpected "{"']);
    expect(flat('server {\n { listen 80; }\n}')).toEqual(['server', 'listen 80']);
  });

  it('"}" in the middle of a directive closes the block after keeping the directive', () => {
    expect(errs('server {\n listen 80 }\nx;')).toEqual(['2:12 unexpected "}"']);
    expect(flat('server {\n listen 80 }\nx;')).toEqual(['server', 'listen 80', 'x']);
  });

  it('block directives without "{" and simple ones with "{", by context', () => {
    expect(errs('http { server; }')).toEqual(['1:14 directive "server" has no opening "{"']);
    expect(errs('server { listen 80 { } }', { context: 'http' })).toEqual(['1:20 directive "listen" is not terminated by ";"']);
    expect(errs('upstream u { server 10.0.0.1 { } }', { context: 'http' })).toEqual([
      '1:30 directive "server" is not terminated by ";"',
    ]);
    // server inside upstream is an entry, not a block; unknown names and unknown contexts are not judged
    expect(errs('upstream u { server 10.0.0.1; }', { context: 'http' })).toEqual([]);
    expect(errs('server;')).toEqual([]);
    expect(errs('foo { } bar;', { context: 'http' })).toEqual([]);
    expect(errs('server;', { context: 'http' })).toEqual(['1:7 directive "server" has no opening "{"']);
  });

  it('"{" inside a handler block (types, map, geo)', () => {
    expect(errs('types {\n text/html html;\n x { }\n}')).toEqual(['3:4 unexpected "{"']);
    // the regex's "{" opens a block that swallows the map's "}" (nginx stops at the first error)
    expect(errs('map $a $b {\n ~^/a{2}$ 1;\n}')).toEqual(['2:6 unexpected "{"', '3:2 unexpected end of file, expecting "}"']);
  });

  it('words longer than nginx\'s 4096-byte buffer', () => {
    expect(errs(`a ${'x'.repeat(5000)};\nb;`)).toEqual(['1:3 too long parameter "xxxxxxxxxx..." started']);
    expect(errs(`a "${'x'.repeat(5000)}";\nb;`)).toEqual(['1:4 too long parameter, probably missing terminating """ character']);
    expect(errs(`#${'c'.repeat(5000)}\nb;`)).toEqual(['1:1 too long parameter "#ccccccccc..." started']);
    // the limit counts UTF-8 bytes, and is not reached when the file ends first
    expect(errs(`a "${'\u00e9'.repeat(2048)}";\nb;`)).toHaveLength(1);
    expect(errs(`a "${'\u00e9'.repeat(2000)}";\nb;`)).toEqual([]);
    expect(errs(`a ${'x'.repeat(4090)};`)).toEqual([]);
  });

  it('gives every error a hint-free nginx message and keeps going to the end', () => {
    const r = parse('a "x"y;\n}\nb "c\n');
    expect(r.errors.map((e) => e.message)).toEqual(['unexpected "y"', 'unexpected "}"', 'unexpected end of file, expecting ";" or "}"']);
    expect(r.errors.every((e) => e.kind === 'syntax')).toBe(true);
  });

  it('terminates on any input (random short programs from the special characters)', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = ['a', ' ', '\n', ';', '{', '}', '"', "'", '\\', '$', '#', ')', '_by_lua_block', '--[[', ']]', '\r', '\u00e9'];
    for (let k = 0; k < 3000; k++) {
      let s = '';
      const len = Math.floor(rand() * 40);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      const r = parse(s);
      for (const e of r.errors) expect(e.loc.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('helpers', () => {
  it('finds directives at any depth in document order', () => {
    const r = parse('http { server { listen 80; } server { listen 443; location / { listen 1; } } }');
    expect(findNginxDirectives(r.directives, 'listen').map((d) => d.args[0].value)).toEqual(['80', '443', '1']);
  });
});

describe('directive names', () => {
  it('a name with characters no nginx module uses is an unknown directive, once per file, where nginx reports it', () => {
    const text = 'server {\n    nginx/certbot/options-ssl-nginx.conf\n\n    ssl_session_cache shared:SSL:10m;\n    a/b c;\n}\n';
    expect(errs(text)).toEqual(['4:37 unknown directive "nginx/certbot/options-ssl-nginx.conf"']);
  });

  it('names nginx or a third-party module could have, template placeholders and handler blocks are not judged', () => {
    expect(errs('server {\n    more_set_headers "X: y";\n    lua_code_cache off;\n    $__extra_directives___;\n}\n')).toEqual([]);
    expect(errs('http {\n    types {\n        text/html html;\n        application/x-font-woff woff;\n    }\n    map $uri $x {\n        ~^/a/b 1;\n    }\n}\n', { context: 'main' })).toEqual([]);
  });
});
