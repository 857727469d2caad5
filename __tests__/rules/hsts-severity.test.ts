// Severities nginx/hsts-missing picks where Django's own HSTS is decided only at run time (the fixture tester checks
// only where it fires).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseFiles } from '../model/helpers';

const RULE = 'nginx/hsts-missing';
const DIR = path.join(__dirname, 'nginx/hsts-missing/django_hsts_conditional');
const files = {
  'deploy/nginx.conf': fs.readFileSync(path.join(DIR, 'deploy/nginx.conf'), 'utf8'),
  'proj/settings.py': fs.readFileSync(path.join(DIR, 'proj/settings.py'), 'utf8'),
};
const hsts = (f: Record<string, string>) => analyseFiles(f).result.findings.filter((x) => x.ruleId === RULE);
const withoutStatic = (conf: string) => conf.replace(/ {4}location \/static\/ \{[^}]*\}\n\n/, '');

describe(`${RULE} where Django's HSTS depends on the environment`, () => {
  it('is medium while nginx serves files itself, and says Django may send it for the app', () => {
    const f = hsts(files);
    expect(f.map((x) => x.severity)).toEqual(['medium']);
    expect(f[0].message).toMatch(/Django may send it for the app: in proj\/settings\.py, SECURE_HSTS_SECONDS depends on/);
  });

  it('is low where every end point is the app', () => {
    expect(withoutStatic(files['deploy/nginx.conf'])).not.toMatch(/location \/static/);
    expect(hsts({ ...files, 'deploy/nginx.conf': withoutStatic(files['deploy/nginx.conf']) }).map((x) => x.severity)).toEqual(['low']);
  });

  it('stays high where every possibility leaves HSTS off, or SecurityMiddleware is not there', () => {
    const off = files['proj/settings.py'].replace('SECURE_HSTS_SECONDS = 31536000', 'SECURE_HSTS_SECONDS = 0');
    expect(hsts({ ...files, 'proj/settings.py': off }).map((x) => x.severity)).toEqual(['high']);
    const noMiddleware = files['proj/settings.py'].replace('    "django.middleware.security.SecurityMiddleware",\n', '');
    expect(hsts({ ...files, 'proj/settings.py': noMiddleware }).map((x) => x.severity)).toEqual(['high']);
  });
});
