import YAML from 'yaml';

/**
 * YAML from the repository (compose files) as plain data. The yaml package's default allowance (100 expansions per
 * anchor) rejects real compose files that merge an `x-defaults` anchor with nested aliases into every service
 * (getsentry/self-hosted); Compose itself (yaml.v3) accepts any aliasing up to 400,000 decoded nodes. Aliases
 * resolve to shared objects, so the cost is in what reads them: 10,000 per anchor, or one per 10 bytes of text,
 * still stops an expansion bomb however it is padded.
 */
export function parseRepoYaml(text: string): unknown {
  return YAML.parse(text, { maxAliasCount: Math.max(10_000, Math.floor(text.length / 10)), uniqueKeys: false, merge: true, logLevel: 'error' });
}
