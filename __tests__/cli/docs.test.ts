import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { FORMATS, OPTIONS } from '../../src/cli/options';

const REPO = path.resolve(import.meta.dirname, '../..');
const read = (p: string) => fs.readFileSync(path.join(REPO, p), 'utf8');

describe('the CLI docs say what the code does', () => {
  const cli = read('docs/cli.md');

  it('docs/cli.md lists every option and every format', () => {
    for (const o of OPTIONS) expect(cli, `--${o.name}`).toContain(`--${o.name}`);
    for (const f of FORMATS) expect(cli, f).toMatch(new RegExp(`\\*\\*${f}\\*\\*`));
  });

  it('the local pre-commit hook in docs/cli.md selects the same files as .pre-commit-hooks.yaml', () => {
    const hooks = YAML.parse(read('.pre-commit-hooks.yaml')) as { id: string; files: string }[];
    const block = /```yaml\n(  - repo: local[\s\S]*?)```/.exec(cli)![1];
    const local = YAML.parse(`repos:\n${block}`).repos[0].hooks[0];
    expect(local.files).toBe(hooks.find((h) => h.id === 'https-guard')!.files);
  });

  it('the runner version for node24 is stated where action.yml asks for node24', () => {
    expect(read('action.yml')).toMatch(/using: node24/);
    expect(read('docs/releases.md')).toContain('**v2.327.1**');
  });
});
