import { nodeCrypto } from '../util/node-crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { RuleSetting } from '../config';
import { RULES } from '../rules';
import type { RuleMeta } from '../rules/types';
import { withSuppressed, type Finding, type ScanResult, type Severity } from '../types';
import { VERSION, docsUrlFor } from '../version';
import { RULE_SARIF, cweTags, ruleHelp } from './rule-sarif';
import { joinChunks, jsonChunks, materialize, streamed } from './chunks';

export const TOOL_NAME = 'HTTPS Guard';
export const INFORMATION_URI = 'https://github.com/https-guard/https-guard';
export const FINGERPRINT_KEY = 'httpsGuard/v1';
const SRCROOT = '%SRCROOT%';
export const AUTOMATION_CATEGORY = 'https-guard';
/** More related places than this are left to the text report (GitHub shows only the first ones anyway). */
const MAX_RELATED = 100;

/** Message text is Markdown-like for GitHub: `[x](n)` would become a link, so a message's own brackets are escaped. */
function escapeMessage(s: string): string {
  return s.replace(/[[\]]/g, '\\$&');
}

function escapeLinkText(s: string): string {
  return s.replace(/[[\]\\]/g, '\\$&');
}

const LEVEL: Record<Severity, Result.level> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub code scanning ranks alerts by this property (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0). */
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

export interface SarifOptions {
  /** `runs[].automationDetails.id`: `category/` (GitHub keeps one analysis per category); default `https-guard/`. */
  automationId?: string;
  /** Absolute repository root, given as `%SRCROOT%` in `originalUriBaseIds`. */
  root?: string;
  /** Rule metadata for `tool.driver.rules`; default every registered rule. */
  rules?: readonly RuleMeta[];
  /** The config's per-rule settings, so that a rule's default level matches what the user configured. */
  severityOverrides?: Record<string, RuleSetting>;
}

export function sarifLevel(s: Severity): Result.level {
  return LEVEL[s];
}

/** `django/secure-ssl-redirect` → `DjangoSecureSslRedirect`: SARIF wants a name apart from the opaque id. */
export function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** A workspace-relative POSIX path as a relative URI reference (spaces, `#`, `%` and the like percent-encoded). */
export function pathToUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/**
 * Stable across line shifts (the line is not hashed) so code scanning keeps tracking an alert when code moves.
 * Identical findings in one file are told apart by their order of appearance, as GitHub's own line hash does.
 */
export function fingerprintOf(f: Pick<Finding, 'ruleId' | 'path' | 'message'>): string {
  return nodeCrypto().createHash('sha256').update(`${f.ruleId}\0${f.path}\0${f.message}`).digest('hex').slice(0, 32);
}

function descriptor(meta: RuleMeta, override?: RuleSetting, variant?: Severity): ReportingDescriptor {
  const configured = override && override !== 'off' ? override : meta.severity;
  const severity = variant ?? configured;
  const help = ruleHelp(meta.id);
  return {
    id: variant ? variantId(meta.id, variant) : meta.id,
    name: variant ? ruleName(`${meta.id}-${variant}`) : ruleName(meta.id),
    shortDescription: { text: variant ? `${meta.title} (${variant})` : meta.title },
    fullDescription: { text: help?.full || meta.title },
    help: help ? { text: help.text, markdown: help.markdown } : { text: `${meta.title}\n\nSee ${docsUrlFor(meta.id)}`, markdown: `${meta.title}\n\nSee [${meta.id}](${docsUrlFor(meta.id)}).` },
    helpUri: docsUrlFor(meta.id),
    defaultConfiguration: { level: LEVEL[severity], enabled: override !== 'off' },
    properties: {
      // GitHub reads security-severity only with the `security` tag. Analysis notices (a file not parsed) keep it:
      // what could not be checked ranks with what was found.
      tags: ['security', 'https', meta.id.split('/')[0], ...cweTags(meta.id)],
      precision: RULE_SARIF[meta.id]?.precision ?? 'medium',
      'security-severity': SECURITY_SEVERITY[severity],
      ...(variant ? { 'https-guard/rule': meta.id } : {}),
    },
  };
}

/**
 * A finding at another severity than its rule's (configured) default, e.g. capped to low in a test file or a case
 * the rule rates lower, is a result of a variant rule `<id>/<severity>`: GitHub ranks alerts by the rule's
 * security-severity, so one descriptor per severity keeps each alert's rank true to its finding.
 */
export function variantId(ruleId: string, severity: Severity): string {
  return `${ruleId}/${severity}`;
}

function artifact(path: string) {
  return { uri: pathToUri(path), uriBaseId: SRCROOT };
}

export function toSarif(result: ScanResult, options: SarifOptions = {}): Log {
  return materialize(sarifFrame(result, options));
}

/** The log with its results made one at a time, as they are written. */
function sarifFrame(result: ScanResult, options: SarifOptions) {
  const metas = [...(options.rules ?? RULES.map((r) => r.meta))];
  const overrides = options.severityOverrides ?? {};
  // A finding from a rule outside the list still needs a descriptor, or ruleIndex would point nowhere.
  const findings = withSuppressed(result);
  for (const f of findings) {
    if (!metas.some((m) => m.id === f.ruleId)) metas.push({ id: f.ruleId, severity: f.severity, title: f.ruleId, kinds: [] });
  }
  const descriptors = metas.map((m) => descriptor(m, overrides[m.id]));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const metaOf = new Map(metas.map((m) => [m.id, m]));
  /** The descriptor of a finding: its rule's, or the variant for its severity. */
  const ruleFor = (f: Finding): string => {
    const meta = metaOf.get(f.ruleId)!;
    const o = overrides[f.ruleId];
    const configured = o && o !== 'off' ? o : meta.severity;
    if (f.severity === configured) return f.ruleId;
    const id = variantId(f.ruleId, f.severity);
    if (!index.has(id)) {
      index.set(id, descriptors.length);
      descriptors.push(descriptor(meta, o, f.severity));
    }
    return id;
  };
  // The rules come before the results in the log: every variant is known before the first result is made.
  for (const f of findings) ruleFor(f);

  function* results(): Generator<Result> {
    const occurrences = new Map<string, number>();
    for (const f of findings) {
      const hash = fingerprintOf(f);
      const n = (occurrences.get(hash) ?? 0) + 1;
      occurrences.set(hash, n);
      yield sarifResult(f, `${hash}:${n}`, ruleFor(f), index);
    }
  }

  const notifications = (): Notification[] =>
    result.skipped.map((s) => ({
      level: 'warning',
      message: { text: `Skipped ${s.path}: ${s.reason}` },
      locations: [{ physicalLocation: { artifactLocation: artifact(s.path) } }],
    }));

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: result.version || VERSION,
            semanticVersion: result.version || VERSION,
            informationUri: INFORMATION_URI,
            rules: descriptors,
          },
        },
        automationDetails: { id: options.automationId ?? `${AUTOMATION_CATEGORY}/` },
        originalUriBaseIds: {
          [SRCROOT]: { ...(options.root ? { uri: pathToFileURL(options.root.endsWith(path.sep) ? options.root : options.root + path.sep).href } : {}), description: { text: 'The repository root' } },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: streamed(notifications) }],
        results: streamed(results),
      },
    ],
  };
}

function sarifResult(f: Finding, fingerprint: string, ruleId: string, index: ReadonlyMap<string, number>): Result {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  const endColumn = Math.max(1, endLine === startLine ? Math.max(startColumn, f.endColumn) : f.endColumn);
  const related = f.related?.slice(0, MAX_RELATED) ?? [];
  // GitHub links `[text](id)` in a message to the related location with that id.
  const seeAlso = related.length ? ` Related: ${related.map((r, i) => `[${escapeLinkText(`${r.path}:${r.line}`)}](${i + 1})`).join(', ')}.` : '';
  const text = f.hint ? `${f.message} ${f.hint}` : f.message;
  return {
    ruleId,
    ruleIndex: index.get(ruleId)!,
    level: LEVEL[f.severity],
    message: { text: escapeMessage(text) + seeAlso },
    locations: [{ physicalLocation: { artifactLocation: artifact(f.path), region: { startLine, startColumn, endLine, endColumn } } }],
    // primaryLocationLineHash: the baseline fingerprint (engine/baseline.ts), stable when lines move.
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint, ...(f.fingerprint ? { primaryLocationLineHash: f.fingerprint } : {}) },
    ...(related.length
      ? {
          relatedLocations: related.map((r, i) => ({
            id: i + 1,
            physicalLocation: { artifactLocation: artifact(r.path), region: { startLine: Math.max(1, r.line), ...(r.column ? { startColumn: Math.max(1, r.column) } : {}) } },
            ...(r.message ? { message: { text: r.message } } : {}),
          })),
        }
      : {}),
    // Code scanning shows an in-source suppression as a dismissed alert, with the comment's reason.
    ...(f.suppression ? { suppressions: [{ kind: 'inSource' as const, ...(f.suppression.reason !== undefined ? { justification: f.suppression.reason } : {}) }] } : {}),
  };
}

export function formatSarif(result: ScanResult, options: SarifOptions = {}): string {
  return joinChunks(sarifChunks(result, options));
}

export function* sarifChunks(result: ScanResult, options: SarifOptions = {}): Generator<string> {
  yield* jsonChunks(sarifFrame(result, options));
  yield '\n';
}
