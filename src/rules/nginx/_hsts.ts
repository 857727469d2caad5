import type { Rule } from '../types';
import httpNotRedirected from './http-not-redirected';
import redirectNotHttps from './redirect-not-https';
import hstsMissing from './hsts-missing';
import hstsDroppedInLocation from './hsts-dropped-in-location';
import hstsMaxAgeShort from './hsts-max-age-short';
import hstsWithoutAlways from './hsts-without-always';
import hstsOnPlainHttp from './hsts-on-plain-http';
import hstsDuplicated from './hsts-duplicated';
import hstsPreloadRedirectMissing from './hsts-preload-redirect-missing';

/** The nginx rules of this group, in catalogue order (one import per rule file). */
export const RULES: Rule[] = [
  httpNotRedirected,
  redirectNotHttps,
  hstsMissing,
  hstsDroppedInLocation,
  hstsMaxAgeShort,
  hstsWithoutAlways,
  hstsOnPlainHttp,
  hstsDuplicated,
  hstsPreloadRedirectMissing,
];
