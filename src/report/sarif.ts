import { createHash } from 'node:crypto';
import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { RuleSetting } from '../config';
import { RULES } from '../rules';
import type { RuleMeta } from '../rules/types';
import { withSuppressed, type Finding, type ScanResult, type Severity } from '../types';
import { VERSION, docsUrlFor } from '../version';

export const TOOL_NAME = 'HTTPS Guard';
export const INFORMATION_URI = 'https://github.com/https-guard/https-guard';
export const FINGERPRINT_KEY = 'httpsGuard/v1';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, Result.level> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub code scanning ranks alerts by this property (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0). */
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

export interface SarifOptions {
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
  return createHash('sha256').update(`${f.ruleId}\0${f.path}\0${f.message}`).digest('hex').slice(0, 32);
}

function descriptor(meta: RuleMeta, override?: RuleSetting): ReportingDescriptor {
  const severity = override && override !== 'off' ? override : meta.severity;
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: meta.title },
    helpUri: docsUrlFor(meta.id),
    defaultConfiguration: { level: LEVEL[severity], enabled: override !== 'off' },
    properties: {
      tags: ['security', 'https', meta.id.split('/')[0]],
      'security-severity': SECURITY_SEVERITY[severity],
    },
  };
}

function artifact(path: string) {
  return { uri: pathToUri(path), uriBaseId: SRCROOT };
}

export function toSarif(result: ScanResult, options: SarifOptions = {}): Log {
  const metas = [...(options.rules ?? RULES.map((r) => r.meta))];
  const overrides = options.severityOverrides ?? {};
  // A finding from a rule outside the list still needs a descriptor, or ruleIndex would point nowhere.
  const findings = withSuppressed(result);
  for (const f of findings) {
    if (!metas.some((m) => m.id === f.ruleId)) metas.push({ id: f.ruleId, severity: f.severity, title: f.ruleId, kinds: [] });
  }
  const index = new Map(metas.map((m, i) => [m.id, i]));

  const occurrences = new Map<string, number>();
  const results: Result[] = findings.map((f) => {
    const hash = fingerprintOf(f);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);
    const startLine = Math.max(1, f.line);
    const startColumn = Math.max(1, f.column);
    const endLine = Math.max(startLine, f.endLine);
    const endColumn = Math.max(1, endLine === startLine ? Math.max(startColumn, f.endColumn) : f.endColumn);
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: LEVEL[f.severity],
      message: { text: f.hint ? `${f.message} ${f.hint}` : f.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(f.path), region: { startLine, startColumn, endLine, endColumn } } }],
      partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${n}` },
      ...(f.related?.length
        ? {
            relatedLocations: f.related.map((r, i) => ({
              id: i + 1,
              physicalLocation: { artifactLocation: artifact(r.path), region: { startLine: Math.max(1, r.line), ...(r.column ? { startColumn: Math.max(1, r.column) } : {}) } },
              ...(r.message ? { message: { text: r.message } } : {}),
            })),
          }
        : {}),
      // Code scanning shows an in-source suppression as a dismissed alert, with the comment's reason.
      ...(f.suppression ? { suppressions: [{ kind: 'inSource' as const, ...(f.suppression.reason !== undefined ? { justification: f.suppression.reason } : {}) }] } : {}),
    };
  });

  const notifications: Notification[] = result.skipped.map((s) => ({
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
            rules: metas.map((m) => descriptor(m, overrides[m.id])),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
}

export function formatSarif(result: ScanResult, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}
