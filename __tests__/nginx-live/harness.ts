// The live side: a generated certificate, a stub backend, free loopback ports, one nginx per fixture in a
// throwaway prefix, and the requests. Everything binds and connects to 127.0.0.1 only, every wait is bounded,
// and every process started here is stopped by its own handle.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { MISSING_MARK } from './probes';

export const NGINX_BIN = process.env.HTTPS_GUARD_NGINX ?? '/usr/sbin/nginx';
export const OPENSSL_BIN = process.env.HTTPS_GUARD_OPENSSL ?? 'openssl';

export function runs(bin: string, args: string[]): boolean {
  try {
    execFileSync(bin, args, { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export function nginxVersion(): string | undefined {
  const v = spawnSync(NGINX_BIN, ['-v'], { timeout: 10_000, encoding: 'utf8' });
  return /nginx\/(\d+\.\d+(?:\.\d+)?)/.exec(`${v.stdout ?? ''}${v.stderr ?? ''}`)?.[1];
}

/** As root, nginx runs as nobody (like the parser oracle): nothing it does can reach root-owned places. */
const asNobody = process.getuid?.() === 0;
const ids = asNobody ? { uid: 65534, gid: 65534 } : {};

export function chownTree(dir: string): void {
  if (!asNobody) return;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop() as string;
    fs.lchownSync(d, 65534, 65534);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else fs.lchownSync(p, 65534, 65534);
    }
  }
}

export interface Shared {
  dir: string;
  cert: string;
  key: string;
  backendPort: number;
  backend: http.Server;
}

/** One self-signed certificate per run and one stub backend: 200 "app", or 404 for the missing-file marker. */
export async function setupShared(): Promise<Shared> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-live-'));
  fs.chmodSync(dir, 0o755);
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    OPENSSL_BIN,
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert],
    { stdio: 'pipe', timeout: 60_000 },
  );
  // A throwaway key in a throwaway directory; nginx reads it as nobody when we are root.
  fs.chmodSync(key, 0o644);
  fs.chmodSync(cert, 0o644);
  const backend = http.createServer((req, res) => {
    req.resume();
    const missing = (req.url ?? '').includes(MISSING_MARK);
    res.writeHead(missing ? 404 : 200, { 'Content-Type': 'text/plain' });
    res.end(missing ? 'missing\n' : 'app\n');
  });
  await new Promise<void>((resolve, reject) => {
    backend.once('error', reject);
    backend.listen(0, '127.0.0.1', () => resolve());
  });
  const backendPort = (backend.address() as net.AddressInfo).port;
  return { dir, cert, key, backendPort, backend };
}

export async function teardownShared(s: Shared | undefined): Promise<void> {
  if (!s) return;
  s.backend.closeAllConnections();
  await new Promise<void>((resolve) => s.backend.close(() => resolve()));
  fs.rmSync(s.dir, { recursive: true, force: true });
}

/** Free loopback ports: bound on port 0 together (so they differ), read, then released for nginx. */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(srv);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

export interface RunningNginx {
  child: ChildProcess;
  stop(): Promise<void>;
}

export type StartResult = { ok: true; nginx: RunningNginx } | { ok: false; message: string; addressInUse: boolean };

/** The first [emerg] (or [alert]) line of nginx's output, without the date and pid. */
export function firstComplaint(text: string): string | undefined {
  const m = /\[(emerg|alert|crit)\] \d+#\d+: (.*)/.exec(text);
  return m ? m[2].trim() : undefined;
}

/**
 * Starts `nginx -p prefix -c conf -g 'daemon off; master_process off;'` (a single process, so stopping it leaves
 * no worker behind) and waits, at most `waitMs`, for every port to accept connections.
 */
export async function startNginx(prefix: string, conf: string, ports: number[], waitMs = 8_000): Promise<StartResult> {
  const errorLog = path.join(prefix, 'logs', 'error.log');
  const child = spawn(
    NGINX_BIN,
    ['-p', `${prefix}/`, '-c', conf, '-e', errorLog, '-g', 'daemon off; master_process off;'],
    { cwd: prefix, stdio: ['ignore', 'pipe', 'pipe'], ...ids },
  );
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString('latin1')));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString('latin1')));
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (e) => {
      output += String(e);
      exited = true;
      resolve();
    });
  });
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(3_000)]);
      if (!exited) {
        child.kill('SIGKILL');
        await Promise.race([exit, sleep(2_000)]);
      }
    }
  };
  const log = () => {
    let text = output;
    try {
      text += fs.readFileSync(errorLog, 'latin1');
    } catch {
      // no log yet
    }
    return text;
  };
  const deadline = Date.now() + waitMs;
  const pending = new Set(ports);
  while (pending.size > 0 && !exited && Date.now() < deadline) {
    for (const p of [...pending]) if (await accepts(p)) pending.delete(p);
    if (pending.size > 0) await sleep(25);
  }
  if (pending.size === 0 && !exited) return { ok: true, nginx: { child, stop } };
  await stop();
  const text = log();
  const message = firstComplaint(text) ?? (exited ? `nginx exited: ${text.trim().split('\n').pop() ?? ''}` : `ports ${[...pending].join(', ')} not accepting after ${waitMs} ms`);
  return { ok: false, message, addressInUse: /Address already in use/.test(text) };
}

export interface Response {
  status?: number;
  location?: string;
  /** Every Strict-Transport-Security value, duplicates kept, in order. */
  hsts: string[];
  /** The first bytes of the body. */
  body?: string;
  error?: string;
}

export interface RequestSpec {
  port: number;
  tls: boolean;
  host: string;
  path: string;
  /** POST announcing a body larger than any client_max_body_size: nginx answers 413 from the location. */
  huge?: boolean;
  method?: string;
  timeoutMs?: number;
}

const TLS_CLIENT = { rejectUnauthorized: false, minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' };
const sni = (host: string) => (net.isIP(host) ? {} : { servername: host });

/** One request to 127.0.0.1; resolves (never rejects) with what came back. */
export function request(spec: RequestSpec): Promise<Response> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Response) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const headers: Record<string, string> = { Host: spec.host, Connection: 'close' };
    if (spec.huge) {
      headers['Content-Length'] = String(2 ** 40);
      headers.Expect = '100-continue';
    }
    const options: https.RequestOptions = {
      host: '127.0.0.1',
      port: spec.port,
      path: spec.path,
      method: spec.huge ? 'POST' : (spec.method ?? 'GET'),
      headers,
      agent: false,
      ...(spec.tls ? { ...TLS_CLIENT, ...sni(spec.host) } : {}),
    };
    const req = (spec.tls ? https : http).request(options, (res) => {
      const hsts: string[] = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        if (res.rawHeaders[i].toLowerCase() === 'strict-transport-security') hsts.push(res.rawHeaders[i + 1]);
      }
      const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
      let body = '';
      res.on('data', (b: Buffer) => {
        if (body.length < 64) body += b.toString('latin1').slice(0, 64 - body.length);
      });
      const finish = () => done({ status: res.statusCode, location, hsts, body });
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    req.setTimeout(spec.timeoutMs ?? 4_000, () => {
      req.destroy(new Error('timeout'));
    });
    // The body size limit is off (client_max_body_size 0): nginx wants the body, so there is no error to see.
    req.on('continue', () => req.destroy(new Error('100 Continue (no body size limit)')));
    req.on('error', (e) => done({ hsts: [], error: e.message }));
    req.end();
  });
}

/** Whether a TLS handshake succeeds on the port with this SNI name. */
export function handshake(port: number, host: string, timeoutMs = 4_000): Promise<string | true> {
  return new Promise((resolve) => {
    const sock = tls.connect({ host: '127.0.0.1', port, ...TLS_CLIENT, ...sni(host) });
    const done = (r: string | true) => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () => done('timeout'));
    sock.once('secureConnect', () => done(true));
    sock.once('error', (e) => done(e.message));
  });
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
