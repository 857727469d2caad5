import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/**
 * The official SARIF 2.1.0 schema is draft-04 (`id`, no boolean exclusive limits): the same keywords mean the same
 * in draft-07 once `id` is renamed, so Ajv's default draft validates it exactly.
 */
function loadSchema(): Record<string, unknown> {
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  return schema;
}

// ajv-formats is CommonJS: under Node's ESM the default import is module.exports, whose `.default` is the plugin.
const withFormats = (addFormats as unknown as { default?: typeof addFormats }).default ?? addFormats;
// The schema's `language` pattern is not valid in unicode mode (a stray `]`), hence unicodeRegExp: false.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
withFormats(ajv);
export const validateSarif = ajv.compile(loadSchema());

export function sarifErrors(log: unknown): string {
  return validateSarif(log) ? '' : ajv.errorsText(validateSarif.errors, { separator: '\n' });
}
