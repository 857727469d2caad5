import { describe, expect, it } from 'vitest';
import { countDjangoSettings } from '../../src/engine/classify';
import { parseHsts } from '../../src/rules/nginx/_hsts-util';
import { usesVar } from '../../src/rules/nginx/_proxy-util';
import { dhParamBits } from '../../src/rules/nginx/_tls-util';
import { analyseFiles } from '../model/helpers';

// Each regex here was super-linear on such input (found by a ReDoS checker, see docs/security.md). The inputs
// are large enough that the old quadratic or cubic forms would not finish within the timeout.
describe('our own parsing stays linear on hostile input', () => {
  it('HSTS value: a long directive with a line break', () => {
    const v = `max-age=${'1 '.repeat(4000)}\n${' '.repeat(4000)}x; includeSubDomains`;
    expect(parseHsts(v).problem).toMatch(/not a valid directive/);
    expect(parseHsts(`max-age=${' '.repeat(1_000_000)}`).problem).toMatch(/not a number/);
  });
  it('HSTS value: the directive grammar is unchanged', () => {
    expect(parseHsts(' max-age = "31536000" ; includeSubDomains;preload ')).toEqual({ includeSubDomains: true, preload: true, maxAge: 31536000 });
    expect(parseHsts('max-age=1; =x').problem).toMatch(/`=x` is not a valid directive/);
    expect(parseHsts('max-age=1; a b').problem).toMatch(/`a b` is not a valid directive/);
    expect(parseHsts('max-age=1; MAX-AGE=2').problem).toMatch(/appears twice/);
    expect(parseHsts('max-age=1\n2').problem).toMatch(/not a valid directive/);
    expect(parseHsts('max-age=10\n').maxAge).toBe(10);
  });
  it('Python: a 250 KB number literal and an import with 1 MB of blanks', () => {
    const { result } = analyseFiles({
      'proj/settings.py': [
        `SECURE_HSTS_SECONDS = ${'1'.repeat(250_000)}x`,
        `SECURE_HSTS_SECONDS = ${'1'.repeat(250_000)}`,
        `from os import (environ${' '.repeat(1_000_000)}as env)`,
        'INSTALLED_APPS = []', 'MIDDLEWARE = []', 'SECRET_KEY = "x"', '',
      ].join('\n'),
    });
    expect(result.files.map((f) => f.path)).toContain('proj/settings.py');
  });
  it('Python number literals keep their grammar', () => {
    for (const [lit, want] of [['.5', 0.5], ['1.5e3', 1500], ['0x1F', 31], ['1_000', 1000], ['2E-1', 0.2]] as const) {
      const { model } = analyseFiles({ 'proj/settings.py': `INSTALLED_APPS = []\nMIDDLEWARE = []\nSECURE_HSTS_SECONDS = ${lit}\n` });
      const v = model.settings[0].get('SECURE_HSTS_SECONDS');
      expect(v.state === 'known' ? v.value : v.state === 'unknown' ? v.why : v, lit).toMatchObject({ t: 'num', v: want });
    }
  });
  it('settings classification: lone CR line breaks after a type annotation', () => {
    expect(countDjangoSettings('CSRF_J:\r'.repeat(200_000))).toBe(0);
    expect(countDjangoSettings('SECURE_X: bool = True\nCSRF_Y = 1\r\nSESSION_Z += 2')).toBe(3);
  });
  it('nginx: variable names and DH parameter blocks', () => {
    expect(usesVar(`$http_x${'$http_x_'.repeat(100_000)}`, '$http_x')).toBe(true);
    expect(usesVar('$http_x_forwarded_proto_y', '$http_x_forwarded_proto')).toBe(false);
    expect(usesVar('a$http_x.* b', '$http_x.*')).toBe(true);
    expect(usesVar('a$http_xyzb', '$http_x.*')).toBe(false);
    expect(dhParamBits('-----BEGIN DH PARAMETERS-----'.repeat(50_000))).toBeUndefined();
    expect(dhParamBits(`-----BEGIN DH PARAMETERS-----${'A'.repeat(1_000_000)}`)).toBeUndefined();
  });
  it('nginx: a missing sites-enabled include with a long hostile path', () => {
    const arg = `${'matches no filesites-enabled/*'.repeat(5_000)}`;
    const { result } = analyseFiles({ 'nginx/nginx.conf': `http {\n include "${arg}";\n include "${'"'.repeat(1000)}";\n}\n` });
    expect(result.files.map((f) => f.path)).toContain('nginx/nginx.conf');
  });
}, 120_000);
