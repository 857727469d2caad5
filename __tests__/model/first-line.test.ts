import { describe, expect, it } from 'vitest';
import { firstLineOf } from '../../src/model/nginx';
import { parseNginx } from '../../src/parsers/nginx';

/** Length of each 1-based line, to check that a location stays inside its line. */
const lineLength = (text: string, line: number) => text.split(/\r\n|\r|\n/)[line - 1].length;

describe('firstLineOf: where a finding about a directive written over several lines sits', () => {
  it.each([
    ['arguments on later lines', 'proxy_pass\n    http://app:8000;\n', 'proxy_pass'],
    ['a word cut by a line break', '        proxy_pass http://stor\nge:9000/static/;\n', 'proxy_pass http://stor'],
    ['a quoted argument with a line break', 'add_header X-A "one\ntwo";\n', 'add_header X-A "one'],
    ['a CR line break', 'add_header X-B "one\rtwo" always;\n', 'add_header X-B "one'],
  ])('%s', (_, text, shown) => {
    const d = parseNginx('a.conf', text).directives[0];
    const loc = firstLineOf(d);
    expect(loc.line).toBe(loc.endLine);
    expect(loc.endColumn - 1).toBeLessThanOrEqual(lineLength(text, loc.line));
    expect(text.split(/\r\n|\r|\n/)[loc.line - 1].slice(loc.column - 1, loc.endColumn - 1)).toBe(shown);
  });

  it('is the directive itself when it fits on one line', () => {
    const d = parseNginx('a.conf', 'listen 443 ssl;\n').directives[0];
    expect(firstLineOf(d)).toEqual(d.loc);
  });
});
