// Severity nginx/uwsgi-https-missing picks where an include on the way could not be read (the fixture tester checks
// only where it fires).
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/engine/scan';

const RULE = 'nginx/uwsgi-https-missing';

describe(`${RULE} beside an include that could not be read`, () => {
  it('is low and names the include, which may send the params', () => {
    const f = analyse({ root: path.join(__dirname, RULE), paths: ['templated_other_include.conf.j2'] }).result.findings.filter((x) => x.ruleId === RULE);
    expect(f.map((x) => x.severity)).toEqual(['low']);
    expect(f[0].message).toMatch(/no uwsgi_param the workspace shows is in force here/);
    expect(f[0].message).toMatch(/`include \$_+application_path_+extra_params` at templated_other_include\.conf\.j2:11 could not be read and may send them: low/);
  });
});
