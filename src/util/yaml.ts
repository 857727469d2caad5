import YAML from 'yaml';

/**
 * YAML from the repository (compose files) as plain data. Aliases are allowed in proportion to the text: the yaml
 * package's fixed default (100 expansions per anchor) rejects real compose files that reuse an `x-defaults` anchor
 * in every service (getsentry/self-hosted needs about 200), while an expansion bomb needs far more than its length.
 */
export function parseRepoYaml(text: string): unknown {
  return YAML.parse(text, { maxAliasCount: Math.max(100, Math.floor(text.length / 10)), uniqueKeys: false, logLevel: 'error' });
}
