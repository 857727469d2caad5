import type { Config } from '../config';
import type { DeploymentModel } from '../model';
import type { FileKind, Loc, Severity } from '../types';

export interface RuleMeta {
  /** Stable id, `<family>/<name>`; never renamed. */
  id: string;
  /** Default severity; users override it in config. */
  severity: Severity;
  /** One line, shown as the SARIF short description and the docs page title. */
  title: string;
  /** The file kinds the rule reads. */
  kinds: FileKind[];
}

export interface Report {
  loc: Loc;
  message: string;
  /** What to set or change: every finding tells the fix. */
  hint: string;
  /** When the rule's severity depends on the case (e.g. "high if …, else medium"). */
  severity?: Severity;
}

export interface RuleContext {
  model: DeploymentModel;
  config: Config;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
