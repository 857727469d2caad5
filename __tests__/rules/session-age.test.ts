import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseFiles } from '../model/helpers';

// The message states how long the cookie lasts: the module's own SESSION_COOKIE_AGE, else Django's default.
const BASE = fs.readFileSync(path.join(__dirname, 'django/session-persists-after-close/missing.py'), 'utf8');
const message = (text: string) => analyseFiles({ 'proj/settings.py': text }).result.findings.find((f) => f.ruleId === 'django/session-persists-after-close')?.message;

describe('django/session-persists-after-close names the cookie age in force (evaluation-registry)', () => {
  it("says Django's default when the module sets none", () => {
    expect(message(BASE)).toContain('for SESSION_COOKIE_AGE (two weeks by default)');
  });
  it('says the value the module sets', () => {
    const m = message(`${BASE}SESSION_COOKIE_AGE = 60 * 60 * 24 * 120\n`);
    expect(m).toContain('for SESSION_COOKIE_AGE (10368000: 120 days)');
    expect(m).not.toContain('two weeks');
  });
  it('says no figure when the value is not known', () => {
    const m = message(`import os\n${BASE}SESSION_COOKIE_AGE = int(os.environ["AGE"])\n`);
    expect(m).toContain('for SESSION_COOKIE_AGE, also on shared machines');
    // Only a figure in a message: the value not being known is no finding of its own.
    const all = analyseFiles({ 'proj/settings.py': `import os\n${BASE}SESSION_COOKIE_AGE = int(os.environ["AGE"])\n` }).result.findings;
    expect(all.filter((f) => f.ruleId === 'django/setting-unresolved' && f.message.includes('SESSION_COOKIE_AGE'))).toEqual([]);
  });
});
