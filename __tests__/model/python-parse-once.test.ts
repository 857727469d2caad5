import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Every parse of the scan goes through parsePython: count them by text.
const parsed = vi.hoisted(() => new Map<string, number>());
vi.mock('../../src/parsers/python/parse', async (original) => {
  const real = await original<typeof import('../../src/parsers/python/parse')>();
  return {
    ...real,
    parsePython: (text: string) => {
      parsed.set(text, (parsed.get(text) ?? 0) + 1);
      return real.parsePython(text);
    },
  };
});

const { analyse } = await import('../../src/engine/scan');
const { parsePythonOnce, withPythonParseCache } = await import('../../src/parsers/python/scan-cache');

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  parsed.clear();
});

function workspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-parse-once-')));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

// A project whose Python files are read by several parts of the scan: the template check (`{{` in a comment), the
// deploy model (wsgi.py, manage.py, gunicorn.conf.py named by compose), the shared evaluator, and the evaluator
// of the compose environment (it sets a name the settings read, so the chain is evaluated again with it).
const FILES = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
  'proj/__init__.py': '',
  'proj/wsgi.py': 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\napplication = get_wsgi_application()\n',
  'proj/settings/__init__.py': '',
  'proj/settings/base.py': 'import os\n# {{ kept as a comment }}\nSECURE_SSL_REDIRECT = os.environ.get("SSL", "False") == "True"\nSESSION_COOKIE_SECURE = False\n',
  'proj/settings/production.py': 'from .base import *\nDEBUG = False\n',
  'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nwsgi_app = "proj.wsgi:application"\n',
  'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn -c gunicorn.conf.py proj.wsgi\n    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.production\n      SSL: "True"\n',
};

describe('Python parses within a scan', () => {
  it('parse each file once, whichever parts of the scan read it', () => {
    const root = workspace(FILES);
    const { result } = analyse({ root });
    expect(result.files.map((f) => f.path)).toEqual(expect.arrayContaining(['proj/settings/base.py', 'proj/settings/production.py', 'proj/wsgi.py']));
    // What was read: the settings chain, wsgi.py, manage.py and the gunicorn config.
    for (const p of ['proj/settings/base.py', 'proj/settings/production.py', 'proj/wsgi.py', 'manage.py', 'gunicorn.conf.py']) {
      expect(parsed.get(FILES[p as keyof typeof FILES]), p).toBe(1);
    }
    expect([...parsed.values()].every((n) => n === 1)).toBe(true);
  });

  it('are not kept once the scan is over', () => {
    const root = workspace(FILES);
    analyse({ root });
    analyse({ root });
    expect(parsed.get(FILES['proj/wsgi.py'])).toBe(2);
    parsePythonOnce('X = 1\n');
    parsePythonOnce('X = 1\n');
    expect(parsed.get('X = 1\n')).toBe(2);
    withPythonParseCache(() => {
      parsePythonOnce('Y = 1\n');
      parsePythonOnce('Y = 1\n');
    });
    expect(parsed.get('Y = 1\n')).toBe(1);
  });
});
