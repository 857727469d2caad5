import type { Rule } from '../types';
import weakSslProtocols from './weak-ssl-protocols';
import sslProtocolsImplicit from './ssl-protocols-implicit';
import weakSslCiphers from './weak-ssl-ciphers';
import ciphersNotModern from './ciphers-not-modern';
import sslCiphersImplicit from './ssl-ciphers-implicit';
import preferServerCiphersOn from './prefer-server-ciphers-on';
import sessionTicketsUnrotated from './session-tickets-unrotated';
import dheWithoutDhparam from './dhe-without-dhparam';
import ecdhCurveUnsupported from './ecdh-curve-unsupported';
import sslOnDeprecated from './ssl-on-deprecated';
import sslKeyInRepository from './ssl-key-in-repository';
import certificateWithoutTlsListener from './certificate-without-tls-listener';

/** The nginx rules of this group, in catalogue order (one import per rule file). */
export const RULES: Rule[] = [
  weakSslProtocols,
  sslProtocolsImplicit,
  weakSslCiphers,
  ciphersNotModern,
  sslCiphersImplicit,
  preferServerCiphersOn,
  sessionTicketsUnrotated,
  dheWithoutDhparam,
  ecdhCurveUnsupported,
  sslOnDeprecated,
  sslKeyInRepository,
  certificateWithoutTlsListener,
];
