// Shared by `npm run grammar` and the CI agreement test: lists Debian's Python sources and asks CPython which of
// them it accepts. CPython only parses them (ast.parse); nothing is imported or executed.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's interpreter; the `python3` first on PATH may be another one. */
export const PYTHON = '/usr/bin/python3';

/** The standard library of PYTHON and Debian's dist-packages, or undefined when PYTHON is missing. */
export function pythonRoots() {
  if (!existsSync(PYTHON)) return undefined;
  const r = spawnSync(PYTHON, ['-I', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return [r.stdout.trim(), '/usr/lib/python3/dist-packages'].filter((d) => existsSync(d));
}

/** Every regular `.py` file under the roots, sorted; symlinks are not followed. */
export function listPythonFiles(roots) {
  const out = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
    }
  };
  for (const root of roots) if (lstatSync(root).isDirectory()) walk(root);
  return out.sort();
}

/** A deterministic sample of n files spread evenly over the sorted list. */
export function sample(files, n) {
  if (files.length <= n) return files;
  const step = files.length / n;
  return Array.from({ length: n }, (_, i) => files[Math.floor(i * step)]);
}

const CHECK = `
import ast, sys, warnings
warnings.simplefilter("ignore")
for line in sys.stdin.buffer.read().split(b"\\0"):
    if not line:
        continue
    path = line.decode("utf-8", "surrogateescape")
    try:
        with open(path, "rb") as f:
            data = f.read()
        data.decode("utf-8")
        ast.parse(data, path)
    except Exception:
        continue
    sys.stdout.buffer.write(line + b"\\0")
`;

/**
 * The files that CPython's parser accepts and that are UTF-8 (HTTPS Guard reads UTF-8 only), in one Python
 * process for all of them.
 */
export function acceptedByCPython(files) {
  const r = spawnSync(PYTHON, ['-I', '-S', '-c', CHECK], { input: files.join('\0'), maxBuffer: 1 << 28, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${PYTHON} failed: ${r.stderr}`);
  return new Set(r.stdout.split('\0').filter(Boolean));
}

/**
 * Parses every accepted file with `parse` (text => number of syntax errors found) and returns the files that
 * disagree, the bytes parsed and the time spent in `parse`.
 */
export function agreement(files, accepted, parse) {
  const disagree = [];
  let bytes = 0;
  let ms = 0;
  let count = 0;
  for (const f of files) {
    if (!accepted.has(f)) continue;
    const text = readFileSync(f, 'utf8');
    count++;
    bytes += Buffer.byteLength(text);
    const t = performance.now();
    const errors = parse(text);
    ms += performance.now() - t;
    if (errors.length > 0) disagree.push({ file: f, errors });
  }
  return { count, disagree, bytes, ms };
}
