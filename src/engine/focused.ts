import * as path from 'node:path';
import { analyse, type ScanOptions } from './scan';
import { focusFilter, restrictToFocus } from './focus';
import { appsBehind } from '../model/links';
import { passDirective } from '../model/nginx';
import { projectRoots } from '../model/settings';
import { forEachNginxDirective } from '../parsers/nginx/walk';
import type { DeploymentModel } from '../model';
import type { ScanResult } from '../types';
import type { ScanTimings } from './scan';
import { walk } from './walk';
import { mergeConfig } from '../config';
import { djangoHstsSenders } from '../rules/nginx/_hsts-util';
import type { RuleContext } from '../rules/types';

export interface FocusedScan {
  result: ScanResult;
  timings: ScanTimings;
  /** Set when the focused scan could not be shown to equal a full one, so a full scan ran: why. */
  fullScan?: string;
  /** The project folders whose deployment files were loaded, when focused. */
  projects?: string[];
  /** Deployment files checked, before the result was restricted to the changed files. */
  checked: number;
}

/**
 * A scan of the deployments that `changed` belong to, restricted to `changed` like restrictToFocus: its findings
 * equal the full scan's on those paths, or a full scan runs and `fullScan` says why.
 *
 * The unit is the project (the deepest folder with a manage.py, else the top folder), the unit within which
 * settings modules are chosen. Every file is listed and every deployment file is loaded as in a full scan, except
 * the settings modules of projects outside the focus, the costly part: settings selection reads from their text
 * only what decides the loaded projects' verdicts (model/focus.ts), and evaluates one only when the text cannot
 * tell. The result is kept when nothing in the model reaches outside the loaded projects (reachesOutside): a
 * project the links or imports need is loaded and the model built again; what loading cannot settle runs a full
 * scan.
 */
export function analyseFocused(options: ScanOptions & { changed: string[]; walkChanged?: boolean }): FocusedScan {
  // Paths asked for by name are walked too (a file under node_modules), as in a partial run; the action's changed
  // files are not (its full scan walks the workspace only).
  const paths = options.walkChanged === false ? [''] : ['', ...options.changed];
  const full = (why: string): FocusedScan => {
    const { result, timings } = analyse({ ...options, paths });
    return { result: restrictToFocus(result, options.changed), timings, fullScan: why, checked: result.files.length };
  };
  const changed = [...new Set(options.changed)];
  if (changed.length === 0 || changed.includes('')) return full('the whole workspace is asked for');
  const config = mergeConfig(options.config ?? {});
  if (config.settingsModules.length > 0) return full('settings-modules in the configuration chooses settings across the workspace');
  const root = path.resolve(options.root);
  const listed = walk(root, paths, config.ignore).entries.map((e) => e.path);
  const projectOf = projectRoots({ allFiles: listed, pythonFiles: [] });
  // A changed file's project; a changed folder's, the projects of the files under it.
  const projects = new Set<string>();
  for (const p of changed) {
    const under = focusFilter([p]);
    const inside = listed.filter(under);
    for (const f of inside.length > 0 ? inside : [p]) projects.add(projectOf(f));
  }
  if (projects.has('')) return full('a changed path belongs to the project at the repository root, which is the whole workspace');
  const all = new Set(listed.map(projectOf));
  const isChanged = focusFilter(changed);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (projects.size * 2 > all.size) return full(`the deployments of the changed files span ${projects.size} of ${all.size} projects`);
    const inFocus = (p: string) => projects.has(projectOf(p));
    const { result, model, timings } = analyse({ ...options, paths, focus: { loaded: inFocus } });
    const out = reachesOutside(model, inFocus, isChanged);
    if (!out) return { result: restrictToFocus(result, changed), timings, projects: [...projects].sort(), checked: result.files.length };
    if (out.more.length === 0) return full(out.why);
    const before = projects.size;
    for (const p of out.more) projects.add(projectOf(p));
    if (projects.has('')) return full(`${out.why}, in the project at the repository root`);
    if (projects.size === before) return full(out.why);
  }
  return full(`the closure did not settle in ${MAX_ROUNDS} rounds`);
}

const MAX_ROUNDS = 4;

/**
 * Why the focused model may differ from the full one for the projects it loaded; undefined when it cannot. `more`:
 * files of other projects whose loading settles it (empty when only a full scan can).
 */
function reachesOutside(model: DeploymentModel, inFocus: (p: string) => boolean, isChanged: (p: string) => boolean): { why: string; more: string[] } | undefined {
  const focus = model.focus;
  if (focus?.doubts.length) return { why: focus.doubts[0], more: [] };
  if (focus && model.settings.length === 0 && (focus.judgedElsewhere.size > 0 || focus.unsettled.size > 0)) {
    return { why: 'no settings module of the loaded projects is judged, while other projects have some', more: [] };
  }
  if (focus && focus.reach.size > 0) {
    const more = [...focus.reach];
    return { why: `settings modules of ${more.slice(0, 2).join(', ')} import files of the loaded projects`, more };
  }
  for (const app of model.deploy?.apps ?? []) {
    const side = inFocus(app.loc.path);
    for (const p of [app.wsgi, app.settings]) {
      if (p !== undefined && inFocus(p) !== side) return { why: `the app server started at ${app.loc.path}:${app.loc.line} runs ${p}, in another project`, more: [app.loc.path, p] };
    }
  }
  // nginx findings on changed files may rest on settings of every judged module (rules that look across them all).
  const touched = model.nginx.configs.some((c) => c.files.some(isChanged));
  if (focus && touched) {
    for (const w of ['SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER']) {
      if (focus.mentions.has(w)) return { why: `a changed nginx config may be judged against ${w} of settings modules outside the loaded projects`, more: [] };
    }
    if (focus.mentions.has('SECURE_HSTS_SECONDS') && djangoHstsSenders({ model } as RuleContext).length === 0) {
      return { why: 'a changed nginx config may be judged against HSTS sent by settings modules outside the loaded projects', more: [] };
    }
  }
  let fatal: string | undefined;
  let open: string | undefined;
  const more = new Set<string>();
  for (const server of model.nginx.servers) {
    // A server whose config has a file in the loaded projects reports there: every app behind it must be loaded.
    const local = server.config.files.some(inFocus);
    forEachNginxDirective([server.block], (d) => {
      if (fatal || !d.block) return;
      const pass = passDirective(d);
      if (!pass) return;
      const apps = appsBehind(model, server, d, pass);
      const where = `${d.loc.path}:${d.loc.line}`;
      if (apps.fallback) {
        // An app of a project not loaded: loading it settles the link. Any other fallback counts every settings
        // module of the workspace, which only a full scan has.
        const why = `nginx at ${where} cannot be linked to its app (${apps.fallback}), so it counts every settings module`;
        if (apps.unjudged !== undefined && !inFocus(apps.unjudged)) {
          more.add(apps.unjudged);
          open ??= why;
        } else fatal = why;
      } else if (apps.elsewhere && (local || apps.settings.length > 0)) {
        for (const p of apps.elsewhere) more.add(p);
        open ??= `nginx at ${where} fronts an app of a project not loaded`;
      }
    });
    if (fatal) return { why: fatal, more: [] };
  }
  if (open) return { why: open, more: [...more] };
  return undefined;
}
