import { describe, expect, it } from 'vitest';
import { SourceText } from '../../src/parsers/source';
import { readUwsgiOptions, type UwsgiReader } from '../../src/model/deploy/uwsgi';

function reader(files: Record<string, string>): UwsgiReader {
  return {
    read: (rel) => files[rel],
    resolve: (_from, raw) => (raw.startsWith('/') ? { outside: `uwsgi include "${raw}" is outside the workspace, not read` } : raw in files ? { rel: raw } : undefined),
    source: (rel) => new SourceText(rel, files[rel] ?? ''),
    problems: [],
    includeProblems: [],
    loops: new Set(),
    cache: new Map(),
  };
}

describe('uwsgi reader', () => {
  it('keeps repeated keys in order, resolves placeholders (first definition wins) and marks opaque and conditional values', () => {
    const r = reader({
      'a.ini': '[uwsgi]\nbase = /srv\nbase = /other\nchdir = %(base)/app\nenv = A=$(HOME)\nif-env = X\nroute-run = setscheme:https\nendif =\nenv = B=%(nope)\n[dev]\nenv = HTTPS=on\n',
    });
    const got = readUwsgiOptions('a.ini', r).map((o) => [o.name, o.value, o.loc.line, o.opaque, o.conditional]);
    expect(got).toEqual([
      ['base', '/srv', 2, false, false],
      ['base', '/other', 3, false, false],
      ['chdir', '/srv/app', 4, false, false],
      ['env', 'A=$(HOME)', 5, true, false],
      ['route-run', 'setscheme:https', 7, false, true],
      ['env', 'B=%(nope)', 9, true, false],
    ]);
  });

  it('follows ini = file:section and :section, reports a cycle once and an outside include as unresolved', () => {
    const r = reader({
      'a.ini': '[uwsgi]\nini = b.ini:prod\nini = :extra\ninclude = /etc/uwsgi/x.ini\n[extra]\nenv = E=1\n',
      'b.ini': '[prod]\nsocket = :3031\nini = a.ini\n',
    });
    const names = readUwsgiOptions('a.ini', r).map((o) => `${o.loc.path}:${o.name}=${o.value}`);
    expect(names).toContain('b.ini:socket=:3031');
    expect(names).toContain('a.ini:env=E=1');
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringMatching(/includes itself \(a\.ini -> b\.ini:prod -> a\.ini\)/)]);
    expect(r.includeProblems.map((p) => p.kind)).toEqual(['outside']);
    readUwsgiOptions('b.ini:prod', r);
    expect(r.problems).toHaveLength(1);
  });

  it('stays bounded when one file loads a large one many times, or includes fan out at every level', () => {
    const big = `[uwsgi]\n${Array.from({ length: 2000 }, (_, i) => `opt${i} = ${i}`).join('\n')}\n`;
    const fan = `[uwsgi]\n${'ini = big.ini\n'.repeat(5000)}`;
    const files: Record<string, string> = { 'fan.ini': fan, 'big.ini': big };
    // 20 levels, each loading the next twice: 2^20 loads without a budget.
    for (let i = 0; i < 20; i++) files[`l${i}.ini`] = `[uwsgi]\nini = l${i + 1}.ini\nini = l${i + 1}.ini\nx = ${i}\n`;
    files['l20.ini'] = '[uwsgi]\ny = 1\n';
    const r = reader(files);
    expect(readUwsgiOptions('fan.ini', r).length).toBeLessThanOrEqual(20_000);
    expect(readUwsgiOptions('l0.ini', r).length).toBeLessThanOrEqual(20_000);
    expect(r.problems.some((p) => /not analysed/.test(p.message))).toBe(true);
  }, 60_000);

  it('reads placeholders and magic variables in one linear pass, however many there are', () => {
    const value = '%(a)'.repeat(100_000) + '%d'.repeat(100_000) + '$('.repeat(400_000) + '%('.repeat(400_000);
    const r = reader({ 'deploy/a.ini': `[uwsgi]\na = x\nb = ${value}\n` });
    const b = readUwsgiOptions('deploy/a.ini', r).find((o) => o.name === 'b')!;
    expect(b.value.startsWith('x'.repeat(100_000) + 'deploy/')).toBe(true);
  }, 60_000);

  it('yaml: uWSGI reads `key: value` lines under uwsgi:, # comments anywhere, and rejects a line without a colon', () => {
    const r = reader({ 'u.yml': 'uwsgi:\n  env: HTTPS=on # note\n  env: B=2\n  garbage\nother:\n  env: X=1\n' });
    expect(readUwsgiOptions('u.yml', r).map((o) => [o.value, o.loc.line])).toEqual([['HTTPS=on', 2], ['B=2', 3]]);
    expect(r.problems.map((p) => p.loc.line)).toEqual([4]);
  });
});

describe('gunicorn config reader', () => {
  it('finds a setting after any number of other statements, and a plain assignment wins over a conditional one', async () => {
    const { readGunicornConfig } = await import('../../src/model/deploy/gunicorn');
    const filler = Array.from({ length: 60_000 }, (_, i) => `x${i} = ${i}`).join('\n');
    const c = readGunicornConfig(new SourceText('g.py', `if DEBUG:\n    forwarded_allow_ips = "10.0.0.1"\n${filler}\nforwarded_allow_ips = "*"\nbind = ["0.0.0.0:8000", "unix:/run/g.sock"]\n`));
    expect([c.forwardedAllowIps?.value, c.forwardedAllowIps?.conditional, c.forwardedAllowIps?.loc.line, c.bind?.value]).toEqual([['*'], false, 60_003, ['0.0.0.0:8000', 'unix:/run/g.sock']]);
    const only = readGunicornConfig(new SourceText('g.py', 'import os\nif os.environ.get("X"):\n    forwarded_allow_ips = "*"\nsecure_scheme_headers = {"X-FORWARDED-PROTO": os.environ["V"]}\n'));
    expect([only.forwardedAllowIps?.conditional, only.secureSchemeHeaders?.value]).toEqual([true, undefined]);
  }, 120_000);
});
