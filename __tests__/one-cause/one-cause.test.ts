// One finding per cause: a weakness several rules see is reported once, where the fix belongs, with the other
// places as related locations; identical directives in one server are one finding with the count.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import type { Finding } from '../../src/types';

function scan(name: string, rules: string[]): Finding[] {
  const { result } = analyse({ root: path.join(__dirname, name), config: {} });
  return result.findings.filter((f) => rules.includes(f.ruleId));
}
const brief = (f: Finding) => ({ rule: f.ruleId, at: `${f.path}:${f.line}`, severity: f.severity, related: (f.related ?? []).map((r) => `${r.path}:${r.line} ${r.message?.split(':')[0]}`) });
const HSTS = ['nginx/hsts-missing', 'django/hsts-off'];
const REDIRECT = ['nginx/http-not-redirected', 'django/ssl-redirect-off'];

describe('missing HSTS: nginx/hsts-missing keeps it, django/hsts-off is a related place', () => {
  it('collapses to one finding on the TLS server', () => {
    expect(scan('hsts_one_server', HSTS).map(brief)).toEqual([
      { rule: 'nginx/hsts-missing', at: 'deploy/nginx.conf:8', severity: 'high', related: ['proj/settings.py:19 django/hsts-off'] },
    ]);
  });

  it('gives one finding per server when two servers lack it', () => {
    expect(scan('hsts_two_servers', HSTS).map(brief)).toEqual([
      { rule: 'nginx/hsts-missing', at: 'deploy/nginx.conf:2', severity: 'high', related: ['proj/settings.py:19 django/hsts-off'] },
      { rule: 'nginx/hsts-missing', at: 'deploy/nginx.conf:13', severity: 'high', related: ['proj/settings.py:19 django/hsts-off'] },
    ]);
  });

  it('does not collapse when the nginx server does not front the app', () => {
    expect(scan('hsts_static_only', HSTS).map(brief)).toEqual([
      { rule: 'nginx/hsts-missing', at: 'deploy/nginx.conf:2', severity: 'high', related: [] },
      { rule: 'django/hsts-off', at: 'proj/settings.py:19', severity: 'low', related: [] },
    ]);
  });

  it('folds into the max-age=0 header that switches HSTS off, at the worst severity of the two', () => {
    expect(scan('hsts_max_age_zero', [...HSTS, 'nginx/hsts-max-age-short']).map(brief)).toEqual([
      { rule: 'nginx/hsts-max-age-short', at: 'deploy/nginx.conf:14', severity: 'high', related: ['proj/settings.py:19 django/hsts-off'] },
    ]);
  });

  it('a face spread over two servers keeps its severity on the one already that severe (stringkeepeer)', () => {
    // Django sends no HSTS: server a drops nginx's header in `location /` only (medium, /static/ keeps it), server b
    // has none at all (high). django/hsts-off's high belongs to b; a's finding stays medium, as its message says.
    expect(scan('hsts_dropped_and_missing', [...HSTS, 'nginx/hsts-dropped-in-location']).map((f) => [f.ruleId, f.path, f.severity])).toEqual([
      ['nginx/hsts-dropped-in-location', 'a/site.conf', 'medium'],
      ['nginx/hsts-missing', 'b/site.conf', 'high'],
    ]);
  });

  it('reports the Django face alone when nginx/hsts-missing is off', () => {
    const { result } = analyse({ root: path.join(__dirname, 'hsts_one_server'), config: { rules: { 'nginx/hsts-missing': 'off' } } });
    expect(result.findings.filter((f) => HSTS.includes(f.ruleId)).map(brief)).toEqual([
      { rule: 'django/hsts-off', at: 'proj/settings.py:19', severity: 'high', related: [] },
    ]);
  });
});

describe('no redirect: nginx/http-not-redirected keeps it, django/ssl-redirect-off is a related place', () => {
  it('collapses to one finding on the plain-HTTP server', () => {
    expect(scan('redirect_plain_proxy', REDIRECT).map(brief)).toEqual([
      { rule: 'nginx/http-not-redirected', at: 'deploy/nginx.conf:2', severity: 'high', related: ['proj/settings.py:18 django/ssl-redirect-off'] },
    ]);
  });

  it('does not collapse when the plain server passes nothing to the app', () => {
    expect(scan('redirect_files_only', REDIRECT).map((f) => f.ruleId)).toEqual(['nginx/http-not-redirected', 'django/ssl-redirect-off']);
  });
});

describe('identical directives in one server', () => {
  it('are one finding with the count and the others related; another server is another finding', () => {
    const found = scan('max_age_repeated', ['nginx/hsts-max-age-short']);
    expect(found.map(brief)).toEqual([
      { rule: 'nginx/hsts-max-age-short', at: 'site.conf:7', severity: 'low', related: ['site.conf:10 the same directive', 'site.conf:15 the same directive', 'site.conf:20 the same directive'] },
      { rule: 'nginx/hsts-max-age-short', at: 'site.conf:30', severity: 'low', related: [] },
    ]);
    expect(found[0].message).toMatch(/written 4 times in this server/);
    expect(found[1].message).not.toMatch(/times in this server/);
  });
});

describe('identical directives in one server, other rules', () => {
  it('hsts-without-always and hsts-on-plain-http report a repeated line once per server', () => {
    const found = scan('repeated_without_always', ['nginx/hsts-without-always', 'nginx/hsts-on-plain-http']);
    expect(found.map(brief)).toEqual([
      { rule: 'nginx/hsts-without-always', at: 'site.conf:8', severity: 'low', related: ['site.conf:12 the same directive'] },
      { rule: 'nginx/hsts-on-plain-http', at: 'site.conf:20', severity: 'info', related: ['site.conf:22 the same directive'] },
    ]);
  });
});

describe('Django sees HTTPS as http behind proxy_pass: the redirect loop carries it', () => {
  const SEES = ['cross/ssl-redirect-loop', 'cross/django-sees-http'];
  it('folds cross/django-sees-http into the loop when SECURE_SSL_REDIRECT is on', () => {
    expect(scan('loop_proxy', SEES).map(brief)).toEqual([
      { rule: 'cross/ssl-redirect-loop', at: 'nginx.conf:15', severity: 'high', related: ['app/settings.py:12 SECURE_SSL_REDIRECT = True in app/settings.py', 'app/settings.py:12 cross/django-sees-http'] },
    ]);
  });

  it('reports it alone, on the settings, without the redirect', () => {
    const { result } = analyse({ root: path.join(__dirname, 'loop_proxy'), config: { rules: { 'cross/ssl-redirect-loop': 'off' } } });
    expect(result.findings.filter((f) => SEES.includes(f.ruleId)).map(brief)).toEqual([
      { rule: 'cross/django-sees-http', at: 'app/settings.py:12', severity: 'medium', related: ['nginx.conf:15 proxy_pass passes HTTPS requests to Django, which sees them as plain HTTP'] },
    ]);
  });
});
