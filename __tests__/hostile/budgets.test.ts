// The nginx parser's scan-wide budget of words and comments: dense text (many `;` per byte) is cut, with one
// error where reading stopped, and everything read before is kept. The full-size case runs in trees.test.ts.
import { describe, expect, it } from 'vitest';
import { NGINX_WORD_BUDGET } from '../../src/model/nginx';
import { parseNginx } from '../../src/parsers/nginx/parse';

describe('nginx word budget', () => {
  it('stops a dense file where the budget runs out, keeps what was read, and says so once', () => {
    const budget = { remaining: 10 };
    const r = parseNginx('dense.conf', `server_tokens off;\n${'a;'.repeat(1000)}\n`, { context: 'unknown', budget });
    // Two words for server_tokens, then one for each `a;`.
    expect(r.directives).toHaveLength(9);
    expect(r.directives[0].name).toBe('server_tokens');
    expect(r.errors.map((e) => [e.loc.line, e.message])).toEqual([[2, expect.stringMatching(/rest of this file was not read: the scan reached its budget/)]]);
    expect(budget.remaining).toBe(0);
    // What was read (for the parser's rate): the first line and eight `a;`.
    expect(r.read).toBe('server_tokens off;\n'.length + 8 * 2);
  });

  it('counts arguments and comments too, and a block left open by the cut is not a syntax error', () => {
    const words = parseNginx('args.conf', `http {\n  deny ${'1.2.3.4 '.repeat(1000)};\n}\n`, { context: 'unknown', budget: { remaining: 50 } });
    expect(words.errors).toHaveLength(1);
    expect(words.errors[0].message).toMatch(/budget/);
    expect(words.directives.map((d) => d.name)).toEqual(['http']);
    const comments = parseNginx('notes.conf', '# note\n'.repeat(1000), { context: 'unknown', budget: { remaining: 20 } });
    expect(comments.comments).toHaveLength(20);
    expect(comments.errors.map((e) => e.loc.line)).toEqual([20]);
  });

  it('is shared: once spent, the next file is not read and gets the error on its first line', () => {
    const budget = { remaining: 5 };
    parseNginx('a.conf', 'a;'.repeat(10), { budget });
    const b = parseNginx('b.conf', 'listen 80;\n', { budget });
    expect(b.directives).toEqual([]);
    expect(b.errors.map((e) => [e.loc.path, e.loc.line])).toEqual([['b.conf', 1]]);
    expect(b.read).toBe(0);
  });

  it('without a budget nothing changes, and the scan-wide one holds what ordinary configs need', () => {
    const whole = parseNginx('a.conf', 'a;'.repeat(1000));
    expect(whole.directives).toHaveLength(1000);
    expect(whole.read).toBe(2000);
    // ~15 bytes a word in ordinary configs: the budget covers most of the 8 MB nginx may load by default.
    expect(NGINX_WORD_BUDGET * 15).toBeGreaterThan(7 * 1024 * 1024);
  });
});
