import type { Config } from '../config';
import type { DeploymentModel } from '../model';
import type { FileKind, Loc, RelatedLocation, Severity } from '../types';
import type { Directive } from '../engine/suppress';

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

/** What the engine knows of inline suppressions once every other rule has run (for the suppression/* rules). */
export interface SuppressionFacts {
  /** Every `https-guard: ignore` directive in the files read, with which of its ids silenced something. */
  directives(): Directive[];
  /** Every rule id there is. */
  knownIds: ReadonlySet<string>;
  /** Rules that did not run (off in config, --select/--ignore) or did not finish: their suppressions cannot be judged. */
  notJudged: ReadonlySet<string>;
}

export interface RuleContext {
  model: DeploymentModel;
  config: Config;
  report(r: Report): void;
  /** Given by the engine to the rules that run after all others. */
  suppressions?: SuppressionFacts;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
