// One fixture, end to end: the rule's verdict from analyse(), the fixture run by a real nginx, the probes, and
// the server's verdict derived from the responses.

import { describeEdge, tlsEdge } from '../../src/model/edge';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from '../../src/config';
import { analyse } from '../../src/engine/scan';
import { RULES } from '../../src/rules';
import type { Severity } from '../../src/types';
import { chownTree, freePorts, handshake, pool, request, startNginx, type Shared } from './harness';
import { missingVariant } from './probes';
import { docRoot, isInternalKey, listenKeys, loadedConfigs, rewriteFixture, SkipFixture, type Rewritten } from './rewrite';
import { describeObservation, RULE_IDS, truthFor, worst, type LiveRuleId, type Observation, type Truth } from './truth';

export interface Entry {
  rule: LiveRuleId;
  source: 'case' | 'fixture';
  /** File or folder name inside the rule's directory. */
  name: string;
  abs: string;
  isDir: boolean;
}

export interface Verdict {
  registered: boolean;
  fires: boolean;
  severity?: Severity;
  findings: string[];
}

export interface EntryResult {
  entry: Entry;
  status: 'ran' | 'skipped' | 'failed';
  reason?: string;
  /** The entry's rule. */
  verdict?: Verdict;
  /** Every rule of the group on the same analysis (hsts-missing and hsts-dropped-in-location are compared together). */
  verdicts?: Record<LiveRuleId, Verdict>;
  truth?: Truth;
  observations: Observation[];
  notes: string[];
  ms: number;
}

export const isOk = (name: string) => /_ok(\.[^/]*)?$/.test(name);
/** `*_newer.conf`, `*_newer_ok.conf`: about a directive nginx 1.22 lacks. */
const isNewer = (name: string) => /_newer(_ok)?(\.[^/]*)?$/.test(name);

export const label = (e: Entry) => `${e.rule} ${e.source === 'case' ? 'case' : 'fixture'} ${e.name}`;

/** An unknown Host: whatever the default server of the port does. */
export const DEFAULT_HOST = 'hg-live-default.invalid';
const MAIN_PATHS = ['/', '/some/nested/path'];

export async function runEntry(entry: Entry, shared: Shared): Promise<EntryResult> {
  const t0 = Date.now();
  const notes: string[] = [];
  const base = { entry, notes, observations: [] as Observation[] };
  const root = entry.isDir ? entry.abs : path.dirname(entry.abs);
  const config = entry.isDir ? loadConfigFile(root).config : {};
  const { result, model } = analyse({ root, paths: entry.isDir ? undefined : [entry.name], config });
  const verdictOf = (rule: LiveRuleId): Verdict => {
    const mine = result.findings.filter((f) => f.ruleId === rule);
    // One finding per cause: a face folded into another rule's finding is one of its related places.
    const folded = result.findings.some((f) => (f.related ?? []).some((r) => r.message?.startsWith(`${rule}: `)));
    const v: Verdict = {
      registered: RULES.some((r) => r.meta.id === rule),
      fires: mine.length > 0 || folded,
      findings: mine.map((f) => `${f.path}:${f.line} [${f.ruleId} ${f.severity}] ${f.message}`),
    };
    const sev = worst(mine.map((f) => f.severity));
    if (sev) v.severity = sev;
    return v;
  };
  const verdicts = Object.fromEntries(RULE_IDS.map((r) => [r, verdictOf(r)])) as Record<LiveRuleId, Verdict>;
  const verdict = verdicts[entry.rule];
  const done = (r: Partial<EntryResult> & Pick<EntryResult, 'status'>): EntryResult => ({ ...base, verdict, verdicts, ms: Date.now() - t0, ...r });

  // hsts-missing counts Django's HSTS (and the pair is compared as one): the stub backend sends none.
  if ((entry.rule === 'nginx/hsts-missing' || entry.rule === 'nginx/hsts-dropped-in-location') && model.settings.length > 0) {
    return done({ status: 'skipped', reason: 'Django settings in the fixture: the stub backend does not send Django\'s HSTS' });
  }
  // The plain-HTTP rules judge an nginx behind a TLS terminator by that terminator, which is not started here:
  // when the lone nginx shows the problem and the rule left it to the terminator, nginx cannot say who is right.
  const front =
    entry.rule === 'nginx/http-not-redirected' || entry.rule === 'nginx/hsts-on-plain-http'
      ? model.nginx.servers.map((s) => tlsEdge(model, s)).find((e) => e.where === 'front')
      : undefined;
  const configs = model.nginx.configs;
  // A template (`site.conf.j2`) is not nginx until rendered: the model reads its values as unknown words.
  const template = configs.flatMap((c) => c.files).find((f) => /\.(j2|jinja2?|tmpl|tpl|erb)$/i.test(f));
  if (template) return done({ status: 'skipped', reason: `${template} is a template: nginx loads only what it renders to` });
  try {
    loadedConfigs(configs);
  } catch (e) {
    if (e instanceof SkipFixture) return done({ status: 'skipped', reason: e.message });
    throw e;
  }

  for (let attempt = 1; ; attempt++) {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'https-guard-live-fx-'));
    notes.length = 0;
    try {
      const ws = path.join(prefix, 'ws');
      copyFixture(entry, root, ws, configs.flatMap((c) => c.files));
      const keys = listenKeys(configs);
      const ports = await freePorts(keys.length);
      let rw: Rewritten;
      try {
        rw = rewriteFixture(configs, {
          ws,
          prefix,
          cert: shared.cert,
          key: shared.key,
          backendPort: shared.backendPort,
          portFor: (k) => {
            const i = keys.indexOf(k);
            if (i < 0) throw new Error(`listen ${k} was not collected`);
            return ports[i];
          },
        });
      } catch (e) {
        if (e instanceof SkipFixture) return done({ status: 'skipped', reason: e.message });
        throw e;
      }
      notes.push(...rw.notes);
      for (const d of ['logs', 'tmp', 'cache']) fs.mkdirSync(path.join(prefix, d), { recursive: true });
      for (const f of rw.files) writeDocFile(docRoot(prefix), f);
      fs.chmodSync(prefix, 0o755);
      chownTree(prefix);

      const started = await startNginx(prefix, rw.conf, [...rw.ports.keys()]);
      if (!started.ok) {
        if (started.addressInUse && attempt < 3) continue; // another process took a port between probe and bind
        const why = `nginx ${started.message}`;
        if (isNewer(entry.name)) return done({ status: 'skipped', reason: `needs a newer nginx: ${why}` });
        return done({ status: 'failed', reason: `${why} (rewritten config: ${path.relative(prefix, rw.conf)}); a fixture for a directive nginx 1.22 lacks must be named *_newer` });
      }
      let observations: Observation[];
      try {
        observations = await probe(rw, notes);
      } finally {
        await started.nginx.stop();
      }
      attribute(observations, rw);
      const truth = truthFor(entry.rule, observations);
      if (front && truth.fires && !verdict.fires) {
        return done({ status: 'skipped', reason: `${describeEdge(front, 1)}: a lone nginx cannot show what the terminator does`, observations });
      }
      return done({ status: 'ran', truth, observations });
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  }
}

/** The fixture's folder, or the single file plus whatever the model read beside it (its includes). */
function copyFixture(entry: Entry, root: string, ws: string, read: string[]): void {
  if (entry.isDir) {
    fs.cpSync(entry.abs, ws, { recursive: true });
    return;
  }
  for (const rel of new Set([entry.name, ...read])) {
    const from = path.join(root, rel);
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue; // packaged stand-ins have no file
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(ws, rel));
  }
}

function writeDocFile(rootDir: string, p: string): void {
  const abs = path.join(rootDir, ...p.split('/').filter(Boolean));
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (!fs.existsSync(abs)) fs.writeFileSync(abs, 'hg-live\n');
  } catch {
    // A path that is a directory for another probe: that probe's file is enough.
  }
}

async function probe(rw: Rewritten, notes: string[]): Promise<Observation[]> {
  const specs: Omit<Observation, 'status' | 'location' | 'hsts' | 'error' | 'origin'>[] = [];
  for (const [port, info] of rw.ports) {
    const here = rw.servers.filter((s) => s.listens.some((l) => l.port === port));
    const hosts = [...new Set([...here.flatMap((s) => s.hosts), ...rw.mapHosts, DEFAULT_HOST])];
    let tls = false;
    let lastError = '';
    for (const h of hosts) {
      const r = await handshake(port, h);
      if (r === true) {
        tls = true;
        break;
      }
      lastError = r;
    }
    if (info.ssl && !tls) {
      notes.push(`port ${info.key} is TLS in the config but no handshake succeeded (${lastError}); its requests fail`);
      tls = true;
    } else if (!info.ssl && tls) notes.push(`port ${info.key} has no ssl flag but speaks TLS`);
    const locs = here.flatMap((s) => s.probes).filter((p) => !p.acme);
    const gets: { path: string; missing?: string; method?: string }[] = [...MAIN_PATHS.map((p) => ({ path: p, missing: missingVariant(p) })), ...locs];
    const seenPaths = new Set<string>();
    for (const host of hosts) {
      for (const g of gets) {
        const method = g.method ?? 'GET';
        if (seenPaths.has(`${host} ${method} ${g.path}`)) continue;
        seenPaths.add(`${host} ${method} ${g.path}`);
        const common = { port, key: info.key, tls, host, main: MAIN_PATHS.includes(g.path), internal: isInternalKey(info.key) };
        specs.push({ ...common, path: g.path, probe: 'get', method });
        if (!tls || method !== 'GET') continue;
        specs.push({ ...common, path: g.path, probe: 'huge', of: g.path, method: 'POST' });
        if (g.missing) specs.push({ ...common, path: g.missing, probe: 'missing', of: g.path, method });
      }
    }
  }
  return pool(specs, 6, async (s) => {
    const { body, ...r } = await request({ port: s.port, tls: s.tls, host: s.host, path: s.path, huge: s.probe === 'huge', method: s.method });
    // Who wrote a 2xx body: the stub backend, a file of the document root, or nginx itself (`return 200 "…"`).
    const origin = body === undefined || r.status === undefined ? undefined : body.startsWith('app') ? 'backend' : body.startsWith('hg-live') ? 'file' : 'nginx';
    return { ...s, ...r, ...(origin ? { origin } : {}) } as Observation;
  });
}

/** Which server block answered each request, from the access log the rewritten config writes. */
function attribute(obs: Observation[], rw: Rewritten): void {
  let text = '';
  try {
    text = fs.readFileSync(rw.accessLog, 'utf8');
  } catch {
    return;
  }
  const byRequest = new Map<string, { id: number; loc: number }>();
  for (const line of text.split('\n')) {
    const [id, loc, port, method, host, uri] = line.split('|');
    if (id && /^\d+$/.test(id)) byRequest.set(`${port}|${method}|${host}|${uri}`, { id: Number(id), loc: /^\d+$/.test(loc) ? Number(loc) : 0 });
  }
  for (const o of obs) {
    const hit = byRequest.get(`${o.port}|${o.method}|${o.host}|${o.path}`);
    if (hit === undefined) continue;
    const server = rw.servers.find((s) => s.id === hit.id);
    o.server = hit.id;
    o.serverTls = server?.tls;
    o.serverWritesHsts = server?.writesHsts;
    o.serverLoadsCert = server?.loadsCert;
    o.block = hit.loc;
    o.optOut = rw.locations.get(hit.loc)?.optOut ?? false;
  }
}

const related = (rule: LiveRuleId): LiveRuleId[] =>
  rule === 'nginx/hsts-missing' || rule === 'nginx/hsts-dropped-in-location' ? ['nginx/hsts-missing', 'nginx/hsts-dropped-in-location'] : [rule];

export function explain(r: EntryResult, max = 40): string {
  const lines = [
    `${label(r.entry)}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
    ...related(r.entry.rule).map((rule) => {
      const v = r.verdicts?.[rule];
      return `  ${rule}: ${v?.registered ? (v.fires ? `fires${v.severity ? ` [worst ${v.severity}]` : ''}` : 'does not fire') : 'rule not registered'}`;
    }),
    ...related(r.entry.rule).flatMap((rule) => r.verdicts?.[rule]?.findings ?? []).slice(0, 6).map((f) => `    ${f}`),
    `  server: ${r.truth ? (r.truth.fires ? `fires${r.truth.severity ? ` [${r.truth.severity}]` : ''}` : 'does not fire') : '-'}`,
    ...(r.truth?.why ?? []).map((w) => `    because ${w}`),
    ...r.notes.map((n) => `  note: ${n}`),
    '  responses:',
    ...r.observations.slice(0, max).map((o) => `    ${describeObservation(o)}`),
  ];
  if (r.observations.length > max) lines.push(`    … ${r.observations.length - max} more`);
  return lines.join('\n');
}
