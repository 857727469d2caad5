import { findRule } from '../rules';
import { SEVERITIES, type ScanResult, type Severity } from '../types';
import { sanitizeForTerminal } from './text';

export interface RuleStatistic {
  ruleId: string;
  title: string;
  count: number;
  /** Findings per severity (a rule's severity can vary per finding and per file role); severities with none left out. */
  severities: Partial<Record<Severity, number>>;
}

/** `--statistics`: findings per rule, most first (ties by id). */
export function statistics(result: ScanResult): RuleStatistic[] {
  const byRule = new Map<string, RuleStatistic>();
  for (const f of result.findings) {
    let s = byRule.get(f.ruleId);
    if (!s) byRule.set(f.ruleId, (s = { ruleId: f.ruleId, title: findRule(f.ruleId)?.meta.title ?? '', count: 0, severities: {} }));
    s.count++;
    s.severities[f.severity] = (s.severities[f.severity] ?? 0) + 1;
  }
  return [...byRule.values()].sort((a, b) => b.count - a.count || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

export function formatStatistics(result: ScanResult, format: 'text' | 'json'): string {
  const stats = statistics(result);
  if (format === 'json') return `${JSON.stringify(stats, null, 2)}\n`;
  if (stats.length === 0) return '';
  const countWidth = String(stats[0].count).length;
  const idWidth = Math.max(...stats.map((s) => s.ruleId.length));
  const sevText = (s: RuleStatistic) => SEVERITIES.filter((v) => s.severities[v]).join('/');
  const sevWidth = Math.max(...stats.map((s) => sevText(s).length));
  return stats.map((s) => `${String(s.count).padStart(countWidth)}  ${s.ruleId.padEnd(idWidth)}  ${sevText(s).padEnd(sevWidth)}  ${sanitizeForTerminal(s.title)}\n`).join('');
}
