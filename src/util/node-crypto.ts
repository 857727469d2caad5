import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';

let loaded: typeof Crypto | undefined;

/**
 * node:crypto on first use. Loading it costs several milliseconds, which every CLI start paid for an import that
 * only hashing reports (SARIF, GitLab), baselines and --output need.
 */
export function nodeCrypto(): typeof Crypto {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto);
}
