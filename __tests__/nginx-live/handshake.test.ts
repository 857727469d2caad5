// The protocol range of a TLS handshake, as the model gives it, against a real nginx: each case in
// handshake-cases/ runs on loopback, and for every TLS server name the TLS 1.2 and TLS 1.3 handshakes that
// succeed (with that SNI) must be exactly the versions the model says the handshake can use. TLS 1.0/1.1 are not
// probed: OpenSSL 3 refuses them at its default security level whatever nginx says.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';
import { handshakeProtocols } from '../../src/rules/nginx/_tls-util';
import { NGINX_BIN, OPENSSL_BIN, chownTree, freePorts, nginxVersion, runs, setupShared, startNginx, teardownShared, type Shared } from './harness';
import { listenKeys, readListen, rewriteFixture } from './rewrite';

const CASES = path.join(__dirname, 'handshake-cases');
const inCI = process.env.CI === 'true';
const enabled = runs(NGINX_BIN, ['-v']) && runs(OPENSSL_BIN, ['version']);
const PROBED = ['TLSv1.2', 'TLSv1.3'] as const;

function handshakeWith(port: number, servername: string, version: (typeof PROBED)[number]): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false, minVersion: version, maxVersion: version });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(4_000, () => done(false));
    sock.once('secureConnect', () => done(true));
    sock.once('error', () => done(false));
  });
}

interface Seen {
  name: string;
  model: string[];
  server: string[];
}

async function runCase(file: string, shared: Shared): Promise<Seen[]> {
  const version = nginxVersion() ?? '1.22';
  const { model } = analyse({ root: CASES, paths: [file], config: { nginxVersion: version } });
  const configs = model.nginx.configs;
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-live-hs-'));
  try {
    const ws = path.join(prefix, 'ws');
    fs.mkdirSync(ws, { recursive: true });
    fs.copyFileSync(path.join(CASES, file), path.join(ws, file));
    const keys = listenKeys(configs);
    const ports = await freePorts(keys.length);
    const rw = rewriteFixture(configs, { ws, prefix, cert: shared.cert, key: shared.key, backendPort: shared.backendPort, portFor: (k) => ports[keys.indexOf(k)] });
    for (const d of ['logs', 'tmp', 'cache', 'html']) fs.mkdirSync(path.join(prefix, d), { recursive: true });
    fs.chmodSync(prefix, 0o755);
    chownTree(prefix);
    const started = await startNginx(prefix, rw.conf, [...rw.ports.keys()]);
    if (!started.ok) throw new Error(`nginx ${started.message}`);
    try {
      const out: Seen[] = [];
      for (const s of model.nginx.servers) {
        const names = s.names.filter((n) => n && n !== '_');
        const listen = s.listens.find((l) => l.ssl && l.directive);
        if (names.length === 0 || !listen) continue;
        const port = ports[keys.indexOf(readListen(listen.directive!).key)];
        const expected = handshakeProtocols(s, version).flatMap((h) => h.protocols);
        const server: string[] = [];
        for (const v of PROBED) if (await handshakeWith(port, names[0], v)) server.push(v);
        out.push({ name: names[0], model: PROBED.filter((v) => expected.includes(v)), server });
      }
      return out;
    } finally {
      await started.nginx.stop();
    }
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
}

describe('nginx live: a handshake takes its protocol versions from the default server of the address', () => {
  it('has nginx and openssl in CI', () => {
    if (inCI) expect(enabled).toBe(true);
  });

  describe.skipIf(!enabled)('handshakes', () => {
    let shared: Shared | undefined;
    beforeAll(async () => {
      shared = await setupShared();
    }, 60_000);
    afterAll(async () => {
      await teardownShared(shared);
    });

    for (const file of fs.readdirSync(CASES).filter((f) => f.endsWith('.conf')).sort()) {
      it(file, async () => {
        const seen = await runCase(file, shared!);
        expect(seen.length, 'no TLS server with a name was probed').toBeGreaterThan(0);
        for (const s of seen) expect(s.model, `${s.name}: versions the model allows vs. handshakes that succeed`).toEqual(s.server);
      }, 60_000);
    }
  });
});
