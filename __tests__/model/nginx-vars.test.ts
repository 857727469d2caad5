import { describe, expect, it } from 'vitest';
import { conditionTruth, rewriteOutcome } from '../../src/rules/nginx/_hsts-util';
import { analyseFiles } from './helpers';

function server(text: string) {
  const { model, result } = analyseFiles({ 'nginx/site.conf': text });
  return { model, result, s: model.nginx.servers[0] };
}

describe('nginx variables for one scheme', () => {
  it('follows set chains, concatenation and maps into if conditions', () => {
    const { s } = server(`map $scheme $plain { http yes; default no; }
map $plain $go { yes 1; default 0; }
server {
    listen 80;
    listen 443 ssl;
    server_name example.com;
    set $r "";
    if ($scheme = http) { set $r "O"; }
    if ($server_port = 80) { set $r "\${r}K"; }
    if ($r = OK) { return 301 https://$host$request_uri; }
    if ($go) { return 308 https://$host$request_uri; }
}
`);
    const ifs = s.block.block!.filter((d) => d.name === 'if');
    expect(conditionTruth(ifs[2], 'http', s)).toBe('true');
    expect(conditionTruth(ifs[2], 'https', s)).toBe('false');
    expect(conditionTruth(ifs[3], 'http', s)).toBe('true');
    expect(conditionTruth(ifs[3], 'https', s)).toBe('false');
    expect(rewriteOutcome(s.block, 'http', s).kind).toBe('return');
    expect(rewriteOutcome(s.block, 'https', s).kind).toBe('through');
  });

  it('tells a condition that depends on the request (mixed) from one nothing evaluates (unknown)', () => {
    const { s } = server(`geo $office { default 0; 10.0.0.0/8 1; }
server {
    listen 80;
    server_name example.com;
    if ($host = example.com) { return 301 https://example.com$request_uri; }
    if ($office) { return 301 https://example.com$request_uri; }
}
`);
    const ifs = s.block.block!.filter((d) => d.name === 'if');
    expect(conditionTruth(ifs[0], 'http', s)).toBe('mixed');
    expect(conditionTruth(ifs[1], 'http', s)).toBe('unknown');
    expect(rewriteOutcome(s.block, 'http', s).kind).toBe('unknown');
  });

  it('stays bounded on chained maps and thousands of set/if lines', () => {
    const maps = Array.from({ length: 12 }, (_, i) =>
      `map $v${i + 1} $v${i} {\n${Array.from({ length: 300 }, (_, k) => `  k${k} "$v${i + 1}$v${i + 1}";`).join('\n')}\n  default "$v${i + 1}";\n}`,
    ).join('\n');
    const body = Array.from({ length: 3000 }, (_, i) => `    set $a${i} "$v0$a${i > 0 ? i - 1 : 0}";\n    if ($a${i} = x) { set $b${i} 1; }`).join('\n');
    const text = `map $http_x $v12 { default a; x b; }\n${maps}\nserver {\n    listen 80;\n    server_name example.com;\n${body}\n    if ($a2999 = y) { return 301 https://$host$request_uri; }\n    location / { proxy_pass http://127.0.0.1:8000; }\n}\n`;
    const { result } = server(text);
    // Whatever the verdict, it comes: an undecidable redirect is not reported as "not redirected".
    expect(result.findings.filter((f) => f.ruleId === 'nginx/http-not-redirected')).toEqual([]);
  }, 60_000);
});
