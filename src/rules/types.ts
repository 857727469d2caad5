import type { Config } from '../config';
import type { DeploymentModel } from '../model';
import type { FileKind, Loc, RelatedLocation, Severity } from '../types';

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
  /** Other places of this cause (e.g. identical directives reported once). */
  related?: RelatedLocation[];
  /**
   * The weakness this finding is one face of, for findings that other rules may report elsewhere: the engine keeps
   * one finding per cause (see engine/run.ts). Every key names one cause; `primary` findings are where the fix
   * belongs and absorb the non-primary findings whose keys they all cover.
   */
  cause?: { keys: string[]; primary: boolean };
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
