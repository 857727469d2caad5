import { describe, expect, it } from 'vitest';
import { classifyNginxEntry, nginxClassifier, parseNginx } from '../../../src/parsers/nginx';

const kind = (text: string) => classifyNginxEntry(parseNginx('x', text).directives);

describe('classifyNginxEntry', () => {
  it('tells main configs, site files and snippets apart', () => {
    expect(kind('user nginx;\nevents {}\nhttp { server { listen 80; } }')).toBe('main');
    expect(kind('events { worker_connections 10; }')).toBe('main');
    expect(kind('upstream app { server 127.0.0.1:8000; }\nserver { listen 80; }')).toBe('site');
    expect(kind('location / { return 204; }')).toBe('snippet');
    expect(kind('ssl_protocols TLSv1.2;')).toBe('snippet');
    expect(kind('server;')).toBe('snippet');
  });
});

describe('nginxClassifier', () => {
  it('selects by path: nginx.conf and *.nginx by name, other candidates for a look at the text', () => {
    const cases: [string, 'yes' | 'maybe' | 'no'][] = [
      ['nginx.conf', 'yes'],
      ['deploy/nginx/nginx.conf', 'yes'],
      ['deploy/nginx/app.conf', 'yes'],
      ['etc/nginx/sites-available/default', 'maybe'],
      ['etc/nginx/uwsgi_params', 'maybe'],
      ['site.nginx', 'yes'],
      ['conf/app.conf', 'maybe'],
      ['sites-enabled/example.com', 'maybe'],
      ['conf.d/default', 'maybe'],
      ['vhosts/example.vhost', 'maybe'],
      ['docker/default.conf.template', 'maybe'],
      ['README.md', 'no'],
      ['nginx/README.md', 'no'],
      ['app/settings.py', 'no'],
      ['uwsgi.ini', 'no'],
    ];
    for (const [p, want] of cases) expect([p, nginxClassifier.byPath(p)]).toEqual([p, want]);
    expect(nginxClassifier.kind).toBe('nginx');
  });

  it('recognises nginx by parsing the text, broken files included', () => {
    const yes = [
      'server {\n listen 80;\n server_name example.com;\n}\n',
      'location /static/ { alias /srv/static/; }',
      'ssl_protocols TLSv1.2;\nssl_ciphers HIGH;\nadd_header X-Frame-Options DENY;\n',
      'server {\n listen 80\n server_name x;\n', // broken, still nginx
      'types {\n text/html html;\n}\n',
    ];
    const no = [
      '<VirtualHost *:80>\n  ServerName example.com\n  DocumentRoot /var/www\n</VirtualHost>\n',
      '[program:app]\ncommand=/usr/bin/uwsgi --ini app.ini\nautostart=true\n',
      'example.com {\n  reverse_proxy localhost:8000\n}\n',
      'resource "aws_instance" "web" {\n  ami = "ami-123"\n}\n',
      'server:\n  listen: 80\n',
      '#!/bin/sh\nlisten() { echo; }\n',
      'add_header X y;',
    ];
    for (const t of yes) expect([t, nginxClassifier.byContent('x.conf', t)]).toEqual([t, true]);
    for (const t of no) expect([t, nginxClassifier.byContent('x.conf', t)]).toEqual([t, false]);
  });
});
