import type { Config, RuleSetting } from '../config';
import type { DeploymentModel } from '../model';
import type { Rule } from '../rules/types';
import { severityRank, type Finding, type RelatedLocation, type Severity } from '../types';
import type { RoleInfo } from '../model/deploy/roles';
import { missingProductionModule, type SettingsModule } from '../model/settings';
import { isRenderedTemplateName } from '../model/python/evaluate';
import { docsUrlFor } from '../version';
import { SuppressionIndex } from './suppress';

/** Findings about suppressions themselves are silenced only by a comment naming their id, never by a bare ignore. */
const SUPPRESSION_FAMILY = 'suppression/';

export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/**
 * A message whose finding was lowered to low keeps the rule's own severity notes ("Medium: other responses of this
 * host still carry it"), said as what they would be where the finding keeps its severity.
 */
export function loweredNotes(message: string, where: string): string {
  return message.replace(/(^|[.)] )(High|Medium): /g, (_m, lead: string, sev: string) => `${lead}${where[0].toUpperCase()}${where.slice(1)} this would be ${sev.toLowerCase()}: `);
}

/**
 * High and medium findings are for production files only: in a development, test, CI, example or template file
 * they become low, and the message starts with the role and why it was given. A production file that no entry
 * point deploys, in a workspace that has entry points, says its role was guessed.
 */
export function applyRole(f: Finding, info: RoleInfo | undefined, hasEntryPoints: boolean): Finding {
  if (!info) return f;
  if (info.role !== 'production') {
    const lowered = f.severity === 'high' || f.severity === 'medium';
    const severity: Severity = lowered ? 'low' : f.severity;
    const how = info.source === 'path' ? `${info.role} file, guessed from its path: ${info.why}` : info.source === 'guess' ? `${info.role} file, guessed: ${info.why}` : `${info.role} file: ${info.why}`;
    return { ...f, severity, message: `[${how}] ${lowered ? loweredNotes(f.message, 'in a production file') : f.message}` };
  }
  if (hasEntryPoints && info.source === 'default' && (f.severity === 'high' || f.severity === 'medium')) {
    return { ...f, message: `${f.message} (role guessed: production; no entry point in the workspace deploys this file)` };
  }
  return f;
}

interface Caused {
  f: Finding;
  keys: string[];
  primary: boolean;
  suppressed: boolean;
  /** Its file is not production, so its severity was capped. */
  capped?: boolean;
}

/**
 * One finding per cause. A weakness that several rules see (no HSTS from nginx nor from Django; a plain-HTTP
 * server passing to an app that does not redirect either) is reported once, by the finding on the line where the
 * fix belongs (`primary`); the others become its related locations. A non-primary finding is absorbed only when
 * every cause it names has a primary finding, so nothing it says is lost. The kept finding takes the worst severity
 * of those it absorbs (merging never lowers what fails the check), unless its file's role caps severities: then a
 * more severe face stays a finding of its own. An inline suppression of the primary finding
 * silences the whole cause; one on an absorbed face only drops that face.
 */
/** The place a settings finding names when its line is in another module of the chain (SettingsModule.where). */
const IN_MODULE = / \(settings module [^()]*\)/;

export function mergeCauses(findings: Finding[], caused: Caused[]): Finding[] {
  const primaries = new Map<string, Caused[]>();
  for (const c of caused) {
    if (!c.primary) continue;
    for (const k of c.keys) {
      const list = primaries.get(k);
      if (list) list.push(c);
      else primaries.set(k, [c]);
    }
  }
  if (primaries.size === 0) return findings;
  const absorbed = new Set<Finding>();
  for (const c of caused) {
    if (c.primary || c.keys.length === 0 || !c.keys.every((k) => primaries.has(k))) continue;
    const targets = new Set(c.keys.flatMap((k) => primaries.get(k)!));
    // A file whose role caps its severity (a demo nginx) must not carry, nor hide, a more severe finding.
    if ([...targets].some((p) => p.capped && severityRank(p.f.severity) < severityRank(c.f.severity))) continue;
    absorbed.add(c.f);
    if (c.suppressed) continue;
    // A suppressed primary keeps its faces too: it is listed (marked) in JSON and SARIF.
    // Spread over several primaries, the face's severity is kept by one already that severe when there is one (no
    // HSTS from Django, and one server of two without it: that server's high, not the other's per-location medium).
    const carried = [...targets].some((p) => severityRank(p.f.severity) >= severityRank(c.f.severity));
    for (const p of targets) {
      addRelated(p.f, [{ path: c.f.path, line: c.f.line, column: c.f.column, message: `${c.f.ruleId}: ${c.f.message}` }]);
      if (!carried && severityRank(c.f.severity) > severityRank(p.f.severity)) p.f.severity = c.f.severity;
    }
  }
  return absorbed.size === 0 ? findings : findings.filter((f) => !absorbed.has(f));
}

function addRelated(f: Finding, more: RelatedLocation[]): void {
  const list = f.related ?? [];
  for (const r of more) {
    // A face folded in from another rule at the very same place still says what that rule saw there.
    if (r.path === f.path && r.line === f.line && r.column === f.column && !r.message?.includes(': ')) continue;
    if (list.some((x) => x.path === r.path && x.line === r.line && x.column === r.column && x.message === r.message)) continue;
    list.push(r);
  }
  list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0)));
  if (list.length > 0) f.related = list;
}

/** Runs every enabled rule; applies severity overrides, inline suppressions and file roles; sorts, de-duplicates, one per cause. */
export function runRules(rules: Rule[], model: DeploymentModel, config: Config, timings?: Record<string, number>): Finding[] {
  return evaluateRules(rules, model, config, timings).findings;
}

/**
 * runRules, with the findings inline comments silenced kept apart (each with its `suppression`). The suppression/*
 * rules run last, so that they see which suppressions silenced something.
 */
export function evaluateRules(rules: Rule[], model: DeploymentModel, config: Config, timings?: Record<string, number>): { findings: Finding[]; suppressed: Finding[] } {
  const out: Finding[] = [];
  const quietOut: Finding[] = [];
  const nginxFiles = new Set((model.nginx?.configs ?? []).flatMap((c) => c.files));
  const index = new SuppressionIndex(model.sources, nginxFiles);
  const notJudged = new Set<string>();
  const suppressions = { directives: () => index.all(), knownIds: new Set(rules.map((r) => r.meta.id)), notJudged };
  const seen = new Set<string>();
  const sharedLines = new Map<string, { f: Finding; names: string[]; shown: string }>();
  const caused: Caused[] = [];
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
  // Settings findings that depend on a module the repository lacks fail no check on their own (medium at most), and
  // say why: a module judged on the template of a missing one (its deployed copy may differ), or a module beside
  // the production one that a production entry point names and the repository does not hold.
  // A Jinja template (`local_settings.py.j2`) is what the deployment renders into place, line for line: noted, not capped.
  const cappedNote = new Map<string, { note: string; cap: boolean }>();
  for (const m of model.settings) {
    const last = m.standIns[m.standIns.length - 1];
    const prod = model.deploy ? missingProductionModule(m, model.deploy) : undefined;
    const rendered = last !== undefined && isRenderedTemplateName(last.template);
    const note = last
      ? rendered
        ? ` (judged with ${last.template}, which the deployment renders into place for \`from ${last.module} import *\` at ${last.loc.path}:${last.loc.line})`
        : ` (judged with ${last.template} standing in for \`from ${last.module} import *\` at ${last.loc.path}:${last.loc.line}, a module the repository does not hold: the deployed copy may set more)`
      : prod
        ? ` (production runs ${prod.module}, which ${prod.loc.path}:${prod.loc.line} names and the repository does not hold: its values are likely set there)`
        : undefined;
    if (note) for (const file of m.files) if (!cappedNote.has(file)) cappedNote.set(file, { note, cap: !rendered });
  }
  // A module that answers every request with 400 as written (ALLOWED_HOSTS = [] with DEBUG off) serves nothing: an
  // image's ENV for collectstatic, overridden where the app runs. Its own findings are low, saying why.
  const idleNote = new Map<string, string>();
  for (const m of model.settings) {
    const why = servesNoRequests(m);
    if (why) idleNote.set(m.path, why);
  }
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') notJudged.add(rule.meta.id);
  }
  const ordered = [...rules.filter((r) => !r.meta.id.startsWith(SUPPRESSION_FAMILY)), ...rules.filter((r) => r.meta.id.startsWith(SUPPRESSION_FAMILY))];
  for (const rule of ordered) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') continue;
    const started = performance.now();
    try {
      check(rule, setting);
    } catch (e) {
      notJudged.add(rule.meta.id);
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
  const all = mergeCauses([...out, ...quietOut], caused).sort(compareFindings);
  return { findings: all.filter((f) => !f.suppression), suppressed: all.filter((f) => f.suppression) };

  /**
   * A file's role; for a cross-file finding on a settings module, the nginx side counts too: when every nginx file
   * it rests on is not production (an example kept beside the deployed config), neither is the finding.
   */
  function crossRole(f: Finding, related: readonly { path: string }[] | undefined): RoleInfo | undefined {
    const own = roleOf(f.path);
    if (!f.ruleId.startsWith('cross/') || nginxFiles.has(f.path) || (own && own.role !== 'production')) return own;
    const sides = [...new Set((related ?? []).map((r) => r.path).filter((p) => nginxFiles.has(p)))];
    const weaker = sides.map((p) => ({ p, info: roleOf(p) }));
    if (weaker.length === 0 || weaker.some((w) => !w.info || w.info.role === 'production')) return own;
    const { p, info } = weaker[0];
    return { ...info!, why: `it rests on ${p}, ${info!.why}` };
  }

  function check(rule: Rule, setting: Exclude<RuleSetting, 'off'> | undefined): void {
    const aboutSuppressions = rule.meta.id.startsWith(SUPPRESSION_FAMILY);
    rule.check({
      model,
      config,
      ...(aboutSuppressions ? { suppressions } : {}),
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
        if (r.related?.length) addRelated(f, r.related);
        const key = `${f.ruleId}\0${f.path}\0${f.line}\0${f.column}\0${f.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        // One line of a base module that two judged modules share, with the same verdict: one finding that names
        // both (babybuddy's base.py for clever-cloud.py and production.example.py), not two on the same line.
        const inModule = f.message.match(IN_MODULE)?.[0];
        const shared = inModule && `${f.ruleId}\0${f.path}\0${f.line}\0${f.column}\0${f.severity}\0${f.message.replace(IN_MODULE, '')}`;
        const kept = shared ? sharedLines.get(shared) : undefined;
        if (kept && inModule) {
          const name = inModule.slice(' (settings module '.length, -1);
          if (!kept.names.includes(name)) {
            kept.names.push(name);
            kept.f.message = kept.f.message.replace(kept.shown, (kept.shown = ` (settings modules ${kept.names.join(', ')})`));
          }
          return;
        }
        const note = f.ruleId.startsWith('django/') ? fallbackNote.get(f.path) : undefined;
        const capped = f.ruleId.startsWith('django/') ? cappedNote.get(f.path) : undefined;
        if (capped) {
          f.message += capped.note;
          if (capped.cap && !setting && f.severity === 'high') f.severity = 'medium';
        }
        const idle = f.ruleId.startsWith('django/') ? idleNote.get(f.path) : undefined;
        if (idle) {
          f.message += idle;
          if (!setting && (f.severity === 'high' || f.severity === 'medium')) f.severity = 'low';
        }
        const role = crossRole(f, r.related);
        const judged = applyRole(note ? { ...f, message: f.message + note } : f, role, hasEntryPoints);
        const suppression = index.match(judged, aboutSuppressions);
        if (suppression) judged.suppression = suppression;
        const quiet = suppression !== undefined;
        if (r.cause) caused.push({ f: judged, keys: r.cause.keys, primary: r.cause.primary, suppressed: quiet, capped: role !== undefined && role.role !== 'production' });
        (quiet ? quietOut : out).push(judged);
        if (shared && inModule) sharedLines.set(shared, { f: judged, names: [inModule.slice(' (settings module '.length, -1)], shown: inModule });
      },
    });
  }
}

/** Why a settings module serves no request as written: ALLOWED_HOSTS = [] in its own file with DEBUG surely off. */
function servesNoRequests(m: SettingsModule): string | undefined {
  const hosts = m.binding('ALLOWED_HOSTS');
  const v = hosts?.value;
  if (!hosts || hosts.loc.path !== m.path || !v || (v.t !== 'list' && v.t !== 'tuple') || v.items.length > 0) return undefined;
  // The empty literal is what the last statement wrote: not a list a later `.extend(…)` may fill from the environment.
  if (v.loc.path !== hosts.loc.path || v.loc.line < hosts.loc.line || v.loc.line > hosts.loc.endLine) return undefined;
  if (m.isTrue('DEBUG', false).answer !== 'no') return undefined;
  // A module the repository lacks may set the hosts (channel2's `from channel2.localsettings import *`, which a
  // playbook installs).
  if (m.opaqueImports.length > 0 || m.absentImports.length > 0 || m.standIns.length > 0) return undefined;
  return ` (this module sets ALLOWED_HOSTS = [] (${hosts.loc.path}:${hosts.loc.line}) with DEBUG off, so Django answers every request with 400 Bad Request: as written it serves no requests, like a module for build steps such as collectstatic; the module that serves is set where the app runs)`;
}
