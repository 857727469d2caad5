// Kept in step with package.json by a test.
export const VERSION = '0.1.0';

export const DOCS_BASE = 'https://github.com/https-guard/https-guard/blob/main/docs/rules/';

export function docsUrlFor(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
