import { concrete, isSequence, show } from '../../model/python/values';
import { checkPattern, matchesAll } from '../../util/regex';
import { defineRule } from '../types';

/** Paths as SecurityMiddleware tests them: request.path with the leading '/' stripped. */
const SAMPLE_PATHS = ['', 'login/', 'admin/', 'a', 'api/v1/items/42', 'static/app.css', '.well-known/x', 'Z%20'];

// SecurityMiddleware runs re.search(pattern, request.path.lstrip('/')): '^/…' never matches (but '^/?…' does); '',
// '.*', '^' match every path.
export default defineRule({
  meta: {
    id: 'django/redirect-exempt-ineffective',
    severity: 'low',
    title: 'SECURE_REDIRECT_EXEMPT pattern never matches, or exempts every path',
    kinds: ['django-settings'],
  },
  check(ctx) {
    for (const s of ctx.model.settings) {
      const value = s.get('SECURE_REDIRECT_EXEMPT');
      if (value.state !== 'known' || !isSequence(value.value)) continue;
      for (const item of value.value.items) {
        const p = concrete(item)?.value;
        if (!p || p.t !== 'str') continue;
        const loc = item.loc.path === s.path || s.files.includes(item.loc.path) ? item.loc : s.anchorFor('SECURE_REDIRECT_EXEMPT');
        if (requiresLeadingSlash(p.v)) {
          ctx.report({
            loc,
            message: `SECURE_REDIRECT_EXEMPT pattern ${show(p)} never matches: Django strips the leading '/' from the path before matching, so these URLs are still redirected${s.defaultNotes('SECURE_REDIRECT_EXEMPT')}${s.where(loc)}.`,
            hint: `Drop the slash: ${show({ ...p, v: `^${p.v.replace(/^(\^|\\A)\\?\//, '')}` })}.`,
          });
          continue;
        }
        const check = checkPattern(p.v, 'python');
        const all = matchesAll(check, SAMPLE_PATHS);
        if (all === undefined && check.unsupported) {
          ctx.report({
            loc,
            severity: 'info',
            message: `SECURE_REDIRECT_EXEMPT pattern ${show(p)} could not be evaluated: it uses ${check.unsupported}, so whether it exempts every path from the HTTPS redirect is not known${s.defaultNotes('SECURE_REDIRECT_EXEMPT')}${s.where(loc)}.`,
            hint: 'Prefer plain anchored patterns (no lookaround or backreferences), e.g. r\'^healthz$\', so reviewers and tools can tell what stays on HTTP.',
          });
          continue;
        }
        if (all === true) {
          ctx.report({
            loc,
            severity: 'medium',
            message: `SECURE_REDIRECT_EXEMPT pattern ${show(p)} matches every path: no request is redirected to HTTPS, whatever SECURE_SSL_REDIRECT says${s.defaultNotes('SECURE_REDIRECT_EXEMPT')}${s.where(loc)}.`,
            hint: "Anchor the pattern to the paths that must stay on plain HTTP, e.g. r'^healthz$'.",
          });
        }
      }
    }
  },
});

/**
 * `^/x` (or `\A/x`) needs a '/' at the start of a path that never has one. `^/?x`, `^/*x` and `^/{0,1}x` make the
 * slash optional and do match; a top-level `|` gives other alternatives a chance, so such patterns are left alone.
 */
export function requiresLeadingSlash(pattern: string): boolean {
  const m = /^(?:\^|\\A)\\?\//.exec(pattern);
  if (!m) return false;
  const next = pattern[m[0].length];
  if (next === '?' || next === '*' || next === '{') return false;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return false;
  }
  return true;
}
