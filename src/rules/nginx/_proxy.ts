import type { Rule } from '../types';
import staplingWithoutResolver from './stapling-without-resolver';
import staplingLetsencrypt from './stapling-letsencrypt';
import forwardedProtoDropped from './forwarded-proto-dropped';
import forwardedProtoHardcoded from './forwarded-proto-hardcoded';
import forwardedProtoPassthrough from './forwarded-proto-passthrough';
import uwsgiHttpsMissing from './uwsgi-https-missing';
import uwsgiForwardedProtoSpoofable from './uwsgi-forwarded-proto-spoofable';

/** The nginx rules of this group, in catalogue order (one import per rule file). */
export const RULES: Rule[] = [
  staplingWithoutResolver,
  staplingLetsencrypt,
  forwardedProtoDropped,
  forwardedProtoHardcoded,
  forwardedProtoPassthrough,
  uwsgiHttpsMissing,
  uwsgiForwardedProtoSpoofable,
];
