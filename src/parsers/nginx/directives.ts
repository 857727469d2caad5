import type { NginxDirective, NginxParseError } from './types';

/**
 * Where a directive sits, as nginx's cmd_type flags see it (NGX_MAIN_CONF, NGX_HTTP_SRV_CONF, NGX_HTTP_SIF_CONF …).
 * 'values' is a block read by a custom handler (types, map, geo, split_clients, charset_map: cf->handler in
 * ngx_conf_parse); 'unknown' is the top of a file whose includer we do not know.
 */
export type NginxContext =
  | 'main' | 'events' | 'http' | 'server' | 'location' | 'if-server' | 'if-location' | 'limit_except' | 'upstream'
  | 'stream' | 'stream-server' | 'stream-upstream' | 'mail' | 'mail-server' | 'values' | 'unknown';

const ABBREV: Record<string, NginxContext[]> = {
  M: ['main'], E: ['events'], H: ['http'], S: ['server'], L: ['location'], SIF: ['if-server'], LIF: ['if-location'],
  LMT: ['limit_except'], U: ['upstream'], ST: ['stream'], STS: ['stream-server'], STU: ['stream-upstream'],
  ML: ['mail'], MLS: ['mail-server'],
  ANY: ['main', 'events', 'http', 'server', 'location', 'if-server', 'if-location', 'limit_except', 'upstream', 'stream',
    'stream-server', 'stream-upstream', 'mail', 'mail-server'],
};

function table(spec: Record<string, string>): Map<string, Set<NginxContext>> {
  const m = new Map<string, Set<NginxContext>>();
  for (const [names, where] of Object.entries(spec)) {
    const ctx = new Set(where.split(' ').flatMap((a) => ABBREV[a]));
    for (const name of names.split(' ')) m.set(name, ctx);
  }
  return m;
}

/** Block directives (NGX_CONF_BLOCK) and the contexts that accept them, from the module command tables. */
export const BLOCK_DIRECTIVES = table({
  'http events stream mail': 'M',
  server: 'H ST ML',
  location: 'S L',
  if: 'S L',
  limit_except: 'L',
  'upstream map geo split_clients': 'H ST',
  types: 'H S L',
  charset_map: 'H',
});

/** Blocks whose content goes to a custom handler: a `{` inside is "unexpected" (ngx_conf_parse, cf->handler). */
export const VALUE_BLOCKS = new Set(['types', 'map', 'geo', 'split_clients', 'charset_map']);

/**
 * Common non-block directives with their contexts (nginx.org module docs, union over http/stream/mail).
 * Only used to give nginx's "is not terminated by ";"" where nginx 1.22 would; unlisted names are not judged.
 */
export const SIMPLE_DIRECTIVES = table({
  'user worker_processes pid daemon master_process worker_rlimit_nofile worker_rlimit_core load_module env pcre_jit worker_cpu_affinity worker_priority worker_shutdown_timeout lock_file timer_resolution working_directory thread_pool ssl_engine':
    'M',
  error_log: 'M H S L ST STS ML MLS',
  'worker_connections use multi_accept accept_mutex accept_mutex_delay debug_connection worker_aio_requests': 'E',
  include: 'ANY',
  listen: 'S STS MLS',
  server_name: 'S ML MLS',
  'root sendfile limit_rate limit_rate_after': 'H S L LIF',
  alias: 'L',
  'internal fastcgi_split_path_info': 'L',
  'try_files': 'S L',
  'tcp_nopush keepalive_timeout keepalive_requests types_hash_max_size types_hash_bucket_size server_tokens default_type client_max_body_size client_body_buffer_size client_body_timeout client_body_temp_path send_timeout index autoindex resolver resolver_timeout satisfy aio directio output_buffers postpone_output etag if_modified_since server_name_in_redirect port_in_redirect absolute_redirect open_file_cache reset_timedout_connection lingering_close chunked_transfer_encoding log_not_found log_subrequest recursive_error_pages gzip_types gzip_vary gzip_proxied gzip_comp_level gzip_min_length gzip_disable gzip_http_version gzip_buffers gzip_static limit_req limit_conn limit_req_status limit_conn_status set_real_ip_from real_ip_header real_ip_recursive auth_request sub_filter open_log_file_cache':
    'H S L',
  tcp_nodelay: 'H S L ST STS',
  'server_names_hash_bucket_size server_names_hash_max_size variables_hash_max_size variables_hash_bucket_size map_hash_bucket_size map_hash_max_size limit_req_zone proxy_cache_path uwsgi_cache_path fastcgi_cache_path':
    'H',
  limit_conn_zone: 'H ST',
  log_format: 'H ST',
  access_log: 'H S L LIF LMT ST STS',
  'client_header_timeout client_header_buffer_size large_client_header_buffers merge_slashes underscores_in_headers ignore_invalid_headers':
    'H S',
  'error_page add_header add_trailer expires charset source_charset gzip ssi': 'H S L LIF',
  'return rewrite set break': 'S L SIF LIF',
  'rewrite_log uninitialized_variable_warn': 'H S L SIF LIF',
  proxy_pass: 'L LIF LMT STS',
  'proxy_set_header proxy_hide_header proxy_pass_header proxy_redirect proxy_http_version proxy_buffering proxy_read_timeout proxy_send_timeout proxy_buffers proxy_buffer_size proxy_cache proxy_intercept_errors proxy_request_buffering proxy_cookie_path proxy_cookie_domain proxy_temp_path proxy_pass_request_headers proxy_pass_request_body proxy_ignore_headers proxy_cache_valid proxy_cache_key proxy_cache_bypass proxy_no_cache proxy_max_temp_file_size':
    'H S L',
  'proxy_connect_timeout proxy_ssl_verify proxy_ssl_protocols proxy_ssl_server_name proxy_ssl_trusted_certificate proxy_ssl_ciphers proxy_ssl_name proxy_ssl_certificate proxy_ssl_certificate_key proxy_next_upstream':
    'H S L ST STS',
  'uwsgi_pass fastcgi_pass scgi_pass grpc_pass': 'L LIF',
  'uwsgi_param uwsgi_read_timeout uwsgi_send_timeout uwsgi_connect_timeout uwsgi_buffers uwsgi_buffer_size uwsgi_buffering uwsgi_hide_header uwsgi_pass_header uwsgi_modifier1 uwsgi_temp_path uwsgi_cache uwsgi_intercept_errors uwsgi_next_upstream uwsgi_max_temp_file_size uwsgi_request_buffering uwsgi_ssl_verify uwsgi_ssl_protocols uwsgi_ssl_ciphers uwsgi_ssl_server_name uwsgi_ssl_trusted_certificate fastcgi_param fastcgi_index fastcgi_read_timeout fastcgi_buffers fastcgi_buffer_size fastcgi_intercept_errors fastcgi_temp_path scgi_param grpc_set_header':
    'H S L',
  'ssl ssl_certificate ssl_certificate_key ssl_protocols ssl_ciphers ssl_prefer_server_ciphers ssl_session_cache ssl_session_timeout ssl_session_tickets ssl_session_ticket_key ssl_dhparam ssl_ecdh_curve ssl_client_certificate ssl_verify_client ssl_verify_depth ssl_password_file ssl_conf_command ssl_crl ssl_trusted_certificate':
    'H S ST STS ML MLS',
  'ssl_stapling ssl_stapling_verify ssl_stapling_file ssl_stapling_responder ssl_buffer_size ssl_early_data ssl_reject_handshake ssl_ocsp':
    'H S',
  'allow deny': 'H S L LMT ST STS',
  'auth_basic auth_basic_user_file': 'H S L LMT',
  stub_status: 'S L',
  'keepalive least_conn ip_hash': 'U',
  'hash zone': 'U STU',
});

/** nginx's reading of `server` inside an upstream block: an entry, not a block (ngx_http_upstream_server). */
const UPSTREAM_SERVER = new Set<NginxContext>(['upstream', 'stream-upstream']);
SIMPLE_DIRECTIVES.set('server', UPSTREAM_SERVER);

const CONTEXT_BIT = new Map<NginxContext, number>(ABBREV.ANY.map((c, k) => [c, 1 << k]));
const masks = (t: Map<string, Set<NginxContext>>) =>
  new Map([...t].map(([name, where]) => [name, [...where].reduce((m, c) => m | (CONTEXT_BIT.get(c) ?? 0), 0)]));
const BLOCK_MASK = masks(BLOCK_DIRECTIVES);
const SIMPLE_MASK = masks(SIMPLE_DIRECTIVES);
/** Both masks of a name in one lookup. */
const SHAPE_MASK = new Map<string, { block: number; simple: number }>(
  [...new Set([...BLOCK_MASK.keys(), ...SIMPLE_MASK.keys()])].map((name) => [name, { block: BLOCK_MASK.get(name) ?? 0, simple: SIMPLE_MASK.get(name) ?? 0 }]),
);

/** The context of a block's children, from the block's name and its own context. */
export function childContext(parent: NginxContext, name: string): NginxContext {
  if (VALUE_BLOCKS.has(name)) return 'values';
  switch (parent) {
    case 'main':
      return name === 'http' || name === 'events' || name === 'stream' || name === 'mail' ? name : 'unknown';
    case 'http':
      return name === 'server' ? 'server' : name === 'upstream' ? 'upstream' : 'unknown';
    case 'server':
      return name === 'location' ? 'location' : name === 'if' ? 'if-server' : 'unknown';
    case 'location':
      return name === 'location' ? 'location' : name === 'if' ? 'if-location' : name === 'limit_except' ? 'limit_except' : 'unknown';
    case 'stream':
      return name === 'server' ? 'stream-server' : name === 'upstream' ? 'stream-upstream' : 'unknown';
    case 'mail':
      return name === 'server' ? 'mail-server' : 'unknown';
    case 'unknown':
      // A file's top level: a block's own name still tells where its children are.
      if (name === 'http' || name === 'events' || name === 'stream' || name === 'mail') return name;
      if (name === 'server') return 'server';
      if (name === 'location') return 'location';
      if (name === 'upstream') return 'upstream';
      if (name === 'limit_except') return 'limit_except';
      return 'unknown';
    default:
      return 'unknown';
  }
}

function errorAtTerminator(d: NginxDirective, message: string, kind: NginxParseError['kind']): NginxParseError {
  const { path, endLine, endColumn } = d.loc;
  return { loc: { path, line: endLine, column: endColumn - 1, endLine, endColumn }, message, kind };
}

/**
 * The checks ngx_conf_handler (src/core/ngx_conf_file.c) makes once a directive's terminator is read and its
 * name is known in the context: "has no opening "{"", "is not terminated by ";"", and, inside a handler block,
 * ngx_conf_parse's "unexpected "{"". Reported on the line of the `;` or `{`, as nginx does. Iterative.
 */
const DIRECTIVE_NAME = /^[A-Za-z0-9_]+$/;

export function checkNginxDirectiveShapes(directives: NginxDirective[], context: NginxContext): NginxParseError[] {
  const errors: NginxParseError[] = [];
  let unknownSeen = false;
  // Runs over every directive of every file: the context's bit is worked out once per block, not per directive.
  const stack: { list: NginxDirective[]; i: number; ctx: NginxContext; bit: number }[] = [
    { list: directives, i: 0, ctx: context, bit: CONTEXT_BIT.get(context) ?? 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const d = top.list[top.i++];
    const ctx = top.ctx;
    if (d.block && d.block.length > 0 && d.raw === undefined) {
      // A block inside a handler block (a regex's `{2}` in a map) is read by the handler too, not as directives.
      const child = ctx === 'values' ? 'values' : childContext(ctx, d.name);
      stack.push({ list: d.block, i: 0, ctx: child, bit: CONTEXT_BIT.get(child) ?? 0 });
    }
    if (d.terminator === null || d.raw !== undefined) continue;
    if (ctx === 'values') {
      if (d.terminator === '{') errors.push(errorAtTerminator(d, 'unexpected "{"', 'syntax'));
      continue;
    }
    // No module of nginx or a third party names a directive with anything but letters, digits and `_`: a stray
    // path or a pasted line (`nginx/certbot_nginx/…/options-ssl-nginx.conf` with no `;`) stops nginx at start-up.
    // A `$` word is a template's placeholder (template.ts).
    if (!unknownSeen && !d.name.startsWith('$') && !DIRECTIVE_NAME.test(d.name)) {
      // nginx stops at the first one: one per file, so binary garbage does not make a finding per word.
      unknownSeen = true;
      errors.push(errorAtTerminator(d, `unknown directive "${d.name.length > 80 ? `${d.name.slice(0, 77)}...` : d.name}"`, 'directive'));
      continue;
    }
    const bit = top.bit;
    if (bit === 0) continue;
    const shape = SHAPE_MASK.get(d.name);
    if (shape === undefined) continue;
    if ((shape.block & bit) !== 0) {
      if (d.terminator === ';') errors.push(errorAtTerminator(d, `directive "${d.name}" has no opening "{"`, 'directive'));
    } else if ((shape.simple & bit) !== 0) {
      if (d.terminator === '{') errors.push(errorAtTerminator(d, `directive "${d.name}" is not terminated by ";"`, 'directive'));
    }
  }
  return errors;
}
