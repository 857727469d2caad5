import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSetting } from '../config';
import { RULES, findRule } from '../rules';
import type { FileKind, Severity } from '../types';
import { docsUrlFor } from '../version';
import { UsageError } from './options';

export interface RuleListing {
  id: string;
  title: string;
  /** Default severity, or the configuration's override. */
  severity: Severity;
  /** False when the configuration turns the rule off. */
  enabled: boolean;
  kinds: FileKind[];
  docsUrl: string;
}

/** The rules a selection keeps (`settings` holds the configuration's and the selection's `off`). */
export function listRules(settings: Record<string, RuleSetting>, selectionOff: Record<string, RuleSetting>): RuleListing[] {
  return RULES.filter((r) => selectionOff[r.meta.id] !== 'off').map((r) => {
    const s = settings[r.meta.id];
    return { id: r.meta.id, title: r.meta.title, severity: s && s !== 'off' ? s : r.meta.severity, enabled: s !== 'off', kinds: [...r.meta.kinds], docsUrl: docsUrlFor(r.meta.id) };
  });
}

export function formatRuleList(rules: RuleListing[], format: 'text' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(rules, null, 2)}\n`;
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  return rules.map((r) => `${r.id.padEnd(idWidth)}  ${(r.enabled ? r.severity : 'off').padEnd(6)}  ${r.title}\n`).join('');
}

/**
 * The rule pages ship in the package (docs/rules): two levels above this module both in the sources
 * (src/cli/) and in the bundle (dist/cli/index.js). The directory is computed at run time so the bundler does
 * not copy the pages into dist/.
 */
export function rulesDocsDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = path.join(here, '..', '..', 'docs', 'rules');
  return fs.existsSync(path.join(dir, 'README.md')) ? dir : undefined;
}

/** `--explain ID`: the rule's documentation page. Only a known id reaches the file system. */
export function explainRule(id: string, docsDir: string | undefined = rulesDocsDir()): string {
  const rule = findRule(id);
  if (!rule) {
    const near = RULES.map((r) => r.meta.id).filter((r) => r.endsWith(`/${id}`) || r.split('/')[1] === id.split('/').at(-1));
    throw new UsageError(`unknown rule ${JSON.stringify(id)}${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (see https-guard --list-rules)`);
  }
  const page = docsDir ? path.join(docsDir, ...rule.meta.id.split('/')) + '.md' : undefined;
  if (page && fs.existsSync(page)) {
    const text = fs.readFileSync(page, 'utf8');
    return text.endsWith('\n') ? text : `${text}\n`;
  }
  return `# ${rule.meta.id}\n\n${rule.meta.title}\n\n**Severity:** ${rule.meta.severity}\n\nSee ${docsUrlFor(rule.meta.id)}\n`;
}
