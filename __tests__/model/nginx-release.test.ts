import { describe, expect, it } from 'vitest';
import { pinnedNginx } from '../../src/model/nginx-release';
import { analyseFiles } from './helpers';

const SITE = `server {
    listen 443 ssl;
    server_name shop.example.org;
    ssl_certificate /etc/ssl/shop.pem;
    ssl_certificate_key /etc/ssl/shop.key;
    add_header Strict-Transport-Security "max-age=63072000" always;
    location / { proxy_pass http://web:8000; }
}
`;

function implicit(files: Record<string, string>, config = {}) {
  const { result } = analyseFiles({ 'nginx/site.conf': SITE, ...files }, config);
  return result.findings.filter((f) => f.ruleId === 'nginx/ssl-protocols-implicit');
}

describe('the nginx release an image pins', () => {
  it('reads official, unprivileged and OpenResty tags; moving tags and other images say nothing', () => {
    expect(pinnedNginx('nginx:1.21.6-alpine')).toBe('1.21.6');
    expect(pinnedNginx('docker.io/library/nginx:1.19')).toBe('1.19');
    expect(pinnedNginx('nginxinc/nginx-unprivileged:1.25-alpine@sha256:abc')).toBe('1.25');
    expect(pinnedNginx('openresty/openresty:1.19.3.1-alpine')).toBe('1.19.3');
    for (const moving of ['nginx', 'nginx:latest', 'nginx:alpine', 'nginx:stable-alpine', 'nginx:${NGINX_VERSION}', 'python:3.11', 'mynginx:1.2']) {
      expect(pinnedNginx(moving), moving).toBeUndefined();
    }
  });

  it("judges a TLS server without ssl_protocols by the release of the image that runs it", () => {
    const [f] = implicit({ 'nginx/Dockerfile': 'ARG V=1.21.6\nFROM nginx:${V}-alpine\nCOPY site.conf /etc/nginx/conf.d/default.conf\n' });
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('TLSv1 and TLSv1.1 stay enabled');
    expect(f.message).toContain('nginx 1.21.6, the release of the image `nginx:1.21.6-alpine` that nginx/Dockerfile:3 puts this config in');
  });

  it('takes a major.minor tag for the newest patch of that series, which the tag pulls', () => {
    // nginx:1.27 pulls 1.27.5, whose default is TLSv1.2 TLSv1.3 (from 1.27.3); nginx:1.27.2 still enables TLSv1.
    const floating = implicit({ 'nginx/Dockerfile': 'FROM nginx:1.27-alpine\nCOPY site.conf /etc/nginx/conf.d/\n' });
    expect(floating.map((f) => f.severity)).toEqual(['low']);
    expect(floating[0].message).toContain('nginx 1.27.x, the newest 1.27 release, which the image `nginx:1.27-alpine`');
    expect(implicit({ 'nginx/Dockerfile': 'FROM nginx:1.27.2\nCOPY site.conf /etc/nginx/conf.d/\n' }).map((f) => f.severity)).toEqual(['medium']);
    expect(implicit({ 'nginx/Dockerfile': 'FROM nginx:1.23\nCOPY site.conf /etc/nginx/conf.d/\n' }).map((f) => f.severity)).toEqual(['medium']);
  });

  it('reads a compose image with the config mounted, and a compose build of a Dockerfile', () => {
    const mounted = implicit({ 'docker-compose.yml': 'services:\n  proxy:\n    image: nginx:1.19\n    ports: ["443:443"]\n    volumes:\n      - ./nginx:/etc/nginx/conf.d:ro\n' });
    expect(mounted.map((f) => f.severity)).toEqual(['medium']);
    const built = implicit({
      'docker-compose.yml': 'services:\n  proxy:\n    build: ./nginx\n    ports: ["443:443"]\n    volumes:\n      - ./nginx/site.conf:/etc/nginx/conf.d/site.conf\n',
      'nginx/Dockerfile': 'FROM nginx:1.18\n',
    });
    expect(built.map((f) => f.severity)).toEqual(['medium']);
  });

  it('keeps the configured release for moving tags, disagreeing images, and a given nginx-version', () => {
    expect(implicit({ 'nginx/Dockerfile': 'FROM nginx:stable-alpine\nCOPY site.conf /etc/nginx/conf.d/\n' }).map((f) => f.severity)).toEqual(['low']);
    expect(implicit({ 'nginx/Dockerfile': 'FROM nginx:1.27.4\nCOPY site.conf /etc/nginx/conf.d/\n' }).map((f) => f.severity)).toEqual(['low']);
    expect(
      implicit({
        'nginx/Dockerfile': 'FROM nginx:1.21\nCOPY site.conf /etc/nginx/conf.d/\n',
        'docker-compose.yml': 'services:\n  proxy:\n    image: nginx:1.27\n    volumes:\n      - ./nginx/site.conf:/etc/nginx/conf.d/site.conf\n',
      }).map((f) => f.severity),
    ).toEqual(['low']);
    const given = implicit({ 'nginx/Dockerfile': 'FROM nginx:1.21\nCOPY site.conf /etc/nginx/conf.d/\n' }, { nginxVersion: '1.28' });
    expect(given.map((f) => f.severity)).toEqual(['low']);
    expect(given[0].message).toContain('assuming nginx 1.28');
  });

  it('the pinned release decides session ticket rotation too', () => {
    const { result } = analyseFiles({ 'nginx/site.conf': SITE.replace('listen 443 ssl;', 'listen 443 ssl;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_session_cache shared:SSL:10m;'), 'nginx/Dockerfile': 'FROM nginx:1.21\nCOPY site.conf /etc/nginx/conf.d/\n' });
    const [f] = result.findings.filter((x) => x.ruleId === 'nginx/session-tickets-unrotated');
    expect(f.message).toContain('nginx before 1.23.2 never rotates the ticket key');
  });
});
