import { describe, expect, it } from 'vitest';
import { nginxTemplate } from '../../../src/parsers/nginx/template';
import { parseNginx } from '../../../src/parsers/nginx';

describe('nginx templates', () => {
  it('plain nginx is not a template, Lua tables with {{ included', () => {
    expect(nginxTemplate('site.conf', 'server { listen 80; }\n')).toBeUndefined();
    expect(nginxTemplate('lua.conf', 'location / { content_by_lua_block { local t = {{1, 2}} ngx.say(#t) } }\n')).toBeUndefined();
  });

  it('control tags make the structure unknown: Jinja, Go and ERB', () => {
    expect(nginxTemplate('a.conf.j2', 'server {\n{% if ssl %}\n listen 443 ssl;\n{% endif %}\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.tpl', 'server {\n{{- if .Values.ssl }}\n listen 443 ssl;\n{{ end }}\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.erb', 'server {\n<% if @ssl %>\n listen 443 ssl;\n<% end %>\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.j2', 'server { server_name {{ unclosed ;\n}\n')).toEqual({ kind: 'control' });
  });

  it('values become variable words of the same length, comments blanks; positions unchanged', () => {
    const text = '{# managed #}\nserver {\n    server_name {{ domain }} <%= @alias %>;\n    add_header Strict-Transport-Security "max-age={{ age }}";\n}\n';
    const t = nginxTemplate('site.conf.j2', text);
    expect(t?.kind).toBe('values');
    const out = (t as { text: string }).text;
    expect(out.length).toBe(text.length);
    expect(out.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    expect(out).toContain('server_name $__domain___ $____alias___;');
    expect(out).toContain('"max-age=$__age___"');
    const parsed = parseNginx('site.conf.j2', out);
    expect(parsed.errors).toEqual([]);
    expect(parsed.directives[0].block!.map((d) => d.name)).toEqual(['server_name', 'add_header']);
  });

  it('stays linear on many marks of one kind while another kind never appears', () => {
    const text = `server {\n${'    set $a {{x}};\n'.repeat(200_000)}}\n`;
    const t = nginxTemplate('big.conf.j2', text);
    expect(t?.kind).toBe('values');
    expect((t as { text: string }).text.length).toBe(text.length);
  });
});
