import { nearest, type RuleSetting } from '../config';
import { RULES } from '../rules';
import { compileGlob } from '../util/glob';
import { UsageError } from './options';

/** Never dropped by --select: a file that could not be read would otherwise pass silently. Only --ignore drops it. */
export const ALWAYS_SELECTED = 'parse/error';

const FAMILIES = [...new Set(RULES.map((r) => r.meta.id.split('/')[0]))];

/**
 * One selector: an exact id (`django/hsts-off`), a family (`django/` or `django`), `ALL`, or a glob over ids
 * (`nginx/hsts-*`, or a star in the family part). A selector that names no rule is a usage error, as a typo would otherwise
 * select nothing without a word.
 */
export function matchSelector(selector: string, ids: readonly string[] = RULES.map((r) => r.meta.id)): string[] {
  if (selector === 'ALL') return [...ids];
  const family = selector.endsWith('/') ? selector.slice(0, -1) : FAMILIES.includes(selector) ? selector : undefined;
  let matched: string[];
  if (family !== undefined) matched = ids.filter((id) => id.startsWith(`${family}/`));
  else if (/[*?[{]/.test(selector)) {
    // The selector is the user's and the ids are ours; the glob compiles to RE2 anyway (linear time).
    const glob = compileGlob(selector, 'config');
    matched = ids.filter((id) => glob.test(id));
  } else matched = ids.filter((id) => id === selector);
  if (matched.length === 0) {
    const near = nearest(selector, ids);
    throw new UsageError(`${JSON.stringify(selector)} matches no rule${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (see https-guard --list-rules)`);
  }
  return matched;
}

/**
 * The rules --select and --ignore leave, as per-rule settings to merge over the configuration: every other rule
 * `off`. They only narrow: a rule the configuration turns off stays off.
 */
export function selectionSettings(select: string[] | undefined, ignore: string[] | undefined): Record<string, RuleSetting> {
  const ids = RULES.map((r) => r.meta.id);
  const kept = new Set(select === undefined ? ids : [...select.flatMap((s) => matchSelector(s, ids)), ALWAYS_SELECTED]);
  for (const s of ignore ?? []) for (const id of matchSelector(s, ids)) kept.delete(id);
  return Object.fromEntries(ids.filter((id) => !kept.has(id)).map((id) => [id, 'off' as const]));
}
