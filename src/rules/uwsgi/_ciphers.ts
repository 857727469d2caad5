// The cipher lists of uWSGI's own TLS listeners, judged by the OpenSSL evaluator the nginx cipher rules use
// (RULES.md 20-21 apply to them). `https`, `https-socket` and `ssl-socket` take `addr,cert,key[,ciphers[,ca]]`
// split at commas (checked on uWSGI 2.0.21: an unknown 4th field stops it with "unable to set requested ciphers");
// `https2` takes `key=value` pairs; `sni-dir-ciphers` is a cipher string.

import type { UwsgiOption } from '../../model/deploy/uwsgi';
import type { CipherEvaluation } from '../../tls/ciphers';
import { evaluate } from '../nginx/_tls-util';
import type { RuleContext } from '../types';
import { optionsNamed } from './_util';

export interface UwsgiCipherList {
  o: UwsgiOption;
  ciphers: string;
  /** What holds it, for messages: "the 4th field of https". */
  field: string;
  e: CipherEvaluation;
}

export function uwsgiCipherLists(ctx: RuleContext): UwsgiCipherList[] {
  const out: UwsgiCipherList[] = [];
  for (const { o } of optionsNamed(ctx, ['https', 'https-socket', 'ssl-socket', 'https2', 'sni-dir-ciphers'])) {
    if (o.opaque) continue;
    let ciphers: string | undefined;
    let field = '';
    if (o.name === 'sni-dir-ciphers') {
      ciphers = o.value.trim();
      field = 'sni-dir-ciphers';
    } else if (o.name === 'https2') {
      for (const kv of o.value.split(',')) {
        const eq = kv.indexOf('=');
        if (eq > 0 && kv.slice(0, eq).trim() === 'ciphers') ciphers = kv.slice(eq + 1).trim();
      }
      field = 'the ciphers= key of https2';
    } else {
      ciphers = o.value.split(',')[3]?.trim();
      field = `the fourth field of ${o.name}`;
    }
    if (!ciphers) continue;
    out.push({ o, ciphers, field, e: evaluate(ciphers) });
  }
  return out;
}

export const UWSGI_CIPHERS_HINT =
  'Put Mozilla\'s intermediate list in the ciphers field: `https = :443,cert.pem,key.pem,ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305` (colons only: uWSGI splits the option at commas).';
