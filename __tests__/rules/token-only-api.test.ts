import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseFiles } from '../model/helpers';

// The cookie rules' severity where the settings show no session login: low for a token-only API, high otherwise.
const API = fs.readFileSync(path.join(__dirname, 'django/session-cookie-insecure/token_only_api/settings.py'), 'utf8');
const cookies = (text: string) =>
  analyseFiles({ 'proj/settings.py': text }).result.findings.filter((f) => f.ruleId === 'django/session-cookie-insecure' || f.ruleId === 'django/csrf-cookie-insecure').map((f) => `${f.ruleId} ${f.severity}`).sort();

describe('cookies of an API that authenticates by token only', () => {
  it('are low: no session login is shown', () => {
    expect(cookies(API)).toEqual(['django/csrf-cookie-insecure low', 'django/session-cookie-insecure low']);
  });

  it('are high with the admin, session authentication, a login URL, or an authentication list that is not known', () => {
    const high = ['django/csrf-cookie-insecure high', 'django/session-cookie-insecure high'];
    expect(cookies(API.replace('"rest_framework",', '"rest_framework",\n    "django.contrib.admin",'))).toEqual(high);
    expect(cookies(API.replace('JWTAuthentication",)', 'JWTAuthentication", "rest_framework.authentication.SessionAuthentication")'))).toEqual(high);
    expect(cookies(`${API}LOGIN_URL = "/accounts/login/"\n`)).toEqual(high);
    expect(cookies(API.replace('("rest_framework_simplejwt.authentication.JWTAuthentication",)', 'AUTH_CLASSES'))).toEqual(high);
  });
});
