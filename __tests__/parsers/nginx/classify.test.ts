import { describe, expect, it } from 'vitest';
import { classifyNginxEntry, nginxClassifier, otherConfigFormat, parseNginx } from '../../../src/parsers/nginx';

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
      // Named for the domain with a word after it (wbsrch's `config/wbsrch.com.gunicorn`).
      ['config/wbsrch.com.gunicorn', 'maybe'],
      ['config/wbsrch.com.txt', 'no'],
      ['config/requirements.production', 'no'],
      ['conf.d/default', 'maybe'],
      ['vhosts/example.vhost', 'maybe'],
      ['docker/default.conf.template', 'maybe'],
      // envsubst templates named for nginx (django_docker_template's `dkr/conf/nginx.ssl.template`).
      ['dkr/conf/nginx.ssl.template', 'maybe'],
      ['conf/nginx.template', 'maybe'],
      // A fabfile's templates with no other extension (personal-apis' `config_templates/ssl-params.template`).
      ['config_templates/ssl-params.template', 'maybe'],
      // A domain after `nginx_` (instamute's `conf/nginx_instamute.io`).
      ['conf/nginx_instamute.io', 'maybe'],
      ['conf/nginx-example.com', 'maybe'],
      ['config_templates/nginx-conf.template', 'maybe'],
      // A site file named for the project, without an extension, at the top or in a deployment folder
      // (logbook's `deploy/logbook`, mktc's `agromais`); other tools' files and other folders are not looked at.
      ['deploy/logbook', 'maybe'],
      ['agromais', 'maybe'],
      ['Makefile', 'no'],
      ['LICENSE', 'no'],
      ['deploy/Procfile', 'no'],
      ['src/shop/templates/base', 'no'],
      ['config/.env.template', 'no'],
      ['templates/index.html.template', 'no'],
      ['deploy/nginx.yml', 'no'],
      ['README.md', 'no'],
      ['nginx/README.md', 'no'],
      ['app/settings.py', 'no'],
      ['uwsgi.ini', 'no'],
      // Build files of an nginx image (DefectDojo's Dockerfile.nginx), whatever folder they sit in.
      ['Dockerfile.nginx', 'no'],
      ['nginx/Dockerfile.nginx', 'no'],
      ['docker/nginx.Dockerfile', 'no'],
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

// Shapes of real files from other tools that share nginx's brace blocks (Logstash's docs pipeline with the http
// input, a Terraform module, HAProxy's and Apache's stock layouts, a Caddyfile, a JSON config).
const LOGSTASH = `input {
  beats {
    port => 5044
  }
  http {
    host => "0.0.0.0"
    port => 8080
  }
}

filter {
  if [type] == "nginx-access" {
    grok {
      match => { "message" => "%{COMBINEDAPACHELOG}" }
    }
  }
}

output {
  elasticsearch {
    hosts => ["http://elasticsearch:9200"]
    index => "logs-%{+YYYY.MM.dd}"
  }
}
`;
const TERRAFORM = `terraform {
  required_version = ">= 1.3"
}

resource "google_cloud_run_service" "app" {
  name     = var.name
  location = var.region
  template {
    spec {
      containers {
        image = var.image
      }
    }
  }
}
`;
const HAPROXY = `global
    log /dev/log local0
    maxconn 4096

defaults
    mode http
    timeout connect 5s

frontend www
    bind *:80
    default_backend app

backend app
    server app1 127.0.0.1:8000 check
`;
const APACHE = `<VirtualHost *:80>
    ServerName wger.example.com
    WSGIDaemonProcess wger python-path=/home/wger/src
    RewriteEngine On
    RewriteRule ^ https://%{SERVER_NAME}%{REQUEST_URI} [END,NE,R=permanent]
    <Directory /home/wger/src>
        Require all granted
    </Directory>
</VirtualHost>
`;
const CADDY = `{$DOMAIN_NAME} {
    log {
        output stdout
    }
    handle /media/* {
        root * /code
        file_server
    }
    reverse_proxy mathesar_service:8000
}
`;
const JSON_CONF = `{
  "http": { "server": { "listen": 80 } },
  "location": "/"
}
`;

describe('other formats with braces', () => {
  it.each([
    ['Logstash', LOGSTASH, 'Logstash'],
    ['Terraform', TERRAFORM, 'HCL'],
    ['HAProxy', HAPROXY, 'HAProxy'],
    ['Apache', APACHE, 'Apache'],
    ['Caddy', CADDY, 'Caddyfile'],
    ['JSON', JSON_CONF, 'JSON'],
  ])('tells %s from nginx', (_name, text, named) => {
    expect(nginxClassifier.byContent('pipeline/app.conf', text)).toBe(false);
    expect(otherConfigFormat(text)).toContain(named);
  });

  it('keeps nginx with lone `=` words, `=>` in quotes and regex locations as nginx', () => {
    const text = `server {
    listen 80;
    server_name example.com;
    error_page 404 = @fallback;
    location = /health { return 200; }
    location ~ ^/(a|b)=>x$ { return 404; }
    if ($request_uri = /x) { return 301 https://$host$request_uri; }
    add_header X-Note "a => b";
    location @fallback { proxy_pass http://127.0.0.1:8000; }
}
`;
    expect(otherConfigFormat(text)).toBeUndefined();
    expect(nginxClassifier.byContent('site.conf', text)).toBe(true);
  });

  it('skips a non-nginx .conf with a reason instead of reporting parse errors', async () => {
    const { analyseFiles } = await import('../../model/helpers');
    const { result } = analyseFiles({
      'logstash/pipeline/logstash.conf': LOGSTASH,
      'deploy/nginx/pipeline.conf': LOGSTASH,
      'deploy/nginx/nginx.conf': 'events {}\nhttp {\n server {\n  listen 80\n }\n', // named nginx: broken is reported
    });
    expect(result.findings.filter((f) => f.path.endsWith('pipeline.conf') || f.path.startsWith('logstash/'))).toEqual([]);
    expect(result.skipped.find((s) => s.path === 'deploy/nginx/pipeline.conf')?.reason).toContain('Logstash');
    expect(result.skipped.find((s) => s.path === 'logstash/pipeline/logstash.conf')?.reason).toContain('Logstash');
    expect(result.files.map((f) => f.path)).toEqual(['deploy/nginx/nginx.conf']);
    expect(result.findings.some((f) => f.ruleId === 'parse/error' && f.path === 'deploy/nginx/nginx.conf')).toBe(true);
  });
});
