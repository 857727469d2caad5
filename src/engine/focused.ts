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

export interface FocusedScan {
  result: ScanResult;
  timings: ScanTimings;
  /** Set when the focused scan could not be shown to equal a full one, so a full scan ran: why. */
  fullScan?: string;
  /** The project folders whose deployment files were loaded, when focused. */
  projects?: string[];
}

/**
 * A scan of the deployments that `changed` belong to, restricted to `changed` like restrictToFocus: its findings
 * equal the full scan's on those paths, or a full scan runs and `fullScan` says why.
 *
 * The unit is the project (the deepest folder with a manage.py, else the top folder), the unit within which
 * settings modules are chosen. Every file is still listed (imports, entry points and includes read any workspace
 * file on demand) and every nginx config is loaded (a server anywhere may front an app of the project). Settings
 * and wsgi modules, the costly part, are parsed only for the projects of the changed files. The result is kept only
 * when nothing in the model reaches outside those projects: every location that passes requests on links to an
 * app of a loaded project or of none, without the "every judged settings module" fallback, and every app server
 * an entry point starts has its wsgi and settings module on the same side as the entry point.
 */
export function analyseFocused(options: ScanOptions & { changed: string[] }): FocusedScan {
  // Paths asked for by name are walked too (a file under node_modules), as in a partial run.
  const paths = ['', ...options.changed];
  const full = (why: string): FocusedScan => {
    const { result, timings } = analyse({ ...options, paths });
    return { result: restrictToFocus(result, options.changed), timings, fullScan: why };
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
  // The closure: an nginx config of any project may front an app of these; the projects of the apps it fronts are
  // added and the model built again, until nothing reaches outside, or most of the workspace is in.
  const all = new Set(listed.map(projectOf));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (projects.size * 2 > all.size) return full(`the deployments of the changed files span ${projects.size} of ${all.size} projects`);
    const inFocus = (p: string) => projects.has(projectOf(p));
    const { result, model, timings } = analyse({ ...options, paths, loadOnly: (p, kind) => kind === 'nginx' || inFocus(p) });
    const out = reachesOutside(model, inFocus);
    if (!out) return { result: restrictToFocus(result, changed), timings, projects: [...projects].sort() };
    if (out.add === undefined || projects.has(projectOf(out.add))) return full(out.why);
    for (const p of out.more) projects.add(projectOf(p));
    if (projects.has('')) return full(`${out.why}, in the project at the repository root`);
  }
  return full(`the closure did not settle in ${MAX_ROUNDS} rounds`);
}

const MAX_ROUNDS = 4;

/**
 * Why the focused model may differ from the full one for the projects it loaded; undefined when it cannot. `add`
 * and `more`: settings modules of other projects that loading would settle (an nginx fronts their apps).
 */
function reachesOutside(model: DeploymentModel, inFocus: (p: string) => boolean): { why: string; add?: string; more: string[] } | undefined {
  for (const app of model.deploy?.apps ?? []) {
    const side = inFocus(app.loc.path);
    for (const p of [app.wsgi, app.settings]) {
      if (p !== undefined && inFocus(p) !== side) return { why: `the app server started at ${app.loc.path}:${app.loc.line} runs ${p}, in another project`, more: [] };
    }
  }
  let fatal: string | undefined;
  let open: string | undefined;
  const more = new Set<string>();
  for (const server of model.nginx.servers) {
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
      } else if (inFocus(d.loc.path) && apps.settings.some((s) => !inFocus(s.path))) {
        // A definite link from outside to modules outside touches nothing reported here; from inside, it might.
        fatal = `nginx at ${where} fronts an app of another project`;
      }
    });
    if (fatal) return { why: fatal, more: [] };
  }
  if (open) return { why: open, add: [...more][0], more: [...more] };
  return undefined;
}
