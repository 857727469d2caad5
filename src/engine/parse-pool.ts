import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import { parsePython, pythonParseStats, type ParsedPython } from '../parsers/python/parse';
import { fromPlainParse, toPlain } from '../parsers/python/transfer';
import type { WorkerInput, WorkerResult } from './parse-worker';

/**
 * Below this much Python to parse, threads cost more than they save: a worker loads the parser and parses cold,
 * and its trees are rebuilt here. Measured on 2 cores (docs/performance.md): 0.34 MB of settings took 405 ms on
 * one thread and 570 ms on two; at 1.4 and 5.4 MB the two were even.
 */
export const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;
export const PARALLEL_MIN_FILES = 8;
export const MAX_JOBS = 4;

/**
 * Threads for a scan: `asked` (--jobs), else HTTPS_GUARD_JOBS, else the cores available up to 4; with fewer than
 * 3 cores, one (a single worker beside the main thread gained nothing at any size measured on 2 cores).
 */
export function resolveJobs(asked: number | undefined, env: string | undefined = process.env.HTTPS_GUARD_JOBS): number {
  if (asked !== undefined && Number.isInteger(asked) && asked >= 1) return asked;
  const fromEnv = env !== undefined && /^\d{1,3}$/.test(env.trim()) ? Number(env.trim()) : 0;
  if (fromEnv >= 1) return fromEnv;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores < 3 ? 1 : Math.min(cores, MAX_JOBS);
}

/** The worker script: bundled beside the main bundle; HTTPS_GUARD_PARSE_WORKER names another one (tests). */
export function workerScript(): string | undefined {
  const named = process.env.HTTPS_GUARD_PARSE_WORKER;
  const candidates = named ? [named] : [path.join(path.dirname(fileURLToPath(import.meta.url)), 'parse-worker', 'index.js')];
  return candidates.find((p) => fs.existsSync(p));
}

export interface PoolReport {
  threads: number;
  /** Why fewer threads than asked were used, when so. */
  why?: string;
}

/**
 * Parses the texts on `jobs` threads (this one and jobs-1 workers) and returns the results by text. The call is
 * synchronous: the main thread parses too and then blocks on a shared counter until the workers' results are in.
 * A worker that dies or stalls cannot hang the scan: while waiting, the main thread parses the missing texts
 * itself. The parser is deterministic, so who parsed a text does not change the result.
 */
export function parseInParallel(
  texts: string[],
  jobs: number,
  report?: PoolReport,
  min: { bytes: number; files: number } = { bytes: PARALLEL_MIN_BYTES, files: PARALLEL_MIN_FILES },
): Map<string, ParsedPython> {
  const unique = [...new Set(texts)].sort((a, b) => b.length - a.length);
  const out = new Map<string, ParsedPython>();
  const bytes = unique.reduce((n, t) => n + t.length, 0);
  const script = workerScript();
  const why =
    jobs <= 1 ? 'one job' : unique.length < min.files || bytes < min.bytes ? `below the threshold (${unique.length} files, ${bytes} bytes)` : !script ? 'no worker script beside the bundle' : undefined;
  if (report) Object.assign(report, { threads: why ? 1 : Math.min(jobs, unique.length), why });
  if (why) return out;
  // Loaded only when threads are used: it costs several milliseconds of every CLI start.
  const { MessageChannel, Worker, receiveMessageOnPort } = createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
  const control = new Int32Array(new SharedArrayBuffer(8));
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < Math.min(jobs, unique.length) - 1; i++) {
      const { port1, port2 } = new MessageChannel();
      const input: WorkerInput = { port: port2, control: control.buffer as SharedArrayBuffer, texts: unique };
      const w = new Worker(script!, { workerData: input, transferList: [port2] });
      w.unref();
      w.on('error', () => undefined);
      workers.push(w);
      ports.push(port1);
    }
    const missing = new Set(unique.keys());
    const take = (r: WorkerResult, here: boolean) => {
      if (!missing.delete(r.index)) return;
      const text = unique[r.index];
      out.set(text, fromPlainParse(text, r.plain));
      // Time on a worker counts as parser time too (parsePython counted what ran here).
      if (!here) {
        pythonParseStats.ms += r.ms;
        pythonParseStats.bytes += text.length;
      }
    };
    const drain = () => {
      for (const p of ports) for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) take(m.message as WorkerResult, false);
    };
    const parseHere = (index: number) => {
      const started = performance.now();
      const plain = toPlain(unique[index], parsePython(unique[index]));
      // Through the plain form too, so a text gives the same tree whichever thread parsed it.
      take({ index, ms: performance.now() - started, plain }, true);
    };
    for (;;) {
      const index = Atomics.add(control, 1, 1);
      if (index >= unique.length) break;
      parseHere(index);
      drain();
    }
    while (missing.size > 0) {
      const seen = Atomics.load(control, 0);
      drain();
      if (missing.size === 0) break;
      // Nothing new for a while: a worker may be gone; do its last text here (the smallest still missing).
      if (Atomics.wait(control, 0, seen, 1000) === 'timed-out') {
        drain();
        const last = [...missing].pop();
        if (last !== undefined) parseHere(last);
      }
    }
  } finally {
    for (const p of ports) p.close();
    for (const w of workers) void w.terminate();
  }
  return out;
}
