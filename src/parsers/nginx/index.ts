export { parseNginx, type NginxParseOptions, type NginxParseResult } from './parse';
export type { NginxArg, NginxComment, NginxDirective, NginxParseError } from './types';
export { forEachNginxDirective, findNginxDirectives } from './walk';
export {
  BLOCK_DIRECTIVES, SIMPLE_DIRECTIVES, VALUE_BLOCKS, checkNginxDirectiveShapes, childContext, type NginxContext,
} from './directives';
export {
  NGINX_INSTALL_PREFIXES, detectNginxPrefix, expandNginxGlob, loadNginxConfig, resolveNginxInclude, workspaceAccess,
  type IncludeTarget, type LoadNginxOptions, type NginxConfig, type NginxIncludeProblem, type NginxIncludeProblemKind,
  type NginxReadResult, type NginxWorkspaceAccess,
} from './includes';
export { classifyNginxEntry, looksLikeNginx, otherConfigFormat, nginxClassifier, nginxEntryContext, type NginxEntryKind } from './classify';
export { scanLuaBlock } from './lua';
