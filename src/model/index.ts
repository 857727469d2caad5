import type { Config } from '../config';
import { SourceText } from '../parsers/source';
import type { FileKind, Loc } from '../types';
import { buildSettingsModel, projectRoots, type SettingsModule } from './settings';
import type { OpaqueImport } from './python/evaluate';
import { buildPythonFacts, type PythonFileFacts } from './wsgi';
import { buildNginxModel, type NginxModel } from './nginx';
import { buildEdgeFacts, type EdgeFacts } from './edge';
import { buildDeployModel, mapsFile, type DeployModel } from './deploy';
import { reachableRedirects, redirectTarget } from './request';
import type { RoleInfo } from './deploy/roles';

export interface LoadedFile {
  path: string;
  kind: FileKind;
  text: string;
}

/** A problem reading or parsing a selected file: becomes a `parse/error` finding. */
export interface Diagnostic {
  loc: Loc;
  message: string;
  /** Python 2 source: the file is fine for the Python it was written for; what fails is HTTPS Guard's Python 3 reader. */
  python2?: boolean;
}

/** What the rules see: parsed, effective configuration, never raw text. */
export interface DeploymentModel {
  /** Every file read, by workspace path (for suppression comments and excerpts). */
  sources: Map<string, SourceText>;
  /** Settings modules judged as deployable configurations (entry modules with their import chains merged). */
  settings: SettingsModule[];
  /** Entry settings modules that could not be judged: core settings from imports outside the workspace, or a class not chosen. */
  settingsNotJudged: ({ path: string; opaque: OpaqueImport } | { path: string; reason: string; loc: Loc })[];
  /** Every selected settings module and wsgi.py/asgi.py, with facts read from its syntax tree. */
  python: PythonFileFacts[];
  nginx: NginxModel;
  /** Files outside nginx that show a TLS terminator (Caddy, Traefik, Ingress, compose): see edge.ts. */
  edgeFacts?: EdgeFacts;
  diagnostics: Diagnostic[];
  /** Entry points (Dockerfile, compose, Procfile, systemd, supervisor, uwsgi, gunicorn) and what they deploy. */
  deploy?: DeployModel;
  /** What each file is for; only production files get high and medium findings. */
  roleOf?(path: string): RoleInfo;
  /** A file's project folder ('' for the root): the deepest folder above it with a manage.py, else its top folder. */
  projectOf?(path: string): string;
  /** Set in a focused scan: what the settings selection learnt about the projects it did not load. */
  focus?: FocusReport;
}

/** A focused scan's input: which projects are loaded, and the texts of the settings modules outside them. */
export interface FocusInput {
  loaded(path: string): boolean;
  elsewhere: ReadonlyMap<string, string>;
}

/**
 * What a focused model knows about settings modules it did not evaluate, for focused.ts to decide whether the
 * loaded projects' verdicts equal a full scan's.
 */
export interface FocusReport {
  /** Modules a full scan would judge (an entry point names them), not evaluated here. */
  judgedElsewhere: Set<string>;
  /** Not-loaded projects no entry point covers: which of their modules a full scan judges is not known here. */
  unsettled: Set<string>;
  /** Not-loaded projects whose settings import loaded files (a full scan's evaluation would touch them): load them. */
  reach: Set<string>;
  /** Reasons the focused model may differ in a way loading more projects cannot settle: run a full scan. */
  doubts: string[];
  /** Which of settings.ts's FOCUS_WORDS the modules not evaluated (and what they import) mention. */
  mentions: Set<string>;
}

export interface ModelInput {
  /** Absolute workspace root: nothing outside it is read. */
  root: string;
  files: LoadedFile[];
  config: Config;
  /** Text of any workspace .py file (for imports), or undefined when absent, unreadable or too large. */
  readModule(path: string): string | undefined;
  pythonFiles: string[];
  /** Templates named `<module>.py.<word>` (`local.py.example`), readable through readModule. */
  pythonTemplates?: string[];
  /** Called when a part of the model is built, for timing. */
  onPhase?: (phase: 'python' | 'nginx') => void;
  /** Filled with the time spent in the nginx parser proper (the bench reports its MB/s). */
  parseStats?: { nginxMs: number; nginxBytes: number };
  /** Every workspace file the walk listed (deployment files and TLS terminators are picked from it by name). */
  allFiles?: string[];
  /** Safe reader for any listed workspace file (size-limited, no symlinks), undefined when refused. */
  readText?(path: string): string | undefined;
  /** A focused scan (engine/focused.ts). */
  focus?: FocusInput;
}

export function buildModel(input: ModelInput): DeploymentModel {
  const own = new Map(input.files.map((f) => [f.path, f.text]));
  const deploy = buildDeployModel({
    files: input.allFiles ?? input.files.map((f) => f.path),
    readText: (p) => own.get(p) ?? input.readText?.(p) ?? (p.endsWith('.py') ? input.readModule(p) : undefined),
    roles: input.config.roles,
    wsgi: input.files.filter((f) => f.kind === 'wsgi'),
  });
  const model: DeploymentModel = {
    sources: new Map(),
    settings: [],
    settingsNotJudged: [],
    python: [],
    nginx: { configs: [], servers: [], packagedStandIns: new Set(), includeProblems: [] },
    diagnostics: deploy.problems.map((p) => ({ loc: p.loc, message: p.message })),
    deploy,
    roleOf: (p) => deploy.roleOf(p),
    projectOf: projectRoots(input),
  };
  for (const [p, s] of deploy.sources) if (!model.sources.has(p)) model.sources.set(p, s);
  model.settings = buildSettingsModel(input, model);
  model.python = buildPythonFacts(input, model);
  input.onPhase?.('python');
  model.nginx = buildNginxModel(input, model);
  guessUndeployedNginx(input, model);
  guessLocalNginx(model);
  model.edgeFacts = buildEdgeFacts(input);
  input.onPhase?.('nginx');
  return model;
}

/**
 * An nginx config that no entry point, include or mount deploys, in a project where another nginx config is deployed
 * (Dockerfile COPY, compose volume), is an alternative or an example: its role is guessed "example", and the message
 * says it was guessed. Without any deployed nginx nothing is guessed (a repository of bare site files).
 */
/**
 * An nginx config that redirects plain HTTP to `https://localhost…` (or 127.0.0.1, [::1]) serves whoever runs it on
 * their own machine: a local setup, whatever compose file mounts it (normandy's demo proxy). Its files are guessed
 * development.
 */
function guessLocalNginx(model: DeploymentModel): void {
  const deploy = model.deploy;
  if (!deploy) return;
  for (const server of model.nginx.servers) {
    const local = reachableRedirects(server, 'http').find((d) => LOCAL_TARGET.test(redirectTarget(d) ?? ''));
    if (!local) continue;
    const why = `it redirects to ${redirectTarget(local)} (${local.file}:${local.loc.line}), a local setup`;
    for (const f of server.config.files) if (deploy.roleOf(f).source !== 'config') deploy.inherit(f, { role: 'development', source: 'guess', why });
  }
}

const LOCAL_TARGET = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]|$)/i;

function guessUndeployedNginx(input: ModelInput, model: DeploymentModel): void {
  const deploy = model.deploy;
  const projectOf = model.projectOf;
  if (!deploy || !projectOf) return;
  const nginxFiles = input.files.filter((f) => f.kind === 'nginx').map((f) => f.path);
  // Deployed by a production entry point: the file, and the folder of the file that deploys it.
  const deployed: { path: string; by: string; why: string }[] = [];
  for (const p of nginxFiles) {
    const info = deploy.roleOf(p);
    if (info.source !== 'entry-point' || info.role !== 'production') continue;
    const m = deploy.mappings.find((x) => x.role === 'production' && mapsFile(x, p));
    deployed.push({ path: p, by: m ? m.loc.path : p, why: info.why });
  }
  if (deployed.length === 0) return;
  const included = new Set<string>();
  for (const c of model.nginx.configs) for (const f of c.files) if (f !== c.entry) included.add(f);
  // Same project, or under the folder of the file that deploys the other one (a root compose covers the repository).
  const beside = (p: string) =>
    deployed.find((d) => projectOf(d.path) === projectOf(p) || !d.by.includes('/') || p.startsWith(d.by.slice(0, d.by.lastIndexOf('/') + 1)));
  for (const p of nginxFiles) {
    if (included.has(p) || deploy.roleOf(p).source !== 'default') continue;
    const other = beside(p);
    if (!other) continue;
    deploy.inherit(p, { role: 'example', source: 'guess', why: `nothing deploys it (no Dockerfile COPY, compose volume or include names it), while ${other.path} is deployed (${other.why})` });
  }
}
