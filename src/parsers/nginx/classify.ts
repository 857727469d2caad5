import * as posix from 'node:path/posix';
import type { FileClassifier } from '../../engine/classify';
import { BLOCK_DIRECTIVES, SIMPLE_DIRECTIVES, type NginxContext } from './directives';
import { parseNginx } from './parse';
import type { NginxDirective } from './types';
import { forEachNginxDirective } from './walk';

/**
 * 'main': has http {} (or events/stream/mail) at the top, nginx.conf-like; 'site': server {} at the top, meant
 * to be included inside http {}; 'snippet': anything else, analysed where it is included.
 */
export type NginxEntryKind = 'main' | 'site' | 'snippet';

export function classifyNginxEntry(directives: NginxDirective[]): NginxEntryKind {
  let site = false;
  for (const d of directives) {
    if (!d.block) continue;
    if (d.name === 'http' || d.name === 'events' || d.name === 'stream' || d.name === 'mail') return 'main';
    if (d.name === 'server') site = true;
  }
  return site ? 'site' : 'snippet';
}

/** The context a file's top level is read in when it is the entry point. */
export function nginxEntryContext(kind: NginxEntryKind): NginxContext {
  return kind === 'main' ? 'main' : kind === 'site' ? 'http' : 'unknown';
}

const SITE_DIRS = new Set(['sites-available', 'sites-enabled', 'conf.d', 'vhosts.d', 'vhosts', 'servers']);
const NGINX_DIRS = new Set(['nginx', 'openresty']);
// No extension of its own: `nginx-to-gunicorn.conf.in` or `nginx.conf.example` is another tool's template or a sample.
const NAMED_NGINX = /(^|[_-])nginx([_-]|$)/i;
const NO_EXTENSION = /^[\w-]+$/;
const NGINX_WORDS = /^nginx(\.[\w-]+)+$/i;
const DOMAIN_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|dev|app|co|info|me|edu|gov|eu|uk|de|fr|nl|ch|at|it|es|ca|au|br|ru|jp)$/i;
const DEPLOY_DIRS = new Set(['deploy', 'deployment', 'deployments', 'conf', 'config', 'configs', 'etc', 'server', 'ops', 'infra', 'provisioning', 'devops']);
/** Files of other tools that never hold nginx configuration, left unread. */
const KNOWN_FILES = /^(makefile|gnumakefile|procfile|vagrantfile|jenkinsfile|gemfile|pipfile|rakefile|brewfile|license|licence|copying|notice|readme|authors|contributors|changelog|changes|codeowners|manifest|version|install|todo)$/i;
const NOT_CONFIG = /\.(md|rst|txt|html?|json|ya?ml|toml|ini|py|sh|js|ts|lua|pem|crt|key|csr|log|gz|zip|png|jpe?g|svg)$/i;

/** Template suffixes (Ansible/Salt Jinja, Go, ERB): `site.conf.j2` is judged by `site.conf` (see template.ts). */
export const TEMPLATE_SUFFIX = /\.(j2|jinja2?|jin|tmpl|tpl|erb)$/i;

function byPath(p: string): 'yes' | 'maybe' | 'no' {
  const parts = p.split('/');
  const base = parts[parts.length - 1].replace(TEMPLATE_SUFFIX, '');
  const dirs = parts.slice(0, -1);
  // `Dockerfile.nginx`, `nginx.Dockerfile`: the image's build file, not its config.
  if (/^(docker|container)file\b|\.(docker|container)file$/i.test(base)) return 'no';
  if (base === 'nginx.conf' || base.endsWith('.nginx') || base.endsWith('.nginxconf')) return 'yes';
  if (NOT_CONFIG.test(base)) return 'no';
  const conf = base.endsWith('.conf') || base.endsWith('.conf.template');
  if (conf && dirs.some((d) => NGINX_DIRS.has(d))) return 'yes';
  if (conf || base.endsWith('.vhost')) return 'maybe';
  if (dirs.some((d) => SITE_DIRS.has(d) || NGINX_DIRS.has(d))) return 'maybe';
  // Named for nginx without `.conf`: an Ansible role's `templates/nginx.j2`, a `nginx-site` file. Its text decides.
  if (NO_EXTENSION.test(base) && NAMED_NGINX.test(base)) return 'maybe';
  // …or with words after it, as envsubst templates are (`nginx.ssl.template`, `nginx.prod`).
  if (NGINX_WORDS.test(base)) return 'maybe';
  // A template without another extension (`nginx-conf.template`, `ssl-params.template` a fabfile renders): its text decides.
  if (base.endsWith('.template') && NO_EXTENSION.test(base.slice(0, -'.template'.length))) return 'maybe';
  // Named after the site's domain, as sites-available files often are (`deploy/example.com`, `mediacms.io`), also
  // after `nginx_` (`conf/nginx_instamute.io`).
  if (DOMAIN_NAME.test(base) || (/^nginx[_-]/i.test(base) && DOMAIN_NAME.test(base.slice(6)))) return 'maybe';
  // …or with a word after the domain (`wbsrch.com.gunicorn`, `example.org.ssl`).
  const dot = base.lastIndexOf('.');
  if (dot > 0 && /^[a-z]{1,16}$/i.test(base.slice(dot + 1)) && DOMAIN_NAME.test(base.slice(0, dot))) return 'maybe';
  // In a folder named for nginx (`nginx-prod/django_project.prod`, `docker/nginx_conf/default-ssl`).
  if (dirs.some((d) => NAMED_NGINX.test(d))) return 'maybe';
  // A site file named after the project, without an extension, at the top or in a deployment folder
  // (`deploy/logbook`, `agromais`), as sites-available files are.
  if (NO_EXTENSION.test(base) && !KNOWN_FILES.test(base) && (dirs.length === 0 || dirs.some((d) => DEPLOY_DIRS.has(d.toLowerCase())))) return 'maybe';
  return 'no';
}

const STRONG_BLOCKS = new Set(['http', 'server', 'location', 'upstream', 'events', 'types']);
const SNIFF_CHARS = 1 << 20;

function sniffParse(text: string): NginxDirective[] {
  // Only the structure is looked at: no positions, comments or errors to build.
  return parseNginx('sniff', text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text, { context: 'unknown', structureOnly: true }).directives;
}

/** Parses the text with the real parser and looks for nginx structure, not for a regex-looking line. */
export function looksLikeNginx(text: string): boolean {
  const directives = sniffParse(text);
  return otherFormatOf(directives, text) === undefined && nginxStructure(directives);
}

/** Blocks only nginx has (http, server, location…), or at least three known directives with arguments. */
function nginxStructure(directives: NginxDirective[]): boolean {
  let known = 0;
  let strong = false;
  forEachNginxDirective(directives, (d) => {
    if (d.raw !== undefined) return false;
    if (d.terminator === '{' && STRONG_BLOCKS.has(d.name)) strong = true;
    else if (d.terminator === ';' && (SIMPLE_DIRECTIVES.has(d.name) || BLOCK_DIRECTIVES.has(d.name)) && d.args.length > 0) known++;
    return !strong;
  });
  return strong || known >= 3;
}

const LOGSTASH_SECTIONS = new Set(['input', 'filter', 'output']);
const HCL_BLOCKS = new Set(['resource', 'variable', 'provider', 'terraform', 'module', 'data', 'locals', 'output', 'job', 'group', 'task']);
const HAPROXY_SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'peers', 'resolvers']);
const CADDY_DIRECTIVES = new Set(['reverse_proxy', 'file_server', 'encode', 'php_fastcgi', 'handle', 'handle_path', 'route', 'respond', 'redir', 'tls', 'header', 'uri', 'basicauth', 'basic_auth', 'import', 'log', 'templates', 'request_body']);
/** nginx directives where a lone `=` word is part of the syntax. */
const NGINX_EQUALS = new Set(['location', 'if', 'error_page']);

/**
 * Another brace-block (or line) format that nginx's tokenizer would read without complaint at first sight: a
 * Logstash pipeline, HCL/Terraform, HAProxy, a Caddyfile, Apache httpd or JSON. Returns its name, or undefined.
 */
export function otherConfigFormat(text: string): string | undefined {
  return otherFormatOf(sniffParse(text), text);
}

function otherFormatOf(directives: NginxDirective[], text: string): string | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      JSON.parse(text.length > SNIFF_CHARS ? '' : text);
      return 'JSON';
    } catch {
      // not JSON: go on
    }
  }
  let arrows = 0;
  let assignments = 0;
  let semicolons = 0;
  let caddy = 0;
  let apache = false;
  forEachNginxDirective(directives, (d) => {
    if (d.raw !== undefined) return false;
    if (d.terminator === ';') semicolons++;
    if (d.name.startsWith('<') && /^<\/?[A-Za-z]+/.test(d.name)) apache = true;
    if (CADDY_DIRECTIVES.has(d.name) && d.terminator !== ';') caddy++;
    for (const a of d.args) {
      if (a.quoted) continue;
      if (a.value === '=>' || (a.value.includes('=>') && !a.value.startsWith('~'))) arrows++;
      if (a.value === '=' && !NGINX_EQUALS.has(d.name)) assignments++;
    }
    return true;
  });
  const top = directives.filter((d) => d.raw === undefined);
  if (arrows > 0 && (top.some((d) => d.block && LOGSTASH_SECTIONS.has(d.name)) || semicolons === 0)) return 'a Logstash pipeline (`input`/`filter`/`output` blocks with `=>` settings)';
  if (top.some((d) => d.block && HCL_BLOCKS.has(d.name) && d.args.some((a) => a.quoted)) || (assignments > 0 && semicolons === 0)) return 'HCL (Terraform/Nomad: `name = value` settings in labelled blocks)';
  if (top.length > 0 && HAPROXY_SECTIONS.has(top[0].name) && semicolons === 0) return 'an HAProxy configuration';
  if (apache && semicolons === 0) return 'an Apache httpd configuration (`<VirtualHost>` sections)';
  if (caddy > 0 && semicolons === 0) return 'a Caddyfile';
  return undefined;
}

/** For src/engine/classify.ts: nginx configs by name, then by a parse of the text. */
export const nginxClassifier: FileClassifier = {
  kind: 'nginx',
  byPath: (p) => byPath(posix.normalize(p)),
  byContent: (_p, text) => looksLikeNginx(text),
  // A `.conf` picked by its extension (and folder) that holds another format is skipped with the reason; a file
  // named nginx.conf or *.nginx is nginx whatever it holds, and its errors are reported.
  // Files picked for a look at their text get a reason only when they had nginx's shape (an `http {}` block…).
  otherFormat: (p, text) => {
    const path = posix.normalize(p);
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (base === 'nginx.conf' || base.endsWith('.nginx') || base.endsWith('.nginxconf')) return undefined;
    const directives = sniffParse(text);
    const other = otherFormatOf(directives, text);
    if (!other || (byPath(path) !== 'yes' && !nginxStructure(directives))) return undefined;
    return `not nginx: the text is ${other}`;
  },
};
