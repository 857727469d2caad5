// Severities wsgi/url-scheme-from-header picks where the app server is published (the fixture tester checks only
// where it fires).
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { analyseFiles } from '../model/helpers';
import * as fs from 'node:fs';

const RULE = 'wsgi/url-scheme-from-header';
const DIR = path.join(__dirname, RULE, 'published_app_server');

describe(`${RULE} where compose publishes the app server`, () => {
  it('is medium on a public host port, naming the port and the server', () => {
    const f = analyse({ root: DIR }).result.findings.filter((x) => x.ruleId === RULE);
    expect(f.map((x) => x.severity)).toEqual(['medium']);
    expect(f[0].message).toMatch(/compose service web publishes `80:8080` \(docker-compose\.yml:6\) for gunicorn on `:8080` \(Dockerfile:4\), so clients reach the app server directly/);
  });

  it('stays low on loopback only (a proxy on the host may overwrite the header)', () => {
    const files: Record<string, string> = {};
    for (const rel of ['proj/wsgi.py', 'proj/settings.py', 'Dockerfile', 'docker-compose.yml']) files[rel] = fs.readFileSync(path.join(DIR, rel), 'utf8');
    files['docker-compose.yml'] = files['docker-compose.yml'].replace('"80:8080"', '"127.0.0.1:8080:8080"');
    expect(files['docker-compose.yml']).toContain('127.0.0.1:8080:8080');
    const f = analyseFiles(files).result.findings.filter((x) => x.ruleId === RULE);
    expect(f.map((x) => x.severity)).toEqual(['low']);
  });
});
