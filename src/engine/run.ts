import type { Config, RuleSetting } from '../config';
import type { DeploymentModel } from '../model';
import type { Rule } from '../rules/types';
import type { Finding, Severity } from '../types';
import type { RoleInfo } from '../model/deploy/roles';
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
/**
 * High and medium findings are for production files only: in a development, test, CI, example or template file
 * they become low, and the message starts with the role and why it was given. A production file that no entry
 * point deploys, in a workspace that has entry points, says its role was guessed.
 */
export function applyRole(f: Finding, info: RoleInfo | undefined, hasEntryPoints: boolean): Finding {
  if (!info) return f;
  if (info.role !== 'production') {
    const severity: Severity = f.severity === 'high' || f.severity === 'medium' ? 'low' : f.severity;
    const how = info.source === 'path' ? `${info.role} file, guessed from its path: ${info.why}` : `${info.role} file: ${info.why}`;
    return { ...f, severity, message: `[${how}] ${f.message}` };
  }
  if (hasEntryPoints && info.source === 'default' && (f.severity === 'high' || f.severity === 'medium')) {
    return { ...f, message: `${f.message} (role guessed: production; no entry point in the workspace deploys this file)` };
  }
  return f;
}

export function runRules(rules: Rule[], model: DeploymentModel, config: Config, timings?: Record<string, number>): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const hasEntryPoints = (model.deploy?.units.length ?? 0) > 0;
  const roles = new Map<string, RoleInfo | undefined>();
  const roleOf = (p: string) => {
    if (!roles.has(p)) roles.set(p, model.roleOf?.(p));
    return roles.get(p);
  };
  // Settings findings say when their module was picked without an entry point naming it.
  const fallbackNote = new Map<string, string>();
  if (hasEntryPoints) {
    for (const m of model.settings) {
      if (m.selection.how !== 'fallback') continue;
      for (const file of m.files) if (!fallbackNote.has(file)) fallbackNote.set(file, ` (settings module ${m.path} judged by fallback: ${m.selection.why})`);
    }
  }
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
        const note = f.ruleId.startsWith('django/') ? fallbackNote.get(f.path) : undefined;
        out.push(applyRole(note ? { ...f, message: f.message + note } : f, roleOf(f.path), hasEntryPoints));
      },
    });
  }
}
