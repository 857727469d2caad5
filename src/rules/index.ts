import type { Rule } from './types';
import parseError from './parse/error';

/** The registry: every rule the product ships, in catalogue order. */
export const RULES: Rule[] = [parseError];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
