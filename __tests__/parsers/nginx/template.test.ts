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

  it('a Jinja loop keeps the structure: its body is judged once, the tags blanked (textress)', () => {
    const t = 'upstream app {\n{% for host in app_hosts %}\n    server {{ host }}:9000;\n{%- endfor %}\n}\n{% set tls = true %}\nserver { listen 443 ssl; }\n';
    const r = nginxTemplate('salt/nginx/textress.conf.jin', t);
    expect(r?.kind).toBe('values');
    const text = (r as { text: string }).text;
    expect(text.length).toBe(t.length);
    expect(text.split('\n').length).toBe(t.split('\n').length);
    expect(text).toContain('    server $');
    expect(text).not.toContain('{%');
    // A loop beside an `if` is still control.
    expect(nginxTemplate('a.conf.j2', `${t}{% if x %}\n{% endif %}\n`)).toEqual({ kind: 'control' });
  });

  it('an ERB file whose control tags happen to parse as nginx is still a template (Zulip)', () => {
    const erb = '<% if @nginx_http_only -%>\n<% else -%>;\nserver {\n    listen 80;\n    return 301 https://$host$request_uri;\n}\n<% end -%>;\n';
    expect(parseNginx('zulip-enterprise.template.erb', erb).errors).toEqual([]);
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
