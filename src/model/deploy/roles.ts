import { compileGlob, type Glob } from '../../util/glob';
import { isDateName, keptAsideFolder, STALE } from '../../util/kept-aside';

/** What a file is for. Only production files get high and medium findings. */
export const ROLES = ['production', 'development', 'test', 'ci', 'example', 'template'] as const;
export type Role = (typeof ROLES)[number];

/** How a role was decided, strongest first. */
export type RoleSource = 'config' | 'entry-point' | 'path' | 'guess' | 'default';

export interface RoleInfo {
  role: Role;
  source: RoleSource;
  /** Why, for messages: "docker-compose.ci.yml:12 mounts it", "its path has `tests/`". */
  why: string;
}

const TEST = new Set(['test', 'tests', 'testing', 'conftest', '__tests__', 'spec', 'specs', 'testdata', 'e2e', 'pytest']);
const CI = new Set(['ci', '.github', '.gitlab', '.circleci', '.buildkite', '.woodpecker', '.drone', 'jenkins', 'jenkinsfile', 'gitlab-ci', '.gitlab-ci', 'travis', '.travis']);
const EXAMPLE = new Set(['example', 'examples', 'sample', 'samples', 'docs', 'doc', 'demo', 'demos', 'tutorial']);
const DOCS = new Set(['docs', 'doc']);
const DEV = new Set(['dev', 'devel', 'develop', 'development', 'local', 'debug', '.devcontainer', 'devcontainer', 'localhost']);
/**
 * The compose override `docker compose up` merges on its own (the developer's machine), and its variants
 * (`docker-compose.override.https.yml`). An override of another name is passed with `-f` for a deployment of its own
 * (IntelOwl's `https.override.yml`).
 */
const COMPOSE_OVERRIDE = /^(docker-)?compose\.override([.-][^/]*)?\.ya?ml$/i;
const TEMPLATE_DIRS = new Set(['project_template', 'app_template', '{{cookiecutter.project_slug}}']);

/** Words of a path segment: `docker-compose.ci.yml` → docker, compose, ci, yml. */
function words(segment: string): string[] {
  return segment.toLowerCase().split(/[-_.]+/).filter(Boolean);
}

/**
 * A role read from the path alone, or undefined when nothing in it marks a non-production file. Template markers
 * first (a template is never deployed as it stands), then test, CI, example and development words in any folder
 * or in the file name (split on `-`, `_` and `.`).
 */
export function roleFromPath(path: string): RoleInfo | undefined {
  if (path.includes('{{') || path.includes('{%')) return { role: 'template', source: 'path', why: 'its path has template placeholders' };
  const segs = path.split('/');
  const dirs = segs.slice(0, -1);
  if (dirs.some((d) => TEMPLATE_DIRS.has(d) || d.toLowerCase().startsWith('{{cookiecutter'))) return { role: 'template', source: 'path', why: 'it sits in a project template' };
  const file = segs[segs.length - 1];
  const stem = file.toLowerCase().endsWith('.py') ? file.slice(0, -3) : file;
  const checks: [Set<string>, Role][] = [
    [TEST, 'test'],
    [CI, 'ci'],
    [EXAMPLE, 'example'],
    [DEV, 'development'],
  ];
  // A copy kept aside by its first or last word (`settings_old.py`, `nginx.conf.bak`, `old_nginx.conf`), or a folder
  // of that name: Mozilla's `…_old_guideline-5.7.conf` is no copy.
  const dot = file.lastIndexOf('.');
  const d = dirs.find(keptAsideFolder);
  const ends = (n: string) => {
    const w = words(n);
    return STALE.has(w[0]) || STALE.has(w[w.length - 1]) || (w.length > 1 && isDateName(w[w.length - 1]));
  };
  if (d || ends(file) || (dot > 0 && ends(file.slice(0, dot)))) {
    return { role: 'example', source: 'path', why: d ? `its folder \`${d}/\` marks a copy kept aside` : `its name \`${file}\` marks a copy kept aside` };
  }
  if (COMPOSE_OVERRIDE.test(file)) return { role: 'development', source: 'path', why: `its name \`${file}\` marks the override compose merges on its own, for development` };
  for (const [set, role] of checks) {
    for (const d of dirs) {
      if (set.has(d.toLowerCase()) || words(d).some((w) => set.has(w))) return { role, source: 'path', why: `its folder \`${d}/\` marks it` };
    }
    // A documentation folder holds samples; in a file's own name `docs` names the site it serves (`nginx-docs.conf`).
    const w = words(stem).filter((x) => set !== EXAMPLE || !DOCS.has(x));
    // `test_settings.py`, `settings_dev.py`, `docker-compose.ci.yml`, `production.example.py`, `Dockerfile.dev`.
    if ((set.has(stem.toLowerCase()) && !DOCS.has(stem.toLowerCase())) || w.some((x) => set.has(x))) return { role, source: 'path', why: `its name \`${file}\` marks it` };
  }
  // A settings module named after a CI service (`settings/github.py`, `settings/travis.py`): its configuration for CI.
  if (file.endsWith('.py') && CI_SETTINGS.has(stem.toLowerCase())) return { role: 'ci', source: 'path', why: `its name \`${file}\` marks it` };
  return undefined;
}

const CI_SETTINGS = new Set(['github', 'gitlab', 'circleci', 'buildkite', 'github_actions', 'gha']);

/**
 * The test folder (`tests/`, `e2e/`…) a path sits in, if any. It outweighs a mount or a COPY: a service for the test
 * suite (a TLS proxy, a fixture server) often sits in the production compose file beside the real ones.
 */
export function testFolder(path: string): string | undefined {
  return path
    .split('/')
    .slice(0, -1)
    .find((d) => TEST.has(d.toLowerCase()) || words(d).some((w) => TEST.has(w)));
}

/** The `roles` config: globs per role, first match wins in ROLES order. */
export type RoleGlobs = Partial<Record<Role, string[]>>;

export function compileRoleGlobs(globs: RoleGlobs): (path: string) => RoleInfo | undefined {
  const compiled: [Role, { pattern: string; glob: Glob }[]][] = ROLES.filter((r) => (globs[r] ?? []).length > 0).map((r) => [
    r,
    globs[r]!.map((pattern) => ({ pattern, glob: compileGlob(pattern, 'config') })),
  ]);
  if (compiled.length === 0) return () => undefined;
  return (path) => {
    for (const [role, ms] of compiled) {
      const m = ms.find((x) => x.glob.test(path));
      if (m) return { role, source: 'config', why: `config \`roles.${role}\` matches it (${m.pattern})` };
    }
    return undefined;
  };
}

/** "development file (guessed from its path)" etc., for messages. */
export function roleLabel(info: RoleInfo): string {
  return info.source === 'path' || info.source === 'guess' || info.source === 'default' ? `${info.role} file, guessed: ${info.why}` : `${info.role} file: ${info.why}`;
}
