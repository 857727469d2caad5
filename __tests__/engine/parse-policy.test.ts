import { describe, expect, it } from 'vitest';
import parseError from '../../src/rules/parse/error';
import type { DeploymentModel } from '../../src/model';
import type { Report } from '../../src/rules/types';
import { analyseFiles } from '../model/helpers';

const SETTINGS = `SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
INSTALLED_APPS = ["django.contrib.sessions"]
`;

describe('parse/error policy', () => {
  it('does not report a helper module that cannot be parsed, and leaves what is imported from it unknown', () => {
    const { result, model } = analyseFiles({
      'proj/__init__.py': '',
      'proj/settings.py': `${SETTINGS}from .helpers import cookie_flag\nSESSION_COOKIE_SECURE = cookie_flag\n`,
      'proj/helpers.py': 'cookie_flag = True\ndef broken(:\n    pass\n',
    });
    expect(result.findings.filter((f) => f.ruleId === 'parse/error')).toEqual([]);
    const v = model.settings[0].get('SESSION_COOKIE_SECURE');
    expect(v.state).toBe('unknown');
    expect(v.state === 'unknown' && v.why).toMatch(/proj\/helpers\.py has a syntax error/);
    expect(result.findings.filter((f) => f.ruleId === 'django/setting-unresolved').map((f) => f.line)).toEqual([6]);
  });

  it('still reports a settings module that a settings module imports', () => {
    const { result } = analyseFiles({
      'proj/__init__.py': '',
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': `${SETTINGS}MIDDLEWARE = [\n`,
      'proj/settings/production.py': 'from .base import *\nSESSION_COOKIE_SECURE = True\n',
    });
    expect(result.findings.filter((f) => f.ruleId === 'parse/error').map((f) => f.path)).toEqual(['proj/settings/base.py']);
  });

  it('reads a helper module that parses', () => {
    const { model } = analyseFiles({
      'proj/__init__.py': '',
      'proj/settings.py': `${SETTINGS}from .helpers import cookie_flag\nSESSION_COOKIE_SECURE = cookie_flag\n`,
      'proj/helpers.py': 'def gen():\n    yield\n\ncookie_flag = True\n',
    });
    const v = model.settings[0].get('SESSION_COOKIE_SECURE');
    expect(v.state === 'known' && v.value.t === 'bool' && v.value.v).toBe(true);
  });

  it('skips Jinja and cookiecutter templates with the reason "template"', () => {
    const { result } = analyseFiles({
      '{{cookiecutter.project_slug}}/settings.py': `${SETTINGS}SESSION_COOKIE_SECURE = False\n`,
      'tpl/settings.py': `${SETTINGS}{% if https %}\nSESSION_COOKIE_SECURE = True\n{% endif %}\n`,
    });
    expect(result.skipped.filter((s) => s.reason === 'template').map((s) => s.path).sort()).toEqual(['tpl/settings.py', '{{cookiecutter.project_slug}}/settings.py']);
    expect(result.files).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'parse/error')).toEqual([]);
  });

  it('scans valid Python that has template marks inside strings', () => {
    const { result } = analyseFiles({ 'proj/settings.py': `${SETTINGS}GREETING = "{{ name }} {% tag %}"\nX = f"{{{DEBUG}}}"\n` });
    expect(result.skipped.filter((s) => s.reason === 'template')).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['proj/settings.py']);
  });

  it('is high for a production file and medium otherwise', () => {
    const loc = (path: string) => ({ path, line: 1, column: 1, endLine: 1, endColumn: 1 });
    const diagnostics = [{ loc: loc('prod/settings.py'), message: 'Python syntax error' }, { loc: loc('dev/settings.py'), message: 'Python syntax error' }];
    const roles: Record<string, string> = { 'prod/settings.py': 'production', 'dev/settings.py': 'development' };
    const run = (model: object) => {
      const out: Report[] = [];
      parseError.check({ model: model as DeploymentModel, config: {} as never, report: (r) => out.push(r) });
      return out.map((r) => r.severity ?? parseError.meta.severity);
    };
    expect(run({ diagnostics, roleOf: (p: string) => ({ role: roles[p] }) })).toEqual(['high', 'medium']);
    expect(run({ diagnostics })).toEqual(['medium', 'medium']);
    // Production only because nothing marks it otherwise (no entry point deploys it): not known, medium.
    expect(run({ diagnostics, roleOf: (p: string) => ({ role: roles[p], source: 'default' }) })).toEqual(['medium', 'medium']);
    expect(run({ diagnostics, roleOf: (p: string) => ({ role: roles[p], source: 'entry-point' }) })).toEqual(['high', 'medium']);
    // A high one says what makes the file production.
    const messages: string[] = [];
    parseError.check({ model: { diagnostics, roleOf: (p: string) => ({ role: roles[p], source: 'entry-point', why: 'docker/Dockerfile:4 copies it' }) } as unknown as DeploymentModel, config: {} as never, report: (r) => messages.push(r.message) });
    expect(messages).toEqual(['Python syntax error (high: the deployment uses this file, docker/Dockerfile:4 copies it)', 'Python syntax error']);
  });
});

describe('one nginx syntax mistake, one finding', () => {
  it('reports a directive without ";" at the end of the file once, not again for the block it leaves open', () => {
    const { result } = analyseFiles({ 'conf.d/site.conf': 'server {\n    listen 443 ssl;\n    ssl_certificate /path/cert\n    ssl_certificate_key /path/key\n' });
    const errors = result.findings.filter((f) => f.ruleId === 'parse/error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/expecting ";" or "}"/);
  });
});
