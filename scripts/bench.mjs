#!/usr/bin/env node
// npm run bench [-- --projects N --runs R | --generate-only DIR]: builds a synthetic monorepo of Django deployments, then times
// (a) walking it and reading every file and (b) a full `https-guard` scan of it, each in a fresh process.
// Prints files/s, MB/s and peak RSS, and checks the scan stays within 3x the plain read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// HTTPS_GUARD_BENCH_CLI: measure another build of the CLI (e.g. one bundled from a working tree into a temporary folder).
const cli = process.env.HTTPS_GUARD_BENCH_CLI ?? join(here, '..', 'dist', 'cli', 'index.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const PROJECTS = arg('projects', 400);
const RUNS = arg('runs', 3);
const MAX_RATIO = 3;
const NGINX_FILES = arg('nginx-files', 300);

// A deterministic generator, so every run measures the same tree.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

function baseSettings(i) {
  const apps = ['django.contrib.admin', 'django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions', 'django.contrib.messages', 'django.contrib.staticfiles', `app${i}.core`, `app${i}.billing`];
  return `"""Base settings for project ${i}."""
import os
from pathlib import Path

import environ

env = environ.Env(DEBUG=(bool, False))
BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-${'k'.repeat(50)}")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["p${i}.example.com"])

INSTALLED_APPS = [
${apps.map((a) => `    "${a}",`).join('\n')}
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "p${i}.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://localhost/p${i}")}
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
if DEBUG:
    INSTALLED_APPS += ["debug_toolbar"]
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
`;
}

function productionSettings() {
  return `from .base import *  # noqa

SESSION_COOKIE_SECURE = ${pick(['True', 'False', 'env.bool("SESSION_COOKIE_SECURE", default=True)'])}
CSRF_COOKIE_SECURE = ${pick(['True', 'False'])}
SECURE_SSL_REDIRECT = ${pick(['True', 'False'])}
SECURE_HSTS_SECONDS = ${pick(['0', '3600', '60 * 60 * 24 * 365 * 2'])}
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ${pick(['("HTTP_X_FORWARDED_PROTO", "https")', '("X-Forwarded-Proto", "https")'])}
`;
}

function appModule(i, j) {
  const lines = [`"""Application code ${i}.${j} (not a deployment file)."""`, 'from django.db import models', ''];
  for (let k = 0; k < 12; k++) {
    lines.push(`class Model${k}(models.Model):`, `    name = models.CharField(max_length=${100 + k})`, `    created = models.DateTimeField(auto_now_add=True)`, '', `    def __str__(self):`, `        return f"{self.name} #${k}"`, '');
  }
  return lines.join('\n');
}

function template(i) {
  return `<!doctype html>\n<html><head><title>Project ${i}</title></head>\n<body>\n${'<p>{{ content }}</p>\n'.repeat(300)}</body></html>\n`;
}

function staticAsset(i, j) {
  return `/* bundle ${i}.${j} */\n${`function f${j}(a, b) { return document.querySelectorAll(a).forEach((e) => e.classList.toggle(b)); }\n`.repeat(400)}`;
}

function binaryAsset(n) {
  const b = Buffer.alloc(n);
  for (let k = 0; k < n; k++) b[k] = Math.floor(rand() * 256);
  return b;
}

function nginxSite(i) {
  const locations = Array.from({ length: 12 }, (_, k) =>
    k < 3
      ? `    location /api/v${k}/ {
        include uwsgi_params;
        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;
        uwsgi_pass p${i};
    }
`
      : `    location /static/v${k}/ {
        alias /srv/p${i}/static/v${k}/;
        expires 30d;
        add_header X-Frame-Options DENY;
    }
`,
  ).join('');
  return `upstream p${i} {
    server unix:/run/uwsgi/p${i}.sock;
}

server {
    listen 80;
    server_name p${i}.example.com;
    return 301 https://$host$request_uri;
}

server {
    listen 443 ssl;
    server_name p${i}.example.com;
    ssl_certificate /etc/ssl/p${i}.pem;
    ssl_certificate_key /etc/ssl/p${i}.key;
    ssl_protocols ${pick(['TLSv1.2 TLSv1.3', 'TLSv1 TLSv1.1 TLSv1.2'])};
    ssl_ciphers ${pick(['ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256', 'HIGH:!aNULL:!MD5'])};
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;

${locations}}
`;
}

function generateNginx(root) {
  let bytes = 0;
  mkdirSync(join(root, 'nginx', 'sites-available'), { recursive: true });
  for (let k = 0; k < NGINX_FILES; k++) {
    const text = Array.from({ length: 25 }, (_, j) => nginxSite(k * 100 + j)).join('\n');
    writeFileSync(join(root, 'nginx', 'sites-available', `big${k}.conf`), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

function generate(root) {
  for (let i = 0; i < PROJECTS; i++) {
    const p = join(root, `p${i}`);
    const w = (rel, text) => {
      mkdirSync(dirname(join(p, rel)), { recursive: true });
      writeFileSync(join(p, rel), text);
    };
    w(`p${i}/__init__.py`, '');
    w(`p${i}/settings/__init__.py`, '');
    w(`p${i}/settings/base.py`, baseSettings(i));
    w(`p${i}/settings/production.py`, productionSettings());
    w(`p${i}/settings/dev.py`, 'from .base import *  # noqa\n\nDEBUG = True\n');
    w(`deploy/nginx/sites-available/p${i}.conf`, nginxSite(i));
    w(`p${i}/wsgi.py`, `import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "p${i}.settings.production")\napplication = get_wsgi_application()\n`);
    // The rest of a typical project, which a deployment scan walks past: app code, templates, assets, fixtures.
    for (let j = 0; j < 8; j++) w(`app${i}/m${j}/models.py`, appModule(i, j));
    for (let j = 0; j < 8; j++) w(`templates/page${j}.html`, template(i));
    for (let j = 0; j < 3; j++) w(`static/js/bundle${j}.js`, staticAsset(i, j));
    w('static/img/logo.png', binaryAsset(24_000));
    w(`fixtures/initial.json`, JSON.stringify(Array.from({ length: 300 }, (_, k) => ({ model: `app${i}.item`, pk: k, fields: { name: `item ${k}` } }))));
    w('README.md', `# Project ${i}\n\n${'Some words about the project. '.repeat(40)}\n`);
  }
}

function timed(args, env = {}) {
  const rusageFile = join(tmpdir(), `hg-bench-${process.pid}-${Date.now()}.json`);
  const t = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', join(here, 'bench-rusage.mjs'), ...args], {
    env: { ...process.env, ...env, BENCH_RUSAGE_OUT: rusageFile },
    maxBuffer: 1 << 30,
  });
  if (child.status !== 0 && child.status !== 1) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const usage = JSON.parse(readFileSync(rusageFile, 'utf8'));
  rmSync(rusageFile, { force: true });
  return { ms, usage, stdout: child.stdout.toString(), stderr: child.stderr.toString() };
}

const timing = (run) => JSON.parse(run.stderr.trim().split('\n').pop());
const pythonRate = (run) => {
  const t = timing(run).pythonParse;
  return t ? t.bytes / 1e6 / (t.ms / 1000) : NaN;
};
const pythonModelRate = (run) => {
  const t = timing(run);
  return ((t.bytes['django-settings'] ?? 0) + (t.bytes.wsgi ?? 0)) / 1e6 / (t.phases.python / 1000);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const outIdx = process.argv.indexOf('--generate-only');
if (outIdx !== -1) {
  // For profiling: write the trees to the given folder and stop.
  generate(join(process.argv[outIdx + 1], 'projects'));
  generateNginx(join(process.argv[outIdx + 1], 'nginx-only'));
  process.exit(0);
}

const root = mkdtempSync(join(tmpdir(), 'hg-bench-'));
try {
  generate(root);
  const reads = [];
  const scans = [];
  let tree;
  let result;
  for (let r = 0; r < RUNS; r++) {
    const read = timed([join(here, 'bench-read.mjs'), root]);
    tree = JSON.parse(read.stdout);
    reads.push(read);
    const scan = timed([cli, root, '--format', 'json', '--fail-on', 'never'], { HTTPS_GUARD_TIMING: 'json' });
    result = JSON.parse(scan.stdout);
    scans.push(scan);
  }
  const readMs = median(reads.map((x) => x.ms));
  const scanMs = median(scans.map((x) => x.ms));
  const mb = tree.bytes / 1e6;
  const analysed = result.files.length;
  const ratio = scanMs / readMs;
  const failures = [];
  const rows = [
    ['projects', PROJECTS],
    ['files in tree', tree.files],
    ['tree size', `${mb.toFixed(1)} MB`],
    ['deployment files analysed', analysed],
    ['findings', result.findings.length],
    ['read every file (median of ' + RUNS + ')', `${readMs.toFixed(0)} ms`],
    ['full scan (median of ' + RUNS + ')', `${scanMs.toFixed(0)} ms`],
    ['scan throughput', `${(tree.files / (scanMs / 1000)).toFixed(0)} files/s, ${(mb / (scanMs / 1000)).toFixed(1)} MB/s`],
    ['scan / read time', `${ratio.toFixed(2)}x (limit ${MAX_RATIO}x)`],
    ['peak RSS, scan', `${(median(scans.map((x) => x.usage.maxRssKiB)) / 1024).toFixed(0)} MiB`],
    ['python parser (grammar + checks)', `${median(scans.map((x) => pythonRate(x))).toFixed(1)} MB/s of ${(median(scans.map((x) => timing(x).pythonParse?.bytes ?? 0)) / 1e6).toFixed(2)} MB (target 10 MB/s)`],
    ['python model (parse + interpret)', `${median(scans.map((x) => pythonModelRate(x))).toFixed(1)} MB/s`],
    ['peak RSS, read', `${(median(reads.map((x) => x.usage.maxRssKiB)) / 1024).toFixed(0)} MiB`],
  ];
  // nginx parse throughput: a tree of large nginx configs only, scanned end to end (parse, model, rules).
  const nginxRoot = mkdtempSync(join(tmpdir(), 'hg-bench-nginx-'));
  try {
    const nginxBytes = generateNginx(nginxRoot);
    const runs = Array.from({ length: RUNS }, () => timed([cli, nginxRoot, '--format', 'json', '--fail-on', 'never'], { HTTPS_GUARD_TIMING: 'json' }));
    const ms = median(runs.map((r) => r.ms));
    const parseRates = runs.map((r) => {
      const t = JSON.parse(r.stderr.trim().split('\n').pop());
      return t.nginxParse.bytes / 1e6 / (t.nginxParse.ms / 1000);
    });
    rows.push(['nginx-only tree', `${(nginxBytes / 1e6).toFixed(1)} MB in ${NGINX_FILES} files`]);
    rows.push(['nginx parser (tokenizer + blocks)', `${median(parseRates).toFixed(1)} MB/s (target 20 MB/s)`]);
    rows.push(['nginx full scan throughput', `${(nginxBytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s (${ms.toFixed(0)} ms: includes, model, all rules, process start)`]);
    if (median(parseRates) < 20) failures.push('the nginx parser ran below 20 MB/s');
  } finally {
    rmSync(nginxRoot, { recursive: true, force: true });
  }
  for (const [k, v] of rows) console.log(`${String(k).padEnd(34)} ${v}`);
  if (ratio > MAX_RATIO) failures.push(`the scan took ${ratio.toFixed(2)}x the plain read (limit ${MAX_RATIO}x)`);
  if (failures.length > 0) {
    console.log(`FAIL: ${failures.join('; ')}`);
    process.exitCode = 1;
  } else console.log('PASS');
} finally {
  rmSync(root, { recursive: true, force: true });
}
