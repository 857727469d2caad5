import type { Config, RuleSetting } from '../config';
import type { DeploymentModel } from '../model';
import type { Rule } from '../rules/types';
import type { Finding } from '../types';
import { docsUrlFor } from '../version';

/** `# https-guard: ignore` or `# https-guard: ignore[rule-a, rule-b]`, on the finding's line or alone on the line above. */
const SUPPRESS = /https-guard:\s*ignore(?:\[([^\]]*)\])?/;

function suppressed(model: DeploymentModel, f: Finding): boolean {
  const src = model.sources.get(f.path);
  if (!src) return false;
  const check = (text: string) => {
    const m = SUPPRESS.exec(text);
    if (!m) return false;
    if (m[1] === undefined) return true;
    return m[1].split(',').map((s) => s.trim()).includes(f.ruleId);
  };
  const line = src.lineText(f.line);
  const idx = line.search(/[#;]/);
  if (idx !== -1 && check(line.slice(idx))) return true;
  const above = src.lineText(f.line - 1).trim();
  return /^[#;]/.test(above) && check(above);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** Runs every enabled rule; applies severity overrides and inline suppressions; sorts and de-duplicates. */
export function runRules(rules: Rule[], model: DeploymentModel, config: Config, timings?: Record<string, number>): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') continue;
    const started = performance.now();
    try {
      check(rule, setting);
    } catch (e) {
      // A rule that fails must not take the others down, nor pass silently: say so where it is seen.
      const anchor = model.diagnostics[0]?.loc ?? [...model.sources.values()][0]?.lineLoc(1) ?? { path: '.', line: 1, column: 1, endLine: 1, endColumn: 1 };
      out.push({
        ruleId: rule.meta.id,
        severity: 'info',
        path: anchor.path,
        line: anchor.line,
        column: anchor.column,
        endLine: anchor.endLine,
        endColumn: anchor.endColumn,
        message: `HTTPS Guard could not finish this rule (${(e as Error).message}); its verdicts for this workspace are incomplete.`,
        hint: 'Please report this with the configuration that triggers it.',
        docsUrl: docsUrlFor(rule.meta.id),
      });
    }
    if (timings) timings[rule.meta.id] = performance.now() - started;
  }
  return out.sort(compareFindings);

  function check(rule: Rule, setting: Exclude<RuleSetting, 'off'> | undefined): void {
    rule.check({
      model,
      config,
      report(r) {
        const f: Finding = {
          ruleId: rule.meta.id,
          severity: setting ?? r.severity ?? rule.meta.severity,
          path: r.loc.path,
          line: r.loc.line,
          column: r.loc.column,
          endLine: r.loc.endLine,
          endColumn: r.loc.endColumn,
          message: r.message,
          hint: r.hint,
          docsUrl: docsUrlFor(rule.meta.id),
        };
        const key = `${f.ruleId}\0${f.path}\0${f.line}\0${f.column}\0${f.message}`;
        if (seen.has(key) || suppressed(model, f)) return;
        seen.add(key);
        out.push(f);
      },
    });
  }
}
