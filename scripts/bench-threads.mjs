#!/usr/bin/env node
// npm run bench:threads [-- --projects N --runs R --threads 1,2,4]: builds a monorepo of Django deployments whose
// settings are large enough for parsing to matter, scans it with the CLI at each thread count (a fresh process
// each time), prints the Python phase (parsing and evaluation) and the whole scan, and checks that the JSON
// reports are byte-identical at every thread count. --generate-only DIR writes the tree and stops.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = process.env.HTTPS_GUARD_BENCH_CLI ?? join(here, '..', 'dist', 'cli', 'index.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : process.argv[i + 1];
};
const PROJECTS = Number(arg('projects', 200));
const RUNS = Number(arg('runs', 3));
const THREADS = String(arg('threads', '1,2,4')).split(',').map(Number);

export function settings(i) {
  const lines = [`"""Settings of project ${i}."""`, 'import os', 'from pathlib import Path', '', 'BASE_DIR = Path(__file__).resolve().parent.parent', `SECRET_KEY = os.environ.get("SECRET_KEY", "dev-${i}")`, 'DEBUG = False', `ALLOWED_HOSTS = ["p${i}.example.com"]`, 'INSTALLED_APPS = ['];
  for (let k = 0; k < 40; k++) lines.push(`    "p${i}.app${k}",`);
  lines.push(']', 'MIDDLEWARE = [', '    "django.middleware.security.SecurityMiddleware",', '    "django.contrib.sessions.middleware.SessionMiddleware",', ']');
  // Settings modules grow with feature flags, logging and per-service dictionaries: parsing them is the cost.
  for (let k = 0; k < 120; k++) {
    lines.push(`FEATURE_${k} = os.environ.get("FEATURE_${k}", "off") == "on"  # flag ${k}`);
    lines.push(`SERVICE_${k} = {"url": f"https://svc${k}.p${i}.example.com/api", "timeout": ${k % 30}, "retries": [1, 2, ${k}]}`);
    if (k % 10 === 0) lines.push(`if FEATURE_${k}:`, `    INSTALLED_APPS += ["p${i}.extra${k}"]`, 'else:', `    SERVICE_${k}["timeout"] = 5`);
  }
  lines.push('SECURE_SSL_REDIRECT = True', 'SESSION_COOKIE_SECURE = True', 'CSRF_COOKIE_SECURE = True', `SECURE_HSTS_SECONDS = ${i % 2 ? 31536000 : 3600}`, '');
  return lines.join('\n');
}

/**
 * `entryPoints`: each project also has a Procfile starting gunicorn on the port its nginx passes to; `nginxEvery`:
 * only every n-th project has an nginx config.
 */
export function generate(root, projects, entryPoints = false, nginxEvery = 1) {
  for (let i = 0; i < projects; i++) {
    const w = (rel, text) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    w(`p${i}/manage.py`, `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "p${i}.settings")\n`);
    w(`p${i}/p${i}/__init__.py`, '');
    w(`p${i}/p${i}/settings.py`, settings(i));
    w(`p${i}/p${i}/wsgi.py`, `import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "p${i}.settings")\napplication = get_wsgi_application()\n`);
    if (entryPoints) w(`p${i}/Procfile`, `web: DJANGO_SETTINGS_MODULE=p${i}.settings gunicorn p${i}.wsgi:application --bind 127.0.0.1:${8000 + i}\n`);
    if (i % nginxEvery === 0) w(`p${i}/nginx.conf`, `server {\n    listen 443 ssl;\n    server_name p${i}.example.com;\n    ssl_certificate /etc/ssl/p${i}.pem;\n    ssl_certificate_key /etc/ssl/p${i}.key;\n    location / {\n        proxy_pass http://127.0.0.1:${8000 + i};\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n`);
  }
}

function scan(root, threads) {
  const t = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [cli, '--root', root, '--format', 'json', '--fail-on', 'never', '--jobs', String(threads)], {
    env: { ...process.env, HTTPS_GUARD_TIMING: 'json' },
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (child.status !== 0) throw new Error(`scan failed (${child.status}): ${child.stderr}`);
  const timing = JSON.parse(child.stderr.toString().trim().split('\n').pop());
  return { ms, out: child.stdout.toString(), timing };
}

function main() {
const only = arg('generate-only', undefined);
if (only) {
  generate(only, PROJECTS);
  return;
}
const root = mkdtempSync(join(tmpdir(), 'hg-threads-'));
try {
  generate(root, PROJECTS);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [];
  let reference;
  for (const threads of THREADS) {
    const python = [];
    const total = [];
    let used;
    for (let r = 0; r < RUNS; r++) {
      const { ms, out, timing } = scan(root, threads);
      reference ??= out;
      if (out !== reference) throw new Error(`the report at ${threads} threads differs from the one at ${THREADS[0]}`);
      python.push(timing.phases.python);
      total.push(ms);
      used = timing.threads?.threads ?? 1;
    }
    rows.push({ threads, used, python: median(python), total: median(total) });
  }
  const base = rows[0];
  console.log(`${PROJECTS} projects, ${(Buffer.byteLength(settings(0)) * PROJECTS / 1048576).toFixed(1)} MB of settings, median of ${RUNS} runs; reports byte-identical at ${THREADS.join(', ')} threads`);
  console.log('threads  used  python phase ms  speed-up  scan ms  speed-up');
  for (const r of rows) {
    console.log(`${String(r.threads).padStart(7)}  ${String(r.used).padStart(4)}  ${r.python.toFixed(0).padStart(15)}  ${(base.python / r.python).toFixed(2).padStart(8)}  ${r.total.toFixed(0).padStart(7)}  ${(base.total / r.total).toFixed(2).padStart(8)}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
}

// Imported by the tests for its generator: run only as a script.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
