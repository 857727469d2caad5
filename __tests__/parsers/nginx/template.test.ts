import { describe, expect, it } from 'vitest';
import { nginxTemplate } from '../../../src/parsers/nginx/template';
import { parseNginx } from '../../../src/parsers/nginx';

describe('nginx templates', () => {
  it('plain nginx is not a template, Lua tables with {{ included', () => {
    expect(nginxTemplate('site.conf', 'server { listen 80; }\n')).toBeUndefined();
    expect(nginxTemplate('lua.conf', 'location / { content_by_lua_block { local t = {{1, 2}} ngx.say(#t) } }\n')).toBeUndefined();
  });

  it('control tags make the structure unknown: Jinja (other than if and for), Go and ERB', () => {
    expect(nginxTemplate('a.conf.j2', 'server {\n{% include "tls.j2" %}\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.j2', 'server {\n{% macro m() %}\n listen 443 ssl;\n{% endmacro %}\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.j2', 'server {\n{% set block %}\n listen 443 ssl;\n{% endset %}\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.tpl', 'server {\n{{- define "tls" }}\n listen 443 ssl;\n{{ end }}\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.tpl', 'server {\n{{ template "tls" . }}\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.tpl', 'server {\n{{ end }}\n}\n')).toEqual({ kind: 'control' });
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

  it('a Jinja loop keeps the structure: its body is judged once, the tags blanked (textress)', () => {
    const t = 'upstream app {\n{% for host in app_hosts %}\n    server {{ host }}:9000;\n{%- endfor %}\n}\n{% set tls = true %}\nserver { listen 443 ssl; }\n';
    const r = nginxTemplate('salt/nginx/textress.conf.jin', t);
    expect(r?.kind).toBe('values');
    const text = (r as { text: string }).text;
    expect(text.length).toBe(t.length);
    expect(text.split('\n').length).toBe(t.split('\n').length);
    expect(text).toContain('    server $');
    expect(text).not.toContain('{%');
    // Beside an `if`, the loop is still judged once.
    const both = nginxTemplate('a.conf.j2', `${t}{% if x %}\n{% endif %}\n`);
    expect(both?.kind).toBe('branches');
    expect((both as { texts: string[] }).texts[0]).toContain('    server $');
  });

  it('Jinja `if`: two readings, every condition true and every condition false, positions those of the template', () => {
    const t = [
      'server {', //                                          1
      '    listen 80;', //                                    2
      '{% if ssl %}', //                                      3
      '    listen 443 ssl;', //                               4
      '{%- if not hsts_off %}', //                            5
      '    add_header Strict-Transport-Security "max-age=63072000";', // 6
      '{% endif %}', //                                       7
      '{% elif plain %}', //                                  8
      '    return 301 https://$host$request_uri;', //         9
      '{% else %}', //                                       10
      '    location / { proxy_pass http://app; }', //        11
      '{% endif %}', //                                      12
      '    server_name {% if www %}www.{% endif %}{{ domain }};', // 13
      '}',
      '',
    ].join('\n');
    const r = nginxTemplate('roles/web/templates/site.conf.j2', t);
    expect(r?.kind).toBe('branches');
    const { texts, tagLines } = r as { texts: [string, string]; tagLines: number[] };
    expect(tagLines).toEqual([3, 5, 13]);
    for (const x of texts) {
      expect(x.length).toBe(t.length);
      expect(x.split('\n').map((l) => l.length)).toEqual(t.split('\n').map((l) => l.length));
      expect(parseNginx('site.conf', x).errors).toEqual([]);
    }
    const lines = (x: string) => x.split('\n').map((l) => l.trim()).filter(Boolean);
    // True: `ssl` holds, `not hsts_off` is the negation of a true condition (false), `elif`/`else` not taken.
    expect(lines(texts[0])).toEqual(['server {', 'listen 80;', 'listen 443 ssl;', 'server_name www.$__domain___;', '}']);
    // False: `ssl` and `plain` fail, so `else`; `www` fails.
    expect(lines(texts[1])).toEqual(['server {', 'listen 80;', 'location / { proxy_pass http://app; }', 'server_name $__domain___;', '}']);
  });

  it('Jinja `is not` and `!=` are negations; `for … else` renders the loop body', () => {
    const t = 'server {\n{% if tls is not defined %}\n listen 80;\n{% endif %}\n{% if env != "prod" %}\n listen 8080;\n{% endif %}\n{% for s in names %}\n server_name {{ s }};\n{% else %}\n server_name _;\n{% endfor %}\n}\n';
    const r = nginxTemplate('a.conf.j2', t) as { texts: [string, string] };
    expect(r.texts[0]).not.toContain('listen');
    expect(r.texts[1]).toContain('listen 80;');
    expect(r.texts[1]).toContain('listen 8080;');
    for (const x of r.texts) {
      expect(x).toContain('server_name $');
      expect(x).not.toContain('server_name _;');
    }
  });

  it('an `if` left open, an `endif` without `if`, or a reading nginx would reject: not judged', () => {
    expect(nginxTemplate('a.conf.j2', 'server {\n{% if x %}\n listen 80;\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.j2', 'server {\n listen 80;\n{% endif %}\n}\n')).toEqual({ kind: 'control' });
    expect(nginxTemplate('a.conf.j2', 'server {\n{% for x in y %}\n listen 80;\n{% endif %}\n}\n')).toEqual({ kind: 'control' });
    // The braces are opened in one branch and closed outside it: the false reading does not parse.
    expect(nginxTemplate('a.conf.j2', '{% if x %}\nserver {\n{% endif %}\n listen 80;\n}\n')).toEqual({ kind: 'control' });
  });

  it('Go `if`/`else`: the two readings, as for Jinja; assignments and comments render nothing', () => {
    const t = 'server {\n    listen 80;\n{{- if .Values.ssl }}\n    listen 443 ssl;\n{{ else }}\n    return 404;\n{{ end }}\n{{ $x := .Values.name }}{{/* note */}}\n    server_name {{ $x }};\n}\n';
    const r = nginxTemplate('site.conf.tpl', t) as { kind: string; texts: [string, string] };
    expect(r.kind).toBe('branches');
    expect(r.texts[0]).toContain('listen 443 ssl;');
    expect(r.texts[0]).not.toContain('return 404');
    expect(r.texts[1]).toContain('return 404;');
    expect(r.texts[1]).not.toContain('listen 443');
    for (const x of r.texts) {
      expect(x.length).toBe(t.length);
      expect(parseNginx('site.conf.tpl', x, { context: 'unknown' }).errors).toEqual([]);
    }
  });

  it("Dokku's sigil: an `if` chain that is a `range` body renders every part, each with its own values (sensors.AFRICA-api)", () => {
    const t = [
      '{{ range $port_map := .PROXY_PORT_MAP | split " " }}',
      '{{ $scheme := index ($port_map | split ":") 0 }}',
      '{{ $listen_port := index ($port_map | split ":") 1 }}',
      '{{ if eq $scheme "http" }}',
      'server {',
      '  listen      {{ $listen_port }};',
      '  {{ if $.NOSSL_SERVER_NAME }}server_name {{ $.NOSSL_SERVER_NAME }};{{ end }}',
      '  location / { proxy_pass http://{{ $.APP }}; }',
      '}',
      '{{ else if eq $scheme "https" }}',
      'server {',
      '  listen      {{ $listen_port }} ssl {{ if eq $.HTTP2 "true" }}http2{{ end }};',
      '  ssl_certificate {{ $.APP_SSL_PATH }}/server.crt;',
      '  location / { proxy_pass http://{{ $.APP }}; }',
      '}',
      '{{ end }}',
      '{{ end }}',
      '',
    ].join('\n');
    const r = nginxTemplate('nginx.conf.sigil', t) as { kind: string; texts: [string, string] };
    expect(r.kind).toBe('branches');
    for (const x of r.texts) {
      expect(x).toContain('listen      $___listen_port__0;');
      expect(x).toContain('listen      $___listen_port__1 ssl');
      expect(parseNginx('nginx.conf.sigil', x, { context: 'unknown' }).errors).toEqual([]);
    }
  });

  // 150,000 tags on one line: the line search once made this quadratic (tens of seconds); linear, about two.
  it('stays linear in deeply nested Go `if` and `range` actions, all on one line', { timeout: 15_000 }, () => {
    const depth = 150_000;
    const t = `${'{{ range .A }}{{ if .B }}'.repeat(depth)}\nserver { listen 80; }\n${'{{ else }}{{ end }}{{ end }}'.repeat(depth)}\n`;
    const r = nginxTemplate('deep.conf.tpl', t) as { kind: string; texts: [string, string] };
    expect(r.kind).toBe('branches');
    expect(r.texts[0]).toContain('listen 80;');
  });

  it('stays linear in deeply nested `if` tags', () => {
    const depth = 50_000;
    const t = `server {\n${'{% if a %}'.repeat(depth)}\n listen 80;\n${'{% endif %}'.repeat(depth)}\n}\n`;
    const r = nginxTemplate('deep.conf.j2', t) as { kind: string; texts: [string, string]; tagLines: number[] };
    expect(r.kind).toBe('branches');
    expect(r.tagLines.length).toBe(depth);
    expect(r.texts[0]).toContain('listen 80;');
    expect(r.texts[1]).not.toContain('listen');
  });

  it('an ERB file whose control tags happen to parse as nginx is still a template (Zulip)', () => {
    const erb = '<% if @nginx_http_only -%>\n<% else -%>;\nserver {\n    listen 80;\n    return 301 https://$host$request_uri;\n}\n<% end -%>;\n';
    // Our parser reads its braces and semicolons as nginx; only the tag words are not directive names.
    expect(parseNginx('zulip-enterprise.template.erb', erb).errors.map((e) => e.message)).toEqual(['unknown directive "<%"']);
    expect(nginxTemplate('puppet/zulip/templates/nginx/zulip-enterprise.template.erb', erb)).toEqual({ kind: 'control' });
    // Not named as a template: a mark in a config that parses is Lua or a string.
    expect(nginxTemplate('conf.d/site.conf', 'server { content_by_lua_block { local t = {{1}} } }\n')).toBeUndefined();
  });

  it('envsubst templates: a placeholder that stands for directives is structure; values are nginx variables', () => {
    const events = 'events {\n    worker_connections  ${NGINX_WORKER_CONNECTIONS};\n    ${NGINX_EVENTS_BLOCK}\n}\nhttp { }\n';
    expect(nginxTemplate('images/openwisp_nginx/nginx.template.conf', events)).toEqual({ kind: 'control' });
    expect(nginxTemplate('nginx/templates/default.conf', events)).toEqual({ kind: 'control' });
    // Values only: judged as written (nginx reads `${PORT}` as a variable).
    expect(nginxTemplate('nginx/templates/default.conf.template', 'server {\n    listen ${PORT};\n    server_name ${DOMAIN};\n}\n')).toBeUndefined();
    // Not named as a template: a parse error stays a parse error.
    expect(nginxTemplate('nginx/nginx.conf', events)).toBeUndefined();
  });
  it('`%{name}` placeholders of a file named as a template are values, or structure when they start a line (Modoboa)', () => {
    const values = 'server {\n    listen 80;\n    server_name %{hostname};\n    access_log /var/log/nginx/%{hostname}-access.log;\n    location /static/ { alias  %{app_instance_path}/frontend/; }\n}\n';
    expect(parseNginx('automx.conf.tpl', values).errors.length).toBeGreaterThan(0);
    const r = nginxTemplate('scripts/files/nginx/automx.conf.tpl', values);
    expect(r?.kind).toBe('values');
    const text = (r as { text: string }).text;
    expect(text.length).toBe(values.length);
    expect(parseNginx('automx.conf.tpl', text).errors).toEqual([]);
    expect(text).toContain('access_log /var/log/nginx/$_hostname_-access.log;');
    // A placeholder alone on a line stands for directives; one before a directive comments it in or out.
    expect(nginxTemplate('modoboa.conf.tpl', `${values}server {\n    %{extra_config}\n}\n`)).toEqual({ kind: 'control' });
    expect(nginxTemplate('modoboa.conf.tpl', `${values}server {\n%{rspamd_enabled}    location /rspamd/ { }\n}\n`)).toEqual({ kind: 'control' });
    // Not named as a template, or not a name: left as written.
    expect(nginxTemplate('conf.d/site.conf', values)).toEqual({ kind: 'values', text: values });
    expect(nginxTemplate('a.conf.tpl', 'location ~ "^/a%{2,3}" { }\n')).toEqual({ kind: 'values', text: 'location ~ "^/a%{2,3}" { }\n' });
  });
});
