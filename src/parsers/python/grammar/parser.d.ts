import type { LRParser } from '@lezer/lr';

/** Generated from python.grammar by @lezer/generator (`npm run grammar:generate`). */
export declare const parser: LRParser;
