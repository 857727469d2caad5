import type { Rule } from '../types';

/** The nginx rules of this group, in catalogue order (one import per rule file). */
export const RULES: Rule[] = [];
